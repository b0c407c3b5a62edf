import { expect } from "chai";
import {
    asArray, document, IAM_LIMITS, packStatements, parsePolicyDocument, PolicyStatement, policySize, readPermissions, readStatements,
} from "../../model";

const statement = (sid: string, count: number): PolicyStatement => ({
    Sid: sid,
    Effect: "Allow",
    Action: Array.from({ length: count }, (_, i) => `ec2:DescribeSomething${String(i).padStart(3, "0")}`),
    Resource: "*",
});

const actionsOf = (docs: ReturnType<typeof packStatements>) => docs.flatMap((d) => d.Statement.flatMap((s) => asArray(s.Action)));

describe("IAM documents", () => {
    it("measures size as IAM does: without whitespace", () => {
        const doc = document([{ Sid: "A", Effect: "Allow", Action: "s3:GetObject", Resource: "*" }]);
        expect(policySize(doc)).to.equal(JSON.stringify(doc).length);
        expect(policySize(JSON.parse(JSON.stringify(doc, null, 4)))).to.equal(policySize(doc));
    });

    it("packs statements first-fit into documents within the limit, keeping every action in order", () => {
        const statements = [statement("One", 10), statement("Two", 10), statement("Three", 10)];
        // Exactly room for the first two together.
        const limit = policySize(document(statements.slice(0, 2)));
        const docs = packStatements(statements, limit);
        expect(docs).to.have.length(2);
        for (const doc of docs) expect(policySize(doc)).to.be.at.most(limit);
        expect(docs.map((d) => d.Statement.map((s) => s.Sid))).to.deep.equal([["One", "Two"], ["Three"]]);
        expect(actionsOf(docs)).to.deep.equal(statements.flatMap((s) => asArray(s.Action)));
    });

    it("splits a statement too large on its own by its actions, suffixing its Sid", () => {
        const big = statement("Big", 40);
        const firstHalf = { ...big, Sid: "Big1", Action: asArray(big.Action).slice(0, 20) };
        const limit = policySize(document([firstHalf]));
        const docs = packStatements([big], limit);
        expect(docs.flatMap((d) => d.Statement.map((s) => s.Sid))).to.deep.equal(["Big1", "Big2"]);
        for (const doc of docs) expect(policySize(doc)).to.be.at.most(limit);
        expect(actionsOf(docs)).to.deep.equal(asArray(big.Action));
    });

    it("refuses a single action that cannot fit", () => {
        expect(() => packStatements([statement("Huge", 1)], 20)).to.throw("IAM statement 'Huge' is larger than 20 characters on its own.");
    });

    it("reads documents as IAM returns them (URL-encoded) and as written", () => {
        const doc = document([{ Sid: "A", Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" }]);
        expect(parsePolicyDocument(encodeURIComponent(JSON.stringify(doc)))).to.deep.equal(doc);
        expect(parsePolicyDocument(JSON.stringify(doc))).to.deep.equal(doc);
        expect(parsePolicyDocument(doc)).to.equal(doc);
    });
});

describe("the integration role's read statements", () => {
    it("fit one managed policy in either partition, at either API Gateway level and with either permission set", () => {
        for (const [partition, mainRegion] of [["aws", "eu-west-1"], ["aws-us-gov", "us-gov-west-1"]] as const) {
            for (const apiGatewayAccess of ["read", "published"] as const) {
                for (const permissions of ["published", "minimal"] as const) {
                    const docs = packStatements(readStatements({ partition, accountId: "123456789012", mainRegion, apiGatewayAccess, permissions }), IAM_LIMITS.managedPolicyChars);
                    expect(docs, `${partition} ${apiGatewayAccess} ${permissions}`).to.have.length(1);
                }
            }
        }
    });

    it("grant each action once, under a unique Sid, with resources in the account's partition", () => {
        const statements = readStatements({ partition: "aws-us-gov", accountId: "123456789012", mainRegion: "us-gov-west-1" });
        const sids = statements.map((s) => s.Sid);
        expect(new Set(sids).size).to.equal(sids.length);
        const scoped = statements.flatMap((s) => asArray(s.Resource)).filter((r) => r !== "*");
        expect(scoped).to.deep.equal([
            "arn:aws-us-gov:cloudformation:*:123456789012:stack/stackstate-resources/*",
            "arn:aws-us-gov:s3:::stackstate-logs-123456789012",
            "arn:aws-us-gov:s3:::stackstate-logs-123456789012/*",
        ]);
        for (const permission of readPermissions()) {
            expect(new Set(permission.actions).size, permission.sid).to.equal(permission.actions.length);
        }
    });
});

/**
 * docs/verify-teardown.md against the code: the permission policies it prints are the ones the
 * code builds, they cover every action the code calls (and nothing it does not), and the checks
 * table lists every check id in report order.
 */
import { expect } from "chai";
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { asArray, PolicyDocument } from "../../model";
import { CHECK_IDS } from "../../cli/verify/checks";
import { verifyCallerPolicy } from "../../cli/verify/permissions";
import { teardownCallerPolicy } from "../../cli/teardown/permissions";

const ROOT = path.resolve(__dirname, "..", "..");
const DOC = readFileSync(path.join(ROOT, "docs/verify-teardown.md"), "utf8");

/** The first ```json block after a heading. */
function jsonAfter(heading: string): unknown {
    const start = DOC.indexOf(heading);
    expect(start, `heading ${heading}`).to.be.greaterThan(-1);
    const block = /```json\n([\s\S]*?)```/.exec(DOC.slice(start));
    return JSON.parse(block?.[1] ?? "null");
}

/** Every `awsCall("service:Action"` in the given folders' TypeScript. */
function calledActions(...folders: string[]): Set<string> {
    const actions = new Set<string>();
    for (const folder of folders) {
        for (const file of readdirSync(path.join(ROOT, folder)).filter((f) => f.endsWith(".ts"))) {
            const source = readFileSync(path.join(ROOT, folder, file), "utf8");
            for (const match of source.matchAll(/awsCall\("([a-z0-9-]+:[A-Za-z]+)"/g)) actions.add(match[1]);
        }
    }
    return actions;
}

const policyActions = (doc: PolicyDocument) => new Set(doc.Statement.flatMap((s) => asArray(s.Action)));
/** Needs no permission (AWS answers every caller). */
const FREE = ["sts:GetCallerIdentity"];

describe("docs/verify-teardown.md", () => {
    it("prints verify's permission policy as the code builds it", () => {
        expect(jsonAfter("### Permissions for `verify`")).to.deep.equal(verifyCallerPolicy("aws", "ACCOUNT_ID"));
    });

    it("prints teardown's permission policy as the code builds it", () => {
        expect(jsonAfter("### Permissions for `teardown`")).to.deep.equal(teardownCallerPolicy("aws", "ACCOUNT_ID"));
    });

    // cli/aws holds the calls both commands share: versions, rules by target, flow logs.
    it("grants verify exactly the actions its code calls", () => {
        const called = calledActions("cli/verify", "cli/aws");
        const granted = policyActions(verifyCallerPolicy("aws", "123456789012"));
        expect([...called].filter((a) => !granted.has(a) && !FREE.includes(a))).to.deep.equal([]);
        expect([...granted].filter((a) => !called.has(a))).to.deep.equal([]);
    });

    it("grants teardown exactly the actions its code calls, plus the one AWS documents for flow logs to S3", () => {
        const called = calledActions("cli/teardown", "cli/aws");
        const granted = policyActions(teardownCallerPolicy("aws", "123456789012"));
        expect([...called].filter((a) => !granted.has(a) && !FREE.includes(a))).to.deep.equal([]);
        expect([...granted].filter((a) => !called.has(a))).to.deep.equal(["logs:DeleteLogDelivery"]);
    });

    it("lists every check id, in report order", () => {
        const table = DOC.slice(DOC.indexOf("### Checks"), DOC.indexOf("### Exit codes"));
        const ids = [...table.matchAll(/^\| `([a-z-]+)` \|/gm)].map((m) => m[1]);
        expect(ids).to.deep.equal([...CHECK_IDS]);
    });
});

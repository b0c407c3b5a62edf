import { expect } from "chai";
import { agentAssumeRolePolicy } from "../../model/agent-policies";
import { integrationTrustPolicy, serviceTrustPolicy } from "../../model/trust-policies";
import { stackstateAgentDisallowAnyAccount as agentPolicy } from "../../policies/stackstate-agent-disallow-any-account";
import { stackstateRoleEnforceExternalId as trustPolicy } from "../../policies/stackstate-role-enforce-external-id";
import { UNKNOWN, validateResource } from "../helpers/policy-args";

const EXTERNAL_ID = "abcdefghijklmnopqrstuvwx";
const AGENT = "arn:aws:iam::210987654321:role/StackStateAgentRole";
const TRUST_FIX = "Fix: give every statement of assumeRolePolicy that trusts an AWS principal the condition " +
    "{\"StringEquals\": {\"sts:ExternalId\": \"<your ExternalId>\"}}, without IfExists, StringLike or wildcards, and trust named principals, not \"*\".";

const role = (name: string, trust: unknown) => ({ type: "aws:iam/role:Role", name: "r", props: { name, assumeRolePolicy: typeof trust === "string" ? trust : JSON.stringify(trust) } });
const goodTrust = () => integrationTrustPolicy({ partition: "aws", agentRoleArns: [AGENT], externalId: EXTERNAL_ID });
function withCondition(condition: Record<string, unknown>) {
    const doc = goodTrust();
    doc.Statement[0].Condition = condition as never;
    return doc;
}

describe("stackstate-role-enforce-external-id", () => {
    it("passes the integration role trusting a principal with StringEquals on the ExternalId", async () => {
        expect(await validateResource(trustPolicy, role("StackStateAwsIntegrationRole", goodTrust()))).to.deep.equal([]);
    });

    it("rejects StringEqualsIfExists, StringLike wildcards and a missing ExternalId", async () => {
        const cases: [Record<string, unknown> | undefined, string][] = [
            [{ StringEqualsIfExists: { "sts:ExternalId": EXTERNAL_ID } }, "statement 'StackStateAgentAssumesWithExternalId' must use StringEquals on sts:ExternalId, not StringEqualsIfExists (it admits callers without an ExternalId)"],
            [{ StringLike: { "sts:ExternalId": "*" } }, "statement 'StackStateAgentAssumesWithExternalId' must use StringEquals on sts:ExternalId, not StringLike with a wildcard (it admits any ExternalId)"],
            [undefined, "statement 'StackStateAgentAssumesWithExternalId' must require sts:ExternalId with StringEquals"],
        ];
        for (const [condition, problem] of cases) {
            const doc = goodTrust();
            if (condition) doc.Statement[0].Condition = condition as never;
            else delete doc.Statement[0].Condition;
            expect(await validateResource(trustPolicy, role("StackStateAwsIntegrationRole", doc))).to.deep.equal([{
                message: `IAM role 'StackStateAwsIntegrationRole' (r) must admit AWS principals only with a matching sts:ExternalId: ${problem}. ${TRUST_FIX}`,
                enforcementLevel: "mandatory",
                urn: undefined,
            }]);
        }
    });

    it("judges any role whose trust mentions the ExternalId, and leaves other roles alone", async () => {
        const reported = await validateResource(trustPolicy, role("vendor-role", withCondition({ StringEqualsIfExists: { "sts:ExternalId": EXTERNAL_ID } })));
        expect(reported.map((r) => r.message.split(":")[0])).to.deep.equal(["IAM role 'vendor-role' (r) must admit AWS principals only with a matching sts"]);
        expect(await validateResource(trustPolicy, role("lambda-role", serviceTrustPolicy("lambda.amazonaws.com")))).to.deep.equal([]);
        const open = goodTrust();
        delete open.Statement[0].Condition;
        expect(await validateResource(trustPolicy, role("app-role", open))).to.deep.equal([]);
    });

    it("rejects a wildcard ExternalId even under StringEquals, which compares literally", async () => {
        expect((await validateResource(trustPolicy, role("StackStateAwsIntegrationRole", withCondition({ StringEquals: { "sts:ExternalId": ["*", EXTERNAL_ID] } })))).map((r) => r.message)).to.deep.equal([
            `IAM role 'StackStateAwsIntegrationRole' (r) must admit AWS principals only with a matching sts:ExternalId: statement 'StackStateAgentAssumesWithExternalId' must require the literal ExternalId, not the wildcard '*'. ${TRUST_FIX}`,
        ]);
    });

    it("judges the trust of the integration role by its configured name, even without an ExternalId in it", async () => {
        const open = goodTrust();
        delete open.Statement[0].Condition;
        expect((await validateResource(trustPolicy, role("acme-stackstate", open), { roleName: "ACME-StackState" })).map((r) => r.message)).to.deep.equal([
            `IAM role 'acme-stackstate' (r) must admit AWS principals only with a matching sts:ExternalId: statement 'StackStateAgentAssumesWithExternalId' must require sts:ExternalId with StringEquals. ${TRUST_FIX}`,
        ]);
        expect(await validateResource(trustPolicy, role("StackStateAwsIntegrationRole", open), { roleName: "acme-stackstate" })).to.deep.equal([]);
    });

    it("reports an integration-role trust that is unknown in a preview, or not JSON", async () => {
        expect(await validateResource(trustPolicy, role("StackStateAwsIntegrationRole", UNKNOWN))).to.deep.equal([{
            message: "IAM role 'StackStateAwsIntegrationRole' (r) could not be checked: assumeRolePolicy is not known until deployment. It is checked again after `pulumi up`.",
            enforcementLevel: "advisory",
            urn: undefined,
        }]);
        expect((await validateResource(trustPolicy, role("StackStateAwsIntegrationRole", "{oops"))).map((r) => r.message)).to.deep.equal([
            `IAM role 'StackStateAwsIntegrationRole' (r) must have a trust policy that is valid JSON. ${TRUST_FIX}`,
        ]);
        expect(await validateResource(trustPolicy, role("other", UNKNOWN))).to.deep.equal([]);
        expect((await validateResource(trustPolicy, role("StackStateAwsIntegrationRole", "null"))).map((r) => r.message)).to.deep.equal([
            `IAM role 'StackStateAwsIntegrationRole' (r) must have a trust policy that is valid JSON. ${TRUST_FIX}`,
        ]);
        expect(await validateResource(trustPolicy, role("other", "null"))).to.deep.equal([]);
    });
});

describe("stackstate-agent-disallow-any-account", () => {
    const accounts = { monitoredAccountIds: ["111122223333", "444455556666"] };
    const FIX = "Fix: set the statement's Resource to \"arn:aws:iam::111122223333:role/StackStateAwsIntegrationRole\", \"arn:aws:iam::444455556666:role/StackStateAwsIntegrationRole\".";
    const anyAccount = JSON.stringify(agentAssumeRolePolicy("aws"));
    const named = JSON.stringify(agentAssumeRolePolicy("aws", accounts.monitoredAccountIds));

    it("checks nothing while the monitored accounts are not configured", async () => {
        expect(await validateResource(agentPolicy, { type: "aws:iam/policy:Policy", name: "agent", props: { name: "agent", policy: anyAccount } })).to.deep.equal([]);
    });

    it("rejects sts:AssumeRole on the integration role in any account, in a Policy, RolePolicy or inline policy", async () => {
        const problem = "sts:AssumeRole must name the monitored accounts, not 'arn:aws:iam::*:role/StackStateAwsIntegrationRole'";
        const resources = [
            { type: "aws:iam/policy:Policy", name: "agent", props: { name: "agent-assume", policy: anyAccount }, subject: "IAM policy 'agent-assume' (agent)" },
            { type: "aws:iam/rolePolicy:RolePolicy", name: "agent-inline", props: { role: "x", policy: anyAccount }, subject: "IAM role policy 'agent-inline'" },
            { type: "aws:iam/role:Role", name: "host", props: { name: "host-role", inlinePolicies: [{ name: "assume", policy: anyAccount }] }, subject: "Inline policy 'assume' of IAM role 'host-role' (host)" },
        ];
        for (const { subject, ...resource } of resources) {
            expect(await validateResource(agentPolicy, resource, accounts)).to.deep.equal([{
                message: `${subject} must name the monitored accounts: ${problem}. ${FIX}`,
                enforcementLevel: "mandatory",
                urn: undefined,
            }]);
        }
    });

    it("passes named accounts, and ignores documents that do not grant the integration role", async () => {
        expect(await validateResource(agentPolicy, { type: "aws:iam/policy:Policy", name: "agent", props: { policy: named } }, accounts)).to.deep.equal([]);
        const unrelated = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Resource: "arn:aws:iam::*:role/deployer" }] });
        expect(await validateResource(agentPolicy, { type: "aws:iam/policy:Policy", name: "ci", props: { policy: unrelated } }, accounts)).to.deep.equal([]);
        expect(await validateResource(agentPolicy, { type: "aws:iam/policy:Policy", name: "later", props: { policy: UNKNOWN } }, accounts)).to.deep.equal([]);
    });

    it("finds grants that reach the integration role through paths and wildcards, and judges only those", async () => {
        const grant = (...resources: string[]) => JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Resource: resources }] });
        const judge = async (policy: string, config: Record<string, unknown> = accounts) =>
            (await validateResource(agentPolicy, { type: "aws:iam/policy:Policy", name: "p", props: { policy } }, config)).map((r) => r.message.split(": ")[1].split(". Fix")[0]);
        expect(await judge(grant("arn:aws:iam::*:role/integrations/StackStateAwsIntegrationRole"))).to.deep.equal([
            "sts:AssumeRole must name the monitored accounts, not 'arn:aws:iam::*:role/integrations/StackStateAwsIntegrationRole'",
        ]);
        expect(await judge(grant("arn:aws:iam::*:role/StackState*", "arn:aws:iam::*:role/deployer"))).to.deep.equal([
            "sts:AssumeRole must name the monitored accounts, not 'arn:aws:iam::*:role/StackState*'",
        ]);
        expect(await judge(grant("arn:aws:iam::11112222333?:role/StackStateAwsIntegrationRole"))).to.deep.equal([
            "sts:AssumeRole must name the monitored accounts, not 'arn:aws:iam::11112222333?:role/StackStateAwsIntegrationRole'",
        ]);
        expect(await judge(JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "sts:*", NotResource: "arn:aws:iam::*:role/admin" }] }))).to.deep.equal([
            "sts:AssumeRole must name the monitored accounts in Resource, not be allowed on everything outside NotResource",
        ]);
        // Named accounts, other roles, a bare "*" outside the Agent's role, and documents that are no objects pass.
        expect(await judge(grant("arn:aws:iam::111122223333:role/*", "arn:aws:iam::*:role/deployer", "*"))).to.deep.equal([]);
        expect(await judge("null")).to.deep.equal([]);
        expect(await judge(grant("arn:aws:iam::*:role/acme-stackstate"))).to.deep.equal([]);
        expect(await judge(grant("arn:aws:iam::*:role/acme-stackstate"), { ...accounts, roleName: "acme-stackstate" })).to.have.length(1);
    });

    it("judges the Agent role's RolePolicy too, by its configured name", async () => {
        const star = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Resource: "*" }] });
        const rolePolicy = (roleRef: string) => ({ type: "aws:iam/rolePolicy:RolePolicy", name: "assume", props: { role: roleRef, policy: star } });
        expect(await validateResource(agentPolicy, rolePolicy("StackStateAgentRole"), accounts)).to.have.length(1);
        expect(await validateResource(agentPolicy, rolePolicy("ci-runner"), accounts)).to.deep.equal([]);
        expect(await validateResource(agentPolicy, rolePolicy("ci-runner"), { ...accounts, agentRoleName: "ci-runner" })).to.have.length(1);
        // Its document unknown in a preview: said at advisory level (another policy's unknown document is not worth a word).
        expect(await validateResource(agentPolicy, { ...rolePolicy("StackStateAgentRole"), props: { role: "StackStateAgentRole", name: "assume", policy: UNKNOWN } }, accounts)).to.deep.equal([{
            message: "IAM role policy 'assume' could not be checked: its document is not known until deployment. It is checked again after `pulumi up`.",
            enforcementLevel: "advisory",
            urn: undefined,
        }]);
        expect(await validateResource(agentPolicy, { ...rolePolicy("ci-runner"), props: { role: "ci-runner", policy: UNKNOWN } }, accounts)).to.deep.equal([]);
    });

    it("judges every document of the Agent's own role, even sts:AssumeRole on *", async () => {
        const star = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Resource: "*" }] });
        expect((await validateResource(agentPolicy, { type: "aws:iam/role:Role", name: "agent", props: { name: "StackStateAgentRole", inlinePolicies: [{ name: "assume", policy: star }] } }, accounts))
            .map((r) => r.message)).to.deep.equal([
            `Inline policy 'assume' of IAM role 'StackStateAgentRole' (agent) must name the monitored accounts: sts:AssumeRole must name the monitored accounts, not '*'. ${FIX}`,
        ]);
    });
});

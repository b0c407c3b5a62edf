/**
 * The AssumeRole probes and the trust-policy check, against STS and IAM answered by
 * aws-sdk-client-mock: moto does not enforce the ExternalId as AWS does (see test/helpers/aws-fakes.ts),
 * so refusals can only be proven here.
 */
import { expect } from "chai";
import { AssumeRoleCommand, GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { GetRoleCommand } from "@aws-sdk/client-iam";
import { mockClient } from "aws-sdk-client-mock";
import { integrationTrustPolicy, PolicyDocument } from "../../../model";
import { VerifyContext } from "../../../cli/verify/context";
import { parseVerifyFlags } from "../../../cli/verify/options";
import { assumeRoleProbes, checkTrustPolicy, PROBE_SESSION_NAME } from "../../../cli/verify/trust-checks";
import { trustNamesCaller } from "../../../cli/verify/trusted-principal";
import { accessDenied } from "../../helpers/aws-fakes";
import { offlineClients } from "../../helpers/offline-clients";

const ACCOUNT = "111122223333";
const AGENT_ACCOUNT = "444455556666";
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/StackStateAwsIntegrationRole`;
const EXTERNAL_ID = "trust-test-external-id-abcdef0123";
const CALLER = `arn:aws:sts::${ACCOUNT}:assumed-role/Admin/alice`;
const AGENT = `arn:aws:sts::${AGENT_ACCOUNT}:assumed-role/StackStateAgentRole/i-0123`;

const input = (flags: Record<string, string> = {}) =>
    parseVerifyFlags({ roleArn: ROLE_ARN, externalId: EXTERNAL_ID, regions: "eu-west-1", ...flags });

function setUp(trust: PolicyDocument, admits: (externalId: string | undefined) => boolean, options: { agent?: boolean } = {}) {
    const caller = offlineClients();
    const agent = options.agent ? offlineClients() : undefined;
    const iam = mockClient(caller("eu-west-1").iam);
    iam.on(GetRoleCommand).resolves({
        Role: { RoleName: "StackStateAwsIntegrationRole", Arn: ROLE_ARN, Path: "/", RoleId: "AROA1", CreateDate: new Date(),
            AssumeRolePolicyDocument: encodeURIComponent(JSON.stringify(trust)) },
    });
    const callerSts = mockClient(caller("eu-west-1").sts);
    callerSts.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT, Arn: CALLER, UserId: "AROA:alice" });
    const probeSts = agent ? mockClient(agent("eu-west-1").sts) : callerSts;
    if (agent) probeSts.on(GetCallerIdentityCommand).resolves({ Account: AGENT_ACCOUNT, Arn: AGENT, UserId: "AROA:i-0123" });
    probeSts.on(AssumeRoleCommand).callsFake((call) => {
        if (!admits(call.ExternalId)) throw accessDenied(`User: ${agent ? AGENT : CALLER} is not authorized to perform: sts:AssumeRole on resource: ${ROLE_ARN}`);
        return { Credentials: { AccessKeyId: "ASIA", SecretAccessKey: "s", SessionToken: "t", Expiration: new Date() } };
    });
    const ctx = new VerifyContext(input(agent ? { agentProfile: "agent" } : {}), { clients: caller, agentClients: agent });
    return { ctx, callerSts, probeSts, destroy: () => { caller.destroy(); agent?.destroy(); } };
}

const trustOf = (accountId: string) => integrationTrustPolicy({ partition: "aws", agentAccountId: accountId, externalId: EXTERNAL_ID });
const statusesOf = (results: { id: string; status: string }[]) => results.map((r) => [r.id, r.status]);

describe("verify: AssumeRole probes (aws-sdk-client-mock)", () => {
    it("passes all three when only the right ExternalId is admitted, probing with, without and with a wrong one", async () => {
        const { ctx, probeSts, destroy } = setUp(trustOf(ACCOUNT), (id) => id === EXTERNAL_ID);
        const results = await assumeRoleProbes(ctx);
        expect(results).to.deep.equal([
            { id: "assume-role-with-external-id", region: "global", status: "pass", message: `${CALLER} can assume the role with the ExternalId` },
            { id: "assume-role-without-external-id", region: "global", status: "pass", message: "AssumeRole without an ExternalId is refused" },
            { id: "assume-role-with-wrong-external-id", region: "global", status: "pass", message: "AssumeRole with a wrong ExternalId is refused" },
        ]);
        const calls = probeSts.commandCalls(AssumeRoleCommand).map((c) => c.args[0].input);
        expect(calls).to.have.length(3);
        expect(calls[0]).to.deep.equal({ RoleArn: ROLE_ARN, RoleSessionName: PROBE_SESSION_NAME, DurationSeconds: 900, ExternalId: EXTERNAL_ID });
        expect(calls.slice(1).map((c) => "ExternalId" in c)).to.have.members([false, true]);
        const wrong = calls.find((c) => c.ExternalId !== undefined && c.ExternalId !== EXTERNAL_ID);
        expect(wrong?.ExternalId).to.match(/^stackstate-verify-[0-9a-f]{32}$/);
        destroy();
    });

    it("fails the security probes of a role that admits callers without an ExternalId or with any", async () => {
        const { ctx, destroy } = setUp(trustOf(ACCOUNT), () => true);
        const results = await assumeRoleProbes(ctx);
        expect(results.slice(1)).to.deep.equal([
            { id: "assume-role-without-external-id", region: "global", status: "fail",
                message: `SECURITY: AssumeRole without an ExternalId succeeds for ${CALLER}: any principal the trust policy names can assume the role without knowing the ExternalId, and the Agent refuses to run while this succeeds; require sts:ExternalId with StringEquals` },
            { id: "assume-role-with-wrong-external-id", region: "global", status: "fail",
                message: `SECURITY: AssumeRole with a wrong ExternalId succeeds for ${CALLER}: the trust policy accepts ExternalIds other than the one given; require sts:ExternalId with StringEquals` },
        ]);
        destroy();
    });

    it("fails only the wrong-ExternalId probe when any ExternalId is admitted but none is refused (StringLike '*')", async () => {
        const { ctx, destroy } = setUp(trustOf(ACCOUNT), (id) => id !== undefined);
        expect(statusesOf(await assumeRoleProbes(ctx))).to.deep.equal([
            ["assume-role-with-external-id", "pass"], ["assume-role-without-external-id", "pass"], ["assume-role-with-wrong-external-id", "fail"],
        ]);
        destroy();
    });

    it("fails when the right ExternalId is refused for a principal the trust names, and then does not probe refusals", async () => {
        const { ctx, probeSts, destroy } = setUp(trustOf(ACCOUNT), () => false);
        const results = await assumeRoleProbes(ctx);
        expect(results[0]).to.deep.equal({
            id: "assume-role-with-external-id", region: "global", status: "fail",
            message: `AssumeRole with the ExternalId was refused for ${CALLER}, which the trust policy names (AccessDenied: User: ${CALLER} is not authorized to perform: sts:AssumeRole on resource: ${ROLE_ARN}): check the ExternalId, and that ${CALLER} may call sts:AssumeRole on ${ROLE_ARN}`,
        });
        expect(statusesOf(results.slice(1))).to.deep.equal([["assume-role-without-external-id", "skip"], ["assume-role-with-wrong-external-id", "skip"]]);
        expect(probeSts.commandCalls(AssumeRoleCommand)).to.have.length(1);
        destroy();
    });

    it("skips all probes, calling nothing, when the trust policy does not name the caller", async () => {
        const { ctx, probeSts, destroy } = setUp(trustOf(AGENT_ACCOUNT), () => true);
        const results = await assumeRoleProbes(ctx);
        expect(results.map((r) => r.status)).to.deep.equal(["skip", "skip", "skip"]);
        expect(results[0].message).to.equal(`not probed: the trust policy does not name ${CALLER}, so AssumeRole would be refused whatever the ExternalId; rerun with --agent-profile naming credentials of a principal the trust policy names (the Agent's)`);
        expect(probeSts.commandCalls(AssumeRoleCommand)).to.have.length(0);
        destroy();
    });

    it("probes with the --agent-profile credentials when given, not the caller's", async () => {
        const { ctx, callerSts, probeSts, destroy } = setUp(trustOf(AGENT_ACCOUNT), (id) => id === EXTERNAL_ID, { agent: true });
        expect(statusesOf(await assumeRoleProbes(ctx))).to.deep.equal([
            ["assume-role-with-external-id", "pass"], ["assume-role-without-external-id", "pass"], ["assume-role-with-wrong-external-id", "pass"],
        ]);
        expect(probeSts.commandCalls(AssumeRoleCommand)).to.have.length(3);
        expect(callerSts.commandCalls(AssumeRoleCommand)).to.have.length(0);
        destroy();
    });

    it("reports a probe it could not make as error, not as a refusal", async () => {
        const { ctx, probeSts, destroy } = setUp(trustOf(ACCOUNT), () => true);
        probeSts.on(AssumeRoleCommand).rejects(Object.assign(new Error("getaddrinfo ENOTFOUND sts.amazonaws.com"), { code: "ENOTFOUND" }));
        const results = await assumeRoleProbes(ctx);
        expect(results[0]).to.deep.equal({ id: "assume-role-with-external-id", region: "global", status: "error",
            message: "could not call sts:AssumeRole: cannot reach the AWS endpoint (getaddrinfo ENOTFOUND sts.amazonaws.com)" });
        expect(results.slice(1).map((r) => r.status)).to.deep.equal(["skip", "skip"]);
        destroy();
    });
});

describe("verify: trust policy", () => {
    it("passes the model's trust and decodes IAM's URL-encoded document", async () => {
        const { ctx, destroy } = setUp(trustOf(AGENT_ACCOUNT), () => false);
        expect(await checkTrustPolicy(ctx)).to.deep.equal({ status: "pass", message: "the trust policy requires the ExternalId with StringEquals" });
        destroy();
    });

    it("fails a trust that takes any ExternalId, and one that does not accept the given ExternalId", async () => {
        const lax: PolicyDocument = { Version: "2012-10-17", Statement: [{ Sid: "Agent", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${AGENT_ACCOUNT}:root` }, Action: "sts:AssumeRole", Condition: { StringLike: { "sts:ExternalId": "*" } } }] };
        const { ctx, destroy } = setUp(lax, () => false);
        expect(await checkTrustPolicy(ctx)).to.deep.equal({ status: "fail",
            message: "the trust policy of StackStateAwsIntegrationRole: statement 'Agent' must use StringEquals on sts:ExternalId, not StringLike with a wildcard (it admits any ExternalId); no statement accepts the ExternalId given with --external-id" });
        destroy();
    });
});

describe("trustNamesCaller", () => {
    const doc = (aws: string | string[]): PolicyDocument => ({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: aws }, Action: "sts:AssumeRole" }] });
    const cases: [string, PolicyDocument, string, boolean][] = [
        ["the caller's account root", doc(`arn:aws:iam::${ACCOUNT}:root`), CALLER, true],
        ["the caller's bare account id", doc(ACCOUNT), CALLER, true],
        ["the session's role, with a path", doc(`arn:aws:iam::${ACCOUNT}:role/team/Admin`), CALLER, true],
        ["another role of the same account", doc(`arn:aws:iam::${ACCOUNT}:role/Reader`), CALLER, false],
        ["another account", doc(`arn:aws:iam::${AGENT_ACCOUNT}:root`), CALLER, false],
        ["the IAM user itself", doc(`arn:aws:iam::${ACCOUNT}:user/ops/bob`), `arn:aws:iam::${ACCOUNT}:user/ops/bob`, true],
        ["a different user", doc(`arn:aws:iam::${ACCOUNT}:user/carol`), `arn:aws:iam::${ACCOUNT}:user/ops/bob`, false],
        ["everyone", doc("*"), CALLER, true],
    ];
    for (const [what, trust, caller, expected] of cases) {
        it(`${expected ? "names" : "does not name"} the caller when it trusts ${what}`, () => {
            expect(trustNamesCaller(trust, caller)).to.equal(expected);
        });
    }

    it("ignores Deny statements and statements for other actions", () => {
        const trust: PolicyDocument = { Version: "2012-10-17", Statement: [
            { Effect: "Deny", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "sts:AssumeRole" },
            { Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "sts:TagSession" },
        ] };
        expect(trustNamesCaller(trust, CALLER)).to.equal(false);
    });
});

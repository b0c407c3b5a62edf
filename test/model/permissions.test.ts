/**
 * The integration role's two permission sets: `minimal` is exactly what the Agent's check calls
 * (model/aws-topology-check.ts), `published` covers it, and both let S3 (only S3, only in the
 * main region) decrypt the logs key. Proven on the model's documents with the offline IAM
 * evaluator, through the program under plan's mock engine, and through the policy pack.
 */
import { expect } from "chai";
import { readFileSync } from "fs";
import * as path from "path";
import {
    AGENT_APIS, AGENT_CALLS, agentCallActions, evaluateActions, readPermissions, readStatements, requiredActionsFor,
    requiredBucketActionsFor, REQUIRED_ACTIONS, s3ViaService,
} from "../../model";
import { planStack } from "../../offline/plan-engine";
import { analyzeStack } from "../../offline/policy-pack";
import { Registration, unwrapSecrets } from "../../offline/mock-engine";
import { makeRequiredActionsPolicy, REQUIRED_ACTIONS_POLICY } from "../../policies/stackstate-role-required-actions";
import { stackResource, validateStack } from "../helpers/policy-args";
import { testEngine } from "../helpers/engine";
import { unknownActions } from "../helpers/iam-catalog";

const ACCOUNT = "111122223333";
const BUCKET = `arn:aws:s3:::stackstate-logs-${ACCOUNT}`;
const doc = (statements: unknown[]) => ({ Version: "2012-10-17" as const, Statement: statements as never[] });
const principalOf = (statements: unknown[], boundary?: unknown[]) => ({
    identity: [{ name: "read", document: doc(statements) }],
    ...(boundary ? { boundary: { name: "boundary", document: doc(boundary) } } : {}),
});
const viaS3 = (region: string) => ({ requestContext: { "aws:securetransport": "true", "kms:viaservice": s3ViaService(region) } });

describe("the integration role's permission sets", () => {
    it("minimal grants exactly the check's calls, by where they apply, each an action in AWS's catalogue", async () => {
        const minimal = readPermissions("read", "minimal");
        const byScope = (scope: string) => [...new Set(minimal.filter((p) => p.scope === scope).flatMap((p) => p.actions))].sort();
        expect(byScope("any")).to.deep.equal(agentCallActions("any").sort());
        expect(byScope("logsBucket")).to.deep.equal(["s3:DeleteObject", "s3:GetBucketVersioning", "s3:GetObject", "s3:ListBucket"]);
        expect(byScope("logsKey")).to.deep.equal(["kms:Decrypt"]);
        expect(byScope("selfStack")).to.deep.equal([]);
        const statements = readStatements({ partition: "aws", accountId: ACCOUNT, mainRegion: "eu-west-1", permissions: "minimal" });
        expect(await unknownActions(doc(statements))).to.deep.equal([]);
        // What the published list grants and the check never calls, the account-wide IAM read first among them.
        const granted = new Set(statements.flatMap((s) => s.Action as string[]).map((a) => a.toLowerCase()));
        expect(granted.has("iam:getaccountauthorizationdetails")).to.equal(false);
        expect(requiredActionsFor("minimal").length).to.be.lessThan(REQUIRED_ACTIONS.length / 2 + 10);
        // Every API of the check's registry has its calls listed.
        expect([...new Set(AGENT_CALLS.map((c) => c.source))].filter((s) => AGENT_APIS.includes(s)).sort()).to.deep.equal([...AGENT_APIS].sort());
    });

    it("published covers everything minimal grants, on the same resources", () => {
        const published = principalOf(readStatements({ partition: "aws", accountId: ACCOUNT, mainRegion: "eu-west-1" }));
        const notAllowed = (actions: readonly string[], options = {}) =>
            evaluateActions(published, actions, { requestContext: { "aws:securetransport": "true" }, ...options }).filter((d) => d.status !== "allowed");
        expect(notAllowed(requiredActionsFor("minimal"))).to.deep.equal([]);
        expect(notAllowed(requiredBucketActionsFor("minimal").filter((a) => a !== "s3:GetObject" && a !== "s3:DeleteObject"), { resource: BUCKET })).to.deep.equal([]);
        expect(notAllowed(["s3:GetObject", "s3:DeleteObject"], { resource: `${BUCKET}/AWSLogs/${ACCOUNT}/EventBridge/eu-west-1/x` })).to.deep.equal([]);
        expect(evaluateActions(published, ["kms:Decrypt"], viaS3("eu-west-1"))[0].status).to.equal("allowed");
    });

    it("lets only S3 of the main region decrypt, in either set", () => {
        for (const permissions of ["published", "minimal"] as const) {
            const statements = readStatements({ partition: "aws-us-gov", accountId: ACCOUNT, mainRegion: "us-gov-west-1", permissions });
            expect(statements.filter((s) => (s.Action as string[]).includes("kms:Decrypt"))).to.deep.equal([{
                Sid: "LogsKeyDecrypt", Effect: "Allow", Action: ["kms:Decrypt"], Resource: "*",
                Condition: { StringEquals: { "kms:ViaService": "s3.us-gov-west-1.amazonaws.com" } },
            }]);
            const role = principalOf(statements);
            expect(evaluateActions(role, ["kms:Decrypt"], viaS3("us-gov-west-1"))[0].status, permissions).to.equal("allowed");
            expect(evaluateActions(role, ["kms:Decrypt"], viaS3("us-gov-east-1"))[0].status, permissions).to.equal("missing");
            expect(evaluateActions(role, ["kms:Decrypt"])[0].status, `${permissions}, called directly`).to.equal("missing");
        }
    });
});

describe("permissions: minimal through the program and the policy pack", () => {
    after(() => testEngine().install());
    const NS = "stackstate-aws:";
    const config = { [`${NS}regions`]: ["eu-west-1", "us-east-1"], [`${NS}agentAccountId`]: "210987654321", [`${NS}accountId`]: ACCOUNT, [`${NS}permissions`]: "minimal" };
    let resources: Registration[];

    before(async () => {
        const result = await planStack({ stackName: "minimal", config });
        if (!result.ok) throw new Error(JSON.stringify(result.configProblems));
        resources = result.resources;
    });

    const inputs = (r: Registration) => unwrapSecrets(r.inputs, true) as Record<string, any>;
    const outputs = (r: Registration) => unwrapSecrets(r.outputs, true) as Record<string, any>;
    /** The resources as a stack policy sees them after deployment (outputs: ARNs known). */
    const policyResources = () => resources.filter((r) => r.custom).map((r) => stackResource(r.type, r.name, outputs(r)));

    it("grants the minimal statements and tags the role, so the pack requires that set", () => {
        const role = resources.find((r) => r.type === "aws:iam/role:Role" && inputs(r).name === "StackStateAwsIntegrationRole")!;
        expect(inputs(role).tags).to.deep.include({ "stackstate-aws:permissions": "minimal", "managed-by": "stackstate-aws" });
        const policies = resources.filter((r) => r.type === "aws:iam/policy:Policy" && String(inputs(r).name).startsWith("StackStateAwsIntegration"));
        expect(policies.map((p) => JSON.parse(inputs(p).policy).Statement)).to.deep.equal([
            readStatements({ partition: "aws", accountId: ACCOUNT, mainRegion: "eu-west-1", permissions: "minimal" }),
        ]);
    });

    it("passes the pack over gRPC as the Pulumi CLI runs it, and fails it when the published set is required", async function () {
        this.timeout(120000);
        const violations = await analyzeStack(resources, { stackConfig: { [`${NS}permissions`]: "minimal" } });
        expect(violations.filter((v) => v.policy === REQUIRED_ACTIONS_POLICY)).to.deep.equal([]);

        const policy = makeRequiredActionsPolicy({ read: async (arn) => ({ name: arn, unknown: "not read in this test" }) });
        expect(await validateStack(policy, policyResources())).to.deep.equal([]);
        const [strict] = await validateStack(policy, policyResources(), { permissions: "published" });
        const missing = strict.message.split("\n").filter((l) => l.startsWith("- ")).map((l) => l.slice(2).split(":").slice(0, 2).join(":"));
        expect(missing).to.include("iam:GetAccountAuthorizationDetails").and.to.include("ec2:DescribeIdFormat");
        // Exactly the published actions the minimal set does not grant on "*": patterns such as autoscaling:Describe* included.
        expect(missing).to.deep.equal(REQUIRED_ACTIONS.filter((a) => !requiredActionsFor("minimal").includes(a)));
    });

    it("reports kms:Decrypt when a boundary withholds it, and names what it costs", async () => {
        const boundary = stackResource("aws:iam/policy:Policy", "boundary", {
            name: "boundary", arn: `arn:aws:iam::${ACCOUNT}:policy/boundary`,
            policy: JSON.stringify(doc([{ Effect: "Allow", NotAction: "kms:*", Resource: "*" }])),
        });
        const withBoundary = policyResources().map((r) => (r.type === "aws:iam/role:Role" && r.props.name === "StackStateAwsIntegrationRole"
            ? stackResource(r.type, r.name, { ...outputs(resources.find((x) => x.name === r.name && x.type === r.type)!), permissionsBoundary: `arn:aws:iam::${ACCOUNT}:policy/boundary` })
            : r));
        const policy = makeRequiredActionsPolicy({ read: async (arn) => ({ name: arn, unknown: "not read in this test" }) });
        const [report] = await validateStack(policy, [...withBoundary, boundary]);
        expect(report.message.split("\n").filter((l) => l.startsWith("- "))).to.deep.equal([
            "- kms:Decrypt: the permissions boundary policy 'boundary' does not allow it (for S3's reads of the logs bucket's objects); the Agent cannot read the SSE-KMS event and flow-log objects: every read fails, with no fallback.",
        ]);
    });
});

describe("docs/aws-topology-check.md", () => {
    it("lists every call of the minimal set with the action it needs, as the model does", () => {
        const text = readFileSync(path.join(__dirname, "..", "..", "docs", "aws-topology-check.md"), "utf8");
        const rows = text.split("\n").filter((l) => /^\| `[a-z0-9-]+:[A-Za-z]+` \|/.test(l));
        const expected = new Map<string, string[]>();
        for (const call of AGENT_CALLS) {
            const key = `| \`${call.action}\` | ${call.scope} |`;
            expected.set(key, [...(expected.get(key) ?? []), `${call.source}: \`${call.call}\``]);
        }
        expect(rows).to.deep.equal([...expected].map(([key, calls]) => `${key} ${calls.join("; ")} |`));
    });
});

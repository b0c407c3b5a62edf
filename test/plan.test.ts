/**
 * The monitored-account program (index.ts) run by `plan`'s engine with stack configs other than
 * the example's. In-process for speed; test/cli/plan-cli.test.ts runs the real command.
 */
import { expect } from "chai";
import { planStack, PlanInput, SECRET_PLACEHOLDER } from "../offline/plan-engine";
import { Registration, unwrapSecrets } from "../offline/mock-engine";
import { REGIONS_BY_PARTITION } from "../model";
import { testEngine } from "./helpers/engine";

const NS = "stackstate-aws:";

async function plan(config: Record<string, unknown>, extra: Partial<PlanInput> = {}) {
    const result = await planStack({ stackName: "test", config, ...extra });
    if (!result.ok) throw new Error(`config refused: ${JSON.stringify(result.configProblems)}`);
    return result;
}

const inputs = (r: Registration) => unwrapSecrets(r.inputs, true) as Record<string, any>;

describe("the program under plan's engine", () => {
    // planStack installs its own engine; the component tests need theirs back.
    after(() => testEngine().install());

    it("places global resources in the main region and a pipeline in every region, for every commercial region at once", async () => {
        const regions = REGIONS_BY_PARTITION.aws;
        const { resources, world } = await plan({
            [`${NS}regions`]: regions, [`${NS}mainRegion`]: regions[5], [`${NS}agentAccountId`]: "210987654321",
        });
        const ofType = (type: string) => resources.filter((r) => r.type === type);
        expect(ofType("aws:iam/role:Role").filter((r) => r.inputs.name === "StackStateAwsIntegrationRole").map((r) => r.region)).to.deep.equal([regions[5]]);
        expect(ofType("aws:s3/bucket:Bucket").map((r) => [r.region, r.inputs.bucket])).to.deep.equal([[regions[5], `stackstate-logs-${world.accountId}`]]);
        const streams = ofType("aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream");
        expect(streams.map((s) => s.region).sort()).to.deep.equal([...regions].sort());
        for (const s of streams) {
            expect(inputs(s).extendedS3Configuration.prefix).to.equal(`AWSLogs/${world.accountId}/EventBridge/${s.region}/`);
        }
        // The integration and its RandomPassword; per region: a provider, RegionKey (3) and EventPipeline (8);
        // IntegrationRole (4) and LogsBucket (8).
        expect(resources).to.have.length(2 + regions.length * 12 + 4 + 8);
        const urns = resources.map((r) => r.urn);
        expect(new Set(urns).size).to.equal(urns.length);
    });

    it("builds ARNs in the GovCloud partition for GovCloud regions", async () => {
        const { resources } = await plan({
            [`${NS}regions`]: ["us-gov-west-1", "us-gov-east-1"],
            [`${NS}agentRoleArns`]: ["arn:aws-us-gov:iam::210987654321:role/Agent"],
            [`${NS}accountId`]: "444455556666",
        });
        const bucketPolicy = resources.find((r) => r.type === "aws:s3/bucketPolicy:BucketPolicy")!;
        expect(JSON.parse(inputs(bucketPolicy).policy).Statement[0].Resource).to.deep.equal([
            "arn:aws-us-gov:s3:::stackstate-logs-444455556666", "arn:aws-us-gov:s3:::stackstate-logs-444455556666/*",
        ]);
        const role = resources.find((r) => r.inputs.name === "StackStateAwsIntegrationRole")!;
        expect(role.outputs.arn).to.equal("arn:aws-us-gov:iam::444455556666:role/StackStateAwsIntegrationRole");
        expect(role.region).to.equal("us-gov-west-1");
    });

    it("runs with an encrypted ExternalId, which it cannot read offline, and keeps it secret", async () => {
        const { resources } = await plan(
            { [`${NS}regions`]: ["eu-west-1"], [`${NS}agentAccountId`]: "210987654321", [`${NS}externalId`]: { secure: "AAABAJ..." } },
            { encryptedKeys: [`${NS}externalId`] },
        );
        const role = resources.find((r) => r.inputs.name === "StackStateAwsIntegrationRole")!;
        expect(JSON.parse(inputs(role).assumeRolePolicy).Statement[0].Condition.StringEquals["sts:ExternalId"]).to.equal(SECRET_PLACEHOLDER);
        expect(resources.filter((r) => r.type === "random:index/randomPassword:RandomPassword")).to.deep.equal([]);
        expect(unwrapSecrets(role.inputs, false)).to.deep.include({ assumeRolePolicy: "[secret]" });
    });

    it("discovers VPCs where flowLogs is all, with the region's provider", async () => {
        const { resources } = await plan(
            { [`${NS}regions`]: ["eu-west-1", "us-east-1"], [`${NS}agentAccountId`]: "210987654321", [`${NS}flowLogs`]: { "us-east-1": "all" } },
            { vpcs: { "us-east-1": ["vpc-0aaa1111", "vpc-0bbb2222"], "eu-west-1": ["vpc-0ccc3333"] } },
        );
        const flowLogs = resources.filter((r) => r.type === "aws:ec2/flowLog:FlowLog");
        expect(flowLogs.map((f) => [f.region, f.inputs.vpcId])).to.deep.equal([["us-east-1", "vpc-0aaa1111"], ["us-east-1", "vpc-0bbb2222"]]);
    });

    it("refuses a bad config before running the program, naming every bad key", async () => {
        const result = await planStack({
            stackName: "test",
            config: { [`${NS}regions`]: ["eu-west-1", "nowhere-1"], [`${NS}mainRegion`]: "us-east-1", [`${NS}tags`]: "team" },
        });
        expect(result.ok).to.equal(false);
        if (result.ok) return;
        // The missing principal (a rule between keys) is reported with the schema's problems, not after them.
        expect(result.configProblems.map((p) => p.key).sort()).to.deep.equal([`${NS}agentRoleArns`, `${NS}regions`, `${NS}tags`]);
    });

    it("accepts only the regions it knows, refusing each other one by the regions key", async () => {
        // Every known region is accepted by the tests above (all commercial regions at once, both GovCloud ones).
        // A near miss, another case, a China region (left out on purpose) and one the SDK knows but the list does not yet:
        for (const region of ["eu-wset-1", "EU-WEST-1", "cn-north-1", "me-west-1"]) {
            const result = await planStack({ stackName: "test", config: { [`${NS}regions`]: ["eu-west-1", region], [`${NS}agentAccountId`]: "210987654321" } });
            expect(result.ok, region).to.equal(false);
            if (result.ok) return;
            expect(result.configProblems.map((p) => p.key), region).to.deep.equal([`${NS}regions`]);
        }
    });
});

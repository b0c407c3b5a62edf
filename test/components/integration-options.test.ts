/** StackStateAwsIntegration's options (ExternalId, principals, IAM path, deploy role, adopted names) and the arguments it refuses. */
import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { FlowLogs, IntegrationRole, StackStateAwsIntegration } from "../../components";
import { valueOf } from "../../offline/mock-engine";
import { PolicyDocument } from "../../model";
import { testEngine, uniqueName } from "../helpers/engine";
import { TEST_WORLD } from "../helpers/world";
import { ACCOUNT, AGENT_ROLE, ALIAS, BUCKET, deploy, EXTERNAL_ID, FLOW_LOG, PROVIDER, ROLE, RULE, settled, STREAM, TARGET } from "../helpers/deployed-integration";

describe("StackStateAwsIntegration options", () => {
    it("generates a 48-character ExternalId when none is given, uses it in the trust and exports it as a secret", async () => {
        const d = await deploy({ externalId: undefined });
        const generator = d.one("random:index/randomPassword:RandomPassword");
        expect(d.inputs(generator)).to.deep.include({ length: 48, special: false });
        const externalId = await valueOf(d.integration.externalId);
        expect(externalId).to.match(/^[A-Za-z0-9]{48}$/);
        expect(await (d.integration.externalId as any).isSecret).to.equal(true);
        const trust = JSON.parse(d.inputs(d.one(ROLE, (r) => r.inputs.name === "StackStateAwsIntegrationRole")).assumeRolePolicy);
        expect(trust.Statement[0].Condition).to.deep.equal({ StringEquals: { "sts:ExternalId": externalId } });
    });

    it("defaults the main region to the first region and trusts an account root when only agentAccountId is given", async () => {
        const d = await deploy({ regions: ["eu-central-1"], mainRegion: undefined, agentRoleArns: undefined, agentAccountId: "210987654321", flowLogs: undefined });
        expect(d.integration.mainRegion).to.equal("eu-central-1");
        expect(d.one(BUCKET).region).to.equal("eu-central-1");
        const trust = JSON.parse(d.inputs(d.one(ROLE, (r) => r.inputs.name === "StackStateAwsIntegrationRole")).assumeRolePolicy);
        expect(trust.Statement[0].Principal).to.deep.equal({ AWS: "arn:aws:iam::210987654321:root" });
        expect(d.ofType(STREAM)).to.have.length(1);
        expect(d.ofType(FLOW_LOG)).to.have.length(0);
    });

    it("grants API Gateway's published verbs only when asked", async () => {
        const d = await deploy({ apiGatewayAccess: "published", regions: ["us-east-1"], flowLogs: undefined });
        const policy = JSON.parse(d.inputs(d.one("aws:iam/policy:Policy")).policy) as PolicyDocument;
        expect(policy.Statement.find((s) => s.Sid === "ApiGatewayAccess")?.Action).to.deep.equal([
            "apigateway:GET", "apigateway:DELETE", "apigateway:PUT", "apigateway:HEAD", "apigateway:PATCH", "apigateway:POST", "apigateway:OPTIONS",
        ]);
    });

    it("puts roles and policies under the IAM path and leaves roles without a boundary when none is set", async () => {
        const d = await deploy({ rolePath: "/stackstate/", permissionsBoundaryArn: undefined, regions: ["us-east-1"], flowLogs: undefined });
        for (const r of [...d.ofType(ROLE), ...d.ofType("aws:iam/policy:Policy")]) {
            expect(d.inputs(r).path, r.name).to.equal("/stackstate/");
        }
        for (const r of d.ofType(ROLE)) expect(d.inputs(r), r.name).not.to.have.property("permissionsBoundary");
        expect(await valueOf(d.integration.roleArn)).to.equal(`arn:aws:iam::${ACCOUNT}:role/stackstate/StackStateAwsIntegrationRole`);
    });

    it("deploys through a role in the monitored account when deployRoleArn is set", async () => {
        const deployRoleArn = `arn:aws:iam::${ACCOUNT}:role/PulumiDeploy`;
        const d = await deploy({ deployRoleArn, regions: ["us-east-1", "eu-west-1"], flowLogs: undefined });
        for (const provider of d.all.filter((r) => r.type === PROVIDER)) {
            expect(JSON.parse(d.inputs(provider).assumeRoles)).to.deep.equal([{ roleArn: deployRoleArn, sessionName: "stackstate-aws-deploy" }]);
        }
    });

    it("names adopted resources with the names given, per region, and every other one with its own", async () => {
        const regions = ["us-east-1", "eu-west-1"];
        const adopted = {
            eventRule: "stackstate-resources-StsEventBridgeRule-1A2B3C", eventTarget: "StsFirehoseTarget",
            firehoseStream: "stackstate-resources-StsFirehose-9Z8Y", firehoseRole: "stackstate-resources-StsFirehoseRole-X1",
            firehosePolicy: "StackStateFirehosePolicy", eventBridgeRole: "sts-eb-role", eventBridgePolicy: "StackStateEventBridgePolicy",
            kmsAlias: "alias/stackstate-resources-key",
        };
        const d = await deploy({
            regions, flowLogs: undefined,
            names: { integrationRole: "AdoptedIntegrationRole", integrationPolicy: "stackstate-resources-StsIntegrationPolicy-ABC", regions: { "eu-west-1": adopted } },
        });
        const inRegion = (type: string, region: string) => d.ofType(type).filter((r) => r.region === region).map((r) => d.inputs(r));
        const eu = "eu-west-1";
        expect(inRegion(RULE, eu).map((r) => r.name)).to.deep.equal([adopted.eventRule]);
        expect(inRegion(TARGET, eu).map((t) => t.targetId)).to.deep.equal([adopted.eventTarget]);
        expect(inRegion(STREAM, eu).map((s) => s.name)).to.deep.equal([adopted.firehoseStream]);
        expect(inRegion(ALIAS, eu).map((a) => a.name)).to.deep.equal([adopted.kmsAlias]);
        expect(inRegion(ROLE, eu).map((r) => r.name).sort()).to.deep.equal([adopted.eventBridgeRole, adopted.firehoseRole].sort());
        const euPolicies = inRegion("aws:iam/rolePolicy:RolePolicy", eu);
        expect(euPolicies.map((p) => p.name).sort()).to.deep.equal([adopted.eventBridgePolicy, adopted.firehosePolicy].sort());
        // EventBridge's role may put into the renamed stream, and only into it.
        const putPolicy = euPolicies.find((p) => p.name === adopted.eventBridgePolicy);
        expect(JSON.parse(putPolicy?.policy).Statement[0].Resource).to.equal(`arn:aws:firehose:${eu}:${ACCOUNT}:deliverystream/${adopted.firehoseStream}`);

        // The other region and the account's resources: this package's names, or the ones given.
        const us = "us-east-1";
        expect(inRegion(RULE, us).map((r) => r.name)).to.deep.equal(["stackstate-eventbridge-rule"]);
        expect(inRegion(TARGET, us).map((t) => t.targetId)).to.deep.equal(["stackstate-firehose"]);
        expect(inRegion(STREAM, us).map((s) => s.name)).to.deep.equal(["stackstate-eventbridge-stream"]);
        expect(inRegion(ALIAS, us).map((a) => a.name)).to.deep.equal(["alias/stackstate-integration"]);
        expect(inRegion(ROLE, us).map((r) => r.name).sort()).to.deep.equal(["AdoptedIntegrationRole", "StackStateEventBridgeRole-us-east-1", "StackStateFirehoseRole-us-east-1"]);
        expect(inRegion("aws:iam/policy:Policy", us).map((p) => p.name)).to.deep.equal(["stackstate-resources-StsIntegrationPolicy-ABC"]);
        expect(await valueOf(d.integration.roleArn)).to.equal(`arn:aws:iam::${ACCOUNT}:role/AdoptedIntegrationRole`);
    });

    it("stops when the credentials belong to another account than the stack's", async () => {
        const integration = new StackStateAwsIntegration(uniqueName("sts"), {
            regions: ["us-east-1"], agentRoleArns: [AGENT_ROLE], externalId: EXTERNAL_ID, accountId: "999988887777",
        });
        let error: unknown;
        await settled(integration.accountId).catch((e) => { error = e; });
        expect(String(error)).to.include("This stack is for account 999988887777, but the credentials are for account 111122223333.");
    });

    it("refuses a short ExternalId without echoing it", async () => {
        const integration = new StackStateAwsIntegration(uniqueName("sts"), {
            regions: ["us-east-1"], agentRoleArns: [AGENT_ROLE], externalId: pulumi.output("tooShort123"),
        });
        const role = integration.roleArn;
        let error: unknown;
        await settled(role).catch((e) => { error = e; });
        expect(String(error)).to.match(/ExternalId of '.+' must be at least 16 characters so it cannot be guessed/);
        expect(String(error)).not.to.include("tooShort123");
    });

    it("refuses an impossible layout before registering anything, naming every bad argument", async () => {
        expect(() => new StackStateAwsIntegration("bad-layout", {
            regions: ["eu-west-1", "eu-west-1", "mars-north-1"], mainRegion: "us-east-1", agentRoleArns: [AGENT_ROLE],
            flowLogs: { "ap-south-1": { allVpcs: true } },
        })).to.throw(Error,
            "Invalid arguments for StackStateAwsIntegration 'bad-layout':\n" +
            "  - regions: must be known AWS region codes, got mars-north-1\n" +
            "  - regions: must not repeat a region, got eu-west-1 more than once\n" +
            "  - mainRegion: must be one of regions (eu-west-1, eu-west-1, mars-north-1), got 'us-east-1'\n" +
            "  - flowLogs: region 'ap-south-1' must also be listed in regions (eu-west-1, eu-west-1, mars-north-1)");
        await testEngine().settle();
        expect(testEngine().registrations.filter((r) => r.name.startsWith("bad-layout"))).to.deep.equal([]);
    });

    it("refuses a role with no principal to trust at construction, not when an apply runs; an output counts as given", async () => {
        const principalProblem = "  - agentRoleArns: is required unless agentAccountId is set: the integration role needs a principal to trust";
        expect(() => new StackStateAwsIntegration("no-principal", { regions: ["eu-west-1"], agentRoleArns: [] }))
            .to.throw(Error, `Invalid arguments for StackStateAwsIntegration 'no-principal':\n${principalProblem}`);
        expect(() => new IntegrationRole("no-principal-role", { accountId: TEST_WORLD.accountId, externalId: "no-principal-external-id-0123", agentAccountId: "" }))
            .to.throw(Error, `Invalid arguments for IntegrationRole 'no-principal-role':\n${principalProblem}`);
        await testEngine().settle();
        expect(testEngine().registrations.filter((r) => r.name.startsWith("no-principal"))).to.deep.equal([]);

        const name = uniqueName("principal-output");
        const role = new IntegrationRole(name, {
            accountId: TEST_WORLD.accountId, externalId: "principal-output-external-id", agentRoleArns: pulumi.output([AGENT_ROLE]),
        });
        await valueOf(role.roleArn);
        expect(testEngine().registrations.filter((r) => r.name === name)).to.have.length(1);
    });

    it("refuses flow logs that name no VPC, or name them two ways, before registering anything", async () => {
        expect(() => new StackStateAwsIntegration("bad-flow-logs", {
            regions: ["eu-west-1", "us-east-1"], agentRoleArns: [AGENT_ROLE],
            flowLogs: { "eu-west-1": {}, "us-east-1": { vpcIds: ["vpc-0123abcd"], allVpcs: true } },
        })).to.throw(Error,
            "Invalid arguments for StackStateAwsIntegration 'bad-flow-logs':\n" +
            "  - flowLogs: [eu-west-1] must list at least one VPC id in vpcIds, or set allVpcs\n" +
            "  - flowLogs: [us-east-1] must set either allVpcs or vpcIds, not both");
        expect(() => new FlowLogs("bad-flow-logs-alone", { bucketArn: "arn:aws:s3:::b", vpcIds: [] }))
            .to.throw(Error, "Invalid arguments for FlowLogs 'bad-flow-logs-alone': must list at least one VPC id in vpcIds, or set allVpcs.");
        await testEngine().settle();
        expect(testEngine().registrations.filter((r) => r.name.startsWith("bad-flow-logs"))).to.deep.equal([]);
    });
});

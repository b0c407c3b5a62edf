/**
 * `adopt` against moto: the test copy of StackState's CloudFormation template deployed per
 * region, then adopted. moto's CloudFormation creates the IAM roles and policies, the bucket,
 * the KMS key and alias, the rule with its target and the flow log; it skips the Firehose
 * stream (AWS::KinesisFirehose::DeliveryStream), which the report then lists as declared but
 * absent, and whose mapping the unit tests in adoption.test.ts cover.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CreateVpcCommand } from "@aws-sdk/client-ec2";
import { adoptCommand } from "../../cli/adopt";
import { UsageError } from "../../cli/exit-codes";
import { planStack } from "../../offline/plan-engine";
import { readStackConfigFile } from "../../cli/stack-config-file";
import { IMPORT_ID_FORMATS, validateIntegrationConfig, rawConfigFromStackConfig } from "../../model";
import { motoClients, motoEndpoint, MOTO_ACCOUNT_ID, MOTO_CREDENTIALS, resetMoto } from "../helpers/moto";
import { INSTALL_AGENT_ACCOUNT, INSTALL_EXTERNAL_ID, installTemplate, templateWithout } from "../helpers/cfn-install";
import { CreateStackCommand, DescribeStacksCommand, GetTemplateCommand } from "@aws-sdk/client-cloudformation";
import { sdkClientFactory } from "../../cli/aws/clients";
import { GetRoleCommand } from "@aws-sdk/client-iam";
import { HeadBucketCommand } from "@aws-sdk/client-s3";
import { runCli } from "../helpers/run-cli";
import { testEngine } from "../helpers/engine";

interface Run { code: number; stdout: string; stderr: string }

async function adopt(endpoint: string, args: Record<string, string | boolean>): Promise<Run> {
    let stdout = "";
    let stderr = "";
    const code = await adoptCommand(args, {
        io: { stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; } },
        makeClients: () => motoClients(endpoint),
        sleep: async () => undefined,
    });
    return { code, stdout, stderr };
}

const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), "adopt-"));
const filesOf = (dir: string) => Object.fromEntries(fs.readdirSync(dir).sort().map((f) => [f, fs.readFileSync(path.join(dir, f), "utf8")]));

/** The URN `pulumi import` gives a resource of the file: its parents' type chain, as the engine builds it. */
function importedUrns(file: { resources: { type: string; name: string; logicalName?: string; parent?: string }[] }, stack: string): Map<string, string> {
    const byName = new Map(file.resources.map((r) => [r.name, r]));
    const typeChain = (name: string | undefined): string[] => {
        if (!name) return [];
        const r = byName.get(name);
        if (!r) throw new Error(`parent '${name}' is not in the file`);
        return [...typeChain(r.parent), r.type];
    };
    return new Map(file.resources.map((r) => [r.name, `urn:pulumi:${stack}::stackstate-aws::${[...typeChain(r.parent), r.type].join("$")}::${r.logicalName ?? r.name}`]));
}

describe("stackstate-aws adopt (moto)", function () {
    this.timeout(120_000);
    let endpoint: string;
    before(async () => {
        endpoint = await motoEndpoint();
    });
    beforeEach(() => resetMoto());
    // adopt plans the program under its own mock engine; the component tests need theirs back.
    after(() => testEngine().install());

    async function install(regions: string[], mainRegion: string, withFlowLog = false, templateBody?: string) {
        const clients = motoClients(endpoint);
        try {
            const vpc = withFlowLog ? (await clients(mainRegion).ec2.send(new CreateVpcCommand({ CidrBlock: "10.7.0.0/16" }))).Vpc?.VpcId : undefined;
            return { vpc, physical: await installTemplate(clients, regions, { mainRegion, flowLogVpcId: vpc, templateBody }) };
        } finally {
            clients.destroy();
        }
    }

    it("writes an import file whose every resource has the documented id and the program's own URN, and the config that reproduces the install", async () => {
        const { vpc, physical } = await install(["eu-west-1", "us-east-1"], "eu-west-1", true);
        const out = tempDir();
        const run = await adopt(endpoint, { regions: "eu-west-1,us-east-1", out, stack: "prod" });
        expect(run.code, run.stdout + run.stderr).to.equal(0);
        expect(Object.keys(filesOf(out))).to.deep.equal(["Pulumi.prod.yaml", "adoption-report.txt", "import.json"]);

        const file = JSON.parse(fs.readFileSync(path.join(out, "import.json"), "utf8"));
        const leaves = file.resources.filter((r: { component?: boolean }) => !r.component);
        const eu = physical["eu-west-1"];
        const us = physical["us-east-1"];
        const ids = leaves.map((r: { type: string; id: string }) => `${r.type} ${r.id}`).sort();
        expect(ids).to.deep.equal([
            `aws:cloudwatch/eventRule:EventRule ${eu.StsEventBridgeRule}`,
            `aws:cloudwatch/eventRule:EventRule ${us.StsEventBridgeRule}`,
            `aws:cloudwatch/eventTarget:EventTarget ${eu.StsEventBridgeRule}/StsFirehoseTarget`,
            `aws:cloudwatch/eventTarget:EventTarget ${us.StsEventBridgeRule}/StsFirehoseTarget`,
            `aws:ec2/flowLog:FlowLog ${eu.StsFlowLog}`,
            "aws:iam/policy:Policy " + eu.StsIntegrationPolicy,
            "aws:iam/role:Role StackStateAwsIntegrationRole",
            "aws:iam/role:Role StackStateEventBridgeRole-eu-west-1",
            "aws:iam/role:Role StackStateEventBridgeRole-us-east-1",
            "aws:iam/role:Role StackStateFirehoseRole-eu-west-1",
            "aws:iam/role:Role StackStateFirehoseRole-us-east-1",
            "aws:iam/rolePolicy:RolePolicy StackStateEventBridgeRole-eu-west-1:StackStateEventBridgePolicy",
            "aws:iam/rolePolicy:RolePolicy StackStateEventBridgeRole-us-east-1:StackStateEventBridgePolicy",
            "aws:iam/rolePolicy:RolePolicy StackStateFirehoseRole-eu-west-1:StackStateFirehosePolicy",
            "aws:iam/rolePolicy:RolePolicy StackStateFirehoseRole-us-east-1:StackStateFirehosePolicy",
            `aws:iam/rolePolicyAttachment:RolePolicyAttachment StackStateAwsIntegrationRole/${eu.StsIntegrationPolicy}`,
            `aws:kms/alias:Alias alias/stackstate-integration`,
            `aws:kms/alias:Alias alias/stackstate-integration`,
            `aws:kms/key:Key ${eu.StsKmsKey}`,
            `aws:kms/key:Key ${us.StsKmsKey}`,
            `aws:s3/bucket:Bucket stackstate-logs-${MOTO_ACCOUNT_ID}`,
            `aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration stackstate-logs-${MOTO_ACCOUNT_ID}`,
            `aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration stackstate-logs-${MOTO_ACCOUNT_ID}`,
            `aws:s3/bucketVersioning:BucketVersioning stackstate-logs-${MOTO_ACCOUNT_ID}`,
        ].sort());
        for (const r of leaves) {
            expect(Object.keys(IMPORT_ID_FORMATS), r.type).to.include(r.type);
            expect(file.nameTable[r.provider], r.name).to.match(/\$pulumi:providers:aws::stackstate-(eu-west-1|us-east-1)$/);
            expect(file.providerInputs[r.provider].region).to.equal(/eu-west-1/.test(file.nameTable[r.provider]) ? "eu-west-1" : "us-east-1");
        }

        // The config written is valid as it stands (plus the secret), and reproduces the install.
        const written = readStackConfigFile(path.join(out, "Pulumi.prod.yaml"));
        const config = validateIntegrationConfig({ ...rawConfigFromStackConfig(written.config), externalId: INSTALL_EXTERNAL_ID });
        expect(config).to.deep.include({ regions: ["eu-west-1", "us-east-1"], mainRegion: "eu-west-1", agentAccountId: INSTALL_AGENT_ACCOUNT, accountId: MOTO_ACCOUNT_ID, flowLogs: { "eu-west-1": { vpcIds: [vpc] } } });
        expect(config.names?.regions?.["us-east-1"]).to.deep.equal({
            eventRule: us.StsEventBridgeRule, eventTarget: "StsFirehoseTarget", firehosePolicy: "StackStateFirehosePolicy", eventBridgePolicy: "StackStateEventBridgePolicy",
        });
        expect(config.names?.integrationPolicy).to.equal(eu.StsIntegrationPolicy.split("/").pop());

        // Planned from the written config, the program declares every imported URN: the import
        // lands on the program's own resources, so the first preview updates rather than replaces.
        const plan = await planStack({ ...written, config: { ...written.config, "stackstate-aws:externalId": INSTALL_EXTERNAL_ID } });
        if (!plan.ok) throw new Error(JSON.stringify(plan.configProblems));
        const planned = new Map(plan.resources.map((r) => [r.urn, r]));
        for (const [name, urn] of importedUrns(file, "prod")) {
            expect(planned.has(urn), `${name}: ${urn}`).to.equal(true);
            const spec = file.resources.find((r: { name: string }) => r.name === name);
            expect(planned.get(urn)?.custom, name).to.equal(!spec.component);
        }

        // The secret is nowhere unless asked for; asked for, it is printed, never written. A
        // second run writes the same files.
        const firstFiles = filesOf(out);
        for (const text of [run.stdout, run.stderr, ...Object.values(firstFiles)]) expect(text).not.to.include(INSTALL_EXTERNAL_ID);
        const shown = await adopt(endpoint, { regions: "eu-west-1,us-east-1", out, stack: "prod", showSecrets: true, json: true });
        expect(JSON.parse(shown.stdout).externalId).to.equal(INSTALL_EXTERNAL_ID);
        expect(filesOf(out)).to.deep.equal(firstFiles);
    });

    it("reports what has no counterpart, what the stack lacks, and every setting the first pulumi up changes", async () => {
        await install(["eu-west-1"], "eu-west-1", true);
        const run = await adopt(endpoint, { regions: "eu-west-1", out: tempDir(), json: true });
        expect(run.code).to.equal(0);
        const report = JSON.parse(run.stdout);
        expect(report.regions[0].absent).to.deep.equal([{ logicalId: "StsFirehose", type: "AWS::KinesisFirehose::DeliveryStream", reason: "the stack lists no physical resource for it" }]);
        expect(report.created.map((r: { type: string }) => r.type).sort()).to.deep.equal([
            "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream", "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
            "aws:s3/bucketPolicy:BucketPolicy", "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
        ]);
        const setting = (resource: string, name: string) => report.differences.find((d: { resource: string; setting: string }) => d.resource === resource && d.setting === name);
        expect(setting("StsEventBridgeRule", "event pattern sources").ours).to.equal("adds aws.autoscaling, aws.sns");
        expect(setting("StsIntegrationPolicy", "invalid resource ARNs").installed).to.equal(`aws:aws:s3:::stackstate-logs-${MOTO_ACCOUNT_ID}`);
        expect(setting("StsIntegrationPolicy", "actions removed").installed).to.equal(
            "apigateway:delete, apigateway:head, apigateway:options, apigateway:patch, apigateway:post, apigateway:put, s3:listbucketbytags");
        expect(setting("StsKmsKey", "key rotation")).to.deep.include({ installed: "false", ours: "true", effect: "update" });
        expect(setting("StsFlowLog", "max aggregation interval (s)")).to.deep.include({ installed: "600", ours: "60", effect: "replace" });
        expect(setting("StsFirehoseRole", "policy StackStateFirehosePolicy: KMS resource").installed).to.match(/:alias\/stackstate-integration$/);
    });

    it("adopts a region without a stack as one the first pulumi up builds afresh, and names regions elsewhere that have one", async () => {
        await install(["eu-west-1", "us-west-2"], "eu-west-1");
        const run = await adopt(endpoint, { regions: "eu-west-1,ap-southeast-2", out: tempDir(), json: true });
        expect(run.code).to.equal(0);
        const report = JSON.parse(run.stdout);
        expect(report.regions).to.deep.include({ region: "ap-southeast-2", state: "missing" });
        expect(report.elsewhere).to.deep.equal(["us-west-2"]);
        expect(report.config.regions).to.deep.equal(["eu-west-1", "ap-southeast-2"]);
        expect(report.created.filter((r: { region: string }) => r.region === "ap-southeast-2").map((r: { type: string }) => r.type)).to.include("aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream");
    });

    it("writes nothing (exit 1) when no listed region has the stack, or the main region's stack is not among them", async () => {
        await install(["eu-west-1", "us-west-2"], "eu-west-1");
        const out = path.join(tempDir(), "never");
        const none = await adopt(endpoint, { regions: "ap-southeast-2", out });
        expect(none.code).to.equal(1);
        expect(none.stdout).to.include("no region of ap-southeast-2 has a CloudFormation stack named 'stackstate-resources'; it exists in eu-west-1, us-west-2");
        const withoutMain = await adopt(endpoint, { regions: "us-west-2", out });
        expect(withoutMain.code).to.equal(1);
        expect(withoutMain.stdout).to.include("no stack holds the integration role (a role whose trust requires an sts:ExternalId); the stacks name eu-west-1 as MainRegion: include it in --regions");
        expect(fs.existsSync(out)).to.equal(false);
    });

    it("writes nothing (exit 1) for a stack that is not settled, saying why", async () => {
        // moto leaves a stack whose creation failed in CREATE_IN_PROGRESS.
        const clients = sdkClientFactory({ endpoint, credentials: MOTO_CREDENTIALS, maxAttempts: 1 });
        const body = JSON.stringify({ Resources: { Alias: { Type: "AWS::KMS::Alias", Properties: { AliasName: "alias/stackstate-integration", TargetKeyId: "no-such-key" } } } });
        await clients("eu-west-1").cloudformation.send(new CreateStackCommand({ StackName: "stackstate-resources", TemplateBody: body })).catch(() => undefined);
        clients.destroy();
        const out = path.join(tempDir(), "never");
        const run = await adopt(endpoint, { regions: "eu-west-1", out });
        expect(run.code).to.equal(1);
        expect(run.stdout).to.include("  - eu-west-1: the stack is CREATE_IN_PROGRESS: an operation is in progress; rerun when it has finished");
        expect(fs.existsSync(out)).to.equal(false);
    });

    // moto's CloudFormation re-creates some resource types on any template change (a rule gets a
    // new generated name, a managed policy is lost, KMS aliases fail); AWS only records the new
    // policies. A template of the types moto keeps shows the whole path; one with a rule shows
    // that a changed resource stops the deletion.
    describe("--retain", () => {
        const stackOf = async (region: string) => {
            const clients = motoClients(endpoint);
            try {
                const out = await clients(region).cloudformation.send(new DescribeStacksCommand({ StackName: "stackstate-resources" })).catch(() => undefined);
                return out?.Stacks?.[0];
            } finally {
                clients.destroy();
            }
        };

        it("retains every resource through a stack update, checks it, deletes the stack and finds every adopted resource still there", async () => {
            const body = templateWithout("StsKmsKey", "StsKmsAlias", "StsIntegrationPolicy", "StsEventBridgeRule", "StsFirehose");
            // One region: moto's update also "modifies" resources a false condition left out, and fails.
            const { physical } = await install(["eu-west-1"], "eu-west-1", false, body);
            const run = await adopt(endpoint, { regions: "eu-west-1", out: tempDir(), retain: true, json: true });
            expect(run.code, run.stdout).to.equal(0);
            const { retained } = JSON.parse(run.stdout);
            expect(retained).to.have.length(1);
            expect(retained[0]).to.deep.equal({
                region: "eu-west-1", ok: true, steps: [
                    "updated: DeletionPolicy and UpdateReplacePolicy Retain on every resource",
                    "checked: every resource retained, the same 4 physical resources",
                    "deleted the stack",
                    "checked: all 4 adopted resources still exist",
                ],
            });
            expect(await stackOf("eu-west-1")).to.equal(undefined);
            const clients = motoClients(endpoint);
            try {
                for (const role of ["StackStateAwsIntegrationRole", "StackStateFirehoseRole-eu-west-1", "StackStateEventBridgeRole-eu-west-1"]) {
                    expect((await clients("eu-west-1").iam.send(new GetRoleCommand({ RoleName: role }))).Role?.RoleName).to.equal(role);
                }
                await clients("eu-west-1").s3.send(new HeadBucketCommand({ Bucket: physical["eu-west-1"].StsLogsBucket }));
            } finally {
                clients.destroy();
            }
        });

        it("deletes nothing when the update changed a physical resource, and says which", async () => {
            const body = templateWithout("StsKmsKey", "StsKmsAlias", "StsIntegrationPolicy", "StsFirehose");
            const { physical } = await install(["eu-west-1"], "eu-west-1", false, body);
            const run = await adopt(endpoint, { regions: "eu-west-1", out: tempDir(), retain: true });
            expect(run.code, run.stdout).to.equal(1);
            expect(run.stdout).to.include(`! the update changed the physical resources of StsEventBridgeRule (${physical["eu-west-1"].StsEventBridgeRule} -> `);
            expect(run.stdout).to.include("nothing was deleted");
            expect((await stackOf("eu-west-1"))?.StackStatus).to.equal("UPDATE_COMPLETE");
        });

        it("changes nothing in CloudFormation without --retain", async () => {
            await install(["eu-west-1"], "eu-west-1");
            expect((await adopt(endpoint, { regions: "eu-west-1", out: tempDir() })).code).to.equal(0);
            const clients = motoClients(endpoint);
            try {
                const template = await clients("eu-west-1").cloudformation.send(new GetTemplateCommand({ StackName: "stackstate-resources" }));
                expect(template.TemplateBody).not.to.include("Retain");
            } finally {
                clients.destroy();
            }
            expect((await stackOf("eu-west-1"))?.StackStatus).to.equal("CREATE_COMPLETE");
        });
    });

    it("refuses bad input naming the flag before reading anything", async () => {
        const file = path.join(tempDir(), "a-file");
        fs.writeFileSync(file, "");
        const refused = (args: Record<string, string>) => adoptCommand(args, {
            io: { stdout: () => undefined, stderr: () => undefined },
            makeClients: () => { throw new Error("no AWS client may be made"); },
        }).then(() => "accepted", (error: unknown) => (error instanceof UsageError ? error.message : `unexpected: ${String(error)}`));
        expect(await refused({ regions: "eu-west-1", out: file })).to.equal(`--out must be a directory, but '${file}' is a file`);
        expect(await refused({ regions: "eu-west-1,us-east-1", mainRegion: "eu-central-1", out: tempDir() })).to.equal("--main-region must be one of --regions (eu-west-1, us-east-1), is 'eu-central-1'");
        expect(await refused({ regions: "eu-west-9", out: tempDir() })).to.match(/^--regions: unknown region 'eu-west-9'/);
        expect(await refused({ regions: "eu-west-1" })).to.match(/^--out is required/);
        expect(await refused({ regions: "eu-west-1", out: tempDir(), stackName: "1bad" })).to.match(/^--stack-name must be a CloudFormation stack name/);
    });

    it("exits 2 as a spawned command on bad input, printing the flag's problem", async () => {
        const dir = tempDir();
        const file = path.join(dir, "a-file");
        fs.writeFileSync(file, "");
        const run = await runCli(["adopt", "--regions", "eu-west-1", "--out", file], { env: { ...process.env, AWS_ENDPOINT_URL: "http://127.0.0.1:9" } });
        expect(run.code).to.equal(2);
        expect(run.stderr).to.equal(`error: --out must be a directory, but '${file}' is a file\n`);
        expect(fs.readdirSync(dir)).to.deep.equal(["a-file"]);
    });
});

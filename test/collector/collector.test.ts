import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { readFileSync } from "fs";
import * as path from "path";
import { gunzipSync } from "zlib";
import YAML from "yaml";
import { collectorProgram } from "../../collector/program";
import { bootstrapScript, collectorUserData, HOST_PATHS, USER_DATA_LIMIT_BYTES } from "../../collector/user-data";
import { Registration, unwrapSecrets, valueOf, isSecretValue } from "../../offline/mock-engine";
import { AWS_TOPOLOGY_CONF_DIR, EXTERNAL_ID_PLACEHOLDER, groupByExternalId, renderAgentConfigFile } from "../../model/agent-config";
import { validateCollectorConfig } from "../../model/collector-config";
import { AGENT_INSTALL_SCRIPT_URL } from "../../model/collector-settings";
import { ConfigError } from "../../model/validation";
import { installCollectorWorld } from "../helpers/collector-world";
import { API_KEY_PARAMETER, BASE, LISTED_ID, NS, roleArn } from "../helpers/collector-config";
import { testEngine, uniqueName } from "../helpers/engine";
import { TEST_WORLD } from "../helpers/world";

const STACK_ID = "generated-external-id-abcdefghijkl";
/** The ExternalId parameters' logical names: by account (listed) or by stack, never by position. */
const PARAMETERS = ["external-id-account-111122223333", "external-id-account-222233334444", "external-id-stack-acme/stackstate-aws/prod"];

function world() {
    const w = installCollectorWorld();
    w.subnets = { "subnet-0123abcd": "vpc-0a1b2c3d", "subnet-4567cdef": "vpc-0a1b2c3d", "subnet-89abcdef": "vpc-0f0f0f0f" };
    w.stacks = {
        "acme/stackstate-aws/prod": {
            accountId: "444455556666", roleArn: roleArn("444455556666"), externalId: STACK_ID,
            regions: ["eu-central-1"], mainRegion: "eu-central-1", bucketName: "stackstate-logs-444455556666",
        },
    };
    return w;
}

async function deploy(overrides: Record<string, string | undefined> = {}) {
    world();
    const config = validateCollectorConfig({ ...BASE, ...overrides });
    const name = uniqueName("collector");
    const outputs = collectorProgram(config, name, "dev");
    await valueOf(outputs.autoScalingGroupName);
    await valueOf(outputs.externalIdParameters);
    await testEngine().settle();
    const mine = testEngine().registrations.filter((r) => r.name === name || r.name.startsWith(`${name}-`));
    const byName = (suffix: string): Registration => {
        const found = mine.find((r) => r.name === `${name}-${suffix}`);
        if (!found) throw new Error(`no resource ${name}-${suffix}`);
        return found;
    };
    const inputs = (suffix: string) => unwrapSecrets(byName(suffix).inputs, true) as Record<string, any>;
    return { name, outputs, mine, byName, inputs };
}

/** The error an output fails with (valueOf would wait forever). */
function failureOf(output: pulumi.Output<unknown>): Promise<Error> {
    return new Promise<Error>((resolve) => {
        (output as any).promise().then(() => resolve(new Error("resolved")), resolve);
    });
}

function userDataOf(launchTemplate: Record<string, any>): string {
    const bytes = Buffer.from(launchTemplate.userData as string, "base64");
    return (bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes).toString("utf8");
}

describe("collector program", function () {
    this.timeout(20000);

    it("creates the host's resources and nothing else", async () => {
        const { name, mine } = await deploy();
        expect(mine.map((r) => `${r.type} ${r.name}`).sort()).to.deep.equal([
            `aws:autoscaling/group:Group ${name}-asg`,
            `aws:ec2/launchTemplate:LaunchTemplate ${name}-template`,
            `aws:ec2/securityGroup:SecurityGroup ${name}-sg`,
            `aws:iam/instanceProfile:InstanceProfile ${name}-profile`,
            `aws:iam/role:Role ${name}-role`,
            `aws:iam/rolePolicy:RolePolicy ${name}-assume-role`,
            `aws:iam/rolePolicy:RolePolicy ${name}-read-secrets`,
            `aws:iam/rolePolicyAttachment:RolePolicyAttachment ${name}-session-manager`,
            `aws:ssm/parameter:Parameter ${name}-${PARAMETERS[0]}`,
            `aws:ssm/parameter:Parameter ${name}-${PARAMETERS[1]}`,
            `aws:ssm/parameter:Parameter ${name}-${PARAMETERS[2]}`,
            `stackstate-aws:index:AgentInstanceProfile ${name}`,
        ]);
    });

    it("tags every taggable resource with the user's tags and managed-by", async () => {
        const { inputs, name } = await deploy({ [`${NS}tags`]: JSON.stringify({ team: "observability" }) });
        const expected = { team: "observability", "managed-by": "stackstate-aws" };
        for (const suffix of ["role", "profile", ...PARAMETERS, "template"]) {
            expect(inputs(suffix).tags, suffix).to.deep.equal(expected);
        }
        expect(inputs("sg").tags).to.deep.equal({ Name: name, ...expected });
        expect(inputs("template").tagSpecifications.map((t: { tags: unknown }) => t.tags)).to.deep.equal([1, 2, 3].map(() => ({ Name: name, ...expected })));
        expect(inputs("asg").tags).to.deep.equal([
            { key: "team", value: "observability", propagateAtLaunch: false },
            { key: "managed-by", value: "stackstate-aws", propagateAtLaunch: false },
        ]);
    });

    it("runs one host: an Auto Scaling group of exactly one, replaced when its template changes", async () => {
        const { inputs, byName, outputs } = await deploy();
        const asg = inputs("asg");
        expect(asg).to.deep.include({ minSize: 1, maxSize: 1, desiredCapacity: 1, healthCheckType: "EC2", vpcZoneIdentifiers: ["subnet-0123abcd", "subnet-4567cdef"] });
        expect(asg.launchTemplate).to.deep.equal({ id: await valueOf(outputs.launchTemplateId), version: "1" });
        expect(asg.launchTemplate.id).to.match(/^lt-[0-9a-f]{17}$/);
        expect(asg.instanceRefresh).to.deep.equal({ strategy: "Rolling", preferences: { minHealthyPercentage: 0 } });
        // The host boots only once it may read its secrets.
        for (const dependency of ["read-secrets", "session-manager", ...PARAMETERS]) {
            expect(byName("asg").dependencies).to.include(byName(dependency).urn);
        }
    });

    it("launches with IMDSv2 required, no key pair, the instance profile and an encrypted root volume", async () => {
        const { inputs, outputs } = await deploy();
        const template = inputs("template");
        expect(template.metadataOptions).to.deep.equal({ httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1, instanceMetadataTags: "disabled" });
        expect(template).not.to.have.property("keyName");
        expect(template.iamInstanceProfile).to.deep.equal({ arn: await valueOf(outputs.instanceProfileArn) });
        expect(template.iamInstanceProfile.arn).to.equal("arn:aws:iam::111122223333:instance-profile/StackStateAgentRole");
        expect(template.blockDeviceMappings).to.deep.equal([{
            deviceName: "/dev/xvda",
            ebs: { encrypted: "true", volumeSize: 20, volumeType: "gp3", deleteOnTermination: "true" },
        }]);
        expect(template.instanceType).to.equal("t3.medium");
        expect(template.imageId).to.match(/^ami-[0-9a-f]{17}$/);
        expect(template.vpcSecurityGroupIds).to.have.length(1);
    });

    it("launches the AMI of the configured public parameter, on the configured instance type, its own root device encrypted", async () => {
        const ubuntu = "/aws/service/canonical/ubuntu/server/22.04/stable/current/amd64/hvm/ebs-gp2/ami-id";
        const image = "ami-0abcdef0123456789";
        TEST_WORLD.ssmParameters = { ...TEST_WORLD.ssmParameters, [ubuntu]: image };
        world().amis[image] = { rootDeviceName: "/dev/sda1", rootDeviceType: "ebs" };
        const before = testEngine().aws.calls.length;
        const { inputs } = await deploy({
            [`${NS}amiParameter`]: ubuntu, [`${NS}rootDeviceName`]: "/dev/sda1", [`${NS}instanceType`]: "m6i.large", [`${NS}rootVolumeSize`]: "40",
        });
        const template = inputs("template");
        expect(template.imageId).to.equal(image);
        expect(template.instanceType).to.equal("m6i.large");
        expect(template.blockDeviceMappings).to.deep.equal([{
            deviceName: "/dev/sda1",
            ebs: { encrypted: "true", volumeSize: 40, volumeType: "gp3", deleteOnTermination: "true" },
        }]);
        const calls = testEngine().aws.calls.slice(before);
        expect(calls.filter((c) => c.token === "aws:ssm/getParameter:getParameter").map((c) => c.inputs.name)).to.deep.equal([ubuntu]);
        expect(calls.filter((c) => c.token === "aws:ec2/getAmi:getAmi").map((c) => c.inputs.filters)).to.deep.equal([[{ name: "image-id", values: [image] }]]);
    });

    it("refuses an AMI whose root device the mapping would not encrypt, naming the key and the fix", async () => {
        const parameter = "/aws/service/canonical/ubuntu/server/24.04/stable/current/amd64/hvm/ebs-gp3/ami-id";
        const image = "ami-0123456789abcdef1";
        TEST_WORLD.ssmParameters = { ...TEST_WORLD.ssmParameters, [parameter]: image };
        world().amis[image] = { rootDeviceName: "/dev/sda1", rootDeviceType: "ebs" };
        const outputs = collectorProgram(validateCollectorConfig({ ...BASE, [`${NS}amiParameter`]: parameter }), uniqueName("collector"), "dev");
        // Pulumi names the input that failed; the rest is ours.
        expect((await failureOf(outputs.launchTemplateId)).message).to.equal(
            `error serializing property "imageId": stackstate-aws-collector:rootDeviceName is /dev/xvda, but the root device of AMI ${image} (from ${parameter}) is /dev/sda1: `
            + "set rootDeviceName to /dev/sda1, or the root volume would not be encrypted.",
        );

        world().amis[image] = { rootDeviceName: "/dev/xvda", rootDeviceType: "instance-store" };
        const again = collectorProgram(validateCollectorConfig({ ...BASE, [`${NS}amiParameter`]: parameter }), uniqueName("collector"), "dev");
        expect((await failureOf(again.launchTemplateId)).message).to.equal(
            `error serializing property "imageId": AMI ${image} (from ${parameter}) has an instance-store root device, which cannot be encrypted; set stackstate-aws-collector:amiParameter to an EBS-backed AMI.`,
        );
    });

    it("refuses subnets of more than one VPC, naming them", async () => {
        world();
        const outputs = collectorProgram(
            validateCollectorConfig({ ...BASE, [`${NS}subnetIds`]: JSON.stringify(["subnet-0123abcd", "subnet-89abcdef"]) }), uniqueName("collector"), "dev",
        );
        expect((await failureOf(outputs.securityGroupId)).message).to.equal(
            "error serializing property \"vpcId\": stackstate-aws-collector:subnetIds must all be in one VPC, got subnet-0123abcd in vpc-0a1b2c3d, subnet-89abcdef in vpc-0f0f0f0f.",
        );
    });

    it("names each account's parameter by its account or stack, so removing or reordering accounts moves no parameter", async () => {
        const parametersOf = async (accounts: unknown[]) => {
            const { mine, name } = await deploy({ [`${NS}accounts`]: JSON.stringify(accounts) });
            return mine.filter((r) => r.type === "aws:ssm/parameter:Parameter").map((r) => [r.name.slice(name.length + 1), r.inputs.name]);
        };
        const a = { roleArn: roleArn("111122223333"), externalId: LISTED_ID, regions: ["eu-west-1"] };
        const b = { roleArn: roleArn("222233334444"), externalId: LISTED_ID, regions: ["eu-west-1"] };
        const stackParameter = [PARAMETERS[2], "/stackstate-aws/dev/external-id/444455556666"];
        expect(await parametersOf([a, b])).to.deep.equal([
            [PARAMETERS[0], "/stackstate-aws/dev/external-id/111122223333"], [PARAMETERS[1], "/stackstate-aws/dev/external-id/222233334444"], stackParameter,
        ]);
        expect(await parametersOf([b])).to.deep.equal([[PARAMETERS[1], "/stackstate-aws/dev/external-id/222233334444"], stackParameter]);
        expect(await parametersOf([b, a])).to.deep.equal([
            [PARAMETERS[1], "/stackstate-aws/dev/external-id/222233334444"], [PARAMETERS[0], "/stackstate-aws/dev/external-id/111122223333"], stackParameter,
        ]);
    });

    it("has a security group with no inbound rule and outbound 443 only", async () => {
        const { inputs } = await deploy();
        const sg = inputs("sg");
        expect(sg.vpcId).to.equal("vpc-0a1b2c3d");
        expect(sg.ingress).to.deep.equal([]);
        expect(sg.egress).to.deep.equal([
            { protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"], description: "HTTPS: AWS APIs, Agent packages, Session Manager, StackState receiver" },
        ]);
    });

    it("opens the proxy's port when a proxy is set, else a receiver's own port", async () => {
        const proxied = (await deploy({ [`${NS}proxyUrl`]: "http://proxy.internal:3128", [`${NS}stackStateUrl`]: "http://stackstate.internal:7077/stsAgent" })).inputs("sg");
        expect(proxied.egress.map((e: any) => [e.fromPort, e.toPort, e.description])).to.deep.equal([
            [443, 443, "HTTPS: AWS APIs, Agent packages, Session Manager"],
            [3128, 3128, "HTTP proxy"],
        ]);
        const direct = (await deploy({ [`${NS}stackStateUrl`]: "http://stackstate.internal:7077/stsAgent" })).inputs("sg");
        expect(direct.egress.map((e: any) => [e.fromPort, e.description])).to.deep.equal([
            [443, "HTTPS: AWS APIs, Agent packages, Session Manager"],
            [7077, "StackState receiver"],
        ]);
    });

    it("lets the host assume only the monitored accounts' integration roles", async () => {
        const { inputs, outputs } = await deploy();
        expect(JSON.parse(inputs("assume-role").policy)).to.deep.equal({
            Version: "2012-10-17",
            Statement: [{
                Sid: "AssumeStackStateIntegrationRole", Effect: "Allow", Action: "sts:AssumeRole",
                Resource: [roleArn("111122223333"), roleArn("222233334444"), roleArn("444455556666")],
            }],
        });
        expect(inputs("session-manager")).to.deep.equal({ role: "StackStateAgentRole", policyArn: "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore" });
        expect(await valueOf(outputs.agentRoleArn)).to.equal("arn:aws:iam::111122223333:role/StackStateAgentRole");
        expect(await valueOf(outputs.monitoredAccountIds)).to.deep.equal(["111122223333", "222233334444", "444455556666"]);
    });

    it("keeps each ExternalId in a SecureString, secret in state, and lets the host read only its own parameters", async () => {
        const { byName, inputs, outputs } = await deploy();
        const parameterArn = (name: string) => `arn:aws:ssm:eu-west-1:111122223333:parameter/${name.slice(1)}`;
        const names = ["/stackstate-aws/dev/external-id/111122223333", "/stackstate-aws/dev/external-id/222233334444", "/stackstate-aws/dev/external-id/444455556666"];
        expect(await valueOf(outputs.externalIdParameters)).to.deep.equal(names);
        [LISTED_ID, LISTED_ID, STACK_ID].forEach((id, i) => {
            const parameter = byName(PARAMETERS[i]);
            expect(isSecretValue(parameter.inputs.value)).to.equal(true);
            expect(inputs(PARAMETERS[i])).to.deep.include({ name: names[i], type: "SecureString", value: id, tags: { "managed-by": "stackstate-aws" } });
            expect(inputs(PARAMETERS[i])).not.to.have.property("keyId");
        });
        const arns = [API_KEY_PARAMETER, ...names].map(parameterArn);
        expect(inputs("read-secrets").role).to.equal("StackStateAgentRole");
        expect(JSON.parse(inputs("read-secrets").policy)).to.deep.equal({
            Version: "2012-10-17",
            Statement: [
                { Sid: "ReadStackStateSecrets", Effect: "Allow", Action: "ssm:GetParameter", Resource: arns },
                {
                    Sid: "DenyOtherParameters", Effect: "Deny",
                    Action: ["ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath", "ssm:GetParameterHistory"],
                    NotResource: arns,
                },
            ],
        });
    });

    it("with a customer-managed key, encrypts the parameters with it and lets the host decrypt through SSM only", async () => {
        const key = "arn:aws:kms:eu-west-1:111122223333:key/0123abcd-0123-4567-89ab-0123456789ab";
        const { inputs } = await deploy({ [`${NS}kmsKeyArn`]: key, [`${NS}accounts`]: undefined });
        expect(inputs(PARAMETERS[2]).keyId).to.equal(key);
        const statements = JSON.parse(inputs("read-secrets").policy).Statement;
        expect(statements[2]).to.deep.equal({
            Sid: "DecryptStackStateSecrets", Effect: "Allow", Action: "kms:Decrypt", Resource: key,
            Condition: {
                StringEquals: {
                    "kms:ViaService": "ssm.eu-west-1.amazonaws.com",
                    "kms:EncryptionContext:PARAMETER_ARN": [
                        "arn:aws:ssm:eu-west-1:111122223333:parameter/stackstate/api-key",
                        "arn:aws:ssm:eu-west-1:111122223333:parameter/stackstate-aws/dev/external-id/444455556666",
                    ],
                },
            },
        });
    });

    it("puts no secret in the user data: settings, parameter names, templates with a placeholder, the bootstrap script", async () => {
        const { inputs, outputs } = await deploy({ [`${NS}fullRunInterval`]: "1800" });
        const text = userDataOf(inputs("template"));
        expect(text).not.to.contain(LISTED_ID);
        expect(text).not.to.contain(STACK_ID);
        expect(text.startsWith("#cloud-config\n")).to.equal(true);
        const files = YAML.parse(text).write_files as { path: string; permissions: string; content: string }[];
        expect(files.map((f) => [f.path, f.permissions])).to.deep.equal([
            [HOST_PATHS.settings, "0644"],
            [`${HOST_PATHS.templates}/manifest`, "0644"],
            [`${HOST_PATHS.templates}/stackstate-aws-111122223333.yaml`, "0644"],
            [`${HOST_PATHS.templates}/stackstate-aws-444455556666.yaml`, "0644"],
            [HOST_PATHS.script, "0755"],
        ]);
        expect(files[0].content).to.equal([
            "# Written by stackstate-aws (collector user data). No secrets: the host reads them from SSM.",
            "STS_URL='https://stackstate.example.com/receiver/stsAgent'",
            "API_KEY_PARAMETER='/stackstate/api-key'",
            "AWS_REGION_NAME='eu-west-1'",
            "AGENT_VERSION='2.16.0'",
            "PROXY_URL=''",
            "NO_PROXY_LIST=''",
            "",
        ].join("\n"));
        expect(files[1].content).to.equal([
            "stackstate-aws-111122223333.yaml /stackstate-aws/dev/external-id/111122223333",
            "stackstate-aws-444455556666.yaml /stackstate-aws/dev/external-id/444455556666",
            "",
        ].join("\n"));
        const groups = groupByExternalId([
            { roleArn: roleArn("111122223333"), externalId: LISTED_ID, regions: ["eu-west-1", "us-east-1"], collectionInterval: 300 },
            { roleArn: roleArn("222233334444"), externalId: LISTED_ID, regions: ["eu-west-1"], collectionInterval: 60 },
            { roleArn: roleArn("444455556666"), externalId: STACK_ID, regions: ["eu-central-1"], collectionInterval: 60 },
        ]);
        expect([files[2].content, files[3].content]).to.deep.equal(
            groups.map((g) => renderAgentConfigFile(g, { fullRunInterval: 1800, externalId: EXTERNAL_ID_PLACEHOLDER })),
        );
        // The check's global pass must come last (model/agent-config.ts says why): the host's files too.
        expect(YAML.parse(files[2].content).instances.map((i: { regions: string[] }) => i.regions)).to.deep.equal([["eu-west-1", "us-east-1", "global"], ["eu-west-1", "global"]]);
        expect(files[4].content).to.equal(readFileSync(path.join(__dirname, "..", "..", "collector", "bootstrap.sh"), "utf8"));
        expect(await valueOf(outputs.checkFiles)).to.deep.equal([
            { fileName: "stackstate-aws-111122223333.yaml", accountIds: ["111122223333", "222233334444"] },
            { fileName: "stackstate-aws-444455556666.yaml", accountIds: ["444455556666"] },
        ]);
    });

    it("writes the proxy and its exemptions into the settings", async () => {
        const { inputs } = await deploy({ [`${NS}proxyUrl`]: "http://proxy.internal:3128/", [`${NS}noProxy`]: JSON.stringify([".internal", "10.0.0.5"]) });
        const settings = YAML.parse(userDataOf(inputs("template"))).write_files[0].content as string;
        expect(settings).to.contain("PROXY_URL='http://proxy.internal:3128'\n");
        expect(settings).to.contain("NO_PROXY_LIST='169.254.169.254,169.254.170.2,localhost,127.0.0.1,.internal,10.0.0.5'\n");
    });

    it("keeps the bootstrap script's paths, URL and placeholder the model's", () => {
        const script = bootstrapScript();
        for (const fact of [AGENT_INSTALL_SCRIPT_URL, EXTERNAL_ID_PLACEHOLDER, `$ROOT${HOST_PATHS.settings}`, `$ROOT${HOST_PATHS.templates}`, `$ROOT${AWS_TOPOLOGY_CONF_DIR}`]) {
            expect(script, fact).to.contain(fact);
        }
    });

    it("compresses user data that does not fit EC2's 16 KB, and refuses what still does not", () => {
        const settings = { stackStateUrl: "https://s.example.com/stsAgent", apiKeyParameter: "/k", region: "eu-west-1", agentVersion: "2.16.0" };
        const accounts = Array.from({ length: 60 }, (_, i) => ({
            roleArn: roleArn(String(100000000000 + i)), externalId: `external-id-number-${String(i).padStart(4, "0")}`, regions: ["eu-west-1", "us-east-1"],
        }));
        const templates = groupByExternalId(accounts).map((g) => ({
            fileName: g.fileName, parameterName: `/stackstate-aws/dev/external-id/${g.accountIds[0]}`,
            content: renderAgentConfigFile(g, { externalId: EXTERNAL_ID_PLACEHOLDER }),
        }));
        const encoded = Buffer.from(collectorUserData(settings, templates), "base64");
        expect([encoded[0], encoded[1]]).to.deep.equal([0x1f, 0x8b]);
        expect(encoded.length).to.be.at.most(USER_DATA_LIMIT_BYTES);
        expect(gunzipSync(encoded).toString("utf8")).to.contain("stackstate-aws-100000000059.yaml /stackstate-aws/dev/external-id/100000000059\n");
        const noise = Array.from({ length: 40 }, (_, i) => ({ fileName: `stackstate-aws-${i}.yaml`, parameterName: "/p", content: require("crypto").randomBytes(600).toString("base64") }));
        expect(() => collectorUserData(settings, noise)).to.throw(/^The collector's user data is \d+ bytes gzip-compressed; EC2 allows 16384\. Split the monitored accounts over more collector stacks\.$/);
    });

    it("refuses at deployment a monitored stack whose outputs do not fit, naming the stack", async () => {
        const w = world();
        w.stacks["acme/stackstate-aws/broken"] = { roleArn: roleArn("555566667777"), regions: ["eu-west-1"] };
        const config = validateCollectorConfig({ ...BASE, [`${NS}monitoredStacks`]: JSON.stringify(["acme/stackstate-aws/broken"]) });
        const outputs = collectorProgram(config, uniqueName("collector"), "dev");
        expect((await failureOf(outputs.checkFiles)).message).to.equal("monitored stack acme/stackstate-aws/broken: output externalId is missing.");
    });
});

describe("collector/index.ts", function () {
    this.timeout(20000);
    const indexPath = require.resolve("../../collector/index");

    async function load(config: Record<string, string>): Promise<{ exports?: Record<string, pulumi.Output<unknown>>; error?: Error; registered: number }> {
        const saved = pulumi.runtime.allConfig();
        const before = testEngine().registrations.length;
        pulumi.runtime.setAllConfig(config, [`${NS}accounts`]);
        delete require.cache[indexPath];
        try {
            // The program exports a promise: it reads the monitored stacks before creating anything.
            const exports = await (require(indexPath) as Promise<Record<string, pulumi.Output<unknown>>>);
            await valueOf(exports.autoScalingGroupName);
            await testEngine().settle();
            return { exports, registered: testEngine().registrations.length - before };
        } catch (error) {
            return { error: error as Error, registered: testEngine().registrations.length - before };
        } finally {
            pulumi.runtime.setAllConfig(saved);
            delete require.cache[indexPath];
        }
    }

    it("reads its namespace of the stack config and exports the host's outputs", async () => {
        world();
        const { exports, registered } = await load(BASE);
        expect(Object.keys(exports ?? {}).sort()).to.deep.equal([
            "agentRoleArn", "autoScalingGroupName", "checkFiles", "externalIdParameters", "instanceProfileArn",
            "launchTemplateId", "monitoredAccountIds", "securityGroupId",
        ]);
        expect(await valueOf(exports!.monitoredAccountIds)).to.deep.equal(["111122223333", "222233334444", "444455556666"]);
        expect(registered).to.equal(12);
    });

    it("creates nothing on a bad config", async () => {
        const { error, registered } = await load({ ...BASE, [`${NS}rootVolumeSize`]: "big" });
        expect(error).to.be.instanceOf(ConfigError);
        expect(error!.message).to.equal("Invalid stack configuration:\n  - stackstate-aws-collector:rootVolumeSize: must be a whole number of GiB from 8 to 16384, got \"big\"");
        expect(registered).to.equal(0);
    });
});

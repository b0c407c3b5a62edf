/**
 * The contract between the two programs: the monitored-account program (index.ts) exports the
 * outputs named in model/stack-outputs.ts, and what it exports is what the collector (through a
 * StackReference) and `agent-config --outputs` read. Both programs run under the mock engine.
 */
import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import YAML from "yaml";
import { gunzipSync } from "zlib";
import { collectorProgram, readMonitoredStacks } from "../../collector/program";
import { unwrapSecrets, valueOf } from "../../offline/mock-engine";
import { EXTERNAL_ID_PLACEHOLDER, groupByExternalId, renderAgentConfigFile } from "../../model/agent-config";
import { validateCollectorConfig } from "../../model/collector-config";
import { COLLECTOR_CONFIG_NAMESPACE } from "../../model/collector-config-schema";
import { monitoredAccountFromOutputs, STACK_OUTPUTS } from "../../model/stack-outputs";
import { installCollectorWorld } from "../helpers/collector-world";
import { testEngine, uniqueName } from "../helpers/engine";
import { TEST_WORLD } from "../helpers/world";

const NS = `${COLLECTOR_CONFIG_NAMESPACE}:`;
const REGIONS = ["eu-west-1", "us-east-1"];

/** Runs index.ts with a stack config and returns its exports as `pulumi stack output --json --show-secrets` prints them. */
async function monitoredStackOutputs(): Promise<{ outputs: Record<string, unknown>; secret: Record<string, boolean> }> {
    const indexPath = require.resolve("../../index");
    const saved = pulumi.runtime.allConfig();
    pulumi.runtime.setAllConfig({
        "aws:region": "eu-west-1",
        "stackstate-aws:regions": JSON.stringify(REGIONS),
        "stackstate-aws:mainRegion": "eu-west-1",
        // The collector's role, as its agentRoleArn output names it.
        "stackstate-aws:agentRoleArns": JSON.stringify(["arn:aws:iam::210987654321:role/StackStateAgentRole"]),
    });
    delete require.cache[indexPath];
    try {
        const exports = require(indexPath) as Record<string, pulumi.Output<unknown>>;
        const outputs: Record<string, unknown> = {};
        const secret: Record<string, boolean> = {};
        for (const [name, output] of Object.entries(exports)) {
            outputs[name] = unwrapSecrets(await valueOf(pulumi.output(output)), true);
            secret[name] = await (pulumi.output(output) as unknown as { isSecret: Promise<boolean> }).isSecret;
        }
        await testEngine().settle();
        return { outputs, secret };
    } finally {
        pulumi.runtime.setAllConfig(saved);
        delete require.cache[indexPath];
    }
}

describe("monitored stack outputs → collector", function () {
    this.timeout(30000);
    let monitored: { outputs: Record<string, unknown>; secret: Record<string, boolean> };
    before(async () => {
        monitored = await monitoredStackOutputs();
    });

    it("index.ts exports exactly the outputs model/stack-outputs.ts names, the ExternalId as a secret only", () => {
        expect(Object.keys(monitored.outputs).sort()).to.deep.equal(Object.values(STACK_OUTPUTS).sort());
        expect(Object.entries(monitored.secret).filter(([, isSecret]) => isSecret).map(([name]) => name)).to.deep.equal([STACK_OUTPUTS.externalId]);
    });

    it("its outputs are a monitored account as agent-config and the collector read it", () => {
        const { account, problems } = monitoredAccountFromOutputs(monitored.outputs);
        expect(problems).to.deep.equal([]);
        expect(account).to.deep.equal({
            roleArn: `arn:aws:iam::${TEST_WORLD.accountId}:role/StackStateAwsIntegrationRole`,
            externalId: monitored.outputs.externalId,
            regions: REGIONS,
        });
        // The instance the stack advertises is the instance the renderer writes for it.
        const [group] = groupByExternalId([account!]);
        expect(YAML.parse(renderAgentConfigFile(group)).instances).to.deep.equal([{ ...(monitored.outputs.agentInstance as object), collection_interval: 60 }]);
    });

    it("the collector reads them through a StackReference: the ExternalId into its parameter, the rest into the host's check file", async () => {
        const stackName = "acme/stackstate-aws/contract";
        const world = installCollectorWorld();
        world.stacks[stackName] = monitored.outputs;
        world.subnets["subnet-0123abcd"] = "vpc-0a1b2c3d";
        const name = uniqueName("collector");
        const collector = collectorProgram(validateCollectorConfig({
            "aws:region": "eu-west-1",
            [`${NS}stackStateUrl`]: "https://stackstate.example.com/receiver/stsAgent",
            [`${NS}apiKeyParameter`]: "/stackstate/api-key",
            [`${NS}subnetIds`]: JSON.stringify(["subnet-0123abcd"]),
            [`${NS}monitoredStacks`]: JSON.stringify([stackName]),
        }), name, "dev");
        expect(await valueOf(collector.monitoredAccountIds)).to.deep.equal([TEST_WORLD.accountId]);
        await valueOf(collector.autoScalingGroupName);
        await testEngine().settle();
        const byName = (suffix: string) => testEngine().registrations.find((r) => r.name === `${name}-${suffix}`)!;

        const parameter = unwrapSecrets(byName(`external-id-stack-${stackName}`).inputs, true) as Record<string, unknown>;
        expect(parameter.value).to.equal(monitored.outputs.externalId);

        const userData = Buffer.from(byName("template").inputs.userData as string, "base64");
        const text = (userData[0] === 0x1f ? gunzipSync(userData) : userData).toString("utf8");
        const files = YAML.parse(text).write_files as { path: string; content: string }[];
        const template = files.find((f) => f.path.endsWith(`/stackstate-aws-${TEST_WORLD.accountId}.yaml`));
        const [group] = groupByExternalId([monitoredAccountFromOutputs(monitored.outputs).account!]);
        expect(template?.content).to.equal(renderAgentConfigFile(group, { externalId: EXTERNAL_ID_PLACEHOLDER }));
    });

    it("reads a stack of several accounts through one StackReference: a parameter and an instance per account", async () => {
        const stackName = "acme/stackstate-aws/organization";
        const world = installCollectorWorld();
        const [a, b] = ["555566667777", "888899990000"];
        const perAccount = (id: string, externalId: string) => ({
            ...monitored.outputs, accountId: id, roleArn: `arn:aws:iam::${id}:role/StackStateAwsIntegrationRole`, externalId,
            bucketName: `stackstate-logs-${id}`,
        });
        world.stacks[stackName] = {
            accountIds: [a, b],
            accounts: { [a]: perAccount(a, "organization-external-id-a-0123"), [b]: perAccount(b, "organization-external-id-b-0123") },
        };
        world.subnets["subnet-0123abcd"] = "vpc-0a1b2c3d";
        const name = uniqueName("collector");
        const config = validateCollectorConfig({
            "aws:region": "eu-west-1",
            [`${NS}stackStateUrl`]: "https://stackstate.example.com/receiver/stsAgent",
            [`${NS}apiKeyParameter`]: "/stackstate/api-key",
            [`${NS}subnetIds`]: JSON.stringify(["subnet-0123abcd"]),
            [`${NS}monitoredStacks`]: JSON.stringify([stackName]),
        });
        const stacks = await readMonitoredStacks(config, name);
        expect(stacks.map((s) => [s.stackName, s.accountIds])).to.deep.equal([[stackName, [a, b]]]);
        const collector = collectorProgram(config, name, "dev", stacks);
        expect(await valueOf(collector.monitoredAccountIds)).to.deep.equal([a, b]);
        await valueOf(collector.autoScalingGroupName);
        await testEngine().settle();
        const parameter = (id: string) => unwrapSecrets(testEngine().registrations
            .find((r) => r.name === `${name}-external-id-stack-${stackName}-${id}`)!.inputs, true) as Record<string, unknown>;
        expect(parameter(a).value).to.equal("organization-external-id-a-0123");
        expect(parameter(b).value).to.equal("organization-external-id-b-0123");
        expect((await valueOf(collector.checkFiles)).map((f) => f.accountIds)).to.deep.equal([[a], [b]]);
    });
});

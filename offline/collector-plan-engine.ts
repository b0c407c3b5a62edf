/**
 * Runs the collector program (collector/program.ts) offline under Pulumi's mock engine with a
 * stack config, as `pulumi up` in collector/ would, and returns what it would create. What only
 * the deployment can read (the monitored stacks' outputs, the subnets' VPC, the AMI) is given
 * stand-ins, which the result names so that nothing downstream mistakes them for facts.
 */
import * as pulumi from "@pulumi/pulumi";
import { ConfigError, CollectorConfig, integrationRoleArn, STACK_OUTPUTS, validateCollectorConfig } from "../model";
import { collectorProgram } from "../collector/program";
import { MockEngine, Registration } from "./mock-engine";
import { PlannedInvoke, readsOf, runOffline, SECRET_PLACEHOLDER, PlanInput, programConfig, worldFor } from "./plan-engine";
import { MockWorld } from "./mock-aws";

export const COLLECTOR_PROJECT = "stackstate-aws-collector";
/** The VPC of the configured subnets, known only when the deployment reads them. */
export const STAND_IN_SUBNET_VPC = "vpc-of-the-configured-subnets";

export type CollectorPlanResult =
    | { ok: true; world: MockWorld; config: CollectorConfig; resources: Registration[]; reads: PlannedInvoke[]; standIns: string[] }
    | { ok: false; world: MockWorld; configProblems: ConfigError["problems"] };

/** `accountId`: the account the collector is deployed into, when known (the config does not say). */
export async function planCollector(input: PlanInput & { accountId?: string }): Promise<CollectorPlanResult> {
    const world = worldFor(input);
    if (input.accountId) world.accountId = input.accountId;
    const values = withoutNestedSecrets(programConfig(input));
    let config: CollectorConfig;
    try {
        config = validateCollectorConfig(values);
    } catch (error) {
        if (error instanceof ConfigError) return { ok: false, world, configProblems: error.problems };
        throw error;
    }
    world.defaultRegion = config.region;
    // One stand-in account per monitored stack: its outputs are read at deployment.
    const stackAccounts = new Map(config.monitoredStacks.map((name, i) => [name, `99999999${String(i).padStart(4, "0")}`]));

    const engine = new MockEngine(world, COLLECTOR_PROJECT, input.stackName);
    const newResource = engine.aws.newResource.bind(engine.aws);
    const call = engine.aws.call.bind(engine.aws);
    engine.aws.newResource = (args: pulumi.runtime.MockResourceArgs) => {
        if (args.type !== "pulumi:pulumi:StackReference") return newResource(args);
        const accountId = stackAccounts.get(args.inputs.name) ?? "999999999999";
        const outputs = {
            [STACK_OUTPUTS.accountId]: accountId,
            [STACK_OUTPUTS.roleArn]: integrationRoleArn(accountId, config.region, config.rolePath),
            [STACK_OUTPUTS.externalId]: SECRET_PLACEHOLDER,
            [STACK_OUTPUTS.regions]: [config.region],
        };
        return { id: args.inputs.name, state: { name: args.inputs.name, outputs, secretOutputNames: [STACK_OUTPUTS.externalId] } };
    };
    engine.aws.call = (args: pulumi.runtime.MockCallArgs) => {
        if (args.token === "aws:ec2/getSubnet:getSubnet") {
            engine.aws.calls.push(args);
            return { id: args.inputs.id, vpcId: STAND_IN_SUBNET_VPC };
        }
        if (args.token === "aws:ec2/getAmi:getAmi") {
            engine.aws.calls.push(args);
            return { id: "ami-stand-in", imageId: "ami-stand-in", rootDeviceName: config.rootDeviceName, rootDeviceType: "ebs" };
        }
        return call(args);
    };
    await runOffline(engine, values, input.encryptedKeys ?? [], () => { collectorProgram(config); });
    return { ok: true, world, config, resources: engine.registrations, reads: readsOf(engine), standIns: [...stackAccounts.values(), STAND_IN_SUBNET_VPC] };
}

/**
 * `pulumi config set --secret --path 'accounts[0].externalId'` encrypts one value inside a list:
 * offline it cannot be read, so it gets the placeholder, as a top-level secret does.
 */
function withoutNestedSecrets(values: Record<string, string>): Record<string, string> {
    const replace = (value: unknown): unknown => {
        if (Array.isArray(value)) return value.map(replace);
        if (value && typeof value === "object") {
            const entries = Object.entries(value);
            if (entries.length === 1 && entries[0][0] === "secure") return SECRET_PLACEHOLDER;
            return Object.fromEntries(entries.map(([k, v]) => [k, replace(v)]));
        }
        return value;
    };
    return Object.fromEntries(Object.entries(values).map(([key, text]) => {
        if (!text.startsWith("[") && !text.startsWith("{")) return [key, text];
        try {
            return [key, JSON.stringify(replace(JSON.parse(text)))];
        } catch {
            return [key, text];
        }
    }));
}

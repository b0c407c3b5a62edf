/**
 * Runs the monitored-account program (index.ts) under Pulumi's mock engine with a given stack
 * config, and returns what it would create.
 */
import * as path from "path";
import { ConfigError, CONFIG_NAMESPACE, IntegrationConfig, rawConfigFromStackConfig, validateIntegrationConfig } from "../model";
import { MockEngine, Registration } from "./mock-engine";
import { MockWorld } from "./mock-aws";
import { setProgramConfig, withoutPromiseStackCapture } from "./pulumi-internals";
import { ProgramFailedError } from "./errors";

export const PROGRAM = path.join(__dirname, "..", "index.ts");
export const PROJECT = "stackstate-aws";

/** Stands in for an encrypted value offline: valid for every key that may be secret. */
export const SECRET_PLACEHOLDER = "offline-plan-placeholder-secret-value";
const PLAN_ACCOUNT = "123456789012";

export interface PlanInput {
    stackName: string;
    config: Record<string, unknown>;
    encryptedKeys?: string[];
    /** VPCs that `flowLogs: all` discovers, per region. Default: none. */
    vpcs?: Record<string, string[]>;
}

export type PlanResult =
    | { ok: true; world: MockWorld; config: IntegrationConfig; resources: Registration[]; reads: PlannedInvoke[]; outputs: Record<string, unknown> }
    | { ok: false; world: MockWorld; configProblems: ConfigError["problems"] };

/** The account and default region the plan pretends to run in. */
export function worldFor(input: PlanInput): MockWorld {
    const accountId = input.config[`${CONFIG_NAMESPACE}:accountId`];
    const regions = input.config[`${CONFIG_NAMESPACE}:regions`];
    const defaultRegion = input.config["aws:region"]
        ?? input.config[`${CONFIG_NAMESPACE}:mainRegion`]
        ?? (Array.isArray(regions) ? regions[0] : undefined);
    return {
        accountId: typeof accountId === "string" && /^\d{12}$/.test(accountId) ? accountId : PLAN_ACCOUNT,
        defaultRegion: typeof defaultRegion === "string" ? defaultRegion : "us-east-1",
        vpcs: input.vpcs,
    };
}

/** Config values as Pulumi hands them to a program: strings, structured values as JSON text. */
export function programConfig(input: PlanInput): Record<string, string> {
    const encrypted = new Set(input.encryptedKeys ?? []);
    return Object.fromEntries(Object.entries(input.config).map(([key, value]) => [
        key,
        encrypted.has(key) ? SECRET_PLACEHOLDER : typeof value === "string" ? value : JSON.stringify(withNestedSecretsReplaced(value)),
    ]));
}

/**
 * `pulumi config set --secret --path 'accounts[0].externalId'` encrypts one value inside a
 * structured key (`{ secure: … }`); offline it cannot be read, so the placeholder stands in.
 */
function withNestedSecretsReplaced(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(withNestedSecretsReplaced);
    if (value === null || typeof value !== "object") return value;
    const entries = Object.entries(value);
    if (entries.length === 1 && entries[0][0] === "secure" && typeof entries[0][1] === "string") return SECRET_PLACEHOLDER;
    return Object.fromEntries(entries.map(([k, v]) => [k, withNestedSecretsReplaced(v)]));
}

export async function planStack(input: PlanInput): Promise<PlanResult> {
    const world = worldFor(input);
    const values = programConfig(input);
    // The program validates with the same function; doing it first means a bad config never
    // reaches the engine, and the plan knows the regions the program will use.
    let config: IntegrationConfig;
    try {
        config = validateIntegrationConfig(rawConfigFromStackConfig(values));
    } catch (error) {
        if (error instanceof ConfigError) return { ok: false, world, configProblems: error.problems };
        throw error;
    }

    const engine = new MockEngine(world, PROJECT, input.stackName);
    const outputs = await runOffline(engine, values, input.encryptedKeys ?? [], runProgram);
    return { ok: true, world, config, resources: engine.registrations, reads: readsOf(engine), outputs };
}

/** A data source the program read, with the region its provider called. */
export interface PlannedInvoke {
    token: string;
    region: string;
    inputs: Record<string, unknown>;
}

export function readsOf(engine: MockEngine): PlannedInvoke[] {
    return engine.aws.calls.map((call) => ({ token: call.token, region: engine.aws.regionOf(call.provider), inputs: call.inputs ?? {} }));
}

/**
 * Runs Pulumi code under the engine last created with the given config and waits for every
 * registration; an error raised inside the code's outputs fails the run.
 */
export async function runOffline<T>(engine: MockEngine, values: Record<string, string>, encryptedKeys: string[], run: () => T): Promise<T> {
    setProgramConfig(values, encryptedKeys);
    // Errors raised inside the program's outputs surface as rejections, not as a throw.
    const failures: unknown[] = [];
    const onRejection = (reason: unknown) => failures.push(reason);
    process.on("unhandledRejection", onRejection);
    let result: { value: T };
    try {
        // Boxed: a program that returns a promise (its outputs) is handed back unresolved, as before.
        result = await withoutPromiseStackCapture(async () => {
            const value = run();
            await engine.settle();
            // A registration whose input failed (a data source refused) is given up before its
            // outputs reject, which Node reports only after the current tick.
            await new Promise((resolve) => setImmediate(resolve));
            return { value };
        });
    } finally {
        process.off("unhandledRejection", onRejection);
    }
    // One failed input rejects every output of its resource: each message once.
    const messages = [...new Set(failures.map((f) => (f instanceof Error ? f.message : String(f))))];
    if (messages.length > 0) throw new ProgramFailedError(messages);
    return result.value;
}

/**
 * Loads the program afresh, as each `pulumi up` does. Node keeps a loaded module in the cache and
 * among its parent's children: drop it from both, or every plan's resources stay in memory.
 */
function runProgram(): Record<string, unknown> {
    const file = require.resolve(PROGRAM);
    delete require.cache[file];
    const outputs = require(file) as Record<string, unknown>;
    const loaded = require.cache[file];
    delete require.cache[file];
    module.children = module.children.filter((child) => child !== loaded);
    return outputs;
}

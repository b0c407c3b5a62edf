/**
 * Runs the monitored-account program (index.ts) under Pulumi's mock engine with a given stack
 * config, and returns what it would create.
 */
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { ConfigError, CONFIG_NAMESPACE } from "../model";
import { MockEngine, Registration } from "./mock-engine";
import { MockWorld } from "./mock-aws";

export const PROGRAM = path.join(__dirname, "..", "index.ts");

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

export interface PlanResult {
    world: MockWorld;
    resources: Registration[];
    /** Problems of the stack config, when the program refused it. */
    configProblems?: ConfigError["problems"];
}

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

export async function planStack(input: PlanInput): Promise<PlanResult> {
    const world = worldFor(input);
    const engine = new MockEngine(world, "stackstate-aws", input.stackName);
    const encrypted = new Set(input.encryptedKeys ?? []);
    const values = Object.fromEntries(Object.entries(input.config).map(([key, value]) => [
        key,
        encrypted.has(key) ? SECRET_PLACEHOLDER : typeof value === "string" ? value : JSON.stringify(value),
    ]));
    pulumi.runtime.setAllConfig(values, [...encrypted]);

    // Errors raised inside the program's outputs surface as rejections, not as a throw.
    const failures: unknown[] = [];
    const onRejection = (reason: unknown) => failures.push(reason);
    process.on("unhandledRejection", onRejection);
    try {
        delete require.cache[require.resolve(PROGRAM)];
        require(PROGRAM);
        await engine.settle();
    } catch (error) {
        if (error instanceof ConfigError) return { world, resources: [], configProblems: error.problems };
        throw error;
    } finally {
        process.off("unhandledRejection", onRejection);
    }
    if (failures.length > 0) {
        throw new Error(`the program failed: ${failures.map((f) => (f instanceof Error ? f.message : String(f))).join("; ")}`);
    }
    return { world, resources: engine.registrations };
}

/**
 * Runs pure policy objects in-process the way `@pulumi/policy`'s server does (server.js): props
 * behind the unknown-checking proxy, `getConfig` with the policy's config, a throwing
 * `notApplicable`, an unknown value read through the proxy turned into the server's advisory
 * "can't run during preview", and a violation reported as a string taking the policy's level.
 */
import {
    EnforcementLevel, PolicyResource, ResourceValidationArgs, ResourceValidationPolicy, StackValidationPolicy,
    unknownCheckingProxy, UnknownValueError,
} from "@pulumi/policy";

/** The value a preview sends for an output not known yet (what `@pulumi/policy`'s proxy detects). */
export const UNKNOWN = (require("@pulumi/policy/proxy") as { unknownStringValue: string }).unknownStringValue;

export interface Reported {
    /** The policy's own message (for an object report, without the description the pack prefixes). */
    message: string;
    enforcementLevel: EnforcementLevel;
    urn?: string;
}

export interface TestResource {
    type: string;
    name: string;
    props: Record<string, unknown>;
    /** Region of the resource's provider, if it has one. */
    providerRegion?: string;
}

const urnOf = (type: string, name: string) => `urn:pulumi:test::stackstate-aws::${type}::${name}`;

function notApplicable(reason?: string): never {
    throw new Error(`notApplicable: ${reason ?? ""}`);
}

function recorder(policy: { description: string; enforcementLevel?: EnforcementLevel }, reported: Reported[]) {
    const level = policy.enforcementLevel ?? "advisory";
    return (message: unknown, urn?: string) => {
        if (typeof message === "string") {
            reported.push({ message, enforcementLevel: level, urn });
            return;
        }
        const report = message as { message: string; enforcementLevel?: EnforcementLevel; urn?: string };
        const prefix = `${policy.description}\n`;
        reported.push({
            message: report.message.startsWith(prefix) ? report.message.slice(prefix.length) : report.message,
            enforcementLevel: report.enforcementLevel ?? level,
            urn: report.urn,
        });
    };
}

function resourceArgs(resource: TestResource, config: Record<string, unknown>): ResourceValidationArgs {
    const props = unknownCheckingProxy(resource.props) as Record<string, any>;
    const args = {
        type: resource.type,
        props,
        urn: urnOf(resource.type, resource.name),
        name: resource.name,
        opts: { protect: false, ignoreChanges: [], aliases: [], customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 }, additionalSecretOutputs: [] },
        stackTags: new Map<string, string>(),
        isType: () => false,
        asType: () => undefined,
        getConfig: <T extends object>() => config as T,
        notApplicable,
    } as unknown as ResourceValidationArgs;
    if (resource.providerRegion) {
        args.provider = { type: "pulumi:providers:aws", name: "default", urn: urnOf("pulumi:providers:aws", "default"), props: unknownCheckingProxy({ region: resource.providerRegion }) as Record<string, any> };
    }
    return args;
}

function previewAdvisory(policyName: string, error: UnknownValueError): Reported {
    return { message: `can't run policy '${policyName}' during preview: ${error.message}`, enforcementLevel: "advisory" };
}

/** Runs a resource policy's validation(s) on one resource. */
export async function validateResource(policy: ResourceValidationPolicy, resource: TestResource, config: Record<string, unknown> = {}): Promise<Reported[]> {
    const reported: Reported[] = [];
    const validations = Array.isArray(policy.validateResource) ? policy.validateResource : [policy.validateResource!];
    for (const validate of validations) {
        try {
            await validate(resourceArgs(resource, config), recorder(policy, reported) as never);
        } catch (error) {
            if (error instanceof UnknownValueError) reported.push(previewAdvisory(policy.name, error));
            else throw error;
        }
    }
    return reported;
}

/** Runs a resource policy's remediation; returns the new props (plain), or undefined when it changed nothing. */
export async function remediateResource(policy: ResourceValidationPolicy, resource: TestResource, config: Record<string, unknown> = {}): Promise<Record<string, unknown> | undefined> {
    const result = await policy.remediateResource!(resourceArgs({ ...resource, props: structuredClone(resource.props) }, config));
    if (!result) return undefined;
    const target = (result as { __getSpecialProxyTarget?: Record<string, unknown> }).__getSpecialProxyTarget ?? result;
    return { ...target };
}

/** A stack resource; link it to others with `dependOn`. */
export function stackResource(type: string, name: string, props: Record<string, unknown>): PolicyResource {
    return {
        type,
        name,
        urn: urnOf(type, name),
        props: unknownCheckingProxy(props) as Record<string, any>,
        opts: { protect: false, ignoreChanges: [], aliases: [], customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 }, additionalSecretOutputs: [] },
        dependencies: [],
        propertyDependencies: {},
        isType: () => false,
        asType: () => undefined,
    } as unknown as PolicyResource;
}

/** Records that `from`'s property `key` depends on `to` (as the engine would for `key: to.output`). */
export function dependOn(from: PolicyResource, key: string, to: PolicyResource): PolicyResource {
    from.propertyDependencies[key] = [...(from.propertyDependencies[key] ?? []), to];
    if (!from.dependencies.includes(to)) from.dependencies.push(to);
    return from;
}

/** Runs a stack policy over the resources. */
export async function validateStack(policy: StackValidationPolicy, resources: PolicyResource[], config: Record<string, unknown> = {}): Promise<Reported[]> {
    const reported: Reported[] = [];
    try {
        await policy.validateStack({
            resources,
            getConfig: <T extends object>() => config as T,
            stackTags: new Map<string, string>(),
            notApplicable,
        }, recorder(policy, reported) as never);
    } catch (error) {
        if (error instanceof UnknownValueError) reported.push(previewAdvisory(policy.name, error));
        else throw error;
    }
    return reported;
}

/** The mock engine's registrations as the engine would describe them to an analyzer. */
import type { Struct } from "google-protobuf/google/protobuf/struct_pb";
import type { Registration } from "../mock-engine";
import { WIRE } from "../pulumi-internals";
import type { AnalyzerResource } from "./types";

const { sigKey: SIG, resourceSig: RESOURCE_SIG, outputValueSig: OUTPUT_SIG, secretSig: SECRET_SIG, unknown: UNKNOWN } = WIRE;

/**
 * Wire values as the engine marshals them for analyzers (KeepUnknowns, KeepSecrets, no resource
 * references): a resource reference becomes its id (custom) or URN (component), an output value its
 * value (secret if it was) or unknown; internal `__` keys are dropped.
 */
export function engineProperties(struct: unknown): Record<string, unknown> {
    const value = struct && typeof (struct as Struct).toJavaScript === "function" ? (struct as Struct).toJavaScript() : (struct ?? {});
    const out = downgrade(value) as Record<string, unknown>;
    return Object.fromEntries(Object.entries(out).filter(([key]) => !key.startsWith("__")));
}

function downgrade(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(downgrade);
    if (!value || typeof value !== "object") return value;
    const obj = value as Record<string, unknown>;
    if (obj[SIG] === RESOURCE_SIG) {
        if ("id" in obj) return obj.id === "" || obj.id === undefined ? UNKNOWN : obj.id;
        return obj.urn;
    }
    if (obj[SIG] === OUTPUT_SIG) {
        const inner = "value" in obj ? downgrade(obj.value) : UNKNOWN;
        return obj.secret ? { [SIG]: SECRET_SIG, value: inner } : inner;
    }
    return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, downgrade(v)]));
}

/** Registrations as Analyze (inputs) or AnalyzeStack (outputs) resources, with their providers. */
export function analyzerResources(registrations: readonly Registration[], use: "inputs" | "outputs"): AnalyzerResource[] {
    const byUrn = new Map(registrations.map((r) => [r.urn, r]));
    return registrations.map((r) => {
        const providerUrn = r.provider ? r.provider.slice(0, r.provider.lastIndexOf("::")) : undefined;
        const provider = providerUrn ? byUrn.get(providerUrn) : undefined;
        return {
            urn: r.urn,
            type: r.type,
            name: r.name,
            properties: engineProperties(use === "inputs" ? r.rawObject : r.rawOutputs ?? r.rawObject),
            provider: provider
                ? { urn: provider.urn, type: provider.type, name: provider.name, properties: engineProperties(provider.rawObject) }
                : defaultProvider(r),
            parent: r.parent,
            dependencies: r.dependencies,
            propertyDependencies: r.propertyDependencies,
        };
    });
}

/**
 * The engine gives every custom resource without an explicit provider its package's default
 * provider, configured from the stack (e.g. `aws:region`); the mock engine registers none, so we
 * describe the one the engine would use.
 */
function defaultProvider(r: Registration): AnalyzerResource["provider"] {
    const pkg = r.type.split(":")[0];
    if (!r.custom || pkg === "pulumi" || !r.region) return undefined;
    const stackPrefix = r.urn.split("::").slice(0, 2).join("::");
    return { urn: `${stackPrefix}::pulumi:providers:${pkg}::default`, type: `pulumi:providers:${pkg}`, name: "default", properties: { region: r.region } };
}

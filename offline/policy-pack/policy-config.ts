/** A `--policy-pack-config` file against the pack's policies and their schemas, as the Pulumi CLI reconciles it. */
import Ajv from "ajv";
import { PolicyConfigInvalidError } from "../errors";
import { AnalyzerInfo, ENFORCEMENT_LEVELS, EnforcementLevel, PolicyConfig, PolicyPackConfigFile } from "./types";

/**
 * Each policy's config as the CLI sends it: schema defaults and the policy's own level, then the
 * "all" level, then the user's settings per policy; validated against each policy's schema. Every
 * problem is reported at once, as a PolicyConfigInvalidError (the user's config is bad input).
 */
export function resolvePolicyConfig(info: AnalyzerInfo, given: PolicyPackConfigFile = {}): Record<string, PolicyConfig> {
    const problems: string[] = [];
    const parsed: Record<string, { enforcementLevel?: EnforcementLevel; properties: Record<string, unknown> }> = {};
    for (const [name, value] of Object.entries(given)) {
        if (typeof value === "string") {
            if (!ENFORCEMENT_LEVELS.includes(value)) problems.push(`Value "${value}" for "${name}" is not a valid enforcement level; use one of ${ENFORCEMENT_LEVELS.join(", ")}.`);
            else parsed[name] = { enforcementLevel: value, properties: {} };
        } else if (value && typeof value === "object" && !Array.isArray(value)) {
            const { enforcementLevel, ...properties } = value;
            if (enforcementLevel !== undefined && !ENFORCEMENT_LEVELS.includes(enforcementLevel as EnforcementLevel)) {
                problems.push(`Value ${JSON.stringify(enforcementLevel)} for "${name}" is not a valid enforcement level; use one of ${ENFORCEMENT_LEVELS.join(", ")}.`);
            }
            parsed[name] = { enforcementLevel: enforcementLevel as EnforcementLevel | undefined, properties };
        } else {
            problems.push(`Value ${JSON.stringify(value)} for "${name}" is not valid; it must be an enforcement level or an object.`);
        }
    }
    const known = new Set(info.policies.map((p) => p.name));
    for (const name of Object.keys(parsed)) {
        if (name !== "all" && !known.has(name)) problems.push(`"${name}" is not a policy of ${info.name}; its policies are ${[...known].join(", ")}.`);
    }

    const result: Record<string, PolicyConfig> = {};
    const all = parsed.all?.enforcementLevel;
    for (const policy of info.policies) {
        const defaults = Object.fromEntries(Object.entries(policy.configSchema?.properties ?? {})
            .filter(([, schema]) => "default" in schema).map(([key, schema]) => [key, schema.default]));
        const mine = parsed[policy.name];
        result[policy.name] = {
            enforcementLevel: mine?.enforcementLevel ?? all ?? policy.enforcementLevel,
            properties: { ...defaults, ...(mine?.properties ?? {}) },
        };
        const given = Object.keys(mine?.properties ?? {});
        if (!policy.configSchema && given.length > 0) {
            problems.push(`Policy "${policy.name}" has no settings (only enforcementLevel), got ${given.map((k) => JSON.stringify(k)).join(", ")}.`);
        }
        if (policy.configSchema) {
            // Unlike the Pulumi CLI, refuse settings the policy does not have: a misspelt one would
            // otherwise be ignored, and the policy run with its default.
            const validate = ajv.compile({
                type: "object",
                properties: { ...policy.configSchema.properties, enforcementLevel: { type: "string", enum: ENFORCEMENT_LEVELS } },
                required: policy.configSchema.required,
                additionalProperties: false,
            });
            if (!validate(result[policy.name].properties)) {
                const settings = Object.keys(policy.configSchema.properties);
                for (const e of validate.errors ?? []) {
                    if (e.keyword === "additionalProperties") {
                        const unknown = (e.params as { additionalProperty: string }).additionalProperty;
                        problems.push(`Policy "${policy.name}" has no setting ${JSON.stringify(unknown)}; its settings are ${settings.length > 0 ? settings.join(", ") : "none"} (and enforcementLevel).`);
                        continue;
                    }
                    problems.push(`Policy "${policy.name}": ${e.instancePath ? `${e.instancePath.slice(1).replace(/\//g, ".")} ` : ""}${e.message}.`);
                }
            }
        }
    }
    if (problems.length > 0) throw new PolicyConfigInvalidError(problems);
    return result;
}

// Not model/schema-problems.ts's setup: these schemas are the policies' own configSchemas, any JSON
// schema the Pulumi CLI accepts, so ajv's strict mode would refuse what the CLI takes.
const ajv = new Ajv({ allErrors: true, strict: false });

/**
 * The one validation path of a stack's config (the monitored-account stack's and the
 * collector's): Pulumi's stored text → values → the schema's problems and the rules between keys,
 * in one pass, so a user meets every problem at once instead of fixing one batch to meet a second.
 *
 * Each rule between keys sees only the keys that passed the schema (`sound`), so it never judges
 * a value the schema already refused, and never repeats the schema's message about it. Whether a
 * key was given at all (`given`) is kept apart: "set agentRoleArns or agentAccountId" must not
 * fire when agentRoleArns was given but malformed.
 *
 * Messages have one format and secrets are never echoed (schema-problems.ts, SECRET_NAMES).
 */
import { ValidateFunction } from "ajv";
import { SchemaProblem, validateWithSchema } from "./schema-problems";

export interface ConfigProblem {
    /** The fully qualified config key, e.g. `stackstate-aws:regions`. */
    key: string;
    message: string;
}

export class ConfigError extends Error {
    constructor(readonly problems: ConfigProblem[]) {
        super(`Invalid stack configuration:\n${problems.map((p) => `  - ${p.key}: ${p.message}`).join("\n")}`);
        this.name = "ConfigError";
    }
}

/** What the rules between keys are given. */
export interface RuleInput<Values> {
    /** The values of the keys that passed the schema (defaults filled in). */
    sound: Partial<Values>;
    /** Every key that was set, sound or not. */
    given: ReadonlySet<string>;
    /**
     * Every value that could be parsed, sound or not: for rules that judge the sound parts of a
     * list the schema refused in part (one bad account must not hide the rules' findings on the others).
     */
    written: Readonly<Record<string, unknown>>;
}

export interface ConfigSpec<Values> {
    namespace: string;
    /** The compiled schema (compileSchema); it fills in defaults if compiled to. */
    validate: ValidateFunction;
    /** Keys Pulumi stores as JSON text (lists and maps). */
    structuredKeys: readonly string[];
    /** Keys whose entries hold secrets: never echoed whole, nor an entry (schema-problems.ts). Default: none. */
    secretHolders?: readonly string[];
    /** Keys Pulumi stores as text that are numbers. Default: none. */
    numericKeys?: readonly string[];
    /** The rules between keys; keys in their problems are unqualified. */
    rules: (input: RuleInput<Values>) => ConfigProblem[];
}

/** Validated values, or every problem found. */
export type ConfigResult<Values> = { ok: true; values: Values } | { ok: false; problems: ConfigProblem[] };

/**
 * Validates raw values keyed without namespace (`undefined` = not set). Structured values may be
 * JSON text, as Pulumi stores them, or already parsed.
 */
export function validateConfig<Values>(raw: Record<string, unknown>, spec: ConfigSpec<Values>): ConfigResult<Values> {
    const qualified = (key: string) => `${spec.namespace}:${key}`;
    const problems: ConfigProblem[] = [];
    const values: Record<string, unknown> = {};
    const unparsable = new Set<string>();
    for (const [key, value] of Object.entries(raw)) {
        if (value === undefined) continue;
        if (spec.structuredKeys.includes(key) && typeof value === "string") {
            try {
                values[key] = JSON.parse(value);
            } catch {
                unparsable.add(key);
                problems.push({ key: qualified(key), message: "must be structured (a YAML list or map), not plain text" });
            }
        } else if ((spec.numericKeys ?? []).includes(key) && typeof value === "string" && /^-?\d+(\.\d+)?$/.test(value)) {
            values[key] = Number(value);
        } else {
            values[key] = value;
        }
    }
    const given = new Set([...Object.keys(values), ...unparsable]);
    const unparsableKeys = new Set([...unparsable].map(qualified));
    problems.push(...validateWithSchema(spec.validate, values, { namespace: spec.namespace, secretHolders: spec.secretHolders })
        // A required key that could not be parsed is already reported as such.
        .filter((p) => !(unparsableKeys.has(p.key) && p.message === "is required")));

    const refused = new Set(problems.map((p) => p.key));
    const sound = Object.fromEntries(Object.entries(values).filter(([key]) => !refused.has(qualified(key)))) as Partial<Values>;
    problems.push(...spec.rules({ sound, given, written: values }).map((p) => ({ ...p, key: qualified(p.key) })));
    return problems.length > 0 ? { ok: false, problems } : { ok: true, values: values as Values };
}

/** One entry of a list, split by its own schema: the fields it passed, and the fields it refused. */
export interface SoundEntry<T> {
    sound: Partial<T>;
    /** Fields given but refused; `(root)` when the entry is not an object at all. */
    refused: ReadonlySet<string>;
    /** The schema's problems with the entry, keyed by field, for callers that report them. */
    problems: SchemaProblem[];
}

/**
 * Each entry of a list split by the entry's schema (compiled without defaults), for rules that
 * judge the sound parts of a list the schema refused in part: one bad entry must not hide the
 * rules' findings on the others, and a refused field must neither be judged again nor be taken
 * for one left out (an entry whose own regions were refused does not inherit the stack's).
 */
export function soundEntries<T>(validate: ValidateFunction, entries: readonly unknown[]): SoundEntry<T>[] {
    return entries.map((entry) => {
        const problems = validateWithSchema(validate, entry);
        if (entry === null || typeof entry !== "object" || Array.isArray(entry)) return { sound: {}, refused: new Set(["(root)"]), problems };
        const refused = new Set(problems.map((p) => p.key));
        const sound = Object.fromEntries(Object.entries(entry).filter(([key]) => !refused.has(key))) as Partial<T>;
        return { sound, refused, problems };
    });
}

/**
 * JSON-schema validation that speaks to people, the one ajv setup and message format of every
 * input this package validates (the stack configs, the monitored accounts, the Agent's check
 * files): ajv's errors become one sentence per top-level key, naming the key and the rule it
 * breaks (the schema's `x-rule`, else ajv's wording), where in the value it broke
 * (`at [0].roleArn`) and the offending value, unless it is a secret.
 */
import Ajv, { ErrorObject, ValidateFunction } from "ajv";

export interface SchemaProblem {
    /** The top-level key, prefixed with the namespace when one is given (`ns:key`). */
    key: string;
    message: string;
}

/** Property names whose values are secrets, in any input: never echoed in a problem. */
export const SECRET_NAMES: readonly string[] = ["externalId", "external_id", "aws_secret_access_key"];

export interface SchemaProblemOptions {
    /** Config namespace written before each key, e.g. `stackstate-aws-collector`. Default: none. */
    namespace?: string;
    /** Property names whose values are never echoed, at any depth. Default: SECRET_NAMES. */
    secretNames?: readonly string[];
    /**
     * Top-level keys whose entries hold secrets (a list of accounts with their ExternalIds): neither
     * the value nor an entry is echoed, as a misspelt or misplaced secret is not under a secret name.
     */
    secretHolders?: readonly string[];
}

/** Compiles a schema whose nodes may carry `x-rule` (the rule in words) and `description`. */
export function compileSchema<T = unknown>(schema: object, options: { useDefaults?: boolean } = {}): ValidateFunction<T> {
    const ajv = new Ajv({ allErrors: true, verbose: true, strict: true, useDefaults: options.useDefaults ?? false });
    ajv.addKeyword({ keyword: "x-rule", schemaType: "string" });
    return ajv.compile<T>(schema);
}

/** Validates `value` and returns its problems, `[]` when it conforms. */
export function validateWithSchema(validate: ValidateFunction, value: unknown, options: SchemaProblemOptions = {}): SchemaProblem[] {
    if (validate(value)) return [];
    return schemaProblems(validate.errors ?? [], validate.schema as SchemaNode, options);
}

interface SchemaNode {
    "x-rule"?: string;
    properties?: Record<string, SchemaNode>;
    propertyNames?: SchemaNode;
}

export function schemaProblems(errors: ErrorObject[], rootSchema: SchemaNode, options: SchemaProblemOptions = {}): SchemaProblem[] {
    const secretNames = options.secretNames ?? SECRET_NAMES;
    const qualify = (key: string) => (options.namespace ? `${options.namespace}:${key}` : key);
    const byKey = new Map<string, string[]>();
    const add = (key: string, message: string) => {
        const messages = byKey.get(key) ?? [];
        if (!messages.includes(message)) messages.push(message);
        byKey.set(key, messages);
    };
    const knownKeys = Object.keys(rootSchema.properties ?? {});
    for (const error of errors) {
        // The anyOf and propertyNames branches' own errors are noise: their parent states the rule.
        if (/\/(anyOf\/\d+|propertyNames)\//.test(error.schemaPath)) continue;
        const [, key, ...rest] = error.instancePath.split("/").map(unescapePointer);
        if (error.instancePath === "") {
            if (error.keyword === "additionalProperties") {
                add(paramOf(error, "additionalProperty"), `is not a known key. Known keys are: ${knownKeys.join(", ")}.`);
            } else if (error.keyword === "required") {
                add(paramOf(error, "missingProperty"), "is required");
            } else {
                add("(root)", ruleOf(error));
            }
            continue;
        }
        const where = rest.length > 0 ? ` (at ${rest.map((part) => (/^\d+$/.test(part) ? `[${part}]` : `.${part}`)).join("").replace(/^\./, "")})` : "";
        const isSecret = [key, ...rest].some((part) => secretNames.includes(part))
            || ((options.secretHolders ?? []).includes(key) && rest.length < 2);
        if (error.keyword === "required") {
            add(key, `must have ${paramOf(error, "missingProperty")}${where}`);
        } else if (error.keyword === "additionalProperties" && (error.parentSchema as SchemaNode).properties) {
            const known = Object.keys((error.parentSchema as SchemaNode).properties ?? {});
            add(key, `has unknown key '${paramOf(error, "additionalProperty")}'${where}; known keys are: ${known.join(", ")}`);
        } else {
            add(key, `${ruleOf(error)}${where}${isSecret ? "" : offendingValue(error, secretNames)}`);
        }
    }
    return [...byKey].map(([key, messages]) => ({ key: qualify(key), message: joinMessages(messages) }));
}

/** Messages shown per key: 3,000 bad list items make one readable line, not megabytes. */
export const MESSAGES_PER_KEY = 5;

/** A key's messages as one line: the first MESSAGES_PER_KEY, then how many more there are. */
export function joinMessages(messages: readonly string[]): string {
    const shown = messages.slice(0, MESSAGES_PER_KEY).join("; ");
    const more = messages.length - MESSAGES_PER_KEY;
    return more > 0 ? `${shown}; and ${more} more problem${more > 1 ? "s" : ""} like these` : shown;
}

function paramOf(error: ErrorObject, name: string): string {
    return String((error.params as Record<string, unknown>)[name]);
}

function ruleOf(error: ErrorObject): string {
    const schema = error.parentSchema as SchemaNode | undefined;
    const own = error.keyword === "propertyNames" ? schema?.propertyNames : schema;
    return own?.["x-rule"] ?? error.message ?? "is invalid";
}

function offendingValue(error: ErrorObject, secretNames: readonly string[]): string {
    if (error.keyword === "propertyNames") {
        const name = (error.params as { propertyName?: string }).propertyName;
        return name !== undefined ? `: ${JSON.stringify(name)}` : "";
    }
    const text = JSON.stringify(redact(error.data, secretNames));
    return text !== undefined && text.length <= 200 ? `, got ${text}` : "";
}

/** A copy with the values of secret properties replaced, so an error never prints a secret. */
export function redact(value: unknown, secretNames: readonly string[]): unknown {
    if (Array.isArray(value)) return value.map((v) => redact(v, secretNames));
    if (value && typeof value === "object") {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, secretNames.includes(k) ? "[secret]" : redact(v, secretNames)]));
    }
    return value;
}

function unescapePointer(part: string): string {
    return part.replace(/~1/g, "/").replace(/~0/g, "~");
}

/** The shape of IAM policy documents, and the size rules IAM enforces on them (docs/stackstate-integration.md#iam-limits-that-bite). */

export type OneOrMany<T> = T | T[];
export type ConditionBlock = Record<string, Record<string, OneOrMany<string | boolean | number>>>;
export type Principal = "*" | Record<string, OneOrMany<string>>;

export interface PolicyStatement {
    Sid?: string;
    Effect: "Allow" | "Deny";
    Action?: OneOrMany<string>;
    NotAction?: OneOrMany<string>;
    Resource?: OneOrMany<string>;
    NotResource?: OneOrMany<string>;
    Principal?: Principal;
    NotPrincipal?: Principal;
    Condition?: ConditionBlock;
}

export interface PolicyDocument {
    Version: "2012-10-17";
    Id?: string;
    Statement: PolicyStatement[];
}

export const IAM_LIMITS = {
    /** Characters of one customer-managed policy, whitespace not counted. */
    managedPolicyChars: 6144,
    /** Characters of all inline policies of one role together. */
    inlinePoliciesCharsPerRole: 10240,
    /** Characters of a role's trust policy (the default quota). */
    trustPolicyChars: 2048,
    /** Managed policies attached to one role (the default quota). */
    managedPoliciesPerRole: 10,
    roleNameChars: 64,
} as const;

export function document(statements: PolicyStatement[]): PolicyDocument {
    return { Version: "2012-10-17", Statement: statements };
}

export function asArray<T>(value: OneOrMany<T> | undefined): T[] {
    if (value === undefined) return [];
    return Array.isArray(value) ? value : [value];
}

/** IAM's size measure: the JSON text without whitespace. */
export function policySize(doc: PolicyDocument): number {
    return JSON.stringify(doc).replace(/\s/g, "").length;
}

/**
 * Packs statements into as few documents as possible, each within `limit` characters
 * (first-fit, in the given order so the result is stable). A statement too large on its own
 * is split by its actions, keeping its Sid with a numeric suffix.
 */
export function packStatements(statements: PolicyStatement[], limit: number): PolicyDocument[] {
    const docs: PolicyStatement[][] = [];
    for (const statement of statements.flatMap((s) => splitToFit(s, limit))) {
        const home = docs.find((doc) => policySize(document([...doc, statement])) <= limit);
        if (home) home.push(statement);
        else docs.push([statement]);
    }
    return docs.map(document);
}

function splitToFit(statement: PolicyStatement, limit: number): PolicyStatement[] {
    if (policySize(document([statement])) <= limit) return [statement];
    const actions = asArray(statement.Action);
    if (actions.length < 2) {
        throw new Error(`IAM statement '${statement.Sid ?? "(no Sid)"}' is larger than ${limit} characters on its own.`);
    }
    const half = Math.ceil(actions.length / 2);
    const parts = [actions.slice(0, half), actions.slice(half)].map((part, i) => ({
        ...statement,
        Sid: `${statement.Sid ?? "Statement"}${i + 1}`,
        Action: part,
    }));
    return parts.flatMap((part) => splitToFit(part, limit));
}

/**
 * IAM returns documents URL-encoded (GetRole, GetRolePolicy, GetPolicyVersion), while some
 * emulators and hand-written inputs do not: accept either, and objects as they are.
 */
export function parsePolicyDocument(value: unknown): PolicyDocument {
    if (typeof value !== "string") return value as PolicyDocument;
    const text = value.trimStart().startsWith("{") ? value : decodeURIComponent(value);
    return JSON.parse(text) as PolicyDocument;
}

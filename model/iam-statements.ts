/**
 * Policy documents read into what model/iam-eval.ts decides on: each statement's effect, its
 * Action / NotAction and Resource / NotResource lists as patterns (model/glob-sets.ts), and
 * whether its condition holds for the caller's requests (model/iam-conditions.ts). A document
 * that cannot be read stays "unknown", with the reason, so the evaluator never guesses.
 */
import { asArray, ConditionBlock, parsePolicyDocument, PolicyDocument, PolicyStatement } from "./iam-document";
import { iamPattern, Pattern, PatternOptions } from "./glob-sets";
import { conditionHolds, Truth } from "./iam-conditions";

/** One policy of the principal: a document, or the reason it cannot be known. */
export type PolicySource =
    | { name: string; document: PolicyDocument | string }
    | { name: string; unknown: string };

export interface Statement {
    label: string;
    effect: "Allow" | "Deny";
    actions?: Pattern[];
    notActions?: Pattern[];
    resources?: Pattern[];
    notResources?: Pattern[];
    /** The Resource or NotResource list contains `*`. */
    everyResource: boolean;
    condition?: ConditionBlock;
    /** Whether the condition holds for the caller's requests. */
    holds: Truth;
}

export type Parsed = { name: string; statements: Statement[] } | { name: string; unknown: string };

export type Known = { name: string; statements: Statement[] };
export const isKnown = (p: Parsed): p is Known => "statements" in p;

/** Action names compare case-insensitively. */
export const ACTION: PatternOptions = { caseInsensitive: true };

// A stack's policies are judged again and again (every role, every run of a pack): parsing a
// document text once per request context is enough.
const parsedTexts = new Map<string, Parsed>();

/** The statements of one policy, or why it cannot be known; parsed once per text and request context. */
export function parseSource(source: PolicySource, context: Readonly<Record<string, string>>): Parsed {
    if ("unknown" in source || typeof source.document !== "string") return parseDocument(source, context);
    const key = `${JSON.stringify(context)}\u0000${source.name}\u0000${source.document}`;
    let parsed = parsedTexts.get(key);
    if (!parsed) {
        parsed = parseDocument(source, context);
        if (parsedTexts.size > 500) parsedTexts.clear();
        parsedTexts.set(key, parsed);
    }
    return parsed;
}

function parseDocument(source: PolicySource, context: Readonly<Record<string, string>>): Parsed {
    if ("unknown" in source) return source;
    let doc: PolicyDocument;
    try {
        doc = parsePolicyDocument(source.document);
    } catch {
        return { name: source.name, unknown: `${source.name} is not a valid JSON policy document` };
    }
    if (!doc || typeof doc !== "object") return { name: source.name, unknown: `${source.name} is not a policy document` };
    const patterns = (value: unknown, options: PatternOptions) => value === undefined ? undefined
        : asArray(value as string | string[]).map((r) => iamPattern(String(r), options));
    const statements = asArray(doc.Statement as PolicyStatement | PolicyStatement[] | undefined)
        .filter((s) => s && (s.Effect === "Allow" || s.Effect === "Deny"))
        .map((s, i): Statement => {
            // A policy variable's value is unknown here: read it the way that makes the statement
            // apply more if it is a Deny, less if it is an Allow.
            const resources = patterns(s.Resource, { arn: true, variablesAsRuns: s.Effect === "Deny" });
            const notResources = patterns(s.NotResource, { arn: true, variablesAsRuns: s.Effect === "Allow" });
            return {
                label: `statement ${s.Sid ? `'${s.Sid}'` : i + 1} of ${source.name}`,
                effect: s.Effect,
                actions: patterns(s.Action, ACTION),
                notActions: patterns(s.NotAction, ACTION),
                resources,
                notResources,
                everyResource: (resources ?? notResources ?? []).some((p) => p.matchesEverything),
                condition: s.Condition && Object.keys(s.Condition).length > 0 ? s.Condition : undefined,
                holds: conditionHolds(s.Condition, context),
            };
        });
    return { name: source.name, statements };
}

/**
 * IAM policy conditions, as far as they can be decided offline: a condition on a key whose value
 * is the same in every request of the caller (the request context, e.g. `aws:SecureTransport`)
 * is evaluated; anything else is "unknown". Used by model/iam-eval.ts, which treats "unknown" as
 * "may not hold" in an Allow and "may hold" in a Deny.
 */
import { asArray, ConditionBlock } from "./iam-document";
import { iamPattern } from "./glob-sets";

/** Whether something holds: `"unknown"` when it cannot be decided from what is known. */
export type Truth = true | false | "unknown";

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
        // IAM matches ArnEquals like ArnLike: the values may hold wildcards, each ARN field apart.
        case "ArnEquals":
        case "ArnLike":
            return values.some((pattern) => iamPattern(pattern, { arn: true }).matches(actual));
        case "ArnNotEquals":
        case "ArnNotLike":
            return !values.some((pattern) => iamPattern(pattern, { arn: true }).matches(actual));
        case "Null":
            // Null:true means "the key is absent"; a known key is present.
            return lower.includes("false");
        default:
            return "unknown";
    }
}

/** Every entry of the block must hold: false if one surely fails, "unknown" if one cannot be decided. */
export function conditionHolds(condition: ConditionBlock | undefined, context: Readonly<Record<string, string>>): Truth {
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

/** The condition in words, for reasons: `Bool aws:SecureTransport true and …`. */
export function describeCondition(condition: ConditionBlock): string {
    return Object.entries(condition)
        .flatMap(([operator, entries]) => Object.entries(entries ?? {}).map(([key, value]) =>
            `${operator} ${key} ${asArray(value).map(String).join(", ")}`))
        .join(" and ");
}

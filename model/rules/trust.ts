/** Rules for trust policies of roles assumed with an ExternalId (docs/stackstate-integration.md#integration-role). */
import { asArray, parsePolicyDocument, PolicyStatement } from "../iam-document";
import { actionMatches } from "./action-match";

const EXTERNAL_ID_KEY = "sts:externalid";

function allowsAssumeRole(statement: PolicyStatement): boolean {
    return statement.Effect === "Allow" && asArray(statement.Action).some((a) => actionMatches(a, "sts:AssumeRole"));
}

/** Principals other than AWS services: the ones an ExternalId must guard. */
function awsPrincipals(statement: PolicyStatement): string[] {
    const principal = statement.Principal;
    if (principal === undefined) return [];
    if (principal === "*") return ["*"];
    return asArray(principal.AWS);
}

/** Condition entries on sts:ExternalId, as [operator, values]. Condition keys are case-insensitive. */
function externalIdConditions(statement: PolicyStatement): [string, string[]][] {
    const found: [string, string[]][] = [];
    for (const [operator, entries] of Object.entries(statement.Condition ?? {})) {
        for (const [key, value] of Object.entries(entries ?? {})) {
            if (key.toLowerCase() === EXTERNAL_ID_KEY) found.push([operator, asArray(value).map(String)]);
        }
    }
    return found;
}

/** The document's statements that are objects (hand-written documents may hold anything). */
function statementsOf(trustPolicy: unknown): PolicyStatement[] {
    const doc = parsePolicyDocument(trustPolicy);
    if (!doc || typeof doc !== "object") return [];
    return asArray(doc.Statement).filter((s) => s && typeof s === "object");
}

/** True when the trust policy mentions sts:ExternalId at all: the role is meant for ExternalId callers. */
export function usesExternalId(trustPolicy: unknown): boolean {
    return statementsOf(trustPolicy).some((s) => externalIdConditions(s).length > 0);
}

/**
 * Every statement that lets an AWS principal assume the role must require the ExternalId with
 * plain `StringEquals`: `...IfExists` admits callers with no ID, `StringLike` with a wildcard admits
 * any ID, and either makes the Agent refuse to run.
 */
export function externalIdTrustProblems(trustPolicy: unknown): string[] {
    const problems: string[] = [];
    statementsOf(trustPolicy).forEach((statement, index) => {
        if (!allowsAssumeRole(statement)) return;
        const principals = awsPrincipals(statement);
        if (principals.length === 0) return;
        const name = statement.Sid ? `statement '${statement.Sid}'` : `statement ${index + 1}`;
        if (principals.includes("*")) {
            problems.push(`${name} must not let any AWS principal ('*') assume the role`);
        }
        const conditions = externalIdConditions(statement);
        const exact = conditions.filter(([op]) => op === "StringEquals");
        for (const [op, values] of conditions) {
            if (op.endsWith("IfExists")) {
                problems.push(`${name} must use StringEquals on sts:ExternalId, not ${op} (it admits callers without an ExternalId)`);
            } else if (op !== "StringEquals") {
                const wild = values.some((v) => /[*?]/.test(v));
                problems.push(`${name} must use StringEquals on sts:ExternalId, not ${op}${wild ? " with a wildcard (it admits any ExternalId)" : ""}`);
            }
        }
        if (exact.length === 0 && !conditions.some(([op]) => op.endsWith("IfExists") || op !== "StringEquals")) {
            problems.push(`${name} must require sts:ExternalId with StringEquals`);
        }
        if (exact.some(([, values]) => values.length === 0 || values.some((v) => v === ""))) {
            problems.push(`${name} must require a non-empty sts:ExternalId`);
        }
        // StringEquals compares literally, and no valid ExternalId contains * or ?: such a value
        // is a wildcard meant to match any ID, which instead admits nobody.
        const wildcards = exact.flatMap(([, values]) => values.filter((v) => /[*?]/.test(v)));
        if (wildcards.length > 0) {
            problems.push(`${name} must require the literal ExternalId, not the wildcard ${wildcards.map((v) => `'${v}'`).join(", ")}`);
        }
    });
    return problems;
}

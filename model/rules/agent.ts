/** Rules for the Agent host's permission to assume integration roles. */
import { arnAccountId } from "../arn";
import { asArray, parsePolicyDocument } from "../iam-document";
import { actionMatches } from "./action-match";

/**
 * When the monitored accounts are known, `sts:AssumeRole` must name them: a `*` account (or `*`
 * resource) lets the host assume matching roles in any account.
 */
export function assumeRoleOnAnyAccountProblems(policy: unknown): string[] {
    const doc = parsePolicyDocument(policy);
    const problems: string[] = [];
    for (const statement of asArray(doc?.Statement)) {
        if (!statement || typeof statement !== "object" || statement.Effect !== "Allow" || !asArray(statement.Action).some((a) => actionMatches(a, "sts:AssumeRole"))) continue;
        if (statement.NotResource !== undefined) {
            problems.push("sts:AssumeRole must name the monitored accounts in Resource, not be allowed on everything outside NotResource");
        }
        for (const resource of asArray(statement.Resource).map(String)) {
            const account = arnAccountId(resource);
            if (resource === "*" || account === undefined || /[*?]/.test(account)) {
                problems.push(`sts:AssumeRole must name the monitored accounts, not '${resource}'`);
            }
        }
    }
    return problems;
}

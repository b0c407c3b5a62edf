/**
 * `verify --deployer-role-arn`: does a role allow everything the deploy policy of a stack grants?
 * Asked of IAM's policy simulator (its policies, permissions boundary and the organization's SCPs
 * together), statement by statement: the statement's actions on its resources, with its
 * condition values as the request context a deployment will send.
 */
import { ContextEntry, EvaluationResult, IAMClient, paginateSimulatePrincipalPolicy } from "@aws-sdk/client-iam";
import { asArray, PolicyStatement } from "../../model";
import { NamedPolicy } from "../../model/deployer";
import { awsCall } from "../aws/errors";
import { fail, pass, Verdict } from "./checks";
import { reasonFor } from "./permission-checks";

/** One simulation: a statement's actions and resources, with one value for each condition key. */
export interface SimulationCase {
    actions: string[];
    /** Empty: `*`. */
    resources: string[];
    context: ContextEntry[];
}

/**
 * A condition listing several values (`iam:PolicyARN` of two policies) is met by any one of them:
 * each is simulated on its own, as each request carries one.
 */
export function simulationCases(statement: PolicyStatement): SimulationCase[] {
    const resources = asArray(statement.Resource).filter((r) => r !== "*");
    let contexts: ContextEntry[][] = [[]];
    for (const block of Object.values(statement.Condition ?? {})) {
        for (const [key, value] of Object.entries(block)) {
            contexts = contexts.flatMap((context) => asArray(value).map((one) => [
                ...context, { ContextKeyName: key, ContextKeyValues: [String(one)], ContextKeyType: "string" as const },
            ]));
        }
    }
    return contexts.map((context) => ({ actions: asArray(statement.Action), resources, context }));
}

async function simulate(iam: IAMClient, roleArn: string, c: SimulationCase): Promise<EvaluationResult[]> {
    return awsCall("iam:SimulatePrincipalPolicy", async () => {
        const results: EvaluationResult[] = [];
        const pages = paginateSimulatePrincipalPolicy({ client: iam }, {
            PolicySourceArn: roleArn,
            ActionNames: c.actions,
            ...(c.resources.length > 0 ? { ResourceArns: c.resources } : {}),
            ...(c.context.length > 0 ? { ContextEntries: c.context } : {}),
        });
        for await (const page of pages) results.push(...(page.EvaluationResults ?? []));
        return results;
    });
}

/** "iam:PassRole on arn:… with iam:PassedToService=firehose.amazonaws.com (not allowed by the role's policies)". */
function denialsOf(c: SimulationCase, results: readonly EvaluationResult[]): string[] {
    const when = c.context.length > 0 ? ` with ${c.context.map((e) => `${e.ContextKeyName}=${e.ContextKeyValues?.join(",")}`).join(", ")}` : "";
    const answered = new Set(results.map((r) => (r.EvalActionName ?? "").toLowerCase()));
    const unanswered = c.actions.filter((a) => !answered.has(a.toLowerCase()));
    if (unanswered.length > 0) throw new Error(`the policy simulator returned no result for ${unanswered.join(", ")}`);
    return results.flatMap((result) => {
        const perResource = result.ResourceSpecificResults ?? [];
        const decisions = perResource.length > 0
            ? perResource.map((r) => ({ resource: r.EvalResourceName, decision: r.EvalResourceDecision, detail: r }))
            : [{ resource: result.EvalResourceName, decision: result.EvalDecision, detail: result }];
        return decisions
            .filter((d) => d.decision !== "allowed")
            .map((d) => `${result.EvalActionName} on ${d.resource && d.resource !== "*" ? d.resource : "*"}${when} (${reasonFor(d.decision, result, d.detail)})`);
    });
}

export async function checkDeployerRole(iam: IAMClient, roleArn: string, policies: readonly NamedPolicy[], onCase?: (done: number, total: number) => void): Promise<Verdict> {
    const cases = policies.flatMap((p) => p.document.Statement).flatMap(simulationCases);
    const denials: string[] = [];
    for (const [i, c] of cases.entries()) {
        denials.push(...denialsOf(c, await simulate(iam, roleArn, c)));
        onCase?.(i + 1, cases.length);
    }
    const actions = new Set(cases.flatMap((c) => c.actions)).size;
    const names = policies.map((p) => p.name).join(", ");
    if (denials.length === 0) return pass(`the role allows all ${actions} actions of ${names} on their resources`);
    return fail(`the role is denied ${denials.length} of the grants of ${names}: ${denials.join("; ")}`);
}

/**
 * Does the role — its policies, permissions boundary and the organization's SCPs together — allow
 * every action its permission set needs (`--permissions`, else the role's tag)? Asked of IAM's
 * policy simulator with concrete resources: the logs bucket for bucket actions, objects under
 * each region's event and flow-log prefixes for object actions, the main region's key for
 * `kms:Decrypt` as S3 asks for it (`kms:ViaService`), `*` for the rest.
 */
import { ContextEntry, EvaluationResult, paginateSimulatePrincipalPolicy } from "@aws-sdk/client-iam";
import {
    eventBridgePrefix, flowLogsPrefix, MISSING_ACTION_CONSEQUENCES, PermissionSet, permissionSetOfTags, requiredActionsFor,
    requiredBucketActionsFor, REQUIRED_KEY_ACTIONS, s3ViaService,
} from "../../model";
import { awsCall } from "../aws/errors";
import { fail, pass, skip, Verdict } from "./checks";
import { VerifyContext } from "./context";

/** The object key simulated under each prefix; it need not exist. */
export const PROBE_OBJECT_KEY = "stackstate-verify-probe";

interface SimulationGroup {
    /** Concrete action → the required pattern it stands for. */
    actions: Map<string, string>;
    /** Simulated resource ARN → how to name it in a message; empty = `*`. */
    resources: Map<string, string>;
    /** Condition keys the requests carry. */
    context?: ContextEntry[];
}

/** The set to require: `--permissions`, else the one the role is tagged with. */
export async function permissionSetOf(ctx: VerifyContext): Promise<PermissionSet> {
    if (ctx.input.permissions) return ctx.input.permissions;
    const role = await ctx.role().catch(() => undefined);
    return permissionSetOfTags(Object.fromEntries((role?.Tags ?? []).map((t) => [t.Key ?? "", t.Value ?? ""])));
}

/** The main region's integration key, or a stand-in ARN of it when there is none (the grant does not name keys). */
async function logsKeyArn(ctx: VerifyContext): Promise<string> {
    const key = await ctx.integrationKey(ctx.input.mainRegion).catch(() => undefined);
    return key?.Arn ?? `arn:${ctx.input.role.partition}:kms:${ctx.input.mainRegion}:${ctx.accountId}:key/${PROBE_OBJECT_KEY}`;
}

export interface Denial {
    pattern: string;
    action: string;
    /** Undefined for `*`. */
    resource?: string;
    reason: string;
}

async function expandAll(ctx: VerifyContext, patterns: readonly string[]): Promise<Map<string, string>> {
    const actions = new Map<string, string>();
    for (const pattern of patterns) {
        const concrete = await ctx.actionCatalog.expand(pattern);
        for (const action of concrete.length > 0 ? concrete : [pattern]) actions.set(action, pattern);
    }
    return actions;
}

/** The four groups: `*` actions, bucket actions on the bucket, object actions on every prefix's objects, decryption by S3. */
export async function simulationGroups(ctx: VerifyContext, permissions: PermissionSet = "published"): Promise<SimulationGroup[]> {
    const objectActions = new Map<string, string>();
    const bucketActions = new Map<string, string>();
    for (const action of requiredBucketActionsFor(permissions)) {
        const types = await ctx.actionCatalog.resourceTypes(action);
        (types.includes("object") ? objectActions : bucketActions).set(action, action);
    }
    const objects = new Map<string, string>();
    for (const region of ctx.input.regions) {
        for (const prefix of [eventBridgePrefix(ctx.accountId, region), flowLogsPrefix(ctx.accountId, region)]) {
            objects.set(`${ctx.bucketArn}/${prefix}${PROBE_OBJECT_KEY}`, `${ctx.bucketArn}/${prefix}*`);
        }
    }
    const key = await logsKeyArn(ctx);
    const bucketRegion = (await ctx.bucketRegion().catch(() => undefined)) ?? ctx.input.mainRegion;
    const groups: SimulationGroup[] = [
        { actions: await expandAll(ctx, requiredActionsFor(permissions)), resources: new Map() },
        { actions: bucketActions, resources: new Map([[ctx.bucketArn, ctx.bucketArn]]) },
        { actions: objectActions, resources: objects },
        {
            actions: new Map(REQUIRED_KEY_ACTIONS.map((a) => [a, a])),
            resources: new Map([[key, `the logs key ${key} (through S3)`]]),
            context: [{ ContextKeyName: "kms:ViaService", ContextKeyType: "string", ContextKeyValues: [s3ViaService(bucketRegion)] }],
        },
    ];
    return groups.filter((group) => group.actions.size > 0);
}

/** Why the simulator did not allow an action, in words. */
export function reasonFor(decision: string | undefined, result: EvaluationResult, detail: {
    PermissionsBoundaryDecisionDetail?: { AllowedByPermissionsBoundary?: boolean };
    MissingContextValues?: string[];
}): string {
    if (decision === "explicitDeny") return "explicitly denied by a policy";
    if (result.OrganizationsDecisionDetail?.AllowedByOrganizations === false) return "denied by an organization SCP";
    if (detail.PermissionsBoundaryDecisionDetail?.AllowedByPermissionsBoundary === false) return "not allowed by the permissions boundary";
    if (detail.MissingContextValues && detail.MissingContextValues.length > 0) {
        return `allowed only under conditions on ${detail.MissingContextValues.join(", ")}, which the simulation cannot know`;
    }
    return "not allowed by the role's policies";
}

/** The denials in simulator results; throws when an action got no answer at all. */
export function denialsIn(group: SimulationGroup, results: readonly EvaluationResult[]): Denial[] {
    const byAction = new Map([...group.actions].map(([action, pattern]) => [action.toLowerCase(), { action, pattern }]));
    const answered = new Set<string>();
    const denials: Denial[] = [];
    for (const result of results) {
        const known = byAction.get((result.EvalActionName ?? "").toLowerCase());
        if (!known) continue;
        answered.add(known.action);
        const perResource = result.ResourceSpecificResults ?? [];
        const decisions = perResource.length > 0
            ? perResource.map((r) => ({ resource: r.EvalResourceName, decision: r.EvalResourceDecision, detail: r }))
            : [{ resource: result.EvalResourceName, decision: result.EvalDecision, detail: result }];
        for (const { resource, decision, detail } of decisions) {
            if (decision === "allowed") continue;
            denials.push({
                pattern: known.pattern,
                action: known.action,
                resource: resource && resource !== "*" ? group.resources.get(resource) ?? resource : undefined,
                reason: reasonFor(decision, result, detail),
            });
        }
    }
    const unanswered = [...group.actions.keys()].filter((a) => !answered.has(a));
    if (unanswered.length > 0) {
        throw new Error(`the policy simulator returned no result for ${unanswered.join(", ")}`);
    }
    return denials;
}

async function simulate(ctx: VerifyContext, group: SimulationGroup): Promise<EvaluationResult[]> {
    return awsCall("iam:SimulatePrincipalPolicy", async () => {
        const results: EvaluationResult[] = [];
        const pages = paginateSimulatePrincipalPolicy({ client: ctx.iam }, {
            PolicySourceArn: ctx.input.role.arn,
            ActionNames: [...group.actions.keys()],
            ...(group.resources.size > 0 ? { ResourceArns: [...group.resources.keys()] } : {}),
            ...(group.context ? { ContextEntries: group.context } : {}),
        });
        for await (const page of pages) results.push(...(page.EvaluationResults ?? []));
        return results;
    });
}

/** "s3:GetBucketVersioning (not allowed by the permissions boundary; the Agent cannot...)", one per pattern. */
export function describeDenials(denials: readonly Denial[]): string[] {
    const byPattern = new Map<string, Denial[]>();
    for (const denial of denials) byPattern.set(denial.pattern, [...(byPattern.get(denial.pattern) ?? []), denial]);
    return [...byPattern].map(([pattern, list]) => {
        const reasons = [...new Set(list.map((d) => d.reason))].join("; ");
        const where = [...new Set(list.map((d) => d.resource).filter((r): r is string => r !== undefined))];
        const concrete = [...new Set(list.map((d) => d.action))].filter((a) => a !== pattern);
        const consequence = MISSING_ACTION_CONSEQUENCES[pattern.toLowerCase()];
        return [
            pattern,
            concrete.length > 0 ? ` [${concrete.join(", ")}]` : "",
            where.length > 0 ? ` on ${where.join(", ")}` : "",
            ` (${reasons}${consequence ? `: ${consequence}` : ""})`,
        ].join("");
    });
}

export async function checkRolePermissions(ctx: VerifyContext): Promise<Verdict> {
    const role = await ctx.role().catch(() => "unreadable" as const);
    if (role === undefined) return skip(`not simulated: role ${ctx.input.role.arn} does not exist`);
    const permissions = await permissionSetOf(ctx);
    const groups = await simulationGroups(ctx, permissions);
    const denials: Denial[] = [];
    for (const group of groups) denials.push(...denialsIn(group, await simulate(ctx, group)));
    const required = new Set(groups.flatMap((g) => [...g.actions.values()])).size;
    if (denials.length === 0) {
        const boundary = role !== "unreadable" && role.PermissionsBoundary ? " and its permissions boundary" : "";
        return pass(`the role's policies${boundary} allow all ${required} required actions (permissions: ${permissions})`);
    }
    const lines = describeDenials(denials);
    return fail(`the role is missing ${lines.length} of ${required} required actions (permissions: ${permissions}): ${lines.join("; ")}`);
}

/**
 * The least-privilege policy of the principal that runs `pulumi up`/`preview`/`refresh` (deploy)
 * or `pulumi destroy` (destroy): every call the provider makes for the resources a plan creates,
 * scoped to the ARNs the plan knows, grouped into statements and packed into managed policies.
 */
import { ConditionBlock, document, IAM_LIMITS, packStatements, PolicyDocument, PolicyStatement } from "../iam-document";
import { COLLECTOR_RESOURCES } from "./collector-resources";
import { DATA_SOURCES } from "./data-sources";
import { IAM_RESOURCES } from "./iam-resources";
import { PIPELINE_RESOURCES } from "./pipeline-resources";
import { DeployerPlan, PlanView, Scope } from "./planned-resource";
import { DataSourcePermissions, Phase, PHASES, ResourcePermissions } from "./provider-calls";
import { S3_RESOURCES } from "./s3-resources";

export const RESOURCE_PERMISSIONS: readonly ResourcePermissions[] = [...IAM_RESOURCES, ...S3_RESOURCES, ...PIPELINE_RESOURCES, ...COLLECTOR_RESOURCES];
export const DATA_SOURCE_PERMISSIONS: readonly DataSourcePermissions[] = DATA_SOURCES;

export type DeployerMode = "deploy" | "destroy";
export const DEPLOYER_MODES: readonly DeployerMode[] = ["deploy", "destroy"];

/**
 * `pulumi up` may create, update, re-tag and (replacing or removing a resource) delete; preview and
 * refresh only read. `pulumi destroy` reads each resource's state, then deletes; it runs no program,
 * so no data source is read.
 */
const MODE_PHASES: Record<DeployerMode, readonly Phase[]> = { deploy: PHASES, destroy: ["read", "delete"] };

/** A plan holds a resource or data source whose permissions this package does not know. */
export class UnknownPermissionsError extends Error {
    constructor(readonly types: string[]) {
        super(`no deployer permissions are known for ${types.join(", ")}: add ${types.length === 1 ? "it" : "them"} to model/deployer/`);
        this.name = "UnknownPermissionsError";
    }
}

/** Resources outside the AWS provider (components, stack references, random values) ask nothing of AWS. */
const isAwsResource = (type: string) => type.startsWith("aws:");

interface Grant {
    action: string;
    condition?: ConditionBlock;
    resources: Set<string>;
}

export function deployerStatements(plan: DeployerPlan, mode: DeployerMode): PolicyStatement[] {
    const view = new PlanView(plan);
    const phases = MODE_PHASES[mode];
    const byType = new Map(RESOURCE_PERMISSIONS.map((p) => [p.type, p]));
    const byToken = new Map(DATA_SOURCE_PERMISSIONS.map((p) => [p.token, p]));
    const unknown = new Set<string>();
    const grants = new Map<string, Grant>();
    const grant = (action: string, scopes: Scope[]) => {
        for (const scope of scopes.map((s) => withoutStandIns(s, view))) {
            const key = `${action} ${JSON.stringify(scope.condition ?? null)}`;
            const entry = grants.get(key) ?? { action, condition: scope.condition, resources: new Set<string>() };
            scope.resources.forEach((arn) => entry.resources.add(arn));
            grants.set(key, entry);
        }
    };

    for (const resource of plan.resources.filter((r) => isAwsResource(r.type))) {
        const permissions = byType.get(resource.type);
        if (!permissions) { unknown.add(resource.type); continue; }
        for (const call of permissions.calls.filter((c) => phases.includes(c.phase))) {
            grant(call.action, call.on === "none" ? [{ resources: ["*"] }] : permissions.targets[call.on](resource, view));
        }
    }
    if (phases.includes("create")) {
        for (const read of plan.reads) {
            const permissions = byToken.get(read.token);
            if (!permissions) { unknown.add(read.token); continue; }
            for (const call of permissions.calls) {
                grant(call.action, call.on === "none" ? [{ resources: ["*"] }] : permissions.targets[call.on](read, view));
            }
        }
    }
    if (unknown.size > 0) throw new UnknownPermissionsError([...unknown].sort());
    return statementsOf(withoutCovered([...grants.values()]));
}

/** ARNs and condition values built from a stand-in (an account only the deployment knows) hold `*` for it. */
function withoutStandIns(scope: Scope, view: PlanView): Scope {
    const resources = scope.resources.map((arn) => view.known(arn));
    return scope.condition ? { resources, condition: JSON.parse(view.known(JSON.stringify(scope.condition))) } : { resources };
}

/** A conditional grant adds nothing where the same action is allowed without a condition. */
function withoutCovered(grants: Grant[]): Grant[] {
    const unconditional = new Map(grants.filter((g) => !g.condition).map((g) => [g.action, g.resources]));
    return grants.filter((g) => {
        if (!g.condition) return true;
        const plain = unconditional.get(g.action);
        return !plain || !(plain.has("*") || [...g.resources].every((arn) => plain.has(arn)));
    });
}

/** Actions with the same resources and condition share a statement; order is fixed by content. */
function statementsOf(grants: Grant[]): PolicyStatement[] {
    const groups = new Map<string, { actions: string[]; resources: string[]; condition?: ConditionBlock }>();
    for (const g of grants) {
        const resources = g.resources.has("*") ? ["*"] : [...g.resources].sort();
        const key = `${resources.join(" ")}|${JSON.stringify(g.condition ?? null)}`;
        const group = groups.get(key) ?? { actions: [], resources, condition: g.condition };
        group.actions.push(g.action);
        groups.set(key, group);
    }
    const sorted = [...groups.values()]
        .map((g) => ({ ...g, actions: [...new Set(g.actions)].sort() }))
        .sort((a, b) => compare(a.actions[0], b.actions[0]) || compare(a.resources.join(" "), b.resources.join(" "))
            || compare(JSON.stringify(a.condition ?? null), JSON.stringify(b.condition ?? null)));
    const perService = new Map<string, number>();
    return sorted.map((g) => {
        // Actions without a resource type, of every service, share the one `*` statement.
        const service = g.resources[0] === "*" ? "noResourceType" : g.actions[0].split(":")[0];
        const n = (perService.get(service) ?? 0) + 1;
        perService.set(service, n);
        const statement: PolicyStatement = {
            Sid: `${pascal(service)}${letters(n)}`,
            Effect: "Allow",
            Action: g.actions.length === 1 ? g.actions[0] : g.actions,
            Resource: g.resources.length === 1 ? g.resources[0] : g.resources,
        };
        if (g.condition) statement.Condition = g.condition;
        return statement;
    });
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const pascal = (service: string) => service.split(/-|(?=[A-Z])/).map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join("");
/** 1 → A, 26 → Z, 27 → AA: Sids are alphanumeric, and a letter cannot run into the service name's digits. */
function letters(n: number): string {
    let text = "";
    for (let rest = n; rest > 0; rest = Math.floor((rest - 1) / 26)) text = String.fromCharCode(65 + ((rest - 1) % 26)) + text;
    return text;
}

export interface NamedPolicy {
    name: string;
    document: PolicyDocument;
}

/** Statements packed into managed policies within IAM's size limit, named `<base>-1`, `<base>-2`... */
export function packPolicies(base: string, statements: PolicyStatement[]): NamedPolicy[] {
    const documents = statements.length === 0 ? [document([])] : packStatements(statements, IAM_LIMITS.managedPolicyChars);
    return documents.map((doc, i) => ({ name: `${base}-${i + 1}`, document: doc }));
}

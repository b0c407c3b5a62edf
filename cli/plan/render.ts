/** What `plan` prints: the resource tree by region, or `{ resources, violations }` as JSON (README.md, "plan"). */
import { isSecretValue, Registration, unwrapSecrets } from "../../offline/mock-engine";
import type { Violation } from "../../offline/policy-pack";

export interface PlannedResource {
    urn: string;
    type: string;
    name: string;
    region: string | null;
    parent: string | null;
    inputs: unknown;
    /** Only in a stack of several accounts: the account the resource is deployed in. */
    account?: string;
}

/**
 * Secrets stay masked unless `showSecrets` (as with `pulumi preview --show-secrets`): a plan is
 * something people paste into PRs.
 */
export function plannedResources(registrations: Registration[], showSecrets = false, byAccount = false): PlannedResource[] {
    return registrations.map((r) => ({
        urn: r.urn,
        type: r.type,
        name: r.name,
        region: r.region ?? null,
        parent: r.parent ?? null,
        inputs: unwrapSecrets(r.inputs, showSecrets),
        ...(byAccount && r.account !== undefined ? { account: r.account } : {}),
    }));
}

/** Resources with a secret among their inputs, shown as "[secret]" unless revealed. */
export function resourcesWithSecrets(registrations: Registration[]): Registration[] {
    const holdsSecret = (value: unknown): boolean =>
        isSecretValue(value) || (Array.isArray(value) ? value.some(holdsSecret)
            : value !== null && typeof value === "object" && Object.values(value).some(holdsSecret));
    return registrations.filter((r) => holdsSecret(r.inputs));
}

/** The revealed secret inputs of each resource that has some, for review (`--show-secrets`). */
export function renderSecretInputs(registrations: Registration[]): string {
    const lines = ["Secret inputs (shown because of --show-secrets):"];
    for (const r of registrations) {
        const secretKeys = Object.keys(r.inputs).filter((key) => resourcesWithSecrets([{ ...r, inputs: { [key]: r.inputs[key] } }]).length > 0);
        lines.push("", `  ${r.name}  (${r.type})`);
        for (const key of secretKeys) {
            const value = unwrapSecrets(r.inputs[key], true);
            const text = typeof value === "string" ? prettyIfJson(value) : JSON.stringify(value, null, 2);
            lines.push(`    ${key}:`, ...text.split("\n").map((line) => `      ${line}`));
        }
    }
    return lines.join("\n");
}

function prettyIfJson(text: string): string {
    try {
        return JSON.stringify(JSON.parse(text), null, 2);
    } catch {
        return text;
    }
}

export function renderPlanJson(resources: PlannedResource[], violations: Violation[]): string {
    return JSON.stringify({ resources, violations }, null, 2);
}

export interface TreeHeader {
    stackName: string;
    accountId: string;
    regions: string[];
    mainRegion: string;
    /** Regions whose flow logs cover every VPC found at deployment: unknown offline. */
    discovered: string[];
    /** A stack of several accounts: resources are grouped by account, then region. */
    accounts?: { accountId: string; regions: string[]; mainRegion: string; discovered: string[] }[];
}

/**
 * A stack of several accounts: one section per account, each grouped by region as a
 * single-account plan is.
 */
function renderAccountsTree(header: TreeHeader, resources: PlannedResource[]): string {
    const accounts = header.accounts ?? [];
    const regional = new Set(resources.filter((r) => r.account !== undefined).map((r) => r.urn));
    const sections = accounts.map(({ accountId, regions, mainRegion, discovered }) => {
        const own = resources.filter((r) => r.account === accountId);
        const tree = renderPlanTree({ stackName: header.stackName, accountId, regions, mainRegion, discovered }, own);
        return tree.replace(/^Plan for stack '[^']*' \(account (\d{12})\):/, "Account $1:");
    });
    const rest = resources.filter((r) => !regional.has(r.urn));
    const restLines = rest.map((r) => `  ${r.name}  (${r.type})`);
    const heading = `Plan for stack '${header.stackName}' (${accounts.length} accounts): ${resources.length} resources`;
    return [heading, ...sections.map((s) => `\n${s}`), ...(rest.length > 0 ? ["", `components and generated values: ${rest.length}`, ...restLines] : [])].join("\n");
}

/**
 * Groups resources by region (configured order, main region first), each group a tree: a
 * resource sits under its nearest ancestor in the same group.
 */
export function renderPlanTree(header: TreeHeader, resources: PlannedResource[]): string {
    if (header.accounts) return renderAccountsTree(header, resources);
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const order = [...new Set([header.mainRegion, ...header.regions, ...resources.map((r) => r.region)])]
        .filter((r): r is string => typeof r === "string");
    const groups: [string | null, PlannedResource[]][] = order.map((region) => [region, resources.filter((r) => r.region === region)]);
    groups.push([null, resources.filter((r) => r.region === null)]);

    const lines = [`Plan for stack '${header.stackName}' (account ${header.accountId}): ${resources.length} resources in ${order.length} region${order.length === 1 ? "" : "s"}`];
    for (const [region, members] of groups) {
        if (members.length === 0) continue;
        const label = region === null ? "not regional" : region === header.mainRegion ? `${region} (main region)` : region;
        lines.push("", `${label}: ${members.length} resource${members.length === 1 ? "" : "s"}`);
        const inGroup = new Set(members.map((m) => m.urn));
        const groupParent = (r: PlannedResource): string | null => {
            for (let p = r.parent; p; p = byUrn.get(p)?.parent ?? null) if (inGroup.has(p)) return p;
            return null;
        };
        const children = new Map<string | null, PlannedResource[]>();
        for (const m of members) {
            const key = groupParent(m);
            children.set(key, [...(children.get(key) ?? []), m]);
        }
        const walk = (parent: string | null, depth: number) => {
            for (const child of children.get(parent) ?? []) {
                lines.push(`${"  ".repeat(depth + 1)}${child.name}  (${child.type})`);
                walk(child.urn, depth + 1);
            }
        };
        walk(null, 0);
        if (region !== null && header.discovered.includes(region)) {
            lines.push("  (flow logs: one per VPC found here at deployment; an offline plan finds none)");
        }
    }
    return lines.join("\n");
}

export function renderViolations(violations: Violation[]): string {
    if (violations.length === 0) return "Policy pack 'stackstate-aws': no findings.";
    const lines = [`Policy pack 'stackstate-aws': ${violations.length} finding${violations.length === 1 ? "" : "s"}`];
    for (const v of violations) {
        lines.push(`  [${v.enforcementLevel}] ${v.policy}: ${v.urn.split("::").pop()}`);
        lines.push(...v.message.split("\n").map((line) => `      ${line}`));
    }
    return lines.join("\n");
}

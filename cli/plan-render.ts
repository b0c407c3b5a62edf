/** What `plan` prints: the resource tree by region, or the DESIGN.md JSON. */
import { Registration, unwrapSecrets } from "./mock-engine";
import type { Violation } from "./policy-analyzer";

export interface PlannedResource {
    urn: string;
    type: string;
    name: string;
    region: string | null;
    parent: string | null;
    inputs: unknown;
}

/** Secrets stay masked: a plan is something people paste into PRs. */
export function plannedResources(registrations: Registration[]): PlannedResource[] {
    return registrations.map((r) => ({
        urn: r.urn,
        type: r.type,
        name: r.name,
        region: r.region ?? null,
        parent: r.parent ?? null,
        inputs: unwrapSecrets(r.inputs, false),
    }));
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
}

/**
 * Groups resources by region (configured order, main region first), each group a tree: a
 * resource sits under its nearest ancestor in the same group.
 */
export function renderPlanTree(header: TreeHeader, resources: PlannedResource[]): string {
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

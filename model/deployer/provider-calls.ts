/**
 * The shape of the deployer-permission facts: for each resource type the programs create, the
 * AWS API calls the Pulumi AWS provider (the Terraform AWS provider underneath) makes to create,
 * read, update, tag and delete it, the IAM action each call needs, and what it is authorised on.
 */
import { PlannedRead, PlannedResource, PlanView, Scope } from "./planned-resource";

/** `pulumi up` creates, reads (refresh, preview), updates, re-tags and deletes (replacements). */
export type Phase = "create" | "read" | "update" | "tag" | "delete";
export const PHASES: readonly Phase[] = ["create", "read", "update", "tag", "delete"];

export interface ProviderCall {
    /** The IAM action, e.g. `iam:CreateRole`. */
    action: string;
    /** The API call it authorises, as the provider makes it (`CreateRole`, `CreateRole with Tags`). */
    call: string;
    phase: Phase;
    /** A target of the resource type, or `none`: the action has no resource type, so `*`. */
    on: string;
    /** Where in the provider the call is made (docs/deployer-policy.md lists them). */
    source: string;
}

export type Target = (r: PlannedResource, plan: PlanView) => Scope[];

export interface ResourcePermissions {
    /** Pulumi type token. */
    type: string;
    /** The Terraform resource it wraps, e.g. `aws_iam_role`. */
    terraform: string;
    calls: ProviderCall[];
    targets: Record<string, Target>;
}

export type ReadTarget = (read: PlannedRead, plan: PlanView) => Scope[];

export interface DataSourcePermissions {
    /** Pulumi invoke token. */
    token: string;
    terraform: string;
    /** Empty when AWS asks no permission (sts:GetCallerIdentity) or nothing is sent (region, partition). */
    calls: Omit<ProviderCall, "phase">[];
    targets: Record<string, ReadTarget>;
}

/** Builds the calls of one phase from `[action, call, on]` rows, all made in one source. */
export function calls(phase: Phase, source: string, rows: [action: string, call: string, on: string][]): ProviderCall[] {
    return rows.map(([action, call, on]) => ({ action, call, phase, on, source }));
}

/** A scope without a condition; no scope at all when there are no resources. */
export function on(...resources: string[]): Scope[] {
    return resources.length === 0 ? [] : [{ resources }];
}

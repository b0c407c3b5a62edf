/**
 * What the deployer-policy generator knows of a plan: each resource's type, region and inputs as
 * the offline plan registered them, and which of the plan's values only a deployment can know.
 */
import { ConditionBlock } from "../iam-document";
import { iamRoleArn, normalisedRolePath } from "../names";
import { Partition } from "../regions";

export interface PlannedResource {
    /** Pulumi type token, e.g. `aws:iam/role:Role`. */
    type: string;
    /** Pulumi logical name: Pulumi names a resource without an explicit name `<logical>-<7 hex>`. */
    name: string;
    region: string;
    partition: Partition;
    /** The account the resource is deployed into. */
    accountId: string;
    /** Inputs with secrets unwrapped. */
    inputs: Record<string, unknown>;
}

/** A data source the program reads (a provider invoke), by token. */
export interface PlannedRead {
    token: string;
    region: string;
    partition: Partition;
    accountId: string;
    inputs: Record<string, unknown>;
}

export interface DeployerPlan {
    resources: PlannedResource[];
    reads: PlannedRead[];
    /**
     * Stand-ins the offline plan used for what only the deployment knows (VPCs found by discovery,
     * the accounts of other stacks): any ARN holding one has it replaced by `*`.
     */
    standIns: string[];
}

/** Where (and under which condition) an action is allowed for one resource. */
export interface Scope {
    resources: string[];
    condition?: ConditionBlock;
}

/** A plan with the lookups resource types need to scope their actions. */
export class PlanView {
    constructor(readonly plan: DeployerPlan) {}

    /** The value, or `*` where it holds a stand-in (or is not known at all). */
    known(value: unknown): string {
        if (typeof value !== "string" || value === "") return "*";
        return this.plan.standIns.reduce((text, standIn) => text.split(standIn).join("*"), value);
    }

    ofType(type: string): PlannedResource[] {
        return this.plan.resources.filter((r) => r.type === type);
    }

    /** ARN of a role the plan creates, by name: its path is the planned role's. */
    roleArn(r: PlannedResource, roleName: unknown): string {
        const role = this.ofType(ROLE).find((p) => p.inputs.name === roleName && p.accountId === r.accountId);
        return iamRoleArn(r.partition, r.accountId, this.known(roleName), normalisedRolePath(role?.inputs.path as string | undefined));
    }

    /** ARNs of the managed policies the plan attaches to a role, by role name. */
    policiesAttachedTo(r: PlannedResource, roleName: unknown): string[] {
        return this.ofType(ATTACHMENT)
            .filter((a) => a.accountId === r.accountId && a.inputs.role === roleName)
            .map((a) => this.known(a.inputs.policyArn));
    }

    /** ARNs of the instance profiles the plan puts a role in, by role name. */
    instanceProfilesOf(r: PlannedResource, roleName: unknown): string[] {
        return this.ofType(INSTANCE_PROFILE)
            .filter((p) => p.accountId === r.accountId && p.inputs.role === roleName)
            .map((p) => `arn:${r.partition}:iam::${r.accountId}:instance-profile${normalisedRolePath(p.inputs.path as string | undefined)}${this.known(p.inputs.name)}`);
    }

    /** The roles held by the instance profiles the plan creates, for what launches instances with them. */
    instanceProfileRoles(r: PlannedResource): string[] {
        return this.ofType(INSTANCE_PROFILE)
            .filter((p) => p.accountId === r.accountId)
            .map((p) => this.roleArn(r, p.inputs.role));
    }

    hasInlinePolicies(r: PlannedResource, roleName: unknown): boolean {
        return this.ofType(ROLE_POLICY).some((p) => p.accountId === r.accountId && p.inputs.role === roleName);
    }
}

const ROLE = "aws:iam/role:Role";
const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
const ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";
const INSTANCE_PROFILE = "aws:iam/instanceProfile:InstanceProfile";

/** An ARN of a resource in the planned resource's own region and account. */
export function regionalArn(r: PlannedResource, service: string, resource: string): string {
    return `arn:${r.partition}:${service}:${r.region}:${r.accountId}:${resource}`;
}

/** Pulumi's auto-name of a resource given no name: its logical name, a dash and 7 random hex characters. */
export function autoNamePattern(logicalName: string): string {
    return `${logicalName}-*`;
}

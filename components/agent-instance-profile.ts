/**
 * The role an EC2 host runs as to collect for StackState (docs/stackstate-integration.md#the-agent-side): trusted by EC2, allowed
 * `sts:AssumeRole` on the integration role of the monitored accounts, held by an instance
 * profile. Serves the collector's Agent and a StackState server on EC2 (its `use-role` option).
 */
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { AGENT_ROLE_NAME, agentAssumeRolePolicy, Partition, serviceTrustPolicy } from "../model";
import { managedTags, policyJson, componentOptions, typeToken } from "./common";

export interface AgentInstanceProfileArgs {
    /** Accounts whose integration role the host may assume. Default: none listed, i.e. any account (`*`), as StackState's docs do. */
    readonly monitoredAccountIds?: pulumi.Input<pulumi.Input<string>[]>;
    /** IAM path of the integration roles in the monitored accounts. Default: /. */
    readonly integrationRolePath?: pulumi.Input<string>;
    /** Partition of the accounts. Default: aws. */
    readonly partition?: Partition;
    /** Name of the role and the instance profile. Default: StackStateAgentRole. */
    readonly roleName?: pulumi.Input<string>;
    /** IAM path of the role and the instance profile. Default: /. */
    readonly path?: pulumi.Input<string>;
    /** Managed policy set as the role's permissions boundary. Default: none. */
    readonly permissionsBoundaryArn?: pulumi.Input<string>;
    /** Tags, merged with managed-by: stackstate-aws. Default: none. */
    readonly tags?: pulumi.Input<Record<string, string>>;
}

/**
 * The role and instance profile of an EC2 host that collects for StackState (the Agent's host, or
 * a StackState server on EC2): trusted by EC2, allowed to assume the integration role of the
 * monitored accounts.
 */
export class AgentInstanceProfile extends pulumi.ComponentResource {
    /** The host's role. */
    readonly role: aws.iam.Role;
    /** ARN of the host's role: give it to the monitored accounts' agentRoleArns. */
    readonly roleArn: pulumi.Output<string>;
    /** Name of the host's role. */
    readonly roleName: pulumi.Output<string>;
    /** The instance profile holding the role. */
    readonly instanceProfile: aws.iam.InstanceProfile;
    /** Name of the instance profile, for the host's launch template. */
    readonly instanceProfileName: pulumi.Output<string>;
    /** ARN of the instance profile. */
    readonly instanceProfileArn: pulumi.Output<string>;

    constructor(name: string, args: AgentInstanceProfileArgs = {}, opts?: pulumi.ComponentResourceOptions) {
        super(typeToken("AgentInstanceProfile"), name, {}, componentOptions("AgentInstanceProfile", opts));
        const partition = args.partition ?? "aws";
        const tags = managedTags(args.tags);
        const roleName = args.roleName ?? AGENT_ROLE_NAME;

        this.role = new aws.iam.Role(`${name}-role`, {
            name: roleName,
            path: args.path,
            description: "StackState Agent host: assumes StackStateAwsIntegrationRole in the monitored accounts.",
            // EC2 sends no source account, so the trust has no confused-deputy condition.
            assumeRolePolicy: JSON.stringify(serviceTrustPolicy("ec2.amazonaws.com")),
            permissionsBoundary: args.permissionsBoundaryArn,
            tags,
        }, { parent: this });

        const assumePolicy = pulumi
            .all([args.monitoredAccountIds ?? [], args.integrationRolePath ?? "/"])
            .apply(([accounts, rolePath]) => agentAssumeRolePolicy(partition, [...new Set(accounts)], rolePath));
        new aws.iam.RolePolicy(`${name}-assume-role`, {
            name: "AssumeStackStateIntegrationRole",
            role: this.role.name,
            policy: policyJson(assumePolicy),
        }, { parent: this });

        this.instanceProfile = new aws.iam.InstanceProfile(`${name}-profile`, {
            name: roleName,
            path: args.path,
            role: this.role.name,
            tags,
        }, { parent: this });

        this.roleArn = this.role.arn;
        this.roleName = this.role.name;
        this.instanceProfileName = this.instanceProfile.name;
        this.instanceProfileArn = this.instanceProfile.arn;
        this.registerOutputs({
            roleArn: this.roleArn,
            roleName: this.roleName,
            instanceProfileName: this.instanceProfileName,
            instanceProfileArn: this.instanceProfileArn,
        });
    }
}

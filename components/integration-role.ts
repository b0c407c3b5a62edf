/**
 * `StackStateAwsIntegrationRole`: the role StackState's Agent (and server, for CloudWatch) assumes
 * with an ExternalId to read the account.
 */
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import {
    accountNames, ApiGatewayAccess, externalIdProblems, IAM_LIMITS, integrationPolicyName, principalArgumentProblems,
    integrationTrustPolicy, NameOverrides, packStatements, Partition, PermissionSet, PERMISSIONS_TAG_KEY, policySize, readStatements,
    REGIONS_BY_PARTITION,
} from "../model";
import { managedTags, componentOptions, refuseArguments, typeToken } from "./common";

export interface IntegrationRoleArgs {
    /** The monitored account (the role's own). */
    readonly accountId: pulumi.Input<string>;
    /** Partition of the account's regions. Default: aws. */
    readonly partition?: Partition;
    /** Region of the logs bucket and its key (the role may decrypt through S3 there). Default: the region of the component's provider. */
    readonly mainRegion?: string;
    /** Shared secret the Agent presents; required with StringEquals. */
    readonly externalId: pulumi.Input<string>;
    /** Roles allowed to assume this role. Default: none (then agentAccountId is required). */
    readonly agentRoleArns?: pulumi.Input<pulumi.Input<string>[]>;
    /** Account whose root may assume this role. Default: none. */
    readonly agentAccountId?: pulumi.Input<string>;
    /** API Gateway access level. Default: read (apigateway:GET only). */
    readonly apiGatewayAccess?: ApiGatewayAccess;
    /** The role's and its first read policy's names. Default: StackStateAwsIntegrationRole, StackStateAwsIntegrationPolicy. */
    readonly names?: NameOverrides;
    /** The permission set. Default: published. A minimal role is tagged so, for the policy pack and verify. */
    readonly permissions?: PermissionSet;
    /** Managed policy set as the role's permissions boundary. Default: none. */
    readonly permissionsBoundaryArn?: pulumi.Input<string>;
    /** IAM path of the role and its policies. Default: /. */
    readonly path?: pulumi.Input<string>;
    /** Tags, merged with managed-by: stackstate-aws. */
    readonly tags?: pulumi.Input<Record<string, string>>;
}

/**
 * StackStateAwsIntegrationRole: the role StackState's Agent assumes with an ExternalId to read the
 * account, with the read permissions as customer-managed policies.
 */
export class IntegrationRole extends pulumi.ComponentResource {
    /** The role. */
    readonly role: aws.iam.Role;
    /** ARN of the role. */
    readonly roleArn: pulumi.Output<string>;
    /** Name of the role, StackStateAwsIntegrationRole. */
    readonly roleName: pulumi.Output<string>;
    /** The customer-managed policies holding the read permissions, in order. */
    readonly policies: aws.iam.Policy[] = [];

    constructor(name: string, args: IntegrationRoleArgs, opts?: pulumi.ComponentResourceOptions) {
        // Checked before super(), not when the trust policy's apply runs: a role without a principal must not register at all.
        refuseArguments("IntegrationRole", name, principalArgumentProblems(args));
        super(typeToken("IntegrationRole"), name, {}, componentOptions("IntegrationRole", opts));
        const partition = args.partition ?? "aws";
        const tags = managedTags(args.tags);
        const names = accountNames(args.names);
        const roleTags = args.permissions === "minimal" ? pulumi.output(tags).apply((t) => ({ ...t, [PERMISSIONS_TAG_KEY]: "minimal" })) : tags;

        const trust = pulumi
            .all([args.externalId, args.agentRoleArns ?? [], args.agentAccountId])
            .apply(([externalId, agentRoleArns, agentAccountId]) => {
                const problems = externalIdProblems(externalId);
                if (problems.length > 0) throw new Error(`ExternalId of '${name}' ${problems.join("; ")}.`);
                const doc = integrationTrustPolicy({ partition, agentRoleArns, agentAccountId, externalId });
                if (policySize(doc) > IAM_LIMITS.trustPolicyChars) {
                    throw new Error(`The trust policy of '${name}' is ${policySize(doc)} characters; IAM allows ${IAM_LIMITS.trustPolicyChars}. Trust fewer roles.`);
                }
                return JSON.stringify(doc);
            });

        this.role = new aws.iam.Role(`${name}-role`, {
            name: names.integrationRole,
            path: args.path,
            description: "Read-only access for StackState's AWS (V2) integration, assumed with an ExternalId.",
            assumeRolePolicy: pulumi.secret(trust),
            permissionsBoundary: args.permissionsBoundaryArn,
            tags: roleTags,
        }, { parent: this });

        // Resources must be declared before the account id is known, so the number of policies is
        // decided with a stand-in id: account ids have a fixed length, so the packing is the same.
        // Without mainRegion (its provider's region is read at deployment) the stand-in is the
        // partition's longest region name; a test shows every region packs the same.
        const statements = (accountId: string, mainRegion: string) => readStatements({
            partition, accountId, mainRegion, apiGatewayAccess: args.apiGatewayAccess, permissions: args.permissions,
        });
        const count = packReadStatements(statements(STAND_IN_ACCOUNT, args.mainRegion ?? standInRegion(partition))).length;
        const mainRegion = args.mainRegion ?? aws.getRegionOutput({}, { parent: this }).region;
        const documents = pulumi.all([args.accountId, mainRegion]).apply(([account, region]) => {
            const docs = packReadStatements(statements(account, region));
            if (docs.length !== count) throw new Error(`Account id '${account}' in region '${region}' changed the size of the read policies.`);
            return docs;
        });
        if (count > IAM_LIMITS.managedPoliciesPerRole) {
            throw new Error(`The read permissions need ${count} managed policies; IAM allows ${IAM_LIMITS.managedPoliciesPerRole} per role.`);
        }
        for (let i = 0; i < count; i++) {
            const policy = new aws.iam.Policy(`${name}-read-${i + 1}`, {
                name: i === 0 ? names.integrationPolicy : integrationPolicyName(i),
                path: args.path,
                description: `StackState AWS integration read permissions (${i + 1} of ${count}).`,
                policy: documents.apply((docs) => JSON.stringify(docs[i])),
                tags,
            }, { parent: this });
            new aws.iam.RolePolicyAttachment(`${name}-read-${i + 1}`, {
                role: this.role.name,
                policyArn: policy.arn,
            }, { parent: this });
            this.policies.push(policy);
        }

        this.roleArn = this.role.arn;
        this.roleName = this.role.name;
        this.registerOutputs({ roleArn: this.roleArn, roleName: this.roleName, policyArns: this.policies.map((p) => p.arn) });
    }
}

const STAND_IN_ACCOUNT = "000000000000";

/** The partition's longest region name: what the policies are sized with while the region is unknown. */
function standInRegion(partition: Partition): string {
    return [...REGIONS_BY_PARTITION[partition]].sort((a, b) => b.length - a.length || a.localeCompare(b))[0];
}

/** The read statements packed into managed policies, each within IAM's size limit. */
function packReadStatements(statements: ReturnType<typeof readStatements>) {
    return packStatements(statements, IAM_LIMITS.managedPolicyChars);
}

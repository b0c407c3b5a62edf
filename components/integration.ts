/**
 * The integration of one monitored account: one explicit provider per region, so one `pulumi up`
 * covers the account.
 */
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import * as random from "@pulumi/random";
import {
    agentInstanceRegions, ApiGatewayAccess, GENERATED_EXTERNAL_ID_LENGTH, integrationShapeProblems, principalArgumentProblems,
    FlowLogSelection, NameOverrides, partitionOf, PermissionSet, regionNames, VpcSelection, vpcSelectionProblems,
} from "../model";
import { componentOptions, refuseArguments, typeToken } from "./common";
import { IntegrationRole } from "./integration-role";
import { LogsBucket } from "./logs-bucket";
import { RegionKey } from "./region-key";
import { EventPipeline } from "./event-pipeline";
import { FlowLogs } from "./flow-logs";

/**
 * Every argument of StackStateAwsIntegration but flowLogs: the one whose TypeScript form takes a
 * union (see StackStateAwsIntegrationArgs), which the component package's schema cannot carry.
 */
export interface StackStateAwsIntegrationSettings {
    /** Regions whose events are captured; one pipeline each. */
    readonly regions: string[];
    /** Region of the role and bucket. Default: the first of regions. */
    readonly mainRegion?: string;
    /** Roles allowed to assume the integration role. Default: none (then agentAccountId is required). */
    readonly agentRoleArns?: pulumi.Input<pulumi.Input<string>[]>;
    /** Account whose root may assume the integration role. Default: none. */
    readonly agentAccountId?: pulumi.Input<string>;
    /** The account the stack is meant for; deployment stops if the credentials are for another. Default: unchecked. */
    readonly accountId?: pulumi.Input<string>;
    /** Shared secret for AssumeRole. Default: a random 48-character one, exported as a secret. */
    readonly externalId?: pulumi.Input<string>;
    /** Managed policy set as the permissions boundary of every role. Default: none. */
    readonly permissionsBoundaryArn?: pulumi.Input<string>;
    /** IAM path of every role and policy. Default: /. */
    readonly rolePath?: string;
    /** Tags on every taggable resource, merged with managed-by: stackstate-aws. Default: none. */
    readonly tags?: pulumi.Input<Record<string, string>>;
    /** API Gateway access level of the integration role. Default: read. */
    readonly apiGatewayAccess?: ApiGatewayAccess;
    /** The integration role's permission set. Default: published. */
    readonly permissions?: PermissionSet;
    /** Role the providers assume to deploy into the monitored account. Default: the ambient credentials. */
    readonly deployRoleArn?: pulumi.Input<string>;
    /** AWS names instead of this package's, for adopted resources. Default: this package's names. */
    readonly names?: NameOverrides;
}

/**
 * The arguments of StackStateAwsIntegration. flowLogs takes each region's VPCs as `{ vpcIds }` or
 * `{ allVpcs: true }`, as every language gives them, or as VPC ids or "all", as TypeScript programs
 * gave them before the component package: those keep working unchanged.
 */
export interface StackStateAwsIntegrationArgs extends StackStateAwsIntegrationSettings {
    /** VPC flow logs to the logs bucket, per region (each one of regions): VPC ids or "all", or a VpcSelection. Default: none. */
    readonly flowLogs?: Record<string, FlowLogSelection | VpcSelection>;
}

/** The Agent's `instances` entry for this account in aws_topology's conf.yaml. */
export interface AgentInstance {
    /** The integration role the Agent assumes. */
    role_arn: string;
    /** The regions the Agent reads: `global`, then the captured regions. */
    regions: string[];
}

/**
 * Each integration's region providers. Kept off the instance: every instance property becomes an
 * output in the component package's schema, and a provider is no output another language can type.
 */
const REGION_PROVIDERS = new WeakMap<StackStateAwsIntegration, Record<string, aws.Provider>>();

/**
 * Everything one monitored AWS account needs for StackState's AWS (V2) integration, all its
 * captured regions in one stack: the integration role and the logs bucket in the main region, a
 * KMS key and an EventBridge to Firehose pipeline in every region, and VPC flow logs where asked for.
 */
export class StackStateAwsIntegration extends pulumi.ComponentResource {
    /** The monitored account, as the deployment credentials report it. */
    readonly accountId: pulumi.Output<string>;
    /** ARN of StackStateAwsIntegrationRole, the role the Agent assumes. */
    readonly roleArn: pulumi.Output<string>;
    /** Name of the logs bucket, stackstate-logs-<account>. */
    readonly bucketName: pulumi.Output<string>;
    /** ARN of the logs bucket. */
    readonly bucketArn: pulumi.Output<string>;
    /** The ExternalId the Agent must present (secret): the given one, or the generated one. */
    readonly externalId: pulumi.Output<string>;
    /** The captured regions, as given. */
    readonly regions: string[];
    /** The region of the role and the bucket. */
    readonly mainRegion: string;
    /** ARN of each region's Firehose stream, by region. */
    readonly streamArns: pulumi.Output<Record<string, string>>;
    /** This account's entry for the Agent's aws_topology check. */
    readonly agentInstance: pulumi.Output<AgentInstance>;

    /** The provider of each region, for resources a user adds beside the integration. */
    get providers(): Record<string, aws.Provider> {
        return REGION_PROVIDERS.get(this)!;
    }

    constructor(name: string, args: StackStateAwsIntegrationArgs, opts?: pulumi.ComponentResourceOptions) {
        // Checked before super(): a bad layout must not register even the component.
        const problems = [
            ...integrationShapeProblems(args),
            ...vpcSelectionProblems(selectionObjects(args.flowLogs)),
            ...principalArgumentProblems(args),
        ];
        refuseArguments("StackStateAwsIntegration", name, problems);
        super(typeToken("StackStateAwsIntegration"), name, {}, componentOptions("StackStateAwsIntegration", opts));
        this.regions = [...args.regions];
        this.mainRegion = args.mainRegion ?? args.regions[0];
        const partition = partitionOf(this.mainRegion);
        REGION_PROVIDERS.set(this, {});
        const { tags, permissionsBoundaryArn, rolePath } = args;

        for (const region of this.regions) {
            this.providers[region] = new aws.Provider(`${name}-${region}`, {
                region: region as aws.Region,
                assumeRoles: args.deployRoleArn ? [{ roleArn: args.deployRoleArn, sessionName: "stackstate-aws-deploy" }] : undefined,
            }, { parent: this });
        }
        const inRegion = (region: string): pulumi.ComponentResourceOptions => ({ parent: this, provider: this.providers[region] });
        const main = inRegion(this.mainRegion);

        const callerAccount = aws.getCallerIdentityOutput({}, main).accountId;
        this.accountId = pulumi.all([callerAccount, args.accountId]).apply(([actual, expected]) => {
            if (expected !== undefined && actual !== expected) {
                throw new Error(`This stack is for account ${expected}, but the credentials are for account ${actual}. Use credentials (or deployRoleArn) for ${expected}.`);
            }
            return actual;
        });

        const externalId = args.externalId !== undefined
            ? pulumi.output(args.externalId)
            : new random.RandomPassword(`${name}-external-id`, { length: GENERATED_EXTERNAL_ID_LENGTH, special: false }, { parent: this }).result;
        this.externalId = pulumi.secret(externalId);

        const keys: Record<string, RegionKey> = {};
        for (const region of this.regions) {
            keys[region] = new RegionKey(`${name}-key-${region}`, {
                region,
                accountId: this.accountId,
                encryptsBucket: region === this.mainRegion,
                aliasName: regionNames(region, args.names).kmsAlias,
                tags,
            }, inRegion(region));
        }
        const bucketKeyArn = keys[this.mainRegion].keyArn;

        const role = new IntegrationRole(`${name}-integration`, {
            accountId: this.accountId,
            partition,
            mainRegion: this.mainRegion,
            externalId: this.externalId,
            agentRoleArns: args.agentRoleArns,
            agentAccountId: args.agentAccountId,
            apiGatewayAccess: args.apiGatewayAccess,
            names: args.names,
            permissions: args.permissions,
            permissionsBoundaryArn,
            path: rolePath,
            tags,
        }, main);

        const bucket = new LogsBucket(`${name}-logs`, {
            accountId: this.accountId,
            partition,
            kmsKeyArn: bucketKeyArn,
            tags,
        }, main);

        const pipelines: Record<string, EventPipeline> = {};
        for (const region of this.regions) {
            pipelines[region] = new EventPipeline(`${name}-events-${region}`, {
                region,
                accountId: this.accountId,
                bucketName: bucket.bucketName,
                bucketArn: bucket.bucketArn,
                bucketRegion: this.mainRegion,
                streamKeyArn: keys[region].keyArn,
                objectKeyArn: bucketKeyArn,
                names: args.names?.regions?.[region],
                permissionsBoundaryArn,
                rolePath,
                tags,
            }, inRegion(region));
        }

        for (const [region, selection] of Object.entries(args.flowLogs ?? {})) {
            const vpcs = isFlowLogSelection(selection) ? { vpcs: selection } : selection;
            new FlowLogs(`${name}-flow-logs-${region}`, { ...vpcs, bucketArn: bucket.bucketArn, tags }, inRegion(region));
        }

        this.roleArn = role.roleArn;
        this.bucketName = bucket.bucketName;
        this.bucketArn = bucket.bucketArn;
        this.streamArns = pulumi.all(Object.fromEntries(this.regions.map((r) => [r, pipelines[r].streamArn])));
        this.agentInstance = this.roleArn.apply((roleArn) => ({
            role_arn: roleArn,
            regions: agentInstanceRegions(this.regions),
        }));
        this.registerOutputs({
            accountId: this.accountId,
            roleArn: this.roleArn,
            bucketName: this.bucketName,
            bucketArn: this.bucketArn,
            externalId: this.externalId,
            streamArns: this.streamArns,
            agentInstance: this.agentInstance,
        });
    }
}

function isFlowLogSelection(selection: FlowLogSelection | VpcSelection): selection is FlowLogSelection {
    return selection === "all" || Array.isArray(selection);
}

/**
 * The regions whose VPCs are given as objects: only those are checked here. VPC ids or "all" were
 * taken as they are before the component package (an empty list meaning no flow logs) and still are.
 */
function selectionObjects(flowLogs: StackStateAwsIntegrationArgs["flowLogs"]): Record<string, VpcSelection> {
    return Object.fromEntries(Object.entries(flowLogs ?? {}).filter((entry): entry is [string, VpcSelection] => !isFlowLogSelection(entry[1])));
}

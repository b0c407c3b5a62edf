/**
 * One region's event pipeline: EventBridge rule → Kinesis Firehose → the logs bucket, under
 * `AWSLogs/<account>/EventBridge/<region>/`, where the Agent reads it every minute.
 */
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import {
    defaultRegionNames, eventBridgePrefix, eventBridgeRolePolicy, eventPattern, FIREHOSE_SETTINGS, firehoseRolePolicy,
    partitionOf, PolicyDocument, RegionNameOverrides, serviceTrustPolicy,
} from "../model";
import { managedTags, policyJson, componentOptions, typeToken } from "./common";

export interface EventPipelineArgs {
    /** The pipeline's region; the component's provider must point there. */
    readonly region: string;
    /** The monitored account. */
    readonly accountId: pulumi.Input<string>;
    /** Name of the logs bucket, which may be in another region. */
    readonly bucketName: pulumi.Input<string>;
    /** ARN of the logs bucket. */
    readonly bucketArn: pulumi.Input<string>;
    /** Region of the logs bucket. */
    readonly bucketRegion: string;
    /** Key that encrypts the stream itself: this region's key. */
    readonly streamKeyArn: pulumi.Input<string>;
    /** Key S3 encrypts delivered objects with: Firehose requires a key in the bucket's region. */
    readonly objectKeyArn: pulumi.Input<string>;
    /** AWS names of the rule, its target, the stream, the roles and their policies. Default: this package's. */
    readonly names?: RegionNameOverrides;
    /** Managed policy set as both roles' permissions boundary. Default: none. */
    readonly permissionsBoundaryArn?: pulumi.Input<string>;
    /** IAM path of both roles. Default: /. */
    readonly rolePath?: pulumi.Input<string>;
    /** Tags, merged with managed-by: stackstate-aws. */
    readonly tags?: pulumi.Input<Record<string, string>>;
}

/**
 * One region's event pipeline: the EventBridge rule stackstate-eventbridge-rule sends the changes
 * StackState tracks to the Firehose stream stackstate-eventbridge-stream, which delivers them to
 * the logs bucket under AWSLogs/<account>/EventBridge/<region>/.
 */
export class EventPipeline extends pulumi.ComponentResource {
    /** The Firehose stream. */
    readonly stream: aws.kinesis.FirehoseDeliveryStream;
    /** The EventBridge rule. */
    readonly rule: aws.cloudwatch.EventRule;
    /** The role Firehose delivers to the bucket with. */
    readonly firehoseRole: aws.iam.Role;
    /** The role EventBridge puts events into the stream with. */
    readonly eventBridgeRole: aws.iam.Role;
    /** ARN of the Firehose stream. */
    readonly streamArn: pulumi.Output<string>;

    constructor(name: string, args: EventPipelineArgs, opts?: pulumi.ComponentResourceOptions) {
        super(typeToken("EventPipeline"), name, {}, componentOptions("EventPipeline", opts));
        const { region } = args;
        const partition = partitionOf(region);
        const tags = managedTags(args.tags);
        const accountId = pulumi.output(args.accountId);
        const prefix = accountId.apply((account) => eventBridgePrefix(account, region));
        const names = { ...defaultRegionNames(region), ...(args.names ?? {}) };

        // A role a service assumes to act for this account, with its one inline policy.
        const serviceRole = (key: string, service: string, roleName: string, description: string, policyName: string, policy: pulumi.Output<PolicyDocument>) => {
            const role = new aws.iam.Role(`${name}-${key}-role`, {
                name: roleName,
                path: args.rolePath,
                description,
                assumeRolePolicy: policyJson(accountId.apply((account) => serviceTrustPolicy(service, account))),
                permissionsBoundary: args.permissionsBoundaryArn,
                tags,
            }, { parent: this });
            const rolePolicy = new aws.iam.RolePolicy(`${name}-${key}-policy`, { role: role.id, name: policyName, policy: policyJson(policy) }, { parent: this });
            return { role, rolePolicy };
        };

        const firehose = serviceRole("firehose", "firehose.amazonaws.com", names.firehoseRole,
            `Lets Firehose in ${region} deliver StackState events to the logs bucket.`, names.firehosePolicy,
            pulumi.all([accountId, args.bucketName, args.objectKeyArn]).apply(([account, bucketName, objectKeyArn]) =>
                firehoseRolePolicy({ partition, accountId: account, region, bucketName, bucketRegion: args.bucketRegion, objectKeyArn })));
        this.firehoseRole = firehose.role;

        // Records go to S3 as they come: no processing, no delimiter (the Agent reads concatenated
        // JSON and drops everything after a newline), GZIP, Firehose's default object names.
        this.stream = new aws.kinesis.FirehoseDeliveryStream(`${name}-stream`, {
            name: names.firehoseStream,
            destination: "extended_s3",
            extendedS3Configuration: {
                roleArn: this.firehoseRole.arn,
                bucketArn: args.bucketArn,
                prefix,
                bufferingInterval: FIREHOSE_SETTINGS.bufferingIntervalSeconds,
                bufferingSize: FIREHOSE_SETTINGS.bufferingSizeMiB,
                compressionFormat: FIREHOSE_SETTINGS.compressionFormat,
                kmsKeyArn: args.objectKeyArn,
                processingConfiguration: { enabled: false },
            },
            serverSideEncryption: { enabled: true, keyType: "CUSTOMER_MANAGED_CMK", keyArn: args.streamKeyArn },
            tags,
        }, { parent: this, dependsOn: [firehose.rolePolicy] });

        const eventBridge = serviceRole("eventbridge", "events.amazonaws.com", names.eventBridgeRole,
            `Lets EventBridge in ${region} put StackState events into the Firehose stream.`, names.eventBridgePolicy,
            accountId.apply((account) => eventBridgeRolePolicy(region, account, names.firehoseStream)));
        this.eventBridgeRole = eventBridge.role;

        this.rule = new aws.cloudwatch.EventRule(`${name}-rule`, {
            name: names.eventRule,
            description: `Sends resource changes StackState tracks to the ${names.firehoseStream} Firehose.`,
            eventPattern: JSON.stringify(eventPattern()),
            state: "ENABLED",
            tags,
        }, { parent: this });

        new aws.cloudwatch.EventTarget(`${name}-target`, {
            rule: this.rule.name,
            targetId: names.eventTarget,
            arn: this.stream.arn,
            roleArn: this.eventBridgeRole.arn,
        }, { parent: this, dependsOn: [eventBridge.rolePolicy] });

        this.streamArn = this.stream.arn;
        this.registerOutputs({ streamArn: this.streamArn, ruleArn: this.rule.arn });
    }
}

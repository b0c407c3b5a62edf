/**
 * One region's event pipeline: EventBridge rule → Kinesis Firehose → the logs bucket, under
 * `AWSLogs/<account>/EventBridge/<region>/`, where the Agent reads it every minute.
 */
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import {
    EVENT_RULE_NAME, eventBridgePrefix, eventBridgeRoleName, eventBridgeRolePolicy, eventPattern, FIREHOSE_SETTINGS,
    FIREHOSE_STREAM_NAME, firehoseRoleName, firehoseRolePolicy, partitionOf, serviceTrustPolicy,
} from "../model";
import { managedTags, policyJson, typeToken } from "./common";

export interface EventPipelineArgs {
    /** The pipeline's region; the component's provider must point there. */
    readonly region: string;
    /** The monitored account. */
    readonly accountId: pulumi.Input<string>;
    /** The logs bucket, which may be in another region. */
    readonly bucketName: pulumi.Input<string>;
    readonly bucketArn: pulumi.Input<string>;
    readonly bucketRegion: string;
    /** Key that encrypts the stream itself: this region's key. */
    readonly streamKeyArn: pulumi.Input<string>;
    /** Key S3 encrypts delivered objects with: Firehose requires a key in the bucket's region. */
    readonly objectKeyArn: pulumi.Input<string>;
    /** Managed policy set as both roles' permissions boundary. Default: none. */
    readonly permissionsBoundaryArn?: pulumi.Input<string>;
    /** IAM path of both roles. Default: /. */
    readonly rolePath?: pulumi.Input<string>;
    /** Tags, merged with managed-by: stackstate-aws. */
    readonly tags?: pulumi.Input<Record<string, string>>;
}

export class EventPipeline extends pulumi.ComponentResource {
    readonly stream: aws.kinesis.FirehoseDeliveryStream;
    readonly rule: aws.cloudwatch.EventRule;
    readonly firehoseRole: aws.iam.Role;
    readonly eventBridgeRole: aws.iam.Role;
    readonly streamArn: pulumi.Output<string>;

    constructor(name: string, args: EventPipelineArgs, opts?: pulumi.ComponentResourceOptions) {
        super(typeToken("EventPipeline"), name, {}, opts);
        const { region } = args;
        const partition = partitionOf(region);
        const tags = managedTags(args.tags);
        const accountId = pulumi.output(args.accountId);
        const prefix = accountId.apply((account) => eventBridgePrefix(account, region));

        this.firehoseRole = new aws.iam.Role(`${name}-firehose-role`, {
            name: firehoseRoleName(region),
            path: args.rolePath,
            description: `Lets Firehose in ${region} deliver StackState events to the logs bucket.`,
            assumeRolePolicy: policyJson(accountId.apply((account) => serviceTrustPolicy("firehose.amazonaws.com", account))),
            permissionsBoundary: args.permissionsBoundaryArn,
            tags,
        }, { parent: this });
        const firehosePolicy = new aws.iam.RolePolicy(`${name}-firehose-policy`, {
            role: this.firehoseRole.id,
            name: "deliver-to-logs-bucket",
            policy: policyJson(pulumi.all([accountId, args.bucketName, args.objectKeyArn]).apply(([account, bucketName, objectKeyArn]) =>
                firehoseRolePolicy({ partition, accountId: account, region, bucketName, bucketRegion: args.bucketRegion, objectKeyArn }))),
        }, { parent: this });

        // Records go to S3 as they come: no processing, no delimiter (the Agent reads concatenated
        // JSON and drops everything after a newline), GZIP, Firehose's default object names.
        this.stream = new aws.kinesis.FirehoseDeliveryStream(`${name}-stream`, {
            name: FIREHOSE_STREAM_NAME,
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
        }, { parent: this, dependsOn: [firehosePolicy] });

        this.eventBridgeRole = new aws.iam.Role(`${name}-eventbridge-role`, {
            name: eventBridgeRoleName(region),
            path: args.rolePath,
            description: `Lets EventBridge in ${region} put StackState events into the Firehose stream.`,
            assumeRolePolicy: policyJson(accountId.apply((account) => serviceTrustPolicy("events.amazonaws.com", account))),
            permissionsBoundary: args.permissionsBoundaryArn,
            tags,
        }, { parent: this });
        const eventBridgePolicy = new aws.iam.RolePolicy(`${name}-eventbridge-policy`, {
            role: this.eventBridgeRole.id,
            name: "put-into-stream",
            policy: policyJson(accountId.apply((account) => eventBridgeRolePolicy(region, account))),
        }, { parent: this });

        this.rule = new aws.cloudwatch.EventRule(`${name}-rule`, {
            name: EVENT_RULE_NAME,
            description: "Sends resource changes StackState tracks to the stackstate-eventbridge-stream Firehose.",
            eventPattern: JSON.stringify(eventPattern()),
            state: "ENABLED",
            tags,
        }, { parent: this });

        new aws.cloudwatch.EventTarget(`${name}-target`, {
            rule: this.rule.name,
            targetId: "stackstate-firehose",
            arn: this.stream.arn,
            roleArn: this.eventBridgeRole.arn,
        }, { parent: this, dependsOn: [eventBridgePolicy] });

        this.streamArn = this.stream.arn;
        this.registerOutputs({ streamArn: this.streamArn, ruleArn: this.rule.arn });
    }
}

/**
 * Builds a monitored account in moto with the AWS SDK, from the model's own documents and
 * settings — the account `pulumi up` would leave behind — and breaks it on request, one
 * switch per way an account goes wrong.
 *
 * The one deliberate difference from a real deployment: the bucket policy leaves out the
 * TLS-only deny, because moto enforces bucket policies and tests talk plain HTTP to it.
 */
import { gzipSync } from "node:zlib";
import { AttachRolePolicyCommand, CreatePolicyCommand, CreateRoleCommand, PutRolePolicyCommand } from "@aws-sdk/client-iam";
import { CreateAliasCommand, CreateKeyCommand, EnableKeyRotationCommand } from "@aws-sdk/client-kms";
import {
    CreateBucketCommand, PutBucketEncryptionCommand, PutBucketLifecycleConfigurationCommand, PutBucketPolicyCommand,
    PutBucketTaggingCommand, PutBucketVersioningCommand, PutObjectCommand, PutPublicAccessBlockCommand,
} from "@aws-sdk/client-s3";
import { CreateDeliveryStreamCommand } from "@aws-sdk/client-firehose";
import { PutRuleCommand, PutTargetsCommand } from "@aws-sdk/client-eventbridge";
import { CreateFlowLogsCommand, CreateVpcCommand, DescribeVpcsCommand } from "@aws-sdk/client-ec2";
import {
    bucketArn, BUCKET_SETTINGS, EVENT_RULE_NAME, eventBridgePrefix, eventBridgeRoleName, eventBridgeRolePolicy,
    eventPattern, FIREHOSE_SETTINGS, FIREHOSE_STREAM_NAME, firehoseRoleName, firehoseRolePolicy, firehoseStreamArn,
    accountNames, FLOW_LOG_SETTINGS, IAM_LIMITS, iamRoleArn, integrationPolicyName, integrationTrustPolicy,
    keyPolicy, KMS_SETTINGS, NameOverrides, regionNames, logsBucketName, logsBucketPolicy, packStatements, PolicyDocument,
    readStatements, serviceTrustPolicy, withManagedBy,
} from "../../model";
import { CreateTrailCommand, StartLoggingCommand } from "@aws-sdk/client-cloudtrail";
import { ClientFactory } from "../../cli/aws/clients";
import { MOTO_ACCOUNT_ID } from "./moto";

/** Ways one region's pipeline can be broken. */
export interface RegionBreaks {
    noStream?: boolean;
    bufferSeconds?: number;
    compression?: "UNCOMPRESSED" | "Snappy" | "ZIP";
    prefix?: string;
    /** The stream delivers to this bucket instead of the logs bucket. */
    streamBucket?: string;
    noRule?: boolean;
    ruleDisabled?: boolean;
    /** The rule targeting the stream carries this name instead of the model's. */
    ruleName?: string;
    /** The rule's pattern lists only these sources. */
    ruleSources?: string[];
    noKey?: boolean;
    keyRotationOff?: boolean;
    /** One VPC of the region gets no flow log. */
    vpcWithoutFlowLog?: boolean;
    flowLogIntervalSeconds?: 60 | 600;
    flowLogFormat?: string;
    noRecentObject?: boolean;
}

export interface WorldBreaks {
    /** The account's CloudTrail trail: none, stopped, or logging only its home (main) region. Default: a logging multi-region trail. */
    cloudTrail?: "none" | "stopped" | "homeRegionOnly";
    noBucket?: boolean;
    bucketUntagged?: boolean;
    versioning?: "Suspended";
    noLifecycle?: boolean;
    lifecycleDays?: number;
    encryption?: "AES256";
    noPublicAccessBlock?: boolean;
    /** A trust policy to use instead of the model's. */
    trust?: PolicyDocument;
    regions?: Record<string, RegionBreaks>;
}

export interface WorldSpec {
    /** The account the clients' credentials are in. Default: moto's own. */
    accountId?: string;
    regions: string[];
    mainRegion?: string;
    externalId: string;
    /** The account whose principals the role trusts (the Agent's). */
    agentAccountId: string;
    breaks?: WorldBreaks;
    /** An adopted install's names (the stack config's `names`): the role, each region's stream and key alias. */
    names?: NameOverrides;
}

export interface World {
    accountId: string;
    mainRegion: string;
    regions: string[];
    roleArn: string;
    externalId: string;
    bucket: string;
    /** VPC ids per region (the default VPC and one created here). */
    vpcs: Record<string, string[]>;
    keyArns: Record<string, string>;
}

export const WORLD_EXTERNAL_ID = "verify-test-external-id-0123456789abcdef";
/** An account other than moto's: its root is the Agent the role trusts. */
export const AGENT_ACCOUNT_ID = "210987654321";

const partition = "aws" as const;
const json = (doc: unknown) => JSON.stringify(doc);
const tags = (extra?: Record<string, string>) =>
    Object.entries(withManagedBy(extra)).map(([Key, Value]) => ({ Key, Value }));

/** The key the Agent's parser expects: Firehose's default layout under the prefix. */
export function firehoseObjectKey(prefix: string, at: Date): string {
    const p = (n: number) => String(n).padStart(2, "0");
    const [y, m, d, h, mi, s] = [at.getUTCFullYear(), at.getUTCMonth() + 1, at.getUTCDate(), at.getUTCHours(), at.getUTCMinutes(), at.getUTCSeconds()];
    return `${prefix}${y}/${p(m)}/${p(d)}/${p(h)}/${FIREHOSE_STREAM_NAME}-1-${y}-${p(m)}-${p(d)}-${p(h)}-${p(mi)}-${p(s)}-${Math.random().toString(16).slice(2, 10)}`;
}

export async function buildWorld(clients: ClientFactory, spec: WorldSpec): Promise<World> {
    const accountId = spec.accountId ?? MOTO_ACCOUNT_ID;
    const mainRegion = spec.mainRegion ?? spec.regions[0];
    const breaks = spec.breaks ?? {};
    const bucket = logsBucketName(accountId);
    const iam = clients(mainRegion).iam;
    const roleName = accountNames(spec.names).integrationRole;

    // The integration role: the model's trust, read statements packed into managed policies, and
    // a permissions boundary allowing the same.
    const statements = readStatements({ partition, accountId, mainRegion });
    const boundary = await iam.send(new CreatePolicyCommand({
        PolicyName: "StackStateIntegrationBoundary",
        PolicyDocument: json({ Version: "2012-10-17", Statement: statements }),
    }));
    const trust = breaks.trust ?? integrationTrustPolicy({ partition, agentAccountId: spec.agentAccountId, externalId: spec.externalId });
    await iam.send(new CreateRoleCommand({
        RoleName: roleName,
        AssumeRolePolicyDocument: json(trust),
        PermissionsBoundary: boundary.Policy?.Arn,
        Tags: tags(),
    }));
    const documents = packStatements(statements, IAM_LIMITS.managedPolicyChars);
    await Promise.all(documents.map(async (document, index) => {
        const policy = await iam.send(new CreatePolicyCommand({ PolicyName: integrationPolicyName(index), PolicyDocument: json(document) }));
        await iam.send(new AttachRolePolicyCommand({ RoleName: roleName, PolicyArn: policy.Policy?.Arn }));
    }));

    // One key per region; the main region's also encrypts the bucket.
    const keyArns: Record<string, string> = {};
    await Promise.all(spec.regions.map(async (region) => {
        const regionBreaks = breaks.regions?.[region] ?? {};
        if (regionBreaks.noKey) return;
        const kms = clients(region).kms;
        const key = await kms.send(new CreateKeyCommand({
            Policy: json(keyPolicy({ partition, accountId, region, encryptsBucket: region === mainRegion })),
            Tags: tags().map(({ Key, Value }) => ({ TagKey: Key, TagValue: Value })),
        }));
        const keyId = key.KeyMetadata?.KeyId as string;
        keyArns[region] = key.KeyMetadata?.Arn as string;
        await kms.send(new CreateAliasCommand({ AliasName: regionNames(region, spec.names).kmsAlias, TargetKeyId: keyId }));
        if (KMS_SETTINGS.enableKeyRotation && !regionBreaks.keyRotationOff) {
            await kms.send(new EnableKeyRotationCommand({ KeyId: keyId }));
        }
    }));

    if (!breaks.noBucket) await buildBucket(clients(mainRegion).s3, accountId, mainRegion, keyArns[mainRegion], breaks);
    if (breaks.cloudTrail !== "none") await buildTrail(clients(mainRegion), accountId, mainRegion, breaks.cloudTrail);

    const vpcs: Record<string, string[]> = {};
    await Promise.all(spec.regions.map(async (region) => {
        vpcs[region] = await buildRegion(clients, {
            region, accountId, mainRegion, bucket, objectKeyArn: keyArns[mainRegion], streamKeyArn: keyArns[region],
            breaks: breaks.regions?.[region] ?? {}, bucketExists: !breaks.noBucket, streamName: regionNames(region, spec.names).firehoseStream,
        });
    }));

    return {
        accountId, mainRegion, regions: spec.regions, externalId: spec.externalId, bucket, vpcs, keyArns,
        roleArn: iamRoleArn(partition, accountId, roleName),
    };
}

async function buildBucket(
    s3: ReturnType<ClientFactory>["s3"], accountId: string, region: string, keyArn: string | undefined, breaks: WorldBreaks,
): Promise<void> {
    const bucket = logsBucketName(accountId);
    await s3.send(new CreateBucketCommand({
        Bucket: bucket,
        ...(region === "us-east-1" ? {} : { CreateBucketConfiguration: { LocationConstraint: region as never } }),
    }));
    if (!breaks.bucketUntagged) {
        await s3.send(new PutBucketTaggingCommand({ Bucket: bucket, Tagging: { TagSet: tags({ purpose: "stackstate" }) } }));
    }
    await s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: breaks.versioning ?? "Enabled" } }));
    if (!breaks.noLifecycle) {
        const days = breaks.lifecycleDays ?? BUCKET_SETTINGS.expirationDays;
        await s3.send(new PutBucketLifecycleConfigurationCommand({
            Bucket: bucket,
            LifecycleConfiguration: {
                Rules: [{
                    ID: "expire-unread-logs",
                    Status: "Enabled",
                    Filter: {},
                    Expiration: { Days: days },
                    NoncurrentVersionExpiration: { NoncurrentDays: breaks.lifecycleDays ?? BUCKET_SETTINGS.noncurrentVersionExpirationDays },
                    AbortIncompleteMultipartUpload: { DaysAfterInitiation: BUCKET_SETTINGS.abortIncompleteMultipartUploadDays },
                }],
            },
        }));
    }
    await s3.send(new PutBucketEncryptionCommand({
        Bucket: bucket,
        ServerSideEncryptionConfiguration: {
            Rules: [{
                ApplyServerSideEncryptionByDefault: breaks.encryption === "AES256" || !keyArn
                    ? { SSEAlgorithm: "AES256" }
                    : { SSEAlgorithm: "aws:kms", KMSMasterKeyID: keyArn },
                BucketKeyEnabled: true,
            }],
        },
    }));
    if (!breaks.noPublicAccessBlock) {
        await s3.send(new PutPublicAccessBlockCommand({
            Bucket: bucket,
            PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true },
        }));
    }
    const policy = logsBucketPolicy({ partition, accountId, bucketName: bucket });
    policy.Statement = policy.Statement.filter((s) => s.Sid !== "DenyInsecureTransport");
    await s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: json(policy) }));
}

/** The account's audit trail, in its own bucket, as most accounts have one. */
async function buildTrail(aws: ReturnType<ClientFactory>, accountId: string, region: string, state: WorldBreaks["cloudTrail"]): Promise<void> {
    // Bucket names are global: one trail bucket per account of a multi-account world.
    const bucket = `audit-trail-${accountId}`;
    await aws.s3.send(new CreateBucketCommand({ Bucket: bucket, ...(region === "us-east-1" ? {} : { CreateBucketConfiguration: { LocationConstraint: region as never } }) }));
    await aws.cloudtrail.send(new CreateTrailCommand({ Name: "audit", S3BucketName: bucket, IsMultiRegionTrail: state !== "homeRegionOnly" }));
    if (state !== "stopped") await aws.cloudtrail.send(new StartLoggingCommand({ Name: "audit" }));
}

interface RegionArgs {
    region: string;
    accountId: string;
    mainRegion: string;
    bucket: string;
    objectKeyArn?: string;
    streamKeyArn?: string;
    breaks: RegionBreaks;
    bucketExists: boolean;
    streamName: string;
}

async function buildRegion(clients: ClientFactory, args: RegionArgs): Promise<string[]> {
    const { region, accountId, bucket, breaks } = args;
    const aws = clients(region);
    const iam = clients(args.mainRegion).iam;

    const firehoseRole = await iam.send(new CreateRoleCommand({
        RoleName: firehoseRoleName(region),
        AssumeRolePolicyDocument: json(serviceTrustPolicy("firehose.amazonaws.com", accountId)),
        Tags: tags(),
    }));
    await iam.send(new PutRolePolicyCommand({
        RoleName: firehoseRoleName(region),
        PolicyName: "deliver-to-logs-bucket",
        PolicyDocument: json(firehoseRolePolicy({
            partition, accountId, region, bucketName: bucket, bucketRegion: args.mainRegion,
            objectKeyArn: args.objectKeyArn ?? `arn:aws:kms:${args.mainRegion}:${accountId}:key/none`,
        })),
    }));
    const eventsRole = await iam.send(new CreateRoleCommand({
        RoleName: eventBridgeRoleName(region),
        AssumeRolePolicyDocument: json(serviceTrustPolicy("events.amazonaws.com", accountId)),
        Tags: tags(),
    }));
    await iam.send(new PutRolePolicyCommand({
        RoleName: eventBridgeRoleName(region),
        PolicyName: "put-into-stream",
        PolicyDocument: json(eventBridgeRolePolicy(region, accountId, args.streamName)),
    }));

    if (!breaks.noStream) {
        await aws.firehose.send(new CreateDeliveryStreamCommand({
            DeliveryStreamName: args.streamName,
            DeliveryStreamType: "DirectPut",
            ExtendedS3DestinationConfiguration: {
                BucketARN: bucketArn(partition, breaks.streamBucket ?? bucket),
                RoleARN: firehoseRole.Role?.Arn,
                Prefix: breaks.prefix ?? eventBridgePrefix(accountId, region),
                CompressionFormat: breaks.compression ?? FIREHOSE_SETTINGS.compressionFormat,
                BufferingHints: {
                    IntervalInSeconds: breaks.bufferSeconds ?? FIREHOSE_SETTINGS.bufferingIntervalSeconds,
                    SizeInMBs: FIREHOSE_SETTINGS.bufferingSizeMiB,
                },
                ...(args.objectKeyArn ? { EncryptionConfiguration: { KMSEncryptionConfig: { AWSKMSKeyARN: args.objectKeyArn } } } : {}),
            },
            ...(args.streamKeyArn ? { DeliveryStreamEncryptionConfigurationInput: { KeyType: "CUSTOMER_MANAGED_CMK", KeyARN: args.streamKeyArn } } : {}),
            Tags: tags(),
        }));
    }

    if (!breaks.noRule) {
        const name = breaks.ruleName ?? EVENT_RULE_NAME;
        const pattern = breaks.ruleSources ? { ...eventPattern(), source: breaks.ruleSources } : eventPattern();
        await aws.events.send(new PutRuleCommand({
            Name: name,
            EventPattern: json(pattern),
            State: breaks.ruleDisabled ? "DISABLED" : "ENABLED",
            Tags: tags(),
        }));
        await aws.events.send(new PutTargetsCommand({
            Rule: name,
            Targets: [{ Id: "firehose", Arn: firehoseStreamArn(region, accountId, args.streamName), RoleArn: eventsRole.Role?.Arn }],
        }));
    }

    await aws.ec2.send(new CreateVpcCommand({ CidrBlock: "10.20.0.0/16" }));
    const vpcs = ((await aws.ec2.send(new DescribeVpcsCommand({}))).Vpcs ?? []).map((v) => v.VpcId as string);
    const covered = breaks.vpcWithoutFlowLog ? vpcs.slice(1) : vpcs;
    if (args.bucketExists && covered.length > 0) {
        await aws.ec2.send(new CreateFlowLogsCommand({
            ResourceIds: covered,
            ResourceType: "VPC",
            TrafficType: FLOW_LOG_SETTINGS.trafficType,
            LogDestinationType: "s3",
            LogDestination: bucketArn(partition, bucket),
            MaxAggregationInterval: breaks.flowLogIntervalSeconds ?? FLOW_LOG_SETTINGS.maxAggregationIntervalSeconds,
            ...(breaks.flowLogFormat ? { LogFormat: breaks.flowLogFormat } : {}),
            DestinationOptions: {
                FileFormat: FLOW_LOG_SETTINGS.fileFormat,
                HiveCompatiblePartitions: FLOW_LOG_SETTINGS.hiveCompatiblePartitions,
                PerHourPartition: FLOW_LOG_SETTINGS.perHourPartition,
            },
            TagSpecifications: [{ ResourceType: "vpc-flow-log", Tags: tags() }],
        }));
    }

    if (args.bucketExists && !breaks.noRecentObject) {
        const record = { "detail-type": "AWS API Call via CloudTrail", source: "aws.ec2", region, account: accountId };
        await clients(args.mainRegion).s3.send(new PutObjectCommand({
            Bucket: bucket,
            Key: firehoseObjectKey(breaks.prefix ?? eventBridgePrefix(accountId, region), new Date()),
            Body: gzipSync(JSON.stringify(record)),
        }));
    }
    return vpcs;
}

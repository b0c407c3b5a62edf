/** Settings the Agent depends on for events and flow logs (docs/stackstate-integration.md: event pipeline, logs bucket, VPC flow logs). */

/** Records of every source the Agent handles: the published pattern plus autoscaling and SNS. */
export const EVENT_SOURCES: readonly string[] = [
    "aws.apigateway", "aws.application-autoscaling", "aws.autoscaling", "aws.dynamodb", "aws.ec2",
    "aws.ecs", "aws.elasticloadbalancing", "aws.firehose", "aws.kinesis", "aws.lambda", "aws.rds",
    "aws.redshift", "aws.s3", "aws.sns", "aws.sqs", "aws.states",
];
/** The Agent ignores these sources' events, so a rule need not match them. */
export const EVENT_SOURCES_IGNORED_BY_AGENT: readonly string[] = ["aws.apigateway", "aws.application-autoscaling"];
export const AGENT_HANDLED_EVENT_SOURCES: readonly string[] = EVENT_SOURCES.filter(
    (source) => !EVENT_SOURCES_IGNORED_BY_AGENT.includes(source),
);

/**
 * Sources the Agent handles that StackState's published CloudFormation template leaves out of its
 * pattern. Without them the Agent still works: their changes wait for its hourly full scan.
 */
export const PUBLISHED_PATTERN_OMITTED_SOURCES: readonly string[] = ["aws.autoscaling", "aws.sns"];

export const EVENT_DETAIL_TYPES: readonly string[] = [
    "EC2 Instance State-change Notification",
    "AWS API Call via CloudTrail",
];

export interface EventPattern {
    source: string[];
    "detail-type": string[];
}

export function eventPattern(): EventPattern {
    return { source: [...EVENT_SOURCES], "detail-type": [...EVENT_DETAIL_TYPES] };
}

export const FIREHOSE_SETTINGS = {
    /** Seconds; higher only delays topology updates. */
    bufferingIntervalSeconds: 60,
    /** MiB; large enough that the interval, not the size, decides when to flush. */
    bufferingSizeMiB: 5,
    compressionFormat: "GZIP",
} as const;

export const BUCKET_SETTINGS = {
    /** The Agent deletes objects once read; what it misses expires after a day. */
    expirationDays: 1,
    noncurrentVersionExpirationDays: 1,
    abortIncompleteMultipartUploadDays: 1,
} as const;

export const FLOW_LOG_SETTINGS = {
    maxAggregationIntervalSeconds: 60,
    trafficType: "ALL",
    fileFormat: "plain-text",
    hiveCompatiblePartitions: false,
    perHourPartition: false,
} as const;

/** AWS's default flow-log format, which the Agent parses (version 2 fields). */
export const DEFAULT_FLOW_LOG_FORMAT =
    "${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} " +
    "${packets} ${bytes} ${start} ${end} ${action} ${log-status}";

export const KMS_SETTINGS = {
    enableKeyRotation: true,
} as const;

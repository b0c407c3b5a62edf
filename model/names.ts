/**
 * Names and prefixes that StackState's Agent, its docs and this package all depend on.
 * Every other part of the package reads them from here.
 */
import { partitionOf, Partition } from "./regions";

/**
 * The component package's name: other languages' SDKs are generated under it, and its components'
 * type tokens read `stackstate-aws:index:<Component>` (Pulumi's component providers serve the
 * `index` module only).
 */
export const PACKAGE_NAME = "stackstate-aws";
export function componentTypeToken(component: string): string {
    return `${PACKAGE_NAME}:index:${component}`;
}
/** The components' type tokens before they were a package; stacks deployed then hold these URNs. */
export function legacyComponentTypeToken(component: string): string {
    return `stackstate:aws:${component}`;
}

/** The Agent's config and StackState's docs reference this exact role name. */
export const INTEGRATION_ROLE_NAME = "StackStateAwsIntegrationRole";

/** The Agent reads events from `stackstate-logs-<account>` unless told otherwise. */
export const LOGS_BUCKET_PREFIX = "stackstate-logs-";
export function logsBucketName(accountId: string): string {
    return `${LOGS_BUCKET_PREFIX}${accountId}`;
}

export const KMS_ALIAS = "alias/stackstate-integration";
export const FIREHOSE_STREAM_NAME = "stackstate-eventbridge-stream";
export const EVENT_RULE_NAME = "stackstate-eventbridge-rule";

/** IAM names are global to an account, so the per-region roles carry their region. */
export function firehoseRoleName(region: string): string {
    return `StackStateFirehoseRole-${region}`;
}
export function eventBridgeRoleName(region: string): string {
    return `StackStateEventBridgeRole-${region}`;
}
/** Customer-managed policies holding the integration role's read permissions: base name, then -2, -3... */
export function integrationPolicyName(index: number): string {
    return index === 0 ? "StackStateAwsIntegrationPolicy" : `StackStateAwsIntegrationPolicy-${index + 1}`;
}
export const AGENT_ROLE_NAME = "StackStateAgentRole";

/** Firehose writes events here; the Agent lists exactly this prefix. */
export function eventBridgePrefix(accountId: string, region: string): string {
    return `AWSLogs/${accountId}/EventBridge/${region}/`;
}
/** AWS's default key layout for flow logs delivered to S3, which the Agent lists. */
export function flowLogsPrefix(accountId: string, region: string): string {
    return `AWSLogs/${accountId}/vpcflowlogs/${region}/`;
}
/** Everything AWS log delivery writes for this account lives under this prefix. */
export function awsLogsPrefix(accountId: string): string {
    return `AWSLogs/${accountId}/`;
}

/** `/path/` as IAM expects it: leading and trailing slash. */
export function normalisedRolePath(path: string | undefined): string {
    if (!path || path === "/") return "/";
    return `/${path.replace(/^\/+|\/+$/g, "")}/`;
}

export function iamRoleArn(partition: Partition, accountId: string, roleName: string, path = "/"): string {
    return `arn:${partition}:iam::${accountId}:role${normalisedRolePath(path)}${roleName}`;
}
export function integrationRoleArn(accountId: string, region: string, path = "/"): string {
    return iamRoleArn(partitionOf(region), accountId, INTEGRATION_ROLE_NAME, path);
}
export function bucketArn(partition: Partition, bucket: string): string {
    return `arn:${partition}:s3:::${bucket}`;
}
export function firehoseStreamArn(region: string, accountId: string, stream = FIREHOSE_STREAM_NAME): string {
    return `arn:${partitionOf(region)}:firehose:${region}:${accountId}:deliverystream/${stream}`;
}
export function eventRuleArn(region: string, accountId: string, rule = EVENT_RULE_NAME): string {
    return `arn:${partitionOf(region)}:events:${region}:${accountId}:rule/${rule}`;
}
export function accountRootArn(partition: Partition, accountId: string): string {
    return `arn:${partition}:iam::${accountId}:root`;
}

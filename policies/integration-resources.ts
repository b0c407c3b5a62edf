/**
 * Which resources of any program are "shaped like the integration", so the pipeline guardrails
 * judge them and leave everything else alone: a logs bucket (named `stackstate-logs-…` unless the
 * policy's `logsBucketNames` says otherwise, as the Agent's `log_bucket_name` may), a Firehose stream
 * named `stackstate-eventbridge-stream` or writing to such a bucket, and what refers to those (by
 * value, or by property dependency while values are unknown in a preview).
 */
import { PolicyResource } from "@pulumi/policy";
import { parseS3Arn } from "../model/arn";
import { FIREHOSE_STREAM_NAME, LOGS_BUCKET_PREFIX } from "../model/names";
import { wildcardMatches } from "../model/rules/action-match";
import { AWS } from "./aws-types";
import { asObject, knownString, listSetting, Props, rawProps, refersTo } from "./kit";

/** Bucket name patterns (`*`, `?`) of the buckets the Agent reads. */
export interface LogsBucketNames {
    patterns: string[];
}

export const DEFAULT_LOGS_BUCKET_NAMES: readonly string[] = [`${LOGS_BUCKET_PREFIX}*`];

/** The config setting every pipeline policy takes, so each can be pointed at renamed buckets. */
export const LOGS_BUCKET_NAMES_SCHEMA = {
    logsBucketNames: {
        type: "array", items: { type: "string", minLength: 1 }, minItems: 1, default: [...DEFAULT_LOGS_BUCKET_NAMES],
        description: "Names of the S3 buckets StackState's Agent reads (* and ? wildcards): its log_bucket_name and flowlog_bucket_name, by default stackstate-logs-<account>.",
    },
} as const;

export function logsBucketNames(config: Props): LogsBucketNames {
    const patterns = listSetting(config, "logsBucketNames");
    return { patterns: patterns.length > 0 ? patterns : [...DEFAULT_LOGS_BUCKET_NAMES] };
}

export function isLogsBucketName(name: string | undefined, names: LogsBucketNames): boolean {
    return name !== undefined && names.patterns.some((p) => wildcardMatches(p, name));
}

/** The logs bucket an S3 ARN points into (`arn:<partition>:s3:::<bucket>[/key]`), if any. */
export function logsBucketOfArn(arn: string | undefined, names: LogsBucketNames): string | undefined {
    const bucket = parseS3Arn(arn)?.bucket;
    return bucket !== undefined && isLogsBucketName(bucket, names) ? bucket : undefined;
}

/** The account a logs bucket is named after, when the name follows `stackstate-logs-<12 digits>`. */
export function accountOfLogsBucket(bucket: string | undefined): string | undefined {
    if (!bucket?.startsWith(LOGS_BUCKET_PREFIX)) return undefined;
    const account = bucket.slice(LOGS_BUCKET_PREFIX.length);
    return /^\d{12}$/.test(account) ? account : undefined;
}

export const bucketName = (bucket: PolicyResource) => knownString(rawProps(bucket.props).bucket);

/** Values other resources use to name the bucket: its name, id and ARN. */
export function bucketIdentities(bucket: PolicyResource): (string | undefined)[] {
    const props = rawProps(bucket.props);
    return [knownString(props.bucket), knownString(props.id), knownString(props.arn)];
}

export function logsBuckets(resources: PolicyResource[], names: LogsBucketNames): PolicyResource[] {
    return resources.filter((r) => (AWS.buckets as readonly string[]).includes(r.type) && isLogsBucketName(bucketName(r), names));
}

/** Resources of the given types whose `bucket` property is this bucket. */
export function bucketSettings(resources: PolicyResource[], types: readonly string[], bucket: PolicyResource): PolicyResource[] {
    const ids = bucketIdentities(bucket);
    return resources.filter((r) => types.includes(r.type) && refersTo(r, "bucket", bucket, ids));
}

/** True when a property of `from` depends on one of the buckets. */
function dependsOnAny(from: PolicyResource, key: string, buckets: PolicyResource[]): boolean {
    return (from.propertyDependencies[key] ?? []).some((d) => buckets.some((b) => b === d || b.urn === d.urn));
}

/** Firehose streams of the integration: the known name, or delivering to a logs bucket. */
export function integrationStreams(resources: PolicyResource[], names: LogsBucketNames, buckets = logsBuckets(resources, names)): PolicyResource[] {
    return resources.filter((r) => {
        if (r.type !== AWS.firehose) return false;
        const props = rawProps(r.props);
        if (knownString(props.name) === FIREHOSE_STREAM_NAME) return true;
        const s3 = asObject(props.extendedS3Configuration);
        return logsBucketOfArn(knownString(s3?.bucketArn), names) !== undefined || dependsOnAny(r, "extendedS3Configuration", buckets);
    });
}

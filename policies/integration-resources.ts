/**
 * Which resources of any program are "shaped like the integration", so the pipeline guardrails
 * judge them and leave everything else alone: a bucket named `stackstate-logs-…`, a Firehose
 * stream named `stackstate-eventbridge-stream` or writing to such a bucket, and what refers to
 * those (by value, or by property dependency while values are unknown in a preview).
 */
import { PolicyResource } from "@pulumi/policy";
import { FIREHOSE_STREAM_NAME, LOGS_BUCKET_PREFIX } from "../model/names";
import { AWS } from "./aws-types";
import { asObject, knownString, rawProps, refersTo } from "./kit";

export function isLogsBucketName(name: string | undefined): boolean {
    return name !== undefined && name.startsWith(LOGS_BUCKET_PREFIX);
}

/** The logs bucket an S3 ARN points into (`arn:<partition>:s3:::stackstate-logs-…[/key]`), if any. */
export function logsBucketOfArn(arn: string | undefined): string | undefined {
    const match = /^arn:[^:]+:s3:::([^/]+)/.exec(arn ?? "");
    return match && isLogsBucketName(match[1]) ? match[1] : undefined;
}

/** The account a logs bucket is named after, when the name follows `stackstate-logs-<12 digits>`. */
export function accountOfLogsBucket(bucket: string | undefined): string | undefined {
    const account = bucket?.slice(LOGS_BUCKET_PREFIX.length);
    return account && /^\d{12}$/.test(account) ? account : undefined;
}

export const bucketName = (bucket: PolicyResource) => knownString(rawProps(bucket.props).bucket);

/** Values other resources use to name the bucket: its name, id and ARN. */
export function bucketIdentities(bucket: PolicyResource): (string | undefined)[] {
    const props = rawProps(bucket.props);
    return [knownString(props.bucket), knownString(props.id), knownString(props.arn)];
}

export function logsBuckets(resources: PolicyResource[]): PolicyResource[] {
    return resources.filter((r) => (AWS.buckets as readonly string[]).includes(r.type) && isLogsBucketName(bucketName(r)));
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
export function integrationStreams(resources: PolicyResource[], buckets: PolicyResource[] = logsBuckets(resources)): PolicyResource[] {
    return resources.filter((r) => {
        if (r.type !== AWS.firehose) return false;
        const props = rawProps(r.props);
        if (knownString(props.name) === FIREHOSE_STREAM_NAME) return true;
        const s3 = asObject(props.extendedS3Configuration);
        return logsBucketOfArn(knownString(s3?.bucketArn)) !== undefined || dependsOnAny(r, "extendedS3Configuration", buckets);
    });
}

/** True when `from[key]` is a logs bucket's ARN (or a key in it), by value or by dependency. */
export function pointsIntoLogsBucket(from: PolicyResource, key: string, buckets: PolicyResource[]): boolean {
    return logsBucketOfArn(knownString(rawProps(from.props)[key])) !== undefined || dependsOnAny(from, key, buckets);
}

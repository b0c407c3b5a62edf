/**
 * `stackstate-logs-bucket-configure-retention`: a logs bucket (`stackstate-logs-…`, or as configured) is versioned (the Agent
 * will not read it otherwise) and expires current and non-current versions after a day (the Agent
 * deletes what it reads; what it misses must not pile up). Versioning and lifecycle live in their
 * own resources (`BucketVersioning`, `BucketLifecycleConfiguration`) or, in older programs, inline on
 * the bucket: only the whole stack shows them, so this is a stack policy.
 */
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { BUCKET_SETTINGS } from "../model/pipeline-settings";
import { LifecycleRuleFacts, lifecycleProblems, versioningProblems } from "../model/rules/pipeline";
import { AWS } from "./aws-types";
import { bucketName, bucketSettings, LOGS_BUCKET_NAMES_SCHEMA, logsBucketNames, logsBuckets } from "./integration-resources";
import { asList, asObject, describe, knownNumber, knownString, Props, rawProps, reportUnknown, unknownPaths } from "./kit";

export const BUCKET_RETENTION_POLICY = "stackstate-logs-bucket-configure-retention";

const description = `StackState logs buckets must be versioned and expire current and non-current object versions after ${BUCKET_SETTINGS.expirationDays} day, as the Agent requires.`;

const empty = (value: unknown) => value === undefined || value === null || value === "";

/** A `BucketLifecycleConfiguration` rule applies to the whole bucket when nothing filters it. */
function wholeBucket(rule: Props): boolean {
    const filter = asObject(rule.filter);
    const filtered = filter && (!empty(filter.prefix) || filter.tag || filter.and
        || filter.objectSizeGreaterThan !== undefined || filter.objectSizeLessThan !== undefined);
    return !filtered && empty(rule.prefix);
}

function separateRules(config: PolicyResource): LifecycleRuleFacts[] {
    return asList(rawProps(config.props).rules).map(asObject).filter((r): r is Props => r !== undefined).map((rule) => ({
        enabled: rule.status === "Enabled",
        wholeBucket: wholeBucket(rule),
        expirationDays: knownNumber(asObject(rule.expiration)?.days),
        noncurrentExpirationDays: knownNumber(asObject(rule.noncurrentVersionExpiration)?.noncurrentDays),
    }));
}

/** The bucket's own (deprecated) `lifecycleRules`. */
function inlineRules(bucket: Props): LifecycleRuleFacts[] {
    return asList(bucket.lifecycleRules).map(asObject).filter((r): r is Props => r !== undefined).map((rule) => ({
        enabled: rule.enabled === true,
        wholeBucket: empty(rule.prefix) && !asObject(rule.tags),
        expirationDays: knownNumber(asObject(rule.expiration)?.days),
        noncurrentExpirationDays: knownNumber(asObject(rule.noncurrentVersionExpiration)?.days),
    }));
}

export const stackstateLogsBucketConfigureRetention: StackValidationPolicy = {
    name: BUCKET_RETENTION_POLICY,
    description,
    enforcementLevel: "mandatory",
    configSchema: { properties: { ...LOGS_BUCKET_NAMES_SCHEMA } },
    validateStack: (args, report) => {
        for (const bucket of logsBuckets(args.resources, logsBucketNames(args.getConfig<Props>()))) {
            const raw = rawProps(bucket.props);
            const subject = describe("S3 bucket", bucket.name, bucketName(bucket));
            const versionings = bucketSettings(args.resources, AWS.bucketVersionings, bucket);
            const lifecycles = bucketSettings(args.resources, AWS.bucketLifecycles, bucket);
            const unknown = [
                ...unknownPaths(raw, ["versioning", "lifecycleRules"]),
                ...versionings.flatMap((v) => unknownPaths(rawProps(v.props), ["versioningConfiguration"]).map((p) => `${p} of '${v.name}'`)),
                ...lifecycles.flatMap((l) => unknownPaths(rawProps(l.props), ["rules"]).map((p) => `${p} of '${l.name}'`)),
            ];
            if (unknown.length > 0) {
                reportUnknown(report, description, subject, unknown, bucket.urn);
                continue;
            }
            const statuses = [
                ...(asObject(raw.versioning)?.enabled === true ? ["Enabled"] : []),
                ...versionings.map((v) => knownString(asObject(rawProps(v.props).versioningConfiguration)?.status)),
            ];
            const status = statuses.includes("Enabled") ? "Enabled" : statuses.find((s) => s !== undefined);
            const problems = [
                ...versioningProblems(status),
                ...lifecycleProblems([...inlineRules(raw), ...lifecycles.flatMap(separateRules)]),
            ];
            if (problems.length === 0) continue;
            report(`${subject} must be versioned and expire what the Agent does not read: ${problems.join("; ")}. ` +
                `Fix: add an aws.s3.BucketVersioning with versioningConfiguration.status "Enabled", and an aws.s3.BucketLifecycleConfiguration ` +
                `with an enabled rule without a filter that sets expiration.days to ${BUCKET_SETTINGS.expirationDays} and noncurrentVersionExpiration.noncurrentDays to ${BUCKET_SETTINGS.noncurrentVersionExpirationDays}.`,
            bucket.urn);
        }
    },
};

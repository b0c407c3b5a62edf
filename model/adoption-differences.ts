/**
 * Where an installed CloudFormation stack differs from what this package declares for the same
 * resource: the changes the first `pulumi up` after the import makes. Compared from the stack's
 * template (properties resolved) and, for flow logs, EC2's description.
 */
import { InstallFacts, InstalledResource } from "./adoption";
import { eventBridgePrefix } from "./names";
import { BUCKET_SETTINGS, DEFAULT_FLOW_LOG_FORMAT, eventPattern, FIREHOSE_SETTINGS, FLOW_LOG_SETTINGS, KMS_SETTINGS } from "./pipeline-settings";
import { readStatements } from "./integration-permissions";
import { MANAGED_BY_TAG_KEY, MANAGED_BY_TAG_VALUE } from "./tags";
import { Partition } from "./regions";

export interface Difference {
    region: string;
    /** The template's logical id. */
    resource: string;
    setting: string;
    installed: string;
    ours: string;
    /** `update`: changed in place; `replace`: AWS cannot change it in place. */
    effect: "update" | "replace";
}

const asList = (value: unknown): unknown[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);
const show = (value: unknown) => (value === undefined ? "(not set)" : typeof value === "string" ? value : JSON.stringify(value));
const sorted = (values: Iterable<string>) => [...values].sort();

function actionsOf(doc: unknown): Set<string> {
    const actions = new Set<string>();
    for (const statement of asList((doc as { Statement?: unknown })?.Statement) as Record<string, unknown>[]) {
        if (statement?.Effect === "Allow") for (const a of asList(statement.Action)) actions.add(String(a).toLowerCase());
    }
    return actions;
}

function resourcesOf(doc: unknown): string[] {
    return (asList((doc as { Statement?: unknown })?.Statement) as Record<string, unknown>[]).flatMap((s) => asList(s?.Resource).map(String));
}

export function installDifferences(facts: InstallFacts, mainRegion: string): Difference[] {
    const out: Difference[] = [];
    const { accountId } = facts;
    const partition = facts.partition as Partition;
    for (const stack of facts.stacks) {
        const region = stack.region;
        const diff = (r: InstalledResource, setting: string, installed: unknown, ours: unknown, effect: Difference["effect"] = "update") =>
            out.push({ region, resource: r.logicalId, setting, installed: show(installed), ours: show(ours), effect });
        for (const r of stack.resources.filter((x) => x.physicalId)) {
            const p = r.properties;
            const tags = asList(p.Tags) as { Key?: string; Value?: string }[];
            const tagged = tags.some((t) => t.Key === MANAGED_BY_TAG_KEY && t.Value === MANAGED_BY_TAG_VALUE);
            const taggable = ["AWS::IAM::Role", "AWS::IAM::ManagedPolicy", "AWS::S3::Bucket", "AWS::KMS::Key", "AWS::KinesisFirehose::DeliveryStream", "AWS::Events::Rule", "AWS::EC2::FlowLog"];
            if (taggable.includes(r.type) && !tagged) diff(r, "tags", tags.length ? tags.map((t) => `${t.Key}=${t.Value}`).join(", ") : undefined, `${MANAGED_BY_TAG_KEY}=${MANAGED_BY_TAG_VALUE} added (teardown relies on it)`);

            switch (r.type) {
                case "AWS::Events::Rule": {
                    const installed = typeof p.EventPattern === "string" ? JSON.parse(p.EventPattern) : p.EventPattern;
                    const ours = eventPattern();
                    const have = new Set(asList(installed?.source).map(String));
                    const added = ours.source.filter((s) => !have.has(s));
                    const dropped = [...have].filter((s) => !ours.source.includes(s));
                    if (added.length || dropped.length) diff(r, "event pattern sources", sorted(have).join(", "), `${added.length ? `adds ${added.join(", ")}` : ""}${added.length && dropped.length ? "; " : ""}${dropped.length ? `drops ${dropped.join(", ")}` : ""}`);
                    const types = asList(installed?.["detail-type"]).map(String);
                    if (sorted(types).join() !== sorted(ours["detail-type"]).join()) diff(r, "event pattern detail-type", types.join(", "), ours["detail-type"].join(", "));
                    if (p.State !== undefined && p.State !== "ENABLED") diff(r, "state", p.State, "ENABLED");
                    break;
                }
                case "AWS::IAM::ManagedPolicy": {
                    const installed = actionsOf(p.PolicyDocument);
                    const ours = new Set(readStatements({ partition, accountId, mainRegion, apiGatewayAccess: "read" }).flatMap((s) => asList(s.Action).map((a) => String(a).toLowerCase())));
                    const removed = sorted([...installed].filter((a) => !ours.has(a)));
                    const added = sorted([...ours].filter((a) => !installed.has(a)));
                    if (removed.length) diff(r, "actions removed", removed.join(", "), "not granted (apigateway write verbs return with apiGatewayAccess: published; s3:ListBucketByTags is not an IAM action)");
                    if (added.length) diff(r, "actions added", "(not granted)", added.join(", "));
                    const invalid = resourcesOf(p.PolicyDocument).filter((a) => a !== "*" && !a.startsWith("arn:"));
                    if (invalid.length) diff(r, "invalid resource ARNs", invalid.join(", "), "real ARNs (arn:<partition>:s3:::…)");
                    break;
                }
                case "AWS::IAM::Role": {
                    for (const policy of asList(p.Policies) as { PolicyName?: string; PolicyDocument?: unknown }[]) {
                        const aliases = resourcesOf(policy.PolicyDocument).filter((a) => /:kms:.*:alias\//.test(a));
                        if (aliases.length) diff(r, `policy ${policy.PolicyName}: KMS resource`, aliases.join(", "), "the key's ARN (an alias ARN does not authorise key use)");
                    }
                    break;
                }
                case "AWS::KMS::Key":
                    if (p.EnableKeyRotation !== KMS_SETTINGS.enableKeyRotation) diff(r, "key rotation", p.EnableKeyRotation ?? false, KMS_SETTINGS.enableKeyRotation);
                    diff(r, "key policy", "the template's", "this package's (root administers; S3 in the region and log delivery may use it)");
                    break;
                case "AWS::S3::Bucket": {
                    const rules = asList(p.LifecycleConfiguration?.Rules) as Record<string, any>[];
                    const rule = rules[0] ?? {};
                    if (rule.ExpirationInDays !== BUCKET_SETTINGS.expirationDays) diff(r, "lifecycle: current versions expire after (days)", rule.ExpirationInDays, BUCKET_SETTINGS.expirationDays);
                    if (rule.NoncurrentVersionExpirationInDays !== BUCKET_SETTINGS.noncurrentVersionExpirationDays && rule.NoncurrentVersionExpiration?.NoncurrentDays !== BUCKET_SETTINGS.noncurrentVersionExpirationDays) diff(r, "lifecycle: non-current versions expire after (days)", rule.NoncurrentVersionExpirationInDays ?? rule.NoncurrentVersionExpiration?.NoncurrentDays, BUCKET_SETTINGS.noncurrentVersionExpirationDays);
                    if (rule.AbortIncompleteMultipartUpload?.DaysAfterInitiation !== BUCKET_SETTINGS.abortIncompleteMultipartUploadDays) diff(r, "lifecycle: abort incomplete uploads after (days)", rule.AbortIncompleteMultipartUpload?.DaysAfterInitiation, BUCKET_SETTINGS.abortIncompleteMultipartUploadDays);
                    if (!p.PublicAccessBlockConfiguration) diff(r, "public access block", undefined, "all four blocks on");
                    if (!p.OwnershipControls) diff(r, "object ownership", undefined, "BucketOwnerEnforced");
                    const sse = asList(p.BucketEncryption?.ServerSideEncryptionConfiguration)[0] as Record<string, any> | undefined;
                    if (!sse?.BucketKeyEnabled) diff(r, "S3 Bucket Keys", sse?.BucketKeyEnabled ?? false, true);
                    if (region === mainRegion && !stack.resources.some((x) => x.type === "AWS::S3::BucketPolicy" && x.physicalId)) diff(r, "bucket policy", undefined, "TLS-only, and the statements AWS log delivery needs for flow logs");
                    break;
                }
                case "AWS::KinesisFirehose::DeliveryStream": {
                    const s3 = p.ExtendedS3DestinationConfiguration ?? p.S3DestinationConfiguration ?? {};
                    const hints = s3.BufferingHints ?? {};
                    if (hints.IntervalInSeconds !== FIREHOSE_SETTINGS.bufferingIntervalSeconds) diff(r, "buffering interval (s)", hints.IntervalInSeconds, FIREHOSE_SETTINGS.bufferingIntervalSeconds);
                    if (hints.SizeInMBs !== FIREHOSE_SETTINGS.bufferingSizeMiB) diff(r, "buffering size (MiB)", hints.SizeInMBs, FIREHOSE_SETTINGS.bufferingSizeMiB);
                    if (s3.CompressionFormat !== FIREHOSE_SETTINGS.compressionFormat) diff(r, "compression", s3.CompressionFormat, FIREHOSE_SETTINGS.compressionFormat);
                    const prefix = eventBridgePrefix(accountId, region);
                    if (s3.Prefix !== prefix) diff(r, "prefix", s3.Prefix, prefix);
                    if (s3.ProcessingConfiguration?.Enabled) diff(r, "record processing", "enabled", "disabled (the Agent reads records back to back)");
                    const objectKey = s3.EncryptionConfiguration?.KMSEncryptionConfig?.AWSKMSKeyARN;
                    diff(r, "object encryption key", objectKey, `the ${mainRegion} key by key ARN (S3 needs a key in the bucket's region)`);
                    const sse = p.DeliveryStreamEncryptionConfigurationInput;
                    if (sse?.KeyType !== "CUSTOMER_MANAGED_CMK") diff(r, "stream encryption", sse ? `${sse.KeyType}` : undefined, `CUSTOMER_MANAGED_CMK with the ${region} key`);
                    break;
                }
                case "AWS::EC2::FlowLog": {
                    const live = facts.flowLogs[r.physicalId as string];
                    if (!live) break;
                    if (live.maxAggregationInterval !== FLOW_LOG_SETTINGS.maxAggregationIntervalSeconds) diff(r, "max aggregation interval (s)", live.maxAggregationInterval, FLOW_LOG_SETTINGS.maxAggregationIntervalSeconds, "replace");
                    if (live.logFormat !== undefined && live.logFormat !== DEFAULT_FLOW_LOG_FORMAT) diff(r, "log format", live.logFormat, "AWS's default format", "replace");
                    if (live.trafficType !== undefined && live.trafficType !== FLOW_LOG_SETTINGS.trafficType) diff(r, "traffic type", live.trafficType, FLOW_LOG_SETTINGS.trafficType, "replace");
                    break;
                }
            }
        }
    }
    return out;
}

import { expect } from "chai";
import { PolicyResource } from "@pulumi/policy";
import { eventPattern, PUBLISHED_PATTERN_OMITTED_SOURCES } from "../../model/pipeline-settings";
import { stackstateEventRuleConfigurePattern as rulePolicy } from "../../policies/stackstate-event-rule-configure-pattern";
import { stackstateEventRuleMatchAllSources as sourcesPolicy } from "../../policies/stackstate-event-rule-match-all-sources";
import { stackstateFirehoseConfigureDelivery as firehosePolicy } from "../../policies/stackstate-firehose-configure-delivery";
import { stackstateFlowLogConfigureFormat as flowLogPolicy } from "../../policies/stackstate-flow-log-configure-format";
import { stackstateKmsKeyEnableRotation as kmsPolicy } from "../../policies/stackstate-kms-key-enable-rotation";
import { stackstateLogsBucketConfigureRetention as bucketPolicy } from "../../policies/stackstate-logs-bucket-configure-retention";
import { dependOn, stackResource, UNKNOWN, validateResource, validateStack } from "../helpers/policy-args";

const ACCOUNT = "111122223333";
const BUCKET = `stackstate-logs-${ACCOUNT}`;
const BUCKET_ARN = `arn:aws:s3:::${BUCKET}`;

const bucket = (name = BUCKET, extra: Record<string, unknown> = {}) =>
    stackResource("aws:s3/bucket:Bucket", "logs", { bucket: name, arn: `arn:aws:s3:::${name}`, ...extra });
const versioning = (status: unknown, bucketRef: unknown = BUCKET) =>
    stackResource("aws:s3/bucketVersioning:BucketVersioning", "logs-versioning", { bucket: bucketRef, versioningConfiguration: { status } });
const lifecycle = (rule: Record<string, unknown>, bucketRef: unknown = BUCKET) =>
    stackResource("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "logs-lifecycle", { bucket: bucketRef, rules: [{ id: "expire", status: "Enabled", ...rule }] });
const ONE_DAY = { expiration: { days: 1 }, noncurrentVersionExpiration: { noncurrentDays: 1 } };

describe("stackstate-logs-bucket-configure-retention", () => {
    const FIX = "Fix: add an aws.s3.BucketVersioning with versioningConfiguration.status \"Enabled\", and an aws.s3.BucketLifecycleConfiguration with an enabled rule without a filter that sets expiration.days to 1 and noncurrentVersionExpiration.noncurrentDays to 1.";

    it("passes a versioned logs bucket expiring both kinds of version after a day", async () => {
        expect(await validateStack(bucketPolicy, [bucket(), versioning("Enabled"), lifecycle({ filter: {}, ...ONE_DAY })])).to.deep.equal([]);
    });

    it("reports missing versioning and expiry on the bucket", async () => {
        const b = bucket();
        expect(await validateStack(bucketPolicy, [b])).to.deep.equal([{
            message: `S3 bucket '${BUCKET}' (logs) must be versioned and expire what the Agent does not read: ` +
                "versioning must be Enabled, is not set (the Agent will not read the bucket); " +
                "an enabled whole-bucket lifecycle rule must expire current versions after 1 day; " +
                `an enabled whole-bucket lifecycle rule must expire non-current versions after 1 day. ${FIX}`,
            enforcementLevel: "mandatory",
            urn: b.urn,
        }]);
    });

    it("links settings by property dependency when the bucket name is unknown, and judges their values", async () => {
        const b = bucket(BUCKET, {});
        const v = dependOn(versioning("Suspended", UNKNOWN), "bucket", b);
        const l = dependOn(lifecycle({ filter: { prefix: "AWSLogs/" }, ...ONE_DAY }, UNKNOWN), "bucket", b);
        const [report] = await validateStack(bucketPolicy, [b, v, l]);
        expect(report.message).to.equal(`S3 bucket '${BUCKET}' (logs) must be versioned and expire what the Agent does not read: ` +
            "versioning must be Enabled, is Suspended (the Agent will not read the bucket); " +
            "an enabled whole-bucket lifecycle rule must expire current versions after 1 day; " +
            `an enabled whole-bucket lifecycle rule must expire non-current versions after 1 day. ${FIX}`);
    });

    it("accepts the bucket's own (older) versioning and lifecycleRules", async () => {
        const b = bucket(BUCKET, { versioning: { enabled: true }, lifecycleRules: [{ enabled: true, expiration: { days: 1 }, noncurrentVersionExpiration: { days: 1 } }] });
        expect(await validateStack(bucketPolicy, [b])).to.deep.equal([]);
        const disabled = bucket(BUCKET, { versioning: { enabled: true }, lifecycleRules: [{ enabled: false, ...ONE_DAY }] });
        expect(await validateStack(bucketPolicy, [disabled, lifecycle({ status: "Disabled", ...ONE_DAY })])).to.have.length(1);
    });

    it("waits for unknown settings at advisory level, and ignores other buckets", async () => {
        const b = bucket();
        expect(await validateStack(bucketPolicy, [b, versioning(UNKNOWN), lifecycle(ONE_DAY)])).to.deep.equal([{
            message: `S3 bucket '${BUCKET}' (logs) could not be checked: versioningConfiguration of 'logs-versioning' is not known until deployment. It is checked again after \`pulumi up\`.`,
            enforcementLevel: "advisory",
            urn: b.urn,
        }]);
        expect(await validateStack(bucketPolicy, [bucket("my-app-data")])).to.deep.equal([]);
    });
});

describe("stackstate-firehose-configure-delivery", () => {
    const stream = (name: string, s3: Record<string, unknown>, region?: string) => ({
        type: "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream", name: "stream", providerRegion: region,
        props: { name, destination: "extended_s3", extendedS3Configuration: { bucketArn: BUCKET_ARN, roleArn: "arn:aws:iam::1:role/f", ...s3 } },
    });
    const good = { bufferingInterval: 60, compressionFormat: "GZIP", prefix: `AWSLogs/${ACCOUNT}/EventBridge/eu-west-1/`, processingConfiguration: { enabled: false } };

    it("passes a stream delivering every 60 s, GZIP, under the Agent's prefix for its region", async () => {
        expect(await validateResource(firehosePolicy, stream("stackstate-eventbridge-stream", good, "eu-west-1"))).to.deep.equal([]);
    });

    it("reports each wrong setting, with the exact prefix expected for its account and region", async () => {
        const reported = await validateResource(firehosePolicy, stream("stackstate-eventbridge-stream", { prefix: `AWSLogs/${ACCOUNT}/EventBridge/us-east-1/` }, "eu-west-1"));
        expect(reported).to.deep.equal([{
            message: "Firehose delivery stream 'stackstate-eventbridge-stream' (stream) must deliver the way the Agent reads: " +
                "the buffering interval must be 60 s, is 300 s (topology updates wait that long); compression must be GZIP, is UNCOMPRESSED; " +
                `the S3 prefix must be 'AWSLogs/${ACCOUNT}/EventBridge/eu-west-1/', is 'AWSLogs/${ACCOUNT}/EventBridge/us-east-1/' (the Agent reads only that prefix). ` +
                `Fix: in extendedS3Configuration set bufferingInterval to 60, compressionFormat to "GZIP", prefix to "AWSLogs/${ACCOUNT}/EventBridge/eu-west-1/", and turn off processing, dynamic partitioning and format conversion.`,
            enforcementLevel: "mandatory",
            urn: undefined,
        }]);
    });

    it("judges any stream writing to a logs bucket, including record processing", async () => {
        const reported = await validateResource(firehosePolicy, stream("my-stream", { ...good, dynamicPartitioningConfiguration: { enabled: true } }));
        expect(reported.map((r) => r.message)).to.deep.equal([
            "Firehose delivery stream 'my-stream' (stream) must deliver the way the Agent reads: " +
            "record processing must be off: the Agent reads records written back to back and drops everything after a newline. " +
            "Fix: in extendedS3Configuration set bufferingInterval to 60, compressionFormat to \"GZIP\", prefix to \"AWSLogs/111122223333/EventBridge/<region>/\", and turn off processing, dynamic partitioning and format conversion.",
        ]);
    });

    it("ignores other streams, and waits for unknown settings", async () => {
        const other = { ...stream("app-stream", good), props: { name: "app-stream", destination: "extended_s3", extendedS3Configuration: { bucketArn: "arn:aws:s3:::app", compressionFormat: "Snappy" } } };
        expect(await validateResource(firehosePolicy, other)).to.deep.equal([]);
        expect(await validateResource(firehosePolicy, stream("stackstate-eventbridge-stream", { ...good, prefix: UNKNOWN }))).to.deep.equal([{
            message: "Firehose delivery stream 'stackstate-eventbridge-stream' (stream) could not be checked: extendedS3Configuration.prefix is not known until deployment. It is checked again after `pulumi up`.",
            enforcementLevel: "advisory",
            urn: undefined,
        }]);
    });
});

/** A logs bucket and the integration's stream writing to it (matched by dependency, ARN unknown). */
function pipeline(): { b: PolicyResource; s: PolicyResource } {
    const b = bucket();
    const s = dependOn(stackResource("aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream", "events", {
        name: "renamed-stream", arn: "arn:aws:firehose:eu-west-1:111122223333:deliverystream/renamed-stream",
        extendedS3Configuration: { bucketArn: UNKNOWN }, serverSideEncryption: { enabled: true, keyArn: UNKNOWN },
    }), "extendedS3Configuration", b);
    return { b, s };
}

describe("stackstate-event-rule-configure-pattern", () => {
    const rule = (name: string, props: Record<string, unknown>) => stackResource("aws:cloudwatch/eventRule:EventRule", name, { name, arn: `arn:aws:events:eu-west-1:1:rule/${name}`, ...props });
    const target = (r: PolicyResource, s: PolicyResource) =>
        dependOn(dependOn(stackResource("aws:cloudwatch/eventTarget:EventTarget", "target", { rule: UNKNOWN, arn: UNKNOWN }), "rule", r), "arn", s);

    it("passes an enabled rule with the model's pattern feeding the integration's stream", async () => {
        const { b, s } = pipeline();
        const r = rule("feeds", { eventPattern: JSON.stringify(eventPattern()), state: "ENABLED" });
        expect(await validateStack(rulePolicy, [b, s, r, target(r, s)])).to.deep.equal([]);
    });

    it("reports a rule feeding the stream that misses sources or narrows the pattern", async () => {
        const { b, s } = pipeline();
        const r = rule("feeds", { eventPattern: JSON.stringify({ source: ["aws.ec2"], "detail-type": ["AWS API Call via CloudTrail"], region: ["eu-west-1"] }), state: "DISABLED" });
        expect(await validateStack(rulePolicy, [b, s, r, target(r, s)])).to.deep.equal([{
            message: "EventBridge rule 'feeds' must send every event the Agent reads to StackState's Firehose stream: the rule must be enabled; " +
                "the event pattern must match the sources aws.autoscaling, aws.dynamodb, aws.ecs, aws.elasticloadbalancing, aws.firehose, aws.kinesis, aws.lambda, aws.rds, aws.redshift, aws.s3, aws.sns, aws.sqs, aws.states (the Agent reads their events); " +
                "the event pattern must match the detail types 'EC2 Instance State-change Notification'; " +
                "the event pattern must not filter on region (it would hide events from the Agent). " +
                `Fix: set state to "ENABLED" and eventPattern to '${JSON.stringify(eventPattern())}'.`,
            enforcementLevel: "mandatory",
            urn: r.urn,
        }]);
    });

    it("understands EventBridge content filters that cover the Agent's sources, and only those", async () => {
        const { b, s } = pipeline();
        const judge = async (eventPattern: object) => {
            const r = rule("feeds", { eventPattern: JSON.stringify(eventPattern), state: "ENABLED" });
            return (await validateStack(rulePolicy, [b, s, r, target(r, s)])).map((x) => x.message.split(": ").slice(1).join(": ").split(". Fix")[0]);
        };
        expect(await judge({ source: [{ prefix: "aws." }], "detail-type": [{ "anything-but": ["Scheduled Event"] }] })).to.deep.equal([]);
        expect(await judge({ source: [{ wildcard: "aws.*" }], "detail-type": [{ "equals-ignore-case": "aws api call via cloudtrail" }, { suffix: "State-change Notification" }] })).to.deep.equal([]);
        expect(await judge({ source: [{ prefix: "aws.e" }, "aws.s3", { numeric: [">", 0] }], "detail-type": [{ "anything-but": "AWS API Call via CloudTrail" }] })).to.deep.equal([
            "the event pattern must match the sources aws.autoscaling, aws.dynamodb, aws.firehose, aws.kinesis, aws.lambda, aws.rds, aws.redshift, aws.sns, aws.sqs, aws.states (the Agent reads their events); " +
            "the event pattern must match the detail types 'AWS API Call via CloudTrail'",
        ]);
    });

    it("passes the published template's pattern, which lacks only sources the Agent works without; the advisory policy reports it", async () => {
        const { b, s } = pipeline();
        const full = eventPattern();
        const published = { ...full, source: full.source.filter((x) => !PUBLISHED_PATTERN_OMITTED_SOURCES.includes(x)) };
        expect(published.source.length).to.equal(full.source.length - 2);
        const r = rule("feeds", { eventPattern: JSON.stringify(published), state: "ENABLED" });
        expect(await validateStack(rulePolicy, [b, s, r, target(r, s)])).to.deep.equal([]);
        expect(await validateStack(sourcesPolicy, [b, s, r, target(r, s)])).to.deep.equal([{
            message: "EventBridge rule 'feeds': the event pattern does not match the sources aws.autoscaling, aws.sns, as StackState's published template writes it: " +
                "the Agent handles their events, but without them those changes wait for its hourly full scan. Fix: add \"aws.autoscaling\" and \"aws.sns\" to the rule's \"source\" list.",
            enforcementLevel: "advisory",
            urn: r.urn,
        }]);
        // The advisory policy has nothing to add to a full pattern, nor to one the mandatory policy reports.
        const complete = rule("complete", { eventPattern: JSON.stringify(full), state: "ENABLED" });
        const narrow = rule("narrow", { eventPattern: JSON.stringify({ source: ["aws.ec2"], "detail-type": full["detail-type"] }), state: "ENABLED" });
        const unknown = rule("unknown", { eventPattern: UNKNOWN, state: "ENABLED" });
        for (const x of [complete, narrow, unknown]) expect(await validateStack(sourcesPolicy, [b, s, x, target(x, s)]), x.name).to.deep.equal([]);
        expect(await validateStack(rulePolicy, [b, s, narrow, target(narrow, s)])).to.have.length(1);
    });

    it("judges the integration's rule by name, and ignores rules feeding other targets", async () => {
        const named = rule("stackstate-eventbridge-rule", { eventPattern: "{not json" });
        expect((await validateStack(rulePolicy, [named])).map((r) => r.message.split(": ")[1].split(". Fix")[0])).to.deep.equal([
            "the event pattern must be valid JSON",
        ]);
        const other = rule("app-rule", { eventPattern: JSON.stringify({ source: ["my.app"] }) });
        const queue = stackResource("aws:sqs/queue:Queue", "q", { arn: "arn:aws:sqs:eu-west-1:1:q" });
        expect(await validateStack(rulePolicy, [other, queue, target(other, queue)])).to.deep.equal([]);
    });
});

describe("stackstate-kms-key-enable-rotation", () => {
    const key = (name: string, rotation: unknown) => stackResource("aws:kms/key:Key", name, { keyId: `id-${name}`, arn: `arn:aws:kms:eu-west-1:1:key/id-${name}`, enableKeyRotation: rotation });

    it("reports the aliased integration key without rotation, at advisory level by default", async () => {
        const k = key("events-key", false);
        const alias = dependOn(stackResource("aws:kms/alias:Alias", "alias", { name: "alias/stackstate-integration", targetKeyId: UNKNOWN }), "targetKeyId", k);
        expect(await validateStack(kmsPolicy, [k, alias])).to.deep.equal([{
            message: "KMS key 'events-key' must rotate: automatic key rotation must be enabled. Fix: set enableKeyRotation to true.",
            enforcementLevel: "advisory",
            urn: k.urn,
        }]);
        expect(await validateStack(kmsPolicy, [key("events-key", true), stackResource("aws:kms/alias:Alias", "alias", { name: "alias/stackstate-integration", targetKeyId: "id-events-key" })])).to.deep.equal([]);
    });

    it("finds keys through the integration stream and the logs bucket's encryption", async () => {
        const { b, s } = pipeline();
        const streamKey = key("stream-key", false);
        dependOn(s, "serverSideEncryption", streamKey);
        const bucketKey = key("bucket-key", undefined);
        const sse = stackResource("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "sse", {
            bucket: BUCKET, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: "arn:aws:kms:eu-west-1:1:key/id-bucket-key" } }],
        });
        const unrelated = key("app-key", false);
        const reported = await validateStack(kmsPolicy, [b, s, streamKey, bucketKey, sse, unrelated]);
        expect(reported.map((r) => r.urn)).to.deep.equal([streamKey.urn, bucketKey.urn]);
    });
});

describe("stackstate-flow-log-configure-format", () => {
    const flowLog = (props: Record<string, unknown>) => ({ type: "aws:ec2/flowLog:FlowLog", name: "vpc-logs", props: { logDestinationType: "s3", trafficType: "ALL", ...props } });
    const FIX = "Fix: omit logFormat (AWS's default format), set maxAggregationInterval to 60, and deliver plain-text to the bucket ARN itself without Hive-compatible or per-hour partitions.";
    const wrongShape = { logFormat: "${srcaddr} ${dstaddr}", destinationOptions: { fileFormat: "parquet", perHourPartition: true } };
    const PROBLEMS = "the log format must be AWS's default format; the maximum aggregation interval must be 60 s, is 600 s; " +
        "the file format must be plain-text, is parquet; per-hour partitions must be off (the Agent expects AWS's default keys)";

    it("passes a flow log to the logs bucket in the Agent's shape", async () => {
        expect(await validateResource(flowLogPolicy, flowLog({ logDestination: BUCKET_ARN, maxAggregationInterval: 60, destinationOptions: { fileFormat: "plain-text" } }))).to.deep.equal([]);
    });

    it("reports a flow log to the logs bucket in another shape", async () => {
        expect(await validateResource(flowLogPolicy, flowLog({ logDestination: BUCKET_ARN, ...wrongShape }))).to.deep.equal([{
            message: `VPC flow log 'vpc-logs' must deliver what the Agent parses: ${PROBLEMS}. ${FIX}`,
            enforcementLevel: "mandatory",
            urn: undefined,
        }]);
        expect((await validateResource(flowLogPolicy, flowLog({ logDestination: `${BUCKET_ARN}/flows/`, maxAggregationInterval: 60 }))).map((r) => r.message)).to.deep.equal([
            `VPC flow log 'vpc-logs' must deliver what the Agent parses: the destination must be the bucket itself, without a sub-folder (the Agent lists AWSLogs/<account>/vpcflowlogs/). ${FIX}`,
        ]);
    });

    it("in a preview, flags a wrongly shaped flow log to a not-yet-known S3 destination as advisory only", async () => {
        expect(await validateResource(flowLogPolicy, flowLog({ logDestination: UNKNOWN, ...wrongShape }))).to.deep.equal([{
            message: `VPC flow log 'vpc-logs' delivers to an S3 destination not known until deployment; if that is a StackState logs bucket, it must deliver what the Agent parses: ${PROBLEMS}. ${FIX}`,
            enforcementLevel: "advisory",
            urn: undefined,
        }]);
        expect(await validateResource(flowLogPolicy, flowLog({ logDestination: UNKNOWN, maxAggregationInterval: 60 }))).to.deep.equal([]);
    });

    it("ignores flow logs to other buckets or to CloudWatch Logs", async () => {
        expect(await validateResource(flowLogPolicy, flowLog({ logDestination: "arn:aws:s3:::audit", ...wrongShape }))).to.deep.equal([]);
        expect(await validateResource(flowLogPolicy, flowLog({ logDestinationType: "cloud-watch-logs", logDestination: "arn:aws:logs:eu-west-1:1:log-group:x" }))).to.deep.equal([]);
    });
});

describe("logsBucketNames: the pipeline policies follow a renamed logs bucket", () => {
    const RENAMED = "acme-stackstate-events";
    const config = { logsBucketNames: ["acme-stackstate-*"] };
    const good = { bufferingInterval: 60, compressionFormat: "GZIP", prefix: `AWSLogs/${ACCOUNT}/EventBridge/eu-west-1/` };
    const stream = (s3: Record<string, unknown>) => ({
        type: "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream", name: "stream", providerRegion: "eu-west-1",
        props: { name: "acme-events", destination: "extended_s3", extendedS3Configuration: { bucketArn: `arn:aws:s3:::${RENAMED}`, ...s3 } },
    });

    it("firehose: judged only when configured; the prefix is checked by its shape, the account not being in the name", async () => {
        expect(await validateResource(firehosePolicy, stream({}))).to.deep.equal([]);
        expect(await validateResource(firehosePolicy, stream(good), config)).to.deep.equal([]);
        expect((await validateResource(firehosePolicy, stream({ ...good, prefix: "events/" }), config)).map((r) => r.message.split(". Fix")[0])).to.deep.equal([
            "Firehose delivery stream 'acme-events' (stream) must deliver the way the Agent reads: the S3 prefix must be 'AWSLogs/<account>/EventBridge/<region>/', is 'events/'",
        ]);
    });

    it("flow logs, bucket retention, the rule and the key: judged only when configured", async () => {
        const flow = { type: "aws:ec2/flowLog:FlowLog", name: "vpc-logs", props: { logDestinationType: "s3", logDestination: `arn:aws:s3:::${RENAMED}`, maxAggregationInterval: 600 } };
        expect(await validateResource(flowLogPolicy, flow)).to.deep.equal([]);
        expect((await validateResource(flowLogPolicy, flow, config)).map((r) => r.enforcementLevel)).to.deep.equal(["mandatory"]);

        const b = bucket(RENAMED);
        const s = dependOn(stackResource("aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream", "events", { name: "acme-events", extendedS3Configuration: { bucketArn: UNKNOWN } }), "extendedS3Configuration", b);
        const key = stackResource("aws:kms/key:Key", "key", { keyId: "k", arn: "arn:aws:kms:eu-west-1:1:key/k", enableKeyRotation: false });
        dependOn(s, "serverSideEncryption", key);
        const r = stackResource("aws:cloudwatch/eventRule:EventRule", "rule", { name: "acme-rule", eventPattern: JSON.stringify({ source: ["aws.ec2"] }) });
        const t = dependOn(dependOn(stackResource("aws:cloudwatch/eventTarget:EventTarget", "target", { rule: UNKNOWN, arn: UNKNOWN }), "rule", r), "arn", s);
        const resources = [b, s, key, r, t];
        for (const policy of [bucketPolicy, kmsPolicy, rulePolicy]) {
            expect(await validateStack(policy, resources), policy.name).to.deep.equal([]);
        }
        expect((await validateStack(bucketPolicy, resources, config)).map((x) => x.urn)).to.deep.equal([b.urn]);
        expect((await validateStack(kmsPolicy, resources, config)).map((x) => x.urn)).to.deep.equal([key.urn]);
        expect((await validateStack(rulePolicy, resources, config)).map((x) => x.urn)).to.deep.equal([r.urn]);
    });
});

/**
 * `stackstate-firehose-configure-delivery`: a Firehose stream of the integration (named
 * `stackstate-eventbridge-stream`, or writing to a logs bucket) delivers the way the
 * Agent reads: every 60 s, GZIP, under `AWSLogs/<account>/EventBridge/<region>/`, records back to
 * back. A resource policy, so a wrong stream is stopped before it is created.
 */
import { ResourceValidationPolicy } from "@pulumi/policy";
import { eventBridgePrefix, FIREHOSE_STREAM_NAME } from "../model/names";
import { FIREHOSE_SETTINGS } from "../model/pipeline-settings";
import { firehoseProblems } from "../model/rules/pipeline";
import { AWS } from "./aws-types";
import { accountOfLogsBucket, LOGS_BUCKET_NAMES_SCHEMA, logsBucketNames, logsBucketOfArn } from "./integration-resources";
import { asObject, describe, knownNumber, knownString, Props, rawProps, reportUnknown, unknownPaths, validateType } from "./kit";

export const FIREHOSE_POLICY = "stackstate-firehose-configure-delivery";

const description = "Firehose streams of the StackState integration must deliver events the way the Agent reads them: every 60 seconds, GZIP-compressed, under the Agent's prefix, without record processing.";

const CHECKED = [
    "destination", "extendedS3Configuration.bufferingInterval", "extendedS3Configuration.compressionFormat",
    "extendedS3Configuration.prefix", "extendedS3Configuration.processingConfiguration",
    "extendedS3Configuration.dynamicPartitioningConfiguration", "extendedS3Configuration.dataFormatConversionConfiguration",
];

const enabled = (value: unknown) => asObject(value)?.enabled === true;

export const stackstateFirehoseConfigureDelivery: ResourceValidationPolicy = {
    name: FIREHOSE_POLICY,
    description,
    enforcementLevel: "mandatory",
    configSchema: { properties: { ...LOGS_BUCKET_NAMES_SCHEMA } },
    validateResource: validateType(AWS.firehose, (props, args, report) => {
        const raw = rawProps(props);
        const name = knownString(raw.name);
        const s3 = asObject(raw.extendedS3Configuration);
        const bucket = logsBucketOfArn(knownString(s3?.bucketArn), logsBucketNames(args.getConfig<Props>()));
        if (name !== FIREHOSE_STREAM_NAME && !bucket) return;
        const stream = describe("Firehose delivery stream", args.name, name);
        const unknown = unknownPaths(raw, CHECKED);
        if (unknown.length > 0) return reportUnknown(report, description, stream, unknown);

        const region = knownString(raw.region) ?? knownString(args.provider && rawProps(args.provider.props).region);
        const account = accountOfLogsBucket(bucket);
        const expectedPrefix = account && region ? eventBridgePrefix(account, region) : undefined;
        if (raw.destination !== "extended_s3" || !s3) {
            report(`${stream} must deliver to S3 (destination "extended_s3" with extendedS3Configuration). Fix: set destination to "extended_s3" and point extendedS3Configuration.bucketArn at the logs bucket.`);
            return;
        }
        const problems = firehoseProblems({
            bufferingIntervalSeconds: knownNumber(s3.bufferingInterval),
            compressionFormat: knownString(s3.compressionFormat),
            prefix: knownString(s3.prefix),
            processingEnabled: enabled(s3.processingConfiguration) || enabled(s3.dynamicPartitioningConfiguration)
                || enabled(s3.dataFormatConversionConfiguration),
        }, expectedPrefix);
        if (problems.length === 0) return;
        report(`${stream} must deliver the way the Agent reads: ${problems.join("; ")}. ` +
            `Fix: in extendedS3Configuration set bufferingInterval to ${FIREHOSE_SETTINGS.bufferingIntervalSeconds}, compressionFormat to "${FIREHOSE_SETTINGS.compressionFormat}", ` +
            `prefix to "${expectedPrefix ?? eventBridgePrefix(account ?? "<account>", region ?? "<region>")}", and turn off processing, dynamic partitioning and format conversion.`);
    }),
};

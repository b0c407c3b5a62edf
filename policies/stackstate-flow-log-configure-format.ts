/**
 * `stackstate-flow-log-configure-format`: a VPC flow log delivered to a logs bucket (`stackstate-logs-…`, or as configured)
 * has the shape the Agent parses: AWS's default format, 60 s aggregation, plain text, AWS's
 * default key layout (no sub-folder, no Hive-compatible or per-hour partitions).
 *
 * A resource policy, so a wrong flow log is stopped before it is created, and so the pack needs no
 * extra pass over the whole stack. The price: during the preview of a first deployment the
 * bucket's ARN is not known yet, so a flow log to S3 whose destination is unknown and whose shape is
 * wrong gets an advisory finding ("may deliver to a StackState logs bucket"); at `pulumi up` the
 * destination is known and the finding is definite.
 */
import { ResourceValidationPolicy } from "@pulumi/policy";
import { FLOW_LOG_SETTINGS } from "../model/pipeline-settings";
import { flowLogProblems } from "../model/rules/pipeline";
import { AWS } from "./aws-types";
import { LOGS_BUCKET_NAMES_SCHEMA, logsBucketNames, logsBucketOfArn } from "./integration-resources";
import { asObject, describe, isUnknown, knownNumber, knownString, Props, rawProps, reportAtLevel, reportUnknown, unknownPaths, validateType } from "./kit";

export const FLOW_LOG_POLICY = "stackstate-flow-log-configure-format";

const description = "VPC flow logs delivered to a StackState logs bucket must use AWS's default format, 60-second aggregation, plain text and AWS's default key layout, which is what the Agent parses.";

const FIX = `Fix: omit logFormat (AWS's default format), set maxAggregationInterval to ${FLOW_LOG_SETTINGS.maxAggregationIntervalSeconds}, ` +
    `and deliver ${FLOW_LOG_SETTINGS.fileFormat} to the bucket ARN itself without Hive-compatible or per-hour partitions.`;

export const stackstateFlowLogConfigureFormat: ResourceValidationPolicy = {
    name: FLOW_LOG_POLICY,
    description,
    enforcementLevel: "mandatory",
    configSchema: { properties: { ...LOGS_BUCKET_NAMES_SCHEMA } },
    validateResource: validateType(AWS.flowLog, (props, args, report) => {
        const raw = rawProps(props);
        if (raw.logDestinationType !== "s3") return;
        const destinationUnknown = isUnknown(raw.logDestination);
        if (!destinationUnknown && !logsBucketOfArn(knownString(raw.logDestination), logsBucketNames(args.getConfig<Props>()))) return;
        const subject = describe("VPC flow log", args.name);
        const unknown = unknownPaths(raw, ["logFormat", "maxAggregationInterval", "destinationOptions"]);
        if (unknown.length > 0) {
            if (!destinationUnknown) reportUnknown(report, description, subject, unknown);
            return;
        }
        const options = asObject(raw.destinationOptions);
        const problems = flowLogProblems({
            logFormat: knownString(raw.logFormat),
            maxAggregationIntervalSeconds: knownNumber(raw.maxAggregationInterval),
            fileFormat: knownString(options?.fileFormat),
            hiveCompatiblePartitions: options?.hiveCompatiblePartitions === true,
            perHourPartition: options?.perHourPartition === true,
            destination: knownString(raw.logDestination),
        });
        if (problems.length === 0) return;
        if (destinationUnknown) {
            reportAtLevel(report, "advisory", description,
                `${subject} delivers to an S3 destination not known until deployment; if that is a StackState logs bucket, it must deliver what the Agent parses: ${problems.join("; ")}. ${FIX}`);
        } else {
            report(`${subject} must deliver what the Agent parses: ${problems.join("; ")}. ${FIX}`);
        }
    }),
};

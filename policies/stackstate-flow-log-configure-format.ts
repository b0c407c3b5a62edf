/**
 * `stackstate-flow-log-configure-format`: a VPC flow log delivered to a `stackstate-logs-…` bucket
 * has the shape the Agent parses: AWS's default format, 60 s aggregation, plain text, AWS's
 * default key layout (no sub-folder, no Hive-compatible or per-hour partitions). During a preview a
 * new bucket's ARN is unknown, so the flow log is matched to the bucket by its property dependency:
 * a stack policy.
 */
import { StackValidationPolicy } from "@pulumi/policy";
import { FLOW_LOG_SETTINGS } from "../model/pipeline-settings";
import { flowLogProblems } from "../model/rules/pipeline";
import { AWS } from "./aws-types";
import { logsBuckets, pointsIntoLogsBucket } from "./integration-resources";
import { asObject, describe, knownNumber, knownString, ofType, rawProps, reportUnknown, unknownPaths } from "./kit";

export const FLOW_LOG_POLICY = "stackstate-flow-log-configure-format";

const description = "VPC flow logs delivered to a StackState logs bucket must use AWS's default format, 60-second aggregation, plain text and AWS's default key layout, which is what the Agent parses.";

export const stackstateFlowLogConfigureFormat: StackValidationPolicy = {
    name: FLOW_LOG_POLICY,
    description,
    enforcementLevel: "mandatory",
    validateStack: (args, report) => {
        const buckets = logsBuckets(args.resources);
        for (const flowLog of ofType(args.resources, AWS.flowLog)) {
            const raw = rawProps(flowLog.props);
            if (raw.logDestinationType !== "s3" || !pointsIntoLogsBucket(flowLog, "logDestination", buckets)) continue;
            const subject = describe("VPC flow log", flowLog.name);
            const unknown = unknownPaths(raw, ["logFormat", "maxAggregationInterval", "destinationOptions"]);
            if (unknown.length > 0) {
                reportUnknown(report, description, subject, unknown, flowLog.urn);
                continue;
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
            if (problems.length === 0) continue;
            report(`${subject} must deliver what the Agent parses: ${problems.join("; ")}. ` +
                `Fix: omit logFormat (AWS's default format), set maxAggregationInterval to ${FLOW_LOG_SETTINGS.maxAggregationIntervalSeconds}, ` +
                `and deliver ${FLOW_LOG_SETTINGS.fileFormat} to the bucket ARN itself without Hive-compatible or per-hour partitions.`, flowLog.urn);
        }
    },
};

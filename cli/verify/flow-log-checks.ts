/**
 * VPC flow logs to the logs bucket (docs/stackstate-integration.md#vpc-flow-logs): each must use AWS's default format, 60 s
 * aggregation and AWS's default key layout, and be delivering. Flow logs are optional (the Agent's
 * support is experimental), so a VPC without one is a warning, not a failure.
 */
import { FlowLog, paginateDescribeVpcs } from "@aws-sdk/client-ec2";
import { FLOW_LOG_SETTINGS, flowLogProblems } from "../../model";
import { awsCall } from "../aws/errors";
import { flowLogsToBucket } from "../aws/flow-logs";
import { fail, pass, Verdict, warn } from "./checks";
import { VerifyContext } from "./context";

export function flowLogFindings(flowLog: FlowLog): string[] {
    const options = flowLog.DestinationOptions;
    const problems = flowLogProblems({
        logFormat: flowLog.LogFormat,
        maxAggregationIntervalSeconds: flowLog.MaxAggregationInterval,
        fileFormat: options?.FileFormat,
        hiveCompatiblePartitions: options?.HiveCompatiblePartitions,
        perHourPartition: options?.PerHourPartition,
        destination: flowLog.LogDestination,
    });
    if (flowLog.TrafficType !== undefined && flowLog.TrafficType !== FLOW_LOG_SETTINGS.trafficType) {
        problems.push(`the traffic type must be ${FLOW_LOG_SETTINGS.trafficType}, is ${flowLog.TrafficType}`);
    }
    if (flowLog.DeliverLogsStatus === "FAILED") {
        problems.push(`delivery is failing${flowLog.DeliverLogsErrorMessage ? ` (${flowLog.DeliverLogsErrorMessage})` : ""}`);
    }
    return problems;
}

async function vpcIds(ctx: VerifyContext, region: string): Promise<string[]> {
    return awsCall("ec2:DescribeVpcs", async () => {
        const ids: string[] = [];
        for await (const page of paginateDescribeVpcs({ client: ctx.aws(region).ec2 }, {})) {
            ids.push(...(page.Vpcs ?? []).map((v) => v.VpcId).filter((id): id is string => id !== undefined));
        }
        return ids;
    });
}

export async function checkFlowLogs(ctx: VerifyContext, region: string): Promise<Verdict> {
    const [vpcs, flowLogs] = await Promise.all([vpcIds(ctx, region), flowLogsToBucket(ctx.aws(region).ec2, ctx.bucketName)]);
    const broken = flowLogs
        .map((f) => ({ f, problems: flowLogFindings(f) }))
        .filter(({ problems }) => problems.length > 0);
    const covered = new Set(flowLogs.map((f) => f.ResourceId));
    const uncovered = vpcs.filter((id) => !covered.has(id));
    const uncoveredNote = uncovered.length > 0
        ? `VPC${uncovered.length > 1 ? "s" : ""} without a flow log to ${ctx.bucketName}: ${uncovered.join(", ")}`
        : "";
    if (broken.length > 0) {
        const details = broken.map(({ f, problems }) => `flow log ${f.FlowLogId} (${f.ResourceId}): ${problems.join("; ")}`);
        return fail([...details, ...(uncoveredNote ? [uncoveredNote] : [])].join(". "));
    }
    if (uncovered.length > 0) {
        return warn(`${uncoveredNote} (flow logs are optional; the Agent sees no traffic of ${uncovered.length > 1 ? "these VPCs" : "this VPC"})`);
    }
    if (vpcs.length === 0) return pass(`no VPCs in ${region}`);
    return pass(`${flowLogs.length} flow log${flowLogs.length > 1 ? "s" : ""} to ${ctx.bucketName} cover${flowLogs.length > 1 ? "" : "s"} every VPC, with the default format and ${FLOW_LOG_SETTINGS.maxAggregationIntervalSeconds} s aggregation`);
}

/**
 * VPC flow logs to the logs bucket, in the exact shape the Agent parses: AWS's default format and
 * key layout, one-minute aggregation, plain text.
 */
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { FLOW_LOG_SETTINGS, FlowLogSelection, VpcSelection, vpcSelection, vpcSelectionProblem } from "../model";
import { managedTags, componentOptions, typeToken } from "./common";

/** Where a region's flow logs go, however their VPCs are chosen. */
export interface FlowLogsDelivery {
    /** The logs bucket ARN; no sub-folder (the Agent expects AWS's default keys). */
    readonly bucketArn: pulumi.Input<string>;
    /** Tags, merged with managed-by: stackstate-aws. */
    readonly tags?: pulumi.Input<Record<string, string>>;
}

/**
 * The VPCs as `vpcIds` or `allVpcs`, as every language gives them, or as `vpcs` (VPC ids, or "all"),
 * as TypeScript programs gave them before the component package: those keep working unchanged, an
 * empty `vpcs` list included (no flow logs).
 */
export interface FlowLogsArgs extends VpcSelection, FlowLogsDelivery {
    /** VPC ids, or "all" for every VPC the region's provider finds at deployment. Instead of vpcIds or allVpcs. */
    readonly vpcs?: FlowLogSelection;
}

/** The selection the args make, or why they make none. */
function selectionOf(args: FlowLogsArgs): VpcSelection | string {
    if (args.vpcs === undefined) return vpcSelectionProblem(args) ?? args;
    if (args.vpcIds !== undefined || args.allVpcs !== undefined) return "must set vpcs, or vpcIds or allVpcs, not both";
    return vpcSelection(args.vpcs);
}

/**
 * VPC flow logs of one region to the logs bucket, in the shape the Agent parses: AWS's default
 * format and key layout, one-minute aggregation, plain text.
 */
export class FlowLogs extends pulumi.ComponentResource {
    /** ID of each flow log, by VPC id (known once discovery has run). */
    readonly flowLogIds: pulumi.Output<Record<string, string>>;

    constructor(name: string, args: FlowLogsArgs, opts?: pulumi.ComponentResourceOptions) {
        const selection = selectionOf(args);
        if (typeof selection === "string") throw new Error(`Invalid arguments for FlowLogs '${name}': ${selection}.`);
        super(typeToken("FlowLogs"), name, {}, componentOptions("FlowLogs", opts));
        const tags = managedTags(args.tags);

        // Flow logs are keyed by VPC id so adding or removing a VPC leaves the others untouched.
        const flowLogsOf = (vpcIds: string[]) => {
            const logs = vpcIds.map((vpcId) => new aws.ec2.FlowLog(`${name}-${vpcId}`, {
                vpcId,
                logDestinationType: "s3",
                logDestination: args.bucketArn,
                trafficType: FLOW_LOG_SETTINGS.trafficType,
                maxAggregationInterval: FLOW_LOG_SETTINGS.maxAggregationIntervalSeconds,
                destinationOptions: {
                    fileFormat: FLOW_LOG_SETTINGS.fileFormat,
                    hiveCompatiblePartitions: FLOW_LOG_SETTINGS.hiveCompatiblePartitions,
                    perHourPartition: FLOW_LOG_SETTINGS.perHourPartition,
                },
                tags,
            }, { parent: this }));
            return pulumi.all(Object.fromEntries(vpcIds.map((vpcId, i) => [vpcId, logs[i].id])));
        };

        // Listed VPCs are created here, so a preview shows them and they take part in dependency
        // tracking. Only discovery must wait for the region's answer: the one provider invoke on the
        // per-region path, and only when asked for.
        this.flowLogIds = selection.allVpcs
            ? aws.ec2.getVpcsOutput({}, { parent: this }).ids.apply(flowLogsOf)
            : flowLogsOf(selection.vpcIds ?? []);
        this.registerOutputs({ flowLogIds: this.flowLogIds });
    }
}

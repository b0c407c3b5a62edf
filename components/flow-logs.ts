/**
 * VPC flow logs to the logs bucket, in the exact shape the Agent parses: AWS's default format and
 * key layout, one-minute aggregation, plain text.
 */
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { FLOW_LOG_SETTINGS, VpcSelection, vpcSelectionProblem } from "../model";
import { managedTags, componentOptions, typeToken } from "./common";

export interface FlowLogsArgs extends VpcSelection {
    /** The logs bucket ARN; no sub-folder (the Agent expects AWS's default keys). */
    readonly bucketArn: pulumi.Input<string>;
    /** Tags, merged with managed-by: stackstate-aws. */
    readonly tags?: pulumi.Input<Record<string, string>>;
}

/**
 * VPC flow logs of one region to the logs bucket, in the shape the Agent parses: AWS's default
 * format and key layout, one-minute aggregation, plain text.
 */
export class FlowLogs extends pulumi.ComponentResource {
    /** ID of each flow log, by VPC id (known once discovery has run). */
    readonly flowLogIds: pulumi.Output<Record<string, string>>;

    constructor(name: string, args: FlowLogsArgs, opts?: pulumi.ComponentResourceOptions) {
        const problem = vpcSelectionProblem(args);
        if (problem) throw new Error(`Invalid arguments for FlowLogs '${name}': ${problem}.`);
        super(typeToken("FlowLogs"), name, {}, componentOptions("FlowLogs", opts));
        const tags = managedTags(args.tags);

        // Discovery is the only provider invoke on the per-region path, and only when asked for.
        // Flow logs are keyed by VPC id so adding or removing a VPC leaves the others untouched.
        const vpcIds = args.allVpcs
            ? aws.ec2.getVpcsOutput({}, { parent: this }).ids
            : pulumi.output(args.vpcIds ?? []);

        this.flowLogIds = vpcIds.apply((ids) => {
            const logs = ids.map((vpcId) => new aws.ec2.FlowLog(`${name}-${vpcId}`, {
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
            return pulumi.all(Object.fromEntries(ids.map((vpcId, i) => [vpcId, logs[i].id])));
        });
        this.registerOutputs({ flowLogIds: this.flowLogIds });
    }
}

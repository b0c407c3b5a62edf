/**
 * The collector program: `pulumi up` in collector/ deploys the StackState Agent host in the
 * Agent's account. Stack config → validated settings (model/collector-config.ts) → resources.
 */
import * as pulumi from "@pulumi/pulumi";
import { validateCollectorConfig } from "../model/collector-config";
import { collectorProgram, readMonitoredStacks } from "./program";

// allConfig, not Config.get per key: unknown keys (typos) must be reported, not ignored.
const config = validateCollectorConfig(pulumi.runtime.allConfig());

// Which monitored stacks hold several accounts is read first: each account gets its own resources.
export = readMonitoredStacks(config).then((stacks) => {
    const collector = collectorProgram(config, undefined, undefined, stacks);
    return {
        agentRoleArn: collector.agentRoleArn,
        instanceProfileArn: collector.instanceProfileArn,
        autoScalingGroupName: collector.autoScalingGroupName,
        launchTemplateId: collector.launchTemplateId,
        securityGroupId: collector.securityGroupId,
        monitoredAccountIds: collector.monitoredAccountIds,
        externalIdParameters: collector.externalIdParameters,
        checkFiles: collector.checkFiles,
    };
});

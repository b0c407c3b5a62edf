/**
 * The collector program: `pulumi up` in collector/ deploys the StackState Agent host in the
 * Agent's account. Stack config → validated settings (model/collector-config.ts) → resources.
 */
import * as pulumi from "@pulumi/pulumi";
import { validateCollectorConfig } from "../model/collector-config";
import { collectorProgram } from "./program";

// allConfig, not Config.get per key: unknown keys (typos) must be reported, not ignored.
const config = validateCollectorConfig(pulumi.runtime.allConfig());
const collector = collectorProgram(config);

export const agentRoleArn = collector.agentRoleArn;
export const instanceProfileArn = collector.instanceProfileArn;
export const autoScalingGroupName = collector.autoScalingGroupName;
export const launchTemplateId = collector.launchTemplateId;
export const securityGroupId = collector.securityGroupId;
export const monitoredAccountIds = collector.monitoredAccountIds;
export const externalIdParameters = collector.externalIdParameters;
export const checkFiles = collector.checkFiles;

/**
 * The monitored-account program: `pulumi up` in one stack per monitored AWS account.
 * Stack config → validated arguments (model/config.ts) → StackStateAwsIntegration → outputs.
 */
import * as pulumi from "@pulumi/pulumi";
import { StackStateAwsIntegration } from "./components";
import { rawConfigFromStackConfig, validateIntegrationConfig } from "./model";

// allConfig, not Config.get per key: unknown keys (typos) must be reported, not ignored.
const config = validateIntegrationConfig(rawConfigFromStackConfig(pulumi.runtime.allConfig()));

const integration = new StackStateAwsIntegration("stackstate", config);

export const accountId = integration.accountId;
export const roleArn = integration.roleArn;
export const externalId = integration.externalId;
export const regions = integration.regions;
export const mainRegion = integration.mainRegion;
export const bucketName = integration.bucketName;
export const bucketArn = integration.bucketArn;
export const streamArns = integration.streamArns;
export const agentInstance = integration.agentInstance;

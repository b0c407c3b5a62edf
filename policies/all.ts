/**
 * The pack's policies, in the order they are reported. Pure objects: tests and the CLI import
 * this list; only `index.ts` serves it.
 */
import { Policies } from "@pulumi/policy";
import { iamRolePermissionsBoundary } from "./iam-role-permissions-boundary";
import { stackstateAgentDisallowAnyAccount } from "./stackstate-agent-disallow-any-account";
import { stackstateEventRuleConfigurePattern } from "./stackstate-event-rule-configure-pattern";
import { stackstateEventRuleMatchAllSources } from "./stackstate-event-rule-match-all-sources";
import { stackstateFirehoseConfigureDelivery } from "./stackstate-firehose-configure-delivery";
import { stackstateFlowLogConfigureFormat } from "./stackstate-flow-log-configure-format";
import { stackstateKmsKeyEnableRotation } from "./stackstate-kms-key-enable-rotation";
import { stackstateLogsBucketConfigureRetention } from "./stackstate-logs-bucket-configure-retention";
import { stackstateRoleEnforceExternalId } from "./stackstate-role-enforce-external-id";
import { stackstateRoleRequiredActions } from "./stackstate-role-required-actions";

export const PACK_NAME = "stackstate-aws";

export const POLICIES: Policies = [
    iamRolePermissionsBoundary,
    stackstateRoleRequiredActions,
    stackstateRoleEnforceExternalId,
    stackstateAgentDisallowAnyAccount,
    stackstateLogsBucketConfigureRetention,
    stackstateFirehoseConfigureDelivery,
    stackstateEventRuleConfigurePattern,
    stackstateEventRuleMatchAllSources,
    stackstateKmsKeyEnableRotation,
    stackstateFlowLogConfigureFormat,
];

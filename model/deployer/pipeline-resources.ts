/** Each region's pipeline (KMS key and alias, Firehose stream, EventBridge rule and target) and VPC flow logs. */
import { regionalArn, PlannedResource, PlanView, Scope } from "./planned-resource";
import { calls, on, ResourcePermissions } from "./provider-calls";

const KEY_GO = "internal/service/kms/key.go";
const ALIAS_GO = "internal/service/kms/alias.go";
const STREAM_GO = "internal/service/firehose/delivery_stream.go";
const RULE_GO = "internal/service/events/rule.go";
const TARGET_GO = "internal/service/events/target.go";
const FLOW_LOG_GO = "internal/service/ec2/vpc_flow_log.go";

const regional = regionalArn;

/** A key's id is AWS's choice, so keys are named by region and account only. */
export const regionKeys = (r: PlannedResource) => regional(r, "kms", "key/*");

/** `iam:PassRole` of one role, only to the service that will assume it. */
export function passRole(roleArn: string, service: string): Scope[] {
    return [{ resources: [roleArn], condition: { StringEquals: { "iam:PassedToService": service } } }];
}

function streamRole(r: PlannedResource, plan: PlanView): string {
    const s3 = r.inputs.extendedS3Configuration as { roleArn?: unknown } | undefined;
    return plan.known(s3?.roleArn);
}

/** The default bus's rule a target belongs to. */
const ruleOf = (r: PlannedResource, plan: PlanView) => regional(r, "events", `rule/${plan.known(r.inputs.rule)}`);

export const PIPELINE_RESOURCES: ResourcePermissions[] = [
    {
        type: "aws:kms/key:Key",
        terraform: "aws_kms_key",
        calls: [
            ...calls("create", `${KEY_GO} resourceKeyCreate`, [
                ["kms:CreateKey", "CreateKey", "none"],
                ["kms:TagResource", "CreateKey with Tags", "key"],
                ["kms:EnableKeyRotation", "EnableKeyRotation (updateKeyRotationEnabled)", "key"],
                ["kms:DescribeKey", "DescribeKey (resourceKeyRead after create)", "key"],
                ["kms:GetKeyPolicy", "GetKeyPolicy (waitKeyPolicyPropagated)", "key"],
                ["kms:GetKeyRotationStatus", "GetKeyRotationStatus (waitKeyRotationEnabledPropagated)", "key"],
                ["kms:ListResourceTags", "ListResourceTags (waitTagsPropagated)", "key"],
            ]),
            ...calls("read", `${KEY_GO} resourceKeyRead (findKeyInfo)`, [
                ["kms:DescribeKey", "DescribeKey", "key"],
                ["kms:GetKeyPolicy", "GetKeyPolicy", "key"],
                ["kms:GetKeyRotationStatus", "GetKeyRotationStatus", "key"],
                ["kms:ListResourceTags", "ListResourceTags", "key"],
            ]),
            ...calls("update", `${KEY_GO} resourceKeyUpdate`, [
                ["kms:EnableKey", "EnableKey (updateKeyEnabled)", "key"],
                ["kms:DescribeKey", "DescribeKey (waitKeyStatePropagated, waitKeyDescriptionPropagated)", "key"],
                ["kms:DisableKey", "DisableKey (updateKeyEnabled)", "key"],
                ["kms:UpdateKeyDescription", "UpdateKeyDescription", "key"],
                ["kms:PutKeyPolicy", "PutKeyPolicy (updateKeyPolicy)", "key"],
                ["kms:EnableKeyRotation", "EnableKeyRotation (updateKeyRotationEnabled)", "key"],
                ["kms:DisableKeyRotation", "DisableKeyRotation (updateKeyRotationEnabled)", "key"],
            ]),
            ...calls("tag", `${KEY_GO} (tags interceptor)`, [
                ["kms:TagResource", "TagResource", "key"],
                ["kms:UntagResource", "UntagResource", "key"],
            ]),
            ...calls("delete", `${KEY_GO} resourceKeyDelete`, [
                ["kms:ScheduleKeyDeletion", "ScheduleKeyDeletion", "key"],
                ["kms:DescribeKey", "DescribeKey (waitKeyDeleted)", "key"],
            ]),
        ],
        targets: { key: (r) => on(regionKeys(r)) },
    },
    {
        type: "aws:kms/alias:Alias",
        terraform: "aws_kms_alias",
        calls: [
            // KMS authorises an alias call on the alias and on the key it points to.
            ...calls("create", `${ALIAS_GO} resourceAliasCreate`, [
                ["kms:CreateAlias", "CreateAlias", "alias"],
                ["kms:CreateAlias", "CreateAlias", "key"],
            ]),
            ...calls("read", `${ALIAS_GO} resourceAliasRead (FindAliasByName)`, [["kms:ListAliases", "ListAliases", "none"]]),
            ...calls("update", `${ALIAS_GO} resourceAliasUpdate`, [
                ["kms:UpdateAlias", "UpdateAlias", "alias"],
                ["kms:UpdateAlias", "UpdateAlias", "key"],
            ]),
            ...calls("delete", `${ALIAS_GO} resourceAliasDelete`, [
                ["kms:DeleteAlias", "DeleteAlias", "alias"],
                ["kms:DeleteAlias", "DeleteAlias", "key"],
            ]),
        ],
        targets: {
            alias: (r, plan) => on(regional(r, "kms", plan.known(r.inputs.name))),
            key: (r) => on(regionKeys(r)),
        },
    },
    {
        type: "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream",
        terraform: "aws_kinesis_firehose_delivery_stream",
        calls: [
            ...calls("create", `${STREAM_GO} resourceDeliveryStreamCreate`, [
                ["firehose:CreateDeliveryStream", "CreateDeliveryStream", "self"],
                ["firehose:TagDeliveryStream", "CreateDeliveryStream with Tags", "self"],
                ["iam:PassRole", "CreateDeliveryStream (extended_s3 role_arn)", "passFirehoseRole"],
                ["firehose:DescribeDeliveryStream", "DescribeDeliveryStream (waitDeliveryStreamCreated, waitDeliveryStreamEncryptionEnabled)", "self"],
                // server_side_encryption is switched on after the stream exists.
                ["firehose:StartDeliveryStreamEncryption", "StartDeliveryStreamEncryption (server_side_encryption)", "self"],
                // Firehose creates a grant on a customer managed key for the caller.
                ["kms:CreateGrant", "StartDeliveryStreamEncryption with CUSTOMER_MANAGED_CMK (Firehose's grant)", "streamKey"],
                ["kms:DescribeKey", "StartDeliveryStreamEncryption with CUSTOMER_MANAGED_CMK", "streamKey"],
            ]),
            ...calls("read", `${STREAM_GO} resourceDeliveryStreamRead`, [
                ["firehose:DescribeDeliveryStream", "DescribeDeliveryStream (findDeliveryStreamByName)", "self"],
                ["firehose:ListTagsForDeliveryStream", "ListTagsForDeliveryStream", "self"],
            ]),
            ...calls("update", `${STREAM_GO} resourceDeliveryStreamUpdate`, [
                ["firehose:UpdateDestination", "UpdateDestination", "self"],
                ["iam:PassRole", "UpdateDestination (extended_s3 role_arn)", "passFirehoseRole"],
                ["firehose:StartDeliveryStreamEncryption", "StartDeliveryStreamEncryption", "self"],
                ["firehose:StopDeliveryStreamEncryption", "StopDeliveryStreamEncryption", "self"],
                ["firehose:DescribeDeliveryStream", "DescribeDeliveryStream (waitDeliveryStreamEncryptionEnabled, Disabled)", "self"],
                ["kms:CreateGrant", "StartDeliveryStreamEncryption with CUSTOMER_MANAGED_CMK", "streamKey"],
                ["kms:DescribeKey", "StartDeliveryStreamEncryption with CUSTOMER_MANAGED_CMK", "streamKey"],
            ]),
            ...calls("tag", `${STREAM_GO} (tags interceptor)`, [
                ["firehose:TagDeliveryStream", "TagDeliveryStream", "self"],
                ["firehose:UntagDeliveryStream", "UntagDeliveryStream", "self"],
            ]),
            ...calls("delete", `${STREAM_GO} resourceDeliveryStreamDelete`, [
                ["firehose:DeleteDeliveryStream", "DeleteDeliveryStream", "self"],
                ["firehose:DescribeDeliveryStream", "DescribeDeliveryStream (waitDeliveryStreamDeleted)", "self"],
            ]),
        ],
        targets: {
            self: (r, plan) => on(regional(r, "firehose", `deliverystream/${plan.known(r.inputs.name)}`)),
            passFirehoseRole: (r, plan) => passRole(streamRole(r, plan), "firehose.amazonaws.com"),
            streamKey: (r) => [{
                resources: [regionKeys(r)],
                condition: { StringEquals: { "kms:ViaService": `firehose.${r.region}.amazonaws.com` } },
            }],
        },
    },
    {
        type: "aws:cloudwatch/eventRule:EventRule",
        terraform: "aws_cloudwatch_event_rule",
        calls: [
            ...calls("create", `${RULE_GO} resourceRuleCreate`, [
                ["events:PutRule", "PutRule", "self"],
                ["events:TagResource", "PutRule with Tags", "self"],
                ["events:DescribeRule", "DescribeRule (retryPutRule, FindRuleByTwoPartKey)", "self"],
            ]),
            ...calls("read", `${RULE_GO} resourceRuleRead`, [
                ["events:DescribeRule", "DescribeRule (FindRuleByTwoPartKey)", "self"],
                ["events:ListTagsForResource", "ListTagsForResource", "self"],
            ]),
            ...calls("update", `${RULE_GO} resourceRuleUpdate`, [["events:PutRule", "PutRule", "self"]]),
            ...calls("tag", `${RULE_GO} (tags interceptor)`, [
                ["events:TagResource", "TagResource", "self"],
                ["events:UntagResource", "UntagResource", "self"],
            ]),
            ...calls("delete", `${RULE_GO} resourceRuleDelete`, [["events:DeleteRule", "DeleteRule", "self"]]),
        ],
        targets: { self: (r, plan) => on(regional(r, "events", `rule/${plan.known(r.inputs.name)}`)) },
    },
    {
        type: "aws:cloudwatch/eventTarget:EventTarget",
        terraform: "aws_cloudwatch_event_target",
        calls: [
            ...calls("create", `${TARGET_GO} resourceTargetCreate`, [
                ["events:PutTargets", "PutTargets", "rule"],
                ["iam:PassRole", "PutTargets (role_arn)", "passEventBridgeRole"],
            ]),
            ...calls("read", `${TARGET_GO} resourceTargetRead (FindTargetByThreePartKey)`, [["events:ListTargetsByRule", "ListTargetsByRule", "rule"]]),
            ...calls("update", `${TARGET_GO} resourceTargetUpdate`, [
                ["events:PutTargets", "PutTargets", "rule"],
                ["iam:PassRole", "PutTargets (role_arn)", "passEventBridgeRole"],
            ]),
            ...calls("delete", `${TARGET_GO} resourceTargetDelete`, [["events:RemoveTargets", "RemoveTargets", "rule"]]),
        ],
        targets: {
            rule: (r, plan) => on(ruleOf(r, plan)),
            passEventBridgeRole: (r, plan) => passRole(plan.known(r.inputs.roleArn), "events.amazonaws.com"),
        },
    },
    {
        type: "aws:ec2/flowLog:FlowLog",
        terraform: "aws_flow_log",
        calls: [
            ...calls("create", `${FLOW_LOG_GO} resourceLogFlowCreate`, [
                ["ec2:CreateFlowLogs", "CreateFlowLogs", "vpc"],
                ["ec2:CreateFlowLogs", "CreateFlowLogs", "flowLogs"],
                ["ec2:CreateTags", "CreateFlowLogs with TagSpecifications", "taggedOnCreate"],
                // AWS authorises delivery to S3 with the caller's logs:CreateLogDelivery.
                ["logs:CreateLogDelivery", "CreateFlowLogs to S3 (log delivery)", "none"],
                ["ec2:DescribeFlowLogs", "DescribeFlowLogs (findFlowLogByID)", "none"],
            ]),
            ...calls("read", `${FLOW_LOG_GO} resourceLogFlowRead`, [["ec2:DescribeFlowLogs", "DescribeFlowLogs (findFlowLogByID)", "none"]]),
            ...calls("tag", `${FLOW_LOG_GO} (tags interceptor: createTags, deleteTags)`, [
                ["ec2:CreateTags", "CreateTags", "flowLogs"],
                ["ec2:DeleteTags", "DeleteTags", "flowLogs"],
            ]),
            ...calls("delete", `${FLOW_LOG_GO} resourceLogFlowDelete`, [
                ["ec2:DeleteFlowLogs", "DeleteFlowLogs", "flowLogs"],
                ["logs:DeleteLogDelivery", "DeleteFlowLogs to S3 (log delivery)", "none"],
            ]),
        ],
        targets: {
            vpc: (r, plan) => on(regional(r, "ec2", `vpc/${plan.known(r.inputs.vpcId)}`)),
            flowLogs: (r) => on(regional(r, "ec2", "vpc-flow-log/*")),
            taggedOnCreate: (r) => [{ resources: [regional(r, "ec2", "vpc-flow-log/*")], condition: { StringEquals: { "ec2:CreateAction": "CreateFlowLogs" } } }],
        },
    },
];

/** The collector host: its secrets, security group, launch template and Auto Scaling group. */
import { ssmParameterArn } from "../collector-settings";
import { autoNamePattern, PlannedResource, PlanView, regionalArn } from "./planned-resource";
import { passRole } from "./pipeline-resources";
import { calls, on, ResourcePermissions } from "./provider-calls";

const PARAMETER_GO = "internal/service/ssm/parameter.go";
const SG_GO = "internal/service/ec2/vpc_security_group.go";
const TEMPLATE_GO = "internal/service/ec2/ec2_launch_template.go";
const GROUP_GO = "internal/service/autoscaling/group.go";

const regional = regionalArn;

/** Resource ids are EC2's choice: a type's every resource in the region and account. */
const ec2 = (r: PlannedResource, type: string) => regional(r, "ec2", `${type}/*`);

const createdBy = (action: string, resources: string[]) => [{ resources, condition: { StringEquals: { "ec2:CreateAction": action } } }];

function parameterArn(r: PlannedResource, plan: PlanView): string {
    return ssmParameterArn(r.partition, r.region, r.accountId, plan.known(r.inputs.name));
}

/** A customer managed key of the parameter, used through SSM only; none for SSM's AWS managed key. */
function parameterKey(r: PlannedResource, plan: PlanView) {
    const key = r.inputs.keyId;
    if (typeof key !== "string" || key === "" || key.startsWith("alias/aws/")) return [];
    return [{ resources: [plan.known(key)], condition: { StringEquals: { "kms:ViaService": `ssm.${r.region}.amazonaws.com` } } }];
}

/** What launching the group's instances is authorised on (RunInstances through the launch template). */
function launchResources(r: PlannedResource, plan: PlanView): string[] {
    const subnets = Array.isArray(r.inputs.vpcZoneIdentifiers) ? (r.inputs.vpcZoneIdentifiers as unknown[]) : [];
    return [
        ...subnets.map((subnet) => regional(r, "ec2", `subnet/${plan.known(subnet)}`)),
        ec2(r, "instance"), ec2(r, "volume"), ec2(r, "network-interface"), ec2(r, "security-group"), ec2(r, "launch-template"),
        `arn:${r.partition}:ec2:${r.region}::image/*`,
    ];
}

export const COLLECTOR_RESOURCES: ResourcePermissions[] = [
    {
        type: "aws:ssm/parameter:Parameter",
        terraform: "aws_ssm_parameter",
        calls: [
            ...calls("create", `${PARAMETER_GO} resourceParameterCreate`, [
                ["ssm:PutParameter", "PutParameter", "self"],
                ["ssm:AddTagsToResource", "PutParameter with Tags", "self"],
                ["kms:Encrypt", "PutParameter SecureString with key_id", "key"],
            ]),
            ...calls("read", `${PARAMETER_GO} resourceParameterRead`, [
                ["ssm:GetParameter", "GetParameter WithDecryption (findParameterByName)", "self"],
                ["ssm:DescribeParameters", "DescribeParameters (findParameterMetadataByName)", "none"],
                ["kms:Decrypt", "GetParameter WithDecryption of a SecureString with key_id", "key"],
            ]),
            // The read sets no tags itself, so the tags interceptor lists them.
            ...calls("read", `${PARAMETER_GO} (tags interceptor)`, [["ssm:ListTagsForResource", "ListTagsForResource (listTags)", "self"]]),
            ...calls("update", `${PARAMETER_GO} resourceParameterUpdate`, [
                ["ssm:PutParameter", "PutParameter Overwrite", "self"],
                ["kms:Encrypt", "PutParameter SecureString with key_id", "key"],
            ]),
            ...calls("tag", `${PARAMETER_GO} (tags interceptor)`, [
                ["ssm:AddTagsToResource", "AddTagsToResource", "self"],
                ["ssm:RemoveTagsFromResource", "RemoveTagsFromResource", "self"],
            ]),
            ...calls("delete", `${PARAMETER_GO} resourceParameterDelete`, [["ssm:DeleteParameter", "DeleteParameter", "self"]]),
        ],
        targets: { self: (r, plan) => on(parameterArn(r, plan)), key: parameterKey },
    },
    {
        type: "aws:ec2/securityGroup:SecurityGroup",
        terraform: "aws_security_group",
        calls: [
            ...calls("create", `${SG_GO} resourceSecurityGroupCreate`, [
                ["ec2:CreateSecurityGroup", "CreateSecurityGroup", "vpc"],
                ["ec2:CreateSecurityGroup", "CreateSecurityGroup", "groups"],
                ["ec2:CreateTags", "CreateSecurityGroup with TagSpecifications", "taggedOnCreate"],
                ["ec2:DescribeSecurityGroups", "DescribeSecurityGroups (waitSecurityGroupCreated)", "none"],
                ["ec2:RevokeSecurityGroupEgress", "RevokeSecurityGroupEgress (the default allow-all egress)", "groups"],
                // The create ends in resourceSecurityGroupUpdate: the group read back, then its rules set.
                ["ec2:AuthorizeSecurityGroupEgress", "AuthorizeSecurityGroupEgress (resourceSecurityGroupUpdate, updateSecurityGroupRules)", "groups"],
                ["ec2:AuthorizeSecurityGroupIngress", "AuthorizeSecurityGroupIngress (resourceSecurityGroupUpdate, updateSecurityGroupRules)", "groups"],
            ]),
            ...calls("read", `${SG_GO} resourceSecurityGroupRead`, [["ec2:DescribeSecurityGroups", "DescribeSecurityGroups (FindSecurityGroupByID)", "none"]]),
            ...calls("update", `${SG_GO} resourceSecurityGroupUpdate (updateSecurityGroupRules)`, [
                ["ec2:DescribeSecurityGroups", "DescribeSecurityGroups (findSecurityGroupByID)", "none"],
                ["ec2:AuthorizeSecurityGroupEgress", "AuthorizeSecurityGroupEgress", "groups"],
                ["ec2:RevokeSecurityGroupEgress", "RevokeSecurityGroupEgress", "groups"],
                ["ec2:AuthorizeSecurityGroupIngress", "AuthorizeSecurityGroupIngress", "groups"],
                ["ec2:RevokeSecurityGroupIngress", "RevokeSecurityGroupIngress", "groups"],
            ]),
            ...calls("tag", `${SG_GO} (tags interceptor: createTags, deleteTags)`, [
                ["ec2:CreateTags", "CreateTags", "groups"],
                ["ec2:DeleteTags", "DeleteTags", "groups"],
            ]),
            ...calls("delete", `${SG_GO} resourceSecurityGroupDelete`, [
                // Only Lambda, Comprehend and DMS network interfaces are detached and deleted: none here.
                ["ec2:DescribeNetworkInterfaces", "DescribeNetworkInterfaces (deleteLingeringENIs)", "none"],
                ["ec2:DeleteSecurityGroup", "DeleteSecurityGroup", "groups"],
                ["ec2:DescribeSecurityGroups", "DescribeSecurityGroups (RetryUntilNotFound findSecurityGroupByID)", "none"],
            ]),
        ],
        targets: {
            vpc: (r, plan) => on(regional(r, "ec2", `vpc/${plan.known(r.inputs.vpcId)}`)),
            groups: (r) => on(ec2(r, "security-group")),
            taggedOnCreate: (r) => createdBy("CreateSecurityGroup", [ec2(r, "security-group")]),
        },
    },
    {
        type: "aws:ec2/launchTemplate:LaunchTemplate",
        terraform: "aws_launch_template",
        calls: [
            ...calls("create", `${TEMPLATE_GO} resourceLaunchTemplateCreate`, [
                ["ec2:CreateLaunchTemplate", "CreateLaunchTemplate", "templates"],
                ["ec2:CreateTags", "CreateLaunchTemplate with TagSpecifications", "taggedOnCreate"],
            ]),
            ...calls("read", `${TEMPLATE_GO} resourceLaunchTemplateRead`, [
                ["ec2:DescribeLaunchTemplates", "DescribeLaunchTemplates (FindLaunchTemplateByID)", "none"],
                ["ec2:DescribeLaunchTemplateVersions", "DescribeLaunchTemplateVersions (FindLaunchTemplateVersionByTwoPartKey)", "none"],
            ]),
            ...calls("update", `${TEMPLATE_GO} resourceLaunchTemplateUpdate`, [
                ["ec2:CreateLaunchTemplateVersion", "CreateLaunchTemplateVersion", "templates"],
                ["ec2:ModifyLaunchTemplate", "ModifyLaunchTemplate (update_default_version)", "templates"],
            ]),
            ...calls("tag", `${TEMPLATE_GO} resourceLaunchTemplateUpdate (UpdateTags)`, [
                ["ec2:CreateTags", "CreateTags", "templates"],
                ["ec2:DeleteTags", "DeleteTags", "templates"],
            ]),
            ...calls("delete", `${TEMPLATE_GO} resourceLaunchTemplateDelete`, [["ec2:DeleteLaunchTemplate", "DeleteLaunchTemplate", "templates"]]),
        ],
        targets: {
            templates: (r) => on(ec2(r, "launch-template")),
            taggedOnCreate: (r) => createdBy("CreateLaunchTemplate", [ec2(r, "launch-template")]),
        },
    },
    {
        type: "aws:autoscaling/group:Group",
        terraform: "aws_autoscaling_group",
        calls: [
            ...calls("create", `${GROUP_GO} resourceGroupCreate`, [
                ["autoscaling:CreateAutoScalingGroup", "CreateAutoScalingGroup", "self"],
                ["autoscaling:CreateOrUpdateTags", "CreateAutoScalingGroup with Tags", "self"],
                // wait_for_capacity_timeout (10m by default): scaling activities, then the group's instances.
                ["autoscaling:DescribeScalingActivities", "DescribeScalingActivities (waitGroupCapacitySatisfied)", "none"],
                ["autoscaling:DescribeAutoScalingGroups", "DescribeAutoScalingGroups (waitGroupCapacitySatisfied)", "none"],
                // Amazon EC2 Auto Scaling checks the caller may launch what the template describes.
                ["ec2:RunInstances", "CreateAutoScalingGroup with a launch template", "launch"],
                ["ec2:CreateTags", "CreateAutoScalingGroup with a launch template's TagSpecifications", "taggedAtLaunch"],
                ["ec2:DescribeLaunchTemplateVersions", "CreateAutoScalingGroup with a launch template", "none"],
                ["iam:PassRole", "CreateAutoScalingGroup with a launch template's instance profile", "passInstanceRole"],
                ["iam:CreateServiceLinkedRole", "CreateAutoScalingGroup: Auto Scaling's service-linked role, when absent", "serviceLinkedRole"],
            ]),
            // The tags come with the group: no tag read of their own.
            ...calls("read", `${GROUP_GO} resourceGroupRead`, [["autoscaling:DescribeAutoScalingGroups", "DescribeAutoScalingGroups (findGroupByName)", "none"]]),
            ...calls("update", `${GROUP_GO} resourceGroupUpdate`, [
                ["autoscaling:UpdateAutoScalingGroup", "UpdateAutoScalingGroup", "self"],
                ["autoscaling:StartInstanceRefresh", "StartInstanceRefresh (startInstanceRefresh: a new launch template version)", "self"],
                ["autoscaling:CancelInstanceRefresh", "CancelInstanceRefresh (cancelInstanceRefresh, when one is in progress)", "self"],
                ["autoscaling:DescribeInstanceRefreshes", "DescribeInstanceRefreshes (waitInstanceRefreshCancelled)", "none"],
                ["autoscaling:DescribeScalingActivities", "DescribeScalingActivities (waitGroupCapacitySatisfied, on a new size)", "none"],
                ["autoscaling:DescribeAutoScalingGroups", "DescribeAutoScalingGroups (waitGroupCapacitySatisfied, on a new size)", "none"],
                ["ec2:RunInstances", "UpdateAutoScalingGroup with a new launch template version", "launch"],
                ["ec2:DescribeLaunchTemplateVersions", "UpdateAutoScalingGroup with a launch template", "none"],
                ["iam:PassRole", "UpdateAutoScalingGroup with a launch template's instance profile", "passInstanceRole"],
            ]),
            ...calls("tag", `${GROUP_GO} resourceGroupUpdate (updateTags)`, [
                ["autoscaling:CreateOrUpdateTags", "CreateOrUpdateTags", "self"],
                ["autoscaling:DeleteTags", "DeleteTags", "self"],
            ]),
            ...calls("delete", `${GROUP_GO} resourceGroupDelete`, [
                ["autoscaling:DescribeAutoScalingGroups", "DescribeAutoScalingGroups (findGroupByName, waitGroupDrained, RetryUntilNotFound)", "none"],
                // No warm pool and no scale-in protection here: no DeleteWarmPool, no SetInstanceProtection.
                ["autoscaling:UpdateAutoScalingGroup", "UpdateAutoScalingGroup to 0 (drainGroup)", "self"],
                ["autoscaling:DeleteAutoScalingGroup", "DeleteAutoScalingGroup", "self"],
            ]),
        ],
        targets: {
            // Pulumi names the group `<logical name>-<7 hex>`.
            self: (r, plan) => on(regional(r, "autoscaling", `autoScalingGroup:*:autoScalingGroupName/${plan.known(r.inputs.name ?? autoNamePattern(r.name))}`)),
            launch: (r, plan) => on(...launchResources(r, plan)),
            taggedAtLaunch: (r) => createdBy("RunInstances", [ec2(r, "instance"), ec2(r, "volume"), ec2(r, "network-interface")]),
            passInstanceRole: (r, plan) => plan.instanceProfileRoles(r).flatMap((role) => passRole(role, "ec2.amazonaws.com")),
            serviceLinkedRole: (r) => [{
                resources: [`arn:${r.partition}:iam::${r.accountId}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`],
                condition: { StringEquals: { "iam:AWSServiceName": "autoscaling.amazonaws.com" } },
            }],
        },
    },
];

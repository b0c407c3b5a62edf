/** IAM resources: what the provider calls for roles, policies, attachments and instance profiles. */
import { normalisedRolePath } from "../names";
import { PlannedResource } from "./planned-resource";
import { passRole } from "./pipeline-resources";
import { calls, on, ResourcePermissions } from "./provider-calls";

const ROLE_GO = "internal/service/iam/role.go";
const POLICY_GO = "internal/service/iam/policy.go";
const ROLE_POLICY_GO = "internal/service/iam/role_policy.go";
const ATTACHMENT_GO = "internal/service/iam/role_policy_attachment.go";
const PROFILE_GO = "internal/service/iam/instance_profile.go";

const hasRole = (r: PlannedResource) => typeof r.inputs.role === "string" && r.inputs.role !== "";

export const IAM_RESOURCES: ResourcePermissions[] = [
    {
        type: "aws:iam/role:Role",
        terraform: "aws_iam_role",
        calls: [
            ...calls("create", `${ROLE_GO} resourceRoleCreate`, [
                ["iam:CreateRole", "CreateRole", "selfWithBoundary"],
                ["iam:TagRole", "CreateRole with Tags", "self"],
            ]),
            ...calls("read", `${ROLE_GO} resourceRoleRead`, [
                ["iam:GetRole", "GetRole", "self"],
                ["iam:ListRolePolicies", "ListRolePolicies (readRoleInlinePolicies)", "self"],
                ["iam:GetRolePolicy", "GetRolePolicy (readRoleInlinePolicies)", "self"],
                ["iam:ListAttachedRolePolicies", "ListAttachedRolePolicies (readRolePolicyAttachments)", "self"],
            ]),
            ...calls("update", `${ROLE_GO} resourceRoleUpdate`, [
                ["iam:UpdateAssumeRolePolicy", "UpdateAssumeRolePolicy", "self"],
                ["iam:UpdateRoleDescription", "UpdateRoleDescription", "self"],
                ["iam:UpdateRole", "UpdateRole (MaxSessionDuration)", "self"],
                ["iam:PutRolePermissionsBoundary", "PutRolePermissionsBoundary", "selfWithBoundary"],
            ]),
            ...calls("tag", `${ROLE_GO} roleUpdateTags`, [
                ["iam:TagRole", "TagRole", "self"],
                ["iam:UntagRole", "UntagRole", "self"],
            ]),
            ...calls("delete", `${ROLE_GO} DeleteRole`, [
                ["iam:ListInstanceProfilesForRole", "ListInstanceProfilesForRole (deleteRoleInstanceProfiles)", "self"],
                ["iam:RemoveRoleFromInstanceProfile", "RemoveRoleFromInstanceProfile (deleteRoleInstanceProfiles)", "instanceProfiles"],
                ["iam:ListAttachedRolePolicies", "ListAttachedRolePolicies (readRolePolicyAttachments)", "self"],
                ["iam:DetachRolePolicy", "DetachRolePolicy (deleteRolePolicyAttachments)", "selfWithAttachedPolicies"],
                ["iam:ListRolePolicies", "ListRolePolicies (readRolePolicyNames)", "self"],
                ["iam:DeleteRolePolicy", "DeleteRolePolicy (deleteRolePolicies)", "selfWithInlinePolicies"],
                ["iam:DeleteRole", "DeleteRole", "self"],
            ]),
        ],
        targets: {
            self: (r, plan) => on(plan.roleArn(r, r.inputs.name)),
            // A role may only be created with the boundary the stack sets, when it sets one.
            selfWithBoundary: (r, plan) => {
                const boundary = r.inputs.permissionsBoundary;
                const resources = [plan.roleArn(r, r.inputs.name)];
                return typeof boundary === "string" && boundary !== ""
                    ? [{ resources, condition: { StringEquals: { "iam:PermissionsBoundary": boundary } } }]
                    : [{ resources }];
            },
            instanceProfiles: (r, plan) => on(...plan.instanceProfilesOf(r, r.inputs.name)),
            selfWithAttachedPolicies: (r, plan) => {
                const policies = plan.policiesAttachedTo(r, r.inputs.name);
                return policies.length === 0 ? [] : [{ resources: [plan.roleArn(r, r.inputs.name)], condition: { ArnEquals: { "iam:PolicyARN": policies } } }];
            },
            selfWithInlinePolicies: (r, plan) => (plan.hasInlinePolicies(r, r.inputs.name) ? on(plan.roleArn(r, r.inputs.name)) : []),
        },
    },
    {
        type: "aws:iam/policy:Policy",
        terraform: "aws_iam_policy",
        calls: [
            ...calls("create", `${POLICY_GO} resourcePolicyCreate`, [
                ["iam:CreatePolicy", "CreatePolicy", "self"],
                ["iam:TagPolicy", "CreatePolicy with Tags", "self"],
            ]),
            ...calls("read", `${POLICY_GO} resourcePolicyRead`, [
                ["iam:GetPolicy", "GetPolicy (findPolicyByARN)", "self"],
                ["iam:GetPolicyVersion", "GetPolicyVersion (findPolicyVersion)", "self"],
            ]),
            ...calls("update", `${POLICY_GO} resourcePolicyUpdate`, [
                ["iam:ListPolicyVersions", "ListPolicyVersions (policyPruneVersions)", "self"],
                ["iam:DeletePolicyVersion", "DeletePolicyVersion (policyPruneVersions)", "self"],
                ["iam:CreatePolicyVersion", "CreatePolicyVersion", "self"],
                ["iam:SetDefaultPolicyVersion", "SetDefaultPolicyVersion", "self"],
            ]),
            ...calls("tag", `${POLICY_GO} (tags interceptor)`, [
                ["iam:TagPolicy", "TagPolicy", "self"],
                ["iam:UntagPolicy", "UntagPolicy", "self"],
            ]),
            ...calls("delete", `${POLICY_GO} resourcePolicyDelete`, [
                ["iam:ListPolicyVersions", "ListPolicyVersions (findPolicyVersionsByARN)", "self"],
                ["iam:DeletePolicyVersion", "DeletePolicyVersion (policyDeleteVersion)", "self"],
                ["iam:DeletePolicy", "DeletePolicy", "self"],
            ]),
        ],
        targets: {
            self: (r, plan) => on(`arn:${r.partition}:iam::${r.accountId}:policy${normalisedRolePath(r.inputs.path as string | undefined)}${plan.known(r.inputs.name)}`),
        },
    },
    {
        type: "aws:iam/rolePolicy:RolePolicy",
        terraform: "aws_iam_role_policy",
        calls: [
            ...calls("create", `${ROLE_POLICY_GO} resourceRolePolicyPut`, [
                ["iam:PutRolePolicy", "PutRolePolicy", "role"],
                ["iam:GetRolePolicy", "GetRolePolicy (FindRolePolicyByTwoPartKey: waits for the new policy)", "role"],
            ]),
            ...calls("read", `${ROLE_POLICY_GO} resourceRolePolicyRead`, [["iam:GetRolePolicy", "GetRolePolicy", "role"]]),
            ...calls("update", `${ROLE_POLICY_GO} resourceRolePolicyPut`, [["iam:PutRolePolicy", "PutRolePolicy", "role"]]),
            ...calls("delete", `${ROLE_POLICY_GO} resourceRolePolicyDelete`, [["iam:DeleteRolePolicy", "DeleteRolePolicy", "role"]]),
        ],
        targets: { role: (r, plan) => on(plan.roleArn(r, r.inputs.role)) },
    },
    {
        type: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
        terraform: "aws_iam_role_policy_attachment",
        calls: [
            ...calls("create", `${ATTACHMENT_GO} attachPolicyToRole`, [["iam:AttachRolePolicy", "AttachRolePolicy", "roleWithPolicy"]]),
            ...calls("read", `${ATTACHMENT_GO} RoleHasPolicyARNAttachment`, [["iam:ListAttachedRolePolicies", "ListAttachedRolePolicies", "role"]]),
            ...calls("delete", `${ATTACHMENT_GO} DetachPolicyFromRole`, [["iam:DetachRolePolicy", "DetachRolePolicy", "roleWithPolicy"]]),
        ],
        targets: {
            role: (r, plan) => on(plan.roleArn(r, r.inputs.role)),
            // Only the policy this attachment names may be attached to (or detached from) the role.
            roleWithPolicy: (r, plan) => [{ resources: [plan.roleArn(r, r.inputs.role)], condition: { ArnEquals: { "iam:PolicyARN": [plan.known(r.inputs.policyArn)] } } }],
        },
    },
    {
        type: "aws:iam/instanceProfile:InstanceProfile",
        terraform: "aws_iam_instance_profile",
        calls: [
            ...calls("create", `${PROFILE_GO} resourceInstanceProfileCreate`, [
                ["iam:CreateInstanceProfile", "CreateInstanceProfile", "self"],
                ["iam:TagInstanceProfile", "CreateInstanceProfile with Tags", "self"],
                ["iam:GetInstanceProfile", "GetInstanceProfile (findInstanceProfileByName, waitInstanceProfileReady)", "self"],
                ["iam:AddRoleToInstanceProfile", "AddRoleToInstanceProfile (instanceProfileAddRole)", "self"],
                // IAM asks the caller of AddRoleToInstanceProfile for iam:PassRole of the role.
                ["iam:PassRole", "AddRoleToInstanceProfile (instanceProfileAddRole)", "passProfileRole"],
            ]),
            ...calls("read", `${PROFILE_GO} resourceInstanceProfileRead`, [
                ["iam:GetInstanceProfile", "GetInstanceProfile (findInstanceProfileByName)", "self"],
                ["iam:GetRole", "GetRole (findRoleByName: the profile's role)", "profileRole"],
                ["iam:RemoveRoleFromInstanceProfile", "RemoveRoleFromInstanceProfile (instanceProfileRemoveRole, when the role is gone)", "self"],
            ]),
            ...calls("update", `${PROFILE_GO} resourceInstanceProfileUpdate`, [
                ["iam:RemoveRoleFromInstanceProfile", "RemoveRoleFromInstanceProfile (instanceProfileRemoveRole)", "self"],
                ["iam:AddRoleToInstanceProfile", "AddRoleToInstanceProfile (instanceProfileAddRole)", "self"],
                ["iam:PassRole", "AddRoleToInstanceProfile (instanceProfileAddRole)", "passProfileRole"],
                ["iam:GetInstanceProfile", "GetInstanceProfile (waitInstanceProfileReady)", "self"],
            ]),
            ...calls("tag", `${PROFILE_GO} (tags interceptor)`, [
                ["iam:TagInstanceProfile", "TagInstanceProfile", "self"],
                ["iam:UntagInstanceProfile", "UntagInstanceProfile", "self"],
            ]),
            ...calls("delete", `${PROFILE_GO} resourceInstanceProfileDelete`, [
                ["iam:RemoveRoleFromInstanceProfile", "RemoveRoleFromInstanceProfile (instanceProfileRemoveRole)", "self"],
                ["iam:DeleteInstanceProfile", "DeleteInstanceProfile", "self"],
            ]),
        ],
        targets: {
            self: (r, plan) => on(`arn:${r.partition}:iam::${r.accountId}:instance-profile${normalisedRolePath(r.inputs.path as string | undefined)}${plan.known(r.inputs.name)}`),
            // A profile without a role reads and passes none.
            profileRole: (r, plan) => (hasRole(r) ? on(plan.roleArn(r, r.inputs.role)) : []),
            passProfileRole: (r, plan) => (hasRole(r) ? passRole(plan.roleArn(r, r.inputs.role), "ec2.amazonaws.com") : []),
        },
    },
];

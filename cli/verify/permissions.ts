/**
 * What the credentials running `verify` must be allowed, as an IAM policy (docs/verify-teardown.md
 * prints it; a test keeps it equal to the actions the code calls). Everything is read-only.
 */
import {
    bucketArn, document, FIREHOSE_STREAM_NAME, iamRoleArn, INTEGRATION_ROLE_NAME, logsBucketName, Partition, PolicyDocument,
} from "../../model";

export function verifyCallerPolicy(partition: Partition, accountId: string, roleName = INTEGRATION_ROLE_NAME, rolePath = "/"): PolicyDocument {
    const role = iamRoleArn(partition, accountId, roleName, rolePath);
    return document([
        { Sid: "ReadIntegrationRole", Effect: "Allow", Action: ["iam:GetRole", "iam:SimulatePrincipalPolicy"], Resource: role },
        { Sid: "ProbeAssumeRole", Effect: "Allow", Action: "sts:AssumeRole", Resource: role },
        {
            Sid: "ReadLogsBucket", Effect: "Allow",
            Action: [
                "s3:ListBucket", "s3:ListBucketVersions", "s3:GetBucketVersioning", "s3:GetLifecycleConfiguration",
                "s3:GetEncryptionConfiguration", "s3:GetBucketPublicAccessBlock",
            ],
            Resource: bucketArn(partition, logsBucketName(accountId)),
        },
        { Sid: "ReadKeys", Effect: "Allow", Action: ["kms:DescribeKey", "kms:GetKeyRotationStatus"], Resource: `arn:${partition}:kms:*:${accountId}:key/*` },
        { Sid: "ReadStreams", Effect: "Allow", Action: "firehose:DescribeDeliveryStream", Resource: `arn:${partition}:firehose:*:${accountId}:deliverystream/${FIREHOSE_STREAM_NAME}` },
        { Sid: "ReadRules", Effect: "Allow", Action: "events:DescribeRule", Resource: `arn:${partition}:events:*:${accountId}:rule/*` },
        { Sid: "FindRulesAndNetwork", Effect: "Allow", Action: ["events:ListRuleNamesByTarget", "ec2:DescribeVpcs", "ec2:DescribeFlowLogs"], Resource: "*" },
        { Sid: "FindTrails", Effect: "Allow", Action: ["cloudtrail:DescribeTrails", "cloudtrail:GetTrailStatus"], Resource: "*" },
    ]);
}

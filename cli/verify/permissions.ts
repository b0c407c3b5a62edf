/**
 * What the credentials running `verify` must be allowed, as an IAM policy (docs/verify-teardown.md
 * prints it; a test keeps it equal to the actions the code calls). Everything is read-only.
 */
import {
    bucketArn, document, FIREHOSE_STREAM_NAME, iamRoleArn, INTEGRATION_ROLE_NAME, logsBucketName, Partition, PolicyDocument,
} from "../../model";

/** `streamNames`: the Firehose streams' names, more than this package's own when the stack adopted others (`names`). */
export function verifyCallerPolicy(
    partition: Partition, accountId: string, roleName = INTEGRATION_ROLE_NAME, rolePath = "/", streamNames: readonly string[] = [FIREHOSE_STREAM_NAME],
): PolicyDocument {
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
        { Sid: "ReadStreams", Effect: "Allow", Action: "firehose:DescribeDeliveryStream", Resource: streamArns(partition, accountId, streamNames) },
        { Sid: "ReadRules", Effect: "Allow", Action: "events:DescribeRule", Resource: `arn:${partition}:events:*:${accountId}:rule/*` },
        { Sid: "FindRulesAndNetwork", Effect: "Allow", Action: ["events:ListRuleNamesByTarget", "ec2:DescribeVpcs", "ec2:DescribeFlowLogs"], Resource: "*" },
        { Sid: "FindTrails", Effect: "Allow", Action: ["cloudtrail:DescribeTrails", "cloudtrail:GetTrailStatus"], Resource: "*" },
    ]);
}

/** The streams' ARNs in every region: one, or a list of distinct names in a fixed order. */
export function streamArns(partition: Partition, accountId: string, streamNames: readonly string[]): string | string[] {
    const arns = [...new Set(streamNames)].sort().map((name) => `arn:${partition}:firehose:*:${accountId}:deliverystream/${name}`);
    return arns.length === 1 ? arns[0] : arns;
}

/**
 * What the credentials running `teardown` must be allowed, as an IAM policy (docs/verify-teardown.md
 * prints it; a test keeps it equal to the actions the code calls).
 */
import { bucketArn, document, FIREHOSE_STREAM_NAME, logsBucketName, Partition, PolicyDocument } from "../../model";
import { streamArns } from "../verify/permissions";

/** `streamNames`: the Firehose streams' names, more than this package's own when the stack adopted others (`names`). */
export function teardownCallerPolicy(partition: Partition, accountId: string, streamNames: readonly string[] = [FIREHOSE_STREAM_NAME]): PolicyDocument {
    const bucket = bucketArn(partition, logsBucketName(accountId));
    return document([
        { Sid: "FindStreams", Effect: "Allow", Action: "firehose:DescribeDeliveryStream", Resource: streamArns(partition, accountId, streamNames) },
        {
            Sid: "StopRules", Effect: "Allow",
            Action: ["events:DescribeRule", "events:ListTargetsByRule", "events:DisableRule", "events:RemoveTargets"],
            Resource: `arn:${partition}:events:*:${accountId}:rule/*`,
        },
        { Sid: "DeleteFlowLogs", Effect: "Allow", Action: "ec2:DeleteFlowLogs", Resource: `arn:${partition}:ec2:*:${accountId}:vpc-flow-log/*` },
        // AWS documents logs:DeleteLogDelivery for deleting flow logs that deliver to S3.
        // ec2:DescribeRegions: every enabled region is searched for what still delivers to the bucket.
        { Sid: "FindRulesAndFlowLogs", Effect: "Allow", Action: ["events:ListRuleNamesByTarget", "ec2:DescribeFlowLogs", "ec2:DescribeRegions", "logs:DeleteLogDelivery"], Resource: "*" },
        { Sid: "EmptyLogsBucket", Effect: "Allow", Action: ["s3:ListBucket", "s3:GetBucketTagging", "s3:ListBucketVersions", "s3:DeleteBucket"], Resource: bucket },
        { Sid: "DeleteLogObjects", Effect: "Allow", Action: "s3:DeleteObjectVersion", Resource: `${bucket}/*` },
    ]);
}

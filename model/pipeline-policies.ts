/** Permissions of the per-region event pipeline's roles (docs/stackstate-integration.md#event-pipeline-per-region), with the published defects fixed. */
import { Partition } from "./regions";
import { bucketArn, eventBridgePrefix, firehoseStreamArn } from "./names";
import { document, PolicyDocument } from "./iam-document";

/** EventBridge may put records into this region's stream and nothing else. */
export function eventBridgeRolePolicy(region: string, accountId: string, streamName?: string): PolicyDocument {
    return document([{
        Sid: "PutEventsIntoStream",
        Effect: "Allow",
        Action: ["firehose:PutRecord", "firehose:PutRecordBatch"],
        Resource: firehoseStreamArn(region, accountId, streamName),
    }]);
}

export interface FirehoseRolePolicyArgs {
    partition: Partition;
    accountId: string;
    /** The stream's region: it writes only under this region's prefix. */
    region: string;
    bucketName: string;
    /** Where the bucket lives; S3 calls KMS there. */
    bucketRegion: string;
    /** The key S3 encrypts delivered objects with: a key in the bucket's region. */
    objectKeyArn: string;
}

/**
 * Firehose writes objects under its region's prefix, encrypted with the bucket-region key.
 * The KMS statement names the key ARN, not the alias (an alias ARN does not authorise key use).
 * The encryption context is the object ARN, or the bucket ARN when S3 Bucket Keys are on.
 */
export function firehoseRolePolicy(args: FirehoseRolePolicyArgs): PolicyDocument {
    const bucket = bucketArn(args.partition, args.bucketName);
    const objects = `${bucket}/${eventBridgePrefix(args.accountId, args.region)}*`;
    return document([
        {
            Sid: "DeliverToLogsBucket",
            Effect: "Allow",
            Action: [
                "s3:AbortMultipartUpload", "s3:GetBucketLocation", "s3:GetObject", "s3:ListBucket",
                "s3:ListBucketMultipartUploads", "s3:PutObject", "s3:PutObjectAcl",
            ],
            Resource: [bucket, objects],
        },
        {
            Sid: "EncryptDeliveredObjects",
            Effect: "Allow",
            Action: ["kms:Decrypt", "kms:GenerateDataKey"],
            Resource: args.objectKeyArn,
            Condition: {
                StringEquals: { "kms:ViaService": `s3.${args.bucketRegion}.amazonaws.com` },
                StringLike: { "kms:EncryptionContext:aws:s3:arn": [objects, bucket] },
            },
        },
    ]);
}

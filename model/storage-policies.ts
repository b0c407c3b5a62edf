/** Resource policies of the logs bucket and the per-region KMS keys (docs/stackstate-integration.md: logs bucket, KMS key). */
import { Partition } from "./regions";
import { accountRootArn, awsLogsPrefix, bucketArn } from "./names";
import { document, PolicyDocument, PolicyStatement } from "./iam-document";

const LOG_DELIVERY = "delivery.logs.amazonaws.com";

export interface BucketPolicyArgs {
    partition: Partition;
    accountId: string;
    bucketName: string;
}

/**
 * TLS only, and the statements AWS log delivery needs to write VPC flow logs, limited to this
 * account's log sources.
 */
export function logsBucketPolicy(args: BucketPolicyArgs): PolicyDocument {
    const bucket = bucketArn(args.partition, args.bucketName);
    const fromThisAccount = {
        StringEquals: { "aws:SourceAccount": args.accountId },
        ArnLike: { "aws:SourceArn": `arn:${args.partition}:logs:*:${args.accountId}:*` },
    };
    return document([
        {
            Sid: "DenyInsecureTransport",
            Effect: "Deny",
            Principal: "*",
            Action: "s3:*",
            Resource: [bucket, `${bucket}/*`],
            Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
        {
            Sid: "AWSLogDeliveryWrite",
            Effect: "Allow",
            Principal: { Service: LOG_DELIVERY },
            Action: "s3:PutObject",
            Resource: `${bucket}/${awsLogsPrefix(args.accountId)}*`,
            Condition: {
                StringEquals: { ...fromThisAccount.StringEquals, "s3:x-amz-acl": "bucket-owner-full-control" },
                ArnLike: fromThisAccount.ArnLike,
            },
        },
        {
            Sid: "AWSLogDeliveryAclCheck",
            Effect: "Allow",
            Principal: { Service: LOG_DELIVERY },
            Action: ["s3:GetBucketAcl", "s3:ListBucket"],
            Resource: bucket,
            Condition: fromThisAccount,
        },
    ]);
}

export interface KeyPolicyArgs {
    partition: Partition;
    accountId: string;
    /** The key's own region. */
    region: string;
    /** True for the key that encrypts the logs bucket (the main region's). */
    encryptsBucket: boolean;
}

const KEY_USE = ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*"];

/**
 * The account administers the key; principals of this account may use it only through the
 * services that need it (Firehose for the stream, S3 for the bucket); log delivery may use the
 * bucket key for flow logs of this account. Nobody outside the account gets anything.
 */
export function keyPolicy(args: KeyPolicyArgs): PolicyDocument {
    const viaService = (service: string): PolicyStatement => ({
        Sid: `AccountUsesKeyVia${service === "s3" ? "S3" : "Firehose"}`,
        Effect: "Allow",
        Principal: { AWS: "*" },
        Action: KEY_USE,
        Resource: "*",
        Condition: {
            StringEquals: {
                "kms:ViaService": `${service}.${args.region}.amazonaws.com`,
                "kms:CallerAccount": args.accountId,
            },
        },
    });
    const statements: PolicyStatement[] = [
        {
            Sid: "AccountAdministersKey",
            Effect: "Allow",
            Principal: { AWS: accountRootArn(args.partition, args.accountId) },
            Action: "kms:*",
            Resource: "*",
        },
        viaService("firehose"),
    ];
    if (args.encryptsBucket) {
        statements.push(viaService("s3"), {
            Sid: "LogDeliveryUsesKey",
            Effect: "Allow",
            Principal: { Service: LOG_DELIVERY },
            Action: KEY_USE,
            Resource: "*",
            Condition: { StringEquals: { "aws:SourceAccount": args.accountId } },
        });
    }
    return document(statements);
}

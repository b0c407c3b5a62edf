/**
 * `stackstate-logs-<account>`: where Firehose and VPC flow logs deliver and the Agent reads (and
 * deletes). Its contents are transient, so `pulumi destroy` may empty it (forceDestroy).
 */
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { BUCKET_SETTINGS, logsBucketName, logsBucketPolicy, Partition } from "../model";
import { managedTags, policyJson, componentOptions, typeToken } from "./common";

export interface LogsBucketArgs {
    /** The monitored account; names the bucket. */
    readonly accountId: pulumi.Input<string>;
    /** Partition of the bucket's region. Default: aws. */
    readonly partition?: Partition;
    /** KMS key for default encryption: a key in the bucket's region. */
    readonly kmsKeyArn: pulumi.Input<string>;
    /** Let `pulumi destroy` delete the bucket with its objects. Default: true (they are transient). */
    readonly forceDestroy?: pulumi.Input<boolean>;
    /** Tags, merged with managed-by: stackstate-aws. */
    readonly tags?: pulumi.Input<Record<string, string>>;
}

/**
 * The logs bucket stackstate-logs-<account>, where Firehose and VPC flow logs deliver and the
 * Agent reads: versioned, encrypted with a KMS key, private, TLS only, expiring after a day.
 */
export class LogsBucket extends pulumi.ComponentResource {
    /** The bucket. */
    readonly bucket: aws.s3.Bucket;
    /** Name of the bucket, stackstate-logs-<account>. */
    readonly bucketName: pulumi.Output<string>;
    /** ARN of the bucket. */
    readonly bucketArn: pulumi.Output<string>;

    constructor(name: string, args: LogsBucketArgs, opts?: pulumi.ComponentResourceOptions) {
        super(typeToken("LogsBucket"), name, {}, componentOptions("LogsBucket", opts));
        const partition = args.partition ?? "aws";
        const child = { parent: this };

        this.bucket = new aws.s3.Bucket(`${name}-bucket`, {
            bucket: pulumi.output(args.accountId).apply(logsBucketName),
            forceDestroy: args.forceDestroy ?? true,
            tags: managedTags(args.tags),
        }, child);
        const bucket = this.bucket.id;

        // The Agent will not read an unversioned bucket.
        const versioning = new aws.s3.BucketVersioning(`${name}-versioning`, {
            bucket,
            versioningConfiguration: { status: "Enabled" },
        }, child);

        new aws.s3.BucketLifecycleConfiguration(`${name}-lifecycle`, {
            bucket,
            rules: [{
                id: "expire-unread-logs",
                status: "Enabled",
                filter: {},
                expiration: { days: BUCKET_SETTINGS.expirationDays },
                noncurrentVersionExpiration: { noncurrentDays: BUCKET_SETTINGS.noncurrentVersionExpirationDays },
                abortIncompleteMultipartUpload: { daysAfterInitiation: BUCKET_SETTINGS.abortIncompleteMultipartUploadDays },
            }],
        }, { parent: this, dependsOn: [versioning] });

        new aws.s3.BucketServerSideEncryptionConfiguration(`${name}-encryption`, {
            bucket,
            rules: [{
                applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: args.kmsKeyArn },
                bucketKeyEnabled: true,
            }],
        }, child);

        const publicAccessBlock = new aws.s3.BucketPublicAccessBlock(`${name}-public-access-block`, {
            bucket,
            blockPublicAcls: true,
            blockPublicPolicy: true,
            ignorePublicAcls: true,
            restrictPublicBuckets: true,
        }, child);

        new aws.s3.BucketOwnershipControls(`${name}-ownership`, {
            bucket,
            rule: { objectOwnership: "BucketOwnerEnforced" },
        }, child);

        new aws.s3.BucketPolicy(`${name}-policy`, {
            bucket,
            policy: policyJson(pulumi.all([args.accountId, this.bucket.bucket]).apply(([accountId, bucketName]) =>
                logsBucketPolicy({ partition, accountId, bucketName }))),
        }, { parent: this, dependsOn: [publicAccessBlock] });

        this.bucketName = this.bucket.bucket;
        this.bucketArn = this.bucket.arn;
        this.registerOutputs({ bucketName: this.bucketName, bucketArn: this.bucketArn });
    }
}

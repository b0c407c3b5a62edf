/** The logs bucket and its configuration resources: what the provider calls for each. */
import { bucketArn } from "../names";
import { calls, on, Phase, ProviderCall, ResourcePermissions } from "./provider-calls";

const BUCKET_GO = "internal/service/s3/bucket.go";

const bucketOf = (bucket: unknown, partition: string, known: (v: unknown) => string) => bucketArn(partition as "aws", known(bucket));

/** Where in a bucket configuration resource's file each phase is, and which phases wait by reading. */
interface SettingSource {
    file: string;
    functions: Record<"create" | "read" | "update" | "delete", string>;
    /** Phases that read the setting back after writing it, until S3 shows the change. */
    waits: Phase[];
}

/**
 * A bucket configuration resource (`aws_s3_bucket_<x>`): one action puts it (create, update and,
 * for most, delete: S3 authorises `DeleteBucketX` as `PutX`), one reads it.
 */
function bucketSetting(type: string, terraform: string, where: SettingSource, put: [action: string, call: string], get: [action: string, call: string], remove: [action: string, call: string]): ResourcePermissions {
    const row = (phase: keyof SettingSource["functions"], [action, call]: [string, string]): ProviderCall[] => [
        ...calls(phase, `internal/service/s3/${where.file} ${where.functions[phase]}`, [[action, call, "bucket"]]),
        ...(where.waits.includes(phase) ? calls(phase, `internal/service/s3/${where.file} ${where.functions[phase]}`, [[get[0], `${get[1]} (waits for the change)`, "bucket"]]) : []),
    ];
    return {
        type,
        terraform,
        calls: [...row("create", put), ...row("read", get), ...row("update", put), ...row("delete", remove)],
        targets: { bucket: (r, plan) => on(bucketOf(r.inputs.bucket, r.partition, (v) => plan.known(v))) },
    };
}

/** The SDK resources' function names: `resource<Name>Create` and so on. */
const sdkFunctions = (name: string) => ({ create: `resource${name}Create`, read: `resource${name}Read`, update: `resource${name}Update`, delete: `resource${name}Delete` });

export const S3_RESOURCES: ResourcePermissions[] = [
    {
        type: "aws:s3/bucket:Bucket",
        terraform: "aws_s3_bucket",
        calls: [
            ...calls("create", `${BUCKET_GO} resourceBucketCreate`, [
                ["s3:CreateBucket", "CreateBucket", "self"],
                ["s3:PutBucketTagging", "PutBucketTagging (tags after create)", "self"],
                ["s3:ListBucket", "HeadBucket (waits for the bucket)", "self"],
            ]),
            ...calls("read", `${BUCKET_GO} resourceBucketRead`, [
                ["s3:ListBucket", "HeadBucket (findBucket, bucket region)", "self"],
                ["s3:GetBucketLocation", "GetBucketLocation", "self"],
                ["s3:GetBucketPolicy", "GetBucketPolicy", "self"],
                ["s3:GetBucketAcl", "GetBucketAcl", "self"],
                ["s3:GetBucketCORS", "GetBucketCors", "self"],
                ["s3:GetBucketWebsite", "GetBucketWebsite", "self"],
                ["s3:GetBucketVersioning", "GetBucketVersioning", "self"],
                ["s3:GetAccelerateConfiguration", "GetBucketAccelerateConfiguration", "self"],
                ["s3:GetBucketRequestPayment", "GetBucketRequestPayment", "self"],
                ["s3:GetBucketLogging", "GetBucketLogging", "self"],
                ["s3:GetLifecycleConfiguration", "GetBucketLifecycleConfiguration", "self"],
                ["s3:GetReplicationConfiguration", "GetBucketReplication", "self"],
                ["s3:GetEncryptionConfiguration", "GetBucketEncryption", "self"],
                ["s3:GetBucketObjectLockConfiguration", "GetObjectLockConfiguration (readS3ObjectLockConfiguration)", "self"],
                ["s3:GetBucketTagging", "GetBucketTagging (BucketListTags)", "self"],
            ]),
            ...calls("tag", `${BUCKET_GO} (BucketUpdateTags)`, [["s3:PutBucketTagging", "PutBucketTagging, DeleteBucketTagging", "self"]]),
            ...calls("delete", `${BUCKET_GO} resourceBucketDelete`, [
                ["s3:DeleteBucket", "DeleteBucket", "self"],
                ["s3:ListBucketVersions", "ListObjectVersions (DeleteAllObjectVersions, forceDestroy)", "self"],
                ["s3:DeleteObjectVersion", "DeleteObjects with version ids (DeleteAllObjectVersions, forceDestroy)", "objects"],
            ]),
        ],
        targets: {
            self: (r, plan) => on(bucketOf(r.inputs.bucket, r.partition, (v) => plan.known(v))),
            objects: (r, plan) => on(`${bucketOf(r.inputs.bucket, r.partition, (v) => plan.known(v))}/*`),
        },
    },
    bucketSetting("aws:s3/bucketVersioning:BucketVersioning", "aws_s3_bucket_versioning",
        { file: "bucket_versioning.go", functions: sdkFunctions("BucketVersioning"), waits: [] },
        ["s3:PutBucketVersioning", "PutBucketVersioning"], ["s3:GetBucketVersioning", "GetBucketVersioning (waitForBucketVersioningStatus)"],
        ["s3:PutBucketVersioning", "PutBucketVersioning Suspended (the resource's delete)"]),
    bucketSetting("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "aws_s3_bucket_lifecycle_configuration",
        {
            file: "bucket_lifecycle_configuration.go",
            functions: { create: "bucketLifecycleConfigurationResource.Create", read: "bucketLifecycleConfigurationResource.Read", update: "bucketLifecycleConfigurationResource.Update", delete: "bucketLifecycleConfigurationResource.Delete" },
            waits: ["create", "update", "delete"],
        },
        ["s3:PutLifecycleConfiguration", "PutBucketLifecycleConfiguration"], ["s3:GetLifecycleConfiguration", "GetBucketLifecycleConfiguration (findBucketLifecycleConfiguration)"],
        ["s3:PutLifecycleConfiguration", "DeleteBucketLifecycle"]),
    bucketSetting("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "aws_s3_bucket_server_side_encryption_configuration",
        { file: "bucket_server_side_encryption_configuration.go", functions: sdkFunctions("BucketServerSideEncryptionConfiguration"), waits: ["create"] },
        ["s3:PutEncryptionConfiguration", "PutBucketEncryption"], ["s3:GetEncryptionConfiguration", "GetBucketEncryption (findServerSideEncryptionConfiguration)"],
        ["s3:PutEncryptionConfiguration", "DeleteBucketEncryption"]),
    bucketSetting("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "aws_s3_bucket_public_access_block",
        { file: "bucket_public_access_block.go", functions: sdkFunctions("BucketPublicAccessBlock"), waits: ["create", "delete"] },
        ["s3:PutBucketPublicAccessBlock", "PutPublicAccessBlock"], ["s3:GetBucketPublicAccessBlock", "GetPublicAccessBlock (findPublicAccessBlockConfiguration)"],
        ["s3:PutBucketPublicAccessBlock", "DeletePublicAccessBlock"]),
    bucketSetting("aws:s3/bucketOwnershipControls:BucketOwnershipControls", "aws_s3_bucket_ownership_controls",
        { file: "bucket_ownership_controls.go", functions: sdkFunctions("BucketOwnershipControls"), waits: [] },
        ["s3:PutBucketOwnershipControls", "PutBucketOwnershipControls"], ["s3:GetBucketOwnershipControls", "GetBucketOwnershipControls"],
        ["s3:PutBucketOwnershipControls", "DeleteBucketOwnershipControls"]),
    bucketSetting("aws:s3/bucketPolicy:BucketPolicy", "aws_s3_bucket_policy",
        { file: "bucket_policy.go", functions: { create: "resourceBucketPolicyPut", read: "resourceBucketPolicyRead", update: "resourceBucketPolicyPut", delete: "resourceBucketPolicyDelete" }, waits: ["create", "delete"] },
        ["s3:PutBucketPolicy", "PutBucketPolicy"], ["s3:GetBucketPolicy", "GetBucketPolicy (findBucketPolicy)"],
        ["s3:DeleteBucketPolicy", "DeleteBucketPolicy"]),
];

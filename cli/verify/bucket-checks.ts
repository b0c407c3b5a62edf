/**
 * The logs bucket (docs/stackstate-integration.md#logs-bucket): it exists, is versioned (the Agent will not read it otherwise),
 * expires what the Agent misses after a day, is encrypted with the integration key and blocks
 * public access. Every comparison is a model rule; this file only reads S3 and words the result.
 */
import {
    GetBucketEncryptionCommand, GetBucketLifecycleConfigurationCommand, GetBucketVersioningCommand,
    GetPublicAccessBlockCommand, LifecycleRule,
} from "@aws-sdk/client-s3";
import { DescribeKeyCommand } from "@aws-sdk/client-kms";
import {
    bucketEncryptionProblems, lifecycleProblems, LifecycleRuleFacts, publicAccessBlockProblems, versioningProblems,
} from "../../model";
import { AwsClients } from "../aws/clients";
import { awsCall, isAwsErrorCode } from "../aws/errors";
import { fail, pass, skip, Verdict } from "./checks";
import { VerifyContext } from "./context";

function verdict(ctx: VerifyContext, problems: string[], ok: string): Verdict {
    return problems.length === 0 ? pass(ok) : fail(`bucket ${ctx.bucketName}: ${problems.join("; ")}`);
}

/** Runs a bucket check with the bucket's clients, or skips it when the bucket does not exist. */
async function onBucket(ctx: VerifyContext, check: (aws: AwsClients) => Promise<Verdict>): Promise<Verdict> {
    const aws = await ctx.bucketClients();
    return aws ? check(aws) : skip(`not checked: bucket ${ctx.bucketName} does not exist`);
}

export async function checkBucketExists(ctx: VerifyContext): Promise<Verdict> {
    const region = await ctx.bucketRegion();
    if (region === undefined) return fail(`bucket ${ctx.bucketName} does not exist`);
    return pass(`bucket ${ctx.bucketName} exists in ${region}`);
}

export function checkBucketVersioning(ctx: VerifyContext): Promise<Verdict> {
    return onBucket(ctx, async ({ s3 }) => {
        const out = await awsCall("s3:GetBucketVersioning", () => s3.send(new GetBucketVersioningCommand({ Bucket: ctx.bucketName })));
        return verdict(ctx, versioningProblems(out.Status), "versioning is Enabled");
    });
}

/** A rule applies to the whole bucket when it filters on no prefix, tag or size. */
export function lifecycleFacts(rule: LifecycleRule): LifecycleRuleFacts {
    const filter = rule.Filter ?? {};
    const wholeBucket = !rule.Prefix && !filter.Prefix && !filter.Tag && !filter.And
        && filter.ObjectSizeGreaterThan === undefined && filter.ObjectSizeLessThan === undefined;
    return {
        enabled: rule.Status === "Enabled",
        wholeBucket,
        expirationDays: rule.Expiration?.Days,
        noncurrentExpirationDays: rule.NoncurrentVersionExpiration?.NoncurrentDays,
        abortIncompleteMultipartDays: rule.AbortIncompleteMultipartUpload?.DaysAfterInitiation,
    };
}

export function checkBucketLifecycle(ctx: VerifyContext): Promise<Verdict> {
    return onBucket(ctx, async ({ s3 }) => {
        let rules: LifecycleRule[] = [];
        try {
            const out = await awsCall("s3:GetLifecycleConfiguration",
                () => s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: ctx.bucketName })));
            rules = out.Rules ?? [];
        } catch (error) {
            if (!isAwsErrorCode(error, "NoSuchLifecycleConfiguration")) throw error;
        }
        return verdict(ctx, lifecycleProblems(rules.map(lifecycleFacts)), "an enabled lifecycle rule expires current and non-current versions after 1 day");
    });
}

export function checkBucketEncryption(ctx: VerifyContext): Promise<Verdict> {
    return onBucket(ctx, async ({ s3, kms }) => {
        let algorithm: string | undefined;
        let keyId: string | undefined;
        try {
            const out = await awsCall("s3:GetEncryptionConfiguration",
                () => s3.send(new GetBucketEncryptionCommand({ Bucket: ctx.bucketName })));
            const rule = out.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault;
            algorithm = rule?.SSEAlgorithm;
            keyId = rule?.KMSMasterKeyID;
        } catch (error) {
            if (!isAwsErrorCode(error, "ServerSideEncryptionConfigurationNotFoundError")) throw error;
        }
        // The configured key may be an id, an ARN or an alias: compare ARNs.
        const keyArn = keyId
            ? (await awsCall("kms:DescribeKey", () => kms.send(new DescribeKeyCommand({ KeyId: keyId })))).KeyMetadata?.Arn
            : undefined;
        const expected = (await ctx.integrationKey(ctx.input.mainRegion))?.Arn;
        const problems = bucketEncryptionProblems({ algorithm, keyArn }, expected);
        if (expected === undefined && problems.length === 0) {
            return pass(`default encryption is SSE-KMS with ${keyArn ?? "the AWS-managed key"} (no ${ctx.names(ctx.input.mainRegion).kmsAlias} in ${ctx.input.mainRegion} to compare with)`);
        }
        return verdict(ctx, problems, `default encryption is SSE-KMS with the integration key ${keyArn}`);
    });
}

export function checkBucketPublicAccessBlock(ctx: VerifyContext): Promise<Verdict> {
    return onBucket(ctx, async ({ s3 }) => {
        let config;
        try {
            const out = await awsCall("s3:GetBucketPublicAccessBlock",
                () => s3.send(new GetPublicAccessBlockCommand({ Bucket: ctx.bucketName })));
            config = out.PublicAccessBlockConfiguration ?? {};
        } catch (error) {
            if (!isAwsErrorCode(error, "NoSuchPublicAccessBlockConfiguration")) throw error;
        }
        return verdict(ctx, publicAccessBlockProblems(config), "the public-access block is on (all four settings)");
    });
}

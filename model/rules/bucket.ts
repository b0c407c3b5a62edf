/** Rules for the logs bucket's protection (docs/stackstate-integration.md#logs-bucket): SSE-KMS with the integration key, no public access. */

/** SSE-KMS algorithms S3 reports for default encryption with a KMS key. */
export const KMS_ENCRYPTION_ALGORITHMS: readonly string[] = ["aws:kms", "aws:kms:dsse"];

export interface BucketEncryptionFacts {
    /** `SSEAlgorithm` of the default-encryption rule; undefined when none is set. */
    algorithm?: string;
    /** The KMS key's ARN (resolved from an id or alias); undefined for the AWS-managed key. */
    keyArn?: string;
}

/** Default encryption must be SSE-KMS with the integration's key (the key policy lets log delivery use it). */
export function bucketEncryptionProblems(facts: BucketEncryptionFacts, expectedKeyArn?: string): string[] {
    if (!facts.algorithm || !KMS_ENCRYPTION_ALGORITHMS.includes(facts.algorithm)) {
        return [`default encryption must be SSE-KMS (aws:kms) with the integration's key, is ${facts.algorithm ?? "not set"}`];
    }
    if (expectedKeyArn !== undefined && facts.keyArn !== expectedKeyArn) {
        return [`default encryption must use the key ${expectedKeyArn}, uses ${facts.keyArn ?? "the AWS-managed key"}`];
    }
    return [];
}

export const PUBLIC_ACCESS_BLOCK_SETTINGS = [
    "BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets",
] as const;
export type PublicAccessBlockFacts = Partial<Record<(typeof PUBLIC_ACCESS_BLOCK_SETTINGS)[number], boolean>>;

/** Every setting of the bucket's public-access block must be on; undefined = no block configured. */
export function publicAccessBlockProblems(config: PublicAccessBlockFacts | undefined): string[] {
    if (config === undefined) return ["the bucket must have a public-access block with all four settings on"];
    const off = PUBLIC_ACCESS_BLOCK_SETTINGS.filter((setting) => config[setting] !== true);
    return off.length === 0 ? [] : [`the public-access block must turn on ${off.join(", ")}`];
}

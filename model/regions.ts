/**
 * The AWS regions a stack may capture, by partition.
 *
 * China regions are left out on purpose: their service principals and endpoints differ
 * (`*.amazonaws.com.cn`) and nothing here has been checked against them. The ISO and
 * European Sovereign Cloud partitions are out for the same reason. test/model/regions.test.ts checks
 * this list against the partition data of the AWS SDK the CLI uses (shipped in `@aws-sdk/core`):
 * every region listed here must be in the SDK's data under the same partition, so a typo fails
 * it; and the regions of a supported partition that are not listed here must be exactly the
 * ones that test names as not yet accepted (me-west-1 and sa-west-1, newer than this list), so
 * a region added by an SDK upgrade fails it until someone decides.
 */
/**
 * The AWS partitions this package supports. An object of constants, not a union type, so the
 * component package's schema can carry it as an enum to other languages.
 */
export const Partition = {
    /** Commercial AWS regions. */
    Aws: "aws",
    /** AWS GovCloud (US). */
    AwsUsGov: "aws-us-gov",
} as const;
export type Partition = (typeof Partition)[keyof typeof Partition];

export const REGIONS_BY_PARTITION = {
    aws: [
        "af-south-1", "ap-east-1", "ap-east-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
        "ap-south-1", "ap-south-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4",
        "ap-southeast-5", "ap-southeast-6", "ap-southeast-7", "ca-central-1", "ca-west-1",
        "eu-central-1", "eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1",
        "eu-west-2", "eu-west-3", "il-central-1", "me-central-1", "me-south-1", "mx-central-1",
        "sa-east-1", "us-east-1", "us-east-2", "us-west-1", "us-west-2",
    ],
    "aws-us-gov": ["us-gov-east-1", "us-gov-west-1"],
} as const satisfies Record<Partition, readonly string[]>;

export const KNOWN_REGIONS: readonly string[] = Object.values(REGIONS_BY_PARTITION).flat();

export function isKnownRegion(region: string): boolean {
    return KNOWN_REGIONS.includes(region);
}

/** The partition a known region belongs to; throws for an unknown region. */
export function partitionOf(region: string): Partition {
    for (const [partition, regions] of Object.entries(REGIONS_BY_PARTITION)) {
        if ((regions as readonly string[]).includes(region)) {
            return partition as Partition;
        }
    }
    throw new Error(`Unknown AWS region '${region}'. Known regions are: ${KNOWN_REGIONS.join(", ")}.`);
}

/** The region name the Agent's `aws_topology` check uses for global services (Route53, IAM...). */
export const AGENT_GLOBAL_REGION = "global";

/**
 * ARNs read in one place. An ARN is `arn:partition:service:region:account-id:resource`; the
 * resource keeps its own `:` and `/` (`role/path/Name`, `bucket/key`, `log-group:name:*`), and
 * region and account are empty for global resources such as S3 buckets (IAM User Guide,
 * "IAM identifiers"; AWS General Reference, "Amazon Resource Names").
 *
 * Not `@aws-sdk/util-arn-parser`: it is maintained (part of the AWS SDK for JavaScript v3,
 * Apache-2.0), but its `parse` is the same split with no check of any field, and the package is
 * now a re-export of `@aws-sdk/core`, which would bring the SDK's core into model/. The checks the
 * callers need (a 12-digit account, IAM's role path and name syntax) are here, next to the split.
 */

export interface Arn {
    partition: string;
    service: string;
    region: string;
    accountId: string;
    resource: string;
}

const ACCOUNT_ID = /^\d{12}$/;

/** The six fields of an ARN, or undefined for anything that is not one (not a string, not `arn:`, too few fields). */
export function parseArn(text: unknown): Arn | undefined {
    if (typeof text !== "string") return undefined;
    const fields = text.split(":");
    if (fields.length < 6 || fields[0] !== "arn" || fields[1] === "" || fields[2] === "") return undefined;
    const [, partition, service, region, accountId, ...resource] = fields;
    return { partition, service, region, accountId, resource: resource.join(":") };
}

/** The partition of an ARN (`aws`, `aws-us-gov`...). */
export function arnPartition(text: unknown): string | undefined {
    return parseArn(text)?.partition;
}

/** The region field of an ARN; empty for global resources such as IAM roles. */
export function arnRegion(text: unknown): string | undefined {
    return parseArn(text)?.region;
}

/** The account field of an ARN; empty for global resources such as S3 buckets. */
export function arnAccountId(text: unknown): string | undefined {
    return parseArn(text)?.accountId;
}

/** The resource's last `/` segment: a role's, policy's or stream's name. */
export function arnResourceName(text: unknown): string | undefined {
    const resource = parseArn(text)?.resource;
    return resource === undefined ? undefined : resource.slice(resource.lastIndexOf("/") + 1);
}

/**
 * An IAM or STS identity: `arn:<partition>:iam::<account>:root`, `…:role/path/Name`,
 * `…:user/x`, `arn:<partition>:sts::<account>:assumed-role/Name/session`. The account is 12 digits.
 */
export function parseIdentityArn(text: unknown): (Arn & { service: "iam" | "sts" }) | undefined {
    const arn = parseArn(text);
    if (!arn || (arn.service !== "iam" && arn.service !== "sts") || arn.region !== "" || !ACCOUNT_ID.test(arn.accountId) || arn.resource === "") return undefined;
    return arn as Arn & { service: "iam" | "sts" };
}

export interface RoleArnParts {
    partition: string;
    accountId: string;
    /** `/` or `/a/b/`. */
    path: string;
    name: string;
}

/** IAM's syntax for a role's path (`/` or `/a/b/`, printable ASCII) and name (1–64 of `[\w+=,.@-]`). */
const ROLE_RESOURCE = /^role(\/(?:[\x21-\x2e\x30-\x7e]+\/)*)([\w+=,.@-]{1,64})$/;

/** A role's ARN, with its path and name checked against IAM's syntax. */
export function roleArnParts(text: unknown): RoleArnParts | undefined {
    const arn = parseIdentityArn(text);
    const match = arn?.service === "iam" ? ROLE_RESOURCE.exec(arn.resource) : null;
    if (!arn || !match) return undefined;
    return { partition: arn.partition, accountId: arn.accountId, path: match[1], name: match[2] };
}

/** An S3 ARN's bucket and key (`arn:aws:s3:::bucket/prefix/`): key is "" for the bucket itself. */
export function parseS3Arn(text: unknown): { partition: string; bucket: string; key: string } | undefined {
    const arn = parseArn(text);
    if (!arn || arn.service !== "s3" || arn.region !== "" || arn.accountId !== "") return undefined;
    const slash = arn.resource.indexOf("/");
    const bucket = slash < 0 ? arn.resource : arn.resource.slice(0, slash);
    if (bucket === "") return undefined;
    return { partition: arn.partition, bucket, key: slash < 0 ? "" : arn.resource.slice(slash + 1) };
}

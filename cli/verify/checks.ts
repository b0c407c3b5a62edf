/** The checks `verify` reports, their ids (stable: users script against them) and how a run's verdict becomes an exit code. */
import { EXIT, ExitCode } from "../exit-codes";

export type CheckStatus = "pass" | "fail" | "warn" | "skip" | "error";

export interface CheckResult {
    id: CheckId;
    /** A region code, or `global` for IAM and STS checks. */
    region: string;
    status: CheckStatus;
    message: string;
}

/** What a check concluded; the runner adds id and region. */
export interface Verdict {
    status: CheckStatus;
    message: string;
}

/** In report order: identity and trust, the role's permissions, the bucket, then each region's pipeline. */
export const GLOBAL_CHECK_IDS = [
    "caller-identity",
    "external-id-strength",
    "trust-policy",
    "assume-role-with-external-id",
    "assume-role-without-external-id",
    "assume-role-with-wrong-external-id",
    "role-permissions",
] as const;
export const BUCKET_CHECK_IDS = [
    "bucket-exists",
    "bucket-versioning",
    "bucket-lifecycle",
    "bucket-encryption",
    "bucket-public-access-block",
] as const;
export const REGION_CHECK_IDS = [
    "firehose-stream",
    "event-rule",
    "cloudtrail-trail",
    "kms-key-rotation",
    "flow-logs",
    "recent-events",
] as const;

/** `verify --deployer-role-arn` runs this check alone. */
export const DEPLOYER_CHECK_ID = "deployer-permissions";

export type CheckId = (typeof GLOBAL_CHECK_IDS)[number] | (typeof BUCKET_CHECK_IDS)[number] | (typeof REGION_CHECK_IDS)[number] | typeof DEPLOYER_CHECK_ID;
export const CHECK_IDS: readonly CheckId[] = [...GLOBAL_CHECK_IDS, ...BUCKET_CHECK_IDS, ...REGION_CHECK_IDS];

/** The `region` of checks on global services (IAM, STS), as the Agent names them. */
export { AGENT_GLOBAL_REGION as GLOBAL_REGION } from "../../model";

export function pass(message: string): Verdict { return { status: "pass", message }; }
export function fail(message: string): Verdict { return { status: "fail", message }; }
export function warn(message: string): Verdict { return { status: "warn", message }; }
export function skip(message: string): Verdict { return { status: "skip", message }; }

/** 1 when anything failed (even if other checks errored), else 3 when something could not be evaluated, else 0. */
export function verifyExitCode(results: readonly CheckResult[]): ExitCode {
    if (results.some((r) => r.status === "fail")) return EXIT.failed;
    if (results.some((r) => r.status === "error")) return EXIT.undetermined;
    return EXIT.ok;
}

/** Report order: global checks, then regions in the order given, each in check-id order. */
export function sortResults(results: readonly CheckResult[], regions: readonly string[]): CheckResult[] {
    const regionRank = (region: string) => (regions.includes(region) ? regions.indexOf(region) + 1 : 0);
    return [...results].sort((a, b) =>
        regionRank(a.region) - regionRank(b.region) || CHECK_IDS.indexOf(a.id) - CHECK_IDS.indexOf(b.id));
}

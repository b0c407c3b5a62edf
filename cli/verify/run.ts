/**
 * One verify run: establish who is calling, then the global checks, the bucket checks and every
 * region's checks at once — regions with bounded concurrency. A check that cannot read something
 * fails or errors on its own; the others still run.
 */
import { mapWithConcurrency } from "../aws/concurrency";
import {
    BUCKET_CHECK_IDS, CheckId, CheckResult, GLOBAL_CHECK_IDS, GLOBAL_REGION, REGION_CHECK_IDS, sortResults, Verdict,
} from "./checks";
import { VerifyContext, VerifyDeps } from "./context";
import { evaluate } from "./evaluate";
import { VerifyInput } from "./options";
import { assumeRoleProbes, checkExternalIdStrength, checkTrustPolicy } from "./trust-checks";
import { checkRolePermissions } from "./permission-checks";
import {
    checkBucketEncryption, checkBucketExists, checkBucketLifecycle, checkBucketPublicAccessBlock, checkBucketVersioning,
} from "./bucket-checks";
import { checkEventRule, checkFirehoseStream, checkKeyRotation } from "./pipeline-checks";
import { checkFlowLogs } from "./flow-log-checks";
import { checkCloudTrail } from "./cloudtrail-checks";
import { checkRecentEvents } from "./recent-events";

export { VerifyDeps } from "./context";

const BUCKET_CHECKS: Record<(typeof BUCKET_CHECK_IDS)[number], (ctx: VerifyContext) => Promise<Verdict>> = {
    "bucket-exists": checkBucketExists,
    "bucket-versioning": checkBucketVersioning,
    "bucket-lifecycle": checkBucketLifecycle,
    "bucket-encryption": checkBucketEncryption,
    "bucket-public-access-block": checkBucketPublicAccessBlock,
};

const REGION_CHECKS: Record<(typeof REGION_CHECK_IDS)[number], (ctx: VerifyContext, region: string) => Promise<Verdict>> = {
    "firehose-stream": checkFirehoseStream,
    "event-rule": checkEventRule,
    "cloudtrail-trail": checkCloudTrail,
    "kms-key-rotation": checkKeyRotation,
    "flow-logs": checkFlowLogs,
    "recent-events": checkRecentEvents,
};

/** Runs every check; never throws for an AWS failure (each check reports its own). */
export async function runVerify(input: VerifyInput, deps: VerifyDeps): Promise<CheckResult[]> {
    const ctx = new VerifyContext(input, deps);
    const report = (result: CheckResult): CheckResult => {
        deps.onResult?.(result);
        return result;
    };
    const run = (id: CheckId, region: string, body: () => Promise<Verdict>) => evaluate(id, region, body).then(report);

    // The caller's credentials read the role and every resource, so they must belong to the
    // role's account; if they cannot be used, nothing else can be evaluated.
    const identity = await run("caller-identity", GLOBAL_REGION, async () => {
        const caller = await ctx.callerIdentity();
        if (caller.Account !== input.role.accountId) {
            return {
                status: "error",
                message: `the credentials (${caller.Arn}) are for account ${caller.Account}, but --role-arn is in account ${input.role.accountId}: verify reads the role and the account's resources, so run it with credentials of account ${input.role.accountId}`,
            };
        }
        return { status: "pass", message: `credentials of ${caller.Arn}` };
    });
    if (identity.status !== "pass") {
        // Report every other check anyway, so a report always lists the same checks.
        const notEvaluated = (id: CheckId, region: string): CheckResult =>
            report({ id, region, status: "error", message: `not evaluated: ${identity.message}` });
        const strength = await run("external-id-strength", GLOBAL_REGION, () => checkExternalIdStrength(ctx));
        const rest = [
            ...GLOBAL_CHECK_IDS.filter((id) => id !== "caller-identity" && id !== "external-id-strength")
                .map((id) => notEvaluated(id, GLOBAL_REGION)),
            ...BUCKET_CHECK_IDS.map((id) => notEvaluated(id, input.mainRegion)),
            ...input.regions.flatMap((region) => REGION_CHECK_IDS.map((id) => notEvaluated(id, region))),
        ];
        return sortResults([identity, strength, ...rest], input.regions);
    }

    const global = Promise.all([
        run("external-id-strength", GLOBAL_REGION, () => checkExternalIdStrength(ctx)),
        run("trust-policy", GLOBAL_REGION, () => checkTrustPolicy(ctx)),
        assumeRoleProbes(ctx).then((results) => results.map(report)),
        run("role-permissions", GLOBAL_REGION, () => checkRolePermissions(ctx)),
    ]);
    const bucket = Promise.all(Object.entries(BUCKET_CHECKS).map(([id, check]) =>
        run(id as CheckId, input.mainRegion, () => check(ctx))));
    const regions = mapWithConcurrency(input.regions, input.concurrency, (region) =>
        Promise.all(Object.entries(REGION_CHECKS).map(([id, check]) => run(id as CheckId, region, () => check(ctx, region)))));

    const [globalResults, bucketResults, regionResults] = await Promise.all([global, bucket, regions]);
    return sortResults([identity, ...globalResults.flat(), ...bucketResults, ...regionResults.flat()], input.regions);
}

/**
 * StackState's manual uninstall (docs/stackstate-integration.md#uninstall) as one idempotent run, in its order: disable each region's rule
 * (found by the stream it targets; a rule that also feeds other targets only loses the stream, so
 * whatever else it serves keeps working), delete the flow logs that deliver to the bucket, wait for
 * deliveries in flight, empty the bucket of every version and delete marker, and optionally
 * delete the bucket. Each step looks at what is there now, so a rerun after an interruption
 * picks up where the last run stopped.
 */
import { DisableRuleCommand, RemoveTargetsCommand } from "@aws-sdk/client-eventbridge";
import { DeleteFlowLogsCommand } from "@aws-sdk/client-ec2";
import { DeleteBucketCommand } from "@aws-sdk/client-s3";
import { ClientFactory } from "../aws/clients";
import { mapWithConcurrency } from "../aws/concurrency";
import { awsCall, classifyAwsError, describeAwsFailure, isAwsErrorCode } from "../aws/errors";
import { UsageError } from "../exit-codes";
import { discover, FlowLogFinding, RuleFinding, TeardownPlan } from "./discover";
import { countEntries, Counts, emptyBucket, EmptyOptions, KeyError } from "./empty-bucket";
import { TeardownInput } from "./options";

export interface TeardownDeps {
    clients: ClientFactory;
    /** Asked (with the plan in words) before anything changes, unless --yes or --dry-run. */
    confirm: (plan: TeardownPlan) => Promise<boolean>;
    sleep?: (ms: number) => Promise<void>;
    progress?: (line: string) => void;
    /** Page, batch and concurrency of the bucket emptying (tests use small pages). */
    emptying?: Omit<EmptyOptions, "onProgress">;
}

export interface TeardownReport {
    account: string;
    bucket: string;
    dryRun: boolean;
    /** Rules disabled (or, in a dry run, that would be). */
    rulesDisabled: { region: string; name: string }[];
    rulesAlreadyDisabled: { region: string; name: string }[];
    /** Rules with other targets too: only the stream was removed from their targets; they keep working. */
    rulesDetached: { region: string; name: string }[];
    flowLogsDeleted: FlowLogFinding[];
    waitedSeconds: number;
    versionsDeleted: number;
    deleteMarkersDeleted: number;
    /** Whether the bucket existed when teardown looked (a rerun after --delete-bucket finds none). */
    bucketFound: boolean;
    bucketDeleted: boolean;
    /** What went wrong; empty when the run completed. */
    errors: string[];
}

/** DeleteFlowLogs takes at most this many ids per call (EC2 API reference). */
export const MAX_FLOW_LOGS_PER_DELETE = 1000;
/** Rules and flow-log batches changed at once. */
const CHANGE_CONCURRENCY = 8;

const failureText = (error: unknown) => describeAwsFailure(classifyAwsError(error));
const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** What stopping a rule means: disable a rule that only feeds the stream, detach the stream from one that feeds others too. */
export function ruleActions(rules: readonly RuleFinding[]) {
    const own = rules.filter((r) => r.otherTargets === 0);
    return {
        disable: own.filter((r) => r.enabled),
        alreadyDisabled: own.filter((r) => !r.enabled),
        detach: rules.filter((r) => r.otherTargets > 0),
    };
}

const ruleName = ({ region, name }: RuleFinding) => ({ region, name });

function emptyReport(plan: TeardownPlan, dryRun: boolean): TeardownReport {
    return {
        account: plan.account, bucket: plan.bucket, dryRun,
        rulesDisabled: [], rulesAlreadyDisabled: ruleActions(plan.rules).alreadyDisabled.map(ruleName), rulesDetached: [],
        flowLogsDeleted: [], waitedSeconds: 0, versionsDeleted: 0, deleteMarkersDeleted: 0,
        bucketFound: plan.bucketState.exists, bucketDeleted: false, errors: [],
    };
}

async function stopRules(clients: ClientFactory, rules: RuleFinding[], report: TeardownReport, progress: (line: string) => void): Promise<void> {
    const { disable, detach } = ruleActions(rules);
    await mapWithConcurrency([...disable, ...detach], CHANGE_CONCURRENCY, async (rule) => {
        const { region, name } = rule;
        const events = clients(region).events;
        try {
            if (rule.otherTargets === 0) {
                await awsCall("events:DisableRule", () => events.send(new DisableRuleCommand({ Name: name })));
                report.rulesDisabled.push({ region, name });
                progress(`disabled rule ${name} in ${region}`);
                return;
            }
            const out = await awsCall("events:RemoveTargets", () => events.send(new RemoveTargetsCommand({ Rule: name, Ids: rule.streamTargetIds })));
            const failed = out.FailedEntries ?? [];
            if (failed.length > 0) {
                report.errors.push(`rule ${name} in ${region}: the stream could not be removed from its targets (${failed.map((f) => f.ErrorMessage ?? f.ErrorCode).join("; ")})`);
                return;
            }
            report.rulesDetached.push({ region, name });
            progress(`removed the stream from the targets of rule ${name} in ${region} (its ${rule.otherTargets} other target${rule.otherTargets === 1 ? "" : "s"} kept)`);
        } catch (error) {
            report.errors.push(`rule ${name} in ${region}: ${failureText(error)}`);
        }
    });
}

async function deleteFlowLogs(clients: ClientFactory, flowLogs: FlowLogFinding[], report: TeardownReport, progress: (line: string) => void): Promise<void> {
    const batches: FlowLogFinding[][] = [];
    for (const region of new Set(flowLogs.map((f) => f.region))) {
        const ofRegion = flowLogs.filter((f) => f.region === region);
        for (let i = 0; i < ofRegion.length; i += MAX_FLOW_LOGS_PER_DELETE) batches.push(ofRegion.slice(i, i + MAX_FLOW_LOGS_PER_DELETE));
    }
    await mapWithConcurrency(batches, CHANGE_CONCURRENCY, async (batch) => {
        const region = batch[0].region;
        try {
            const out = await awsCall("ec2:DeleteFlowLogs",
                () => clients(region).ec2.send(new DeleteFlowLogsCommand({ FlowLogIds: batch.map((f) => f.id) })));
            const refused = new Map((out.Unsuccessful ?? []).map((u) => [u.ResourceId, u.Error?.Message ?? u.Error?.Code ?? "refused"]));
            for (const flowLog of batch) {
                const why = refused.get(flowLog.id);
                if (why === undefined) {
                    report.flowLogsDeleted.push(flowLog);
                    progress(`deleted flow log ${flowLog.id} (${flowLog.resourceId ?? "unknown resource"}) in ${region}`);
                } else {
                    report.errors.push(`flow log ${flowLog.id} in ${region}: ${why}`);
                }
            }
        } catch (error) {
            report.errors.push(`flow logs ${batch.map((f) => f.id).join(", ")} in ${region}: ${failureText(error)}`);
        }
    });
}

function keyErrorText(errors: KeyError[]): string {
    const shown = errors.slice(0, 5).map((e) => `${e.key}${e.versionId ? ` (version ${e.versionId})` : ""}: ${e.code} ${e.message}`.trim());
    return `${errors.length} object version${errors.length === 1 ? "" : "s"} could not be deleted: ${shown.join("; ")}${errors.length > 5 ? "; ..." : ""}`;
}

export interface TeardownOutcome {
    /** What was found before anything changed. */
    plan: TeardownPlan;
    report: TeardownReport;
}

/** Discovers, refuses or asks, then changes the account; never throws for an AWS failure after discovery. */
export async function runTeardown(input: TeardownInput, deps: TeardownDeps): Promise<TeardownOutcome> {
    const progress = deps.progress ?? (() => undefined);
    const plan = await discover(input, deps.clients);
    if (plan.refusals.length > 0) {
        throw new UsageError(`refusing to tear down account ${input.account}, nothing was changed:\n${plan.refusals.map((r) => `  - ${r}`).join("\n")}`);
    }
    const report = emptyReport(plan, input.dryRun);
    const bucketRegion = plan.bucketState.exists ? plan.bucketState.region : undefined;

    if (input.dryRun) {
        const rules = ruleActions(plan.rules);
        report.rulesDisabled = rules.disable.map(ruleName);
        report.rulesDetached = rules.detach.map(ruleName);
        report.flowLogsDeleted = plan.flowLogs;
        report.waitedSeconds = input.waitSeconds;
        if (bucketRegion) {
            const counts: Counts = await countEntries(deps.clients(bucketRegion).s3, plan.bucket, deps.emptying?.pageSize);
            report.versionsDeleted = counts.versions;
            report.deleteMarkersDeleted = counts.deleteMarkers;
            report.bucketDeleted = input.deleteBucket;
        }
        return { plan, report };
    }

    if (!input.yes && !(await deps.confirm(plan))) {
        throw new UsageError("teardown cancelled, nothing was changed");
    }

    await stopRules(deps.clients, plan.rules, report, progress);
    await deleteFlowLogs(deps.clients, plan.flowLogs, report, progress);
    if (report.errors.length > 0) {
        report.errors.push("stopped before emptying the bucket: its sources are not all stopped; fix the errors above and rerun");
        return { plan, report };
    }

    if (!bucketRegion) return { plan, report };
    if (input.waitSeconds > 0) {
        progress(`waiting ${input.waitSeconds} s for deliveries in flight`);
        await (deps.sleep ?? defaultSleep)(input.waitSeconds * 1000);
        report.waitedSeconds = input.waitSeconds;
    }

    const s3 = deps.clients(bucketRegion).s3;
    progress(`emptying bucket ${plan.bucket}`);
    const emptied = await emptyBucket(s3, plan.bucket, {
        ...deps.emptying,
        onProgress: (deleted) => progress(`removed ${deleted.versions} versions and ${deleted.deleteMarkers} delete markers so far`),
    });
    report.versionsDeleted = emptied.deleted.versions;
    report.deleteMarkersDeleted = emptied.deleted.deleteMarkers;
    if (emptied.keyErrors.length > 0) report.errors.push(keyErrorText(emptied.keyErrors));
    if (emptied.stoppedBy) report.errors.push(`emptying stopped: ${emptied.stoppedBy}; rerun to finish`);

    if (input.deleteBucket && report.errors.length === 0) {
        try {
            await awsCall("s3:DeleteBucket", () => s3.send(new DeleteBucketCommand({ Bucket: plan.bucket })));
            report.bucketDeleted = true;
            progress(`deleted bucket ${plan.bucket}`);
        } catch (error) {
            report.errors.push(isAwsErrorCode(error, "BucketNotEmpty")
                ? `bucket ${plan.bucket} is not empty: objects arrived while it was emptied; rerun`
                : `bucket ${plan.bucket}: ${failureText(error)}`);
        }
    }
    return { plan, report };
}

/** Everything `teardown` shows a user: the plan (dry run and confirmation), the outcome, and the JSON document. */
import { RuleFinding, TeardownPlan } from "./discover";
import { TeardownInput } from "./options";
import { ruleActions, TeardownReport } from "./run";

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The steps a run would take, numbered as StackState's uninstall steps are. `counts` only in a dry run. */
export function renderPlan(plan: TeardownPlan, input: TeardownInput, counts?: { versions: number; deleteMarkers: number }): string {
    const { disable, alreadyDisabled, detach } = ruleActions(plan.rules);
    const named = (rules: RuleFinding[]) => rules.map((r) => `${r.name} (${r.region})`).join(", ");
    const steps: string[] = [];
    steps.push(disable.length > 0
        ? `disable ${plural(disable.length, "EventBridge rule")} targeting the stream: ${named(disable)}`
        : "disable EventBridge rules targeting the stream: none enabled");
    if (alreadyDisabled.length > 0) steps[0] += ` [already disabled: ${named(alreadyDisabled)}]`;
    if (detach.length > 0) steps[0] += `; remove the stream from the targets of ${named(detach)}, which ${detach.length === 1 ? "has" : "have"} other targets and stay${detach.length === 1 ? "s" : ""} enabled`;
    steps.push(plan.flowLogs.length > 0
        ? `delete ${plural(plan.flowLogs.length, "flow log")} delivering to ${plan.bucket}: ${plan.flowLogs.map((f) => `${f.id} (${f.resourceId ?? "?"}, ${f.region})`).join(", ")}`
        : `delete flow logs delivering to ${plan.bucket}: none`);
    if (plan.bucketState.exists) {
        steps.push(`wait ${input.waitSeconds} s for deliveries in flight`);
        steps.push(`delete every object version and delete marker in ${plan.bucket}${counts ? ` (${plural(counts.versions, "version")}, ${plural(counts.deleteMarkers, "delete marker")})` : ""}`);
        if (input.deleteBucket) steps.push(`delete the bucket ${plan.bucket}`);
    } else {
        steps.push(`bucket ${plan.bucket} does not exist: nothing to empty`);
    }
    const heading = `Teardown of StackState's AWS integration in account ${plan.account} (regions ${input.regions.join(", ")}):`;
    return `${heading}\n${steps.map((s, i) => `  ${i + 1}. ${s}`).join("\n")}\n`;
}

export function renderOutcome(report: TeardownReport): string {
    const lines = [
        `${plural(report.rulesDisabled.length, "rule")} disabled${report.rulesAlreadyDisabled.length > 0 ? ` (${report.rulesAlreadyDisabled.length} already disabled)` : ""}`,
        ...(report.rulesDetached.length > 0 ? [`the stream removed from ${plural(report.rulesDetached.length, "rule")} with other targets: ${report.rulesDetached.map((r) => `${r.name} (${r.region})`).join(", ")}`] : []),
        `${plural(report.flowLogsDeleted.length, "flow log")} deleted`,
        `${plural(report.versionsDeleted, "object version")} and ${plural(report.deleteMarkersDeleted, "delete marker")} removed from ${report.bucket}`,
        report.bucketDeleted ? `bucket ${report.bucket} deleted`
            : report.bucketFound ? `bucket ${report.bucket} kept` : `bucket ${report.bucket} does not exist`,
    ];
    const errors = report.errors.map((e) => `error: ${e}`);
    const verdict = report.errors.length === 0 ? "Teardown complete." : "Teardown incomplete: rerun the same command to finish.";
    return `${[...lines, ...errors].join("\n")}\n${verdict}\n`;
}

/** The `--json` document: the report as is (in a dry run, what would be done). */
export function renderJson(report: TeardownReport): string {
    return `${JSON.stringify(report, null, 2)}\n`;
}

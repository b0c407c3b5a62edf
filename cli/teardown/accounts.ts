/**
 * `teardown --config FILE` / `teardown --accounts FILE`: the single-account teardown in every
 * account, through the deploy role assumed there. Nothing changes anywhere until every account
 * has been reached and looked at: a role that cannot be assumed, an account that cannot be read
 * or a refusal (a bucket this package did not create) stops the run before its first change.
 * After that, one account's failure never stops the others.
 */
import { ClientFactory } from "../aws/clients";
import { classifyAwsError, describeAwsFailure } from "../aws/errors";
import { parseIntegerFlag, parseTimeout } from "../aws/input";
import { EXIT, ExitCode, UsageError } from "../exit-codes";
import { assumedRoleCredentials, CredentialsProvider, forEachAccount } from "../org/assume";
import { AccountTarget, readTargets } from "../org/targets";
import { discover, TeardownPlan } from "./discover";
import { DEFAULT_WAIT_SECONDS, TeardownFlags, TeardownInput } from "./options";
import { renderOutcome, renderPlan } from "./render";
import { runTeardown, TeardownDeps, TeardownReport } from "./run";

export const DEFAULT_TEARDOWN_ACCOUNT_CONCURRENCY = 4;

export interface AccountsTeardownDeps extends Pick<TeardownDeps, "sleep" | "emptying"> {
    base: ClientFactory;
    clientsWith: (credentials: CredentialsProvider, accountId: string) => ClientFactory & { destroy?(): void };
    /** Asked once, with every account's plan, unless --yes or --dry-run. */
    confirm: (planText: string) => Promise<boolean>;
    progress?: (line: string) => void;
}

export interface AccountsTeardownInput {
    targets: AccountTarget[];
    dryRun: boolean;
    yes: boolean;
    deleteBucket: boolean;
    waitSeconds: number;
    accountConcurrency: number;
    /** Per attempt of each AWS call (`--timeout`). */
    timeoutSeconds: number;
}

export interface AccountTeardownOutcome {
    accountId: string;
    /** done: nothing left to do; incomplete: rerun to finish; failed: the run broke off. */
    status: "done" | "incomplete" | "failed";
    report?: TeardownReport;
    errors: string[];
}

export function parseAccountsTeardownFlags(flags: TeardownFlags, interactive: boolean): AccountsTeardownInput {
    if (flags.account !== undefined) throw new UsageError("--account names one account; with --config or --accounts the accounts come from the file");
    const problems: string[] = [];
    const wait = flags.wait === undefined ? { value: DEFAULT_WAIT_SECONDS, problems: [] } : parseIntegerFlag("--wait", flags.wait, 0, 3600);
    const concurrency = flags.accountConcurrency === undefined
        ? { value: DEFAULT_TEARDOWN_ACCOUNT_CONCURRENCY, problems: [] }
        : parseIntegerFlag("--account-concurrency", flags.accountConcurrency, 1, 32);
    const timeout = parseTimeout(flags.timeout);
    problems.push(...wait.problems, ...concurrency.problems, ...timeout.problems);
    if (!flags.dryRun && !flags.yes && !interactive) {
        problems.push("refusing to delete without confirmation: stdin is not a terminal, so pass --yes (or --dry-run to see what would be deleted)");
    }
    if (problems.length > 0) throw new UsageError(`invalid input, nothing was changed:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    return {
        targets: readTargets(flags),
        dryRun: Boolean(flags.dryRun), yes: Boolean(flags.yes), deleteBucket: Boolean(flags.deleteBucket),
        waitSeconds: wait.value as number, accountConcurrency: concurrency.value as number, timeoutSeconds: timeout.value as number,
    };
}

const inputFor = (target: AccountTarget, input: AccountsTeardownInput): TeardownInput => ({
    account: target.accountId,
    // The bucket lives in the main region, which discovery looks in first.
    regions: [target.mainRegion, ...target.regions.filter((r) => r !== target.mainRegion)],
    dryRun: input.dryRun, yes: true, deleteBucket: input.deleteBucket, waitSeconds: input.waitSeconds, timeoutSeconds: input.timeoutSeconds,
    ...(target.names ? { names: target.names } : {}),
});

interface Reached {
    target: AccountTarget;
    clients: ClientFactory & { destroy?(): void };
    plan: TeardownPlan;
}

/** Every account reached and looked at, or the reasons (all of them) not to start. */
async function reachAll(input: AccountsTeardownInput, deps: AccountsTeardownDeps): Promise<{ reached: Reached[]; refusals: string[] }> {
    const refusals: string[] = [];
    const reached = await forEachAccount(input.targets, input.accountConcurrency, async (target): Promise<Reached | undefined> => {
        let clients: ClientFactory & { destroy?(): void } = deps.base;
        if (target.accessRoleArn !== undefined) {
            const credentials = assumedRoleCredentials(deps.base(target.mainRegion).sts, target.accessRoleArn, "stackstate-aws-teardown");
            try {
                await credentials();
            } catch (error) {
                refusals.push(`account ${target.accountId}: could not assume ${target.accessRoleArn}: ${describeAwsFailure(classifyAwsError(error))}`);
                return undefined;
            }
            clients = deps.clientsWith(credentials, target.accountId);
        }
        const plan = await discover(inputFor(target, input), clients);
        refusals.push(...plan.refusals.map((r) => `account ${target.accountId}: ${r}`));
        return { target, clients, plan };
    }, (target, error) => {
        refusals.push(`account ${target.accountId}: could not be read: ${describeAwsFailure(classifyAwsError(error))}`);
        return undefined;
    });
    return { reached: reached.filter((r): r is Reached => r !== undefined), refusals };
}

export async function runAccountsTeardown(input: AccountsTeardownInput, deps: AccountsTeardownDeps): Promise<AccountTeardownOutcome[]> {
    const progress = deps.progress ?? (() => undefined);
    const { reached, refusals } = await reachAll(input, deps);
    try {
        if (refusals.length > 0) {
            throw new UsageError(`refusing to tear down ${input.targets.length} accounts, nothing was changed in any:\n${refusals.map((r) => `  - ${r}`).join("\n")}`);
        }
        if (!input.dryRun && !input.yes) {
            const text = reached.map((r) => renderPlan(r.plan, inputFor(r.target, input))).join("\n");
            if (!(await deps.confirm(text))) throw new UsageError("teardown cancelled, nothing was changed");
        }
        return await forEachAccount(reached, input.accountConcurrency, async ({ target, clients }): Promise<AccountTeardownOutcome> => {
            const { report } = await runTeardown(inputFor(target, input), {
                clients,
                confirm: async () => true,
                sleep: deps.sleep,
                emptying: deps.emptying,
                progress: (line) => progress(`${target.accountId}: ${line}`),
            });
            return { accountId: target.accountId, status: report.errors.length === 0 ? "done" : "incomplete", report, errors: report.errors };
        }, ({ target }, error) => ({
            accountId: target.accountId, status: "failed",
            errors: [error instanceof UsageError ? error.message : describeAwsFailure(classifyAwsError(error))],
        }));
    } finally {
        for (const r of reached) if (r.clients !== deps.base) r.clients.destroy?.();
    }
}

export function accountsTeardownExitCode(outcomes: readonly AccountTeardownOutcome[]): ExitCode {
    return outcomes.every((o) => o.status === "done") ? EXIT.ok : EXIT.failed;
}

/** `{ "accounts": [{ "accountId", "status", "report", "errors" }] }` */
export function renderAccountsTeardownJson(outcomes: readonly AccountTeardownOutcome[]): string {
    return `${JSON.stringify({ accounts: outcomes }, null, 2)}\n`;
}

export function renderAccountsTeardownHuman(outcomes: readonly AccountTeardownOutcome[], dryRun: boolean): string {
    const header = ["ACCOUNT", "STATUS", "RULES", "FLOW LOGS", "VERSIONS", "BUCKET"];
    const rows = outcomes.map((o) => [
        o.accountId, dryRun && o.status === "done" ? "dry run" : o.status,
        String((o.report?.rulesDisabled.length ?? 0) + (o.report?.rulesDetached.length ?? 0)),
        String(o.report?.flowLogsDeleted.length ?? 0),
        String((o.report?.versionsDeleted ?? 0) + (o.report?.deleteMarkersDeleted ?? 0)),
        o.report?.bucketDeleted ? "deleted" : "kept",
    ]);
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const table = [header, ...rows].map((cells) => cells.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd()).join("\n");
    const details = outcomes.filter((o) => o.status !== "done")
        .map((o) => `\nAccount ${o.accountId}:\n${o.report ? renderOutcome(o.report) : `${o.errors.map((e) => `error: ${e}`).join("\n")}\n`}`);
    const verdict = dryRun
        ? "Dry run: nothing was changed."
        : outcomes.every((o) => o.status === "done") ? "Teardown complete in every account." : "Teardown incomplete: rerun the same command to finish.";
    return `${table}\n${details.join("")}\n${verdict}\n`;
}

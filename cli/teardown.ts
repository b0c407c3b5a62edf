/** `stackstate-aws teardown`: StackState's manual uninstall as one idempotent command (see docs/verify-teardown.md). */
import { CommandError, EXIT, ExitCode, UsageError } from "./exit-codes";
import { classifyAwsError, describeAwsFailure } from "./aws/errors";
import { ClientFactory, sdkClientFactory } from "./aws/clients";
import { CommandIo, processIo } from "./command-io";
import { askOnTerminal } from "./teardown/confirm";
import { parseTeardownFlags, TeardownFlags } from "./teardown/options";
import { renderJson, renderOutcome, renderPlan } from "./teardown/render";
import { runTeardown, TeardownDeps } from "./teardown/run";
import {
    accountsTeardownExitCode, AccountsTeardownDeps, parseAccountsTeardownFlags, renderAccountsTeardownHuman,
    renderAccountsTeardownJson, runAccountsTeardown,
} from "./teardown/accounts";

export interface TeardownEnvironment {
    io: CommandIo;
    /** Whether stdin is a terminal a human can answer a prompt on. */
    interactive: boolean;
    makeClients: (options: { timeoutMs: number }) => ClientFactory & { destroy?(): void };
    confirm: (planText: string) => Promise<boolean>;
    sleep?: TeardownDeps["sleep"];
    emptying?: TeardownDeps["emptying"];
    /** With --config or --accounts: clients signing with an account's assumed-role credentials. */
    clientsWith?: AccountsTeardownDeps["clientsWith"];
}

const processEnvironment = (): TeardownEnvironment => ({
    io: processIo,
    interactive: Boolean(process.stdin.isTTY),
    makeClients: ({ timeoutMs }) => sdkClientFactory({ timeoutMs }),
    confirm: askOnTerminal,
});

export async function teardownCommand(flags: TeardownFlags, env: TeardownEnvironment = processEnvironment()): Promise<ExitCode> {
    if (flags.config !== undefined || flags.accounts !== undefined) return teardownAccounts(flags, env);
    const input = parseTeardownFlags(flags, env.interactive);
    const clients = env.makeClients({ timeoutMs: input.timeoutSeconds * 1000 });
    try {
        const outcome = await runTeardown(input, {
            clients,
            confirm: (plan) => env.confirm(renderPlan(plan, input)),
            sleep: env.sleep,
            emptying: env.emptying,
            progress: (line) => env.io.stderr(`${line}\n`),
        }).catch((error: unknown) => {
            // Discovery (or a dry run's count) could not read the account: nothing was changed.
            if (error instanceof UsageError) throw error;
            const failure = classifyAwsError(error);
            // A denial is an answer (exit 1); no answer at all (timeout, unreachable, throttled) is "could not decide".
            throw new CommandError(`${describeAwsFailure(failure)}; nothing was changed`, failure.kind === "denied" ? EXIT.failed : EXIT.undetermined);
        });
        const { plan, report } = outcome;
        if (flags.json) {
            env.io.stdout(renderJson(report));
        } else if (report.dryRun) {
            const counts = { versions: report.versionsDeleted, deleteMarkers: report.deleteMarkersDeleted };
            env.io.stdout(`Dry run: nothing was changed.\n${renderPlan(plan, input, counts)}`);
        } else {
            env.io.stdout(renderOutcome(report));
        }
        return report.errors.length === 0 ? EXIT.ok : EXIT.failed;
    } finally {
        clients.destroy?.();
    }
}


/** `teardown --config` / `--accounts`: every account, through the deploy role assumed in each (teardown/accounts.ts). */
async function teardownAccounts(flags: TeardownFlags, env: TeardownEnvironment): Promise<ExitCode> {
    const input = parseAccountsTeardownFlags(flags, env.interactive);
    const timeoutMs = input.timeoutSeconds * 1000;
    const base = env.makeClients({ timeoutMs });
    try {
        const outcomes = await runAccountsTeardown(input, {
            base,
            clientsWith: env.clientsWith ?? ((credentials) => sdkClientFactory({ credentials, timeoutMs })),
            confirm: env.confirm,
            sleep: env.sleep,
            emptying: env.emptying,
            progress: (line) => env.io.stderr(`${line}\n`),
        });
        env.io.stdout(flags.json ? renderAccountsTeardownJson(outcomes) : renderAccountsTeardownHuman(outcomes, input.dryRun));
        return accountsTeardownExitCode(outcomes);
    } finally {
        base.destroy?.();
    }
}

/** `stackstate-aws verify`: check that a live account is wired for StackState (see docs/verify-teardown.md). */
import { ExitCode, UsageError } from "./exit-codes";
import { ClientFactory, sdkClientFactory } from "./aws/clients";
import { BUCKET_CHECK_IDS, GLOBAL_CHECK_IDS, REGION_CHECK_IDS, verifyExitCode } from "./verify/checks";
import { parseVerifyFlags, VerifyFlags } from "./verify/options";
import { progressLine, renderHuman, renderJson } from "./verify/render";
import { runVerify, VerifyDeps } from "./verify/run";
import {
    accountsExitCode, AccountsVerifyDeps, parseAccountsVerifyFlags, renderAccountsHuman, renderAccountsJson, runAccountsVerify,
} from "./verify/accounts";
import { LABELS } from "./verify/render";
import { CommandIo, processIo } from "./command-io";

/** Runs verify and returns its exit code; `makeClients` lets tests hand in other clients. */
export async function verifyCommand(
    flags: VerifyFlags,
    io: CommandIo = processIo,
    makeClients: (profile?: string, timeoutMs?: number) => ClientFactory & { destroy?(): void } = (profile, timeoutMs) => sdkClientFactory({ profile, timeoutMs }),
    extra: Pick<VerifyDeps, "actionCatalog" | "now"> & Partial<Pick<AccountsVerifyDeps, "clientsWith">> = {},
): Promise<ExitCode> {
    if (flags.deployerRoleArn !== undefined) {
        return (await import("./verify/deployer")).verifyDeployerCommand(flags, io, () => makeClients());
    }
    if (flags.config !== undefined || flags.accounts !== undefined) return verifyAccounts(flags, io, makeClients, extra);
    const input = parseVerifyFlags(flags);
    const timeoutMs = input.timeoutSeconds * 1000;
    const clients = makeClients(undefined, timeoutMs);
    const agentClients = input.agentProfile !== undefined ? makeClients(input.agentProfile, timeoutMs) : undefined;
    const total = GLOBAL_CHECK_IDS.length + BUCKET_CHECK_IDS.length + REGION_CHECK_IDS.length * input.regions.length;
    let done = 0;
    io.stderr(`Verifying ${input.role.arn} in ${input.regions.join(", ")} (main region ${input.mainRegion})\n`);
    try {
        const results = await runVerify(input, {
            ...extra,
            clients,
            agentClients,
            onResult: (result) => io.stderr(progressLine(result, ++done, total)),
        });
        io.stdout(flags.json ? renderJson(results) : renderHuman(results, `StackState AWS integration of ${input.role.arn}`));
        return verifyExitCode(results);
    } finally {
        clients.destroy?.();
        agentClients?.destroy?.();
    }
}


/** `verify --config` / `--accounts`: every account, through the role assumed in each (verify/accounts.ts). */
async function verifyAccounts(
    flags: VerifyFlags,
    io: CommandIo,
    makeClients: (profile?: string, timeoutMs?: number) => ClientFactory & { destroy?(): void },
    extra: Pick<VerifyDeps, "actionCatalog" | "now"> & Partial<Pick<AccountsVerifyDeps, "clientsWith">>,
): Promise<ExitCode> {
    const input = parseAccountsVerifyFlags(flags);
    if (flags.agentProfile !== undefined && flags.agentProfile.trim() === "") throw new UsageError("--agent-profile must name a profile");
    const timeoutMs = input.timeoutSeconds * 1000;
    const base = makeClients(undefined, timeoutMs);
    const agentClients = flags.agentProfile !== undefined ? makeClients(flags.agentProfile, timeoutMs) : undefined;
    io.stderr(`Verifying ${input.targets.length} accounts, ${input.accountConcurrency} at once\n`);
    try {
        const verdicts = await runAccountsVerify(input, {
            base,
            agentClients,
            clientsWith: extra.clientsWith ?? ((credentials) => sdkClientFactory({ credentials, timeoutMs })),
            actionCatalog: extra.actionCatalog,
            now: extra.now,
            onAccount: (v, done, total) => io.stderr(`[${String(done).padStart(String(total).length)}/${total}] ${v.accountId} ${LABELS[v.status]}\n`),
        });
        io.stdout(flags.json ? renderAccountsJson(verdicts) : renderAccountsHuman(verdicts));
        return accountsExitCode(verdicts);
    } finally {
        base.destroy?.();
        agentClients?.destroy?.();
    }
}

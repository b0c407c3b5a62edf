/** `stackstate-aws verify`: check that a live account is wired for StackState (see docs/verify-teardown.md). */
import { ExitCode } from "./exit-codes";
import { ClientFactory, sdkClientFactory } from "./aws/clients";
import { BUCKET_CHECK_IDS, GLOBAL_CHECK_IDS, REGION_CHECK_IDS, verifyExitCode } from "./verify/checks";
import { parseVerifyFlags, VerifyFlags } from "./verify/options";
import { progressLine, renderHuman, renderJson } from "./verify/render";
import { runVerify, VerifyDeps } from "./verify/run";

export interface CommandIo {
    stdout: (text: string) => void;
    stderr: (text: string) => void;
}

const processIo: CommandIo = {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
};

/** Runs verify and returns its exit code; `makeClients` lets tests hand in other clients. */
export async function verifyCommand(
    flags: VerifyFlags,
    io: CommandIo = processIo,
    makeClients: (profile?: string, timeoutMs?: number) => ClientFactory & { destroy?(): void } = (profile, timeoutMs) => sdkClientFactory({ profile, timeoutMs }),
    extra: Pick<VerifyDeps, "actionCatalog" | "now"> = {},
): Promise<ExitCode> {
    if (flags.deployerRoleArn !== undefined) {
        return (await import("./verify/deployer")).verifyDeployerCommand(flags, io, () => makeClients());
    }
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


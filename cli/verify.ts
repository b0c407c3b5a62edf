/** `stackstate-aws verify`: check that a live account is wired for StackState (see docs/verify-teardown.md). */
import { Command } from "commander";
import { ExitCode } from "./exit-codes";
import { ClientFactory, sdkClientFactory } from "./aws/clients";
import { BUCKET_CHECK_IDS, GLOBAL_CHECK_IDS, REGION_CHECK_IDS, verifyExitCode } from "./verify/checks";
import { parseVerifyFlags, VerifyFlags, DEFAULT_REGION_CONCURRENCY } from "./verify/options";
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
    makeClients: (profile?: string) => ClientFactory & { destroy?(): void } = (profile) => sdkClientFactory({ profile }),
    extra: Pick<VerifyDeps, "actionCatalog" | "now"> = {},
): Promise<ExitCode> {
    const input = parseVerifyFlags(flags);
    const clients = makeClients();
    const agentClients = input.agentProfile !== undefined ? makeClients(input.agentProfile) : undefined;
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

export function registerVerify(program: Command): void {
    program
        .command("verify")
        .description("Check that a live AWS account is wired for StackState: role trust and permissions, the logs bucket, and each region's event pipeline.")
        .option("--role-arn <arn>", "ARN of the integration role, e.g. arn:aws:iam::123456789012:role/StackStateAwsIntegrationRole")
        .option("--external-id <id>", "the ExternalId the Agent presents")
        .option("--regions <list>", "comma-separated regions the account captures, e.g. eu-west-1,us-east-1")
        .option("--main-region <region>", "region of the logs bucket (default: the first of --regions)")
        .option("--agent-profile <profile>", "AWS profile of a principal the role trusts (the Agent's), for the AssumeRole probes")
        .option("--concurrency <n>", `regions checked at once (default ${DEFAULT_REGION_CONCURRENCY})`)
        .option("--json", "print { checks: [{ id, region, status, message }] }")
        .action(async (flags: VerifyFlags) => {
            process.exitCode = await verifyCommand(flags);
        });
}

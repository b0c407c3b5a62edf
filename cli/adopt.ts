/** `stackstate-aws adopt`: move an installed CloudFormation template under Pulumi without recreating it (docs/adopt.md). */
import * as fs from "fs";
import * as path from "path";
import { EXIT, ExitCode } from "./exit-codes";
import { classifyAwsError, describeAwsFailure } from "./aws/errors";
import { ClientFactory, sdkClientFactory } from "./aws/clients";
import { CommandIo, processIo } from "./command-io";
import { AdoptFlags, parseAdoptFlags } from "./adopt/options";
import { runAdopt } from "./adopt/run";
import { IMPORT_FILE, renderJson, renderReport, renderStackConfig, REPORT_FILE, stackConfigFileName } from "./adopt/render";
import { renderRetain, retainAndDelete } from "./adopt/retain";

export interface AdoptEnvironment {
    io: CommandIo;
    makeClients: (options: { timeoutMs: number }) => ClientFactory & { destroy?(): void };
    /** Pause between polls of a stack operation. */
    sleep?: (ms: number) => Promise<void>;
}

const processEnvironment = (): AdoptEnvironment => ({
    io: processIo,
    makeClients: ({ timeoutMs }) => sdkClientFactory({ timeoutMs }),
});

export async function adoptCommand(flags: AdoptFlags, env: AdoptEnvironment = processEnvironment()): Promise<ExitCode> {
    const input = parseAdoptFlags(flags);
    const clients = env.makeClients({ timeoutMs: input.timeoutSeconds * 1000 });
    const progress = (line: string) => env.io.stderr(`${line}\n`);
    try {
        const outcome = await runAdopt(input, clients, progress).catch((error: unknown) => {
            env.io.stderr(`error: ${describeAwsFailure(classifyAwsError(error))}; nothing was written\n`);
            return undefined;
        });
        if (!outcome) return EXIT.undetermined;
        const report = renderReport(outcome, input);
        if (outcome.problems.length > 0 || !outcome.importFile) {
            env.io.stdout(input.json ? renderJson(outcome, input) : report);
            return EXIT.failed;
        }
        fs.mkdirSync(input.outDir, { recursive: true });
        fs.writeFileSync(path.join(input.outDir, IMPORT_FILE), `${JSON.stringify(outcome.importFile, null, 2)}\n`);
        fs.writeFileSync(path.join(input.outDir, stackConfigFileName(outcome.pulumiStack)), renderStackConfig(outcome, input));
        // The written report never holds the secret, whatever --show-secrets says.
        fs.writeFileSync(path.join(input.outDir, REPORT_FILE), renderReport(outcome, { ...input, showSecrets: false }));
        if (!input.retain) {
            env.io.stdout(input.json ? renderJson(outcome, input) : report);
            return EXIT.ok;
        }
        const retained = await retainAndDelete(outcome, input, clients, { progress, sleep: env.sleep });
        env.io.stdout(input.json ? renderJson(outcome, input, retained) : `${report}\n${renderRetain(retained)}`);
        return retained.every((r) => r.ok) ? EXIT.ok : EXIT.failed;
    } finally {
        clients.destroy?.();
    }
}

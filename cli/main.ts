/** The `stackstate-aws` command line: commands are declared in commands.ts, each implemented in its own module. */
import { Command, CommanderError } from "commander";
import { EXIT, UsageError } from "./exit-codes";
import { COMMANDS } from "./commands";

export function buildProgram(): Command {
    const program = new Command("stackstate-aws")
        .description("Onboard AWS accounts into StackState's AWS (V2) integration.")
        .version((require("../package.json") as { version: string }).version)
        .showHelpAfterError()
        .exitOverride();
    for (const register of COMMANDS) register(program);
    program.commands.forEach((command) => command.exitOverride());
    return program;
}

/** Runs the CLI; sets process.exitCode rather than exiting so that output is flushed. */
export async function main(argv: string[]): Promise<void> {
    try {
        await buildProgram().parseAsync(argv);
    } catch (error) {
        if (error instanceof CommanderError) {
            // Help and version exit 0; every other commander error is a usage error.
            process.exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.badInput;
        } else if (error instanceof UsageError) {
            process.stderr.write(`error: ${error.message}\n`);
            process.exitCode = EXIT.badInput;
        } else {
            process.stderr.write(`error: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
            process.exitCode = EXIT.failed;
        }
    }
}

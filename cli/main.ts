/** The `stackstate-aws` command line: commands are declared in commands.ts, each implemented in its own module. */
import { Command, CommanderError } from "commander";
import { EXIT, exitOf } from "./exit-codes";
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

/**
 * A reader that stops early (`plan | head`) closes the pipe: there is nobody left to tell
 * anything, so end quietly instead of with an EPIPE stack trace.
 */
function quietOnClosedPipe(stream: NodeJS.WriteStream): void {
    stream.on("error", (error: NodeJS.ErrnoException) => {
        if (error.code !== "EPIPE") throw error;
        process.exit(process.exitCode ?? EXIT.ok);
    });
}

/** Runs the CLI; sets process.exitCode rather than exiting so that output is flushed. */
export async function main(argv: string[]): Promise<void> {
    quietOnClosedPipe(process.stdout);
    quietOnClosedPipe(process.stderr);
    // With --json, stdout is for programs: an error there too, so they never read an empty document.
    const json = argv.slice(2).includes("--json");
    const fail = (message: string, code: number, printed = false) => {
        if (!printed) process.stderr.write(`error: ${message}\n`);
        if (json) process.stdout.write(`${JSON.stringify({ error: message.replace(/^error: /, "") }, null, 2)}\n`);
        process.exitCode = code;
    };
    try {
        await buildProgram().parseAsync(argv);
    } catch (error) {
        if (error instanceof CommanderError) {
            // Help and version exit 0; every other commander error is a usage error (commander printed it).
            if (error.exitCode === 0) process.exitCode = EXIT.ok;
            else fail(error.message, EXIT.badInput, true);
        } else {
            const { message, code } = exitOf(error);
            fail(message, code);
        }
    }
}

import { OfflineError, PolicyConfigInvalidError } from "../offline/errors";

/** Exit codes are part of the CLI contract (README.md's command table, each command's --help); scripts depend on them. */
export const EXIT = {
    ok: 0,
    /** A check failed or the policy pack found a mandatory violation. */
    failed: 1,
    /** Bad input: nothing was changed. */
    badInput: 2,
    /** Nothing failed, but some checks could not be evaluated. */
    undetermined: 3,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/**
 * A command ending with a message and an exit code. The CLI prints `error: <message>` on stderr,
 * and with --json also `{ "error": "<message>" }` on stdout, so a script reading stdout sees why.
 */
export class CommandError extends Error {
    constructor(message: string, readonly exitCode: ExitCode) {
        super(message);
        this.name = "CommandError";
    }
}

/** Thrown for input the user must fix; the CLI prints the message and exits 2. */
export class UsageError extends CommandError {
    constructor(message: string) {
        super(message, EXIT.badInput);
        this.name = "UsageError";
    }
}

/**
 * The one place an error becomes an exit code and a message. Library code (offline/) throws its
 * own classes and knows nothing of exit codes; anything else unexpected is a bug, shown with its
 * stack.
 */
export function exitOf(error: unknown): { code: ExitCode; message: string } {
    if (error instanceof CommandError) return { code: error.exitCode, message: error.message };
    if (error instanceof PolicyConfigInvalidError) return { code: EXIT.badInput, message: error.message };
    if (error instanceof OfflineError) return { code: EXIT.failed, message: error.message };
    return { code: EXIT.failed, message: error instanceof Error ? error.stack ?? error.message : String(error) };
}

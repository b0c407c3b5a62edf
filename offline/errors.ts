/**
 * What the offline engine and the policy-pack host throw. They know nothing of exit codes: the
 * CLI maps each class to one (cli/exit-codes.ts, `exitCodeOf`). Plain: this file is loaded at
 * the CLI's start, before anything heavy.
 */

/** Something the offline engine could not do; each subclass says which. */
export class OfflineError extends Error {
    constructor(message: string) {
        super(message);
        this.name = new.target.name;
    }
}

/** A `--policy-pack-config` the pack's policies do not accept: every problem at once. Bad input. */
export class PolicyConfigInvalidError extends OfflineError {
    constructor(readonly problems: string[]) {
        super(`Invalid policy pack config:\n  ${problems.join("\n  ")}`);
    }
}

/** The policy pack did not start, or did not speak the protocol. */
export class PolicyPackError extends OfflineError {}

/** The program (or the collector program) failed while it ran offline: each failure's message. */
export class ProgramFailedError extends OfflineError {
    constructor(readonly failures: string[]) {
        super(`the program failed: ${failures.join("; ")}`);
    }
}

/** The mock AWS was asked for a data source it does not model; naming it beats answering wrong. */
export class UnmodelledInvokeError extends OfflineError {
    /** Pulumi's invoke reports a failed call by the gRPC error's `details`, so the message goes there too. */
    readonly details: string;

    constructor(readonly token: string) {
        super(`the offline mock AWS does not model the data source ${token}; add it to offline/mock-aws.ts`);
        this.details = this.message;
    }
}

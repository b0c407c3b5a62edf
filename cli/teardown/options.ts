/** `teardown`'s flags → a validated input, or one UsageError listing every problem (exit 2, nothing changed). */
import { NameOverrides } from "../../model";
import { UsageError } from "../exit-codes";
import { parseAccountId, parseIntegerFlag, parseRegionList, parseTimeout } from "../aws/input";

export interface TeardownFlags {
    account?: string;
    regions?: string;
    dryRun?: boolean;
    yes?: boolean;
    deleteBucket?: boolean;
    wait?: string;
    timeout?: string;
    json?: boolean;
    /** Every account of a stack config (`--config`) or of a list (`--accounts`): see teardown/accounts.ts. */
    config?: string;
    accounts?: string;
    roleName?: string;
    accountConcurrency?: string;
}

export interface TeardownInput {
    account: string;
    regions: string[];
    dryRun: boolean;
    yes: boolean;
    deleteBucket: boolean;
    /** Pause between stopping the sources and emptying the bucket, for deliveries in flight. */
    waitSeconds: number;
    /** Limit on each AWS request attempt. */
    timeoutSeconds: number;
    /** Names of adopted resources in `regions` (the stack config's `names`); default: this package's. */
    names?: NameOverrides;
}

/** StackState's manual uninstall sleeps 60 s: Firehose flushes its 60 s buffer after the rule stops. */
export const DEFAULT_WAIT_SECONDS = 60;
const MAX_WAIT_SECONDS = 3600;

/** `interactive`: whether a human can answer a confirmation prompt (stdin is a TTY). */
export function parseTeardownFlags(flags: TeardownFlags, interactive: boolean): TeardownInput {
    const problems: string[] = [];
    const account = parseAccountId("--account", flags.account);
    const regions = parseRegionList("--regions", flags.regions);
    const wait = flags.wait === undefined
        ? { value: DEFAULT_WAIT_SECONDS, problems: [] }
        : parseIntegerFlag("--wait", flags.wait, 0, MAX_WAIT_SECONDS);
    const timeout = parseTimeout(flags.timeout);
    problems.push(...account.problems, ...regions.problems, ...wait.problems, ...timeout.problems);
    if (!flags.dryRun && !flags.yes && !interactive) {
        problems.push("refusing to delete without confirmation: stdin is not a terminal, so pass --yes (or --dry-run to see what would be deleted)");
    }
    if (problems.length > 0) throw new UsageError(`invalid input, nothing was changed:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    return {
        account: account.value as string,
        regions: regions.value as string[],
        dryRun: Boolean(flags.dryRun),
        yes: Boolean(flags.yes),
        deleteBucket: Boolean(flags.deleteBucket),
        waitSeconds: wait.value as number,
        timeoutSeconds: timeout.value as number,
    };
}

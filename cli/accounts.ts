/**
 * `stackstate-aws accounts --from-organization`: list an AWS Organization's ACTIVE accounts and
 * merge them into a stack config's `accounts` (docs/organizations.md). Entries already there keep
 * their settings; entries the organization no longer has are reported and kept.
 */
import { promises as fs } from "fs";
import * as path from "path";
import { OrganizationsClient } from "@aws-sdk/client-organizations";
import { EXIT, ExitCode, UsageError } from "./exit-codes";
import { RETRY_MODE } from "./aws/clients";
import { classifyAwsError, describeAwsFailure } from "./aws/errors";
import { listOrganizationAccounts, PARENT_ID } from "./accounts/organizations";
import { ACCOUNTS_KEY, mergeAccounts, MergeOutcome } from "./accounts/merge";
import { CommandIo, processIo } from "./command-io";

export interface AccountsFlags {
    fromOrganization?: boolean;
    ou?: string[];
    exclude?: string[];
    out?: string;
    dryRun?: boolean;
    json?: boolean;
}

export interface AccountsEnvironment {
    io: CommandIo;
    organizations: () => OrganizationsClient & { destroy?(): void };
}

/** Organizations is a global service answered in us-east-1 (us-gov-west-1 for GovCloud: set AWS_REGION). */
const processEnvironment = (): AccountsEnvironment => ({
    io: processIo,
    organizations: () => new OrganizationsClient({ region: process.env.AWS_REGION ?? "us-east-1", retryMode: RETRY_MODE }),
});

interface AccountsInput {
    parents: string[];
    exclude: string[];
    out: string;
    dryRun: boolean;
}

function parseAccountsFlags(flags: AccountsFlags): AccountsInput {
    const problems: string[] = [];
    if (!flags.fromOrganization) problems.push("--from-organization is required: it is where the accounts come from");
    if (!flags.out) problems.push("--out FILE is required: the stack config file (Pulumi.<stack>.yaml) to write the accounts into");
    const parents = [...new Set(flags.ou ?? [])];
    for (const parent of parents.filter((p) => !PARENT_ID.test(p))) {
        problems.push(`--ou ${parent} must be an organizational unit id (ou-abcd-12345678) or a root id (r-abcd)`);
    }
    const exclude = [...new Set(flags.exclude ?? [])];
    for (const id of exclude.filter((e) => !/^\d{12}$/.test(e))) problems.push(`--exclude ${id} must be a 12-digit AWS account id`);
    if (problems.length > 0) throw new UsageError(`invalid input, nothing was written:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    return { parents, exclude, out: flags.out as string, dryRun: Boolean(flags.dryRun) };
}

async function readIfPresent(file: string): Promise<string | undefined> {
    try {
        return await fs.readFile(file, "utf8");
    } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === "ENOENT") return undefined;
        throw new UsageError(`cannot read ${file}: ${code ?? (error as Error).message}`);
    }
}

/** Replaces the file in one step: a reader never sees half a config. */
async function writeAtomically(file: string, text: string): Promise<void> {
    const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
    const mode = await fs.stat(file).then((s) => s.mode & 0o777, () => 0o644);
    await fs.writeFile(temporary, text, { mode });
    await fs.rename(temporary, file);
}

function renderHuman(outcome: MergeOutcome, found: number, input: AccountsInput, newFile: boolean): string {
    const where = input.parents.length > 0 ? ` under ${input.parents.join(", ")}` : "";
    const lines = [`${found} ACTIVE account${found === 1 ? "" : "s"} in the organization${where}.`];
    const list = (ids: string[]) => ids.join(", ");
    if (outcome.added.length > 0) lines.push(`added ${outcome.added.length}: ${list(outcome.added)}`);
    if (outcome.kept.length > 0) lines.push(`already listed, kept as they are: ${outcome.kept.length}`);
    if (outcome.excluded.length > 0) lines.push(`excluded: ${list(outcome.excluded)}`);
    if (outcome.excludedButListed.length > 0) {
        lines.push(`excluded but already listed, kept: ${list(outcome.excludedButListed)} (remove them from ${ACCOUNTS_KEY} by hand to stop monitoring them)`);
    }
    if (outcome.notDiscovered.length > 0) {
        lines.push(`listed but not ACTIVE in the organization${where}, kept: ${list(outcome.notDiscovered)} (removing an entry destroys that account's integration on the next pulumi up: remove it by hand, after stackstate-aws teardown, if that is what you want)`);
    }
    const verb = input.dryRun ? "would write" : newFile ? "wrote" : outcome.added.length > 0 ? "updated" : "left unchanged";
    lines.push(`${input.dryRun ? "Dry run: " : ""}${verb} ${input.out}`);
    return `${lines.join("\n")}\n`;
}

export async function accountsCommand(flags: AccountsFlags, env: AccountsEnvironment = processEnvironment()): Promise<ExitCode> {
    const input = parseAccountsFlags(flags);
    const before = await readIfPresent(input.out);
    // The file is checked before AWS is asked anything: a file this command cannot extend is bad input.
    mergeAccounts(before, input.out, [], []);

    const client = env.organizations();
    let found;
    try {
        env.io.stderr(`Listing the organization's accounts${input.parents.length > 0 ? ` under ${input.parents.join(", ")}` : ""}...\n`);
        found = await listOrganizationAccounts(client, input.parents);
    } catch (error) {
        if (error instanceof UsageError) throw error;
        env.io.stderr(`error: ${describeAwsFailure(classifyAwsError(error))}; nothing was written\n`);
        return EXIT.failed;
    } finally {
        client.destroy?.();
    }

    const outcome = mergeAccounts(before, input.out, found.map((a) => a.id), input.exclude);
    const changed = before === undefined || outcome.text !== before;
    if (!input.dryRun && changed) await writeAtomically(input.out, outcome.text);
    if (flags.json) {
        const { text: _text, ...lists } = outcome;
        env.io.stdout(`${JSON.stringify({ file: input.out, written: !input.dryRun && changed, found: found.map((a) => ({ accountId: a.id, ...(a.name ? { name: a.name } : {}) })), ...lists }, null, 2)}\n`);
    } else {
        env.io.stdout(renderHuman(outcome, found.length, input, before === undefined));
    }
    return EXIT.ok;
}

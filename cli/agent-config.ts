/**
 * `stackstate-aws agent-config`: render the Agent's aws_topology configuration from monitored
 * stacks' outputs or from flags, with the same renderer the collector's user data uses
 * (model/agent-config.ts). See docs/collector.md.
 */
import { promises as fs } from "fs";
import { EXIT, ExitCode, UsageError } from "./exit-codes";
import { externalIdInput } from "./aws/input";
import { AgentConfigError, AgentConfigFile, groupByExternalId, MonitoredAccount, renderAgentConfigFile } from "../model/agent-config";
import { writeAgentConfigFiles } from "./agent-config-write";
import { monitoredAccountsFromOutputs } from "../model/stack-outputs";
import { CommandIo, processIo } from "./command-io";

export interface AgentConfigFlags {
    outputs?: string[];
    roleArn?: string;
    externalId?: string;
    externalIdFile?: string;
    regions?: string;
    out?: string;
    removeStale?: boolean;
    json?: boolean;
}

/** Renders and prints or writes the configuration; bad input throws UsageError (exit 2) before anything is written. */
export async function agentConfigCommand(flags: AgentConfigFlags, io: CommandIo = processIo): Promise<ExitCode> {
    if (flags.removeStale && flags.out === undefined) throw new UsageError("--remove-stale needs --out DIR");
    const files = render(await accountsFrom(flags));
    const result = flags.out === undefined ? undefined : await writeAgentConfigFiles(flags.out, files, { removeStale: flags.removeStale });
    const kept = result ? result.stale.filter((f) => !result.removed.includes(f)) : [];
    if (flags.json) {
        // Each file with the accounts it covers, and either where it was written or its content.
        const listed = files.map((f, i) => ({
            fileName: f.fileName,
            accountIds: f.accountIds,
            ...(result ? { path: result.written[i] } : { content: f.content }),
        }));
        const stale = result ? { stale: kept, removed: result.removed } : {};
        io.stdout(`${JSON.stringify({ files: listed, ...stale }, null, 2)}\n`);
    } else if (result) {
        for (const target of result.written) io.stdout(`${target}\n`);
        for (const file of result.removed) io.stderr(`removed ${file}: written earlier for accounts not rendered now\n`);
        if (kept.length > 0) {
            io.stderr(`not needed by these accounts, left in place: ${kept.join(", ")} (written earlier by stackstate-aws; the Agent still reads ${kept.length > 1 ? "them" : "it"}). Rerun with --remove-stale to remove ${kept.length > 1 ? "them" : "it"}.\n`);
        }
    } else {
        io.stdout(files.map((f) => f.content).join("---\n"));
    }
    return EXIT.ok;
}

interface Sourced {
    accounts: MonitoredAccount[];
    /** Names each account's source in problems: its outputs file, or nothing for flags. */
    labels: string[];
    fromFlags: boolean;
}

async function accountsFrom(flags: AgentConfigFlags): Promise<Sourced> {
    const files = flags.outputs ?? [];
    // The variable stands in for --external-id only next to --role-arn: it must not turn an --outputs run into a conflict.
    const externalId = externalIdInput(flags, flags.roleArn !== undefined ? process.env : {});
    if (externalId.problems.length > 0) throw new UsageError(externalId.problems.join("\n"));
    const accountFlags = { "--role-arn": flags.roleArn, "--external-id": externalId.value?.value, "--regions": flags.regions };
    const givenFlags = Object.entries(accountFlags).filter(([, v]) => v !== undefined).map(([k]) => k);
    if (files.length > 0 && givenFlags.length > 0) {
        throw new UsageError(`give either --outputs FILE… or --role-arn, --external-id and --regions, not both (got --outputs and ${givenFlags.join(", ")})`);
    }
    if (files.length === 0) {
        if (givenFlags.length === 0) throw new UsageError("give --outputs FILE… (pulumi stack output --json --show-secrets of a monitored stack) or --role-arn, --external-id and --regions");
        const missing = Object.keys(accountFlags).filter((k) => !givenFlags.includes(k));
        if (missing.length > 0) throw new UsageError(`${missing.join(", ")} ${missing.length > 1 ? "are" : "is"} required with ${givenFlags.join(", ")}`);
        const regions = (flags.regions as string).split(",").map((r) => r.trim()).filter((r) => r !== "");
        return { accounts: [{ roleArn: flags.roleArn as string, externalId: externalId.value?.value as string, regions }], labels: [""], fromFlags: true };
    }
    const problems: string[] = [];
    const accounts: MonitoredAccount[] = [];
    const labels: string[] = [];
    for (const file of files) {
        const read = await readOutputs(file);
        if (typeof read === "string") {
            problems.push(`${file}: ${read}`);
            continue;
        }
        // One account's stack, or a stack of several accounts (its `accounts` output).
        const { accounts: found, problems: outputProblems } = monitoredAccountsFromOutputs(read);
        problems.push(...outputProblems.map((p) => `${file}: ${p}`));
        for (const { label, account } of found) {
            accounts.push(account);
            labels.push(label === "" ? file : `${file} (${label})`);
        }
    }
    if (problems.length > 0) throw new UsageError(`bad --outputs:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    return { accounts, labels, fromFlags: false };
}

/** The parsed outputs, or the reason they could not be read. */
async function readOutputs(file: string): Promise<unknown | string> {
    let text: string;
    try {
        text = await fs.readFile(file, "utf8");
    } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        return code === "ENOENT" ? "no such file" : `cannot read it (${code ?? (error as Error).message})`;
    }
    try {
        return JSON.parse(text);
    } catch (error) {
        return `not JSON (${(error as Error).message}); save it with pulumi stack output --json --show-secrets`;
    }
}

const FLAG_OF_FIELD: Record<string, string> = { roleArn: "--role-arn", externalId: "--external-id", regions: "--regions" };

function render(sourced: Sourced): AgentConfigFile[] {
    try {
        const groups = groupByExternalId(sourced.accounts, {
            label: (i) => sourced.labels[i],
            field: sourced.fromFlags ? (name) => FLAG_OF_FIELD[name] ?? name : undefined,
        });
        // renderAgentConfigFile validates each text against the check's schema before we write it.
        return groups.map((group) => ({ fileName: group.fileName, accountIds: group.accountIds, content: renderAgentConfigFile(group) }));
    } catch (error) {
        if (error instanceof AgentConfigError) {
            throw new UsageError(`bad ${sourced.fromFlags ? "flags" : "monitored accounts"}:\n${error.problems.map((p) => `  - ${p}`).join("\n")}`);
        }
        throw error;
    }
}

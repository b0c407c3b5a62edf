/**
 * The one renderer of the Agent's `aws_topology` check configuration (docs/stackstate-integration.md#the-agent-side), used by the
 * collector's user data and by `stackstate-aws agent-config`.
 *
 * `external_id` lives in `init_config`, so one file holds one ExternalId: accounts are grouped by
 * ExternalId and each group becomes its own file in `conf.d/aws_topology.d/`, one instance per
 * account. The Agent loads every YAML file in a check's folder, as the Datadog Agent it derives
 * from does; this layout rests on that.
 *
 * What the check itself requires of these files (docs/aws-topology-check.md):
 * - `global` comes after every real region (agentInstanceRegions);
 * - the Agent parses YAML 1.1, so every string is quoted and the text must read the same under
 *   YAML 1.1 and 1.2 (agentConfigFileProblems checks both);
 * - `apis_to_run` names come from the check's registry, which skips any other name silently.
 */
import { isDeepStrictEqual } from "util";
import YAML from "yaml";
import { AGENT_GLOBAL_REGION, partitionOf, isKnownRegion } from "./regions";
import { arnAccountId, arnPartition } from "./arn";
import { AWS_TOPOLOGY_CHECK_SCHEMA, MONITORED_ACCOUNT_SCHEMA } from "./agent-config-schema";
import { compileSchema, SchemaProblem, validateWithSchema } from "./schema-problems";
import { SoundEntry, soundEntries } from "./validation";
import { SchemaMatch } from "./schema-types";

export const AWS_TOPOLOGY_CHECK = "aws_topology";
export const AWS_TOPOLOGY_CONF_DIR = "/etc/stackstate-agent/conf.d/aws_topology.d";
/** Seconds between the check's runs (the Agent's own default). */
export const DEFAULT_COLLECTION_INTERVAL = 60;
/** First line of every file this package renders: files without it are someone else's. */
export const AGENT_CONFIG_MARKER = "# Managed by stackstate-aws";
/** Valid ExternalId syntax, so a template holding it passes the schema; the host swaps in the real ID. */
export const EXTERNAL_ID_PLACEHOLDER = "@@STACKSTATE_AWS_EXTERNAL_ID@@";
const FILE_PREFIX = "stackstate-aws-";

export interface MonitoredAccount {
    roleArn: string;
    externalId: string;
    /** Regions to read; `global` is added when missing and always rendered last. */
    regions: string[];
    /** Seconds between runs. Default: 60. */
    collectionInterval?: number;
    /** Restrict the check to these APIs (`api` or `api|filter`). Default: every API the role may call. */
    apisToRun?: string[];
    /** Tags on everything the instance reports. */
    tags?: string[];
    /** Events bucket. Default (the Agent's): stackstate-logs-<account>. */
    logBucketName?: string;
    /** Flow-logs bucket. Default (the Agent's): stackstate-logs-<account>. */
    flowlogBucketName?: string;
}

export interface AgentConfigOptions {
    /** Seconds between full topology scans (init_config.full_run_interval). Default: the Agent's, 3600. */
    fullRunInterval?: number;
}

/** Accounts that share an ExternalId, hence a file; accounts in account-id order. */
export interface AgentConfigGroup {
    fileName: string;
    accountIds: string[];
    externalId: string;
    accounts: MonitoredAccount[];
}

export interface AgentConfigFile {
    fileName: string;
    accountIds: string[];
    content: string;
}

/** Bad accounts: every problem, each naming the account (by position and account id) and the field. */
export class AgentConfigError extends Error {
    constructor(readonly problems: string[]) {
        super(`Invalid monitored accounts:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
        this.name = "AgentConfigError";
    }
}

// The interface and the schema name the same keys and require the same ones (schema-types.ts).
const accountMatchesSchema: SchemaMatch<MonitoredAccount, typeof MONITORED_ACCOUNT_SCHEMA> = true;
void accountMatchesSchema;

const validateAccount = compileSchema(MONITORED_ACCOUNT_SCHEMA);
const validateCheckConfig = compileSchema(AWS_TOPOLOGY_CHECK_SCHEMA);

export function accountIdOf(roleArn: string): string {
    return arnAccountId(roleArn) ?? "";
}

/** How problems name an account (`account 2`, a file) and its fields (`regions`, `--regions`). */
export interface AccountNaming {
    /** Default: `account <n>`; an empty label leaves only the field's name. */
    label?: (index: number) => string;
    field?: (name: string) => string;
}

/**
 * Problems with the accounts, `[]` when they can be rendered, account by account: the schema's,
 * then the rules'. ExternalIds are never echoed.
 */
export function monitoredAccountProblems(accounts: readonly unknown[], naming: AccountNaming = {}): string[] {
    const { label, field } = namingOf(naming);
    const entries = monitoredAccountEntries(accounts);
    const rules = ruleProblemsByAccount(accounts, entries, naming);
    return entries.flatMap((entry, i) => [
        ...entry.problems.map((p) => `${accountPrefix(accounts[i], label(i))}${field(p.key)} ${p.message}`),
        ...rules[i],
    ]);
}

/**
 * The rules between an account's fields and between accounts, judged on the fields that passed
 * the schema only: an account with a bad tag still has its repeated account id reported, and a
 * field the schema refused is not judged (or reported) twice. Schema problems are not reported
 * here; the collector's config reports them with its own schema.
 */
export function monitoredAccountRuleProblems(
    accounts: readonly unknown[], naming: AccountNaming = {}, entries = monitoredAccountEntries(accounts),
): string[] {
    return ruleProblemsByAccount(accounts, entries, naming).flat();
}

/** Each account split by the account schema: the fields it passed, those it refused, and why. */
export function monitoredAccountEntries(accounts: readonly unknown[]): SoundEntry<MonitoredAccount>[] {
    return soundEntries<MonitoredAccount>(validateAccount, accounts);
}

function ruleProblemsByAccount(accounts: readonly unknown[], entries: SoundEntry<MonitoredAccount>[], naming: AccountNaming): string[][] {
    const { label, field } = namingOf(naming);
    const firstIndexByAccount = new Map<string, number>();
    return entries.map(({ sound: account }, i) => {
        const problems: string[] = [];
        const prefix = accountPrefix(accounts[i], label(i));
        if (account.roleArn !== undefined && account.regions !== undefined) {
            const partition = arnPartition(account.roleArn);
            const foreign = account.regions.filter((r) => isKnownRegion(r) && partitionOf(r) !== partition);
            if (foreign.length > 0) {
                problems.push(`${prefix}${field("regions")} must be in the role's partition '${partition}', got ${foreign.join(", ")}`);
            }
        }
        const names = (account.apisToRun ?? []).map((entry) => entry.split("|")[0]);
        const repeated = [...new Set(names.filter((name, j) => names.indexOf(name) !== j))];
        if (repeated.length > 0) {
            // The check would run such an API once per entry, each time in full.
            problems.push(`${prefix}${field("apisToRun")} names ${repeated.join(", ")} more than once; give each API once (one filter each)`);
        }
        if (account.roleArn !== undefined) {
            const accountId = accountIdOf(account.roleArn);
            const first = firstIndexByAccount.get(accountId);
            if (first !== undefined) {
                problems.push(`${prefix}account ${accountId} is already ${label(first)}; the Agent needs one instance per account`);
            } else {
                firstIndexByAccount.set(accountId, i);
            }
        }
        return problems;
    });
}

function accountPrefix(account: unknown, label: string): string {
    const roleArn = (account as Partial<MonitoredAccount> | null)?.roleArn;
    return label ? `${label}${typeof roleArn === "string" ? ` (${roleArn})` : ""}: ` : "";
}

function namingOf(naming: AccountNaming): Required<AccountNaming> {
    return { label: naming.label ?? ((i: number) => `account ${i + 1}`), field: naming.field ?? ((name: string) => name) };
}

/**
 * Groups accounts by ExternalId; throws AgentConfigError on bad accounts. The result depends on
 * the set of accounts, not on their order: a file is named after the lowest account id it lists
 * (unique, as each account is in one file only), accounts and files are in account-id order, so
 * the same accounts given in another order give the same files.
 */
export function groupByExternalId(accounts: MonitoredAccount[], naming?: AccountNaming): AgentConfigGroup[] {
    const problems = monitoredAccountProblems(accounts, naming);
    if (accounts.length === 0) problems.push("at least one monitored account is needed");
    if (problems.length > 0) throw new AgentConfigError(problems);
    const byAccountId = (a: MonitoredAccount, b: MonitoredAccount) => accountIdOf(a.roleArn).localeCompare(accountIdOf(b.roleArn));
    const groups = new Map<string, MonitoredAccount[]>();
    for (const account of [...accounts].sort(byAccountId)) {
        groups.set(account.externalId, [...(groups.get(account.externalId) ?? []), account]);
    }
    return [...groups].map(([externalId, members]) => {
        const accountIds = members.map((a) => accountIdOf(a.roleArn));
        return { fileName: `${FILE_PREFIX}${accountIds[0]}.yaml`, accountIds, externalId, accounts: members };
    });
}

/** Whether a file name is one this renderer produces (the collector removes its own stale files). */
export function isRenderedFileName(fileName: string): boolean {
    return new RegExp(`^${FILE_PREFIX}\\d{12}\\.yaml$`).test(fileName);
}

/**
 * The conf.yaml text of one group. `externalId` overrides the group's, e.g. with
 * EXTERNAL_ID_PLACEHOLDER so a template can travel without the secret.
 */
export function renderAgentConfigFile(group: AgentConfigGroup, options: AgentConfigOptions & { externalId?: string } = {}): string {
    const externalId = options.externalId ?? group.externalId;
    const doc = new YAML.Document({
        init_config: {
            // Empty: the Agent uses the instance profile (or whatever credential chain it runs with).
            aws_access_key_id: "",
            aws_secret_access_key: "",
            external_id: externalId,
            ...(options.fullRunInterval !== undefined ? { full_run_interval: options.fullRunInterval } : {}),
        },
        instances: group.accounts.map(instanceOf),
    });
    doc.commentBefore = [
        `${AGENT_CONFIG_MARKER.replace(/^# /, " ")}: the ${AWS_TOPOLOGY_CHECK} check for account${group.accountIds.length > 1 ? "s" : ""} ${group.accountIds.join(", ")}.`,
        " external_id is per file, so each ExternalId has its own file; the Agent loads every file here.",
    ].join("\n");
    // Every string value quoted: plain `yes`, `on`, `12:30` or `1_000` are booleans and numbers
    // under the Agent's YAML 1.1. Quoted, the ExternalId can also be swapped for any valid one.
    const content = doc.toString({ singleQuote: true, defaultStringType: "QUOTE_SINGLE", defaultKeyType: "PLAIN" });
    const problems = agentConfigFileProblems(content);
    if (problems.length > 0) {
        // The input was validated, so this is a defect of the renderer, not of the input.
        throw new Error(`Rendered ${group.fileName} does not match the ${AWS_TOPOLOGY_CHECK} schema:\n${problems.join("\n")}`);
    }
    return content;
}

/** Every file the accounts need: one per distinct ExternalId. */
export function renderAgentConfig(accounts: MonitoredAccount[], options: AgentConfigOptions = {}): AgentConfigFile[] {
    return groupByExternalId(accounts).map((group) => ({
        fileName: group.fileName,
        accountIds: group.accountIds,
        content: renderAgentConfigFile(group, options),
    }));
}

/**
 * Parses a conf.yaml text as YAML 1.1 (what the Agent's parser reads) and as YAML 1.2, and checks
 * that both read the same and conform to the check's schema; `[]` when it does.
 */
export function agentConfigFileProblems(content: string): string[] {
    const parsed = (["1.1", "1.2"] as const).map((version) => ({ version, doc: YAML.parseDocument(content, { version }) }));
    const errors = parsed.flatMap(({ version, doc }) => doc.errors.map((e) => `not valid YAML ${version}: ${e.message}`));
    if (errors.length > 0) return errors;
    const [asAgent, asYaml12] = parsed.map(({ doc }) => doc.toJS() as unknown);
    const problems = agentConfigProblems(asAgent).map((p) => `under YAML 1.1: ${p}`);
    if (problems.length > 0) return problems;
    const differences = differingPaths(asAgent, asYaml12);
    if (differences.length > 0) {
        return differences.map((at) => `${at} reads differently under YAML 1.1 and 1.2 (an unquoted yes, on, 12:30 or 1_000?); quote it`);
    }
    return agentConfigProblems(asYaml12);
}

/** Paths (`instances[0].tags[1]`) where two parsed values differ; secrets are named, never shown. */
function differingPaths(a: unknown, b: unknown, at = ""): string[] {
    if (isDeepStrictEqual(a, b)) return [];
    if (a && b && typeof a === "object" && typeof b === "object" && Array.isArray(a) === Array.isArray(b)) {
        const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
        return keys.flatMap((k) => differingPaths((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k],
            Array.isArray(a) ? `${at}[${k}]` : at ? `${at}.${k}` : k));
    }
    return [at || "(root)"];
}

/** Checks a parsed conf.yaml against the check's schema; external_id is never echoed. */
export function agentConfigProblems(config: unknown): string[] {
    return validateWithSchema(validateCheckConfig, config)
        .map((p: SchemaProblem) => `${p.key} ${p.message}`);
}

/**
 * The regions of an instance: the real ones as given, then `global`, which must come last. For
 * `global` the check opens a us-east-1 session, reads the us-east-1 event prefix, and hands those
 * events to its global registry (route53 only): the lookup fails and ends the whole update, after
 * the objects it read are deleted. Placed first, that aborts the events of every region after it
 * and the flow logs on every run; placed last, only objects that land between the us-east-1
 * pass and the global pass are lost, and that run's flow-log update.
 */
export function agentInstanceRegions(regions: readonly string[]): string[] {
    return [...regions.filter((r) => r !== AGENT_GLOBAL_REGION), AGENT_GLOBAL_REGION];
}

function instanceOf(account: MonitoredAccount): Record<string, unknown> {
    return {
        role_arn: account.roleArn,
        regions: agentInstanceRegions(account.regions),
        collection_interval: account.collectionInterval ?? DEFAULT_COLLECTION_INTERVAL,
        ...(account.apisToRun ? { apis_to_run: account.apisToRun } : {}),
        ...(account.logBucketName ? { log_bucket_name: account.logBucketName } : {}),
        ...(account.flowlogBucketName ? { flowlog_bucket_name: account.flowlogBucketName } : {}),
        ...(account.tags && account.tags.length > 0 ? { tags: account.tags } : {}),
    };
}

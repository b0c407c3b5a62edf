/**
 * The one renderer of the Agent's `aws_topology` check configuration (REFERENCE §7), used by the
 * collector's user data and by `stackstate-aws agent-config`.
 *
 * `external_id` lives in `init_config`, so one file holds one ExternalId: accounts are grouped by
 * ExternalId and each group becomes its own file in `conf.d/aws_topology.d/`, one instance per
 * account. The Agent loads every YAML file in a check's folder, as the Datadog Agent it derives
 * from does; this layout rests on that.
 */
import YAML, { Scalar } from "yaml";
import { AGENT_GLOBAL_REGION, partitionOf, isKnownRegion } from "./regions";
import { AWS_TOPOLOGY_CHECK_SCHEMA, MONITORED_ACCOUNT_SCHEMA } from "./agent-config-schema";
import { compileSchema, SchemaProblem, validateWithSchema } from "./schema-problems";

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
    /** Regions to read; `global` is added when missing. */
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

/** Accounts that share an ExternalId, hence a file. */
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

const validateAccount = compileSchema(MONITORED_ACCOUNT_SCHEMA);
const validateCheckConfig = compileSchema(AWS_TOPOLOGY_CHECK_SCHEMA);

export function accountIdOf(roleArn: string): string {
    return roleArn.split(":")[4];
}

/** How problems name an account (`account 2`, a file) and its fields (`regions`, `--regions`). */
export interface AccountNaming {
    /** Default: `account <n>`; an empty label leaves only the field's name. */
    label?: (index: number) => string;
    field?: (name: string) => string;
}

/** Problems with the accounts, `[]` when they can be rendered. ExternalIds are never echoed. */
export function monitoredAccountProblems(accounts: MonitoredAccount[], naming: AccountNaming = {}): string[] {
    const label = naming.label ?? ((i: number) => `account ${i + 1}`);
    const field = naming.field ?? ((name: string) => name);
    const problems: string[] = [];
    const firstIndexByAccount = new Map<string, number>();
    accounts.forEach((account, i) => {
        const schemaProblems = validateWithSchema(validateAccount, account, { secretNames: ["externalId"] });
        const prefix = label(i) ? `${label(i)}${typeof account?.roleArn === "string" ? ` (${account.roleArn})` : ""}: ` : "";
        problems.push(...schemaProblems.map((p) => `${prefix}${field(p.key)} ${p.message}`));
        if (schemaProblems.length > 0) return;
        const partition = account.roleArn.split(":")[1];
        const foreign = account.regions.filter((r) => isKnownRegion(r) && partitionOf(r) !== partition);
        if (foreign.length > 0) {
            problems.push(`${prefix}${field("regions")} must be in the role's partition '${partition}', got ${foreign.join(", ")}`);
        }
        const accountId = accountIdOf(account.roleArn);
        const first = firstIndexByAccount.get(accountId);
        if (first !== undefined) {
            problems.push(`${prefix}account ${accountId} is already ${label(first)}; the Agent needs one instance per account`);
        } else {
            firstIndexByAccount.set(accountId, i);
        }
    });
    return problems;
}

/** Groups accounts by ExternalId, in order of first appearance; throws AgentConfigError on bad accounts. */
export function groupByExternalId(accounts: MonitoredAccount[], naming?: AccountNaming): AgentConfigGroup[] {
    const problems = monitoredAccountProblems(accounts, naming);
    if (accounts.length === 0) problems.push("at least one monitored account is needed");
    if (problems.length > 0) throw new AgentConfigError(problems);
    const groups = new Map<string, MonitoredAccount[]>();
    for (const account of accounts) groups.set(account.externalId, [...(groups.get(account.externalId) ?? []), account]);
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
    const externalId = new Scalar(options.externalId ?? group.externalId);
    // Quoted whatever its characters, so the host can substitute any valid ExternalId.
    externalId.type = Scalar.QUOTE_SINGLE;
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
    const content = doc.toString({ singleQuote: true });
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

/** Parses a conf.yaml text and checks it against the check's schema; `[]` when it conforms. */
export function agentConfigFileProblems(content: string): string[] {
    const doc = YAML.parseDocument(content);
    if (doc.errors.length > 0) return doc.errors.map((e) => `not valid YAML: ${e.message}`);
    return agentConfigProblems(doc.toJS());
}

/** Checks a parsed conf.yaml against the check's schema; external_id is never echoed. */
export function agentConfigProblems(config: unknown): string[] {
    return validateWithSchema(validateCheckConfig, config, { secretNames: ["external_id", "aws_secret_access_key"] })
        .map((p: SchemaProblem) => `${p.key} ${p.message}`);
}

function instanceOf(account: MonitoredAccount): Record<string, unknown> {
    const regions = [AGENT_GLOBAL_REGION, ...account.regions.filter((r) => r !== AGENT_GLOBAL_REGION)];
    return {
        role_arn: account.roleArn,
        regions,
        collection_interval: account.collectionInterval ?? DEFAULT_COLLECTION_INTERVAL,
        ...(account.apisToRun ? { apis_to_run: account.apisToRun } : {}),
        ...(account.logBucketName ? { log_bucket_name: account.logBucketName } : {}),
        ...(account.flowlogBucketName ? { flowlog_bucket_name: account.flowlogBucketName } : {}),
        ...(account.tags && account.tags.length > 0 ? { tags: account.tags } : {}),
    };
}

/**
 * The outputs of a monitored-account stack: the program exports these names, and the collector
 * (StackReference) and `agent-config` (`pulumi stack output --json --show-secrets`) read them.
 */
import { accountIdOf, MonitoredAccount } from "./agent-config";
import { logsBucketName } from "./names";

export const STACK_OUTPUTS = {
    accountId: "accountId",
    roleArn: "roleArn",
    /** A secret output. */
    externalId: "externalId",
    regions: "regions",
    mainRegion: "mainRegion",
    bucketName: "bucketName",
    bucketArn: "bucketArn",
    streamArns: "streamArns",
    /** `{ role_arn, regions: [...regions, "global"] }`: the account's aws_topology instance (global last, see agentInstanceRegions). */
    agentInstance: "agentInstance",
} as const;

/** The outputs of a stack of several accounts (`accounts` in its config). */
export const MULTI_ACCOUNT_STACK_OUTPUTS = {
    /** Every output of STACK_OUTPUTS, per account id. */
    accounts: "accounts",
    /** The account ids, in config order (not secret). */
    accountIds: "accountIds",
} as const;

export type StackOutputName = (typeof STACK_OUTPUTS)[keyof typeof STACK_OUTPUTS];

/** Outputs the Agent's configuration cannot do without. */
export const AGENT_REQUIRED_OUTPUTS = [STACK_OUTPUTS.roleArn, STACK_OUTPUTS.externalId, STACK_OUTPUTS.regions] as const;

/** What `pulumi stack output --json` prints for a secret unless `--show-secrets` is given. */
export const HIDDEN_SECRET_TEXT = "[secret]";

/**
 * A monitored account from a stack's outputs (as `pulumi stack output --json --show-secrets`
 * prints them, or as a StackReference resolves them). Only shape problems are found here; the
 * renderer checks the values (ARN, ExternalId, regions). ExternalIds are never echoed.
 */
export function monitoredAccountFromOutputs(outputs: unknown): { account?: MonitoredAccount; problems: string[] } {
    if (!outputs || typeof outputs !== "object" || Array.isArray(outputs)) {
        return { problems: ["must be a JSON object of stack outputs (pulumi stack output --json --show-secrets)"] };
    }
    const values = outputs as Record<string, unknown>;
    const problems: string[] = [];
    for (const name of AGENT_REQUIRED_OUTPUTS) {
        if (values[name] === undefined || values[name] === null) problems.push(`output ${name} is missing`);
    }
    if (values[STACK_OUTPUTS.externalId] === HIDDEN_SECRET_TEXT) {
        problems.push(`output ${STACK_OUTPUTS.externalId} is hidden ("${HIDDEN_SECRET_TEXT}"): save the outputs with pulumi stack output --json --show-secrets`);
    } else if (values[STACK_OUTPUTS.externalId] !== undefined && typeof values[STACK_OUTPUTS.externalId] !== "string") {
        problems.push(`output ${STACK_OUTPUTS.externalId} must be a string`);
    }
    const roleArn = values[STACK_OUTPUTS.roleArn];
    if (roleArn !== undefined && typeof roleArn !== "string") problems.push(`output ${STACK_OUTPUTS.roleArn} must be a string, got ${JSON.stringify(roleArn)}`);
    const regions = values[STACK_OUTPUTS.regions];
    if (regions !== undefined && !(Array.isArray(regions) && regions.every((r) => typeof r === "string"))) {
        problems.push(`output ${STACK_OUTPUTS.regions} must be a list of region codes, got ${JSON.stringify(regions)}`);
    }
    const accountId = values[STACK_OUTPUTS.accountId];
    if (typeof roleArn === "string" && typeof accountId === "string" && accountIdOf(roleArn) !== accountId) {
        problems.push(`output ${STACK_OUTPUTS.roleArn} (${roleArn}) is not in account ${accountId} (output ${STACK_OUTPUTS.accountId})`);
    }
    const bucketName = values[STACK_OUTPUTS.bucketName];
    if (bucketName !== undefined && typeof bucketName !== "string") problems.push(`output ${STACK_OUTPUTS.bucketName} must be a string`);
    if (problems.length > 0) return { problems };

    const account: MonitoredAccount = {
        roleArn: roleArn as string,
        externalId: values[STACK_OUTPUTS.externalId] as string,
        regions: regions as string[],
    };
    // The Agent reads stackstate-logs-<account> unless told otherwise: say so only when it differs.
    if (typeof bucketName === "string" && bucketName !== logsBucketName(accountIdOf(account.roleArn))) {
        account.logBucketName = bucketName;
        account.flowlogBucketName = bucketName;
    }
    return { account, problems: [] };
}

export interface LabelledAccount {
    /** Which account of the outputs, for problems: `account <id>` in a stack of several, else "". */
    label: string;
    account: MonitoredAccount;
}

/**
 * The monitored accounts of one stack's outputs: the single account's, or, for a stack of several
 * accounts (an `accounts` output keyed by account id), each one's. Problems name the account.
 */
export function monitoredAccountsFromOutputs(outputs: unknown): { accounts: LabelledAccount[]; problems: string[] } {
    const values = outputs && typeof outputs === "object" && !Array.isArray(outputs) ? outputs as Record<string, unknown> : undefined;
    const several = values?.[MULTI_ACCOUNT_STACK_OUTPUTS.accounts];
    if (several === undefined || values?.[STACK_OUTPUTS.roleArn] !== undefined) {
        const { account, problems } = monitoredAccountFromOutputs(outputs);
        return { accounts: account ? [{ label: "", account }] : [], problems };
    }
    if (several === HIDDEN_SECRET_TEXT) {
        return { accounts: [], problems: [`output ${MULTI_ACCOUNT_STACK_OUTPUTS.accounts} is hidden ("${HIDDEN_SECRET_TEXT}"): save the outputs with pulumi stack output --json --show-secrets`] };
    }
    if (!several || typeof several !== "object" || Array.isArray(several)) {
        return { accounts: [], problems: [`output ${MULTI_ACCOUNT_STACK_OUTPUTS.accounts} must map account ids to their outputs, got ${JSON.stringify(several)}`] };
    }
    const accounts: LabelledAccount[] = [];
    const problems: string[] = [];
    for (const [id, entry] of Object.entries(several as Record<string, unknown>)) {
        const label = `account ${id}`;
        const { account, problems: found } = monitoredAccountFromOutputs(entry);
        problems.push(...found.map((p) => `${label}: ${p}`));
        if (account && accountIdOf(account.roleArn) !== id) {
            problems.push(`${label}: output ${STACK_OUTPUTS.roleArn} (${account.roleArn}) is not in account ${id}`);
        } else if (account) {
            accounts.push({ label, account });
        }
    }
    if (accounts.length === 0 && problems.length === 0) problems.push(`output ${MULTI_ACCOUNT_STACK_OUTPUTS.accounts} lists no account`);
    return { accounts, problems };
}

/**
 * Stack config → validated arguments. Every problem is reported at once, each naming its key and
 * the rule it breaks; nothing downstream runs on a config with a problem.
 */
import { ACCOUNT_ENTRY_SCHEMA, CONFIG_NAMESPACE, CONFIG_SCHEMA, DEFAULT_DEPLOY_ROLE_NAME, STRUCTURED_CONFIG_KEYS } from "./config-schema";
import { isKnownRegion, Partition, partitionOf } from "./regions";
import { ApiGatewayAccess, PermissionSet } from "./integration-permissions";
import { iamRoleArn, normalisedRolePath } from "./names";
import { arnPartition, parseArn } from "./arn";
import { NameOverrides } from "./resource-names";
import { compileSchema } from "./schema-problems";
import { SchemaMatch } from "./schema-types";
import { ConfigError, ConfigProblem, RuleInput, SoundEntry, soundEntries, validateConfig } from "./validation";

/** Flow logs of one region as stack config gives them: "all", or VPC ids. */
export type FlowLogSelection = "all" | string[];

/**
 * Flow logs of one region as the components take them: an object, not `"all" | string[]`, because
 * the component package's schema has no union types.
 */
export interface VpcSelection {
    /** VPC ids that get a flow log to the logs bucket. */
    readonly vpcIds?: string[];
    /** Give every VPC the region's provider finds at deployment a flow log, instead of listing vpcIds. Default: false. */
    readonly allVpcs?: boolean;
}

export function vpcSelection(selection: FlowLogSelection): VpcSelection {
    return selection === "all" ? { allVpcs: true } : { vpcIds: [...selection] };
}

/** Why a selection names no VPCs, or two ways of naming them; undefined when it is sound. */
export function vpcSelectionProblem(selection: VpcSelection): string | undefined {
    const listed = selection.vpcIds !== undefined;
    if (selection.allVpcs === true && listed) return "must set either allVpcs or vpcIds, not both";
    if (selection.allVpcs !== true && (!listed || selection.vpcIds!.length === 0)) return "must list at least one VPC id in vpcIds, or set allVpcs";
    return undefined;
}

/** The problems of each region's selection, keyed `flowLogs`. */
export function vpcSelectionProblems(flowLogs: Record<string, VpcSelection> | undefined): ConfigProblem[] {
    return Object.entries(flowLogs ?? {}).flatMap(([region, selection]) => {
        const problem = vpcSelectionProblem(selection);
        return problem ? [{ key: "flowLogs", message: `[${region}] ${problem}` }] : [];
    });
}

/** The validated config: as written, with the main region, its partition and each key's derived default. */
export interface IntegrationConfig extends Omit<StackConfigValues, "mainRegion" | "agentRoleArns" | "flowLogs" | "accounts"> {
    mainRegion: string;
    partition: Partition;
    agentRoleArns: string[];
    flowLogs: Record<string, VpcSelection>;
    /** Present when the stack deploys several accounts: each entry with the stack's defaults filled in. */
    accounts?: AccountIntegrationConfig[];
}

/** One account of a multi-account stack, every key resolved (the stack's value where the entry has none). */
export interface AccountIntegrationConfig {
    accountId: string;
    regions: string[];
    mainRegion: string;
    partition: Partition;
    externalId?: string;
    flowLogs: Record<string, VpcSelection>;
    /** The stack's tags, then the entry's. */
    tags: Record<string, string>;
    /** `deployRoleName` in this account. */
    deployRoleArn: string;
    /** The stack's boundary, by its path and name in this account (a customer-managed policy is each account's own). */
    permissionsBoundaryArn?: string;
}

/** An entry of `accounts` as written. */
export interface AccountEntry {
    accountId: string;
    regions?: string[];
    mainRegion?: string;
    externalId?: string;
    flowLogs?: Record<string, FlowLogSelection>;
    tags?: Record<string, string>;
}

/** The stack config as written: namespace stripped, JSON text parsed, the schema's defaults filled in. */
export interface StackConfigValues {
    regions: string[];
    mainRegion?: string;
    agentRoleArns?: string[];
    agentAccountId?: string;
    accountId?: string;
    externalId?: string;
    flowLogs: Record<string, FlowLogSelection>;
    permissionsBoundaryArn?: string;
    rolePath: string;
    tags: Record<string, string>;
    apiGatewayAccess: ApiGatewayAccess;
    /** AWS names instead of this package's, for adopted resources. */
    names?: NameOverrides;
    permissions: PermissionSet;
    deployRoleArn?: string;
    accounts?: AccountEntry[];
    /** With `accounts`: the role each account's providers assume (name, optionally after a path). */
    deployRoleName?: string;
}

// The types above and the schema name the same keys and require the same ones (schema-types.ts).
const valuesMatchSchema: SchemaMatch<StackConfigValues, typeof CONFIG_SCHEMA> = true;
const entryMatchesSchema: SchemaMatch<AccountEntry, typeof ACCOUNT_ENTRY_SCHEMA> = true;
const namesMatchSchema: SchemaMatch<NameOverrides, typeof CONFIG_SCHEMA.properties.names> = true;
void [valuesMatchSchema, entryMatchesSchema, namesMatchSchema];

let compiled: ReturnType<typeof compileSchema> | undefined;
/** Compiled on first use, as few CLI commands need it; it fills in the schema's defaults, so they are written in one place. */
const stackConfigSchema = () => (compiled ??= compileSchema(CONFIG_SCHEMA, { useDefaults: true }));

/**
 * Validates raw config values keyed without namespace. Structured values may come as JSON text
 * (as Pulumi stores them) or already parsed. Throws ConfigError with every problem at once.
 */
export function validateIntegrationConfig(raw: Record<string, unknown>): IntegrationConfig {
    const result = validateConfig<StackConfigValues>(raw, {
        namespace: CONFIG_NAMESPACE,
        validate: stackConfigSchema(),
        structuredKeys: STRUCTURED_CONFIG_KEYS,
        secretHolders: ["accounts"],
        rules: crossFieldProblems,
    });
    if (!result.ok) throw new ConfigError(result.problems);
    return withDerivedDefaults(result.values);
}

/** Defaults the schema cannot express: they derive from other keys. */
function withDerivedDefaults(v: StackConfigValues): IntegrationConfig {
    const mainRegion = v.mainRegion ?? v.regions[0];
    const { accounts: entries, ...written } = v;
    const config: IntegrationConfig = {
        ...written,
        mainRegion,
        partition: partitionOf(mainRegion),
        agentRoleArns: v.agentRoleArns ?? [],
        flowLogs: Object.fromEntries(Object.entries(v.flowLogs).map(([region, selection]) => [region, vpcSelection(selection)])),
        rolePath: normalisedRolePath(v.rolePath),
    };
    if (entries) {
        config.deployRoleName = v.deployRoleName ?? DEFAULT_DEPLOY_ROLE_NAME;
        config.accounts = entries.map((entry) => resolvedAccount(entry, config));
    }
    return config;
}

/** Where a role name with a path (`ci/Deployer`) splits into IAM's path and name. */
export function splitRoleName(nameWithPath: string): { path: string; name: string } {
    const parts = nameWithPath.split("/").filter((part) => part !== "");
    const name = parts.pop() as string;
    return { path: normalisedRolePath(parts.join("/")), name };
}

function resolvedAccount(entry: AccountEntry, stack: IntegrationConfig): AccountIntegrationConfig {
    const regions = entry.regions ?? stack.regions;
    const mainRegion = entry.mainRegion ?? (regions.includes(stack.mainRegion) ? stack.mainRegion : regions[0]);
    const partition = partitionOf(mainRegion);
    const { path, name } = splitRoleName(stack.deployRoleName ?? DEFAULT_DEPLOY_ROLE_NAME);
    const inherited = Object.fromEntries(Object.entries(stack.flowLogs).filter(([region]) => regions.includes(region)));
    return {
        accountId: entry.accountId,
        regions,
        mainRegion,
        partition,
        ...(entry.externalId ?? stack.externalId ? { externalId: entry.externalId ?? stack.externalId } : {}),
        flowLogs: entry.flowLogs ? Object.fromEntries(Object.entries(entry.flowLogs).map(([region, selection]) => [region, vpcSelection(selection)])) : inherited,
        tags: { ...stack.tags, ...entry.tags },
        deployRoleArn: iamRoleArn(partition, entry.accountId, name, path),
        ...(stack.permissionsBoundaryArn ? { permissionsBoundaryArn: inAccount(stack.permissionsBoundaryArn, entry.accountId) } : {}),
    };
}

/** A policy ARN moved to `accountId`; an AWS-managed policy (`iam::aws:policy/…`) is every account's and stays. */
function inAccount(policyArn: string, accountId: string): string {
    const arn = parseArn(policyArn);
    if (!arn || !/^\d{12}$/.test(arn.accountId)) return policyArn;
    return `arn:${arn.partition}:${arn.service}:${arn.region}:${accountId}:${arn.resource}`;
}

/**
 * The rules between keys. Each sees the keys that passed the schema (`sound`) and runs when those
 * it needs are among them; `given` tells a key left out from one given but malformed.
 */
function crossFieldProblems(input: RuleInput<StackConfigValues>): ConfigProblem[] {
    const { sound: v, given } = input;
    const entries = soundAccountEntries(input.written.accounts);
    const problems: ConfigProblem[] = [];
    if (v.regions) problems.push(...integrationShapeProblems({ regions: v.regions, mainRegion: v.mainRegion, flowLogs: v.flowLogs }));
    problems.push(...accountsProblems(v, given, entries));
    problems.push(...principalProblems({ agentRoleArns: given.has("agentRoleArns"), agentAccountId: given.has("agentAccountId") }));
    const strayNames = v.regions ? Object.keys(v.names?.regions ?? {}).filter((region) => !v.regions!.includes(region)) : [];
    if (strayNames.length > 0) {
        problems.push({ key: "names", message: `names region${strayNames.length > 1 ? "s" : ""} ${strayNames.map((r) => `'${r}'`).join(", ")} must also be listed in regions (${v.regions!.join(", ")})` });
    }
    if (v.permissions === "minimal" && v.apiGatewayAccess === "published") {
        problems.push({ key: "apiGatewayAccess", message: "published cannot be combined with permissions: minimal, which grants only what the Agent calls (apigateway:GET); use read or permissions: published" });
    }
    // The partition comes from every region of the stack; while any of them was refused it is not known.
    if (!v.regions || entries.some(({ refused }) => refused.has("regions") || refused.has("(root)"))) return problems;
    const allRegions = [...v.regions, ...entries.flatMap(({ sound }) => sound.regions ?? [])];
    const regionPartitions = new Set(allRegions.filter(isKnownRegion).map(partitionOf));
    if (regionPartitions.size > 1 && given.has("accounts")) {
        // One stack's agent roles and boundary live in one partition, so its accounts must too.
        problems.push({ key: "accounts", message: `must all be in one AWS partition with the stack's regions, got ${[...regionPartitions].join(" and ")}` });
    }
    if (regionPartitions.size !== 1) return problems;
    const [partition] = regionPartitions;
    const arnKeys: [string, string[]][] = [
        ["agentRoleArns", v.agentRoleArns ?? []],
        ["permissionsBoundaryArn", v.permissionsBoundaryArn ? [v.permissionsBoundaryArn] : []],
        ["deployRoleArn", v.deployRoleArn ? [v.deployRoleArn] : []],
    ];
    for (const [key, arns] of arnKeys) {
        const foreign = arns.filter((arn) => arnPartition(arn) !== partition);
        if (foreign.length > 0) {
            problems.push({ key, message: `must be in partition '${partition}' like the regions, got ${foreign.join(", ")}` });
        }
    }
    return problems;
}

/**
 * The rules only a stack of several accounts has: keys that mean one account, distinct ids, each
 * entry's layout. The keys' rules are about a key being set at all, so they hold whatever its
 * value; the entries' are judged on the fields each entry's schema passed (soundEntries): one bad
 * entry does not hide the others' problems, and an entry whose own regions were refused is not
 * judged against the stack's.
 */
function accountsProblems(v: Partial<StackConfigValues>, given: ReadonlySet<string>, entries: SoundEntry<AccountEntry>[]): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    if (!given.has("accounts")) {
        if (given.has("deployRoleName")) {
            problems.push({ key: "deployRoleName", message: "applies only with accounts; a single-account stack assumes deployRoleArn" });
        }
        return problems;
    }
    for (const key of ["accountId", "deployRoleArn"] as const) {
        if (given.has(key)) {
            problems.push({ key, message: `applies only to a single-account stack; with accounts, each entry's accountId is checked and deployRoleName is assumed in it` });
        }
    }
    if (given.has("names")) {
        // Adopted resources' names are one account's own (CloudFormation generates them per stack).
        problems.push({ key: "names", message: "applies only to a single-account stack: adopt each account's install in a stack of its own" });
    }
    const ids = entries.flatMap(({ sound }) => (sound.accountId === undefined ? [] : [sound.accountId]));
    const repeated = [...new Set(ids.filter((id, i) => ids.indexOf(id) !== i))];
    if (repeated.length > 0) {
        problems.push({ key: "accounts", message: `must not list an account twice, got ${repeated.join(", ")} more than once` });
    }
    const listedVpcs = Object.entries(v.flowLogs ?? {}).filter(([, selection]) => selection !== "all").map(([region]) => region);
    entries.forEach(({ sound: entry, refused }, i) => {
        const regions = entryValue(entry, refused, "regions", v.regions);
        if (regions === undefined) return;
        const label = `[${i}]${entry.accountId === undefined ? "" : ` (${entry.accountId})`}`;
        const inheritedMain = v.mainRegion !== undefined && regions.includes(v.mainRegion) ? v.mainRegion : undefined;
        const mainRegion = entryValue(entry, refused, "mainRegion", inheritedMain);
        for (const p of integrationShapeProblems({ regions, mainRegion, flowLogs: entry.flowLogs })) {
            problems.push({ key: "accounts", message: `${label}: ${p.key} ${p.message}` });
        }
        const inheritsListedVpcs = !refused.has("flowLogs") && entry.flowLogs === undefined && listedVpcs.some((region) => regions.includes(region));
        if (inheritsListedVpcs) {
            problems.push({ key: "accounts", message: `${label}: would inherit the stack's flowLogs, which list VPC ids of one account; set flowLogs in each entry, or use "all" in the stack's flowLogs` });
        }
    });
    return problems;
}

let compiledEntry: ReturnType<typeof compileSchema> | undefined;
/** The entries of `accounts` as written, each split by the entry's schema; none when it is not a list. */
function soundAccountEntries(accounts: unknown): SoundEntry<AccountEntry>[] {
    return Array.isArray(accounts) ? soundEntries<AccountEntry>(compiledEntry ??= compileSchema(ACCOUNT_ENTRY_SCHEMA), accounts) : [];
}

/** An entry's own value; the stack's when the entry leaves it out; undefined when the entry's was refused or the stack's is not sound. */
function entryValue<K extends "regions" | "mainRegion">(
    entry: Partial<AccountEntry>, refused: ReadonlySet<string>, key: K, inherited: AccountEntry[K] | undefined,
): AccountEntry[K] | undefined {
    if (refused.has(key) || refused.has("(root)")) return undefined;
    return entry[key] ?? inherited;
}

export interface IntegrationShape {
    regions: string[];
    mainRegion?: string;
    flowLogs?: Record<string, unknown>;
}

/**
 * The rules the resource layout rests on (regions, main region, flow-log regions), for callers
 * that build the integration without going through stack config. Keys are unqualified.
 */
export function integrationShapeProblems(shape: IntegrationShape): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    const { regions, mainRegion, flowLogs } = shape;
    const unknown = regions.filter((r) => !isKnownRegion(r));
    if (regions.length === 0) problems.push({ key: "regions", message: "must list at least one region" });
    if (unknown.length > 0) problems.push({ key: "regions", message: `must be known AWS region codes, got ${unknown.join(", ")}` });
    const duplicates = regions.filter((r, i) => regions.indexOf(r) !== i);
    if (duplicates.length > 0) problems.push({ key: "regions", message: `must not repeat a region, got ${[...new Set(duplicates)].join(", ")} more than once` });
    if (mainRegion !== undefined && !regions.includes(mainRegion)) {
        problems.push({ key: "mainRegion", message: `must be one of regions (${regions.join(", ")}), got '${mainRegion}'` });
    }
    for (const region of Object.keys(flowLogs ?? {})) {
        if (!regions.includes(region)) {
            problems.push({ key: "flowLogs", message: `region '${region}' must also be listed in regions (${regions.join(", ")})` });
        }
    }
    const partitions = new Set(regions.filter(isKnownRegion).map(partitionOf));
    if (partitions.size > 1) {
        problems.push({ key: "regions", message: `must all be in one AWS partition, got ${[...partitions].join(" and ")}` });
    }
    return problems;
}

/**
 * The integration role needs a principal to trust: the one rule for stack config and component
 * arguments. A value counts as set when it is given at all (the schema judges its form), so a
 * Pulumi output, not known before deployment, counts too.
 */
export function principalProblems(set: { agentRoleArns: boolean; agentAccountId: boolean }): ConfigProblem[] {
    return set.agentRoleArns || set.agentAccountId ? []
        : [{ key: "agentRoleArns", message: "is required unless agentAccountId is set: the integration role needs a principal to trust" }];
}

/** The principal rule on component arguments: a plain empty list or string is not set; a Pulumi output is. */
export function principalArgumentProblems(args: { agentRoleArns?: unknown; agentAccountId?: unknown }): ConfigProblem[] {
    const isSet = (value: unknown) => value !== undefined && value !== "" && !(Array.isArray(value) && value.length === 0);
    return principalProblems({ agentRoleArns: isSet(args.agentRoleArns), agentAccountId: isSet(args.agentAccountId) });
}

/**
 * Turns a Pulumi stack config map (`stackstate-aws:key: value`, other namespaces ignored) into
 * raw values keyed without namespace.
 */
export function rawConfigFromStackConfig(config: Record<string, unknown>): Record<string, unknown> {
    const prefix = `${CONFIG_NAMESPACE}:`;
    return Object.fromEntries(
        Object.entries(config)
            .filter(([key]) => key.startsWith(prefix))
            .map(([key, value]) => [key.slice(prefix.length), value]),
    );
}

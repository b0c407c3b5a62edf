/**
 * Collector stack config → validated settings, through the one validation path (validation.ts):
 * every problem at once, naming its key and the rule; nothing is created on a config with a
 * problem. ExternalIds are never echoed.
 */
import {
    COLLECTOR_CONFIG_NAMESPACE, COLLECTOR_CONFIG_SCHEMA, NUMERIC_COLLECTOR_CONFIG_KEYS, STRUCTURED_COLLECTOR_CONFIG_KEYS,
} from "./collector-config-schema";
import { MonitoredAccount, monitoredAccountEntries, monitoredAccountRuleProblems } from "./agent-config";
import { arnPartition, arnRegion, arnResourceName, parseArn } from "./arn";
import { compileSchema } from "./schema-problems";
import { SchemaMatch } from "./schema-types";
import { ConfigError, ConfigProblem, RuleInput, validateConfig } from "./validation";
import { INTEGRATION_ROLE_NAME, normalisedRolePath } from "./names";
import { isKnownRegion, Partition, partitionOf } from "./regions";

/** The validated settings: the config as written, with aws:region, its partition and the lists' defaults. */
export interface CollectorConfig extends Omit<CollectorConfigValues, "accounts" | "monitoredStacks" | "noProxy"> {
    /** aws:region: where the host and its secrets live. */
    region: string;
    partition: Partition;
    accounts: MonitoredAccount[];
    monitoredStacks: string[];
    noProxy: string[];
}

/** The collector's config as written: namespace stripped, JSON text parsed, the schema's defaults filled in. */
export interface CollectorConfigValues {
    stackStateUrl: string;
    apiKeyParameter: string;
    subnetIds: string[];
    accounts?: MonitoredAccount[];
    monitoredStacks?: string[];
    collectionInterval: number;
    fullRunInterval?: number;
    agentVersion: string;
    amiParameter: string;
    instanceType: string;
    rootDeviceName: string;
    rootVolumeSize: number;
    kmsKeyArn?: string;
    proxyUrl?: string;
    noProxy?: string[];
    roleName: string;
    rolePath: string;
    permissionsBoundaryArn?: string;
    tags: Record<string, string>;
}

// The interface and the schema name the same keys and require the same ones (schema-types.ts).
const valuesMatchSchema: SchemaMatch<CollectorConfigValues, typeof COLLECTOR_CONFIG_SCHEMA> = true;
void valuesMatchSchema;

let compiled: ReturnType<typeof compileSchema> | undefined;
const collectorConfigSchema = () => (compiled ??= compileSchema(COLLECTOR_CONFIG_SCHEMA, { useDefaults: true }));
const qualified = (key: string) => `${COLLECTOR_CONFIG_NAMESPACE}:${key}`;
const REGION_KEY = "aws:region";

/**
 * Validates a Pulumi stack config map (`stackstate-aws-collector:key` and `aws:region`; other
 * namespaces ignored). Structured values may be JSON text, as Pulumi stores them, or parsed.
 * Throws ConfigError with every problem at once, the schema's and the rules' between keys.
 */
export function validateCollectorConfig(stackConfig: Record<string, unknown>): CollectorConfig {
    const prefix = `${COLLECTOR_CONFIG_NAMESPACE}:`;
    const raw = Object.fromEntries(Object.entries(stackConfig)
        .filter(([fullKey]) => fullKey.startsWith(prefix))
        .map(([fullKey, value]) => [fullKey.slice(prefix.length), value]));
    const region = stackConfig[REGION_KEY];
    const regionKnown = typeof region === "string" && isKnownRegion(region);
    const result = validateConfig<CollectorConfigValues>(raw, {
        namespace: COLLECTOR_CONFIG_NAMESPACE,
        validate: collectorConfigSchema(),
        structuredKeys: STRUCTURED_COLLECTOR_CONFIG_KEYS,
        secretHolders: ["accounts"],
        numericKeys: NUMERIC_COLLECTOR_CONFIG_KEYS,
        rules: (input) => crossFieldProblems(input, regionKnown ? region : undefined),
    });
    const problems = result.ok ? [] : [...result.problems];
    if (!regionKnown) {
        problems.push({ key: REGION_KEY, message: `must be set to a known AWS region (pulumi config set aws:region <region>)${region === undefined ? "" : `, got ${JSON.stringify(region)}`}` });
    }
    if (!result.ok || !regionKnown) throw new ConfigError(problems);

    const v = result.values;
    return {
        ...v,
        region,
        partition: partitionOf(region),
        accounts: v.accounts ?? [],
        monitoredStacks: v.monitoredStacks ?? [],
        noProxy: v.noProxy ?? [],
        rolePath: normalisedRolePath(v.rolePath),
        proxyUrl: v.proxyUrl?.replace(/\/$/, ""),
    };
}

/**
 * The rules between keys, on the values that passed the schema; accounts are judged field by
 * field (monitoredAccountEntries), so one bad account does not hide the others' problems. Without a known
 * aws:region (reported on its own) the rules that compare with it are skipped.
 */
function crossFieldProblems({ sound: v, written }: RuleInput<CollectorConfigValues>, region: string | undefined): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    const writtenAccounts = Array.isArray(written.accounts) ? (written.accounts as unknown[]) : [];
    const entries = monitoredAccountEntries(writtenAccounts);
    problems.push(...monitoredAccountRuleProblems(writtenAccounts, { label: (i) => `[${i}]` }, entries)
        .map((message) => ({ key: "accounts", message })));
    const accounts = entries.map((entry) => entry.sound);
    const partition = region === undefined ? undefined : partitionOf(region);
    accounts.forEach((account, i) => {
        if (account.roleArn === undefined) return;
        const name = arnResourceName(account.roleArn);
        if (name !== INTEGRATION_ROLE_NAME) {
            problems.push({ key: "accounts", message: `[${i}] (${account.roleArn}): roleArn must name ${INTEGRATION_ROLE_NAME}, the only role the host may assume` });
        }
        if (partition !== undefined && arnPartition(account.roleArn) !== partition) {
            problems.push({ key: "accounts", message: `[${i}] (${account.roleArn}): roleArn must be in partition '${partition}' like aws:region ${region}` });
        }
    });
    const paths = new Set(accounts.flatMap((a) => (a.roleArn === undefined ? [] : [integrationRolePathOf(a.roleArn)])));
    if (paths.size > 1) {
        problems.push({ key: "accounts", message: `integration roles must share one IAM path (the host's policy names one), got ${[...paths].join(", ")}` });
    }
    if (region === undefined) return problems;
    const arnKeys: [string, string | undefined][] = [["kmsKeyArn", v.kmsKeyArn], ["permissionsBoundaryArn", v.permissionsBoundaryArn]];
    for (const [key, arn] of arnKeys) {
        if (arn !== undefined && arnPartition(arn) !== partition) {
            problems.push({ key, message: `must be in partition '${partition}' like aws:region ${region}, got ${arn}` });
        }
    }
    if (v.kmsKeyArn !== undefined && arnRegion(v.kmsKeyArn) !== region) {
        problems.push({ key: "kmsKeyArn", message: `must be a key in ${region}, where the parameters are, got ${v.kmsKeyArn}` });
    }
    return problems;
}

/** `/` or `/path/` of an integration role ARN. */
export function integrationRolePathOf(roleArn: string): string {
    const parts = (parseArn(roleArn)?.resource ?? "").split("/").slice(1, -1);
    return parts.length === 0 ? "/" : `/${parts.join("/")}/`;
}

/** What the collector needs to know about its AMI (ec2.getAmi), and where it came from. */
export interface AmiFacts {
    imageId: string;
    amiParameter: string;
    rootDeviceName?: string;
    rootDeviceType?: string;
}

/**
 * Why the launch template's root volume mapping would not encrypt the AMI's root volume, or
 * undefined when it does. A mapping for another device name adds a second disk instead, and an
 * instance-store root cannot be encrypted by a mapping at all. Facts EC2 did not report are not
 * held against the AMI.
 */
export function rootDeviceProblem(rootDeviceName: string, ami: AmiFacts): string | undefined {
    const source = `AMI ${ami.imageId} (from ${ami.amiParameter})`;
    if (ami.rootDeviceType !== undefined && ami.rootDeviceType !== "ebs") {
        return `${source} has an ${ami.rootDeviceType} root device, which cannot be encrypted; set ${qualified("amiParameter")} to an EBS-backed AMI.`;
    }
    if (ami.rootDeviceName !== undefined && ami.rootDeviceName !== rootDeviceName) {
        return `${qualified("rootDeviceName")} is ${rootDeviceName}, but the root device of ${source} is ${ami.rootDeviceName}: `
            + `set rootDeviceName to ${ami.rootDeviceName}, or the root volume would not be encrypted.`;
    }
    return undefined;
}

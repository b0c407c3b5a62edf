/**
 * Collector stack config → validated settings. Every problem is reported at once, naming its key
 * and the rule; nothing is created on a config with a problem. ExternalIds are never echoed.
 */
import {
    COLLECTOR_CONFIG_NAMESPACE, COLLECTOR_CONFIG_SCHEMA, CollectorConfigKey, NUMERIC_COLLECTOR_CONFIG_KEYS, STRUCTURED_COLLECTOR_CONFIG_KEYS,
} from "./collector-config-schema";
import { MonitoredAccount, monitoredAccountProblems } from "./agent-config";
import { ConfigError, ConfigProblem } from "./config";
import { compileSchema, validateWithSchema } from "./schema-problems";
import { INTEGRATION_ROLE_NAME, normalisedRolePath } from "./names";
import { isKnownRegion, Partition, partitionOf } from "./regions";

export interface CollectorConfig {
    /** aws:region: where the host and its secrets live. */
    region: string;
    partition: Partition;
    stackStateUrl: string;
    apiKeyParameter: string;
    subnetIds: string[];
    accounts: MonitoredAccount[];
    monitoredStacks: string[];
    collectionInterval: number;
    fullRunInterval?: number;
    agentVersion: string;
    amiParameter: string;
    instanceType: string;
    rootDeviceName: string;
    rootVolumeSize: number;
    kmsKeyArn?: string;
    proxyUrl?: string;
    noProxy: string[];
    roleName: string;
    rolePath: string;
    permissionsBoundaryArn?: string;
    tags: Record<string, string>;
}

const validateSchema = compileSchema(COLLECTOR_CONFIG_SCHEMA, { useDefaults: true });
const qualified = (key: string) => `${COLLECTOR_CONFIG_NAMESPACE}:${key}`;
const REGION_KEY = "aws:region";

/**
 * Validates a Pulumi stack config map (`stackstate-aws-collector:key` and `aws:region`; other
 * namespaces ignored). Structured values may be JSON text, as Pulumi stores them, or parsed.
 */
export function validateCollectorConfig(stackConfig: Record<string, unknown>): CollectorConfig {
    const prefix = `${COLLECTOR_CONFIG_NAMESPACE}:`;
    const problems: ConfigProblem[] = [];
    const values: Record<string, unknown> = {};
    for (const [fullKey, value] of Object.entries(stackConfig)) {
        if (!fullKey.startsWith(prefix) || value === undefined) continue;
        const key = fullKey.slice(prefix.length);
        if (STRUCTURED_COLLECTOR_CONFIG_KEYS.includes(key as CollectorConfigKey) && typeof value === "string") {
            try {
                values[key] = JSON.parse(value);
            } catch {
                problems.push({ key: fullKey, message: "must be structured (a YAML list or map), not plain text" });
            }
        } else if (NUMERIC_COLLECTOR_CONFIG_KEYS.includes(key as CollectorConfigKey) && typeof value === "string" && /^-?\d+(\.\d+)?$/.test(value)) {
            values[key] = Number(value);
        } else {
            values[key] = value;
        }
    }
    const unparsed = new Set(problems.map((p) => p.key));
    problems.push(...validateWithSchema(validateSchema, values, { namespace: COLLECTOR_CONFIG_NAMESPACE, secretNames: ["externalId"] })
        .filter((p) => !(unparsed.has(p.key) && p.message === "is required")));

    const region = stackConfig[REGION_KEY];
    if (typeof region !== "string" || !isKnownRegion(region)) {
        problems.push({ key: REGION_KEY, message: `must be set to a known AWS region (pulumi config set aws:region <region>)${region === undefined ? "" : `, got ${JSON.stringify(region)}`}` });
    }
    if (problems.length === 0) problems.push(...crossFieldProblems(values as unknown as RawConfig, region as string));
    if (problems.length > 0) throw new ConfigError(problems);

    const v = values as unknown as RawConfig;
    return {
        ...v,
        region: region as string,
        partition: partitionOf(region as string),
        accounts: v.accounts ?? [],
        monitoredStacks: v.monitoredStacks ?? [],
        noProxy: v.noProxy ?? [],
        rolePath: normalisedRolePath(v.rolePath),
        proxyUrl: v.proxyUrl?.replace(/\/$/, ""),
    };
}

type RawConfig = Omit<CollectorConfig, "region" | "partition" | "accounts" | "monitoredStacks" | "noProxy"> &
    Partial<Pick<CollectorConfig, "accounts" | "monitoredStacks" | "noProxy">>;

function crossFieldProblems(v: RawConfig, region: string): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    const partition = partitionOf(region);
    const accounts = v.accounts ?? [];
    problems.push(...monitoredAccountProblems(accounts, { label: (i) => `[${i}]` })
        .map((message) => ({ key: qualified("accounts"), message })));
    accounts.forEach((account, i) => {
        const name = account.roleArn.split("/").pop();
        if (name !== INTEGRATION_ROLE_NAME) {
            problems.push({ key: qualified("accounts"), message: `[${i}] (${account.roleArn}): roleArn must name ${INTEGRATION_ROLE_NAME}, the only role the host may assume` });
        }
        if (account.roleArn.split(":")[1] !== partition) {
            problems.push({ key: qualified("accounts"), message: `[${i}] (${account.roleArn}): roleArn must be in partition '${partition}' like aws:region ${region}` });
        }
    });
    const paths = new Set(accounts.map((a) => integrationRolePathOf(a.roleArn)));
    if (paths.size > 1) {
        problems.push({ key: qualified("accounts"), message: `integration roles must share one IAM path (the host's policy names one), got ${[...paths].join(", ")}` });
    }
    const arnKeys: [string, string | undefined][] = [["kmsKeyArn", v.kmsKeyArn], ["permissionsBoundaryArn", v.permissionsBoundaryArn]];
    for (const [key, arn] of arnKeys) {
        if (arn !== undefined && arn.split(":")[1] !== partition) {
            problems.push({ key: qualified(key), message: `must be in partition '${partition}' like aws:region ${region}, got ${arn}` });
        }
    }
    if (v.kmsKeyArn !== undefined && v.kmsKeyArn.split(":")[3] !== region) {
        problems.push({ key: qualified("kmsKeyArn"), message: `must be a key in ${region}, where the parameters are, got ${v.kmsKeyArn}` });
    }
    return problems;
}

/** `/` or `/path/` of an integration role ARN. */
export function integrationRolePathOf(roleArn: string): string {
    const resource = roleArn.split(":").slice(5).join(":");
    const parts = resource.split("/").slice(1, -1);
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

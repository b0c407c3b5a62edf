/** Parsing of the AWS-shaped flags `verify` and `teardown` share; each returns problems in words, never throws. */
import { readFileSync } from "fs";
import { listed, quoted } from "../quoted";
import { DEFAULT_TIMEOUT_SECONDS, TIMEOUT_ENV } from "./timeouts";
import { isKnownRegion, KNOWN_REGIONS, Partition, partitionOf, REGIONS_BY_PARTITION, roleArnParts } from "../../model";

export interface Parsed<T> {
    value?: T;
    problems: string[];
}

/** `a,b,c` → known region codes in the order given, duplicates dropped, all in one partition. */
export function parseRegionList(flag: string, raw: string | undefined): Parsed<string[]> {
    const regions = [...new Set((raw ?? "").split(",").map((r) => r.trim()).filter((r) => r !== ""))];
    if (regions.length === 0) return { problems: [`${flag} must list at least one region, e.g. ${flag} eu-west-1,us-east-1`] };
    const unknown = regions.filter((r) => !isKnownRegion(r));
    if (unknown.length > 0) {
        return { problems: [`${flag}: unknown region${unknown.length > 1 ? "s" : ""} ${listed(unknown.map(quoted))}. Known regions are: ${KNOWN_REGIONS.join(", ")}.`] };
    }
    const partitions = [...new Set(regions.map(partitionOf))];
    if (partitions.length > 1) {
        return { problems: [`${flag} mixes partitions (${partitions.join(", ")}); one account lives in one partition`] };
    }
    return { value: regions, problems: [] };
}

const ACCOUNT_ID = /^\d{12}$/;

export function parseAccountId(flag: string, raw: string | undefined): Parsed<string> {
    if (raw !== undefined && ACCOUNT_ID.test(raw)) return { value: raw, problems: [] };
    return { problems: [`${flag} must be a 12-digit AWS account id, is ${quoted(raw)}`] };
}

export interface RoleArn {
    arn: string;
    partition: Partition;
    accountId: string;
    /** `/` or `/a/b/`. */
    path: string;
    name: string;
}

export function parseRoleArn(flag: string, raw: string | undefined): Parsed<RoleArn> {
    const role = roleArnParts(raw);
    const partitions = Object.keys(REGIONS_BY_PARTITION);
    if (!role || !partitions.includes(role.partition)) {
        return { problems: [`${flag} must be an IAM role ARN such as arn:aws:iam::123456789012:role/StackStateAwsIntegrationRole (partition ${partitions.join(" or ")}), is ${quoted(raw)}`] };
    }
    return {
        value: { arn: raw as string, partition: role.partition as Partition, accountId: role.accountId, path: role.path, name: role.name },
        problems: [],
    };
}

/** A positive integer flag with an upper bound. */
export function parseIntegerFlag(flag: string, raw: string | undefined, min: number, max: number): Parsed<number> {
    const value = raw !== undefined && /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : NaN;
    if (Number.isInteger(value) && value >= min && value <= max) return { value, problems: [] };
    return { problems: [`${flag} must be a whole number from ${min} to ${max}, is ${quoted(raw)}`] };
}

const MAX_TIMEOUT_SECONDS = 3600;

/** `--timeout` seconds, else the TIMEOUT_ENV variable, else the default: the limit on each AWS request attempt. */
export function parseTimeout(raw: string | undefined, env: NodeJS.ProcessEnv = process.env): Parsed<number> {
    if (raw !== undefined) return parseIntegerFlag("--timeout", raw, 1, MAX_TIMEOUT_SECONDS);
    const fromEnv = env[TIMEOUT_ENV];
    if (fromEnv !== undefined && fromEnv !== "") return parseIntegerFlag(TIMEOUT_ENV, fromEnv, 1, MAX_TIMEOUT_SECONDS);
    return { value: DEFAULT_TIMEOUT_SECONDS, problems: [] };
}

/** Where an ExternalId can come from besides --external-id, which `ps` and shell history show. */
export const EXTERNAL_ID_ENV = "STACKSTATE_AWS_EXTERNAL_ID";

export interface ExternalIdFlags {
    externalId?: string;
    externalIdFile?: string;
}

/**
 * The ExternalId from --external-id, else --external-id-file (its content, without the final
 * line break), else the EXTERNAL_ID_ENV variable; `source` names where it came from, for messages.
 * No value (and no problem) when none is given.
 */
export function externalIdInput(flags: ExternalIdFlags, env: NodeJS.ProcessEnv = process.env): Parsed<{ value: string; source: string }> {
    if (flags.externalId !== undefined && flags.externalIdFile !== undefined) {
        return { problems: ["give --external-id or --external-id-file, not both"] };
    }
    if (flags.externalIdFile !== undefined) {
        try {
            const value = readFileSync(flags.externalIdFile, "utf8").replace(/\r?\n$/, "");
            return { value: { value, source: "--external-id-file" }, problems: [] };
        } catch (error) {
            return { problems: [`--external-id-file: cannot read ${quoted(flags.externalIdFile)} (${(error as NodeJS.ErrnoException).code ?? String(error)})`] };
        }
    }
    if (flags.externalId !== undefined) return { value: { value: flags.externalId, source: "--external-id" }, problems: [] };
    const fromEnv = env[EXTERNAL_ID_ENV];
    if (fromEnv !== undefined && fromEnv !== "") return { value: { value: fromEnv, source: EXTERNAL_ID_ENV }, problems: [] };
    return { problems: [] };
}

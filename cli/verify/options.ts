/** `verify`'s flags → a validated input, or one UsageError listing every problem (exit 2, nothing called). */
import { externalIdSyntaxProblems, NameOverrides, partitionOf, PERMISSION_SETS, PermissionSet } from "../../model";
import { UsageError } from "../exit-codes";
import { quoted } from "../quoted";
import {
    EXTERNAL_ID_ENV, externalIdInput, parseIntegerFlag, parseRegionList, parseRoleArn, parseTimeout, RoleArn,
} from "../aws/input";

export interface VerifyFlags {
    roleArn?: string;
    externalId?: string;
    externalIdFile?: string;
    regions?: string;
    mainRegion?: string;
    agentProfile?: string;
    concurrency?: string;
    timeout?: string;
    /** Checks this role against the deploy policy of --config instead of checking the account's wiring. */
    deployerRoleArn?: string;
    config?: string;
    project?: string;
    accountId?: string;
    permissions?: string;
    json?: boolean;
    /** Without --deployer-role-arn, --config (a stack config) or --accounts (a list): every account, see verify/accounts.ts. */
    accounts?: string;
    /** The role assumed in each account: deploy (default) or integration. */
    assume?: string;
    roleName?: string;
    accountConcurrency?: string;
}

export interface VerifyInput {
    role: RoleArn;
    externalId: string;
    regions: string[];
    /** Holds the logs bucket; defaults to the first of `regions`. */
    mainRegion: string;
    /** Profile whose credentials probe AssumeRole (a principal the trust policy names); default: the caller's. */
    agentProfile?: string;
    /** Regions checked at once. */
    concurrency: number;
    /** Limit on each AWS request attempt. */
    timeoutSeconds: number;
    /** The permission set to require; default: the role's tag (see model/integration-permissions.ts). */
    permissions?: PermissionSet;
    /** Names of adopted resources (the stack config's `names`); default: this package's. */
    names?: NameOverrides;
}

/** Enough to run every region of a large account at once without tripping API rate limits. */
export const DEFAULT_REGION_CONCURRENCY = 8;
const MAX_CONCURRENCY = 64;

export function parseVerifyFlags(flags: VerifyFlags): VerifyInput {
    const problems: string[] = [];
    const role = parseRoleArn("--role-arn", flags.roleArn);
    problems.push(...role.problems);

    const externalId = externalIdInput(flags);
    problems.push(...externalId.problems);
    if (externalId.problems.length === 0 && (externalId.value === undefined || externalId.value.value === "")) {
        problems.push(`--external-id is required: the ExternalId the Agent presents (or --external-id-file FILE, or ${EXTERNAL_ID_ENV}, which ps and shell history do not show)`);
    } else if (externalId.value !== undefined) {
        const { value, source } = externalId.value;
        problems.push(...externalIdSyntaxProblems(value).map((p) => `${source} ${p}`));
    }

    const regions = parseRegionList("--regions", flags.regions);
    problems.push(...regions.problems);
    const mainRegion = flags.mainRegion ?? regions.value?.[0];
    if (flags.mainRegion !== undefined && regions.value && !regions.value.includes(flags.mainRegion)) {
        problems.push(`--main-region ${quoted(flags.mainRegion)} must be one of --regions (${regions.value.join(", ")})`);
    }
    if (role.value && regions.value && partitionOf(regions.value[0]) !== role.value.partition) {
        problems.push(`--regions are in partition ${partitionOf(regions.value[0])} but --role-arn is in ${role.value.partition}`);
    }

    const concurrency = flags.concurrency === undefined
        ? { value: DEFAULT_REGION_CONCURRENCY, problems: [] }
        : parseIntegerFlag("--concurrency", flags.concurrency, 1, MAX_CONCURRENCY);
    problems.push(...concurrency.problems);
    const timeout = parseTimeout(flags.timeout);
    problems.push(...timeout.problems);

    if (flags.agentProfile !== undefined && flags.agentProfile.trim() === "") {
        problems.push("--agent-profile must name a profile");
    }

    if (flags.permissions !== undefined && !PERMISSION_SETS.includes(flags.permissions as PermissionSet)) {
        problems.push(`--permissions must be one of ${PERMISSION_SETS.join(", ")}, got '${flags.permissions}'`);
    }

    if (problems.length > 0) throw new UsageError(`invalid input:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    return {
        role: role.value as RoleArn,
        externalId: externalId.value?.value as string,
        regions: regions.value as string[],
        mainRegion: mainRegion as string,
        agentProfile: flags.agentProfile,
        concurrency: concurrency.value as number,
        timeoutSeconds: timeout.value as number,
        ...(flags.permissions !== undefined ? { permissions: flags.permissions as PermissionSet } : {}),
    };
}

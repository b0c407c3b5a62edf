/** `adopt`'s flags, checked before any AWS call: bad input names the flag and changes nothing. */
import * as fs from "fs";
import { UsageError } from "../exit-codes";
import { parseRegionList, parseTimeout } from "../aws/input";

export interface AdoptFlags {
    stackName?: string;
    regions?: string;
    mainRegion?: string;
    out?: string;
    stack?: string;
    showSecrets?: boolean;
    retain?: boolean;
    timeout?: string;
    json?: boolean;
}

export interface AdoptInput {
    /** The CloudFormation stack's name in every region. */
    cfnStackName: string;
    regions: string[];
    mainRegion?: string;
    outDir: string;
    /** The Pulumi stack to write the config for; default: the account id. */
    pulumiStack?: string;
    showSecrets: boolean;
    retain: boolean;
    /** Limit on each AWS request attempt. */
    timeoutSeconds: number;
    json: boolean;
}

export const DEFAULT_CFN_STACK_NAME = "stackstate-resources";

/** CloudFormation's stack-name rule. */
const CFN_STACK_NAME = /^[A-Za-z][A-Za-z0-9-]{0,127}$/;
/** Pulumi's stack-name rule (names without an organisation or project). */
const PULUMI_STACK_NAME = /^[A-Za-z0-9_.-]{1,100}$/;

export function parseAdoptFlags(flags: AdoptFlags): AdoptInput {
    const problems: string[] = [];
    const cfnStackName = flags.stackName ?? DEFAULT_CFN_STACK_NAME;
    if (!CFN_STACK_NAME.test(cfnStackName)) problems.push(`--stack-name must be a CloudFormation stack name (a letter, then letters, digits and -; at most 128), is '${cfnStackName}'`);
    const regions = parseRegionList("--regions", flags.regions);
    problems.push(...regions.problems);
    if (flags.mainRegion !== undefined && regions.value && !regions.value.includes(flags.mainRegion)) {
        problems.push(`--main-region must be one of --regions (${regions.value.join(", ")}), is '${flags.mainRegion}'`);
    }
    if (!flags.out) {
        problems.push("--out is required: the directory to write the import file, the stack config and the report into");
    } else if (fs.existsSync(flags.out) && !fs.statSync(flags.out).isDirectory()) {
        problems.push(`--out must be a directory, but '${flags.out}' is a file`);
    }
    const timeout = parseTimeout(flags.timeout);
    problems.push(...timeout.problems);
    if (flags.stack !== undefined && !PULUMI_STACK_NAME.test(flags.stack)) problems.push(`--stack must be a Pulumi stack name (letters, digits and _.-), is '${flags.stack}'`);
    if (problems.length > 0) throw new UsageError(problems.join("\nerror: "));
    return {
        cfnStackName,
        regions: regions.value as string[],
        ...(flags.mainRegion !== undefined ? { mainRegion: flags.mainRegion } : {}),
        outDir: flags.out as string,
        ...(flags.stack !== undefined ? { pulumiStack: flags.stack } : {}),
        showSecrets: Boolean(flags.showSecrets),
        retain: Boolean(flags.retain),
        timeoutSeconds: timeout.value as number,
        json: Boolean(flags.json),
    };
}

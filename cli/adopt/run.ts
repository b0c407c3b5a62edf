/**
 * `adopt` without its output: read the installed stacks, map them onto this package's resources,
 * plan the program with the adopted config, and join the two into an import file.
 */
import {
    Adoption, AdoptedConfig, CONFIG_NAMESPACE, Difference, externalIdProblems, installDifferences, planAdoption,
} from "../../model";
import { ClientFactory } from "../aws/clients";
import { planStack } from "../../offline/plan-engine";
import { Registration } from "../../offline/mock-engine";
import { AdoptInput } from "./options";
import { buildImportFile, ImportJoin, PulumiImportFile } from "./import-file";
import { readInstall, RegionRead } from "./read";

export interface AdoptOutcome {
    accountId: string;
    pulumiStack: string;
    regions: RegionRead[];
    /** Regions outside --regions that hold a stack of that name. */
    elsewhere: string[];
    adoption: Adoption;
    differences: Difference[];
    /** The stack config file's entries (fully qualified keys), without the ExternalId. */
    stackConfig: Record<string, unknown>;
    importFile?: PulumiImportFile;
    adopted: ImportJoin["adopted"];
    created: Registration[];
    /** What stops the adoption; nothing is written when there is any. */
    problems: string[];
}

const AWS_VERSION: string = (require("@pulumi/aws/package.json") as { version: string }).version;
const EXTERNAL_ID_KEY = `${CONFIG_NAMESPACE}:externalId`;

export function stackConfigOf(config: AdoptedConfig): Record<string, unknown> {
    const entry = (key: string, value: unknown) => (value === undefined ? [] : [[`${CONFIG_NAMESPACE}:${key}`, value]]);
    return Object.fromEntries([
        ["aws:region", config.mainRegion],
        ...entry("accountId", config.accountId),
        ...entry("regions", config.regions),
        ...entry("mainRegion", config.mainRegion),
        ...entry("agentAccountId", config.agentAccountId),
        ...entry("agentRoleArns", config.agentRoleArns),
        ...entry("flowLogs", config.flowLogs),
        ...entry("names", config.names),
    ]);
}

export async function runAdopt(input: AdoptInput, clients: ClientFactory, progress: (line: string) => void): Promise<AdoptOutcome> {
    progress(`Reading CloudFormation stack '${input.cfnStackName}' in ${input.regions.join(", ")}...`);
    const read = await readInstall(clients, input.regions, input.cfnStackName);
    const { facts } = read;
    const adoption = planAdoption(facts, { regions: input.regions, mainRegion: input.mainRegion });
    const pulumiStack = input.pulumiStack ?? facts.accountId;
    const problems = [...adoption.problems];
    for (const r of read.regions) {
        if (r.state === "unusable") problems.push(`${r.region}: the stack is ${r.status}: ${r.reason}`);
    }
    if (!read.regions.some((r) => r.state === "found")) {
        problems.push(`no region of ${input.regions.join(", ")} has a CloudFormation stack named '${input.cfnStackName}'${read.elsewhere.length ? `; it exists in ${read.elsewhere.join(", ")}` : ""}`);
    }
    const differences = problems.length === 0 ? installDifferences(facts, adoption.config.mainRegion) : [];
    const stackConfig = stackConfigOf(adoption.config);
    const outcome: AdoptOutcome = { accountId: facts.accountId, pulumiStack, regions: read.regions, elsewhere: read.elsewhere, adoption, differences, stackConfig, adopted: [], created: [], problems };
    if (problems.length > 0) return outcome;

    const externalIdUsable = adoption.externalId !== undefined && externalIdProblems(adoption.externalId).length === 0;
    if (adoption.externalId !== undefined && !externalIdUsable) {
        problems.push(`the integration role's ExternalId (${adoption.externalId.length} characters) ${externalIdProblems(adoption.externalId).join("; ")}: this package would have to set a new one, and every Agent to be given it`);
        return outcome;
    }
    progress(`Planning Pulumi stack '${pulumiStack}' with the adopted config...`);
    const plan = await planStack({
        stackName: pulumiStack,
        config: { ...stackConfig, ...(externalIdUsable ? { [EXTERNAL_ID_KEY]: { secure: "" } } : {}) },
        encryptedKeys: externalIdUsable ? [EXTERNAL_ID_KEY] : [],
        vpcs: adoption.config.flowLogs,
    });
    if (!plan.ok) {
        problems.push(...plan.configProblems.map((p) => `the adopted config is not valid: ${p.key}: ${p.message}`));
        return outcome;
    }
    const join = buildImportFile(adoption.counterparts, plan.resources, AWS_VERSION);
    for (const c of join.unplaced) problems.push(`${c.region}: ${c.logicalId} (${c.cfnType}) matches no resource the program plans as ${c.pulumiType}`);
    return { ...outcome, importFile: join.file, adopted: join.adopted, created: join.created };
}

/**
 * From a stack config file to the deployer's policies: plans the project offline, turns the plan
 * into the model's deployer plan and builds the policies of the mode asked for. Shared by the
 * `deployer-policy` command and by `verify --deployer-role-arn`.
 */
import {
    accountNames, CONFIG_NAMESPACE, document, FIREHOSE_STREAM_NAME, IntegrationConfig, KNOWN_REGIONS, partitionOf, Partition, PolicyDocument,
    regionNames,
} from "../../model";
import { DeployerMode, deployerStatements, DeployerPlan, NamedPolicy, packPolicies } from "../../model/deployer";
import { ConfigProblem } from "../../model/validation";
import { Registration, unwrapSecrets } from "../../offline/mock-engine";
import { PlannedInvoke } from "../../offline/plan-engine";
import { StackConfigFile } from "../stack-config-file";
import { teardownCallerPolicy } from "../teardown/permissions";
import { verifyCallerPolicy } from "../verify/permissions";

export const PROJECTS = ["stackstate-aws", "collector"] as const;
export type Project = (typeof PROJECTS)[number];
export const MODES = ["deploy", "destroy", "teardown", "verify"] as const;
export type Mode = (typeof MODES)[number];
/** teardown and verify run against a monitored account; the collector has neither. */
export const MODES_OF: Record<Project, readonly Mode[]> = { "stackstate-aws": MODES, collector: ["deploy", "destroy"] };

/** Offline, what only a deployment knows is `*`: an account not named in the config, for one. */
export const UNNAMED_ACCOUNT = "123456789012";

export interface GeneratedPolicies {
    project: Project;
    stack: string;
    mode: Mode;
    /** The account the ARNs name; `*` when neither the config nor --account-id names it. */
    accountId: string;
    policies: NamedPolicy[];
    /**
     * When the stack's credentials act through roles (deployRoleArn for a deploy or destroy, the
     * deploy role of each account of a multi-account stack for every mode): attach `policies` to
     * each of these roles, and `assumePolicy` to the credentials that run the command.
     */
    assumedRoles?: string[];
    assumePolicy?: NamedPolicy;
}

export type GenerateResult = { ok: true; result: GeneratedPolicies } | { ok: false; configProblems: ConfigProblem[] };

const BASE_NAMES: Record<Project, Record<Mode, string>> = {
    "stackstate-aws": {
        deploy: "StackStateDeployer-deploy", destroy: "StackStateDeployer-destroy", teardown: "StackStateTeardown", verify: "StackStateVerify",
    },
    collector: { deploy: "StackStateCollectorDeployer-deploy", destroy: "StackStateCollectorDeployer-destroy", teardown: "", verify: "" },
};

export async function generateDeployerPolicies(file: StackConfigFile, project: Project, mode: Mode, accountId?: string): Promise<GenerateResult> {
    // The config's own accountId wins: the program refuses credentials of another account anyway.
    const config = accountId && file.config[`${CONFIG_NAMESPACE}:accountId`] === undefined
        ? { ...file.config, [`${CONFIG_NAMESPACE}:accountId`]: accountId } : file.config;
    const input = { ...file, config };
    const base = BASE_NAMES[project][mode];
    if (project === "collector") {
        const { planCollector } = await import("../../offline/collector-plan-engine");
        const planned = await planCollector({ ...input, accountId });
        if (!planned.ok) return { ok: false, configProblems: planned.configProblems };
        const account = accountId ?? UNNAMED_ACCOUNT;
        const plan = deployerPlanOf(planned.resources, planned.reads, account, planned.world.defaultRegion,
            [...planned.standIns, ...(accountId ? [] : [UNNAMED_ACCOUNT])]);
        return done(file, project, mode, accountId ?? "*", packPolicies(base, deployerStatements(plan, mode as DeployerMode)));
    }

    const { planStack, worldFor } = await import("../../offline/plan-engine");
    const named = typeof config[`${CONFIG_NAMESPACE}:accountId`] === "string" && worldFor(input).accountId === config[`${CONFIG_NAMESPACE}:accountId`];
    // `flowLogs: all` finds VPCs at deployment: one stand-in VPC per region stands for them.
    const planned = await planStack({ ...input, vpcs: Object.fromEntries(KNOWN_REGIONS.map((region) => [region, [DISCOVERED_VPC]])) });
    if (!planned.ok) return { ok: false, configProblems: planned.configProblems };
    const account = planned.world.accountId;
    const shownAccount = named ? account : "*";
    const partition: Partition = partitionOf(planned.config.mainRegion);
    const roles = assumedRoles(planned.config, mode);
    if (mode === "teardown" || mode === "verify") {
        const streams = planned.config.regions.map((r) => regionNames(r, planned.config.names).firehoseStream);
        const doc = mode === "teardown"
            // Teardown also reads the default-named stream of regions outside the stack's (it refuses while one delivers).
            ? teardownCallerPolicy(partition, shownAccount, [FIREHOSE_STREAM_NAME, ...streams])
            : verifyCallerPolicy(partition, shownAccount, accountNames(planned.config.names).integrationRole, planned.config.rolePath, streams);
        return done(file, project, mode, shownAccount, [{ name: base, document: doc as PolicyDocument }], roles);
    }
    const plan = deployerPlanOf(planned.resources, planned.reads, account, planned.world.defaultRegion, [DISCOVERED_VPC, ...(named ? [] : [account])]);
    return done(file, project, mode, shownAccount, packPolicies(base, deployerStatements(plan, mode)), roles);
}

/**
 * The roles the command's credentials assume to act in the monitored accounts: each account's
 * deploy role for a multi-account stack (the program's providers, and verify and teardown over
 * every account, assume it), else deployRoleArn for the program's deploy and destroy.
 */
function assumedRoles(config: IntegrationConfig, mode: Mode): string[] | undefined {
    if (config.accounts) return config.accounts.map((a) => a.deployRoleArn);
    return config.deployRoleArn && (mode === "deploy" || mode === "destroy") ? [config.deployRoleArn] : undefined;
}

/** Stands for each VPC `flowLogs: all` would find. */
export const DISCOVERED_VPC = "vpc-found-at-deployment";

function done(file: StackConfigFile, project: Project, mode: Mode, accountId: string, policies: NamedPolicy[], roles?: string[]): GenerateResult {
    const result: GeneratedPolicies = { project, stack: file.stackName, mode, accountId, policies };
    if (roles) {
        result.assumedRoles = roles;
        result.assumePolicy = {
            name: `${BASE_NAMES[project][mode]}-assume`,
            document: document([{ Sid: "AssumeTheStacksRoles", Effect: "Allow", Action: "sts:AssumeRole", Resource: roles.length === 1 ? roles[0] : roles }]),
        };
    }
    return { ok: true, result };
}

/** The plan's registrations as the model's deployer plan: type, name, region, inputs with secrets revealed. */
export function deployerPlanOf(resources: Registration[], reads: PlannedInvoke[], accountId: string, defaultRegion: string, standIns: string[]): DeployerPlan {
    return {
        resources: resources.filter((r) => r.custom).map((r) => {
            const region = r.region ?? defaultRegion;
            return { type: r.type, name: r.name, region, partition: partitionOf(region), accountId, inputs: unwrapSecrets(r.inputs, true) as Record<string, unknown> };
        }),
        reads: reads.map((read) => ({ token: read.token, region: read.region, partition: partitionOf(read.region), accountId, inputs: read.inputs })),
        standIns,
    };
}

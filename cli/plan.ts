/**
 * `stackstate-aws plan`: the monitored-account program, run offline under Pulumi's mock engine
 * (offline/plan-engine.ts), then checked by the policy pack (offline/policy-pack/).
 */
import { EXIT, UsageError } from "./exit-codes";
import { quoted } from "./quoted";
import { planStack, programConfig, PROJECT } from "../offline/plan-engine";
import { analyzeStack } from "../offline/policy-pack";
import { readPolicyPackConfigFile } from "./plan/policy-pack-config-file";
import {
    plannedResources, renderPlanJson, renderPlanTree, renderSecretInputs, renderViolations, resourcesWithSecrets,
} from "./plan/render";
import { readStackConfigFile } from "./stack-config-file";

export interface PlanOptions {
    config: string;
    policyPackConfig?: string;
    json?: boolean;
    /** Reveal secret inputs (the trust policy holds the ExternalId), as `pulumi preview --show-secrets`. */
    showSecrets?: boolean;
}

export async function runPlan(options: PlanOptions): Promise<number> {
    const file = readStackConfigFile(options.config);
    const policyConfig = options.policyPackConfig ? readPolicyPackConfigFile(options.policyPackConfig) : undefined;
    const progress = (message: string) => { if (!options.json) process.stderr.write(`${message}\n`); };

    progress(`Planning stack '${file.stackName}' from ${options.config}...`);
    const result = await planStack(file);
    if (!result.ok) {
        throw new UsageError(`invalid stack configuration in ${quoted(options.config)}:\n${result.configProblems.map((p) => `  - ${p.key}: ${p.message}`).join("\n")}`);
    }
    const violations = await analyzeStack(result.resources, {
        project: PROJECT,
        stack: file.stackName,
        stackConfig: programConfig(file),
        policyConfig,
        onProgress: progress,
    });
    const resources = plannedResources(result.resources, options.showSecrets, result.config.accounts !== undefined);
    if (options.json) {
        process.stdout.write(`${renderPlanJson(resources, violations)}\n`);
    } else {
        const { regions, mainRegion, flowLogs } = result.config;
        const discoveredIn = (logs: typeof flowLogs) => Object.keys(logs).filter((region) => logs[region].allVpcs === true);
        const accounts = result.config.accounts?.map((a) => ({ accountId: a.accountId, regions: a.regions, mainRegion: a.mainRegion, discovered: discoveredIn(a.flowLogs) }));
        const header = { stackName: file.stackName, accountId: result.world.accountId, regions, mainRegion, discovered: discoveredIn(flowLogs), accounts };
        process.stdout.write(`${renderPlanTree(header, resources)}\n\n`);
        const secretHolders = resourcesWithSecrets(result.resources);
        if (options.showSecrets && secretHolders.length > 0) {
            process.stdout.write(`${renderSecretInputs(secretHolders)}\n\n`);
        } else if (secretHolders.length > 0) {
            process.stdout.write(`${secretHolders.length} resource${secretHolders.length === 1 ? " has" : "s have"} secret inputs, shown as [secret]; --show-secrets reveals them (the trust policy holds the ExternalId).\n\n`);
        }
        process.stdout.write(`${renderViolations(violations)}\n`);
    }
    return violations.some((v) => v.enforcementLevel === "mandatory") ? EXIT.failed : EXIT.ok;
}

/** `stackstate-aws plan`: the monitored-account program, run offline under Pulumi's mock engine. */
import { Command } from "commander";
import { CONFIG_NAMESPACE } from "../model";
import { EXIT } from "./exit-codes";
import { planStack } from "./plan-engine";
import { plannedResources, renderPlanJson, renderPlanTree } from "./plan-render";
import { readStackConfigFile } from "./stack-config-file";

interface PlanOptions {
    config: string;
    json?: boolean;
}

export function registerPlan(program: Command): void {
    program
        .command("plan")
        .description("Plan a monitored-account stack offline (no Pulumi CLI, no AWS): print the resources it creates, by region.")
        .option("--config <file>", "Pulumi stack config file (config: { stackstate-aws:<key>: value })", "Pulumi.example.yaml")
        .option("--json", "print { resources, violations } as JSON")
        .action(async (options: PlanOptions) => {
            process.exitCode = await runPlan(options);
        });
}

export async function runPlan(options: PlanOptions): Promise<number> {
    const file = readStackConfigFile(options.config);
    const result = await planStack(file);
    if (result.configProblems) {
        process.stderr.write(`error: invalid stack configuration in '${options.config}':\n`);
        for (const p of result.configProblems) process.stderr.write(`  - ${p.key}: ${p.message}\n`);
        return EXIT.badInput;
    }
    const resources = plannedResources(result.resources);
    if (options.json) {
        process.stdout.write(`${renderPlanJson(resources, [])}\n`);
    } else {
        const regions = file.config[`${CONFIG_NAMESPACE}:regions`];
        const mainRegion = file.config[`${CONFIG_NAMESPACE}:mainRegion`];
        process.stdout.write(`${renderPlanTree({
            stackName: file.stackName,
            accountId: result.world.accountId,
            regions: Array.isArray(regions) ? regions.map(String) : [],
            mainRegion: typeof mainRegion === "string" ? mainRegion : Array.isArray(regions) ? String(regions[0]) : undefined,
        }, resources)}\n`);
    }
    return EXIT.ok;
}

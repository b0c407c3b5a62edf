/**
 * `stackstate-aws deployer-policy`: the IAM policies the principal running `pulumi up`/`preview`/
 * `refresh` (deploy), `pulumi destroy`, `teardown` or `verify` needs, generated from what the
 * offline plan of a stack config creates (docs/deployer-policy.md).
 */
import * as fs from "fs";
import * as path from "path";
import { IAM_LIMITS, policySize } from "../model";
import { EXIT, UsageError } from "./exit-codes";
import { NamedPolicy } from "../model/deployer";
import { GeneratedPolicies, generateDeployerPolicies, Mode, MODES, MODES_OF, Project, PROJECTS } from "./deployer-policy/generate";
import { readStackConfigFile } from "./stack-config-file";

export interface DeployerPolicyFlags {
    config?: string;
    mode?: string;
    project?: string;
    accountId?: string;
    out?: string;
    json?: boolean;
}

export const DEFAULT_CONFIG: Record<Project, string> = { "stackstate-aws": "Pulumi.example.yaml", collector: path.join("collector", "Pulumi.example.yaml") };

interface DeployerPolicyInput {
    config: string;
    project: Project;
    mode: Mode;
    accountId?: string;
    out?: string;
}

/** Every flag problem at once, before anything is read or written. */
export function parseDeployerPolicyFlags(flags: DeployerPolicyFlags): DeployerPolicyInput {
    const problems: string[] = [];
    const project = (flags.project ?? "stackstate-aws") as Project;
    if (!PROJECTS.includes(project)) problems.push(`--project must be one of ${PROJECTS.join(", ")}, got '${flags.project}'`);
    const mode = (flags.mode ?? "deploy") as Mode;
    if (!MODES.includes(mode)) {
        problems.push(`--mode must be one of ${MODES.join(", ")}, got '${flags.mode}'`);
    } else if (PROJECTS.includes(project) && !MODES_OF[project].includes(mode)) {
        problems.push(`--mode ${mode} is for the monitored-account project: the ${project} project has ${MODES_OF[project].join(" and ")}`);
    }
    if (flags.accountId !== undefined && !/^\d{12}$/.test(flags.accountId)) problems.push(`--account-id must be a 12-digit AWS account id, got '${flags.accountId}'`);
    if (flags.out !== undefined && fs.existsSync(flags.out) && !fs.statSync(flags.out).isDirectory()) problems.push(`--out '${flags.out}' exists and is not a directory`);
    if (problems.length > 0) throw new UsageError(`invalid input:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    return { config: flags.config ?? DEFAULT_CONFIG[project], project, mode, accountId: flags.accountId, out: flags.out };
}

export async function deployerPolicyCommand(flags: DeployerPolicyFlags): Promise<number> {
    const input = parseDeployerPolicyFlags(flags);
    const file = readStackConfigFile(input.config);
    if (!flags.json) process.stderr.write(`Planning ${input.project} stack '${file.stackName}' from ${input.config} for the ${input.mode} policy...\n`);
    const generated = await generateDeployerPolicies(file, input.project, input.mode, input.accountId);
    if (!generated.ok) {
        process.stderr.write(`error: invalid stack configuration in '${input.config}':\n`);
        for (const p of generated.configProblems) process.stderr.write(`  - ${p.key}: ${p.message}\n`);
        return EXIT.badInput;
    }
    const { result } = generated;
    const written = input.out ? writePolicies(input.out, result) : undefined;
    if (flags.json) {
        process.stdout.write(`${renderDeployerPolicyJson(result, written)}\n`);
    } else if (written) {
        process.stdout.write(`${written.join("\n")}\n`);
    } else {
        process.stdout.write(`${renderDeployerPolicyText(result)}\n`);
    }
    return EXIT.ok;
}

/** Every policy to a file of its own: the roles' policies, then the assume policy; returns the paths in that order. */
function writePolicies(dir: string, result: GeneratedPolicies): string[] {
    fs.mkdirSync(dir, { recursive: true });
    return [...result.policies, ...(result.assumePolicy ? [result.assumePolicy] : [])].map((policy) => {
        const file = path.join(dir, `${policy.name}.json`);
        fs.writeFileSync(file, `${JSON.stringify(policy.document, null, 2)}\n`);
        return file;
    });
}

export function renderDeployerPolicyJson(result: GeneratedPolicies, paths?: string[]): string {
    const shown = (p: NamedPolicy, i: number) => ({ name: p.name, size: policySize(p.document), ...(paths ? { path: paths[i] } : { document: p.document }) });
    return JSON.stringify({
        ...result,
        policies: result.policies.map(shown),
        ...(result.assumePolicy ? { assumePolicy: shown(result.assumePolicy, result.policies.length) } : {}),
    }, null, 2);
}

/** Each policy under a `#` line naming it; what follows the line is the JSON to paste. */
export function renderDeployerPolicyText(result: GeneratedPolicies): string {
    const roles = result.assumedRoles;
    // A multi-account stack's policies serve every account's role; accountId would be refused there.
    const account = roles && roles.length > 1 ? `each of its ${roles.length} accounts`
        : result.accountId === "*" ? "any account (set accountId or --account-id to name it)" : `account ${result.accountId}`;
    const target = roles ? `; attach to ${roles.length > 1 ? "each of " : ""}${roles.join(", ")}` : "";
    const blocks = result.policies.map((p, i) => [
        `# ${p.name} (${i + 1} of ${result.policies.length}; ${policySize(p.document)} of ${IAM_LIMITS.managedPolicyChars} characters): ${result.mode} of ${result.project} stack '${result.stack}', ${account}${target}`,
        JSON.stringify(p.document, null, 2),
    ].join("\n"));
    if (result.assumePolicy) {
        blocks.push([
            `# ${result.assumePolicy.name}: for the credentials that run the ${result.mode}, which assume ${roles!.length > 1 ? "those roles" : "that role"}`,
            JSON.stringify(result.assumePolicy.document, null, 2),
        ].join("\n"));
    }
    return blocks.join("\n\n");
}

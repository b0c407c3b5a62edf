/** Everything `adopt` shows or writes as text: the report, the stack config file, the JSON. */
import * as path from "path";
import { stringify } from "yaml";
import { AdoptOutcome } from "./run";
import { AdoptInput } from "./options";
import type { RetainResult } from "./retain";

export const IMPORT_FILE = "import.json";
export const REPORT_FILE = "adoption-report.txt";
export const stackConfigFileName = (stack: string) => `Pulumi.${stack}.yaml`;

const quote = (value: string) => `'${value.replace(/'/g, "'\\''")}'`;

export function renderStackConfig(outcome: AdoptOutcome, input: AdoptInput): string {
    const header = [
        `# Written by \`stackstate-aws adopt\` from the CloudFormation stack '${input.cfnStackName}' of account ${outcome.accountId}.`,
        "# It reproduces that install; the ExternalId the Agent presents is a secret and is not stored here:",
        "#   pulumi config set --secret externalId <the ExternalId>   (adopt --show-secrets prints it)",
    ];
    return `${header.join("\n")}\n${stringify({ config: outcome.stackConfig }, { lineWidth: 0 })}`;
}

export function nextSteps(outcome: AdoptOutcome, input: AdoptInput): string[] {
    const dir = input.outDir;
    const secret = outcome.adoption.externalId === undefined
        ? []
        : [`pulumi config set --secret externalId ${input.showSecrets ? quote(outcome.adoption.externalId) : "<ExternalId: rerun adopt with --show-secrets to see it>"}`];
    return [
        `pulumi stack init ${outcome.pulumiStack}`,
        `cp ${path.join(dir, stackConfigFileName(outcome.pulumiStack))} .`,
        ...secret,
        `pulumi import --file ${path.join(dir, IMPORT_FILE)} --generate-code=false`,
        "pulumi preview --diff --policy-pack policies",
        input.retain
            ? "pulumi up   (the CloudFormation stacks were deleted with every resource retained)"
            : `stackstate-aws adopt --stack-name ${input.cfnStackName} --regions ${input.regions.join(",")} --out ${dir} --retain   (then pulumi up)`,
    ];
}

export function renderReport(outcome: AdoptOutcome, input: AdoptInput): string {
    const { adoption } = outcome;
    const lines = [`Adopting CloudFormation stack '${input.cfnStackName}' of account ${outcome.accountId} into Pulumi stack '${outcome.pulumiStack}'`, "", "Regions:"];
    for (const r of outcome.regions) {
        const main = r.region === adoption.config.mainRegion ? " (main region)" : "";
        if (r.state === "found") lines.push(`  ${r.region}${main}: ${r.stack.status}, ${r.stack.resources.length} resources`);
        else if (r.state === "missing") lines.push(`  ${r.region}${main}: no stack named '${input.cfnStackName}'; the first pulumi up creates this region's resources afresh`);
        else lines.push(`  ${r.region}${main}: ${r.status}: ${r.reason}`);
    }
    if (outcome.elsewhere.length > 0) {
        lines.push(`  A stack named '${input.cfnStackName}' also exists in ${outcome.elsewhere.join(", ")}, which --regions does not list: add ${outcome.elsewhere.length > 1 ? "them" : "it"} to adopt ${outcome.elsewhere.length > 1 ? "them" : "it"} too.`);
    }
    if (outcome.problems.length > 0) {
        lines.push("", "Cannot adopt (nothing was written):", ...outcome.problems.map((p) => `  - ${p}`));
    }
    if (outcome.adopted.length > 0) {
        lines.push("", `Adopted (${outcome.adopted.length} resources in ${IMPORT_FILE}):`);
        for (const { spec, counterpart: c } of outcome.adopted) {
            lines.push(`  ${c.region} ${c.logicalId} (${c.cfnType}) -> ${spec.type} '${spec.logicalName ?? spec.name}', id ${spec.id}`);
        }
    }
    const absent = outcome.regions.flatMap((r) => (r.state === "found" ? r.stack.absent.map((a) => ({ region: r.region, ...a })) : []));
    if (absent.length > 0) {
        lines.push("", "Declared by the template but not in the stack (the first pulumi up creates this package's counterpart):");
        for (const a of absent) lines.push(`  ${a.region} ${a.logicalId} (${a.type}): ${a.reason}`);
    }
    if (adoption.unmatched.length > 0) {
        lines.push("", "No counterpart in this package (left as they are; CloudFormation no longer manages them once its stack is deleted with --retain):");
        for (const u of adoption.unmatched) lines.push(`  ${u.region} ${u.logicalId} (${u.type}${u.physicalId ? ` ${u.physicalId}` : ""}): ${u.reason}`);
    }
    if (adoption.notes.length > 0) lines.push("", "Notes:", ...adoption.notes.map((n) => `  - ${n}`));
    if (outcome.differences.length > 0) {
        lines.push("", "Settings the first pulumi up changes (the install -> this package):");
        for (const d of outcome.differences) {
            lines.push(`  ${d.region} ${d.resource} ${d.setting}: ${d.installed} -> ${d.ours}${d.effect === "replace" ? "  [REPLACES the resource]" : ""}`);
        }
    }
    if (outcome.created.length > 0) {
        lines.push("", "Created by the first pulumi up (nothing installed supplies them):");
        for (const r of outcome.created) lines.push(`  ${r.region ?? ""} ${r.type} '${r.name}'`);
    }
    if (outcome.problems.length === 0) {
        lines.push("", `Wrote ${IMPORT_FILE}, ${stackConfigFileName(outcome.pulumiStack)} and ${REPORT_FILE} into ${input.outDir}.`, "", "Next, in this project's directory:", ...nextSteps(outcome, input).map((s) => `  ${s}`));
    }
    return `${lines.join("\n")}\n`;
}

export function renderJson(outcome: AdoptOutcome, input: AdoptInput, retained?: RetainResult[]): string {
    const { adoption } = outcome;
    return `${JSON.stringify({
        accountId: outcome.accountId,
        cfnStackName: input.cfnStackName,
        pulumiStack: outcome.pulumiStack,
        regions: outcome.regions.map((r) => (r.state === "found"
            ? { region: r.region, state: r.state, status: r.stack.status, absent: r.stack.absent }
            : r.state === "missing" ? { region: r.region, state: r.state } : { region: r.region, state: r.state, status: r.status, reason: r.reason })),
        elsewhere: outcome.elsewhere,
        problems: outcome.problems,
        config: adoption.config,
        ...(input.showSecrets && adoption.externalId !== undefined ? { externalId: adoption.externalId } : {}),
        externalIdFound: adoption.externalId !== undefined,
        adopted: outcome.adopted.map(({ spec, counterpart }) => ({ ...counterpart, name: spec.logicalName ?? spec.name })),
        unmatched: adoption.unmatched,
        notes: adoption.notes,
        differences: outcome.differences,
        created: outcome.created.map((r) => ({ type: r.type, name: r.name, region: r.region ?? null })),
        files: outcome.problems.length === 0
            ? { importFile: path.join(input.outDir, IMPORT_FILE), stackConfig: path.join(input.outDir, stackConfigFileName(outcome.pulumiStack)), report: path.join(input.outDir, REPORT_FILE) }
            : null,
        ...(outcome.problems.length === 0 ? { nextSteps: nextSteps(outcome, input) } : {}),
        ...(retained ? { retained } : {}),
    }, null, 2)}\n`;
}

/**
 * `verify --deployer-role-arn ARN --config FILE`: the one check that a deploying role is allowed
 * the deploy policy `deployer-policy` generates for the stack (docs/deployer-policy.md).
 */
import { IAMClient } from "@aws-sdk/client-iam";
import { Partition } from "../../model";
import { parseRoleArn, RoleArn } from "../aws/input";
import { ClientFactory } from "../aws/clients";
import { generateDeployerPolicies } from "../deployer-policy/generate";
import { parseDeployerPolicyFlags } from "../deployer-policy";
import { EXIT, ExitCode, UsageError } from "../exit-codes";
import { readStackConfigFile } from "../stack-config-file";
import { DEPLOYER_CHECK_ID, GLOBAL_REGION, verifyExitCode } from "./checks";
import { checkDeployerRole } from "./deployer-check";
import { evaluate } from "./evaluate";
import { VerifyFlags } from "./options";
import { renderHuman, renderJson } from "./render";
import type { CommandIo } from "../command-io";

/** IAM is global; its endpoint lives in each partition's first region. */
const IAM_REGION: Record<Partition, string> = { aws: "us-east-1", "aws-us-gov": "us-gov-west-1" };

/** Flags of the account checks, which this mode does not run. */
const ACCOUNT_FLAGS: [keyof VerifyFlags, string][] = [
    ["roleArn", "--role-arn"], ["externalId", "--external-id"], ["regions", "--regions"], ["mainRegion", "--main-region"],
    ["agentProfile", "--agent-profile"], ["concurrency", "--concurrency"], ["timeout", "--timeout"],
];

function parseFlags(flags: VerifyFlags) {
    const problems: string[] = [];
    const role = parseRoleArn("--deployer-role-arn", flags.deployerRoleArn);
    problems.push(...role.problems);
    const mixed = ACCOUNT_FLAGS.filter(([key]) => flags[key] !== undefined).map(([, flag]) => flag);
    if (mixed.length > 0) problems.push(`--deployer-role-arn checks a deploying role on its own: leave out ${mixed.join(", ")} (run verify without --deployer-role-arn for the account's checks)`);
    let input: ReturnType<typeof parseDeployerPolicyFlags> | undefined;
    try {
        input = parseDeployerPolicyFlags({ config: flags.config, project: flags.project, accountId: flags.accountId, mode: "deploy" });
    } catch (error) {
        if (!(error instanceof UsageError)) throw error;
        problems.push(...error.message.split("\n").slice(1).map((line) => line.replace(/^ {2}- /, "")));
    }
    if (role.value && flags.accountId && role.value.accountId !== flags.accountId) {
        problems.push(`--deployer-role-arn is in account ${role.value.accountId}, but --account-id is ${flags.accountId}`);
    }
    if (problems.length > 0) throw new UsageError(`invalid input:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    return { role: role.value as RoleArn, input: input! };
}

export async function verifyDeployerCommand(flags: VerifyFlags, io: CommandIo, makeClients: () => ClientFactory & { destroy?(): void }): Promise<ExitCode> {
    const { role, input } = parseFlags(flags);
    const file = readStackConfigFile(input.config);
    io.stderr(`Planning ${input.project} stack '${file.stackName}' from ${input.config} for its deploy policy...\n`);
    // The role's own account is the one deployed into, unless the config says otherwise.
    const generated = await generateDeployerPolicies(file, input.project, "deploy", input.accountId ?? role.accountId);
    if (!generated.ok) {
        io.stderr(`error: invalid stack configuration in '${input.config}':\n`);
        for (const p of generated.configProblems) io.stderr(`  - ${p.key}: ${p.message}\n`);
        return EXIT.badInput;
    }
    const { policies, accountId } = generated.result;
    if (accountId !== "*" && accountId !== role.accountId) {
        throw new UsageError(`--deployer-role-arn is in account ${role.accountId}, but the stack deploys into account ${accountId}`);
    }
    const clients = makeClients();
    try {
        const iam: IAMClient = clients(IAM_REGION[role.partition]).iam;
        const result = await evaluate(DEPLOYER_CHECK_ID, GLOBAL_REGION, () => checkDeployerRole(iam, role.arn, policies,
            (done, total) => io.stderr(`[${done}/${total}] simulated\n`)));
        io.stdout(flags.json ? renderJson([result]) : renderHuman([result], `Deploy permissions of ${role.arn} for ${input.project} stack '${file.stackName}'`));
        return verifyExitCode([result]);
    } finally {
        clients.destroy?.();
    }
}

/**
 * The command line's surface: each command's name, flags and help. An implementation is loaded
 * only when its command runs: Pulumi, gRPC and the AWS SDK each take seconds to load, and
 * `--help` or one command should not pay for the others.
 */
import { Command } from "commander";
import type { PlanOptions } from "./plan";
import type { VerifyFlags } from "./verify/options";
import type { TeardownFlags } from "./teardown/options";
import type { AgentConfigFlags } from "./agent-config";
import type { AccountsFlags } from "./accounts";
import type { DeployerPolicyFlags } from "./deployer-policy";
import type { SchemaFlags } from "./schema";
import type { AdoptFlags } from "./adopt/options";
import { DEFAULT_REGION_CONCURRENCY } from "./verify/options";
import { DEFAULT_WAIT_SECONDS } from "./teardown/options";
import { DEFAULT_ACCOUNT_CONCURRENCY } from "./verify/accounts";
import { DEFAULT_TEARDOWN_ACCOUNT_CONCURRENCY } from "./teardown/accounts";
import { DEFAULT_TIMEOUT_SECONDS, TIMEOUT_ENV } from "./aws/timeouts";
import { EXTERNAL_ID_ENV } from "./aws/input";

const TIMEOUT_HELP = `seconds each AWS request may take, connecting included, before it is retried or given up (default ${DEFAULT_TIMEOUT_SECONDS}, or ${TIMEOUT_ENV})`;

function registerPlan(program: Command): void {
    program
        .command("plan")
        .description("Plan a monitored-account stack offline (no Pulumi CLI, no AWS): print the resources it creates, by region, and the policy pack's findings.")
        .option("--config <file>", "Pulumi stack config file (config: { stackstate-aws:<key>: value })", "Pulumi.example.yaml")
        .option("--policy-pack-config <file>", "policy pack config, as for pulumi preview --policy-pack-config")
        .option("--json", "print { resources, violations } as JSON")
        .option("--show-secrets", "show secret inputs (the trust policy, which holds the ExternalId) instead of [secret], as pulumi preview --show-secrets")
        .addHelpText("after", "\nExit codes: 0 no mandatory violation, 1 a mandatory violation, 2 bad input.")
        .action(async (options: PlanOptions) => {
            process.exitCode = await (await import("./plan")).runPlan(options);
        });
}

function registerVerify(program: Command): void {
    program
        .command("verify")
        .description("Check that a live AWS account is wired for StackState: role trust and permissions, the logs bucket, and each region's event pipeline.")
        .option("--role-arn <arn>", "ARN of the integration role, e.g. arn:aws:iam::123456789012:role/StackStateAwsIntegrationRole")
        .option("--external-id <id>", "the ExternalId the Agent presents")
        .option("--external-id-file <file>", `read the ExternalId from FILE (or set ${EXTERNAL_ID_ENV}): unlike --external-id, not shown by ps or kept in shell history`)
        .option("--regions <list>", "comma-separated regions the account captures, e.g. eu-west-1,us-east-1")
        .option("--main-region <region>", "region of the logs bucket (default: the first of --regions)")
        .option("--agent-profile <profile>", "AWS profile of a principal the role trusts (the Agent's), for the AssumeRole probes")
        .option("--concurrency <n>", `regions checked at once (default ${DEFAULT_REGION_CONCURRENCY})`)
        .option("--accounts <file>", "instead of --role-arn: every account of this file (a list of { accountId, regions?, mainRegion?, externalId? }, or a stack's outputs)")
        .option("--assume <role>", "with --config/--accounts: the role assumed in each account, deploy (default) or integration")
        .option("--role-name <name>", "with --config/--accounts: the deploy role's name, optionally after a path (default: the config's deployRoleName, else OrganizationAccountAccessRole)")
        .option("--account-concurrency <n>", `with --config/--accounts: accounts checked at once (default ${DEFAULT_ACCOUNT_CONCURRENCY})`)
        .option("--timeout <seconds>", TIMEOUT_HELP)
        .option("--deployer-role-arn <arn>", "instead: check that this role is allowed the deploy policy of --config (deployer-policy), with IAM's policy simulator")
        .option("--config <file>", "instead of --role-arn: every account of this stack config (Pulumi.<stack>.yaml), each through its deploy role; with --deployer-role-arn: the stack config of the deploy policy (default Pulumi.example.yaml)")
        .option("--project <project>", "with --deployer-role-arn: stackstate-aws or collector")
        .option("--account-id <id>", "with --deployer-role-arn: the account deployed into (default: the role's)")
        .option("--permissions <set>", "the permission set to require: published or minimal (default: the role's stackstate-aws:permissions tag, else published)")
        .option("--json", "print { checks: [{ id, region, status, message }] }; with --config/--accounts { accounts: [{ accountId, status, checks }] }")
        .addHelpText("after", "\nExit codes: 0 all pass, 1 a check failed, 2 bad input, 3 some checks could not be evaluated.")
        .action(async (flags: VerifyFlags) => {
            process.exitCode = await (await import("./verify")).verifyCommand(flags);
        });
}

function registerTeardown(program: Command): void {
    program
        .command("teardown")
        .description("Remove the integration's data flow from an account before `pulumi destroy`: disable the rules, delete the flow logs, empty (and optionally delete) the logs bucket.")
        .option("--account <id>", "the monitored account's 12-digit id")
        .option("--regions <list>", "comma-separated regions the account captures, e.g. eu-west-1,us-east-1")
        .option("--dry-run", "print what would be done and change nothing")
        .option("--yes", "do not ask for confirmation")
        .option("--delete-bucket", "delete the emptied bucket too")
        .option("--wait <seconds>", `pause for deliveries in flight before emptying (default ${DEFAULT_WAIT_SECONDS})`)
        .option("--config <file>", "instead of --account: every account of this stack config (Pulumi.<stack>.yaml), each through its deploy role")
        .option("--accounts <file>", "instead of --account: every account of this file (a list of { accountId, regions?, mainRegion? }, or a stack's outputs)")
        .option("--role-name <name>", "with --config/--accounts: the deploy role's name, optionally after a path (default: the config's deployRoleName, else OrganizationAccountAccessRole)")
        .option("--account-concurrency <n>", `with --config/--accounts: accounts torn down at once (default ${DEFAULT_TEARDOWN_ACCOUNT_CONCURRENCY})`)
        .option("--timeout <seconds>", TIMEOUT_HELP)
        .option("--json", "print the report as JSON")
        .addHelpText("after", "\nExit codes: 0 done, 1 something could not be done (rerun to finish), 2 bad input or refused: nothing changed.")
        .action(async (flags: TeardownFlags) => {
            process.exitCode = await (await import("./teardown")).teardownCommand(flags);
        });
}

function registerAgentConfig(program: Command): void {
    program
        .command("agent-config")
        .description("Render the StackState Agent's aws_topology check configuration: one YAML file per distinct ExternalId, one instance per monitored account.")
        .option("--outputs <files...>", "outputs of monitored stacks, each saved with: pulumi stack output --json --show-secrets > FILE")
        .option("--role-arn <arn>", "instead of --outputs, one account: its integration role ARN")
        .option("--external-id <id>", "with --role-arn: the ExternalId the role requires")
        .option("--external-id-file <file>", `with --role-arn: read the ExternalId from FILE (or set ${EXTERNAL_ID_ENV}), which ps and shell history do not show`)
        .option("--regions <list>", "with --role-arn: comma-separated regions to read (global is added)")
        .option("--out <dir>", "write the files into DIR (created if missing), each atomically, and print their paths; default: print the YAML")
        .option("--remove-stale", "with --out: remove files stackstate-aws rendered into DIR earlier that these accounts no longer need (default: name them)")
        .option("--json", "print { files: [{ fileName, accountIds, path | content }], stale, removed } as JSON")
        .addHelpText("after", "\nExit codes: 0 rendered, 2 bad input: nothing written.")
        .action(async (flags: AgentConfigFlags) => {
            process.exitCode = await (await import("./agent-config")).agentConfigCommand(flags);
        });
}

function registerDeployerPolicy(program: Command): void {
    program
        .command("deployer-policy")
        .description("Generate the least-privilege IAM policies for the principal that deploys a stack (pulumi up/preview/refresh), destroys it, or runs teardown or verify, from what the stack's offline plan creates.")
        .option("--config <file>", "Pulumi stack config file (default: Pulumi.example.yaml, or collector/Pulumi.example.yaml with --project collector)")
        .option("--mode <mode>", "deploy (pulumi up, preview, refresh), destroy (pulumi destroy), teardown or verify", "deploy")
        .option("--project <project>", "stackstate-aws (the monitored-account program) or collector", "stackstate-aws")
        .option("--account-id <id>", "the account deployed into, when the stack config does not name it (otherwise ARNs hold * for it)")
        .option("--out <dir>", "write each policy to DIR/<name>.json (created if missing) and print the paths")
        .option("--json", "print { project, stack, mode, accountId, policies: [{ name, size, document | path }] }")
        .addHelpText("after", "\nExit codes: 0 generated, 1 the plan failed, 2 bad input: nothing written.")
        .action(async (flags: DeployerPolicyFlags) => {
            process.exitCode = await (await import("./deployer-policy")).deployerPolicyCommand(flags);
        });
}

function registerSchema(program: Command): void {
    program
        .command("schema")
        .description("Print the component package's schema (JSON), the one `pulumi package add` generates Python, Go, .NET, Java and YAML SDKs from.")
        .option("--out <file>", "write the schema to FILE and print its path, e.g. --out docs/schema.json")
        .option("--json", "with --out, print { file } as JSON (the schema itself is always JSON)")
        .addHelpText("after", "\nExit codes: 0 printed, 1 the schema could not be inferred, 2 bad input: nothing written.")
        .action(async (flags: SchemaFlags) => {
            process.exitCode = await (await import("./schema")).schemaCommand(flags);
        });
}

function registerAdopt(program: Command): void {
    program
        .command("adopt")
        .description("Move an installed CloudFormation template (stackstate-resources) under Pulumi without recreating it: write a pulumi import file, the stack config that reproduces the install, and a report of what maps and what changes.")
        .option("--stack-name <name>", "the CloudFormation stack's name in each region", "stackstate-resources")
        .option("--regions <list>", "comma-separated regions to adopt, e.g. eu-west-1,us-east-1")
        .option("--main-region <region>", "region of the role and bucket (default: the region whose stack holds them)")
        .option("--out <dir>", "directory to write import.json, Pulumi.<stack>.yaml and adoption-report.txt into (created if missing)")
        .option("--stack <name>", "the Pulumi stack to write the config for (default: the account id)")
        .option("--show-secrets", "print the installed ExternalId (never written to a file)")
        .option("--retain", "then set DeletionPolicy Retain on every resource through a stack update, check it, and delete the CloudFormation stacks")
        .option("--timeout <seconds>", TIMEOUT_HELP)
        .option("--json", "print the report as JSON")
        .addHelpText("after", "\nExit codes: 0 written (and with --retain, every stack retained and deleted), 1 cannot adopt or a --retain step failed, 2 bad input: nothing read or written, 3 AWS could not be read: nothing written.")
        .action(async (flags: AdoptFlags) => {
            process.exitCode = await (await import("./adopt")).adoptCommand(flags);
        });
}

function registerAccounts(program: Command): void {
    const collect = (value: string, previous: string[] = []) => [...previous, value];
    program
        .command("accounts")
        .description("List an AWS Organization's ACTIVE accounts and merge them into a stack config's accounts: entries already there keep their settings, entries no longer found are reported and kept.")
        .option("--from-organization", "read the accounts from AWS Organizations (the caller's organization)")
        .option("--ou <id>", "only accounts under this OU or root, recursively (repeatable)", collect)
        .option("--exclude <account>", "leave this account out (repeatable)", collect)
        .option("--out <file>", "the stack config file to write (Pulumi.<stack>.yaml; created if missing)")
        .option("--dry-run", "print what would change and write nothing")
        .option("--json", "print { file, written, found, added, kept, notDiscovered, excluded, excludedButListed }")
        .addHelpText("after", "\nExit codes: 0 done, 1 Organizations could not be read, 2 bad input: nothing written.")
        .action(async (flags: AccountsFlags) => {
            process.exitCode = await (await import("./accounts")).accountsCommand(flags);
        });
}

export const COMMANDS: ((program: Command) => void)[] = [registerPlan, registerVerify, registerTeardown, registerAgentConfig, registerAccounts, registerDeployerPolicy, registerSchema, registerAdopt];

/**
 * The program with `accounts`: one stack deploying many accounts, each through its own
 * providers assuming deployRoleName in it. Run by plan's engine, in-process.
 */
import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { planStack, PlanInput } from "../offline/plan-engine";
import { Registration, unwrapSecrets, valueOf } from "../offline/mock-engine";
import { ConfigError, validateIntegrationConfig } from "../model";
import { testEngine } from "./helpers/engine";

const NS = "stackstate-aws:";
const AGENT_ROLE = "arn:aws:iam::210987654321:role/StackStateAgentRole";
const [A, B, C] = ["111111111111", "222222222222", "333333333333"];

function stackConfig(accounts: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> {
    return { [`${NS}regions`]: ["eu-west-1", "us-east-1"], [`${NS}agentRoleArns`]: [AGENT_ROLE], [`${NS}accounts`]: accounts, ...extra };
}

async function plan(config: Record<string, unknown>, extra: Partial<PlanInput> = {}) {
    const result = await planStack({ stackName: "org", config, ...extra });
    if (!result.ok) throw new Error(`config refused: ${JSON.stringify(result.configProblems)}`);
    return result;
}

const inputs = (r: Registration) => unwrapSecrets(r.inputs, true) as Record<string, any>;
const providerInputs = (r: Registration) => {
    const roles = r.inputs.assumeRoles;
    return typeof roles === "string" ? JSON.parse(roles) : roles;
};

/** URN → inputs of the resources deployed in one account. */
function accountResources(resources: Registration[], accountId: string): Map<string, unknown> {
    return new Map(resources.filter((r) => r.account === accountId).map((r) => [r.urn, unwrapSecrets(r.inputs, true)]));
}

describe("a stack of several accounts", () => {
    after(() => testEngine().install());

    it("deploys one integration per account, named by its id, through providers that assume deployRoleName there", async () => {
        const { resources } = await plan(stackConfig([{ accountId: A }, { accountId: B, regions: ["us-east-1"] }], {
            [`${NS}deployRoleName`]: "ci/StackStateDeployer",
        }));
        const integrations = resources.filter((r) => r.type.endsWith(":StackStateAwsIntegration"));
        expect(integrations.map((r) => r.name)).to.deep.equal([`stackstate-${A}`, `stackstate-${B}`]);

        const providers = resources.filter((r) => r.type === "pulumi:providers:aws");
        expect(providers.map((p) => [p.name, p.region, providerInputs(p)[0].roleArn])).to.deep.equal([
            [`stackstate-${A}-eu-west-1`, "eu-west-1", `arn:aws:iam::${A}:role/ci/StackStateDeployer`],
            [`stackstate-${A}-us-east-1`, "us-east-1", `arn:aws:iam::${A}:role/ci/StackStateDeployer`],
            [`stackstate-${B}-us-east-1`, "us-east-1", `arn:aws:iam::${B}:role/ci/StackStateDeployer`],
        ]);
        // Every AWS resource sits in its account: the bucket, the role, the streams.
        const buckets = resources.filter((r) => r.type === "aws:s3/bucket:Bucket");
        expect(buckets.map((b) => [b.account, b.region, b.inputs.bucket])).to.deep.equal([
            [A, "eu-west-1", `stackstate-logs-${A}`], [B, "us-east-1", `stackstate-logs-${B}`],
        ]);
        const streams = resources.filter((r) => r.type === "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream");
        expect(streams.map((s) => [s.account, s.region, inputs(s).extendedS3Configuration.prefix])).to.deep.equal([
            [A, "eu-west-1", `AWSLogs/${A}/EventBridge/eu-west-1/`],
            [A, "us-east-1", `AWSLogs/${A}/EventBridge/us-east-1/`],
            [B, "us-east-1", `AWSLogs/${B}/EventBridge/us-east-1/`],
        ]);
        const roles = resources.filter((r) => r.inputs.name === "StackStateAwsIntegrationRole");
        expect(roles.map((r) => r.outputs.arn)).to.deep.equal([
            `arn:aws:iam::${A}:role/StackStateAwsIntegrationRole`, `arn:aws:iam::${B}:role/StackStateAwsIntegrationRole`,
        ]);
        const awsResources = resources.filter((r) => r.custom && r.type.startsWith("aws:"));
        expect(awsResources.filter((r) => r.account === undefined).map((r) => r.urn)).to.deep.equal([]);
        const urns = resources.map((r) => r.urn);
        expect(new Set(urns).size).to.equal(urns.length);
    });

    it("leaves every other account's resources as they were when accounts are added, removed or reordered", async () => {
        const before = (await plan(stackConfig([{ accountId: A }, { accountId: B }]))).resources;
        const variants = [
            [{ accountId: B }, { accountId: A }],
            [{ accountId: C }, { accountId: A }, { accountId: B }],
            [{ accountId: A }, { accountId: C }, { accountId: B }],
        ];
        for (const accounts of variants) {
            const after = (await plan(stackConfig(accounts))).resources;
            for (const id of [A, B]) {
                expect(accountResources(after, id), `${id} in ${accounts.map((a) => a.accountId).join(",")}`)
                    .to.deep.equal(accountResources(before, id));
            }
        }
        const removed = (await plan(stackConfig([{ accountId: B }]))).resources;
        expect(accountResources(removed, B)).to.deep.equal(accountResources(before, B));
        expect(accountResources(removed, A).size).to.equal(0);
        expect(accountResources(before, A).size).to.be.greaterThan(20);
    });

    it("fills each account from the stack's keys: regions, main region, ExternalId, tags merged", async () => {
        const config = validateIntegrationConfig({
            regions: ["eu-west-1", "us-east-1"], mainRegion: "us-east-1", agentRoleArns: [AGENT_ROLE],
            externalId: "stack-wide-external-id-0123", tags: { team: "platform", env: "prod" }, flowLogs: { "eu-west-1": "all" },
            accounts: [
                { accountId: A },
                { accountId: B, regions: ["eu-west-1", "eu-central-1"], externalId: "account-b-external-id-0123", tags: { env: "dev" } },
                { accountId: C, regions: ["eu-central-1"], mainRegion: "eu-central-1", flowLogs: { "eu-central-1": ["vpc-0123abcd"] } },
            ],
        });
        expect(config.accounts).to.deep.equal([
            {
                accountId: A, regions: ["eu-west-1", "us-east-1"], mainRegion: "us-east-1", partition: "aws",
                externalId: "stack-wide-external-id-0123", flowLogs: { "eu-west-1": { allVpcs: true } }, tags: { team: "platform", env: "prod" },
                deployRoleArn: `arn:aws:iam::${A}:role/OrganizationAccountAccessRole`,
            },
            {
                accountId: B, regions: ["eu-west-1", "eu-central-1"], mainRegion: "eu-west-1", partition: "aws",
                externalId: "account-b-external-id-0123", flowLogs: { "eu-west-1": { allVpcs: true } }, tags: { team: "platform", env: "dev" },
                deployRoleArn: `arn:aws:iam::${B}:role/OrganizationAccountAccessRole`,
            },
            {
                accountId: C, regions: ["eu-central-1"], mainRegion: "eu-central-1", partition: "aws",
                externalId: "stack-wide-external-id-0123", flowLogs: { "eu-central-1": { vpcIds: ["vpc-0123abcd"] } }, tags: { team: "platform", env: "prod" },
                deployRoleArn: `arn:aws:iam::${C}:role/OrganizationAccountAccessRole`,
            },
        ]);
    });

    it("exports outputs keyed by account, each with the single-account outputs and its ExternalId secret", async () => {
        const { outputs } = await plan(stackConfig([{ accountId: A, externalId: "account-a-external-id-0123" }, { accountId: B, regions: ["us-east-1"] }]));
        expect(outputs.accountIds).to.deep.equal([A, B]);
        const accounts = outputs.accounts as Record<string, Record<string, pulumi.Output<unknown> | unknown>>;
        expect(Object.keys(accounts)).to.deep.equal([A, B]);
        const a = accounts[A];
        expect(await valueOf(a.accountId as pulumi.Output<string>)).to.equal(A);
        expect(await valueOf(a.roleArn as pulumi.Output<string>)).to.equal(`arn:aws:iam::${A}:role/StackStateAwsIntegrationRole`);
        expect(await valueOf(a.externalId as pulumi.Output<string>)).to.equal("account-a-external-id-0123");
        expect(await pulumi.isSecret(a.externalId as pulumi.Output<string>)).to.equal(true);
        expect(await pulumi.isSecret(a.roleArn as pulumi.Output<string>)).to.equal(false);
        expect(a.regions).to.deep.equal(["eu-west-1", "us-east-1"]);
        expect(await valueOf(accounts[B].bucketName as pulumi.Output<string>)).to.equal(`stackstate-logs-${B}`);
        expect(await valueOf(accounts[B].agentInstance as pulumi.Output<unknown>)).to.deep.equal({
            role_arn: `arn:aws:iam::${B}:role/StackStateAwsIntegrationRole`, regions: ["us-east-1", "global"],
        });
    });

    it("gives each account every stack-wide setting a single-account stack of it would get", async () => {
        const stackWide = {
            [`${NS}permissions`]: "minimal", [`${NS}apiGatewayAccess`]: "read", [`${NS}rolePath`]: "/stackstate/",
            [`${NS}permissionsBoundaryArn`]: `arn:aws:iam::${A}:policy/Boundary`, [`${NS}externalId`]: "stack-wide-external-id-0123",
        };
        const integrationRole = (resources: Registration[]) => {
            const ofRole = resources.filter((r) => ["aws:iam/role:Role", "aws:iam/policy:Policy"].includes(r.type)
                && String(inputs(r).name).startsWith("StackStateAwsIntegration"));
            return ofRole.map((r) => [r.type, inputs(r)]);
        };
        const multi = await plan(stackConfig([{ accountId: A }], stackWide));
        const single = await plan({ ...stackConfig([]), [`${NS}accounts`]: undefined, [`${NS}accountId`]: A, ...stackWide });
        expect(integrationRole(multi.resources)).to.have.length.greaterThan(1);
        expect(integrationRole(multi.resources)).to.deep.equal(integrationRole(single.resources));

        // A customer-managed boundary is each account's own: the same path and name in every account.
        const [a, b, aws] = validateIntegrationConfig({
            regions: ["eu-west-1"], agentRoleArns: [AGENT_ROLE], permissionsBoundaryArn: `arn:aws:iam::${A}:policy/ops/Boundary`,
            accounts: [{ accountId: A }, { accountId: B }],
        }).accounts!.concat(validateIntegrationConfig({
            regions: ["eu-west-1"], agentRoleArns: [AGENT_ROLE], permissionsBoundaryArn: "arn:aws:iam::aws:policy/PowerUserAccess", accounts: [{ accountId: C }],
        }).accounts!);
        expect([a, b, aws].map((account) => account.permissionsBoundaryArn)).to.deep.equal([
            `arn:aws:iam::${A}:policy/ops/Boundary`, `arn:aws:iam::${B}:policy/ops/Boundary`, "arn:aws:iam::aws:policy/PowerUserAccess",
        ]);
        const twoAccounts = await plan(stackConfig([{ accountId: A }, { accountId: B }], stackWide));
        const boundaries = twoAccounts.resources.filter((r) => r.type === "aws:iam/role:Role").map((r) => [r.account, inputs(r).permissionsBoundary]);
        expect(new Set(boundaries.map(([account, boundary]) => `${account} ${boundary}`))).to.deep.equal(new Set([A, B].map((id) => `${id} arn:aws:iam::${id}:policy/Boundary`)));
    });

    it("refuses names (an adopted install's, one account's own) with accounts", () => {
        expect(() => validateIntegrationConfig({ regions: ["eu-west-1"], agentRoleArns: [AGENT_ROLE], accounts: [{ accountId: A }], names: { integrationRole: "Adopted" } }))
            .to.throw(ConfigError, "stackstate-aws:names: applies only to a single-account stack: adopt each account's install in a stack of its own");
    });

    it("keeps a single-account stack's resources and outputs as they were", async () => {
        const { resources, outputs } = await plan({ [`${NS}regions`]: ["eu-west-1", "us-east-1"], [`${NS}agentRoleArns`]: [AGENT_ROLE] });
        const names = resources.map((r) => r.urn.split("::").pop());
        // Logical names as every existing stack has them: a rename would replace the resources.
        for (const name of ["stackstate", "stackstate-eu-west-1", "stackstate-us-east-1", "stackstate-integration-role",
            "stackstate-logs-bucket", "stackstate-events-us-east-1-stream", "stackstate-key-eu-west-1-key", "stackstate-external-id"]) {
            expect(names, name).to.include(name);
        }
        expect(resources.filter((r) => r.type.endsWith(":StackStateAwsIntegration")).map((r) => r.parent)).to.deep.equal([undefined]);
        expect(resources.filter((r) => r.account !== undefined)).to.deep.equal([]);
        expect(Object.keys(outputs).sort()).to.deep.equal(
            ["accountId", "agentInstance", "bucketArn", "bucketName", "externalId", "mainRegion", "regions", "roleArn", "streamArns"]);
    });
});

describe("bad accounts config", () => {
    function problemsOf(raw: Record<string, unknown>): string[] {
        try {
            validateIntegrationConfig(raw);
        } catch (error) {
            expect(error).to.be.instanceOf(ConfigError);
            return (error as ConfigError).problems.map((p) => `${p.key}: ${p.message}`);
        }
        throw new Error("the config was accepted");
    }
    const base = { regions: ["eu-west-1"], agentRoleArns: [AGENT_ROLE] };

    it("names a repeated account, an id that is not 12 digits and an unknown entry key", () => {
        expect(problemsOf({ ...base, accounts: [{ accountId: A }, { accountId: B }, { accountId: A }] })).to.deep.equal([
            `stackstate-aws:accounts: must not list an account twice, got ${A} more than once`,
        ]);
        expect(problemsOf({ ...base, accounts: [{ accountId: "12345" }, { accountId: B, region: "eu-west-1" }] })).to.deep.equal([
            'stackstate-aws:accounts: must be a 12-digit AWS account ID (at [0].accountId), got "12345"; has unknown key \'region\' (at [1]); known keys are: accountId, regions, mainRegion, externalId, flowLogs, tags',
        ]);
    });

    it("checks each entry's layout and the keys that mean one account", () => {
        const problems = problemsOf({
            ...base, accountId: A, deployRoleArn: `arn:aws:iam::${A}:role/Deployer`, flowLogs: { "eu-west-1": ["vpc-0123abcd"] },
            accounts: [{ accountId: A, regions: ["us-east-1"], mainRegion: "eu-west-1" }, { accountId: B }],
        });
        expect(problems).to.deep.equal([
            "stackstate-aws:accountId: applies only to a single-account stack; with accounts, each entry's accountId is checked and deployRoleName is assumed in it",
            "stackstate-aws:deployRoleArn: applies only to a single-account stack; with accounts, each entry's accountId is checked and deployRoleName is assumed in it",
            "stackstate-aws:accounts: [0] (111111111111): mainRegion must be one of regions (us-east-1), got 'eu-west-1'",
            `stackstate-aws:accounts: [1] (${B}): would inherit the stack's flowLogs, which list VPC ids of one account; set flowLogs in each entry, or use "all" in the stack's flowLogs`,
        ]);
        expect(problemsOf({ ...base, deployRoleName: "OrganizationAccountAccessRole" })).to.deep.equal([
            "stackstate-aws:deployRoleName: applies only with accounts; a single-account stack assumes deployRoleArn",
        ]);
        expect(problemsOf({ ...base, accounts: [{ accountId: A, regions: ["us-gov-west-1"] }] })).to.deep.equal([
            "stackstate-aws:accounts: must all be in one AWS partition with the stack's regions, got aws and aws-us-gov",
        ]);
    });

    it("judges each entry on the fields its schema passed: a bad field hides neither the entry's other problems nor the others'", () => {
        const problems = problemsOf({
            ...base, mainRegion: "eu-west-1",
            accounts: [
                { accountId: A, tags: { "aws:reserved": "x" } },
                { accountId: A, regions: ["us-east-1"], mainRegion: "eu-west-1" },
                // Its own regions were refused, so its mainRegion is not judged against the stack's regions.
                { accountId: B, regions: ["nowhere-1"], mainRegion: "us-east-1" },
            ],
        });
        expect(problems[0]).to.match(/^stackstate-aws:accounts: tag keys must be .* \(at \[0\]\.tags\): "aws:reserved"; must be a known AWS region code .* \(at \[2\]\.regions\[0\]\), got "nowhere-1"$/);
        expect(problems.slice(1)).to.deep.equal([
            `stackstate-aws:accounts: must not list an account twice, got ${A} more than once`,
            `stackstate-aws:accounts: [1] (${A}): mainRegion must be one of regions (us-east-1), got 'eu-west-1'`,
        ]);
    });

    it("never echoes an entry's ExternalId", () => {
        const problems = problemsOf({ ...base, accounts: [{ accountId: A, externalId: "short!secret" }, { accountId: B, externalId: 42, extra: "x" }] });
        expect(problems.join("\n")).to.not.include("short!secret");
        expect(problems.join("\n")).to.not.include("42");
        expect(problems.join("\n")).to.include("(at [0].externalId)");
        // A secret under a misspelt name, or an entry that is only a secret, is not echoed either.
        for (const accounts of [{ accountId: A, externalID: "misspelt-secret-value" }, ["misspelt-secret-value"]]) {
            const text = problemsOf({ ...base, accounts }).join("\n");
            expect(text).to.include("stackstate-aws:accounts: ");
            expect(text).to.not.include("misspelt-secret-value");
        }
    });

    it("judges the partition only when every region of the stack passed the schema", () => {
        expect(problemsOf({ ...base, regions: ["mars-1"], accounts: [{ accountId: A, regions: ["us-gov-west-1"] }] }).map((p) => p.split(": ")[0]))
            .to.deep.equal(["stackstate-aws:regions"]);
    });
});

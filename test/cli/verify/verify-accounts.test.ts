/**
 * `verify` and `teardown` over several accounts, on moto: each account built with credentials
 * from AssumeRole into it (moto keeps every account's resources apart), then checked or torn down
 * through the deploy role the command assumes there. What moto cannot do — refuse an AssumeRole,
 * simulate IAM policies, enforce the ExternalId — comes from aws-sdk-client-mock, as in
 * test/cli/verify/verify.test.ts.
 */
import { expect } from "chai";
import { promises as fs } from "fs";
import * as os from "os";
import * as path from "path";
import { mockClient } from "aws-sdk-client-mock";
import { AssumeRoleCommand } from "@aws-sdk/client-sts";
import { DescribeRuleCommand } from "@aws-sdk/client-eventbridge";
import { ListObjectVersionsCommand } from "@aws-sdk/client-s3";
import { ClientFactory, sdkClientFactory } from "../../../cli/aws/clients";
import { UsageError } from "../../../cli/exit-codes";
import { assumedRoleCredentials, CredentialsProvider } from "../../../cli/org/assume";
import { readTargets } from "../../../cli/org/targets";
import { teardownCommand } from "../../../cli/teardown";
import { verifyCommand } from "../../../cli/verify";
import { EVENT_RULE_NAME, EVENT_SOURCES, logsBucketName } from "../../../model";
import { accessDenied, emulateTrust, fakeSimulator } from "../../helpers/aws-fakes";
import { buildWorld, WorldBreaks } from "../../helpers/aws-world";
import { MOTO_CREDENTIALS, motoEndpoint, resetMoto } from "../../helpers/moto";

const REGIONS = ["eu-west-1", "us-east-1"];
const EXTERNAL_ID = "org-wide-external-id-0123456789";
const [HEALTHY, PUBLISHED, BROKEN, LOCKED, ADOPTED] = ["111111111111", "222222222222", "333333333333", "444444444444", "555555555555"];
/** An install adopted with names of its own (the stack config's `names`), as a customised CloudFormation template leaves them. */
const ADOPTED_NAMES = {
    integrationRole: "stackstate-resources-IntegrationRole-1A2B",
    regions: { "eu-west-1": { firehoseStream: "stackstate-resources-StsStream-3C4D", kmsAlias: "alias/stackstate-resources-key" } },
};
const deployRole = (id: string) => `arn:aws:iam::${id}:role/OrganizationAccountAccessRole`;

/** The caller's clients; AssumeRole into LOCKED is refused as AWS refuses it, the rest reaches moto. */
function callerClients(endpoint: string, locked: string[]): ClientFactory & { destroy(): void } {
    const clients = sdkClientFactory({ endpoint, credentials: MOTO_CREDENTIALS });
    for (const region of REGIONS) {
        const mock = mockClient(clients(region).sts);
        (mock.send as unknown as { callThrough(): void }).callThrough();
        for (const id of locked) {
            mock.on(AssumeRoleCommand, { RoleArn: deployRole(id) })
                .rejects(accessDenied(`User: arn:aws:iam::123456789012:user/ci is not authorized to perform: sts:AssumeRole on resource: ${deployRole(id)}`));
        }
    }
    return clients;
}

/** Each account's clients, with the trust and the policy simulator emulated; counts accounts in flight. */
function accountClients(endpoint: string, inFlight: { now: number; max: number }) {
    return (credentials: CredentialsProvider) => {
        const clients = sdkClientFactory({ endpoint, credentials });
        emulateTrust(clients("eu-west-1").sts, (id) => id === EXTERNAL_ID);
        fakeSimulator(clients("eu-west-1").iam);
        inFlight.max = Math.max(inFlight.max, ++inFlight.now);
        return Object.assign(clients, { destroy: () => { inFlight.now--; } });
    };
}

describe("verify and teardown over several accounts", function () {
    this.timeout(120_000);
    let endpoint: string;
    let dir: string;

    async function buildAccount(id: string, breaks: WorldBreaks = {}, names?: typeof ADOPTED_NAMES) {
        const setup = sdkClientFactory({ endpoint, credentials: MOTO_CREDENTIALS });
        const credentials = assumedRoleCredentials(setup("eu-west-1").sts, deployRole(id), "test-setup");
        const clients = sdkClientFactory({ endpoint, credentials });
        try {
            return await buildWorld(clients, { accountId: id, regions: REGIONS, externalId: EXTERNAL_ID, agentAccountId: id, breaks, names });
        } finally {
            clients.destroy();
            setup.destroy();
        }
    }

    async function stackConfig(name: string, accounts: string[]): Promise<string> {
        const file = path.join(dir, `Pulumi.${name}.yaml`);
        await fs.writeFile(file, [
            "config:",
            `  stackstate-aws:regions: [${REGIONS.join(", ")}]`,
            `  stackstate-aws:agentAccountId: "210987654321"`,
            `  stackstate-aws:externalId: ${EXTERNAL_ID}`,
            "  stackstate-aws:accounts:",
            ...accounts.map((id) => `    - accountId: "${id}"`),
        ].join("\n"));
        return file;
    }

    const io = () => {
        const out = { stdout: "", stderr: "" };
        return { out, io: { stdout: (t: string) => { out.stdout += t; }, stderr: (t: string) => { out.stderr += t; } } };
    };

    before(async () => {
        endpoint = await motoEndpoint();
        await resetMoto();
        dir = await fs.mkdtemp(path.join(os.tmpdir(), "org-verify-"));
        await buildAccount(HEALTHY);
        await buildAccount(PUBLISHED, { regions: { "us-east-1": { ruleSources: EVENT_SOURCES.filter((s) => !["aws.sns", "aws.autoscaling"].includes(s)) } } });
        await buildAccount(BROKEN, { versioning: "Suspended" });
        await buildAccount(ADOPTED, {}, ADOPTED_NAMES);
    });
    after(() => fs.rm(dir, { recursive: true, force: true }));

    it("verifies every account through its deploy role, a bounded number at once; one account's trouble never stops the others", async () => {
        const config = await stackConfig("org", [HEALTHY, PUBLISHED, BROKEN, LOCKED]);
        const { out, io: streams } = io();
        const inFlight = { now: 0, max: 0 };
        const code = await verifyCommand({ config, json: true, accountConcurrency: "2" }, streams, () => callerClients(endpoint, [LOCKED]),
            { clientsWith: accountClients(endpoint, inFlight) });
        const report = JSON.parse(out.stdout) as { accounts: { accountId: string; status: string; checks: { id: string; region: string; status: string; message: string }[] }[] };
        expect(report.accounts.map((a) => [a.accountId, a.status])).to.deep.equal([
            [HEALTHY, "pass"], [PUBLISHED, "warn"], [BROKEN, "fail"], [LOCKED, "error"],
        ]);
        // Each account's checks are its own: its role, its bucket, its streams.
        const healthy = report.accounts[0].checks;
        expect(healthy.map((c) => c.status).every((s) => s === "pass")).to.equal(true);
        expect(healthy.find((c) => c.id === "bucket-exists")?.message).to.include(logsBucketName(HEALTHY));
        const notPassing = (i: number) => report.accounts[i].checks.filter((c) => c.status !== "pass").map((c) => [c.region, c.id, c.status]);
        expect(notPassing(1)).to.deep.equal([["us-east-1", "event-rule", "warn"]]);
        expect(notPassing(2)).to.deep.equal([["eu-west-1", "bucket-versioning", "fail"]]);
        expect(report.accounts[3].checks).to.deep.equal([{
            id: "account-access", region: "global", status: "error",
            message: `could not assume ${deployRole(LOCKED)}: ${report.accounts[3].checks[0].message.split(": ").slice(1).join(": ")}`,
        }]);
        expect(report.accounts[3].checks[0].message).to.match(/^could not assume arn:aws:iam::444444444444:role\/OrganizationAccountAccessRole: .*not authorized.*nothing in account 444444444444 was checked$/);
        expect(code).to.equal(1);
        expect(inFlight.max).to.equal(2);
        expect(inFlight.now).to.equal(0);
        expect(out.stderr).to.match(/\[4\/4\] \d{12} /);
    });

    it("exits 3 when the worst account could not be evaluated, 0 when all pass; prints a table per account", async () => {
        const { out, io: streams } = io();
        const code = await verifyCommand({ config: await stackConfig("some", [HEALTHY, LOCKED]) }, streams, () => callerClients(endpoint, [LOCKED]),
            { clientsWith: accountClients(endpoint, { now: 0, max: 0 }) });
        expect(code).to.equal(3);
        const lines = out.stdout.split("\n");
        expect(lines[0]).to.equal("StackState AWS integration of 2 accounts");
        expect(lines[2]).to.match(/^ACCOUNT\s+STATUS\s+PASS\s+FAIL\s+WARN\s+SKIP\s+ERROR$/);
        expect(lines[3]).to.match(new RegExp(`^${HEALTHY}\\s+PASS\\s+\\d+\\s+0\\s+0\\s+0\\s+0$`));
        expect(lines[4]).to.match(new RegExp(`^${LOCKED}\\s+ERROR\\s+0\\s+0\\s+0\\s+0\\s+1$`));
        expect(out.stdout).to.include(`2 accounts: 1 passed, 0 failed, 0 with warnings, 1 could not be fully evaluated`);

        const alone = io();
        expect(await verifyCommand({ config: await stackConfig("one", [HEALTHY]) }, alone.io, () => callerClients(endpoint, []),
            { clientsWith: accountClients(endpoint, { now: 0, max: 0 }) })).to.equal(0);
    });

    it("refuses bad input before any account is touched, naming it", async () => {
        const unknownId = path.join(dir, "accounts.yaml");
        await fs.writeFile(unknownId, `- accountId: "${HEALTHY}"\n- accountId: "12345"\n- accountId: "${HEALTHY}"\n  regions: [moon-1]\n`);
        const attempt = async (flags: Parameters<typeof verifyCommand>[0]) => {
            let assumed = 0;
            try {
                await verifyCommand(flags, io().io, () => { assumed++; return callerClients(endpoint, []); }, { clientsWith: accountClients(endpoint, { now: 0, max: 0 }) });
            } catch (error) {
                expect(error).to.be.instanceOf(UsageError);
                expect(assumed).to.equal(0);
                return (error as Error).message;
            }
            throw new Error("expected a UsageError");
        };
        expect(await attempt({ accounts: unknownId, regions: "eu-west-1", externalId: EXTERNAL_ID })).to.equal([
            "bad --accounts, nothing was done:",
            `  - ${unknownId}: [1]: accountId must be a 12-digit AWS account id, got "12345"`,
            `  - ${unknownId}: [2] (${HEALTHY}): regions must be a non-empty list of known region codes, got ["moon-1"]`,
        ].join("\n"));
        const twice = path.join(dir, "twice.yaml");
        await fs.writeFile(twice, `- accountId: "${HEALTHY}"\n- accountId: "${HEALTHY}"\n`);
        expect(await attempt({ accounts: twice, regions: "eu-west-1", externalId: EXTERNAL_ID })).to.equal(`${twice} lists ${HEALTHY} more than once, nothing was done`);
        const noExternalId = path.join(dir, "Pulumi.noid.yaml");
        await fs.writeFile(noExternalId, `config:\n  stackstate-aws:regions: [eu-west-1]\n  stackstate-aws:agentAccountId: "210987654321"\n  stackstate-aws:accounts:\n    - accountId: "${HEALTHY}"\n`);
        expect(await attempt({ config: noExternalId })).to.include(`account ${HEALTHY}: its ExternalId is not in the file`);
        const duplicate = await stackConfig("dup", [HEALTHY, HEALTHY]);
        expect(await attempt({ config: duplicate })).to.include(`stackstate-aws:accounts: must not list an account twice, got ${HEALTHY} more than once`);
        expect(await attempt({ config: duplicate, roleArn: deployRole(HEALTHY) })).to.include("--role-arn");
    });

    it("reads a stack of several accounts' outputs as --accounts, with each account's ExternalId and regions", () => {
        const outputs = path.join(dir, "outputs.json");
        return fs.writeFile(outputs, JSON.stringify({
            accountIds: [HEALTHY, PUBLISHED],
            accounts: {
                [HEALTHY]: { roleArn: `arn:aws:iam::${HEALTHY}:role/ops/StackStateAwsIntegrationRole`, externalId: EXTERNAL_ID, regions: REGIONS, mainRegion: "us-east-1" },
                [PUBLISHED]: { roleArn: `arn:aws:iam::${PUBLISHED}:role/StackStateAwsIntegrationRole`, externalId: "[secret]", regions: ["eu-west-1"] },
            },
        })).then(() => {
            expect(readTargets({ accounts: outputs, roleName: "ci/Deployer" })).to.deep.equal([
                {
                    accountId: HEALTHY, regions: REGIONS, mainRegion: "us-east-1", partition: "aws",
                    roleArn: `arn:aws:iam::${HEALTHY}:role/ops/StackStateAwsIntegrationRole`, externalId: EXTERNAL_ID,
                    accessRoleArn: `arn:aws:iam::${HEALTHY}:role/ci/Deployer`,
                },
                {
                    accountId: PUBLISHED, regions: ["eu-west-1"], mainRegion: "eu-west-1", partition: "aws",
                    roleArn: `arn:aws:iam::${PUBLISHED}:role/StackStateAwsIntegrationRole`, externalId: undefined,
                    accessRoleArn: `arn:aws:iam::${PUBLISHED}:role/ci/Deployer`,
                },
            ]);
        });
    });

    it("teardown changes nothing in any account while one cannot be reached, then tears every account down", async () => {
        const ruleState = async (id: string, region: string) => {
            const setup = sdkClientFactory({ endpoint, credentials: MOTO_CREDENTIALS });
            const clients = sdkClientFactory({ endpoint, credentials: assumedRoleCredentials(setup(region).sts, deployRole(id), "probe") });
            try {
                const rule = await clients(region).events.send(new DescribeRuleCommand({ Name: EVENT_RULE_NAME }));
                const versions = await clients("eu-west-1").s3.send(new ListObjectVersionsCommand({ Bucket: logsBucketName(id) }));
                return { state: rule.State, objects: (versions.Versions ?? []).length };
            } finally {
                clients.destroy();
                setup.destroy();
            }
        };
        const env = (locked: string[], out: ReturnType<typeof io>) => ({
            io: out.io, interactive: false, makeClients: () => callerClients(endpoint, locked),
            confirm: async () => { throw new Error("--yes must not ask"); },
            clientsWith: accountClients(endpoint, { now: 0, max: 0 }),
            sleep: async () => undefined,
        });
        const config = await stackConfig("teardown", [HEALTHY, BROKEN, LOCKED]);
        const before = await ruleState(HEALTHY, "us-east-1");
        expect(before.state).to.equal("ENABLED");
        expect(before.objects).to.be.greaterThan(0);

        let refusal = "";
        await teardownCommand({ config, yes: true, wait: "0" }, env([LOCKED], io())).catch((e: Error) => { refusal = e.message; });
        expect(refusal).to.match(new RegExp(`^refusing to tear down 3 accounts, nothing was changed in any:\\n  - account ${LOCKED}: could not assume ${deployRole(LOCKED).replace(/[/]/g, "\\/")}: `));
        expect(await ruleState(HEALTHY, "us-east-1")).to.deep.equal(before);

        const out = io();
        const code = await teardownCommand({ config: await stackConfig("teardown-ok", [HEALTHY, BROKEN]), yes: true, wait: "0", json: true }, env([], out));
        expect(code, out.out.stderr).to.equal(0);
        const report = JSON.parse(out.out.stdout) as { accounts: { accountId: string; status: string; report: { rulesDisabled: unknown[] } }[] };
        expect(report.accounts.map((a) => [a.accountId, a.status, a.report.rulesDisabled.length])).to.deep.equal([[HEALTHY, "done", 2], [BROKEN, "done", 2]]);
        for (const id of [HEALTHY, BROKEN]) {
            expect(await ruleState(id, "us-east-1")).to.deep.equal({ state: "DISABLED", objects: 0 });
        }
        // The account left out of the run is untouched.
        expect((await ruleState(PUBLISHED, "eu-west-1")).state).to.equal("ENABLED");
    });

    it("verifies and tears down an adopted install by the names its stack config gives, not this package's", async () => {
        const config = async (name: string, names?: typeof ADOPTED_NAMES) => {
            const file = path.join(dir, `Pulumi.${name}.yaml`);
            await fs.writeFile(file, [
                "config:",
                `  stackstate-aws:accountId: "${ADOPTED}"`,
                `  stackstate-aws:regions: [${REGIONS.join(", ")}]`,
                `  stackstate-aws:agentAccountId: "210987654321"`,
                `  stackstate-aws:externalId: ${EXTERNAL_ID}`,
                `  stackstate-aws:deployRoleArn: ${deployRole(ADOPTED)}`,
                ...(names ? [`  stackstate-aws:names: ${JSON.stringify(names)}`] : []),
            ].join("\n"));
            return file;
        };
        const verify = async (file: string) => {
            const { out, io: streams } = io();
            const code = await verifyCommand({ config: file, json: true }, streams, () => callerClients(endpoint, []),
                { clientsWith: accountClients(endpoint, { now: 0, max: 0 }) });
            const report = JSON.parse(out.stdout) as { accounts: { checks: { id: string; region: string; status: string; message: string }[] }[] };
            return { code, checks: report.accounts[0].checks };
        };
        const named = await verify(await config("adopted", ADOPTED_NAMES));
        expect(named.checks.filter((c) => c.status !== "pass"), JSON.stringify(named.checks)).to.deep.equal([]);
        expect(named.code).to.equal(0);
        const check = (id: string, region: string) => named.checks.find((c) => c.id === id && c.region === region)!.message;
        expect(check("firehose-stream", "eu-west-1")).to.include("stream 'stackstate-resources-StsStream-3C4D' is ACTIVE");
        expect(check("kms-key-rotation", "eu-west-1")).to.include("(alias/stackstate-resources-key)");
        expect(check("firehose-stream", "us-east-1")).to.include("stream 'stackstate-eventbridge-stream' is ACTIVE");

        // Without the names, the same account is checked for this package's names, and fails.
        const unnamed = await verify(await config("adopted-unnamed"));
        expect(unnamed.code).to.equal(1);
        expect(unnamed.checks.filter((c) => c.status === "fail").map((c) => [c.region, c.id])).to.deep.include.members([
            ["eu-west-1", "firehose-stream"], ["eu-west-1", "kms-key-rotation"],
        ]);

        const { out, io: streams } = io();
        const code = await teardownCommand({ config: await config("adopted-teardown", ADOPTED_NAMES), dryRun: true, json: true }, {
            io: streams, interactive: false, makeClients: () => callerClients(endpoint, []),
            confirm: async () => { throw new Error("a dry run must not ask"); },
            clientsWith: accountClients(endpoint, { now: 0, max: 0 }), sleep: async () => undefined,
        });
        expect(code, out.stderr).to.equal(0);
        const report = JSON.parse(out.stdout) as { accounts: { status: string; report: { rulesDisabled: { region: string; name: string }[] } }[] };
        // The rule feeding the adopted stream is found through the stream's own name.
        expect(report.accounts[0].status).to.equal("done");
        expect(report.accounts[0].report.rulesDisabled).to.deep.equal(REGIONS.map((region) => ({ region, name: EVENT_RULE_NAME })));
    });
});

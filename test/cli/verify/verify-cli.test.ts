/**
 * The verify command as users run it: the real binary in a child process, reaching moto only
 * through the standard AWS_ENDPOINT_URL and credential variables. The "pass" run preloads a fake
 * for IAM's policy simulator (moto lacks it); without it, that one check cannot be evaluated,
 * which is the exit-3 case.
 */
import { expect } from "chai";
import { CHECK_IDS } from "../../../cli/verify/checks";
import { motoClients, motoEndpoint, motoEnv, resetMoto } from "../../helpers/moto";
import { AGENT_ACCOUNT_ID, buildWorld, World, WorldBreaks, WORLD_EXTERNAL_ID } from "../../helpers/aws-world";
import { runCli } from "../../helpers/run-cli";

interface JsonReport {
    checks: { id: string; region: string; status: string; message: string }[];
}

describe("stackstate-aws verify (spawned CLI against moto)", function () {
    this.timeout(60_000);
    let endpoint: string;

    before(async () => {
        endpoint = await motoEndpoint();
    });
    beforeEach(() => resetMoto());

    async function world(breaks: WorldBreaks = {}): Promise<World> {
        const clients = motoClients(endpoint);
        // The role trusts the Agent's account, not moto's caller: the AssumeRole probes skip.
        const built = await buildWorld(clients, { regions: ["eu-west-1"], externalId: WORLD_EXTERNAL_ID, agentAccountId: AGENT_ACCOUNT_ID, breaks });
        clients.destroy();
        return built;
    }
    const args = (w: World, ...more: string[]) =>
        ["verify", "--role-arn", w.roleArn, "--external-id", w.externalId, "--regions", w.regions.join(","), ...more];

    it("exits 0 when every check passes or is skipped, printing the JSON report on stdout and progress on stderr", async () => {
        const w = await world();
        const run = await runCli(args(w, "--json"), { env: motoEnv(endpoint), preload: "test/helpers/preload-fake-simulator.ts" });
        expect(run.code, run.stderr).to.equal(0);
        const report = JSON.parse(run.stdout) as JsonReport;
        expect(report.checks.map((c) => c.id)).to.deep.equal([...CHECK_IDS]);
        expect(report.checks.filter((c) => c.status !== "pass").map((c) => [c.id, c.status])).to.deep.equal([
            ["assume-role-with-external-id", "skip"], ["assume-role-without-external-id", "skip"], ["assume-role-with-wrong-external-id", "skip"],
        ]);
        expect(Object.keys(report.checks[0])).to.deep.equal(["id", "region", "status", "message"]);
        expect(run.stderr.split("\n")[0]).to.equal(`Verifying ${w.roleArn} in eu-west-1 (main region eu-west-1)`);
        expect(run.stderr).to.contain("[18/18]");
    });

    it("exits 1 when a check fails, even though another could not be evaluated", async () => {
        const w = await world({ versioning: "Suspended" });
        const run = await runCli(args(w, "--json"), { env: motoEnv(endpoint) });
        expect(run.code, run.stderr).to.equal(1);
        const report = JSON.parse(run.stdout) as JsonReport;
        expect(report.checks.filter((c) => ["fail", "error"].includes(c.status)).map((c) => [c.id, c.status])).to.deep.equal([
            ["role-permissions", "error"], ["bucket-versioning", "fail"],
        ]);
    });

    it("exits 3 when nothing failed but the endpoint lacks an API (moto has no policy simulator), with a human summary", async () => {
        const w = await world();
        const run = await runCli(args(w), { env: motoEnv(endpoint) });
        expect(run.code, run.stderr).to.equal(3);
        const lines = run.stdout.trimEnd().split("\n");
        expect(lines[0]).to.equal(`StackState AWS integration of ${w.roleArn}`);
        expect(lines.find((l) => l.startsWith("ERROR"))).to.match(/^ERROR +global +role-permissions +could not call iam:SimulatePrincipalPolicy: the endpoint does not implement this call \(HTTP 500: @aws-sdk XML parse error: mismatched tags <html> and <\/title>\.\)$/);
        expect(lines.at(-1)).to.equal("18 checks: 14 passed, 0 failed, 0 warnings, 3 skipped, 1 could not be evaluated");
    });

    it("exits 2 on bad input, naming every problem, before calling AWS", async () => {
        const run = await runCli(["verify", "--role-arn", "arn:aws:iam::12345:role/x", "--external-id", "has spaces",
            "--regions", "eu-west-1,us-east-1", "--main-region", "eu-central-1", "--concurrency", "0"], { env: motoEnv("http://127.0.0.1:9") });
        expect(run.code).to.equal(2);
        expect(run.stdout).to.equal("");
        expect(run.stderr).to.equal([
            "error: invalid input:",
            "  - --role-arn must be an IAM role ARN such as arn:aws:iam::123456789012:role/StackStateAwsIntegrationRole (partition aws or aws-us-gov), is 'arn:aws:iam::12345:role/x'",
            "  - --external-id may contain only letters, digits and the characters _+=,.@:/-",
            "  - --main-region 'eu-central-1' must be one of --regions (eu-west-1, us-east-1)",
            "  - --concurrency must be a whole number from 1 to 64, is '0'",
            "",
        ].join("\n"));
    });
});

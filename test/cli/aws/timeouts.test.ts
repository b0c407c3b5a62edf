/**
 * Bounded time: every AWS request attempt is limited (`--timeout`, or STACKSTATE_AWS_TIMEOUT), so
 * an endpoint that takes connections and never answers ends a run with "timed out reaching
 * <endpoint>" instead of hanging it. Against a loopback server that swallows every request, and a
 * proxy in front of moto that swallows chosen ones.
 */
import { expect } from "chai";
import { ListKeysCommand } from "@aws-sdk/client-kms";
import { sdkClientFactory } from "../../../cli/aws/clients";
import { parseTimeout } from "../../../cli/aws/input";
import { DEFAULT_TIMEOUT_SECONDS, TIMEOUT_ENV } from "../../../cli/aws/timeouts";
import { teardownCommand } from "../../../cli/teardown";
import { TeardownReport } from "../../../cli/teardown/run";
import { motoClients, motoEndpoint, motoEnv, MOTO_ACCOUNT_ID, MOTO_CREDENTIALS, resetMoto } from "../../helpers/moto";
import { buildWorld, WORLD_EXTERNAL_ID } from "../../helpers/aws-world";
import { startHangServer, HangServer } from "../../helpers/hang-server";
import { startThrottlingProxy } from "../../helpers/throttling-proxy";
import { runCli } from "../../helpers/run-cli";

const ROLE_ARN = `arn:aws:iam::${MOTO_ACCOUNT_ID}:role/StackStateAwsIntegrationRole`;

describe("timeouts: an endpoint that never answers", function () {
    this.timeout(60_000);
    let hang: HangServer;

    beforeEach(async () => {
        hang = await startHangServer();
    });
    afterEach(() => hang.close());

    /** The spawned CLI's environment, every AWS call sent to the hung endpoint, two attempts each. */
    const hungEnv = (extra: NodeJS.ProcessEnv = {}) => ({ ...motoEnv(hang.endpoint), AWS_MAX_ATTEMPTS: "2", ...extra });

    it("verify: exits 3 with 'timed out reaching <endpoint>' after attempts × --timeout", async () => {
        const run = await runCli(["verify", "--role-arn", ROLE_ARN, "--external-id", WORLD_EXTERNAL_ID, "--regions", "eu-west-1", "--timeout", "1", "--json"], { env: hungEnv() });
        expect(run.code, run.stderr).to.equal(3);
        const checks = (JSON.parse(run.stdout) as { checks: { id: string; status: string; message: string }[] }).checks;
        expect(checks.find((c) => c.id === "caller-identity")).to.deep.equal({
            id: "caller-identity", region: "global", status: "error",
            message: `could not call sts:GetCallerIdentity: timed out reaching ${hang.endpoint} (no answer within 1 s, 2 attempts)`,
        });
        expect(hang.connections()).to.be.at.least(2);
    });

    it(`teardown: ${TIMEOUT_ENV} bounds it too; exits 3, nothing changed`, async () => {
        const run = await runCli(["teardown", "--account", MOTO_ACCOUNT_ID, "--regions", "eu-west-1", "--yes"], { env: hungEnv({ [TIMEOUT_ENV]: "1" }) });
        expect(run.code).to.equal(3);
        expect(run.stderr).to.equal(`error: could not call sts:GetCallerIdentity: timed out reaching ${hang.endpoint} (no answer within 1 s, 2 attempts); nothing was changed\n`);
    });

    it("a client's call gives up within attempts × timeout, naming where it was sent", async () => {
        const clients = sdkClientFactory({ endpoint: hang.endpoint, credentials: MOTO_CREDENTIALS, timeoutMs: 300, maxAttempts: 3 });
        const started = Date.now();
        try {
            const error = await clients("us-east-1").kms.send(new ListKeysCommand({})).then(() => undefined, (e: unknown) => e);
            expect(error).to.include({ name: "TimeoutError", $endpoint: hang.endpoint });
            // Three attempts of 0.3 s and the SDK's short backoff; far from "for ever".
            expect(Date.now() - started).to.be.below(5000);
            expect(hang.connections()).to.equal(3);
        } finally {
            clients.destroy();
        }
    });
});

describe("--timeout and its variable", () => {
    it("takes the flag over the variable over the default, and names whichever is bad", () => {
        expect(parseTimeout("5", { [TIMEOUT_ENV]: "9" })).to.deep.equal({ value: 5, problems: [] });
        expect(parseTimeout(undefined, { [TIMEOUT_ENV]: "9" })).to.deep.equal({ value: 9, problems: [] });
        expect(parseTimeout(undefined, {})).to.deep.equal({ value: DEFAULT_TIMEOUT_SECONDS, problems: [] });
        expect(parseTimeout("0", {}).problems).to.deep.equal(["--timeout must be a whole number from 1 to 3600, is '0'"]);
        expect(parseTimeout(undefined, { [TIMEOUT_ENV]: "soon" }).problems).to.deep.equal([`${TIMEOUT_ENV} must be a whole number from 1 to 3600, is 'soon'`]);
    });
});

describe("teardown when S3 stops answering midway (a proxy in front of moto)", function () {
    this.timeout(60_000);

    it("stops emptying with 'timed out reaching', keeps the bucket, exits 1; a rerun finishes", async () => {
        const endpoint = await motoEndpoint();
        await resetMoto();
        const admin = motoClients(endpoint);
        await buildWorld(admin, { regions: ["eu-west-1"], externalId: WORLD_EXTERNAL_ID, agentAccountId: MOTO_ACCOUNT_ID });
        admin.destroy();
        let hangDeletes = true;
        const proxy = await startThrottlingProxy(endpoint, (r) => (hangDeletes && r.service === "s3" && r.method === "POST" && r.path.includes("delete") ? "hang" : false));
        const run = async () => {
            let stdout = "";
            let stderr = "";
            const code = await teardownCommand(
                { account: MOTO_ACCOUNT_ID, regions: "eu-west-1", wait: "0", yes: true, deleteBucket: true, json: true, timeout: "3" },
                {
                    io: { stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; } },
                    interactive: false,
                    makeClients: ({ timeoutMs }) => sdkClientFactory({ endpoint: proxy.endpoint, credentials: MOTO_CREDENTIALS, timeoutMs, maxAttempts: 2 }),
                    confirm: async () => false,
                },
            );
            expect(stdout, stderr).to.not.equal("");
            return { code, stderr, report: JSON.parse(stdout) as TeardownReport };
        };
        try {
            const first = await run();
            expect(first.code).to.equal(1);
            expect(first.report.errors).to.deep.equal([
                `emptying stopped: could not call s3:DeleteObjectVersion: timed out reaching ${proxy.endpoint} (no answer within 3 s, 2 attempts); rerun to finish`,
            ]);
            expect([first.report.rulesDisabled.length, first.report.bucketDeleted]).to.deep.equal([1, false]);
            hangDeletes = false;
            const second = await run();
            expect([second.code, second.report.errors, second.report.bucketDeleted]).to.deep.equal([0, [], true]);
        } finally {
            await proxy.close();
        }
    });
});

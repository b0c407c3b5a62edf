/** The teardown command as users run it: the real binary in a child process, against moto through AWS_ENDPOINT_URL. */
import { expect } from "chai";
import { HeadBucketCommand } from "@aws-sdk/client-s3";
import { DescribeRuleCommand } from "@aws-sdk/client-eventbridge";
import { EVENT_RULE_NAME } from "../../../model";
import { motoClients, motoEndpoint, motoEnv, MOTO_ACCOUNT_ID, resetMoto } from "../../helpers/moto";
import { buildWorld, World, WORLD_EXTERNAL_ID } from "../../helpers/aws-world";
import { fillBucket } from "../../helpers/bucket-fill";
import { runCli } from "../../helpers/run-cli";

describe("stackstate-aws teardown (spawned CLI against moto)", function () {
    this.timeout(90_000);
    let endpoint: string;
    const base = ["teardown", "--account", MOTO_ACCOUNT_ID, "--regions", "eu-west-1"];

    before(async () => {
        endpoint = await motoEndpoint();
    });
    beforeEach(() => resetMoto());

    async function world(entries = 0): Promise<World> {
        const clients = motoClients(endpoint);
        const built = await buildWorld(clients, { regions: ["eu-west-1"], externalId: WORLD_EXTERNAL_ID, agentAccountId: MOTO_ACCOUNT_ID });
        if (entries > 0) await fillBucket(clients("eu-west-1").s3, built.bucket, { versions: entries * 0.8, deleteMarkers: entries * 0.2 });
        clients.destroy();
        return built;
    }

    async function state(w: World) {
        const clients = motoClients(endpoint);
        const rule = (await clients("eu-west-1").events.send(new DescribeRuleCommand({ Name: EVENT_RULE_NAME }))).State;
        const bucket = await clients("eu-west-1").s3.send(new HeadBucketCommand({ Bucket: w.bucket })).then(() => "exists", () => "missing");
        clients.destroy();
        return { rule, bucket };
    }

    it("refuses (exit 2) to delete without --yes when stdin is not a terminal, changing nothing", async () => {
        const w = await world();
        const run = await runCli(base, { env: motoEnv(endpoint) });
        expect(run.code).to.equal(2);
        expect(run.stderr).to.equal("error: invalid input, nothing was changed:\n  - refusing to delete without confirmation: stdin is not a terminal, so pass --yes (or --dry-run to see what would be deleted)\n");
        expect(await state(w)).to.deep.equal({ rule: "ENABLED", bucket: "exists" });
    });

    it("completes on a rerun after being killed midway, then reports the counts in words", async () => {
        const w = await world(300);
        const args = [...base, "--yes", "--wait", "0", "--delete-bucket"];
        const killed = await runCli(args, { env: motoEnv(endpoint), killWhenStderrHas: "emptying bucket" });
        expect(killed.killed).to.equal(true);
        expect((await state(w)).rule).to.equal("DISABLED");

        const rerun = await runCli(args, { env: motoEnv(endpoint) });
        expect(rerun.code, rerun.stderr).to.equal(0);
        const lines = rerun.stdout.trimEnd().split("\n");
        expect(lines[0]).to.equal("0 rules disabled (1 already disabled)");
        expect(lines[1]).to.equal("0 flow logs deleted");
        expect(lines[2]).to.match(new RegExp(`^\\d+ object versions? and \\d+ delete markers? removed from ${w.bucket}$`));
        expect(lines.slice(3)).to.deep.equal([`bucket ${w.bucket} deleted`, "Teardown complete."]);
        expect(await state(w)).to.deep.equal({ rule: "DISABLED", bucket: "missing" });
    });
});

/**
 * Adaptive retries on throttling, on the wire: a proxy in front of moto answers chosen calls with
 * AWS's throttling errors, and the SDK clients the CLI builds retry them.
 */
import { expect } from "chai";
import { CheckResult, verifyExitCode } from "../cli/verify/checks";
import { parseVerifyFlags } from "../cli/verify/options";
import { runVerify } from "../cli/verify/run";
import { motoClients, motoEndpoint, MOTO_ACCOUNT_ID, resetMoto } from "./helpers/moto";
import { buildWorld, WORLD_EXTERNAL_ID } from "./helpers/aws-world";
import { emulateTrust, fakeSimulator } from "./helpers/aws-fakes";
import { SeenRequest, startThrottlingProxy } from "./helpers/throttling-proxy";

const REGIONS = ["eu-west-1", "us-east-1"];
const DESCRIBE_STREAM = "Firehose_20150804.DescribeDeliveryStream";

describe("verify: adaptive retries on throttling (through a throttling proxy in front of moto)", function () {
    this.timeout(60_000);
    let endpoint: string;

    before(async () => {
        endpoint = await motoEndpoint();
    });
    beforeEach(() => resetMoto());

    /** Builds a correct account, then verifies it through a proxy that throttles what `throttle` picks. */
    async function verifyThrottled(throttle: (request: SeenRequest) => boolean) {
        const admin = motoClients(endpoint);
        const world = await buildWorld(admin, { regions: REGIONS, externalId: WORLD_EXTERNAL_ID, agentAccountId: MOTO_ACCOUNT_ID });
        admin.destroy();
        const proxy = await startThrottlingProxy(endpoint, throttle);
        const clients = motoClients(proxy.endpoint);
        try {
            emulateTrust(clients(world.mainRegion).sts, (id) => id === WORLD_EXTERNAL_ID);
            fakeSimulator(clients(world.mainRegion).iam);
            const input = parseVerifyFlags({ roleArn: world.roleArn, externalId: WORLD_EXTERNAL_ID, regions: REGIONS.join(",") });
            const results = await runVerify(input, { clients });
            return { results, seen: proxy.seen };
        } finally {
            clients.destroy();
            await proxy.close();
        }
    }
    const notPassing = (results: CheckResult[]) => results.filter((r) => r.status !== "pass").map((r) => [r.status, r.region, r.id, r.message]);

    it("retries throttled calls until they succeed, so every check still passes", async () => {
        // The first two of each: us-east-1's DescribeDeliveryStream (JSON API), and S3's ListObjectVersions.
        const budget = { stream: 2, listing: 2 };
        const take = (kind: keyof typeof budget) => (budget[kind] > 0 ? (budget[kind]--, true) : false);
        const { results, seen } = await verifyThrottled((r) =>
            (r.target === DESCRIBE_STREAM && r.region === "us-east-1" && take("stream"))
            || (r.service === "s3" && r.path.includes("versions") && take("listing")));
        expect(notPassing(results)).to.deep.equal([]);
        const streamCalls = seen.filter((r) => r.target === DESCRIBE_STREAM && r.region === "us-east-1");
        expect(streamCalls.map((r) => r.throttled)).to.deep.equal([true, true, false]);
        expect(seen.filter((r) => r.throttled && r.service === "s3")).to.have.length(2);
    });

    it("reports a check as not evaluated when throttling outlasts the retries, naming the call", async () => {
        const { results, seen } = await verifyThrottled((r) => r.target === DESCRIBE_STREAM && r.region === "us-east-1");
        expect(notPassing(results)).to.deep.equal([
            ["error", "us-east-1", "firehose-stream", "could not call firehose:DescribeDeliveryStream: throttled by AWS after 3 attempts (ThrottlingException: Rate exceeded)"],
        ]);
        expect(seen.filter((r) => r.target === DESCRIBE_STREAM && r.region === "us-east-1")).to.have.length(3);
        expect(verifyExitCode(results)).to.equal(3);
    });
});

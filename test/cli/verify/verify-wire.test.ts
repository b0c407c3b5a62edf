/**
 * verify on the wire, through a proxy in front of moto that sees every request: adaptive retries on
 * throttling (the proxy answers chosen calls with AWS's throttling errors) and regions checked
 * concurrently, at most --concurrency at a time.
 */
import { expect } from "chai";
import { CheckResult, verifyExitCode } from "../../../cli/verify/checks";
import { parseVerifyFlags } from "../../../cli/verify/options";
import { runVerify } from "../../../cli/verify/run";
import { motoClients, motoEndpoint, MOTO_ACCOUNT_ID, resetMoto } from "../../helpers/moto";
import { buildWorld, WORLD_EXTERNAL_ID } from "../../helpers/aws-world";
import { emulateTrust, fakeSimulator } from "../../helpers/aws-fakes";
import { SeenRequest, startThrottlingProxy } from "../../helpers/throttling-proxy";

const REGIONS = ["eu-west-1", "us-east-1"];
const DESCRIBE_STREAM = "Firehose_20150804.DescribeDeliveryStream";

describe("verify on the wire (a proxy in front of moto): throttling and concurrency", function () {
    this.timeout(60_000);
    let endpoint: string;

    before(async () => {
        endpoint = await motoEndpoint();
    });
    beforeEach(() => resetMoto());

    /** Builds a correct account, then verifies it through a proxy that throttles what `throttle` picks. */
    async function verifyThrottled(throttle: (request: SeenRequest) => boolean, concurrency?: string) {
        const admin = motoClients(endpoint);
        const world = await buildWorld(admin, { regions: REGIONS, externalId: WORLD_EXTERNAL_ID, agentAccountId: MOTO_ACCOUNT_ID });
        admin.destroy();
        const proxy = await startThrottlingProxy(endpoint, throttle);
        const clients = motoClients(proxy.endpoint);
        try {
            emulateTrust(clients(world.mainRegion).sts, (id) => id === WORLD_EXTERNAL_ID);
            fakeSimulator(clients(world.mainRegion).iam);
            const input = parseVerifyFlags({ roleArn: world.roleArn, externalId: WORLD_EXTERNAL_ID, regions: REGIONS.join(","), concurrency });
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

    /** Positions, in arrival order, of the requests to regional services (not S3 or IAM) of each region. */
    const regionalCalls = (seen: SeenRequest[], region: string) =>
        seen.map((r, i) => ({ ...r, i })).filter((r) => r.region === region && ["firehose", "events", "ec2"].includes(r.service)).map((r) => r.i);

    it("checks regions concurrently, and one at a time with --concurrency 1", async () => {
        const together = await verifyThrottled(() => false);
        expect(notPassing(together.results)).to.deep.equal([]);
        const [eu, us] = REGIONS.map((region) => regionalCalls(together.seen, region));
        expect(Math.min(...us)).to.be.lessThan(Math.max(...eu));

        await resetMoto();
        const oneByOne = await verifyThrottled(() => false, "1");
        expect(notPassing(oneByOne.results)).to.deep.equal([]);
        const [eu1, us1] = REGIONS.map((region) => regionalCalls(oneByOne.seen, region));
        expect(Math.max(...eu1)).to.be.lessThan(Math.min(...us1));
    });
});

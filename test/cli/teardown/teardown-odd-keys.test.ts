/**
 * Keys are arbitrary bytes: emptying lists them URL-encoded and deletes exactly those keys, so a
 * bucket whose keys hold carriage returns, spaces, plus signs, percent signs and XML's special
 * characters empties completely; where a listing does alter a key (moto ignores encoding-type), no
 * version is counted twice and what stays is reported.
 */
import { expect } from "chai";
import { DeleteObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { decodeListedKey } from "../../../cli/aws/object-versions";
import { countEntries, emptyBucket } from "../../../cli/teardown/empty-bucket";
import { motoClients, motoEndpoint, MOTO_ACCOUNT_ID, resetMoto } from "../../helpers/moto";
import { buildWorld, WORLD_EXTERNAL_ID } from "../../helpers/aws-world";
import { startThrottlingProxy } from "../../helpers/throttling-proxy";
import { s3UrlEncoding } from "../../helpers/s3-url-encoding";

const ODD_KEYS = [
    "AWSLogs/odd/carriage\rreturn",
    "AWSLogs/odd/trailing-cr\r",
    " leading space",
    "AWSLogs/odd/a b+c",
    "AWSLogs/odd/amp&<>\"'",
    "AWSLogs/odd/pct%41%2B",
    "AWSLogs/odd/ü ñ 日本",
    "AWSLogs/odd/tab\tkey",
];
const WITH_CARRIAGE_RETURN = ODD_KEYS.filter((k) => k.includes("\r"));

describe("decodeListedKey", () => {
    it("decodes S3's form-style URL encoding exactly", () => {
        expect(decodeListedKey("a+b%2Bc%0D%25")).to.equal("a b+c\r%");
        expect(decodeListedKey("%C3%BC%20%E6%97%A5")).to.equal("ü 日");
    });
});

describe("emptying a bucket with odd keys (moto)", function () {
    this.timeout(60_000);
    let endpoint: string;
    let bucket: string;

    before(async () => {
        endpoint = await motoEndpoint();
    });
    beforeEach(async () => {
        await resetMoto();
        const admin = motoClients(endpoint);
        try {
            bucket = (await buildWorld(admin, { regions: ["eu-west-1"], externalId: WORLD_EXTERNAL_ID, agentAccountId: MOTO_ACCOUNT_ID })).bucket;
            const s3 = admin("eu-west-1").s3;
            // Two versions of every key, and a delete marker on top of every other one.
            for (const [i, Key] of ODD_KEYS.entries()) {
                for (const Body of ["one", "two"]) await s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body }));
                if (i % 2 === 0) await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key }));
            }
        } finally {
            admin.destroy();
        }
    });

    async function remaining(): Promise<{ versions: number; deleteMarkers: number }> {
        const admin = motoClients(endpoint);
        try {
            return await countEntries(admin("eu-west-1").s3, bucket);
        } finally {
            admin.destroy();
        }
    }

    it("lists keys URL-encoded and deletes every one, counting each version once", async () => {
        const before = await remaining();
        expect(before.deleteMarkers).to.equal(ODD_KEYS.length / 2);
        const proxy = await startThrottlingProxy(endpoint, () => false, s3UrlEncoding);
        const clients = motoClients(proxy.endpoint);
        try {
            // Pages of 3: page boundaries (the key markers) fall on odd keys too.
            const result = await emptyBucket(clients("eu-west-1").s3 as S3Client, bucket, { pageSize: 3, batchSize: 3, concurrency: 2 });
            expect(result).to.deep.equal({ deleted: before, keyErrors: [] });
            expect(proxy.seen.some((r) => r.path.includes("encoding-type=url"))).to.equal(true);
        } finally {
            clients.destroy();
            await proxy.close();
        }
        expect(await remaining()).to.deep.equal({ versions: 0, deleteMarkers: 0 });
    });

    it("where the listing alters keys, ends, counts nothing twice and names what stays", async () => {
        const before = await remaining();
        const clients = motoClients(endpoint);
        try {
            const result = await emptyBucket(clients("eu-west-1").s3, bucket, { pageSize: 3, batchSize: 3, concurrency: 2 });
            const after = await remaining();
            // What the counts say was deleted is what is gone, no more.
            expect(result.deleted.versions + after.versions).to.equal(before.versions);
            expect(result.deleted.deleteMarkers + after.deleteMarkers).to.equal(before.deleteMarkers);
            expect(after.versions + after.deleteMarkers).to.be.greaterThan(0);
            // The listing named a carriage-return key with a line feed: that is what is reported, so
            // the run is not complete (moto's paging past such a key is unreliable too, so more may stay).
            expect([...new Set(result.keyErrors.map((e) => e.code))]).to.deep.equal(["StillListed"]);
            const altered = WITH_CARRIAGE_RETURN.map((k) => k.replace(/\r/g, "\n"));
            expect(result.keyErrors.map((e) => e.key).filter((k) => !altered.includes(k))).to.deep.equal([]);
        } finally {
            clients.destroy();
        }
    });
});

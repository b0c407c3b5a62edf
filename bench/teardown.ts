/**
 * Emptying a 20,000-version bucket: batched (teardown's DeleteObjects, <= 1,000 keys per request,
 * several in flight) vs one DeleteObject per version, both against moto:
 * `node -r ts-node/register/transpile-only bench/teardown.ts`. Target: batched deletion >= 10x
 * faster.
 *
 * Each bucket is listed in full first, then deleted, and the two phases are timed apart: moto
 * lists in time proportional to the whole bucket for every 1,000-entry page (about a second per
 * page at 20,000 versions; S3 does not), which both strategies pay alike and would otherwise hide
 * what batching changes. Filling the buckets is the slow part (a couple of minutes each for
 * 20,000 writes); set BENCH_VERSIONS for a quicker, smaller run.
 */
import { performance } from "node:perf_hooks";
import { CreateBucketCommand, DeleteObjectCommand, PutBucketVersioningCommand, S3Client } from "@aws-sdk/client-s3";
import { countEntries, deleteInBatches, DEFAULT_DELETE_CONCURRENCY, Entry, MAX_KEYS_PER_REQUEST } from "../cli/teardown/empty-bucket";
import { versionPages } from "../cli/aws/object-versions";
import { motoClients, motoEndpoint, resetMoto, stopMoto } from "../test/helpers/moto";
import { fillBucket } from "../test/helpers/bucket-fill";

const VERSIONS = Number(process.env.BENCH_VERSIONS ?? 20_000);

async function versionedBucket(s3: S3Client, name: string): Promise<void> {
    await s3.send(new CreateBucketCommand({ Bucket: name, CreateBucketConfiguration: { LocationConstraint: "eu-west-1" } }));
    await s3.send(new PutBucketVersioningCommand({ Bucket: name, VersioningConfiguration: { Status: "Enabled" } }));
    const start = performance.now();
    await fillBucket(s3, name, { versions: VERSIONS, deleteMarkers: 0, concurrency: 32 });
    const counts = await countEntries(s3, name);
    if (counts.versions !== VERSIONS) throw new Error(`${name} holds ${counts.versions} versions, expected ${VERSIONS}`);
    console.log(`filled ${name} with ${VERSIONS} versions in ${((performance.now() - start) / 1000).toFixed(1)} s`);
}

/** Every version and delete marker, listed page by page before anything is deleted. */
async function listAll(s3: S3Client, bucket: string): Promise<Entry[]> {
    const entries: Entry[] = [];
    for await (const page of versionPages(s3, bucket)) {
        entries.push(...page.versions.map((v) => ({ Key: v.Key as string, VersionId: v.VersionId, kind: "version" as const })));
        entries.push(...page.deleteMarkers.map((m) => ({ Key: m.Key as string, VersionId: m.VersionId, kind: "deleteMarker" as const })));
    }
    return entries;
}

/** The baseline: one DeleteObject request per version, one at a time. */
async function oneByOne(s3: S3Client, bucket: string, entries: Entry[]): Promise<number> {
    for (const entry of entries) {
        await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: entry.Key, VersionId: entry.VersionId }));
    }
    return entries.length;
}

async function timed<T>(run: () => Promise<T>): Promise<[T, number]> {
    const start = performance.now();
    const result = await run();
    return [result, (performance.now() - start) / 1000];
}

async function main(): Promise<void> {
    const endpoint = await motoEndpoint();
    await resetMoto();
    const clients = motoClients(endpoint);
    const s3 = clients("eu-west-1").s3;

    await versionedBucket(s3, "bench-batched");
    const [listedA, listASeconds] = await timed(() => listAll(s3, "bench-batched"));
    const [outcomes, batchedSeconds] = await timed(() =>
        deleteInBatches(s3, "bench-batched", listedA, MAX_KEYS_PER_REQUEST, DEFAULT_DELETE_CONCURRENCY));
    const deleted = outcomes.reduce((n, o) => n + o.deleted.length, 0);
    if (deleted !== VERSIONS || (await countEntries(s3, "bench-batched")).versions !== 0) {
        throw new Error(`batched deletion left work undone: ${deleted} of ${VERSIONS}`);
    }
    console.log(`batched:     listed in ${listASeconds.toFixed(1)} s, ${deleted} versions deleted in ${batchedSeconds.toFixed(1)} s (${outcomes.length} DeleteObjects requests, ${DEFAULT_DELETE_CONCURRENCY} in flight)`);

    await versionedBucket(s3, "bench-one-by-one");
    const [listedB, listBSeconds] = await timed(() => listAll(s3, "bench-one-by-one"));
    const [single, singleSeconds] = await timed(() => oneByOne(s3, "bench-one-by-one", listedB));
    console.log(`one by one:  listed in ${listBSeconds.toFixed(1)} s, ${single} versions deleted in ${singleSeconds.toFixed(1)} s (${single} DeleteObject requests)`);

    const speedup = singleSeconds / batchedSeconds;
    console.log(`batched deletion is ${speedup.toFixed(1)}x faster (target >= 10x): ${speedup >= 10 ? "met" : "NOT met"}`);
    console.log(`including the listing: ${(listASeconds + batchedSeconds).toFixed(1)} s vs ${(listBSeconds + singleSeconds).toFixed(1)} s`);
    clients.destroy();
    await stopMoto();
    process.exitCode = speedup >= 10 ? 0 : 1;
}

main().catch(async (error) => {
    console.error(error);
    await stopMoto();
    process.exitCode = 1;
});

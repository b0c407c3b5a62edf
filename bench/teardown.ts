/**
 * Emptying a 20,000-version bucket on moto: teardown's own `emptyBucket` (DeleteObjects, <= 1,000
 * keys per request, several in flight) vs one DeleteObject request per version:
 * `npx ts-node --transpile-only bench/teardown.ts`. Target: batched deletion >= 10x faster.
 *
 * Deletion and listing are timed apart (a spy on the S3 client records when each request is in
 * flight): moto lists in time proportional to the whole bucket for every 1,000-entry page (it
 * deep-copies every version per request; S3 does not), which both strategies pay and which would
 * otherwise hide what batching changes. The end-to-end times are printed too. Filling the buckets
 * is the slow part (a couple of minutes each); set BENCH_VERSIONS for a quicker, smaller run.
 */
import { performance } from "node:perf_hooks";
import { CreateBucketCommand, DeleteObjectCommand, PutBucketVersioningCommand, S3Client } from "@aws-sdk/client-s3";
import { countEntries, DEFAULT_DELETE_CONCURRENCY, emptyBucket, Entry, MAX_KEYS_PER_REQUEST } from "../cli/teardown/empty-bucket";
import { versionPages } from "../cli/aws/object-versions";
import { motoClients, motoEndpoint, resetMoto, stopMoto } from "../test/helpers/moto";
import { fillBucket } from "../test/helpers/bucket-fill";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
const VERSIONS = Number(process.env.BENCH_VERSIONS ?? 20_000);
const TARGET = 10;

type Interval = [number, number];

/** Records, per command, when each request of `s3` was in flight, and the largest DeleteObjects batch. */
function spy(s3: S3Client) {
    const intervals = new Map<string, Interval[]>();
    let largestBatch = 0;
    s3.middlewareStack.add((next, context) => async (args) => {
        const command = context.commandName as string;
        const input = args.input as { Delete?: { Objects?: unknown[] } };
        if (command === "DeleteObjectsCommand") largestBatch = Math.max(largestBatch, input.Delete?.Objects?.length ?? 0);
        const start = performance.now();
        try {
            return await next(args);
        } finally {
            intervals.set(command, [...(intervals.get(command) ?? []), [start, performance.now()]]);
        }
    }, { step: "initialize", name: "benchSpy" });
    return {
        requests: (command: string) => intervals.get(command)?.length ?? 0,
        /** Wall-clock seconds during which at least one request of `command` was in flight. */
        seconds(command: string): number {
            const sorted = [...(intervals.get(command) ?? [])].sort((a, b) => a[0] - b[0]);
            let total = 0;
            let current: Interval | undefined;
            for (const [start, end] of sorted) {
                if (current && start <= current[1]) current[1] = Math.max(current[1], end);
                else {
                    if (current) total += current[1] - current[0];
                    current = [start, end];
                }
            }
            if (current) total += current[1] - current[0];
            return total / 1000;
        },
        largestBatch: () => largestBatch,
    };
}

async function versionedBucket(s3: S3Client, name: string): Promise<void> {
    await s3.send(new CreateBucketCommand({ Bucket: name, CreateBucketConfiguration: { LocationConstraint: "eu-west-1" } }));
    await s3.send(new PutBucketVersioningCommand({ Bucket: name, VersioningConfiguration: { Status: "Enabled" } }));
    const start = performance.now();
    await fillBucket(s3, name, { versions: VERSIONS, deleteMarkers: 0, concurrency: 32 });
    const counts = await countEntries(s3, name);
    if (counts.versions !== VERSIONS) throw new Error(`${name} holds ${counts.versions} versions, expected ${VERSIONS}`);
    console.log(`filled ${name} with ${VERSIONS} versions in ${((performance.now() - start) / 1000).toFixed(1)} s`);
}

async function assertEmpty(s3: S3Client, bucket: string): Promise<void> {
    const left = await countEntries(s3, bucket);
    if (left.versions + left.deleteMarkers !== 0) throw new Error(`${bucket} still holds ${JSON.stringify(left)}`);
}

/** The baseline: list every version, then one DeleteObject request per version, one at a time. */
async function oneByOne(s3: S3Client, bucket: string): Promise<number> {
    const entries: Entry[] = [];
    for await (const page of versionPages(s3, bucket)) {
        entries.push(...page.versions.map((v) => ({ Key: v.Key as string, VersionId: v.VersionId, kind: "version" as const })));
        entries.push(...page.deleteMarkers.map((m) => ({ Key: m.Key as string, VersionId: m.VersionId, kind: "deleteMarker" as const })));
    }
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
    const batchedClients = motoClients(endpoint);
    const singleClients = motoClients(endpoint);
    const batchedS3 = batchedClients("eu-west-1").s3;
    const singleS3 = singleClients("eu-west-1").s3;

    await versionedBucket(batchedS3, "bench-batched");
    const batched = spy(batchedS3);
    const [result, batchedTotal] = await timed(() => emptyBucket(batchedS3, "bench-batched"));
    if (result.deleted.versions !== VERSIONS || result.stoppedBy || result.keyErrors.length > 0) {
        throw new Error(`emptyBucket left work undone: ${JSON.stringify({ ...result, keyErrors: result.keyErrors.length })}`);
    }
    await assertEmpty(batchedS3, "bench-batched");
    const batchedDelete = batched.seconds("DeleteObjectsCommand");
    console.log(`batched (teardown's emptyBucket): ${VERSIONS} versions removed in ${batchedTotal.toFixed(1)} s end to end; `
        + `deleting ${batchedDelete.toFixed(1)} s (${batched.requests("DeleteObjectsCommand")} DeleteObjects requests, `
        + `largest ${batched.largestBatch()} of at most ${MAX_KEYS_PER_REQUEST} keys, ${DEFAULT_DELETE_CONCURRENCY} in flight), `
        + `listing ${batched.seconds("ListObjectVersionsCommand").toFixed(1)} s (${batched.requests("ListObjectVersionsCommand")} pages)`);

    await versionedBucket(singleS3, "bench-one-by-one");
    const single = spy(singleS3);
    const [removed, singleTotal] = await timed(() => oneByOne(singleS3, "bench-one-by-one"));
    await assertEmpty(singleS3, "bench-one-by-one");
    const singleDelete = single.seconds("DeleteObjectCommand");
    console.log(`one by one: ${removed} versions removed in ${singleTotal.toFixed(1)} s end to end; `
        + `deleting ${singleDelete.toFixed(1)} s (${single.requests("DeleteObjectCommand")} DeleteObject requests), `
        + `listing ${single.seconds("ListObjectVersionsCommand").toFixed(1)} s (${single.requests("ListObjectVersionsCommand")} pages)`);

    const speedup = singleDelete / batchedDelete;
    console.log(`deletion: batched is ${speedup.toFixed(1)}x faster (target >= ${TARGET}x): ${speedup >= TARGET ? "met" : "NOT met"}`);
    console.log(`end to end, listing included: ${(singleTotal / batchedTotal).toFixed(1)}x (moto's listing cost is paid by both)`);
    batchedClients.destroy();
    singleClients.destroy();
    await stopMoto();
    process.exitCode = speedup >= TARGET ? 0 : 1;
}

main().catch(async (error) => {
    console.error(error);
    await stopMoto();
    process.exitCode = 1;
});

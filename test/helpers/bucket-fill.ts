/**
 * Fills a versioned bucket with many object versions and delete markers quickly: concurrent
 * writes, several versions per key (moto is slow per request, not per key). Requests in flight
 * at the same time go to different keys: moto can lose a version when two writes to one key race.
 */
import { DeleteObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { mapWithConcurrency } from "../../cli/aws/concurrency";

export interface Fill {
    /** Object versions to create. */
    versions: number;
    /** Delete markers to add on top (each on a key that has versions). */
    deleteMarkers: number;
    /** Versions per key. */
    versionsPerKey?: number;
    prefix?: string;
    concurrency?: number;
}

export async function fillBucket(s3: S3Client, bucket: string, fill: Fill): Promise<void> {
    const perKey = fill.versionsPerKey ?? 4;
    const prefix = fill.prefix ?? "AWSLogs/fill/";
    const keys = Math.ceil(fill.versions / perKey);
    // A window of in-flight indices much narrower than the key count keeps same-key writes apart.
    const concurrency = Math.max(1, Math.min(fill.concurrency ?? 24, Math.floor(keys / 4)));
    const keyOf = (i: number) => `${prefix}object-${String(i % keys).padStart(6, "0")}`;
    await mapWithConcurrency(Array.from({ length: fill.versions }, (_, i) => i), concurrency,
        (i) => s3.send(new PutObjectCommand({ Bucket: bucket, Key: keyOf(i), Body: `v${i}` })));
    await mapWithConcurrency(Array.from({ length: fill.deleteMarkers }, (_, i) => i), concurrency,
        (i) => s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: keyOf(i) })));
}

/**
 * Emptying a versioned bucket: every object version and delete marker, with DeleteObjects in
 * batches of at most 1,000 keys (S3's limit; some emulators accept more, so it is enforced here),
 * several batches in flight.
 *
 * Work goes in rounds: list from the start of the bucket, collecting up to `concurrency` batches
 * (list markers stay valid because nothing is deleted while a round lists), then delete those
 * batches at once, then list from the start again. Listing from the start makes the loop its own
 * resume point — an interrupted run, rerun, simply finds what is left — and it never depends on a
 * marker whose version was just deleted. Keys S3 refuses to delete are remembered and skipped, so
 * they cannot stall the loop; a round that deletes nothing ends it. A version listed again after
 * S3 said it was deleted (the listing named it wrongly, so the delete missed it) is not counted
 * twice: it is taken back out of the count and reported as not deleted.
 */
import { DeleteObjectsCommand, S3Client } from "@aws-sdk/client-s3";
import { mapWithConcurrency } from "../aws/concurrency";
import { awsCall, classifyAwsError, describeAwsFailure } from "../aws/errors";
import { listVersionPage, VersionMarker, versionPages } from "../aws/object-versions";

/** S3's cap on keys per DeleteObjects request, and on entries per ListObjectVersions page. */
export const MAX_KEYS_PER_REQUEST = 1000;

export type EntryKind = "version" | "deleteMarker";

export interface Entry {
    Key: string;
    VersionId?: string;
    kind: EntryKind;
}

export interface KeyError {
    key: string;
    versionId?: string;
    code: string;
    message: string;
}

export interface EmptyOptions {
    /** Entries per ListObjectVersions page (at most 1,000). */
    pageSize?: number;
    /** Keys per DeleteObjects request (at most 1,000). */
    batchSize?: number;
    /** DeleteObjects requests in flight. */
    concurrency?: number;
    onProgress?: (deleted: Counts) => void;
}

export interface Counts {
    versions: number;
    deleteMarkers: number;
}

export interface EmptyResult {
    deleted: Counts;
    /** Keys S3 refused to delete (DeleteObjects' per-key Errors). */
    keyErrors: KeyError[];
    /** Set when a whole request (a listing or a DeleteObjects) failed and emptying stopped. */
    stoppedBy?: string;
}

export const DEFAULT_DELETE_CONCURRENCY = 4;

const id = (key: string, versionId: string | undefined) => `${key}\u0000${versionId ?? ""}`;

function checkSize(name: string, value: number): void {
    if (!Number.isInteger(value) || value < 1 || value > MAX_KEYS_PER_REQUEST) {
        throw new RangeError(`${name} must be a whole number from 1 to ${MAX_KEYS_PER_REQUEST}, is ${value}`);
    }
}

/** What one run has done so far: entries S3 said it deleted, and entries that could not be deleted. */
interface Ledger {
    deleted: Map<string, EntryKind>;
    counts: Counts;
    failed: Map<string, KeyError>;
}

const countKey = (kind: EntryKind): keyof Counts => (kind === "version" ? "versions" : "deleteMarkers");

const LISTED_AFTER_DELETE: Pick<KeyError, "code" | "message"> = {
    code: "StillListed",
    message: "listed again after S3 reported it deleted (the listing may have altered the key)",
};

/**
 * One round's work: up to `limit` entries not known to fail, listed from the start. An entry
 * already deleted that is listed again moves from `deleted` to `failed`.
 */
async function collectRound(s3: S3Client, bucket: string, pageSize: number, limit: number, ledger: Ledger): Promise<Entry[]> {
    const entries: Entry[] = [];
    let from: VersionMarker | undefined;
    const take = (Key: string | undefined, VersionId: string | undefined, kind: EntryKind) => {
        if (Key === undefined) return;
        const entryId = id(Key, VersionId);
        if (ledger.failed.has(entryId)) return;
        const deletedKind = ledger.deleted.get(entryId);
        if (deletedKind !== undefined) {
            ledger.deleted.delete(entryId);
            ledger.counts[countKey(deletedKind)]--;
            ledger.failed.set(entryId, { key: Key, versionId: VersionId, ...LISTED_AFTER_DELETE });
            return;
        }
        entries.push({ Key, VersionId, kind });
    };
    do {
        const page = await listVersionPage(s3, bucket, { pageSize, from });
        for (const v of page.versions) take(v.Key, v.VersionId, "version");
        for (const m of page.deleteMarkers) take(m.Key, m.VersionId, "deleteMarker");
        from = page.next;
    } while (from && entries.length < limit);
    return entries;
}

export interface BatchOutcome {
    deleted: Entry[];
    keyErrors: KeyError[];
    failure?: string;
}

async function deleteBatch(s3: S3Client, bucket: string, batch: Entry[]): Promise<BatchOutcome> {
    if (batch.length > MAX_KEYS_PER_REQUEST) throw new RangeError(`a DeleteObjects batch of ${batch.length} keys exceeds S3's ${MAX_KEYS_PER_REQUEST}`);
    try {
        const out = await awsCall("s3:DeleteObjectVersion", () => s3.send(new DeleteObjectsCommand({
            Bucket: bucket,
            Delete: { Objects: batch.map(({ Key, VersionId }) => ({ Key, VersionId })), Quiet: true },
        })));
        const keyErrors = (out.Errors ?? []).map((e) => ({
            key: e.Key ?? "", versionId: e.VersionId, code: e.Code ?? "Error", message: e.Message ?? "",
        }));
        const refused = new Set(keyErrors.map((e) => id(e.key, e.versionId)));
        return { deleted: batch.filter((e) => !refused.has(id(e.Key, e.VersionId))), keyErrors };
    } catch (error) {
        return { deleted: [], keyErrors: [], failure: describeAwsFailure(classifyAwsError(error)) };
    }
}

/**
 * Deletes the given versions and delete markers with DeleteObjects, `batchSize` keys per request
 * (at most 1,000), `concurrency` requests in flight. Never throws: a failed request is an outcome.
 */
export async function deleteInBatches(s3: S3Client, bucket: string, entries: readonly Entry[], batchSize: number, concurrency: number): Promise<BatchOutcome[]> {
    checkSize("batchSize", batchSize);
    const batches: Entry[][] = [];
    for (let i = 0; i < entries.length; i += batchSize) batches.push(entries.slice(i, i + batchSize));
    return mapWithConcurrency(batches, concurrency, (batch) => deleteBatch(s3, bucket, batch));
}

export async function emptyBucket(s3: S3Client, bucket: string, options: EmptyOptions = {}): Promise<EmptyResult> {
    const pageSize = options.pageSize ?? MAX_KEYS_PER_REQUEST;
    const batchSize = options.batchSize ?? MAX_KEYS_PER_REQUEST;
    const concurrency = options.concurrency ?? DEFAULT_DELETE_CONCURRENCY;
    checkSize("pageSize", pageSize);
    checkSize("batchSize", batchSize);

    const ledger: Ledger = { deleted: new Map(), counts: { versions: 0, deleteMarkers: 0 }, failed: new Map() };
    const result = (stoppedBy?: string): EmptyResult => ({
        deleted: { ...ledger.counts }, keyErrors: [...ledger.failed.values()], ...(stoppedBy ? { stoppedBy } : {}),
    });
    for (;;) {
        let entries: Entry[];
        try {
            entries = await collectRound(s3, bucket, pageSize, batchSize * concurrency, ledger);
        } catch (error) {
            return result(describeAwsFailure(classifyAwsError(error)));
        }
        if (entries.length === 0) break;
        const outcomes = await deleteInBatches(s3, bucket, entries, batchSize, concurrency);
        let progress = 0;
        for (const outcome of outcomes) {
            for (const entry of outcome.deleted) {
                ledger.deleted.set(id(entry.Key, entry.VersionId), entry.kind);
                ledger.counts[countKey(entry.kind)]++;
            }
            for (const keyError of outcome.keyErrors) ledger.failed.set(id(keyError.key, keyError.versionId), keyError);
            progress += outcome.deleted.length;
        }
        options.onProgress?.({ ...ledger.counts });
        const failure = outcomes.find((o) => o.failure)?.failure;
        if (failure) return result(failure);
        if (progress === 0) break;
    }
    return result();
}


/** What emptying would delete, without deleting anything (for --dry-run). */
export async function countEntries(s3: S3Client, bucket: string, pageSize = MAX_KEYS_PER_REQUEST): Promise<Counts> {
    checkSize("pageSize", pageSize);
    const counts: Counts = { versions: 0, deleteMarkers: 0 };
    for await (const page of versionPages(s3, bucket, { pageSize })) {
        counts.versions += page.versions.length;
        counts.deleteMarkers += page.deleteMarkers.length;
    }
    return counts;
}

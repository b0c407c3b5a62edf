/**
 * Paging through a versioned bucket's object versions and delete markers (S3 has no SDK paginator
 * for it). Keys are arbitrary bytes, and XML cannot carry all of them: a parser turns a key's
 * carriage return into a line feed, so a key read from plain XML may name another object. The
 * listing is asked for URL-encoded keys (`encoding-type=url`) and decoded here, so every key is
 * exactly the one stored; an endpoint that ignores the request (says no `EncodingType`) is read as is.
 */
import { DeleteMarkerEntry, ListObjectVersionsCommand, ObjectVersion, S3Client } from "@aws-sdk/client-s3";
import { awsCall } from "./errors";

export interface VersionMarker {
    keyMarker: string;
    versionIdMarker?: string;
}

export interface VersionPage {
    versions: ObjectVersion[];
    deleteMarkers: DeleteMarkerEntry[];
    /** Where the next page starts; undefined on the last page. */
    next?: VersionMarker;
}

export interface ListVersionsOptions {
    prefix?: string;
    /** At most 1,000 (S3's own cap). */
    pageSize?: number;
    from?: VersionMarker;
}

export async function listVersionPage(s3: S3Client, bucket: string, options: ListVersionsOptions = {}): Promise<VersionPage> {
    const out = await awsCall("s3:ListBucketVersions", () => s3.send(new ListObjectVersionsCommand({
        Bucket: bucket,
        Prefix: options.prefix,
        MaxKeys: options.pageSize,
        KeyMarker: options.from?.keyMarker,
        VersionIdMarker: options.from?.versionIdMarker,
        EncodingType: "url",
    })));
    const key = out.EncodingType === "url" ? decodeListedKey : (k: string) => k;
    const next = out.IsTruncated && out.NextKeyMarker
        ? { keyMarker: key(out.NextKeyMarker), versionIdMarker: out.NextVersionIdMarker }
        : undefined;
    return {
        versions: (out.Versions ?? []).map((v) => (v.Key === undefined ? v : { ...v, Key: key(v.Key) })),
        deleteMarkers: (out.DeleteMarkers ?? []).map((m) => (m.Key === undefined ? m : { ...m, Key: key(m.Key) })),
        next,
    };
}

/** A key as S3 lists it with `encoding-type=url`: form encoding (a space is `+`, a plus `%2B`). */
export function decodeListedKey(encoded: string): string {
    return decodeURIComponent(encoded.replace(/\+/g, " "));
}

/**
 * Every page, in order. Markers are only valid while the listed entries still exist: do not
 * delete entries of earlier pages while iterating (moto, for one, then stops early).
 */
export async function* versionPages(s3: S3Client, bucket: string, options: Omit<ListVersionsOptions, "from"> = {}): AsyncGenerator<VersionPage> {
    let from: VersionMarker | undefined;
    do {
        const page = await listVersionPage(s3, bucket, { ...options, from });
        yield page;
        from = page.next;
    } while (from);
}

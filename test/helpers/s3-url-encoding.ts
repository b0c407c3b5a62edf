/**
 * S3's `encoding-type=url` for ListObjectVersions, which moto ignores: moto writes keys into its
 * XML raw, where a parser turns a carriage return into a line feed. Given to the proxy as a
 * rewrite, this answers as S3 documents: keys and key markers URL-encoded (form style, a space as
 * `+`) and `<EncodingType>url</EncodingType>` in the result.
 */
import { SeenRequest } from "./throttling-proxy";

const ENCODED_ELEMENTS = ["Key", "KeyMarker", "NextKeyMarker", "Prefix"];

function xmlText(raw: string): string {
    return raw.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (_, entity: string) => {
        const named: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };
        if (entity[0] !== "#") return named[entity.toLowerCase()];
        return String.fromCodePoint(entity[1].toLowerCase() === "x" ? parseInt(entity.slice(2), 16) : Number(entity.slice(1)));
    });
}

const formEncode = (text: string) => encodeURIComponent(text).replace(/%20/g, "+");

export function s3UrlEncoding(request: SeenRequest, body: Buffer): Buffer {
    const query = new URL(request.path, "http://proxy").searchParams;
    if (request.method !== "GET" || !query.has("versions") || query.get("encoding-type") !== "url") return body;
    let xml = body.toString("utf8");
    for (const element of ENCODED_ELEMENTS) {
        xml = xml.replace(new RegExp(`<${element}>([^<]*)</${element}>`, "g"), (_, text: string) => `<${element}>${formEncode(xmlText(text))}</${element}>`);
    }
    return Buffer.from(xml.replace("</ListVersionsResult>", "<EncodingType>url</EncodingType></ListVersionsResult>"), "utf8");
}

/**
 * An HTTP proxy in front of moto that answers chosen requests the way AWS answers a caller over
 * its rate: JSON APIs with `400 ThrottlingException`, S3 with `503 SlowDown`. Everything else is
 * forwarded (to a moto without IAM enforcement: the host header changes, and with it the
 * signature), so the SDK's own retry logic meets real throttling responses on the wire. A request
 * can also be swallowed ("hang"): taken, never answered, as by a hung endpoint, and an answer
 * rewritten on its way back (`rewrite`), to stand in for a service behaviour moto lacks.
 */
import { createServer, IncomingMessage, Server } from "node:http";
import { AddressInfo } from "node:net";

export interface SeenRequest {
    /** From the SigV4 credential scope, e.g. `firehose`, `eu-west-1`. */
    service: string;
    region: string;
    /** `X-Amz-Target` of JSON APIs (`Firehose_20150804.DescribeDeliveryStream`), else undefined. */
    target?: string;
    method: string;
    path: string;
}

export interface ThrottlingProxy {
    endpoint: string;
    /** Every request seen, in order, and whether it was throttled (or swallowed). */
    seen: (SeenRequest & { throttled: boolean | "hang" })[];
    close(): Promise<void>;
}

function scope(request: IncomingMessage): { service: string; region: string } {
    const match = /Credential=[^/]+\/\d{8}\/([^/]+)\/([^/]+)\//.exec(request.headers.authorization ?? "");
    return { region: match?.[1] ?? "", service: match?.[2] ?? "" };
}

/** Starts the proxy on a free loopback port; `throttle` decides per request (`"hang"`: never answer). */
export async function startThrottlingProxy(
    upstream: string,
    throttle: (request: SeenRequest) => boolean | "hang",
    rewrite: (request: SeenRequest, body: Buffer) => Buffer = (_, body) => body,
): Promise<ThrottlingProxy> {
    const seen: ThrottlingProxy["seen"] = [];
    const server: Server = createServer(async (request, response) => {
        const chunks: Buffer[] = [];
        for await (const chunk of request) chunks.push(chunk as Buffer);
        const body = Buffer.concat(chunks);
        const target = request.headers["x-amz-target"] as string | undefined;
        const info: SeenRequest = { ...scope(request), target, method: request.method ?? "GET", path: request.url ?? "/" };
        const throttled = throttle(info);
        seen.push({ ...info, throttled });
        if (throttled === "hang") return;
        if (throttled) {
            if (target) {
                response.writeHead(400, { "content-type": "application/x-amz-json-1.1", "x-amzn-errortype": "ThrottlingException" });
                response.end(JSON.stringify({ __type: "ThrottlingException", message: "Rate exceeded" }));
            } else {
                response.writeHead(503, { "content-type": "application/xml" });
                response.end("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>");
            }
            return;
        }
        const headers = new Headers();
        for (const [key, value] of Object.entries(request.headers)) {
            if (value !== undefined && !["host", "connection", "content-length"].includes(key)) headers.set(key, Array.isArray(value) ? value.join(",") : value);
        }
        const answer = await fetch(`${upstream}${request.url}`, {
            method: request.method,
            headers,
            body: ["GET", "HEAD"].includes(request.method ?? "GET") ? undefined : body,
        });
        const out: Record<string, string> = {};
        answer.headers.forEach((value, key) => {
            if (!["content-encoding", "transfer-encoding", "connection", "content-length"].includes(key)) out[key] = value;
        });
        const payload = rewrite(info, Buffer.from(await answer.arrayBuffer()));
        response.writeHead(answer.status, { ...out, "content-length": String(payload.length) });
        response.end(request.method === "HEAD" ? undefined : payload);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    return {
        endpoint: `http://127.0.0.1:${port}`,
        seen,
        close: () => new Promise<void>((resolve) => {
            server.closeAllConnections();
            server.close(() => resolve());
        }),
    };
}

/**
 * One moto server per test run: started on first use on a free loopback port, stopped by the
 * root hook in test/moto-hooks.ts. Tests reset its state with `resetMoto()` and reach it with
 * explicit client config (in-process) or `motoEnv()` (spawned CLI processes).
 */
import { ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { ClientFactory, sdkClientFactory } from "../../cli/aws/clients";

/** moto's default account. */
export const MOTO_ACCOUNT_ID = "123456789012";
export const MOTO_CREDENTIALS = { accessKeyId: "testing", secretAccessKey: "testing" };

let server: { child: ChildProcess; endpoint: string } | undefined;
let starting: Promise<string> | undefined;

function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const probe = createServer();
        probe.once("error", reject);
        probe.listen(0, "127.0.0.1", () => {
            const address = probe.address();
            const port = typeof address === "object" && address ? address.port : 0;
            probe.close(() => resolve(port));
        });
    });
}

async function waitUntilUp(endpoint: string, child: ChildProcess, log: () => string): Promise<void> {
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
        if (child.exitCode !== null) throw new Error(`moto exited with ${child.exitCode}:\n${log()}`);
        try {
            const response = await fetch(`${endpoint}/moto-api/reset`, { method: "POST" });
            if (response.ok) return;
        } catch {
            // not listening yet
        }
        await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`moto did not start within 30 s:\n${log()}`);
}

async function start(): Promise<string> {
    const port = await freePort();
    const endpoint = `http://127.0.0.1:${port}`;
    const child = spawn("python3", ["-m", "moto.server", "-H", "127.0.0.1", "-p", String(port)], {
        stdio: ["ignore", "ignore", "pipe"],
    });
    let output = "";
    child.stderr?.on("data", (chunk: Buffer) => {
        output = (output + chunk.toString()).slice(-4000);
    });
    process.once("exit", () => child.kill());
    await waitUntilUp(endpoint, child, () => output);
    server = { child, endpoint };
    return endpoint;
}

/** The running server's endpoint, starting it on first use. */
export function motoEndpoint(): Promise<string> {
    starting ??= start();
    return starting;
}

/** Clears every emulated resource (all accounts, all regions). */
export async function resetMoto(): Promise<void> {
    const endpoint = await motoEndpoint();
    const response = await fetch(`${endpoint}/moto-api/reset`, { method: "POST" });
    if (!response.ok) throw new Error(`moto reset failed: HTTP ${response.status}`);
}

export async function stopMoto(): Promise<void> {
    const running = server;
    server = undefined;
    starting = undefined;
    if (!running || running.child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
        running.child.once("exit", () => resolve());
        running.child.kill();
    });
}

/** Clients of the caller (moto's default user) against the emulator. */
export function motoClients(endpoint: string): ClientFactory & { destroy(): void } {
    return sdkClientFactory({ endpoint, credentials: MOTO_CREDENTIALS });
}

/** Environment for a spawned CLI: the standard variables the SDK reads, and nothing from the developer's own AWS setup. */
export function motoEnv(endpoint: string, region = "eu-west-1"): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const key of Object.keys(env)) {
        if (key.startsWith("AWS_")) delete env[key];
    }
    return {
        ...env,
        AWS_ENDPOINT_URL: endpoint,
        AWS_ACCESS_KEY_ID: MOTO_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: MOTO_CREDENTIALS.secretAccessKey,
        AWS_REGION: region,
        AWS_EC2_METADATA_DISABLED: "true",
        // Node 20 is supported until 2027; keep the SDK's advance notice out of asserted stderr.
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
        AWS_CONFIG_FILE: "/nonexistent/aws-config",
        AWS_SHARED_CREDENTIALS_FILE: "/nonexistent/aws-credentials",
    };
}

/**
 * One moto server per test run: started on first use on a free loopback port, stopped by the
 * root hook in test/moto-hooks.ts. Tests reset its state with `resetMoto()` and reach it with
 * explicit client config (in-process) or `motoEnv()` (spawned CLI processes).
 */
import { ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createServer } from "node:net";
import { CreateAccessKeyCommand, CreateUserCommand, PutUserPolicyCommand } from "@aws-sdk/client-iam";
import { ClientFactory, sdkClientFactory } from "../../cli/aws/clients";
import { PolicyDocument } from "../../model";

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

/** Clears every emulated resource (all accounts, all regions) and turns IAM enforcement off. */
export async function resetMoto(): Promise<void> {
    const endpoint = await motoEndpoint();
    const response = await fetch(`${endpoint}/moto-api/reset`, { method: "POST" });
    if (!response.ok) throw new Error(`moto reset failed: HTTP ${response.status}`);
    await setIamEnforcement(endpoint, false);
}

/**
 * moto's own IAM enforcement (its `/moto-api/reset-auth`): when on, every request must be signed
 * with the key of an IAM user created in moto, and moto decides it from that user's policies —
 * denials then come from the emulator itself, as AWS would send them. Server-wide, so tests turn
 * it off again (resetMoto does too).
 */
async function setIamEnforcement(endpoint: string, on: boolean): Promise<void> {
    const response = await fetch(`${endpoint}/moto-api/reset-auth`, { method: "POST", body: on ? "0" : "inf" });
    if (!response.ok) throw new Error(`moto reset-auth failed: HTTP ${response.status}`);
}

export interface IamUser {
    arn: string;
    credentials: { accessKeyId: string; secretAccessKey: string };
}

/**
 * Creates an IAM user with `policy` as its only (inline) policy, then runs `fn` with moto enforcing
 * IAM: requests signed with the user's key are allowed or denied by moto from that policy. Build
 * the world before: with enforcement on, moto's default credentials are rejected. moto checks
 * resources only for S3, IAM and STS (elsewhere it evaluates statements against `*`), and names
 * some S3 actions its own way (HeadBucket is `s3:HeadBucket`).
 */
export async function asIamUser<T>(endpoint: string, policy: PolicyDocument, fn: (user: IamUser) => Promise<T>): Promise<T> {
    const admin = motoClients(endpoint);
    let user: IamUser;
    try {
        const iam = admin("us-east-1").iam;
        const UserName = `caller-${randomBytes(4).toString("hex")}`;
        const created = await iam.send(new CreateUserCommand({ UserName }));
        await iam.send(new PutUserPolicyCommand({ UserName, PolicyName: "caller", PolicyDocument: JSON.stringify(policy) }));
        const key = (await iam.send(new CreateAccessKeyCommand({ UserName }))).AccessKey;
        user = {
            arn: created.User?.Arn as string,
            credentials: { accessKeyId: key?.AccessKeyId as string, secretAccessKey: key?.SecretAccessKey as string },
        };
    } finally {
        admin.destroy();
    }
    await setIamEnforcement(endpoint, true);
    try {
        return await fn(user);
    } finally {
        await setIamEnforcement(endpoint, false);
    }
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

/** Clients of the caller (moto's default user, or the given credentials) against the emulator. */
export function motoClients(endpoint: string, credentials: IamUser["credentials"] = MOTO_CREDENTIALS): ClientFactory & { destroy(): void } {
    return sdkClientFactory({ endpoint, credentials });
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

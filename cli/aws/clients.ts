/**
 * One place that builds AWS SDK clients for the CLI. Credentials come from the SDK's standard
 * chain (environment, `AWS_PROFILE`, SSO, instance roles...), and the SDK itself reads
 * `AWS_ENDPOINT_URL` / `AWS_ENDPOINT_URL_<SERVICE>` and a profile's `endpoint_url`, so an
 * emulator needs no code here. Throttling is retried in the SDK's adaptive mode, which also
 * slows the client down when AWS pushes back.
 *
 * Every attempt is bounded: connecting and the whole answer each within `timeoutMs` (the SDK's
 * own default waits for ever on an endpoint that accepts a connection and never answers), so a
 * call takes at most about attempts × timeout. A failed call's error is tagged with the endpoint
 * it was sent to, so a user is told what could not be reached.
 *
 * Commands receive a `ClientFactory` rather than constructing clients, so tests can hand in
 * clients pointed at moto or wrapped by aws-sdk-client-mock.
 */
import { CloudFormationClient } from "@aws-sdk/client-cloudformation";
import { CloudTrailClient } from "@aws-sdk/client-cloudtrail";
import { EC2Client } from "@aws-sdk/client-ec2";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { FirehoseClient } from "@aws-sdk/client-firehose";
import { IAMClient } from "@aws-sdk/client-iam";
import { KMSClient } from "@aws-sdk/client-kms";
import { S3Client } from "@aws-sdk/client-s3";
import { STSClient, STSClientConfig } from "@aws-sdk/client-sts";
import { DEFAULT_TIMEOUT_SECONDS } from "./timeouts";

export interface AwsClients {
    readonly sts: STSClient;
    readonly iam: IAMClient;
    readonly s3: S3Client;
    readonly firehose: FirehoseClient;
    readonly events: EventBridgeClient;
    readonly kms: KMSClient;
    readonly ec2: EC2Client;
    readonly cloudformation: CloudFormationClient;
    readonly cloudtrail: CloudTrailClient;
}

/** The clients of one region. IAM is global; its client is created in whichever region asks. */
export interface ClientFactory {
    (region: string): AwsClients;
}

export interface SdkClientOptions {
    /** A named profile instead of the default chain's choice (`AWS_PROFILE`). */
    profile?: string;
    /** Explicit endpoint (tests); otherwise the SDK reads AWS_ENDPOINT_URL itself. */
    endpoint?: string;
    /** Explicit credentials (tests); otherwise the standard chain. */
    credentials?: STSClientConfig["credentials"];
    /** Attempts per call including the first; the SDK default (3, or AWS_MAX_ATTEMPTS) when unset. */
    maxAttempts?: number;
    /** Limit on connecting, and on each attempt's whole answer; default DEFAULT_TIMEOUT_SECONDS. */
    timeoutMs?: number;
}

export const RETRY_MODE = "adaptive";

/**
 * A custom endpoint is usually an emulator on a plain host name (`localhost`), where S3's
 * virtual-hosted bucket names (`bucket.localhost`) do not resolve: use path-style addressing.
 */
function customEndpointConfigured(options: SdkClientOptions, env: NodeJS.ProcessEnv): boolean {
    return Boolean(options.endpoint || env.AWS_ENDPOINT_URL || env.AWS_ENDPOINT_URL_S3);
}

export function sdkClientFactory(options: SdkClientOptions = {}, env: NodeJS.ProcessEnv = process.env): ClientFactory & { destroy(): void } {
    const created: { destroy(): void }[] = [];
    const byRegion = new Map<string, AwsClients>();
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_SECONDS * 1000;
    const configFor = (region: string): CommonConfig => ({
        region,
        retryMode: RETRY_MODE,
        requestHandler: { connectionTimeout: timeoutMs, requestTimeout: timeoutMs, throwOnRequestTimeout: true },
        ...(options.maxAttempts !== undefined ? { maxAttempts: options.maxAttempts } : {}),
        ...(options.profile !== undefined ? { profile: options.profile } : {}),
        ...(options.endpoint !== undefined ? { endpoint: options.endpoint } : {}),
        ...(options.credentials !== undefined ? { credentials: options.credentials } : {}),
    });
    const profile = options.profile ?? (env.AWS_PROFILE || undefined);
    const track = <T extends SdkClient>(client: T): T => {
        created.push(client);
        tagFailures(client, profile);
        return client;
    };
    const factory = (region: string): AwsClients => {
        let clients = byRegion.get(region);
        if (!clients) {
            clients = lazyClients(() => configFor(region), track, customEndpointConfigured(options, env));
            byRegion.set(region, clients);
        }
        return clients;
    };
    return Object.assign(factory, {
        destroy(): void {
            for (const client of created.splice(0)) client.destroy();
            byRegion.clear();
        },
    });
}

interface CommonConfig {
    region: string;
    retryMode: string;
    requestHandler: { connectionTimeout: number; requestTimeout: number; throwOnRequestTimeout: boolean };
    maxAttempts?: number;
    profile?: string;
    endpoint?: string;
    credentials?: STSClientConfig["credentials"];
}

type SdkClient = AwsClients[keyof AwsClients];

/**
 * Records on a failed call's error where it was sent (`https://sts.eu-west-1.amazonaws.com`) and
 * which named profile the credentials were to come from. The endpoint is added in the
 * deserialize step, inside the retries: every attempt's error carries it, so the last one, which
 * reaches the caller, does too. The profile is added outermost, where credential errors pass.
 */
function tagFailures(client: SdkClient, profile: string | undefined): void {
    const stack = (client as STSClient).middlewareStack;
    if (profile !== undefined) {
        stack.add((next) => async (args) => {
            try {
                return await next(args);
            } catch (error) {
                if (error && typeof error === "object") Object.assign(error, { $profile: profile });
                throw error;
            }
        }, { step: "initialize", name: "stackstateTagProfile", priority: "high" });
    }
    stack.add((next) => async (args) => {
        try {
            return await next(args);
        } catch (error) {
            const request = args.request as { protocol?: string; hostname?: string; port?: number } | undefined;
            if (error && typeof error === "object" && request?.hostname) {
                const port = request.port ? `:${request.port}` : "";
                Object.assign(error, { $endpoint: `${request.protocol ?? "https:"}//${request.hostname}${port}` });
            }
            throw error;
        }
    }, { step: "deserialize", name: "stackstateTagEndpoint", priority: "low" });
}

/** Clients are built on first use: a verify run over 17 regions needs a handful of services each. */
function lazyClients(
    config: () => CommonConfig,
    track: <T extends SdkClient>(client: T) => T,
    pathStyle: boolean,
): AwsClients {
    const cache: Partial<Record<keyof AwsClients, unknown>> = {};
    const once = <K extends keyof AwsClients>(key: K, make: () => AwsClients[K]): AwsClients[K] => {
        cache[key] ??= track(make());
        return cache[key] as AwsClients[K];
    };
    return {
        get sts() { return once("sts", () => new STSClient(config())); },
        get iam() { return once("iam", () => new IAMClient(config())); },
        // The logs bucket lives in the main region; S3 answers a client of another region with a
        // redirect, which the client then follows.
        get s3() { return once("s3", () => new S3Client({ ...config(), followRegionRedirects: true, ...(pathStyle ? { forcePathStyle: true } : {}) })); },
        get firehose() { return once("firehose", () => new FirehoseClient(config())); },
        get events() { return once("events", () => new EventBridgeClient(config())); },
        get kms() { return once("kms", () => new KMSClient(config())); },
        get ec2() { return once("ec2", () => new EC2Client(config())); },
        get cloudformation() { return once("cloudformation", () => new CloudFormationClient(config())); },
        get cloudtrail() { return once("cloudtrail", () => new CloudTrailClient(config())); },
    };
}

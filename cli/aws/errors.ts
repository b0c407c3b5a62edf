/**
 * What went wrong with an AWS call, decided in one place. Services spell "access denied" in
 * different ways (S3 `AccessDenied`, most JSON APIs `AccessDeniedException`, EC2
 * `UnauthorizedOperation`, SNS `AuthorizationError`, bare 403s on HEAD requests); everything that
 * is not a denial and not an answer means the question could not be asked at all: no
 * credentials, rejected credentials, an unreachable endpoint, an API the endpoint does not
 * implement, throttling that outlasted the retries.
 */

export type AwsFailure =
    /** The caller lacks a permission: a definite answer ("you cannot do this"). */
    | { kind: "denied"; action?: string; detail: string }
    /** The call could not be made or understood: no answer either way. */
    | { kind: "undetermined"; action?: string; detail: string };

/** An SDK error tagged with the IAM action the failed call needed, so messages can name it. */
export class AwsCallError extends Error {
    constructor(readonly action: string, readonly cause: unknown) {
        super(`${action}: ${messageOf(cause)}`);
        this.name = "AwsCallError";
    }
}

/** Runs one SDK call; a failure comes back as an AwsCallError naming `action`. */
export async function awsCall<T>(action: string, run: () => Promise<T>): Promise<T> {
    try {
        return await run();
    } catch (error) {
        throw error instanceof AwsCallError ? error : new AwsCallError(action, error);
    }
}

const DENIED_CODES = new Set([
    "AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "AuthorizationError",
    "AuthorizationErrorException", "UnauthorizedAccess", "UnauthorizedException", "NotAuthorized",
    "Forbidden", "AllAccessDisabled",
]);
/** Codes that say the credentials themselves are bad: no permission question was answered. */
const BAD_CREDENTIAL_CODES = new Set([
    "InvalidClientTokenId", "SignatureDoesNotMatch", "ExpiredToken", "ExpiredTokenException",
    "InvalidAccessKeyId", "UnrecognizedClientException", "InvalidToken", "AuthFailure",
    "TokenRefreshRequired", "InvalidSignatureException",
]);
const NOT_IMPLEMENTED_CODES = new Set([
    "NotImplemented", "InvalidAction", "UnknownOperationException", "UnsupportedOperation",
    "InvalidAction.NotImplemented",
]);
const THROTTLING_CODES = new Set([
    "Throttling", "ThrottlingException", "ThrottledException", "TooManyRequestsException",
    "RequestLimitExceeded", "SlowDown", "RequestThrottled", "RequestThrottledException",
]);
const NETWORK_CODES = new Set([
    "ECONNREFUSED", "ENOTFOUND", "ECONNRESET", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "EPIPE",
]);
/** The SDK's own timeouts (connecting, or waiting for the answer) and a service's. */
const TIMEOUT_CODES = new Set(["TimeoutError", "ETIMEDOUT", "RequestTimeout", "RequestTimeoutException"]);

interface SdkErrorShape {
    name?: string;
    Code?: string;
    code?: string;
    message?: string;
    $metadata?: { httpStatusCode?: number; attempts?: number };
    /** Where the call was sent, and the named profile in use; set by the client factory (clients.ts). */
    $endpoint?: string;
    $profile?: string;
}

function shape(error: unknown): SdkErrorShape {
    return typeof error === "object" && error !== null ? (error as SdkErrorShape) : { message: String(error) };
}

function unwrap(error: unknown): { action?: string; cause: unknown } {
    return error instanceof AwsCallError ? { action: error.action, cause: error.cause } : { cause: error };
}

/** The service's error code (`AccessDenied`, `NoSuchBucket`...), or the Node error code. */
export function errorCode(error: unknown): string | undefined {
    const { cause } = unwrap(error);
    const e = shape(cause);
    return e.Code ?? (e.name && e.name !== "Error" ? e.name : undefined) ?? e.code;
}

export function httpStatusOf(error: unknown): number | undefined {
    return shape(unwrap(error).cause).$metadata?.httpStatusCode;
}

/** True when the error is one of the given service error codes (e.g. a not-found a check expects). */
export function isAwsErrorCode(error: unknown, ...codes: string[]): boolean {
    const code = errorCode(error);
    return code !== undefined && codes.includes(code);
}

function messageOf(error: unknown): string {
    const message = shape(error).message ?? String(error);
    return message.split("\n")[0].trim();
}

/** "User: arn... is not authorized to perform: firehose:DescribeDeliveryStream on resource: ..." */
const PERFORM_PATTERN = /not authorized to perform:?\s+([a-z0-9-]+:[A-Za-z0-9*]+)/i;

export function classifyAwsError(error: unknown): AwsFailure {
    const { action, cause } = unwrap(error);
    const e = shape(cause);
    const code = errorCode(cause);
    const status = e.$metadata?.httpStatusCode;
    const message = messageOf(cause);
    const withCode = code && !message.includes(code) ? `${code}: ${message}` : message;

    if (code && BAD_CREDENTIAL_CODES.has(code)) {
        return { kind: "undetermined", action, detail: `the AWS credentials were rejected (${withCode})` };
    }
    // An endpoint without the API often answers with an HTML page, and an emulator may answer a
    // JSON API in XML: either way the SDK cannot parse the body.
    const unparsable = e.name === "SyntaxError" || /deserialization error|xml parse error|<html/i.test(e.message ?? "");
    if ((code && DENIED_CODES.has(code)) || status === 403) {
        const named = PERFORM_PATTERN.exec(message)?.[1];
        const detail = unparsable || !withCode ? "HTTP 403, with an error body the SDK could not read" : withCode;
        return { kind: "denied", action: named ?? action, detail };
    }
    if (e.name === "CredentialsProviderError" || /could not load credentials/i.test(message)) {
        if (e.$profile !== undefined) {
            return {
                kind: "undetermined", action,
                detail: `no AWS credentials could be loaded for profile '${e.$profile}' (${message}); is it defined in the AWS config or credentials file, and are its credentials valid?`,
            };
        }
        return {
            kind: "undetermined", action,
            detail: `no AWS credentials could be loaded (${message}); set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY`,
        };
    }
    const attempts = e.$metadata?.attempts;
    const tries = attempts && attempts > 1 ? `, ${attempts} attempts` : "";
    if ((code && TIMEOUT_CODES.has(code)) || (e.code && TIMEOUT_CODES.has(e.code))) {
        const limit = /(\d+) ?ms/.exec(message)?.[1];
        const within = limit ? `no answer within ${Number(limit) / 1000} s` : message;
        return { kind: "undetermined", action, detail: `timed out reaching ${e.$endpoint ?? "the AWS endpoint"} (${within}${tries})` };
    }
    if ((code && NETWORK_CODES.has(code)) || (e.code && NETWORK_CODES.has(e.code))) {
        return { kind: "undetermined", action, detail: `cannot reach ${e.$endpoint ?? "the AWS endpoint"} (${message}${tries})` };
    }
    if ((code && NOT_IMPLEMENTED_CODES.has(code)) || status === 501 || unparsable) {
        const http = status ? `HTTP ${status}` : code ?? "unreadable answer";
        return { kind: "undetermined", action, detail: `the endpoint does not implement this call (${http}: ${message})` };
    }
    if (code && THROTTLING_CODES.has(code)) {
        return { kind: "undetermined", action, detail: `throttled by AWS${attempts ? ` after ${attempts} attempts` : ""} (${withCode})` };
    }
    return { kind: "undetermined", action, detail: withCode || "unknown error" };
}

/** One line for a user: what was being done, and why it did not work. */
export function describeAwsFailure(failure: AwsFailure): string {
    if (failure.kind === "denied") {
        return failure.action
            ? `access denied: the credentials lack ${failure.action} (${failure.detail})`
            : `access denied (${failure.detail})`;
    }
    return failure.action ? `could not call ${failure.action}: ${failure.detail}` : failure.detail;
}

/**
 * Working in many accounts from one set of credentials: each account's clients sign with
 * credentials from AssumeRole on a role in that account (the deploy role, or the integration role
 * with its ExternalId), fetched once and renewed before they expire.
 */
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { awsCall } from "../aws/errors";
import { mapWithConcurrency } from "../aws/concurrency";

export interface TemporaryCredentials {
    accessKeyId: string;
    secretAccessKey: string;
    sessionToken: string;
    expiration?: Date;
}

/** A credentials provider, as the SDK's clients take one. */
export type CredentialsProvider = () => Promise<TemporaryCredentials>;

/** Renewed this long before they expire, so no call starts with credentials about to lapse. */
const RENEW_BEFORE_MS = 5 * 60_000;

export function assumedRoleCredentials(sts: STSClient, roleArn: string, sessionName: string, externalId?: string): CredentialsProvider {
    let current: Promise<TemporaryCredentials> | undefined;
    const fetch = async (): Promise<TemporaryCredentials> => {
        const out = await awsCall("sts:AssumeRole", () => sts.send(new AssumeRoleCommand({
            RoleArn: roleArn,
            RoleSessionName: sessionName,
            ...(externalId !== undefined ? { ExternalId: externalId } : {}),
        })));
        const c = out.Credentials;
        if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken) throw new Error(`sts:AssumeRole on ${roleArn} returned no credentials`);
        return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration };
    };
    return async () => {
        const held = current ? await current.catch(() => undefined) : undefined;
        if (!held || (held.expiration && held.expiration.getTime() - Date.now() < RENEW_BEFORE_MS)) {
            current = fetch();
            // A failed attempt is not cached: the next call asks again.
            current.catch(() => { current = undefined; });
        }
        return current as Promise<TemporaryCredentials>;
    };
}

/**
 * Runs `fn` for every account, at most `limit` at once, in input order. `fn` reports its own
 * failures; anything it throws anyway becomes that account's `onError` result, so one account
 * never stops the others.
 */
export function forEachAccount<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>, onError: (item: T, error: unknown) => R): Promise<R[]> {
    return mapWithConcurrency(items, limit, (item) => fn(item).catch((error: unknown) => onError(item, error)));
}

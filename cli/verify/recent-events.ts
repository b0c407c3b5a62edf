/**
 * Did events arrive lately? The newest object version under the region's EventBridge prefix.
 * Versions, not current objects: the Agent deletes each object once read, so in a healthy
 * account the prefix holds mostly non-current versions. Silence is a warning: a quiet region
 * produces no events.
 */
import { eventBridgePrefix } from "../../model";
import { versionPages } from "../aws/object-versions";
import { pass, skip, Verdict, warn } from "./checks";
import { VerifyContext } from "./context";

export const RECENT_EVENTS_WINDOW_MINUTES = 15;

function ago(ms: number): string {
    const minutes = Math.max(0, Math.round(ms / 60_000));
    return minutes < 1 ? "less than a minute ago" : minutes === 1 ? "1 minute ago" : `${minutes} minutes ago`;
}

export async function checkRecentEvents(ctx: VerifyContext, region: string): Promise<Verdict> {
    const aws = await ctx.bucketClients();
    if (!aws) return skip(`not checked: bucket ${ctx.bucketName} does not exist`);
    const prefix = eventBridgePrefix(ctx.accountId, region);
    let newest: Date | undefined;
    for await (const page of versionPages(aws.s3, ctx.bucketName, { prefix })) {
        for (const version of page.versions) {
            if (version.LastModified && (!newest || version.LastModified > newest)) newest = version.LastModified;
        }
    }
    const now = ctx.now();
    if (newest && now.getTime() - newest.getTime() <= RECENT_EVENTS_WINDOW_MINUTES * 60_000) {
        return pass(`the newest object under ${prefix} arrived ${ago(now.getTime() - newest.getTime())}`);
    }
    const last = newest ? `the newest arrived ${ago(now.getTime() - newest.getTime())}` : "there is none";
    return warn(`no object arrived under ${prefix} in the last ${RECENT_EVENTS_WINDOW_MINUTES} minutes (${last}): expected only if nothing changed in ${region}; otherwise check the rule and the stream`);
}

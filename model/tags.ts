/**
 * Every resource this package creates carries `managed-by: stackstate-aws`; `teardown`
 * refuses to touch a bucket without it.
 */
export const MANAGED_BY_TAG_KEY = "managed-by";
export const MANAGED_BY_TAG_VALUE = "stackstate-aws";

/** User tags first, so ours wins: a user cannot accidentally un-mark a resource. */
export function withManagedBy(tags: Record<string, string> | undefined): Record<string, string> {
    return { ...(tags ?? {}), [MANAGED_BY_TAG_KEY]: MANAGED_BY_TAG_VALUE };
}

export function isManagedByUs(tags: Record<string, string | undefined> | undefined): boolean {
    return tags?.[MANAGED_BY_TAG_KEY] === MANAGED_BY_TAG_VALUE;
}

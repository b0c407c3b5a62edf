/**
 * Bounded concurrency: at most `limit` calls of `fn` in flight, results in input order.
 * Used to fan out over regions and DeleteObjects batches without flooding an account's API
 * quotas (the SDK's adaptive retry handles what throttling still happens). After a rejection no
 * new item starts, and the first rejection is what the returned promise rejects with.
 */
export async function mapWithConcurrency<T, R>(
    items: readonly T[],
    limit: number,
    fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
    if (!Number.isInteger(limit) || limit < 1) {
        throw new RangeError(`concurrency limit must be a positive integer, is ${limit}`);
    }
    const results = new Array<R>(items.length);
    let next = 0;
    let failed = false;
    const worker = async (): Promise<void> => {
        while (!failed && next < items.length) {
            const index = next++;
            try {
                results[index] = await fn(items[index], index);
            } catch (error) {
                failed = true;
                throw error;
            }
        }
    };
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
    return results;
}

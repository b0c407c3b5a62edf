/**
 * EventBridge's list calls page with NextToken, and the EventBridge client ships no paginators
 * (`paginate*`) as the EC2, S3 and IAM clients do: this follows the tokens for every such call.
 */

/** The items of every page, in order: `page` fetches the page a token names (undefined: the first). */
export async function allEventBridgePages<Out extends { NextToken?: string }, Item>(
    page: (nextToken: string | undefined) => Promise<Out>,
    items: (out: Out) => readonly Item[] | undefined,
): Promise<Item[]> {
    const all: Item[] = [];
    const seen = new Set<string>();
    let nextToken: string | undefined;
    do {
        const out = await page(nextToken);
        all.push(...(items(out) ?? []));
        nextToken = out.NextToken || undefined;
        // A token handed out twice would loop for ever; AWS never does, a broken endpoint might.
        if (nextToken !== undefined && seen.has(nextToken)) throw new Error(`EventBridge returned the page token ${JSON.stringify(nextToken)} twice`);
        if (nextToken !== undefined) seen.add(nextToken);
    } while (nextToken !== undefined);
    return all;
}

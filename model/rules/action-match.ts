/** IAM action and ARN wildcard matching (`*` any run, `?` one character); actions compare case-insensitively. */

const cache = new Map<string, RegExp>();

function globToRegExp(pattern: string, caseInsensitive: boolean): RegExp {
    const key = `${caseInsensitive ? "i" : "s"}:${pattern}`;
    let re = cache.get(key);
    if (!re) {
        const body = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
        re = new RegExp(`^${body}$`, caseInsensitive ? "is" : "s");
        cache.set(key, re);
    }
    return re;
}

/** Does the IAM action pattern (e.g. `sts:*`, `s3:Get*`) match the concrete action? */
export function actionMatches(pattern: string, action: string): boolean {
    return globToRegExp(pattern, true).test(action);
}

/** Does the ARN pattern (IAM wildcards) match the concrete value? Case-sensitive, as IAM resources are. */
export function wildcardMatches(pattern: string, value: string): boolean {
    return globToRegExp(pattern, false).test(value);
}

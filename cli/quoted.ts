/**
 * A user's input echoed in a message: in quotes, with control characters escaped (a newline in a
 * flag must not start a new line of the error, nor a carriage return overwrite it), and cut when
 * long, so an error stays one readable line per problem.
 */
const MAX_SHOWN = 120;

export function quoted(raw: string | undefined): string {
    const text = raw ?? "";
    const cut = text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}… (${text.length} characters)` : text;
    // eslint-disable-next-line no-control-regex
    const escaped = cut.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => JSON.stringify(c).slice(1, -1));
    return `'${escaped}'`;
}

/** At most `max` items, then how many more. */
export function listed(items: readonly string[], max = 5): string {
    const shown = items.slice(0, max).join(", ");
    return items.length > max ? `${shown} and ${items.length - max} more` : shown;
}

/** ExternalId rules: AWS's syntax, plus a floor on length so the ID stays unguessable (docs/stackstate-integration.md#integration-role). */

/** AWS's syntax for sts:ExternalId; the JS SDK does not check it client-side. */
export const EXTERNAL_ID_PATTERN = "^[\\w+=,.@:/-]+$";
export const EXTERNAL_ID_MAX_LENGTH = 1224;
/** AWS's own floor; `verify` accepts any ID AWS accepts and reports a short one separately. */
export const EXTERNAL_ID_AWS_MIN_LENGTH = 2;
/** AWS accepts 2 characters; anything that short can be guessed, so we refuse below this. */
export const EXTERNAL_ID_MIN_LENGTH = 16;
/** Length of the ID generated when none is configured: alphanumeric, so always valid syntax. */
export const GENERATED_EXTERNAL_ID_LENGTH = 48;

function characterAndCeilingProblems(value: string): string[] {
    const problems: string[] = [];
    if (!new RegExp(EXTERNAL_ID_PATTERN).test(value)) {
        problems.push("may contain only letters, digits and the characters _+=,.@:/-");
    }
    if (value.length > EXTERNAL_ID_MAX_LENGTH) {
        problems.push(`must be at most ${EXTERNAL_ID_MAX_LENGTH} characters`);
    }
    return problems;
}

/** Problems with an ExternalId by AWS's syntax alone (what STS would reject); empty when AWS accepts it. */
export function externalIdSyntaxProblems(value: string): string[] {
    const problems = characterAndCeilingProblems(value);
    if (value.length < EXTERNAL_ID_AWS_MIN_LENGTH) {
        problems.push(`must be at least ${EXTERNAL_ID_AWS_MIN_LENGTH} characters`);
    }
    return problems;
}

/** Problems with an ExternalId, in words; empty when it is acceptable. */
export function externalIdProblems(value: string): string[] {
    const problems = characterAndCeilingProblems(value);
    if (value.length < EXTERNAL_ID_MIN_LENGTH) {
        problems.push(`must be at least ${EXTERNAL_ID_MIN_LENGTH} characters so it cannot be guessed (omit it to have one generated)`);
    }
    return problems;
}

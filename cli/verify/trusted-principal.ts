/**
 * Does a trust policy name the principal behind some credentials? Only then does probing
 * AssumeRole mean anything: a caller the policy does not name is refused whatever the
 * ExternalId, so "refused without the ExternalId" would prove nothing.
 */
import { actionMatches, arnResourceName, asArray, parseIdentityArn, PolicyDocument } from "../../model";

interface Caller {
    accountId: string;
    arn: string;
    /** For an assumed-role session: the role's name (its path is not in a session ARN). */
    roleName?: string;
}

/** `arn:aws:sts::123456789012:assumed-role/Name/session`, `arn:aws:iam::123456789012:user/x`... */
export function parseCallerArn(arn: string): Caller | undefined {
    const identity = parseIdentityArn(arn);
    if (!identity) return undefined;
    const assumed = /^assumed-role\/([^/]+)\//.exec(identity.resource);
    return { accountId: identity.accountId, arn, roleName: assumed?.[1] };
}

function principalNames(principal: string, caller: Caller): boolean {
    if (principal === "*" || principal === caller.arn) return true;
    if (principal === caller.accountId) return true;
    const identity = parseIdentityArn(principal);
    if (identity?.service !== "iam" || identity.accountId !== caller.accountId) return false;
    if (identity.resource === "root") return true;
    if (caller.roleName && identity.resource.startsWith("role/")) {
        return arnResourceName(principal) === caller.roleName;
    }
    return false;
}

/** True when an Allow statement for sts:AssumeRole names the caller, its role, or its account. */
export function trustNamesCaller(trust: PolicyDocument, callerArn: string): boolean {
    const caller = parseCallerArn(callerArn);
    if (!caller) return false;
    return asArray(trust.Statement).some((statement) => {
        if (statement.Effect !== "Allow" || statement.NotPrincipal !== undefined) return false;
        if (!asArray(statement.Action).some((a) => actionMatches(a, "sts:AssumeRole"))) return false;
        const principal = statement.Principal;
        if (principal === undefined) return false;
        if (principal === "*") return true;
        return asArray(principal.AWS).some((p) => principalNames(p, caller));
    });
}

/** The values a trust policy accepts for sts:ExternalId under StringEquals (condition keys are case-insensitive). */
export function acceptedExternalIds(trust: PolicyDocument): string[] {
    const ids: string[] = [];
    for (const statement of asArray(trust.Statement)) {
        if (statement.Effect !== "Allow") continue;
        for (const [key, value] of Object.entries(statement.Condition?.StringEquals ?? {})) {
            if (key.toLowerCase() === "sts:externalid") ids.push(...asArray(value).map(String));
        }
    }
    return ids;
}

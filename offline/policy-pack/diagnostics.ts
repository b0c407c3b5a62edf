/** The pack's answers as the findings `plan` prints. */
import type { Diagnostic, Violation } from "./types";

/** A diagnostic as a finding: the pack prefixes a policy's description to each message, which `plan` prints once. */
export function violation(d: Diagnostic, descriptions: Map<string, string>): Violation {
    const description = descriptions.get(d.policy) ?? d.description;
    const message = description && d.message.startsWith(`${description}\n`) ? d.message.slice(description.length + 1) : d.message;
    return { policy: d.policy, enforcementLevel: d.enforcementLevel, urn: d.urn, message };
}

/** "Would set permissionsBoundary to "arn:…"." for each top-level property the remediation changed. */
export function remediationMessage(before: Record<string, unknown>, after: Record<string, unknown>): string {
    const changed = Object.keys({ ...before, ...after })
        .filter((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]))
        .map((key) => (key in after ? `${key} to ${JSON.stringify(after[key])}` : `no ${key}`));
    return `Would set ${changed.join(", ")}.`;
}

/**
 * `stackstate-agent-disallow-any-account`: once the monitored accounts are configured, the Agent's
 * permission to assume the integration role names them; `arn:aws:iam::*:role/…` (or `*`) would let
 * the Agent host assume a same-named role in any account. Judges every identity document that
 * grants sts:AssumeRole on a resource pattern reaching the integration role (any path, wildcards
 * included) — an `aws.iam.Policy`, an `aws.iam.RolePolicy` or a role's inline policy — and every
 * document of the Agent's own role (its inline policies and its `RolePolicy`s), where even `*` counts.
 * A bare `*` elsewhere is not judged: an admin policy is not the Agent's permission.
 */
import { ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { arnPartition } from "../model/arn";
import { globsIntersect } from "../model/glob-sets";
import { asArray, parsePolicyDocument, PolicyDocument } from "../model/iam-document";
import { AGENT_ROLE_NAME, iamRoleArn, INTEGRATION_ROLE_NAME } from "../model/names";
import { Partition } from "../model/regions";
import { actionMatches } from "../model/rules/action-match";
import { assumeRoleOnAnyAccountProblems } from "../model/rules/agent";
import { AWS } from "./aws-types";
import { asList, asObject, describe, hasUnknown, knownString, listSetting, Props, rawProps, reportUnknown, stringSetting } from "./kit";

export const AGENT_ACCOUNTS_POLICY = "stackstate-agent-disallow-any-account";

const description = "When the monitored accounts are known, the StackState Agent's permission to assume the integration role must name those accounts, not any account.";

const KINDS: Record<string, string> = { [AWS.policy]: "IAM policy", [AWS.rolePolicy]: "IAM role policy", [AWS.role]: "IAM role" };

/** Does the resource pattern match the role's ARN in some account, under any path? */
function reachesRole(resource: string, roleName: string): boolean {
    if (resource === "*") return false;
    const options = { caseInsensitive: true }; // role names are unique case-insensitively
    return globsIntersect(resource, `arn:*:iam::*:role/${roleName}`, options) || globsIntersect(resource, `arn:*:iam::*:role/*/${roleName}`, options);
}

/**
 * The part of the document that grants sts:AssumeRole on a role with this name: those statements,
 * keeping only the resources that reach the role (a NotResource Allow reaches everything).
 */
function assumeGrantsOf(doc: PolicyDocument, roleName: string): PolicyDocument {
    const statements = asArray(doc.Statement)
        .filter((s) => s.Effect === "Allow" && asArray(s.Action).some((a) => actionMatches(a, "sts:AssumeRole")))
        .map((s) => (s.NotResource !== undefined ? s : { ...s, Resource: asArray(s.Resource).filter((r) => reachesRole(String(r), roleName)) }))
        .filter((s) => s.NotResource !== undefined || asArray(s.Resource).length > 0);
    return { ...doc, Statement: statements };
}

function partitionOfDocument(doc: PolicyDocument): Partition {
    const partitions = asArray(doc.Statement).flatMap((s) => asArray(s.Resource)).map(arnPartition);
    return (partitions.find((p) => p !== undefined) ?? "aws") as Partition;
}

/** The documents a resource carries, each with how to name it in a message. */
function documents(args: ResourceValidationArgs, raw: Props): { subject: string; text: unknown }[] {
    const resource = describe(KINDS[args.type], args.name, knownString(raw.name));
    if (args.type !== AWS.role) return [{ subject: resource, text: raw.policy }];
    // `{ name: "", policy: "" }` is how the provider reports "no inline policies".
    return asList(raw.inlinePolicies).map(asObject).filter((p): p is Props => p !== undefined && p.policy !== undefined && p.policy !== "")
        .map((p) => ({ subject: `Inline policy '${knownString(p.name) ?? "unnamed"}' of ${resource}`, text: p.policy }));
}

/** Is this document the Agent role's own: one of its inline policies, or a RolePolicy naming it? */
function ofAgentRole(args: ResourceValidationArgs, raw: Props, agentRoleName: string): boolean {
    const owner = args.type === AWS.role ? raw.name : args.type === AWS.rolePolicy ? raw.role : undefined;
    const name = knownString(owner);
    return name !== undefined && (name.toLowerCase() === agentRoleName.toLowerCase() || name.toLowerCase().endsWith(`:role/${agentRoleName.toLowerCase()}`));
}

export const stackstateAgentDisallowAnyAccount: ResourceValidationPolicy = {
    name: AGENT_ACCOUNTS_POLICY,
    description,
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            monitoredAccountIds: {
                type: "array", items: { type: "string", pattern: "^\\d{12}$" }, default: [],
                description: "The monitored AWS account ids. Empty: the accounts are not known and the policy checks nothing.",
            },
            roleName: { type: "string", minLength: 1, default: INTEGRATION_ROLE_NAME, description: "Name of the integration role the Agent assumes." },
            agentRoleName: { type: "string", minLength: 1, default: AGENT_ROLE_NAME, description: "Name of the Agent host's role, every policy of which is judged." },
        },
    },
    // One function for three types: the server deserialises a resource once per validation function.
    validateResource: (args, report) => {
        if (!(args.type in KINDS)) return;
        const config = args.getConfig<Props>();
        const accounts = listSetting(config, "monitoredAccountIds");
        if (accounts.length === 0) return;
        const roleName = stringSetting(config, "roleName", INTEGRATION_ROLE_NAME);
        const raw = rawProps(args.props);
        const isAgentRole = ofAgentRole(args, raw, stringSetting(config, "agentRoleName", AGENT_ROLE_NAME));
        for (const { subject, text } of documents(args, raw)) {
            if (hasUnknown(text)) {
                // Another policy's unknown document may grant anything; only the Agent's own are worth a word.
                if (isAgentRole) reportUnknown(report, description, subject, ["its document"]);
                continue;
            }
            let doc: PolicyDocument;
            try {
                doc = parsePolicyDocument(text);
            } catch {
                continue;
            }
            if (!doc || typeof doc !== "object") continue;
            const problems = assumeRoleOnAnyAccountProblems(isAgentRole ? doc : assumeGrantsOf(doc, roleName));
            if (problems.length === 0) continue;
            const arns = accounts.map((account) => iamRoleArn(partitionOfDocument(doc), account, roleName));
            report(`${subject} must name the monitored accounts: ${problems.join("; ")}. ` +
                `Fix: set the statement's Resource to ${arns.map((a) => `"${a}"`).join(", ")}.`);
        }
    },
};

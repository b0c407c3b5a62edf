/**
 * `stackstate-role-required-actions`: the integration role is effectively allowed every action
 * its permission set needs (`published` or `minimal`: the pack's `permissions` setting, else the
 * role's `stackstate-aws:permissions` tag, else published) on every resource, and `kms:Decrypt`
 * for S3's reads of the logs bucket. Effective = the union of the role's identity
 * policies in the stack, minus explicit denies, within its permissions boundary, each action judged
 * over the resource types it acts on (model/iam-eval.ts holds the IAM semantics). A stack policy,
 * because the role's permissions live in other resources (policies, attachments) that only the
 * whole stack shows.
 *
 * What it cannot know it does not guess: a document unknown during a preview, or a managed policy
 * outside the stack with no credentials to read it, makes the affected actions "undetermined",
 * reported at advisory level whatever the policy's own level.
 */
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { INTEGRATION_ROLE_NAME } from "../model/names";
import { parseIdentityArn } from "../model/arn";
import { isKnownRegion, KNOWN_REGIONS, partitionOf } from "../model/regions";
import {
    MISSING_ACTION_CONSEQUENCES, PERMISSION_SETS, PermissionSet, permissionSetOfTags, requiredActionsFor, REQUIRED_KEY_ACTIONS, s3ViaService,
} from "../model/integration-permissions";
import { ActionDecision, AGENT_REQUEST_CONTEXT, EvaluationOptions, evaluateActions, PolicySource, PrincipalPolicies } from "../model/iam-eval";
import { AWS } from "./aws-types";
import { asObject, booleanSetting, describe, knownString, listSetting, Props, rawProps, reportAtLevel, stringSetting, validateStackOfType } from "./kit";
import { defaultManagedPolicyReader, ManagedPolicyReader } from "./managed-policy-reader";
import { rolePolicies } from "./role-policies";

export const REQUIRED_ACTIONS_POLICY = "stackstate-role-required-actions";
/** The `permissions` setting that lets each role's tag decide. */
const ROLE_TAG = "tag";

export interface RequiredActionsConfig {
    roleName: string;
    addActions: string[];
    dropActions: string[];
    readPoliciesFromAws: boolean;
    /** Undefined: each role's tag decides. */
    permissions?: PermissionSet;
}

export function requiredActionsConfig(config: Props): RequiredActionsConfig {
    return {
        roleName: stringSetting(config, "roleName", INTEGRATION_ROLE_NAME),
        addActions: listSetting(config, "addActions"),
        dropActions: listSetting(config, "dropActions"),
        readPoliciesFromAws: booleanSetting(config, "readPoliciesFromAws", true),
        ...(PERMISSION_SETS.includes(config.permissions as PermissionSet) ? { permissions: config.permissions as PermissionSet } : {}),
    };
}

/** The set's list, minus dropped and plus added actions (names compare case-insensitively). */
export function requiredActions(config: RequiredActionsConfig, permissions: PermissionSet = config.permissions ?? "published"): string[] {
    const dropped = new Set(config.dropActions.map((a) => a.toLowerCase()));
    const result: string[] = [];
    const seen = new Set<string>();
    for (const action of [...requiredActionsFor(permissions), ...config.addActions]) {
        const key = action.toLowerCase();
        if (dropped.has(key) || seen.has(key)) continue;
        seen.add(key);
        result.push(action);
    }
    return result;
}

/**
 * `kms:Decrypt` as the Agent's reads need it: asked by S3 (`kms:ViaService`) on the logs key. The
 * bucket's region is not visible here, so it is allowed when S3 of some region may ask. When none
 * may, the answer for a region the role's own policies grant tells why (a boundary, a Deny).
 */
export function decryptThroughS3(
    principal: PrincipalPolicies,
    actions: readonly string[] = REQUIRED_KEY_ACTIONS,
    bindings: Pick<EvaluationOptions, "partition" | "accountId"> = {},
): ActionDecision[] {
    const viaS3 = (region: string) => ({ ...bindings, requestContext: { ...AGENT_REQUEST_CONTEXT, "kms:viaservice": s3ViaService(region) } });
    return actions.map((action) => {
        const granted = (region: string) => evaluateActions({ identity: principal.identity }, [action], viaS3(region))[0].status === "allowed";
        const regions = [...KNOWN_REGIONS].sort((a, b) => Number(granted(b)) - Number(granted(a)));
        const decisions = regions.map((region) => evaluateActions(principal, [action], viaS3(region))[0]);
        const decision = decisions.find((d) => d.status === "allowed") ?? decisions.find((d) => d.status === "undetermined") ?? decisions[0];
        return decision.status === "missing" ? { ...decision, reason: `${decision.reason} (for S3's reads of the logs bucket's objects)` } : decision;
    });
}

function missingLine(d: ActionDecision): string {
    const cost = MISSING_ACTION_CONSEQUENCES[d.action.toLowerCase()];
    return `- ${d.action}: ${d.reason}${cost ? `; ${cost}` : ""}.`;
}

function unknownLines(sources: { identity: PolicySource[]; boundary?: PolicySource }): string[] {
    const lines = sources.identity.filter((s) => "unknown" in s).map((s) => `- ${(s as { unknown: string }).unknown}.`);
    if (sources.boundary && "unknown" in sources.boundary) lines.push(`- permissions boundary: ${sources.boundary.unknown}.`);
    return lines;
}

/**
 * The role's partition and account, which its resources share: from its ARN, else (before the
 * role exists) the partition of its provider's region.
 */
export function roleBindings(role: PolicyResource): Pick<EvaluationOptions, "partition" | "accountId"> {
    const arn = parseIdentityArn(knownString(rawProps(role.props).arn));
    if (arn?.service === "iam") return { partition: arn.partition, accountId: arn.accountId };
    const region = knownString(rawProps(role.provider?.props ?? {}).region);
    return region && isKnownRegion(region) ? { partition: partitionOf(region) } : {};
}

const description = "The StackState integration role must be effectively allowed every action StackState's Agent calls, on all resources; without one, the Agent silently skips that data.";

export function makeRequiredActionsPolicy(reader: ManagedPolicyReader): StackValidationPolicy {
    return {
        name: REQUIRED_ACTIONS_POLICY,
        description,
        enforcementLevel: "mandatory",
        configSchema: {
            properties: {
                roleName: { type: "string", minLength: 1, default: INTEGRATION_ROLE_NAME, description: "Name of the integration role to check." },
                addActions: { type: "array", items: { type: "string", pattern: "^[A-Za-z0-9-]+:[A-Za-z0-9*?]+$" }, default: [], description: "Actions (or patterns such as ec2:Describe*) to require in addition to the Agent's list." },
                dropActions: { type: "array", items: { type: "string", minLength: 1 }, default: [], description: "Actions of the Agent's list not to require, written as in the list (case-insensitive)." },
                readPoliciesFromAws: { type: "boolean", default: true, description: "Read managed policies and boundaries that are not in the stack from IAM, with the standard AWS credentials (needs iam:GetPolicy and iam:GetPolicyVersion)." },
                permissions: { type: "string", enum: [ROLE_TAG, ...PERMISSION_SETS], default: ROLE_TAG, description: "The permission set to require: published (the published template's list), minimal (what the Agent's check calls), or tag: each role's stackstate-aws:permissions tag, else published." },
            },
        },
        validateStack: validateStackOfType(AWS.role, async (args, report) => {
            const config = requiredActionsConfig(args.getConfig<Props>());
            const wanted = config.roleName.toLowerCase();
            const roles = args.resources.filter((r) => r.type === AWS.role && knownString(rawProps(r.props).name)?.toLowerCase() === wanted);
            const dropped = new Set(config.dropActions.map((a) => a.toLowerCase()));
            const keyActions = REQUIRED_KEY_ACTIONS.filter((a) => !dropped.has(a.toLowerCase()));
            for (const role of roles) {
                const tags = asObject(rawProps(role.props).tags) as Record<string, string> | undefined;
                const actions = requiredActions(config, config.permissions ?? permissionSetOfTags(tags));
                const read = (arn: string): Promise<PolicySource> => config.readPoliciesFromAws
                    ? reader.read(arn)
                    : Promise.resolve({ name: `managed policy ${arn}`, unknown: `managed policy ${arn} is not in the stack and readPoliciesFromAws is off` });
                const principal = await rolePolicies(role, args.resources, read);
                const bindings = roleBindings(role);
                const decisions = [
                    ...evaluateActions(principal, actions, { requestContext: AGENT_REQUEST_CONTEXT, ...bindings }),
                    ...decryptThroughS3(principal, keyActions, bindings),
                ];
                const total = decisions.length;
                const missing = decisions.filter((d) => d.status === "missing");
                const undetermined = decisions.filter((d) => d.status === "undetermined");
                const name = describe("IAM role", role.name, knownString(rawProps(role.props).name));
                const requirement = `${name} must be allowed every action StackState's Agent calls, on all resources ("*").`;
                if (missing.length > 0) {
                    report([
                        `${requirement} Not allowed (${missing.length} of ${total}):`,
                        ...missing.map(missingLine),
                        "Fix: allow them on \"*\" without conditions (kms:Decrypt: at most kms:ViaService s3.<bucket region>.amazonaws.com) in a policy of the role (and in its permissions boundary, if it has one), and remove the statements that deny them.",
                    ].join("\n"), role.urn);
                }
                const unreadable = unknownLines(principal);
                if (undetermined.length > 0 && unreadable.length > 0) {
                    reportAtLevel(report, "advisory", description, [
                        `${requirement} Not verified (${undetermined.length} of ${total}), because not every policy of the role can be read:`,
                        ...unreadable,
                        "Fix: values unknown during a preview are checked again after `pulumi up`; for policies outside the stack, run with AWS credentials allowed iam:GetPolicy and iam:GetPolicyVersion.",
                    ].join("\n"), role.urn);
                } else if (undetermined.length > 0) {
                    reportAtLevel(report, "advisory", description, [
                        `${requirement} Not verified (${undetermined.length} of ${total}), because AWS's action catalogue does not say which resources they act on:`,
                        ...undetermined.map((d) => `- ${d.action}: ${d.reason}.`),
                        "Fix: check the action names in addActions, or allow them on \"*\" and deny them nowhere.",
                    ].join("\n"), role.urn);
                }
            }
        }),
    };
}

export const stackstateRoleRequiredActions = makeRequiredActionsPolicy(defaultManagedPolicyReader());

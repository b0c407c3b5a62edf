/**
 * `iam-role-permissions-boundary`: every IAM role has a permissions boundary, optionally one of
 * the organisation's. At the `remediate` level it sets the configured boundary on roles that lack
 * one: `remediationBoundary`, or else the one allowed boundary when exactly one ARN without
 * wildcards is allowed. Otherwise there is no single right answer, and such roles are reported as
 * mandatory violations. A role with a boundary that is not allowed is reported, never rewritten:
 * someone chose that boundary.
 */
import { ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { wildcardMatches } from "../model/rules/action-match";
import { AWS } from "./aws-types";
import { describe, isUnknown, knownString, listSetting, Props, rawProps, remediateType, stringSetting, validateType } from "./kit";

export const PERMISSIONS_BOUNDARY_POLICY = "iam-role-permissions-boundary";

export interface BoundaryConfig {
    allowedBoundaries: string[];
    exemptRoleNames: string[];
    /** "" when not configured. */
    remediationBoundary?: string;
}

function settings(args: ResourceValidationArgs): BoundaryConfig {
    const config = args.getConfig<Props>();
    return {
        allowedBoundaries: listSetting(config, "allowedBoundaries"),
        exemptRoleNames: listSetting(config, "exemptRoleNames"),
        remediationBoundary: stringSetting(config, "remediationBoundary", ""),
    };
}

const isPattern = (value: string) => /[*?]/.test(value);

/** The boundary a remediation sets: the configured one, else the only allowed one if it is an exact ARN. */
export function remediationBoundary(config: BoundaryConfig): string | undefined {
    if (config.remediationBoundary) return config.remediationBoundary;
    const [only, ...rest] = config.allowedBoundaries;
    return only !== undefined && rest.length === 0 && !isPattern(only) ? only : undefined;
}

function isExempt(config: BoundaryConfig, names: (string | undefined)[]): boolean {
    return config.exemptRoleNames.some((pattern) => names.some((name) => name !== undefined && wildcardMatches(pattern, name)));
}

function fix(config: BoundaryConfig): string {
    const single = remediationBoundary(config);
    if (single) return `Fix: set permissionsBoundary to "${single}".`;
    if (config.allowedBoundaries.length > 0) {
        return `Fix: set permissionsBoundary to a managed policy ARN matching one of: ${config.allowedBoundaries.join(", ")}.`;
    }
    return "Fix: set permissionsBoundary to your organisation's boundary policy ARN (configure remediationBoundary, or allowedBoundaries with exactly one ARN, to let the remediate level set it).";
}

const description = "Every IAM role must have a permissions boundary, so that no role can be granted more than the organisation allows.";

export const iamRolePermissionsBoundary: ResourceValidationPolicy = {
    name: PERMISSIONS_BOUNDARY_POLICY,
    description,
    enforcementLevel: "advisory",
    configSchema: {
        properties: {
            allowedBoundaries: {
                type: "array", items: { type: "string", minLength: 1 }, default: [],
                description: "Managed policy ARNs (exact, or with * and ? wildcards) a role's boundary must match; empty accepts any boundary. With exactly one ARN without wildcards, the remediate level sets it on roles without a boundary.",
            },
            exemptRoleNames: {
                type: "array", items: { type: "string", minLength: 1 }, default: [],
                description: "Role names (AWS or Pulumi names; * and ? wildcards) that need no boundary.",
            },
            remediationBoundary: {
                type: "string", pattern: "^(arn:[a-z-]+:iam::(\\d{12}|aws):policy/[^*?]+)?$", default: "",
                description: "The managed policy ARN (no wildcards) the remediate level sets on roles without a boundary. Empty: the one entry of allowedBoundaries, when it is a single exact ARN.",
            },
        },
    },
    validateResource: validateType(AWS.role, (props, args, report) => {
        const config = settings(args);
        const roleName = knownString(rawProps(props).name);
        if (isExempt(config, [roleName, args.name])) return;
        const role = describe("IAM role", args.name, roleName);
        // A boundary not known yet (a policy created in the same preview) is still a boundary; only
        // when it must be one of the allowed ones is it read through the proxy, which makes the
        // server report "can't run during preview".
        if (isUnknown(rawProps(props).permissionsBoundary) && config.allowedBoundaries.length === 0) return;
        const boundary = props.permissionsBoundary as string | undefined;
        if (!boundary) {
            report(`${role} must have a permissions boundary. ${fix(config)}`);
        } else if (config.allowedBoundaries.length > 0 && !config.allowedBoundaries.some((p) => wildcardMatches(p, boundary))) {
            report(`${role} must have one of the allowed permissions boundaries, not "${boundary}". ${fix(config)}`);
        }
    }),
    remediateResource: remediateType(AWS.role, (props, args) => {
        const config = settings(args);
        const boundary = remediationBoundary(config);
        const current = rawProps(props).permissionsBoundary;
        // Never replace a boundary, even one not known until deployment.
        if (!boundary || isExempt(config, [knownString(rawProps(props).name), args.name]) || (current !== undefined && current !== null && current !== "")) return undefined;
        // Assign through the SDK's proxy, which keeps secret properties secret.
        props.permissionsBoundary = boundary;
        return props;
    }),
};

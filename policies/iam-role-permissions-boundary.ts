/**
 * `iam-role-permissions-boundary`: every IAM role has a permissions boundary, optionally one of
 * the organisation's. At the `remediate` level it sets the configured boundary on roles that lack
 * one — only when exactly one boundary ARN without wildcards is configured, because otherwise
 * there is no single right answer; such roles are then reported as mandatory violations. A role
 * with a boundary that is not allowed is reported, never rewritten: someone chose that boundary.
 */
import { ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { wildcardMatches } from "../model/rules/action-match";
import { AWS } from "./aws-types";
import { describe, knownString, listSetting, Props, rawProps, remediateType, validateType } from "./kit";

export const PERMISSIONS_BOUNDARY_POLICY = "iam-role-permissions-boundary";

interface BoundaryConfig {
    allowedBoundaries: string[];
    exemptRoleNames: string[];
}

function settings(args: ResourceValidationArgs): BoundaryConfig {
    const config = args.getConfig<Props>();
    return { allowedBoundaries: listSetting(config, "allowedBoundaries"), exemptRoleNames: listSetting(config, "exemptRoleNames") };
}

const isPattern = (value: string) => /[*?]/.test(value);

/** The one boundary a remediation may set, if the config names exactly one exact ARN. */
export function remediationBoundary(config: BoundaryConfig): string | undefined {
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
    return "Fix: set permissionsBoundary to your organisation's boundary policy ARN (configure allowedBoundaries with exactly one ARN to let the remediate level set it).";
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
        },
    },
    validateResource: validateType(AWS.role, (props, args, report) => {
        const config = settings(args);
        const roleName = knownString(rawProps(props).name);
        if (isExempt(config, [roleName, args.name])) return;
        const role = describe("IAM role", args.name, roleName);
        // Read through the proxy: an unknown boundary makes the server report "can't run during preview".
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
        if (!boundary || isExempt(config, [knownString(rawProps(props).name), args.name]) || props.permissionsBoundary) return undefined;
        // Assign through the SDK's proxy, which keeps secret properties secret.
        props.permissionsBoundary = boundary;
        return props;
    }),
};

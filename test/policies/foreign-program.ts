/**
 * A program this package did not write: a platform team's own Pulumi code for the integration role,
 * shaped as the engine would describe its resources (property names of @pulumi/aws 7, wire values).
 * Its role takes permissions from everywhere a role can: an inline policy with NotAction, a
 * RolePolicy, an AWS-managed policy attached by ARN string, and an in-stack policy of Deny
 * statements (one with NotAction) attached by PolicyAttachment; its in-stack boundary lacks an IAM
 * action. In `preview`, ARNs of new resources are unknown and only property dependencies link them.
 */
import { PolicyResource } from "@pulumi/policy";
import { AnalyzerResource } from "../../offline/policy-pack";
import { dependOn, stackResource, UNKNOWN } from "../helpers/policy-args";

export const FOREIGN_ACCOUNT = "444455556666";
export const FOREIGN_ROLE = "StackStateAwsIntegrationRole";
export const SECURITY_AUDIT = "arn:aws:iam::aws:policy/SecurityAudit";
const POLICY_ARN = (name: string) => `arn:aws:iam::${FOREIGN_ACCOUNT}:policy/${name}`;
const STACK = "urn:pulumi:prod::platform";

interface Described {
    type: string;
    name: string;
    props: Record<string, unknown>;
    /** Property → logical names of the resources it depends on. */
    deps?: Record<string, string[]>;
}

const doc = (...statements: object[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });

/** The program's resources, as known after `pulumi up` (preview=false) or in the preview of its first deployment. */
export function foreignProgram(preview: boolean): Described[] {
    const arn = (value: string) => (preview ? UNKNOWN : value);
    return [
        {
            type: "aws:iam/policy:Policy", name: "team-boundary",
            props: {
                name: "team-boundary", path: "/", arn: arn(POLICY_ARN("team-boundary")),
                // Everything but IAM, and of IAM only the authorisation details: no account aliases.
                policy: doc(
                    { Sid: "AllButIam", Effect: "Allow", NotAction: "iam:*", Resource: "*" },
                    { Sid: "IamDetails", Effect: "Allow", Action: "iam:GetAccountAuthorizationDetails", Resource: "*" },
                ),
            },
        },
        {
            type: "aws:iam/role:Role", name: "stackstate",
            props: {
                name: FOREIGN_ROLE, path: "/integrations/",
                arn: arn(`arn:aws:iam::${FOREIGN_ACCOUNT}:role/integrations/${FOREIGN_ROLE}`),
                permissionsBoundary: arn(POLICY_ARN("team-boundary")),
                assumeRolePolicy: doc({
                    Effect: "Allow", Action: "sts:AssumeRole", Principal: { AWS: "arn:aws:iam::210987654321:root" },
                    Condition: { StringEquals: { "sts:ExternalId": "platform-team-external-id-0001" } },
                }),
                inlinePolicies: [{
                    name: "broad-read",
                    policy: doc({ Sid: "AllButAccountAdmin", Effect: "Allow", NotAction: ["iam:*", "organizations:*"], Resource: "*" }),
                }],
            },
            deps: { permissionsBoundary: ["team-boundary"] },
        },
        {
            type: "aws:iam/rolePolicy:RolePolicy", name: "iam-read",
            props: { role: FOREIGN_ROLE, name: "iam-read", policy: doc({ Effect: "Allow", Action: ["IAM:get*", "iam:List*"], Resource: "*" }) },
            deps: { role: ["stackstate"] },
        },
        {
            // An AWS-managed policy by ARN string: nothing in the stack holds its document.
            type: "aws:iam/rolePolicyAttachment:RolePolicyAttachment", name: "security-audit",
            props: { role: FOREIGN_ROLE, policyArn: SECURITY_AUDIT },
            deps: { role: ["stackstate"] },
        },
        {
            type: "aws:iam/policy:Policy", name: "guardrails",
            props: {
                name: "guardrails", path: "/", arn: arn(POLICY_ARN("guardrails")),
                policy: doc(
                    { Sid: "NoTagReads", Effect: "Deny", Action: "s3:GetBucketTagging", Resource: "arn:aws:s3:::*" },
                    { Sid: "ReadOnly", Effect: "Deny", NotAction: ["*:Describe*", "*:List*", "*:Get*", "cloudtrail:LookupEvents", "apigateway:GET", "kms:Decrypt"], Resource: "*" },
                ),
            },
        },
        {
            type: "aws:iam/policyAttachment:PolicyAttachment", name: "guardrails-everywhere",
            props: { name: "guardrails-everywhere", roles: ["app-role", FOREIGN_ROLE], policyArn: arn(POLICY_ARN("guardrails")) },
            deps: { policyArn: ["guardrails"] },
        },
        {
            type: "aws:iam/role:Role", name: "app",
            props: {
                name: "app-role", arn: arn(`arn:aws:iam::${FOREIGN_ACCOUNT}:role/app-role`),
                assumeRolePolicy: doc({ Effect: "Allow", Action: "sts:AssumeRole", Principal: { Service: "lambda.amazonaws.com" } }),
            },
        },
    ];
}

/** As `@pulumi/policy` hands them to a stack policy. */
export function asPolicyResources(described: Described[]): PolicyResource[] {
    const byName = new Map(described.map((d) => [d.name, stackResource(d.type, d.name, structuredClone(d.props))]));
    for (const d of described) {
        for (const [key, names] of Object.entries(d.deps ?? {})) {
            for (const name of names) dependOn(byName.get(d.name)!, key, byName.get(name)!);
        }
    }
    return [...byName.values()];
}

export const foreignUrn = (d: Pick<Described, "type" | "name">) => `${STACK}::${d.type}::${d.name}`;

/** As the engine sends them to the pack over gRPC. */
export function asAnalyzerResources(described: Described[]): AnalyzerResource[] {
    const urnOf = new Map(described.map((d) => [d.name, foreignUrn(d)]));
    return described.map((d) => {
        const propertyDependencies = Object.fromEntries(Object.entries(d.deps ?? {}).map(([key, names]) => [key, names.map((n) => urnOf.get(n)!)]));
        return {
            urn: foreignUrn(d), type: d.type, name: d.name, properties: d.props,
            dependencies: [...new Set(Object.values(propertyDependencies).flat())], propertyDependencies,
            provider: { urn: `${STACK}::pulumi:providers:aws::default`, type: "pulumi:providers:aws", name: "default", properties: { region: "eu-central-1" } },
        };
    });
}

/**
 * Everything that shapes an IAM role's permissions, gathered from the stack's resources: inline
 * policies, `aws.iam.RolePolicy`, managed policies attached by `RolePolicyAttachment`,
 * `PolicyAttachment` or `managedPolicyArns`, and the permissions boundary. A resource belongs to the
 * role when it names the role by value or depends on it through the property (the only link
 * during a preview, when names and ARNs may be unknown). A managed policy is taken from the stack
 * when it is there, else read from AWS; a document that cannot be known is kept as "unknown".
 */
import { PolicyResource } from "@pulumi/policy";
import { PolicySource, PrincipalPolicies } from "../model/iam-eval";
import { AWS } from "./aws-types";
import { asList, asObject, hasUnknown, knownString, ofType, rawProps, refersTo } from "./kit";

export type ReadManagedPolicy = (arn: string) => Promise<PolicySource>;

function documentSource(name: string, document: unknown, unknownWhy: string): PolicySource {
    if (document === undefined || document === null || hasUnknown(document)) return { name, unknown: unknownWhy };
    return { name, document: document as string };
}

/** A managed policy referenced by `from[key]`: the in-stack `aws.iam.Policy`, or AWS's copy. */
async function managedPolicy(from: PolicyResource, key: string, value: unknown, resources: PolicyResource[], read: ReadManagedPolicy): Promise<PolicySource> {
    const inStack = ofType(resources, AWS.policy).find((p) => {
        const props = rawProps(p.props);
        return (from.propertyDependencies[key] ?? []).some((d) => d === p || d.urn === p.urn)
            || (typeof value === "string" && value === knownString(props.arn));
    });
    if (inStack) {
        const name = `policy '${knownString(rawProps(inStack.props).name) ?? inStack.name}'`;
        return documentSource(name, rawProps(inStack.props).policy, `the document of ${name} is not known until deployment`);
    }
    const arn = knownString(value);
    if (arn) return read(arn);
    return { name: `the policy attached by '${from.name}'`, unknown: `the policy ARN in ${key} of '${from.name}' is not known until deployment` };
}

export async function rolePolicies(role: PolicyResource, resources: PolicyResource[], read: ReadManagedPolicy): Promise<PrincipalPolicies> {
    const props = rawProps(role.props);
    const ids = [knownString(props.name), knownString(props.arn), knownString(props.id)];
    const identity: Promise<PolicySource>[] = [];

    for (const entry of asList(props.inlinePolicies)) {
        const inline = asObject(entry);
        // `{}` and `{ name: "", policy: "" }` are how the provider says "no inline policies".
        if (!inline || inline.policy === undefined || inline.policy === null || inline.policy === "") continue;
        const name = `inline policy '${knownString(inline.name) ?? "(unnamed)"}'`;
        identity.push(Promise.resolve(documentSource(name, inline.policy, `${name} is not known until deployment`)));
    }
    for (const arn of asList(props.managedPolicyArns)) {
        identity.push(managedPolicy(role, "managedPolicyArns", arn, resources, read));
    }
    for (const rp of ofType(resources, AWS.rolePolicy).filter((r) => refersTo(r, "role", role, ids))) {
        const name = `role policy '${knownString(rawProps(rp.props).name) ?? rp.name}'`;
        identity.push(Promise.resolve(documentSource(name, rawProps(rp.props).policy, `${name} is not known until deployment`)));
    }
    for (const att of ofType(resources, AWS.rolePolicyAttachment).filter((r) => refersTo(r, "role", role, ids))) {
        identity.push(managedPolicy(att, "policyArn", rawProps(att.props).policyArn, resources, read));
    }
    for (const att of ofType(resources, AWS.policyAttachment).filter((r) => refersTo(r, "roles", role, ids))) {
        identity.push(managedPolicy(att, "policyArn", rawProps(att.props).policyArn, resources, read));
    }

    const boundaryValue = props.permissionsBoundary;
    const hasBoundary = (boundaryValue !== undefined && boundaryValue !== null && boundaryValue !== "")
        || (role.propertyDependencies.permissionsBoundary ?? []).length > 0;
    const boundary = hasBoundary ? await managedPolicy(role, "permissionsBoundary", boundaryValue, resources, read) : undefined;
    return { identity: await Promise.all(identity), boundary };
}

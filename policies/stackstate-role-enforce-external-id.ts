/**
 * `stackstate-role-enforce-external-id`: a role meant for ExternalId callers (the integration role,
 * or any role whose trust policy mentions sts:ExternalId) lets AWS principals assume it only with
 * `StringEquals` on the ExternalId. `StringEqualsIfExists` admits callers without an ID, `StringLike`
 * with a wildcard admits any ID — and the Agent refuses to run when AssumeRole succeeds without it.
 */
import { ResourceValidationPolicy } from "@pulumi/policy";
import { parsePolicyDocument, PolicyDocument } from "../model/iam-document";
import { INTEGRATION_ROLE_NAME } from "../model/names";
import { externalIdTrustProblems, usesExternalId } from "../model/rules/trust";
import { AWS } from "./aws-types";
import { describe, hasUnknown, knownString, Props, rawProps, reportUnknown, stringSetting, validateType } from "./kit";

export const EXTERNAL_ID_POLICY = "stackstate-role-enforce-external-id";

const description = "IAM roles assumed with an ExternalId, such as the StackState integration role, must require it with StringEquals for every AWS principal they trust.";

const FIX = "Fix: give every statement of assumeRolePolicy that trusts an AWS principal the condition " +
    "{\"StringEquals\": {\"sts:ExternalId\": \"<your ExternalId>\"}}, without IfExists, StringLike or wildcards, and trust named principals, not \"*\".";

export const stackstateRoleEnforceExternalId: ResourceValidationPolicy = {
    name: EXTERNAL_ID_POLICY,
    description,
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            roleName: { type: "string", minLength: 1, default: INTEGRATION_ROLE_NAME, description: "Name of the integration role, whose trust policy is judged even when it does not mention sts:ExternalId." },
        },
    },
    validateResource: validateType(AWS.role, (props, args, report) => {
        const raw = rawProps(props);
        const name = knownString(raw.name);
        const integrationRoleName = stringSetting(args.getConfig<Props>(), "roleName", INTEGRATION_ROLE_NAME);
        // IAM role names are unique case-insensitively.
        const isIntegrationRole = name?.toLowerCase() === integrationRoleName.toLowerCase();
        const role = describe("IAM role", args.name, name);
        if (hasUnknown(raw.assumeRolePolicy)) {
            if (isIntegrationRole) reportUnknown(report, description, role, ["assumeRolePolicy"]);
            return;
        }
        let trust: PolicyDocument;
        try {
            trust = parsePolicyDocument(raw.assumeRolePolicy);
            if (!trust || typeof trust !== "object") throw new Error("not a policy document");
        } catch {
            if (isIntegrationRole) report(`${role} must have a trust policy that is valid JSON. ${FIX}`);
            return;
        }
        if (!isIntegrationRole && !usesExternalId(trust)) return;
        const problems = externalIdTrustProblems(trust);
        if (problems.length > 0) report(`${role} must admit AWS principals only with a matching sts:ExternalId: ${problems.join("; ")}. ${FIX}`);
    }),
};

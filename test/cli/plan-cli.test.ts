/** `stackstate-aws plan` as a user runs it: a spawned process, its output and its exit code. */
import { expect } from "chai";
import { mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { runCli } from "../helpers/run-cli";

const dir = mkdtempSync(path.join(tmpdir(), "plan-cli-"));
function file(name: string, content: string): string {
    const at = path.join(dir, name);
    writeFileSync(at, content);
    return at;
}

interface PlanJson {
    resources: { urn: string; type: string; name: string; region: string | null; parent: string | null; inputs: Record<string, any> }[];
    violations: { policy: string; enforcementLevel: string; urn: string; message: string }[];
}

describe("stackstate-aws plan", function () {
    // Each run starts Node, Pulumi's mock engine and the policy pack.
    this.timeout(120_000);

    it("plans the example stack: the resource tree by region, then the policy pack's findings; exit 0", async () => {
        const run = await runCli(["plan"]);
        expect(run.code, run.stderr).to.equal(0);
        const lines = run.stdout.split("\n");
        expect(lines[0]).to.match(/^Plan for stack 'example' \(account 123456789012\): \d+ resources in 2 regions$/);
        expect(lines).to.include("eu-west-1 (main region): 26 resources");
        expect(lines).to.include("us-east-1: 12 resources");
        expect(lines).to.include("    stackstate-integration-role  (aws:iam/role:Role)");
        expect(lines).to.include("    stackstate-events-us-east-1-stream  (aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream)");
        expect(run.stdout).to.match(/\nPolicy pack 'stackstate-aws': (no findings\.|\d+ findings?)/);
        expect(run.stdout).not.to.include("[mandatory]");
        expect(run.stderr).to.include("Planning stack 'example' from Pulumi.example.yaml...");
    });

    it("prints JSON in the documented shape, with each resource's region and secrets masked", async () => {
        const config = file("Pulumi.gov.yaml", [
            "config:",
            "  stackstate-aws:accountId: \"444455556666\"",
            "  stackstate-aws:regions: [us-gov-west-1, us-gov-east-1]",
            "  stackstate-aws:mainRegion: us-gov-east-1",
            "  stackstate-aws:agentAccountId: \"210987654321\"",
            "  stackstate-aws:externalId:",
            "    secure: v1:AAAAAAAAAAAAAAAA:BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB",
            "  stackstate-aws:flowLogs:",
            "    us-gov-west-1: all",
        ].join("\n"));
        const run = await runCli(["plan", "--config", config, "--json"]);
        expect(run.code, run.stderr).to.equal(0);
        expect(run.stderr).to.equal("");
        const plan = JSON.parse(run.stdout) as PlanJson;
        expect(Object.keys(plan)).to.deep.equal(["resources", "violations"]);
        for (const r of plan.resources) expect(Object.keys(r)).to.deep.equal(["urn", "type", "name", "region", "parent", "inputs"]);
        for (const v of plan.violations) expect(Object.keys(v)).to.deep.equal(["policy", "enforcementLevel", "urn", "message"]);
        expect(plan.violations.filter((v) => v.enforcementLevel === "mandatory")).to.deep.equal([]);

        const role = plan.resources.find((r) => r.inputs.name === "StackStateAwsIntegrationRole")!;
        expect(role.region).to.equal("us-gov-east-1");
        expect(role.urn).to.equal("urn:pulumi:gov::stackstate-aws::stackstate-aws:index:StackStateAwsIntegration$stackstate-aws:index:IntegrationRole$aws:iam/role:Role::stackstate-integration-role");
        expect(role.inputs.assumeRolePolicy).to.equal("[secret]");
        expect(plan.resources.find((r) => r.type === "aws:s3/bucket:Bucket")!.inputs.bucket).to.equal("stackstate-logs-444455556666");
        expect(plan.resources.filter((r) => r.type === "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream").map((r) => r.region).sort())
            .to.deep.equal(["us-gov-east-1", "us-gov-west-1"]);
        const integration = plan.resources.find((r) => r.type === "stackstate-aws:index:StackStateAwsIntegration")!;
        expect(integration.parent).to.equal(null);
        expect(integration.region).to.equal(null);
        expect(JSON.stringify(plan)).not.to.include("offline-plan-placeholder-secret-value");
    });

    it("plans a stack of several accounts by account, and reveals the trust policy only with --show-secrets", async () => {
        const config = file("Pulumi.org.yaml", [
            "config:",
            "  stackstate-aws:regions: [eu-west-1, us-east-1]",
            "  stackstate-aws:agentRoleArns: [arn:aws:iam::210987654321:role/StackStateAgentRole]",
            "  stackstate-aws:accounts:",
            "    - accountId: \"111111111111\"",
            "      externalId: reviewable-external-id-0123",
            "    - accountId: \"222222222222\"",
            "      regions: [us-east-1]",
            "      externalId:",
            "        secure: v1:AAAAAAAAAAAAAAAA:BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB",
        ].join("\n"));
        const masked = await runCli(["plan", "--config", config, "--json"]);
        expect(masked.code, masked.stderr).to.equal(0);
        const roles = (JSON.parse(masked.stdout) as PlanJson).resources.filter((r) => r.inputs.name === "StackStateAwsIntegrationRole");
        expect(roles.map((r) => [(r as { account?: string }).account, r.inputs.assumeRolePolicy])).to.deep.equal([
            ["111111111111", "[secret]"], ["222222222222", "[secret]"],
        ]);
        expect(masked.stdout).not.to.include("reviewable-external-id-0123");

        const revealed = await runCli(["plan", "--config", config, "--json", "--show-secrets"]);
        expect(revealed.code, revealed.stderr).to.equal(0);
        const role = (JSON.parse(revealed.stdout) as PlanJson).resources.find((r) => r.name === "stackstate-111111111111-integration-role")!;
        expect(JSON.parse(role.inputs.assumeRolePolicy).Statement[0].Condition.StringEquals["sts:ExternalId"]).to.equal("reviewable-external-id-0123");

        const tree = await runCli(["plan", "--config", config, "--show-secrets"]);
        expect(tree.code, tree.stderr).to.equal(0);
        const lines = tree.stdout.split("\n");
        expect(lines[0]).to.match(/^Plan for stack 'org' \(2 accounts\): \d+ resources$/);
        expect(lines).to.include("Account 111111111111: 36 resources in 2 regions");
        expect(lines).to.include("Account 222222222222: 24 resources in 1 region");
        expect(lines).to.include("Secret inputs (shown because of --show-secrets):");
        expect(tree.stdout).to.include('"sts:ExternalId": "reviewable-external-id-0123"');
    });

    it("exits 1 with the finding when a policy configured as mandatory is violated, and says what it cannot know offline", async () => {
        const config = file("Pulumi.noboundary.yaml", [
            "config:",
            "  stackstate-aws:regions: [eu-west-1]",
            "  stackstate-aws:agentAccountId: \"210987654321\"",
            "  stackstate-aws:flowLogs: { eu-west-1: all }",
        ].join("\n"));
        const policyConfig = file("policy-config.json", JSON.stringify({ "iam-role-permissions-boundary": "mandatory" }));
        const run = await runCli(["plan", "--config", config, "--policy-pack-config", policyConfig]);
        expect(run.code, run.stderr).to.equal(1);
        expect(run.stdout).to.include("[mandatory] iam-role-permissions-boundary: stackstate-integration-role");
        expect(run.stdout).to.include("[mandatory] iam-role-permissions-boundary: stackstate-events-eu-west-1-firehose-role");
        expect(run.stdout).to.include("  (flow logs: one per VPC found here at deployment; an offline plan finds none)");
    });

    it("exits 2 naming every bad key of the stack config, and plans nothing", async () => {
        const config = file("Pulumi.bad.yaml", [
            "config:",
            "  stackstate-aws:regions: [eu-west-1, atlantis-1]",
            "  stackstate-aws:mainRegion: us-east-1",
            "  stackstate-aws:externalId: s3cr3tValue",
            "  stackstate-aws:agentRoleArn: arn:aws:iam::210987654321:role/Agent",
        ].join("\n"));
        const run = await runCli(["plan", "--config", config, "--json"]);
        expect(run.code).to.equal(2);
        // With --json the error is on stdout too, as a document.
        expect(`error: ${(JSON.parse(run.stdout) as { error: string }).error}\n`).to.equal(run.stderr);
        expect(run.stderr).to.include(`error: invalid stack configuration in '${config}':`);
        expect(run.stderr).to.include("  - stackstate-aws:agentRoleArn: is not a known key.");
        expect(run.stderr).to.match(/ {2}- stackstate-aws:regions: must be a known AWS region code .* got "atlantis-1"/);
        expect(run.stderr).to.include("  - stackstate-aws:externalId: must be 16-1224 characters");
        expect(run.stderr).not.to.include("s3cr3tValue");
    });

    it("exits 2 on a file it cannot use", async () => {
        const missing = await runCli(["plan", "--config", path.join(dir, "nope.yaml")]);
        expect(missing.code).to.equal(2);
        expect(missing.stderr).to.include(`error: cannot read stack config file '${path.join(dir, "nope.yaml")}': ENOENT`);
        const notYaml = await runCli(["plan", "--config", file("bad.yaml", "config: [unclosed")]);
        expect(notYaml.code).to.equal(2);
        expect(notYaml.stderr).to.include("is not valid YAML");
        const unqualified = await runCli(["plan", "--config", file("unqualified.yaml", "config:\n  regions: [eu-west-1]\n")]);
        expect(unqualified.code).to.equal(2);
        expect(unqualified.stderr).to.include("has keys without a namespace: regions (write them as 'stackstate-aws:<key>')");
        const badPolicyConfig = await runCli(["plan", "--policy-pack-config", file("bad.json", "[1]")]);
        expect(badPolicyConfig.code).to.equal(2);
        expect(badPolicyConfig.stderr).to.include("must hold a JSON object of policy names to settings");
        const unknownFlag = await runCli(["plan", "--regions", "eu-west-1"]);
        expect(unknownFlag.code).to.equal(2);
        expect(unknownFlag.stderr).to.include("unknown option '--regions'");
    });
});

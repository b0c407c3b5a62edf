/** `stackstate-aws deployer-policy` as a user runs it: a spawned process, its output, files and exit code. */
import { expect } from "chai";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { runCli } from "../helpers/run-cli";

const dir = mkdtempSync(path.join(tmpdir(), "deployer-policy-cli-"));
function file(name: string, content: string): string {
    const at = path.join(dir, name);
    writeFileSync(at, content);
    return at;
}

describe("stackstate-aws deployer-policy", function () {
    // Each run starts Node and Pulumi's mock engine.
    this.timeout(120_000);

    it("refuses a bad stack config with the same errors as plan, exit 2", async () => {
        const bad = file("Pulumi.bad.yaml", [
            "config:",
            "  stackstate-aws:regions: [eu-west-1, mars-north-1]",
            "  stackstate-aws:externalId: short",
            "  stackstate-aws:colour: blue",
        ].join("\n"));
        const [plan, policy] = await Promise.all([
            runCli(["plan", "--config", bad, "--json"]),
            runCli(["deployer-policy", "--config", bad, "--json"]),
        ]);
        expect(plan.code).to.equal(2);
        expect(policy.code, policy.stderr).to.equal(2);
        expect(policy.stdout).to.equal("");
        expect(policy.stderr).to.include("stackstate-aws:regions");
        expect(policy.stderr).to.include("stackstate-aws:colour");
        expect(policy.stderr).to.equal(plan.stderr);
    });

    it("reports every bad flag at once and writes nothing, exit 2", async () => {
        const out = path.join(dir, "never");
        const run = await runCli(["deployer-policy", "--mode", "upgrade", "--project", "agent", "--account-id", "42", "--out", out]);
        expect(run.code).to.equal(2);
        expect(run.stderr).to.include("--mode must be one of deploy, destroy, teardown, verify, got 'upgrade'");
        expect(run.stderr).to.include("--project must be one of stackstate-aws, collector, got 'agent'");
        expect(run.stderr).to.include("--account-id must be a 12-digit AWS account id, got '42'");
        expect(existsSync(out)).to.equal(false);
        const collector = await runCli(["deployer-policy", "--project", "collector", "--mode", "teardown"]);
        expect(collector.code).to.equal(2);
        expect(collector.stderr).to.include("--mode teardown is for the monitored-account project: the collector project has deploy and destroy");
    });

    it("writes each policy to --out as plain IAM JSON, the documents --json prints; exit 0", async () => {
        const out = path.join(dir, "policies");
        const run = await runCli(["deployer-policy", "--out", out, "--json"]);
        expect(run.code, run.stderr).to.equal(0);
        const printed = JSON.parse(run.stdout) as { project: string; mode: string; accountId: string; policies: { name: string; size: number; path: string }[] };
        expect(printed).to.include({ project: "stackstate-aws", mode: "deploy", accountId: "123456789012" });
        expect(readdirSync(out).sort()).to.deep.equal(printed.policies.map((p) => `${p.name}.json`).sort());
        for (const policy of printed.policies) {
            const doc = JSON.parse(readFileSync(policy.path, "utf8"));
            expect(Object.keys(doc)).to.deep.equal(["Version", "Statement"]);
            expect(JSON.stringify(doc).replace(/\s/g, "").length).to.equal(policy.size);
            expect(policy.size).to.be.at.most(6144);
        }
    });

    it("writes the assume policy beside the roles' policies for a stack that acts through roles, and names the roles", async () => {
        const org = file("Pulumi.org.yaml", [
            "config:",
            "  stackstate-aws:regions: [eu-west-1]",
            "  stackstate-aws:agentAccountId: \"210987654321\"",
            "  stackstate-aws:accounts: [{ accountId: \"111111111111\" }, { accountId: \"222222222222\" }]",
        ].join("\n"));
        const out = path.join(dir, "org-policies");
        const run = await runCli(["deployer-policy", "--config", org, "--out", out, "--json"]);
        expect(run.code, run.stderr).to.equal(0);
        const printed = JSON.parse(run.stdout) as { assumedRoles: string[]; policies: { name: string }[]; assumePolicy: { name: string; path: string } };
        expect(printed.assumedRoles).to.deep.equal(["111111111111", "222222222222"].map((a) => `arn:aws:iam::${a}:role/OrganizationAccountAccessRole`));
        expect(printed.assumePolicy.name).to.equal("StackStateDeployer-deploy-assume");
        expect(readdirSync(out).sort()).to.deep.equal([...printed.policies.map((p) => p.name), printed.assumePolicy.name].map((n) => `${n}.json`).sort());
        expect(JSON.parse(readFileSync(printed.assumePolicy.path, "utf8")).Statement[0].Resource).to.deep.equal(printed.assumedRoles);
    });
});

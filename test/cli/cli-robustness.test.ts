/**
 * The CLI under hostile input: errors a script can read with --json, a reader that closes the pipe
 * early, inputs with control characters and thousands of bad items, a missing AWS profile, the
 * ExternalId kept off the command line, tags and policy settings AWS or the pack would not take.
 */
import { expect } from "chai";
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { EXTERNAL_ID_ENV, externalIdInput } from "../../cli/aws/input";
import { parseVerifyFlags } from "../../cli/verify/options";
import { AnalyzerInfo, resolvePolicyConfig } from "../../offline/policy-pack";
import { quoted } from "../../cli/quoted";
import { motoEnv } from "../helpers/moto";
import { runCli } from "../helpers/run-cli";

const ROOT = path.resolve(__dirname, "..", "..");
const dir = mkdtempSync(path.join(tmpdir(), "cli-robustness-"));
const ROLE = "arn:aws:iam::123456789012:role/StackStateAwsIntegrationRole";
const ID = "a-good-external-id-0123456789";
const badRegions = (n: number) => Array.from({ length: n }, (_, i) => `nowhere-${i}`);

describe("CLI robustness", function () {
    this.timeout(60_000);

    it("--json: a bad-input error is a JSON document on stdout too (exit 2)", async () => {
        const run = await runCli(["verify", "--role-arn", "not-an-arn", "--external-id", ID, "--regions", "eu-west-1", "--json"]);
        expect(run.code).to.equal(2);
        const printed = JSON.parse(run.stdout) as { error: string };
        expect(printed.error.split("\n")[0]).to.equal("invalid input:");
        expect(run.stderr).to.equal(`error: ${printed.error}\n`);
    });

    it("plan --json on a config with 3,000 bad regions and tags AWS refuses: one short error document", async () => {
        const config = path.join(dir, "Pulumi.bad.yaml");
        writeFileSync(config, [
            "config:",
            `  stackstate-aws:regions: [${badRegions(3000).join(", ")}]`,
            "  stackstate-aws:agentAccountId: \"210987654321\"",
            "  stackstate-aws:tags: { \"team#1\": ops, owner: \"a\\u0001b\" }",
        ].join("\n"));
        const run = await runCli(["plan", "--config", config, "--json"]);
        expect(run.code).to.equal(2);
        const { error } = JSON.parse(run.stdout) as { error: string };
        expect(error.length).to.be.below(5000);
        const lines = error.split("\n");
        expect(lines.find((l) => l.startsWith("  - stackstate-aws:regions: "))).to.match(/; and 2995 more problems like these$/);
        const tags = lines.find((l) => l.startsWith("  - stackstate-aws:tags: ")) ?? "";
        expect(tags).to.include(": \"team#1\"");
        expect(tags).to.include("(at owner), got \"a\\u0001b\"");
    });

    it("escapes control characters of inputs and caps long lists in flag errors", async () => {
        const run = await runCli(["teardown", "--account", "12\n34\r", "--regions", badRegions(3000).join(","), "--dry-run"]);
        expect(run.code).to.equal(2);
        const lines = run.stderr.trimEnd().split("\n");
        expect(lines[0]).to.equal("error: invalid input, nothing was changed:");
        expect(lines[1]).to.equal("  - --account must be a 12-digit AWS account id, is '12\\n34\\r'");
        expect(lines[2]).to.match(/^ {2}- --regions: unknown regions 'nowhere-0', 'nowhere-1', 'nowhere-2', 'nowhere-3', 'nowhere-4' and 2995 more\. Known regions are: /);
        expect(lines).to.have.length(3);
        expect(run.stderr.length).to.be.below(2000);
    });

    it("ends quietly when the reader closes stdout early (plan | head)", async () => {
        const child = spawn(process.execPath, [path.join(ROOT, "bin/stackstate-aws.js"), "verify", "--role-arn", "x", "--json"], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
        child.stdout.destroy();
        let stderr = "";
        child.stderr.on("data", (chunk: Buffer) => { stderr += chunk.toString(); });
        const code = await new Promise<number | null>((resolve) => child.once("close", resolve));
        expect(stderr).not.to.include("EPIPE");
        expect(stderr).not.to.match(/\n\s+at /);
        expect(code).to.equal(2);
    });

    it("names a missing AWS profile (exit 3, nothing changed)", async () => {
        const run = await runCli(["teardown", "--account", "123456789012", "--regions", "eu-west-1", "--yes"], {
            env: { ...motoEnv("http://127.0.0.1:9"), AWS_ACCESS_KEY_ID: "", AWS_SECRET_ACCESS_KEY: "", AWS_PROFILE: "no-such-profile" },
        });
        expect(run.code).to.equal(3);
        expect(run.stderr).to.match(/^error: could not call sts:GetCallerIdentity: no AWS credentials could be loaded for profile 'no-such-profile' \(.*\); is it defined in the AWS config or credentials file, and are its credentials valid\?; nothing was changed\n$/);
    });
});

describe("the ExternalId off the command line", () => {
    const file = path.join(dir, "external-id");

    it("reads it from --external-id-file (without the final line break) or the variable, and names the source in problems", () => {
        writeFileSync(file, `${ID}\n`);
        expect(parseVerifyFlags({ roleArn: ROLE, externalIdFile: file, regions: "eu-west-1" }).externalId).to.equal(ID);
        expect(externalIdInput({}, { [EXTERNAL_ID_ENV]: ID })).to.deep.equal({ value: { value: ID, source: EXTERNAL_ID_ENV }, problems: [] });
        expect(externalIdInput({ externalId: "flag-wins-0123456789" }, { [EXTERNAL_ID_ENV]: ID }).value?.value).to.equal("flag-wins-0123456789");
        writeFileSync(file, "two words\n");
        expect(() => parseVerifyFlags({ roleArn: ROLE, externalIdFile: file, regions: "eu-west-1" }))
            .to.throw("--external-id-file may contain only letters, digits and the characters _+=,.@:/-");
        expect(externalIdInput({ externalId: ID, externalIdFile: file }).problems).to.deep.equal(["give --external-id or --external-id-file, not both"]);
        expect(externalIdInput({ externalIdFile: path.join(dir, "missing") }).problems).to.deep.equal([`--external-id-file: cannot read ${quoted(path.join(dir, "missing"))} (ENOENT)`]);
    });
});

describe("policy pack settings", () => {
    const info: AnalyzerInfo = {
        name: "pack", version: "1.0.0", supportsConfig: true,
        policies: [
            { name: "with-settings", description: "", enforcementLevel: "mandatory", type: "resource", configSchema: { properties: { allowedArns: { type: "array" } }, required: [] } },
            { name: "without-settings", description: "", enforcementLevel: "advisory", type: "resource" },
        ],
    };

    it("refuses a setting a policy does not have (a misspelling would silently keep the default)", () => {
        expect(() => resolvePolicyConfig(info, { "with-settings": { allowedArn: ["x"] }, "without-settings": { anything: 1 } })).to.throw([
            "Invalid policy pack config:",
            "  Policy \"with-settings\" has no setting \"allowedArn\"; its settings are allowedArns (and enforcementLevel).",
            "  Policy \"without-settings\" has no settings (only enforcementLevel), got \"anything\".",
        ].join("\n"));
        expect(resolvePolicyConfig(info, { "with-settings": { allowedArns: ["x"], enforcementLevel: "advisory" } })["with-settings"])
            .to.deep.equal({ enforcementLevel: "advisory", properties: { allowedArns: ["x"] } });
    });
});

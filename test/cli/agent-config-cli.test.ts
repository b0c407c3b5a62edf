import { expect } from "chai";
import { execFile } from "child_process";
import { promises as fs } from "fs";
import * as os from "os";
import * as path from "path";
import YAML from "yaml";
import { agentConfigCommand, AgentConfigFlags } from "../../cli/agent-config";
import { usageErrorOf } from "../helpers/usage-error";
import { agentConfigProblems, renderAgentConfig } from "../../model/agent-config";
import { KNOWN_REGIONS } from "../../model/regions";

const roleArn = (account: string) => `arn:aws:iam::${account}:role/StackStateAwsIntegrationRole`;
const ID_A = "external-id-of-team-a-0123456789";
const ID_B = "external-id-of-team-b-9876543210";

/** What `pulumi stack output --json --show-secrets` prints for a monitored stack. */
function stackOutputs(account: string, externalId: string, regions: string[]): Record<string, unknown> {
    return {
        accountId: account, roleArn: roleArn(account), externalId, regions, mainRegion: regions[0],
        bucketName: `stackstate-logs-${account}`, bucketArn: `arn:aws:s3:::stackstate-logs-${account}`,
        streamArns: Object.fromEntries(regions.map((r) => [r, `arn:aws:firehose:${r}:${account}:deliverystream/stackstate-eventbridge-stream`])),
        agentInstance: { role_arn: roleArn(account), regions: [...regions, "global"] },
    };
}

async function run(flags: AgentConfigFlags): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = "";
    let stderr = "";
    const code = await agentConfigCommand(flags, { stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; } });
    return { code, stdout, stderr };
}

const usageError = (flags: AgentConfigFlags) => usageErrorOf(() => run(flags));

describe("stackstate-aws agent-config", () => {
    let dir: string;
    let files: Record<string, string>;

    beforeEach(async () => {
        dir = await fs.mkdtemp(path.join(os.tmpdir(), "agent-config-"));
        files = {};
        const outputs: [string, Record<string, unknown>][] = [
            ["a", stackOutputs("111122223333", ID_A, ["eu-west-1", "us-east-1"])],
            ["b", stackOutputs("444455556666", ID_B, ["eu-central-1"])],
            ["c", stackOutputs("777788889999", ID_A, ["us-west-2"])],
        ];
        for (const [name, value] of outputs) {
            files[name] = path.join(dir, `${name}.json`);
            await fs.writeFile(files[name], JSON.stringify(value, null, 2));
        }
    });
    afterEach(() => fs.rm(dir, { recursive: true, force: true }));

    it("prints one YAML document per distinct ExternalId, the same the renderer gives", async () => {
        const { code, stdout } = await run({ outputs: [files.a, files.b, files.c] });
        expect(code).to.equal(0);
        const expected = renderAgentConfig([
            { roleArn: roleArn("111122223333"), externalId: ID_A, regions: ["eu-west-1", "us-east-1"] },
            { roleArn: roleArn("444455556666"), externalId: ID_B, regions: ["eu-central-1"] },
            { roleArn: roleArn("777788889999"), externalId: ID_A, regions: ["us-west-2"] },
        ]);
        expect(stdout).to.equal(`${expected[0].content}---\n${expected[1].content}`);
        const docs = YAML.parseAllDocuments(stdout).map((d) => d.toJS());
        expect(docs.map((d) => [d.init_config.external_id, d.instances.map((i: { role_arn: string }) => i.role_arn)])).to.deep.equal([
            [ID_A, [roleArn("111122223333"), roleArn("777788889999")]],
            [ID_B, [roleArn("444455556666")]],
        ]);
        for (const doc of docs) expect(agentConfigProblems(doc)).to.deep.equal([]);
    });

    it("reads a stack of several accounts (its accounts output) as it reads one stack per account", async () => {
        const org = path.join(dir, "org.json");
        await fs.writeFile(org, JSON.stringify({
            accountIds: ["111122223333", "777788889999"],
            accounts: {
                "111122223333": stackOutputs("111122223333", ID_A, ["eu-west-1", "us-east-1"]),
                "777788889999": stackOutputs("777788889999", ID_A, ["us-west-2"]),
            },
        }));
        const fromOrg = await run({ outputs: [org, files.b] });
        expect(fromOrg.code).to.equal(0);
        expect(fromOrg.stdout).to.equal((await run({ outputs: [files.a, files.b, files.c] })).stdout);

        const wrong = path.join(dir, "wrong.json");
        await fs.writeFile(wrong, JSON.stringify({ accounts: {
            "111122223333": stackOutputs("444455556666", ID_A, ["eu-west-1"]),
            "777788889999": { ...stackOutputs("777788889999", "[secret]", ["us-west-2"]) },
        } }));
        const hidden = path.join(dir, "hidden-org.json");
        await fs.writeFile(hidden, JSON.stringify({ accountIds: ["111122223333"], accounts: "[secret]" }));
        expect(await usageError({ outputs: [wrong, hidden] })).to.equal([
            "bad --outputs:",
            `  - ${wrong}: account 111122223333: output roleArn (${roleArn("444455556666")}) is not in account 111122223333`,
            `  - ${wrong}: account 777788889999: output externalId is hidden ("[secret]"): save the outputs with pulumi stack output --json --show-secrets`,
            `  - ${hidden}: output accounts is hidden ("[secret]"): save the outputs with pulumi stack output --json --show-secrets`,
        ].join("\n"));
    });

    it("with --json lists each file with its accounts, and its content or where it was written", async () => {
        const printed = JSON.parse((await run({ outputs: [files.a, files.b, files.c], json: true })).stdout);
        const expected = renderAgentConfig([
            { roleArn: roleArn("111122223333"), externalId: ID_A, regions: ["eu-west-1", "us-east-1"] },
            { roleArn: roleArn("444455556666"), externalId: ID_B, regions: ["eu-central-1"] },
            { roleArn: roleArn("777788889999"), externalId: ID_A, regions: ["us-west-2"] },
        ]);
        expect(printed).to.deep.equal({
            files: [
                { fileName: "stackstate-aws-111122223333.yaml", accountIds: ["111122223333", "777788889999"], content: expected[0].content },
                { fileName: "stackstate-aws-444455556666.yaml", accountIds: ["444455556666"], content: expected[1].content },
            ],
        });
        const out = path.join(dir, "out");
        const written = JSON.parse((await run({ outputs: [files.b], out, json: true })).stdout);
        expect(written).to.deep.equal({
            files: [{ fileName: "stackstate-aws-444455556666.yaml", accountIds: ["444455556666"], path: path.join(out, "stackstate-aws-444455556666.yaml") }],
            stale: [],
            removed: [],
        });
        expect(await fs.readFile(written.files[0].path, "utf8")).to.equal(expected[1].content);
    });

    it("renders one account from flags", async () => {
        const { stdout } = await run({ roleArn: roleArn("111122223333"), externalId: ID_A, regions: "eu-west-1, us-east-1" });
        expect(YAML.parse(stdout)).to.deep.equal({
            init_config: { aws_access_key_id: "", aws_secret_access_key: "", external_id: ID_A },
            instances: [{ role_arn: roleArn("111122223333"), regions: ["eu-west-1", "us-east-1", "global"], collection_interval: 60 }],
        });
    });

    it("with --out writes owner-only files, prints their paths and rewrites its own files on a second run", async () => {
        const out = path.join(dir, "conf.d", "aws_topology.d");
        const first = await run({ outputs: [files.a, files.b, files.c], out });
        const paths = [path.join(out, "stackstate-aws-111122223333.yaml"), path.join(out, "stackstate-aws-444455556666.yaml")];
        expect(first.stdout).to.equal(paths.map((p) => `${p}\n`).join(""));
        expect((await fs.readdir(out)).sort()).to.deep.equal(["stackstate-aws-111122223333.yaml", "stackstate-aws-444455556666.yaml"]);
        for (const p of paths) expect((await fs.stat(p)).mode & 0o777).to.equal(0o600);
        expect(YAML.parse(await fs.readFile(paths[1], "utf8")).init_config.external_id).to.equal(ID_B);

        const second = await run({ outputs: [files.b], out });
        expect(second.stdout).to.equal(`${paths[1]}\n`);
        expect((await fs.readdir(out)).sort()).to.deep.equal(["stackstate-aws-111122223333.yaml", "stackstate-aws-444455556666.yaml"]);
    });

    it("on a rewrite keeps a file's group access (the Agent's group may read it) and takes away others' access first", async () => {
        const out = path.join(dir, "out");
        const [target] = (await run({ outputs: [files.b], out })).stdout.trim().split("\n");
        await fs.chmod(target, 0o640);
        await run({ outputs: [files.b], out });
        expect((await fs.stat(target)).mode & 0o777).to.equal(0o640);
        await fs.chmod(target, 0o664);
        await fs.writeFile(files.b, JSON.stringify(stackOutputs("444455556666", ID_A, ["eu-central-1"])));
        await run({ outputs: [files.b], out });
        expect((await fs.stat(target)).mode & 0o777).to.equal(0o660);
        expect(YAML.parse(await fs.readFile(target, "utf8")).init_config.external_id).to.equal(ID_A);
    });

    it("writes the same files for the same accounts in any order of --outputs", async () => {
        const out = path.join(dir, "out");
        const first = await run({ outputs: [files.a, files.b, files.c], out });
        const contents = async () => Promise.all((await fs.readdir(out)).sort().map(async (n) => [n, await fs.readFile(path.join(out, n), "utf8")]));
        const before = await contents();
        const again = await run({ outputs: [files.c, files.b, files.a], out });
        expect(again).to.deep.equal(first);
        expect(await contents()).to.deep.equal(before);
    });

    it("names the files it wrote earlier that the accounts no longer need, and removes them only with --remove-stale", async () => {
        const out = path.join(dir, "out");
        await run({ outputs: [files.a, files.b, files.c], out });
        const stale = path.join(out, "stackstate-aws-444455556666.yaml");
        const kept = path.join(out, "stackstate-aws-111122223333.yaml");
        await fs.writeFile(path.join(out, "stackstate-aws-999999999999.yaml"), "init_config: {}\n");
        await fs.writeFile(path.join(out, "other.yaml"), "# Managed by stackstate-aws: renamed by hand\n");

        const named = await run({ outputs: [files.a, files.c], out });
        expect(named.stdout).to.equal(`${kept}\n`);
        expect(named.stderr).to.equal(`not needed by these accounts, left in place: ${stale} (written earlier by stackstate-aws; the Agent still reads it). Rerun with --remove-stale to remove it.\n`);
        expect((await fs.readdir(out)).sort()).to.deep.equal(["other.yaml", "stackstate-aws-111122223333.yaml", "stackstate-aws-444455556666.yaml", "stackstate-aws-999999999999.yaml"]);

        const json = JSON.parse((await run({ outputs: [files.a, files.c], out, json: true })).stdout);
        expect([json.stale, json.removed]).to.deep.equal([[stale], []]);

        const removed = await run({ outputs: [files.a, files.c], out, removeStale: true });
        expect(removed.stderr).to.equal(`removed ${stale}: written earlier for accounts not rendered now\n`);
        // Neither a file without the marker nor one with another name is this renderer's to remove.
        expect((await fs.readdir(out)).sort()).to.deep.equal(["other.yaml", "stackstate-aws-111122223333.yaml", "stackstate-aws-999999999999.yaml"]);
        expect(await usageError({ outputs: [files.a], removeStale: true })).to.equal("--remove-stale needs --out DIR");
    });

    it("refuses an --out it cannot create or write into, before writing anything, and leaves no temporary files", async () => {
        const under = path.join(files.b, "conf.d");
        expect(await usageError({ outputs: [files.a], out: under })).to.equal(`--out ${under} cannot be created: ${files.b} is not a directory`);
        const out = path.join(dir, "out");
        await run({ outputs: [files.a, files.b], out });
        expect((await fs.readdir(out)).filter((n) => n.startsWith("."))).to.deep.equal([]);
    });

    it("refuses to write through a link or over a directory, and then writes nothing", async () => {
        const out = path.join(dir, "out");
        await fs.mkdir(out);
        const elsewhere = path.join(dir, "elsewhere.yaml");
        await fs.writeFile(elsewhere, "# Managed by stackstate-aws: but reached through a link\n");
        const link = path.join(out, "stackstate-aws-444455556666.yaml");
        await fs.symlink(elsewhere, link);
        const folder = path.join(out, "stackstate-aws-111122223333.yaml");
        await fs.mkdir(folder);
        expect(await usageError({ outputs: [files.a, files.b], out })).to.equal(
            `not overwriting ${folder}, ${link}: not a regular file; move them away or choose another --out`,
        );
        expect(await fs.readFile(elsewhere, "utf8")).to.equal("# Managed by stackstate-aws: but reached through a link\n");
        expect((await fs.readdir(out)).sort()).to.deep.equal(["stackstate-aws-111122223333.yaml", "stackstate-aws-444455556666.yaml"]);
    });

    it("refuses to replace a file it did not write, and then writes nothing", async () => {
        const out = path.join(dir, "out");
        await fs.mkdir(out);
        const foreign = path.join(out, "stackstate-aws-444455556666.yaml");
        await fs.writeFile(foreign, "init_config: {}\n");
        expect(await usageError({ outputs: [files.a, files.b], out })).to.equal(
            `not overwriting ${foreign}: not written by stackstate-aws (no "# Managed by stackstate-aws" first line); move it away or choose another --out`,
        );
        expect(await fs.readdir(out)).to.deep.equal(["stackstate-aws-444455556666.yaml"]);
        expect(await fs.readFile(foreign, "utf8")).to.equal("init_config: {}\n");
        expect(await usageError({ outputs: [files.a], out: files.b })).to.equal(`--out ${files.b} is not a directory`);
    });

    it("names every unreadable, incomplete or hidden outputs file at once", async () => {
        const notJson = path.join(dir, "not.json");
        await fs.writeFile(notJson, "accountId: 1");
        const hidden = path.join(dir, "hidden.json");
        await fs.writeFile(hidden, JSON.stringify({ ...stackOutputs("111122223333", "[secret]", ["eu-west-1"]) }));
        const partial = path.join(dir, "partial.json");
        await fs.writeFile(partial, JSON.stringify({ accountId: "111122223333", roleArn: roleArn("111122223333") }));
        const missing = path.join(dir, "missing.json");
        const message = await usageError({ outputs: [missing, notJson, hidden, partial] });
        const notJsonReason = (() => { try { JSON.parse("accountId: 1"); return ""; } catch (e) { return (e as Error).message; } })();
        expect(message).to.equal([
            "bad --outputs:",
            `  - ${missing}: no such file`,
            `  - ${notJson}: not JSON (${notJsonReason}); save it with pulumi stack output --json --show-secrets`,
            `  - ${hidden}: output externalId is hidden ("[secret]"): save the outputs with pulumi stack output --json --show-secrets`,
            `  - ${partial}: output externalId is missing`,
            `  - ${partial}: output regions is missing`,
        ].join("\n"));
    });

    it("names bad values by file, and never prints an ExternalId", async () => {
        const bad = path.join(dir, "bad.json");
        await fs.writeFile(bad, JSON.stringify(stackOutputs("444455556666", "short id", ["eu-west-1", "moon-1"])));
        const message = await usageError({ outputs: [files.a, bad, files.c, files.a] });
        expect(message).to.equal([
            "bad monitored accounts:",
            `  - ${bad} (${roleArn("444455556666")}): externalId must be 16-1224 characters of letters, digits and _+=,.@:/-`,
            `  - ${bad} (${roleArn("444455556666")}): regions must be global or a known AWS region code (${KNOWN_REGIONS.join(", ")}) (at [1]), got "moon-1"`,
            `  - ${files.a} (${roleArn("111122223333")}): account 111122223333 is already ${files.a}; the Agent needs one instance per account`,
        ].join("\n"));
        expect(message).not.to.contain("short id");
    });

    it("names bad and missing flags", async () => {
        expect(await usageError({})).to.equal("give --outputs FILE… (pulumi stack output --json --show-secrets of a monitored stack) or --role-arn, --external-id and --regions");
        expect(await usageError({ roleArn: roleArn("111122223333") })).to.equal("--external-id, --regions are required with --role-arn");
        expect(await usageError({ outputs: [files.a], regions: "eu-west-1" })).to.equal(
            "give either --outputs FILE… or --role-arn, --external-id and --regions, not both (got --outputs and --regions)",
        );
        expect(await usageError({ roleArn: "arn:aws:iam::1111:role/x", externalId: "a b", regions: "eu-west-1,,us-gov-west-1" })).to.equal([
            "bad flags:",
            "  - --role-arn must be an IAM role ARN (arn:aws:iam::<12-digit account>:role/<name>), got \"arn:aws:iam::1111:role/x\"",
            "  - --external-id must be 16-1224 characters of letters, digits and _+=,.@:/-",
        ].join("\n"));
        expect(await usageError({ roleArn: roleArn("111122223333"), externalId: ID_A, regions: "eu-west-1,us-gov-west-1" })).to.equal(
            "bad flags:\n  - --regions must be in the role's partition 'aws', got us-gov-west-1",
        );
    });

    it("exits 2 with the message on stderr through the real command line, 0 on success", async function () {
        // Two CLI processes compile TypeScript at start: ~8 s on an idle machine, far more on a busy one.
        this.timeout(60000);
        const bin = path.join(__dirname, "..", "..", "bin", "stackstate-aws.js");
        const exec = (args: string[]) => new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
            execFile(process.execPath, [bin, ...args], (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }));
        });
        const [bad, good] = await Promise.all([
            exec(["agent-config", "--outputs", path.join(dir, "missing.json")]),
            exec(["agent-config", "--outputs", files.b]),
        ]);
        expect(bad).to.deep.equal({ code: 2, stdout: "", stderr: `error: bad --outputs:\n  - ${path.join(dir, "missing.json")}: no such file\n` });
        expect(good.code).to.equal(0);
        expect(YAML.parse(good.stdout).init_config.external_id).to.equal(ID_B);
    });
});

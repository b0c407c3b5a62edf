/**
 * The collector's bootstrap script, run for real: the user data the program generates is laid out
 * in a scratch root (ROOT=...), the network and system steps (aws, curl, StackState's install
 * script, rpm/dnf, systemctl) are stub executables on PATH, and the test reads what the script
 * wrote — then runs it again and proves nothing changed.
 */
import { expect } from "chai";
import { execFile, execFileSync } from "child_process";
import { promises as fs } from "fs";
import * as os from "os";
import * as path from "path";
import YAML from "yaml";
import { collectorCloudConfig, HostSettings, HOST_PATHS, BOOTSTRAP_SCRIPT } from "../../collector/user-data";
import {
    AWS_TOPOLOGY_CONF_DIR, EXTERNAL_ID_PLACEHOLDER, groupByExternalId, MonitoredAccount, renderAgentConfig, renderAgentConfigFile,
} from "../../model/agent-config";
import { externalIdParameterName } from "../../model/collector-settings";

const roleArn = (account: string) => `arn:aws:iam::${account}:role/StackStateAwsIntegrationRole`;
const API_KEY = "0123456789abcdefABCDEF";
const ACCOUNTS: MonitoredAccount[] = [
    { roleArn: roleArn("111122223333"), externalId: "shared:external/id@team-a", regions: ["eu-west-1", "us-east-1"], collectionInterval: 60 },
    { roleArn: roleArn("444455556666"), externalId: "own-external-id-of-b-0123", regions: ["eu-central-1"], collectionInterval: 120 },
    { roleArn: roleArn("777788889999"), externalId: "shared:external/id@team-a", regions: ["us-west-2"], collectionInterval: 60 },
];
const SETTINGS: HostSettings = {
    stackStateUrl: "https://stackstate.example.com/receiver/stsAgent",
    apiKeyParameter: "/stackstate/api-key",
    region: "eu-west-1",
    agentVersion: "2.16.0",
};

/** Stub executables: each logs its call to $STUB_STATE/calls and acts on files under $STUB_STATE. */
const STUBS: Record<string, string> = {
    aws: `#!/bin/bash
echo "aws $*" >>"$STUB_STATE/calls"
while [[ $# -gt 0 ]]; do if [[ $1 == --name ]]; then name=$2; fi; shift; done
file="$STUB_STATE/parameters$name"
[[ -f $file ]] || { echo "An error occurred (ParameterNotFound)" >&2; exit 254; }
cat "$file"
`,
    curl: `#!/bin/bash
echo "curl $*" >>"$STUB_STATE/calls"
while [[ $# -gt 0 ]]; do if [[ $1 == -o ]]; then out=$2; fi; shift; done
cp "$STUB_STATE/install.sh" "$out"
`,
    rpm: `#!/bin/bash
[[ -f "$STUB_STATE/installed" ]] || { echo "package stackstate-agent is not installed"; exit 1; }
if [[ $2 == --queryformat ]]; then cat "$STUB_STATE/installed"; else echo "stackstate-agent-$(cat "$STUB_STATE/installed")-1.x86_64"; fi
`,
    dnf: `#!/bin/bash
echo "dnf $*" >>"$STUB_STATE/calls"
version="\${3#stackstate-agent-}"
echo "$version" >"$STUB_STATE/installed"
lib="$ROOT/opt/stackstate-agent/embedded/lib/python3.8/site-packages/stackstate_checks/aws_topology"
if grep -qx "$version" "$STUB_STATE/versions-with-check"; then mkdir -p "$lib"; else rm -rf "$lib"; fi
`,
    systemctl: `#!/bin/bash
echo "systemctl $*" >>"$STUB_STATE/calls"
case $1 in
  is-active) [[ -f "$STUB_STATE/active" ]] ;;
  start|restart) touch "$STUB_STATE/active" ;;
esac
`,
};

/** Stands in for StackState's install.sh: installs the latest package (without the check) and writes the main config. */
const FAKE_INSTALL_SCRIPT = `#!/bin/bash
echo "install.sh STS_INSTALL_ONLY=$STS_INSTALL_ONLY STS_API_KEY=$STS_API_KEY STS_URL=$STS_URL" >>"$STUB_STATE/calls"
echo 2.99.0 >"$STUB_STATE/installed"
mkdir -p "$ROOT/etc/stackstate-agent/conf.d/aws_topology.d"
echo "# example shipped by the package" >"$ROOT/etc/stackstate-agent/conf.d/aws_topology.d/conf.yaml.example"
if [[ ! -e "$ROOT/etc/stackstate-agent/stackstate.yaml" ]]; then
  printf '%s\\n' "api_key: $STS_API_KEY" "sts_url: $STS_URL" "# hostname: mymachine" "# proxy:" "#   https: http://proxy:3128" "process_config:" "  enabled: 'true'" >"$ROOT/etc/stackstate-agent/stackstate.yaml"
fi
`;

/** Real tools the script and the stubs may use; nothing else is on PATH. */
const TOOLS = ["bash", "cat", "cmp", "chmod", "chgrp", "cp", "mkdir", "mktemp", "mv", "rm", "awk", "sed", "dirname", "basename", "grep", "touch"];

interface Host {
    dir: string;
    root: string;
    state: string;
    env: NodeJS.ProcessEnv;
}

async function newHost(settings: HostSettings, accounts: MonitoredAccount[]): Promise<Host> {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "collector-host-"));
    const root = path.join(dir, "root");
    const state = path.join(dir, "state");
    const stubs = path.join(dir, "stubs");
    const tools = path.join(dir, "tools");
    for (const d of [root, state, stubs, tools]) await fs.mkdir(d, { recursive: true });
    for (const [name, text] of Object.entries(STUBS)) await fs.writeFile(path.join(stubs, name), text, { mode: 0o755 });
    for (const tool of TOOLS) await fs.symlink(execFileSync("bash", ["-c", `command -v ${tool}`]).toString().trim(), path.join(tools, tool));
    await fs.writeFile(path.join(state, "install.sh"), FAKE_INSTALL_SCRIPT);
    await fs.writeFile(path.join(state, "versions-with-check"), "2.16.0\n");
    await fs.writeFile(path.join(state, "calls"), "");
    await putParameter(state, settings.apiKeyParameter, API_KEY);
    for (const account of accounts) {
        await putParameter(state, externalIdParameterName("dev", account.roleArn.split(":")[4]), account.externalId);
    }
    await writeUserData(root, settings, accounts);
    const group = execFileSync("id", ["-gn"]).toString().trim();
    return { dir, root, state, env: { PATH: `${stubs}:${tools}`, ROOT: root, STUB_STATE: state, AGENT_GROUP: group } };
}

async function putParameter(state: string, name: string, value: string): Promise<void> {
    const file = path.join(state, "parameters", name);
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, `${value}\n`);
}

/** Lays out the cloud-config's write_files under root, as cloud-init would. */
async function writeUserData(root: string, settings: HostSettings, accounts: MonitoredAccount[]): Promise<void> {
    const templates = groupByExternalId(accounts).map((g) => ({
        fileName: g.fileName,
        parameterName: externalIdParameterName("dev", g.accountIds[0]),
        content: renderAgentConfigFile(g, { externalId: EXTERNAL_ID_PLACEHOLDER }),
    }));
    const cloudConfig = YAML.parse(collectorCloudConfig(settings, templates)) as { write_files: { path: string; permissions: string; content: string }[] };
    await fs.rm(path.join(root, HOST_PATHS.templates), { recursive: true, force: true });
    for (const file of cloudConfig.write_files) {
        const target = path.join(root, file.path);
        await fs.mkdir(path.dirname(target), { recursive: true });
        await fs.writeFile(target, file.content, { mode: parseInt(file.permissions, 8) });
        await fs.chmod(target, parseInt(file.permissions, 8));
    }
}

async function boot(host: Host): Promise<{ code: number; stderr: string; calls: string[] }> {
    await fs.writeFile(path.join(host.state, "calls"), "");
    const script = path.join(host.root, HOST_PATHS.script);
    const { code, stderr } = await new Promise<{ code: number; stderr: string }>((resolve) => {
        execFile("bash", [script], { env: host.env }, (error, _stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stderr }));
    });
    const calls = (await fs.readFile(path.join(host.state, "calls"), "utf8")).split("\n").filter((l) => l !== "");
    return { code, stderr, calls };
}

/** Every file under root: mode and content. */
async function snapshot(root: string): Promise<Record<string, string>> {
    const result: Record<string, string> = {};
    const walk = async (dir: string) => {
        for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
            const full = path.join(dir, entry.name);
            if (entry.isDirectory()) await walk(full);
            else result[path.relative(root, full)] = `${((await fs.stat(full)).mode & 0o777).toString(8)} ${await fs.readFile(full, "utf8")}`;
        }
    };
    await walk(root);
    return result;
}

const checkDir = (host: Host) => path.join(host.root, AWS_TOPOLOGY_CONF_DIR);
const read = (host: Host, file: string) => fs.readFile(path.join(host.root, file), "utf8");
const ssmCall = (name: string) => `aws ssm get-parameter --region eu-west-1 --name ${name} --with-decryption --query Parameter.Value --output text`;

describe("collector bootstrap script", function () {
    this.timeout(20000);
    const hosts: Host[] = [];
    after(() => Promise.all(hosts.map((h) => fs.rm(h.dir, { recursive: true, force: true }))));
    const host = async (settings = SETTINGS, accounts = ACCOUNTS) => {
        const h = await newHost(settings, accounts);
        hosts.push(h);
        return h;
    };

    it("passes shellcheck", () => {
        const result = (() => {
            try {
                return { code: 0, out: execFileSync("shellcheck", ["--severity=style", BOOTSTRAP_SCRIPT]).toString() };
            } catch (error) {
                const e = error as { status?: number; code?: string; stdout?: Buffer };
                if (e.code === "ENOENT") throw new Error("shellcheck is not installed (apt-get install shellcheck)");
                return { code: e.status, out: e.stdout?.toString() };
            }
        })();
        expect(result).to.deep.equal({ code: 0, out: "" });
    });

    it("installs the pinned Agent, writes one check file per ExternalId with the secrets from SSM, and restarts it", async () => {
        const h = await host();
        await fs.mkdir(checkDir(h), { recursive: true });
        await fs.writeFile(path.join(checkDir(h), "conf.yaml"), "# the user's own\n");
        await fs.writeFile(path.join(checkDir(h), "stackstate-aws-999999999999.yaml"), "# Managed by stackstate-aws: an account no longer monitored\n");

        const first = await boot(h);
        expect(first.code, first.stderr).to.equal(0);
        expect(first.calls[1]).to.match(/^curl -fsSL --retry 5 -o \/\S+\/install\.sh https:\/\/stackstate-agent-2\.s3\.amazonaws\.com\/install\.sh$/);
        expect(first.calls.filter((_, i) => i !== 1)).to.deep.equal([
            ssmCall("/stackstate/api-key"),
            `install.sh STS_INSTALL_ONLY=true STS_API_KEY=${API_KEY} STS_URL=https://stackstate.example.com/receiver/stsAgent`,
            "dnf install -y stackstate-agent-2.16.0",
            ssmCall("/stackstate-aws/dev/external-id/111122223333"),
            ssmCall("/stackstate-aws/dev/external-id/444455556666"),
            "systemctl enable stackstate-agent",
            "systemctl restart stackstate-agent",
        ]);

        const expected = renderAgentConfig(ACCOUNTS);
        expect((await fs.readdir(checkDir(h))).sort()).to.deep.equal(["conf.yaml", "conf.yaml.example", ...expected.map((f) => f.fileName)].sort());
        for (const file of expected) {
            const written = path.join(checkDir(h), file.fileName);
            expect(await fs.readFile(written, "utf8")).to.equal(file.content);
            expect((await fs.stat(written)).mode & 0o777).to.equal(0o640);
        }
        expect(await fs.readFile(path.join(checkDir(h), "conf.yaml"), "utf8")).to.equal("# the user's own\n");
        expect(await read(h, "etc/stackstate-agent/stackstate.yaml")).to.equal([
            `api_key: '${API_KEY}'`,
            "sts_url: 'https://stackstate.example.com/receiver/stsAgent'",
            "# hostname: mymachine",
            "# proxy:",
            "#   https: http://proxy:3128",
            "process_config:",
            "  enabled: 'true'",
            "",
        ].join("\n"));
        await fs.access(path.join(h.root, "etc/systemd/system/stackstate-agent.service.d/stackstate-aws-proxy.conf")).then(
            () => expect.fail("no proxy drop-in without a proxy"), () => undefined);
        expect(first.stderr).not.to.contain(API_KEY);
        for (const account of ACCOUNTS) expect(first.stderr).not.to.contain(account.externalId);
    });

    it("changes nothing and restarts nothing when run again", async () => {
        const h = await host();
        expect((await boot(h)).code).to.equal(0);
        const before = await snapshot(h.root);
        const second = await boot(h);
        expect(second.code, second.stderr).to.equal(0);
        expect(await snapshot(h.root)).to.deep.equal(before);
        expect(second.calls).to.deep.equal([
            ssmCall("/stackstate/api-key"),
            ssmCall("/stackstate-aws/dev/external-id/111122223333"),
            ssmCall("/stackstate-aws/dev/external-id/444455556666"),
            "systemctl is-active --quiet stackstate-agent",
        ]);
        expect(second.stderr).to.equal("");
    });

    it("sets the proxy for StackState traffic and the check's AWS calls, and takes it away again", async () => {
        const proxied = { ...SETTINGS, proxyUrl: "http://proxy.internal:3128", noProxy: [".internal"] };
        const h = await host(proxied);
        const first = await boot(h);
        expect(first.code, first.stderr).to.equal(0);
        expect(await read(h, "etc/stackstate-agent/stackstate.yaml")).to.equal([
            `api_key: '${API_KEY}'`,
            "sts_url: 'https://stackstate.example.com/receiver/stsAgent'",
            "# hostname: mymachine",
            "# proxy:",
            "#   https: http://proxy:3128",
            "process_config:",
            "  enabled: 'true'",
            "# BEGIN stackstate-aws proxy",
            "proxy:",
            "  http: 'http://proxy.internal:3128'",
            "  https: 'http://proxy.internal:3128'",
            "  no_proxy:",
            "    - '169.254.169.254'",
            "    - '169.254.170.2'",
            "    - 'localhost'",
            "    - '127.0.0.1'",
            "    - '.internal'",
            "# END stackstate-aws proxy",
            "",
        ].join("\n"));
        expect(YAML.parse(await read(h, "etc/stackstate-agent/stackstate.yaml")).proxy).to.deep.equal({
            http: "http://proxy.internal:3128", https: "http://proxy.internal:3128",
            no_proxy: ["169.254.169.254", "169.254.170.2", "localhost", "127.0.0.1", ".internal"],
        });
        const dropIn = "etc/systemd/system/stackstate-agent.service.d/stackstate-aws-proxy.conf";
        expect(await read(h, dropIn)).to.equal(
            "[Service]\nEnvironment=\"HTTPS_PROXY=http://proxy.internal:3128\" \"HTTP_PROXY=http://proxy.internal:3128\" \"NO_PROXY=169.254.169.254,169.254.170.2,localhost,127.0.0.1,.internal\"\n",
        );
        expect(first.calls.slice(-3)).to.deep.equal(["systemctl daemon-reload", "systemctl enable stackstate-agent", "systemctl restart stackstate-agent"]);

        const again = await boot(h);
        expect(again.calls.slice(-1)).to.deep.equal(["systemctl is-active --quiet stackstate-agent"]);

        // A new template version without the proxy: the block and the drop-in go, the rest stays.
        await writeUserData(h.root, SETTINGS, ACCOUNTS);
        const without = await boot(h);
        expect(without.code, without.stderr).to.equal(0);
        expect(await read(h, "etc/stackstate-agent/stackstate.yaml")).not.to.contain("proxy.internal");
        await fs.access(path.join(h.root, dropIn)).then(() => expect.fail("drop-in should be gone"), () => undefined);
        expect(without.calls.slice(-3)).to.deep.equal(["systemctl daemon-reload", "systemctl enable stackstate-agent", "systemctl restart stackstate-agent"]);
    });

    it("rewrites a check file whose ExternalId was rotated, and removes files of accounts no longer monitored", async () => {
        const h = await host();
        expect((await boot(h)).code).to.equal(0);
        await putParameter(h.state, "/stackstate-aws/dev/external-id/444455556666", "rotated-external-id-4567");
        await writeUserData(h.root, SETTINGS, ACCOUNTS.slice(1));
        const run = await boot(h);
        expect(run.code, run.stderr).to.equal(0);
        expect((await fs.readdir(checkDir(h))).sort()).to.deep.equal(["conf.yaml.example", "stackstate-aws-444455556666.yaml", "stackstate-aws-777788889999.yaml"]);
        expect(YAML.parse(await fs.readFile(path.join(checkDir(h), "stackstate-aws-444455556666.yaml"), "utf8")).init_config.external_id).to.equal("rotated-external-id-4567");
        expect(run.calls.slice(-2)).to.deep.equal(["systemctl enable stackstate-agent", "systemctl restart stackstate-agent"]);
    });

    it("skips the install when the pinned version is there", async () => {
        const h = await host();
        await fs.writeFile(path.join(h.state, "installed"), "2.16.0\n");
        await fs.mkdir(path.join(h.root, "opt/stackstate-agent/embedded/lib/python3.8/site-packages/stackstate_checks/aws_topology"), { recursive: true });
        await fs.mkdir(path.join(h.root, "etc/stackstate-agent"), { recursive: true });
        await fs.writeFile(path.join(h.root, "etc/stackstate-agent/stackstate.yaml"), "api_key: old\n");
        const run = await boot(h);
        expect(run.code, run.stderr).to.equal(0);
        expect(run.calls.filter((c) => /^(curl|install\.sh|dnf)/.test(c))).to.deep.equal([]);
        expect(await read(h, "etc/stackstate-agent/stackstate.yaml")).to.equal(`api_key: '${API_KEY}'\nsts_url: 'https://stackstate.example.com/receiver/stsAgent'\n`);
    });

    it("stops, naming the cause, on an Agent without the check, a bad ExternalId or a missing secret", async () => {
        const noCheck = await host({ ...SETTINGS, agentVersion: "2.20.0" });
        const a = await boot(noCheck);
        expect(a.code).to.equal(1);
        expect(a.stderr.trim().split("\n").pop()).to.equal("stackstate-aws-collector: ERROR: stackstate-agent 2.20.0 does not ship the aws_topology check; set agentVersion to a build that does");
        expect(a.calls).not.to.include("systemctl restart stackstate-agent");

        const badId = await host();
        await putParameter(badId.state, "/stackstate-aws/dev/external-id/444455556666", "it's: broken");
        const b = await boot(badId);
        expect(b.code).to.equal(1);
        expect(b.stderr.trim().split("\n").pop()).to.equal("stackstate-aws-collector: ERROR: the value of /stackstate-aws/dev/external-id/444455556666 is not an ExternalId (2-1224 letters, digits and _+=,.@:/-)");
        expect(b.stderr).not.to.contain("broken");
        await fs.access(path.join(checkDir(badId), "stackstate-aws-444455556666.yaml")).then(() => expect.fail("no file with a bad ExternalId"), () => undefined);

        const noKey = await host();
        await fs.rm(path.join(noKey.state, "parameters", "stackstate", "api-key"));
        const c = await boot(noKey);
        expect(c.code).to.equal(1);
        expect(c.stderr.trim().split("\n").pop()).to.equal("stackstate-aws-collector: ERROR: cannot read the API key parameter /stackstate/api-key");
        expect(c.calls).to.deep.equal([ssmCall("/stackstate/api-key")]);
    });
});

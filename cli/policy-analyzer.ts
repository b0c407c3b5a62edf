/**
 * Runs the `stackstate-aws` policy pack exactly as the Pulumi CLI runs a Node.js policy pack, and
 * speaks the `pulumirpc.Analyzer` protocol to it with Pulumi's own generated stubs. `plan` calls
 * `analyzeStack`; tests and the benchmark use `PolicyPackAnalyzer` directly.
 *
 * What the CLI does, and this module mirrors (pulumi/sdk/go/common/resource/plugin/analyzer_plugin.go
 * and policy.go):
 * - in the pack folder, `node <@pulumi/pulumi/cmd/run-policy-pack resolved from there> <engine> .`,
 *   with the CLI's environment plus PULUMI_CONFIG and PULUMI_NODEJS_{ORGANIZATION,PROJECT,STACK,DRY_RUN}
 *   and PULUMI_{…}; the pack prints its gRPC port as the first line of stdout;
 * - Handshake (a Node.js pack answers UNIMPLEMENTED, which the CLI tolerates), ConfigureStack,
 *   GetAnalyzerInfo; then config: each policy's schema defaults and enforcement level, overridden
 *   by "all" and then by the user's per-policy settings, validated against the schema, sent with
 *   Configure;
 * - per resource: Remediate (when a policy is at `remediate`) and Analyze on the inputs; once:
 *   AnalyzeStack on the outputs, with parent, dependencies and property dependencies. Diagnostics of
 *   resource policies come back with an empty URN: the CLI fills in the resource's, and so do we.
 *
 * The engine address: `run-policy-pack` drops its first argument (`argv._.shift()`) and a policy
 * pack only talks to an engine named by PULUMI_NODEJS_ENGINE, which the CLI does not set for packs.
 * Nothing ever dials it, so we pass a well-formed address on which nothing listens and strip the
 * engine and monitor variables from the inherited environment.
 */
import { ChildProcess, spawn } from "child_process";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import * as pb from "@pulumi/pulumi/proto/analyzer_pb";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import Ajv from "ajv";
import type { Registration } from "./mock-engine";
import { UsageError } from "./exit-codes";
import { endWithParent, PARENT_PID_ENV, PARENT_WATCH_ARGS } from "./child-processes";

export type EnforcementLevel = "advisory" | "mandatory" | "remediate" | "disabled";
export const ENFORCEMENT_LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

/** One finding, as `plan` prints it. */
export interface Violation {
    policy: string;
    enforcementLevel: EnforcementLevel;
    urn: string;
    /** The policy's message, without the policy description the pack prefixes to it. */
    message: string;
}

export type JsonSchema = Record<string, unknown>;

export interface PolicyInfo {
    name: string;
    description: string;
    enforcementLevel: EnforcementLevel;
    type: "resource" | "stack" | "unknown";
    configSchema?: { properties: Record<string, JsonSchema>; required: string[] };
}

export interface AnalyzerInfo {
    name: string;
    version: string;
    supportsConfig: boolean;
    policies: PolicyInfo[];
}

/** A policy's resolved configuration, as sent with Configure. */
export interface PolicyConfig {
    enforcementLevel: EnforcementLevel;
    properties: Record<string, unknown>;
}

/** A `--policy-pack-config` file: per policy (or "all"), a level or settings with an optional level. */
export type PolicyPackConfigFile = Record<string, EnforcementLevel | Record<string, unknown>>;

/** A resource as the engine describes it to an analyzer. Properties are wire values (secrets and unknowns marked). */
export interface AnalyzerResource {
    urn: string;
    type: string;
    name: string;
    properties: Record<string, unknown>;
    provider?: { urn: string; type: string; name: string; properties: Record<string, unknown> };
    parent?: string;
    dependencies?: string[];
    propertyDependencies?: Record<string, string[]>;
}

export interface Diagnostic {
    policy: string;
    description: string;
    /** The text the pack reports (for a plain violation: the description, a newline, the message). */
    message: string;
    enforcementLevel: EnforcementLevel;
    urn: string;
}

export interface Remediation {
    policy: string;
    description: string;
    /** The resource's properties after the remediation (wire values), when it changed them. */
    properties?: Record<string, unknown>;
    /** Why the remediation could not run (e.g. unknown values in a preview). */
    diagnostic?: string;
}

export interface LaunchOptions {
    /** The pack folder (holds PulumiPolicy.yaml). Default: this package's `policies/`. */
    packDir?: string;
    organization?: string;
    project?: string;
    stack?: string;
    /** A preview (true) or an update (false). Default: true, as for `pulumi preview --policy-pack`. */
    dryRun?: boolean;
    /** Stack config (`project:key` → value), passed as PULUMI_CONFIG and with ConfigureStack. */
    stackConfig?: Record<string, string>;
    /** Environment of the pack process. Default: this process's environment. */
    env?: NodeJS.ProcessEnv;
    /** Milliseconds to wait for the port. Default: 60000. */
    startTimeoutMs?: number;
}

export const DEFAULT_PACK_DIR = path.resolve(__dirname, "..", "policies");
/** Nothing listens here; see the module comment for why nothing needs to. */
const UNUSED_ENGINE_ADDRESS = "127.0.0.1:1";
const MAX_MESSAGE = 400 * 1024 * 1024;
const OUTPUT_KEPT = 64 * 1024;

const LEVEL_FROM_PROTO: Record<number, EnforcementLevel> = {
    [pb.EnforcementLevel.ADVISORY]: "advisory",
    [pb.EnforcementLevel.MANDATORY]: "mandatory",
    [pb.EnforcementLevel.REMEDIATE]: "remediate",
    [pb.EnforcementLevel.DISABLED]: "disabled",
};
const LEVEL_TO_PROTO: Record<EnforcementLevel, pb.EnforcementLevel> = {
    advisory: pb.EnforcementLevel.ADVISORY,
    mandatory: pb.EnforcementLevel.MANDATORY,
    remediate: pb.EnforcementLevel.REMEDIATE,
    disabled: pb.EnforcementLevel.DISABLED,
};

type Callback<Res> = (err: grpc.ServiceError | null, res: Res) => void;

function unary<Res>(invoke: (callback: Callback<Res>) => unknown): Promise<Res> {
    return new Promise((resolve, reject) => {
        invoke((err, res) => (err ? reject(err) : resolve(res)));
    });
}

/** A running policy pack and a gRPC client connected to it. Always `close()` it. */
export class PolicyPackAnalyzer {
    private stderrText = "";
    private exited: Promise<void>;

    private constructor(
        readonly process: ChildProcess,
        readonly port: number,
        private readonly client: AnalyzerClient,
        /** Milliseconds from spawn to the port line. */
        readonly startupMs: number,
        stderrSoFar: string,
    ) {
        this.stderrText = stderrSoFar;
        // Keep both pipes drained (a full pipe would block the pack); keep the tail of what it says.
        const keep = (chunk: Buffer) => { this.stderrText = (this.stderrText + chunk.toString()).slice(-OUTPUT_KEPT); };
        process.stderr?.on("data", keep);
        process.stdout?.on("data", keep);
        this.exited = new Promise((resolve) => {
            if (process.exitCode !== null || process.signalCode !== null) resolve();
            else process.once("exit", () => resolve());
        });
    }

    /** The last of what the pack wrote after its port line (stderr and stdout). */
    get stderr(): string {
        return this.stderrText;
    }

    /** Starts the pack as the Pulumi CLI does, then Handshake and ConfigureStack as the CLI does. */
    static async launch(options: LaunchOptions = {}): Promise<PolicyPackAnalyzer> {
        const packDir = options.packDir ?? DEFAULT_PACK_DIR;
        const runner = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [packDir] });
        const env = packEnvironment(options);
        const started = Date.now();
        // The parent watch is the one addition to the CLI's launch: the pack must not outlive us.
        const child = spawn(process.execPath, [...PARENT_WATCH_ARGS, runner, UNUSED_ENGINE_ADDRESS, "."], {
            cwd: packDir, env: { ...env, [PARENT_PID_ENV]: String(process.pid) }, stdio: ["ignore", "pipe", "pipe"],
        });
        endWithParent(child);
        let stderr = "";
        const onErr = (chunk: Buffer) => { stderr += chunk.toString(); };
        child.stderr!.on("data", onErr);
        let port: number;
        try {
            port = await readPort(child, options.startTimeoutMs ?? 60_000, () => stderr);
        } catch (error) {
            child.kill("SIGKILL");
            throw error;
        }
        child.stderr!.off("data", onErr);
        const startupMs = Date.now() - started;
        const client = new AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), {
            "grpc.max_receive_message_length": MAX_MESSAGE,
            "grpc.max_send_message_length": MAX_MESSAGE,
        });
        const analyzer = new PolicyPackAnalyzer(child, port, client, startupMs, stderr);
        try {
            await analyzer.handshake(packDir);
            await analyzer.configureStack(options);
        } catch (error) {
            await analyzer.close();
            throw error;
        }
        return analyzer;
    }

    private async handshake(packDir: string): Promise<void> {
        const req = new pb.AnalyzerHandshakeRequest();
        req.setEngineAddress(UNUSED_ENGINE_ADDRESS);
        req.setRootDirectory(packDir);
        req.setProgramDirectory(packDir);
        try {
            await unary<pb.AnalyzerHandshakeResponse>((cb) => this.client.handshake(req, cb));
        } catch (error) {
            if ((error as grpc.ServiceError).code !== grpc.status.UNIMPLEMENTED) throw error;
        }
    }

    private async configureStack(options: LaunchOptions): Promise<void> {
        const req = new pb.AnalyzerStackConfigureRequest();
        req.setStack(options.stack ?? "");
        req.setProject(options.project ?? "");
        req.setOrganization(options.organization ?? "");
        req.setDryRun(options.dryRun ?? true);
        for (const [key, value] of Object.entries(options.stackConfig ?? {})) req.getConfigMap().set(key, value);
        await unary<pb.AnalyzerStackConfigureResponse>((cb) => this.client.configureStack(req, cb));
    }

    async getAnalyzerInfo(): Promise<AnalyzerInfo> {
        const info = await unary<pb.AnalyzerInfo>((cb) => this.client.getAnalyzerInfo(new Empty(), cb));
        return {
            name: info.getName(),
            version: info.getVersion(),
            supportsConfig: info.getSupportsconfig(),
            policies: info.getPoliciesList().map((p) => {
                const schema = p.getConfigschema();
                return {
                    name: p.getName(),
                    description: p.getDescription(),
                    enforcementLevel: LEVEL_FROM_PROTO[p.getEnforcementlevel()],
                    type: p.getPolicyType() === pb.PolicyType.POLICY_TYPE_RESOURCE ? "resource"
                        : p.getPolicyType() === pb.PolicyType.POLICY_TYPE_STACK ? "stack" : "unknown",
                    configSchema: schema ? {
                        properties: (schema.getProperties()?.toJavaScript() ?? {}) as Record<string, JsonSchema>,
                        required: schema.getRequiredList(),
                    } : undefined,
                };
            }),
        };
    }

    /** Sends resolved config (see `resolvePolicyConfig`). Like the CLI, sends nothing when it is empty. */
    async configure(config: Record<string, PolicyConfig>): Promise<void> {
        if (Object.keys(config).length === 0) return;
        const req = new pb.ConfigureAnalyzerRequest();
        for (const [name, c] of Object.entries(config)) {
            const pc = new pb.PolicyConfig();
            pc.setEnforcementlevel(LEVEL_TO_PROTO[c.enforcementLevel]);
            pc.setProperties(Struct.fromJavaScript(jsonOnly(c.properties) as Record<string, never>));
            req.getPolicyconfigMap().set(name, pc);
        }
        await unary<Empty>((cb) => this.client.configure(req, cb));
    }

    async analyze(resource: AnalyzerResource): Promise<Diagnostic[]> {
        return this.sendAnalyze(analyzeRequest(resource));
    }

    /** Analyze with a request built beforehand (`analyzeRequest`), so a benchmark times only the call. */
    async sendAnalyze(req: pb.AnalyzeRequest): Promise<Diagnostic[]> {
        const res = await unary<pb.AnalyzeResponse>((cb) => this.client.analyze(req, cb));
        return res.getDiagnosticsList().map((d) => diagnostic(d, req.getUrn()));
    }

    async analyzeStack(resources: AnalyzerResource[]): Promise<Diagnostic[]> {
        return this.sendAnalyzeStack(analyzeStackRequest(resources));
    }

    /** AnalyzeStack with a request built beforehand (`analyzeStackRequest`). */
    async sendAnalyzeStack(req: pb.AnalyzeStackRequest): Promise<Diagnostic[]> {
        const res = await unary<pb.AnalyzeResponse>((cb) => this.client.analyzeStack(req, cb));
        return res.getDiagnosticsList().map((d) => diagnostic(d, ""));
    }

    async remediate(resource: AnalyzerResource): Promise<Remediation[]> {
        const res = await unary<pb.RemediateResponse>((cb) => this.client.remediate(analyzeRequest(resource), cb));
        return res.getRemediationsList().map((r) => ({
            policy: r.getPolicyname(),
            description: r.getDescription(),
            properties: r.getProperties()?.toJavaScript() as Record<string, unknown> | undefined,
            diagnostic: r.getDiagnostic() || undefined,
        }));
    }

    /** Closes the channel and stops the pack process (SIGTERM, then SIGKILL after 2 s). */
    async close(): Promise<void> {
        this.client.close();
        if (this.process.exitCode === null && this.process.signalCode === null) {
            this.process.kill("SIGTERM");
            const timer = setTimeout(() => this.process.kill("SIGKILL"), 2000);
            await this.exited;
            clearTimeout(timer);
        }
    }
}

/** The CLI's environment for a Node.js pack: ours, minus engine wiring, plus the stack's identity. */
function packEnvironment(options: LaunchOptions): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { ...(options.env ?? process.env) };
    delete env.PULUMI_NODEJS_ENGINE;
    delete env.PULUMI_NODEJS_MONITOR;
    const set = (key: string, value: string | undefined) => { if (value) env[key] = value; };
    if (options.stackConfig && Object.keys(options.stackConfig).length > 0) set("PULUMI_CONFIG", JSON.stringify(options.stackConfig));
    const dryRun = String(options.dryRun ?? true);
    for (const prefix of ["PULUMI_NODEJS_", "PULUMI_"]) {
        set(`${prefix}ORGANIZATION`, options.organization);
        set(`${prefix}PROJECT`, options.project);
        set(`${prefix}STACK`, options.stack);
        set(`${prefix}DRY_RUN`, dryRun);
    }
    return env;
}

function readPort(child: ChildProcess, timeoutMs: number, stderr: () => string): Promise<number> {
    return new Promise((resolve, reject) => {
        let out = "";
        const fail = (why: string) => {
            cleanup();
            reject(new Error(`The policy pack did not start: ${why}.${stderr().trim() ? `\n${stderr().trim()}` : ""}`));
        };
        const onData = (chunk: Buffer) => {
            out += chunk.toString();
            const newline = out.indexOf("\n");
            if (newline < 0) return;
            const line = out.slice(0, newline).trim();
            cleanup();
            const port = Number(line);
            if (Number.isInteger(port) && port > 0) resolve(port);
            else reject(new Error(`The policy pack printed '${line}' instead of its port.\n${stderr().trim()}`));
        };
        const onExit = (code: number | null, signal: string | null) => fail(`it exited with ${code ?? signal} before printing its port`);
        const timer = setTimeout(() => fail(`no port within ${timeoutMs} ms`), timeoutMs);
        const cleanup = () => {
            clearTimeout(timer);
            child.stdout!.off("data", onData);
            child.off("exit", onExit);
        };
        child.stdout!.on("data", onData);
        child.once("exit", onExit);
    });
}

export function analyzeStackRequest(resources: AnalyzerResource[]): pb.AnalyzeStackRequest {
    const req = new pb.AnalyzeStackRequest();
    req.setResourcesList(resources.map(stackResource));
    return req;
}

/** The request Analyze and Remediate take for one resource. */
export function analyzeRequest(r: AnalyzerResource): pb.AnalyzeRequest {
    const req = new pb.AnalyzeRequest();
    req.setUrn(r.urn);
    req.setType(r.type);
    req.setName(r.name);
    req.setProperties(toStruct(r.properties));
    req.setOptions(resourceOptions(r.parent));
    if (r.provider) req.setProvider(providerResource(r.provider));
    return req;
}

function stackResource(r: AnalyzerResource): pb.AnalyzerResource {
    const res = new pb.AnalyzerResource();
    res.setUrn(r.urn);
    res.setType(r.type);
    res.setName(r.name);
    res.setProperties(toStruct(r.properties));
    res.setOptions(resourceOptions(r.parent));
    if (r.provider) res.setProvider(providerResource(r.provider));
    res.setParent(r.parent ?? "");
    res.setDependenciesList(r.dependencies ?? []);
    for (const [key, urns] of Object.entries(r.propertyDependencies ?? {})) {
        if (urns.length === 0) continue; // the CLI skips properties without dependencies
        const deps = new pb.AnalyzerPropertyDependencies();
        deps.setUrnsList(urns);
        res.getPropertydependenciesMap().set(key, deps);
    }
    return res;
}

function resourceOptions(parent: string | undefined): pb.AnalyzerResourceOptions {
    const opts = new pb.AnalyzerResourceOptions();
    opts.setCustomtimeouts(new pb.AnalyzerResourceOptions.CustomTimeouts());
    opts.setParent(parent ?? "");
    return opts;
}

function providerResource(p: NonNullable<AnalyzerResource["provider"]>): pb.AnalyzerProviderResource {
    const res = new pb.AnalyzerProviderResource();
    res.setUrn(p.urn);
    res.setType(p.type);
    res.setName(p.name);
    res.setProperties(toStruct(p.properties));
    return res;
}

function toStruct(properties: Record<string, unknown>): Struct {
    return Struct.fromJavaScript(jsonOnly(properties) as Record<string, never>);
}

/** Drops undefined (a Struct has no such value), keeping everything else as is. */
function jsonOnly(value: unknown): unknown {
    if (Array.isArray(value)) return value.filter((v) => v !== undefined).map(jsonOnly);
    if (value && typeof value === "object") {
        return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, jsonOnly(v)]));
    }
    return value;
}

function diagnostic(d: pb.AnalyzeDiagnostic, urn: string): Diagnostic {
    return {
        policy: d.getPolicyname(),
        description: d.getDescription(),
        message: d.getMessage(),
        enforcementLevel: LEVEL_FROM_PROTO[d.getEnforcementlevel()],
        urn: d.getUrn() || urn,
    };
}

// ---- Config, as the CLI reconciles it ---------------------------------------------------------

/**
 * Each policy's config as the CLI sends it: schema defaults and the policy's own level, then the
 * "all" level, then the user's settings per policy; validated against each policy's schema. Every
 * problem is reported at once as a UsageError (the user's config is bad input).
 */
export function resolvePolicyConfig(info: AnalyzerInfo, given: PolicyPackConfigFile = {}): Record<string, PolicyConfig> {
    const problems: string[] = [];
    const parsed: Record<string, { enforcementLevel?: EnforcementLevel; properties: Record<string, unknown> }> = {};
    for (const [name, value] of Object.entries(given)) {
        if (typeof value === "string") {
            if (!ENFORCEMENT_LEVELS.includes(value)) problems.push(`Value "${value}" for "${name}" is not a valid enforcement level; use one of ${ENFORCEMENT_LEVELS.join(", ")}.`);
            else parsed[name] = { enforcementLevel: value, properties: {} };
        } else if (value && typeof value === "object" && !Array.isArray(value)) {
            const { enforcementLevel, ...properties } = value;
            if (enforcementLevel !== undefined && !ENFORCEMENT_LEVELS.includes(enforcementLevel as EnforcementLevel)) {
                problems.push(`Value ${JSON.stringify(enforcementLevel)} for "${name}" is not a valid enforcement level; use one of ${ENFORCEMENT_LEVELS.join(", ")}.`);
            }
            parsed[name] = { enforcementLevel: enforcementLevel as EnforcementLevel | undefined, properties };
        } else {
            problems.push(`Value ${JSON.stringify(value)} for "${name}" is not valid; it must be an enforcement level or an object.`);
        }
    }
    const known = new Set(info.policies.map((p) => p.name));
    for (const name of Object.keys(parsed)) {
        if (name !== "all" && !known.has(name)) problems.push(`"${name}" is not a policy of ${info.name}; its policies are ${[...known].join(", ")}.`);
    }

    const result: Record<string, PolicyConfig> = {};
    const all = parsed.all?.enforcementLevel;
    for (const policy of info.policies) {
        const defaults = Object.fromEntries(Object.entries(policy.configSchema?.properties ?? {})
            .filter(([, schema]) => "default" in schema).map(([key, schema]) => [key, schema.default]));
        const mine = parsed[policy.name];
        result[policy.name] = {
            enforcementLevel: mine?.enforcementLevel ?? all ?? policy.enforcementLevel,
            properties: { ...defaults, ...(mine?.properties ?? {}) },
        };
        const given = Object.keys(mine?.properties ?? {});
        if (!policy.configSchema && given.length > 0) {
            problems.push(`Policy "${policy.name}" has no settings (only enforcementLevel), got ${given.map((k) => JSON.stringify(k)).join(", ")}.`);
        }
        if (policy.configSchema) {
            // Unlike the Pulumi CLI, refuse settings the policy does not have: a misspelt one would
            // otherwise be ignored, and the policy run with its default.
            const validate = ajv.compile({
                type: "object",
                properties: { ...policy.configSchema.properties, enforcementLevel: { type: "string", enum: ENFORCEMENT_LEVELS } },
                required: policy.configSchema.required,
                additionalProperties: false,
            });
            if (!validate(result[policy.name].properties)) {
                const settings = Object.keys(policy.configSchema.properties);
                for (const e of validate.errors ?? []) {
                    if (e.keyword === "additionalProperties") {
                        const unknown = (e.params as { additionalProperty: string }).additionalProperty;
                        problems.push(`Policy "${policy.name}" has no setting ${JSON.stringify(unknown)}; its settings are ${settings.length > 0 ? settings.join(", ") : "none"} (and enforcementLevel).`);
                        continue;
                    }
                    problems.push(`Policy "${policy.name}": ${e.instancePath ? `${e.instancePath.slice(1).replace(/\//g, ".")} ` : ""}${e.message}.`);
                }
            }
        }
    }
    if (problems.length > 0) throw new UsageError(`Invalid policy pack config:\n  ${problems.join("\n  ")}`);
    return result;
}

const ajv = new Ajv({ allErrors: true, strict: false });

// ---- Registrations from the mock engine, as the engine would send them ------------------------

const SIG = "4dabf18193072939515e22adb298388d";
const RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";
const OUTPUT_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/**
 * Wire values as the engine marshals them for analyzers (KeepUnknowns, KeepSecrets, no resource
 * references): a resource reference becomes its id (custom) or URN (component), an output value its
 * value (secret if it was) or unknown; internal `__` keys are dropped.
 */
export function engineProperties(struct: unknown): Record<string, unknown> {
    const value = struct && typeof (struct as Struct).toJavaScript === "function" ? (struct as Struct).toJavaScript() : (struct ?? {});
    const out = downgrade(value) as Record<string, unknown>;
    return Object.fromEntries(Object.entries(out).filter(([key]) => !key.startsWith("__")));
}

function downgrade(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(downgrade);
    if (!value || typeof value !== "object") return value;
    const obj = value as Record<string, unknown>;
    if (obj[SIG] === RESOURCE_SIG) {
        if ("id" in obj) return obj.id === "" || obj.id === undefined ? UNKNOWN : obj.id;
        return obj.urn;
    }
    if (obj[SIG] === OUTPUT_SIG) {
        const inner = "value" in obj ? downgrade(obj.value) : UNKNOWN;
        return obj.secret ? { [SIG]: SECRET_SIG, value: inner } : inner;
    }
    return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, downgrade(v)]));
}

/** Registrations as Analyze (inputs) or AnalyzeStack (outputs) resources, with their providers. */
export function analyzerResources(registrations: readonly Registration[], use: "inputs" | "outputs"): AnalyzerResource[] {
    const byUrn = new Map(registrations.map((r) => [r.urn, r]));
    return registrations.map((r) => {
        const providerUrn = r.provider ? r.provider.slice(0, r.provider.lastIndexOf("::")) : undefined;
        const provider = providerUrn ? byUrn.get(providerUrn) : undefined;
        return {
            urn: r.urn,
            type: r.type,
            name: r.name,
            properties: engineProperties(use === "inputs" ? r.rawObject : r.rawOutputs ?? r.rawObject),
            provider: provider
                ? { urn: provider.urn, type: provider.type, name: provider.name, properties: engineProperties(provider.rawObject) }
                : defaultProvider(r),
            parent: r.parent,
            dependencies: r.dependencies,
            propertyDependencies: r.propertyDependencies,
        };
    });
}

/**
 * The engine gives every custom resource without an explicit provider its package's default
 * provider, configured from the stack (e.g. `aws:region`); the mock engine registers none, so we
 * describe the one the engine would use.
 */
function defaultProvider(r: Registration): AnalyzerResource["provider"] {
    const pkg = r.type.split(":")[0];
    if (!r.custom || pkg === "pulumi" || !r.region) return undefined;
    const stackPrefix = r.urn.split("::").slice(0, 2).join("::");
    return { urn: `${stackPrefix}::pulumi:providers:${pkg}::default`, type: `pulumi:providers:${pkg}`, name: "default", properties: { region: r.region } };
}

// ---- The whole CLI flow, for `plan` -----------------------------------------------------------

export interface AnalyzeOptions extends LaunchOptions {
    /** The user's `--policy-pack-config` content. */
    policyConfig?: PolicyPackConfigFile;
    /** Concurrent Analyze calls. Default: 16. */
    concurrency?: number;
    /** Progress lines (to stderr in the CLI). */
    onProgress?: (message: string) => void;
}

/**
 * Runs the pack over planned resources the way `pulumi preview --policy-pack` would: config with
 * defaults, Remediate and Analyze per resource (inputs), AnalyzeStack once (outputs). Remediations
 * are reported as findings at level `remediate` (a plan changes nothing). The pack process is
 * always shut down. A bad config throws UsageError before any resource is analysed.
 */
export async function analyzeStack(resources: readonly Registration[], options: AnalyzeOptions = {}): Promise<Violation[]> {
    const progress = options.onProgress ?? (() => undefined);
    progress("Starting the policy pack...");
    const analyzer = await PolicyPackAnalyzer.launch(options);
    try {
        const info = await analyzer.getAnalyzerInfo();
        const config = resolvePolicyConfig(info, options.policyConfig);
        await analyzer.configure(config);
        const descriptions = new Map(info.policies.map((p) => [p.name, p.description]));
        const remediating = Object.values(config).some((c) => c.enforcementLevel === "remediate");

        progress(`Checking ${resources.length} resources against ${info.name} v${info.version}...`);
        const inputs = analyzerResources(resources, "inputs");
        const perResource: Violation[][] = new Array(inputs.length);
        await forEachLimited(inputs, options.concurrency ?? 16, async (resource, index) => {
            const found: Violation[] = [];
            if (remediating) {
                for (const r of await analyzer.remediate(resource)) {
                    if (r.properties) {
                        found.push({ policy: r.policy, enforcementLevel: "remediate", urn: resource.urn, message: remediationMessage(resource.properties, r.properties) });
                        resource = { ...resource, properties: r.properties };
                    } else if (r.diagnostic) {
                        found.push({ policy: r.policy, enforcementLevel: "advisory", urn: resource.urn, message: r.diagnostic });
                    }
                }
            }
            found.push(...(await analyzer.analyze(resource)).map((d) => violation(d, descriptions)));
            perResource[index] = found;
        });
        const stack = (await analyzer.analyzeStack(analyzerResources(resources, "outputs"))).map((d) => violation(d, descriptions));
        return [...perResource.flat(), ...stack];
    } finally {
        await analyzer.close();
    }
}

function violation(d: Diagnostic, descriptions: Map<string, string>): Violation {
    const description = descriptions.get(d.policy) ?? d.description;
    const message = description && d.message.startsWith(`${description}\n`) ? d.message.slice(description.length + 1) : d.message;
    return { policy: d.policy, enforcementLevel: d.enforcementLevel, urn: d.urn, message };
}

/** "Would set permissionsBoundary to "arn:…"." for each top-level property the remediation changed. */
function remediationMessage(before: Record<string, unknown>, after: Record<string, unknown>): string {
    const changed = Object.keys({ ...before, ...after })
        .filter((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]))
        .map((key) => (key in after ? `${key} to ${JSON.stringify(after[key])}` : `no ${key}`));
    return `Would set ${changed.join(", ")}.`;
}

async function forEachLimited<T>(items: T[], limit: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
    let next = 0;
    const worker = async () => {
        while (next < items.length) {
            const index = next++;
            await work(items[index], index);
        }
    };
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

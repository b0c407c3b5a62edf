/**
 * The `pulumirpc.Analyzer` protocol, spoken to a running pack with Pulumi's own generated stubs,
 * as the Pulumi CLI speaks it (pulumi/sdk/go/common/resource/plugin/analyzer_plugin.go):
 * - Handshake (a Node.js pack answers UNIMPLEMENTED, which the CLI tolerates), ConfigureStack,
 *   GetAnalyzerInfo; then Configure with each policy's resolved config (policy-config.ts);
 * - per resource: Remediate (when a policy is at `remediate`) and Analyze on the inputs; once:
 *   AnalyzeStack on the outputs, with parent, dependencies and property dependencies. Diagnostics of
 *   resource policies come back with an empty URN: the CLI fills in the resource's, and so do we.
 */
import * as grpc from "@grpc/grpc-js";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { AnalyzerClient, analyzerPb as pb } from "../pulumi-internals";
import { DEFAULT_PACK_DIR, PackProcess, UNUSED_ENGINE_ADDRESS } from "./launch";
import type {
    AnalyzerInfo, AnalyzerResource, Diagnostic, EnforcementLevel, JsonSchema, LaunchOptions, PolicyConfig, Remediation,
} from "./types";

const MAX_MESSAGE = 400 * 1024 * 1024;

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
    private constructor(private readonly pack: PackProcess, private readonly client: AnalyzerClient) {}

    get process(): PackProcess["process"] {
        return this.pack.process;
    }

    get port(): number {
        return this.pack.port;
    }

    /** Milliseconds from spawn to the port line. */
    get startupMs(): number {
        return this.pack.startupMs;
    }

    /** The last of what the pack wrote after its port line (stderr and stdout). */
    get stderr(): string {
        return this.pack.stderr;
    }

    /** Starts the pack as the Pulumi CLI does (launch.ts), then Handshake and ConfigureStack as the CLI does. */
    static async launch(options: LaunchOptions = {}): Promise<PolicyPackAnalyzer> {
        const packDir = options.packDir ?? DEFAULT_PACK_DIR;
        const pack = await PackProcess.start(options, packDir);
        const client = new AnalyzerClient(`127.0.0.1:${pack.port}`, grpc.credentials.createInsecure(), {
            "grpc.max_receive_message_length": MAX_MESSAGE,
            "grpc.max_send_message_length": MAX_MESSAGE,
        });
        const analyzer = new PolicyPackAnalyzer(pack, client);
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
        await this.pack.stop();
    }
}

export function analyzeStackRequest(resources: AnalyzerResource[]): pb.AnalyzeStackRequest {
    const req = new pb.AnalyzeStackRequest();
    req.setResourcesList(resources.map(stackResource));
    return req;
}

/** The request Analyze and Remediate take for one resource. */
export function analyzeRequest(r: AnalyzerResource): pb.AnalyzeRequest {
    return described(new pb.AnalyzeRequest(), r);
}

function stackResource(r: AnalyzerResource): pb.AnalyzerResource {
    const res = described(new pb.AnalyzerResource(), r);
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

/** The fields an Analyze request and an AnalyzeStack resource share. */
function described<M extends pb.AnalyzeRequest | pb.AnalyzerResource>(message: M, r: AnalyzerResource): M {
    message.setUrn(r.urn);
    message.setType(r.type);
    message.setName(r.name);
    message.setProperties(toStruct(r.properties));
    message.setOptions(resourceOptions(r.parent));
    if (r.provider) message.setProvider(providerResource(r.provider));
    return message;
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

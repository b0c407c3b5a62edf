/**
 * The Pulumi engine's two gRPC services as a component provider meets them during Construct: the
 * Engine (logging, root resource) and the ResourceMonitor it registers the component's resources
 * with. Resources get the same ids and outputs as under the in-process mock engine (MockAws), so a
 * construct through gRPC can be compared with the TypeScript program resource by resource.
 */
import * as grpc from "@grpc/grpc-js";
import * as pulumi from "@pulumi/pulumi";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import * as enginePb from "@pulumi/pulumi/proto/engine_pb";
import { EngineService } from "@pulumi/pulumi/proto/engine_grpc_pb";
import * as resourcePb from "@pulumi/pulumi/proto/resource_pb";
import { ResourceMonitorService } from "@pulumi/pulumi/proto/resource_grpc_pb";
import { MockAws, MockWorld } from "../../offline/mock-aws";
import type { Registration } from "../../offline/mock-engine";

/** What the mock engine records of a registration, as far as a resource monitor sees it. */
export type MonitoredRegistration = Pick<Registration, "urn" | "type" | "name" | "custom" | "parent" | "provider" | "providers" | "inputs" | "dependencies">;

type Handler = (call: { request: any }, callback: (error: Error | null, response?: unknown) => void) => void;

/** Answers a unary call with `answer`'s result, or its error. */
function unary(answer: (request: any) => unknown | Promise<unknown>): Handler {
    return (call, callback) => {
        Promise.resolve().then(() => answer(call.request)).then((response) => callback(null, response), (error: Error) => callback(error));
    };
}

export class GrpcEngine {
    readonly registrations: MonitoredRegistration[] = [];
    readonly logs: string[] = [];
    readonly aws: MockAws;
    private server = new grpc.Server();
    private port = 0;

    constructor(world: MockWorld, private readonly project: string, private readonly stack: string) {
        this.aws = new MockAws(world);
    }

    get address(): string {
        return `127.0.0.1:${this.port}`;
    }

    async start(): Promise<void> {
        this.server.addService(EngineService, {
            log: unary((req: enginePb.LogRequest) => { this.logs.push(req.getMessage()); return new Empty(); }),
            getRootResource: unary(() => new enginePb.GetRootResourceResponse().setUrn("")),
            setRootResource: unary(() => new enginePb.SetRootResourceResponse()),
        });
        this.server.addService(ResourceMonitorService, {
            getDeploymentInfo: unary(() => new resourcePb.DeploymentInfo().setSupportedfeaturesList([
                // Those of Pulumi's mock engine, so both runs serialize inputs alike.
                resourcePb.ResourceMonitorFeature.RESOURCE_MONITOR_FEATURE_SECRETS,
                resourcePb.ResourceMonitorFeature.RESOURCE_MONITOR_FEATURE_RESOURCE_REFERENCES,
                resourcePb.ResourceMonitorFeature.RESOURCE_MONITOR_FEATURE_ALIAS_SPECS,
            ])),
            supportsFeature: unary((req: resourcePb.SupportsFeatureRequest) =>
                new resourcePb.SupportsFeatureResponse().setHassupport(["secrets", "resourceReferences", "aliasSpecs"].includes(req.getId()))),
            registerResource: unary((req: resourcePb.RegisterResourceRequest) => this.register(req)),
            registerResourceOutputs: unary(() => new Empty()),
            invoke: unary((req: resourcePb.ResourceInvokeRequest) => this.invoke(req)),
        });
        this.port = await new Promise<number>((resolve, reject) =>
            this.server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, port) => (error ? reject(error) : resolve(port))));
    }

    stop(): void {
        this.server.forceShutdown();
    }

    /** The engine's URN: the parent's whole type chain, then the type. */
    private urnOf(parent: string, type: string, name: string): string {
        const qualified = parent ? `${parent.split("::")[2]}$${type}` : type;
        return `urn:pulumi:${this.stack}::${this.project}::${qualified}::${name}`;
    }

    private async register(req: resourcePb.RegisterResourceRequest): Promise<resourcePb.RegisterResourceResponse> {
        const inputs = pulumi.runtime.deserializeProperties(req.getObject() ?? new Struct());
        const urn = this.urnOf(req.getParent(), req.getType(), req.getName());
        const providers: Record<string, string> = {};
        req.getProvidersMap().forEach((ref: string, pkg: string) => { providers[pkg] = ref; });
        this.registrations.push({
            urn, type: req.getType(), name: req.getName(), custom: req.getCustom(),
            parent: req.getParent() || undefined, provider: req.getProvider() || undefined, providers,
            inputs, dependencies: req.getDependenciesList(),
        });
        const response = new resourcePb.RegisterResourceResponse().setUrn(urn);
        if (!req.getCustom()) return response;
        const { id, state } = await this.aws.newResource({
            type: req.getType(), name: req.getName(), inputs, provider: req.getProvider(), custom: true, id: req.getImportid(),
        });
        return response.setId(id ?? "").setObject(Struct.fromJavaScript(await pulumi.runtime.serializeProperties("state", state)));
    }

    private async invoke(req: resourcePb.ResourceInvokeRequest): Promise<resourcePb.ResourceInvokeResponse> {
        const result = await this.aws.call({ token: req.getTok(), inputs: pulumi.runtime.deserializeProperties(req.getArgs() ?? new Struct()), provider: req.getProvider() });
        return new resourcePb.ResourceInvokeResponse().setReturn(Struct.fromJavaScript(await pulumi.runtime.serializeProperties("invoke", result)));
    }
}

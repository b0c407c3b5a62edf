/**
 * The component package as the Pulumi engine drives it for a Python, Go, .NET, Java or YAML
 * program: the provider is started the way `pulumi package add` and the engine start it (Node
 * loads the repository's package.json `main`, given the engine's address), answers GetSchema, and
 * constructs StackStateAwsIntegration through Construct, registering its resources with a resource
 * monitor over gRPC. Those resources must be the TypeScript program's for the same inputs.
 *
 * Pulumi's own launcher (cmd/run-plugin) also type-checks the source as it loads it; this test
 * loads it transpile-only, as the CLI does (`npm run typecheck` checks the types), which takes a
 * quarter of the time.
 */
import { expect } from "chai";
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import * as pulumi from "@pulumi/pulumi";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import * as providerPb from "@pulumi/pulumi/proto/provider_pb";
import { ResourceProviderClient } from "@pulumi/pulumi/proto/provider_grpc_pb";
import { MockEngine, Registration, unwrapSecrets, valueOf } from "../../offline/mock-engine";
import { AgentInstanceProfile, StackStateAwsIntegration, StackStateAwsIntegrationArgs } from "../../components";
import { componentTypeToken } from "../../model";
import { SCHEMA_FILE } from "../../provider/component-package";
import { GrpcEngine, MonitoredRegistration } from "../helpers/grpc-engine";
import { testEngine } from "../helpers/engine";
import { TEST_WORLD } from "../helpers/world";

const ROOT = path.resolve(__dirname, "..", "..");
const PROJECT = "platform";
const STACK = "prod";
const NAME = "acme";
const EXTERNAL_ID = "9c1f0e2d-3b4a-4c5d-8e6f-7a8b9c0d1e2f";

/** Inputs a Python program would give, in the schema's names and shapes. */
const INPUTS = {
    regions: ["eu-west-1", "us-east-1"],
    mainRegion: "us-east-1",
    agentRoleArns: ["arn:aws:iam::210987654321:role/StackStateAgentRole"],
    flowLogs: { "eu-west-1": { vpcIds: ["vpc-0a1b2c3d4e5f60708"] }, "us-east-1": { allVpcs: true } },
    permissionsBoundaryArn: `arn:aws:iam::${TEST_WORLD.accountId}:policy/OrgBoundary`,
    rolePath: "/stackstate/",
    apiGatewayAccess: "published",
    tags: { team: "platform" },
} satisfies Omit<StackStateAwsIntegrationArgs, "externalId">;

/** Starts the provider as Pulumi does and resolves its port, the first line it prints. */
function startProvider(engineAddress: string): Promise<{ child: ChildProcess; port: number }> {
    const child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", ROOT, engineAddress], {
        cwd: ROOT, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, TS_NODE_PROJECT: path.join(ROOT, "tsconfig.json") },
    });
    let stdout = "";
    let stderr = "";
    child.stderr!.on("data", (chunk: Buffer) => { stderr += chunk.toString(); });
    return new Promise((resolve, reject) => {
        child.stdout!.on("data", (chunk: Buffer) => {
            stdout += chunk.toString();
            const line = stdout.split("\n");
            if (line.length > 1) resolve({ child, port: Number(line[0]) });
        });
        child.once("exit", (code) => reject(new Error(`the provider exited (${code}) before printing its port:\n${stderr}`)));
    });
}

function rpc<Req, Res>(client: ResourceProviderClient, method: "getSchema" | "construct", request: Req): Promise<Res> {
    return new Promise((resolve, reject) => {
        (client[method] as unknown as (r: Req, cb: (e: grpc.ServiceError | null, r: Res) => void) => void).call(client, request, (error, response) => (error ? reject(error) : resolve(response)));
    });
}

/** What the engine would store of a registration: everything but timing-dependent order. */
function comparable(r: Registration | MonitoredRegistration) {
    return {
        urn: r.urn, type: r.type, name: r.name, custom: r.custom, parent: r.parent, provider: r.provider,
        providers: r.providers, inputs: r.inputs, dependencies: [...r.dependencies].sort(),
    };
}

describe("component provider over gRPC", function () {
    this.timeout(300000);
    let engine: GrpcEngine;
    let provider: ChildProcess | undefined;
    let client: ResourceProviderClient;
    let schemaResponse: providerPb.GetSchemaResponse;
    let constructResponse: providerPb.ConstructResponse;

    before(async () => {
        engine = new GrpcEngine(TEST_WORLD, PROJECT, STACK);
        await engine.start();
        const started = await startProvider(engine.address);
        provider = started.child;
        client = new ResourceProviderClient(`127.0.0.1:${started.port}`, grpc.credentials.createInsecure());
        schemaResponse = await rpc(client, "getSchema", new providerPb.GetSchemaRequest());

        const inputs = await pulumi.runtime.serializeProperties("inputs", { ...INPUTS, externalId: pulumi.secret(EXTERNAL_ID) });
        const request = new providerPb.ConstructRequest()
            .setProject(PROJECT).setStack(STACK).setDryrun(false).setParallel(4)
            .setMonitorendpoint(engine.address)
            .setType(componentTypeToken("StackStateAwsIntegration")).setName(NAME)
            .setInputs(Struct.fromJavaScript(inputs));
        constructResponse = await rpc(client, "construct", request);
    });

    after(() => {
        client?.close();
        provider?.kill();
        engine?.stop();
        testEngine().install();
    });

    it("answers GetSchema with the package schema (docs/schema.json)", () => {
        expect(JSON.parse(schemaResponse.getSchema())).to.deep.equal(JSON.parse(fs.readFileSync(SCHEMA_FILE, "utf8")));
    });

    it("constructs exactly the resources the TypeScript program creates for the same inputs, and returns its outputs", async () => {
        const local = new MockEngine(TEST_WORLD, PROJECT, STACK);
        const integration = new StackStateAwsIntegration(NAME, { ...INPUTS, externalId: pulumi.secret(EXTERNAL_ID) });
        const outputs = {
            accountId: await valueOf(integration.accountId), roleArn: await valueOf(integration.roleArn),
            bucketName: await valueOf(integration.bucketName), bucketArn: await valueOf(integration.bucketArn),
            externalId: await valueOf(integration.externalId), regions: integration.regions, mainRegion: integration.mainRegion,
            streamArns: await valueOf(integration.streamArns), agentInstance: await valueOf(integration.agentInstance),
        };
        await local.settle();

        const byUrn = (a: { urn: string }, b: { urn: string }) => a.urn.localeCompare(b.urn);
        const viaGrpc = engine.registrations.map(comparable).sort(byUrn);
        const viaTypeScript = local.registrations.map(comparable).sort(byUrn);
        expect(viaGrpc.map((r) => r.urn)).to.deep.equal(viaTypeScript.map((r) => r.urn));
        expect(viaGrpc).to.deep.equal(viaTypeScript);
        // Not a trivial match: the whole account, both regions, the discovered VPC's flow log.
        expect(viaGrpc.filter((r) => r.custom)).to.have.length.greaterThan(30);
        expect(viaGrpc.filter((r) => r.type === "aws:ec2/flowLog:FlowLog").map((r) => r.inputs.vpcId)).to.have.members(["vpc-0a1b2c3d4e5f60708", ...TEST_WORLD.vpcs!["us-east-1"]]);

        const component = viaGrpc.find((r) => r.type === componentTypeToken("StackStateAwsIntegration"))!;
        expect(constructResponse.getUrn()).to.equal(component.urn);
        const state = pulumi.runtime.deserializeProperties(constructResponse.getState()!);
        expect(unwrapSecrets(state, true)).to.deep.equal(outputs);
        expect(unwrapSecrets(state, false)).to.include({ externalId: "[secret]" });
        expect(engine.logs.filter((message) => /error/i.test(message))).to.deep.equal([]);
    });

    it("constructs the other components too: AgentInstanceProfile as TypeScript creates it", async () => {
        const args = { monitoredAccountIds: ["123456789012", "444455556666"], roleName: "CollectorRole", path: "/stackstate/" };
        const before = engine.registrations.length;
        const response = await rpc<providerPb.ConstructRequest, providerPb.ConstructResponse>(client, "construct", new providerPb.ConstructRequest()
            .setProject(PROJECT).setStack(STACK).setMonitorendpoint(engine.address)
            .setType(componentTypeToken("AgentInstanceProfile")).setName("collector")
            .setInputs(Struct.fromJavaScript(args)));
        const local = new MockEngine(TEST_WORLD, PROJECT, STACK);
        const profile = new AgentInstanceProfile("collector", args);
        const roleArn = await valueOf(profile.roleArn);
        await local.settle();
        const byUrn = (a: { urn: string }, b: { urn: string }) => a.urn.localeCompare(b.urn);
        expect(engine.registrations.slice(before).map(comparable).sort(byUrn)).to.deep.equal(local.registrations.map(comparable).sort(byUrn));
        expect(pulumi.runtime.deserializeProperties(response.getState()!)).to.include({ roleArn, instanceProfileName: "CollectorRole" });
    });

    it("refuses bad inputs with the component's own message, naming each bad argument", async () => {
        const error = await rpc(client, "construct", new providerPb.ConstructRequest()
            .setProject(PROJECT).setStack(STACK).setMonitorendpoint(engine.address)
            .setType(componentTypeToken("StackStateAwsIntegration")).setName("bad")
            .setInputs(Struct.fromJavaScript({ regions: ["eu-west-1", "mars-north-1"], flowLogs: { "eu-west-1": {} } })))
            .then(() => undefined, (e: grpc.ServiceError) => e);
        expect(error?.details).to.include("Invalid arguments for StackStateAwsIntegration 'bad':\n" +
            "  - regions: must be known AWS region codes, got mars-north-1\n" +
            "  - flowLogs: [eu-west-1] must list at least one VPC id in vpcIds, or set allVpcs");
        expect(engine.registrations.filter((r) => r.name === "bad")).to.deep.equal([]);
    });
});

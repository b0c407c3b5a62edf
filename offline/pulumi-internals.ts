/**
 * Every use of Pulumi's private or internal APIs goes through this file, so an SDK upgrade that
 * moves or changes one breaks here and nowhere else. Each is used because no public API does
 * the same thing:
 *
 * - the mock monitor `pulumi.runtime.setMocks` installs (`runtime.getMonitor()`, its `newUrn` and
 *   `registerResource`): the mock engine records each registration request as the engine would
 *   receive it, and qualifies URNs with the parent's whole type chain as the engine does
 *   (offline/mock-engine.ts);
 * - `waitForRPCs` (`@pulumi/pulumi/runtime/settings`, not in its typings): waits until the
 *   registrations made inside applies are done;
 * - `runtime.deserializeProperties` and `runtime.setAllConfig`: a request's wire properties as
 *   the program's values; a stack config handed to a program run in this process;
 * - the wire format's markers (`runtime.specialSigKey`, the secret, resource and output-value
 *   signatures, `runtime.unknownValue`): the plan masks secrets, and the policy-pack host
 *   rewrites references and output values the way the engine does for an analyzer;
 * - `@pulumi/pulumi/proto/analyzer_pb` and `analyzer_grpc_pb`: the generated stubs of the
 *   `pulumirpc.Analyzer` service the policy-pack host speaks (offline/policy-pack/);
 * - `@pulumi/pulumi/cmd/run-policy-pack`: the runner the Pulumi CLI starts a Node.js pack with;
 * - `@pulumi/pulumi/provider/experimental`: the component provider host and its schema inference
 *   (provider/), loaded only when asked for (it loads the TypeScript compiler);
 * - `Error.stackTraceLimit` around an offline run: Pulumi records a stack trace on every promise
 *   it creates, for its leak report; nothing offline reads them, and under ts-node's source maps
 *   they were 85% of a plan's time.
 *
 * Left outside on purpose: the tests that stand in for the engine or a provider's client
 * (test/helpers/grpc-engine.ts, test/provider/component-provider-grpc.test.ts) use the engine, resource
 * and provider stubs directly, as test code exercising those protocols; policies/kit.ts reads
 * `@pulumi/policy/proxy` (the policy SDK's internals, in the pack's own process, which must not
 * load this engine); the programs (index.ts, collector/index.ts) read their config with
 * `pulumi.runtime.allConfig()` under the real engine, which must not load this file either.
 */
import * as pulumi from "@pulumi/pulumi";
import * as analyzerPb from "@pulumi/pulumi/proto/analyzer_pb";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import type * as ProviderExperimental from "@pulumi/pulumi/provider/experimental";

export { analyzerPb, AnalyzerClient };

/** How the engine marks special values on the wire (secrets, resource references, output values, unknowns). */
export const WIRE = {
    sigKey: pulumi.runtime.specialSigKey,
    secretSig: pulumi.runtime.specialSecretSig,
    resourceSig: pulumi.runtime.specialResourceSig,
    outputValueSig: pulumi.runtime.specialOutputValueSig,
    unknown: pulumi.runtime.unknownValue,
} as const;

/** A registration request as the mock monitor receives it (a generated `RegisterResourceRequest`). */
export interface RegisterRequest {
    getType(): string;
    getName(): string;
    getCustom(): boolean;
    getParent(): string;
    getProvider(): string;
    getProvidersMap(): { forEach(f: (ref: string, pkg: string) => void): void };
    getPropertydependenciesMap(): { forEach(f: (deps: { getUrnsList(): string[] }, key: string) => void): void };
    getObject(): unknown;
    getDependenciesList(): string[];
    getAliasesList(): WireAlias[];
}

export interface RegisterResponse {
    getUrn(): string;
    getObject(): unknown;
}

/** An alias as the SDK sends it: a URN, or a spec whose blank parts the engine fills in. */
export interface WireAlias {
    hasUrn(): boolean;
    getUrn(): string;
    getSpec(): {
        getName(): string; getType(): string; getStack(): string; getProject(): string;
        hasParenturn(): boolean; getParenturn(): string; hasNoparent(): boolean; getNoparent(): boolean;
    };
}

/** The hooks of the mock monitor the mock engine replaces. */
export interface MockMonitorHooks {
    newUrn(parent: string | undefined, type: string, name: string): string;
    registerResource(req: RegisterRequest, callback: (err: unknown, resp: RegisterResponse | undefined) => void): unknown;
}

/** Installs Pulumi's mock engine for `mocks` and returns its monitor, whose hooks the caller may replace. */
export function installMocks(mocks: pulumi.runtime.Mocks, project: string, stack: string): MockMonitorHooks {
    pulumi.runtime.setMocks(mocks, project, stack, false);
    return (pulumi.runtime as unknown as { getMonitor(): MockMonitorHooks }).getMonitor();
}

/** Waits until every registration, including those made inside applies, has completed. */
export function waitForRegistrations(): Promise<void> {
    return (require("@pulumi/pulumi/runtime/settings") as { waitForRPCs(): Promise<void> }).waitForRPCs();
}

/** Wire properties (a protobuf Struct) as the program's values; secrets stay marked. */
export function deserializeProperties(struct: unknown): Record<string, unknown> {
    return pulumi.runtime.deserializeProperties(struct as Parameters<typeof pulumi.runtime.deserializeProperties>[0]);
}

/** The config the next program run in this process reads (`project:key` → text). */
export function setProgramConfig(values: Record<string, string>, secretKeys: string[]): void {
    pulumi.runtime.setAllConfig(values, secretKeys);
}

/** Runs `work` with Pulumi's per-promise stack capture off (see the header), restoring it after. */
export async function withoutPromiseStackCapture<T>(work: () => Promise<T>): Promise<T> {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
        return await work();
    } finally {
        Error.stackTraceLimit = limit;
    }
}

/** The runner the Pulumi CLI starts a Node.js policy pack with, resolved from the pack's folder. */
export function policyPackRunner(packDir: string): string {
    return require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [packDir] });
}

export type ComponentProviderOptions = ProviderExperimental.ComponentProviderOptions;
export type ComponentProvider = ProviderExperimental.ComponentProvider;

/** The component provider API (schema inference, construct), loaded on first use. */
export function componentProviderApi(): typeof ProviderExperimental {
    return require("@pulumi/pulumi/provider/experimental") as typeof ProviderExperimental;
}

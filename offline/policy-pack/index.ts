/**
 * The policy-pack host: runs the `stackstate-aws` policy pack as the Pulumi CLI runs a Node.js
 * pack and speaks the `pulumirpc.Analyzer` protocol to it. `plan` calls `analyzeStack`; tests and
 * the benchmark use `PolicyPackAnalyzer` directly. By concern: launch.ts (the child process and
 * its watch), wire.ts (the protocol), policy-config.ts (`--policy-pack-config` against the
 * schemas), resources.ts (registrations as the engine sends them), diagnostics.ts (findings).
 */
export * from "./types";
export { DEFAULT_PACK_DIR } from "./launch";
export { PolicyPackAnalyzer, analyzeRequest, analyzeStackRequest } from "./wire";
export { resolvePolicyConfig } from "./policy-config";
export { analyzerResources, engineProperties } from "./resources";
export { analyzeStack } from "./analyze";
export type { AnalyzeOptions } from "./analyze";

/**
 * verify over 17 regions vs 1: `npx ts-node --transpile-only bench/verify.ts`.
 * Target: 17 regions take at most twice as long as 1 (regions run concurrently).
 *
 * Three passes over the same 17-region account built in moto:
 * 1. raw moto: one Python process answers every call, so 17 regions cost 17 times its CPU, which
 *    no client-side concurrency can hide;
 * 2. moto plus a fixed delay before every request, standing for the network round trip real AWS
 *    calls cost (tens of milliseconds each; `BENCH_LATENCY_MS`, default 60);
 * 3. the same delay, with every answer replayed from a recording of pass 1: AWS serves regions in
 *    parallel, and this pass shows what the CLI's own concurrency achieves without the emulator's
 *    single CPU in the way. The target is judged on this pass.
 * As in the tests, AssumeRole and the policy simulator (which moto cannot emulate) are answered
 * by aws-sdk-client-mock.
 */
import { performance } from "node:perf_hooks";
import { REGIONS_BY_PARTITION } from "../model";
import { ClientFactory } from "../cli/aws/clients";
import { parseVerifyFlags } from "../cli/verify/options";
import { runVerify } from "../cli/verify/run";
import { motoClients, motoEndpoint, MOTO_ACCOUNT_ID, resetMoto, stopMoto } from "../test/helpers/moto";
import { buildWorld, WORLD_EXTERNAL_ID } from "../test/helpers/aws-world";
import { emulateTrust, fakeSimulator } from "../test/helpers/aws-fakes";
import { instrumented, Mode, networkPasses, Recording } from "./network";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
const REGIONS = REGIONS_BY_PARTITION.aws.filter((r) => r.startsWith("eu-") || r.startsWith("us-") || r.startsWith("ap-")).slice(0, 17);
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 60);
const RUNS = 3;

async function timeVerify(clients: ClientFactory, regions: string[], roleArn: string): Promise<number> {
    const input = parseVerifyFlags({ roleArn, externalId: WORLD_EXTERNAL_ID, regions: regions.join(","), concurrency: process.env.BENCH_CONCURRENCY });
    const times: number[] = [];
    for (let run = 0; run < RUNS; run++) {
        const start = performance.now();
        const results = await runVerify(input, { clients });
        times.push(performance.now() - start);
        const bad = results.filter((r) => r.status !== "pass");
        if (bad.length > 0) throw new Error(`the bench world should pass: ${JSON.stringify(bad)}`);
    }
    return Math.min(...times);
}

async function main(): Promise<void> {
    if (REGIONS.length !== 17) throw new Error(`expected 17 regions, found ${REGIONS.length}`);
    const endpoint = await motoEndpoint();
    await resetMoto();
    const clients = motoClients(endpoint);
    const buildStart = performance.now();
    const world = await buildWorld(clients, { regions: REGIONS, externalId: WORLD_EXTERNAL_ID, agentAccountId: MOTO_ACCOUNT_ID });
    console.log(`built a 17-region account in moto in ${((performance.now() - buildStart) / 1000).toFixed(1)} s`);
    emulateTrust(clients(world.mainRegion).sts, (id) => id === WORLD_EXTERNAL_ID);
    fakeSimulator(clients(world.mainRegion).iam);

    const recording: Recording = new Map();
    let mode: Mode = { latencyMs: 0, record: recording };
    const factory = instrumented(clients, () => mode);
    const passes = networkPasses(recording, LATENCY_MS);
    let ratio = Infinity;
    for (const [label, passMode] of passes) {
        mode = passMode;
        const one = await timeVerify(factory, REGIONS.slice(0, 1), world.roleArn);
        const all = await timeVerify(factory, REGIONS, world.roleArn);
        ratio = all / one;
        console.log(`${label}: 1 region ${one.toFixed(0)} ms, 17 regions ${all.toFixed(0)} ms: ${ratio.toFixed(2)}x (best of ${RUNS})`);
    }
    console.log(`target: 17 regions <= 2x one region, judged on the last pass: ${ratio <= 2 ? "met" : "NOT met"}`);
    const pass = ratio <= 2;
    clients.destroy();
    await stopMoto();
    process.exitCode = pass ? 0 : 1;
}

main().catch(async (error) => {
    console.error(error);
    await stopMoto();
    process.exitCode = 1;
});

/**
 * verify over 20 accounts x 2 regions vs 1 account: `node -r ts-node/register/transpile-only bench/verify-accounts.ts`.
 * Target: the 20 accounts take at most 4x the wall time of one (accounts run concurrently,
 * `--account-concurrency`, default DEFAULT_ACCOUNT_CONCURRENCY; BENCH_ACCOUNT_CONCURRENCY overrides).
 *
 * 20 accounts are built in moto, each through AssumeRole into it. As bench/verify.ts does, three
 * passes: raw moto (one Python process serialises every account's calls), moto plus a fixed
 * latency per request (`BENCH_LATENCY_MS`, default 60), and recorded answers plus that latency,
 * on which the target is judged. Each account's clients sign with credentials from AssumeRole
 * into it; AssumeRole probes and the policy simulator are answered by aws-sdk-client-mock.
 */
import { performance } from "node:perf_hooks";
import { ClientFactory, sdkClientFactory } from "../cli/aws/clients";
import { assumedRoleCredentials, CredentialsProvider } from "../cli/org/assume";
import { AccountsVerifyInput, DEFAULT_ACCOUNT_CONCURRENCY, runAccountsVerify } from "../cli/verify/accounts";
import { parseRoleArn, RoleArn } from "../cli/aws/input";
import { iamRoleArn, INTEGRATION_ROLE_NAME } from "../model";
import { MOTO_CREDENTIALS, motoEndpoint, resetMoto, stopMoto } from "../test/helpers/moto";
import { buildWorld, WORLD_EXTERNAL_ID } from "../test/helpers/aws-world";
import { emulateTrust, fakeSimulator } from "../test/helpers/aws-fakes";
import { instrumented, Mode, networkPasses, Recording } from "./network";
import { DEFAULT_TIMEOUT_SECONDS } from "../cli/aws/timeouts";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
const REGIONS = ["eu-west-1", "us-east-1"];
const ACCOUNTS = Array.from({ length: 20 }, (_, i) => String(200000000000 + i));
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 60);
const CONCURRENCY = Number(process.env.BENCH_ACCOUNT_CONCURRENCY ?? DEFAULT_ACCOUNT_CONCURRENCY);
const TARGET = 4;
const deployRole = (id: string) => `arn:aws:iam::${id}:role/OrganizationAccountAccessRole`;

function input(accounts: string[]): AccountsVerifyInput {
    return {
        targets: accounts.map((accountId) => {
            const roleArn = iamRoleArn("aws", accountId, INTEGRATION_ROLE_NAME);
            return {
                accountId, regions: REGIONS, mainRegion: REGIONS[0], partition: "aws" as const, roleArn,
                externalId: WORLD_EXTERNAL_ID, accessRoleArn: deployRole(accountId), role: parseRoleArn("role", roleArn).value as RoleArn,
            };
        }),
        assumeIntegrationRole: false,
        regionConcurrency: 8,
        accountConcurrency: CONCURRENCY,
        timeoutSeconds: DEFAULT_TIMEOUT_SECONDS,
    };
}

async function main(): Promise<void> {
    const endpoint = await motoEndpoint();
    await resetMoto();
    const base = sdkClientFactory({ endpoint, credentials: MOTO_CREDENTIALS });
    const buildStart = performance.now();
    for (const id of ACCOUNTS) {
        const clients = sdkClientFactory({ endpoint, credentials: assumedRoleCredentials(base(REGIONS[0]).sts, deployRole(id), "bench") });
        await buildWorld(clients, { accountId: id, regions: REGIONS, externalId: WORLD_EXTERNAL_ID, agentAccountId: id });
        clients.destroy();
    }
    console.log(`built ${ACCOUNTS.length} accounts x ${REGIONS.length} regions in moto in ${((performance.now() - buildStart) / 1000).toFixed(1)} s`);

    const recording: Recording = new Map();
    let mode: Mode = { latencyMs: 0 };
    const opened: { destroy(): void }[] = [];
    const clientsWith = (credentials: CredentialsProvider, accountId: string): ClientFactory => {
        const raw = sdkClientFactory({ endpoint, credentials });
        opened.push(raw);
        emulateTrust(raw(REGIONS[0]).sts, (id) => id === WORLD_EXTERNAL_ID);
        fakeSimulator(raw(REGIONS[0]).iam);
        return instrumented(raw, () => mode, accountId);
    };
    const baseTimed = instrumented(base, () => mode, "caller");
    const time = async (accounts: string[]): Promise<number> => {
        const start = performance.now();
        const verdicts = await runAccountsVerify(input(accounts), { base: baseTimed, clientsWith });
        const elapsed = performance.now() - start;
        const bad = verdicts.filter((v) => v.status !== "pass");
        if (bad.length > 0) throw new Error(`the bench accounts should pass: ${JSON.stringify(bad.map((b) => b.checks.filter((c) => c.status !== "pass")))}`);
        return elapsed;
    };
    const passes = networkPasses(recording, LATENCY_MS);
    let ratio = Infinity;
    for (const [label, passMode] of passes) {
        mode = passMode;
        const one = Math.min(await time(ACCOUNTS.slice(0, 1)), await time(ACCOUNTS.slice(0, 1)));
        const all = await time(ACCOUNTS);
        ratio = all / one;
        console.log(`${label}: 1 account ${one.toFixed(0)} ms, ${ACCOUNTS.length} accounts ${all.toFixed(0)} ms: ${ratio.toFixed(2)}x (${CONCURRENCY} accounts at once)`);
    }
    console.log(`target: ${ACCOUNTS.length} accounts <= ${TARGET}x one account, judged on the last pass: ${ratio <= TARGET ? "met" : "NOT met"}`);
    for (const c of opened) c.destroy();
    base.destroy();
    await stopMoto();
    process.exitCode = ratio <= TARGET ? 0 : 1;
}

main().catch(async (error) => {
    console.error(error);
    await stopMoto();
    process.exitCode = 1;
});

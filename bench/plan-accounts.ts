/**
 * Planning one stack of many accounts: `node -r ts-node/register/transpile-only bench/plan-accounts.ts`.
 * Targets: 50 accounts x 3 regions in one stack plan in <= 30 s, and linearly: the time per
 * account stays within 1.5x a warm single-account plan of the same 3 regions.
 *
 * Times `planStack` (the program under Pulumi's mock engine) in one process; the policy pack is
 * measured by bench/policy.ts.
 */
import { performance } from "perf_hooks";
import { planStack } from "../offline/plan-engine";

const REGIONS = ["eu-west-1", "us-east-1", "ap-southeast-2"];
const ACCOUNTS = 50;
const TOTAL_TARGET_MS = 30_000;
const LINEARITY_TARGET = 1.5;
const AGENT_ROLE = "arn:aws:iam::210987654321:role/StackStateAgentRole";
const accountId = (i: number) => String(100000000000 + i);

const common = {
    "aws:region": REGIONS[0],
    "stackstate-aws:regions": REGIONS,
    "stackstate-aws:agentRoleArns": [AGENT_ROLE],
    "stackstate-aws:permissionsBoundaryArn": "arn:aws:iam::aws:policy/ReadOnlyAccess",
    "stackstate-aws:tags": { team: "observability" },
};

async function plan(stackName: string, config: Record<string, unknown>): Promise<{ ms: number; resources: number }> {
    const start = performance.now();
    const result = await planStack({ stackName, config });
    if (!result.ok) throw new Error(JSON.stringify(result.configProblems));
    return { ms: performance.now() - start, resources: result.resources.length };
}

async function main(): Promise<void> {
    const single = (i: number) => plan(`single-${i}`, { ...common, "stackstate-aws:accountId": accountId(i) });
    await single(0); // loads Pulumi, @pulumi/aws and the program
    const warm = [await single(1), await single(2), await single(3)];
    const singleMs = Math.min(...warm.map((w) => w.ms));
    console.log(`1 account x ${REGIONS.length} regions: ${warm[0].resources} resources in ${singleMs.toFixed(0)} ms (warm, best of 3)`);

    const accounts = Array.from({ length: ACCOUNTS }, (_, i) => ({ accountId: accountId(1000 + i) }));
    const many = await plan("organization", { ...common, "stackstate-aws:accounts": accounts });
    const perAccount = many.ms / ACCOUNTS;
    const ratio = perAccount / singleMs;
    console.log(`${ACCOUNTS} accounts x ${REGIONS.length} regions in one stack: ${many.resources} resources in ${(many.ms / 1000).toFixed(1)} s ` +
        `(target <= ${TOTAL_TARGET_MS / 1000} s), ${perAccount.toFixed(0)} ms per account: ${ratio.toFixed(2)}x the single account (target <= ${LINEARITY_TARGET}x)`);
    console.log(`heap used: ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MiB`);
    const met = many.ms <= TOTAL_TARGET_MS && ratio <= LINEARITY_TARGET;
    console.log(met ? "targets met" : "TARGET MISSED");
    process.exitCode = met ? 0 : 1;
}

main().catch((error) => {
    console.error(error);
    process.exitCode = 1;
});

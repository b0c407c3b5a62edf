/**
 * Planning the monitored-account program offline: `node -r ts-node/register/transpile-only bench/plan.ts`.
 * Targets: one account with 17 regions plans in <= 1.5 s, both the first plan of a process (which
 * loads Pulumi, @pulumi/aws and the program) and a warm one; 100 such accounts grow linearly (the
 * per-account time of the 100 stays within 1.5x the single warm account's).
 *
 * Times `planStack`, the program under Pulumi's mock engine, in one process, as a CI matrix job or
 * an Automation API driver would run many stacks. Not timed: starting Node itself, and the policy
 * pack, which bench/policy.ts measures.
 */
import { performance } from "perf_hooks";
import { planStack } from "../offline/plan-engine";
import { REGIONS_BY_PARTITION } from "../model";

const REGIONS = REGIONS_BY_PARTITION.aws.slice(0, 17);
const ACCOUNTS = 100;
const SINGLE_TARGET_MS = 1500;
const LINEARITY_TARGET = 1.5;

function stackConfig(account: number): Record<string, unknown> {
    return {
        "aws:region": REGIONS[0],
        "stackstate-aws:accountId": String(100000000000 + account),
        "stackstate-aws:regions": REGIONS,
        "stackstate-aws:agentRoleArns": ["arn:aws:iam::210987654321:role/StackStateAgentRole"],
        "stackstate-aws:permissionsBoundaryArn": "arn:aws:iam::aws:policy/ReadOnlyAccess",
        "stackstate-aws:flowLogs": { [REGIONS[0]]: ["vpc-0a1b2c3d4e5f60708"] },
        "stackstate-aws:tags": { team: "observability" },
    };
}

async function planAccount(account: number): Promise<number> {
    const result = await planStack({ stackName: `account-${account}`, config: stackConfig(account) });
    if (!result.ok) throw new Error(JSON.stringify(result.configProblems));
    return result.resources.length;
}

async function main(): Promise<void> {
    const firstStart = performance.now();
    await planAccount(0);
    const firstMs = performance.now() - firstStart;
    console.log(`first plan, including loading Pulumi and the program: ${firstMs.toFixed(0)} ms (target <= ${SINGLE_TARGET_MS} ms)`);

    const singleStart = performance.now();
    const resources = await planAccount(1);
    const singleMs = performance.now() - singleStart;
    console.log(`1 account x ${REGIONS.length} regions: ${resources} resources in ${singleMs.toFixed(0)} ms, ` +
        `${(resources / (singleMs / 1000)).toFixed(0)} resources/s (target <= ${SINGLE_TARGET_MS} ms)`);

    const manyStart = performance.now();
    let total = 0;
    for (let account = 2; account < 2 + ACCOUNTS; account++) {
        total += await planAccount(account);
        if ((account - 1) % 25 === 0) process.stderr.write(`  ${account - 1}/${ACCOUNTS} accounts planned\n`);
    }
    const manyMs = performance.now() - manyStart;
    const perAccount = manyMs / ACCOUNTS;
    console.log(`${ACCOUNTS} accounts x ${REGIONS.length} regions: ${total} resources in ${(manyMs / 1000).toFixed(1)} s, ` +
        `${(total / (manyMs / 1000)).toFixed(0)} resources/s, ${perAccount.toFixed(0)} ms per account ` +
        `(${(perAccount / singleMs).toFixed(2)}x the single account; target <= ${LINEARITY_TARGET}x)`);
    console.log(`heap used after ${ACCOUNTS + 2} plans: ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MiB`);

    const met = firstMs <= SINGLE_TARGET_MS && singleMs <= SINGLE_TARGET_MS && perAccount / singleMs <= LINEARITY_TARGET;
    console.log(met ? "targets met" : "TARGET MISSED");
    process.exitCode = met ? 0 : 1;
}

main().catch((error) => {
    console.error(error);
    process.exitCode = 1;
});

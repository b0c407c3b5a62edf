/**
 * Rendering the aws_topology configuration at scale: `node -r ts-node/register/transpile-only bench/agent-config.ts`.
 * Target: 1,000 accounts in 100 ExternalId groups render and validate in under a second (median of
 * warm runs; the first run, which includes compiling the schemas and JIT warm-up, is shown too).
 */
import { performance } from "perf_hooks";
import { renderAgentConfig, MonitoredAccount } from "../model/agent-config";

const ACCOUNTS = 1000;
const GROUPS = 100;
const RUNS = 7;
const TARGET_MS = 1000;
const accounts: MonitoredAccount[] = Array.from({ length: ACCOUNTS }, (_, i) => ({
    roleArn: `arn:aws:iam::${String(100000000000 + i)}:role/StackStateAwsIntegrationRole`,
    externalId: `external-id-of-group-${String(i % GROUPS).padStart(4, "0")}`,
    regions: ["eu-west-1", "us-east-1", "eu-central-1"],
}));

const times: number[] = [];
let files = renderAgentConfig(accounts.slice(0, 1));
for (let run = 0; run < RUNS; run++) {
    const start = performance.now();
    files = renderAgentConfig(accounts);
    times.push(performance.now() - start);
}
const [first, ...warm] = times;
const median = [...warm].sort((a, b) => a - b)[Math.floor(warm.length / 2)];
const bytes = files.reduce((n, f) => n + f.content.length, 0);
console.log(`${ACCOUNTS} accounts, ${files.length} files, ${bytes} bytes: first run ${first.toFixed(0)} ms, median of ${warm.length} warm runs ${median.toFixed(0)} ms (target < ${TARGET_MS} ms)`);
process.exitCode = median < TARGET_MS ? 0 : 1;

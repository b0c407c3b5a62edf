/**
 * Rendering the aws_topology configuration at scale: `node -r ts-node/register/transpile-only bench/agent-config.ts`.
 * Target: 1,000 accounts in 100 ExternalId groups render and validate in under a second.
 */
import { performance } from "perf_hooks";
import { renderAgentConfig, MonitoredAccount } from "../model/agent-config";

const ACCOUNTS = 1000;
const GROUPS = 100;
const accounts: MonitoredAccount[] = Array.from({ length: ACCOUNTS }, (_, i) => ({
    roleArn: `arn:aws:iam::${String(100000000000 + i)}:role/StackStateAwsIntegrationRole`,
    externalId: `external-id-of-group-${String(i % GROUPS).padStart(4, "0")}`,
    regions: ["eu-west-1", "us-east-1", "eu-central-1"],
}));

renderAgentConfig(accounts.slice(0, 10)); // warm up the schema compilers
const start = performance.now();
const files = renderAgentConfig(accounts);
const ms = performance.now() - start;
console.log(`${ACCOUNTS} accounts, ${files.length} files, ${files.reduce((n, f) => n + f.content.length, 0)} bytes: ${ms.toFixed(0)} ms (target < 1000 ms)`);
process.exitCode = ms < 1000 ? 0 : 1;

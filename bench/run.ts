/**
 * Runs the benchmarks one after another, each in its own process (they measure start-up and
 * memory, so they must not share one): `npm run bench`, or `npm run bench -- plan policy`.
 * Each benchmark prints its numbers and sets a non-zero exit code when it misses its target.
 */
import { spawnSync } from "child_process";
import * as path from "path";

const BENCHMARKS = ["plan", "plan-accounts", "policy", "verify", "verify-accounts", "teardown", "agent-config"];

const asked = process.argv.slice(2);
const unknown = asked.filter((name) => !BENCHMARKS.includes(name));
if (unknown.length > 0) {
    console.error(`unknown benchmark: ${unknown.join(", ")}. Known: ${BENCHMARKS.join(", ")}.`);
    process.exit(2);
}

const results: [string, string][] = [];
for (const name of asked.length > 0 ? asked : BENCHMARKS) {
    console.log(`\n=== bench/${name}.ts`);
    const run = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", path.join(__dirname, `${name}.ts`)], {
        stdio: "inherit",
        cwd: path.join(__dirname, ".."),
    });
    results.push([name, run.status === 0 ? "target met" : `TARGET MISSED or failed (exit ${run.status ?? run.signal})`]);
}
console.log("\n=== summary");
for (const [name, verdict] of results) console.log(`${name.padEnd(14)} ${verdict}`);
process.exitCode = results.every(([, verdict]) => verdict === "target met") ? 0 : 1;

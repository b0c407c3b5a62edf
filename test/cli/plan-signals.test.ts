/**
 * A cancelled `plan` (a CI cancel sends SIGINT or SIGTERM; a hard one SIGKILL) takes its policy-pack
 * process with it. The pack is found as the plan's child in /proc, then the plan is signalled.
 */
import { expect } from "chai";
import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

const ROOT = path.resolve(__dirname, "..", "..");
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Pids whose parent is `ppid` and whose command line mentions `marker`. */
function childrenOf(ppid: number, marker: string): number[] {
    const found: number[] = [];
    for (const entry of readdirSync("/proc")) {
        if (!/^\d+$/.test(entry)) continue;
        try {
            const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
            const parent = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
            if (parent === ppid && readFileSync(`/proc/${entry}/cmdline`, "utf8").includes(marker)) found.push(Number(entry));
        } catch {
            // gone meanwhile
        }
    }
    return found;
}

/** Running: exists and is not a zombie (an exited child nobody has reaped yet). */
function running(pid: number): boolean {
    try {
        const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
        return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
    } catch {
        return false;
    }
}

async function until(condition: () => boolean, ms: number): Promise<boolean> {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
        if (condition()) return true;
        await sleep(100);
    }
    return condition();
}

describe("plan: the policy pack dies with it", function () {
    this.timeout(120_000);

    // SIGINT takes the same path as SIGTERM (child-processes.ts); SIGKILL the parent watch.
    for (const signal of ["SIGTERM", "SIGKILL"] as const) {
        it(`${signal} to plan ends the pack process too`, async () => {
            const plan = spawn(process.execPath, [path.join(ROOT, "bin/stackstate-aws.js"), "plan"], { cwd: ROOT, stdio: ["ignore", "ignore", "ignore"] });
            const exited = new Promise<NodeJS.Signals | null>((resolve) => plan.once("exit", (_code, sig) => resolve(sig)));
            let pack: number[] = [];
            try {
                expect(await until(() => (pack = childrenOf(plan.pid as number, "run-policy-pack")).length > 0, 90_000), "the pack started").to.equal(true);
                plan.kill(signal);
                expect(await exited).to.equal(signal);
                // SIGKILL leaves the pack to notice on its own: it checks every 0.5 s, but only between
                // the synchronous steps of its start (Pulumi's runner type-checks the pack), which on
                // a loaded machine take tens of seconds.
                expect(await until(() => !running(pack[0]), 60_000), `pack ${pack[0]} still running`).to.equal(true);
            } finally {
                plan.kill("SIGKILL");
                for (const pid of pack) if (running(pid)) process.kill(pid, "SIGKILL");
            }
        });
    }
});

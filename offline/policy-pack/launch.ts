/**
 * Starts a policy pack exactly as the Pulumi CLI starts a Node.js pack
 * (pulumi/sdk/go/common/resource/plugin/analyzer_plugin.go and policy.go), and stops it:
 * in the pack folder, `node <@pulumi/pulumi/cmd/run-policy-pack resolved from there> <engine> .`,
 * with the CLI's environment plus PULUMI_CONFIG and PULUMI_NODEJS_{ORGANIZATION,PROJECT,STACK,DRY_RUN}
 * and PULUMI_{…}; the pack prints its gRPC port as the first line of stdout.
 *
 * The engine address: `run-policy-pack` drops its first argument (`argv._.shift()`) and a policy
 * pack only talks to an engine named by PULUMI_NODEJS_ENGINE, which the CLI does not set for packs.
 * Nothing ever dials it, so we pass a well-formed address on which nothing listens and strip the
 * engine and monitor variables from the inherited environment.
 */
import { ChildProcess, spawn } from "child_process";
import * as path from "path";
import { PolicyPackError } from "../errors";
import { policyPackRunner } from "../pulumi-internals";
import { endWithParent, PARENT_PID_ENV, PARENT_WATCH_ARGS } from "./child-processes";
import type { LaunchOptions } from "./types";

export const DEFAULT_PACK_DIR = path.resolve(__dirname, "..", "..", "policies");
/** Nothing listens here; see the module comment for why nothing needs to. */
export const UNUSED_ENGINE_ADDRESS = "127.0.0.1:1";
const OUTPUT_KEPT = 64 * 1024;

/** A running pack process: its port, and the tail of what it wrote. Always `stop()` it. */
export class PackProcess {
    private output: string;
    private readonly exited: Promise<void>;

    private constructor(
        readonly process: ChildProcess,
        readonly port: number,
        /** Milliseconds from spawn to the port line. */
        readonly startupMs: number,
        outputSoFar: string,
    ) {
        this.output = outputSoFar;
        // Keep both pipes drained (a full pipe would block the pack); keep the tail of what it says.
        const keep = (chunk: Buffer) => { this.output = (this.output + chunk.toString()).slice(-OUTPUT_KEPT); };
        process.stderr?.on("data", keep);
        process.stdout?.on("data", keep);
        this.exited = new Promise((resolve) => {
            if (process.exitCode !== null || process.signalCode !== null) resolve();
            else process.once("exit", () => resolve());
        });
    }

    /** The last of what the pack wrote after its port line (stderr and stdout). */
    get stderr(): string {
        return this.output;
    }

    /** Spawns the pack and waits for its port line; a pack that does not print one is killed. */
    static async start(options: LaunchOptions, packDir: string): Promise<PackProcess> {
        const runner = policyPackRunner(packDir);
        const env = packEnvironment(options);
        const started = Date.now();
        // The parent watch is the one addition to the CLI's launch: the pack must not outlive us.
        const child = spawn(process.execPath, [...PARENT_WATCH_ARGS, runner, UNUSED_ENGINE_ADDRESS, "."], {
            cwd: packDir, env: { ...env, [PARENT_PID_ENV]: String(process.pid) }, stdio: ["ignore", "pipe", "pipe"],
        });
        endWithParent(child);
        let stderr = "";
        const onErr = (chunk: Buffer) => { stderr += chunk.toString(); };
        child.stderr!.on("data", onErr);
        let port: number;
        try {
            port = await readPort(child, options.startTimeoutMs ?? 60_000, () => stderr);
        } catch (error) {
            child.kill("SIGKILL");
            throw error;
        }
        child.stderr!.off("data", onErr);
        return new PackProcess(child, port, Date.now() - started, stderr);
    }

    /** Stops the pack process (SIGTERM, then SIGKILL after 2 s). */
    async stop(): Promise<void> {
        if (this.process.exitCode === null && this.process.signalCode === null) {
            this.process.kill("SIGTERM");
            const timer = setTimeout(() => this.process.kill("SIGKILL"), 2000);
            await this.exited;
            clearTimeout(timer);
        }
    }
}

/** The CLI's environment for a Node.js pack: ours, minus engine wiring, plus the stack's identity. */
function packEnvironment(options: LaunchOptions): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { ...(options.env ?? process.env) };
    delete env.PULUMI_NODEJS_ENGINE;
    delete env.PULUMI_NODEJS_MONITOR;
    const set = (key: string, value: string | undefined) => { if (value) env[key] = value; };
    if (options.stackConfig && Object.keys(options.stackConfig).length > 0) set("PULUMI_CONFIG", JSON.stringify(options.stackConfig));
    const dryRun = String(options.dryRun ?? true);
    for (const prefix of ["PULUMI_NODEJS_", "PULUMI_"]) {
        set(`${prefix}ORGANIZATION`, options.organization);
        set(`${prefix}PROJECT`, options.project);
        set(`${prefix}STACK`, options.stack);
        set(`${prefix}DRY_RUN`, dryRun);
    }
    return env;
}

function readPort(child: ChildProcess, timeoutMs: number, stderr: () => string): Promise<number> {
    return new Promise((resolve, reject) => {
        let out = "";
        const fail = (why: string) => {
            cleanup();
            reject(new PolicyPackError(`The policy pack did not start: ${why}.${stderr().trim() ? `\n${stderr().trim()}` : ""}`));
        };
        const onData = (chunk: Buffer) => {
            out += chunk.toString();
            const newline = out.indexOf("\n");
            if (newline < 0) return;
            const line = out.slice(0, newline).trim();
            cleanup();
            const port = Number(line);
            if (Number.isInteger(port) && port > 0) resolve(port);
            else reject(new PolicyPackError(`The policy pack printed '${line}' instead of its port.\n${stderr().trim()}`));
        };
        const onExit = (code: number | null, signal: string | null) => fail(`it exited with ${code ?? signal} before printing its port`);
        const timer = setTimeout(() => fail(`no port within ${timeoutMs} ms`), timeoutMs);
        const cleanup = () => {
            clearTimeout(timer);
            child.stdout!.off("data", onData);
            child.off("exit", onExit);
        };
        child.stdout!.on("data", onData);
        child.once("exit", onExit);
    });
}

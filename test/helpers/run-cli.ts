/** Runs the real `stackstate-aws` binary in a child process and collects what it printed. */
import { spawn } from "node:child_process";
import path from "node:path";

export interface CliRun {
    code: number | null;
    stdout: string;
    stderr: string;
}

const ROOT = path.resolve(__dirname, "../..");

export interface RunOptions {
    env?: NodeJS.ProcessEnv;
    preload?: string;
    stdin?: string;
    /** Kill the process (SIGKILL) as soon as its stderr contains this text. */
    killWhenStderrHas?: string;
}

export function runCli(args: string[], options: RunOptions = {}): Promise<CliRun & { killed: boolean }> {
    const preload = options.preload ? ["-r", "ts-node/register/transpile-only", "-r", path.join(ROOT, options.preload)] : [];
    const child = spawn(process.execPath, [...preload, path.join(ROOT, "bin/stackstate-aws.js"), ...args], {
        cwd: ROOT,
        env: options.env ?? process.env,
        stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => { stdout += chunk.toString(); });
    let killed = false;
    child.stderr.on("data", (chunk: Buffer) => {
        stderr += chunk.toString();
        if (options.killWhenStderrHas && !killed && stderr.includes(options.killWhenStderrHas)) {
            killed = child.kill("SIGKILL");
        }
    });
    child.stdin.end(options.stdin ?? "");
    return new Promise((resolve, reject) => {
        child.once("error", reject);
        child.once("close", (code) => resolve({ code, stdout, stderr, killed }));
    });
}

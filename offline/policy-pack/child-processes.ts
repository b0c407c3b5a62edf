/**
 * Child processes die with this one. A CI cancel sends SIGINT or SIGTERM: Node's default is to
 * exit at once, leaving a child (the policy pack) running. While a child is registered, those
 * signals first stop every registered child, then end this process by the same signal (so its
 * exit status still says "killed by SIGTERM"). A SIGKILL cannot be caught: for that, the child
 * runs `parent-watch.js`, which ends it when its parent is gone.
 */
import { ChildProcess } from "child_process";
import * as path from "path";

/** Node flags that make a child watch its parent (see parent-watch.js). */
export const PARENT_WATCH_ARGS: readonly string[] = ["--require", path.join(__dirname, "parent-watch.js")];
/** The variable parent-watch.js reads: the pid whose death ends the child. */
export const PARENT_PID_ENV = "STACKSTATE_AWS_PARENT_PID";

const SIGNALS: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];
const children = new Set<ChildProcess>();

const stopAll = (signal: NodeJS.Signals) => {
    for (const child of children) {
        if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    }
};
const onExit = () => stopAll("SIGKILL");
const onSignal = (signal: NodeJS.Signals) => {
    stopAll("SIGTERM");
    unhook();
    process.kill(process.pid, signal);
};

function hook(): void {
    for (const signal of SIGNALS) process.on(signal, onSignal);
    process.on("exit", onExit);
}

function unhook(): void {
    for (const signal of SIGNALS) process.off(signal, onSignal);
    process.off("exit", onExit);
}

/** Registers `child` until it exits; returns the function that unregisters it sooner. */
export function endWithParent(child: ChildProcess): () => void {
    if (children.size === 0) hook();
    children.add(child);
    const release = () => {
        if (!children.delete(child)) return;
        if (children.size === 0) unhook();
    };
    child.once("exit", release);
    return release;
}

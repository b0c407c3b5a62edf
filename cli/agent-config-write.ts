/**
 * Writes `agent-config`'s files into `--out DIR` so that the Agent never reads a half-written
 * file and a refusal changes nothing: everything that could refuse is checked first, each file is
 * written beside its target and renamed over it, and files rendered earlier that are no longer
 * wanted are named (removed only when asked).
 */
import { randomBytes } from "crypto";
import { constants, promises as fs, Stats } from "fs";
import * as path from "path";
import { UsageError } from "./exit-codes";
import { AGENT_CONFIG_MARKER, AgentConfigFile, isRenderedFileName } from "../model/agent-config";

/** The files contain ExternalIds: a new file is readable by its owner only. */
const FILE_MODE = 0o600;
/** A file rewritten keeps its owner, group and mode (e.g. the Agent's group may read it), but never access for others. */
const NO_ACCESS_FOR_OTHERS = 0o770;

export interface WriteResult {
    /** Where each file was written, in the order given. */
    written: string[];
    /** Files this package rendered into DIR earlier that the accounts no longer need. */
    stale: string[];
    /** The stale files removed (with removeStale). */
    removed: string[];
}

interface Target {
    file: AgentConfigFile;
    target: string;
    existing?: Stats;
}

const them = (paths: string[]) => (paths.length > 1 ? "them" : "it");

async function startsWithMarker(file: string): Promise<boolean> {
    const handle = await fs.open(file, "r");
    try {
        const buffer = Buffer.alloc(AGENT_CONFIG_MARKER.length);
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
        return buffer.subarray(0, bytesRead).toString("utf8") === AGENT_CONFIG_MARKER;
    } finally {
        await handle.close();
    }
}

/** Why dir cannot take new files, or undefined; a missing dir is judged by the nearest existing parent. */
async function unwritable(dir: string): Promise<string | undefined> {
    let probe = path.resolve(dir);
    for (;;) {
        const stat = await fs.stat(probe).catch(() => undefined);
        if (stat) {
            if (!stat.isDirectory()) return probe === path.resolve(dir) ? "is not a directory" : `cannot be created: ${probe} is not a directory`;
            const ok = await fs.access(probe, constants.W_OK | constants.X_OK).then(() => true, () => false);
            if (ok) return undefined;
            return probe === path.resolve(dir) ? "is not writable by this user" : `cannot be created: ${probe} is not writable by this user`;
        }
        const parent = path.dirname(probe);
        if (parent === probe) return "cannot be created";
        probe = parent;
    }
}

/** Files in dir with this renderer's names and marker that are not among the targets. */
async function staleFiles(dir: string, targets: Target[]): Promise<string[]> {
    const wanted = new Set(targets.map((t) => t.file.fileName));
    const names = await fs.readdir(dir).catch(() => [] as string[]);
    const stale: string[] = [];
    for (const name of names.filter((n) => isRenderedFileName(n) && !wanted.has(n)).sort()) {
        const file = path.join(dir, name);
        const stat = await fs.lstat(file).catch(() => undefined);
        if (stat?.isFile() && (await startsWithMarker(file).catch(() => false))) stale.push(file);
    }
    return stale;
}

/** Every reason to refuse, before anything is written. */
async function refusals(dir: string, targets: Target[]): Promise<string[]> {
    const why = await unwritable(dir);
    if (why) return [`--out ${dir} ${why}`];
    const foreign: string[] = [];
    const special: string[] = [];
    const unreadable: string[] = [];
    for (const { target, existing } of targets) {
        if (existing === undefined) continue;
        if (!existing.isFile()) special.push(target);
        else {
            const ours = await startsWithMarker(target).catch(() => undefined);
            if (ours === undefined) unreadable.push(target);
            else if (!ours) foreign.push(target);
        }
    }
    return [
        ...(foreign.length > 0 ? [`not overwriting ${foreign.join(", ")}: not written by stackstate-aws (no "${AGENT_CONFIG_MARKER}" first line); move ${them(foreign)} away or choose another --out`] : []),
        ...(special.length > 0 ? [`not overwriting ${special.join(", ")}: not a regular file; move ${them(special)} away or choose another --out`] : []),
        ...(unreadable.length > 0 ? [`not overwriting ${unreadable.join(", ")}: cannot read ${them(unreadable)} to see who wrote ${them(unreadable)}`] : []),
    ];
}

/** The content in a temporary file beside the target, with the mode (and owner) the target should have. */
async function stage({ file, target, existing }: Target): Promise<string> {
    const temp = path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(6).toString("hex")}.tmp`);
    await fs.writeFile(temp, file.content, { mode: FILE_MODE, flag: "wx" });
    if (existing) {
        await fs.chmod(temp, existing.mode & NO_ACCESS_FOR_OTHERS);
        // Only root can give a file away; anyone else rewrote a file they could already write.
        await fs.chown(temp, existing.uid, existing.gid).catch(() => undefined);
    }
    return temp;
}

function writeFailure(dir: string, error: unknown): UsageError {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    return new UsageError(`could not write into --out ${dir} (${code}); no file was changed`);
}

export async function writeAgentConfigFiles(dir: string, files: AgentConfigFile[], options: { removeStale?: boolean } = {}): Promise<WriteResult> {
    const targets: Target[] = await Promise.all(files.map(async (file) => {
        const target = path.join(dir, file.fileName);
        return { file, target, existing: await fs.lstat(target).catch(() => undefined) };
    }));
    const refused = await refusals(dir, targets);
    if (refused.length > 0) throw new UsageError(refused.join("\n"));
    const stale = await staleFiles(dir, targets);

    const staged: string[] = [];
    try {
        await fs.mkdir(dir, { recursive: true });
        for (const target of targets) staged.push(await stage(target));
    } catch (error) {
        await Promise.all(staged.map((temp) => fs.rm(temp, { force: true })));
        throw writeFailure(dir, error);
    }
    // Renames within one directory are atomic: each file is either the old or the new one.
    for (const [i, { target }] of targets.entries()) await fs.rename(staged[i], target);
    const removed: string[] = [];
    if (options.removeStale) {
        for (const file of stale) {
            await fs.rm(file);
            removed.push(file);
        }
    }
    return { written: targets.map((t) => t.target), stale, removed };
}

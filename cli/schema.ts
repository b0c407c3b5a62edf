/**
 * `stackstate-aws schema`: the component package's schema, which `pulumi package add` generates
 * other languages' SDKs from. Pulumi infers it from the components' TypeScript source.
 */
import * as fs from "fs";
import * as path from "path";
import { EXIT, UsageError } from "./exit-codes";

export interface SchemaFlags {
    out?: string;
    json?: boolean;
}

export async function schemaCommand(flags: SchemaFlags): Promise<number> {
    const out = flags.out === undefined ? undefined : path.resolve(flags.out);
    if (out !== undefined && !fs.existsSync(path.dirname(out))) {
        throw new UsageError(`--out '${flags.out}': folder '${path.dirname(out)}' does not exist`);
    }
    if (out !== undefined && fs.existsSync(out) && fs.statSync(out).isDirectory()) {
        throw new UsageError(`--out '${flags.out}' is a folder; give a file path, e.g. ${path.join(flags.out!, "schema.json")}`);
    }
    process.stderr.write("Inferring the package schema from the components' TypeScript source (takes some seconds)...\n");
    const { packageSchema } = await import("../provider/component-package");
    const schema = await packageSchema();
    if (out === undefined) {
        process.stdout.write(schema);
    } else {
        fs.writeFileSync(out, schema);
        process.stdout.write(flags.json ? `${JSON.stringify({ file: out })}\n` : `${out}\n`);
    }
    return EXIT.ok;
}

/** Reading a Pulumi stack config file (`Pulumi.<stack>.yaml`) the way `plan` needs it. */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { UsageError } from "./exit-codes";
import { quoted } from "./quoted";

export interface StackConfigFile {
    /** `<stack>` of `Pulumi.<stack>.yaml`, else the file's base name. */
    stackName: string;
    /** Fully qualified keys (`namespace:key`) to values as written (lists and maps stay structured). */
    config: Record<string, unknown>;
    /** Keys whose value is encrypted (`secure:`) and so cannot be read offline. */
    encryptedKeys: string[];
}

export function readStackConfigFile(file: string): StackConfigFile {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (error) {
        throw new UsageError(`cannot read stack config file ${quoted(file)}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
    let document: unknown;
    try {
        document = parse(text);
    } catch (error) {
        throw new UsageError(`stack config file ${quoted(file)} is not valid YAML: ${(error as Error).message.split("\n")[0]}`);
    }
    const config = (document as { config?: unknown } | null)?.config;
    if (config === undefined || config === null || typeof config !== "object" || Array.isArray(config)) {
        throw new UsageError(`stack config file ${quoted(file)} must have a top-level 'config:' map of 'namespace:key: value' entries`);
    }
    const unqualified = Object.keys(config).filter((key) => !/^[^:]+:[^:]+$/.test(key));
    if (unqualified.length > 0) {
        throw new UsageError(`stack config file ${quoted(file)} has keys without a namespace: ${unqualified.join(", ")} (write them as 'stackstate-aws:<key>')`);
    }
    const encryptedKeys = Object.entries(config)
        .filter(([, value]) => isEncrypted(value))
        .map(([key]) => key);
    const base = path.basename(file);
    const stackName = /^Pulumi\.(.+)\.ya?ml$/.exec(base)?.[1] ?? base.replace(/\.ya?ml$/, "");
    return { stackName, config: config as Record<string, unknown>, encryptedKeys };
}

function isEncrypted(value: unknown): boolean {
    return typeof value === "object" && value !== null && !Array.isArray(value)
        && Object.keys(value).length === 1 && "secure" in value;
}

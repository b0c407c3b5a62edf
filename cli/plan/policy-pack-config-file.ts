/** Reading `plan --policy-pack-config`: the file's form here, its entries against the pack's schemas later. */
import * as fs from "fs";
import { UsageError } from "../exit-codes";
import { quoted } from "../quoted";
import type { PolicyPackConfigFile } from "../../offline/policy-pack";

/** A `--policy-pack-config` file: a JSON object; its entries are checked against the pack's schemas later. */
export function readPolicyPackConfigFile(file: string): PolicyPackConfigFile {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (error) {
        throw new UsageError(`cannot read policy pack config file ${quoted(file)}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
    let value: unknown;
    try {
        value = JSON.parse(text);
    } catch (error) {
        throw new UsageError(`policy pack config file ${quoted(file)} is not valid JSON: ${(error as Error).message}`);
    }
    if (!value || typeof value !== "object" || Array.isArray(value)) {
        throw new UsageError(`policy pack config file ${quoted(file)} must hold a JSON object of policy names to settings`);
    }
    return value as PolicyPackConfigFile;
}

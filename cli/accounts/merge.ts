/**
 * Merging discovered accounts into a stack config file's `stackstate-aws:accounts`, keeping the
 * file as the user wrote it (comments, order, other keys) and every entry already there with its
 * settings. Entries whose account was not discovered are reported, never dropped: removing an
 * account from the stack destroys its integration, which is the user's decision.
 */
import { Document, isMap, isSeq, parseDocument, YAMLMap, YAMLSeq } from "yaml";
import { CONFIG_NAMESPACE } from "../../model";
import { UsageError } from "../exit-codes";

export const ACCOUNTS_KEY = `${CONFIG_NAMESPACE}:accounts`;

export interface MergeOutcome {
    /** The file's new text. */
    text: string;
    /** Accounts appended as `{ accountId }`. */
    added: string[];
    /** Discovered accounts the file already listed: kept as they were. */
    kept: string[];
    /** Listed in the file, but not among the discovered accounts: kept, for the user to decide. */
    notDiscovered: string[];
    /** Discovered, but left out by --exclude (and not listed in the file). */
    excluded: string[];
    /** Listed in the file although --exclude names them: kept. */
    excludedButListed: string[];
}

/** The config map of a stack config document, created when the file is new or empty. */
function configMap(document: Document, file: string): YAMLMap {
    if (document.contents === null || document.contents === undefined) {
        document.contents = document.createNode({ config: {} }) as never;
    }
    if (!isMap(document.contents)) throw new UsageError(`${file}: must be a Pulumi stack config file (a map with a 'config:' key)`);
    const config = document.contents.get("config", true);
    if (config === undefined || config === null) {
        const created = document.createNode({}) as YAMLMap;
        document.contents.set("config", created);
        return created;
    }
    if (!isMap(config)) throw new UsageError(`${file}: 'config:' must be a map of 'namespace:key: value' entries`);
    return config;
}

/** The account ids the file lists, in order; a UsageError when the list is not one this command can extend. */
function listedAccounts(accounts: unknown, file: string): string[] {
    if (!isSeq(accounts)) {
        throw new UsageError(`${file}: ${ACCOUNTS_KEY} must be a list of { accountId, ... } entries${isMap(accounts) && (accounts as YAMLMap).has("secure") ? " (it is encrypted as a whole: encrypt single values with pulumi config set --secret --path instead)" : ""}`);
    }
    const ids = (accounts as YAMLSeq).items.map((item, i) => {
        const id = isMap(item) ? (item as YAMLMap).get("accountId") : undefined;
        const text = typeof id === "number" ? String(id) : id;
        if (typeof text !== "string" || !/^\d{12}$/.test(text)) {
            throw new UsageError(`${file}: ${ACCOUNTS_KEY}[${i}] must have an accountId of 12 digits (quoted, as YAML would read 0-led digits as a number), got ${JSON.stringify(id ?? null)}`);
        }
        return text;
    });
    const repeated = [...new Set(ids.filter((id, i) => ids.indexOf(id) !== i))];
    if (repeated.length > 0) throw new UsageError(`${file}: ${ACCOUNTS_KEY} lists ${repeated.join(", ")} more than once; fix the file first`);
    return ids;
}

/**
 * Merges `discovered` (sorted ids) into the file's text (undefined for a new file). Throws a
 * UsageError, before anything is written, for a file it cannot extend safely.
 */
export function mergeAccounts(text: string | undefined, file: string, discovered: readonly string[], exclude: readonly string[]): MergeOutcome {
    const document = parseDocument(text ?? "");
    if (document.errors.length > 0) throw new UsageError(`${file} is not valid YAML: ${document.errors[0].message.split("\n")[0]}`);
    const config = configMap(document, file);
    if (!config.has(ACCOUNTS_KEY)) config.set(ACCOUNTS_KEY, document.createNode([]));
    const accounts = config.get(ACCOUNTS_KEY, true) as unknown;
    const listed = listedAccounts(accounts, file);

    const excluded = new Set(exclude);
    const outcome: Omit<MergeOutcome, "text"> = {
        added: [], kept: [], notDiscovered: [], excluded: [], excludedButListed: listed.filter((id) => excluded.has(id)),
    };
    for (const id of discovered) {
        if (listed.includes(id)) outcome.kept.push(id);
        else if (excluded.has(id)) outcome.excluded.push(id);
        else outcome.added.push(id);
    }
    outcome.notDiscovered = listed.filter((id) => !discovered.includes(id));
    for (const id of outcome.added) {
        // Quoted: an unquoted id would be read back as a number (and lose a leading 0).
        const entry = document.createNode({ accountId: id }) as YAMLMap;
        const value = entry.items[0].value as { type?: string } | undefined;
        if (value) value.type = "QUOTE_DOUBLE";
        (accounts as YAMLSeq).add(entry);
    }
    return { text: document.toString({ flowCollectionPadding: false }), ...outcome };
}

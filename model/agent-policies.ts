/** The Agent host's permission to assume the integration role (docs/stackstate-integration.md#the-agent-side). */
import { Partition } from "./regions";
import { INTEGRATION_ROLE_NAME, iamRoleArn } from "./names";
import { document, PolicyDocument } from "./iam-document";

/**
 * `sts:AssumeRole` on the integration role in the monitored accounts, or in any account when
 * none are listed (StackState's documented default).
 */
export function agentAssumeRolePolicy(partition: Partition, accountIds: string[] = [], rolePath = "/"): PolicyDocument {
    const accounts = accountIds.length > 0 ? accountIds : ["*"];
    const roles = accounts.map((account) => iamRoleArn(partition, account, INTEGRATION_ROLE_NAME, rolePath));
    return document([{
        Sid: "AssumeStackStateIntegrationRole",
        Effect: "Allow",
        Action: "sts:AssumeRole",
        Resource: roles.length === 1 ? roles[0] : roles,
    }]);
}

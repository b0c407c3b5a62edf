/**
 * Stand-ins for the two IAM/STS behaviours moto cannot emulate, installed with aws-sdk-client-mock
 * on one client instance while every other call still goes to moto:
 * - AssumeRole: moto admits any caller with any ExternalId or none; with its IAM enforcement on
 *   (moto 5.2.1) it refuses a principal trusted through its account root and still admits a call
 *   without an ExternalId under StringEquals. `emulateTrust` answers as AWS does for a given trust
 *   decision.
 * - SimulatePrincipalPolicy: moto does not implement it; `fakeSimulator` answers with decisions
 *   the test chooses, in pages, in the shape IAM documents.
 */
import { AssumeRoleCommand, AssumeRoleCommandInput, STSClient } from "@aws-sdk/client-sts";
import {
    EvaluationResult, IAMClient, SimulatePrincipalPolicyCommand, SimulatePrincipalPolicyCommandInput,
} from "@aws-sdk/client-iam";
import { mockClient } from "aws-sdk-client-mock";

type SinonLike = { callThrough(): void };

/** An AWS-shaped AccessDenied, as STS sends it. */
export function accessDenied(message: string, name = "AccessDenied"): Error {
    return Object.assign(new Error(message), { name, Code: name, $fault: "client", $metadata: { httpStatusCode: 403 } });
}

/** AssumeRole admits exactly the calls `admits` accepts; every other STS call goes through. */
export function emulateTrust(sts: STSClient, admits: (externalId: string | undefined) => boolean) {
    const mock = mockClient(sts);
    (mock.send as unknown as SinonLike).callThrough();
    mock.on(AssumeRoleCommand).callsFake((input: AssumeRoleCommandInput) => {
        if (!admits(input.ExternalId)) {
            throw accessDenied(`User: arn:aws:iam::123456789012:user/moto is not authorized to perform: sts:AssumeRole on resource: ${input.RoleArn}`);
        }
        return {
            Credentials: { AccessKeyId: "ASIAFAKE", SecretAccessKey: "fake", SessionToken: "fake", Expiration: new Date(Date.now() + 900_000) },
            AssumedRoleUser: { Arn: `${input.RoleArn}/${input.RoleSessionName}`, AssumedRoleId: "AROAFAKE:session" },
        };
    });
    return mock;
}

export type Decision =
    | "allowed"
    | { decision: "implicitDeny" | "explicitDeny"; boundary?: boolean; organizations?: boolean; missingContext?: string[] };

/** IAM's answer for one action (and its resources), built from the test's decisions. */
function evaluation(action: string, resources: string[] | undefined, decide: (action: string, resource: string) => Decision): EvaluationResult {
    const one = (resource: string) => {
        const d = decide(action, resource);
        return d === "allowed"
            ? { EvalResourceName: resource, EvalResourceDecision: "allowed" as const, MatchedStatements: [], MissingContextValues: [] }
            : {
                EvalResourceName: resource,
                EvalResourceDecision: d.decision,
                MatchedStatements: [],
                MissingContextValues: d.missingContext ?? [],
                ...(d.boundary ? { PermissionsBoundaryDecisionDetail: { AllowedByPermissionsBoundary: false } } : {}),
            };
    };
    const perResource = (resources ?? ["*"]).map(one);
    const denied = perResource.find((r) => r.EvalResourceDecision !== "allowed");
    const organizationsDenied = perResource.some((r) => {
        const d = decide(action, r.EvalResourceName);
        return d !== "allowed" && d.organizations;
    });
    return {
        EvalActionName: action,
        EvalResourceName: resources ? resources.join(",") : "*",
        EvalDecision: denied?.EvalResourceDecision ?? "allowed",
        MatchedStatements: [],
        MissingContextValues: resources ? [] : perResource[0].MissingContextValues,
        ...(resources ? { ResourceSpecificResults: perResource } : {
            ...("PermissionsBoundaryDecisionDetail" in perResource[0] ? { PermissionsBoundaryDecisionDetail: perResource[0].PermissionsBoundaryDecisionDetail } : {}),
        }),
        ...(organizationsDenied ? { OrganizationsDecisionDetail: { AllowedByOrganizations: false } } : {}),
    };
}

/**
 * SimulatePrincipalPolicy answered from `decide`, `pageSize` results per page (so callers must
 * paginate); every other IAM call goes through. `requests` holds a copy of each request as sent
 * (the SDK's paginator reuses one input object, so the mock's own call log shows only the last
 * marker).
 */
export function fakeSimulator(iam: IAMClient | typeof IAMClient, decide: (action: string, resource: string) => Decision = () => "allowed", pageSize = 40) {
    const mock = mockClient(iam);
    const requests: SimulatePrincipalPolicyCommandInput[] = [];
    (mock.send as unknown as SinonLike).callThrough();
    mock.on(SimulatePrincipalPolicyCommand).callsFake((input: SimulatePrincipalPolicyCommandInput) => {
        requests.push(structuredClone(input));
        const all = (input.ActionNames ?? []).map((a) => evaluation(a, input.ResourceArns, decide));
        const start = input.Marker ? Number(input.Marker) : 0;
        const end = start + pageSize;
        return {
            EvaluationResults: all.slice(start, end),
            IsTruncated: end < all.length,
            ...(end < all.length ? { Marker: String(end) } : {}),
        };
    });
    return Object.assign(mock, { requests });
}

/**
 * What the integration role may do: the least-privilege read policy of StackState's published
 * `stackstate-resources` template (docs/stackstate-integration.md#integration-role), with its defects fixed:
 * - the logs bucket ARN is a real ARN (`arn:<partition>:s3:::…`, not `aws:aws:s3:::…`);
 * - `ec2:DescribeVpnGateways` appears once;
 * - API Gateway is read-only (`apigateway:GET`) unless `apiGatewayAccess: published`;
 * - `s3:ListBucketByTags` is left out: it is no IAM action (AWS's Service Authorization Reference
 *   has none by that name), so granting it grants nothing and a simulator cannot evaluate it.
 * This list is the single source: components grant it, the policy pack and `verify` require it.
 *
 * `permissions: minimal` grants instead exactly what the Agent's check calls and the StackState
 * server reads (model/aws-topology-check.ts, derived from the check's source). Both sets add
 * `kms:Decrypt` for the SSE-KMS objects of the logs bucket, only through S3 (LOGS_KEY_DECRYPT).
 */
import { Partition } from "./regions";
import { bucketArn, logsBucketName } from "./names";
import { PolicyStatement } from "./iam-document";
import { AGENT_CALLS, agentCallActions } from "./aws-topology-check";

/**
 * API Gateway permissions of the integration role. An object of constants, not a union type, so
 * the component package's schema can carry it as an enum to other languages.
 */
export const ApiGatewayAccess = {
    /** apigateway:GET only: enough for the Agent's API Gateway topology. */
    Read: "read",
    /** The published template's GET, DELETE, PUT, HEAD, PATCH, POST and OPTIONS. */
    Published: "published",
} as const;
export type ApiGatewayAccess = (typeof ApiGatewayAccess)[keyof typeof ApiGatewayAccess];
export const API_GATEWAY_ACCESS_LEVELS: readonly ApiGatewayAccess[] = Object.values(ApiGatewayAccess);

/** `published`: the published template's list (with the fixes above). `minimal`: what the check calls. */
/** An object of constants, not a union type, so the component package's schema carries it as an enum. */
export const PermissionSet = {
    /** The published template's list, with the fixes above. */
    Published: "published",
    /** Exactly what the Agent's check calls and the StackState server reads. */
    Minimal: "minimal",
} as const;
export type PermissionSet = (typeof PermissionSet)[keyof typeof PermissionSet];
export const PERMISSION_SETS: readonly PermissionSet[] = Object.values(PermissionSet);
/** Set on the integration role of a `minimal` stack, so the policy pack and `verify` require that set. */
export const PERMISSIONS_TAG_KEY = "stackstate-aws:permissions";

/**
 * Where a statement's actions apply. `logsKey`: KMS keys, only when S3 in the main region calls
 * KMS for the role (`kms:ViaService`). S3 does so only for objects the role may read, and it may
 * read objects only in the logs bucket, whose objects are encrypted with the main region's key:
 * so the grant reaches that key and nothing else, without naming a key ARN that is unknown until
 * the key exists (which would make the whole read policy unknown during a first preview).
 */
export type ResourceScope = "any" | "logsBucket" | "selfStack" | "logsKey";

export interface ReadPermission {
    sid: string;
    scope: ResourceScope;
    actions: readonly string[];
    /** Why this group exists, for docs and messages. */
    purpose: string;
}

const API_GATEWAY_READ = ["apigateway:GET"];
/** The published template's list: GET plus write verbs a read-only integration does not need. */
const API_GATEWAY_PUBLISHED = [
    "apigateway:GET", "apigateway:DELETE", "apigateway:PUT", "apigateway:HEAD",
    "apigateway:PATCH", "apigateway:POST", "apigateway:OPTIONS",
];

/** The SSE-KMS event and flow-log objects cannot be read without it, whatever the key policy says, under a boundary or SCP. */
const LOGS_KEY_DECRYPT: ReadPermission = {
    sid: "LogsKeyDecrypt", scope: "logsKey", purpose: "decrypt the SSE-KMS event and flow-log objects, only through S3",
    actions: ["kms:Decrypt"],
};

export function readPermissions(apiGatewayAccess: ApiGatewayAccess = "read", permissions: PermissionSet = "published"): ReadPermission[] {
    if (permissions === "minimal") return minimalPermissions();
    return [...publishedPermissions(apiGatewayAccess), LOGS_KEY_DECRYPT];
}

/** Exactly the calls of model/aws-topology-check.ts, grouped by where they apply. */
function minimalPermissions(): ReadPermission[] {
    const server = AGENT_CALLS.filter((c) => c.source === "server").map((c) => c.action);
    return [
        { sid: "AgentCheckAccess", scope: "any", purpose: "every call of the Agent's aws_topology check",
            actions: agentCallActions("any").filter((a) => !server.includes(a)) },
        { sid: "ServerAccess", scope: "any", purpose: "CloudWatch metrics and the account alias for the StackState server", actions: server },
        { sid: "EventsS3Access", scope: "logsBucket", purpose: "read, and delete once read, event and flow-log objects", actions: agentCallActions("logsBucket") },
        LOGS_KEY_DECRYPT,
    ];
}

function publishedPermissions(apiGatewayAccess: ApiGatewayAccess): ReadPermission[] {
    return [
        { sid: "SelfAccess", scope: "selfStack", purpose: "read the stackstate-resources CloudFormation template",
            actions: ["cloudformation:GetTemplate"] },
        { sid: "MetricsAccess", scope: "any", purpose: "CloudWatch metrics for the StackState server",
            actions: ["cloudwatch:GetMetricData", "cloudwatch:ListMetrics"] },
        { sid: "EventsAccess", scope: "any", purpose: "CloudTrail and EventBridge topology",
            actions: [
                "cloudtrail:LookupEvents", "events:DescribeApiDestination", "events:DescribeArchive",
                "events:DescribeConnection", "events:DescribeEventBus", "events:DescribeReplay",
                "events:DescribeRule", "events:ListApiDestinations", "events:ListArchives",
                "events:ListConnections", "events:ListEventBuses", "events:ListEventSources",
                "events:ListReplays", "events:ListRules", "events:ListTagsForResource",
                "events:ListTargetsByRule", "iam:GetAccountAuthorizationDetails",
            ] },
        { sid: "EventsS3Access", scope: "logsBucket", purpose: "read and delete event and flow-log objects",
            actions: ["s3:ListBucket", "s3:GetObject", "s3:GetObjectVersion", "s3:DeleteObject"] },
        { sid: "Ec2Access", scope: "any", purpose: "EC2, Auto Scaling and load balancer topology",
            actions: [
                "ec2:DescribeInstances", "ec2:DescribeInstanceTypes", "ec2:DescribeIdFormat",
                "ec2:DescribeReservedInstancesOfferings", "ec2:DescribeFleetInstances",
                "ec2:DescribeVpcEndpointServiceConfigurations", "ec2:DescribePrefixLists",
                "ec2:GetReservedInstancesExchangeQuote", "ec2:DescribeInstanceCreditSpecifications",
                "ec2:DescribeVolumeAttribute", "ec2:DescribeImportSnapshotTasks",
                "ec2:DescribeVpcEndpointServicePermissions", "ec2:DescribeScheduledInstances",
                "ec2:DescribeImageAttribute", "ec2:DescribeFleets", "ec2:DescribeElasticGpus",
                "ec2:DescribeReservedInstancesModifications", "ec2:DescribeVpcEndpoints",
                "ec2:DescribeSubnets", "ec2:DescribeVpnGateways", "ec2:DescribeFleetHistory",
                "ec2:DescribeAddresses", "ec2:DescribePrincipalIdFormat", "ec2:DescribeInstanceAttribute",
                "ec2:DescribeFlowLogs", "ec2:DescribeRegions", "ec2:DescribeDhcpOptions",
                "ec2:DescribeSpotPriceHistory", "ec2:DescribeNetworkInterfaces",
                "ec2:DescribeAvailabilityZones", "ec2:DescribeNetworkInterfaceAttribute",
                "ec2:DescribeVpcEndpointConnections", "ec2:DescribeInstanceStatus",
                "ec2:DescribeHostReservations", "ec2:DescribeIamInstanceProfileAssociations",
                "ec2:DescribeTags", "ec2:DescribeLaunchTemplateVersions", "ec2:DescribeBundleTasks",
                "ec2:DescribeClassicLinkInstances", "ec2:DescribeIdentityIdFormat",
                "ec2:DescribeImportImageTasks", "ec2:DescribeNatGateways", "ec2:DescribeCustomerGateways",
                "ec2:DescribeVpcEndpointConnectionNotifications", "ec2:DescribeSecurityGroups",
                "ec2:DescribeSpotFleetRequests", "ec2:DescribeHosts", "ec2:DescribeImages",
                "ec2:DescribeFpgaImages", "ec2:DescribeSpotFleetInstances",
                "ec2:DescribeSecurityGroupReferences", "ec2:DescribeVpcs", "autoscaling:Describe*",
                "elasticloadbalancing:DescribeLoadBalancers", "elasticloadbalancing:DescribeTargetGroups",
                "elasticloadbalancing:DescribeTags", "elasticloadbalancing:DescribeInstanceHealth",
                "elasticloadbalancing:DescribeTargetHealth", "elasticloadbalancing:DescribeListeners",
            ] },
        { sid: "RedshiftAccess", scope: "any", purpose: "Redshift topology", actions: ["redshift:DescribeClusters"] },
        { sid: "EcsAccess", scope: "any", purpose: "ECS and Cloud Map topology",
            actions: [
                "ecs:ListAttributes", "ecs:ListTasks", "ecs:ListContainerInstances",
                "ecs:DescribeContainerInstances", "ecs:DescribeTasks", "ecs:DescribeClusters",
                "ecs:ListServices", "ecs:ListTaskDefinitionFamilies", "ecs:DescribeServices",
                "ecs:DescribeTaskDefinition", "ecs:ListTaskDefinitions", "ecs:ListClusters",
                "servicediscovery:List*", "servicediscovery:Get*",
            ] },
        { sid: "FirehoseAccess", scope: "any", purpose: "Firehose topology",
            actions: ["firehose:DescribeDeliveryStream", "firehose:ListDeliveryStreams", "firehose:ListTagsForDeliveryStream"] },
        { sid: "S3Access", scope: "any", purpose: "S3 topology, bucket tags and the versioning check on the logs bucket",
            actions: [
                "s3:ListBucket", "s3:GetBucketNotification", "s3:GetBucketLocation",
                "s3:GetBucketTagging", "s3:ListAllMyBuckets", "s3:GetBucketVersioning",
            ] },
        { sid: "AccountAccess", scope: "any", purpose: "the account alias shown in StackState",
            actions: ["iam:ListAccountAliases"] },
        { sid: "RdsAccess", scope: "any", purpose: "RDS topology",
            actions: [
                "rds:ListTagsForResource", "rds:DescribeDBParameters", "rds:DescribeDBParameterGroups",
                "rds:DescribeDBClusters", "rds:DescribeDBInstances", "rds:DescribeEngineDefaultClusterParameters",
                "rds:DescribeEngineDefaultParameters", "rds:DescribeEventCategories", "rds:DescribeAccountAttributes",
            ] },
        { sid: "Route53Access", scope: "any", purpose: "Route 53 topology",
            actions: [
                "route53domains:GetDomainDetail", "route53domains:ListDomains", "route53domains:ListTagsForDomain",
                "route53:ListHostedZones", "route53:ListTagsForResource", "route53:GetHostedZone",
                "route53:ListResourceRecordSets",
            ] },
        { sid: "LambdaAccess", scope: "any", purpose: "Lambda topology",
            actions: [
                "lambda:GetFunction", "lambda:ListAliases", "lambda:ListEventSourceMappings",
                "lambda:ListFunctions", "lambda:ListTags", "lambda:ListVersionsByFunction",
            ] },
        { sid: "SnsAccess", scope: "any", purpose: "SNS topology",
            actions: ["sns:GetTopicAttributes", "sns:ListSubscriptionsByTopic", "sns:ListTagsForResource", "sns:ListTopics"] },
        { sid: "SqsAccess", scope: "any", purpose: "SQS topology",
            actions: ["sqs:ListQueues", "sqs:GetQueueUrl", "sqs:GetQueueAttributes", "sqs:ListQueueTags"] },
        { sid: "DynamoDbAccess", scope: "any", purpose: "DynamoDB topology",
            actions: ["dynamodb:DescribeTable", "dynamodb:ListTagsOfResource", "dynamodb:ListTables"] },
        { sid: "KinesisAccess", scope: "any", purpose: "Kinesis topology",
            actions: ["kinesis:DescribeStreamSummary", "kinesis:ListTagsForStream", "kinesis:ListStreams"] },
        { sid: "ApiGatewayAccess", scope: "any", purpose: "API Gateway topology",
            actions: apiGatewayAccess === "published" ? API_GATEWAY_PUBLISHED : API_GATEWAY_READ },
        { sid: "CloudFormationAccess", scope: "any", purpose: "CloudFormation topology",
            actions: ["cloudformation:DescribeStacks", "cloudformation:DescribeStackResources"] },
        { sid: "StepFunctionsAccess", scope: "any", purpose: "Step Functions topology",
            actions: [
                "states:DescribeActivity", "states:ListStateMachines", "states:DescribeStateMachine",
                "states:ListActivities", "states:ListTagsForResource",
            ] },
    ];
}

const actionsIn = (permissions: PermissionSet, scope: ResourceScope): string[] =>
    [...new Set(readPermissions("read", permissions).filter((p) => p.scope === scope).flatMap((p) => p.actions))];

/**
 * Actions the role must be allowed on every resource (`*`) for StackState to see everything
 * the set grants. Read-only, so the same for both API Gateway levels. Wildcards
 * (`autoscaling:Describe*`) stay as written: a checker must find the whole pattern allowed.
 */
export function requiredActionsFor(permissions: PermissionSet): string[] {
    return actionsIn(permissions, "any");
}

/** Actions the role must be allowed on the logs bucket and its objects. */
export function requiredBucketActionsFor(permissions: PermissionSet): string[] {
    return actionsIn(permissions, "logsBucket");
}

/** Actions the role must be allowed on the logs key when S3 asks for it (both sets). */
export const REQUIRED_KEY_ACTIONS: readonly string[] = LOGS_KEY_DECRYPT.actions;

/** The published set's lists, as before there were two sets. */
export const REQUIRED_ACTIONS: readonly string[] = requiredActionsFor("published");
export const REQUIRED_BUCKET_ACTIONS: readonly string[] = requiredBucketActionsFor("published");

/** The S3 endpoint whose requests for the role may use the logs key (the `kms:ViaService` value). */
export function s3ViaService(region: string): string {
    return `s3.${region}.amazonaws.com`;
}

/** The set a role was deployed with, from its tags: `minimal` when tagged so, else `published`. */
export function permissionSetOfTags(tags: Readonly<Record<string, string>> | undefined): PermissionSet {
    return tags?.[PERMISSIONS_TAG_KEY] === "minimal" ? "minimal" : "published";
}

/** What the loss of a permission costs, for the few whose absence is silent and surprising. */
export const MISSING_ACTION_CONSEQUENCES: Readonly<Record<string, string>> = {
    "s3:getbuckettagging": "bucket tags will be empty in StackState",
    "s3:getbucketversioning": "the Agent cannot confirm the logs bucket is versioned, ignores it, falls back to CloudTrail for events and loses VPC flow logs",
    "s3:listbucket": "the Agent cannot list the logs bucket, so events arrive only through CloudTrail, about 15 minutes late",
    "kms:decrypt": "the Agent cannot read the SSE-KMS event and flow-log objects: every read fails, with no fallback",
    "iam:listaccountaliases": "the account alias will be missing in StackState",
};

export interface ReadStatementContext {
    partition: Partition;
    accountId: string;
    /** Region of the logs bucket and its key. */
    mainRegion: string;
    apiGatewayAccess?: ApiGatewayAccess;
    /** Default: published. */
    permissions?: PermissionSet;
}

/** The read permissions as IAM statements with concrete resources. */
export function readStatements(ctx: ReadStatementContext): PolicyStatement[] {
    const bucket = bucketArn(ctx.partition, logsBucketName(ctx.accountId));
    const resources: Record<ResourceScope, string[]> = {
        any: ["*"],
        logsBucket: [bucket, `${bucket}/*`],
        selfStack: [`arn:${ctx.partition}:cloudformation:*:${ctx.accountId}:stack/stackstate-resources/*`],
        logsKey: ["*"],
    };
    return readPermissions(ctx.apiGatewayAccess, ctx.permissions).map((p) => ({
        Sid: p.sid,
        Effect: "Allow",
        Action: [...p.actions],
        Resource: resources[p.scope].length === 1 ? resources[p.scope][0] : resources[p.scope],
        ...(p.scope === "logsKey" ? { Condition: { StringEquals: { "kms:ViaService": s3ViaService(ctx.mainRegion) } } } : {}),
    }));
}

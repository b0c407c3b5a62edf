/**
 * Facts about the Agent's `aws_topology` check (StackVista's stackstate-agent-integrations, tag
 * 1.24.8, the last that has it), read from its source; docs/aws-topology-check.md records where
 * each fact comes from. Pure data: the renderer validates `apis_to_run` against the registry, and
 * the `minimal` permission set is built from the calls.
 */

/** APIs the check runs in each real region (its `regional` registry, keyed by boto3 client name). */
export const AGENT_REGIONAL_APIS = [
    "apigateway", "autoscaling", "cloudformation", "dynamodb", "ec2", "ecs", "elb", "elbv2", "firehose",
    "kinesis", "lambda", "rds", "redshift", "s3", "servicediscovery", "sns", "sqs", "stepfunctions",
] as const;

/** APIs the check runs for the `global` region (its `global` registry). */
export const AGENT_GLOBAL_APIS = ["route53", "route53domains"] as const;

/** Every name `apis_to_run` may start with; the check silently skips any other. */
export const AGENT_APIS: readonly string[] = [...AGENT_REGIONAL_APIS, ...AGENT_GLOBAL_APIS];

/** Who makes a call: the check's collector for an API, its event and flow-log readers, or the StackState server. */
export type CallSource = (typeof AGENT_APIS)[number] | "events" | "flowlogs" | "server";

export interface AgentCall {
    source: CallSource;
    /** The boto3 operation (or, for the server, what it reads). */
    call: string;
    /** The IAM action that authorises it. */
    action: string;
    /** Where the action must be allowed: every resource, or the logs bucket / its objects / its key. */
    scope: "any" | "logsBucket" | "logsKey";
}

const any = (source: CallSource, pairs: [string, string][]): AgentCall[] =>
    pairs.map(([call, action]) => ({ source, call, action, scope: "any" }));

/**
 * Every AWS call the check makes with the integration role's credentials, and the three the
 * StackState server makes with the same role. The IAM action of a collector's call is the one
 * the check itself declares for it (`@set_required_access_v2`); the readers' actions are S3's
 * and KMS's documented ones for those operations.
 */
export const AGENT_CALLS: readonly AgentCall[] = [
    ...any("apigateway", [["get_rest_apis", "apigateway:GET"], ["get_stages", "apigateway:GET"], ["get_resources", "apigateway:GET"], ["get_method", "apigateway:GET"]]),
    ...any("autoscaling", [["describe_auto_scaling_groups", "autoscaling:DescribeAutoScalingGroups"]]),
    ...any("cloudformation", [["describe_stacks", "cloudformation:DescribeStacks"], ["describe_stack_resources", "cloudformation:DescribeStackResources"]]),
    ...any("dynamodb", [["list_tables", "dynamodb:ListTables"], ["describe_table", "dynamodb:DescribeTable"], ["list_tags_of_resource", "dynamodb:ListTagsOfResource"]]),
    ...any("ec2", [
        ["describe_instances", "ec2:DescribeInstances"], ["describe_instance_types", "ec2:DescribeInstanceTypes"],
        ["describe_security_groups", "ec2:DescribeSecurityGroups"], ["describe_vpcs", "ec2:DescribeVpcs"],
        ["describe_subnets", "ec2:DescribeSubnets"], ["describe_vpn_gateways", "ec2:DescribeVpnGateways"],
    ]),
    ...any("ecs", [
        ["list_clusters", "ecs:ListClusters"], ["describe_clusters", "ecs:DescribeClusters"], ["list_services", "ecs:ListServices"],
        ["describe_services", "ecs:DescribeServices"], ["list_tasks", "ecs:ListTasks"], ["describe_tasks", "ecs:DescribeTasks"],
        ["list_container_instances", "ecs:ListContainerInstances"], ["describe_container_instances", "ecs:DescribeContainerInstances"],
    ]),
    ...any("elb", [
        ["describe_load_balancers", "elasticloadbalancing:DescribeLoadBalancers"], ["describe_tags", "elasticloadbalancing:DescribeTags"],
        ["describe_instance_health", "elasticloadbalancing:DescribeInstanceHealth"],
    ]),
    ...any("elbv2", [
        ["describe_load_balancers", "elasticloadbalancing:DescribeLoadBalancers"], ["describe_tags", "elasticloadbalancing:DescribeTags"],
        ["describe_listeners", "elasticloadbalancing:DescribeListeners"], ["describe_target_groups", "elasticloadbalancing:DescribeTargetGroups"],
        ["describe_target_health", "elasticloadbalancing:DescribeTargetHealth"],
    ]),
    ...any("firehose", [
        ["list_delivery_streams", "firehose:ListDeliveryStreams"], ["describe_delivery_stream", "firehose:DescribeDeliveryStream"],
        ["list_tags_for_delivery_stream", "firehose:ListTagsForDeliveryStream"],
    ]),
    ...any("kinesis", [["list_streams", "kinesis:ListStreams"], ["describe_stream_summary", "kinesis:DescribeStreamSummary"], ["list_tags_for_stream", "kinesis:ListTagsForStream"]]),
    ...any("lambda", [
        ["list_functions", "lambda:ListFunctions"], ["get_function", "lambda:GetFunction"], ["list_aliases", "lambda:ListAliases"],
        ["list_tags", "lambda:ListTags"], ["list_event_source_mappings", "lambda:ListEventSourceMappings"],
    ]),
    ...any("rds", [["describe_db_clusters", "rds:DescribeDBClusters"], ["describe_db_instances", "rds:DescribeDBInstances"]]),
    ...any("redshift", [["describe_clusters", "redshift:DescribeClusters"]]),
    ...any("s3", [
        ["list_buckets", "s3:ListAllMyBuckets"], ["head_bucket", "s3:ListBucket"], ["get_bucket_tagging", "s3:GetBucketTagging"],
        ["get_bucket_notification_configuration", "s3:GetBucketNotification"],
    ]),
    ...any("servicediscovery", [
        ["list_services", "servicediscovery:ListServices"], ["get_service", "servicediscovery:GetService"],
        ["get_namespace", "servicediscovery:GetNamespace"], ["list_instances", "servicediscovery:ListInstances"],
    ]),
    ...any("sns", [
        ["list_topics", "sns:ListTopics"], ["get_topic_attributes", "sns:GetTopicAttributes"],
        ["list_subscriptions_by_topic", "sns:ListSubscriptionsByTopic"], ["list_tags_for_resource", "sns:ListTagsForResource"],
    ]),
    ...any("sqs", [["list_queues", "sqs:ListQueues"], ["get_queue_attributes", "sqs:GetQueueAttributes"], ["list_queue_tags", "sqs:ListQueueTags"]]),
    ...any("stepfunctions", [
        ["list_state_machines", "states:ListStateMachines"], ["describe_state_machine", "states:DescribeStateMachine"],
        ["list_activities", "states:ListActivities"], ["list_tags_for_resource", "states:ListTagsForResource"],
    ]),
    ...any("route53", [
        ["list_hosted_zones", "route53:ListHostedZones"], ["get_hosted_zone", "route53:GetHostedZone"],
        ["list_resource_record_sets", "route53:ListResourceRecordSets"], ["list_tags_for_resource", "route53:ListTagsForResource"],
    ]),
    ...any("route53domains", [
        ["list_domains", "route53domains:ListDomains"], ["get_domain_detail", "route53domains:GetDomainDetail"],
        ["list_tags_for_domain", "route53domains:ListTagsForDomain"],
    ]),
    // Events (cloudtrail.py) and flow logs (flowlogs.py): the same reads of the logs bucket.
    { source: "events", call: "get_bucket_versioning", action: "s3:GetBucketVersioning", scope: "logsBucket" },
    { source: "events", call: "list_objects_v2", action: "s3:ListBucket", scope: "logsBucket" },
    { source: "events", call: "get_object", action: "s3:GetObject", scope: "logsBucket" },
    { source: "events", call: "get_object (SSE-KMS object)", action: "kms:Decrypt", scope: "logsKey" },
    { source: "events", call: "delete_objects", action: "s3:DeleteObject", scope: "logsBucket" },
    { source: "events", call: "lookup_events (when the bucket cannot be read)", action: "cloudtrail:LookupEvents", scope: "any" },
    { source: "flowlogs", call: "describe_network_interfaces", action: "ec2:DescribeNetworkInterfaces", scope: "any" },
    // The StackState server assumes the same role for metrics and the account's name.
    { source: "server", call: "CloudWatch metrics", action: "cloudwatch:GetMetricData", scope: "any" },
    { source: "server", call: "CloudWatch metric names", action: "cloudwatch:ListMetrics", scope: "any" },
    { source: "server", call: "the account alias", action: "iam:ListAccountAliases", scope: "any" },
];

/** The distinct actions of the calls in a scope, in first-seen order. */
export function agentCallActions(scope: AgentCall["scope"]): string[] {
    return [...new Set(AGENT_CALLS.filter((c) => c.scope === scope).map((c) => c.action))];
}

/**
 * Every ARN a resource type can have, as a pattern: AWS's ARN format for the type
 * (`arn:${Partition}:s3:::${BucketName}`, from the Service Authorization Reference) with each
 * `${…}` placeholder read as a run of characters. A placeholder may contain any character — a
 * Lambda function's ARN can carry a `:qualifier`, a log group's name a `/` — except where AWS's
 * rules say otherwise:
 * - partition, region and account (the fields between the ARN's colons) never hold `:` or `/`;
 * - the names below never hold `/` or `:` (each service's naming rules, docs/policies.md).
 * Reading a placeholder too widely only makes more ARNs look possible, which errs towards
 * "missing"; reading it too narrowly could hide a Deny, so only those rules narrow it.
 */
import { Pattern, RestrictedRun, shapePattern } from "./glob-sets";

const FIELD = ":/";

/** Placeholders (`service:Name`) whose values are a single name or id: no `/`, no `:`. */
export const SINGLE_SEGMENT_PLACEHOLDERS: ReadonlySet<string> = new Set([
    "s3:BucketName",
    "dynamodb:TableName",
    "sqs:QueueName",
    "sns:TopicName",
    "kinesis:StreamName",
    "firehose:DeliveryStreamName",
    "ecs:ClusterName",
    "ecs:ServiceName",
    "events:RuleName",
    "states:StateMachineName",
    "states:ActivityName",
    "rds:DbInstanceName",
    "rds:DbClusterInstanceName",
    "redshift:ClusterName",
    "cloudformation:StackName",
    "route53:Id",
    "ec2:InstanceId",
    "ec2:SecurityGroupId",
    "ec2:VolumeId",
    "ec2:ImageId",
]);

/** What is known of the resources' ARNs: the principal's partition and account. */
export interface ArnBindings {
    partition?: string;
    accountId?: string;
}

const cache = new Map<string, Pattern>();

/**
 * The pattern of every ARN `format` (one ARN format of a type of `service`) describes; with
 * bindings, `${Partition}` and `${Account}` stand for the principal's own.
 */
export function arnShape(service: string, format: string, bindings: ArnBindings = {}): Pattern {
    const key = `${service.toLowerCase()} ${bindings.partition ?? ""} ${bindings.accountId ?? ""} ${format}`;
    let shape = cache.get(key);
    if (shape) return shape;
    const bound: Record<string, string | undefined> = { Partition: bindings.partition, Account: bindings.accountId };
    const parts: (string | RestrictedRun)[] = [];
    let colons = 0;
    for (const piece of format.split(/(\$\{[^}]*\})/)) {
        const placeholder = /^\$\{([^}]*)\}$/.exec(piece);
        if (!placeholder) {
            if (piece) parts.push(piece);
            colons += piece.split(":").length - 1;
        } else if (colons < 5) {
            parts.push(bound[placeholder[1]] ?? { except: FIELD });
        } else {
            parts.push({ except: SINGLE_SEGMENT_PLACEHOLDERS.has(`${service.toLowerCase()}:${placeholder[1]}`) ? FIELD : "" });
        }
    }
    shape = shapePattern(format, parts);
    if (cache.size > 10_000) cache.clear();
    cache.set(key, shape);
    return shape;
}

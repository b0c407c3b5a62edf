/**
 * Each region's event pipeline (docs/stackstate-integration.md: event pipeline, KMS key): the Firehose stream delivers GZIP objects every
 * 60 s under the region's prefix of the logs bucket; a rule that targets the stream — found by its
 * target, so a renamed or hand-made rule counts — is ENABLED with the Agent's pattern; the
 * region's key rotates.
 */
import { DescribeDeliveryStreamCommand } from "@aws-sdk/client-firehose";
import { DescribeRuleCommand } from "@aws-sdk/client-eventbridge";
import { GetKeyRotationStatusCommand } from "@aws-sdk/client-kms";
import {
    eventBridgePrefix, eventPatternFindings, firehoseProblems, firehoseStreamArn, keyRotationProblems,
} from "../../model";
import { awsCall, isAwsErrorCode } from "../aws/errors";
import { ruleNamesTargeting } from "../aws/event-rules";
import { fail, pass, Verdict, warn } from "./checks";
import { VerifyContext } from "./context";

export async function checkFirehoseStream(ctx: VerifyContext, region: string): Promise<Verdict> {
    const { firehose } = ctx.aws(region);
    const stream = ctx.names(region).firehoseStream;
    let description;
    try {
        const out = await awsCall("firehose:DescribeDeliveryStream",
            () => firehose.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: stream })));
        description = out.DeliveryStreamDescription;
    } catch (error) {
        if (isAwsErrorCode(error, "ResourceNotFoundException")) return fail(`there is no Firehose stream '${stream}' in ${region}`);
        throw error;
    }
    const problems: string[] = [];
    if (description?.DeliveryStreamStatus !== "ACTIVE") {
        problems.push(`the stream must be ACTIVE, is ${description?.DeliveryStreamStatus ?? "unknown"}`);
    }
    const destination = description?.Destinations?.[0];
    const s3 = destination?.ExtendedS3DestinationDescription ?? destination?.S3DestinationDescription;
    if (!s3) {
        problems.push(`the stream must deliver to the S3 bucket ${ctx.bucketName}`);
    } else {
        if (s3.BucketARN !== ctx.bucketArn) {
            problems.push(`the stream must deliver to ${ctx.bucketArn}, delivers to ${s3.BucketARN ?? "nothing"}`);
        }
        const extended = destination?.ExtendedS3DestinationDescription;
        problems.push(...firehoseProblems({
            bufferingIntervalSeconds: s3.BufferingHints?.IntervalInSeconds,
            compressionFormat: s3.CompressionFormat,
            prefix: s3.Prefix,
            processingEnabled: extended?.ProcessingConfiguration?.Enabled === true
                || extended?.DynamicPartitioningConfiguration?.Enabled === true,
        }, eventBridgePrefix(ctx.accountId, region)));
    }
    return problems.length === 0
        ? pass(`stream '${stream}' is ACTIVE and delivers GZIP every ${s3?.BufferingHints?.IntervalInSeconds} s to ${ctx.bucketName}/${s3?.Prefix}`)
        : fail(`stream '${stream}': ${problems.join("; ")}`);
}

export async function checkEventRule(ctx: VerifyContext, region: string): Promise<Verdict> {
    const { events } = ctx.aws(region);
    const streamArn = firehoseStreamArn(region, ctx.accountId, ctx.names(region).firehoseStream);
    const names = await ruleNamesTargeting(events, streamArn);
    if (names.length === 0) return fail(`no EventBridge rule targets the stream ${streamArn}`);
    const findings = await Promise.all(names.map(async (name) => {
        const rule = await awsCall("events:DescribeRule", () => events.send(new DescribeRuleCommand({ Name: name })));
        const pattern = rule.EventPattern === undefined
            ? { problems: ["it must have an event pattern"], tolerated: [] }
            : eventPatternFindings(rule.EventPattern);
        const problems = [
            ...(rule.State === "ENABLED" ? [] : [`it must be ENABLED, is ${rule.State ?? "unknown"}`]),
            ...pattern.problems,
        ];
        return { name, problems, tolerated: pattern.tolerated };
    }));
    const working = findings.filter((f) => f.problems.length === 0);
    const good = working.filter((f) => f.tolerated.length === 0);
    if (good.length === 0 && working.length > 0) {
        // The published template's rule: data flows, only some sources wait for the full scan.
        return warn(working.map((f) => `rule '${f.name}' targets the stream and is ENABLED, but ${f.tolerated.join("; ")}`).join(". "));
    }
    if (good.length > 0) {
        const names = good.map((f) => `'${f.name}'`).join(", ");
        return pass(good.length > 1
            ? `rules ${names} target the stream and are ENABLED with the Agent's event pattern`
            : `rule ${names} targets the stream and is ENABLED with the Agent's event pattern`);
    }
    return fail(findings.map((f) => `rule '${f.name}' targets the stream but ${f.problems.join("; ")}`).join(". "));
}

export async function checkKeyRotation(ctx: VerifyContext, region: string): Promise<Verdict> {
    const key = await ctx.integrationKey(region);
    const alias = ctx.names(region).kmsAlias;
    if (!key?.Arn) return fail(`there is no KMS key with alias ${alias} in ${region}`);
    const { kms } = ctx.aws(region);
    const out = await awsCall("kms:GetKeyRotationStatus", () => kms.send(new GetKeyRotationStatusCommand({ KeyId: key.Arn })));
    const problems = [
        ...(key.KeyState === undefined || key.KeyState === "Enabled" ? [] : [`the key must be Enabled, is ${key.KeyState}`]),
        ...keyRotationProblems(out.KeyRotationEnabled),
    ];
    return problems.length === 0
        ? pass(`key ${key.Arn} (${alias}) rotates automatically`)
        : fail(`key ${key.Arn} (${alias}): ${problems.join("; ")}`);
}

/**
 * What teardown would touch, found before anything changes: who is calling, the logs bucket and
 * whether this package created it, each region's rules (by the stream they target, with their
 * other targets) and the flow logs that deliver to the bucket. Anything that says "this is not ours" becomes a refusal.
 *
 * Every other enabled region of the partition is looked at too: a region left out of --regions
 * whose stream or flow logs still deliver to the bucket would go on delivering after the bucket
 * is emptied, and after it is deleted into whoever registers the (globally unique) name next. Such
 * a region is a refusal naming it, before anything changes. Each of those regions is asked for
 * its stream (a stack's flow logs only exist where its pipeline does); flow logs are looked for
 * where the stream is, and where the bucket holds flow-log deliveries of the last day.
 */
import { DescribeRuleCommand, EventBridgeClient, ListTargetsByRuleCommand, Target } from "@aws-sdk/client-eventbridge";
import { DescribeDeliveryStreamCommand } from "@aws-sdk/client-firehose";
import { GetBucketTaggingCommand, HeadBucketCommand, ListObjectVersionsCommand, S3Client } from "@aws-sdk/client-s3";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { DescribeRegionsCommand } from "@aws-sdk/client-ec2";
import {
    awsLogsPrefix, FIREHOSE_STREAM_NAME, firehoseStreamArn, isManagedByUs, regionNames, logsBucketName, MANAGED_BY_TAG_KEY, MANAGED_BY_TAG_VALUE,
    partitionOf, REGIONS_BY_PARTITION,
} from "../../model";
import { ClientFactory } from "../aws/clients";
import { mapWithConcurrency } from "../aws/concurrency";
import { awsCall, isAwsErrorCode } from "../aws/errors";
import { allEventBridgePages } from "../aws/event-pages";
import { ruleNamesTargeting } from "../aws/event-rules";
import { destinationBucket, flowLogsToBucket } from "../aws/flow-logs";
import { TeardownInput } from "./options";

export interface RuleFinding {
    region: string;
    name: string;
    enabled: boolean;
    /** Ids of the rule's targets that are the stream. */
    streamTargetIds: string[];
    /** How many other targets the rule has: then only the stream is detached, the rule keeps working. */
    otherTargets: number;
}

export interface FlowLogFinding {
    region: string;
    id: string;
    resourceId?: string;
}

export type BucketFinding =
    | { exists: false }
    | { exists: true; region: string; managed: boolean };

export interface TeardownPlan {
    account: string;
    bucket: string;
    bucketState: BucketFinding;
    rules: RuleFinding[];
    flowLogs: FlowLogFinding[];
    /** Reasons to change nothing at all. */
    refusals: string[];
}

/** Regions examined at once. */
export const DISCOVERY_CONCURRENCY = 8;

async function findBucket(clients: ClientFactory, region: string, bucket: string): Promise<BucketFinding> {
    const s3 = clients(region).s3;
    let bucketRegion: string;
    try {
        const head = await awsCall("s3:ListBucket", () => s3.send(new HeadBucketCommand({ Bucket: bucket })));
        bucketRegion = head.BucketRegion ?? region;
    } catch (error) {
        if (isAwsErrorCode(error, "NotFound", "NoSuchBucket")) return { exists: false };
        throw error;
    }
    try {
        const out = await awsCall("s3:GetBucketTagging",
            () => clients(bucketRegion).s3.send(new GetBucketTaggingCommand({ Bucket: bucket })));
        const tags = Object.fromEntries((out.TagSet ?? []).map((t) => [t.Key ?? "", t.Value]));
        return { exists: true, region: bucketRegion, managed: isManagedByUs(tags) };
    } catch (error) {
        if (isAwsErrorCode(error, "NoSuchTagSet")) return { exists: true, region: bucketRegion, managed: false };
        throw error;
    }
}

/** The bucket this region's stream delivers to, if the stream exists. */
async function streamBucket(clients: ClientFactory, region: string, stream: string): Promise<string | undefined> {
    try {
        const out = await awsCall("firehose:DescribeDeliveryStream",
            () => clients(region).firehose.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: stream })));
        const destination = out.DeliveryStreamDescription?.Destinations?.[0];
        const s3 = destination?.ExtendedS3DestinationDescription ?? destination?.S3DestinationDescription;
        return destinationBucket(s3?.BucketARN);
    } catch (error) {
        if (isAwsErrorCode(error, "ResourceNotFoundException")) return undefined;
        throw error;
    }
}

/** Every target of a rule on the default bus. */
async function ruleTargets(events: EventBridgeClient, rule: string): Promise<Target[]> {
    return allEventBridgePages(
        (NextToken) => awsCall("events:ListTargetsByRule", () => events.send(new ListTargetsByRuleCommand({ Rule: rule, NextToken }))),
        (out) => out.Targets,
    );
}

async function findRules(clients: ClientFactory, region: string, account: string, streamName: string): Promise<RuleFinding[]> {
    const events = clients(region).events;
    const stream = firehoseStreamArn(region, account, streamName);
    const names = await ruleNamesTargeting(events, stream);
    return Promise.all(names.map(async (name) => {
        const [rule, targets] = await Promise.all([
            awsCall("events:DescribeRule", () => events.send(new DescribeRuleCommand({ Name: name }))),
            ruleTargets(events, name),
        ]);
        const streamTargetIds = targets.filter((t) => t.Arn === stream).map((t) => t.Id as string);
        return { region, name, enabled: rule.State === "ENABLED", streamTargetIds, otherTargets: targets.length - streamTargetIds.length };
    }));
}

/** The account's enabled regions that a stack of this package can capture (known regions of the partition). */
async function enabledRegions(clients: ClientFactory, home: string): Promise<string[]> {
    const out = await awsCall("ec2:DescribeRegions", () => clients(home).ec2.send(new DescribeRegionsCommand({
        Filters: [{ Name: "opt-in-status", Values: ["opt-in-not-required", "opted-in"] }],
    })));
    const enabled = new Set((out.Regions ?? [])
        .filter((r) => r.OptInStatus !== "not-opted-in")
        .map((r) => r.RegionName));
    const known: readonly string[] = REGIONS_BY_PARTITION[partitionOf(home)];
    return known.filter((region) => enabled.has(region));
}

/** Regions whose flow logs delivered to the bucket (any version still there: current or not). */
async function flowLogDeliveryRegions(s3: S3Client, bucket: string, account: string): Promise<string[]> {
    const prefix = `${awsLogsPrefix(account)}vpcflowlogs/`;
    const regions: string[] = [];
    let KeyMarker: string | undefined;
    do {
        const out = await awsCall("s3:ListBucketVersions", () => s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: prefix, Delimiter: "/", KeyMarker })));
        for (const common of out.CommonPrefixes ?? []) {
            if (common.Prefix) regions.push(common.Prefix.slice(prefix.length, -1));
        }
        KeyMarker = out.IsTruncated ? out.NextKeyMarker : undefined;
    } while (KeyMarker);
    return regions;
}

/** What still delivers to the bucket from a region teardown was not asked to stop; empty when nothing does. */
async function sourcesOutside(clients: ClientFactory, region: string, account: string, bucket: string, flowLogsSeen: boolean): Promise<string[]> {
    // Outside the stack's regions no names are given: the stream has this package's name.
    const delivers = await streamBucket(clients, region, FIREHOSE_STREAM_NAME);
    const flowLogs = delivers === bucket || flowLogsSeen ? await flowLogsToBucket(clients(region).ec2, bucket) : [];
    const sources: string[] = [];
    if (delivers === bucket) {
        const rules = await ruleNamesTargeting(clients(region).events, firehoseStreamArn(region, account));
        sources.push(`its Firehose stream ${FIREHOSE_STREAM_NAME}${rules.length > 0 ? ` (fed by rule${rules.length > 1 ? "s" : ""} ${rules.join(", ")})` : ""}`);
    }
    if (flowLogs.length > 0) sources.push(`${flowLogs.length} flow log${flowLogs.length > 1 ? "s" : ""} (${flowLogs.map((f) => f.FlowLogId).join(", ")})`);
    return sources;
}

export async function discover(input: TeardownInput, clients: ClientFactory): Promise<TeardownPlan> {
    const bucket = logsBucketName(input.account);
    const home = input.regions[0];
    const streamOf = (region: string) => regionNames(region, input.names).firehoseStream;
    const refusals: string[] = [];

    const caller = await awsCall("sts:GetCallerIdentity", () => clients(home).sts.send(new GetCallerIdentityCommand({})));
    if (caller.Account !== input.account) {
        return {
            account: input.account, bucket, bucketState: { exists: false }, rules: [], flowLogs: [],
            refusals: [`the credentials (${caller.Arn}) are for account ${caller.Account}, not --account ${input.account}`],
        };
    }

    const bucketState = await findBucket(clients, home, bucket);
    if (bucketState.exists && !bucketState.managed) {
        refusals.push(`bucket ${bucket} is not tagged ${MANAGED_BY_TAG_KEY}=${MANAGED_BY_TAG_VALUE}: teardown only empties a bucket this package created`);
    }

    const perRegion = await mapWithConcurrency(input.regions, DISCOVERY_CONCURRENCY, async (region) => {
        const [delivers, rules, flowLogs] = await Promise.all([
            streamBucket(clients, region, streamOf(region)),
            findRules(clients, region, input.account, streamOf(region)),
            flowLogsToBucket(clients(region).ec2, bucket),
        ]);
        return { region, delivers, rules, flowLogs };
    });
    for (const { region, delivers } of perRegion) {
        if (delivers !== undefined && delivers !== bucket) {
            refusals.push(`the Firehose stream '${streamOf(region)}' in ${region} delivers to bucket ${delivers}, not ${bucket}: teardown only stops and empties the integration's own bucket`);
        }
    }
    // The regions asked about come first: a denied read there is named before these wider ones.
    const others = (await enabledRegions(clients, home)).filter((region) => !input.regions.includes(region));
    const flowLogsSeen = bucketState.exists ? await flowLogDeliveryRegions(clients(bucketState.region).s3, bucket, input.account) : [];
    const outside = await mapWithConcurrency(others, DISCOVERY_CONCURRENCY, async (region) =>
        ({ region, sources: await sourcesOutside(clients, region, input.account, bucket, flowLogsSeen.includes(region)) }));
    for (const { region, sources } of outside) {
        if (sources.length === 0) continue;
        refusals.push(`${region} is not in --regions but still delivers to ${bucket}: ${sources.join(" and ")}; add it to --regions so teardown stops it too`);
    }
    return {
        account: input.account,
        bucket,
        bucketState,
        rules: perRegion.flatMap((r) => r.rules),
        flowLogs: perRegion.flatMap((r) => r.flowLogs.map((f) => ({ region: r.region, id: f.FlowLogId as string, resourceId: f.ResourceId }))),
        refusals,
    };
}

/** Rules for the event pipeline, bucket, key and flow logs (docs/stackstate-integration.md: event pipeline to VPC flow logs). */
import {
    AGENT_HANDLED_EVENT_SOURCES, BUCKET_SETTINGS, EVENT_DETAIL_TYPES, FIREHOSE_SETTINGS, FLOW_LOG_SETTINGS,
    DEFAULT_FLOW_LOG_FORMAT, PUBLISHED_PATTERN_OMITTED_SOURCES,
} from "../pipeline-settings";
import { parseS3Arn } from "../arn";
import { wildcardMatches } from "./action-match";

/**
 * Does one entry of an event pattern's value list match the value? Strings match exactly; of
 * EventBridge's content filters, those that can match a string are understood. Any other entry
 * (numeric, cidr, nested forms) is taken as not matching, so a pattern is never passed on a guess.
 */
function filterMatches(filter: unknown, value: string): boolean {
    if (typeof filter === "string") return filter === value;
    if (!filter || typeof filter !== "object" || Array.isArray(filter)) return false;
    const entries = Object.entries(filter as Record<string, unknown>);
    if (entries.length !== 1) return false;
    const [[operator, operand]] = entries;
    switch (operator) {
        case "prefix": return typeof operand === "string" && value.startsWith(operand);
        case "suffix": return typeof operand === "string" && value.endsWith(operand);
        case "equals-ignore-case": return typeof operand === "string" && operand.toLowerCase() === value.toLowerCase();
        case "wildcard": return typeof operand === "string" && wildcardMatches(operand, value);
        case "exists": return operand === true;
        case "anything-but": {
            const excluded = Array.isArray(operand) ? operand : [operand];
            return excluded.every((e) => typeof e === "string" && e !== value);
        }
        default: return false;
    }
}

/**
 * Whether a rule's pattern matches every source the Agent handles and both detail types, and
 * filters on nothing else.
 */
export interface EventPatternFindings {
    /** What hides events the Agent needs. */
    problems: string[];
    /**
     * What the Agent tolerates: the published template's pattern, which lacks the sources of
     * PUBLISHED_PATTERN_OMITTED_SOURCES. Each names what is missing and the fix.
     */
    tolerated: string[];
}

export function eventPatternFindings(pattern: unknown): EventPatternFindings {
    let parsed: Record<string, unknown>;
    try {
        parsed = typeof pattern === "string" ? JSON.parse(pattern) : (pattern as Record<string, unknown>);
    } catch {
        return { problems: ["the event pattern must be valid JSON"], tolerated: [] };
    }
    if (!parsed || typeof parsed !== "object") return { problems: ["the event pattern must be a JSON object"], tolerated: [] };
    const problems: string[] = [];
    const tolerated: string[] = [];
    const matches = (key: string, value: string) => Array.isArray(parsed[key]) && (parsed[key] as unknown[]).some((f) => filterMatches(f, value));
    const missing = AGENT_HANDLED_EVENT_SOURCES.filter((s) => !matches("source", s));
    const missingSources = missing.filter((s) => !PUBLISHED_PATTERN_OMITTED_SOURCES.includes(s));
    const missingOmitted = missing.filter((s) => PUBLISHED_PATTERN_OMITTED_SOURCES.includes(s));
    if (missingSources.length > 0) {
        problems.push(`the event pattern must match the sources ${missing.join(", ")} (the Agent reads their events)`);
    } else if (missingOmitted.length > 0) {
        tolerated.push(`the event pattern does not match the sources ${missingOmitted.join(", ")}, as StackState's published template writes it: the Agent handles their events, but without them those changes wait for its hourly full scan. Fix: add ${missingOmitted.map((s) => `"${s}"`).join(" and ")} to the rule's "source" list`);
    }
    const missingTypes = EVENT_DETAIL_TYPES.filter((t) => !matches("detail-type", t));
    if (missingTypes.length > 0) {
        problems.push(`the event pattern must match the detail types ${missingTypes.map((t) => `'${t}'`).join(", ")}`);
    }
    const narrowing = Object.keys(parsed).filter((key) => !["source", "detail-type"].includes(key));
    if (narrowing.length > 0) {
        problems.push(`the event pattern must not filter on ${narrowing.join(", ")} (it would hide events from the Agent)`);
    }
    return { problems, tolerated };
}

export interface FirehoseFacts {
    /** Seconds; Firehose's default is 300 when unset. */
    bufferingIntervalSeconds?: number;
    compressionFormat?: string;
    prefix?: string;
    /** Any record processing (Lambda, delimiters, dynamic partitioning) turned on. */
    processingEnabled?: boolean;
}

/** The Agent needs GZIP objects, flushed every 60 s, under the exact prefix, records back to back. */
export function firehoseProblems(facts: FirehoseFacts, expectedPrefix?: string): string[] {
    const problems: string[] = [];
    const interval = facts.bufferingIntervalSeconds ?? 300;
    if (interval !== FIREHOSE_SETTINGS.bufferingIntervalSeconds) {
        problems.push(`the buffering interval must be ${FIREHOSE_SETTINGS.bufferingIntervalSeconds} s, is ${interval} s (topology updates wait that long)`);
    }
    const compression = facts.compressionFormat ?? "UNCOMPRESSED";
    if (compression !== FIREHOSE_SETTINGS.compressionFormat) {
        problems.push(`compression must be ${FIREHOSE_SETTINGS.compressionFormat}, is ${compression}`);
    }
    if (expectedPrefix !== undefined && facts.prefix !== expectedPrefix) {
        problems.push(`the S3 prefix must be '${expectedPrefix}', is '${facts.prefix ?? ""}' (the Agent reads only that prefix)`);
    } else if (expectedPrefix === undefined && !/^AWSLogs\/\d{12}\/EventBridge\/[a-z0-9-]+\/$/.test(facts.prefix ?? "")) {
        problems.push(`the S3 prefix must be 'AWSLogs/<account>/EventBridge/<region>/', is '${facts.prefix ?? ""}'`);
    }
    if (facts.processingEnabled) {
        problems.push("record processing must be off: the Agent reads records written back to back and drops everything after a newline");
    }
    return problems;
}

export interface LifecycleRuleFacts {
    enabled: boolean;
    /** No prefix, tag or size filter. */
    wholeBucket: boolean;
    expirationDays?: number;
    noncurrentExpirationDays?: number;
    abortIncompleteMultipartDays?: number;
}

export function versioningProblems(status: string | undefined): string[] {
    return status === "Enabled" ? [] : [`versioning must be Enabled, is ${status ?? "not set"} (the Agent will not read the bucket)`];
}

/** Objects the Agent misses must not pile up: current and non-current versions expire after a day. */
export function lifecycleProblems(rules: LifecycleRuleFacts[]): string[] {
    const active = rules.filter((r) => r.enabled && r.wholeBucket);
    const problems: string[] = [];
    if (!active.some((r) => r.expirationDays === BUCKET_SETTINGS.expirationDays)) {
        problems.push(`an enabled whole-bucket lifecycle rule must expire current versions after ${BUCKET_SETTINGS.expirationDays} day`);
    }
    if (!active.some((r) => r.noncurrentExpirationDays === BUCKET_SETTINGS.noncurrentVersionExpirationDays)) {
        problems.push(`an enabled whole-bucket lifecycle rule must expire non-current versions after ${BUCKET_SETTINGS.noncurrentVersionExpirationDays} day`);
    }
    return problems;
}

export function keyRotationProblems(enabled: boolean | undefined): string[] {
    return enabled ? [] : ["automatic key rotation must be enabled"];
}

export interface FlowLogFacts {
    /** Absent or AWS's default format string. */
    logFormat?: string;
    maxAggregationIntervalSeconds?: number;
    fileFormat?: string;
    hiveCompatiblePartitions?: boolean;
    perHourPartition?: boolean;
    /** The S3 destination ARN. */
    destination?: string;
}

/** The Agent parses AWS's default format, per-minute aggregation, plain text, AWS's default key layout. */
export function flowLogProblems(facts: FlowLogFacts): string[] {
    const problems: string[] = [];
    if (facts.logFormat !== undefined && facts.logFormat !== "" && facts.logFormat !== DEFAULT_FLOW_LOG_FORMAT) {
        problems.push("the log format must be AWS's default format");
    }
    const interval = facts.maxAggregationIntervalSeconds ?? 600;
    if (interval !== FLOW_LOG_SETTINGS.maxAggregationIntervalSeconds) {
        problems.push(`the maximum aggregation interval must be ${FLOW_LOG_SETTINGS.maxAggregationIntervalSeconds} s, is ${interval} s`);
    }
    if (facts.fileFormat !== undefined && facts.fileFormat !== FLOW_LOG_SETTINGS.fileFormat) {
        problems.push(`the file format must be ${FLOW_LOG_SETTINGS.fileFormat}, is ${facts.fileFormat}`);
    }
    if (facts.hiveCompatiblePartitions) problems.push("Hive-compatible partitions must be off (the Agent expects AWS's default keys)");
    if (facts.perHourPartition) problems.push("per-hour partitions must be off (the Agent expects AWS's default keys)");
    if (parseS3Arn(facts.destination)?.key) {
        problems.push("the destination must be the bucket itself, without a sub-folder (the Agent lists AWSLogs/<account>/vpcflowlogs/)");
    }
    return problems;
}

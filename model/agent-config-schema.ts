/**
 * JSON schemas around the Agent's `aws_topology` check (docs/stackstate-integration.md#the-agent-side):
 * - AWS_TOPOLOGY_CHECK_SCHEMA: the options the check reads from `conf.d/aws_topology.d/*.yaml`;
 *   every rendered file is validated against it before it is written anywhere.
 * - MONITORED_ACCOUNT_SCHEMA: one monitored account as this package describes it (camelCase),
 *   the renderer's input, shared by the collector's config and `agent-config`.
 */
import { AGENT_GLOBAL_REGION, KNOWN_REGIONS } from "./regions";
import { AGENT_APIS } from "./aws-topology-check";
import { CONFIG_SCHEMA } from "./config-schema";
import { EXTERNAL_ID_AWS_MIN_LENGTH, EXTERNAL_ID_MAX_LENGTH, EXTERNAL_ID_MIN_LENGTH, EXTERNAL_ID_PATTERN } from "./external-id";

/** Region names the check accepts: `global` (Route53, IAM, CloudFront...) and AWS's regions. */
export const AGENT_REGIONS: readonly string[] = [AGENT_GLOBAL_REGION, ...KNOWN_REGIONS];

const ROLE_ARN = CONFIG_SCHEMA.properties.agentRoleArns.items;
const AGENT_REGION = {
    type: "string",
    enum: AGENT_REGIONS,
    "x-rule": `must be ${AGENT_GLOBAL_REGION} or a known AWS region code (${KNOWN_REGIONS.join(", ")})`,
};
const INTERVAL = { type: "integer", minimum: 1, "x-rule": "must be a whole number of seconds, at least 1" };
/**
 * `api` or `api|filter`: an API of the check's registry (it skips unknown names without a word),
 * and a filter the check matches as a substring (it keeps only what follows the first `|`).
 */
const API_TO_RUN = {
    type: "string",
    pattern: `^(${AGENT_APIS.join("|")})(\\|[^|]+)?$`,
    "x-rule": `entries must be one of the check's APIs (${AGENT_APIS.join(", ")}), optionally with a filter (api|filter)`,
};
const API_LIST = { type: "array", minItems: 1, items: API_TO_RUN, "x-rule": "must be a non-empty list of the check's API names (api or api|filter)" };
const TAG_LIST = {
    type: "array",
    items: { type: "string", minLength: 1, "x-rule": "entries must be non-empty strings such as key:value" },
    "x-rule": "must be a list of tags such as key:value",
};
const BUCKET_NAME = {
    type: "string",
    pattern: "^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$",
    "x-rule": "must be an S3 bucket name (3-63 characters of a-z, 0-9, . and -)",
};

export const AWS_TOPOLOGY_CHECK_SCHEMA = {
    type: "object",
    additionalProperties: false,
    required: ["init_config", "instances"],
    properties: {
        init_config: {
            type: "object",
            additionalProperties: false,
            required: ["aws_access_key_id", "aws_secret_access_key", "external_id"],
            properties: {
                aws_access_key_id: { type: "string", "x-rule": "must be a string; empty means the instance profile's credentials" },
                aws_secret_access_key: { type: "string", "x-rule": "must be a string; empty means the instance profile's credentials" },
                external_id: {
                    type: "string",
                    minLength: EXTERNAL_ID_AWS_MIN_LENGTH,
                    maxLength: EXTERNAL_ID_MAX_LENGTH,
                    pattern: EXTERNAL_ID_PATTERN,
                    "x-rule": `must be ${EXTERNAL_ID_AWS_MIN_LENGTH}-${EXTERNAL_ID_MAX_LENGTH} characters of letters, digits and _+=,.@:/-`,
                },
                full_run_interval: INTERVAL,
            },
            // Both keys are read; both empty = the instance profile, both set = an access key.
            anyOf: [
                { properties: { aws_access_key_id: { type: "string", const: "" }, aws_secret_access_key: { type: "string", const: "" } } },
                { properties: { aws_access_key_id: { type: "string", minLength: 1 }, aws_secret_access_key: { type: "string", minLength: 1 } } },
            ],
            "x-rule": "must have aws_access_key_id, aws_secret_access_key (both empty for the instance profile, or both set) and external_id",
        },
        instances: {
            type: "array",
            minItems: 1,
            items: {
                type: "object",
                additionalProperties: false,
                required: ["role_arn", "regions"],
                properties: {
                    role_arn: ROLE_ARN,
                    regions: { type: "array", minItems: 1, uniqueItems: true, items: AGENT_REGION, "x-rule": "must be a non-empty list of distinct regions" },
                    collection_interval: INTERVAL,
                    /** The older name of collection_interval; the Agent reads it when collection_interval is absent. */
                    min_collection_interval: INTERVAL,
                    apis_to_run: API_LIST,
                    log_bucket_name: BUCKET_NAME,
                    flowlog_bucket_name: BUCKET_NAME,
                    tags: TAG_LIST,
                },
            },
            "x-rule": "must be a non-empty list of instances, one per monitored account",
        },
    },
} as const;

/** One monitored account, as the collector's config and `agent-config` describe it. */
export const MONITORED_ACCOUNT_SCHEMA = {
    type: "object",
    additionalProperties: false,
    required: ["roleArn", "externalId", "regions"],
    properties: {
        roleArn: ROLE_ARN,
        externalId: {
            type: "string",
            minLength: EXTERNAL_ID_MIN_LENGTH,
            maxLength: EXTERNAL_ID_MAX_LENGTH,
            pattern: EXTERNAL_ID_PATTERN,
            "x-rule": `must be ${EXTERNAL_ID_MIN_LENGTH}-${EXTERNAL_ID_MAX_LENGTH} characters of letters, digits and _+=,.@:/-`,
        },
        regions: {
            type: "array",
            minItems: 1,
            uniqueItems: true,
            items: AGENT_REGION,
            "x-rule": `must be a non-empty list of distinct region codes (${AGENT_GLOBAL_REGION} is added for you)`,
        },
        collectionInterval: INTERVAL,
        apisToRun: API_LIST,
        tags: TAG_LIST,
        logBucketName: BUCKET_NAME,
        flowlogBucketName: BUCKET_NAME,
    },
} as const;

/**
 * The monitored-account stack's configuration, as a JSON schema: the one place its keys, types,
 * defaults and rules are written. `x-rule` states each rule in words for error messages;
 * Pulumi.yaml's descriptions are checked against `description` by a test.
 */
import { KNOWN_REGIONS } from "./regions";
import { API_GATEWAY_ACCESS_LEVELS, PERMISSION_SETS, PERMISSIONS_TAG_KEY } from "./integration-permissions";
import { EXTERNAL_ID_MAX_LENGTH, EXTERNAL_ID_MIN_LENGTH, EXTERNAL_ID_PATTERN } from "./external-id";

export const CONFIG_NAMESPACE = "stackstate-aws";

const IAM_NAME = (max: number) => ({ type: "string", pattern: `^[\\w+=,.@-]{1,${max}}$`, "x-rule": `must be an IAM name: 1-${max} letters, digits and _+=,.@-` });
const EVENTS_NAME = { type: "string", pattern: "^[.\\-_A-Za-z0-9]{1,64}$", "x-rule": "must be 1-64 letters, digits and ._-" };
const REGION_NAMES = {
    type: "object",
    additionalProperties: false,
    minProperties: 1,
    properties: {
        eventRule: EVENTS_NAME,
        eventTarget: EVENTS_NAME,
        firehoseStream: { type: "string", pattern: "^[a-zA-Z0-9_.-]{1,64}$", "x-rule": "must be 1-64 letters, digits and _.-" },
        firehoseRole: IAM_NAME(64),
        firehosePolicy: IAM_NAME(128),
        eventBridgeRole: IAM_NAME(64),
        eventBridgePolicy: IAM_NAME(128),
        kmsAlias: { type: "string", pattern: "^alias/(?!aws/)[a-zA-Z0-9/_-]{1,250}$", "x-rule": "must be a KMS alias name: alias/ then 1-250 letters, digits and /_- (not alias/aws/)" },
    },
    "x-rule": "must map some of eventRule, eventTarget, firehoseStream, firehoseRole, firehosePolicy, eventBridgeRole, eventBridgePolicy, kmsAlias to names",
};

/** The characters AWS accepts in tag keys and values (the Tagging API's pattern; IAM, S3, KMS... refuse others). */
const TAG_CHARACTERS = "^[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*$";
const TAG_CHARACTERS_IN_WORDS = "letters, digits, spaces and _.:/=+-@";
const ACCOUNT_ID = { type: "string", pattern: "^\\d{12}$", "x-rule": "must be a 12-digit AWS account ID" };
const PARTITION = "aws(-us-gov)?";
const ROLE_ARN = {
    type: "string",
    pattern: `^arn:${PARTITION}:iam::\\d{12}:role/[\\w+=,.@/-]{1,512}$`,
    "x-rule": "must be an IAM role ARN (arn:aws:iam::<12-digit account>:role/<name>)",
};
const VPC_ID = { type: "string", pattern: "^vpc-[0-9a-f]{8}([0-9a-f]{9})?$", "x-rule": "must be a VPC id (vpc-0123abcd…)" };
/** A role name with an optional IAM path, as in `OrganizationAccountAccessRole` or `ci/Deployer`. */
const ROLE_NAME_WITH_PATH = {
    type: "string",
    maxLength: 512,
    pattern: "^/?([\\x21-\\x2e\\x30-\\x7e]+/)*[\\w+=,.@-]{1,64}$",
    "x-rule": "must be an IAM role name, optionally after a path (OrganizationAccountAccessRole, ci/StackStateDeployer)",
};
const REGION = {
    type: "string",
    enum: KNOWN_REGIONS,
    "x-rule": `must be a known AWS region code (${KNOWN_REGIONS.join(", ")})`,
};

const REGIONS = {
    type: "array",
    minItems: 1,
    uniqueItems: true,
    items: REGION,
    "x-rule": "must be a non-empty list of distinct AWS region codes",
};
const EXTERNAL_ID = {
    type: "string",
    minLength: EXTERNAL_ID_MIN_LENGTH,
    maxLength: EXTERNAL_ID_MAX_LENGTH,
    pattern: EXTERNAL_ID_PATTERN,
    "x-rule": `must be ${EXTERNAL_ID_MIN_LENGTH}-${EXTERNAL_ID_MAX_LENGTH} characters of letters, digits and _+=,.@:/- (shorter IDs can be guessed; omit it to have one generated)`,
};
// No `default` in these two: ajv would fill it into every entry of accounts, where an absent key
// means "the stack's value".
const FLOW_LOGS = {
    type: "object",
    propertyNames: REGION,
    additionalProperties: {
        anyOf: [
            { type: "string", const: "all" },
            { type: "array", minItems: 1, uniqueItems: true, items: VPC_ID },
        ],
        "x-rule": "must be \"all\" or a non-empty list of distinct VPC ids",
    },
    "x-rule": "must map region codes to \"all\" or a list of VPC ids",
};
const TAGS = {
    type: "object",
    maxProperties: 49,
    propertyNames: {
        type: "string",
        minLength: 1,
        maxLength: 128,
        pattern: TAG_CHARACTERS,
        not: { pattern: `^(aws:|managed-by$|${PERMISSIONS_TAG_KEY}$)` },
        "x-rule": `tag keys must be 1-128 characters (${TAG_CHARACTERS_IN_WORDS}), not start with aws: and not be managed-by or ${PERMISSIONS_TAG_KEY} (reserved for this package)`,
    },
    additionalProperties: {
        type: "string",
        maxLength: 256,
        pattern: TAG_CHARACTERS,
        "x-rule": `tag values must be strings of at most 256 characters (${TAG_CHARACTERS_IN_WORDS})`,
    },
    "x-rule": "must map tag keys to string values (at most 49 tags besides managed-by)",
};

/** Keys an entry of `accounts` may set; each defaults to the stack's own key. */
export const ACCOUNT_ENTRY_KEYS = ["accountId", "regions", "mainRegion", "externalId", "flowLogs", "tags"] as const;

export const ACCOUNT_ENTRY_SCHEMA = {
    type: "object",
    additionalProperties: false,
    required: ["accountId"],
    properties: {
        accountId: ACCOUNT_ID,
        regions: REGIONS,
        mainRegion: REGION,
        externalId: EXTERNAL_ID,
        flowLogs: FLOW_LOGS,
        tags: TAGS,
    },
    "x-rule": `must be an object of ${ACCOUNT_ENTRY_KEYS.join(", ")} (accountId required)`,
} as const;

/** What `deployRoleName` is when unset: the role AWS Organizations creates in every account it creates. */
export const DEFAULT_DEPLOY_ROLE_NAME = "OrganizationAccountAccessRole";

export const CONFIG_SCHEMA = {
    type: "object",
    additionalProperties: false,
    required: ["regions"],
    properties: {
        regions: {
            description: "AWS regions whose events StackState captures; one event pipeline is created in each.",
            ...REGIONS,
        },
        mainRegion: {
            description: "Region for the account's global resources (integration role, logs bucket); one of regions. Default: the first region.",
            ...REGION,
        },
        agentRoleArns: {
            description: "IAM role ARNs allowed to assume the integration role (the Agent's instance role, a StackState server's role). Preferred over agentAccountId.",
            type: "array",
            minItems: 1,
            uniqueItems: true,
            items: ROLE_ARN,
            "x-rule": "must be a non-empty list of distinct IAM role ARNs",
        },
        agentAccountId: {
            description: "AWS account whose principals may assume the integration role (trusts that account's root). Use agentRoleArns where you can.",
            ...ACCOUNT_ID,
        },
        accountId: {
            description: "The monitored account's ID. Optional; when set, deployment stops if the credentials belong to another account.",
            ...ACCOUNT_ID,
        },
        externalId: {
            description: `Shared secret the Agent presents when assuming the role (${EXTERNAL_ID_MIN_LENGTH}-${EXTERNAL_ID_MAX_LENGTH} characters of [\\w+=,.@:/-]). Set it as a secret; omit it to generate a random one, exported as the secret output externalId.`,
            ...EXTERNAL_ID,
        },
        flowLogs: {
            description: "VPC flow logs to the logs bucket, per region: a list of VPC ids, or \"all\" to cover every VPC found in the region at deployment. Default: none.",
            ...FLOW_LOGS,
            default: {},
        },
        permissionsBoundaryArn: {
            description: "Managed policy ARN set as the permissions boundary of every role this package creates. Default: none.",
            type: "string",
            pattern: `^arn:${PARTITION}:iam::(\\d{12}|aws):policy/[\\w+=,.@/-]+$`,
            "x-rule": "must be an IAM managed policy ARN (arn:aws:iam::<account or aws>:policy/<name>)",
        },
        rolePath: {
            description: "IAM path for the roles and policies this package creates. Default: /.",
            type: "string",
            maxLength: 512,
            pattern: "^/([\\x21-\\x7E]*/)?$",
            default: "/",
            "x-rule": "must be an IAM path: starts and ends with /, printable ASCII, at most 512 characters",
        },
        tags: {
            description: "Tags for every taggable resource, merged with managed-by: stackstate-aws.",
            ...TAGS,
            default: {},
        },
        apiGatewayAccess: {
            description: "API Gateway permissions: read (apigateway:GET only) or published (the published template's GET, DELETE, PUT, HEAD, PATCH, POST, OPTIONS). Default: read.",
            type: "string",
            enum: API_GATEWAY_ACCESS_LEVELS,
            default: "read",
            "x-rule": `must be one of: ${API_GATEWAY_ACCESS_LEVELS.join(", ")}`,
        },
        names: {
            description: "AWS names to use instead of this package's, for resources it adopts rather than creates (e.g. from the CloudFormation template): integrationRole, integrationPolicy, and per region eventRule, eventTarget, firehoseStream, firehoseRole, firehosePolicy, eventBridgeRole, eventBridgePolicy, kmsAlias. Default: this package's names.",
            type: "object",
            additionalProperties: false,
            properties: {
                integrationRole: IAM_NAME(64),
                integrationPolicy: IAM_NAME(128),
                regions: {
                    type: "object",
                    propertyNames: REGION,
                    additionalProperties: REGION_NAMES,
                    "x-rule": "must map region codes to names",
                },
            },
            "x-rule": "must be a map of integrationRole, integrationPolicy and regions (region code to names)",
        },
        permissions: {
            description: "The integration role's permissions: published (the published template's list, about 150 actions) or minimal (exactly what the Agent's check and the StackState server call, about 75; docs/aws-topology-check.md). Default: published.",
            type: "string",
            enum: PERMISSION_SETS,
            default: "published",
            "x-rule": `must be one of: ${PERMISSION_SETS.join(", ")}`,
        },
        deployRoleArn: {
            description: "Role in the monitored account that Pulumi assumes to deploy (one stack per account, run from a central account). Default: the ambient credentials.",
            ...ROLE_ARN,
        },
        accounts: {
            description: "Monitored accounts deployed by this one stack: a list of {accountId, regions?, mainRegion?, externalId?, flowLogs?, tags?}; absent keys take the stack's value (tags are merged). Each account is deployed through deployRoleName. Default: the one account of the credentials.",
            type: "array",
            minItems: 1,
            items: ACCOUNT_ENTRY_SCHEMA,
            "x-rule": "must be a non-empty list of accounts ({ accountId, regions?, mainRegion?, externalId?, flowLogs?, tags? })",
        },
        deployRoleName: {
            description: `With accounts: the role (name, optionally after a path) each account's providers assume to deploy there. Default: ${DEFAULT_DEPLOY_ROLE_NAME}.`,
            ...ROLE_NAME_WITH_PATH,
        },
    },
} as const;

export type ConfigKey = keyof typeof CONFIG_SCHEMA.properties;
export const CONFIG_KEYS = Object.keys(CONFIG_SCHEMA.properties) as ConfigKey[];

/** Keys whose values are structured: Pulumi stores them as JSON text. */
export const STRUCTURED_CONFIG_KEYS: readonly ConfigKey[] = CONFIG_KEYS.filter(
    (key) => ["array", "object"].includes((CONFIG_SCHEMA.properties[key] as { type: string }).type),
);

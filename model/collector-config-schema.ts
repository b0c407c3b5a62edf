/**
 * The collector stack's configuration (namespace `stackstate-aws-collector`), as a JSON schema:
 * the one place its keys, defaults and rules are written. collector/Pulumi.yaml's descriptions
 * are checked against `description` by a test.
 */
import { CONFIG_SCHEMA } from "./config-schema";
import { MONITORED_ACCOUNT_SCHEMA } from "./agent-config-schema";
import { AGENT_ROLE_NAME } from "./names";
import { DEFAULT_COLLECTION_INTERVAL } from "./agent-config";
import {
    DEFAULT_AGENT_VERSION, DEFAULT_AMI_PARAMETER, DEFAULT_INSTANCE_TYPE, DEFAULT_ROOT_DEVICE_NAME, DEFAULT_ROOT_VOLUME_GIB,
} from "./collector-settings";

/** Explicit, so the program reads the same keys whatever the project is called (and under the test engine). */
export const COLLECTOR_CONFIG_NAMESPACE = "stackstate-aws-collector";

const INTERVAL = MONITORED_ACCOUNT_SCHEMA.properties.collectionInterval;
const URL_RULE = "must be an http:// or https:// URL without spaces or quotes";
const SSM_PARAMETER_NAME = {
    type: "string",
    maxLength: 1011,
    pattern: "^(?!/?(aws|ssm))(/?[a-zA-Z0-9_.-]+)+$",
    "x-rule": "must be an SSM parameter name (letters, digits, _.-/, not starting with aws or ssm)",
};

export const COLLECTOR_CONFIG_SCHEMA = {
    type: "object",
    additionalProperties: false,
    required: ["stackStateUrl", "apiKeyParameter", "subnetIds"],
    properties: {
        stackStateUrl: {
            description: "StackState receiver URL the Agent sends to, e.g. https://stackstate.example.com/receiver/stsAgent.",
            type: "string",
            pattern: "^https?://[^\\s'\"\\\\]+$",
            "x-rule": URL_RULE,
        },
        apiKeyParameter: {
            description: "Name of the SSM Parameter Store SecureString holding the StackState API key. Create it first; the key never enters Pulumi state or user data.",
            ...SSM_PARAMETER_NAME,
        },
        subnetIds: {
            description: "Subnets (one VPC) the Auto Scaling group may launch the host in; they need a route to the internet (NAT) or to the proxy.",
            type: "array",
            minItems: 1,
            uniqueItems: true,
            items: { type: "string", pattern: "^subnet-[0-9a-f]{8}([0-9a-f]{9})?$", "x-rule": "must be a subnet id (subnet-0123abcd…)" },
            "x-rule": "must be a non-empty list of distinct subnet ids",
        },
        accounts: {
            description: "Monitored accounts listed here: [{roleArn, externalId, regions, collectionInterval?, apisToRun?, tags?, logBucketName?, flowlogBucketName?}]. Set it as a secret (it holds ExternalIds). Default: none.",
            type: "array",
            items: MONITORED_ACCOUNT_SCHEMA,
            "x-rule": "must be a list of monitored accounts",
        },
        monitoredStacks: {
            description: "Monitored-account stacks (org/project/stack) whose outputs roleArn, externalId and regions the collector reads through StackReferences. Default: none.",
            type: "array",
            uniqueItems: true,
            items: { type: "string", pattern: "^[\\w.-]+(/[\\w.-]+){0,2}$", "x-rule": "must be a stack name (org/project/stack)" },
            "x-rule": "must be a list of distinct stack names",
        },
        collectionInterval: {
            description: "Seconds between aws_topology runs for accounts that do not set their own. Default: 60.",
            ...INTERVAL,
            default: DEFAULT_COLLECTION_INTERVAL,
        },
        fullRunInterval: {
            description: "Seconds between full topology scans (init_config.full_run_interval). Default: the Agent's, 3600.",
            ...INTERVAL,
        },
        agentVersion: {
            description: `StackState Agent V2 package version to pin; it must still ship the aws_topology check (integrations up to 1.24.8). Default: ${DEFAULT_AGENT_VERSION}.`,
            type: "string",
            pattern: "^\\d+\\.\\d+\\.\\d+$",
            default: DEFAULT_AGENT_VERSION,
            "x-rule": "must be a version such as 2.16.0",
        },
        amiParameter: {
            description: `Public SSM parameter holding the AMI id. Default: ${DEFAULT_AMI_PARAMETER} (Amazon Linux 2023).`,
            type: "string",
            pattern: "^/[a-zA-Z0-9_./-]+$",
            default: DEFAULT_AMI_PARAMETER,
            "x-rule": "must be an SSM parameter path such as /aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64",
        },
        instanceType: {
            description: `EC2 instance type of the host. Default: ${DEFAULT_INSTANCE_TYPE}.`,
            type: "string",
            pattern: "^[a-z][a-z0-9-]*\\.[a-z0-9]+$",
            default: DEFAULT_INSTANCE_TYPE,
            "x-rule": "must be an instance type such as t3.medium",
        },
        rootDeviceName: {
            description: `Root device name of the AMI, whose volume is encrypted. Default: ${DEFAULT_ROOT_DEVICE_NAME} (Amazon Linux; Ubuntu uses /dev/sda1).`,
            type: "string",
            pattern: "^/dev/[a-z0-9]+$",
            default: DEFAULT_ROOT_DEVICE_NAME,
            "x-rule": "must be a device name such as /dev/xvda",
        },
        rootVolumeSize: {
            description: `Root volume size in GiB (encrypted gp3). Default: ${DEFAULT_ROOT_VOLUME_GIB}.`,
            type: "integer",
            minimum: 8,
            maximum: 16384,
            default: DEFAULT_ROOT_VOLUME_GIB,
            "x-rule": "must be a whole number of GiB from 8 to 16384",
        },
        kmsKeyArn: {
            description: "Customer-managed KMS key of the API key parameter; the ExternalId parameters use it too and the host may decrypt with it through SSM only. Default: the AWS-managed key alias/aws/ssm.",
            type: "string",
            pattern: "^arn:aws(-us-gov)?:kms:[a-z0-9-]+:\\d{12}:key/[0-9a-f-]{36}$",
            "x-rule": "must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<uuid>), not an alias",
        },
        proxyUrl: {
            description: "HTTP proxy for the Agent's traffic to StackState (stackstate.yaml) and the check's AWS calls (HTTPS_PROXY), e.g. http://proxy.internal:3128. Default: none.",
            type: "string",
            pattern: "^https?://[^\\s'\"\\\\@/]+/?$",
            "x-rule": "must be a proxy URL such as http://proxy.internal:3128, without credentials (they would land in user data) or a path",
        },
        noProxy: {
            description: "Hosts reached without the proxy, besides instance metadata and localhost. Default: none.",
            type: "array",
            items: { type: "string", pattern: "^[A-Za-z0-9.*:/_-]+$", "x-rule": "entries must be host names, domains (.example.com) or addresses" },
            "x-rule": "must be a list of hosts",
        },
        roleName: {
            description: `Name of the host's IAM role and instance profile; monitored stacks trust it through agentRoleArns. Default: ${AGENT_ROLE_NAME}.`,
            type: "string",
            pattern: "^[\\w+=,.@-]{1,64}$",
            default: AGENT_ROLE_NAME,
            "x-rule": "must be an IAM role name (1-64 characters of letters, digits and +=,.@_-)",
        },
        rolePath: { ...CONFIG_SCHEMA.properties.rolePath, default: "/" },
        permissionsBoundaryArn: CONFIG_SCHEMA.properties.permissionsBoundaryArn,
        tags: { ...CONFIG_SCHEMA.properties.tags, default: {} },
    },
} as const;

export type CollectorConfigKey = keyof typeof COLLECTOR_CONFIG_SCHEMA.properties;
export const COLLECTOR_CONFIG_KEYS = Object.keys(COLLECTOR_CONFIG_SCHEMA.properties) as CollectorConfigKey[];
const typeOf = (key: CollectorConfigKey) => (COLLECTOR_CONFIG_SCHEMA.properties[key] as { type: string }).type;
/** Keys whose values are structured: Pulumi stores them as JSON text. */
export const STRUCTURED_COLLECTOR_CONFIG_KEYS: readonly CollectorConfigKey[] = COLLECTOR_CONFIG_KEYS.filter((key) => ["array", "object"].includes(typeOf(key)));
/** Keys whose values are numbers: Pulumi stores every plain value as text. */
export const NUMERIC_COLLECTOR_CONFIG_KEYS: readonly CollectorConfigKey[] = COLLECTOR_CONFIG_KEYS.filter((key) => ["integer", "number"].includes(typeOf(key)));

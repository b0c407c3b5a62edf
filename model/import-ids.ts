/**
 * The `@pulumi/aws` resource types this package creates that an existing install can supply,
 * and the import id each takes, in the format the `## Import` section of that type's
 * documentation states (node_modules/@pulumi/aws/<module>/<type>.d.ts; a test holds each
 * `documented` phrase to that text).
 */

export interface ImportIdFacts {
    accountId: string;
    region: string;
    partition: string;
    /** The AWS name or id that identifies the resource (bucket name, role name, key id...). */
    name: string;
    /** The role a policy attachment or inline policy belongs to. */
    roleName?: string;
    /** The rule an event target belongs to. */
    ruleName?: string;
}

export interface ImportIdFormat {
    /** Words of the type's `## Import` section that state the format. */
    documented: string;
    id(facts: ImportIdFacts): string;
}

const byName: ImportIdFormat["id"] = (f) => f.name;
const bucketDocumented = "using the `bucket`";

export const IMPORT_ID_FORMATS = {
    "aws:iam/role:Role": { documented: "import IAM Roles using the `name`", id: byName },
    "aws:iam/policy:Policy": { documented: "import IAM Policies using the `arn`", id: (f) => f.name.startsWith("arn:") ? f.name : `arn:${f.partition}:iam::${f.accountId}:policy/${f.name}` },
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": {
        documented: "using the role name and policy arn separated by `/`",
        id: (f) => `${f.roleName}/${f.name}`,
    },
    "aws:iam/rolePolicy:RolePolicy": { documented: "using the `role_name:role_policy_name`", id: (f) => `${f.roleName}:${f.name}` },
    "aws:s3/bucket:Bucket": { documented: "import S3 bucket using the `bucket`", id: byName },
    "aws:s3/bucketVersioning:BucketVersioning": { documented: bucketDocumented, id: byName },
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": { documented: bucketDocumented, id: byName },
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": { documented: bucketDocumented, id: byName },
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": { documented: "using the bucket name", id: byName },
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": { documented: "using S3 Bucket name", id: byName },
    "aws:s3/bucketPolicy:BucketPolicy": { documented: "import S3 bucket policies using the bucket name", id: byName },
    "aws:kms/key:Key": { documented: "import KMS Keys using the `id`", id: byName },
    "aws:kms/alias:Alias": { documented: "import KMS aliases using the `name`", id: byName },
    "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream": {
        documented: "import Kinesis Firehose Delivery Streams using `arn`",
        id: (f) => `arn:${f.partition}:firehose:${f.region}:${f.accountId}:deliverystream/${f.name}`,
    },
    // On the default bus the bus name may be left out, as the rule's documentation says.
    "aws:cloudwatch/eventRule:EventRule": { documented: "if you omit `eventBusName`, the `default` event bus will be used", id: byName },
    "aws:cloudwatch/eventTarget:EventTarget": {
        documented: "using `event_bus_name/rule-name/target-id` (if you omit `eventBusName`, the `default` event bus will be used)",
        id: (f) => `${f.ruleName}/${f.name}`,
    },
    "aws:ec2/flowLog:FlowLog": { documented: "import Flow Logs using the `id`", id: byName },
} satisfies Record<string, ImportIdFormat>;

export type ImportableType = keyof typeof IMPORT_ID_FORMATS;

export function importId(type: ImportableType, facts: ImportIdFacts): string {
    return IMPORT_ID_FORMATS[type].id(facts);
}

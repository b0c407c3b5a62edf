/**
 * `stackstate-kms-key-enable-rotation`: a KMS key of the integration — aliased
 * `alias/stackstate-integration`, encrypting an integration Firehose stream or its objects, or the
 * default encryption of a logs bucket — rotates automatically (CIS AWS Foundations 3.6). Which keys
 * these are is told by other resources, so this is a stack policy. Advisory by default: the Agent
 * works without rotation; set it to mandatory where CIS applies.
 */
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { KMS_ALIAS } from "../model/names";
import { keyRotationProblems } from "../model/rules/pipeline";
import { AWS } from "./aws-types";
import { bucketSettings, integrationStreams, LOGS_BUCKET_NAMES_SCHEMA, logsBucketNames, LogsBucketNames, logsBuckets } from "./integration-resources";
import { asList, asObject, describe, knownString, ofType, Props, rawProps, reportUnknown, unknownPaths, validateStackOfType } from "./kit";

export const KMS_ROTATION_POLICY = "stackstate-kms-key-enable-rotation";

const description = "KMS keys that protect StackState's event pipeline or logs bucket must rotate automatically.";

/** Does `from` name the key in the value at `path` (by key id or ARN), or depend on it through `dependencyKey`? */
function namesKey(from: PolicyResource, values: unknown[], dependencyKey: string, key: PolicyResource): boolean {
    const props = rawProps(key.props);
    const ids = [knownString(props.keyId), knownString(props.arn), knownString(props.id)].filter((v) => v !== undefined);
    if (values.some((v) => typeof v === "string" && ids.includes(v))) return true;
    return (from.propertyDependencies[dependencyKey] ?? []).some((d) => d === key || d.urn === key.urn);
}

/** The keys the integration's resources use. */
export function integrationKeys(resources: PolicyResource[], names: LogsBucketNames): PolicyResource[] {
    const buckets = logsBuckets(resources, names);
    const users: { from: PolicyResource; values: unknown[]; dependencyKey: string }[] = [];
    for (const alias of ofType(resources, AWS.kmsAlias)) {
        if (knownString(rawProps(alias.props).name) === KMS_ALIAS) users.push({ from: alias, values: [rawProps(alias.props).targetKeyId], dependencyKey: "targetKeyId" });
    }
    for (const stream of integrationStreams(resources, names, buckets)) {
        const props = rawProps(stream.props);
        users.push({ from: stream, values: [asObject(props.serverSideEncryption)?.keyArn], dependencyKey: "serverSideEncryption" });
        users.push({ from: stream, values: [asObject(props.extendedS3Configuration)?.kmsKeyArn], dependencyKey: "extendedS3Configuration" });
    }
    for (const bucket of buckets) {
        const inline = asObject(asObject(rawProps(bucket.props).serverSideEncryptionConfiguration)?.rule);
        users.push({ from: bucket, values: [asObject(inline?.applyServerSideEncryptionByDefault)?.kmsMasterKeyId], dependencyKey: "serverSideEncryptionConfiguration" });
        for (const sse of bucketSettings(resources, AWS.bucketEncryptions, bucket)) {
            const values = asList(rawProps(sse.props).rules).map((r) => asObject(asObject(r)?.applyServerSideEncryptionByDefault)?.kmsMasterKeyId);
            users.push({ from: sse, values, dependencyKey: "rules" });
        }
    }
    return ofType(resources, AWS.kmsKey).filter((key) => users.some((u) => namesKey(u.from, u.values, u.dependencyKey, key)));
}

const isSymmetric = (props: Props) => {
    const spec = knownString(props.customerMasterKeySpec) ?? knownString(props.keySpec);
    return spec === undefined || spec === "SYMMETRIC_DEFAULT";
};

export const stackstateKmsKeyEnableRotation: StackValidationPolicy = {
    name: KMS_ROTATION_POLICY,
    description,
    enforcementLevel: "advisory",
    configSchema: { properties: { ...LOGS_BUCKET_NAMES_SCHEMA } },
    validateStack: validateStackOfType(AWS.kmsKey, (args, report) => {
        for (const key of integrationKeys(args.resources, logsBucketNames(args.getConfig<Props>()))) {
            const raw = rawProps(key.props);
            if (!isSymmetric(raw)) continue; // AWS rotates only symmetric keys automatically
            const subject = describe("KMS key", key.name);
            const unknown = unknownPaths(raw, ["enableKeyRotation"]);
            if (unknown.length > 0) {
                reportUnknown(report, description, subject, unknown, key.urn);
                continue;
            }
            const problems = keyRotationProblems(raw.enableKeyRotation === true);
            if (problems.length > 0) report(`${subject} must rotate: ${problems.join("; ")}. Fix: set enableKeyRotation to true.`, key.urn);
        }
    }),
};

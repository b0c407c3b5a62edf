/** What StackStateAwsIntegration creates with its defaults: the role, the bucket, each region's pipeline and key, flow logs, outputs. */
import { expect } from "chai";
import { Registration, valueOf } from "../../offline/mock-engine";
import { IAM_LIMITS, PolicyDocument, policySize } from "../../model";
import { isTaggable } from "../helpers/taggable";
import { malformedArns, unknownActions } from "../helpers/iam-catalog";
import { TEST_WORLD } from "../helpers/world";
import { ACCOUNT, AGENT_ROLE, ALIAS, BOUNDARY, BUCKET, Deployed, deploy, EXTERNAL_ID, FLOW_LOG, KEY, PROVIDER, ROLE, RULE, STREAM, TARGET } from "../helpers/deployed-integration";

/** The published event pattern's sources plus the two the Agent also handles (docs/stackstate-integration.md#event-pipeline-per-region). */
const EXPECTED_SOURCES = [
    "aws.apigateway", "aws.application-autoscaling", "aws.autoscaling", "aws.dynamodb", "aws.ec2", "aws.ecs",
    "aws.elasticloadbalancing", "aws.firehose", "aws.kinesis", "aws.lambda", "aws.rds", "aws.redshift", "aws.s3",
    "aws.sns", "aws.sqs", "aws.states",
];

describe("StackStateAwsIntegration", () => {
    let d: Deployed;
    before(async () => {
        d = await deploy({ flowLogs: { "eu-west-1": { vpcIds: ["vpc-0a1b2c3d4e5f60708", "vpc-0123abcd"] }, "ap-southeast-2": { allVpcs: true } } });
    });

    it("creates one explicit provider per region and nothing outside them", () => {
        const providers = d.all.filter((r) => r.type === PROVIDER);
        expect(providers.map((p) => p.inputs.region).sort()).to.deep.equal(["ap-southeast-2", "eu-west-1", "us-east-1"]);
        const unplaced = d.all.filter((r) => r.custom && r.type.startsWith("aws:") && !r.provider);
        expect(unplaced.map((r) => r.name)).to.deep.equal([]);
    });

    it("creates exactly one integration role and one logs bucket, both in the main region", () => {
        const roles = d.ofType(ROLE).filter((r) => r.inputs.name === "StackStateAwsIntegrationRole");
        expect(roles).to.have.length(1);
        expect(roles[0].region).to.equal("us-east-1");
        const buckets = d.ofType(BUCKET);
        expect(buckets).to.have.length(1);
        expect(buckets[0].region).to.equal("us-east-1");
        expect(buckets[0].inputs.bucket).to.equal(`stackstate-logs-${ACCOUNT}`);
    });

    it("creates one pipeline per region, in that region, with that region's prefix and the main-region key for objects", async () => {
        const keyArn = (region: string) => d.one(KEY, (k) => k.region === region).outputs.arn;
        const bucketArn = d.one(BUCKET).outputs.arn;
        for (const region of ["eu-west-1", "us-east-1", "ap-southeast-2"]) {
            const stream = d.one(STREAM, (s) => s.region === region);
            const s3 = d.inputs(stream).extendedS3Configuration;
            expect(d.inputs(stream).name).to.equal("stackstate-eventbridge-stream");
            expect(d.inputs(stream).destination).to.equal("extended_s3");
            expect(s3).to.deep.include({
                bucketArn,
                prefix: `AWSLogs/${ACCOUNT}/EventBridge/${region}/`,
                bufferingInterval: 60,
                compressionFormat: "GZIP",
                // Firehose requires the object key in the bucket's region (docs/stackstate-integration.md#event-pipeline-per-region).
                kmsKeyArn: keyArn("us-east-1"),
            });
            expect(s3.kmsKeyArn).to.match(/^arn:aws:kms:us-east-1:111122223333:key\//);
            // Back to back, unprocessed: no processors, no delimiter, no error-output prefix rewrite.
            expect(s3.processingConfiguration).to.deep.equal({ enabled: false });
            expect(s3).not.to.have.property("errorOutputPrefix");
            expect(s3).not.to.have.property("dynamicPartitioningConfiguration");
            expect(d.inputs(stream).serverSideEncryption).to.deep.equal({ enabled: true, keyType: "CUSTOMER_MANAGED_CMK", keyArn: keyArn(region) });

            const rule = d.one(RULE, (r) => r.region === region);
            expect(d.inputs(rule).state).to.equal("ENABLED");
            const pattern = JSON.parse(d.inputs(rule).eventPattern);
            expect(pattern).to.deep.equal({
                source: EXPECTED_SOURCES,
                "detail-type": ["EC2 Instance State-change Notification", "AWS API Call via CloudTrail"],
            });
            const target = d.one(TARGET, (t) => t.region === region);
            const eventBridgeRole = d.one(ROLE, (r) => r.inputs.name === `StackStateEventBridgeRole-${region}`);
            expect(d.inputs(target)).to.deep.include({ rule: rule.outputs.name, arn: stream.outputs.arn, roleArn: eventBridgeRole.outputs.arn });
            expect(eventBridgeRole.region).to.equal(region);
            // Created only once their roles may act: Firehose checks its role's access at creation.
            const policyOf = (key: string) => d.one("aws:iam/rolePolicy:RolePolicy", (p) => p.name.endsWith(`events-${region}-${key}-policy`));
            expect(stream.dependencies).to.include(policyOf("firehose").urn);
            expect(target.dependencies).to.include(policyOf("eventbridge").urn);
            expect(d.one(ROLE, (r) => r.inputs.name === `StackStateFirehoseRole-${region}`).region).to.equal(region);
        }
        expect(d.ofType(STREAM)).to.have.length(3);
        expect(d.ofType(RULE)).to.have.length(3);
    });

    it("gives every region a rotating key with the integration alias", () => {
        for (const region of ["eu-west-1", "us-east-1", "ap-southeast-2"]) {
            const key = d.one(KEY, (k) => k.region === region);
            expect(d.inputs(key).enableKeyRotation).to.equal(true);
            const alias = d.one(ALIAS, (a) => a.region === region);
            expect(d.inputs(alias)).to.deep.equal({ name: "alias/stackstate-integration", targetKeyId: key.outputs.keyId });
        }
    });

    it("configures the bucket as the Agent needs it and hardens it", () => {
        const bucket = d.one(BUCKET);
        const child = (type: string) => d.inputs(d.one(`aws:s3/${type}`));
        expect(d.inputs(bucket).forceDestroy).to.equal(true);
        expect(child("bucketVersioning:BucketVersioning").versioningConfiguration).to.deep.equal({ status: "Enabled" });
        expect(child("bucketLifecycleConfiguration:BucketLifecycleConfiguration").rules).to.deep.equal([{
            id: "expire-unread-logs",
            status: "Enabled",
            filter: {},
            expiration: { days: 1 },
            noncurrentVersionExpiration: { noncurrentDays: 1 },
            abortIncompleteMultipartUpload: { daysAfterInitiation: 1 },
        }]);
        expect(child("bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration").rules).to.deep.equal([{
            applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: d.one(KEY, (k) => k.region === "us-east-1").outputs.arn },
            bucketKeyEnabled: true,
        }]);
        expect(child("bucketPublicAccessBlock:BucketPublicAccessBlock")).to.deep.include({
            blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true,
        });
        expect(child("bucketOwnershipControls:BucketOwnershipControls").rule).to.deep.equal({ objectOwnership: "BucketOwnerEnforced" });
        for (const type of ["bucketVersioning:BucketVersioning", "bucketLifecycleConfiguration:BucketLifecycleConfiguration",
            "bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "bucketPublicAccessBlock:BucketPublicAccessBlock",
            "bucketOwnershipControls:BucketOwnershipControls", "bucketPolicy:BucketPolicy"]) {
            expect(child(type).bucket, type).to.equal(`stackstate-logs-${ACCOUNT}`);
        }

        const policy = JSON.parse(child("bucketPolicy:BucketPolicy").policy) as PolicyDocument;
        const bucketArn = `arn:aws:s3:::stackstate-logs-${ACCOUNT}`;
        expect(policy.Statement.find((s) => s.Sid === "DenyInsecureTransport")).to.deep.equal({
            Sid: "DenyInsecureTransport", Effect: "Deny", Principal: "*", Action: "s3:*",
            Resource: [bucketArn, `${bucketArn}/*`], Condition: { Bool: { "aws:SecureTransport": "false" } },
        });
        const delivery = policy.Statement.filter((s) => JSON.stringify(s.Principal) === JSON.stringify({ Service: "delivery.logs.amazonaws.com" }));
        expect(delivery.map((s) => [s.Action, s.Resource])).to.deep.equal([
            ["s3:PutObject", `${bucketArn}/AWSLogs/${ACCOUNT}/*`],
            [["s3:GetBucketAcl", "s3:ListBucket"], bucketArn],
        ]);
        expect(delivery[0].Condition?.StringEquals).to.deep.equal({ "aws:SourceAccount": ACCOUNT, "s3:x-amz-acl": "bucket-owner-full-control" });
    });

    it("trusts only the Agent's roles, and only with StringEquals on the ExternalId", () => {
        const role = d.one(ROLE, (r) => r.inputs.name === "StackStateAwsIntegrationRole");
        expect(JSON.parse(d.inputs(role).assumeRolePolicy)).to.deep.equal({
            Version: "2012-10-17",
            Statement: [{
                Sid: "StackStateAgentAssumesWithExternalId",
                Effect: "Allow",
                Principal: { AWS: AGENT_ROLE },
                Action: "sts:AssumeRole",
                Condition: { StringEquals: { "sts:ExternalId": EXTERNAL_ID } },
            }],
        });
        // The trust holds the ExternalId: Pulumi keeps it encrypted in state.
        expect(JSON.stringify(role.inputs.assumeRolePolicy)).to.include("1b47061264138c4ac30d75fd1eb44270");
    });

    it("grants the integration role the read policy, with the logs bucket's real ARN and GET-only API Gateway", () => {
        const role = d.one(ROLE, (r) => r.inputs.name === "StackStateAwsIntegrationRole");
        const attached = d.ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter((a) => a.inputs.role === role.outputs.name);
        const policies = attached.map((a) => d.one("aws:iam/policy:Policy", (p) => p.outputs.arn === a.inputs.policyArn));
        expect(policies.map((p) => d.inputs(p).name)).to.deep.equal(["StackStateAwsIntegrationPolicy"]);
        const statements = policies.flatMap((p) => (JSON.parse(d.inputs(p).policy) as PolicyDocument).Statement);
        const actions = statements.flatMap((s) => s.Action as string[]);
        for (const action of ["s3:GetBucketTagging", "s3:GetBucketVersioning", "iam:ListAccountAliases", "apigateway:GET", "autoscaling:Describe*"]) {
            expect(actions, action).to.include(action);
        }
        for (const write of ["apigateway:DELETE", "apigateway:PUT", "apigateway:POST", "apigateway:PATCH"]) {
            expect(actions, write).not.to.include(write);
        }
        expect(actions.filter((a) => a === "ec2:DescribeVpnGateways")).to.have.length(1);
        expect(statements.find((s) => s.Sid === "EventsS3Access")?.Resource).to.deep.equal([
            `arn:aws:s3:::stackstate-logs-${ACCOUNT}`, `arn:aws:s3:::stackstate-logs-${ACCOUNT}/*`,
        ]);
        expect(statements.find((s) => s.Sid === "SelfAccess")?.Resource).to.equal(
            `arn:aws:cloudformation:*:${ACCOUNT}:stack/stackstate-resources/*`);
    });

    it("writes every IAM document as valid JSON with known actions, well-formed ARNs and within IAM's size limits", async () => {
        const documents: [string, string, PolicyDocument][] = [];
        const add = (r: Registration, field: string) => {
            const text = d.inputs(r)[field];
            expect(text, `${r.name}.${field}`).to.be.a("string");
            documents.push([`${r.name}.${field}`, field, JSON.parse(text)]);
        };
        for (const r of d.ofType(ROLE)) add(r, "assumeRolePolicy");
        for (const r of [...d.ofType("aws:iam/rolePolicy:RolePolicy"), ...d.ofType("aws:iam/policy:Policy"),
            ...d.ofType("aws:s3/bucketPolicy:BucketPolicy"), ...d.ofType(KEY)]) add(r, "policy");
        expect(documents.length).to.equal(3 * 2 + 1 /* roles */ + 3 * 2 /* inline */ + 1 + 1 + 3 /* managed, bucket, keys */);

        for (const [where, field, doc] of documents) {
            expect(doc.Version, where).to.equal("2012-10-17");
            for (const s of doc.Statement) {
                expect(s.Sid, where).to.match(/^[A-Za-z0-9]+$/);
                expect(["Allow", "Deny"], where).to.include(s.Effect);
            }
            expect(await unknownActions(doc), where).to.deep.equal([]);
            expect(malformedArns(doc, "aws"), where).to.deep.equal([]);
            const limit = field === "assumeRolePolicy" ? IAM_LIMITS.trustPolicyChars : IAM_LIMITS.managedPolicyChars;
            expect(policySize(doc), where).to.be.at.most(limit);
        }
        for (const role of d.ofType(ROLE)) {
            const inline = d.ofType("aws:iam/rolePolicy:RolePolicy").filter((p) => p.inputs.role === role.outputs.id);
            const total = inline.reduce((sum, p) => sum + policySize(JSON.parse(d.inputs(p).policy)), 0);
            expect(total, role.name).to.be.at.most(IAM_LIMITS.inlinePoliciesCharsPerRole);
        }
    });

    it("lets the Firehose role use only the bucket-region key, by key ARN, through S3 in the bucket's region", () => {
        const policy = d.one("aws:iam/rolePolicy:RolePolicy", (p) => p.name.endsWith("events-eu-west-1-firehose-policy"));
        const doc = JSON.parse(d.inputs(policy).policy) as PolicyDocument;
        const bucketArn = `arn:aws:s3:::stackstate-logs-${ACCOUNT}`;
        const objects = `${bucketArn}/AWSLogs/${ACCOUNT}/EventBridge/eu-west-1/*`;
        expect(doc.Statement[0].Resource).to.deep.equal([bucketArn, objects]);
        expect(doc.Statement[1]).to.deep.equal({
            Sid: "EncryptDeliveredObjects",
            Effect: "Allow",
            Action: ["kms:Decrypt", "kms:GenerateDataKey"],
            Resource: d.one(KEY, (k) => k.region === "us-east-1").outputs.arn,
            Condition: {
                StringEquals: { "kms:ViaService": "s3.us-east-1.amazonaws.com" },
                StringLike: { "kms:EncryptionContext:aws:s3:arn": [objects, bucketArn] },
            },
        });
        const eventBridge = d.one("aws:iam/rolePolicy:RolePolicy", (p) => p.name.endsWith("events-eu-west-1-eventbridge-policy"));
        expect(JSON.parse(d.inputs(eventBridge).policy).Statement[0].Resource)
            .to.equal(`arn:aws:firehose:eu-west-1:${ACCOUNT}:deliverystream/stackstate-eventbridge-stream`);
    });

    it("sets the permissions boundary on every role", () => {
        const roles = d.ofType(ROLE);
        expect(roles).to.have.length(7);
        for (const role of roles) expect(d.inputs(role).permissionsBoundary, role.name).to.equal(BOUNDARY);
    });

    it("tags every taggable resource with the user's tags and managed-by", () => {
        const resources = d.all.filter((r) => r.custom && r.type.startsWith("aws:"));
        const taggable = resources.filter((r) => isTaggable(r.type));
        // 7 roles, the read policy, the bucket, 3 keys, 3 streams, 3 rules, 2 flow logs.
        expect(taggable).to.have.length(20);
        for (const r of taggable) {
            expect(d.inputs(r).tags, r.name).to.deep.equal({ team: "observability", "cost-center": "4711", "managed-by": "stackstate-aws" });
        }
    });

    it("registers every resource under a distinct URN", () => {
        const urns = d.all.map((r) => r.urn);
        expect(new Set(urns).size).to.equal(urns.length);
    });

    it("logs flows of the listed VPCs and of every VPC discovered where asked, in the Agent's format", () => {
        const flowLogs = d.ofType(FLOW_LOG);
        // ap-southeast-2 asks for discovery, and the world has no VPC there.
        expect(flowLogs.map((f) => [f.region, f.inputs.vpcId]).sort()).to.deep.equal([
            ["eu-west-1", "vpc-0123abcd"],
            ["eu-west-1", "vpc-0a1b2c3d4e5f60708"],
        ]);
        for (const f of flowLogs) {
            expect(d.inputs(f)).to.deep.include({
                logDestinationType: "s3",
                logDestination: d.one(BUCKET).outputs.arn,
                trafficType: "ALL",
                maxAggregationInterval: 60,
                destinationOptions: { fileFormat: "plain-text", hiveCompatiblePartitions: false, perHourPartition: false },
            });
            expect(d.inputs(f)).not.to.have.property("logFormat");
        }
        expect(d.calls.filter((c) => c.token === "aws:ec2/getVpcs:getVpcs")).to.have.length(1);
    });

    it("reads nothing from AWS on the per-region path unless asked to discover VPCs", async () => {
        const plain = await deploy({ flowLogs: { "eu-west-1": { vpcIds: ["vpc-0123abcd"] } } });
        expect(plain.calls.map((c) => c.token)).to.deep.equal(["aws:index/getCallerIdentity:getCallerIdentity"]);
        const discovering = await deploy({ flowLogs: { "eu-west-1": { allVpcs: true } } });
        expect(discovering.ofType(FLOW_LOG).map((f) => f.inputs.vpcId)).to.deep.equal(TEST_WORLD.vpcs!["eu-west-1"]);
        expect(discovering.ofType(FLOW_LOG).every((f) => f.region === "eu-west-1")).to.equal(true);
        expect(discovering.calls.map((c) => c.token).sort()).to.deep.equal(["aws:ec2/getVpcs:getVpcs", "aws:index/getCallerIdentity:getCallerIdentity"]);
    });

    it("exports what the Agent and the collector need", async () => {
        const { integration } = d;
        expect(await valueOf(integration.roleArn)).to.equal(`arn:aws:iam::${ACCOUNT}:role/StackStateAwsIntegrationRole`);
        expect(await valueOf(integration.bucketName)).to.equal(`stackstate-logs-${ACCOUNT}`);
        expect(await valueOf(integration.bucketArn)).to.equal(`arn:aws:s3:::stackstate-logs-${ACCOUNT}`);
        expect(await valueOf(integration.accountId)).to.equal(ACCOUNT);
        expect(await valueOf(integration.agentInstance)).to.deep.equal({
            role_arn: `arn:aws:iam::${ACCOUNT}:role/StackStateAwsIntegrationRole`,
            // global last: placed before us-east-1 it makes the check drop us-east-1's events (model/agent-config.ts).
            regions: ["eu-west-1", "us-east-1", "ap-southeast-2", "global"],
        });
        expect(await valueOf(integration.streamArns)).to.deep.equal(Object.fromEntries(["eu-west-1", "us-east-1", "ap-southeast-2"].map((r) =>
            [r, `arn:aws:firehose:${r}:${ACCOUNT}:deliverystream/stackstate-eventbridge-stream`])));
        expect(await valueOf(integration.externalId)).to.equal(EXTERNAL_ID);
        expect(await (integration.externalId as any).isSecret).to.equal(true);
    });
});

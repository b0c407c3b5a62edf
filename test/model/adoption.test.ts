/** The pure side of `adopt`: template reading, import ids as @pulumi/aws documents them, mapping and differences. */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import {
    evaluateConditions, IMPORT_ID_FORMATS, InstallFacts, installDifferences, parseTemplate, planAdoption, resolve,
    unretainedResources, withRetainedResources,
} from "../../model";

const ACCOUNT = "111122223333";

describe("import ids", () => {
    it("use, for every type adopt imports, the format the type's @pulumi/aws documentation states", () => {
        for (const [type, format] of Object.entries(IMPORT_ID_FORMATS)) {
            const [, modulePath] = type.split(":");
            const file = path.join(__dirname, "..", "..", "node_modules", "@pulumi", "aws", `${modulePath}.d.ts`);
            const text = fs.readFileSync(file, "utf8");
            const section = text.slice(text.indexOf("## Import"), text.indexOf("*/", text.indexOf("## Import")));
            expect(section, type).to.include("## Import");
            expect(section.replace(/\s*\*\s*/g, " "), type).to.include(format.documented);
            expect(section, type).to.include(`pulumi import ${type} `);
        }
    });

    it("build each id from the resource's AWS identity", () => {
        const facts = { accountId: ACCOUNT, region: "eu-west-1", partition: "aws", name: "n", roleName: "r", ruleName: "rule" };
        expect(IMPORT_ID_FORMATS["aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream"].id(facts)).to.equal(`arn:aws:firehose:eu-west-1:${ACCOUNT}:deliverystream/n`);
        expect(IMPORT_ID_FORMATS["aws:iam/rolePolicyAttachment:RolePolicyAttachment"].id({ ...facts, name: `arn:aws:iam::${ACCOUNT}:policy/p` })).to.equal(`r/arn:aws:iam::${ACCOUNT}:policy/p`);
        expect(IMPORT_ID_FORMATS["aws:iam/rolePolicy:RolePolicy"].id(facts)).to.equal("r:n");
        expect(IMPORT_ID_FORMATS["aws:cloudwatch/eventTarget:EventTarget"].id(facts)).to.equal("rule/n");
        expect(IMPORT_ID_FORMATS["aws:iam/policy:Policy"].id({ ...facts, partition: "aws-us-gov" })).to.equal(`arn:aws-us-gov:iam::${ACCOUNT}:policy/n`);
    });
});

describe("CloudFormation templates", () => {
    const template = parseTemplate(`
Parameters: { Env: { Type: String }, Vpc: { Type: String, Default: "" } }
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  HasVpc: !Not [!Equals [!Ref Vpc, ""]]
  Both: !And [!Condition IsProd, !Condition HasVpc]
  Either: !Or [!Condition IsProd, !Condition HasVpc]
Resources:
  Key: { Type: "AWS::KMS::Key", Properties: { KeyPolicy: {} } }
  Thing:
    Type: AWS::S3::Bucket
    DeletionPolicy: Retain
    Properties:
      Name: !Sub "x-\${AWS::Region}-\${Env}-\${!Literal}"
      Joined: !Join ["/", [a, !Ref Env]]
      Chosen: !If [IsProd, big, small]
      KeyArn: !GetAtt Key.Arn
      Gone: !Ref AWS::NoValue
      Unknown: !ImportValue elsewhere
`);
    const ctx = { parameters: { Env: "prod", Vpc: "" }, accountId: ACCOUNT, region: "eu-west-1", partition: "aws", stackName: "s", physicalIds: { Key: "k-1" }, attributes: { Key: { Arn: "arn:k-1" } } };

    it("reads the short-form tags and resolves what is known offline, leaving the rest unknown", () => {
        const conditions = evaluateConditions(template, ctx);
        expect(conditions).to.deep.equal({ IsProd: true, HasVpc: false, Both: false, Either: true });
        expect(resolve(template.Resources.Thing.Properties, { ...ctx, conditions })).to.deep.equal({
            Name: "x-eu-west-1-prod-${Literal}", Joined: "a/prod", Chosen: "big", KeyArn: "arn:k-1", Unknown: undefined,
        });
    });

    it("retains every resource, keeping each one's other attributes", () => {
        expect(unretainedResources(template)).to.deep.equal(["Key"]);
        const retained = parseTemplate(withRetainedResources(template));
        expect(unretainedResources(retained)).to.deep.equal([]);
        expect(retained.Resources.Key).to.deep.include({ Type: "AWS::KMS::Key", DeletionPolicy: "Retain", UpdateReplacePolicy: "Retain" });
        expect(retained.Resources.Thing.Properties).to.deep.equal(template.Resources.Thing.Properties);
        expect(retained.Conditions).to.deep.equal(template.Conditions);
    });
});

describe("mapping an install", () => {
    const trust = (statement: object) => ({ Version: "2012-10-17" as const, Statement: [statement] as never[] });
    const facts = (): InstallFacts => ({
        accountId: ACCOUNT,
        partition: "aws",
        trustPolicies: {
            "cfn-IntegrationRole-1X": trust({ Effect: "Allow", Principal: { AWS: ["arn:aws:iam::210987654321:role/Agent", "arn:aws:iam::210987654321:user/someone"] }, Action: "sts:AssumeRole", Condition: { StringEquals: { "sts:ExternalId": "an-external-id-of-enough-length" } } }),
            "cfn-FirehoseRole-2Y": trust({ Effect: "Allow", Principal: { Service: "firehose.amazonaws.com" }, Action: "sts:AssumeRole" }),
        },
        flowLogs: {},
        stacks: [{
            region: "eu-central-1", stackName: "stackstate-resources", status: "UPDATE_COMPLETE", parameters: { MainRegion: "eu-central-1", ExternalId: "****" }, absent: [],
            resources: [
                { logicalId: "Role", type: "AWS::IAM::Role", physicalId: "cfn-IntegrationRole-1X", properties: { Policies: [{ PolicyName: "inline-read" }] } },
                { logicalId: "FirehoseRole", type: "AWS::IAM::Role", physicalId: "cfn-FirehoseRole-2Y", properties: {} },
                { logicalId: "FirehosePolicy", type: "AWS::IAM::Policy", physicalId: "cfn-Fire-3Z", properties: { PolicyName: "deliver", Roles: ["cfn-FirehoseRole-2Y"] } },
                { logicalId: "OldKey", type: "AWS::KMS::Key", physicalId: "key-old", properties: {} },
                { logicalId: "Key", type: "AWS::KMS::Key", physicalId: "key-new", properties: { EnableKeyRotation: true } },
                { logicalId: "Alias", type: "AWS::KMS::Alias", physicalId: "alias/sts", properties: { TargetKeyId: "key-new" } },
                {
                    logicalId: "Stream", type: "AWS::KinesisFirehose::DeliveryStream", physicalId: "stackstate-resources-Stream-ABC",
                    properties: { ExtendedS3DestinationConfiguration: { BufferingHints: { IntervalInSeconds: 300, SizeInMBs: 1 }, CompressionFormat: "GZIP", Prefix: `AWSLogs/${ACCOUNT}/EventBridge/eu-central-1/`, EncryptionConfiguration: { KMSEncryptionConfig: { AWSKMSKeyARN: `arn:aws:kms:eu-central-1:${ACCOUNT}:alias/sts` } } } },
                },
                { logicalId: "BusRule", type: "AWS::Events::Rule", physicalId: "custom|r", properties: { EventBusName: "custom" } },
                { logicalId: "Topic", type: "AWS::SNS::Topic", physicalId: "arn:aws:sns:eu-central-1:1:t", properties: {} },
            ],
        }],
    });

    it("maps resources CloudFormation named onto this package's, with the names and principals to keep", () => {
        const adoption = planAdoption(facts(), { regions: ["eu-central-1", "eu-west-1"] });
        expect(adoption.problems).to.deep.equal([]);
        expect(adoption.externalId).to.equal("an-external-id-of-enough-length");
        expect(adoption.config).to.deep.equal({
            accountId: ACCOUNT, regions: ["eu-central-1", "eu-west-1"], mainRegion: "eu-central-1",
            agentRoleArns: ["arn:aws:iam::210987654321:role/Agent"],
            names: {
                integrationRole: "cfn-IntegrationRole-1X",
                regions: { "eu-central-1": { firehoseStream: "stackstate-resources-Stream-ABC", firehoseRole: "cfn-FirehoseRole-2Y", firehosePolicy: "deliver", kmsAlias: "alias/sts" } },
            },
        });
        expect(adoption.counterparts.map((c) => `${c.logicalId} ${c.pulumiType} ${c.importId}`)).to.deep.equal([
            "Role aws:iam/role:Role cfn-IntegrationRole-1X",
            "FirehoseRole aws:iam/role:Role cfn-FirehoseRole-2Y",
            "FirehosePolicy aws:iam/rolePolicy:RolePolicy cfn-FirehoseRole-2Y:deliver",
            "Key aws:kms/key:Key key-new",
            "Alias aws:kms/alias:Alias alias/sts",
            `Stream aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream arn:aws:firehose:eu-central-1:${ACCOUNT}:deliverystream/stackstate-resources-Stream-ABC`,
        ]);
        expect(adoption.unmatched.map((u) => `${u.logicalId}: ${u.reason}`)).to.deep.equal([
            "OldKey: a further KMS key in eu-central-1; this package has one per region",
            "BusRule: a rule on event bus 'custom'; this package's rule is on the default bus",
            "Topic: not a kind of resource this package creates",
        ]);
        expect(adoption.notes).to.deep.equal([
            "the integration role also trusts arn:aws:iam::210987654321:user/someone, which the stack config cannot express: it is dropped from the trust by the first pulumi up",
            "the integration role's inline policy 'inline-read' has no counterpart (this package grants its permissions through a managed policy): it stays on the role until you delete it",
        ]);
    });

    it("says what the first up changes on the stream, and refuses an install whose role is in another region than asked", () => {
        const differences = installDifferences(facts(), "eu-central-1").filter((d) => d.resource === "Stream");
        expect(differences.map((d) => `${d.setting}: ${d.installed} -> ${d.ours}`)).to.deep.equal([
            "tags: (not set) -> managed-by=stackstate-aws added (teardown relies on it)",
            "buffering interval (s): 300 -> 60",
            "buffering size (MiB): 1 -> 5",
            `object encryption key: arn:aws:kms:eu-central-1:${ACCOUNT}:alias/sts -> the eu-central-1 key by key ARN (S3 needs a key in the bucket's region)`,
            "stream encryption: (not set) -> CUSTOMER_MANAGED_CMK with the eu-central-1 key",
        ]);
        expect(planAdoption(facts(), { regions: ["eu-central-1"], mainRegion: "eu-west-1" }).problems).to.deep.equal([
            "--main-region is eu-west-1, but the integration role and bucket are in the eu-central-1 stack",
        ]);
    });
});

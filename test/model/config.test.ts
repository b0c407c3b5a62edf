import { expect } from "chai";
import { readFileSync } from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { CONFIG_SCHEMA, ConfigError, ConfigProblem, rawConfigFromStackConfig, validateIntegrationConfig } from "../../model";

const AGENT_ROLE = "arn:aws:iam::210987654321:role/StackStateAgentRole";

function problemsOf(raw: Record<string, unknown>): ConfigProblem[] {
    try {
        validateIntegrationConfig(raw);
    } catch (error) {
        expect(error).to.be.instanceOf(ConfigError);
        return (error as ConfigError).problems;
    }
    throw new Error("the config was accepted");
}

const keysOf = (problems: ConfigProblem[]) => problems.map((p) => p.key);

describe("stack config validation", () => {
    it("fills in every default and derives the main region and partition", () => {
        expect(validateIntegrationConfig({ regions: ["us-gov-west-1", "us-gov-east-1"], agentAccountId: "210987654321" })).to.deep.equal({
            regions: ["us-gov-west-1", "us-gov-east-1"],
            mainRegion: "us-gov-west-1",
            partition: "aws-us-gov",
            agentAccountId: "210987654321",
            agentRoleArns: [],
            flowLogs: {},
            rolePath: "/",
            tags: {},
            apiGatewayAccess: "read",
            permissions: "published",
        });
    });

    it("reads structured values as Pulumi stores them (JSON text) and as YAML gives them", () => {
        const fromText = validateIntegrationConfig({
            regions: '["eu-west-1","us-east-1"]', mainRegion: "us-east-1", agentRoleArns: `["${AGENT_ROLE}"]`,
            flowLogs: '{"eu-west-1":"all","us-east-1":["vpc-0123abcd"]}', tags: '{"team":"obs"}',
        });
        expect(fromText).to.deep.include({
            regions: ["eu-west-1", "us-east-1"], mainRegion: "us-east-1", agentRoleArns: [AGENT_ROLE],
            flowLogs: { "eu-west-1": { allVpcs: true }, "us-east-1": { vpcIds: ["vpc-0123abcd"] } }, tags: { team: "obs" },
        });
        expect(validateIntegrationConfig({ regions: ["eu-west-1"], agentRoleArns: [AGENT_ROLE] }).regions).to.deep.equal(["eu-west-1"]);
    });

    it("reports every bad key at once, each naming the key and its rule", () => {
        const problems = problemsOf({
            regions: ["eu-west-1", "xx-north-9"],
            agentAccountId: "12345",
            externalId: "guessable",
            flowLogs: { "eu-west-1": ["vpc-nothex"] },
            rolePath: "no-slashes",
            tags: { "aws:reserved": "x" },
            apiGatewayAccess: "write",
            deployRoleArn: "arn:aws:iam::123:user/me",
            permissionsBoundaryArn: "OrgBoundary",
            regoins: ["eu-west-1"],
        });
        expect(keysOf(problems).sort()).to.deep.equal([
            "stackstate-aws:agentAccountId", "stackstate-aws:apiGatewayAccess", "stackstate-aws:deployRoleArn",
            "stackstate-aws:externalId", "stackstate-aws:flowLogs", "stackstate-aws:permissionsBoundaryArn",
            "stackstate-aws:regions", "stackstate-aws:regoins", "stackstate-aws:rolePath", "stackstate-aws:tags",
        ]);
        const message = (key: string) => problems.find((p) => p.key === `stackstate-aws:${key}`)!.message;
        expect(message("agentAccountId")).to.equal('must be a 12-digit AWS account ID, got "12345"');
        expect(message("apiGatewayAccess")).to.equal('must be one of: read, published, got "write"');
        expect(message("rolePath")).to.equal('must be an IAM path: starts and ends with /, printable ASCII, at most 512 characters, got "no-slashes"');
        expect(message("flowLogs")).to.equal('must be "all" or a non-empty list of distinct VPC ids (at eu-west-1), got ["vpc-nothex"]');
        expect(message("regions")).to.match(/^must be a known AWS region code \(af-south-1, .*us-gov-west-1\) \(at \[1\]\), got "xx-north-9"$/);
        expect(message("regoins")).to.match(/^is not a known key\. Known keys are: regions, mainRegion, /);
        expect(message("tags")).to.equal('tag keys must be 1-128 characters (letters, digits, spaces and _.:/=+-@), not start with aws: and not be managed-by or stackstate-aws:permissions (reserved for this package): "aws:reserved"');
    });

    it("never echoes the ExternalId, which is a secret", () => {
        const problems = problemsOf({ regions: ["eu-west-1"], agentAccountId: "210987654321", externalId: "short!secret" });
        expect(problems).to.deep.equal([{
            key: "stackstate-aws:externalId",
            message: "must be 16-1224 characters of letters, digits and _+=,.@:/- (shorter IDs can be guessed; omit it to have one generated)",
        }]);
        expect(new ConfigError(problems).message).not.to.include("short!secret");
    });

    it("accepts an ExternalId at the bounds AWS and we allow, and refuses one past them", () => {
        const base = { regions: ["eu-west-1"], agentAccountId: "210987654321" };
        expect(validateIntegrationConfig({ ...base, externalId: "a".repeat(16) }).externalId).to.have.length(16);
        expect(validateIntegrationConfig({ ...base, externalId: `${"x".repeat(1203)}+=,.@:/-_0123456789ab` }).externalId).to.have.length(1224);
        expect(keysOf(problemsOf({ ...base, externalId: "a".repeat(15) }))).to.deep.equal(["stackstate-aws:externalId"]);
        expect(keysOf(problemsOf({ ...base, externalId: "a".repeat(1225) }))).to.deep.equal(["stackstate-aws:externalId"]);
        expect(keysOf(problemsOf({ ...base, externalId: "sixteen chars ok" }))).to.deep.equal(["stackstate-aws:externalId"]);
    });

    it("checks the rules between keys", () => {
        expect(problemsOf({ regions: ["eu-west-1", "us-gov-west-1"], mainRegion: "us-east-1", flowLogs: { "us-east-1": "all" } })).to.deep.equal([
            { key: "stackstate-aws:mainRegion", message: "must be one of regions (eu-west-1, us-gov-west-1), got 'us-east-1'" },
            { key: "stackstate-aws:flowLogs", message: "region 'us-east-1' must also be listed in regions (eu-west-1, us-gov-west-1)" },
            { key: "stackstate-aws:regions", message: "must all be in one AWS partition, got aws and aws-us-gov" },
            { key: "stackstate-aws:agentRoleArns", message: "is required unless agentAccountId is set: the integration role needs a principal to trust" },
        ]);
        expect(problemsOf({ regions: ["us-gov-west-1"], agentRoleArns: [AGENT_ROLE], permissionsBoundaryArn: "arn:aws:iam::123456789012:policy/B" })).to.deep.equal([
            { key: "stackstate-aws:agentRoleArns", message: `must be in partition 'aws-us-gov' like the regions, got ${AGENT_ROLE}` },
            { key: "stackstate-aws:permissionsBoundaryArn", message: "must be in partition 'aws-us-gov' like the regions, got arn:aws:iam::123456789012:policy/B" },
        ]);
        expect(problemsOf({ regions: ["eu-west-1"], agentAccountId: "210987654321", permissions: "minimal", apiGatewayAccess: "published" })).to.deep.equal([
            { key: "stackstate-aws:apiGatewayAccess", message: "published cannot be combined with permissions: minimal, which grants only what the Agent calls (apigateway:GET); use read or permissions: published" },
        ]);
        expect(validateIntegrationConfig({ regions: ["eu-west-1"], agentAccountId: "210987654321", permissions: "minimal" }).permissions).to.equal("minimal");
        expect(problemsOf({ regions: ["eu-west-1"], agentAccountId: "210987654321", permissions: "least" })).to.deep.equal([
            { key: "stackstate-aws:permissions", message: 'must be one of: published, minimal, got "least"' },
        ]);
    });

    it("refuses what cannot be a region list or a flow-log map", () => {
        expect(problemsOf({ regions: "eu-west-1", agentAccountId: "210987654321" })).to.deep.equal([
            { key: "stackstate-aws:regions", message: "must be structured (a YAML list or map), not plain text" },
        ]);
        expect(keysOf(problemsOf({ regions: [], agentAccountId: "210987654321" }))).to.deep.equal(["stackstate-aws:regions"]);
        expect(keysOf(problemsOf({ agentAccountId: "210987654321" }))).to.deep.equal(["stackstate-aws:regions"]);
        expect(keysOf(problemsOf({ regions: ["eu-west-1"], agentAccountId: "210987654321", flowLogs: { "eu-west-1": [] } }))).to.deep.equal(["stackstate-aws:flowLogs"]);
        expect(keysOf(problemsOf({ regions: ["eu-west-1"], agentAccountId: "210987654321", flowLogs: { "eu-west-1": "some" } }))).to.deep.equal(["stackstate-aws:flowLogs"]);
    });

    it("reports the schema's problems and the rules' between keys in one run", () => {
        // tags breaks the schema; mainRegion (not in regions) and the missing principal break rules between keys.
        expect(problemsOf({ regions: ["eu-west-1"], mainRegion: "us-east-1", tags: { "aws:reserved": "x" } }).map((p) => p.key)).to.deep.equal([
            "stackstate-aws:tags", "stackstate-aws:mainRegion", "stackstate-aws:agentRoleArns",
        ]);
        // A key the schema refused is not judged again by a rule: the bad region is reported once.
        const problems = problemsOf({ regions: ["eu-west-1", "xx-north-9"], mainRegion: "us-east-1", agentRoleArns: "not json" });
        expect(problems.map((p) => p.key)).to.deep.equal(["stackstate-aws:agentRoleArns", "stackstate-aws:regions"]);
        expect(problems[0].message).to.equal("must be structured (a YAML list or map), not plain text");
        expect(problems[1].message).to.match(/^must be a known AWS region code \(.*\) \(at \[1\]\), got "xx-north-9"$/);
    });

    it("takes names for adopted resources, for listed regions only, and refuses names AWS would refuse", () => {
        const base = { regions: ["eu-west-1"], agentAccountId: "210987654321" };
        const names = { integrationPolicy: "stackstate-resources-StsIntegrationPolicy-ABC", regions: { "eu-west-1": { eventRule: "stackstate-resources-StsEventBridgeRule-1A2B", kmsAlias: "alias/sts" } } };
        expect(validateIntegrationConfig({ ...base, names: JSON.stringify(names) }).names).to.deep.equal(names);
        expect(validateIntegrationConfig(base)).not.to.have.property("names");
        expect(problemsOf({ ...base, names: { regions: { "us-east-1": { eventRule: "r" } } } })).to.deep.equal([
            { key: "stackstate-aws:names", message: "names region 'us-east-1' must also be listed in regions (eu-west-1)" },
        ]);
        const bad = problemsOf({ ...base, names: { integrationRole: "has space", regions: { "eu-west-1": { kmsAlias: "alias/aws/s3", streamName: "x" } } } });
        expect(keysOf(bad)).to.deep.equal(["stackstate-aws:names"]);
        expect(bad[0].message).to.include("must be an IAM name: 1-64 letters, digits and _+=,.@- (at integrationRole)");
        expect(bad[0].message).to.include("must be a KMS alias name");
        expect(bad[0].message).to.include("has unknown key 'streamName' (at regions.eu-west-1)");
    });

    it("takes only this project's keys from a stack config", () => {
        expect(rawConfigFromStackConfig({ "aws:region": "eu-west-1", "stackstate-aws:regions": "[]", "other:regions": "x" }))
            .to.deep.equal({ regions: "[]" });
    });
});

describe("Pulumi.yaml", () => {
    const project = YAML.parse(readFileSync(path.join(__dirname, "..", "..", "Pulumi.yaml"), "utf8"));
    const properties = CONFIG_SCHEMA.properties as Record<string, { description: string; default?: unknown; type?: string }>;

    it("declares keys that the schema knows, with the schema's description, type and default", () => {
        expect(project.name).to.equal("stackstate-aws");
        for (const [key, declared] of Object.entries(project.config as Record<string, { description: string; default?: unknown; type: string }>)) {
            const schema = properties[key];
            expect(schema, key).to.not.equal(undefined);
            expect(declared.description, key).to.equal(schema.description);
            expect(declared.type, key).to.equal(schema.type);
            expect(declared.default, key).to.deep.equal(schema.default);
        }
    });

    it("lists every other key with the schema's description", () => {
        const text = readFileSync(path.join(__dirname, "..", "..", "Pulumi.yaml"), "utf8");
        const declared = Object.keys(project.config);
        for (const [key, schema] of Object.entries(properties)) {
            if (declared.includes(key)) continue;
            expect(text, key).to.include(`#   ${key}: ${schema.description}`);
        }
    });
});

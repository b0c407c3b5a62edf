import { expect } from "chai";
import YAML from "yaml";
import {
    agentConfigFileProblems, agentConfigProblems, EXTERNAL_ID_PLACEHOLDER, groupByExternalId, MonitoredAccount,
    monitoredAccountProblems, renderAgentConfig, renderAgentConfigFile, AgentConfigError,
} from "../../model/agent-config";
import { monitoredAccountFromOutputs } from "../../model/stack-outputs";
import { KNOWN_REGIONS } from "../../model/regions";

const roleArn = (account: string, path = "/") => `arn:aws:iam::${account}:role${path}StackStateAwsIntegrationRole`;
const ID_A = "shared-external-id-0123456789";
const ID_B = "other:external/id@example.com";

const accounts: MonitoredAccount[] = [
    { roleArn: roleArn("111122223333"), externalId: ID_A, regions: ["eu-west-1", "us-east-1"] },
    { roleArn: roleArn("444455556666", "/stackstate/"), externalId: ID_B, regions: ["global", "eu-central-1"], collectionInterval: 120 },
    {
        roleArn: roleArn("777788889999"), externalId: ID_A, regions: ["us-west-2"],
        apisToRun: ["ec2", "s3|my-bucket"], tags: ["env:prod"], logBucketName: "events-777788889999", flowlogBucketName: "flows-777788889999",
    },
];

describe("agent-config renderer", () => {
    it("writes one file per distinct ExternalId, one instance per account, every string quoted", () => {
        const files = renderAgentConfig(accounts, { fullRunInterval: 1800 });
        expect(files.map((f) => [f.fileName, f.accountIds])).to.deep.equal([
            ["stackstate-aws-111122223333.yaml", ["111122223333", "777788889999"]],
            ["stackstate-aws-444455556666.yaml", ["444455556666"]],
        ]);
        expect(files[1].content).to.equal([
            "# Managed by stackstate-aws: the aws_topology check for account 444455556666.",
            "# external_id is per file, so each ExternalId has its own file; the Agent loads every file here.",
            "",
            "init_config:",
            "  aws_access_key_id: ''",
            "  aws_secret_access_key: ''",
            "  external_id: 'other:external/id@example.com'",
            "  full_run_interval: 1800",
            "instances:",
            "  - role_arn: 'arn:aws:iam::444455556666:role/stackstate/StackStateAwsIntegrationRole'",
            "    regions:",
            "      - 'eu-central-1'",
            "      - 'global'",
            "    collection_interval: 120",
            "",
        ].join("\n"));
        expect(YAML.parse(files[0].content)).to.deep.equal({
            init_config: { aws_access_key_id: "", aws_secret_access_key: "", external_id: ID_A, full_run_interval: 1800 },
            instances: [
                { role_arn: roleArn("111122223333"), regions: ["eu-west-1", "us-east-1", "global"], collection_interval: 60 },
                {
                    role_arn: roleArn("777788889999"), regions: ["us-west-2", "global"], collection_interval: 60,
                    apis_to_run: ["ec2", "s3|my-bucket"], log_bucket_name: "events-777788889999",
                    flowlog_bucket_name: "flows-777788889999", tags: ["env:prod"],
                },
            ],
        });
        for (const file of files) expect(agentConfigFileProblems(file.content)).to.deep.equal([]);
    });

    it("puts global after every real region: the check's global pass reads us-east-1's events and fails on them, ending that update", () => {
        const regionsOf = (regions: string[]) => YAML.parse(renderAgentConfig([{ ...accounts[0], regions }])[0].content).instances[0].regions;
        expect(regionsOf(["us-east-1", "eu-west-1"])).to.deep.equal(["us-east-1", "eu-west-1", "global"]);
        expect(regionsOf(["global", "us-east-1"])).to.deep.equal(["us-east-1", "global"]);
        expect(regionsOf(["eu-west-1", "global", "us-west-2"])).to.deep.equal(["eu-west-1", "us-west-2", "global"]);
    });

    it("gives the same files whatever the order of the accounts: named after the lowest account id, accounts in id order", () => {
        const forward = renderAgentConfig(accounts);
        const reversed = renderAgentConfig([...accounts].reverse());
        expect(reversed).to.deep.equal(forward);
        const later = renderAgentConfig([{ ...accounts[2], roleArn: roleArn("000011112222") }, accounts[0], accounts[1]]);
        expect(later.map((f) => [f.fileName, f.accountIds])).to.deep.equal([
            ["stackstate-aws-000011112222.yaml", ["000011112222", "111122223333"]],
            ["stackstate-aws-444455556666.yaml", ["444455556666"]],
        ]);
    });

    it("writes strings that YAML 1.1 (the Agent's parser) and YAML 1.2 both read as the same strings", () => {
        const tricky = ["yes", "no", "on", "off", "true", "y", "~", "null", "12:30", "1_000", "0o17", "017", "0x1F", "1e3", ".inf", "2024-01-01", "key: value", "# not a comment", "it's"];
        const [file] = renderAgentConfig([{ ...accounts[0], tags: tricky, apisToRun: ["ec2|on", "s3|1_000"] }]);
        for (const version of ["1.1", "1.2"] as const) {
            const instance = YAML.parse(file.content, { version }).instances[0];
            expect(instance.tags, `tags under YAML ${version}`).to.deep.equal(tricky);
            expect(instance.apis_to_run, `apis_to_run under YAML ${version}`).to.deep.equal(["ec2|on", "s3|1_000"]);
        }
        expect(agentConfigFileProblems(file.content)).to.deep.equal([]);
    });

    it("accepts only the check's own API names in apisToRun, with an optional filter, each API once", () => {
        const problemsOf = (apisToRun: string[]) => monitoredAccountProblems([{ ...accounts[0], apisToRun }], { label: () => "" });
        expect(problemsOf(["ec2", "elbv2|loadbalancers", "route53", "route53domains|domains", "stepfunctions"])).to.deep.equal([]);
        const [unknown] = problemsOf(["ec2", "cloudfront", "s3|a|b", "EC2"]);
        expect(unknown).to.match(/^apisToRun entries must be one of the check's APIs \(apigateway, autoscaling, .*route53, route53domains\), optionally with a filter \(api\|filter\) \(at \[1\]\), got "cloudfront"/);
        expect(unknown).to.contain('(at [2]), got "s3|a|b"').and.to.contain('(at [3]), got "EC2"').and.not.to.contain('"ec2"');
        expect(problemsOf(["ec2|instances", "s3", "ec2|vpcs"])).to.deep.equal([
            "apisToRun names ec2 more than once; give each API once (one filter each)",
        ]);
    });

    it("leaves full_run_interval to the Agent unless asked", () => {
        const [file] = renderAgentConfig([accounts[0]]);
        expect(YAML.parse(file.content).init_config).to.deep.equal({ aws_access_key_id: "", aws_secret_access_key: "", external_id: ID_A });
    });

    it("renders a template with the placeholder in the ExternalId's place, valid against the schema", () => {
        const [group] = groupByExternalId([accounts[0], accounts[2]]);
        const template = renderAgentConfigFile(group, { externalId: EXTERNAL_ID_PLACEHOLDER });
        expect(template).to.contain(`  external_id: '${EXTERNAL_ID_PLACEHOLDER}'\n`);
        expect(template).not.to.contain(ID_A);
        expect(template.replace(EXTERNAL_ID_PLACEHOLDER, ID_A)).to.equal(renderAgentConfig([accounts[0], accounts[2]])[0].content);
        expect(agentConfigFileProblems(template)).to.deep.equal([]);
    });

    it("reports every bad account at once, naming account and field, never echoing an ExternalId", () => {
        const bad = [
            { roleArn: "arn:aws:iam::111122223333:user/bob", externalId: "too-short", regions: ["eu-west-1", "mars-1"] },
            { roleArn: roleArn("444455556666"), externalId: "has spaces in it, not allowed", regions: [], collectionInterval: 0 },
            { roleArn: roleArn("777788889999"), externalId: ID_A, regions: ["us-gov-west-1"] },
            { roleArn: roleArn("777788889999", "/other/"), externalId: ID_B, regions: ["eu-west-1"] },
            { roleArn: roleArn("123412341234"), regions: ["eu-west-1"], colour: "blue" },
            // A schema problem does not hide a rule's: this account repeats account 2's.
            { roleArn: roleArn("444455556666"), externalId: ID_A, regions: ["eu-west-1"], tags: [""] },
        ] as unknown as MonitoredAccount[];
        const problems = monitoredAccountProblems(bad);
        expect(problems).to.deep.equal([
            "account 1 (arn:aws:iam::111122223333:user/bob): roleArn must be an IAM role ARN (arn:aws:iam::<12-digit account>:role/<name>), got \"arn:aws:iam::111122223333:user/bob\"",
            "account 1 (arn:aws:iam::111122223333:user/bob): externalId must be 16-1224 characters of letters, digits and _+=,.@:/-",
            `account 1 (arn:aws:iam::111122223333:user/bob): regions must be global or a known AWS region code (${KNOWN_REGIONS.join(", ")}) (at [1]), got "mars-1"`,
            "account 2 (arn:aws:iam::444455556666:role/StackStateAwsIntegrationRole): externalId must be 16-1224 characters of letters, digits and _+=,.@:/-",
            "account 2 (arn:aws:iam::444455556666:role/StackStateAwsIntegrationRole): regions must be a non-empty list of distinct region codes (global is added for you), got []",
            "account 2 (arn:aws:iam::444455556666:role/StackStateAwsIntegrationRole): collectionInterval must be a whole number of seconds, at least 1, got 0",
            "account 3 (arn:aws:iam::777788889999:role/StackStateAwsIntegrationRole): regions must be in the role's partition 'aws', got us-gov-west-1",
            "account 4 (arn:aws:iam::777788889999:role/other/StackStateAwsIntegrationRole): account 777788889999 is already account 3; the Agent needs one instance per account",
            "account 5 (arn:aws:iam::123412341234:role/StackStateAwsIntegrationRole): externalId is required",
            "account 5 (arn:aws:iam::123412341234:role/StackStateAwsIntegrationRole): colour is not a known key. Known keys are: roleArn, externalId, regions, collectionInterval, apisToRun, tags, logBucketName, flowlogBucketName.",
            "account 6 (arn:aws:iam::444455556666:role/StackStateAwsIntegrationRole): tags entries must be non-empty strings such as key:value (at [0]), got \"\"",
            "account 6 (arn:aws:iam::444455556666:role/StackStateAwsIntegrationRole): account 444455556666 is already account 2; the Agent needs one instance per account",
        ]);
        for (const problem of problems) {
            expect(problem).not.to.contain("too-short");
            expect(problem).not.to.contain("has spaces");
        }
        expect(() => renderAgentConfig(bad)).to.throw(AgentConfigError, /^Invalid monitored accounts:\n  - account 1 /);
        expect(() => renderAgentConfig([])).to.throw(AgentConfigError, "Invalid monitored accounts:\n  - at least one monitored account is needed");
    });
});

describe("aws_topology check schema", () => {
    const valid = () => ({
        init_config: { aws_access_key_id: "", aws_secret_access_key: "", external_id: ID_A },
        instances: [{ role_arn: roleArn("111122223333"), regions: ["global", "eu-west-1"], collection_interval: 60 }],
    });
    type Config = ReturnType<typeof valid> & Record<string, any>;
    const variant = (change: (c: Config) => void) => { const c = valid() as Config; change(c); return agentConfigProblems(c); };

    it("accepts the documented example shape, and access keys when both are set", () => {
        expect(agentConfigProblems(valid())).to.deep.equal([]);
        expect(variant((c) => { c.init_config.aws_access_key_id = "AKIAEXAMPLE"; c.init_config.aws_secret_access_key = "s3cr3t"; })).to.deep.equal([]);
        expect(variant((c) => { c.instances[0] = { role_arn: roleArn("111122223333"), regions: ["global"], min_collection_interval: 60 } as any; })).to.deep.equal([]);
    });

    it("requires both credential keys, present (empty = instance profile) and paired", () => {
        expect(variant((c) => { delete (c.init_config as any).aws_secret_access_key; })).to.deep.equal(["init_config must have aws_secret_access_key"]);
        expect(variant((c) => { c.init_config.aws_access_key_id = "AKIAEXAMPLE"; })).to.deep.equal([
            "init_config must have aws_access_key_id, aws_secret_access_key (both empty for the instance profile, or both set) and external_id, got {\"aws_access_key_id\":\"AKIAEXAMPLE\",\"aws_secret_access_key\":\"[secret]\",\"external_id\":\"[secret]\"}",
        ]);
    });

    it("names each bad option and where it is", () => {
        expect(variant((c) => { c.init_config.external_id = "it's bad"; })).to.deep.equal([
            "init_config must be 2-1224 characters of letters, digits and _+=,.@:/- (at external_id)",
        ]);
        const problems = variant((c) => {
            (c.instances[0] as any).colour = "blue";
            c.instances[0].regions = ["global", "eu-west-1", "eu-west-1"];
            (c.instances[0] as any).apis_to_run = ["ec2", "S3!"];
            c.instances[0].collection_interval = 0;
            (c.instances[0] as any).log_bucket_name = "Bad_Bucket";
        });
        expect(problems).to.deep.equal([
            "instances has unknown key 'colour' (at [0]); known keys are: role_arn, regions, collection_interval, min_collection_interval, apis_to_run, log_bucket_name, flowlog_bucket_name, tags; must be a non-empty list of distinct regions (at [0].regions), got [\"global\",\"eu-west-1\",\"eu-west-1\"]; must be a whole number of seconds, at least 1 (at [0].collection_interval), got 0; entries must be one of the check's APIs (apigateway, autoscaling, cloudformation, dynamodb, ec2, ecs, elb, elbv2, firehose, kinesis, lambda, rds, redshift, s3, servicediscovery, sns, sqs, stepfunctions, route53, route53domains), optionally with a filter (api|filter) (at [0].apis_to_run[1]), got \"S3!\"; must be an S3 bucket name (3-63 characters of a-z, 0-9, . and -) (at [0].log_bucket_name), got \"Bad_Bucket\"",
        ]);
        expect(variant((c) => { c.instances = []; c.extra = 1; })).to.deep.equal([
            "extra is not a known key. Known keys are: init_config, instances.",
            "instances must be a non-empty list of instances, one per monitored account, got []",
        ]);
        expect(variant((c) => { delete (c.instances[0] as any).role_arn; })).to.deep.equal(["instances must have role_arn (at [0])"]);
    });

    it("reports YAML that does not parse", () => {
        expect(agentConfigFileProblems("init_config: [unclosed\n")).to.have.length.greaterThan(0);
        expect(agentConfigFileProblems("init_config: [unclosed\n")[0]).to.match(/^not valid YAML 1\.1: /);
    });

    it("reads a file as the Agent does (YAML 1.1), and names what reads differently under YAML 1.2", () => {
        const file = (tags: string) => [
            "init_config: {aws_access_key_id: '', aws_secret_access_key: '', external_id: 'shared-external-id-0123456789'}",
            `instances: [{role_arn: '${roleArn("111122223333")}', regions: [eu-west-1, global], tags: [${tags}]}]`,
        ].join("\n");
        expect(agentConfigFileProblems(file("'on', 'env:prod'"))).to.deep.equal([]);
        expect(agentConfigFileProblems(file("on, env:prod"))).to.deep.equal([
            "under YAML 1.1: instances entries must be non-empty strings such as key:value (at [0].tags[0]), got true",
        ]);
        expect(agentConfigFileProblems(file("12:30"))[0]).to.equal("under YAML 1.1: instances entries must be non-empty strings such as key:value (at [0].tags[0]), got 750");
        expect(agentConfigFileProblems(file("'a', 0o17"))).to.deep.equal([
            "instances[0].tags[1] reads differently under YAML 1.1 and 1.2 (an unquoted yes, on, 12:30 or 1_000?); quote it",
        ]);
    });
});

describe("monitored-stack outputs", () => {
    const outputs = {
        accountId: "111122223333", roleArn: roleArn("111122223333"), externalId: ID_A, regions: ["eu-west-1"],
        mainRegion: "eu-west-1", bucketName: "stackstate-logs-111122223333",
    };

    it("maps the outputs to an account, naming the bucket only when it is not the Agent's default", () => {
        expect(monitoredAccountFromOutputs(outputs)).to.deep.equal({
            account: { roleArn: roleArn("111122223333"), externalId: ID_A, regions: ["eu-west-1"] }, problems: [],
        });
        expect(monitoredAccountFromOutputs({ ...outputs, bucketName: "custom-logs" }).account).to.deep.equal({
            roleArn: roleArn("111122223333"), externalId: ID_A, regions: ["eu-west-1"], logBucketName: "custom-logs", flowlogBucketName: "custom-logs",
        });
    });

    it("names missing, hidden and inconsistent outputs", () => {
        expect(monitoredAccountFromOutputs({ ...outputs, externalId: "[secret]", roleArn: undefined }).problems).to.deep.equal([
            "output roleArn is missing",
            "output externalId is hidden (\"[secret]\"): save the outputs with pulumi stack output --json --show-secrets",
        ]);
        expect(monitoredAccountFromOutputs({ ...outputs, accountId: "999999999999", regions: "eu-west-1" }).problems).to.deep.equal([
            "output regions must be a list of region codes, got \"eu-west-1\"",
            "output roleArn (arn:aws:iam::111122223333:role/StackStateAwsIntegrationRole) is not in account 999999999999 (output accountId)",
        ]);
        expect(monitoredAccountFromOutputs([1, 2]).problems).to.deep.equal(["must be a JSON object of stack outputs (pulumi stack output --json --show-secrets)"]);
    });
});

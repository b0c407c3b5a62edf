/**
 * verify against a real AWS API emulator (moto): a correct account passes every check, and each
 * way of breaking it fails exactly the check that should catch it; denials come from moto's own
 * IAM enforcement. moto cannot answer two questions — it does not enforce the ExternalId as AWS
 * does, and lacks IAM's policy simulator — so those two calls are answered by aws-sdk-client-mock
 * (test/helpers/aws-fakes.ts) while every other call reaches moto.
 */
import { expect } from "chai";
import { DescribeFlowLogsCommand } from "@aws-sdk/client-ec2";
import { EVENT_SOURCES, PolicyDocument } from "../../../model";
import { ClientFactory, sdkClientFactory } from "../../../cli/aws/clients";
import { CheckResult, CHECK_IDS, GLOBAL_CHECK_IDS, REGION_CHECK_IDS, verifyExitCode } from "../../../cli/verify/checks";
import { parseVerifyFlags } from "../../../cli/verify/options";
import { runVerify } from "../../../cli/verify/run";
import { asIamUser, motoClients, motoEndpoint, MOTO_ACCOUNT_ID, resetMoto } from "../../helpers/moto";
import { buildWorld, World, WorldBreaks, WORLD_EXTERNAL_ID } from "../../helpers/aws-world";
import { emulateTrust, fakeSimulator } from "../../helpers/aws-fakes";

const REGIONS = ["eu-west-1", "us-east-1"];
const BUCKET = `stackstate-logs-${MOTO_ACCOUNT_ID}`;

interface Run {
    world: World;
    results: CheckResult[];
    clients: ClientFactory;
}

/** The checks that did not pass, as [status, region, id, message]. */
const notPassing = (results: CheckResult[]) =>
    results.filter((r) => r.status !== "pass").map((r) => [r.status, r.region, r.id, r.message]);

describe("verify against moto", function () {
    this.timeout(60_000);
    let endpoint: string;
    const opened: { destroy(): void }[] = [];

    before(async () => {
        endpoint = await motoEndpoint();
    });
    beforeEach(() => resetMoto());
    afterEach(() => opened.splice(0).forEach((c) => c.destroy()));

    /**
     * Builds the world, answers AssumeRole as a StringEquals trust would (unless told otherwise) and
     * the simulator with "allowed", then lets `tamper` change clients before verify runs. With
     * `policy`, verify runs as a moto IAM user holding only that policy, moto enforcing it.
     */
    async function verifyWorld(breaks: WorldBreaks = {}, options: {
        admits?: (externalId: string | undefined) => boolean;
        tamper?: (clients: ClientFactory) => ClientFactory;
        now?: () => Date;
        policy?: PolicyDocument;
    } = {}): Promise<Run> {
        const admin = motoClients(endpoint);
        opened.push(admin);
        // The Agent runs in the same account here, so the caller is a principal the trust names.
        const world = await buildWorld(admin, { regions: REGIONS, externalId: WORLD_EXTERNAL_ID, agentAccountId: MOTO_ACCOUNT_ID, breaks });
        const input = parseVerifyFlags({ roleArn: world.roleArn, externalId: WORLD_EXTERNAL_ID, regions: REGIONS.join(",") });
        const run = async (caller: ClientFactory & { destroy(): void }): Promise<Run> => {
            opened.push(caller);
            emulateTrust(caller(world.mainRegion).sts, options.admits ?? ((id) => id === WORLD_EXTERNAL_ID));
            fakeSimulator(caller(world.mainRegion).iam);
            const clients = options.tamper?.(caller) ?? caller;
            return { world, results: await runVerify(input, { clients, now: options.now }), clients };
        };
        return options.policy
            ? asIamUser(endpoint, options.policy, (user) => run(motoClients(endpoint, user.credentials)))
            : run(admin);
    }

    it("passes every check of a correct account, in report order", async () => {
        const { results, world } = await verifyWorld();
        expect(results.map((r) => [r.region, r.id, r.status])).to.deep.equal([
            ...["caller-identity", "external-id-strength", "trust-policy", "assume-role-with-external-id",
                "assume-role-without-external-id", "assume-role-with-wrong-external-id", "role-permissions"]
                .map((id) => ["global", id, "pass"]),
            ...["bucket-exists", "bucket-versioning", "bucket-lifecycle", "bucket-encryption", "bucket-public-access-block"]
                .map((id) => ["eu-west-1", id, "pass"]),
            ...REGIONS.flatMap((region) => ["firehose-stream", "event-rule", "cloudtrail-trail", "kms-key-rotation", "flow-logs", "recent-events"]
                .map((id) => [region, id, "pass"])),
        ]);
        expect(results).to.have.length(CHECK_IDS.length + REGION_CHECK_IDS.length);
        const message = (region: string, id: string) => results.find((r) => r.region === region && r.id === id)?.message;
        expect(message("eu-west-1", "bucket-encryption")).to.equal(`default encryption is SSE-KMS with the integration key ${world.keyArns["eu-west-1"]}`);
        expect(message("us-east-1", "firehose-stream")).to.equal(
            `stream 'stackstate-eventbridge-stream' is ACTIVE and delivers GZIP every 60 s to ${BUCKET}/AWSLogs/${MOTO_ACCOUNT_ID}/EventBridge/us-east-1/`);
        expect(message("us-east-1", "flow-logs")).to.equal(`2 flow logs to ${BUCKET} cover every VPC, with the default format and 60 s aggregation`);
        expect(message("us-east-1", "cloudtrail-trail")).to.equal("trail audit (multi-region) is logging us-east-1's API calls, so EventBridge receives them");
        expect(verifyExitCode(results)).to.equal(0);
    });

    interface BrokenCase { name: string; breaks: WorldBreaks; expected: (w: World) => string[][] }
    const noApiCalls = (region: string, found: string, fix: string) => ["warn", region, "cloudtrail-trail",
        `${found}: EventBridge receives no "AWS API Call via CloudTrail" events in ${region}, so StackState sees changes only at the Agent's full scans (hourly). Fix: ${fix}`];
    const CREATE_TRAIL = "aws cloudtrail create-trail --name <name> --s3-bucket-name <a trail bucket> --is-multi-region-trail, then aws cloudtrail start-logging --name <name>";
    const cases: BrokenCase[] = [
        {
            name: "no CloudTrail trail (API-call events never reach EventBridge)",
            breaks: { cloudTrail: "none" },
            expected: () => REGIONS.map((region) => noApiCalls(region, "no trail logs this region", CREATE_TRAIL)),
        },
        {
            name: "a stopped trail",
            breaks: { cloudTrail: "stopped" },
            expected: () => REGIONS.map((region) => noApiCalls(region, "trail audit (multi-region) is not logging", "aws cloudtrail start-logging --name audit")),
        },
        {
            name: "a trail of the main region only",
            breaks: { cloudTrail: "homeRegionOnly" },
            expected: () => [noApiCalls("us-east-1", "no trail logs this region", CREATE_TRAIL)],
        },
        {
            name: "versioning suspended",
            breaks: { versioning: "Suspended" },
            expected: () => [["fail", "eu-west-1", "bucket-versioning", `bucket ${BUCKET}: versioning must be Enabled, is Suspended (the Agent will not read the bucket)`]],
        },
        {
            name: "a 300 s Firehose buffer",
            breaks: { regions: { "us-east-1": { bufferSeconds: 300 } } },
            expected: () => [["fail", "us-east-1", "firehose-stream", "stream 'stackstate-eventbridge-stream': the buffering interval must be 60 s, is 300 s (topology updates wait that long)"]],
        },
        {
            name: "a wrong Firehose prefix (so events land where the Agent does not look)",
            breaks: { regions: { "us-east-1": { prefix: `AWSLogs/${MOTO_ACCOUNT_ID}/EventBridge/` } } },
            expected: () => [
                ["fail", "us-east-1", "firehose-stream", `stream 'stackstate-eventbridge-stream': the S3 prefix must be 'AWSLogs/${MOTO_ACCOUNT_ID}/EventBridge/us-east-1/', is 'AWSLogs/${MOTO_ACCOUNT_ID}/EventBridge/' (the Agent reads only that prefix)`],
                ["warn", "us-east-1", "recent-events", `no object arrived under AWSLogs/${MOTO_ACCOUNT_ID}/EventBridge/us-east-1/ in the last 15 minutes (there is none): expected only if nothing changed in us-east-1; otherwise check the rule and the stream`],
            ],
        },
        {
            name: "uncompressed delivery to another bucket",
            breaks: { regions: { "eu-west-1": { compression: "UNCOMPRESSED", streamBucket: "someone-elses-bucket" } } },
            expected: () => [["fail", "eu-west-1", "firehose-stream", `stream 'stackstate-eventbridge-stream': the stream must deliver to arn:aws:s3:::${BUCKET}, delivers to arn:aws:s3:::someone-elses-bucket; compression must be GZIP, is UNCOMPRESSED`]],
        },
        {
            name: "a missing stream in one region",
            breaks: { regions: { "us-east-1": { noStream: true } } },
            expected: () => [["fail", "us-east-1", "firehose-stream", "there is no Firehose stream 'stackstate-eventbridge-stream' in us-east-1"]],
        },
        {
            name: "a disabled rule",
            breaks: { regions: { "eu-west-1": { ruleDisabled: true } } },
            expected: () => [["fail", "eu-west-1", "event-rule", "rule 'stackstate-eventbridge-rule' targets the stream but it must be ENABLED, is DISABLED"]],
        },
        {
            // What StackState's published CloudFormation template creates: the Agent tolerates it.
            name: "the published template's pattern, without aws.autoscaling and aws.sns",
            breaks: { regions: { "us-east-1": { ruleSources: EVENT_SOURCES.filter((s) => !["aws.sns", "aws.autoscaling"].includes(s)) } } },
            expected: () => [["warn", "us-east-1", "event-rule", "rule 'stackstate-eventbridge-rule' targets the stream and is ENABLED, but the event pattern does not match the sources aws.autoscaling, aws.sns, as StackState's published template writes it: the Agent handles their events, but without them those changes wait for its hourly full scan. Fix: add \"aws.autoscaling\" and \"aws.sns\" to the rule's \"source\" list"]],
        },
        {
            name: "a rule pattern missing sources the Agent needs",
            breaks: { regions: { "eu-west-1": { ruleSources: EVENT_SOURCES.filter((s) => !["aws.sns", "aws.ec2"].includes(s)) } } },
            expected: () => [["fail", "eu-west-1", "event-rule", "rule 'stackstate-eventbridge-rule' targets the stream but the event pattern must match the sources aws.ec2, aws.sns (the Agent reads their events)"]],
        },
        {
            name: "no rule targeting the stream",
            breaks: { regions: { "eu-west-1": { noRule: true } } },
            expected: () => [["fail", "eu-west-1", "event-rule", `no EventBridge rule targets the stream arn:aws:firehose:eu-west-1:${MOTO_ACCOUNT_ID}:deliverystream/stackstate-eventbridge-stream`]],
        },
        {
            name: "key rotation off",
            breaks: { regions: { "us-east-1": { keyRotationOff: true } } },
            expected: (w) => [["fail", "us-east-1", "kms-key-rotation", `key ${w.keyArns["us-east-1"]} (alias/stackstate-integration): automatic key rotation must be enabled`]],
        },
        {
            name: "a VPC without a flow log",
            breaks: { regions: { "eu-west-1": { vpcWithoutFlowLog: true } } },
            expected: (w) => [["warn", "eu-west-1", "flow-logs", `VPC without a flow log to ${BUCKET}: ${w.vpcs["eu-west-1"][0]} (flow logs are optional; the Agent sees no traffic of this VPC)`]],
        },
        {
            name: "no recent object",
            breaks: { regions: { "eu-west-1": { noRecentObject: true } } },
            expected: () => [["warn", "eu-west-1", "recent-events", `no object arrived under AWSLogs/${MOTO_ACCOUNT_ID}/EventBridge/eu-west-1/ in the last 15 minutes (there is none): expected only if nothing changed in eu-west-1; otherwise check the rule and the stream`]],
        },
        {
            name: "no lifecycle rule",
            breaks: { noLifecycle: true },
            expected: () => [["fail", "eu-west-1", "bucket-lifecycle", `bucket ${BUCKET}: an enabled whole-bucket lifecycle rule must expire current versions after 1 day; an enabled whole-bucket lifecycle rule must expire non-current versions after 1 day`]],
        },
        {
            name: "a 7-day lifecycle",
            breaks: { lifecycleDays: 7 },
            expected: () => [["fail", "eu-west-1", "bucket-lifecycle", `bucket ${BUCKET}: an enabled whole-bucket lifecycle rule must expire current versions after 1 day; an enabled whole-bucket lifecycle rule must expire non-current versions after 1 day`]],
        },
        {
            name: "SSE-S3 instead of the integration key",
            breaks: { encryption: "AES256" },
            expected: () => [["fail", "eu-west-1", "bucket-encryption", `bucket ${BUCKET}: default encryption must be SSE-KMS (aws:kms) with the integration's key, is AES256`]],
        },
        {
            name: "no public-access block",
            breaks: { noPublicAccessBlock: true },
            expected: () => [["fail", "eu-west-1", "bucket-public-access-block", `bucket ${BUCKET}: the bucket must have a public-access block with all four settings on`]],
        },
    ];

    /**
     * Each case breaks a different check (or region), so several share one world — a world takes
     * moto most of a second to build — and the assertion stays exact: every non-passing check of
     * the run is listed, with its whole message, and nothing else may fail.
     */
    const groups: string[][] = [
        ["versioning suspended", "a 300 s Firehose buffer", "a disabled rule", "key rotation off", "a VPC without a flow log", "no lifecycle rule",
            "no CloudTrail trail (API-call events never reach EventBridge)"],
        ["a wrong Firehose prefix (so events land where the Agent does not look)", "uncompressed delivery to another bucket",
            "the published template's pattern, without aws.autoscaling and aws.sns", "a rule pattern missing sources the Agent needs", "no recent object", "SSE-S3 instead of the integration key", "no public-access block", "a stopped trail"],
        ["a missing stream in one region", "no rule targeting the stream", "a 7-day lifecycle", "a trail of the main region only"],
    ];
    const rank = (row: string[]) => (row[1] === "global" ? 0 : REGIONS.indexOf(row[1]) + 1) * 100 + CHECK_IDS.indexOf(row[2] as never);
    const merge = (all: WorldBreaks[]): WorldBreaks => all.reduce<WorldBreaks>((merged, b) => {
        const regions = { ...merged.regions };
        for (const [region, breaks] of Object.entries(b.regions ?? {})) regions[region] = { ...regions[region], ...breaks };
        return { ...merged, ...b, regions };
    }, {});

    it("groups every broken case exactly once", () => {
        expect(groups.flat().sort()).to.deep.equal(cases.map((c) => c.name).sort());
    });

    for (const names of groups) {
        const group = names.map((name) => cases.find((c) => c.name === name) as BrokenCase);
        it(`fails exactly the expected checks for: ${names.join("; ")}`, async () => {
            const { results, world } = await verifyWorld(merge(group.map((c) => c.breaks)));
            const expected = group.flatMap((c) => c.expected(world)).sort((a, b) => rank(a) - rank(b));
            expect(notPassing(results)).to.deep.equal(expected);
        });
    }

    it("finds the rule by its target, whatever its name", async () => {
        const { results } = await verifyWorld({ regions: { "us-east-1": { ruleName: "hand-made-rule" } } });
        expect(notPassing(results)).to.deep.equal([]);
        expect(results.find((r) => r.region === "us-east-1" && r.id === "event-rule")?.message)
            .to.equal("rule 'hand-made-rule' targets the stream and is ENABLED with the Agent's event pattern");
    });

    it("names every broken flow log and the setting it gets wrong", async () => {
        const { results, clients } = await verifyWorld({ regions: {
            "eu-west-1": { flowLogFormat: "${srcaddr} ${dstaddr} ${action}" },
            "us-east-1": { flowLogIntervalSeconds: 600 },
        } });
        const described = async (region: string) => (await clients(region).ec2.send(new DescribeFlowLogsCommand({}))).FlowLogs ?? [];
        const [eu, us] = [await described("eu-west-1"), await described("us-east-1")];
        expect([eu.length, us.length]).to.deep.equal([2, 2]);
        expect(notPassing(results)).to.deep.equal([
            ["fail", "eu-west-1", "flow-logs", eu.map((f) => `flow log ${f.FlowLogId} (${f.ResourceId}): the log format must be AWS's default format`).join(". ")],
            ["fail", "us-east-1", "flow-logs", us.map((f) => `flow log ${f.FlowLogId} (${f.ResourceId}): the maximum aggregation interval must be 60 s, is 600 s`).join(". ")],
        ]);
    });

    it("skips what depends on a missing bucket and says so", async () => {
        const { results, world } = await verifyWorld({ noBucket: true });
        const skipped = `not checked: bucket ${BUCKET} does not exist`;
        expect(notPassing(results)).to.deep.equal([
            ["fail", "eu-west-1", "bucket-exists", `bucket ${BUCKET} does not exist`],
            ...["bucket-versioning", "bucket-lifecycle", "bucket-encryption", "bucket-public-access-block"].map((id) => ["skip", "eu-west-1", id, skipped]),
            ...REGIONS.flatMap((region) => [
                ["warn", region, "flow-logs", `VPCs without a flow log to ${BUCKET}: ${world.vpcs[region].join(", ")} (flow logs are optional; the Agent sees no traffic of these VPCs)`],
                ["skip", region, "recent-events", skipped],
            ]),
        ]);
        expect(verifyExitCode(results)).to.equal(1);
    });

    it("warns when the newest event is older than 15 minutes", async () => {
        const later = () => new Date(Date.now() + 20 * 60_000);
        const { results } = await verifyWorld({}, { now: later });
        expect(notPassing(results)).to.deep.equal(REGIONS.map((region) => ["warn", region, "recent-events",
            `no object arrived under AWSLogs/${MOTO_ACCOUNT_ID}/EventBridge/${region}/ in the last 15 minutes (the newest arrived 20 minutes ago): expected only if nothing changed in ${region}; otherwise check the rule and the stream`]));
        expect(verifyExitCode(results)).to.equal(0);
    });

    it("fails the trust and the security probe when the role admits callers without an ExternalId", async () => {
        const lax = {
            Version: "2012-10-17" as const,
            Statement: [{
                Effect: "Allow" as const, Principal: { AWS: `arn:aws:iam::${MOTO_ACCOUNT_ID}:root` }, Action: "sts:AssumeRole",
                Condition: { StringEqualsIfExists: { "sts:ExternalId": WORLD_EXTERNAL_ID } },
            }],
        };
        // What AWS does for StringEqualsIfExists: no ExternalId passes, a wrong one does not.
        const { results } = await verifyWorld({ trust: lax }, { admits: (id) => id === undefined || id === WORLD_EXTERNAL_ID });
        expect(notPassing(results)).to.deep.equal([
            ["fail", "global", "trust-policy", "the trust policy of StackStateAwsIntegrationRole: statement 1 must use StringEquals on sts:ExternalId, not StringEqualsIfExists (it admits callers without an ExternalId); no statement accepts the ExternalId given with --external-id"],
            ["fail", "global", "assume-role-without-external-id", "SECURITY: AssumeRole without an ExternalId succeeds for arn:aws:sts::123456789012:user/moto: any principal the trust policy names can assume the role without knowing the ExternalId, and the Agent refuses to run while this succeeds; require sts:ExternalId with StringEquals"],
        ]);
    });

    it("fails only the checks whose permission moto denies, naming the permission, while the rest still run", async () => {
        const policy: PolicyDocument = {
            Version: "2012-10-17",
            Statement: [
                { Effect: "Allow", Action: "*", Resource: "*" },
                { Effect: "Deny", Action: "firehose:DescribeDeliveryStream", Resource: "*" },
                { Effect: "Deny", Action: "s3:GetBucketVersioning", Resource: `arn:aws:s3:::${BUCKET}` },
            ],
        };
        const { results } = await verifyWorld({}, { policy });
        // moto 5.2.1 with IAM enforcement on miscomputes the signature of a query holding an encoded
        // '/' (ListObjectVersions with a prefix), so recent-events sees its credentials rejected:
        // an emulator defect, and proof that rejected credentials are `error`, not `fail`. moto
        // also answers Firehose's JSON API with an XML denial, which the SDK cannot read.
        const rejected = "could not call s3:ListBucketVersions: the AWS credentials were rejected (SignatureDoesNotMatch: The request signature we calculated does not match the signature you provided. Check your key and signing method.)";
        const streamDenied = "access denied: the credentials lack firehose:DescribeDeliveryStream (HTTP 403, with an error body the SDK could not read)";
        expect(notPassing(results)).to.deep.equal([
            ["fail", "eu-west-1", "bucket-versioning", "access denied: the credentials lack s3:GetBucketVersioning (AccessDenied: Access Denied)"],
            ["fail", "eu-west-1", "firehose-stream", streamDenied],
            ["error", "eu-west-1", "recent-events", rejected],
            ["fail", "us-east-1", "firehose-stream", streamDenied],
            ["error", "us-east-1", "recent-events", rejected],
        ]);
        expect(results.find((r) => r.id === "caller-identity")?.message).to.match(/^credentials of arn:aws:iam::123456789012:user\/caller-[0-9a-f]{8}$/);
        // 1 wins over 3.
        expect(verifyExitCode(results)).to.equal(1);
    });

    it("reports a check it could not evaluate as error, and exits 3 when nothing failed", async () => {
        // us-east-1's KMS endpoint is unreachable; every other call still reaches moto.
        const unreachable = sdkClientFactory({ endpoint: "http://127.0.0.1:9", credentials: { accessKeyId: "a", secretAccessKey: "b" }, maxAttempts: 1 });
        opened.push(unreachable);
        const { results } = await verifyWorld({}, {
            tamper: (clients) => (region) => (region === "us-east-1" ? { ...clients(region), kms: unreachable(region).kms } : clients(region)),
        });
        expect(notPassing(results)).to.deep.equal([
            ["error", "us-east-1", "kms-key-rotation", "could not call kms:DescribeKey: cannot reach http://127.0.0.1:9 (connect ECONNREFUSED 127.0.0.1:9)"],
        ]);
        expect(verifyExitCode(results)).to.equal(3);
    });

    /** Every check of a one-region run, in report order, with the statuses and messages given. */
    const allChecks = (region: string, rows: (id: string) => [string, string]) =>
        CHECK_IDS.map((id) => [GLOBAL_CHECK_IDS.includes(id as never) ? "global" : region, id, ...rows(id)]);

    it("cannot evaluate anything when the endpoint is down, says why, and still lists every check", async () => {
        const clients = sdkClientFactory({ endpoint: "http://127.0.0.1:9", credentials: { accessKeyId: "a", secretAccessKey: "b" }, maxAttempts: 1 });
        opened.push(clients);
        const input = parseVerifyFlags({ roleArn: `arn:aws:iam::${MOTO_ACCOUNT_ID}:role/StackStateAwsIntegrationRole`, externalId: WORLD_EXTERNAL_ID, regions: "eu-west-1" });
        const results = await runVerify(input, { clients });
        const why = "could not call sts:GetCallerIdentity: cannot reach http://127.0.0.1:9 (connect ECONNREFUSED 127.0.0.1:9)";
        expect(results.map((r) => [r.region, r.id, r.status, r.message])).to.deep.equal(allChecks("eu-west-1", (id) =>
            id === "caller-identity" ? ["error", why]
                : id === "external-id-strength" ? ["pass", "the ExternalId has 40 characters"]
                    : ["error", `not evaluated: ${why}`]));
        expect(verifyExitCode(results)).to.equal(3);
    });

    it("cannot evaluate (exit 3) with credentials of another account than the role's, and says which", async () => {
        const clients = motoClients(endpoint);
        opened.push(clients);
        const input = parseVerifyFlags({ roleArn: "arn:aws:iam::999988887777:role/StackStateAwsIntegrationRole", externalId: WORLD_EXTERNAL_ID, regions: "eu-west-1" });
        const results = await runVerify(input, { clients });
        const why = "the credentials (arn:aws:sts::123456789012:user/moto) are for account 123456789012, but --role-arn is in account 999988887777: verify reads the role and the account's resources, so run it with credentials of account 999988887777";
        expect(results.map((r) => [r.region, r.id, r.status, r.message])).to.deep.equal(allChecks("eu-west-1", (id) =>
            id === "caller-identity" ? ["error", why]
                : id === "external-id-strength" ? ["pass", "the ExternalId has 40 characters"]
                    : ["error", `not evaluated: ${why}`]));
        expect(verifyExitCode(results)).to.equal(3);
    });
});

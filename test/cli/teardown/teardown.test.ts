/**
 * teardown against moto: a monitored account built from the model, a bucket with thousands of
 * versions and delete markers, and things that are not the integration's, which must survive.
 *
 * Longer than this repository's ~400 lines on purpose: every case runs the command against the
 * same world, snapshot and in-process runner below, and together they are the command's contract
 * (the full run, reruns, refusals, dry runs); the CLI's flags and prompts are in teardown-cli and
 * teardown-confirm.
 */
import { expect } from "chai";
import {
    DescribeRuleCommand, ListRuleNamesByTargetCommand, ListTargetsByRuleCommand, PutRuleCommand, PutTargetsCommand,
} from "@aws-sdk/client-eventbridge";
import { CreateFlowLogsCommand, CreateVpcCommand, DescribeFlowLogsCommand } from "@aws-sdk/client-ec2";
import {
    CreateBucketCommand, DeleteObjectsCommandInput, DeleteObjectsCommandOutput, HeadBucketCommand,
    PutBucketVersioningCommand, PutObjectCommand, S3Client,
} from "@aws-sdk/client-s3";
import { firehoseStreamArn, flowLogsPrefix, PolicyDocument } from "../../../model";
import { ClientFactory } from "../../../cli/aws/clients";
import { countEntries, emptyBucket } from "../../../cli/teardown/empty-bucket";
import { teardownCommand, TeardownEnvironment } from "../../../cli/teardown";
import { CommandError } from "../../../cli/exit-codes";
import { TeardownReport } from "../../../cli/teardown/run";
import { TeardownFlags } from "../../../cli/teardown/options";
import { asIamUser, motoClients, motoEndpoint, MOTO_ACCOUNT_ID, resetMoto } from "../../helpers/moto";
import { buildWorld, World, WorldBreaks, WORLD_EXTERNAL_ID } from "../../helpers/aws-world";
import { fillBucket } from "../../helpers/bucket-fill";

const REGIONS = ["eu-west-1", "us-east-1"];
const UNRELATED_BUCKET = `customer-data-${MOTO_ACCOUNT_ID}`;

/** Watches every S3 request of a client (and may throw to interrupt it): command name and input. */
function onS3Requests(s3: S3Client, name: string, watch: (command: string, input: Record<string, unknown>) => void): void {
    s3.middlewareStack.add((next, context) => async (args) => {
        watch(context.commandName as string, args.input as Record<string, unknown>);
        return next(args);
    }, { step: "initialize", name });
}

interface Snapshot {
    rules: string[];
    flowLogs: string[];
    buckets: Record<string, { versions: number; deleteMarkers: number } | "missing">;
}

describe("teardown against moto", function () {
    this.timeout(90_000);
    let endpoint: string;
    let clients: ClientFactory & { destroy(): void };

    before(async () => {
        endpoint = await motoEndpoint();
    });
    beforeEach(async () => {
        await resetMoto();
        clients = motoClients(endpoint);
    });
    afterEach(() => clients.destroy());

    async function world(breaks: WorldBreaks = {}): Promise<World> {
        const built = await buildWorld(clients, { regions: REGIONS, externalId: WORLD_EXTERNAL_ID, agentAccountId: MOTO_ACCOUNT_ID, breaks });
        // Things that are not the integration's: a versioned bucket with a flow log, and a rule.
        const s3 = clients("eu-west-1").s3;
        await s3.send(new CreateBucketCommand({ Bucket: UNRELATED_BUCKET, CreateBucketConfiguration: { LocationConstraint: "eu-west-1" } }));
        await s3.send(new PutBucketVersioningCommand({ Bucket: UNRELATED_BUCKET, VersioningConfiguration: { Status: "Enabled" } }));
        await fillBucket(s3, UNRELATED_BUCKET, { versions: 6, deleteMarkers: 1, prefix: "AWSLogs/" });
        await clients("eu-west-1").ec2.send(new CreateFlowLogsCommand({
            ResourceIds: [built.vpcs["eu-west-1"][0]], ResourceType: "VPC", TrafficType: "ALL",
            LogDestinationType: "s3", LogDestination: `arn:aws:s3:::${UNRELATED_BUCKET}`,
        }));
        await clients("eu-west-1").events.send(new PutRuleCommand({ Name: "customer-rule", EventPattern: JSON.stringify({ source: ["aws.ec2"] }) }));
        await clients("eu-west-1").events.send(new PutTargetsCommand({ Rule: "customer-rule",
            Targets: [{ Id: "q", Arn: `arn:aws:sqs:eu-west-1:${MOTO_ACCOUNT_ID}:customer-queue` }] }));
        return built;
    }

    async function snapshot(w: World): Promise<Snapshot> {
        const rules: string[] = [];
        for (const region of REGIONS) {
            const events = clients(region).events;
            const targeting = await events.send(new ListRuleNamesByTargetCommand({ TargetArn: firehoseStreamArn(region, MOTO_ACCOUNT_ID) }));
            for (const name of [...(targeting.RuleNames ?? []), ...(region === "eu-west-1" ? ["customer-rule"] : [])]) {
                rules.push(`${region}/${name}=${(await events.send(new DescribeRuleCommand({ Name: name }))).State}`);
            }
        }
        const flowLogs: string[] = [];
        for (const region of REGIONS) {
            for (const f of (await clients(region).ec2.send(new DescribeFlowLogsCommand({}))).FlowLogs ?? []) {
                flowLogs.push(`${region}/${f.ResourceId}->${f.LogDestination}`);
            }
        }
        const buckets: Snapshot["buckets"] = {};
        for (const bucket of [w.bucket, UNRELATED_BUCKET]) {
            const s3 = clients("eu-west-1").s3;
            const exists = await s3.send(new HeadBucketCommand({ Bucket: bucket })).then(() => true, () => false);
            buckets[bucket] = exists ? await countEntries(s3, bucket) : "missing";
        }
        return { rules: rules.sort(), flowLogs: flowLogs.sort(), buckets };
    }

    /** Runs the command in-process with moto clients; returns exit code, parsed JSON report, stderr. */
    async function teardown(flags: TeardownFlags, env: Partial<TeardownEnvironment> = {}) {
        let stdout = "";
        let stderr = "";
        const code = await teardownCommand({ account: MOTO_ACCOUNT_ID, regions: REGIONS.join(","), wait: "0", json: true, ...flags }, {
            io: { stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; } },
            interactive: false,
            makeClients: () => clients,
            confirm: async () => { throw new Error("not expected to ask"); },
            ...env,
        });
        const json = flags.json ?? true;
        return { code, report: (json && stdout ? JSON.parse(stdout) : undefined) as TeardownReport, stdout, stderr };
    }

    it("disables the rules, deletes the flow logs, empties thousands of versions in <= 1,000-key batches and deletes the bucket, leaving everything else alone", async () => {
        const w = await world({ regions: { "us-east-1": { ruleName: "renamed-by-hand" } } });
        const s3 = clients("eu-west-1").s3;
        await fillBucket(s3, w.bucket, { versions: 1550, deleteMarkers: 450 });
        const before = await snapshot(w);
        // 1,550 + the 2 event objects the world delivered, 450 markers: 2,002 entries, three list pages of up to 1,000.
        expect(before.buckets[w.bucket]).to.deep.equal({ versions: 1552, deleteMarkers: 450 });

        const deleteSizes: number[] = [];
        let listings = 0;
        onS3Requests(s3, "spy", (command, input) => {
            if (command === "DeleteObjectsCommand") deleteSizes.push((input as unknown as DeleteObjectsCommandInput).Delete?.Objects?.length ?? 0);
            if (command === "ListObjectVersionsCommand") listings++;
        });

        const { code, report, stderr } = await teardown({ yes: true, deleteBucket: true });
        expect(code, stderr).to.equal(0);
        expect(report).to.deep.equal({
            account: MOTO_ACCOUNT_ID, bucket: w.bucket, dryRun: false,
            rulesDisabled: report.rulesDisabled, rulesAlreadyDisabled: [], rulesDetached: [],
            flowLogsDeleted: report.flowLogsDeleted, waitedSeconds: 0,
            versionsDeleted: 1552, deleteMarkersDeleted: 450, bucketFound: true, bucketDeleted: true, errors: [],
        });
        expect(report.rulesDisabled.map((r) => `${r.region}/${r.name}`).sort()).to.deep.equal(["eu-west-1/stackstate-eventbridge-rule", "us-east-1/renamed-by-hand"]);
        expect(report.flowLogsDeleted.map((f) => `${f.region}/${f.resourceId}`).sort())
            .to.deep.equal(REGIONS.flatMap((r) => w.vpcs[r].map((v) => `${r}/${v}`)).sort());
        // Progress on stderr, in the order of StackState's uninstall: rules, then flow logs, then the bucket.
        const progress = stderr.trimEnd().split("\n");
        expect(progress).to.deep.equal([
            ...progress.slice(0, 2).filter((l) => l.startsWith("disabled rule ")),
            ...progress.slice(2, 6).filter((l) => l.startsWith("deleted flow log ")),
            `emptying bucket ${w.bucket}`,
            "removed 1552 versions and 450 delete markers so far",
            `deleted bucket ${w.bucket}`,
        ]);
        expect(progress.slice(0, 2).sort()).to.deep.equal(report.rulesDisabled.map((r) => `disabled rule ${r.name} in ${r.region}`).sort());
        expect(progress.slice(2, 6).sort()).to.deep.equal(report.flowLogsDeleted.map((f) => `deleted flow log ${f.id} (${f.resourceId}) in ${f.region}`).sort());
        expect(deleteSizes.every((n) => n <= 1000)).to.equal(true);
        expect(deleteSizes.reduce((a, b) => a + b, 0)).to.equal(2002);
        expect(listings).to.be.at.least(3);

        const after = await snapshot(w);
        expect(after).to.deep.equal({
            rules: ["eu-west-1/customer-rule=ENABLED", "eu-west-1/stackstate-eventbridge-rule=DISABLED", "us-east-1/renamed-by-hand=DISABLED"],
            flowLogs: [`eu-west-1/${w.vpcs["eu-west-1"][0]}->arn:aws:s3:::${UNRELATED_BUCKET}`],
            buckets: { [w.bucket]: "missing", [UNRELATED_BUCKET]: before.buckets[UNRELATED_BUCKET] },
        });
        expect(before.buckets[UNRELATED_BUCKET]).to.deep.equal({ versions: 6, deleteMarkers: 1 });
    });

    it("waits --wait seconds for deliveries in flight after stopping the sources and before emptying", async () => {
        const w = await world();
        const log: string[] = [];
        const code = await teardownCommand({ account: MOTO_ACCOUNT_ID, regions: REGIONS.join(","), wait: "45", yes: true, json: true }, {
            io: { stdout: () => undefined, stderr: (t) => { log.push(t.trimEnd()); } },
            interactive: false,
            makeClients: () => clients,
            confirm: async () => false,
            sleep: async (ms) => { log.push(`slept ${ms} ms`); },
        });
        expect(code).to.equal(0);
        const at = (prefix: string) => log.findIndex((l) => l.startsWith(prefix));
        const lastFlowLog = log.map((l) => l.startsWith("deleted flow log ")).lastIndexOf(true);
        expect(log.filter((l) => l.startsWith("slept"))).to.deep.equal(["slept 45000 ms"]);
        expect([lastFlowLog >= 0, lastFlowLog < at("waiting 45 s"), at("waiting 45 s") < at("slept"), at("slept") < at(`emptying bucket ${w.bucket}`)])
            .to.deep.equal([true, true, true, true]);
    });

    it("finishes the job when rerun after an interruption midway", async () => {
        const w = await world();
        const s3 = clients("eu-west-1").s3;
        await fillBucket(s3, w.bucket, { versions: 240, deleteMarkers: 60 });
        let deletes = 0;
        onS3Requests(s3, "interrupt", (command) => {
            if (command === "DeleteObjectsCommand" && ++deletes === 3 && !interrupted) {
                interrupted = true;
                throw Object.assign(new Error("socket hang up"), { code: "ECONNRESET" });
            }
        });
        let interrupted = false;
        const emptying = { pageSize: 50, batchSize: 50, concurrency: 1 };

        const first = await teardown({ yes: true, deleteBucket: true }, { emptying });
        expect(first.code).to.equal(1);
        expect(first.report.errors).to.deep.equal(["emptying stopped: could not call s3:DeleteObjectVersion: cannot reach the AWS endpoint (socket hang up); rerun to finish"]);
        expect(first.report.versionsDeleted + first.report.deleteMarkersDeleted).to.equal(100);
        expect(first.report.bucketDeleted).to.equal(false);
        expect((await snapshot(w)).rules.filter((r) => r.endsWith("=DISABLED"))).to.have.length(2);

        const second = await teardown({ yes: true, deleteBucket: true }, { emptying });
        expect(second.code, second.stderr).to.equal(0);
        expect(second.report.rulesDisabled).to.deep.equal([]);
        expect(second.report.rulesAlreadyDisabled.map((r) => r.region).sort()).to.deep.equal(REGIONS);
        expect(second.report.flowLogsDeleted).to.deep.equal([]);
        expect(first.report.versionsDeleted + second.report.versionsDeleted).to.equal(242);
        expect(first.report.deleteMarkersDeleted + second.report.deleteMarkersDeleted).to.equal(60);
        expect(second.report.bucketDeleted).to.equal(true);

        const third = await teardown({ yes: true, deleteBucket: true }, { emptying });
        expect([third.code, third.report.versionsDeleted, third.report.bucketDeleted, third.report.errors]).to.deep.equal([0, 0, false, []]);
    });

    it("only removes the stream from a rule that also feeds other targets, which keeps working", async () => {
        const w = await world();
        const events = clients("eu-west-1").events;
        const queue = `arn:aws:sqs:eu-west-1:${MOTO_ACCOUNT_ID}:customer-queue`;
        await events.send(new PutRuleCommand({ Name: "shared-rule", EventPattern: JSON.stringify({ source: ["aws.ec2"] }) }));
        await events.send(new PutTargetsCommand({ Rule: "shared-rule", Targets: [
            { Id: "to-stream", Arn: firehoseStreamArn("eu-west-1", MOTO_ACCOUNT_ID) }, { Id: "to-queue", Arn: queue },
        ] }));

        const dry = await teardown({ dryRun: true });
        expect(dry.report.rulesDisabled.map((r) => `${r.region}/${r.name}`).sort()).to.deep.equal(REGIONS.map((r) => `${r}/stackstate-eventbridge-rule`));
        expect(dry.report.rulesDetached).to.deep.equal([{ region: "eu-west-1", name: "shared-rule" }]);
        const { code, report } = await teardown({ yes: true });
        expect(code).to.equal(0);
        expect(report.rulesDetached).to.deep.equal([{ region: "eu-west-1", name: "shared-rule" }]);
        expect(report.rulesDisabled.map((r) => `${r.region}/${r.name}`).sort()).to.deep.equal(REGIONS.map((r) => `${r}/stackstate-eventbridge-rule`));
        const shared = await events.send(new DescribeRuleCommand({ Name: "shared-rule" }));
        const targets = await events.send(new ListTargetsByRuleCommand({ Rule: "shared-rule" }));
        expect([shared.State, targets.Targets?.map((t) => t.Arn)]).to.deep.equal(["ENABLED", [queue]]);
        expect((await snapshot(w)).buckets[w.bucket]).to.deep.equal({ versions: 0, deleteMarkers: 0 });

        const rerun = await teardown({ yes: true });
        expect([rerun.code, rerun.report.rulesDetached, rerun.report.rulesDisabled]).to.deep.equal([0, [], []]);
    });

    /** Makes the `nth` call of `command` (any service, any region) fail as a dropped connection would. */
    function interruptAt(command: string, nth: number): void {
        let calls = 0;
        for (const region of REGIONS) {
            const aws = clients(region);
            for (const client of [aws.events, aws.ec2, aws.s3] as { middlewareStack: S3Client["middlewareStack"] }[]) {
                client.middlewareStack.add((next, context) => async (args) => {
                    if (context.commandName === command && ++calls === nth) throw Object.assign(new Error("socket hang up"), { code: "ECONNRESET" });
                    return next(args);
                }, { step: "initialize", name: `interrupt-${command}` });
            }
        }
    }

    const interruptions: [string, string, number][] = [
        ["disabling the second rule", "DisableRuleCommand", 2],
        ["deleting the flow logs", "DeleteFlowLogsCommand", 1],
        ["the first deletion batch", "DeleteObjectsCommand", 1],
        ["deleting the emptied bucket", "DeleteBucketCommand", 1],
    ];
    for (const [step, command, nth] of interruptions) {
        it(`interrupted while ${step}, a rerun finishes the job and touches nothing else`, async () => {
            const w = await world();
            await fillBucket(clients("eu-west-1").s3, w.bucket, { versions: 120, deleteMarkers: 30 });
            const before = await snapshot(w);
            interruptAt(command, nth);
            const emptying = { pageSize: 50, batchSize: 50, concurrency: 1 };
            const first = await teardown({ yes: true, deleteBucket: true }, { emptying });
            expect(first.code).to.equal(1);
            expect(first.report.errors.length).to.be.greaterThan(0);
            expect(first.report.bucketDeleted).to.equal(false);

            const second = await teardown({ yes: true, deleteBucket: true }, { emptying });
            expect([second.code, second.report.errors, second.report.bucketDeleted]).to.deep.equal([0, [], true]);
            const removed = (r: TeardownReport) => [r.versionsDeleted, r.deleteMarkersDeleted];
            expect([0, 1].map((i) => removed(first.report)[i] + removed(second.report)[i])).to.deep.equal([122, 30]);
            expect([...first.report.rulesDisabled, ...second.report.rulesDisabled].map((r) => r.region).sort()).to.deep.equal(REGIONS);
            expect(first.report.flowLogsDeleted.length + second.report.flowLogsDeleted.length).to.equal(4);
            expect(await snapshot(w)).to.deep.equal({
                rules: ["eu-west-1/customer-rule=ENABLED", "eu-west-1/stackstate-eventbridge-rule=DISABLED", "us-east-1/stackstate-eventbridge-rule=DISABLED"],
                flowLogs: [`eu-west-1/${w.vpcs["eu-west-1"][0]}->arn:aws:s3:::${UNRELATED_BUCKET}`],
                buckets: { [w.bucket]: "missing", [UNRELATED_BUCKET]: before.buckets[UNRELATED_BUCKET] },
            });
        });
    }

    it("stops cleanly when a listing fails midway, and says to rerun", async () => {
        const w = await world();
        const s3 = clients("eu-west-1").s3;
        await fillBucket(s3, w.bucket, { versions: 100, deleteMarkers: 0 });
        let listings = 0;
        onS3Requests(s3, "fail-second-listing", (command, input) => {
            if (command === "ListObjectVersionsCommand" && input.Delimiter === undefined && ++listings === 2) throw Object.assign(new Error("socket hang up"), { code: "ECONNRESET" });
        });
        const { code, report } = await teardown({ yes: true }, { emptying: { pageSize: 50, batchSize: 50, concurrency: 1 } });
        expect(code).to.equal(1);
        expect([report.rulesDisabled.length, report.flowLogsDeleted.length, report.versionsDeleted]).to.deep.equal([2, 4, 50]);
        expect(report.errors).to.deep.equal(["emptying stopped: could not call s3:ListBucketVersions: cannot reach the AWS endpoint (socket hang up); rerun to finish"]);
    });

    it("changes nothing and exits 1 when moto denies a read, naming the permission", async () => {
        const w = await world();
        const before = await snapshot(w);
        const policy: PolicyDocument = {
            Version: "2012-10-17",
            Statement: [
                { Effect: "Allow", Action: "*", Resource: "*" },
                { Effect: "Deny", Action: "ec2:DescribeFlowLogs", Resource: "*" },
            ],
        };
        const error = await asIamUser(endpoint, policy, (user) => {
            const caller = motoClients(endpoint, user.credentials);
            return teardown({ yes: true, deleteBucket: true }, { makeClients: () => caller }).then(() => undefined, (e: unknown) => e);
        });
        expect(error).to.be.instanceOf(CommandError);
        expect((error as CommandError).exitCode).to.equal(1);
        expect(`error: ${(error as Error).message}\n`).to.match(/^error: access denied: the credentials lack ec2:DescribeFlowLogs \(AccessDenied: User: arn:aws:iam::123456789012:user\/caller-[0-9a-f]{8} is not authorized to perform: ec2:DescribeFlowLogs\); nothing was changed\n$/);
        expect(await snapshot(w)).to.deep.equal(before);
    });

    it("reports keys S3 refuses to delete, deletes the rest, and keeps the bucket", async () => {
        const w = await world();
        const s3 = clients("eu-west-1").s3;
        await fillBucket(s3, w.bucket, { versions: 20, deleteMarkers: 0, versionsPerKey: 1 });
        const locked = "AWSLogs/fill/object-000003";
        // Stand in for S3 refusing one key (e.g. Object Lock): drop it from the request, report it as an error.
        s3.middlewareStack.add((next, context) => async (args) => {
            const input = args.input as DeleteObjectsCommandInput;
            if (context.commandName !== "DeleteObjectsCommand" || !input.Delete?.Objects) return next(args);
            const refused = input.Delete.Objects.filter((o) => o.Key === locked);
            input.Delete.Objects = input.Delete.Objects.filter((o) => o.Key !== locked);
            const result = await next(args);
            const output = result.output as DeleteObjectsCommandOutput;
            output.Errors = refused.map((o) => ({ Key: o.Key, VersionId: o.VersionId, Code: "AccessDenied", Message: "Access Denied" }));
            return result;
        }, { step: "initialize", name: "refuse-one-key" });

        const { code, report } = await teardown({ yes: true, deleteBucket: true });
        expect(code).to.equal(1);
        // 20 filled + the 2 event objects the world delivered, less the refused one.
        expect(report.versionsDeleted).to.equal(21);
        expect(report.bucketDeleted).to.equal(false);
        expect(report.errors).to.have.length(1);
        expect(report.errors[0]).to.match(/^1 object version could not be deleted: AWSLogs\/fill\/object-000003 \(version [\w.-]+\): AccessDenied Access Denied$/);
        expect(await countEntries(s3, w.bucket)).to.deep.equal({ versions: 1, deleteMarkers: 0 });
    });

    it("dry run: reports exactly what it would do and changes nothing", async () => {
        const w = await world();
        await fillBucket(clients("eu-west-1").s3, w.bucket, { versions: 30, deleteMarkers: 5 });
        const before = await snapshot(w);
        const { code, report } = await teardown({ dryRun: true, deleteBucket: true, wait: "60" });
        expect(code).to.equal(0);
        expect(report.dryRun).to.equal(true);
        expect(report.rulesDisabled.map((r) => `${r.region}/${r.name}`).sort()).to.deep.equal(REGIONS.map((r) => `${r}/stackstate-eventbridge-rule`));
        expect(report.flowLogsDeleted).to.have.length(4);
        expect([report.waitedSeconds, report.versionsDeleted, report.deleteMarkersDeleted, report.bucketDeleted]).to.deep.equal([60, 32, 5, true]);
        expect(await snapshot(w)).to.deep.equal(before);
    });

    it("dry run in words: the numbered steps of StackState's uninstall", async () => {
        const w = await world();
        let stdout = "";
        const code = await teardownCommand({ account: MOTO_ACCOUNT_ID, regions: REGIONS.join(","), dryRun: true }, {
            io: { stdout: (t) => { stdout += t; }, stderr: () => undefined }, interactive: false, makeClients: () => clients,
            confirm: async () => false,
        });
        expect(code).to.equal(0);
        const flowLogIds: string[] = [];
        for (const region of REGIONS) {
            flowLogIds.push(...((await clients(region).ec2.send(new DescribeFlowLogsCommand({}))).FlowLogs ?? [])
                .filter((f) => f.LogDestination === `arn:aws:s3:::${w.bucket}`)
                .map((f) => `${f.FlowLogId} (${f.ResourceId}, ${region})`));
        }
        expect(stdout).to.equal([
            "Dry run: nothing was changed.",
            `Teardown of StackState's AWS integration in account ${MOTO_ACCOUNT_ID} (regions eu-west-1, us-east-1):`,
            "  1. disable 2 EventBridge rules targeting the stream: stackstate-eventbridge-rule (eu-west-1), stackstate-eventbridge-rule (us-east-1)",
            `  2. delete 4 flow logs delivering to ${w.bucket}: ${flowLogIds.join(", ")}`,
            "  3. wait 60 s for deliveries in flight",
            `  4. delete every object version and delete marker in ${w.bucket} (2 versions, 0 delete markers)`,
            "",
        ].join("\n"));
    });

    const refusals: { name: string; breaks: WorldBreaks; flags?: TeardownFlags; message: string }[] = [
        {
            name: "a bucket without the managed-by tag",
            breaks: { bucketUntagged: true },
            message: `refusing to tear down account ${MOTO_ACCOUNT_ID}, nothing was changed:\n  - bucket stackstate-logs-${MOTO_ACCOUNT_ID} is not tagged managed-by=stackstate-aws: teardown only empties a bucket this package created`,
        },
        {
            name: "a stream that delivers to a bucket other than stackstate-logs-<account>",
            breaks: { regions: { "us-east-1": { streamBucket: UNRELATED_BUCKET } } },
            message: `refusing to tear down account ${MOTO_ACCOUNT_ID}, nothing was changed:\n  - the Firehose stream 'stackstate-eventbridge-stream' in us-east-1 delivers to bucket ${UNRELATED_BUCKET}, not stackstate-logs-${MOTO_ACCOUNT_ID}: teardown only stops and empties the integration's own bucket`,
        },
        {
            name: "credentials of another account",
            breaks: {},
            flags: { account: "999988887777" },
            message: "refusing to tear down account 999988887777, nothing was changed:\n  - the credentials (arn:aws:sts::123456789012:user/moto) are for account 123456789012, not --account 999988887777",
        },
    ];
    for (const refusal of refusals) {
        it(`refuses ${refusal.name} (exit 2) and changes nothing`, async () => {
            const w = await world(refusal.breaks);
            const before = await snapshot(w);
            const error = await teardown({ yes: true, deleteBucket: true, ...refusal.flags }).catch((e: Error) => e);
            expect(error).to.have.property("name", "UsageError");
            expect((error as Error).message).to.equal(refusal.message);
            expect(await snapshot(w)).to.deep.equal(before);
        });
    }

    it("refuses (exit 2) while a region left out of --regions still delivers to the bucket, naming it and its sources", async () => {
        const w = await world();
        const before = await snapshot(w);
        const flowLogIds = (region: string) => clients(region).ec2.send(new DescribeFlowLogsCommand({}))
            .then((out) => (out.FlowLogs ?? []).filter((f) => f.LogDestination === `arn:aws:s3:::${w.bucket}`).map((f) => f.FlowLogId as string));
        const expected = `refusing to tear down account ${MOTO_ACCOUNT_ID}, nothing was changed:\n`
            + `  - us-east-1 is not in --regions but still delivers to ${w.bucket}: its Firehose stream stackstate-eventbridge-stream (fed by rule stackstate-eventbridge-rule) and 2 flow logs (${(await flowLogIds("us-east-1")).join(", ")}); add it to --regions so teardown stops it too`;
        for (const flags of [{ yes: true, deleteBucket: true }, { dryRun: true }]) {
            const error = await teardown({ regions: "eu-west-1", ...flags }).catch((e: Error) => e);
            expect(error).to.have.property("name", "UsageError");
            expect((error as Error).message).to.equal(expected);
        }
        expect(await snapshot(w)).to.deep.equal(before);
    });

    it("refuses while a region without a stream has flow logs that delivered to the bucket", async () => {
        const w = await world();
        const ec2 = clients("eu-central-1").ec2;
        const vpc = (await ec2.send(new CreateVpcCommand({ CidrBlock: "10.9.0.0/16" }))).Vpc?.VpcId as string;
        const created = await ec2.send(new CreateFlowLogsCommand({
            ResourceIds: [vpc], ResourceType: "VPC", TrafficType: "ALL", LogDestinationType: "s3", LogDestination: `arn:aws:s3:::${w.bucket}`,
        }));
        await clients("eu-west-1").s3.send(new PutObjectCommand({ Bucket: w.bucket, Key: `${flowLogsPrefix(MOTO_ACCOUNT_ID, "eu-central-1")}2026/01/01/log.gz`, Body: "x" }));
        const before = await snapshot(w);
        const error = await teardown({ yes: true, deleteBucket: true }).catch((e: Error) => e);
        expect((error as Error).message).to.equal(`refusing to tear down account ${MOTO_ACCOUNT_ID}, nothing was changed:\n`
            + `  - eu-central-1 is not in --regions but still delivers to ${w.bucket}: 1 flow log (${created.FlowLogIds?.[0]}); add it to --regions so teardown stops it too`);
        expect(await snapshot(w)).to.deep.equal(before);
    });

    it("says a bucket already deleted does not exist, rather than kept", async () => {
        const w = await world();
        const first = await teardown({ yes: true, deleteBucket: true });
        expect([first.code, first.report.bucketFound, first.report.bucketDeleted]).to.deep.equal([0, true, true]);
        const rerun = await teardown({ yes: true, deleteBucket: true, json: false });
        expect(rerun.code).to.equal(0);
        expect(rerun.stdout.trimEnd().split("\n").slice(-2)).to.deep.equal([`bucket ${w.bucket} does not exist`, "Teardown complete."]);
    });

    it("refuses bad input before calling AWS, and asks before changing anything", async () => {
        const bad = await teardown({ account: "12345", regions: "eu-west-1,atlantis-1", wait: "-1" }).catch((e: Error) => e.message);
        expect(bad).to.equal([
            "invalid input, nothing was changed:",
            "  - --account must be a 12-digit AWS account id, is '12345'",
            "  - --regions: unknown region 'atlantis-1'. Known regions are: af-south-1, ap-east-1, ap-east-2, ap-northeast-1, ap-northeast-2, ap-northeast-3, ap-south-1, ap-south-2, ap-southeast-1, ap-southeast-2, ap-southeast-3, ap-southeast-4, ap-southeast-5, ap-southeast-6, ap-southeast-7, ca-central-1, ca-west-1, eu-central-1, eu-central-2, eu-north-1, eu-south-1, eu-south-2, eu-west-1, eu-west-2, eu-west-3, il-central-1, me-central-1, me-south-1, mx-central-1, sa-east-1, us-east-1, us-east-2, us-west-1, us-west-2, us-gov-east-1, us-gov-west-1.",
            "  - --wait must be a whole number from 0 to 3600, is '-1'",
            "  - refusing to delete without confirmation: stdin is not a terminal, so pass --yes (or --dry-run to see what would be deleted)",
        ].join("\n"));

        const w = await world();
        const before = await snapshot(w);
        let asked = "";
        const declined = await teardown({}, { interactive: true, confirm: async (plan) => { asked = plan; return false; } }).catch((e: Error) => e.message);
        expect(declined).to.equal("teardown cancelled, nothing was changed");
        expect(asked.split("\n")[0]).to.equal(`Teardown of StackState's AWS integration in account ${MOTO_ACCOUNT_ID} (regions eu-west-1, us-east-1):`);
        expect(await snapshot(w)).to.deep.equal(before);
    });

    it("never sends more than 1,000 keys in one DeleteObjects request, whatever it is asked", async () => {
        let requests = 0;
        onS3Requests(clients("eu-west-1").s3, "count", () => { requests++; });
        const error = await emptyBucket(clients("eu-west-1").s3, `stackstate-logs-${MOTO_ACCOUNT_ID}`, { batchSize: 1001 }).catch((e: Error) => e.message);
        expect([error, requests]).to.deep.equal(["batchSize must be a whole number from 1 to 1000, is 1001", 0]);
    });
});

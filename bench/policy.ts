/**
 * The policy pack's cost on a large stack, through gRPC, against the real pack runner:
 * a 10,000-resource AnalyzeStack and 10,000 per-resource Analyze calls, for the stackstate-aws pack
 * and for a pack with no policies (what the protocol alone costs). Target: at most 2x the empty pack.
 *
 * It also proves "no network call per resource": the stack's roles use out-of-stack managed
 * policies and boundaries (thousands of references to a few ARNs), the pack gets credentials and an
 * IAM endpoint (AWS_ENDPOINT_URL) served here, and every request it makes is counted.
 *
 * First, the effective-permission evaluator alone (model/iam-eval.ts): one evaluation (one action)
 * and all the Agent's required actions in one call, for the integration's read policy with
 * ordinary guardrails and a NotResource boundary (every action judged over its resource types).
 * Target: within 2x of the evaluator before it judged resource types (issue 17: 0.13 ms an
 * evaluation, 11 ms for all 147 actions).
 *
 *   node -r ts-node/register/transpile-only bench/policy.ts [resources | evaluator]
 */
import { createServer, IncomingMessage, ServerResponse } from "http";
import { AddressInfo } from "net";
import {
    AnalyzerResource, analyzeRequest, analyzeStackRequest, PolicyPackAnalyzer, resolvePolicyConfig,
} from "../offline/policy-pack";
import { AGENT_REQUEST_CONTEXT, evaluateActions, PrincipalPolicies } from "../model/iam-eval";
import { readStatements, REQUIRED_ACTIONS } from "../model/integration-permissions";
import { integrationTrustPolicy, serviceTrustPolicy } from "../model/trust-policies";
import { eventPattern } from "../model/pipeline-settings";
import { emptyPack } from "../test/helpers/temp-pack";

const EVALUATOR_ONLY = process.argv[2] === "evaluator";
const COUNT = EVALUATOR_ONLY ? 0 : Number(process.argv[2] ?? 10_000);
const ACCOUNT = "111122223333";
const STACK = "urn:pulumi:bench::app";
const MANAGED = ["arn:aws:iam::aws:policy/ReadOnlyAccess", "arn:aws:iam::aws:policy/AWSLambdaBasicExecutionRole", "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"];
const BOUNDARY = `arn:aws:iam::${ACCOUNT}:policy/OrgBoundary`;
const CONCURRENCY = 32;

// ---- A large stack: the integration, and thousands of ordinary application resources ----------

function resource(type: string, name: string, properties: Record<string, unknown>, deps: Record<string, AnalyzerResource[]> = {}): AnalyzerResource {
    const propertyDependencies = Object.fromEntries(Object.entries(deps).map(([k, v]) => [k, v.map((r) => r.urn)]));
    return {
        urn: `${STACK}::${type}::${name}`, type, name, properties,
        dependencies: [...new Set(Object.values(propertyDependencies).flat())], propertyDependencies,
        provider: { urn: `${STACK}::pulumi:providers:aws::default`, type: "pulumi:providers:aws", name: "default", properties: { region: "eu-west-1" } },
    };
}

function integration(): AnalyzerResource[] {
    const bucketName = `stackstate-logs-${ACCOUNT}`;
    const bucket = resource("aws:s3/bucket:Bucket", "logs", { bucket: bucketName, arn: `arn:aws:s3:::${bucketName}` });
    const key = resource("aws:kms/key:Key", "key", { keyId: "k1", arn: `arn:aws:kms:eu-west-1:${ACCOUNT}:key/k1`, enableKeyRotation: true });
    const role = resource("aws:iam/role:Role", "integration-role", {
        name: "StackStateAwsIntegrationRole", arn: `arn:aws:iam::${ACCOUNT}:role/StackStateAwsIntegrationRole`, permissionsBoundary: BOUNDARY,
        assumeRolePolicy: JSON.stringify(integrationTrustPolicy({ partition: "aws", agentAccountId: "210987654321", externalId: "abcdefghijklmnopqrstuvwx" })),
    });
    const read = resource("aws:iam/policy:Policy", "read", {
        name: "read", arn: `arn:aws:iam::${ACCOUNT}:policy/read`,
        policy: JSON.stringify({ Version: "2012-10-17", Statement: readStatements({ partition: "aws", accountId: ACCOUNT, mainRegion: "eu-west-1" }) }),
    });
    const stream = resource("aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream", "stream", {
        name: "stackstate-eventbridge-stream", arn: `arn:aws:firehose:eu-west-1:${ACCOUNT}:deliverystream/stackstate-eventbridge-stream`, destination: "extended_s3",
        extendedS3Configuration: { bucketArn: bucket.properties.arn, bufferingInterval: 60, compressionFormat: "GZIP", prefix: `AWSLogs/${ACCOUNT}/EventBridge/eu-west-1/` },
        serverSideEncryption: { enabled: true, keyArn: key.properties.arn },
    }, { extendedS3Configuration: [bucket], serverSideEncryption: [key] });
    const rule = resource("aws:cloudwatch/eventRule:EventRule", "rule", { name: "stackstate-eventbridge-rule", eventPattern: JSON.stringify(eventPattern()), state: "ENABLED" });
    return [
        bucket, key, role, read, stream, rule,
        resource("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "read-attach", { role: "StackStateAwsIntegrationRole", policyArn: read.properties.arn }, { role: [role], policyArn: [read] }),
        resource("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "ro-attach", { role: "StackStateAwsIntegrationRole", policyArn: MANAGED[0] }, { role: [role] }),
        resource("aws:s3/bucketVersioning:BucketVersioning", "versioning", { bucket: bucketName, versioningConfiguration: { status: "Enabled" } }, { bucket: [bucket] }),
        resource("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "lifecycle", {
            bucket: bucketName, rules: [{ id: "expire", status: "Enabled", filter: {}, expiration: { days: 1 }, noncurrentVersionExpiration: { noncurrentDays: 1 } }],
        }, { bucket: [bucket] }),
        resource("aws:kms/alias:Alias", "alias", { name: "alias/stackstate-integration", targetKeyId: "k1" }, { targetKeyId: [key] }),
        resource("aws:cloudwatch/eventTarget:EventTarget", "target", { rule: rule.properties.name, arn: stream.properties.arn }, { rule: [rule], arn: [stream] }),
        resource("aws:ec2/flowLog:FlowLog", "flow-log", { vpcId: "vpc-1", logDestinationType: "s3", logDestination: bucket.properties.arn, maxAggregationInterval: 60, trafficType: "ALL" }, { logDestination: [bucket] }),
    ];
}

/** Every this-many units, the role lacks a boundary: findings prove the policies ran on every resource. */
const UNBOUNDED_EVERY = 50;

/** One application "unit" of eight resources, as an ordinary service stack would have them. */
function appUnit(i: number): AnalyzerResource[] {
    const role = resource("aws:iam/role:Role", `app-role-${i}`, {
        name: `app-role-${i}`, arn: `arn:aws:iam::${ACCOUNT}:role/app-role-${i}`, permissionsBoundary: i % UNBOUNDED_EVERY === 0 ? undefined : BOUNDARY,
        assumeRolePolicy: JSON.stringify(serviceTrustPolicy("lambda.amazonaws.com", ACCOUNT)), tags: { team: "payments", service: `svc-${i}` },
    });
    const bucket = resource("aws:s3/bucket:Bucket", `data-${i}`, { bucket: `app-data-${i}`, arn: `arn:aws:s3:::app-data-${i}`, tags: { team: "payments" } });
    const policy = resource("aws:iam/policy:Policy", `app-policy-${i}`, {
        name: `app-policy-${i}`, arn: `arn:aws:iam::${ACCOUNT}:policy/app-policy-${i}`,
        policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject"], Resource: `arn:aws:s3:::app-data-${i}/*` }] }),
    });
    return [
        role, bucket, policy,
        resource("aws:iam/rolePolicyAttachment:RolePolicyAttachment", `app-attach-${i}`, { role: role.properties.name, policyArn: policy.properties.arn }, { role: [role], policyArn: [policy] }),
        resource("aws:iam/rolePolicyAttachment:RolePolicyAttachment", `app-managed-${i}`, { role: role.properties.name, policyArn: MANAGED[i % MANAGED.length] }, { role: [role] }),
        resource("aws:lambda/function:Function", `fn-${i}`, {
            name: `fn-${i}`, role: role.properties.arn, runtime: "nodejs20.x", handler: "index.handler", memorySize: 256, timeout: 30,
            environment: { variables: { BUCKET: `app-data-${i}`, STAGE: "prod" } },
        }, { role: [role], environment: [bucket] }),
        resource("aws:ec2/securityGroup:SecurityGroup", `sg-${i}`, {
            name: `sg-${i}`, vpcId: "vpc-1", ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["10.0.0.0/8"] }], egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }],
        }),
        resource("aws:dynamodb/table:Table", `table-${i}`, {
            name: `table-${i}`, billingMode: "PAY_PER_REQUEST", hashKey: "pk", rangeKey: "sk", attributes: [{ name: "pk", type: "S" }, { name: "sk", type: "S" }],
        }),
    ];
}

function stack(count: number): AnalyzerResource[] {
    const resources = integration();
    for (let i = 0; resources.length < count; i++) resources.push(...appUnit(i));
    return resources.slice(0, count);
}

// ---- A stand-in IAM endpoint that counts what the pack asks for --------------------------------

function iamEndpoint() {
    const requests: string[] = [];
    const allowAll = encodeURIComponent(JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] }));
    const server = createServer((req: IncomingMessage, res: ServerResponse) => {
        let body = "";
        req.on("data", (c) => { body += c; });
        req.on("end", () => {
            const params = new URLSearchParams(body);
            const action = params.get("Action") ?? "";
            requests.push(`${action} ${params.get("PolicyArn")}`);
            const result = action === "GetPolicy"
                ? "<GetPolicyResult><Policy><DefaultVersionId>v1</DefaultVersionId></Policy></GetPolicyResult>"
                : `<GetPolicyVersionResult><PolicyVersion><VersionId>v1</VersionId><Document>${allowAll}</Document></PolicyVersion></GetPolicyVersionResult>`;
            res.writeHead(200, { "content-type": "text/xml" });
            res.end(`<${action}Response xmlns="https://iam.amazonaws.com/doc/2010-05-08/">${result}<ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></${action}Response>`);
        });
    });
    return new Promise<{ url: string; requests: string[]; close: () => void }>((resolve) => {
        server.listen(0, "127.0.0.1", () => resolve({
            url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests, close: () => server.close(),
        }));
    });
}

// ---- Measurement ---------------------------------------------------------------------------------

interface Timing { launchMs: number; stackMs: number; analyzeMs: number; stackFindings: number; analyzeFindings: number }

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function timed<T>(work: () => Promise<T>): Promise<[number, T]> {
    const start = process.hrtime.bigint();
    const result = await work();
    return [Number(process.hrtime.bigint() - start) / 1e6, result];
}

/** Every resource through Analyze, CONCURRENCY calls in flight (the engine analyses steps in parallel). */
async function analyzeAll(analyzer: PolicyPackAnalyzer, requests: ReturnType<typeof analyzeRequest>[]): Promise<number> {
    let next = 0;
    let findings = 0;
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
        while (next < requests.length) {
            // Not `findings += await …`: that reads `findings` before the await and loses other workers' counts.
            const found = (await analyzer.sendAnalyze(requests[next++])).length;
            findings += found;
        }
    }));
    return findings;
}

// ---- The evaluator alone -------------------------------------------------------------------------

/** Before resource types were judged (issue 17's measurement): one evaluation, and all 147 actions. */
const EVALUATOR_BASELINE = { oneMs: 0.13, allMs: 11 };

function guardedRole(): PrincipalPolicies {
    const doc = (Statement: unknown[]) => JSON.stringify({ Version: "2012-10-17", Statement });
    return {
        identity: [
            { name: "read", document: doc(readStatements({ partition: "aws", accountId: ACCOUNT, mainRegion: "eu-west-1" })) },
            { name: "guardrails", document: doc([
                { Effect: "Deny", Action: "ec2:*", Resource: `arn:aws:ec2:eu-west-1:${ACCOUNT}:instance/i-0123456789abcdef0` },
                { Effect: "Deny", Action: "*", Resource: "arn:aws:s3:::audit-logs/*" },
            ]) },
        ],
        boundary: { name: "boundary", document: doc([{ Effect: "Allow", Action: "*", NotResource: "arn:aws:iam::*:role/admin*" }]) },
    };
}

function evaluatorTiming(): boolean {
    const role = guardedRole();
    const options = { requestContext: AGENT_REQUEST_CONTEXT, partition: "aws", accountId: ACCOUNT };
    const ms = (work: () => void, times: number) => {
        const start = process.hrtime.bigint();
        for (let i = 0; i < times; i++) work();
        return Number(process.hrtime.bigint() - start) / 1e6 / times;
    };
    // The first call reads AWS's catalogue for the services of the required actions.
    const firstMs = ms(() => evaluateActions(role, REQUIRED_ACTIONS, options), 1);
    const rounds = 9;
    const all: number[] = [];
    const one: number[] = [];
    for (let round = 0; round < rounds; round++) {
        all.push(ms(() => evaluateActions(role, REQUIRED_ACTIONS, options), 20));
        one.push(ms(() => { for (const action of REQUIRED_ACTIONS) evaluateActions(role, [action], options); }, 5) / REQUIRED_ACTIONS.length);
    }
    const [allMs, oneMs] = [median(all), median(one)];
    const withheld = evaluateActions(role, REQUIRED_ACTIONS, options).filter((d) => d.status !== "allowed").map((d) => d.action);
    const met = allMs <= 2 * EVALUATOR_BASELINE.allMs && oneMs <= 2 * EVALUATOR_BASELINE.oneMs;
    console.log(`Evaluator (median of ${rounds} rounds): one evaluation ${oneMs.toFixed(3)} ms (baseline ${EVALUATOR_BASELINE.oneMs} ms, ${(oneMs / EVALUATOR_BASELINE.oneMs).toFixed(2)}x), ` +
        `all ${REQUIRED_ACTIONS.length} actions ${allMs.toFixed(2)} ms (baseline ${EVALUATOR_BASELINE.allMs} ms, ${(allMs / EVALUATOR_BASELINE.allMs).toFixed(2)}x), ` +
        `first call with the catalogue read ${firstMs.toFixed(0)} ms; within 2x: ${met ? "met" : "MISSED"}`);
    console.log(`  withheld by the guardrails: ${withheld.join(", ") || "none"} (expected: ec2:DescribeInstanceAttribute alone)`);
    return met && withheld.join() === "ec2:DescribeInstanceAttribute";
}

async function main(): Promise<void> {
    if (!evaluatorTiming()) process.exitCode = 1;
    if (EVALUATOR_ONLY) return;
    const resources = stack(COUNT);
    const rounds = 5;
    const iam = await iamEndpoint();
    const env = {
        ...process.env, AWS_ENDPOINT_URL: iam.url, AWS_ACCESS_KEY_ID: "bench", AWS_SECRET_ACCESS_KEY: "bench", AWS_REGION: "us-east-1",
        AWS_EC2_METADATA_DISABLED: "true",
    };
    const empty = emptyPack();
    const packs: [string, string | undefined][] = [["empty pack", empty.dir], ["stackstate-aws", undefined]];
    const analyzers: PolicyPackAnalyzer[] = [];
    const results: Record<string, Timing> = {};
    try {
        for (const [label, packDir] of packs) {
            process.stderr.write(`${label}: launching...\n`);
            const analyzer = await PolicyPackAnalyzer.launch({ packDir, env });
            analyzers.push(analyzer);
            await analyzer.configure(resolvePolicyConfig(await analyzer.getAnalyzerInfo()));
        }
        const stackReq = analyzeStackRequest(resources);
        const perResource = resources.map(analyzeRequest);
        const series = packs.map(() => ({ stack: [] as number[], analyze: [] as number[], stackFindings: 0, analyzeFindings: 0 }));
        // Rounds alternate between the packs, so load on the machine weighs on both alike.
        for (let round = 0; round < rounds; round++) {
            process.stderr.write(`round ${round + 1} of ${rounds}: AnalyzeStack(${resources.length}) and ${resources.length} x Analyze on each pack...\n`);
            for (let i = 0; i < packs.length; i++) {
                const [stackMs, stackDiagnostics] = await timed(() => analyzers[i].sendAnalyzeStack(stackReq));
                const [analyzeMs, analyzeFindings] = await timed(() => analyzeAll(analyzers[i], perResource));
                series[i].stack.push(stackMs);
                series[i].analyze.push(analyzeMs);
                series[i].stackFindings = stackDiagnostics.length;
                series[i].analyzeFindings = analyzeFindings;
            }
        }
        packs.forEach(([label], i) => {
            results[label] = {
                launchMs: analyzers[i].startupMs, stackMs: median(series[i].stack), analyzeMs: median(series[i].analyze),
                stackFindings: series[i].stackFindings, analyzeFindings: series[i].analyzeFindings,
            };
        });
    } finally {
        await Promise.all(analyzers.map((a) => a.close()));
        empty.remove();
        iam.close();
    }

    const e = results["empty pack"];
    const p = results["stackstate-aws"];
    const row = (label: string, t: Timing) => `${label.padEnd(16)} ${String(t.launchMs).padStart(7)} ms ${t.stackMs.toFixed(0).padStart(9)} ms ${t.analyzeMs.toFixed(0).padStart(9)} ms ${(t.analyzeMs / resources.length * 1000).toFixed(0).padStart(7)} µs`;
    const stackRatio = p.stackMs / e.stackMs;
    const analyzeRatio = p.analyzeMs / e.analyzeMs;
    const distinctArns = new Set(iam.requests.map((r) => r.split(" ")[1])).size;
    const outOfStack = new Set<unknown>([...MANAGED, BOUNDARY]);
    const arnReferences = resources.filter((r) => outOfStack.has(r.properties.policyArn) || outOfStack.has(r.properties.permissionsBoundary)).length;
    console.log(`Policy pack through gRPC, ${resources.length} resources (median of ${rounds} alternating rounds; Analyze with ${CONCURRENCY} calls in flight)`);
    console.log(`${"".padEnd(16)} ${"launch".padStart(10)} ${"AnalyzeStack".padStart(12)} ${"Analyze all".padStart(12)} ${"per call".padStart(10)}`);
    console.log(row("empty pack", e));
    console.log(row("stackstate-aws", p));
    console.log(`ratio: AnalyzeStack ${stackRatio.toFixed(2)}x, Analyze ${analyzeRatio.toFixed(2)}x (target <= 2x): ${stackRatio <= 2 && analyzeRatio <= 2 ? "met" : "MISSED"}`);
    const unbounded = resources.filter((r) => r.type === "aws:iam/role:Role" && r.properties.permissionsBoundary === undefined).length;
    console.log(`findings on the stack: AnalyzeStack ${p.stackFindings}, Analyze ${p.analyzeFindings} (empty pack: ${e.stackFindings}, ${e.analyzeFindings}); ` +
        `expected 0 and ${unbounded} (one per role without a boundary): ${p.stackFindings === 0 && p.analyzeFindings === unbounded ? "as expected" : "UNEXPECTED"}`);
    console.log(`IAM requests from the pack over ${rounds} AnalyzeStack rounds: ${iam.requests.length} for ${distinctArns} distinct ARNs, ` +
        `while ${arnReferences} resources reference out-of-stack policies (no call per resource).`);
    if (stackRatio > 2 || analyzeRatio > 2 || p.stackFindings !== 0 || p.analyzeFindings !== unbounded) process.exitCode = 1;
}

main().catch((error) => {
    console.error(error);
    process.exitCode = 1;
});

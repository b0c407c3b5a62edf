import { expect } from "chai";
import { S3Client } from "@aws-sdk/client-s3";
import { classifyAwsError, describeAwsFailure, AwsCallError, awsCall } from "../../../cli/aws/errors";
import { mapWithConcurrency } from "../../../cli/aws/concurrency";
import { sdkClientFactory, RETRY_MODE } from "../../../cli/aws/clients";

const sdkError = (name: string, message: string, status?: number, extra: Record<string, unknown> = {}) =>
    Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status, attempts: 3 }, ...extra });

describe("AWS error classification", () => {
    const denied: [string, Error][] = [
        ["S3 AccessDenied", sdkError("AccessDenied", "Access Denied", 403)],
        ["JSON-API AccessDeniedException", sdkError("AccessDeniedException", "User: arn:aws:iam::1:user/x is not authorized to perform: firehose:DescribeDeliveryStream on resource: arn:x", 400)],
        ["EC2 UnauthorizedOperation", sdkError("UnauthorizedOperation", "You are not authorized to perform this operation.", 403)],
        ["SNS AuthorizationError", sdkError("AuthorizationError", "not authorized", 403)],
        ["a bare 403 on a HEAD request", sdkError("403", "UnknownError", 403)],
    ];
    for (const [what, error] of denied) {
        it(`treats ${what} as a denial`, () => {
            expect(classifyAwsError(new AwsCallError("s3:GetBucketVersioning", error)).kind).to.equal("denied");
        });
    }

    it("names the action AWS says was denied, else the action the call needed", () => {
        const named = classifyAwsError(new AwsCallError("firehose:ListDeliveryStreams", denied[1][1]));
        expect(named).to.deep.equal({
            kind: "denied",
            action: "firehose:DescribeDeliveryStream",
            detail: "AccessDeniedException: User: arn:aws:iam::1:user/x is not authorized to perform: firehose:DescribeDeliveryStream on resource: arn:x",
        });
        const unnamed = classifyAwsError(new AwsCallError("ec2:DescribeFlowLogs", denied[2][1]));
        expect(describeAwsFailure(unnamed)).to.equal(
            "access denied: the credentials lack ec2:DescribeFlowLogs (UnauthorizedOperation: You are not authorized to perform this operation.)");
    });

    it("says so when a denial's body could not be read, rather than quoting the parser", () => {
        // moto answers JSON APIs' denials in XML; a proxy may answer with an HTML page.
        const unreadable = Object.assign(new SyntaxError("Unexpected token '<', \"<?xml vers\"... is not valid JSON"), { $metadata: { httpStatusCode: 403 } });
        expect(describeAwsFailure(classifyAwsError(new AwsCallError("firehose:DescribeDeliveryStream", unreadable)))).to.equal(
            "access denied: the credentials lack firehose:DescribeDeliveryStream (HTTP 403, with an error body the SDK could not read)");
    });

    const undetermined: [string, unknown, string][] = [
        ["missing credentials", Object.assign(new Error("Could not load credentials from any providers"), { name: "CredentialsProviderError" }),
            "could not call sts:GetCallerIdentity: no AWS credentials could be loaded (Could not load credentials from any providers); set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY"],
        ["rejected credentials", sdkError("InvalidClientTokenId", "The security token included in the request is invalid.", 403),
            "could not call sts:GetCallerIdentity: the AWS credentials were rejected (InvalidClientTokenId: The security token included in the request is invalid.)"],
        ["an unreachable endpoint", Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED", $metadata: { attempts: 3 } }),
            "could not call sts:GetCallerIdentity: cannot reach the AWS endpoint (connect ECONNREFUSED 127.0.0.1:1, 3 attempts)"],
        ["an API the endpoint lacks (an HTML error page)", sdkError("Error", "@aws-sdk XML parse error: mismatched tags <html> and </title>.\n  Deserialization error: to see the raw response, inspect the hidden field {error}.$response on this object.", 500),
            "could not call sts:GetCallerIdentity: the endpoint does not implement this call (HTTP 500: @aws-sdk XML parse error: mismatched tags <html> and </title>.)"],
        ["throttling that outlasted the retries", sdkError("ThrottlingException", "Rate exceeded", 400),
            "could not call sts:GetCallerIdentity: throttled by AWS after 3 attempts (ThrottlingException: Rate exceeded)"],
    ];
    for (const [what, error, message] of undetermined) {
        it(`treats ${what} as could-not-evaluate`, () => {
            const failure = classifyAwsError(new AwsCallError("sts:GetCallerIdentity", error));
            expect(failure.kind).to.equal("undetermined");
            expect(describeAwsFailure(failure)).to.equal(message);
        });
    }

    it("awsCall tags a failure with the action once, however deeply nested", async () => {
        const error = await awsCall("iam:GetRole", () => awsCall("iam:SimulatePrincipalPolicy", () => Promise.reject(denied[0][1])))
            .catch((e: unknown) => e);
        expect(error).to.be.instanceOf(AwsCallError);
        expect((error as AwsCallError).action).to.equal("iam:SimulatePrincipalPolicy");
    });
});

describe("mapWithConcurrency", () => {
    it("keeps input order and never exceeds the limit", async () => {
        let inFlight = 0;
        let peak = 0;
        const results = await mapWithConcurrency([50, 10, 30, 5, 20, 1, 15], 3, async (ms, i) => {
            peak = Math.max(peak, ++inFlight);
            await new Promise((r) => setTimeout(r, ms));
            inFlight--;
            return i * 10;
        });
        expect(results).to.deep.equal([0, 10, 20, 30, 40, 50, 60]);
        expect(peak).to.equal(3);
    });

    it("starts nothing new after a rejection and rejects with it", async () => {
        const started: number[] = [];
        const outcome = await mapWithConcurrency([1, 2, 3, 4, 5], 1, async (n) => {
            started.push(n);
            if (n === 2) throw new Error("boom");
            return n;
        }).catch((e: Error) => e.message);
        expect(outcome).to.equal("boom");
        expect(started).to.deep.equal([1, 2]);
    });

    it("refuses a limit below 1", async () => {
        const outcome = await mapWithConcurrency([1], 0, async (n) => n).catch((e: Error) => e.message);
        expect(outcome).to.equal("concurrency limit must be a positive integer, is 0");
    });
});

describe("sdkClientFactory", () => {
    it("configures adaptive retries, the region, and reuses one client per service and region", async () => {
        const factory = sdkClientFactory({ credentials: { accessKeyId: "a", secretAccessKey: "b" } }, {});
        const s3 = factory("eu-west-1").s3;
        expect(factory("eu-west-1").s3).to.equal(s3);
        expect(factory("us-east-1").s3).to.not.equal(s3);
        const strategy = await s3.config.retryStrategy();
        expect(RETRY_MODE).to.equal("adaptive");
        expect(strategy.constructor.name).to.equal("AdaptiveRetryStrategy");
        expect(await s3.config.region()).to.equal("eu-west-1");
        expect(s3.config.forcePathStyle).to.not.equal(true);
        factory.destroy();
    });

    it("uses path-style S3 addressing when AWS_ENDPOINT_URL points at an emulator", () => {
        const factory = sdkClientFactory({}, { AWS_ENDPOINT_URL: "http://localhost:4566" });
        const s3: S3Client = factory("eu-west-1").s3;
        expect(s3.config.forcePathStyle).to.equal(true);
        factory.destroy();
    });

    it("passes a named profile to every client", async () => {
        const factory = sdkClientFactory({ profile: "agent" }, {});
        expect((factory("eu-west-1").sts.config as { profile?: string }).profile).to.equal("agent");
        factory.destroy();
    });
});

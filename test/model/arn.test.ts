import { expect } from "chai";
import { arnAccountId, arnPartition, arnResourceName, parseArn, parseIdentityArn, roleArnParts, parseS3Arn } from "../../model/arn";

describe("ARNs (model/arn.ts)", () => {
    it("splits the six fields, the resource keeping its own colons and slashes", () => {
        expect(parseArn("arn:aws:logs:eu-west-1:123456789012:log-group:/aws/x:*")).to.deep.equal({
            partition: "aws", service: "logs", region: "eu-west-1", accountId: "123456789012", resource: "log-group:/aws/x:*",
        });
        expect(parseArn("arn:aws-us-gov:s3:::bucket/a/b")).to.deep.equal({ partition: "aws-us-gov", service: "s3", region: "", accountId: "", resource: "bucket/a/b" });
    });

    it("refuses what is not an ARN", () => {
        for (const text of [undefined, 42, "", "aws:aws:s3:::stackstate-logs-1", "arn:aws:s3::bucket", "arn::s3:::b", "arn:aws::::x", "ARN:aws:s3:::b"]) {
            expect(parseArn(text), String(text)).to.equal(undefined);
        }
    });

    it("reads partition, account and the resource's name", () => {
        expect(arnPartition("arn:aws-us-gov:iam::123456789012:role/R")).to.equal("aws-us-gov");
        expect(arnAccountId("arn:aws:kms:eu-west-1:123456789012:key/abc")).to.equal("123456789012");
        expect(arnResourceName("arn:aws:iam::123456789012:role/a/b/StackStateAwsIntegrationRole")).to.equal("StackStateAwsIntegrationRole");
        expect(arnResourceName("arn:aws:iam::123456789012:root")).to.equal("root");
        expect(arnPartition("not-an-arn")).to.equal(undefined);
    });

    it("reads IAM and STS identities with a 12-digit account only", () => {
        expect(parseIdentityArn("arn:aws:sts::123456789012:assumed-role/R/session")?.resource).to.equal("assumed-role/R/session");
        expect(parseIdentityArn("arn:aws:iam::123456789012:root")?.accountId).to.equal("123456789012");
        expect(parseIdentityArn("arn:aws:iam::12345678901:root")).to.equal(undefined);
        expect(parseIdentityArn("arn:aws:iam:eu-west-1:123456789012:root")).to.equal(undefined);
        expect(parseIdentityArn("arn:aws:s3:::bucket")).to.equal(undefined);
    });

    it("reads a role's path and name by IAM's syntax", () => {
        expect(roleArnParts("arn:aws:iam::123456789012:role/StackStateAwsIntegrationRole")).to.deep.equal({ partition: "aws", accountId: "123456789012", path: "/", name: "StackStateAwsIntegrationRole" });
        expect(roleArnParts("arn:aws:iam::123456789012:role/team/ops/R")).to.deep.equal({ partition: "aws", accountId: "123456789012", path: "/team/ops/", name: "R" });
        for (const text of ["arn:aws:iam::123456789012:user/R", "arn:aws:iam::123456789012:role/", "arn:aws:iam::123456789012:role/a b",
            `arn:aws:iam::123456789012:role/${"r".repeat(65)}`, "arn:aws:sts::123456789012:role/R", "arn:aws:iam::123456789012:role//R"]) {
            expect(roleArnParts(text), text).to.equal(undefined);
        }
    });

    it("reads an S3 ARN's bucket and key", () => {
        expect(parseS3Arn("arn:aws:s3:::stackstate-logs-1")).to.deep.equal({ partition: "aws", bucket: "stackstate-logs-1", key: "" });
        expect(parseS3Arn("arn:aws:s3:::stackstate-logs-1/AWSLogs/")).to.deep.equal({ partition: "aws", bucket: "stackstate-logs-1", key: "AWSLogs/" });
        expect(parseS3Arn("arn:aws:s3:eu-west-1:123456789012:accesspoint/x")).to.equal(undefined);
        expect(parseS3Arn("arn:aws:s3:::/key")).to.equal(undefined);
        expect(parseS3Arn("arn:aws:kms:::x")).to.equal(undefined);
    });
});

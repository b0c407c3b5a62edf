import { expect } from "chai";
import { globContainedIn, globIntersectsAny, globsIntersect, iamPattern, patternContainedIn, patternsIntersect, shapePattern } from "../../model/glob-sets";

const ACTION = { caseInsensitive: true };

describe("glob containment (IAM wildcard patterns)", () => {
    const cases: [string, string[], boolean][] = [
        ["s3:GetBucketTagging", ["s3:Get*"], true],
        ["s3:GetBucketTagging", ["s3:Put*"], false],
        ["s3:GetBucket*", ["s3:Get*"], true],
        ["s3:Get*", ["s3:GetBucket*"], false],
        ["autoscaling:Describe*", ["autoscaling:Describe*"], true],
        ["autoscaling:Describe*", ["autoscaling:DescribeA*"], false],
        // The union covers what no single pattern does: "Describe" itself, and everything longer.
        ["x:Describe*", ["x:Describe", "x:Describe?*"], true],
        ["x:Describe*", ["x:Describe?*"], false],
        ["s3:Get?", ["s3:Get*"], true],
        ["s3:Get*", ["s3:Get?"], false],
        ["?*", ["*?"], true],
        ["anything:at-all", ["*"], true],
        ["*", ["s3:*", "ec2:*"], false],
        ["s3:x", [], false],
    ];
    for (const [inner, outers, expected] of cases) {
        it(`${inner} ${expected ? "is" : "is not"} within ${JSON.stringify(outers)}`, () => {
            expect(globContainedIn(inner, outers, ACTION)).to.equal(expected);
        });
    }

    it("compares actions case-insensitively and resources case-sensitively", () => {
        expect(globContainedIn("S3:GETBUCKET*", ["s3:get*"], ACTION)).to.equal(true);
        expect(globContainedIn("arn:aws:s3:::Bucket/*", ["arn:aws:s3:::bucket/*"])).to.equal(false);
        expect(globContainedIn("arn:aws:s3:::bucket/a*", ["arn:aws:s3:::bucket/*"])).to.equal(true);
    });
});

describe("glob intersection", () => {
    const cases: [string, string, boolean][] = [
        ["s3:*Tagging", "s3:GetBucket*", true],
        ["s3:Put*", "s3:Get*", false],
        ["autoscaling:Describe*", "autoscaling:DescribeTags", true],
        ["autoscaling:Describe*", "autoscaling:Create*", false],
        ["ab", "a?c", false],
        ["a?c", "a*", true],
        ["*", "s3:GetObject", true],
    ];
    for (const [a, b, expected] of cases) {
        it(`${a} and ${b} ${expected ? "share" : "share no"} action`, () => {
            expect(globsIntersect(a, b, ACTION)).to.equal(expected);
            expect(globsIntersect(b, a, ACTION)).to.equal(expected);
        });
    }

    it("intersects case-insensitively for actions, case-sensitively otherwise", () => {
        expect(globsIntersect("AUTOSCALING:describe*", "autoscaling:DescribeTags", ACTION)).to.equal(true);
        expect(globsIntersect("Bucket*", "bucket-1")).to.equal(false);
        expect(globIntersectsAny("s3:Get*", ["ec2:*", "s3:*Object"], ACTION)).to.equal(true);
        expect(globIntersectsAny("s3:Get*", ["ec2:*", "s3:Put*"], ACTION)).to.equal(false);
    });
});

describe("patterns with restricted runs and IAM's ARN fields", () => {
    // Every bucket: a name with no `/` and no `:`.
    const bucket = shapePattern("bucket", ["arn:aws:s3:::", { except: "/:" }]);

    it("a restricted run cannot stand for the characters it excludes", () => {
        expect(patternsIntersect(bucket, iamPattern("arn:aws:s3:::audit-logs/*"))).to.equal(false);
        expect(patternsIntersect(bucket, iamPattern("arn:aws:s3:::audit-*"))).to.equal(true);
        expect(patternContainedIn(bucket, [iamPattern("arn:aws:s3:::*")])).to.equal(true);
        expect(patternContainedIn(bucket, [iamPattern("arn:aws:s3:::"), iamPattern("arn:aws:s3:::?*")])).to.equal(true);
        expect(patternContainedIn(bucket, [iamPattern("arn:aws:s3:::a*")])).to.equal(false);
        expect(bucket.matches("arn:aws:s3:::logs")).to.equal(true);
        expect(bucket.matches("arn:aws:s3:::logs/key")).to.equal(false);
    });

    it("as an ARN, a wildcard in the partition, service, region or account field stays in its field", () => {
        const layer = iamPattern("arn:aws:lambda:*:*:layer:*", { arn: true });
        expect(layer.matches("arn:aws:lambda:eu-west-1:111122223333:layer:base")).to.equal(true);
        expect(layer.matches("arn:aws:lambda:eu-west-1:111122223333:function:f:layer:x")).to.equal(false);
        expect(iamPattern("arn:aws:lambda:*:*:layer:*").matches("arn:aws:lambda:eu-west-1:111122223333:function:f:layer:x")).to.equal(true);
        // The resource part, after the fifth colon, is one field however many colons it holds.
        expect(iamPattern("arn:aws:lambda:*:*:function:*", { arn: true }).matches("arn:aws:lambda:eu-west-1:1:function:f:2")).to.equal(true);
    });

    it("a short ARN stands for one with its missing fields *", () => {
        const ec2 = iamPattern("arn:aws:ec2:*", { arn: true });
        expect(ec2.matches("arn:aws:ec2:eu-west-1:111122223333:instance/i-1")).to.equal(true);
        expect(ec2.matches("arn:aws:s3:::b")).to.equal(false);
        expect(ec2.matchesEverything).to.equal(false);
    });

    it("reads policy variables as runs only when asked, and keeps IAM's escapes literal", () => {
        expect(iamPattern("arn:aws:s3:::${aws:username}", { variablesAsRuns: true }).matches("arn:aws:s3:::alice")).to.equal(true);
        expect(iamPattern("arn:aws:s3:::${aws:username}").matches("arn:aws:s3:::alice")).to.equal(false);
        expect(iamPattern("arn:aws:s3:::a${*}", { variablesAsRuns: true }).matches("arn:aws:s3:::a*")).to.equal(true);
        expect(iamPattern("arn:aws:s3:::a${*}", { variablesAsRuns: true }).matches("arn:aws:s3:::ab")).to.equal(false);
    });
});

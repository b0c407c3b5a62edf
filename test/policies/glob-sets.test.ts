import { expect } from "chai";
import { globContainedIn, globIntersectsAny, globsIntersect } from "../../model/glob-sets";

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

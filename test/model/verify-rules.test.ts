/** The model rules added for verify: bucket encryption, public-access block, ExternalId syntax as AWS checks it. */
import { expect } from "chai";
import { bucketEncryptionProblems, externalIdProblems, externalIdSyntaxProblems, publicAccessBlockProblems } from "../../model";

const KEY = "arn:aws:kms:eu-west-1:111122223333:key/1111";

describe("bucketEncryptionProblems", () => {
    it("accepts SSE-KMS (and DSSE-KMS) with the integration key", () => {
        expect(bucketEncryptionProblems({ algorithm: "aws:kms", keyArn: KEY }, KEY)).to.deep.equal([]);
        expect(bucketEncryptionProblems({ algorithm: "aws:kms:dsse", keyArn: KEY }, KEY)).to.deep.equal([]);
    });

    it("names the algorithm or the key that is wrong", () => {
        expect(bucketEncryptionProblems({ algorithm: "AES256" }, KEY)).to.deep.equal(["default encryption must be SSE-KMS (aws:kms) with the integration's key, is AES256"]);
        expect(bucketEncryptionProblems({}, KEY)).to.deep.equal(["default encryption must be SSE-KMS (aws:kms) with the integration's key, is not set"]);
        expect(bucketEncryptionProblems({ algorithm: "aws:kms" }, KEY)).to.deep.equal([`default encryption must use the key ${KEY}, uses the AWS-managed key`]);
        expect(bucketEncryptionProblems({ algorithm: "aws:kms", keyArn: "arn:aws:kms:eu-west-1:111122223333:key/2222" }, KEY))
            .to.deep.equal([`default encryption must use the key ${KEY}, uses arn:aws:kms:eu-west-1:111122223333:key/2222`]);
    });
});

describe("publicAccessBlockProblems", () => {
    it("wants all four settings on, and names those that are not", () => {
        const all = { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true };
        expect(publicAccessBlockProblems(all)).to.deep.equal([]);
        expect(publicAccessBlockProblems({ ...all, IgnorePublicAcls: false, RestrictPublicBuckets: undefined }))
            .to.deep.equal(["the public-access block must turn on IgnorePublicAcls, RestrictPublicBuckets"]);
        expect(publicAccessBlockProblems(undefined)).to.deep.equal(["the bucket must have a public-access block with all four settings on"]);
    });
});

describe("externalIdSyntaxProblems", () => {
    it("checks only what AWS checks, while externalIdProblems keeps its own floor", () => {
        expect(externalIdSyntaxProblems("ab")).to.deep.equal([]);
        expect(externalIdSyntaxProblems("a")).to.deep.equal(["must be at least 2 characters"]);
        expect(externalIdSyntaxProblems("a b")).to.deep.equal(["may contain only letters, digits and the characters _+=,.@:/-"]);
        expect(externalIdSyntaxProblems("x".repeat(1225))).to.deep.equal(["must be at most 1224 characters"]);
        expect(externalIdProblems("a")).to.deep.equal(["must be at least 16 characters so it cannot be guessed (omit it to have one generated)"]);
    });
});

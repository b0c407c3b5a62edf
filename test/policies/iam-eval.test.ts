import { expect } from "chai";
import { PolicyStatement } from "../../model/iam-document";
import { AGENT_REQUEST_CONTEXT, evaluateActions, PolicySource, PrincipalPolicies } from "../../model/iam-eval";

const doc = (...statements: PolicyStatement[]) => ({ Version: "2012-10-17" as const, Statement: statements });
const policy = (name: string, ...statements: PolicyStatement[]): PolicySource => ({ name: `policy '${name}'`, document: doc(...statements) });
const allow = (action: string | string[], resource: string | string[] = "*", extra: Partial<PolicyStatement> = {}): PolicyStatement =>
    ({ Effect: "Allow", Action: action, Resource: resource, ...extra });
const deny = (action: string | string[], resource: string | string[] = "*", extra: Partial<PolicyStatement> = {}): PolicyStatement =>
    ({ Effect: "Deny", Action: action, Resource: resource, ...extra });

/** [status, reason] per action, in order. */
function decide(principal: PrincipalPolicies, actions: string[], resource?: string): [string, string | undefined][] {
    return evaluateActions(principal, actions, { requestContext: AGENT_REQUEST_CONTEXT, resource })
        .map((d) => [d.status, d.reason]);
}

describe("evaluateActions: effective IAM permission", () => {
    it("decides ArnEquals and ArnLike on a known context value, wildcards included", () => {
        const p = { identity: [policy("attach", allow("iam:AttachRolePolicy", "*", { Condition: { ArnEquals: { "iam:PolicyARN": ["arn:aws:iam::*:policy/Stack*"] } } }))] };
        const attach = (policyArn: string) => evaluateActions(p, ["iam:AttachRolePolicy"], { requestContext: { "iam:policyarn": policyArn } })[0].status;
        expect(attach("arn:aws:iam::123456789012:policy/StackStateAwsIntegrationPolicy")).to.equal("allowed");
        expect(attach("arn:aws:iam::aws:policy/AdministratorAccess")).to.equal("missing");
        const not = { identity: [policy("n", allow("iam:AttachRolePolicy", "*", { Condition: { ArnNotLike: { "iam:PolicyARN": "arn:aws:iam::aws:policy/*" } } }))] };
        expect(evaluateActions(not, ["iam:AttachRolePolicy"], { requestContext: { "iam:policyarn": "arn:aws:iam::aws:policy/AdministratorAccess" } })[0].status).to.equal("missing");
    });

    describe("action wildcards and case", () => {
        it("grants through * and ? wildcards, case-insensitively", () => {
            const p = { identity: [policy("read", { Sid: "Read", ...allow(["S3:GET*", "ec2:Describe?pcs"]) })] };
            expect(decide(p, ["s3:GetBucketTagging", "ec2:describevpcs", "ec2:DescribeSubnets", "s3:PutObject"])).to.deep.equal([
                ["allowed", undefined],
                ["allowed", undefined],
                ["missing", "no identity policy allows it"],
                ["missing", "no identity policy allows it"],
            ]);
        });

        it("allows a required pattern only when the whole pattern is covered", () => {
            const whole = { identity: [policy("p", allow("autoscaling:Describe*"))] };
            const part = { identity: [policy("p", allow(["autoscaling:DescribeAutoScalingGroups", "autoscaling:DescribeTags"]))] };
            const broader = { identity: [policy("p", allow("autoscaling:*"))] };
            expect(decide(whole, ["autoscaling:Describe*"])).to.deep.equal([["allowed", undefined]]);
            expect(decide(broader, ["autoscaling:Describe*"])).to.deep.equal([["allowed", undefined]]);
            expect(decide(part, ["autoscaling:Describe*"])).to.deep.equal([["missing", "no identity policy allows it"]]);
        });

        it("covers a pattern with the union of several statements", () => {
            const p = { identity: [policy("a", allow("servicediscovery:List")), policy("b", allow("servicediscovery:List?*"))] };
            expect(decide(p, ["servicediscovery:List*"])).to.deep.equal([["allowed", undefined]]);
            const q = { identity: [policy("b", allow("servicediscovery:List?*"))] };
            expect(decide(q, ["servicediscovery:List*"])).to.deep.equal([["missing", "no identity policy allows it"]]);
        });

        it("lets a Deny on any action inside a required pattern withhold the pattern", () => {
            const p = { identity: [policy("p", allow("autoscaling:*"), { Sid: "NoTags", ...deny("autoscaling:*Tags") })] };
            expect(decide(p, ["autoscaling:Describe*", "autoscaling:DescribeAutoScalingGroups"])).to.deep.equal([
                ["missing", "denied by statement 'NoTags' of policy 'p'"],
                ["allowed", undefined],
            ]);
        });
    });

    describe("NotAction and NotResource", () => {
        it("Allow with NotAction grants everything outside its list", () => {
            const p = { identity: [policy("p", { Effect: "Allow", NotAction: ["iam:*", "s3:Put*"], Resource: "*" })] };
            expect(decide(p, ["ec2:DescribeVpcs", "iam:ListAccountAliases", "s3:Get*", "s3:*"])).to.deep.equal([
                ["allowed", undefined],
                ["missing", "no identity policy allows it"],
                ["allowed", undefined],
                ["missing", "no identity policy allows it"],
            ]);
        });

        it("Deny with NotAction denies everything outside its list", () => {
            const p = { identity: [policy("p", allow("*"), { Sid: "OnlyReads", Effect: "Deny", NotAction: ["ec2:Describe*", "s3:Get*"], Resource: "*" })] };
            expect(decide(p, ["ec2:DescribeVpcs", "s3:GetBucketTagging", "lambda:ListFunctions"])).to.deep.equal([
                ["allowed", undefined],
                ["allowed", undefined],
                ["missing", "denied by statement 'OnlyReads' of policy 'p'"],
            ]);
        });

        it("Allow with NotResource does not grant on every resource", () => {
            const p = { identity: [policy("p", { Sid: "AllButSecret", Effect: "Allow", Action: "s3:GetBucketTagging", NotResource: "arn:aws:s3:::secret" })] };
            expect(decide(p, ["s3:GetBucketTagging"])).to.deep.equal([
                ["missing", "allowed only on resources other than arn:aws:s3:::secret (statement 'AllButSecret' of policy 'p'), not on every resource"],
            ]);
            expect(decide(p, ["s3:GetBucketTagging"], "arn:aws:s3:::public")).to.deep.equal([["allowed", undefined]]);
        });

        it("Deny with NotResource hits every resource outside its list", () => {
            const p = { identity: [policy("p", allow("s3:*"), { Sid: "OnlyLogs", Effect: "Deny", Action: "s3:*", NotResource: "arn:aws:s3:::logs*" })] };
            expect(decide(p, ["s3:ListBucket"])).to.deep.equal([
                ["missing", "denied on resources other than arn:aws:s3:::logs* by statement 'OnlyLogs' of policy 'p'"],
            ]);
            expect(decide(p, ["s3:ListBucket"], "arn:aws:s3:::logs-1")).to.deep.equal([["allowed", undefined]]);
        });
    });

    describe("resource scope", () => {
        it("an action allowed only on one bucket is not allowed on *", () => {
            const p = { identity: [policy("p", { Sid: "One", ...allow("s3:GetBucketTagging", "arn:aws:s3:::bucket-x") })] };
            expect(decide(p, ["s3:GetBucketTagging"])).to.deep.equal([
                ["missing", "allowed only on arn:aws:s3:::bucket-x (statement 'One' of policy 'p'), not on every resource"],
            ]);
            expect(decide(p, ["s3:GetBucketTagging"], "arn:aws:s3:::bucket-x")).to.deep.equal([["allowed", undefined]]);
        });

        it("a Deny on one resource withholds the action on *, naming where it is denied", () => {
            const p = { identity: [policy("p", allow("s3:*"), { Sid: "Secret", ...deny("s3:GetBucketTagging", "arn:aws:s3:::secret") })] };
            expect(decide(p, ["s3:GetBucketTagging"])).to.deep.equal([
                ["missing", "denied on arn:aws:s3:::secret by statement 'Secret' of policy 'p'"],
            ]);
            expect(decide(p, ["s3:GetBucketTagging"], "arn:aws:s3:::other")).to.deep.equal([["allowed", undefined]]);
        });
    });

    describe("conditions", () => {
        it("a conditional Allow does not prove a grant", () => {
            const p = { identity: [policy("p", { Sid: "EuOnly", ...allow("sqs:ListQueues", "*", { Condition: { StringEquals: { "aws:RequestedRegion": "eu-west-1" } } }) })] };
            expect(decide(p, ["sqs:ListQueues"])).to.deep.equal([
                ["missing", "allowed only when StringEquals aws:RequestedRegion eu-west-1 (statement 'EuOnly' of policy 'p')"],
            ]);
        });

        it("a conditional Deny counts as a Deny: it may apply", () => {
            const p = { identity: [policy("p", allow("*"), { Sid: "OfficeOnly", ...deny("*", "*", { Condition: { NotIpAddress: { "aws:SourceIp": "10.0.0.0/8" } } }) })] };
            expect(decide(p, ["ec2:DescribeVpcs"])).to.deep.equal([
                ["missing", "denied by statement 'OfficeOnly' of policy 'p' when NotIpAddress aws:SourceIp 10.0.0.0/8"],
            ]);
        });

        it("evaluates conditions on keys known for every Agent request (HTTPS), both ways", () => {
            const tlsOnlyDeny = { identity: [policy("p", allow("*"), deny("*", "*", { Condition: { Bool: { "aws:SecureTransport": "false" } } }))] };
            const tlsAllow = { identity: [policy("p", allow("*", "*", { Condition: { Bool: { "aws:SecureTransport": "true" } } }))] };
            const plainHttpAllow = { identity: [policy("p", { Sid: "Http", ...allow("*", "*", { Condition: { Bool: { "aws:SecureTransport": "false" } } }) })] };
            const tlsDeny = { identity: [policy("p", allow("*"), { Sid: "Tls", ...deny("*", "*", { Condition: { BoolIfExists: { "aws:SecureTransport": "true" } } }) })] };
            expect(decide(tlsOnlyDeny, ["ec2:DescribeVpcs"])).to.deep.equal([["allowed", undefined]]);
            expect(decide(tlsAllow, ["ec2:DescribeVpcs"])).to.deep.equal([["allowed", undefined]]);
            expect(decide(plainHttpAllow, ["ec2:DescribeVpcs"])).to.deep.equal([
                ["missing", "allowed only when Bool aws:SecureTransport false (statement 'Http' of policy 'p')"],
            ]);
            expect(decide(tlsDeny, ["ec2:DescribeVpcs"])).to.deep.equal([["missing", "denied by statement 'Tls' of policy 'p'"]]);
        });

        it("treats a known key combined with an unknown one as unknown", () => {
            const p = { identity: [policy("p", { Sid: "Both", ...allow("*", "*", { Condition: { Bool: { "aws:SecureTransport": "true" }, StringEquals: { "aws:PrincipalTag/team": "x" } } }) })] };
            expect(decide(p, ["ec2:DescribeVpcs"])).to.deep.equal([
                ["missing", "allowed only when Bool aws:SecureTransport true and StringEquals aws:PrincipalTag/team x (statement 'Both' of policy 'p')"],
            ]);
        });
    });

    describe("union, deny and boundary", () => {
        it("unites identity policies and subtracts a Deny from any of them", () => {
            const p = { identity: [policy("a", allow("ec2:Describe*")), policy("b", allow("s3:GetBucketTagging")), policy("c", { Sid: "NoVpcs", ...deny("ec2:DescribeVpcs") })] };
            expect(decide(p, ["ec2:DescribeSubnets", "s3:GetBucketTagging", "ec2:DescribeVpcs"])).to.deep.equal([
                ["allowed", undefined],
                ["allowed", undefined],
                ["missing", "denied by statement 'NoVpcs' of policy 'c'"],
            ]);
        });

        it("intersects with the permissions boundary", () => {
            const boundary: PolicySource = { name: "policy 'boundary'", document: doc(allow(["ec2:*", "s3:Get*"])) };
            const p = { identity: [policy("a", allow("*"))], boundary };
            expect(decide(p, ["ec2:DescribeVpcs", "s3:GetBucketTagging", "lambda:ListFunctions"])).to.deep.equal([
                ["allowed", undefined],
                ["allowed", undefined],
                ["missing", "the permissions boundary policy 'boundary' does not allow it"],
            ]);
        });

        it("a boundary alone grants nothing, and its Deny applies", () => {
            const boundary: PolicySource = { name: "policy 'boundary'", document: doc(allow("*"), { Sid: "NoIam", ...deny("iam:*") }) };
            expect(decide({ identity: [], boundary }, ["ec2:DescribeVpcs"])).to.deep.equal([["missing", "no identity policy allows it"]]);
            expect(decide({ identity: [policy("a", allow("*"))], boundary }, ["iam:ListAccountAliases"])).to.deep.equal([
                ["missing", "denied by statement 'NoIam' of policy 'boundary'"],
            ]);
        });

        it("names a boundary that allows an action only under a condition", () => {
            const boundary: PolicySource = { name: "policy 'boundary'", document: doc({ Sid: "B", ...allow("*", "*", { Condition: { StringEquals: { "aws:RequestedRegion": "eu-west-1" } } }) }) };
            expect(decide({ identity: [policy("a", allow("*"))], boundary }, ["ec2:DescribeVpcs"])).to.deep.equal([
                ["missing", "the permissions boundary policy 'boundary' does not allow it (allowed only when StringEquals aws:RequestedRegion eu-west-1 (statement 'B' of policy 'boundary'))"],
            ]);
        });
    });

    describe("documents that cannot be known", () => {
        const unknownIdentity: PolicySource = { name: "policy 'later'", unknown: "policy 'later' is not known until deployment" };

        it("an unknown identity policy leaves not-yet-allowed actions undetermined, not missing", () => {
            const p = { identity: [policy("a", allow("ec2:*")), unknownIdentity] };
            expect(decide(p, ["ec2:DescribeVpcs", "s3:GetBucketTagging"])).to.deep.equal([
                ["undetermined", "policy 'later' is not known until deployment"],
                ["undetermined", "policy 'later' is not known until deployment"],
            ]);
        });

        it("known Denies and a known boundary stay definite whatever else is unknown", () => {
            const boundary: PolicySource = { name: "policy 'boundary'", document: doc(allow("ec2:*")) };
            const p = { identity: [policy("a", { Sid: "D", ...deny("ec2:DescribeVpcs") }), unknownIdentity], boundary };
            expect(decide(p, ["ec2:DescribeVpcs", "s3:GetBucketTagging", "ec2:DescribeSubnets"])).to.deep.equal([
                ["missing", "denied by statement 'D' of policy 'a'"],
                ["missing", "the permissions boundary policy 'boundary' does not allow it"],
                ["undetermined", "policy 'later' is not known until deployment"],
            ]);
        });

        it("an unknown boundary leaves allowed actions undetermined but missing ones missing", () => {
            const p = { identity: [policy("a", allow("ec2:*"))], boundary: { name: "boundary", unknown: "no credentials to read the boundary" } };
            expect(decide(p, ["ec2:DescribeVpcs", "s3:GetBucketTagging"])).to.deep.equal([
                ["undetermined", "no credentials to read the boundary"],
                ["missing", "no identity policy allows it"],
            ]);
        });

        it("reads URL-encoded documents and treats invalid JSON as unknown", () => {
            const encoded = encodeURIComponent(JSON.stringify(doc(allow("ec2:*"))));
            expect(decide({ identity: [{ name: "policy 'enc'", document: encoded }] }, ["ec2:DescribeVpcs"])).to.deep.equal([["allowed", undefined]]);
            expect(decide({ identity: [{ name: "policy 'bad'", document: "{not json" }] }, ["ec2:DescribeVpcs"])).to.deep.equal([
                ["undetermined", "policy 'bad' is not a valid JSON policy document"],
            ]);
        });
    });
});

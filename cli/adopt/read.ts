/**
 * Reads an installed CloudFormation template, region by region: the stack, its template and
 * parameters, its physical resources, and what IAM and EC2 hold for the roles and flow logs in
 * it. Reads only.
 */
import {
    DescribeStackResourcesCommand, DescribeStacksCommand, GetTemplateCommand, Stack, StackResource,
} from "@aws-sdk/client-cloudformation";
import { DescribeFlowLogsCommand } from "@aws-sdk/client-ec2";
import { GetRoleCommand } from "@aws-sdk/client-iam";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import {
    CfnTemplate, evaluateConditions, InstalledFlowLog, InstalledResource, InstalledStack, InstallFacts, parsePolicyDocument,
    parseTemplate, Partition, partitionOf, PolicyDocument, REGIONS_BY_PARTITION, resolve, ResolveContext, TemplateError,
} from "../../model";
import { ClientFactory } from "../aws/clients";
import { mapWithConcurrency } from "../aws/concurrency";
import { awsCall, isAwsErrorCode } from "../aws/errors";

export const REGION_CONCURRENCY = 4;

/** What one region holds under the stack name. */
export type RegionRead =
    | { region: string; state: "found"; stack: InstalledStack; template: CfnTemplate; stackId: string }
    | { region: string; state: "missing" }
    | { region: string; state: "unusable"; status: string; reason: string };

/** Statuses in which a stack's resources are what its template says. */
const SETTLED = new Set(["CREATE_COMPLETE", "UPDATE_COMPLETE", "UPDATE_ROLLBACK_COMPLETE", "IMPORT_COMPLETE", "IMPORT_ROLLBACK_COMPLETE"]);

async function describeStack(clients: ClientFactory, region: string, stackName: string): Promise<Stack | undefined> {
    try {
        const out = await awsCall("cloudformation:DescribeStacks", () => clients(region).cloudformation.send(new DescribeStacksCommand({ StackName: stackName })));
        const stack = out.Stacks?.[0];
        return stack?.StackStatus === "DELETE_COMPLETE" ? undefined : stack;
    } catch (error) {
        // CloudFormation answers a missing stack with a ValidationError ("Stack with id X does not exist").
        if (isAwsErrorCode(error, "ValidationError") && /does not exist/i.test((error as Error).message)) return undefined;
        throw error;
    }
}

export async function readRegion(clients: ClientFactory, region: string, stackName: string, accountId: string): Promise<RegionRead> {
    const stack = await describeStack(clients, region, stackName);
    if (!stack) return { region, state: "missing" };
    const status = stack.StackStatus ?? "UNKNOWN";
    if (!SETTLED.has(status)) {
        const reason = status.endsWith("_IN_PROGRESS")
            ? "an operation is in progress; rerun when it has finished"
            : "its last operation failed, so its resources may not be what its template says; fix or delete it in CloudFormation first";
        return { region, state: "unusable", status, reason };
    }
    const cfn = clients(region).cloudformation;
    const [templateOut, resourcesOut] = await Promise.all([
        awsCall("cloudformation:GetTemplate", () => cfn.send(new GetTemplateCommand({ StackName: stackName, TemplateStage: "Original" }))),
        awsCall("cloudformation:DescribeStackResources", () => cfn.send(new DescribeStackResourcesCommand({ StackName: stackName }))),
    ]);
    let template: CfnTemplate;
    try {
        template = parseTemplate(templateOut.TemplateBody ?? "");
    } catch (error) {
        if (error instanceof TemplateError) return { region, state: "unusable", status, reason: error.message };
        throw error;
    }
    const parameters = Object.fromEntries((stack.Parameters ?? []).map((p) => [p.ParameterKey ?? "", p.ParameterValue ?? ""]));
    const listed = new Map<string, StackResource>();
    for (const r of resourcesOut.StackResources ?? []) if (r.LogicalResourceId) listed.set(r.LogicalResourceId, r);
    const partition = partitionOf(region);
    const physicalIds = Object.fromEntries([...listed].filter(([, r]) => r.PhysicalResourceId && r.ResourceStatus !== "DELETE_COMPLETE").map(([id, r]) => [id, r.PhysicalResourceId as string]));
    const ctx: ResolveContext = {
        parameters, accountId, region, partition, stackName, physicalIds,
        attributes: attributesOf(template, physicalIds, { accountId, region, partition }),
    };
    ctx.conditions = evaluateConditions(template, ctx);

    const resources: InstalledResource[] = [];
    const absent: InstalledStack["absent"] = [];
    for (const [logicalId, declared] of Object.entries(template.Resources)) {
        if (declared.Condition && ctx.conditions[declared.Condition] === false) continue;
        const physicalId = physicalIds[logicalId];
        if (!physicalId) {
            const listedStatus = listed.get(logicalId)?.ResourceStatus;
            absent.push({ logicalId, type: declared.Type, reason: listedStatus ? `the stack lists it as ${listedStatus}, with no physical resource` : "the stack lists no physical resource for it" });
            continue;
        }
        resources.push({ logicalId, type: declared.Type, physicalId, properties: (resolve(declared.Properties ?? {}, ctx) ?? {}) as Record<string, unknown> });
    }
    return { region, state: "found", stackId: stack.StackId ?? "", template, stack: { region, stackName, status, parameters, resources, absent } };
}

/** `Fn::GetAtt` values that follow from a physical id; enough to resolve the ARNs the template builds. */
function attributesOf(template: CfnTemplate, physicalIds: Record<string, string>, where: { accountId: string; region: string; partition: string }): Record<string, Record<string, string>> {
    const { accountId, region, partition } = where;
    const arn: Record<string, (id: string) => string> = {
        "AWS::IAM::Role": (id) => `arn:${partition}:iam::${accountId}:role/${id}`,
        "AWS::KMS::Key": (id) => `arn:${partition}:kms:${region}:${accountId}:key/${id}`,
        "AWS::S3::Bucket": (id) => `arn:${partition}:s3:::${id}`,
        "AWS::KinesisFirehose::DeliveryStream": (id) => `arn:${partition}:firehose:${region}:${accountId}:deliverystream/${id}`,
        "AWS::Events::Rule": (id) => `arn:${partition}:events:${region}:${accountId}:rule/${id}`,
    };
    const out: Record<string, Record<string, string>> = {};
    for (const [logicalId, resource] of Object.entries(template.Resources)) {
        const id = physicalIds[logicalId];
        const build = arn[resource.Type];
        if (id && build) out[logicalId] = { Arn: build(id), ...(resource.Type === "AWS::KMS::Key" ? { KeyId: id } : {}) };
    }
    return out;
}

export async function callerAccount(clients: ClientFactory, region: string): Promise<string> {
    const out = await awsCall("sts:GetCallerIdentity", () => clients(region).sts.send(new GetCallerIdentityCommand({})));
    return out.Account ?? "";
}

/** Every role's trust policy as IAM holds it (the template's may name a NoEcho parameter). */
export async function trustPolicies(clients: ClientFactory, region: string, stacks: InstalledStack[]): Promise<Record<string, PolicyDocument | undefined>> {
    const names = [...new Set(stacks.flatMap((s) => s.resources.filter((r) => r.type === "AWS::IAM::Role").map((r) => r.physicalId as string)))];
    const iam = clients(region).iam;
    const docs = await mapWithConcurrency(names, REGION_CONCURRENCY, async (roleName) => {
        try {
            const out = await awsCall("iam:GetRole", () => iam.send(new GetRoleCommand({ RoleName: roleName })));
            return parsePolicyDocument(out.Role?.AssumeRolePolicyDocument);
        } catch (error) {
            if (isAwsErrorCode(error, "NoSuchEntity")) return undefined;
            throw error;
        }
    });
    return Object.fromEntries(names.map((name, i) => [name, docs[i]]));
}

export async function stackFlowLogs(clients: ClientFactory, stacks: InstalledStack[]): Promise<Record<string, InstalledFlowLog>> {
    const out: Record<string, InstalledFlowLog> = {};
    for (const stack of stacks) {
        const ids = stack.resources.filter((r) => r.type === "AWS::EC2::FlowLog").map((r) => r.physicalId as string);
        if (ids.length === 0) continue;
        const described = await awsCall("ec2:DescribeFlowLogs", () => clients(stack.region).ec2.send(new DescribeFlowLogsCommand({ FlowLogIds: ids })));
        for (const f of described.FlowLogs ?? []) {
            if (!f.FlowLogId) continue;
            out[f.FlowLogId] = {
                flowLogId: f.FlowLogId, vpcId: f.ResourceId, destination: f.LogDestination, logFormat: f.LogFormat,
                maxAggregationInterval: f.MaxAggregationInterval, trafficType: f.TrafficType,
            };
        }
    }
    return out;
}

/** Regions of the partition, outside those asked about, that hold a stack of this name. */
export async function regionsElsewhere(clients: ClientFactory, partition: Partition, asked: string[], stackName: string): Promise<string[]> {
    const others: string[] = REGIONS_BY_PARTITION[partition].filter((r: string) => !asked.includes(r));
    const found = await mapWithConcurrency(others, REGION_CONCURRENCY, async (region): Promise<string | undefined> => {
        try {
            return (await describeStack(clients, region, stackName)) ? region : undefined;
        } catch {
            // A region that cannot be asked (not enabled for the account) holds nothing we can adopt.
            return undefined;
        }
    });
    return found.filter((r): r is string => r !== undefined);
}

export interface InstallRead {
    facts: InstallFacts;
    regions: RegionRead[];
    elsewhere: string[];
}

export async function readInstall(clients: ClientFactory, regions: string[], stackName: string): Promise<InstallRead> {
    const partition = partitionOf(regions[0]);
    const accountId = await callerAccount(clients, regions[0]);
    const reads = await mapWithConcurrency(regions, REGION_CONCURRENCY, (region) => readRegion(clients, region, stackName, accountId));
    const stacks = reads.flatMap((r) => (r.state === "found" ? [r.stack] : []));
    const elsewhere = reads.some((r) => r.state === "missing") ? await regionsElsewhere(clients, partition, regions, stackName) : [];
    const [trust, flowLogs] = await Promise.all([trustPolicies(clients, regions[0], stacks), stackFlowLogs(clients, stacks)]);
    return { facts: { accountId, partition, stacks, trustPolicies: trust, flowLogs }, regions: reads, elsewhere };
}

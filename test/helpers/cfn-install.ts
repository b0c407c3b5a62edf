/** Installs the test copy of StackState's CloudFormation template into moto, one stack per region, as users deploy it. */
import * as fs from "fs";
import * as path from "path";
import { CreateStackCommand, DescribeStackResourcesCommand } from "@aws-sdk/client-cloudformation";
import { ClientFactory } from "../../cli/aws/clients";
import { parseTemplate } from "../../model";

export const TEMPLATE_FILE = path.join(__dirname, "..", "fixtures", "stackstate-resources.cfn.yaml");
export const INSTALL_EXTERNAL_ID = "cfn-installed-external-id-0123456789";
export const INSTALL_AGENT_ACCOUNT = "210987654321";

export interface InstallOptions {
    mainRegion: string;
    stackName?: string;
    /** A VPC whose flow log the main region's stack also creates. */
    flowLogVpcId?: string;
    templateBody?: string;
}

/** Logical id → physical id of each region's stack. */
export async function installTemplate(clients: ClientFactory, regions: string[], options: InstallOptions): Promise<Record<string, Record<string, string>>> {
    const body = options.templateBody ?? fs.readFileSync(TEMPLATE_FILE, "utf8");
    const out: Record<string, Record<string, string>> = {};
    for (const region of regions) {
        const cfn = clients(region).cloudformation;
        const stackName = options.stackName ?? "stackstate-resources";
        await cfn.send(new CreateStackCommand({
            StackName: stackName,
            TemplateBody: body,
            Capabilities: ["CAPABILITY_NAMED_IAM"],
            Parameters: [
                { ParameterKey: "MainRegion", ParameterValue: options.mainRegion },
                { ParameterKey: "StsAccountId", ParameterValue: INSTALL_AGENT_ACCOUNT },
                { ParameterKey: "ExternalId", ParameterValue: INSTALL_EXTERNAL_ID },
                ...(options.flowLogVpcId && region === options.mainRegion ? [{ ParameterKey: "FlowLogVpcId", ParameterValue: options.flowLogVpcId }] : []),
            ],
        }));
        const listed = await cfn.send(new DescribeStackResourcesCommand({ StackName: stackName }));
        out[region] = Object.fromEntries((listed.StackResources ?? []).filter((r) => r.LogicalResourceId && r.PhysicalResourceId).map((r) => [r.LogicalResourceId as string, r.PhysicalResourceId as string]));
    }
    return out;
}

/** The test template without some of its resources, as JSON text (settings that name a dropped resource go too). */
export function templateWithout(...logicalIds: string[]): string {
    const template = parseTemplate(fs.readFileSync(TEMPLATE_FILE, "utf8"));
    for (const id of logicalIds) delete template.Resources[id];
    if (logicalIds.includes("StsKmsKey")) delete (template.Resources.StsLogsBucket?.Properties as Record<string, unknown> | undefined)?.BucketEncryption;
    if (logicalIds.includes("StsIntegrationPolicy")) delete (template.Resources.StsIntegrationRole?.Properties as Record<string, unknown> | undefined)?.ManagedPolicyArns;
    return JSON.stringify(template);
}

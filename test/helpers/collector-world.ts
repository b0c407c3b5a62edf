/**
 * What the collector program reads besides resources: monitored stacks (StackReference), subnets
 * (ec2.getSubnet) and AMIs (ec2.getAmi). The shared mock AWS knows none, so collector tests add
 * them here.
 */
import * as pulumi from "@pulumi/pulumi";
import { testEngine } from "./engine";

export interface CollectorWorld {
    /** Outputs by stack name; `externalId` is marked secret like the real program's. */
    stacks: Record<string, Record<string, unknown>>;
    /** VPC of each subnet. */
    subnets: Record<string, string>;
    /** Root device of each AMI; any other is an EBS-backed Amazon Linux image (/dev/xvda). */
    amis: Record<string, { rootDeviceName: string; rootDeviceType: string }>;
}

export const COLLECTOR_WORLD: CollectorWorld = { stacks: {}, subnets: {}, amis: {} };
const AMAZON_LINUX_ROOT = { rootDeviceName: "/dev/xvda", rootDeviceType: "ebs" };

let installed = false;

export function installCollectorWorld(): CollectorWorld {
    if (installed) return COLLECTOR_WORLD;
    installed = true;
    const aws = testEngine().aws;
    const newResource = aws.newResource.bind(aws);
    const call = aws.call.bind(aws);
    aws.newResource = (args: pulumi.runtime.MockResourceArgs) => {
        if (args.type !== "pulumi:pulumi:StackReference") return newResource(args);
        const outputs = COLLECTOR_WORLD.stacks[args.inputs.name];
        if (!outputs) throw new Error(`no monitored stack ${args.inputs.name} in the test world`);
        return { id: args.inputs.name, state: { name: args.inputs.name, outputs, secretOutputNames: ["externalId"] } };
    };
    aws.call = (args: pulumi.runtime.MockCallArgs) => {
        if (args.token === "aws:ec2/getSubnet:getSubnet") {
            aws.calls.push(args);
            return { id: args.inputs.id, vpcId: COLLECTOR_WORLD.subnets[args.inputs.id] ?? "vpc-unknown" };
        }
        if (args.token === "aws:ec2/getAmi:getAmi") {
            aws.calls.push(args);
            const filter = (args.inputs.filters as { name: string; values: string[] }[]).find((f) => f.name === "image-id");
            const imageId = filter?.values[0] ?? "";
            return { id: imageId, imageId, ...(COLLECTOR_WORLD.amis[imageId] ?? AMAZON_LINUX_ROOT) };
        }
        return call(args);
    };
    return COLLECTOR_WORLD;
}

/** VPC flow logs that deliver to a given S3 bucket (any key prefix in it). */
import { EC2Client, FlowLog, paginateDescribeFlowLogs } from "@aws-sdk/client-ec2";
import { parseS3Arn } from "../../model";
import { awsCall } from "./errors";

/** The bucket an S3 flow-log destination (`arn:aws:s3:::bucket[/prefix]`) points at. */
export function destinationBucket(destination: string | undefined): string | undefined {
    return parseS3Arn(destination)?.bucket;
}

export async function flowLogsToBucket(ec2: EC2Client, bucket: string): Promise<FlowLog[]> {
    return awsCall("ec2:DescribeFlowLogs", async () => {
        const found: FlowLog[] = [];
        const pages = paginateDescribeFlowLogs({ client: ec2 }, { Filter: [{ Name: "log-destination-type", Values: ["s3"] }] });
        for await (const page of pages) {
            found.push(...(page.FlowLogs ?? []).filter((f) => destinationBucket(f.LogDestination) === bucket));
        }
        return found;
    });
}

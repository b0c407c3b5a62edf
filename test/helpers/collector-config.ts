/** The collector stack config the collector's tests start from: two listed accounts and one monitored stack. */
import { COLLECTOR_CONFIG_NAMESPACE } from "../../model/collector-config-schema";

export const NS = `${COLLECTOR_CONFIG_NAMESPACE}:`;
export const roleArn = (account: string) => `arn:aws:iam::${account}:role/StackStateAwsIntegrationRole`;
export const LISTED_ID = "listed-external-id-0123456789";
export const API_KEY_PARAMETER = "/stackstate/api-key";

export const BASE: Record<string, string> = {
    "aws:region": "eu-west-1",
    [`${NS}stackStateUrl`]: "https://stackstate.example.com/receiver/stsAgent",
    [`${NS}apiKeyParameter`]: API_KEY_PARAMETER,
    [`${NS}subnetIds`]: JSON.stringify(["subnet-0123abcd", "subnet-4567cdef"]),
    [`${NS}accounts`]: JSON.stringify([
        { roleArn: roleArn("111122223333"), externalId: LISTED_ID, regions: ["eu-west-1", "us-east-1"], collectionInterval: 300 },
        { roleArn: roleArn("222233334444"), externalId: LISTED_ID, regions: ["eu-west-1"] },
    ]),
    [`${NS}monitoredStacks`]: JSON.stringify(["acme/stackstate-aws/prod"]),
};

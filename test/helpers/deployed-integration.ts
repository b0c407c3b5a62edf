/**
 * A StackStateAwsIntegration deployed under the mock engine, with the questions its tests ask of
 * it (resources by type, inputs without secrets, the data sources it called).
 */
import * as pulumi from "@pulumi/pulumi";
import { StackStateAwsIntegration, StackStateAwsIntegrationArgs } from "../../components";
import { Registration, unwrapSecrets, valueOf } from "../../offline/mock-engine";
import { testEngine, uniqueName } from "./engine";
import { TEST_WORLD } from "./world";

export const ACCOUNT = TEST_WORLD.accountId;
export const AGENT_ROLE = "arn:aws:iam::210987654321:role/StackStateAgentRole";
export const EXTERNAL_ID = "f3b1c2d4-e5f6-4789-a0b1-c2d3e4f5a6b7";
export const BOUNDARY = `arn:aws:iam::${ACCOUNT}:policy/OrgBoundary`;

/** Rejects when the output's computation threw (valueOf would wait forever). */
export function settled<T>(output: pulumi.Output<T>): Promise<T> {
    return (output as unknown as { promise(): Promise<T> }).promise();
}

export interface Deployed {
    name: string;
    integration: StackStateAwsIntegration;
    all: Registration[];
    /** Resources (not components, not providers) of a type. */
    ofType(type: string): Registration[];
    one(type: string, predicate?: (r: Registration) => boolean): Registration;
    inputs(r: Registration): Record<string, any>;
    calls: pulumi.runtime.MockCallArgs[];
}

export async function deploy(overrides: Partial<StackStateAwsIntegrationArgs> = {}): Promise<Deployed> {
    const name = uniqueName("sts");
    const engine = testEngine();
    const callsBefore = engine.aws.calls.length;
    const integration = new StackStateAwsIntegration(name, {
        regions: ["eu-west-1", "us-east-1", "ap-southeast-2"],
        mainRegion: "us-east-1",
        agentRoleArns: [AGENT_ROLE],
        externalId: EXTERNAL_ID,
        permissionsBoundaryArn: BOUNDARY,
        tags: { team: "observability", "cost-center": "4711" },
        ...overrides,
    });
    const urn = await valueOf(integration.urn);
    await settled(integration.agentInstance);
    await settled(integration.streamArns);
    await engine.settle();
    const all = engine.descendantsOf(urn);
    const ofType = (type: string) => all.filter((r) => r.type === type);
    return {
        name,
        integration,
        all,
        ofType,
        one(type, predicate = () => true) {
            const found = ofType(type).filter(predicate);
            if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
            return found[0];
        },
        inputs: (r) => unwrapSecrets(r.inputs, true) as Record<string, any>,
        calls: engine.aws.calls.slice(callsBefore),
    };
}

export const ROLE = "aws:iam/role:Role";
export const BUCKET = "aws:s3/bucket:Bucket";
export const STREAM = "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream";
export const RULE = "aws:cloudwatch/eventRule:EventRule";
export const TARGET = "aws:cloudwatch/eventTarget:EventTarget";
export const KEY = "aws:kms/key:Key";
export const ALIAS = "aws:kms/alias:Alias";
export const FLOW_LOG = "aws:ec2/flowLog:FlowLog";
export const PROVIDER = "pulumi:providers:aws";

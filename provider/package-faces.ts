/**
 * StackStateAwsIntegration and FlowLogs as other languages see them. Their TypeScript args also take
 * the selections TypeScript programs gave before the component package (VPC ids, or "all"), a
 * union the package's schema cannot carry, so the schema is inferred from these declarations
 * instead: the same classes, their flow-log VPCs as `VpcSelection` only. They declare, they do not
 * implement: the provider constructs the real classes (`PACKAGE_COMPONENTS`), and the checks at the
 * end of this file fail the type-check if a declaration and its class drift apart.
 *
 * Pulumi's inference reads the entry point's imports in order and takes the first class of each
 * name, so `component-package.ts` imports this file before `../components`.
 */
import * as pulumi from "@pulumi/pulumi";
import type * as components from "../components";
import type { VpcSelection } from "../model";

/** The arguments of StackStateAwsIntegration in every language. */
export interface StackStateAwsIntegrationPackageArgs extends components.StackStateAwsIntegrationSettings {
    /** VPC flow logs to the logs bucket, per region (each one of regions): listed VPC ids, or every VPC found at deployment. Default: none. */
    readonly flowLogs?: Record<string, VpcSelection>;
}

/**
 * Everything one monitored AWS account needs for StackState's AWS (V2) integration, all its
 * captured regions in one stack: the integration role and the logs bucket in the main region, a
 * KMS key and an EventBridge to Firehose pipeline in every region, and VPC flow logs where asked for.
 */
export declare class StackStateAwsIntegration extends pulumi.ComponentResource {
    /** The monitored account, as the deployment credentials report it. */
    readonly accountId: pulumi.Output<string>;
    /** ARN of StackStateAwsIntegrationRole, the role the Agent assumes. */
    readonly roleArn: pulumi.Output<string>;
    /** Name of the logs bucket, stackstate-logs-<account>. */
    readonly bucketName: pulumi.Output<string>;
    /** ARN of the logs bucket. */
    readonly bucketArn: pulumi.Output<string>;
    /** The ExternalId the Agent must present (secret): the given one, or the generated one. */
    readonly externalId: pulumi.Output<string>;
    /** The captured regions, as given. */
    readonly regions: string[];
    /** The region of the role and the bucket. */
    readonly mainRegion: string;
    /** ARN of each region's Firehose stream, by region. */
    readonly streamArns: pulumi.Output<Record<string, string>>;
    /** This account's entry for the Agent's aws_topology check. */
    readonly agentInstance: pulumi.Output<components.AgentInstance>;

    constructor(name: string, args: StackStateAwsIntegrationPackageArgs, opts?: pulumi.ComponentResourceOptions);
}

/** The arguments of FlowLogs in every language. */
export interface FlowLogsPackageArgs extends VpcSelection, components.FlowLogsDelivery {}

/**
 * VPC flow logs of one region to the logs bucket, in the shape the Agent parses: AWS's default
 * format and key layout, one-minute aggregation, plain text.
 */
export declare class FlowLogs extends pulumi.ComponentResource {
    /** ID of each flow log, by VPC id (known once discovery has run). */
    readonly flowLogIds: pulumi.Output<Record<string, string>>;

    constructor(name: string, args: FlowLogsPackageArgs, opts?: pulumi.ComponentResourceOptions);
}

// A declaration must stay its class: the class takes the declaration's args, and the two have the
// same outputs, with the same types (the class's `providers` is TypeScript's only: no schema type).
type Holds<T extends true> = T;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Outputs<T> = { [K in Exclude<keyof T, keyof pulumi.ComponentResource>]: T[K] };
type Args<C extends abstract new (...args: never[]) => unknown> = ConstructorParameters<C>[1];
export type FacesHold = [
    Holds<StackStateAwsIntegrationPackageArgs extends Args<typeof components.StackStateAwsIntegration> ? true : false>,
    Holds<Same<Outputs<StackStateAwsIntegration>, Omit<Outputs<components.StackStateAwsIntegration>, "providers">>>,
    Holds<FlowLogsPackageArgs extends Args<typeof components.FlowLogs> ? true : false>,
    Holds<Same<Outputs<FlowLogs>, Outputs<components.FlowLogs>>>,
    Holds<Same<Exclude<keyof components.StackStateAwsIntegrationArgs, keyof StackStateAwsIntegrationPackageArgs>, never>>,
    Holds<Same<Exclude<keyof components.FlowLogsArgs, keyof FlowLogsPackageArgs>, "vpcs">>,
];

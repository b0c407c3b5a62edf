/**
 * A region's customer-managed KMS key and its `alias/stackstate-integration`.
 *
 * Its own component, not part of EventPipeline: the main region's key encrypts the logs bucket,
 * which must exist before any region's Firehose can deliver to it, so keys come first, then the
 * bucket, then the pipelines.
 */
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { KMS_ALIAS, KMS_SETTINGS, keyPolicy, partitionOf } from "../model";
import { managedTags, policyJson, componentOptions, typeToken } from "./common";

export interface RegionKeyArgs {
    /** The key's region; the component's provider must point there. */
    readonly region: string;
    /** The account that owns and uses the key. */
    readonly accountId: pulumi.Input<string>;
    /** Whether this key encrypts the logs bucket (the main region's key). Default: false. */
    readonly encryptsBucket?: boolean;
    /** The alias. Default: alias/stackstate-integration. */
    readonly aliasName?: string;
    /** Tags, merged with managed-by: stackstate-aws. */
    readonly tags?: pulumi.Input<Record<string, string>>;
}

/** A region's customer-managed KMS key, with rotation, and its alias/stackstate-integration. */
export class RegionKey extends pulumi.ComponentResource {
    /** The key. */
    readonly key: aws.kms.Key;
    /** The key's alias, alias/stackstate-integration. */
    readonly alias: aws.kms.Alias;
    /** ARN of the key. */
    readonly keyArn: pulumi.Output<string>;

    constructor(name: string, args: RegionKeyArgs, opts?: pulumi.ComponentResourceOptions) {
        super(typeToken("RegionKey"), name, {}, componentOptions("RegionKey", opts));
        const partition = partitionOf(args.region);
        const encryptsBucket = args.encryptsBucket ?? false;

        this.key = new aws.kms.Key(`${name}-key`, {
            description: `StackState AWS integration: encrypts ${encryptsBucket ? "the logs bucket and " : ""}the event stream in ${args.region}.`,
            enableKeyRotation: KMS_SETTINGS.enableKeyRotation,
            policy: policyJson(pulumi.output(args.accountId).apply((accountId) =>
                keyPolicy({ partition, accountId, region: args.region, encryptsBucket }))),
            tags: managedTags(args.tags),
        }, { parent: this });

        this.alias = new aws.kms.Alias(`${name}-alias`, {
            name: args.aliasName ?? KMS_ALIAS,
            targetKeyId: this.key.keyId,
        }, { parent: this });

        this.keyArn = this.key.arn;
        this.registerOutputs({ keyArn: this.keyArn, aliasArn: this.alias.arn });
    }
}

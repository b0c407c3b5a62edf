/**
 * The AWS names of the resources this package creates, and how a stack may override them.
 *
 * The defaults are this package's names (names.ts). Overrides exist for adopting resources
 * another tool created, such as StackState's CloudFormation template, whose rule name is
 * generated (`stackstate-resources-StsEventBridgeRule-…`): most of these names cannot change
 * without replacing the resource, so an adopted resource must keep its own.
 */
import {
    EVENT_RULE_NAME, eventBridgeRoleName, FIREHOSE_STREAM_NAME, firehoseRoleName, INTEGRATION_ROLE_NAME,
    integrationPolicyName, KMS_ALIAS,
} from "./names";

/** The target id of the rule's one target. */
export const EVENT_TARGET_ID = "stackstate-firehose";
/** The inline policies of the per-region service roles. */
export const FIREHOSE_ROLE_POLICY_NAME = "deliver-to-logs-bucket";
export const EVENT_BRIDGE_ROLE_POLICY_NAME = "put-into-stream";

/** Names of one region's resources; each one left out keeps this package's name. */
export interface RegionNameOverrides {
    /** The EventBridge rule. Default: stackstate-eventbridge-rule. */
    eventRule?: string;
    /** The id of the rule's Firehose target. Default: stackstate-firehose. */
    eventTarget?: string;
    /** The Firehose stream. Default: stackstate-eventbridge-stream. */
    firehoseStream?: string;
    /** Firehose's role. Default: StackStateFirehoseRole-<region>. */
    firehoseRole?: string;
    /** The inline policy of Firehose's role. Default: deliver-to-logs-bucket. */
    firehosePolicy?: string;
    /** EventBridge's role. Default: StackStateEventBridgeRole-<region>. */
    eventBridgeRole?: string;
    /** The inline policy of EventBridge's role. Default: put-into-stream. */
    eventBridgePolicy?: string;
    /** The region key's alias. Default: alias/stackstate-integration. */
    kmsAlias?: string;
}

/** The `names` stack config value: only the names that differ from the defaults. */
export interface NameOverrides {
    /** The role the Agent assumes. Default: StackStateAwsIntegrationRole. */
    integrationRole?: string;
    /** The first read policy's name; further ones (when the read permissions need several) keep theirs. Default: StackStateAwsIntegrationPolicy. */
    integrationPolicy?: string;
    /** Per region code, the names of that region's resources. Default: none. */
    regions?: Record<string, RegionNameOverrides>;
}

export type RegionNames = Required<RegionNameOverrides>;
export type AccountNames = Required<Omit<NameOverrides, "regions">>;

export function defaultRegionNames(region: string): RegionNames {
    return {
        eventRule: EVENT_RULE_NAME,
        eventTarget: EVENT_TARGET_ID,
        firehoseStream: FIREHOSE_STREAM_NAME,
        firehoseRole: firehoseRoleName(region),
        firehosePolicy: FIREHOSE_ROLE_POLICY_NAME,
        eventBridgeRole: eventBridgeRoleName(region),
        eventBridgePolicy: EVENT_BRIDGE_ROLE_POLICY_NAME,
        kmsAlias: KMS_ALIAS,
    };
}

export function defaultAccountNames(): AccountNames {
    return { integrationRole: INTEGRATION_ROLE_NAME, integrationPolicy: integrationPolicyName(0) };
}

export function regionNames(region: string, overrides?: NameOverrides): RegionNames {
    return { ...defaultRegionNames(region), ...(overrides?.regions?.[region] ?? {}) };
}

export function accountNames(overrides?: NameOverrides): AccountNames {
    const { regions: _regions, ...account } = overrides ?? {};
    return { ...defaultAccountNames(), ...account };
}

/** The overrides that `actual` needs: every name that differs from the default, nothing else. */
export function nameOverrides(account: AccountNames, regions: Record<string, RegionNames>): NameOverrides {
    const differing = <T extends object>(actual: T, defaults: T): Partial<T> =>
        Object.fromEntries(Object.entries(actual).filter(([key, value]) => defaults[key as keyof T] !== value)) as Partial<T>;
    const overrides: NameOverrides = differing(account, defaultAccountNames());
    const perRegion = Object.fromEntries(Object.entries(regions)
        .map(([region, names]) => [region, differing(names, defaultRegionNames(region))] as const)
        .filter(([, names]) => Object.keys(names).length > 0));
    if (Object.keys(perRegion).length > 0) overrides.regions = perRegion;
    return overrides;
}

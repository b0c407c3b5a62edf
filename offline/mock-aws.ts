/**
 * A mock AWS for Pulumi's mock engine: resources get the ids, ARNs and names AWS would give
 * them, so everything downstream of an output (policy documents, agent config) is exercised
 * offline. Used by `plan` and by the tests. It answers the data sources the program, the
 * components and the collector read (getCallerIdentity, getRegion, getPartition, ec2.getVpcs,
 * ssm.getParameter; the collector's planner adds ec2.getSubnet and ec2.getAmi, which only the
 * deployment can answer) and fails on any other, naming it.
 */
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "crypto";
import { partitionOf } from "../model";
import { UnmodelledInvokeError } from "./errors";

export interface MockWorld {
    /** The account the credentials belong to (getCallerIdentity). */
    accountId: string;
    /** Region of resources that use no explicit provider. */
    defaultRegion: string;
    /** What `ec2.getVpcs` finds, per region. */
    vpcs?: Record<string, string[]>;
    /** What `ssm.getParameter` returns, by parameter name. */
    ssmParameters?: Record<string, string>;
}

/** Deterministic stand-ins for generated values: the same plan prints the same ids. */
function digest(seed: string, length: number): string {
    return createHash("sha256").update(seed).digest("hex").slice(0, length);
}

function uuid(seed: string): string {
    const h = digest(seed, 32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

const PROVIDER_TYPE = "pulumi:providers:aws";

/**
 * The account of a provider's first assumed role. Pulumi hands a provider's structured inputs to
 * the engine as JSON text, so both forms are read.
 */
export function assumedRoleAccount(assumeRoles: unknown): string | undefined {
    let roles = assumeRoles;
    if (typeof roles === "string") {
        try { roles = JSON.parse(roles); } catch { return undefined; }
    }
    const roleArn = Array.isArray(roles) ? (roles[0] as { roleArn?: unknown } | undefined)?.roleArn : undefined;
    return typeof roleArn === "string" ? /^arn:[^:]+:iam::(\d{12}):role\//.exec(roleArn)?.[1] : undefined;
}

export class MockAws implements pulumi.runtime.Mocks {
    /** Provider id → region, so a resource's region follows from its provider reference. */
    private readonly providerRegions = new Map<string, string>();
    /** Provider id → the account of the role it assumes: calls through it land in that account. */
    private readonly providerAccounts = new Map<string, string>();
    private counter = 0;
    /** Every invoke the program made, in order: tests assert which data sources were read. */
    readonly calls: pulumi.runtime.MockCallArgs[] = [];

    constructor(readonly world: MockWorld) {}

    /** Region of an AWS provider reference (`urn::id`); undefined for any other reference. */
    providerRegion(providerRef: string | undefined): string | undefined {
        const id = providerRef?.split("::").pop();
        return id ? this.providerRegions.get(id) : undefined;
    }

    /** The account whose role this provider reference assumes; undefined when it assumes none. */
    assumedAccountOf(providerRef: string | undefined): string | undefined {
        const id = providerRef?.split("::").pop();
        return id ? this.providerAccounts.get(id) : undefined;
    }

    /** Account a call through this provider reference lands in: its assumed role's, else the world's. */
    accountOf(providerRef: string | undefined): string {
        return this.assumedAccountOf(providerRef) ?? this.world.accountId;
    }

    /** Region a call through this provider reference lands in: the provider's, else the default. */
    regionOf(providerRef: string | undefined): string {
        return this.providerRegion(providerRef) ?? this.world.defaultRegion;
    }

    newResource(args: pulumi.runtime.MockResourceArgs): pulumi.runtime.MockResourceResult {
        const inputs = args.inputs ?? {};
        if (args.type === PROVIDER_TYPE) {
            const id = `provider-${++this.counter}`;
            this.providerRegions.set(id, inputs.region ?? this.world.defaultRegion);
            const assumed = assumedRoleAccount(inputs.assumeRoles);
            if (assumed) this.providerAccounts.set(id, assumed);
            return { id, state: inputs };
        }
        const region = this.regionOf(args.provider);
        const partition = partitionOf(region);
        const account = this.accountOf(args.provider);
        const seed = `${args.type}/${args.name}`;
        // Names AWS would generate when none is given: logical name plus a random suffix.
        const name: string = inputs.name ?? `${args.name}-${digest(seed, 7)}`;
        const arn = (service: string, resource: string, regional = true) =>
            `arn:${partition}:${service}:${regional ? region : ""}:${regional || service === "iam" ? account : ""}:${resource}`;
        const path: string = inputs.path ?? "/";
        switch (args.type) {
            case "aws:iam/role:Role":
                return { id: name, state: { ...inputs, name, arn: arn("iam", `role${path}${name}`, false), uniqueId: `AROA${digest(seed, 17).toUpperCase()}` } };
            case "aws:iam/policy:Policy": {
                const policyArn = arn("iam", `policy${path}${name}`, false);
                return { id: policyArn, state: { ...inputs, name, arn: policyArn, policyId: `ANPA${digest(seed, 17).toUpperCase()}` } };
            }
            case "aws:iam/instanceProfile:InstanceProfile":
                return { id: name, state: { ...inputs, name, arn: arn("iam", `instance-profile${path}${name}`, false) } };
            case "aws:s3/bucket:Bucket": {
                const bucket: string = inputs.bucket ?? name;
                return { id: bucket, state: { ...inputs, bucket, arn: `arn:${partition}:s3:::${bucket}`, region, bucketDomainName: `${bucket}.s3.amazonaws.com` } };
            }
            case "aws:kms/key:Key": {
                const keyId = uuid(seed);
                return { id: keyId, state: { ...inputs, keyId, arn: arn("kms", `key/${keyId}`) } };
            }
            case "aws:kms/alias:Alias":
                return { id: name, state: { ...inputs, name, arn: arn("kms", name), targetKeyArn: inputs.targetKeyId } };
            case "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream": {
                const streamArn = arn("firehose", `deliverystream/${name}`);
                return { id: streamArn, state: { ...inputs, name, arn: streamArn } };
            }
            case "aws:cloudwatch/eventRule:EventRule":
                return { id: name, state: { ...inputs, name, arn: arn("events", `rule/${name}`) } };
            case "aws:ec2/flowLog:FlowLog": {
                const id = `fl-${digest(seed, 17)}`;
                return { id, state: { ...inputs, arn: arn("ec2", `vpc-flow-log/${id}`) } };
            }
            case "aws:ec2/securityGroup:SecurityGroup": {
                const id = `sg-${digest(seed, 17)}`;
                return { id, state: { ...inputs, name, arn: arn("ec2", `security-group/${id}`) } };
            }
            case "aws:ec2/launchTemplate:LaunchTemplate": {
                const id = `lt-${digest(seed, 17)}`;
                return { id, state: { ...inputs, name, arn: arn("ec2", `launch-template/${id}`), latestVersion: 1 } };
            }
            case "random:index/randomPassword:RandomPassword":
            case "random:index/randomString:RandomString": {
                const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
                const bytes = createHash("sha512").update(seed).digest();
                const result = Array.from({ length: inputs.length ?? 16 }, (_, i) => alphabet[bytes[i % bytes.length] % alphabet.length]).join("");
                return { id: "none", state: { ...inputs, result } };
            }
            default: {
                const [, module, type] = args.type.split(/[:/]/);
                return { id: `${args.name}-${digest(seed, 8)}`, state: { ...inputs, arn: arn(module ?? "unknown", `${(type ?? "resource").toLowerCase()}/${name}`) } };
            }
        }
    }

    call(args: pulumi.runtime.MockCallArgs): pulumi.runtime.MockCallResult {
        this.calls.push(args);
        const region = this.regionOf(args.provider);
        switch (args.token) {
            case "aws:index/getCallerIdentity:getCallerIdentity": {
                const account = this.accountOf(args.provider);
                return {
                    accountId: account,
                    arn: `arn:${partitionOf(region)}:iam::${account}:user/planner`,
                    userId: "AIDAPLANNER",
                    id: account,
                };
            }
            case "aws:index/getRegion:getRegion":
                return { region, name: region, id: region, endpoint: `ec2.${region}.amazonaws.com`, description: region };
            case "aws:index/getPartition:getPartition":
                return { partition: partitionOf(region), dnsSuffix: "amazonaws.com", id: partitionOf(region) };
            case "aws:ec2/getVpcs:getVpcs":
                return { ids: this.world.vpcs?.[region] ?? [], id: region };
            case "aws:ssm/getParameter:getParameter": {
                const value = this.world.ssmParameters?.[args.inputs.name] ?? `ami-${digest(args.inputs.name, 17)}`;
                return { name: args.inputs.name, value, insecureValue: value, type: "String", id: args.inputs.name };
            }
            default:
                // Echoing the inputs back, as this once did, let a program read values no AWS
                // would give and pass: a data source is modelled here, or the run fails naming it.
                throw new UnmodelledInvokeError(args.token);
        }
    }
}

/**
 * Adopting an install of StackState's CloudFormation template (`stackstate-resources`, one stack
 * per region, the role and bucket in the main one): which of its resources is which resource of
 * this package, under which import id, and the stack config that makes this package's program
 * declare exactly those resources. Pure: the CLI reads the stacks and hands the facts in.
 */
import { ImportableType, importId } from "./import-ids";
import { AccountNames, defaultAccountNames, defaultRegionNames, nameOverrides, NameOverrides, RegionNames } from "./resource-names";
import { logsBucketName } from "./names";
import { PolicyDocument } from "./iam-document";
import { arnResourceName, parseIdentityArn, parseS3Arn } from "./arn";

/** One resource of a stack's template, its properties resolved, with its physical id when the stack has one. */
export interface InstalledResource {
    logicalId: string;
    type: string;
    properties: Record<string, any>;
    physicalId?: string;
}

export interface InstalledStack {
    region: string;
    stackName: string;
    status: string;
    parameters: Record<string, string>;
    /** Declared resources that exist (have a physical id). */
    resources: InstalledResource[];
    /** Declared resources the stack does not have, and why. */
    absent: { logicalId: string; type: string; reason: string }[];
}

/** A flow log the stack created, as EC2 describes it. */
export interface InstalledFlowLog {
    flowLogId: string;
    vpcId?: string;
    destination?: string;
    logFormat?: string;
    maxAggregationInterval?: number;
    trafficType?: string;
}

export interface InstallFacts {
    accountId: string;
    partition: string;
    stacks: InstalledStack[];
    /** Each role's trust policy as IAM holds it, by role name. */
    trustPolicies: Record<string, PolicyDocument | undefined>;
    flowLogs: Record<string, InstalledFlowLog>;
}

export interface Counterpart {
    region: string;
    logicalId: string;
    cfnType: string;
    pulumiType: ImportableType;
    importId: string;
    /** How to find the planned resource among its region's resources of that type: an input's value. */
    match?: { input: string; value: string };
}

export interface NoCounterpart {
    region: string;
    logicalId: string;
    type: string;
    physicalId?: string;
    reason: string;
}

export interface AdoptedConfig {
    accountId: string;
    regions: string[];
    mainRegion: string;
    agentAccountId?: string;
    agentRoleArns?: string[];
    flowLogs?: Record<string, string[]>;
    names?: NameOverrides;
}

export interface Adoption {
    config: AdoptedConfig;
    /** The ExternalId the integration role's trust requires; a secret. */
    externalId?: string;
    counterparts: Counterpart[];
    unmatched: NoCounterpart[];
    /** Problems that stop the adoption (no role, several main regions...). */
    problems: string[];
    notes: string[];
}

const asList = (value: unknown): unknown[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);
const strings = (value: unknown): string[] => asList(value).filter((v): v is string => typeof v === "string");

interface TrustFacts {
    externalIds: string[];
    awsPrincipals: string[];
    services: string[];
}

function trustFacts(doc: PolicyDocument | undefined): TrustFacts {
    const facts: TrustFacts = { externalIds: [], awsPrincipals: [], services: [] };
    for (const statement of asList(doc?.Statement) as Record<string, any>[]) {
        if (statement?.Effect !== "Allow") continue;
        facts.services.push(...strings(statement.Principal?.Service));
        const condition = statement.Condition?.StringEquals?.["sts:ExternalId"];
        if (condition !== undefined) {
            facts.externalIds.push(...strings(condition));
            facts.awsPrincipals.push(...strings(statement.Principal?.AWS));
        }
    }
    return facts;
}

/** The role kind a trust policy makes: the Agent's integration role, or a service's role. */
function roleKind(resource: InstalledResource, trust: TrustFacts): "integration" | "firehose" | "eventBridge" | undefined {
    if (trust.externalIds.length > 0) return "integration";
    if (trust.services.includes("firehose.amazonaws.com")) return "firehose";
    if (trust.services.includes("events.amazonaws.com")) return "eventBridge";
    return undefined;
}

/** Inline policies of a role: its own `Policies` and `AWS::IAM::Policy` resources naming it. */
function inlinePolicyNames(role: InstalledResource, stack: InstalledStack): { names: string[]; resources: InstalledResource[] } {
    const own = (asList(role.properties.Policies) as Record<string, unknown>[]).map((p) => String(p.PolicyName));
    const resources = stack.resources.filter((r) => r.type === "AWS::IAM::Policy" && strings(r.properties.Roles).includes(role.physicalId ?? ""));
    return { names: [...own, ...resources.map((r) => String(r.properties.PolicyName))], resources };
}

export interface AdoptionRequest {
    /** Every region the stack is to cover: those with an installed stack and any without. */
    regions: string[];
    mainRegion?: string;
}

export function planAdoption(facts: InstallFacts, request: AdoptionRequest): Adoption {
    const requestedMainRegion = request.mainRegion;
    const { accountId, partition } = facts;
    const counterparts: Counterpart[] = [];
    const unmatched: NoCounterpart[] = [];
    const problems: string[] = [];
    const notes: string[] = [];
    const claimed = new Set<string>();
    const key = (region: string, logicalId: string) => `${region}/${logicalId}`;
    const add = (stack: InstalledStack, resource: InstalledResource, pulumiType: ImportableType, id: string, match?: Counterpart["match"]) => {
        counterparts.push({ region: stack.region, logicalId: resource.logicalId, cfnType: resource.type, pulumiType, importId: id, ...(match ? { match } : {}) });
        claimed.add(key(stack.region, resource.logicalId));
    };
    const idFacts = (region: string, name: string, extra: { roleName?: string; ruleName?: string } = {}) => ({ accountId, region, partition, name, ...extra });

    const account: AccountNames = defaultAccountNames();
    const regionNames: Record<string, RegionNames> = {};
    const flowLogs: Record<string, string[]> = {};
    let externalId: string | undefined;
    let agentAccountId: string | undefined;
    let agentRoleArns: string[] | undefined;
    const bucket = logsBucketName(accountId);

    // The main region is where the account's global resources are.
    const mainRegions = facts.stacks.filter((s) => s.resources.some((r) => r.type === "AWS::IAM::Role" && roleKind(r, trustFacts(facts.trustPolicies[r.physicalId ?? ""])) === "integration")).map((s) => s.region);
    if (mainRegions.length > 1) problems.push(`more than one region's stack holds an integration role (${mainRegions.join(", ")}); one account has one`);
    const declaredMain = [...new Set(facts.stacks.map((s) => s.parameters.MainRegion).filter((r): r is string => Boolean(r)))];
    const mainRegion = mainRegions[0] ?? requestedMainRegion ?? declaredMain[0] ?? facts.stacks[0]?.region;
    if (mainRegions.length === 0) {
        problems.push(`no stack holds the integration role (a role whose trust requires an sts:ExternalId)${declaredMain.length > 0 ? `; the stacks name ${declaredMain.join(", ")} as MainRegion: include it in --regions` : ""}`);
    }
    if (requestedMainRegion && mainRegions[0] && requestedMainRegion !== mainRegions[0]) {
        problems.push(`--main-region is ${requestedMainRegion}, but the integration role and bucket are in the ${mainRegions[0]} stack`);
    }

    for (const stack of facts.stacks) {
        const region = stack.region;
        const names = defaultRegionNames(region);
        regionNames[region] = names;
        const ofType = (type: string) => stack.resources.filter((r) => r.type === type && r.physicalId);

        for (const role of ofType("AWS::IAM::Role")) {
            const roleName = role.physicalId as string;
            const trust = trustFacts(facts.trustPolicies[roleName]);
            const kind = roleKind(role, trust);
            const inline = inlinePolicyNames(role, stack);
            if (kind === "integration" && region === mainRegion) {
                account.integrationRole = roleName;
                add(stack, role, "aws:iam/role:Role", importId("aws:iam/role:Role", idFacts(region, roleName)), { input: "name", value: roleName });
                const ids = [...new Set(trust.externalIds)];
                if (ids.length > 1) problems.push(`the integration role's trust accepts ${ids.length} ExternalIds; this package sets one`);
                externalId = ids[0];
                for (const principal of [...new Set(trust.awsPrincipals)]) {
                    const identity = parseIdentityArn(principal);
                    const iam = identity?.service === "iam" ? identity : undefined;
                    const rootAccount = /^\d{12}$/.test(principal) ? principal : iam?.resource === "root" ? iam.accountId : undefined;
                    if (rootAccount && !agentAccountId) agentAccountId = rootAccount;
                    else if (iam?.resource.startsWith("role/")) (agentRoleArns ??= []).push(principal);
                    else notes.push(`the integration role also trusts ${principal}, which the stack config cannot express: it is dropped from the trust by the first pulumi up`);
                }
                for (const name of inline.names) {
                    notes.push(`the integration role's inline policy '${name}' has no counterpart (this package grants its permissions through a managed policy): it stays on the role until you delete it`);
                }
                for (const policy of inline.resources) unmatched.push({ region, logicalId: policy.logicalId, type: policy.type, physicalId: policy.physicalId, reason: "an inline policy of the integration role; this package grants its permissions through a managed policy. It stays on the role until you delete it" });
                continue;
            }
            if (kind === "firehose" || kind === "eventBridge") {
                const roleKey = kind === "firehose" ? "firehoseRole" : "eventBridgeRole";
                const policyKey = kind === "firehose" ? "firehosePolicy" : "eventBridgePolicy";
                if (claimed.has(`${region}/${roleKey}`)) {
                    unmatched.push({ region, logicalId: role.logicalId, type: role.type, physicalId: roleName, reason: `a second ${kind === "firehose" ? "Firehose" : "EventBridge"} role in ${region}; this package has one` });
                    continue;
                }
                claimed.add(`${region}/${roleKey}`);
                names[roleKey] = roleName;
                add(stack, role, "aws:iam/role:Role", importId("aws:iam/role:Role", idFacts(region, roleName)), { input: "name", value: roleName });
                const [first, ...others] = inline.names;
                if (first) {
                    names[policyKey] = first;
                    counterparts.push({
                        region, logicalId: inline.resources.find((r) => r.properties.PolicyName === first)?.logicalId ?? `${role.logicalId}.Policies[${first}]`,
                        cfnType: "AWS::IAM::Role inline policy", pulumiType: "aws:iam/rolePolicy:RolePolicy",
                        importId: importId("aws:iam/rolePolicy:RolePolicy", idFacts(region, first, { roleName })), match: { input: "name", value: first },
                    });
                    for (const policy of inline.resources.filter((r) => r.properties.PolicyName === first)) claimed.add(key(region, policy.logicalId));
                }
                for (const other of others) notes.push(`role ${roleName} has a further inline policy '${other}' with no counterpart: it stays on the role until you delete it`);
                continue;
            }
            unmatched.push({ region, logicalId: role.logicalId, type: role.type, physicalId: roleName, reason: kind === "integration" ? `an integration role outside the main region ${mainRegion}` : "a role neither the Agent, Firehose nor EventBridge assumes" });
        }

        // Managed policies attached to the integration role: the first is this package's read policy.
        const integration = stack.resources.find((r) => r.type === "AWS::IAM::Role" && r.physicalId === account.integrationRole && region === mainRegion);
        const attachedArns = strings(integration?.properties.ManagedPolicyArns);
        for (const policy of ofType("AWS::IAM::ManagedPolicy")) {
            const arn = policy.physicalId as string;
            const attached = integration && (attachedArns.includes(arn) || strings(policy.properties.Roles).includes(account.integrationRole));
            if (!attached) {
                unmatched.push({ region, logicalId: policy.logicalId, type: policy.type, physicalId: arn, reason: "a managed policy not attached to the integration role" });
            } else if (claimed.has(`${region}/integrationPolicy`)) {
                unmatched.push({ region, logicalId: policy.logicalId, type: policy.type, physicalId: arn, reason: "a further managed policy of the integration role; this package's read permissions fit one. It stays attached until you detach it" });
            } else {
                claimed.add(`${region}/integrationPolicy`);
                const name = arnResourceName(arn) ?? arn;
                account.integrationPolicy = name;
                add(stack, policy, "aws:iam/policy:Policy", importId("aws:iam/policy:Policy", idFacts(region, arn)), { input: "name", value: name });
                counterparts.push({
                    region, logicalId: `${policy.logicalId}.attachment`, cfnType: "AWS::IAM::ManagedPolicy attachment",
                    pulumiType: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
                    importId: importId("aws:iam/rolePolicyAttachment:RolePolicyAttachment", idFacts(region, arn, { roleName: account.integrationRole })),
                });
            }
        }

        const keys = ofType("AWS::KMS::Key");
        const aliases = ofType("AWS::KMS::Alias");
        const alias = aliases[0];
        const key_ = keys.find((k) => alias && [k.physicalId, `arn:${partition}:kms:${region}:${accountId}:key/${k.physicalId}`].includes(String(alias.properties.TargetKeyId))) ?? keys[0];
        for (const k of keys) {
            if (k === key_) add(stack, k, "aws:kms/key:Key", importId("aws:kms/key:Key", idFacts(region, k.physicalId as string)));
            else unmatched.push({ region, logicalId: k.logicalId, type: k.type, physicalId: k.physicalId, reason: `a further KMS key in ${region}; this package has one per region` });
        }
        for (const a of aliases) {
            if (a === alias) {
                names.kmsAlias = a.physicalId as string;
                add(stack, a, "aws:kms/alias:Alias", importId("aws:kms/alias:Alias", idFacts(region, a.physicalId as string)), { input: "name", value: a.physicalId as string });
            } else {
                unmatched.push({ region, logicalId: a.logicalId, type: a.type, physicalId: a.physicalId, reason: `a further KMS alias in ${region}; this package has one per region` });
            }
        }

        for (const b of ofType("AWS::S3::Bucket")) {
            if (b.physicalId !== bucket || region !== mainRegion) {
                unmatched.push({ region, logicalId: b.logicalId, type: b.type, physicalId: b.physicalId, reason: `this package's bucket is ${bucket} in the main region, where the Agent reads by default` });
                continue;
            }
            add(stack, b, "aws:s3/bucket:Bucket", importId("aws:s3/bucket:Bucket", idFacts(region, bucket)), { input: "bucket", value: bucket });
            // CloudFormation keeps these settings on the bucket; this package has a resource for each.
            const settings: [string, ImportableType][] = [
                ["VersioningConfiguration", "aws:s3/bucketVersioning:BucketVersioning"],
                ["LifecycleConfiguration", "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration"],
                ["BucketEncryption", "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"],
                ["PublicAccessBlockConfiguration", "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"],
                ["OwnershipControls", "aws:s3/bucketOwnershipControls:BucketOwnershipControls"],
            ];
            for (const [property, type] of settings) {
                if (b.properties[property] === undefined) continue;
                counterparts.push({ region, logicalId: `${b.logicalId}.${property}`, cfnType: "AWS::S3::Bucket setting", pulumiType: type, importId: importId(type, idFacts(region, bucket)) });
            }
        }
        for (const p of ofType("AWS::S3::BucketPolicy")) {
            if (p.properties.Bucket === bucket && region === mainRegion) add(stack, p, "aws:s3/bucketPolicy:BucketPolicy", importId("aws:s3/bucketPolicy:BucketPolicy", idFacts(region, bucket)));
            else unmatched.push({ region, logicalId: p.logicalId, type: p.type, physicalId: p.physicalId, reason: `a policy of another bucket than ${bucket}` });
        }

        const streams = ofType("AWS::KinesisFirehose::DeliveryStream");
        for (const [i, s] of streams.entries()) {
            const name = s.physicalId as string;
            if (i > 0) {
                unmatched.push({ region, logicalId: s.logicalId, type: s.type, physicalId: name, reason: `a further Firehose stream in ${region}; this package has one per region` });
                continue;
            }
            names.firehoseStream = name;
            add(stack, s, "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream", importId("aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream", idFacts(region, name)), { input: "name", value: name });
        }

        for (const [i, rule] of ofType("AWS::Events::Rule").entries()) {
            const bus = rule.properties.EventBusName;
            if (i > 0 || (bus !== undefined && bus !== "default")) {
                unmatched.push({ region, logicalId: rule.logicalId, type: rule.type, physicalId: rule.physicalId, reason: i > 0 ? `a further rule in ${region}; this package has one per region` : `a rule on event bus '${bus}'; this package's rule is on the default bus` });
                continue;
            }
            const ruleName = rule.physicalId as string;
            names.eventRule = ruleName;
            add(stack, rule, "aws:cloudwatch/eventRule:EventRule", importId("aws:cloudwatch/eventRule:EventRule", idFacts(region, ruleName)), { input: "name", value: ruleName });
            const targets = asList(rule.properties.Targets) as Record<string, unknown>[];
            const target = targets.find((t) => /:firehose:/.test(String(t.Arn))) ?? targets[0];
            if (target?.Id) {
                names.eventTarget = String(target.Id);
                counterparts.push({
                    region, logicalId: `${rule.logicalId}.Targets[${target.Id}]`, cfnType: "AWS::Events::Rule target",
                    pulumiType: "aws:cloudwatch/eventTarget:EventTarget",
                    importId: importId("aws:cloudwatch/eventTarget:EventTarget", idFacts(region, String(target.Id), { ruleName })), match: { input: "targetId", value: String(target.Id) },
                });
            }
            for (const other of targets.filter((t) => t !== target)) notes.push(`rule ${ruleName} has a further target '${other.Id}' with no counterpart: it stays on the rule until you remove it`);
        }

        for (const f of ofType("AWS::EC2::FlowLog")) {
            const live = facts.flowLogs[f.physicalId as string];
            const toBucket = parseS3Arn(live?.destination)?.bucket === bucket;
            if (!live?.vpcId || !toBucket) {
                unmatched.push({ region, logicalId: f.logicalId, type: f.type, physicalId: f.physicalId, reason: live ? `not a VPC flow log to ${bucket}` : "EC2 does not list this flow log" });
                continue;
            }
            (flowLogs[region] ??= []).push(live.vpcId);
            add(stack, f, "aws:ec2/flowLog:FlowLog", importId("aws:ec2/flowLog:FlowLog", idFacts(region, f.physicalId as string)), { input: "vpcId", value: live.vpcId });
        }

        for (const r of stack.resources) {
            if (!claimed.has(key(region, r.logicalId)) && !unmatched.some((u) => u.region === region && u.logicalId === r.logicalId)) {
                unmatched.push({ region, logicalId: r.logicalId, type: r.type, physicalId: r.physicalId, reason: "not a kind of resource this package creates" });
            }
        }
    }

    const regions = [...new Set([...request.regions, ...facts.stacks.map((s) => s.region)])];
    const overrides = nameOverrides(account, regionNames);
    const config: AdoptedConfig = {
        accountId,
        regions: [mainRegion, ...regions.filter((r) => r !== mainRegion)].filter((r): r is string => Boolean(r)),
        mainRegion,
        ...(agentAccountId ? { agentAccountId } : {}),
        ...(agentRoleArns ? { agentRoleArns: [...new Set(agentRoleArns)] } : {}),
        ...(Object.keys(flowLogs).length > 0 ? { flowLogs: Object.fromEntries(Object.entries(flowLogs).map(([r, v]) => [r, [...new Set(v)].sort()])) } : {}),
        ...(Object.keys(overrides).length > 0 ? { names: overrides } : {}),
    };
    if (mainRegions.length > 0 && !agentAccountId && !agentRoleArns) problems.push("the integration role's trust names no account or role that this package can trust");
    return { config, ...(externalId !== undefined ? { externalId } : {}), counterparts, unmatched, problems, notes };
}

/**
 * The collector: one EC2 host (an Auto Scaling group of one) running StackState Agent V2 with the
 * aws_topology check for every monitored account. A function of validated config, so tests can
 * run it any number of times; collector/index.ts calls it once with the stack's config.
 */
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { AgentInstanceProfile } from "../components/agent-instance-profile";
import { managedTags, policyJson } from "../components/common";
import {
    accountIdOf, EXTERNAL_ID_PLACEHOLDER, groupByExternalId, MonitoredAccount, renderAgentConfigFile,
} from "../model/agent-config";
import { CollectorConfig, integrationRolePathOf, rootDeviceProblem } from "../model/collector-config";
import { COLLECTOR_CONFIG_NAMESPACE } from "../model/collector-config-schema";
import { collectorSecretsPolicy } from "../model/collector-policies";
import { collectorEgress, externalIdParameterName, SESSION_MANAGER_POLICY_NAME } from "../model/collector-settings";
import { arnResourceName } from "../model/arn";
import { INTEGRATION_ROLE_NAME } from "../model/names";
import { monitoredAccountFromOutputs, MULTI_ACCOUNT_STACK_OUTPUTS, STACK_OUTPUTS } from "../model/stack-outputs";
import { CheckTemplate, collectorUserData } from "./user-data";

export interface CollectorOutputs {
    /** Put this in the monitored stacks' agentRoleArns. */
    agentRoleArn: pulumi.Output<string>;
    instanceProfileArn: pulumi.Output<string>;
    autoScalingGroupName: pulumi.Output<string>;
    launchTemplateId: pulumi.Output<string>;
    securityGroupId: pulumi.Output<string>;
    monitoredAccountIds: pulumi.Output<string[]>;
    /** SSM parameters holding the ExternalIds, one per monitored account. */
    externalIdParameters: pulumi.Output<string[]>;
    /** The aws_topology files on the host: one per ExternalId. */
    checkFiles: pulumi.Output<{ fileName: string; accountIds: string[] }[]>;
}

/** One monitored account as the program knows it: role ARN in the clear, the rest possibly secret. */
interface AccountSource {
    /**
     * Names the account's resources. It is known before any output resolves and stays with the
     * account when others are added, removed or reordered: a positional name would move an
     * account's parameter to another resource, and AWS refuses to create a parameter whose name
     * the old resource still holds.
     */
    key: string;
    label: string;
    roleArn: pulumi.Output<string>;
    account: pulumi.Output<MonitoredAccount>;
}

export const COLLECTOR_NAME = "stackstate-collector";

/**
 * A monitored stack as the collector finds it before creating anything. A stack of several
 * accounts lists their ids (its accountIds output): each account gets its own resources, so
 * their names must be known up front.
 */
export interface MonitoredStack {
    stackName: string;
    ref: pulumi.StackReference;
    /** Set for a stack of several accounts. */
    accountIds?: string[];
}

const stackReference = (name: string, stackName: string) => new pulumi.StackReference(`${name}-monitored-${stackName}`, { name: stackName });

/** Reads which monitored stacks hold several accounts; collector/index.ts awaits this before collectorProgram. */
export async function readMonitoredStacks(config: CollectorConfig, name = COLLECTOR_NAME): Promise<MonitoredStack[]> {
    return Promise.all(config.monitoredStacks.map(async (stackName) => {
        const ref = stackReference(name, stackName);
        const ids = (await ref.getOutputDetails(MULTI_ACCOUNT_STACK_OUTPUTS.accountIds)).value;
        if (ids !== undefined && !(Array.isArray(ids) && ids.every((id) => typeof id === "string" && /^\d{12}$/.test(id)))) {
            throw new Error(`monitored stack ${stackName}: output ${MULTI_ACCOUNT_STACK_OUTPUTS.accountIds} must be a list of account ids, got ${JSON.stringify(ids)}.`);
        }
        return { stackName, ref, ...(ids !== undefined ? { accountIds: ids as string[] } : {}) };
    }));
}

/**
 * `monitoredStacks`: what readMonitoredStacks found; without it every stack is read as one
 * account's (and referenced here).
 */
export function collectorProgram(config: CollectorConfig, name = COLLECTOR_NAME, stack = pulumi.getStack(), monitoredStacks?: MonitoredStack[]): CollectorOutputs {
    const tags = managedTags(config.tags);
    const accountId = aws.getCallerIdentityOutput().accountId;
    const stacks = monitoredStacks ?? config.monitoredStacks.map((stackName) => ({ stackName, ref: stackReference(name, stackName) }));
    const sources = [...listedAccounts(config), ...stacks.flatMap((s) => stackAccounts(config, s))];
    if (sources.length === 0) {
        pulumi.log.warn("No monitored accounts (accounts, monitoredStacks): the host runs the Agent without the aws_topology check.");
    }

    const roleArns = pulumi.all(sources.map((s) => s.roleArn)).apply((arns) => {
        arns.forEach((arn, i) => {
            if (arnResourceName(arn) !== INTEGRATION_ROLE_NAME) {
                throw new Error(`${sources[i].label}: roleArn ${arn} must name ${INTEGRATION_ROLE_NAME}, the only role the host may assume.`);
            }
        });
        return arns;
    });
    const monitoredAccountIds = roleArns.apply((arns) => arns.map(accountIdOf));
    const integrationRolePath = roleArns.apply((arns) => {
        const paths = [...new Set(arns.map(integrationRolePathOf))];
        if (paths.length > 1) throw new Error(`The monitored accounts' integration roles must share one IAM path, got ${paths.join(", ")}.`);
        return paths[0] ?? "/";
    });
    // Every account checked together (duplicates across config and stacks, ExternalIds, regions)
    // before anything that holds an account's data is created.
    const groups = pulumi.all(sources.map((s) => s.account)).apply((accounts) =>
        accounts.length === 0 ? [] : groupByExternalId(accounts, { label: (i) => sources[i].label }));
    const externalIds = groups.apply((gs): Record<string, string> =>
        Object.fromEntries(gs.flatMap((g) => g.accountIds.map((id) => [id, g.externalId]))));

    const profile = new AgentInstanceProfile(name, {
        monitoredAccountIds,
        integrationRolePath,
        partition: config.partition,
        roleName: config.roleName,
        path: config.rolePath,
        permissionsBoundaryArn: config.permissionsBoundaryArn,
        tags: config.tags,
    });
    const sessionManager = new aws.iam.RolePolicyAttachment(`${name}-session-manager`, {
        role: profile.roleName,
        policyArn: `arn:${config.partition}:iam::aws:policy/${SESSION_MANAGER_POLICY_NAME}`,
    });

    const parameters = sources.map((source) => new aws.ssm.Parameter(`${name}-external-id-${source.key}`, {
        name: source.roleArn.apply((arn) => externalIdParameterName(stack, accountIdOf(arn))),
        description: source.roleArn.apply((arn) => `ExternalId of ${arn}, read by the StackState collector host.`),
        type: "SecureString",
        value: pulumi.secret(pulumi.all([externalIds, source.roleArn]).apply(([byAccount, arn]) => byAccount[accountIdOf(arn)])),
        keyId: config.kmsKeyArn,
        tags,
    }));
    const parameterNames = pulumi.all(parameters.map((p) => p.name));
    const readSecrets = new aws.iam.RolePolicy(`${name}-read-secrets`, {
        name: "ReadStackStateSecrets",
        role: profile.roleName,
        policy: policyJson(pulumi.all([accountId, parameterNames]).apply(([account, names]) => collectorSecretsPolicy({
            partition: config.partition,
            region: config.region,
            accountId: account,
            parameterNames: [config.apiKeyParameter, ...names],
            kmsKeyArn: config.kmsKeyArn,
        }))),
    });

    // The templates hold the placeholder, not the ExternalId; only their grouping derives from the
    // secrets (which accounts share one), so the user data is deliberately not a secret.
    const templates = pulumi.unsecret(groups.apply((gs) => gs.map((group): CheckTemplate => ({
        fileName: group.fileName,
        parameterName: externalIdParameterName(stack, group.accountIds[0]),
        content: renderAgentConfigFile(group, { fullRunInterval: config.fullRunInterval, externalId: EXTERNAL_ID_PLACEHOLDER }),
    }))));
    const userData = templates.apply((ts) => collectorUserData({
        stackStateUrl: config.stackStateUrl,
        apiKeyParameter: config.apiKeyParameter,
        region: config.region,
        agentVersion: config.agentVersion,
        proxyUrl: config.proxyUrl,
        noProxy: config.noProxy,
    }, ts));

    const vpcId = pulumi.all(config.subnetIds.map((id) => aws.ec2.getSubnetOutput({ id }).vpcId)).apply((ids) => {
        if (new Set(ids).size > 1) throw new Error(`${COLLECTOR_CONFIG_NAMESPACE}:subnetIds must all be in one VPC, got ${config.subnetIds.map((s, i) => `${s} in ${ids[i]}`).join(", ")}.`);
        return ids[0];
    });
    const securityGroup = new aws.ec2.SecurityGroup(`${name}-sg`, {
        vpcId,
        description: "StackState collector: no inbound rules; outbound only what the Agent needs.",
        // Both lists are managed: an inbound rule added by hand is removed on the next update.
        ingress: [],
        egress: collectorEgress(config.stackStateUrl, config.proxyUrl).map((rule) => ({
            protocol: "tcp",
            fromPort: rule.port,
            toPort: rule.port,
            cidrBlocks: ["0.0.0.0/0"],
            description: rule.description,
        })),
        tags: tags.apply((t) => ({ Name: name, ...t })),
    });

    const imageId = aws.ssm.getParameterOutput({ name: config.amiParameter }).insecureValue;
    // Only a mapping for the AMI's own root device encrypts the root volume; any other name adds
    // a second, encrypted disk and leaves the root as the AMI has it. So check it before launching.
    const checkedImageId = pulumi.all([imageId, aws.ec2.getAmiOutput({ filters: [{ name: "image-id", values: [imageId] }] })])
        .apply(([id, ami]) => {
            const problem = rootDeviceProblem(config.rootDeviceName, {
                imageId: id, amiParameter: config.amiParameter, rootDeviceName: ami.rootDeviceName, rootDeviceType: ami.rootDeviceType,
            });
            if (problem) throw new Error(problem);
            return id;
        });

    const instanceTags = tags.apply((t) => ({ Name: name, ...t }));
    const launchTemplate = new aws.ec2.LaunchTemplate(`${name}-template`, {
        description: "StackState collector host: Agent V2 with the aws_topology check.",
        imageId: checkedImageId,
        instanceType: config.instanceType,
        iamInstanceProfile: { arn: profile.instanceProfileArn },
        vpcSecurityGroupIds: [securityGroup.id],
        // No key pair: the host has no inbound rule, and Session Manager is the way in.
        metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1, instanceMetadataTags: "disabled" },
        blockDeviceMappings: [{
            deviceName: config.rootDeviceName,
            ebs: { encrypted: "true", volumeSize: config.rootVolumeSize, volumeType: "gp3", deleteOnTermination: "true" },
        }],
        userData,
        updateDefaultVersion: true,
        tagSpecifications: ["instance", "volume", "network-interface"].map((resourceType) => ({ resourceType, tags: instanceTags })),
        tags,
    });

    const group = new aws.autoscaling.Group(`${name}-asg`, {
        minSize: 1,
        maxSize: 1,
        desiredCapacity: 1,
        vpcZoneIdentifiers: config.subnetIds,
        launchTemplate: { id: launchTemplate.id, version: launchTemplate.latestVersion.apply(String) },
        healthCheckType: "EC2",
        healthCheckGracePeriod: 300,
        // A new template version (new accounts, settings) replaces the host.
        instanceRefresh: { strategy: "Rolling", preferences: { minHealthyPercentage: 0 } },
        tags: tags.apply((t) => Object.entries(t).map(([key, value]) => ({ key, value, propagateAtLaunch: false }))),
    }, { dependsOn: [readSecrets, sessionManager, ...parameters] });

    return {
        agentRoleArn: profile.roleArn,
        instanceProfileArn: profile.instanceProfileArn,
        autoScalingGroupName: group.name,
        launchTemplateId: launchTemplate.id,
        securityGroupId: securityGroup.id,
        monitoredAccountIds,
        externalIdParameters: parameterNames,
        checkFiles: pulumi.unsecret(groups.apply((gs) => gs.map((g) => ({ fileName: g.fileName, accountIds: g.accountIds })))),
    };
}

function listedAccounts(config: CollectorConfig): AccountSource[] {
    return config.accounts.map((account, i) => ({
        key: `account-${accountIdOf(account.roleArn)}`,
        label: `accounts[${i}]`,
        roleArn: pulumi.output(account.roleArn),
        account: pulumi.secret({ ...account, collectionInterval: account.collectionInterval ?? config.collectionInterval }),
    }));
}

const AGENT_OUTPUTS = [STACK_OUTPUTS.accountId, STACK_OUTPUTS.roleArn, STACK_OUTPUTS.externalId, STACK_OUTPUTS.regions, STACK_OUTPUTS.bucketName];

/** One account from its outputs (a stack's own, or one entry of a stack of several accounts' `accounts`). */
function accountSource(config: CollectorConfig, key: string, label: string, outputs: pulumi.Output<Record<string, unknown>>): AccountSource {
    const account = pulumi.secret(outputs.apply((values) => {
        const { account: found, problems } = monitoredAccountFromOutputs(values);
        if (!found) throw new Error(`${label}: ${problems.join("; ")}.`);
        return { ...found, collectionInterval: config.collectionInterval };
    }));
    // Read beside the ExternalId, but not a secret: it names the account's parameter and policy.
    const roleArn = pulumi.unsecret(outputs.apply((values) => {
        const arn = values[STACK_OUTPUTS.roleArn];
        if (typeof arn !== "string") throw new Error(`${label}: output ${STACK_OUTPUTS.roleArn} is missing.`);
        return arn;
    }));
    return { key, label, roleArn, account };
}

/** Accounts read from a monitored-account stack: its outputs, as `agent-config --outputs` reads them. */
function stackAccounts(config: CollectorConfig, { stackName, ref, accountIds }: MonitoredStack): AccountSource[] {
    const label = `monitored stack ${stackName}`;
    if (accountIds === undefined) {
        const outputs = pulumi.all(Object.fromEntries(AGENT_OUTPUTS.map((output) => [output, ref.getOutput(output)])));
        return [accountSource(config, `stack-${stackName}`, label, outputs as pulumi.Output<Record<string, unknown>>)];
    }
    const accounts = ref.getOutput(MULTI_ACCOUNT_STACK_OUTPUTS.accounts);
    return accountIds.map((id) => accountSource(config, `stack-${stackName}-${id}`, `${label}, account ${id}`,
        accounts.apply((all: unknown) => {
            const entry = (all as Record<string, unknown> | undefined)?.[id];
            if (!entry || typeof entry !== "object") throw new Error(`${label}: output ${MULTI_ACCOUNT_STACK_OUTPUTS.accounts} has no account ${id}, which ${MULTI_ACCOUNT_STACK_OUTPUTS.accountIds} lists.`);
            return entry as Record<string, unknown>;
        })));
}

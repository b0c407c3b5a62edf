/**
 * The monitored-account program: `pulumi up` in one stack per monitored AWS account, or in one
 * stack for many (`accounts`). Stack config → validated arguments (model/config.ts) →
 * StackStateAwsIntegration per account → outputs.
 */
import * as pulumi from "@pulumi/pulumi";
import { StackStateAwsIntegration } from "./components";
import { AccountIntegrationConfig, IntegrationConfig, rawConfigFromStackConfig, validateIntegrationConfig } from "./model";

// allConfig, not Config.get per key: unknown keys (typos) must be reported, not ignored.
const config = validateIntegrationConfig(rawConfigFromStackConfig(pulumi.runtime.allConfig()));

/** What the Agent, the collector and `agent-config` read of one account (model/stack-outputs.ts). */
function accountOutputs(integration: StackStateAwsIntegration) {
    return {
        accountId: integration.accountId,
        roleArn: integration.roleArn,
        externalId: integration.externalId,
        regions: integration.regions,
        mainRegion: integration.mainRegion,
        bucketName: integration.bucketName,
        bucketArn: integration.bucketArn,
        streamArns: integration.streamArns,
        agentInstance: integration.agentInstance,
    };
}

/**
 * What every account of the stack shares: the config less what each account has of its own, so a
 * stack-wide key added later reaches every account without being listed here.
 */
function stackArgs(c: IntegrationConfig) {
    const {
        accounts: _accounts, accountId: _accountId, regions: _regions, mainRegion: _mainRegion, partition: _partition,
        externalId: _externalId, flowLogs: _flowLogs, tags: _tags, deployRoleArn: _deployRoleArn, deployRoleName: _deployRoleName,
        names: _names, permissionsBoundaryArn: _boundary, ...shared
    } = c;
    return shared;
}

/**
 * One component per account, named by its account id, so adding, removing or reordering accounts
 * leaves every other account's resources (URNs) as they were. Outputs are keyed by account.
 */
function deployAccounts(c: IntegrationConfig, accounts: AccountIntegrationConfig[]) {
    const deployed = Object.fromEntries(accounts.map((account) => {
        const integration = new StackStateAwsIntegration(`stackstate-${account.accountId}`, {
            ...stackArgs(c),
            accountId: account.accountId,
            regions: account.regions,
            mainRegion: account.mainRegion,
            externalId: account.externalId,
            flowLogs: account.flowLogs,
            tags: account.tags,
            deployRoleArn: account.deployRoleArn,
            permissionsBoundaryArn: account.permissionsBoundaryArn,
        });
        return [account.accountId, accountOutputs(integration)];
    }));
    return { accountIds: accounts.map((a) => a.accountId), accounts: deployed };
}

export = config.accounts
    ? deployAccounts(config, config.accounts)
    : accountOutputs(new StackStateAwsIntegration("stackstate", config));

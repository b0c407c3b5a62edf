/**
 * Facts the collector host rests on: where the Agent comes from, which version, the names of the
 * secrets it reads, and the only network traffic it needs.
 */

/** StackState's install script for Agent V2 (docs/stackstate-integration.md#the-agent-side). */
export const AGENT_INSTALL_SCRIPT_URL = "https://stackstate-agent-2.s3.amazonaws.com/install.sh";

/**
 * The Agent V2 package the host pins. The aws_topology check ships with builds of the
 * integrations up to 1.24.8 and was removed later (docs/stackstate-integration.md#the-agent-side); 2.16.0 (released 2022-03-11)
 * is the newest V2 release whose bundled integrations (1.18, with `collection_interval`) could be
 * confirmed offline. The host refuses to start the check on a build without it.
 */
export const DEFAULT_AGENT_VERSION = "2.16.0";

/** AWS's public parameter for the latest Amazon Linux 2023 AMI (x86_64). */
export const DEFAULT_AMI_PARAMETER = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64";
/** Root device of Amazon Linux AMIs; Ubuntu's is /dev/sda1. */
export const DEFAULT_ROOT_DEVICE_NAME = "/dev/xvda";
export const DEFAULT_INSTANCE_TYPE = "t3.medium";
export const DEFAULT_ROOT_VOLUME_GIB = 20;

/** Session Manager access (the host has no SSH key and no inbound rule). */
export const SESSION_MANAGER_POLICY_NAME = "AmazonSSMManagedInstanceCore";

/** Instance metadata and the ECS/credentials endpoint are link-local: never through a proxy. */
export const ALWAYS_NO_PROXY: readonly string[] = ["169.254.169.254", "169.254.170.2", "localhost", "127.0.0.1"];

/** The SSM SecureString parameter holding one monitored account's ExternalId. */
export function externalIdParameterName(stack: string, accountId: string): string {
    return `/stackstate-aws/${stack}/external-id/${accountId}`;
}

/** Parameter ARNs name the parameter without its leading slash. */
export function ssmParameterArn(partition: string, region: string, accountId: string, name: string): string {
    return `arn:${partition}:ssm:${region}:${accountId}:parameter/${name.replace(/^\//, "")}`;
}

function portOf(url: URL): number {
    if (url.port !== "") return Number(url.port);
    return url.protocol === "http:" ? 80 : 443;
}

export interface EgressRule {
    port: number;
    description: string;
}

/**
 * TCP ports the host must reach, ascending. 443: AWS APIs (STS, SSM, the services the check
 * reads), the Agent's package repository and install script, Session Manager. With a proxy, its
 * port too (StackState and the check's AWS calls go through it); without one, StackState's port
 * when it is not 443. DNS, NTP and instance metadata go to link-local addresses that security
 * groups do not filter.
 */
export function collectorEgress(stackStateUrl: string, proxyUrl?: string): EgressRule[] {
    const rules = new Map<number, string>([[443, "HTTPS: AWS APIs, Agent packages, Session Manager"]]);
    const add = (port: number, what: string) => rules.set(port, rules.has(port) ? `${rules.get(port)}, ${what}` : what);
    if (proxyUrl !== undefined) add(portOf(new URL(proxyUrl)), "HTTP proxy");
    else add(portOf(new URL(stackStateUrl)), "StackState receiver");
    return [...rules].sort(([a], [b]) => a - b).map(([port, description]) => ({ port, description }));
}

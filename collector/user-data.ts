/**
 * The host's user data: a cloud-config that writes the settings, the aws_topology templates and
 * the bootstrap script (run by cloud-init on every boot). Pure, so tests can materialise it into
 * a scratch root and run the script. It carries no secret: parameter names and placeholders only.
 */
import { readFileSync } from "fs";
import * as path from "path";
import { gzipSync } from "zlib";
import YAML from "yaml";
import { ALWAYS_NO_PROXY } from "../model/collector-settings";

export const HOST_PATHS = {
    settings: "/etc/stackstate-aws/collector.env",
    templates: "/etc/stackstate-aws/aws_topology",
    /** cloud-init runs scripts here on every boot, the first included. */
    script: "/var/lib/cloud/scripts/per-boot/stackstate-aws-collector.sh",
} as const;

export const BOOTSTRAP_SCRIPT = path.join(__dirname, "bootstrap.sh");

/** EC2's limit on user data, before base64. */
export const USER_DATA_LIMIT_BYTES = 16384;

export interface HostSettings {
    stackStateUrl: string;
    apiKeyParameter: string;
    region: string;
    agentVersion: string;
    proxyUrl?: string;
    noProxy?: string[];
}

/** One aws_topology file: its template (ExternalId as placeholder) and the parameter holding the ExternalId. */
export interface CheckTemplate {
    fileName: string;
    parameterName: string;
    content: string;
}

/** The bootstrap script (its URL, placeholder and paths are checked against the model by a test). */
export function bootstrapScript(): string {
    return readFileSync(BOOTSTRAP_SCRIPT, "utf8");
}

/** Shell assignment with the value single-quoted, so sourcing it runs nothing. */
function assignment(name: string, value: string): string {
    return `${name}='${value.replace(/'/g, `'\\''`)}'`;
}

export function settingsFile(settings: HostSettings): string {
    const noProxy = settings.proxyUrl ? [...new Set([...ALWAYS_NO_PROXY, ...(settings.noProxy ?? [])])] : [];
    return [
        "# Written by stackstate-aws (collector user data). No secrets: the host reads them from SSM.",
        assignment("STS_URL", settings.stackStateUrl),
        assignment("API_KEY_PARAMETER", settings.apiKeyParameter),
        assignment("AWS_REGION_NAME", settings.region),
        assignment("AGENT_VERSION", settings.agentVersion),
        assignment("PROXY_URL", settings.proxyUrl ?? ""),
        assignment("NO_PROXY_LIST", noProxy.join(",")),
        "",
    ].join("\n");
}

export function manifestFile(templates: CheckTemplate[]): string {
    return templates.map((t) => `${t.fileName} ${t.parameterName}\n`).join("");
}

/** The cloud-config text. */
export function collectorCloudConfig(settings: HostSettings, templates: CheckTemplate[]): string {
    const files = [
        { path: HOST_PATHS.settings, permissions: "0644", content: settingsFile(settings) },
        { path: `${HOST_PATHS.templates}/manifest`, permissions: "0644", content: manifestFile(templates) },
        ...templates.map((t) => ({ path: `${HOST_PATHS.templates}/${t.fileName}`, permissions: "0644", content: t.content })),
        { path: HOST_PATHS.script, permissions: "0755", content: bootstrapScript() },
    ];
    return `#cloud-config\n${YAML.stringify({ write_files: files }, { lineWidth: 0 })}`;
}

/**
 * User data as EC2 takes it (base64). cloud-init accepts gzip-compressed user data, which keeps
 * many accounts within EC2's 16 KB; used only when the plain text does not fit.
 */
export function collectorUserData(settings: HostSettings, templates: CheckTemplate[]): string {
    const text = Buffer.from(collectorCloudConfig(settings, templates), "utf8");
    if (text.length <= USER_DATA_LIMIT_BYTES) return text.toString("base64");
    const compressed = gzipSync(text, { level: 9 });
    if (compressed.length > USER_DATA_LIMIT_BYTES) {
        throw new Error(`The collector's user data is ${compressed.length} bytes gzip-compressed; EC2 allows ${USER_DATA_LIMIT_BYTES}. Split the monitored accounts over more collector stacks.`);
    }
    return compressed.toString("base64");
}

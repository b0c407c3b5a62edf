/** The policy-pack host's vocabulary: what it asks a pack, what a pack answers, what `plan` prints. */

export type EnforcementLevel = "advisory" | "mandatory" | "remediate" | "disabled";
export const ENFORCEMENT_LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

/** One finding, as `plan` prints it. */
export interface Violation {
    policy: string;
    enforcementLevel: EnforcementLevel;
    urn: string;
    /** The policy's message, without the policy description the pack prefixes to it. */
    message: string;
}

export type JsonSchema = Record<string, unknown>;

export interface PolicyInfo {
    name: string;
    description: string;
    enforcementLevel: EnforcementLevel;
    type: "resource" | "stack" | "unknown";
    configSchema?: { properties: Record<string, JsonSchema>; required: string[] };
}

export interface AnalyzerInfo {
    name: string;
    version: string;
    supportsConfig: boolean;
    policies: PolicyInfo[];
}

/** A policy's resolved configuration, as sent with Configure. */
export interface PolicyConfig {
    enforcementLevel: EnforcementLevel;
    properties: Record<string, unknown>;
}

/** A `--policy-pack-config` file: per policy (or "all"), a level or settings with an optional level. */
export type PolicyPackConfigFile = Record<string, EnforcementLevel | Record<string, unknown>>;

/** A resource as the engine describes it to an analyzer. Properties are wire values (secrets and unknowns marked). */
export interface AnalyzerResource {
    urn: string;
    type: string;
    name: string;
    properties: Record<string, unknown>;
    provider?: { urn: string; type: string; name: string; properties: Record<string, unknown> };
    parent?: string;
    dependencies?: string[];
    propertyDependencies?: Record<string, string[]>;
}

export interface Diagnostic {
    policy: string;
    description: string;
    /** The text the pack reports (for a plain violation: the description, a newline, the message). */
    message: string;
    enforcementLevel: EnforcementLevel;
    urn: string;
}

export interface Remediation {
    policy: string;
    description: string;
    /** The resource's properties after the remediation (wire values), when it changed them. */
    properties?: Record<string, unknown>;
    /** Why the remediation could not run (e.g. unknown values in a preview). */
    diagnostic?: string;
}

export interface LaunchOptions {
    /** The pack folder (holds PulumiPolicy.yaml). Default: this package's `policies/`. */
    packDir?: string;
    organization?: string;
    project?: string;
    stack?: string;
    /** A preview (true) or an update (false). Default: true, as for `pulumi preview --policy-pack`. */
    dryRun?: boolean;
    /** Stack config (`project:key` → value), passed as PULUMI_CONFIG and with ConfigureStack. */
    stackConfig?: Record<string, string>;
    /** Environment of the pack process. Default: this process's environment. */
    env?: NodeJS.ProcessEnv;
    /** Milliseconds to wait for the port. Default: 60000. */
    startTimeoutMs?: number;
}

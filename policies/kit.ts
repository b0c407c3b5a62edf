/**
 * What every policy in the pack shares: reading properties that may be unknown during a preview,
 * naming resources in messages, finding the resources another one refers to, and reporting at an
 * explicit enforcement level.
 */
import {
    EnforcementLevel, PolicyResource, ReportViolation, ResourceRemediation, ResourceValidation, ResourceValidationArgs,
    StackValidation, StackValidationArgs,
} from "@pulumi/policy";

export type Props = Record<string, unknown>;

/**
 * The sentinels a preview sends for values not known yet. `@pulumi/policy` keeps them internal
 * (its proxy throws on reading one); we read them from that module so the set stays its own.
 */
const UNKNOWN_SENTINELS: ReadonlySet<unknown> = new Set(
    Object.entries(require("@pulumi/policy/proxy") as Record<string, unknown>)
        .filter(([key]) => /^unknown[A-Z]\w*Value$/.test(key))
        .map(([, value]) => value),
);

export function isUnknown(value: unknown): boolean {
    return UNKNOWN_SENTINELS.has(value);
}

/** True when the value, or anything inside it, is unknown. */
export function hasUnknown(value: unknown): boolean {
    if (isUnknown(value)) return true;
    if (Array.isArray(value)) return value.some(hasUnknown);
    if (value && typeof value === "object") return Object.values(value).some(hasUnknown);
    return false;
}

/**
 * The plain properties behind `@pulumi/policy`'s unknown-checking proxy, so a policy can decide
 * itself what an unknown value means instead of the whole policy being skipped.
 */
export function rawProps(props: Props): Props {
    const target = (props as { __getSpecialProxyTarget?: Props }).__getSpecialProxyTarget;
    return target && typeof target === "object" ? target : props;
}

/** A known string, or undefined (absent or unknown). */
export function knownString(value: unknown): string | undefined {
    return typeof value === "string" && !isUnknown(value) ? value : undefined;
}

export function knownNumber(value: unknown): number | undefined {
    return typeof value === "number" ? value : undefined;
}

export function asObject(value: unknown): Props | undefined {
    return value && typeof value === "object" && !Array.isArray(value) ? (value as Props) : undefined;
}

export function asList(value: unknown): unknown[] {
    if (value === undefined || value === null) return [];
    return Array.isArray(value) ? value : [value];
}

/** "IAM role 'StackStateAwsIntegrationRole' (integration-role)": the AWS name, and the Pulumi name when it differs. */
export function describe(kind: string, logicalName: string, physicalName?: string): string {
    if (!physicalName || physicalName === logicalName) return `${kind} '${logicalName}'`;
    return `${kind} '${physicalName}' (${logicalName})`;
}

/**
 * Does `from`'s property `key` refer to `to`? By a property dependency on `to` (the only way to tell
 * during a preview, when the value is not known yet), or by value (the property, or an entry of it,
 * equals one of `to`'s identifying values: name, id, ARN). When a single-valued property depends
 * on a resource of `to`'s type, that decides: two roles of one name (one per account) share their
 * values. A list may name some entries by dependency and others by value.
 */
export function refersTo(from: PolicyResource, key: string, to: PolicyResource, identities: (string | undefined)[]): boolean {
    const sameType = (from.propertyDependencies[key] ?? []).filter((dep) => dep.type === to.type);
    if (sameType.some((dep) => dep === to || dep.urn === to.urn)) return true;
    if (sameType.length > 0 && !Array.isArray(rawProps(from.props)[key])) return false;
    const wanted = identities.filter((v): v is string => v !== undefined);
    return asList(rawProps(from.props)[key]).some((v) => typeof v === "string" && wanted.includes(v));
}

/** Resources of a type, by type token. */
export function ofType(resources: PolicyResource[], type: string): PolicyResource[] {
    return resources.filter((r) => r.type === type);
}

/**
 * A resource validation for one type that the server can skip for every other type without
 * deserialising the resource: `@pulumi/policy` looks for `__pulumiType` on the function, which
 * `validateResourceOfType` sets from a resource class. Taking the token avoids loading the whole
 * AWS SDK into the pack.
 */
export function validateType(
    type: string,
    validate: (props: Props, args: ResourceValidationArgs, report: ReportViolation) => void | Promise<void>,
): ResourceValidation {
    const fn = (args: ResourceValidationArgs, report: ReportViolation) =>
        (args.type === type ? validate(args.props, args, report) : undefined);
    return Object.assign(fn, { __pulumiType: type });
}

/**
 * A stack validation the server skips, without deserialising the stack, when no resource has the
 * type: `@pulumi/policy` reads `__pulumiType` on the function (as `validateStackResourcesOfType`
 * sets it). Every stack policy costs a full deserialisation of the stack otherwise.
 */
export function validateStackOfType(type: string, validate: StackValidation): StackValidation {
    return Object.assign((args: StackValidationArgs, report: ReportViolation) => validate(args, report), { __pulumiType: type });
}

/** The remediation counterpart of `validateType`. */
export function remediateType(
    type: string,
    remediate: (props: Props, args: ResourceValidationArgs) => Props | undefined | Promise<Props | undefined>,
): ResourceRemediation {
    const fn = (args: ResourceValidationArgs) => (args.type === type ? remediate(args.props, args) : undefined);
    return Object.assign(fn, { __pulumiType: type });
}

/**
 * Reports at an explicit level (e.g. advisory for "could not be decided" from a mandatory policy).
 * The server accepts an object here (server.js `makeReportViolationFun`); the published type only
 * declares the string form. The description is prefixed as for a plain violation, so every
 * message of the pack reads the same.
 */
export function reportAtLevel(report: ReportViolation, level: EnforcementLevel, description: string, message: string, urn?: string): void {
    const reportObject = report as unknown as (v: { message: string; enforcementLevel: EnforcementLevel; urn?: string }) => void;
    reportObject({ message: `${description}\n${message}`, enforcementLevel: level, urn });
}

/** The dotted paths (e.g. "extendedS3Configuration.prefix") whose value is, or contains, an unknown. */
export function unknownPaths(props: Props, paths: string[]): string[] {
    return paths.filter((path) => hasUnknown(path.split(".").reduce<unknown>((value, key) => {
        if (isUnknown(value)) return value;
        return asObject(value)?.[key];
    }, props)));
}

/**
 * Reports at advisory level that a check could not run because values are not known yet (during a
 * preview, outputs of resources still to be created); AnalyzeStack runs again after `pulumi up`.
 */
export function reportUnknown(report: ReportViolation, description: string, subject: string, paths: string[], urn?: string): void {
    const list = paths.join(", ");
    reportAtLevel(report, "advisory", description,
        `${subject} could not be checked: ${list} ${paths.length === 1 ? "is" : "are"} not known until deployment. It is checked again after \`pulumi up\`.`, urn);
}

/** A string setting from config, else the default (config defaults are filled by the CLI, not the SDK). */
export function stringSetting(config: Props, key: string, fallback: string): string {
    const value = config[key];
    return typeof value === "string" && value !== "" ? value : fallback;
}

export function listSetting(config: Props, key: string): string[] {
    const value = config[key];
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

export function booleanSetting(config: Props, key: string, fallback: boolean): boolean {
    const value = config[key];
    return typeof value === "boolean" ? value : fallback;
}

/**
 * Reading a CloudFormation template as CloudFormation would: YAML or JSON, the short-form tags
 * (`!Ref`, `!Sub`...) as their `Fn::` forms, conditions evaluated and intrinsic functions
 * resolved against a stack's parameters, pseudo parameters and physical ids. What cannot be
 * resolved offline (most `Fn::GetAtt`s, imports) stays `undefined`, so a comparison that needs
 * it says it could not decide rather than guessing.
 */
import { parse, Tags, YAMLMap, YAMLSeq } from "yaml";

export interface CfnResource {
    Type: string;
    Properties?: Record<string, unknown>;
    Condition?: string;
    DeletionPolicy?: string;
    UpdateReplacePolicy?: string;
    DependsOn?: unknown;
}

export interface CfnTemplate {
    Parameters?: Record<string, { Type?: string; Default?: unknown; NoEcho?: boolean | string }>;
    Conditions?: Record<string, unknown>;
    Resources: Record<string, CfnResource>;
    [key: string]: unknown;
}

const FUNCTION_TAGS = [
    "Base64", "Cidr", "FindInMap", "GetAZs", "ImportValue", "Join", "Select", "Split", "Sub", "Transform",
    "And", "Equals", "If", "Not", "Or",
];

function tag(name: string, toValue: (value: unknown) => unknown): Tags[number][] {
    const make = (collection?: "map" | "seq") => ({
        tag: `!${name}`,
        ...(collection ? { collection } : {}),
        resolve: (value: unknown) => toValue(value instanceof YAMLMap || value instanceof YAMLSeq ? value.toJSON() : value),
    });
    return [make(), make("seq"), make("map")] as unknown as Tags[number][];
}

const CFN_TAGS: Tags = [
    ...tag("Ref", (v) => ({ Ref: v })),
    ...tag("Condition", (v) => ({ Condition: v })),
    ...tag("GetAtt", (v) => ({ "Fn::GetAtt": typeof v === "string" ? [v.slice(0, v.indexOf(".")), v.slice(v.indexOf(".") + 1)] : v })),
    ...FUNCTION_TAGS.flatMap((name) => tag(name, (v) => ({ [`Fn::${name}`]: v }))),
];

export class TemplateError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "TemplateError";
    }
}

/** A template body as GetTemplate returns it (YAML or JSON text). */
export function parseTemplate(body: string): CfnTemplate {
    let document: unknown;
    try {
        document = parse(body, { customTags: CFN_TAGS, prettyErrors: false });
    } catch (error) {
        throw new TemplateError(`the template is neither JSON nor YAML: ${(error as Error).message.split("\n")[0]}`);
    }
    const resources = (document as CfnTemplate | null)?.Resources;
    if (!resources || typeof resources !== "object" || Array.isArray(resources)) {
        throw new TemplateError("the template has no Resources map");
    }
    return document as CfnTemplate;
}

export interface ResolveContext {
    parameters: Record<string, string>;
    accountId: string;
    region: string;
    partition: string;
    stackName: string;
    /** Logical id → physical id, for `Ref` to a resource. */
    physicalIds: Record<string, string>;
    /** Logical id → `Fn::GetAtt` attributes known offline (e.g. an ARN built from the physical id). */
    attributes?: Record<string, Record<string, string>>;
    conditions?: Record<string, boolean>;
}

function pseudo(ctx: ResolveContext, name: string): string | undefined {
    switch (name) {
        case "AWS::AccountId": return ctx.accountId;
        case "AWS::Region": return ctx.region;
        case "AWS::Partition": return ctx.partition;
        case "AWS::StackName": return ctx.stackName;
        case "AWS::URLSuffix": return "amazonaws.com";
        default: return undefined;
    }
}

function ref(ctx: ResolveContext, name: string): string | undefined {
    return pseudo(ctx, name) ?? ctx.parameters[name] ?? ctx.physicalIds[name];
}

const NO_VALUE = Symbol("AWS::NoValue");

/** The value with every intrinsic function replaced by its result; `undefined` where unknown. */
export function resolve(value: unknown, ctx: ResolveContext): unknown {
    const result = resolveInner(value, ctx);
    return result === NO_VALUE ? undefined : result;
}

function resolveInner(value: unknown, ctx: ResolveContext): unknown {
    if (Array.isArray(value)) return value.map((v) => resolveInner(v, ctx)).filter((v) => v !== NO_VALUE);
    if (!value || typeof value !== "object") return value;
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 1) {
        const [fn, arg] = entries[0];
        if (fn === "Ref") return arg === "AWS::NoValue" ? NO_VALUE : ref(ctx, String(arg));
        if (fn === "Fn::Sub") return sub(arg, ctx);
        if (fn === "Fn::Join" && Array.isArray(arg)) {
            const parts = resolveInner(arg[1], ctx);
            return Array.isArray(parts) && parts.every((p) => typeof p === "string") ? parts.join(String(arg[0])) : undefined;
        }
        if (fn === "Fn::GetAtt" && Array.isArray(arg)) return ctx.attributes?.[String(arg[0])]?.[String(arg[1])];
        if (fn === "Fn::If" && Array.isArray(arg)) {
            const holds = ctx.conditions?.[String(arg[0])];
            return holds === undefined ? undefined : resolveInner(holds ? arg[1] : arg[2], ctx);
        }
        if (fn === "Fn::Select" && Array.isArray(arg)) {
            const list = resolveInner(arg[1], ctx);
            return Array.isArray(list) ? list[Number(resolveInner(arg[0], ctx))] : undefined;
        }
        if (fn.startsWith("Fn::")) return undefined;
    }
    return Object.fromEntries(entries.map(([k, v]) => [k, resolveInner(v, ctx)]).filter(([, v]) => v !== NO_VALUE));
}

function sub(arg: unknown, ctx: ResolveContext): string | undefined {
    const [text, variables] = Array.isArray(arg) ? [arg[0], arg[1] as Record<string, unknown>] : [arg, {}];
    if (typeof text !== "string") return undefined;
    let unknown = false;
    const out = text.replace(/\$\{(!?)([^}]+)\}/g, (whole, literal: string, name: string) => {
        if (literal) return `\${${name}}`;
        const own = variables && name in variables ? resolveInner(variables[name], ctx) : undefined;
        const [logical, attribute] = name.includes(".") && !name.startsWith("AWS::") ? name.split(/\.(.+)/) : [name, undefined];
        const value = own ?? (attribute ? ctx.attributes?.[logical]?.[attribute] : ref(ctx, name));
        if (typeof value !== "string") {
            unknown = true;
            return whole;
        }
        return value;
    });
    return unknown ? undefined : out;
}

/** Each condition's truth for these parameters; `undefined` where it cannot be decided. */
export function evaluateConditions(template: CfnTemplate, ctx: ResolveContext): Record<string, boolean> {
    const results: Record<string, boolean> = {};
    const evaluate = (expr: unknown, seen: string[]): boolean | undefined => {
        if (typeof expr === "boolean") return expr;
        if (!expr || typeof expr !== "object") return undefined;
        const [fn, arg] = Object.entries(expr as Record<string, unknown>)[0] ?? [];
        const args = Array.isArray(arg) ? arg : [];
        switch (fn) {
            case "Condition": return named(String(arg), seen);
            case "Fn::Equals": {
                const [a, b] = args.map((v) => resolve(v, ctx));
                return a === undefined || b === undefined ? undefined : String(a) === String(b);
            }
            case "Fn::Not": { const v = evaluate(args[0], seen); return v === undefined ? undefined : !v; }
            case "Fn::And": { const vs = args.map((v) => evaluate(v, seen)); return vs.includes(false) ? false : vs.includes(undefined) ? undefined : true; }
            case "Fn::Or": { const vs = args.map((v) => evaluate(v, seen)); return vs.includes(true) ? true : vs.includes(undefined) ? undefined : false; }
            default: return undefined;
        }
    };
    const named = (name: string, seen: string[]): boolean | undefined => {
        if (name in results) return results[name];
        if (seen.includes(name)) return undefined;
        const value = evaluate(template.Conditions?.[name], [...seen, name]);
        if (value !== undefined) results[name] = value;
        return value;
    };
    for (const name of Object.keys(template.Conditions ?? {})) named(name, []);
    return results;
}

/** Metadata the retaining update adds to each resource. */
export const ADOPTION_METADATA_KEY = "stackstate-aws";

/**
 * The template with every resource retained when deleted or replaced, as JSON text CloudFormation
 * accepts. Each resource also gains a metadata entry: CloudFormation has been known to skip an
 * update whose only change is a DeletionPolicy, and metadata changes no physical resource.
 */
export function withRetainedResources(template: CfnTemplate): string {
    const resources = Object.fromEntries(Object.entries(template.Resources).map(([id, resource]) => [
        id, {
            ...resource,
            Metadata: { ...((resource as { Metadata?: object }).Metadata ?? {}), [ADOPTION_METADATA_KEY]: { adopted: "retained for adoption by Pulumi" } },
            DeletionPolicy: "Retain",
            UpdateReplacePolicy: "Retain",
        },
    ]));
    return JSON.stringify({ ...template, Resources: resources });
}

/** Logical ids of resources that a deletion of the stack would delete. */
export function unretainedResources(template: CfnTemplate): string[] {
    return Object.entries(template.Resources).filter(([, r]) => r.DeletionPolicy !== "Retain").map(([id]) => id);
}

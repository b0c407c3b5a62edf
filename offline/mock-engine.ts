/**
 * Runs Pulumi code under Pulumi's own mock engine and records every resource registration as
 * the engine would see it: type, name, URN, parent, provider, inputs and dependencies.
 */
import * as pulumi from "@pulumi/pulumi";
import { assumedRoleAccount, MockAws, MockWorld } from "./mock-aws";
import {
    deserializeProperties, installMocks, MockMonitorHooks, RegisterRequest, RegisterResponse, waitForRegistrations, WIRE, WireAlias,
} from "./pulumi-internals";

export interface Registration {
    urn: string;
    type: string;
    name: string;
    custom: boolean;
    parent?: string;
    /** Provider reference (`urn::id`) of a custom resource. */
    provider?: string;
    /** Providers a component passes to its children, by package. */
    providers: Record<string, string>;
    /** Inputs with secrets still marked (`{ [WIRE.sigKey]: WIRE.secretSig, value }`, see pulumi-internals.ts). */
    inputs: Record<string, unknown>;
    dependencies: string[];
    propertyDependencies: Record<string, string[]>;
    /** Aliases as the SDK sent them: a URN, or a spec whose blank parts the engine fills in. */
    aliases: AliasSpec[];
    /**
     * Region of the resource: its AWS provider's; for an AWS resource without one, the default
     * region; otherwise its nearest ancestor's; undefined when none has one.
     */
    region?: string;
    /**
     * Account of the resource when its provider assumes a role in another account (a stack of
     * several accounts), else its nearest ancestor's; undefined for the credentials' own account.
     */
    account?: string;
    /** The request's properties as the engine received them (a protobuf Struct), for the analyzer. */
    rawObject: unknown;
    /** The resource's outputs as the mock returned them (inputs plus computed ids, ARNs, names). */
    outputs: Record<string, unknown>;
    /** The outputs as a protobuf Struct, for the analyzer's stack-level calls. */
    rawOutputs: unknown;
}

export interface AliasSpec {
    urn?: string;
    name?: string;
    type?: string;
    stack?: string;
    project?: string;
    parentUrn?: string;
    noParent?: boolean;
}

function aliasSpecOf(alias: WireAlias): AliasSpec {
    if (alias.hasUrn()) return { urn: alias.getUrn() };
    const spec = alias.getSpec();
    const blankless = (value: string) => value || undefined;
    return {
        name: blankless(spec.getName()),
        type: blankless(spec.getType()),
        stack: blankless(spec.getStack()),
        project: blankless(spec.getProject()),
        parentUrn: spec.hasParenturn() ? blankless(spec.getParenturn()) : undefined,
        noParent: spec.hasNoparent() ? spec.getNoparent() : undefined,
    };
}

export function isSecretValue(value: unknown): value is { value: unknown } {
    return typeof value === "object" && value !== null && (value as Record<string, unknown>)[WIRE.sigKey] === WIRE.secretSig;
}

/** Deep copy with secrets replaced: unwrapped (`reveal`) or masked as "[secret]". */
export function unwrapSecrets(value: unknown, reveal: boolean): unknown {
    if (isSecretValue(value)) return reveal ? unwrapSecrets(value.value, reveal) : "[secret]";
    if (Array.isArray(value)) return value.map((v) => unwrapSecrets(v, reveal));
    if (value && typeof value === "object" && !(value instanceof pulumi.asset.Asset)) {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unwrapSecrets(v, reveal)]));
    }
    return value;
}

export class MockEngine {
    readonly registrations: Registration[] = [];
    readonly aws: MockAws;
    private readonly byUrn = new Map<string, Registration>();

    /**
     * Installs the mocks. Pulumi keeps one engine per process: creating a second MockEngine
     * replaces the first.
     */
    constructor(world: MockWorld, private readonly project = "stackstate-aws", private readonly stack = "plan") {
        this.aws = new MockAws(world);
        this.install();
    }

    /** Makes this engine the process's engine again (after another one replaced it). */
    install(): void {
        const monitor = installMocks(this.aws, this.project, this.stack);
        this.qualifyUrnsAsTheEngineDoes(monitor);
        this.recordRegistrations(monitor);
    }

    /**
     * Pulumi's mock monitor prefixes a child's type with its parent's own type only; the engine
     * prefixes the parent's whole type chain (`Outer$Inner$aws:iam/role:Role`). Plans print URNs
     * and policies report them, so they must be the engine's.
     */
    private qualifyUrnsAsTheEngineDoes(monitor: MockMonitorHooks): void {
        monitor.newUrn = (parent: string | undefined, type: string, name: string): string => {
            const qualified = parent ? `${parent.split("::")[2]}$${type}` : type;
            return `urn:pulumi:${this.stack}::${this.project}::${qualified}::${name}`;
        };
    }

    private recordRegistrations(monitor: MockMonitorHooks): void {
        const register = monitor.registerResource.bind(monitor);
        monitor.registerResource = (req: RegisterRequest, callback: (err: unknown, resp: RegisterResponse | undefined) => void) => {
            const providers: Record<string, string> = {};
            req.getProvidersMap().forEach((ref, pkg) => { providers[pkg] = ref; });
            const propertyDependencies: Record<string, string[]> = {};
            req.getPropertydependenciesMap().forEach((deps, key) => { propertyDependencies[key] = deps.getUrnsList(); });
            const pending: Omit<Registration, "urn" | "region" | "account" | "outputs" | "rawOutputs"> = {
                type: req.getType(),
                name: req.getName(),
                custom: req.getCustom(),
                parent: req.getParent() || undefined,
                provider: req.getProvider() || undefined,
                providers,
                inputs: deserializeProperties(req.getObject()),
                dependencies: req.getDependenciesList(),
                propertyDependencies,
                aliases: req.getAliasesList().map(aliasSpecOf),
                rawObject: req.getObject(),
            };
            return register(req, (err, resp) => {
                if (!err && resp) {
                    const rawOutputs = resp.getObject();
                    this.add({
                        ...pending,
                        urn: resp.getUrn(),
                        region: this.regionFor(pending),
                        account: this.accountFor(pending),
                        outputs: rawOutputs ? deserializeProperties(rawOutputs) : {},
                        rawOutputs,
                    });
                }
                callback(err, resp);
            });
        };
    }

    private regionFor(r: Omit<Registration, "urn" | "region" | "account" | "outputs" | "rawOutputs">): string | undefined {
        if (r.type === "pulumi:providers:aws") return String(r.inputs.region ?? this.aws.world.defaultRegion);
        const viaProvider = this.aws.providerRegion(r.provider) ?? this.aws.providerRegion(r.providers.aws);
        if (viaProvider) return viaProvider;
        if (r.custom && r.type.startsWith("aws:")) return this.aws.world.defaultRegion;
        return r.parent ? this.byUrn.get(r.parent)?.region : undefined;
    }

    private accountFor(r: Omit<Registration, "urn" | "region" | "account" | "outputs" | "rawOutputs">): string | undefined {
        if (r.type === "pulumi:providers:aws") return assumedRoleAccount(r.inputs.assumeRoles);
        const ref = r.provider ?? r.providers.aws;
        const viaProvider = ref !== undefined ? this.aws.assumedAccountOf(ref) : undefined;
        return viaProvider ?? (r.parent ? this.byUrn.get(r.parent)?.account : undefined);
    }

    private add(registration: Registration): void {
        this.registrations.push(registration);
        this.byUrn.set(registration.urn, registration);
    }

    get(urn: string): Registration | undefined {
        return this.byUrn.get(urn);
    }

    /** Resources whose parent chain reaches `ancestorUrn`. */
    descendantsOf(ancestorUrn: string): Registration[] {
        const isUnder = (r: Registration): boolean => {
            for (let p = r.parent; p; p = this.byUrn.get(p)?.parent) if (p === ancestorUrn) return true;
            return false;
        };
        return this.registrations.filter(isUnder);
    }

    /** Waits until every registration, including those made inside applies, has completed. */
    async settle(): Promise<void> {
        await waitForRegistrations();
    }
}

/** Resolves an output's value (there is no public `output.promise()`). */
export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) => output.apply((v) => { resolve(v); return v; }));
}

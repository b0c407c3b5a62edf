/**
 * The component package: which components other languages get, under which name. Pulumi infers
 * their schema from the TypeScript source (the args interfaces, the classes' properties and their
 * doc comments), so that source is the one description of the package in every language.
 */
import * as path from "path";
// First of the package's own imports: Pulumi's inference takes these declarations (see that file).
import type {} from "./package-faces";
import { ComponentProvider, componentProviderApi, ComponentProviderOptions } from "../offline/pulumi-internals";
import { PACKAGE_NAME } from "../model";
import {
    AgentInstanceProfile, EventPipeline, FlowLogs, IntegrationRole, LogsBucket, RegionKey, StackStateAwsIntegration,
} from "../components";

export const PACKAGE_COMPONENTS = [
    StackStateAwsIntegration, IntegrationRole, LogsBucket, RegionKey, EventPipeline, FlowLogs, AgentInstanceProfile,
];

/**
 * The schema is inferred from this folder: its tsconfig.json holds only the package's own source,
 * not the tests and tools, which halves the time the inference takes.
 */
export const PROVIDER_DIR = __dirname;

export function providerOptions(): ComponentProviderOptions & { version: string } {
    return {
        name: PACKAGE_NAME,
        components: PACKAGE_COMPONENTS,
        dirname: PROVIDER_DIR,
        version: (require("../package.json") as { version: string }).version,
    };
}

export function componentProvider(): ComponentProvider {
    return new (componentProviderApi().ComponentProvider)(providerOptions());
}

let inferred: Promise<string> | undefined;

/**
 * The package schema, formatted as `stackstate-aws schema` prints it and docs/schema.json holds
 * it. Inferred once per process: the source does not change while it runs, and inference takes
 * seconds (TypeScript reads all of @pulumi/aws's declarations).
 */
export function packageSchema(): Promise<string> {
    inferred ??= componentProvider().getSchema().then((schema) => `${JSON.stringify(JSON.parse(schema), null, 2)}\n`);
    return inferred;
}

export const SCHEMA_FILE = path.join(__dirname, "..", "docs", "schema.json");

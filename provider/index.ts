/**
 * The component package's entry point: `pulumi package add` runs it (package.json `main`) to read
 * the schema and generate an SDK, and the Pulumi engine runs it to construct the components a
 * Python, Go, .NET, Java or YAML program declares. Its one argument is the engine's address.
 */
import { componentProviderApi } from "../offline/pulumi-internals";
import { providerOptions } from "./component-package";

componentProviderApi().componentProviderHost(providerOptions()).catch((error: unknown) => {
    console.error(error instanceof Error ? error.stack ?? error.message : String(error));
    process.exit(1);
});

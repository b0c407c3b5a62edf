// Mocha root hooks (loaded through .mocharc.json "require"): stop the shared moto server once
// every test file has run. The server starts lazily, so runs that never touch AWS never start it.
import { stopMoto } from "./helpers/moto";

// Node 20 is supported by the AWS SDK until 2027; its advance notice would interleave with the
// reporter's output in every run.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

export const mochaHooks = {
    async afterAll(): Promise<void> {
        await stopMoto();
    },
};

/** The whole flow of `pulumi preview --policy-pack`, for `plan`: launch, configure, analyse, stop. */
import type { Registration } from "../mock-engine";
import { remediationMessage, violation } from "./diagnostics";
import { resolvePolicyConfig } from "./policy-config";
import { analyzerResources } from "./resources";
import type { LaunchOptions, PolicyPackConfigFile, Violation } from "./types";
import { PolicyPackAnalyzer } from "./wire";

export interface AnalyzeOptions extends LaunchOptions {
    /** The user's `--policy-pack-config` content. */
    policyConfig?: PolicyPackConfigFile;
    /** Concurrent Analyze calls. Default: 16. */
    concurrency?: number;
    /** Progress lines (to stderr in the CLI). */
    onProgress?: (message: string) => void;
}

/**
 * Runs the pack over planned resources the way `pulumi preview --policy-pack` would: config with
 * defaults, Remediate and Analyze per resource (inputs), AnalyzeStack once (outputs). Remediations
 * are reported as findings at level `remediate` (a plan changes nothing). The pack process is
 * always shut down. A bad config throws PolicyConfigInvalidError before any resource is analysed.
 */
export async function analyzeStack(resources: readonly Registration[], options: AnalyzeOptions = {}): Promise<Violation[]> {
    const progress = options.onProgress ?? (() => undefined);
    progress("Starting the policy pack...");
    const analyzer = await PolicyPackAnalyzer.launch(options);
    try {
        const info = await analyzer.getAnalyzerInfo();
        const config = resolvePolicyConfig(info, options.policyConfig);
        await analyzer.configure(config);
        const descriptions = new Map(info.policies.map((p) => [p.name, p.description]));
        const remediating = Object.values(config).some((c) => c.enforcementLevel === "remediate");

        progress(`Checking ${resources.length} resources against ${info.name} v${info.version}...`);
        const inputs = analyzerResources(resources, "inputs");
        const perResource: Violation[][] = new Array(inputs.length);
        await forEachLimited(inputs, options.concurrency ?? 16, async (resource, index) => {
            const found: Violation[] = [];
            if (remediating) {
                for (const r of await analyzer.remediate(resource)) {
                    if (r.properties) {
                        found.push({ policy: r.policy, enforcementLevel: "remediate", urn: resource.urn, message: remediationMessage(resource.properties, r.properties) });
                        resource = { ...resource, properties: r.properties };
                    } else if (r.diagnostic) {
                        found.push({ policy: r.policy, enforcementLevel: "advisory", urn: resource.urn, message: r.diagnostic });
                    }
                }
            }
            found.push(...(await analyzer.analyze(resource)).map((d) => violation(d, descriptions)));
            perResource[index] = found;
        });
        const stack = (await analyzer.analyzeStack(analyzerResources(resources, "outputs"))).map((d) => violation(d, descriptions));
        return [...perResource.flat(), ...stack];
    } finally {
        await analyzer.close();
    }
}

async function forEachLimited<T>(items: T[], limit: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
    let next = 0;
    const worker = async () => {
        while (next < items.length) {
            const index = next++;
            await work(items[index], index);
        }
    };
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

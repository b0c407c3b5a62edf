/**
 * Standing in for AWS's network in the verify benchmarks: moto is one Python process on
 * loopback, so it answers without the round trip a real call costs and serialises what AWS
 * serves in parallel. Wrapped clients wait a fixed latency before each request, and can record
 * moto's answers and replay them (what the CLI's own concurrency achieves, without the emulator's
 * single CPU in the way).
 */
import { AwsClients, ClientFactory } from "../cli/aws/clients";

type Handler = (args: { input: unknown }) => Promise<{ output: unknown }>;
type AnyMiddleware = (next: Handler, context: { commandName?: string }) => Handler;
interface WithStack {
    middlewareStack: { add(middleware: AnyMiddleware, options: { step: "initialize"; name: string }): void };
}

/** Answers recorded per account label, region, command and input. */
export type Recording = Map<string, { output: unknown }>;
export type Mode = { latencyMs: number; record?: Recording; replay?: Recording };

/**
 * Wraps each client once: every request first waits `latencyMs`; with `record`, answers are kept;
 * with `replay`, a recorded answer is returned without calling the emulator. `label` keeps
 * accounts' answers apart (the same request gets another answer in another account).
 */
export function instrumented(factory: ClientFactory, mode: () => Mode, label = ""): ClientFactory {
    const wrapped = new WeakSet<object>();
    return (region) => new Proxy(factory(region), {
        get(target, property) {
            const client = target[property as keyof AwsClients] as unknown as WithStack | undefined;
            if (client && typeof client === "object" && "middlewareStack" in client && !wrapped.has(client)) {
                wrapped.add(client);
                client.middlewareStack.add((next, context) => async (args) => {
                    const { latencyMs, record, replay } = mode();
                    const key = `${label}|${region}|${context.commandName}|${JSON.stringify(args.input)}`;
                    if (latencyMs > 0) await new Promise((r) => setTimeout(r, latencyMs));
                    const recorded = replay?.get(key);
                    if (recorded) return recorded;
                    const result = await next(args);
                    record?.set(key, result);
                    return result;
                }, { step: "initialize", name: "benchNetwork" });
            }
            return client;
        },
    });
}

/**
 * The three passes: raw moto (recording its answers), moto with `latencyMs` per request, and the
 * recorded answers with that latency, on which the targets are judged.
 */
export function networkPasses(recording: Recording, latencyMs: number): [string, Mode][] {
    return [
        ["moto, raw", { latencyMs: 0, record: recording }],
        [`moto + ${latencyMs} ms per request`, { latencyMs }],
        [`recorded answers + ${latencyMs} ms per request`, { latencyMs, replay: recording }],
    ];
}

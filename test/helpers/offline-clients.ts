/**
 * Real SDK clients aimed at a closed port with dummy credentials: tests mock the calls they
 * expect with aws-sdk-client-mock, and any call they did not expect fails fast instead of
 * reaching AWS.
 */
import { ClientFactory, sdkClientFactory } from "../../cli/aws/clients";

export function offlineClients(): ClientFactory & { destroy(): void } {
    return sdkClientFactory({ endpoint: "http://127.0.0.1:9", credentials: { accessKeyId: "offline", secretAccessKey: "offline" }, maxAttempts: 1 });
}

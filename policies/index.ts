// The `stackstate-aws` CrossGuard policy pack: `pulumi preview --policy-pack policies`.
// The only `new PolicyPack` in the package: constructing it starts the pack's gRPC server.
import { PolicyPack } from "@pulumi/policy";
import { PACK_NAME, POLICIES } from "./all";

new PolicyPack(PACK_NAME, {
    description: "Guardrails for StackState's AWS (V2) integration: permissions boundaries, the integration role's effective permissions, its ExternalId trust, and the event pipeline the Agent reads.",
    policies: POLICIES,
});

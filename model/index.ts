/** "What must be true" for StackState's AWS V2 integration: pure, no Pulumi, no AWS SDK. */
export * from "./regions";
export * from "./names";
export * from "./tags";
export * from "./iam-document";
export * from "./integration-permissions";
export * from "./trust-policies";
export * from "./pipeline-policies";
export * from "./storage-policies";
export * from "./agent-policies";
export * from "./pipeline-settings";
export * from "./external-id";
export * from "./config-schema";
export * from "./config";
export * from "./rules/action-match";
export * from "./rules/trust";
export * from "./rules/pipeline";
export * from "./rules/agent";

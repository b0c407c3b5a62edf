export * from "./integration";
export * from "./integration-role";
export * from "./logs-bucket";
export * from "./region-key";
export * from "./event-pipeline";
export * from "./flow-logs";
export * from "./agent-instance-profile";

/** Least-privilege policies for the principal deploying the programs, from what a plan creates. */
export * from "./planned-resource";
export * from "./provider-calls";
export * from "./deployer-policy";

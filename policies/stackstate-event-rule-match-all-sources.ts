/**
 * `stackstate-event-rule-match-all-sources` (advisory): a rule feeding the integration's stream
 * also matches the sources StackState's published template leaves out (`aws.autoscaling`,
 * `aws.sns`). The Agent works without them, so this is no mandatory violation: their changes only
 * wait for its hourly full scan. `verify` reports the same pattern as a warning.
 */
import { StackValidationPolicy } from "@pulumi/policy";
import { eventPatternFindings } from "../model/rules/pipeline";
import { AWS } from "./aws-types";
import { integrationRules } from "./stackstate-event-rule-configure-pattern";
import { LOGS_BUCKET_NAMES_SCHEMA, logsBucketNames } from "./integration-resources";
import { describe, knownString, Props, rawProps, unknownPaths, validateStackOfType } from "./kit";

export const EVENT_RULE_SOURCES_POLICY = "stackstate-event-rule-match-all-sources";

export const stackstateEventRuleMatchAllSources: StackValidationPolicy = {
    name: EVENT_RULE_SOURCES_POLICY,
    description: "EventBridge rules that feed StackState's Firehose stream should also match the sources StackState's published template leaves out, so their changes reach the Agent at once, not at its hourly full scan.",
    enforcementLevel: "advisory",
    configSchema: { properties: { ...LOGS_BUCKET_NAMES_SCHEMA } },
    validateStack: validateStackOfType(AWS.eventRule, (args, report) => {
        for (const rule of integrationRules(args.resources, logsBucketNames(args.getConfig<Props>()))) {
            const raw = rawProps(rule.props);
            // An unknown or missing pattern is the mandatory policy's to report.
            if (raw.eventPattern === undefined || unknownPaths(raw, ["eventPattern"]).length > 0) continue;
            for (const finding of eventPatternFindings(raw.eventPattern).tolerated) {
                report(`${describe("EventBridge rule", rule.name, knownString(raw.name))}: ${finding}.`, rule.urn);
            }
        }
    }),
};

/**
 * `stackstate-event-rule-configure-pattern`: an EventBridge rule that feeds the integration's
 * Firehose stream (or carries the integration's rule name) is enabled and matches every source
 * and detail type the Agent reads, filtering on nothing else. Which stream a rule feeds is known
 * only from its `EventTarget`, so this is a stack policy. The published template's pattern, short
 * of two sources the Agent works without, is not a violation here: the advisory
 * `stackstate-event-rule-match-all-sources` reports it, as `verify` warns of it.
 */
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { EVENT_RULE_NAME } from "../model/names";
import { eventPattern } from "../model/pipeline-settings";
import { eventPatternFindings } from "../model/rules/pipeline";
import { AWS } from "./aws-types";
import { integrationStreams, LOGS_BUCKET_NAMES_SCHEMA, logsBucketNames, LogsBucketNames } from "./integration-resources";
import { describe, knownString, ofType, Props, rawProps, refersTo, reportUnknown, unknownPaths, validateStackOfType } from "./kit";

export const EVENT_RULE_POLICY = "stackstate-event-rule-configure-pattern";

const description = "EventBridge rules that feed StackState's Firehose stream must be enabled and match every event source and detail type the Agent needs, and filter on nothing else.";

/** Rules targeting an integration stream, plus rules with the integration's rule name. */
export function integrationRules(resources: PolicyResource[], names: LogsBucketNames): PolicyResource[] {
    const streams = integrationStreams(resources, names);
    const targets = ofType(resources, AWS.eventTarget).filter((t) =>
        streams.some((s) => refersTo(t, "arn", s, [knownString(rawProps(s.props).arn)])));
    return ofType(resources, AWS.eventRule).filter((rule) => {
        const props = rawProps(rule.props);
        if (knownString(props.name) === EVENT_RULE_NAME) return true;
        return targets.some((t) => refersTo(t, "rule", rule, [knownString(props.name), knownString(props.arn)]));
    });
}

export const stackstateEventRuleConfigurePattern: StackValidationPolicy = {
    name: EVENT_RULE_POLICY,
    description,
    enforcementLevel: "mandatory",
    configSchema: { properties: { ...LOGS_BUCKET_NAMES_SCHEMA } },
    validateStack: validateStackOfType(AWS.eventRule, (args, report) => {
        for (const rule of integrationRules(args.resources, logsBucketNames(args.getConfig<Props>()))) {
            const raw = rawProps(rule.props);
            const subject = describe("EventBridge rule", rule.name, knownString(raw.name));
            const unknown = unknownPaths(raw, ["eventPattern", "state", "isEnabled"]);
            if (unknown.length > 0) {
                reportUnknown(report, description, subject, unknown, rule.urn);
                continue;
            }
            const problems = raw.eventPattern === undefined
                ? ["the rule must have an event pattern"]
                : eventPatternFindings(raw.eventPattern).problems;
            if (raw.state === "DISABLED" || raw.isEnabled === false) problems.unshift("the rule must be enabled");
            if (problems.length === 0) continue;
            report(`${subject} must send every event the Agent reads to StackState's Firehose stream: ${problems.join("; ")}. ` +
                `Fix: set state to "ENABLED" and eventPattern to '${JSON.stringify(eventPattern())}'.`, rule.urn);
        }
    }),
};

/** EventBridge rules are found by what they target, not by name: renamed and hand-made rules count too. */
import { EventBridgeClient, ListRuleNamesByTargetCommand } from "@aws-sdk/client-eventbridge";
import { awsCall } from "./errors";
import { allEventBridgePages } from "./event-pages";

/** Names of the rules on the default bus (where AWS service events arrive) that target `arn`. */
export async function ruleNamesTargeting(events: EventBridgeClient, arn: string): Promise<string[]> {
    return allEventBridgePages(
        (NextToken) => awsCall("events:ListRuleNamesByTarget", () => events.send(new ListRuleNamesByTargetCommand({ TargetArn: arn, NextToken }))),
        (out) => out.RuleNames,
    );
}

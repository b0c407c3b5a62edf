import { expect } from "chai";
import { EventBridgeClient, ListRuleNamesByTargetCommand } from "@aws-sdk/client-eventbridge";
import { allEventBridgePages } from "../../../cli/aws/event-pages";
import { ruleNamesTargeting } from "../../../cli/aws/event-rules";

/** Pages keyed by the token that asks for them ("" is the first page). */
function pager(pages: Record<string, { NextToken?: string; Items?: string[] }>) {
    const asked: (string | undefined)[] = [];
    const page = async (token: string | undefined) => {
        asked.push(token);
        const out = pages[token ?? ""];
        if (!out) throw new Error(`no page for token ${token}`);
        return out;
    };
    return { page, asked };
}

describe("EventBridge NextToken pages", () => {
    it("follows every token and keeps the items in page order, empty pages included", async () => {
        const { page, asked } = pager({ "": { Items: ["a", "b"], NextToken: "t1" }, t1: { NextToken: "t2" }, t2: { Items: ["c"] } });
        expect(await allEventBridgePages(page, (out) => out.Items)).to.deep.equal(["a", "b", "c"]);
        expect(asked).to.deep.equal([undefined, "t1", "t2"]);
    });

    it("stops at an empty token as at none", async () => {
        const { page, asked } = pager({ "": { Items: ["a"], NextToken: "" } });
        expect(await allEventBridgePages(page, (out) => out.Items)).to.deep.equal(["a"]);
        expect(asked).to.deep.equal([undefined]);
    });

    it("refuses a token handed out twice instead of looping", async () => {
        const { page } = pager({ "": { Items: ["a"], NextToken: "t1" }, t1: { Items: ["b"], NextToken: "t1" } });
        let error: unknown;
        await allEventBridgePages(page, (out) => out.Items).catch((e) => { error = e; });
        expect(String(error)).to.include('page token "t1" twice');
    });

    it("passes a failing page's error on", async () => {
        const { page } = pager({ "": { Items: ["a"], NextToken: "gone" } });
        let error: unknown;
        await allEventBridgePages(page, (out) => out.Items).catch((e) => { error = e; });
        expect(String(error)).to.include("no page for token gone");
    });

    it("is what ruleNamesTargeting pages ListRuleNamesByTarget with", async () => {
        const sent: { TargetArn?: string; NextToken?: string }[] = [];
        const pages: Record<string, { RuleNames: string[]; NextToken?: string }> = { "": { RuleNames: ["r1"], NextToken: "n" }, n: { RuleNames: ["r2", "r3"] } };
        const events = {
            send: async (command: ListRuleNamesByTargetCommand) => {
                sent.push({ ...command.input });
                return pages[command.input.NextToken ?? ""];
            },
        } as unknown as EventBridgeClient;
        expect(await ruleNamesTargeting(events, "arn:aws:firehose:eu-west-1:111122223333:deliverystream/s")).to.deep.equal(["r1", "r2", "r3"]);
        expect(sent).to.deep.equal([
            { TargetArn: "arn:aws:firehose:eu-west-1:111122223333:deliverystream/s", NextToken: undefined },
            { TargetArn: "arn:aws:firehose:eu-west-1:111122223333:deliverystream/s", NextToken: "n" },
        ]);
    });
});

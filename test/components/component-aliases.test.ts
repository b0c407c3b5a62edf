/**
 * Stacks deployed before the components became a package hold URNs with the types
 * `stackstate:aws:<Name>`; the components now register `stackstate-aws:index:<Name>`. Every old
 * URN must still be reached, as a URN or through the aliases the engine derives, or `pulumi up`
 * would replace the account's role, bucket, keys and pipelines. The old URNs were recorded from
 * the code before the change (test/fixtures/urns-before-component-package.json).
 */
import { expect } from "chai";
import { planStack } from "../../offline/plan-engine";
import { MockEngine, Registration } from "../../offline/mock-engine";
import { AgentInstanceProfile } from "../../components";
import { testEngine } from "../helpers/engine";
import { aliasUrns } from "../helpers/engine-aliases";

const BEFORE = require("../fixtures/urns-before-component-package.json") as {
    stacks: Record<string, { config: Record<string, unknown>; vpcs: Record<string, string[]>; urns: string[] }>;
    agentInstanceProfile: { project: string; stack: string; name: string; accountId: string; args: { monitoredAccountIds: string[] }; urns: string[] };
};

/** Which resource of today answers to each old URN; throws naming the old URNs nothing answers to. */
function successors(oldUrns: string[], registrations: Registration[]): Map<string, Registration> {
    const answering = new Map<string, Registration>();
    for (const r of registrations) {
        for (const urn of [r.urn, ...aliasUrns(r, registrations)]) {
            if (oldUrns.includes(urn)) {
                const other = answering.get(urn);
                if (other && other !== r) throw new Error(`${urn} is claimed by both ${other.urn} and ${r.urn}`);
                answering.set(urn, r);
            }
        }
    }
    const lost = oldUrns.filter((urn) => !answering.has(urn));
    if (lost.length > 0) throw new Error(`no resource answers to:\n  ${lost.join("\n  ")}`);
    return answering;
}

describe("component type aliases", function () {
    this.timeout(60000);
    // planStack and the profile's own engine replace the process's mock engine.
    afterEach(() => testEngine().install());

    for (const [stackName, recorded] of Object.entries(BEFORE.stacks)) {
        it(`keeps every URN of the '${stackName}' stack deployed before, each on its own resource`, async () => {
            const result = await planStack({ stackName, config: recorded.config, vpcs: recorded.vpcs });
            if (!result.ok) throw new Error(JSON.stringify(result.configProblems));
            const answering = successors(recorded.urns, result.resources);
            expect(new Set(answering.values()).size).to.equal(recorded.urns.length);
            // Every resource lives under the component, so every URN changed: without the
            // aliases, pulumi up would replace them all.
            expect(recorded.urns.filter((urn) => result.resources.some((r) => r.urn === urn))).to.deep.equal([]);
            expect(result.resources.filter((r) => !r.custom).every((r) => r.type.startsWith("stackstate-aws:index:"))).to.equal(true);
            // Same resources, same names, same inputs as before: only the URNs' types moved.
            for (const [oldUrn, r] of answering) {
                expect(oldUrn.replace(/stackstate:aws:/g, "stackstate-aws:index:"), oldUrn).to.equal(r.urn);
            }
        });
    }

    it("keeps the URNs of an AgentInstanceProfile deployed before", async () => {
        const recorded = BEFORE.agentInstanceProfile;
        const engine = new MockEngine({ accountId: recorded.accountId, defaultRegion: "eu-west-1" }, recorded.project, recorded.stack);
        new AgentInstanceProfile(recorded.name, recorded.args);
        await engine.settle();
        expect(successors(recorded.urns, engine.registrations).size).to.equal(recorded.urns.length);
        expect(recorded.urns.filter((urn) => engine.registrations.some((r) => r.urn === urn))).to.deep.equal([]);
    });

    it("passes the caller's own aliases through beside the old type", async () => {
        const engine = testEngine();
        const profile = new AgentInstanceProfile("renamed-profile", {}, { aliases: [{ name: "first-profile" }] });
        await engine.settle();
        const urn = await new Promise<string>((resolve) => profile.urn.apply(resolve));
        const mine = engine.registrations.filter((r) => r.urn === urn || r.parent === urn);
        const component = mine.find((r) => r.urn === urn)!;
        expect(aliasUrns(component, engine.registrations)).to.include.members([
            "urn:pulumi:test::stackstate-aws::stackstate-aws:index:AgentInstanceProfile::first-profile",
            "urn:pulumi:test::stackstate-aws::stackstate:aws:AgentInstanceProfile::renamed-profile",
        ]);
        const role = mine.find((r) => r.type === "aws:iam/role:Role")!;
        expect(aliasUrns(role, engine.registrations)).to.include.members([
            "urn:pulumi:test::stackstate-aws::stackstate-aws:index:AgentInstanceProfile$aws:iam/role:Role::first-profile-role",
            "urn:pulumi:test::stackstate-aws::stackstate:aws:AgentInstanceProfile$aws:iam/role:Role::renamed-profile-role",
        ]);
    });
});

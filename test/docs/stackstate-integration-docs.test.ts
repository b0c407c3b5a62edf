/**
 * docs/stackstate-integration.md against the model where the page repeats a list or a number the
 * code uses: the event pattern, the pipeline's settings and IAM's limits.
 */
import { expect } from "chai";
import { readFileSync } from "node:fs";
import path from "node:path";
import {
    BUCKET_SETTINGS, EVENT_DETAIL_TYPES, EVENT_SOURCES, FIREHOSE_SETTINGS, FLOW_LOG_SETTINGS, IAM_LIMITS,
    PUBLISHED_PATTERN_OMITTED_SOURCES,
} from "../../model";

const DOC = readFileSync(path.resolve(__dirname, "../../docs/stackstate-integration.md"), "utf8");

/** The text of one `## ` section, so a fact is checked where the page states it. */
function section(heading: string): string {
    const start = DOC.indexOf(`\n## ${heading}\n`);
    expect(start, `section ${heading}`).to.be.greaterThan(-1);
    const end = DOC.indexOf("\n## ", start + 1);
    return DOC.slice(start, end < 0 ? undefined : end).replace(/\s+/g, " ");
}

const thousands = (n: number) => n.toLocaleString("en-US");

describe("docs/stackstate-integration.md against the model", () => {
    it("lists the published pattern's sources, and names the two this package adds", () => {
        const text = section("Event pipeline (per region)");
        const published = /`source` in the published list \(([^)]*)\)/.exec(text);
        expect(published, "the published source list").to.not.equal(null);
        const listed = published![1].split(",").map((s) => s.trim());
        expect(listed).to.deep.equal(EVENT_SOURCES.filter((s) => !PUBLISHED_PATTERN_OMITTED_SOURCES.includes(s)));
        for (const added of PUBLISHED_PATTERN_OMITTED_SOURCES) expect(text).to.include(`\`${added}\``);
        for (const type of EVENT_DETAIL_TYPES) expect(text).to.include(`"${type}"`);
    });

    it("states the Firehose, bucket and flow-log settings the model sets", () => {
        expect(section("Event pipeline (per region)")).to.include(`buffering **${FIREHOSE_SETTINGS.bufferingIntervalSeconds} s**`)
            .and.to.include(`**${FIREHOSE_SETTINGS.compressionFormat}**`);
        expect(BUCKET_SETTINGS.expirationDays).to.equal(1);
        expect(BUCKET_SETTINGS.noncurrentVersionExpirationDays).to.equal(1);
        expect(section("Logs bucket")).to.include("expires current and non-current versions after **1 day**");
        expect(section("VPC flow logs")).to.include(`**${FLOW_LOG_SETTINGS.maxAggregationIntervalSeconds} s** maximum aggregation interval`)
            .and.to.include(`traffic type ${FLOW_LOG_SETTINGS.trafficType}`);
    });

    it("states IAM's limits as the model enforces them", () => {
        const text = section("IAM limits that bite");
        expect(text).to.include(`managed policy is at most ${thousands(IAM_LIMITS.managedPolicyChars)} characters`);
        expect(text).to.include(`at most ${thousands(IAM_LIMITS.inlinePoliciesCharsPerRole)} in all`);
        expect(text).to.include(`trust policy at most ${thousands(IAM_LIMITS.trustPolicyChars)} by default`);
        expect(text).to.include(`at most ${IAM_LIMITS.managedPoliciesPerRole} managed policies per role`);
        expect(text).to.include(`role name at most ${IAM_LIMITS.roleNameChars} characters`);
    });
});

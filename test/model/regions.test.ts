/**
 * model/regions.ts against the partition data of the AWS SDK this package calls AWS with.
 *
 * The SDK v3 ships that data (AWS's partitions.json) inside `@aws-sdk/core`, in its
 * `client` submodule, as the module `util-endpoints/lib/aws/partitions.js`; the SDK's own
 * `partition(region)` resolves regions from it. The module is not exported, so the test reads
 * the file of the `@aws-sdk/core` that `@aws-sdk/client-ec2` resolves, and fails loudly if the
 * file moves or changes form (then this test needs the new location, not a weaker check).
 */
import { expect } from "chai";
import { existsSync, readFileSync } from "fs";
import * as path from "path";
import { KNOWN_REGIONS, Partition, partitionOf, REGIONS_BY_PARTITION } from "../../model";

interface SdkPartitions {
    partitions: { id: string; regions: Record<string, unknown> }[];
}

const sdkCoreDir = path.dirname(require.resolve("@aws-sdk/core/package.json", { paths: [path.dirname(require.resolve("@aws-sdk/client-ec2"))] }));

function sdkPartitions(): SdkPartitions {
    const file = path.join(sdkCoreDir, "dist-es/submodules/client/util-endpoints/lib/aws/partitions.js");
    expect(existsSync(file), `the SDK's partition data moved from ${file}`).to.equal(true);
    const text = readFileSync(file, "utf8");
    const body = /^export const partitionsInfo = ([\s\S]*);\s*$/.exec(text);
    expect(body, `${file} is no longer one exported object literal`).to.not.equal(null);
    return JSON.parse(body![1]) as SdkPartitions;
}

/** The SDK's own resolver, which reads the same data, to check we read it as the SDK does. */
const sdkPartitionOf: (region: string) => { name: string } = require(path.join(sdkCoreDir, "dist-cjs/submodules/client/index.js")).partition;

/** Partitions the SDK knows and this package deliberately does not support (see model/regions.ts). */
const PARTITIONS_LEFT_OUT = ["aws-cn", "aws-eusc", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f"];

/**
 * Regions of a supported partition that the SDK knows and model/regions.ts does not accept yet
 * (added to AWS after the list was written; nothing here has been checked against them). The test
 * requires this list to be exact, so a new region in an SDK upgrade fails until someone decides.
 */
const REGIONS_NOT_YET_ACCEPTED = ["me-west-1", "sa-west-1"];

/** Pseudo-regions of the partition data for global endpoints; never a region a stack captures. */
const isGlobalPseudoRegion = (region: string) => region.endsWith("-global");

describe("the region list against the AWS SDK's partition data", () => {
    const data = sdkPartitions();
    const sdkRegions = (id: string) => Object.keys(data.partitions.find((p) => p.id === id)?.regions ?? {}).filter((r) => !isGlobalPseudoRegion(r));

    it("supports exactly the SDK's partitions minus the ones left out on purpose", () => {
        const supported = Object.keys(REGIONS_BY_PARTITION).sort();
        expect(supported).to.deep.equal(Object.values(Partition).sort());
        expect(data.partitions.map((p) => p.id).sort()).to.deep.equal([...supported, ...PARTITIONS_LEFT_OUT].sort());
    });

    it("lists only regions the SDK lists, each in the SDK's partition", () => {
        for (const [partition, regions] of Object.entries(REGIONS_BY_PARTITION)) {
            const known = sdkRegions(partition);
            for (const region of regions) {
                expect(known, `${region} (listed under ${partition})`).to.include(region);
                expect(sdkPartitionOf(region).name, region).to.equal(partition);
                expect(partitionOf(region)).to.equal(partition);
            }
        }
    });

    it("misses no region of a supported partition except the ones named as not yet accepted", () => {
        const missing = Object.keys(REGIONS_BY_PARTITION).flatMap((p) => sdkRegions(p)).filter((r) => !KNOWN_REGIONS.includes(r));
        expect(missing.sort()).to.deep.equal([...REGIONS_NOT_YET_ACCEPTED].sort());
    });

    it("has no duplicates", () => {
        expect(new Set(KNOWN_REGIONS).size).to.equal(KNOWN_REGIONS.length);
    });
});

/**
 * One Pulumi mock engine per test process (Pulumi keeps one per process). Tests create
 * resources inside `it()` with names unique to the test: the mock engine does not reject
 * duplicate URNs.
 */
import { MockEngine } from "../../offline/mock-engine";
import { TEST_WORLD } from "./world";

let engine: MockEngine | undefined;

export function testEngine(): MockEngine {
    engine ??= new MockEngine(TEST_WORLD, "stackstate-aws", "test");
    return engine;
}

let counter = 0;
/** A resource name no other test uses. */
export function uniqueName(base: string): string {
    return `${base}${++counter}`;
}

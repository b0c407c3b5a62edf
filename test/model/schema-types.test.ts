/**
 * SchemaMatch fails at compile time, so these cases are checked by `npm run typecheck` (part of
 * `npm test`): each `@ts-expect-error` line must fail to compile, or the typecheck fails with
 * "Unused '@ts-expect-error' directive". The runtime assertions only show what the type accepts.
 */
import { expect } from "chai";
import { SchemaMatch } from "../../model/schema-types";

const SCHEMA = {
    type: "object",
    required: ["id"],
    properties: {
        id: { type: "string" },
        name: { type: "string" },
        size: { type: "integer", default: 1 },
    },
} as const;

describe("SchemaMatch: an interface checked against its schema", () => {
    it("holds when the keys agree and a key with a default counts as required", () => {
        const holds: SchemaMatch<{ id: string; name?: string; size: number }, typeof SCHEMA> = true;
        expect(holds).to.equal(true);
    });

    it("fails to compile on each kind of drift, naming the keys", () => {
        // @ts-expect-error a key of the schema is missing from the type
        const missingFromType: SchemaMatch<{ id: string; size: number }, typeof SCHEMA> = true;
        // @ts-expect-error a key of the type is missing from the schema
        const missingFromSchema: SchemaMatch<{ id: string; name?: string; size: number; extra?: string }, typeof SCHEMA> = true;
        // @ts-expect-error the schema requires a key the type leaves optional
        const optionalInType: SchemaMatch<{ id?: string; name?: string; size: number }, typeof SCHEMA> = true;
        // @ts-expect-error a key with a default is present after validation, so the type must require it
        const defaultedOptional: SchemaMatch<{ id: string; name?: string; size?: number }, typeof SCHEMA> = true;
        // @ts-expect-error the type requires a key the schema leaves optional
        const requiredInTypeOnly: SchemaMatch<{ id: string; name: string; size: number }, typeof SCHEMA> = true;

        // The error is an object naming the keys, so a compile error tells what to fix.
        const named: SchemaMatch<{ id: string; size: number }, typeof SCHEMA> = { keysMissingFromType: "name" };
        expect(named).to.deep.equal({ keysMissingFromType: "name" });
        void [missingFromType, missingFromSchema, optionalInType, defaultedOptional, requiredInTypeOnly];
    });
});

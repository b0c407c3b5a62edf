/**
 * The component package's schema, as Pulumi infers it from the TypeScript source: every hosted
 * component, every input of its args interface and every public property as an output, each with
 * the type its declaration stands for and its doc comment as description. docs/schema.json holds
 * the schema, so a change to what other languages see shows in review.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as model from "../../model";
import { PACKAGE_COMPONENTS, packageSchema, SCHEMA_FILE } from "../../provider/component-package";
import { schemaCommand } from "../../cli/schema";
import { declaredComponent, DeclaredProperty } from "../helpers/component-source";

interface SchemaProperty { description?: string; optional?: boolean; [key: string]: unknown }
interface Schema {
    name: string;
    version: string;
    description: string;
    resources: Record<string, { isComponent: boolean; description?: string; inputProperties: Record<string, SchemaProperty>; requiredInputs: string[]; properties: Record<string, SchemaProperty>; required: string[] }>;
    types: Record<string, { type: string; enum?: { name: string; value: string; description?: string }[]; properties?: Record<string, SchemaProperty> }>;
    dependencies: { name: string; version: string }[];
}

const AWS_RESOURCE = /^\/aws\/v[\d.]+\/schema\.json#\/resources\/aws:[^:]+:(\w+)$/;

/** A schema property as the source reading describes it: no description or optionality, aws references by class. */
function shape(prop: SchemaProperty): Record<string, unknown> {
    const { description: _d, optional: _o, ...rest } = prop;
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(rest)) {
        if (key === "$ref" && typeof value === "string" && AWS_RESOURCE.test(value)) out[key] = `aws resource ${AWS_RESOURCE.exec(value)![1]}`;
        else out[key] = value && typeof value === "object" ? shape(value as SchemaProperty) : value;
    }
    return out;
}

function expectProperties(where: string, actual: Record<string, SchemaProperty>, required: string[], declared: DeclaredProperty[]): void {
    expect(Object.keys(actual).sort(), `${where}: names`).to.deep.equal(declared.map((p) => p.name).sort());
    expect([...required].sort(), `${where}: required`).to.deep.equal(declared.filter((p) => !p.optional).map((p) => p.name).sort());
    for (const p of declared) {
        expect(p.description, `${where}.${p.name} needs a doc comment: it is the description in every language's SDK`).to.be.a("string");
        expect(actual[p.name].description, `${where}.${p.name}: description`).to.equal(p.description);
        expect(shape(actual[p.name]), `${where}.${p.name}: type`).to.deep.equal(p.schemaType);
    }
}

describe("component package schema", function () {
    this.timeout(240000);
    let text: string;
    let schema: Schema;
    before(async () => {
        text = await packageSchema().catch((error: Error) => {
            throw new Error(`Pulumi could not infer the component package's schema from the components' types: ${error.message}\n` +
                "Args and public properties must be types it accepts: no unions (write an object of constants for an enum, an interface for alternatives); see docs/component-package.md.");
        });
        schema = JSON.parse(text) as Schema;
    });

    it("is the schema in docs/schema.json: inferring it again gives the same text", () => {
        expect(text === fs.readFileSync(SCHEMA_FILE, "utf8"),
            "docs/schema.json is out of date: node bin/stackstate-aws.js schema --out docs/schema.json").to.equal(true);
    });

    it("names the package stackstate-aws with the package.json version and depends on the installed @pulumi/aws", () => {
        expect(schema.name).to.equal(model.PACKAGE_NAME);
        expect(schema.version).to.equal(require("../../package.json").version);
        expect(schema.description).to.be.a("string").and.not.equal("");
        expect(schema.dependencies).to.deep.equal([{ name: "aws", version: require("@pulumi/aws/package.json").version }]);
    });

    it("has every hosted component, as a component under its package token, described by its class's doc comment", () => {
        expect(Object.keys(schema.resources).sort()).to.deep.equal(PACKAGE_COMPONENTS.map((c) => model.componentTypeToken(c.name)).sort());
        for (const component of PACKAGE_COMPONENTS) {
            const resource = schema.resources[model.componentTypeToken(component.name)];
            const declared = declaredComponent(component.name);
            expect(resource.isComponent).to.equal(true);
            expect(declared.description, `${component.name} needs a doc comment`).to.be.a("string");
            expect(resource.description).to.equal(declared.description);
        }
    });

    for (const component of PACKAGE_COMPONENTS) {
        it(`${component.name}: every input of its args, every public property as output, with type and description`, () => {
            const resource = schema.resources[model.componentTypeToken(component.name)];
            const declared = declaredComponent(component.name);
            expectProperties(`${component.name} input`, resource.inputProperties, resource.requiredInputs, declared.inputs);
            // Outputs are never optional in the schema: a component sets them all.
            expectProperties(`${component.name} output`, resource.properties, declared.outputs.map((p) => p.name), declared.outputs.map((p) => ({ ...p, optional: false })));
            expect(declared.hidden, `${component.name}: non-public properties would be published as outputs all the same`).to.deep.equal([]);
        });
    }

    it("types every type it references: enums with the model's values, objects with described properties", () => {
        const referenced = new Set([...text.matchAll(/"#\/types\/([^"]+)"/g)].map((m) => m[1]));
        expect([...referenced].sort()).to.deep.equal(Object.keys(schema.types).sort());
        for (const [token, type] of Object.entries(schema.types)) {
            const name = token.split(":")[2];
            if (type.enum) {
                const constants = (model as Record<string, unknown>)[name] as Record<string, string>;
                expect(type.enum.map((e) => [e.name, e.value]), token).to.deep.equal(Object.entries(constants));
                expect(type.enum.every((e) => e.description), `${token}: every value described`).to.equal(true);
            } else {
                for (const [key, prop] of Object.entries(type.properties ?? {})) expect(prop.description, `${token}.${key}`).to.be.a("string");
            }
        }
    });

    it("`stackstate-aws schema --out FILE` writes it; a missing folder is refused before anything is written", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "schema-"));
        const file = path.join(dir, "schema.json");
        const writes: string[] = [];
        const write = process.stdout.write;
        const writeErr = process.stderr.write;
        process.stdout.write = ((chunk: string) => { writes.push(chunk); return true; }) as typeof process.stdout.write;
        process.stderr.write = (() => true) as typeof process.stderr.write;
        try {
            expect(await schemaCommand({ out: file })).to.equal(0);
            await schemaCommand({ out: path.join(dir, "missing", "schema.json") }).then(
                () => expect.fail("accepted a missing folder"),
                (error: Error) => expect(error.message).to.equal(`--out '${path.join(dir, "missing", "schema.json")}': folder '${path.join(dir, "missing")}' does not exist`));
        } finally {
            process.stdout.write = write;
            process.stderr.write = writeErr;
        }
        expect(fs.readFileSync(file, "utf8")).to.equal(text);
        expect(writes).to.deep.equal([`${file}\n`]);
        expect(fs.readdirSync(dir)).to.deep.equal(["schema.json"]);
    });
});

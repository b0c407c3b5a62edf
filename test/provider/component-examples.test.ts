/**
 * The README's programs that use the component package from other languages. None of those
 * languages' toolchains runs here, so each example is held to the package schema by name: the
 * Pulumi YAML program fully (types, properties, values, required inputs, outputs it reads), the
 * Python and Go programs by the names their generated SDKs give the schema's (snake_case,
 * PascalCase).
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { PACKAGE_NAME } from "../../model";

const README = fs.readFileSync(path.join(__dirname, "..", "..", "README.md"), "utf8");
const SCHEMA = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "docs", "schema.json"), "utf8")) as Schema;

interface Prop { type?: string; $ref?: string; items?: Prop; additionalProperties?: Prop; enum?: { value: string }[]; properties?: Record<string, Prop> }
interface Schema {
    resources: Record<string, { inputProperties: Record<string, Prop>; requiredInputs: string[]; properties: Record<string, Prop> }>;
    types: Record<string, { type: string; enum?: { value: string }[]; properties?: Record<string, Prop>; required?: string[] }>;
}

/** The code blocks of one language in the README's section on other languages. */
function examples(language: string): string[] {
    const section = README.split("\n## From Python, Go, .NET, Java or YAML\n")[1].split("\n## ")[0];
    return [...section.matchAll(new RegExp("```" + language + "\\n([\\s\\S]*?)```", "g"))].map((m) => m[1]);
}

const camel = (snake: string) => snake.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
const lowerFirst = (pascal: string) => pascal[0].toLowerCase() + pascal.slice(1);

/** Problems of a YAML value against a schema property; `${...}` interpolations are not typed here. */
function problems(where: string, value: unknown, prop: Prop): string[] {
    if (typeof value === "string" && /^\$\{[^}]+\}$/.test(value)) return [];
    if (prop.$ref) {
        const type = SCHEMA.types[prop.$ref.replace("#/types/", "")];
        if (!type) return [`${where}: unknown type ${prop.$ref}`];
        if (type.enum) return type.enum.some((e) => e.value === value) ? [] : [`${where}: '${String(value)}' is none of ${type.enum.map((e) => e.value).join(", ")}`];
        return objectProblems(where, value, type.properties ?? {}, type.required ?? []);
    }
    switch (prop.type) {
        case "string": return typeof value === "string" ? [] : [`${where}: must be a string`];
        case "boolean": return typeof value === "boolean" ? [] : [`${where}: must be a boolean`];
        case "number": return typeof value === "number" ? [] : [`${where}: must be a number`];
        case "array": return Array.isArray(value) ? value.flatMap((v, i) => problems(`${where}[${i}]`, v, prop.items!)) : [`${where}: must be a list`];
        case "object":
            if (!value || typeof value !== "object" || Array.isArray(value)) return [`${where}: must be a map`];
            return Object.entries(value).flatMap(([k, v]) => problems(`${where}.${k}`, v, prop.additionalProperties!));
    }
    return [`${where}: no rule for ${JSON.stringify(prop)}`];
}

function objectProblems(where: string, value: unknown, properties: Record<string, Prop>, required: string[]): string[] {
    if (!value || typeof value !== "object" || Array.isArray(value)) return [`${where}: must be a map`];
    const given = value as Record<string, unknown>;
    return [
        ...Object.keys(given).filter((k) => !properties[k]).map((k) => `${where}.${k}: no such property`),
        ...required.filter((k) => !(k in given)).map((k) => `${where}.${k}: required`),
        ...Object.entries(given).filter(([k]) => properties[k]).flatMap(([k, v]) => problems(`${where}.${k}`, v, properties[k])),
    ];
}

/**
 * The keyword arguments (or struct fields) of each `<prefix>Name<open>`...: those written at
 * `level` levels of brackets inside it (1: its own; 2: of the values of a map literal).
 */
function calls(source: string, start: RegExp, argument: RegExp, level = 1): { name: string; args: string[] }[] {
    const found: { name: string; args: string[] }[] = [];
    for (const match of source.matchAll(start)) {
        let depth = 0;
        let body = "";
        for (const ch of source.slice(match.index! + match[0].length - 1)) {
            if ("([{".includes(ch)) depth++;
            if (")]}".includes(ch)) depth--;
            if (depth === 0) break;
            body += depth === level ? ch : " ";
        }
        found.push({ name: match[1], args: [...body.matchAll(argument)].map((m) => m[1]) });
    }
    expect(found, `no ${start.source} in the example`).to.not.deep.equal([]);
    return found;
}

/** The schema's input names of a resource or object type named as the SDKs name it. */
function inputsOf(name: string): string[] {
    const resource = SCHEMA.resources[`${PACKAGE_NAME}:index:${name.replace(/Args$/, "")}`];
    if (resource) return Object.keys(resource.inputProperties);
    const type = SCHEMA.types[`${PACKAGE_NAME}:index:${name.replace(/Args$/, "")}`];
    expect(type, `${name} is neither a component nor a type of the package`).to.not.equal(undefined);
    return Object.keys(type.properties ?? {});
}

describe("README examples of the component package", () => {
    it("has a Python, a Go and a Pulumi YAML program", () => {
        expect([examples("python").length, examples("go").length, examples("yaml").length]).to.deep.equal([1, 1, 1]);
    });

    it("Pulumi YAML: every resource, property, value and output read is the schema's", () => {
        const program = YAML.parse(examples("yaml")[0]) as {
            runtime: string; packages: Record<string, string>; resources: Record<string, { type: string; properties: Record<string, unknown> }>; outputs: Record<string, string>;
        };
        expect(program.runtime).to.equal("yaml");
        expect(Object.keys(program.packages)).to.deep.equal([PACKAGE_NAME]);
        const ours = Object.entries(program.resources).filter(([, r]) => r.type.startsWith(`${PACKAGE_NAME}:`));
        expect(ours).to.not.deep.equal([]);
        for (const [name, resource] of ours) {
            const schema = SCHEMA.resources[resource.type];
            expect(schema, `${name}: type ${resource.type}`).to.not.equal(undefined);
            expect(objectProblems(name, resource.properties, schema.inputProperties, schema.requiredInputs)).to.deep.equal([]);
        }
        for (const [output, expression] of Object.entries(program.outputs)) {
            const [, resource, property] = /^\$\{(\w+)\.(\w+)\}$/.exec(expression) ?? [];
            const schema = SCHEMA.resources[program.resources[resource]?.type];
            expect(schema?.properties[property], `output ${output}: ${expression}`).to.not.equal(undefined);
        }
    });

    it("Python: every keyword argument and attribute read is a schema name in snake_case", () => {
        const source = examples("python")[0];
        for (const call of calls(source, /stackstate_aws\.(\w+)\(/g, /(?:^|[(,\s])(\w+)=/g)) {
            const names = inputsOf(call.name);
            for (const arg of call.args) expect(names, `${call.name}(${arg}=)`).to.include(camel(arg));
        }
        const outputs = Object.keys(SCHEMA.resources[`${PACKAGE_NAME}:index:StackStateAwsIntegration`].properties);
        for (const [, attribute] of source.matchAll(/integration\.(\w+)/g)) expect(outputs, `integration.${attribute}`).to.include(camel(attribute));
    });

    it("Go: every struct field and output read is a schema name in PascalCase", () => {
        const source = examples("go")[0];
        const fields = /(?:^|[{,\s])([A-Z]\w*):/g;
        const structs = calls(source, /(?<!map\[string\])stackstateaws\.(\w+)\{/g, fields);
        const mapValues = calls(source, /map\[string\]stackstateaws\.(\w+)\{/g, fields, 2);
        for (const call of [...structs, ...mapValues]) {
            const names = inputsOf(call.name);
            expect(call.args, call.name).to.not.deep.equal([]);
            for (const field of call.args) expect(names, `${call.name}{${field}:}`).to.include(lowerFirst(field));
        }
        const outputs = Object.keys(SCHEMA.resources[`${PACKAGE_NAME}:index:StackStateAwsIntegration`].properties);
        for (const [, field] of source.matchAll(/integration\.(\w+)/g)) expect(outputs, `integration.${field}`).to.include(lowerFirst(field));
    });
});

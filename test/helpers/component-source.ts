/**
 * What the components' TypeScript source declares, read with TypeScript's parser alone: each
 * component's args properties and its public properties, with their doc comments and the schema
 * type their declared type stands for. The schema tests hold Pulumi's inference to this reading.
 */
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";

const ROOT = path.resolve(__dirname, "../..");
/**
 * provider/ first: as Pulumi's inference does, the first declaration of a name wins, and the
 * package's declarations there stand for two components' TypeScript classes.
 */
const SOURCES = ["provider", "components", "model"].flatMap((dir) =>
    fs.readdirSync(path.join(ROOT, dir)).filter((f) => f.endsWith(".ts")).map((f) => path.join(ROOT, dir, f)));

const parsed = new Map<string, ts.SourceFile>();
function sourceFiles(): ts.SourceFile[] {
    return SOURCES.map((file) => {
        let source = parsed.get(file);
        if (!source) {
            source = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.ES2022, true);
            parsed.set(file, source);
        }
        return source;
    });
}

function declaration<T extends ts.Node>(name: string, is: (node: ts.Node) => node is T): T {
    for (const source of sourceFiles()) {
        for (const statement of source.statements) {
            if (is(statement) && (statement as unknown as { name?: ts.Identifier }).name?.text === name) return statement;
        }
    }
    throw new Error(`no declaration of ${name} in provider/, components/ or model/`);
}

export function docComment(node: ts.Node): string | undefined {
    const docs = ts.getJSDocCommentsAndTags(node).filter(ts.isJSDoc);
    const text = docs.map((doc) => ts.getTextOfJSDocComment(doc.comment) ?? "").join("\n");
    return text === "" ? undefined : text;
}

export interface DeclaredProperty {
    name: string;
    optional: boolean;
    description?: string;
    /** The schema property its declared type stands for, without description and optional. */
    schemaType: Record<string, unknown>;
}

export interface DeclaredComponent {
    name: string;
    description?: string;
    inputs: DeclaredProperty[];
    outputs: DeclaredProperty[];
    /** Properties that are not public: the schema would publish them all the same. */
    hidden: string[];
}

/** How Pulumi's inference maps a declared type: `plain` unless the value may be an Output. */
function schemaType(node: ts.TypeNode, plain: boolean): Record<string, unknown> {
    const mark = (prop: Record<string, unknown>) => (plain ? { ...prop, plain: true } : prop);
    switch (node.kind) {
        case ts.SyntaxKind.StringKeyword: return mark({ type: "string" });
        case ts.SyntaxKind.NumberKeyword: return mark({ type: "number" });
        case ts.SyntaxKind.BooleanKeyword: return mark({ type: "boolean" });
    }
    if (ts.isArrayTypeNode(node)) return mark({ type: "array", items: schemaType(node.elementType, plain) });
    if (!ts.isTypeReferenceNode(node)) throw new Error(`no schema type for '${node.getText()}'`);
    const name = unqualified(node.typeName.getText());
    const [argument, second] = node.typeArguments ?? [];
    if (name === "pulumi.Input" || name === "pulumi.Output") return schemaType(argument, false);
    if (name === "Record") return mark({ type: "object", additionalProperties: schemaType(second, plain) });
    if (name.startsWith("aws.")) return { $ref: `aws resource ${name.split(".").pop()}` };
    return mark({ $ref: `#/types/stackstate-aws:index:${name}` });
}

function property(member: ts.PropertySignature | ts.PropertyDeclaration, plain: boolean): DeclaredProperty {
    if (!member.type) throw new Error(`property ${member.name.getText()} has no declared type`);
    return {
        name: member.name.getText(),
        optional: member.questionToken !== undefined,
        description: docComment(member),
        schemaType: schemaType(member.type, plain),
    };
}

/** A name without the namespace of this package's own modules (`components.AgentInstance`); pulumi's and aws's kept. */
function unqualified(name: string): string {
    return /^(pulumi|aws)\./.test(name) ? name : name.split(".").pop()!;
}

/** An interface's properties, its extended interfaces' included. */
export function interfaceProperties(name: string): DeclaredProperty[] {
    const node = declaration(name, ts.isInterfaceDeclaration);
    const inherited = (node.heritageClauses ?? []).flatMap((clause) => clause.types.flatMap((t) => interfaceProperties(unqualified(t.expression.getText()))));
    const own = node.members.filter(ts.isPropertySignature).map((m) => property(m, true));
    return [...own, ...inherited];
}

export function declaredComponent(className: string): DeclaredComponent {
    const node = declaration(className, ts.isClassDeclaration);
    const ctor = node.members.find(ts.isConstructorDeclaration);
    const args = ctor?.parameters.find((p) => p.name.getText() === "args");
    if (!args?.type || !ts.isTypeReferenceNode(args.type)) throw new Error(`${className}'s constructor has no typed args parameter`);
    const members = node.members.filter(ts.isPropertyDeclaration).filter((m) => !(ts.getCombinedModifierFlags(m) & ts.ModifierFlags.Static));
    const isPublic = (m: ts.PropertyDeclaration) => !(ts.getCombinedModifierFlags(m) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) && !ts.isPrivateIdentifier(m.name);
    return {
        name: className,
        description: docComment(node),
        inputs: interfaceProperties(args.type.typeName.getText()),
        outputs: members.filter(isPublic).map((m) => property(m, false)),
        hidden: members.filter((m) => !isPublic(m)).map((m) => m.name.getText()),
    };
}

/**
 * Whether an AWS resource type takes `tags`, read from the @pulumi/aws type declarations, so a
 * test can demand tags on every taggable resource without keeping its own list of types.
 */
import * as fs from "fs";
import * as path from "path";

const AWS_PACKAGE = path.dirname(require.resolve("@pulumi/aws/package.json"));
const cache = new Map<string, boolean>();

/** `aws:s3/bucketVersioning:BucketVersioning` → does `BucketVersioningArgs` declare `tags`? */
export function isTaggable(type: string): boolean {
    const known = cache.get(type);
    if (known !== undefined) return known;
    const match = /^aws:([^/]+)\/([^:]+):(\w+)$/.exec(type);
    if (!match) throw new Error(`not an AWS resource type: ${type}`);
    const [, module, file, className] = match;
    const declarations = fs.readFileSync(path.join(AWS_PACKAGE, module, `${file}.d.ts`), "utf8");
    const start = declarations.indexOf(`export interface ${className}Args {`);
    if (start < 0) throw new Error(`no ${className}Args in @pulumi/aws/${module}/${file}.d.ts`);
    const body = declarations.slice(start, declarations.indexOf("\n}", start));
    const taggable = /^\s{4}tags\?: /m.test(body);
    cache.set(type, taggable);
    return taggable;
}

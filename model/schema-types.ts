/**
 * A TypeScript interface checked against a JSON schema declared `as const`: both must name the
 * same keys and require the same ones, so a key added to one cannot be missing in the other.
 * The interface describes values after validation with defaults filled in (compileSchema's
 * useDefaults), so a key the schema gives a `default` counts as required.
 *
 *     const holds: SchemaMatch<StackConfigValues, typeof CONFIG_SCHEMA> = true;
 *
 * compiles only while they agree; when they drift, the error names the keys
 * (test/model/schema-types.test.ts shows each kind of drift failing).
 */
type SchemaKeys<S> = S extends { readonly properties: infer P } ? Extract<keyof P, string> : never;
type Listed<S> = S extends { readonly required: readonly (infer R)[] } ? Extract<R, string> : never;
type Defaulted<S> = S extends { readonly properties: infer P } ? { [K in keyof P]: P[K] extends { readonly default: unknown } ? K : never }[keyof P] & string : never;
type SchemaRequired<S> = Listed<S> | Defaulted<S>;
type OptionalKeys<T> = { [K in keyof T]-?: {} extends Pick<T, K> ? K : never }[keyof T];
type RequiredKeys<T> = Extract<Exclude<keyof T, OptionalKeys<T>>, string>;
type None<U> = [U] extends [never] ? true : false;

export type SchemaMatch<T, S> =
    None<Exclude<SchemaKeys<S>, keyof T>> extends false ? { keysMissingFromType: Exclude<SchemaKeys<S>, keyof T> }
    : None<Exclude<Extract<keyof T, string>, SchemaKeys<S>>> extends false ? { keysMissingFromSchema: Exclude<Extract<keyof T, string>, SchemaKeys<S>> }
    : None<Exclude<SchemaRequired<S>, RequiredKeys<T>>> extends false ? { requiredInSchemaOnly: Exclude<SchemaRequired<S>, RequiredKeys<T>> }
    : None<Exclude<RequiredKeys<T>, SchemaRequired<S>>> extends false ? { requiredInTypeOnly: Exclude<RequiredKeys<T>, SchemaRequired<S>> }
    : true;

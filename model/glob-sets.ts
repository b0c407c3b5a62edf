/**
 * Set relations between IAM wildcard patterns (`*` any run of characters, `?` exactly one):
 * does a pattern match everything another matches (containment), and do two patterns match a
 * common string (intersection)? Decided exactly on the patterns' automata, never by comparing
 * the strings, so `s3:Get*` contains `s3:GetBucket*` and `s3:*Tagging` meets `s3:GetBucket*`.
 *
 * Besides IAM's two wildcards a pattern may hold a run that cannot contain some characters
 * (`shapePattern`): an ARN format's `${BucketName}` is such a run, as a bucket name has no `/`.
 * That is what lets `arn:aws:s3:::logs/*` (objects) be told apart from every bucket.
 */

export interface GlobOptions {
    /** IAM action names compare case-insensitively; ARNs do not. */
    caseInsensitive?: boolean;
}

/** One position of a pattern: a character, or a wildcard standing for one character or a run. */
type Token =
    | { kind: "char"; char: string }
    | { kind: "one" | "run"; except?: ReadonlySet<string> };

/** A pattern as an NFA: state i means "i tokens consumed"; state tokens.length accepts. */
let patterns = 0;

export class Pattern {
    /** Tells patterns apart in caches of what was decided about them. */
    readonly id = patterns++;
    /** The pattern as written (case kept), for messages. */
    readonly source: string;
    readonly tokens: readonly Token[];
    /** The one string the pattern matches, when it has no wildcard. */
    readonly literal?: string;
    /** True when it matches every string (`*`, `**`). */
    readonly matchesEverything: boolean;
    private compiled?: RegExp;

    constructor(source: string, tokens: Token[]) {
        this.source = source;
        this.tokens = tokens;
        if (tokens.every((t) => t.kind === "char")) this.literal = tokens.map((t) => (t as { char: string }).char).join("");
        this.matchesEverything = tokens.length > 0 && tokens.every((t) => t.kind === "run" && !t.except);
        const fixed = (list: readonly Token[]) => {
            const end = list.findIndex((t) => t.kind !== "char");
            return (end < 0 ? list : list.slice(0, end)).map((t) => (t as { char: string }).char).join("");
        };
        this.prefix = fixed(tokens);
        this.suffix = [...fixed([...tokens].reverse())].reverse().join("");
    }

    /** The literal text every match starts with, and ends with. */
    readonly prefix: string;
    readonly suffix: string;

    get length(): number {
        return this.tokens.length;
    }

    /** Does the pattern match this concrete string? */
    matches(value: string): boolean {
        if (!this.compiled) {
            const escape = (c: string) => c.replace(/[.*+?^${}()|[\]\\\-/]/g, "\\$&");
            const body = this.tokens.map((t) => {
                if (t.kind === "char") return escape(t.char);
                const one = t.except ? `[^${[...t.except].map(escape).join("")}]` : ".";
                return t.kind === "one" ? one : `${one}*`;
            }).join("");
            this.compiled = new RegExp(`^${body}$`, "s");
        }
        return this.compiled.test(value);
    }

    /** The state plus every state reachable by letting runs match nothing. */
    closure(state: number, into: Set<number>): void {
        let s = state;
        into.add(s);
        while (s < this.length && this.tokens[s].kind === "run") into.add(++s);
    }

    /** States after reading `symbol` from `state` ("" stands for any character no pattern names). */
    step(state: number, symbol: string, into: Set<number>): void {
        if (state >= this.length) return;
        const token = this.tokens[state];
        if (token.kind === "char") {
            if (token.char === symbol) this.closure(state + 1, into);
        } else if (!token.except?.has(symbol)) {
            this.closure(token.kind === "run" ? state : state + 1, into);
        }
    }

    /** Every character the automaton tells apart from "any other character". */
    symbols(into: Set<string>): void {
        for (const t of this.tokens) {
            if (t.kind === "char") into.add(t.char);
            else if (t.except) for (const c of t.except) into.add(c);
        }
    }
}

export interface PatternOptions extends GlobOptions {
    /**
     * Read the text as a policy's resource ARN: IAM matches the partition, service, region and
     * account fields each on its own, so a wildcard there does not reach past its field's `:`;
     * and a short ARN (`arn:aws:ec2:*`) stands for one with its missing fields `*`.
     */
    arn?: boolean;
    /**
     * Read a policy variable (`${aws:username}`) as a run of any characters, the value it may take,
     * instead of as its literal text: wider for a Deny's resources, literal for an Allow's.
     */
    variablesAsRuns?: boolean;
}

const iamCaches = new Map<string, Map<string, Pattern>>();

/** An IAM pattern (`*`, `?`, everything else literal); cached, as policies repeat their patterns. */
export function iamPattern(text: string, options: PatternOptions = {}): Pattern {
    const flavour = `${options.caseInsensitive ? "i" : ""}${options.variablesAsRuns ? "v" : ""}${options.arn ? "a" : ""}`;
    let cache = iamCaches.get(flavour);
    if (!cache) iamCaches.set(flavour, cache = new Map());
    let pattern = cache.get(text);
    if (!pattern) {
        let source = options.caseInsensitive ? text.toLowerCase() : text;
        const isArn = options.arn === true && source.startsWith("arn:");
        if (isArn) source += ":*".repeat(Math.max(0, 5 - (source.match(/:/g) ?? []).length));
        const tokens: Token[] = [];
        let colons = 0;
        const field = () => isArn && colons < 5 ? FIELD_SEPARATOR : undefined;
        // `${*}`, `${?}` and `${$}` are IAM's escapes for those characters.
        for (const piece of options.variablesAsRuns ? source.split(/(\$\{[^}]*\})/) : [source]) {
            const variable = /^\$\{(.*)\}$/.exec(piece);
            if (variable && ["*", "?", "$"].includes(variable[1])) tokens.push({ kind: "char", char: variable[1] });
            else if (variable) tokens.push({ kind: "run", except: field() });
            else {
                for (const c of piece) {
                    if (c === "*" || c === "?") tokens.push({ kind: c === "*" ? "run" : "one", except: field() });
                    else tokens.push({ kind: "char", char: c });
                    if (c === ":") colons++;
                }
            }
        }
        pattern = new Pattern(text, tokens);
        if (cache.size > 10_000) cache.clear();
        cache.set(text, pattern);
    }
    return pattern;
}

const FIELD_SEPARATOR: ReadonlySet<string> = new Set([":"]);

/** A run that cannot contain the `except` characters (empty: any run). */
export interface RestrictedRun {
    except: string;
}

/** A pattern of literal text and restricted runs, e.g. `arn:`, a run without `:`, `:s3:::`… */
export function shapePattern(source: string, parts: readonly (string | RestrictedRun)[]): Pattern {
    const tokens: Token[] = [];
    for (const part of parts) {
        if (typeof part === "string") for (const c of part) tokens.push({ kind: "char", char: c });
        else tokens.push({ kind: "run", except: part.except ? new Set(part.except) : undefined });
    }
    return new Pattern(source, tokens);
}

/** A set of states across several patterns, as "pattern:state" keys. */
type MultiState = Set<string>;

function multiClosure(patterns: readonly Pattern[]): MultiState {
    const result: MultiState = new Set();
    patterns.forEach((p, g) => {
        const states = new Set<number>();
        p.closure(0, states);
        for (const state of states) result.add(`${g}:${state}`);
    });
    return result;
}

function multiStep(patterns: readonly Pattern[], current: MultiState, symbol: string): MultiState {
    const result: MultiState = new Set();
    for (const key of current) {
        const at = key.indexOf(":");
        const g = Number(key.slice(0, at));
        const next = new Set<number>();
        patterns[g].step(Number(key.slice(at + 1)), symbol, next);
        for (const state of next) result.add(`${g}:${state}`);
    }
    return result;
}

function accepts(patterns: readonly Pattern[], states: MultiState): boolean {
    for (const key of states) {
        const at = key.indexOf(":");
        if (Number(key.slice(at + 1)) === patterns[Number(key.slice(0, at))].length) return true;
    }
    return false;
}

function alphabet(patterns: readonly Pattern[]): string[] {
    const symbols = new Set<string>([""]);
    for (const p of patterns) p.symbols(symbols);
    return [...symbols];
}

/** True when every string `inner` matches is matched by at least one of `outers`. */
export function patternContainedIn(inner: Pattern, outers: readonly Pattern[]): boolean {
    if (outers.length === 0) return false;
    // A literal is contained when some outer pattern matches it.
    if (inner.literal !== undefined) return outers.some((o) => o.matches(inner.literal!));
    if (outers.some((o) => o.matchesEverything)) return true;

    // Walk the inner NFA against the determinised union of outer NFAs; a reachable pair where the
    // inner pattern accepts and no outer pattern does is a string outside the union.
    const symbols = alphabet([inner, ...outers]);
    const startOuter = multiClosure(outers);
    const startInner = new Set<number>();
    inner.closure(0, startInner);
    const queue: [number, MultiState][] = [...startInner].map((s) => [s, startOuter]);
    const seen = new Set<string>();
    while (queue.length > 0) {
        const [innerState, outerStates] = queue.pop()!;
        const key = `${innerState}|${[...outerStates].sort().join(",")}`;
        if (seen.has(key)) continue;
        seen.add(key);
        if (innerState === inner.length && !accepts(outers, outerStates)) return false;
        for (const symbol of symbols) {
            const nextInner = new Set<number>();
            inner.step(innerState, symbol, nextInner);
            if (nextInner.size === 0) continue;
            const nextOuter = multiStep(outers, outerStates, symbol);
            for (const s of nextInner) queue.push([s, nextOuter]);
        }
    }
    return true;
}

/** True when the two patterns match at least one common string. */
export function patternsIntersect(a: Pattern, b: Pattern): boolean {
    if (a.literal !== undefined) return b.matches(a.literal);
    if (b.literal !== undefined) return a.matches(b.literal);
    if (a.matchesEverything || b.matchesEverything) return true;
    // Most pairs differ in their literal start or end (another service, another type): no need
    // to walk the automata.
    const compatible = (x: string, y: string, atEnd: boolean) => atEnd ? x.endsWith(y) || y.endsWith(x) : x.startsWith(y) || y.startsWith(x);
    if (!compatible(a.prefix, b.prefix, false) || !compatible(a.suffix, b.suffix, true)) return false;
    const symbols = alphabet([a, b]);
    const queue: [number, number][] = [];
    const startA = new Set<number>();
    const startB = new Set<number>();
    a.closure(0, startA);
    b.closure(0, startB);
    for (const i of startA) for (const j of startB) queue.push([i, j]);
    const seen = new Set<string>();
    while (queue.length > 0) {
        const [i, j] = queue.pop()!;
        const key = `${i}:${j}`;
        if (seen.has(key)) continue;
        seen.add(key);
        if (i === a.length && j === b.length) return true;
        for (const symbol of symbols) {
            const nextA = new Set<number>();
            a.step(i, symbol, nextA);
            if (nextA.size === 0) continue;
            const nextB = new Set<number>();
            b.step(j, symbol, nextB);
            for (const x of nextA) for (const y of nextB) queue.push([x, y]);
        }
    }
    return false;
}

/**
 * True when every string `inner` matches is matched by at least one of `outers`: the union of
 * the outer patterns contains the inner pattern.
 */
export function globContainedIn(inner: string, outers: readonly string[], options: GlobOptions = {}): boolean {
    return patternContainedIn(iamPattern(inner, options), outers.map((o) => iamPattern(o, options)));
}

/** True when the two patterns match at least one common string. */
export function globsIntersect(a: string, b: string, options: GlobOptions = {}): boolean {
    return patternsIntersect(iamPattern(a, options), iamPattern(b, options));
}

/** True when some pattern in the list matches a string that `pattern` matches. */
export function globIntersectsAny(pattern: string, others: readonly string[], options: GlobOptions = {}): boolean {
    return others.some((other) => globsIntersect(pattern, other, options));
}

/**
 * Set relations between IAM wildcard patterns (`*` any run of characters, `?` exactly one):
 * does a pattern match everything another matches (containment), and do two patterns match a
 * common string (intersection)? Decided exactly on the patterns' automata, never by comparing
 * the strings, so `s3:Get*` contains `s3:GetBucket*` and `s3:*Tagging` meets `s3:GetBucket*`.
 */
import { wildcardMatches } from "./rules/action-match";

export interface GlobOptions {
    /** IAM action names compare case-insensitively; ARNs do not. */
    caseInsensitive?: boolean;
}

/** A pattern as an NFA: state i means "i characters of the pattern consumed"; state length accepts. */
class Glob {
    readonly source: string;
    constructor(pattern: string) {
        this.source = pattern;
    }
    get length(): number {
        return this.source.length;
    }
    get isLiteral(): boolean {
        return !/[*?]/.test(this.source);
    }
    /** The state plus every state reachable by letting `*` match nothing. */
    closure(state: number, into: Set<number>): void {
        let s = state;
        into.add(s);
        while (s < this.length && this.source[s] === "*") into.add(++s);
    }
    /** States after reading `symbol` from `state` ("" stands for any character no pattern names). */
    step(state: number, symbol: string, into: Set<number>): void {
        if (state >= this.length) return;
        const token = this.source[state];
        if (token === "*") this.closure(state, into);
        else if (token === "?" || token === symbol) this.closure(state + 1, into);
    }
}

function normalise(patterns: readonly string[], options: GlobOptions): Glob[] {
    return patterns.map((p) => new Glob(options.caseInsensitive ? p.toLowerCase() : p));
}

/** The characters any of the patterns name literally, plus "" for every other character. */
function alphabet(globs: Glob[]): string[] {
    const symbols = new Set<string>([""]);
    for (const g of globs) for (const c of g.source) if (c !== "*" && c !== "?") symbols.add(c);
    return [...symbols];
}

/** A set of states across several patterns, as "pattern:state" keys. */
type MultiState = Set<string>;

function multiClosure(globs: Glob[], starts: [number, number][]): MultiState {
    const result: MultiState = new Set();
    for (const [g, s] of starts) {
        const states = new Set<number>();
        globs[g].closure(s, states);
        for (const state of states) result.add(`${g}:${state}`);
    }
    return result;
}

function multiStep(globs: Glob[], current: MultiState, symbol: string): MultiState {
    const result: MultiState = new Set();
    for (const key of current) {
        const [g, s] = key.split(":").map(Number);
        const next = new Set<number>();
        globs[g].step(s, symbol, next);
        for (const state of next) result.add(`${g}:${state}`);
    }
    return result;
}

function accepts(globs: Glob[], states: MultiState): boolean {
    for (const key of states) {
        const [g, s] = key.split(":").map(Number);
        if (s === globs[g].length) return true;
    }
    return false;
}

/**
 * True when every string `inner` matches is matched by at least one of `outers`: the union of
 * the outer patterns contains the inner pattern.
 */
export function globContainedIn(inner: string, outers: readonly string[], options: GlobOptions = {}): boolean {
    if (outers.length === 0) return false;
    const [innerGlob] = normalise([inner], options);
    const outerGlobs = normalise(outers, options);
    // A literal is contained when some outer pattern matches it.
    if (innerGlob.isLiteral) return outerGlobs.some((g) => wildcardMatches(g.source, innerGlob.source));
    if (outerGlobs.some((g) => /^\*+$/.test(g.source))) return true;

    // Walk the inner NFA against the determinised union of outer NFAs; a reachable pair where the
    // inner pattern accepts and no outer pattern does is a string outside the union.
    const symbols = alphabet([innerGlob, ...outerGlobs]);
    const startOuter = multiClosure(outerGlobs, outerGlobs.map((_, g) => [g, 0]));
    const startInner = new Set<number>();
    innerGlob.closure(0, startInner);
    const queue: [number, MultiState][] = [...startInner].map((s) => [s, startOuter]);
    const seen = new Set<string>();
    while (queue.length > 0) {
        const [innerState, outerStates] = queue.pop()!;
        const key = `${innerState}|${[...outerStates].sort().join(",")}`;
        if (seen.has(key)) continue;
        seen.add(key);
        if (innerState === innerGlob.length && !accepts(outerGlobs, outerStates)) return false;
        for (const symbol of symbols) {
            const nextInner = new Set<number>();
            innerGlob.step(innerState, symbol, nextInner);
            if (nextInner.size === 0) continue;
            const nextOuter = multiStep(outerGlobs, outerStates, symbol);
            for (const s of nextInner) queue.push([s, nextOuter]);
        }
    }
    return true;
}

/** True when the two patterns match at least one common string. */
export function globsIntersect(a: string, b: string, options: GlobOptions = {}): boolean {
    const [ga, gb] = normalise([a, b], options);
    if (ga.isLiteral) return wildcardMatches(gb.source, ga.source);
    if (gb.isLiteral) return wildcardMatches(ga.source, gb.source);
    const symbols = alphabet([ga, gb]);
    const queue: [number, number][] = [];
    const startA = new Set<number>();
    const startB = new Set<number>();
    ga.closure(0, startA);
    gb.closure(0, startB);
    for (const i of startA) for (const j of startB) queue.push([i, j]);
    const seen = new Set<string>();
    while (queue.length > 0) {
        const [i, j] = queue.pop()!;
        const key = `${i}:${j}`;
        if (seen.has(key)) continue;
        seen.add(key);
        if (i === ga.length && j === gb.length) return true;
        for (const symbol of symbols) {
            const nextA = new Set<number>();
            const nextB = new Set<number>();
            ga.step(i, symbol, nextA);
            if (nextA.size === 0) continue;
            gb.step(j, symbol, nextB);
            for (const x of nextA) for (const y of nextB) queue.push([x, y]);
        }
    }
    return false;
}

/** True when some pattern in the list matches a string that `pattern` matches. */
export function globIntersectsAny(pattern: string, others: readonly string[], options: GlobOptions = {}): boolean {
    return others.some((other) => globsIntersect(pattern, other, options));
}

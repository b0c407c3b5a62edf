/** Everything `verify` shows a user: progress lines (stderr), the summary, and the JSON document. */
import { CheckResult, CheckStatus } from "./checks";

export const LABELS: Record<CheckStatus, string> = { pass: "PASS", fail: "FAIL", warn: "WARN", skip: "SKIP", error: "ERROR" };

/** The `--json` document: `{ "checks": [{ "id", "region", "status", "message" }] }`. */
export function renderJson(results: readonly CheckResult[]): string {
    return `${JSON.stringify({ checks: results.map(({ id, region, status, message }) => ({ id, region, status, message })) }, null, 2)}\n`;
}

export function progressLine(result: CheckResult, done: number, total: number): string {
    return `[${String(done).padStart(String(total).length)}/${total}] ${LABELS[result.status].padEnd(5)} ${result.region} ${result.id}\n`;
}

export function summaryLine(results: readonly CheckResult[]): string {
    const count = (status: CheckStatus) => results.filter((r) => r.status === status).length;
    const parts = [
        `${count("pass")} passed`,
        `${count("fail")} failed`,
        `${count("warn")} warning${count("warn") === 1 ? "" : "s"}`,
        `${count("skip")} skipped`,
        `${count("error")} could not be evaluated`,
    ];
    return `${results.length} checks: ${parts.join(", ")}`;
}

export function renderHuman(results: readonly CheckResult[], heading: string): string {
    const regionWidth = Math.max(...results.map((r) => r.region.length));
    const idWidth = Math.max(...results.map((r) => r.id.length));
    const lines = results.map((r) =>
        `${LABELS[r.status].padEnd(5)}  ${r.region.padEnd(regionWidth)}  ${r.id.padEnd(idWidth)}  ${r.message}`);
    return `${heading}\n\n${lines.join("\n")}\n\n${summaryLine(results)}\n`;
}

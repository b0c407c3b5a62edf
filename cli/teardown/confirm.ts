/** The confirmation prompt: the plan on stderr, an answer from the terminal. */
import { createInterface } from "node:readline/promises";

export async function askOnTerminal(planText: string): Promise<boolean> {
    const terminal = createInterface({ input: process.stdin, output: process.stderr });
    try {
        const answer = await terminal.question(`${planText}Proceed? Type "yes" to continue: `);
        return ["y", "yes"].includes(answer.trim().toLowerCase());
    } finally {
        terminal.close();
    }
}

/**
 * The confirmation prompt: the plan and the question on stderr (stdout stays the report), the
 * answer from the terminal. Only "y" or "yes" proceeds; anything else — including the input
 * ending (Ctrl-D) or the prompt being interrupted — is a "no", so an unanswered prompt never acts.
 */
import { createInterface } from "node:readline";

export const CONFIRM_QUESTION = 'Proceed? Type "yes" to continue: ';

export function askOnTerminal(
    planText: string,
    input: NodeJS.ReadableStream = process.stdin,
    output: NodeJS.WritableStream = process.stderr,
): Promise<boolean> {
    return new Promise((resolve) => {
        const terminal = createInterface({ input, output });
        let answered = false;
        // Without a listener, readline only pauses on Ctrl-C and the prompt would hang.
        terminal.once("SIGINT", () => terminal.close());
        terminal.once("close", () => {
            if (!answered) output.write("\n");
            resolve(false);
        });
        terminal.question(`${planText}${CONFIRM_QUESTION}`, (answer) => {
            answered = true;
            resolve(["y", "yes"].includes(answer.trim().toLowerCase()));
            terminal.close();
        });
    });
}

/** teardown's confirmation prompt: only an explicit yes proceeds; an ended input is a no, never a hang. */
import { expect } from "chai";
import { PassThrough } from "node:stream";
import { askOnTerminal, CONFIRM_QUESTION } from "../../../cli/teardown/confirm";

async function ask(typed: string | undefined): Promise<{ answer: boolean; shown: string }> {
    const input = new PassThrough();
    const output = new PassThrough();
    let shown = "";
    output.on("data", (chunk: Buffer) => { shown += chunk.toString(); });
    const pending = askOnTerminal("Teardown plan\n", input, output);
    if (typed !== undefined) input.write(typed);
    input.end();
    return { answer: await pending, shown };
}

describe("teardown: confirmation prompt", () => {
    for (const typed of ["yes\n", "y\n", " YES \n"]) {
        it(`proceeds on ${JSON.stringify(typed)}`, async () => {
            expect((await ask(typed)).answer).to.equal(true);
        });
    }

    for (const typed of ["no\n", "\n", "yess\n", "sure\n"]) {
        it(`declines on ${JSON.stringify(typed)}`, async () => {
            expect((await ask(typed)).answer).to.equal(false);
        });
    }

    it("declines when the input ends without an answer (Ctrl-D), and shows the plan before the question", async () => {
        const { answer, shown } = await ask(undefined);
        expect(answer).to.equal(false);
        expect(shown).to.equal(`Teardown plan\n${CONFIRM_QUESTION}\n`);
    });
});

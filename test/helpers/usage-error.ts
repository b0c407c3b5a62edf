import { expect } from "chai";
import { UsageError } from "../../cli/exit-codes";

/** The message of the UsageError a command's run must throw; fails the test if it throws none. */
export async function usageErrorOf(run: () => Promise<unknown>): Promise<string> {
    try {
        await run();
    } catch (error) {
        expect(error).to.be.instanceOf(UsageError);
        return (error as Error).message;
    }
    throw new Error("expected a UsageError");
}

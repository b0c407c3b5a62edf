/** The one place errors become exit codes: library errors (offline/) carry none of their own. */
import { expect } from "chai";
import { EXIT, exitOf, UsageError } from "../../cli/exit-codes";
import { PolicyConfigInvalidError, PolicyPackError, ProgramFailedError, UnmodelledInvokeError } from "../../offline/errors";

describe("exit codes of errors", () => {
    it("maps a bad policy pack config to bad input, with every problem in the message", () => {
        const exit = exitOf(new PolicyConfigInvalidError(['"nope" is not a policy of stackstate-aws', 'Policy "x" has no setting "y"']));
        expect(exit).to.deep.equal({
            code: EXIT.badInput,
            message: 'Invalid policy pack config:\n  "nope" is not a policy of stackstate-aws\n  Policy "x" has no setting "y"',
        });
    });

    it("maps what the offline engine or the pack could not do to failed, by its message alone", () => {
        for (const error of [new PolicyPackError("The policy pack did not start: no port within 5 ms."), new ProgramFailedError(["a", "b"]), new UnmodelledInvokeError("aws:x/getY:getY")]) {
            expect(exitOf(error)).to.deep.equal({ code: EXIT.failed, message: error.message });
        }
        expect(exitOf(new ProgramFailedError(["a", "b"])).message).to.equal("the program failed: a; b");
    });

    it("keeps a command's own code, and shows anything unexpected with its stack", () => {
        expect(exitOf(new UsageError("--regions is required"))).to.deep.equal({ code: EXIT.badInput, message: "--regions is required" });
        const bug = new TypeError("x is undefined");
        expect(exitOf(bug)).to.deep.equal({ code: EXIT.failed, message: bug.stack });
        expect(exitOf("thrown text")).to.deep.equal({ code: EXIT.failed, message: "thrown text" });
    });
});

/** Runs one check and turns whatever it throws into a verdict: a denial fails it, anything else is `error`. */
import { classifyAwsError, describeAwsFailure } from "../aws/errors";
import { CheckId, CheckResult, Verdict } from "./checks";

export async function evaluate(id: CheckId, region: string, body: () => Promise<Verdict>): Promise<CheckResult> {
    try {
        return { id, region, ...(await body()) };
    } catch (error) {
        const failure = classifyAwsError(error);
        return { id, region, status: failure.kind === "denied" ? "fail" : "error", message: describeAwsFailure(failure) };
    }
}

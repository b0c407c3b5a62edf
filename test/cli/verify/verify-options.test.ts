/** verify's flags: every problem named by its flag, all at once, before any client exists (exit 2). */
import { expect } from "chai";
import { verifyCommand } from "../../../cli/verify";
import { parseVerifyFlags, VerifyFlags } from "../../../cli/verify/options";

const ROLE = "arn:aws:iam::111122223333:role/StackStateAwsIntegrationRole";
const ID = "options-test-external-id-0123";

const problemsOf = (flags: VerifyFlags): string[] => {
    try {
        parseVerifyFlags(flags);
        return [];
    } catch (error) {
        expect(error).to.have.property("name", "UsageError");
        return (error as Error).message.split("\n").slice(1).map((line) => line.replace(/^ {2}- /, ""));
    }
};

describe("verify: flags", () => {
    it("accepts a role with a path, drops repeated regions and defaults the main region to the first", () => {
        expect(parseVerifyFlags({ roleArn: "arn:aws:iam::111122223333:role/team/ops/StackStateAwsIntegrationRole", externalId: ID, regions: "us-east-1, eu-west-1,us-east-1" }))
            .to.deep.equal({
                role: { arn: "arn:aws:iam::111122223333:role/team/ops/StackStateAwsIntegrationRole", partition: "aws", accountId: "111122223333", path: "/team/ops/", name: "StackStateAwsIntegrationRole" },
                externalId: ID, regions: ["us-east-1", "eu-west-1"], mainRegion: "us-east-1", agentProfile: undefined, concurrency: 8, timeoutSeconds: 30,
            });
    });

    it("names every missing flag at once", () => {
        expect(problemsOf({})).to.deep.equal([
            "--role-arn must be an IAM role ARN such as arn:aws:iam::123456789012:role/StackStateAwsIntegrationRole (partition aws or aws-us-gov), is ''",
            "--external-id is required: the ExternalId the Agent presents (or --external-id-file FILE, or STACKSTATE_AWS_EXTERNAL_ID, which ps and shell history do not show)",
            "--regions must list at least one region, e.g. --regions eu-west-1,us-east-1",
        ]);
    });

    const bad: [string, VerifyFlags, string][] = [
        ["a user ARN instead of a role", { roleArn: "arn:aws:iam::111122223333:user/bob" }, "--role-arn must be an IAM role ARN such as arn:aws:iam::123456789012:role/StackStateAwsIntegrationRole (partition aws or aws-us-gov), is 'arn:aws:iam::111122223333:user/bob'"],
        ["an unknown region", { regions: "eu-west-1,mars-north-1" }, "--regions: unknown region 'mars-north-1'. Known regions are:"],
        ["a one-character ExternalId", { externalId: "x" }, "--external-id must be at least 2 characters"],
        ["an ExternalId with a space", { externalId: "two words" }, "--external-id may contain only letters, digits and the characters _+=,.@:/-"],
        ["an ExternalId over 1,224 characters", { externalId: "x".repeat(1225) }, "--external-id must be at most 1224 characters"],
        ["regions of two partitions", { regions: "eu-west-1,us-gov-west-1" }, "--regions mixes partitions (aws, aws-us-gov); one account lives in one partition"],
        ["regions in another partition than the role", { regions: "us-gov-west-1" }, "--regions are in partition aws-us-gov but --role-arn is in aws"],
        ["a main region outside --regions", { mainRegion: "eu-central-1" }, "--main-region 'eu-central-1' must be one of --regions (eu-west-1)"],
        ["a concurrency of 0", { concurrency: "0" }, "--concurrency must be a whole number from 1 to 64, is '0'"],
        ["a blank agent profile", { agentProfile: " " }, "--agent-profile must name a profile"],
    ];
    for (const [what, flags, problem] of bad) {
        it(`refuses ${what}, naming the flag`, () => {
            const problems = problemsOf({ roleArn: ROLE, externalId: ID, regions: "eu-west-1", ...flags });
            expect(problems).to.have.length(1);
            expect(problems[0].startsWith(problem), problems[0]).to.equal(true);
        });
    }

    it("refuses before any AWS client is made", async () => {
        let made = false;
        const outcome = await verifyCommand({ roleArn: "nonsense", externalId: ID, regions: "eu-west-1" },
            { stdout: () => undefined, stderr: () => undefined },
            () => { made = true; throw new Error("no client expected"); }).catch((e: Error) => e.name);
        expect([outcome, made]).to.deep.equal(["UsageError", false]);
    });
});

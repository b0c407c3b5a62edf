/**
 * The role's trust: the ExternalId is strong enough, the trust policy requires it with
 * StringEquals, and AssumeRole behaves accordingly — admitted with the ExternalId, refused
 * without it and with a wrong one (AWS's own guidance; the Agent itself refuses to run when an
 * AssumeRole without the ExternalId succeeds).
 */
import { randomBytes } from "node:crypto";
import { AssumeRoleCommand } from "@aws-sdk/client-sts";
import {
    EXTERNAL_ID_MIN_LENGTH, externalIdTrustProblems, GENERATED_EXTERNAL_ID_LENGTH, parsePolicyDocument,
} from "../../model";
import { awsCall, classifyAwsError } from "../aws/errors";
import { CheckResult, fail, GLOBAL_REGION, pass, skip, Verdict, warn } from "./checks";
import { VerifyContext } from "./context";
import { evaluate } from "./evaluate";
import { acceptedExternalIds, trustNamesCaller } from "./trusted-principal";

export const PROBE_SESSION_NAME = "stackstate-verify";

export async function checkExternalIdStrength(ctx: VerifyContext): Promise<Verdict> {
    const length = ctx.input.externalId.length;
    return length >= EXTERNAL_ID_MIN_LENGTH
        ? pass(`the ExternalId has ${length} characters`)
        : warn(`the ExternalId has only ${length} characters: anyone who guesses it and is trusted by the role can assume it; use at least ${EXTERNAL_ID_MIN_LENGTH} random characters (this package generates ${GENERATED_EXTERNAL_ID_LENGTH})`);
}

export async function checkTrustPolicy(ctx: VerifyContext): Promise<Verdict> {
    const role = await ctx.role();
    if (!role) return fail(`role ${ctx.input.role.arn} does not exist`);
    const trust = parsePolicyDocument(role.AssumeRolePolicyDocument);
    const problems = externalIdTrustProblems(trust);
    if (!acceptedExternalIds(trust).includes(ctx.input.externalId)) {
        problems.push("no statement accepts the ExternalId given with --external-id");
    }
    return problems.length === 0
        ? pass("the trust policy requires the ExternalId with StringEquals")
        : fail(`the trust policy of ${ctx.input.role.name}: ${problems.join("; ")}`);
}

type Outcome = { admitted: true } | { admitted: false; detail: string };

/** AssumeRole as the probe principal; a refusal is an answer, any other failure is thrown. */
async function tryAssume(ctx: VerifyContext, externalId: string | undefined): Promise<Outcome> {
    try {
        await awsCall("sts:AssumeRole", () => ctx.probeSts.send(new AssumeRoleCommand({
            RoleArn: ctx.input.role.arn,
            RoleSessionName: PROBE_SESSION_NAME,
            DurationSeconds: 900,
            ...(externalId !== undefined ? { ExternalId: externalId } : {}),
        })));
        return { admitted: true };
    } catch (error) {
        const failure = classifyAwsError(error);
        if (failure.kind === "denied") return { admitted: false, detail: failure.detail };
        throw error;
    }
}

export function wrongExternalId(actual: string): string {
    let candidate: string;
    do candidate = `stackstate-verify-${randomBytes(16).toString("hex")}`; while (candidate === actual);
    return candidate;
}

/**
 * The three AssumeRole probes. They run only for a principal the trust policy names (or when
 * the policy cannot be read); the refusal probes run only after the ExternalId was admitted,
 * since a refusal of a principal that is refused anyway proves nothing.
 */
export async function assumeRoleProbes(ctx: VerifyContext): Promise<CheckResult[]> {
    const ids = ["assume-role-with-external-id", "assume-role-without-external-id", "assume-role-with-wrong-external-id"] as const;
    const all = (verdict: Verdict): CheckResult[] => ids.map((id) => ({ id, region: GLOBAL_REGION, ...verdict }));

    let prober: string;
    try {
        prober = (await ctx.probeIdentity()).Arn ?? "the caller";
    } catch (error) {
        return Promise.all(ids.map((id) => evaluate(id, GLOBAL_REGION, () => Promise.reject(error))));
    }
    // An unreadable role (e.g. no iam:GetRole) leaves `named` unknown: probe anyway.
    const role = await ctx.role().catch(() => "unreadable" as const);
    if (role === undefined) return all(skip(`not probed: role ${ctx.input.role.arn} does not exist`));
    const named = role !== "unreadable" && role.AssumeRolePolicyDocument
        ? trustNamesCaller(parsePolicyDocument(role.AssumeRolePolicyDocument), prober)
        : undefined;
    if (named === false) {
        return all(skip(`not probed: the trust policy does not name ${prober}, so AssumeRole would be refused whatever the ExternalId; rerun with --agent-profile naming credentials of a principal the trust policy names (the Agent's)`));
    }

    let admitted = false;
    const withId = await evaluate(ids[0], GLOBAL_REGION, async () => {
        const outcome = await tryAssume(ctx, ctx.input.externalId);
        if (outcome.admitted) {
            admitted = true;
            return pass(`${prober} can assume the role with the ExternalId`);
        }
        return fail(`AssumeRole with the ExternalId was refused for ${prober}${named ? ", which the trust policy names" : ""} (${outcome.detail}): check the ExternalId, and that ${prober} may call sts:AssumeRole on ${ctx.input.role.arn}`);
    });
    if (!admitted) {
        return [withId, ...ids.slice(1).map((id) => ({
            id, region: GLOBAL_REGION,
            ...skip("not probed: AssumeRole with the ExternalId did not succeed, so a refusal here would prove nothing"),
        }))];
    }
    const refusal = (id: (typeof ids)[number], externalId: string | undefined, what: string, why: string) =>
        evaluate(id, GLOBAL_REGION, async () => {
            const outcome = await tryAssume(ctx, externalId);
            return outcome.admitted
                ? fail(`SECURITY: AssumeRole ${what} succeeds for ${prober}: ${why}; require sts:ExternalId with StringEquals`)
                : pass(`AssumeRole ${what} is refused`);
        });
    const [without, wrong] = await Promise.all([
        refusal(ids[1], undefined, "without an ExternalId",
            "any principal the trust policy names can assume the role without knowing the ExternalId, and the Agent refuses to run while this succeeds"),
        refusal(ids[2], wrongExternalId(ctx.input.externalId), "with a wrong ExternalId",
            "the trust policy accepts ExternalIds other than the one given"),
    ]);
    return [withId, without, wrong];
}

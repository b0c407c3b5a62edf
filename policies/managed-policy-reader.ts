/**
 * Reads managed policies that are not in the stack (AWS-managed, or created elsewhere) from IAM:
 * GetPolicy for the default version, then GetPolicyVersion for its document. Each ARN is read at
 * most once per pack run (one `pulumi preview`), and a missing-credentials answer stops further
 * attempts, so there is never a network call per resource. What cannot be read becomes an
 * "unknown" source with the reason, which the policy reports at advisory level.
 */
import { arnPartition } from "../model/arn";
import { parsePolicyDocument } from "../model/iam-document";
import { PolicySource } from "../model/iam-eval";

/**
 * The part of an IAM client the reader uses: an `IAMClient` fits, and tests hand in one mocked
 * with aws-sdk-client-mock. Declared here, with the two answers' shapes below, rather than taken
 * from @aws-sdk/client-iam's types: the pack runner type-checks on every launch, and those types
 * alone add a second to it.
 */
export interface IamSender {
    send(command: object): Promise<unknown>;
}

interface GetPolicyAnswer { Policy?: { DefaultVersionId?: string } }
interface GetPolicyVersionAnswer { PolicyVersion?: { Document?: string } }
type CommandClass = new (input: { PolicyArn: string; VersionId?: string }) => object;
interface IamModule { GetPolicyCommand: CommandClass; GetPolicyVersionCommand: CommandClass; IAMClient: new (config: { region: string }) => IamSender }

/** Loaded on first use: most runs never read a policy from AWS, and the pack starts faster without it. */
const iam = () => require("@aws-sdk/client-iam") as IamModule;

export interface ManagedPolicyReader {
    read(arn: string): Promise<PolicySource>;
}

/** The SDK's answer when the credential chain finds nothing (the name varies by provider). */
function isCredentialsFailure(error: unknown): boolean {
    const e = error as { name?: string; message?: string };
    return e?.name === "CredentialsProviderError" || /Could not load credentials/i.test(e?.message ?? "");
}

/** Why reading failed, in words a user can act on. */
function failure(arn: string, error: unknown): string {
    const e = error as { name?: string; message?: string };
    const name = e?.name ?? "";
    if (isCredentialsFailure(error)) return `managed policy ${arn} is not in the stack and there are no AWS credentials to read it`;
    if (/AccessDenied/.test(name)) return `managed policy ${arn} could not be read: the credentials are not allowed iam:GetPolicy and iam:GetPolicyVersion on it`;
    if (/NoSuchEntity/.test(name)) return `managed policy ${arn} does not exist in the account of the credentials`;
    return `managed policy ${arn} could not be read (${name || "error"}: ${e?.message ?? String(error)})`;
}

/** A reader over the client `clientFor(arn)` returns (one per partition in practice). */
export function iamPolicyReader(clientFor: (arn: string) => IamSender): ManagedPolicyReader {
    const cache = new Map<string, Promise<PolicySource>>();
    let noCredentials = false;
    const fetch = async (arn: string): Promise<PolicySource> => {
        const name = `managed policy ${arn}`;
        if (noCredentials) return { name, unknown: failure(arn, { name: "CredentialsProviderError" }) };
        const { GetPolicyCommand, GetPolicyVersionCommand } = iam();
        try {
            const client = clientFor(arn);
            const policy = await client.send(new GetPolicyCommand({ PolicyArn: arn })) as GetPolicyAnswer;
            const versionId = policy.Policy?.DefaultVersionId;
            if (!versionId) return { name, unknown: `managed policy ${arn} has no default version` };
            const version = await client.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: versionId })) as GetPolicyVersionAnswer;
            const text = version.PolicyVersion?.Document;
            if (!text) return { name, unknown: `managed policy ${arn} returned no document` };
            return { name, document: parsePolicyDocument(text) };
        } catch (error) {
            if (isCredentialsFailure(error)) noCredentials = true;
            return { name, unknown: failure(arn, error) };
        }
    };
    return {
        read(arn: string) {
            let entry = cache.get(arn);
            if (!entry) {
                entry = fetch(arn);
                cache.set(arn, entry);
            }
            return entry;
        },
    };
}

/** IAM is global, but its endpoint depends on the partition. */
function regionForArn(arn: string): string {
    const partition = arnPartition(arn);
    if (partition === "aws-cn") return "cn-north-1";
    if (partition === "aws-us-gov") return "us-gov-west-1";
    return process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? "us-east-1";
}

/** The pack's reader: the standard AWS credential chain, one client per region, created on first use. */
export function defaultManagedPolicyReader(): ManagedPolicyReader {
    const clients = new Map<string, IamSender>();
    return iamPolicyReader((arn) => {
        const region = regionForArn(arn);
        let client = clients.get(region);
        if (!client) {
            client = new (iam().IAMClient)({ region });
            clients.set(region, client);
        }
        return client;
    });
}

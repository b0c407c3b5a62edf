/** What the collector host may read: its secrets, and nothing else in Parameter Store. */
import { document, PolicyDocument, PolicyStatement } from "./iam-document";
import { ssmParameterArn } from "./collector-settings";

export interface CollectorSecretsArgs {
    partition: string;
    region: string;
    accountId: string;
    /** The API key parameter and the ExternalId parameters. */
    parameterNames: string[];
    /** Customer-managed key of the SecureStrings; with the AWS-managed key none is needed. */
    kmsKeyArn?: string;
}

/** Every action that returns a parameter's value. */
export const PARAMETER_READ_ACTIONS = ["ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath", "ssm:GetParameterHistory"];

/**
 * Allow GetParameter on exactly these parameters. AmazonSSMManagedInstanceCore (Session Manager)
 * allows ssm:GetParameter(s) on `*`, so a deny on every other parameter keeps the host to its own
 * secrets whatever else is attached. KMS decryption only through SSM, for these parameters.
 */
export function collectorSecretsPolicy(args: CollectorSecretsArgs): PolicyDocument {
    const arns = [...new Set(args.parameterNames)].map((name) => ssmParameterArn(args.partition, args.region, args.accountId, name));
    const statements: PolicyStatement[] = [
        { Sid: "ReadStackStateSecrets", Effect: "Allow", Action: "ssm:GetParameter", Resource: arns },
        { Sid: "DenyOtherParameters", Effect: "Deny", Action: PARAMETER_READ_ACTIONS, NotResource: arns },
    ];
    if (args.kmsKeyArn !== undefined) {
        statements.push({
            Sid: "DecryptStackStateSecrets",
            Effect: "Allow",
            Action: "kms:Decrypt",
            Resource: args.kmsKeyArn,
            Condition: {
                StringEquals: {
                    "kms:ViaService": `ssm.${args.region}.amazonaws.com`,
                    "kms:EncryptionContext:PARAMETER_ARN": arns,
                },
            },
        });
    }
    return document(statements);
}

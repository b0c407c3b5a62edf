import { expect } from "chai";
import { readFileSync } from "fs";
import * as path from "path";
import YAML from "yaml";
import { validateCollectorConfig } from "../../model/collector-config";
import { COLLECTOR_CONFIG_NAMESPACE, COLLECTOR_CONFIG_SCHEMA } from "../../model/collector-config-schema";
import { ConfigError } from "../../model/validation";
import { API_KEY_PARAMETER, BASE, LISTED_ID, NS, roleArn } from "../helpers/collector-config";

describe("collector config", () => {
    const problems = (overrides: Record<string, string | undefined>) => {
        try {
            validateCollectorConfig({ ...BASE, ...overrides });
        } catch (error) {
            expect(error).to.be.instanceOf(ConfigError);
            return (error as Error).message;
        }
        throw new Error("expected a ConfigError");
    };

    it("fills in the documented defaults", () => {
        const config = validateCollectorConfig({ ...BASE, [`${NS}accounts`]: undefined, [`${NS}rootVolumeSize`]: "30" });
        expect(config).to.deep.equal({
            region: "eu-west-1", partition: "aws",
            stackStateUrl: "https://stackstate.example.com/receiver/stsAgent", apiKeyParameter: API_KEY_PARAMETER,
            subnetIds: ["subnet-0123abcd", "subnet-4567cdef"], accounts: [], monitoredStacks: ["acme/stackstate-aws/prod"],
            collectionInterval: 60, agentVersion: "2.16.0",
            amiParameter: "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64",
            instanceType: "t3.medium", rootDeviceName: "/dev/xvda", rootVolumeSize: 30, noProxy: [],
            roleName: "StackStateAgentRole", rolePath: "/", tags: {}, proxyUrl: undefined,
        });
    });

    it("names every bad key and its rule at once, never an ExternalId", () => {
        const message = problems({
            "aws:region": undefined,
            [`${NS}stackStateUrl`]: "ftp://nope",
            [`${NS}apiKeyParameter`]: undefined,
            [`${NS}subnetIds`]: "subnet-0123abcd",
            [`${NS}instanceTypo`]: "t3.small",
            [`${NS}proxyUrl`]: "http://user:hunter2@proxy:3128",
            [`${NS}accounts`]: JSON.stringify([{ roleArn: roleArn("111122223333"), externalId: "leaky-but-short", regions: ["eu-west-1"] }]),
        });
        expect(message).to.equal([
            "Invalid stack configuration:",
            "  - stackstate-aws-collector:subnetIds: must be structured (a YAML list or map), not plain text",
            "  - stackstate-aws-collector:apiKeyParameter: is required",
            `  - stackstate-aws-collector:instanceTypo: is not a known key. Known keys are: ${Object.keys(COLLECTOR_CONFIG_SCHEMA.properties).join(", ")}.`,
            "  - stackstate-aws-collector:stackStateUrl: must be an http:// or https:// URL without spaces or quotes, got \"ftp://nope\"",
            "  - stackstate-aws-collector:accounts: must be 16-1224 characters of letters, digits and _+=,.@:/- (at [0].externalId)",
            "  - stackstate-aws-collector:proxyUrl: must be a proxy URL such as http://proxy.internal:3128, without credentials (they would land in user data) or a path, got \"http://user:hunter2@proxy:3128\"",
            "  - aws:region: must be set to a known AWS region (pulumi config set aws:region <region>)",
        ].join("\n"));
        expect(message).not.to.contain("leaky-but-short");
        // A secret under a misspelt name, or an entry that is only a secret, is not echoed either.
        for (const accounts of [{ roleArn: roleArn("111122223333"), externalID: "misspelt-secret-value" }, ["misspelt-secret-value"]]) {
            const text = problems({ [`${NS}accounts`]: JSON.stringify(accounts) });
            expect(text).to.include("stackstate-aws-collector:accounts: ");
            expect(text).to.not.include("misspelt-secret-value");
        }
    });

    it("checks accounts against each other, the role the host may assume and the region's partition", () => {
        expect(problems({
            [`${NS}accounts`]: JSON.stringify([
                { roleArn: "arn:aws:iam::111122223333:role/Custom", externalId: LISTED_ID, regions: ["eu-west-1"] },
                { roleArn: "arn:aws:iam::111122223333:role/ops/StackStateAwsIntegrationRole", externalId: LISTED_ID, regions: ["eu-west-1"] },
                { roleArn: "arn:aws-us-gov:iam::222233334444:role/StackStateAwsIntegrationRole", externalId: LISTED_ID, regions: ["us-gov-west-1"] },
            ]),
            [`${NS}kmsKeyArn`]: "arn:aws:kms:us-east-1:111122223333:key/0123abcd-0123-4567-89ab-0123456789ab",
        })).to.equal([
            "Invalid stack configuration:",
            "  - stackstate-aws-collector:accounts: [1] (arn:aws:iam::111122223333:role/ops/StackStateAwsIntegrationRole): account 111122223333 is already [0]; the Agent needs one instance per account",
            "  - stackstate-aws-collector:accounts: [0] (arn:aws:iam::111122223333:role/Custom): roleArn must name StackStateAwsIntegrationRole, the only role the host may assume",
            "  - stackstate-aws-collector:accounts: [2] (arn:aws-us-gov:iam::222233334444:role/StackStateAwsIntegrationRole): roleArn must be in partition 'aws' like aws:region eu-west-1",
            "  - stackstate-aws-collector:accounts: integration roles must share one IAM path (the host's policy names one), got /, /ops/",
            "  - stackstate-aws-collector:kmsKeyArn: must be a key in eu-west-1, where the parameters are, got arn:aws:kms:us-east-1:111122223333:key/0123abcd-0123-4567-89ab-0123456789ab",
        ].join("\n"));
    });

    it("reports the schema's problems and the rules' between keys in one run, judging each account's sound fields", () => {
        expect(problems({
            [`${NS}stackStateUrl`]: "ftp://nope",
            [`${NS}accounts`]: JSON.stringify([
                { roleArn: "arn:aws:iam::111122223333:role/Custom", externalId: LISTED_ID, regions: ["eu-west-1"], tags: [""] },
                { roleArn: roleArn("111122223333"), externalId: "short", regions: ["eu-west-1"] },
            ]),
            [`${NS}kmsKeyArn`]: "arn:aws:kms:us-east-1:111122223333:key/0123abcd-0123-4567-89ab-0123456789ab",
        })).to.equal([
            "Invalid stack configuration:",
            "  - stackstate-aws-collector:stackStateUrl: must be an http:// or https:// URL without spaces or quotes, got \"ftp://nope\"",
            "  - stackstate-aws-collector:accounts: entries must be non-empty strings such as key:value (at [0].tags[0]), got \"\"; must be 16-1224 characters of letters, digits and _+=,.@:/- (at [1].externalId)",
            "  - stackstate-aws-collector:accounts: [1] (arn:aws:iam::111122223333:role/StackStateAwsIntegrationRole): account 111122223333 is already [0]; the Agent needs one instance per account",
            "  - stackstate-aws-collector:accounts: [0] (arn:aws:iam::111122223333:role/Custom): roleArn must name StackStateAwsIntegrationRole, the only role the host may assume",
            "  - stackstate-aws-collector:kmsKeyArn: must be a key in eu-west-1, where the parameters are, got arn:aws:kms:us-east-1:111122223333:key/0123abcd-0123-4567-89ab-0123456789ab",
        ].join("\n"));
    });

    it("matches collector/Pulumi.yaml: every declared key is in the schema with the same description", () => {
        const project = YAML.parse(readFileSync(path.join(__dirname, "..", "..", "collector", "Pulumi.yaml"), "utf8"));
        expect(project.name).to.equal(COLLECTOR_CONFIG_NAMESPACE);
        const properties = COLLECTOR_CONFIG_SCHEMA.properties as Record<string, { description: string; default?: unknown }>;
        for (const [key, declared] of Object.entries(project.config as Record<string, { description: string; default?: unknown }>)) {
            expect(properties[key], key).to.not.equal(undefined);
            expect(declared.description, key).to.equal(properties[key].description);
            expect(declared.default, key).to.deep.equal(properties[key].default);
        }
    });
});

import { expect } from "chai";
import { mockClient } from "aws-sdk-client-mock";
import { GetPolicyCommand, GetPolicyVersionCommand, IAMClient } from "@aws-sdk/client-iam";
import { iamPolicyReader } from "../../policies/managed-policy-reader";

const ARN = "arn:aws:iam::aws:policy/ReadOnlyAccess";
const DOCUMENT = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "ec2:Describe*", Resource: "*" }] };

function setup() {
    const client = new IAMClient({ region: "us-east-1" });
    const iam = mockClient(client);
    return { client, iam, reader: iamPolicyReader(() => client) };
}

describe("iamPolicyReader: managed policies outside the stack", () => {
    it("reads the default version's document, URL-decoded, once per ARN", async () => {
        const { iam, reader } = setup();
        iam.on(GetPolicyCommand, { PolicyArn: ARN }).resolves({ Policy: { DefaultVersionId: "v3" } });
        iam.on(GetPolicyVersionCommand, { PolicyArn: ARN, VersionId: "v3" })
            .resolves({ PolicyVersion: { Document: encodeURIComponent(JSON.stringify(DOCUMENT)) } });
        const [first, second] = await Promise.all([reader.read(ARN), reader.read(ARN)]);
        expect(first).to.deep.equal({ name: `managed policy ${ARN}`, document: DOCUMENT });
        expect(second).to.equal(first);
        expect(await reader.read(ARN)).to.equal(first);
        expect(iam.commandCalls(GetPolicyCommand)).to.have.length(1);
        expect(iam.commandCalls(GetPolicyVersionCommand)).to.have.length(1);
    });

    it("turns an access denial into an unknown document that says which permissions are missing", async () => {
        const { iam, reader } = setup();
        iam.on(GetPolicyCommand).rejects(Object.assign(new Error("not authorized"), { name: "AccessDenied" }));
        expect(await reader.read(ARN)).to.deep.equal({
            name: `managed policy ${ARN}`,
            unknown: `managed policy ${ARN} could not be read: the credentials are not allowed iam:GetPolicy and iam:GetPolicyVersion on it`,
        });
    });

    it("stops calling AWS after the credential chain finds no credentials", async () => {
        const { iam, reader } = setup();
        iam.on(GetPolicyCommand).rejects(Object.assign(new Error("Could not load credentials from any providers"), { name: "CredentialsProviderError" }));
        const other = "arn:aws:iam::123456789012:policy/Boundary";
        expect(await reader.read(ARN)).to.deep.equal({
            name: `managed policy ${ARN}`,
            unknown: `managed policy ${ARN} is not in the stack and there are no AWS credentials to read it`,
        });
        expect(await reader.read(other)).to.deep.equal({
            name: `managed policy ${other}`,
            unknown: `managed policy ${other} is not in the stack and there are no AWS credentials to read it`,
        });
        expect(iam.commandCalls(GetPolicyCommand)).to.have.length(1);
    });

    it("reports a policy that does not exist", async () => {
        const { iam, reader } = setup();
        iam.on(GetPolicyCommand).rejects(Object.assign(new Error("not found"), { name: "NoSuchEntityException" }));
        expect(await reader.read(ARN)).to.deep.equal({
            name: `managed policy ${ARN}`,
            unknown: `managed policy ${ARN} does not exist in the account of the credentials`,
        });
    });
});

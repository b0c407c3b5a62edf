import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { AgentInstanceProfile } from "../../components/agent-instance-profile";
import { valueOf, Registration, unwrapSecrets } from "../../offline/mock-engine";
import { testEngine, uniqueName } from "../helpers/engine";

async function build(args: ConstructorParameters<typeof AgentInstanceProfile>[1]) {
    const name = uniqueName("agent");
    const component = new AgentInstanceProfile(name, args);
    const urn = await valueOf(component.urn);
    await valueOf(component.instanceProfileArn);
    await testEngine().settle();
    const children = testEngine().descendantsOf(urn);
    const byName = (suffix: string): Registration => {
        const found = children.find((r) => r.name === `${name}-${suffix}`);
        if (!found) throw new Error(`no child ${name}-${suffix}`);
        return found;
    };
    return { name, component, urn, children, byName };
}

const inputs = (r: Registration) => unwrapSecrets(r.inputs, true) as Record<string, unknown>;

describe("AgentInstanceProfile", () => {
    it("creates an EC2 role, its assume-role policy on the named accounts, and a profile holding it", async () => {
        const { component, urn, children, byName } = await build({
            monitoredAccountIds: ["111122223333", pulumi.output("444455556666"), "111122223333"],
            integrationRolePath: "/stackstate/",
            path: "/agents/",
            permissionsBoundaryArn: "arn:aws:iam::999988887777:policy/Boundary",
            tags: { team: "observability" },
        });
        expect(children.map((r) => [r.type, r.parent === urn]).sort()).to.deep.equal([
            ["aws:iam/instanceProfile:InstanceProfile", true],
            ["aws:iam/role:Role", true],
            ["aws:iam/rolePolicy:RolePolicy", true],
        ]);
        const role = inputs(byName("role"));
        expect(role.name).to.equal("StackStateAgentRole");
        expect(role.path).to.equal("/agents/");
        expect(role.permissionsBoundary).to.equal("arn:aws:iam::999988887777:policy/Boundary");
        expect(role.tags).to.deep.equal({ team: "observability", "managed-by": "stackstate-aws" });
        expect(JSON.parse(role.assumeRolePolicy as string)).to.deep.equal({
            Version: "2012-10-17",
            Statement: [{ Sid: "ServiceAssumesRole", Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
        });

        const policy = inputs(byName("assume-role"));
        expect(policy.name).to.equal("AssumeStackStateIntegrationRole");
        expect(policy.role).to.equal("StackStateAgentRole");
        expect(JSON.parse(policy.policy as string)).to.deep.equal({
            Version: "2012-10-17",
            Statement: [{
                Sid: "AssumeStackStateIntegrationRole",
                Effect: "Allow",
                Action: "sts:AssumeRole",
                Resource: [
                    "arn:aws:iam::111122223333:role/stackstate/StackStateAwsIntegrationRole",
                    "arn:aws:iam::444455556666:role/stackstate/StackStateAwsIntegrationRole",
                ],
            }],
        });

        const profile = inputs(byName("profile"));
        expect(profile).to.deep.include({ name: "StackStateAgentRole", path: "/agents/", role: "StackStateAgentRole" });
        expect(profile.tags).to.deep.equal({ team: "observability", "managed-by": "stackstate-aws" });

        expect(await valueOf(component.roleArn)).to.equal("arn:aws:iam::111122223333:role/agents/StackStateAgentRole");
        expect(await valueOf(component.instanceProfileArn)).to.equal("arn:aws:iam::111122223333:instance-profile/agents/StackStateAgentRole");
        expect(await valueOf(component.instanceProfileName)).to.equal("StackStateAgentRole");
    });

    it("defaults to StackState's documented policy: the integration role in any account", async () => {
        const { byName } = await build({ roleName: "CollectorRole", partition: "aws-us-gov" });
        expect(JSON.parse(inputs(byName("assume-role")).policy as string).Statement).to.deep.equal([{
            Sid: "AssumeStackStateIntegrationRole",
            Effect: "Allow",
            Action: "sts:AssumeRole",
            Resource: "arn:aws-us-gov:iam::*:role/StackStateAwsIntegrationRole",
        }]);
        const role = inputs(byName("role"));
        expect(role.name).to.equal("CollectorRole");
        expect(role.permissionsBoundary).to.equal(undefined);
        expect(role.tags).to.deep.equal({ "managed-by": "stackstate-aws" });
        expect(inputs(byName("profile")).name).to.equal("CollectorRole");
    });
});

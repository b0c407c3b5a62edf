import { expect } from "chai";
import { iamRolePermissionsBoundary as policy, remediationBoundary } from "../../policies/iam-role-permissions-boundary";
import { remediateResource, UNKNOWN, validateResource } from "../helpers/policy-args";

const BOUNDARY = "arn:aws:iam::111122223333:policy/OrgBoundary";
const role = (props: Record<string, unknown>) => ({ type: "aws:iam/role:Role", name: "app", props: { name: "app-role", assumeRolePolicy: "{}", ...props } });

describe("iam-role-permissions-boundary", () => {
    it("passes a role with a boundary, and any boundary when none are configured", async () => {
        expect(await validateResource(policy, role({ permissionsBoundary: BOUNDARY }))).to.deep.equal([]);
    });

    it("reports a role without a boundary, with the fix that fits the config", async () => {
        expect(await validateResource(policy, role({}))).to.deep.equal([{
            message: "IAM role 'app-role' (app) must have a permissions boundary. Fix: set permissionsBoundary to your organisation's boundary policy ARN (configure remediationBoundary, or allowedBoundaries with exactly one ARN, to let the remediate level set it).",
            enforcementLevel: "advisory",
            urn: undefined,
        }]);
        expect((await validateResource(policy, role({}), { allowedBoundaries: [BOUNDARY] })).map((r) => r.message)).to.deep.equal([
            `IAM role 'app-role' (app) must have a permissions boundary. Fix: set permissionsBoundary to "${BOUNDARY}".`,
        ]);
        expect((await validateResource(policy, role({}), { allowedBoundaries: ["arn:aws:iam::*:policy/Org*", BOUNDARY] })).map((r) => r.message)).to.deep.equal([
            `IAM role 'app-role' (app) must have a permissions boundary. Fix: set permissionsBoundary to a managed policy ARN matching one of: arn:aws:iam::*:policy/Org*, ${BOUNDARY}.`,
        ]);
    });

    it("accepts only the configured boundaries, exact or by wildcard", async () => {
        const config = { allowedBoundaries: ["arn:aws:iam::*:policy/Org*"] };
        expect(await validateResource(policy, role({ permissionsBoundary: BOUNDARY }), config)).to.deep.equal([]);
        expect((await validateResource(policy, role({ permissionsBoundary: "arn:aws:iam::1:policy/Mine" }), config)).map((r) => r.message)).to.deep.equal([
            "IAM role 'app-role' (app) must have one of the allowed permissions boundaries, not \"arn:aws:iam::1:policy/Mine\". Fix: set permissionsBoundary to a managed policy ARN matching one of: arn:aws:iam::*:policy/Org*.",
        ]);
    });

    it("exempts roles by AWS or Pulumi name pattern", async () => {
        expect(await validateResource(policy, role({}), { exemptRoleNames: ["app-*"] })).to.deep.equal([]);
        expect(await validateResource(policy, role({}), { exemptRoleNames: ["ap?"] })).to.deep.equal([]);
        expect(await validateResource(policy, role({}), { exemptRoleNames: ["other-*"] })).to.have.length(1);
    });

    it("accepts a boundary unknown during a preview, but cannot tell whether it is an allowed one: the server's advisory", async () => {
        expect(await validateResource(policy, role({ permissionsBoundary: UNKNOWN }))).to.deep.equal([]);
        expect(await validateResource(policy, role({ permissionsBoundary: UNKNOWN }), { allowedBoundaries: [BOUNDARY] })).to.deep.equal([{
            message: "can't run policy 'iam-role-permissions-boundary' during preview: string value at .permissionsBoundary can't be known during preview",
            enforcementLevel: "advisory",
        }]);
    });

    it("ignores other resource types", async () => {
        expect(await validateResource(policy, { type: "aws:iam/policy:Policy", name: "p", props: {} })).to.deep.equal([]);
    });

    describe("remediation", () => {
        it("sets the one configured boundary on a role without one, keeping the other properties", async () => {
            expect(await remediateResource(policy, role({}), { allowedBoundaries: [BOUNDARY] })).to.deep.equal({
                name: "app-role", assumeRolePolicy: "{}", permissionsBoundary: BOUNDARY,
            });
        });

        it("changes nothing without exactly one exact ARN, for exempt roles, or when a boundary is set", async () => {
            expect(await remediateResource(policy, role({}), {})).to.equal(undefined);
            expect(await remediateResource(policy, role({}), { allowedBoundaries: ["arn:aws:iam::*:policy/Org*"] })).to.equal(undefined);
            expect(await remediateResource(policy, role({}), { allowedBoundaries: [BOUNDARY, "arn:aws:iam::1:policy/B"] })).to.equal(undefined);
            expect(await remediateResource(policy, role({}), { allowedBoundaries: [BOUNDARY], exemptRoleNames: ["app"] })).to.equal(undefined);
            expect(await remediateResource(policy, role({ permissionsBoundary: "arn:aws:iam::1:policy/Other" }), { allowedBoundaries: [BOUNDARY] })).to.equal(undefined);
            expect(await remediateResource(policy, role({ permissionsBoundary: UNKNOWN }), { allowedBoundaries: [BOUNDARY] })).to.equal(undefined);
        });

        it("sets remediationBoundary when configured, whatever allowedBoundaries hold", async () => {
            const config = { allowedBoundaries: ["arn:aws:iam::*:policy/Org*", "arn:aws:iam::1:policy/B"], remediationBoundary: BOUNDARY };
            expect(await remediateResource(policy, role({}), config)).to.deep.equal({ name: "app-role", assumeRolePolicy: "{}", permissionsBoundary: BOUNDARY });
            expect(await remediateResource(policy, role({ permissionsBoundary: "arn:aws:iam::1:policy/B" }), config)).to.equal(undefined);
            expect((await validateResource(policy, role({}), config)).map((r) => r.message)).to.deep.equal([
                `IAM role 'app-role' (app) must have a permissions boundary. Fix: set permissionsBoundary to "${BOUNDARY}".`,
            ]);
        });

        it("picks the remediation boundary only from a single exact ARN", () => {
            expect(remediationBoundary({ allowedBoundaries: [BOUNDARY], exemptRoleNames: [] })).to.equal(BOUNDARY);
            expect(remediationBoundary({ allowedBoundaries: ["arn:aws:iam::1:policy/?"], exemptRoleNames: [] })).to.equal(undefined);
            expect(remediationBoundary({ allowedBoundaries: [], exemptRoleNames: [] })).to.equal(undefined);
        });
    });
});

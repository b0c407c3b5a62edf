/**
 * The mock AWS answers the data sources the programs read with what AWS would answer, and refuses
 * the rest by name: a program reading one it does not model fails instead of reading its own
 * inputs back as if AWS had said them.
 */
import { expect } from "chai";
import * as aws from "@pulumi/aws";
import { MockAws } from "../../offline/mock-aws";
import { MockEngine } from "../../offline/mock-engine";
import { runOffline } from "../../offline/plan-engine";
import { ProgramFailedError, UnmodelledInvokeError } from "../../offline/errors";
import { testEngine } from "../helpers/engine";
import { TEST_WORLD } from "../helpers/world";

describe("the mock AWS's data sources", () => {
    // runOffline below installs its own engine; the component tests need theirs back.
    after(() => testEngine().install());

    it("answers the ones the programs read, in the account and region of the call", () => {
        const mock = new MockAws({ ...TEST_WORLD, ssmParameters: { "/ami/latest": "ami-0123456789abcdef0" } });
        const call = (token: string, inputs: Record<string, unknown> = {}) => mock.call({ token, inputs });
        expect(call("aws:index/getCallerIdentity:getCallerIdentity")).to.include({ accountId: "111122223333" });
        expect(call("aws:index/getRegion:getRegion")).to.include({ region: "eu-west-1" });
        expect(call("aws:index/getPartition:getPartition")).to.include({ partition: "aws" });
        expect(call("aws:ec2/getVpcs:getVpcs")).to.deep.include({ ids: ["vpc-0a1b2c3d4e5f60708", "vpc-0f0e0d0c0b0a09080"] });
        expect(call("aws:ssm/getParameter:getParameter", { name: "/ami/latest" })).to.include({ value: "ami-0123456789abcdef0" });
    });

    it("refuses one it does not model, naming its token, instead of echoing the inputs", () => {
        const mock = new MockAws(TEST_WORLD);
        for (const token of ["aws:ec2/getInstance:getInstance", "aws:iam/getPolicyDocument:getPolicyDocument", "random:index/whatever:whatever"]) {
            expect(() => mock.call({ token, inputs: { instanceId: "i-0123" } }))
                .to.throw(UnmodelledInvokeError, token)
                .with.property("token", token);
        }
    });

    it("fails a program that reads an unmodelled data source, naming it", async () => {
        const engine = new MockEngine(TEST_WORLD, "stackstate-aws", "unmodelled");
        const run = runOffline(engine, {}, [], () => {
            const found = aws.ec2.getInstanceOutput({ instanceId: "i-0123456789abcdef0" });
            new aws.s3.Bucket("named-after-an-instance", { bucket: found.id });
        });
        const error = await run.then(() => undefined, (e: unknown) => e);
        expect(error).to.be.instanceOf(ProgramFailedError);
        expect((error as Error).message).to.contain("aws:ec2/getInstance:getInstance");
        // Nothing was made from the answer no AWS gave.
        expect(engine.registrations.map((r) => r.name)).not.to.include("named-after-an-instance");
    });
});

/**
 * `stackstate-aws accounts --from-organization` against moto's AWS Organizations: an organization
 * with nested OUs, a suspended account and more accounts than one page, merged into stack config
 * files written by hand.
 */
import { expect } from "chai";
import { promises as fs } from "fs";
import * as os from "os";
import * as path from "path";
import YAML from "yaml";
import {
    CloseAccountCommand, CreateAccountCommand, CreateOrganizationalUnitCommand, CreateOrganizationCommand,
    ListRootsCommand, MoveAccountCommand, OrganizationsClient,
} from "@aws-sdk/client-organizations";
import { accountsCommand, AccountsFlags } from "../../cli/accounts";
import { usageErrorOf } from "../helpers/usage-error";
import { MOTO_ACCOUNT_ID, MOTO_CREDENTIALS, motoEndpoint, resetMoto } from "../helpers/moto";

interface Org {
    root: string;
    /** OU "prod" and its child OU "prod/payments". */
    prod: string;
    payments: string;
    sandbox: string;
    /** Accounts by where they sit. */
    inRoot: string[];
    inProd: string[];
    inPayments: string[];
    inSandbox: string[];
    suspended: string;
}

describe("stackstate-aws accounts --from-organization", function () {
    this.timeout(60_000);
    let endpoint: string;
    let dir: string;
    let org: Org;
    const client = () => new OrganizationsClient({ endpoint, region: "us-east-1", credentials: MOTO_CREDENTIALS });

    async function run(flags: AccountsFlags) {
        let stdout = "";
        let stderr = "";
        const code = await accountsCommand(flags, {
            io: { stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; } },
            organizations: client,
        });
        return { code, stdout, stderr };
    }

    const usageError = (flags: AccountsFlags) => usageErrorOf(() => run(flags));

    before(async () => {
        endpoint = await motoEndpoint();
        await resetMoto();
        const o = client();
        await o.send(new CreateOrganizationCommand({ FeatureSet: "ALL" }));
        const root = (await o.send(new ListRootsCommand({}))).Roots![0].Id!;
        const ou = async (parent: string, name: string) =>
            (await o.send(new CreateOrganizationalUnitCommand({ ParentId: parent, Name: name }))).OrganizationalUnit!.Id!;
        const prod = await ou(root, "prod");
        const payments = await ou(prod, "payments");
        const sandbox = await ou(root, "sandbox");
        const account = async (name: string, parent: string) => {
            const id = (await o.send(new CreateAccountCommand({ AccountName: name, Email: `${name}@example.com` }))).CreateAccountStatus!.AccountId!;
            if (parent !== root) await o.send(new MoveAccountCommand({ AccountId: id, SourceParentId: root, DestinationParentId: parent }));
            return id;
        };
        // More than one page of ListAccounts (moto answers 20 at a time, as AWS does at most).
        const inRoot = [MOTO_ACCOUNT_ID];
        for (let i = 0; i < 18; i++) inRoot.push(await account(`root-${i}`, root));
        const inProd = [await account("prod-a", prod), await account("prod-b", prod)];
        const inPayments = [await account("payments-a", payments)];
        const inSandbox = [await account("sandbox-a", sandbox)];
        const suspended = await account("closed", prod);
        await o.send(new CloseAccountCommand({ AccountId: suspended }));
        o.destroy();
        org = { root, prod, payments, sandbox, inRoot, inProd, inPayments, inSandbox, suspended };
    });
    beforeEach(async () => { dir = await fs.mkdtemp(path.join(os.tmpdir(), "accounts-")); });
    afterEach(() => fs.rm(dir, { recursive: true, force: true }));

    const sorted = (ids: string[]) => [...ids].sort();
    const listed = async (file: string) =>
        (YAML.parse(await fs.readFile(file, "utf8")).config["stackstate-aws:accounts"] as { accountId: string }[]).map((a) => a.accountId);

    it("writes every ACTIVE account of the organization, across pages, into a new stack config", async () => {
        const out = path.join(dir, "Pulumi.org.yaml");
        const { code, stdout } = await run({ fromOrganization: true, out });
        expect(code).to.equal(0);
        const active = sorted([...org.inRoot, ...org.inProd, ...org.inPayments, ...org.inSandbox]);
        expect(active).to.have.length(23);
        expect(await listed(out)).to.deep.equal(active);
        expect(await listed(out)).not.to.include(org.suspended);
        expect(stdout).to.include("23 ACTIVE accounts in the organization.");
        // Ids are quoted, so a YAML reader never takes one for a number.
        expect(await fs.readFile(out, "utf8")).to.include(`- accountId: "${active[0]}"`);
    });

    it("recurses into child OUs, leaves out --exclude, and keeps the file's entries, settings and comments", async () => {
        const out = path.join(dir, "Pulumi.prod.yaml");
        const stale = "999999999999";
        await fs.writeFile(out, [
            "# prod accounts, managed by the platform team",
            "config:",
            "  aws:region: eu-west-1",
            "  stackstate-aws:regions: [eu-west-1]",
            "  stackstate-aws:accounts:",
            `    - accountId: "${org.inProd[1]}"`,
            "      regions: [eu-west-1, us-east-1] # this one also runs in us-east-1",
            `    - accountId: "${stale}"`,
            "",
        ].join("\n"));
        const { code, stdout } = await run({ fromOrganization: true, ou: [org.prod], exclude: [org.inPayments[0]], out, json: true });
        expect(code).to.equal(0);
        const report = JSON.parse(stdout);
        expect(report).to.deep.include({
            file: out, written: true,
            added: [org.inProd[0]], kept: [org.inProd[1]], notDiscovered: [stale], excluded: [org.inPayments[0]], excludedButListed: [],
        });
        expect(report.found.map((a: { accountId: string }) => a.accountId)).to.deep.equal(sorted([...org.inProd, ...org.inPayments]));
        const text = await fs.readFile(out, "utf8");
        expect(text).to.include("# prod accounts, managed by the platform team");
        expect(text).to.include("regions: [eu-west-1, us-east-1] # this one also runs in us-east-1");
        expect(await listed(out)).to.deep.equal([org.inProd[1], stale, org.inProd[0]]);

        // A second run changes nothing and says so; the stale account is reported again, never dropped.
        const again = await run({ fromOrganization: true, ou: [org.prod], exclude: [org.inPayments[0]], out });
        expect(again.stdout).to.include(`listed but not ACTIVE in the organization under ${org.prod}, kept: ${stale}`);
        expect(again.stdout).to.include(`left unchanged ${out}`);
        expect(await fs.readFile(out, "utf8")).to.equal(text);
    });

    it("takes several OUs, and a root, counting each account once", async () => {
        const out = path.join(dir, "Pulumi.some.yaml");
        await run({ fromOrganization: true, ou: [org.payments, org.sandbox, org.prod], out });
        expect(await listed(out)).to.deep.equal(sorted([...org.inProd, ...org.inPayments, ...org.inSandbox]));
        const all = path.join(dir, "Pulumi.all.yaml");
        await run({ fromOrganization: true, ou: [org.root], out: all, dryRun: true });
        await fs.access(all).then(() => { throw new Error("a dry run wrote the file"); }, () => undefined);
    });

    it("names an unknown OU, bad ids and a file it cannot extend, and writes nothing", async () => {
        const out = path.join(dir, "Pulumi.keep.yaml");
        const original = `config:\n  stackstate-aws:accounts:\n    - accountId: "${org.inProd[0]}"\n`;
        await fs.writeFile(out, original);
        expect(await usageError({ fromOrganization: true, ou: ["ou-zzzz-zzzzzzzz"], out }))
            .to.equal("--ou ou-zzzz-zzzzzzzz: the organization has no root or organizational unit with this id; nothing was written");
        expect(await usageError({ fromOrganization: true, ou: ["prod"], exclude: ["12345"], out })).to.equal([
            "invalid input, nothing was written:",
            "  - --ou prod must be an organizational unit id (ou-abcd-12345678) or a root id (r-abcd)",
            "  - --exclude 12345 must be a 12-digit AWS account id",
        ].join("\n"));
        expect(await usageError({ out })).to.include("--from-organization is required");
        expect(await fs.readFile(out, "utf8")).to.equal(original);

        const repeated = path.join(dir, "Pulumi.repeated.yaml");
        await fs.writeFile(repeated, `config:\n  stackstate-aws:accounts:\n    - accountId: "${org.inProd[0]}"\n    - accountId: "${org.inProd[0]}"\n`);
        expect(await usageError({ fromOrganization: true, out: repeated })).to.equal(`${repeated}: stackstate-aws:accounts lists ${org.inProd[0]} more than once; fix the file first`);
        const badId = path.join(dir, "Pulumi.bad.yaml");
        await fs.writeFile(badId, "config:\n  stackstate-aws:accounts:\n    - accountId: 1234\n");
        expect(await usageError({ fromOrganization: true, out: badId })).to.include(`${badId}: stackstate-aws:accounts[0] must have an accountId of 12 digits`);
        const secret = path.join(dir, "Pulumi.secret.yaml");
        await fs.writeFile(secret, "config:\n  stackstate-aws:accounts:\n    secure: v1:AAAA\n");
        expect(await usageError({ fromOrganization: true, out: secret })).to.include("it is encrypted as a whole");
    });
});

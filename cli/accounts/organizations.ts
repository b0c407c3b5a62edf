/**
 * The accounts of an AWS Organization: all of them (`ListAccounts`), or those under given roots or
 * OUs (`ListAccountsForParent`, recursing into child OUs with `ListOrganizationalUnitsForParent`),
 * every call paginated. Only ACTIVE accounts can be onboarded: a suspended or closing account
 * cannot be assumed into.
 */
import {
    Account, OrganizationsClient, paginateListAccounts, paginateListAccountsForParent,
    paginateListOrganizationalUnitsForParent,
} from "@aws-sdk/client-organizations";
import { UsageError } from "../exit-codes";
import { awsCall, isAwsErrorCode } from "../aws/errors";

export interface OrganizationAccount {
    id: string;
    name?: string;
}

/** A root (`r-…`) or organizational unit (`ou-…`) id, as Organizations writes them. */
export const PARENT_ID = /^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$/;

/** AWS has both fields: `Status` (being retired) and `State`; an account is usable only when ACTIVE. */
function isActive(account: Account): boolean {
    const state = (account as Account & { State?: string }).State ?? account.Status;
    return state === "ACTIVE";
}

async function collect<T>(pages: AsyncIterable<T>): Promise<T[]> {
    const all: T[] = [];
    for await (const page of pages) all.push(page);
    return all;
}

/** Every account under `parent`, in its child OUs too (depth first, each OU once). */
async function accountsUnder(client: OrganizationsClient, parent: string, seen: Set<string>): Promise<Account[]> {
    if (seen.has(parent)) return [];
    seen.add(parent);
    const [accountPages, ouPages] = await Promise.all([
        awsCall("organizations:ListAccountsForParent", () => collect(paginateListAccountsForParent({ client }, { ParentId: parent }))),
        awsCall("organizations:ListOrganizationalUnitsForParent", () => collect(paginateListOrganizationalUnitsForParent({ client }, { ParentId: parent }))),
    ]);
    const accounts = accountPages.flatMap((page) => page.Accounts ?? []);
    for (const ou of ouPages.flatMap((page) => page.OrganizationalUnits ?? [])) {
        if (ou.Id) accounts.push(...await accountsUnder(client, ou.Id, seen));
    }
    return accounts;
}

/**
 * The organization's ACTIVE accounts, sorted by id; under `parents` only when given. A parent the
 * organization does not have is a UsageError naming it.
 */
export async function listOrganizationAccounts(client: OrganizationsClient, parents: readonly string[]): Promise<OrganizationAccount[]> {
    let accounts: Account[];
    if (parents.length === 0) {
        const pages = await awsCall("organizations:ListAccounts", () => collect(paginateListAccounts({ client }, {})));
        accounts = pages.flatMap((page) => page.Accounts ?? []);
    } else {
        const seen = new Set<string>();
        accounts = [];
        for (const parent of parents) {
            try {
                accounts.push(...await accountsUnder(client, parent, seen));
            } catch (error) {
                if (isAwsErrorCode(error, "ParentNotFoundException")) {
                    throw new UsageError(`--ou ${parent}: the organization has no root or organizational unit with this id; nothing was written`);
                }
                throw error;
            }
        }
    }
    const byId = new Map<string, OrganizationAccount>();
    for (const account of accounts) {
        if (account.Id && isActive(account)) byId.set(account.Id, { id: account.Id, ...(account.Name ? { name: account.Name } : {}) });
    }
    return [...byId.values()].sort((a, b) => a.id.localeCompare(b.id));
}

/**
 * Everything one verify run shares: the input, the clients, and lookups several checks need
 * (the role, where the bucket is, the main region's key), each made once.
 */
import { GetRoleCommand, Role } from "@aws-sdk/client-iam";
import { HeadBucketCommand } from "@aws-sdk/client-s3";
import { DescribeKeyCommand, KeyMetadata } from "@aws-sdk/client-kms";
import { GetCallerIdentityCommand, GetCallerIdentityCommandOutput } from "@aws-sdk/client-sts";
import { bucketArn, logsBucketName, RegionNames, regionNames } from "../../model";
import { AwsClients, ClientFactory } from "../aws/clients";
import { awsCall, isAwsErrorCode } from "../aws/errors";
import { ActionCatalog, iamDataCatalog } from "./action-catalog";
import { CheckResult } from "./checks";
import { VerifyInput } from "./options";

export interface VerifyDeps {
    /** Clients with the caller's credentials: they read the role and the account's resources. */
    clients: ClientFactory;
    /** Clients for the AssumeRole probes (`--agent-profile`); the caller's when absent. */
    agentClients?: ClientFactory;
    /** Expands `autoscaling:Describe*` and tells bucket from object actions. */
    actionCatalog?: ActionCatalog;
    now?: () => Date;
    /** Called as each check finishes (progress). */
    onResult?: (result: CheckResult) => void;
}

export class VerifyContext {
    readonly accountId: string;
    readonly bucketName: string;
    readonly bucketArn: string;
    readonly actionCatalog: ActionCatalog;
    readonly now: () => Date;
    private readonly memo = new Map<string, Promise<unknown>>();

    constructor(readonly input: VerifyInput, private readonly deps: VerifyDeps) {
        this.accountId = input.role.accountId;
        this.bucketName = logsBucketName(this.accountId);
        this.bucketArn = bucketArn(input.role.partition, this.bucketName);
        this.actionCatalog = deps.actionCatalog ?? iamDataCatalog;
        this.now = deps.now ?? (() => new Date());
    }

    /** What the integration's resources in `region` are called: the stack's names, else this package's. */
    names(region: string): RegionNames {
        return regionNames(region, this.input.names);
    }

    /** The caller's clients in `region`. */
    aws(region: string): AwsClients {
        return this.deps.clients(region);
    }

    /** IAM is global; its calls go through the main region's client. */
    get iam() {
        return this.aws(this.input.mainRegion).iam;
    }

    /** Clients whose credentials probe AssumeRole. */
    get probeSts() {
        return (this.deps.agentClients ?? this.deps.clients)(this.input.mainRegion).sts;
    }

    private once<T>(key: string, load: () => Promise<T>): Promise<T> {
        let pending = this.memo.get(key) as Promise<T> | undefined;
        if (!pending) {
            pending = load();
            this.memo.set(key, pending);
        }
        return pending;
    }

    /** Who the caller's credentials belong to. */
    callerIdentity(): Promise<GetCallerIdentityCommandOutput> {
        return this.once("caller", () => awsCall("sts:GetCallerIdentity",
            () => this.aws(this.input.mainRegion).sts.send(new GetCallerIdentityCommand({}))));
    }

    /** Who the AssumeRole probes run as: the agent profile's principal, or the caller. */
    probeIdentity(): Promise<GetCallerIdentityCommandOutput> {
        if (!this.deps.agentClients) return this.callerIdentity();
        return this.once("probe", () => awsCall("sts:GetCallerIdentity",
            () => this.probeSts.send(new GetCallerIdentityCommand({}))));
    }

    /** The role, or undefined when it does not exist. */
    role(): Promise<Role | undefined> {
        return this.once("role", async () => {
            try {
                const out = await awsCall("iam:GetRole", () => this.iam.send(new GetRoleCommand({ RoleName: this.input.role.name })));
                return out.Role;
            } catch (error) {
                if (isAwsErrorCode(error, "NoSuchEntity")) return undefined;
                throw error;
            }
        });
    }

    /** The bucket's region, or undefined when the bucket does not exist. */
    bucketRegion(): Promise<string | undefined> {
        return this.once("bucket", async () => {
            const s3 = this.aws(this.input.mainRegion).s3;
            try {
                const out = await awsCall("s3:ListBucket", () => s3.send(new HeadBucketCommand({ Bucket: this.bucketName })));
                return out.BucketRegion ?? this.input.mainRegion;
            } catch (error) {
                if (isAwsErrorCode(error, "NotFound", "NoSuchBucket")) return undefined;
                throw error;
            }
        });
    }

    /** Clients for calls on the bucket: in the bucket's own region (S3 redirects otherwise). */
    async bucketClients(): Promise<AwsClients | undefined> {
        const region = await this.bucketRegion();
        return region === undefined ? undefined : this.aws(region);
    }

    /** The integration key (by its alias) in `region`, or undefined when there is none. */
    integrationKey(region: string): Promise<KeyMetadata | undefined> {
        return this.once(`key:${region}`, async () => {
            const kms = this.aws(region).kms;
            try {
                const out = await awsCall("kms:DescribeKey", () => kms.send(new DescribeKeyCommand({ KeyId: this.names(region).kmsAlias })));
                return out.KeyMetadata;
            } catch (error) {
                if (isAwsErrorCode(error, "NotFoundException")) return undefined;
                throw error;
            }
        });
    }
}

/**
 * Is a CloudTrail trail logging in the region? The rule captures "AWS API Call via CloudTrail"
 * events, which EventBridge receives only while a trail logs the region's management events: a
 * multi-region trail, or one whose home is the region. Without one, the Agent sees no changes
 * between its hourly full scans (and its CloudTrail fallback, LookupEvents, still works).
 */
import { DescribeTrailsCommand, GetTrailStatusCommand, Trail } from "@aws-sdk/client-cloudtrail";
import { awsCall } from "../aws/errors";
import { pass, Verdict, warn } from "./checks";
import { VerifyContext } from "./context";

/** The trails that log the region: multi-region ones, and those whose home it is. */
export function trailsCovering(trails: readonly Trail[], region: string): Trail[] {
    return trails.filter((t) => t.IsMultiRegionTrail || t.HomeRegion === region);
}

export async function checkCloudTrail(ctx: VerifyContext, region: string): Promise<Verdict> {
    const cloudtrail = ctx.aws(region).cloudtrail;
    const described = await awsCall("cloudtrail:DescribeTrails",
        () => cloudtrail.send(new DescribeTrailsCommand({ includeShadowTrails: true })));
    const covering = trailsCovering(described.trailList ?? [], region);
    const stopped: string[] = [];
    const unreadable: string[] = [];
    for (const trail of covering) {
        const name = `${trail.Name}${trail.IsMultiRegionTrail ? " (multi-region)" : ""}`;
        let logging: boolean | undefined;
        try {
            const status = await awsCall("cloudtrail:GetTrailStatus",
                () => cloudtrail.send(new GetTrailStatusCommand({ Name: trail.TrailARN ?? trail.Name })));
            logging = status.IsLogging === true;
        } catch (error) {
            // A member account sees its organization's trail but may not read its status.
            if (!trail.IsOrganizationTrail) throw error;
        }
        if (logging) return pass(`trail ${name} is logging ${region}'s API calls, so EventBridge receives them`);
        (logging === undefined ? unreadable : stopped).push(name);
    }
    if (unreadable.length > 0) {
        return pass(`organization trail ${unreadable.join(", ")} covers ${region} (whether it is logging can be read only in the organization's management account)`);
    }
    const found = stopped.length > 0 ? `trail${stopped.length > 1 ? "s" : ""} ${stopped.join(", ")} ${stopped.length > 1 ? "are" : "is"} not logging` : "no trail logs this region";
    return warn(`${found}: EventBridge receives no "AWS API Call via CloudTrail" events in ${region}, so StackState sees changes only at the Agent's full scans (hourly). Fix: ${stopped.length > 0
        ? `aws cloudtrail start-logging --name ${stopped[0].replace(/ \(multi-region\)$/, "")}`
        : "aws cloudtrail create-trail --name <name> --s3-bucket-name <a trail bucket> --is-multi-region-trail, then aws cloudtrail start-logging --name <name>"}`);
}

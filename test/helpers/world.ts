import { MockWorld } from "../../offline/mock-aws";

/** The account and regions the component tests deploy into. */
export const TEST_WORLD: MockWorld = {
    accountId: "111122223333",
    defaultRegion: "eu-west-1",
    vpcs: {
        "eu-west-1": ["vpc-0a1b2c3d4e5f60708", "vpc-0f0e0d0c0b0a09080"],
        "us-east-1": ["vpc-11112222"],
    },
};

/** What the programs' data-source reads (provider invokes) ask of IAM. */
import { ssmParameterArn } from "../collector-settings";
import { on } from "./provider-calls";
import { DataSourcePermissions } from "./provider-calls";

export const DATA_SOURCES: DataSourcePermissions[] = [
    // AWS answers GetCallerIdentity for every caller; region and partition are the provider's own
    // (internal/service/meta: looked up in its endpoints data, no call).
    { token: "aws:index/getCallerIdentity:getCallerIdentity", terraform: "aws_caller_identity", calls: [], targets: {} },
    { token: "aws:index/getRegion:getRegion", terraform: "aws_region", calls: [], targets: {} },
    { token: "aws:index/getPartition:getPartition", terraform: "aws_partition", calls: [], targets: {} },
    {
        token: "aws:ec2/getVpcs:getVpcs",
        terraform: "aws_vpcs",
        calls: [{ action: "ec2:DescribeVpcs", call: "DescribeVpcs (findVPCs)", on: "none", source: "internal/service/ec2/vpc_vpcs_data_source.go dataSourceVPCsRead" }],
        targets: {},
    },
    {
        token: "aws:ec2/getSubnet:getSubnet",
        terraform: "aws_subnet",
        calls: [{ action: "ec2:DescribeSubnets", call: "DescribeSubnets (findSubnet)", on: "none", source: "internal/service/ec2/vpc_subnet_data_source.go dataSourceSubnetRead" }],
        targets: {},
    },
    {
        token: "aws:ec2/getAmi:getAmi",
        terraform: "aws_ami",
        calls: [{ action: "ec2:DescribeImages", call: "DescribeImages (findImages)", on: "none", source: "internal/service/ec2/ec2_ami_data_source.go dataSourceAMIRead" }],
        targets: {},
    },
    {
        token: "aws:ssm/getParameter:getParameter",
        terraform: "aws_ssm_parameter",
        calls: [{ action: "ssm:GetParameter", call: "GetParameter WithDecryption (findParameterByName)", on: "parameter", source: "internal/service/ssm/parameter_data_source.go dataParameterRead" }],
        targets: {
            // AWS's public parameters (/aws/service/...) belong to no account.
            parameter: (read, plan) => {
                const name = plan.known(read.inputs.name);
                return on(ssmParameterArn(read.partition, read.region, name.startsWith("/aws/") ? "" : read.accountId, name));
            },
        },
    },
];

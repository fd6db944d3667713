#!/usr/bin/env bash
# The aliyun CLI session recorded as cli-*.jsonl. It is a list of typed
# commands, run in order against an ecslocal (or a recording proxy in front of
# it); ids are taken from earlier answers with jq. It does not build anything:
# ALIYUN must name an aliyun CLI binary, ENDPOINT the host:port to call.
#
#   ALIYUN=/path/to/aliyun ENDPOINT=127.0.0.1:8790 ./cli-commands.sh
#
# A refused call must exit non-zero and print the error Code; `expect_error`
# checks that.
set -euo pipefail
: "${ALIYUN:?path to the aliyun binary}" "${ENDPOINT:?host:port of ecslocal}"
export ALIBABA_CLOUD_ACCESS_KEY_ID=test ALIBABA_CLOUD_ACCESS_KEY_SECRET=test ALIBABA_CLOUD_REGION_ID=cn-hangzhou
R=cn-hangzhou
Z=cn-hangzhou-h
IMG=aliyun_3_x64_20G_alibase_20240528.vhd
T=ecs.c7.large

a() { "$ALIYUN" "$@" --endpoint "$ENDPOINT" --insecure; }
expect_error() { # CODE command…
	local code=$1 out
	shift
	if out=$(a "$@" 2>&1); then
		echo "expected $code, the call succeeded: $out" >&2
		exit 1
	fi
	grep -q "$code" <<<"$out" || { echo "expected $code in: $out" >&2; exit 1; }
	echo "refused as expected: $code"
}
retry() { # command…: again while the resource is busy (an SLB stays configuring for a while)
	local out
	for _ in $(seq 1 30); do
		if out=$(a "$@" 2>&1); then
			echo "$out"
			return
		fi
		grep -q 'configuring\|IncorrectStatus\|DependencyViolation' <<<"$out" || { echo "$out" >&2; exit 1; }
		sleep 0.5
	done
	echo "$out" >&2
	exit 1
}
wait_status() { # INSTANCE STATUS
	for _ in $(seq 1 50); do
		[[ $(a ecs DescribeInstanceAttribute --InstanceId "$1" | jq -r .Status) == "$2" ]] && return
		sleep 0.2
	done
	echo "instance $1 never reached $2" >&2
	exit 1
}

# Discovery.
a ecs DescribeRegions >/dev/null
a ecs DescribeZones --RegionId $R >/dev/null
a ecs DescribeImages --RegionId $R --ImageId $IMG >/dev/null
a ecs DescribeInstanceTypes --InstanceTypes.1 $T >/dev/null

# Network.
VPC=$(a vpc CreateVpc --RegionId $R --CidrBlock 172.16.0.0/12 --VpcName cli-vpc | jq -r .VpcId)
a vpc DescribeVpcs --RegionId $R --VpcId "$VPC" >/dev/null
a vpc DescribeVpcAttribute --RegionId $R --VpcId "$VPC" >/dev/null
VSW=$(a vpc CreateVSwitch --RegionId $R --VpcId "$VPC" --ZoneId $Z --CidrBlock 172.16.1.0/24 --VSwitchName cli-vsw | jq -r .VSwitchId)
a vpc DescribeVSwitches --RegionId $R --VpcId "$VPC" >/dev/null
a vpc DescribeVSwitchAttributes --RegionId $R --VSwitchId "$VSW" >/dev/null
RTB=$(a vpc DescribeRouteTableList --RegionId $R --VpcId "$VPC" | jq -r '.RouterTableList.RouterTableListType[0].RouteTableId')
SG=$(a ecs CreateSecurityGroup --RegionId $R --VpcId "$VPC" --SecurityGroupName cli-sg | jq -r .SecurityGroupId)
a ecs AuthorizeSecurityGroup --RegionId $R --SecurityGroupId "$SG" --IpProtocol tcp --PortRange 22/22 --SourceCidrIp 0.0.0.0/0 >/dev/null
a ecs AuthorizeSecurityGroupEgress --RegionId $R --SecurityGroupId "$SG" --IpProtocol tcp --PortRange 1/65535 --DestCidrIp 0.0.0.0/0 >/dev/null
a ecs DescribeSecurityGroupAttribute --RegionId $R --SecurityGroupId "$SG" >/dev/null
a ecs DescribeSecurityGroups --RegionId $R --VpcId "$VPC" >/dev/null

# Instances.
I1=$(a ecs RunInstances --RegionId $R --ImageId $IMG --InstanceType $T --VSwitchId "$VSW" --SecurityGroupId "$SG" \
	--InstanceName cli-one --UserData "$(printf '#!/bin/sh\necho hello\n' | base64 -w0)" --Tag.1.Key env --Tag.1.Value cli \
	--DataDisk.1.Category cloud_essd --DataDisk.1.Size 40 | jq -r '.InstanceIdSets.InstanceIdSet[0]')
I2=$(a ecs RunInstances --RegionId $R --ImageId $IMG --InstanceType $T --VSwitchId "$VSW" --SecurityGroupId "$SG" \
	--InstanceName cli-protected --DeletionProtection true | jq -r '.InstanceIdSets.InstanceIdSet[0]')
wait_status "$I1" Running
wait_status "$I2" Running
a ecs DescribeInstances --RegionId $R --InstanceIds "[\"$I1\",\"$I2\"]" >/dev/null
a ecs DescribeInstanceAttribute --InstanceId "$I1" >/dev/null
a ecs DescribeInstanceStatus --RegionId $R --InstanceId.1 "$I1" >/dev/null
a ecs DescribeUserData --RegionId $R --InstanceId "$I1" >/dev/null
a ecs DescribeInstanceRamRole --RegionId $R --InstanceIds "[\"$I1\"]" >/dev/null
a ecs DescribeInstanceMaintenanceAttributes --RegionId $R --InstanceId.1 "$I1" >/dev/null
a ecs DescribeInstanceAutoRenewAttribute --RegionId $R --InstanceId "$I1" >/dev/null
a ecs DescribeDisks --RegionId $R --InstanceId "$I1" >/dev/null
a ecs ModifyInstanceAttribute --InstanceId "$I1" --InstanceName cli-one-renamed --Description "renamed by the CLI" >/dev/null
a ecs StopInstance --InstanceId "$I1" >/dev/null
wait_status "$I1" Stopped
a ecs StartInstance --InstanceId "$I1" >/dev/null
wait_status "$I1" Running
expect_error InvalidInstanceId.NotFound ecs DescribeInstanceAttribute --InstanceId i-doesnotexist0000000
expect_error MissingParameter ecs RunInstances --RegionId $R --InstanceType $T --VSwitchId "$VSW" --SecurityGroupId "$SG"

# Tags.
a ecs TagResources --RegionId $R --ResourceType instance --ResourceId.1 "$I1" --Tag.1.Key team --Tag.1.Value infra >/dev/null
a ecs ListTagResources --RegionId $R --ResourceType instance --ResourceId.1 "$I1" >/dev/null
a ecs UntagResources --RegionId $R --ResourceType instance --ResourceId.1 "$I1" --TagKey.1 team >/dev/null

# A disk, attached and detached.
D=$(a ecs CreateDisk --RegionId $R --ZoneId $Z --DiskCategory cloud_essd --Size 20 --DiskName cli-disk | jq -r .DiskId)
a ecs AttachDisk --InstanceId "$I1" --DiskId "$D" >/dev/null
a ecs DescribeDisks --RegionId $R --DiskIds "[\"$D\"]" >/dev/null
a ecs DetachDisk --InstanceId "$I1" --DiskId "$D" >/dev/null
a ecs DeleteDisk --DiskId "$D" >/dev/null

# An ENI, attached and detached.
ENI=$(a ecs CreateNetworkInterface --RegionId $R --VSwitchId "$VSW" --SecurityGroupId "$SG" --NetworkInterfaceName cli-eni | jq -r .NetworkInterfaceId)
a ecs AttachNetworkInterface --RegionId $R --InstanceId "$I1" --NetworkInterfaceId "$ENI" >/dev/null
a ecs DescribeNetworkInterfaces --RegionId $R --NetworkInterfaceId.1 "$ENI" >/dev/null
a ecs DetachNetworkInterface --RegionId $R --InstanceId "$I1" --NetworkInterfaceId "$ENI" >/dev/null
for _ in $(seq 1 50); do
	[[ $(a ecs DescribeNetworkInterfaces --RegionId $R --NetworkInterfaceId.1 "$ENI" | jq -r '.NetworkInterfaceSets.NetworkInterfaceSet[0].Status') == Available ]] && break
	sleep 0.2
done
a ecs DeleteNetworkInterface --RegionId $R --NetworkInterfaceId "$ENI" >/dev/null

# A route entry to the instance, and an EIP.
a vpc CreateRouteEntry --RegionId $R --RouteTableId "$RTB" --DestinationCidrBlock 10.10.0.0/16 --NextHopType Instance --NextHopId "$I1" >/dev/null
a vpc DescribeRouteEntryList --RegionId $R --RouteTableId "$RTB" >/dev/null
a vpc DeleteRouteEntry --RegionId $R --RouteTableId "$RTB" --DestinationCidrBlock 10.10.0.0/16 --NextHopId "$I1" >/dev/null
EIP=$(a vpc AllocateEipAddress --RegionId $R --Bandwidth 5 | jq -r .AllocationId)
a vpc AssociateEipAddress --RegionId $R --AllocationId "$EIP" --InstanceId "$I1" >/dev/null
a vpc DescribeEipAddresses --RegionId $R --AllocationId "$EIP" >/dev/null
a vpc UnassociateEipAddress --RegionId $R --AllocationId "$EIP" --InstanceId "$I1" >/dev/null
a vpc ReleaseEipAddress --RegionId $R --AllocationId "$EIP" >/dev/null

# A load balancer in front of the instance.
LB=$(a slb CreateLoadBalancer --RegionId $R --AddressType intranet --VpcId "$VPC" --VSwitchId "$VSW" --LoadBalancerName cli-lb --LoadBalancerSpec slb.s1.small | jq -r .LoadBalancerId)
a slb AddBackendServers --RegionId $R --LoadBalancerId "$LB" --BackendServers "[{\"ServerId\":\"$I1\",\"Weight\":\"100\",\"Type\":\"ecs\"}]" >/dev/null
a slb DescribeLoadBalancerAttribute --RegionId $R --LoadBalancerId "$LB" >/dev/null
a slb DescribeLoadBalancers --RegionId $R --LoadBalancerId "$LB" >/dev/null
retry slb RemoveBackendServers --RegionId $R --LoadBalancerId "$LB" --BackendServers "[\"$I1\"]" >/dev/null
a slb DeleteLoadBalancer --RegionId $R --LoadBalancerId "$LB" >/dev/null

# Release: protection refuses, then is turned off.
expect_error InvalidOperation.DeletionProtection ecs DeleteInstances --RegionId $R --InstanceId.1 "$I2" --Force true
a ecs ModifyInstanceAttribute --InstanceId "$I2" --DeletionProtection false >/dev/null
a ecs DeleteInstances --RegionId $R --InstanceId.1 "$I1" --InstanceId.2 "$I2" --Force true >/dev/null
for _ in $(seq 1 50); do
	[[ $(a ecs DescribeInstances --RegionId $R --VpcId "$VPC" | jq -r .TotalCount) == 0 ]] && break
	sleep 0.2
done
a ecs DeleteSecurityGroup --RegionId $R --SecurityGroupId "$SG" >/dev/null
a vpc DeleteVSwitch --RegionId $R --VSwitchId "$VSW" >/dev/null
for _ in $(seq 1 50); do
	[[ $(a vpc DescribeVSwitches --RegionId $R --VpcId "$VPC" | jq -r .TotalCount) == 0 ]] && break
	sleep 0.2
done
a vpc DeleteVpc --RegionId $R --VpcId "$VPC" >/dev/null
expect_error InvalidVpcId.NotFound vpc DescribeVpcAttribute --RegionId $R --VpcId "$VPC"
echo "cli session: ok"

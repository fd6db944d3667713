#!/usr/bin/env bash
# Provisions a VPC, a vSwitch, a security group and one instance with a kept
# data disk through `ecslocal call ACTION key=value…` (one v1-signed POST per
# call, the JSON answer on stdout), releases the instance with
# DeleteInstances, and checks what is left: the data disk Available and
# detached, the system disk gone. JSON is read with python3.
#
#   ECSLOCAL_ENDPOINT=127.0.0.1:8790 ./run.sh
#
# ECSLOCAL is the binary to use (default: ecslocal on PATH). Exits non-zero,
# saying why, on any mismatch.
set -euo pipefail

ecslocal="${ECSLOCAL:-ecslocal}"
endpoint="${ECSLOCAL_ENDPOINT:-127.0.0.1:8790}"
key="${ALIBABA_CLOUD_ACCESS_KEY_ID:-test}:${ALIBABA_CLOUD_ACCESS_KEY_SECRET:-test}"
region=cn-hangzhou
image=aliyun_3_x64_20G_alibase_20240528.vhd
itype=ecs.g7.large

fail() {
	echo "shell: FAIL: $*" >&2
	exit 1
}

command -v python3 >/dev/null 2>&1 || fail "python3 is needed to read the JSON answers"

# api [--product vpc] ACTION key=value…: the JSON answer, or fail with the
# server's error.
api() {
	local out
	out="$("$ecslocal" call --addr "$endpoint" --access-key "$key" --region "$region" "$@" 2>&1)" ||
		fail "ecslocal call $*: $out"
	printf '%s\n' "$out"
}

# call EXPR [--product vpc] ACTION key=value…: the value of EXPR, a Python
# expression over the JSON answer d.
call() {
	local expr="$1" out
	shift
	out="$(api "$@")" || exit 1
	python3 -c 'import json, sys; d = json.load(sys.stdin); print(eval(sys.argv[1]))' "$expr" <<<"$out" ||
		fail "ecslocal call $*: unexpected answer: $out"
}

# wait_for WHAT WANT EXPR ACTION…: repeat the call every 200 ms until EXPR
# gives WANT, for at most 30 s.
wait_for() {
	local what="$1" want="$2" got=""
	shift 2
	for _ in $(seq 1 150); do
		got="$(call "$@")" || exit 1
		[[ "$got" == "$want" ]] && return 0
		sleep 0.2
	done
	fail "waited 30s for $what (last answer: ${got:-none})"
}

# VPC (VPC API 2016-04-28), then wait until it is Available.
vpc_id="$(call 'd["VpcId"]' --product vpc CreateVpc CidrBlock=192.168.0.0/16)"
echo "vpc $vpc_id"
wait_for "VPC $vpc_id Available" Available \
	'",".join(v["Status"] for v in d["Vpcs"]["Vpc"])' --product vpc DescribeVpcs "VpcId=$vpc_id"

# A zone that offers the instance type.
zone="$(call 'next((z["ZoneId"] for z in d["Zones"]["Zone"]
	if "'"$itype"'" in z.get("AvailableInstanceTypes", {}).get("InstanceTypes", [])), "")' DescribeZones)"
[[ -n "$zone" ]] || fail "DescribeZones: no zone of $region offers $itype"
echo "zone $zone"

# vSwitch, then wait until it is Available.
vsw_id="$(call 'd["VSwitchId"]' --product vpc CreateVSwitch "VpcId=$vpc_id" "ZoneId=$zone" CidrBlock=192.168.1.0/24)"
echo "vswitch $vsw_id"
wait_for "vSwitch $vsw_id Available" Available \
	'",".join(v["Status"] for v in d["VSwitches"]["VSwitch"])' --product vpc DescribeVSwitches "VSwitchId=$vsw_id"

# Security group (ECS API).
sg_id="$(call 'd["SecurityGroupId"]' CreateSecurityGroup "VpcId=$vpc_id")"
echo "security group $sg_id"

# One instance with a 40 GiB data disk that outlives it.
ids="$(call '" ".join(d["InstanceIdSets"]["InstanceIdSet"])' RunInstances \
	"ImageId=$image" "InstanceType=$itype" "VSwitchId=$vsw_id" "SecurityGroupId=$sg_id" Amount=1 \
	DataDisk.1.Size=40 DataDisk.1.Category=cloud_essd DataDisk.1.DeleteWithInstance=false)"
read -r -a idlist <<<"$ids"
((${#idlist[@]} == 1)) || fail "RunInstances: instance ids [$ids], want one"
id="${idlist[0]}"
echo "instance $id"

# The instance's Status as DescribeInstances lists it, "" once it is gone.
status='",".join(i["Status"] for i in d["Instances"]["Instance"])'
wait_for "instance $id Running" Running "$status" DescribeInstances "InstanceIds=[\"$id\"]"
echo "instance $id Running"

# Its disks: one system disk, one data disk as asked.
answer="$(api DescribeDisks "InstanceId=$id")"
disks="$(python3 -c '
import json, sys
disks = json.load(sys.stdin)["Disks"]["Disk"]
system = [x for x in disks if x["Type"] == "system"]
data = [x for x in disks if x["Type"] == "data"]
if len(disks) != 2 or len(system) != 1 or len(data) != 1:
    sys.exit("DescribeDisks(InstanceId): %d disks, want one system and one data disk" % len(disks))
x = data[0]
if x["Size"] != 40 or x["Category"] != "cloud_essd" or x["DeleteWithInstance"] is not False:
    sys.exit("data disk %s: Size %s Category %s DeleteWithInstance %s, want 40 cloud_essd false"
             % (x["DiskId"], x["Size"], x["Category"], x["DeleteWithInstance"]))
print(system[0]["DiskId"], x["DiskId"])
' <<<"$answer")" || fail "instance $id: wrong disks"
read -r system_disk data_disk <<<"$disks"
echo "system disk $system_disk data disk $data_disk"

# Release it, and wait until DescribeInstances no longer lists it.
api DeleteInstances "InstanceId.1=$id" Force=true >/dev/null
wait_for "instance $id gone" "" "$status" DescribeInstances "InstanceIds=[\"$id\"]"
echo "instance $id released"

# What is left: the data disk, Available and detached; no system disk.
answer="$(api DescribeDisks "DiskIds=[\"$system_disk\",\"$data_disk\"]")"
python3 -c '
import json, sys
system_disk, data_disk = sys.argv[1], sys.argv[2]
disks = json.load(sys.stdin)["Disks"]["Disk"]
ids = [x["DiskId"] for x in disks]
if ids != [data_disk]:
    sys.exit("after release DescribeDisks lists %s, want only the data disk %s (system disk %s gone)"
             % (ids, data_disk, system_disk))
x = disks[0]
if x["Status"] != "Available" or x.get("InstanceId", "") != "":
    sys.exit("data disk %s after release: Status %r InstanceId %r, want Available and no instance"
             % (data_disk, x["Status"], x.get("InstanceId")))
' "$system_disk" "$data_disk" <<<"$answer" || fail "what is left after release is wrong"
echo "data disk $data_disk Available, detached; system disk $system_disk gone"
echo "shell: OK"

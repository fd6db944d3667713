package ecs_test

import (
	"net/http"
	"slices"
	"testing"
	"time"

	ecs "github.com/alibabacloud-go/ecs-20140526/v7/client"
	"github.com/alibabacloud-go/tea/dara"
	classicecs "github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
	classicvpc "github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"

	"github.com/ecslocal/ecslocal/internal/sdktest"
)

func TestJoinLeaveSecurityGroup(t *testing.T) {
	e := newEnv(t, realistic())
	id := e.run1(t, nil)
	newGroup := func(vpc string) string {
		r := classicecs.CreateCreateSecurityGroupRequest()
		r.VpcId = vpc
		g, err := e.classic.CreateSecurityGroup(r)
		sdktest.OK(t, err)
		return g.SecurityGroupId
	}
	second := newGroup(e.vpcID)
	cv := classicvpc.CreateCreateVpcRequest()
	cv.CidrBlock = "10.0.0.0/16"
	other, err := e.vpc.CreateVpc(cv)
	sdktest.OK(t, err)
	e.s.Clock.Advance(5 * time.Second)
	foreign := newGroup(other.VpcId)

	groups := func() []string {
		t.Helper()
		r := classicecs.CreateDescribeInstancesRequest()
		r.InstanceIds = `["` + id + `"]`
		resp, err := e.classic.DescribeInstances(r)
		sdktest.OK(t, err)
		return resp.Instances.Instance[0].SecurityGroupIds.SecurityGroupId
	}
	join := classicecs.CreateJoinSecurityGroupRequest()
	join.InstanceId, join.SecurityGroupId = id, second
	_, err = e.classic.JoinSecurityGroup(join)
	sdktest.OK(t, err)
	if got := groups(); !slices.Equal(got, []string{e.sg, second}) {
		t.Fatalf("after join %v", got)
	}
	_, err = e.classic.JoinSecurityGroup(join)
	sdktest.WantFail(t, err, http.StatusForbidden, "InvalidInstanceId.AlreadyExists")
	join.SecurityGroupId = foreign
	_, err = e.classic.JoinSecurityGroup(join)
	sdktest.WantFail(t, err, http.StatusBadRequest, "InvalidInstanceId.Mismatch")

	_, err = e.v7.LeaveSecurityGroup(&ecs.LeaveSecurityGroupRequest{InstanceId: dara.String(id), SecurityGroupId: dara.String(e.sg)})
	sdktest.OK(t, err)
	if got := groups(); !slices.Equal(got, []string{second}) {
		t.Fatalf("after leave %v", got)
	}
	_, err = e.v7.LeaveSecurityGroup(&ecs.LeaveSecurityGroupRequest{InstanceId: dara.String(id), SecurityGroupId: dara.String(second)})
	sdktest.WantFail(t, err, http.StatusForbidden, "InvalidOperation.LastSecurityGroup")
	_, err = e.v7.LeaveSecurityGroup(&ecs.LeaveSecurityGroupRequest{InstanceId: dara.String(id), SecurityGroupId: dara.String(e.sg)})
	sdktest.WantFail(t, err, http.StatusNotFound, "InvalidSecurityGroupId.NotFound")
	_, err = e.v7.JoinSecurityGroup(&ecs.JoinSecurityGroupRequest{SecurityGroupId: dara.String(second)})
	sdktest.WantFail(t, err, http.StatusBadRequest, "MissingParameter")

	// The primary ENI follows the instance.
	nr := classicecs.CreateDescribeNetworkInterfacesRequest()
	nr.InstanceId = id
	enis, err := e.classic.DescribeNetworkInterfaces(nr)
	sdktest.OK(t, err)
	if got := enis.NetworkInterfaceSets.NetworkInterfaceSet[0].SecurityGroupIds.SecurityGroupId; !slices.Equal(got, []string{second}) {
		t.Fatalf("primary ENI groups %v", got)
	}
}

func TestModifyInstanceMetadataOptions(t *testing.T) {
	e := newEnv(t, realistic())
	id := e.run1(t, nil)
	r := classicecs.CreateModifyInstanceMetadataOptionsRequest()
	r.InstanceId, r.HttpEndpoint, r.HttpTokens = id, "enabled", "required"
	_, err := e.classic.ModifyInstanceMetadataOptions(r)
	sdktest.OK(t, err)
	_, err = e.v7.ModifyInstanceMetadataOptions(&ecs.ModifyInstanceMetadataOptionsRequest{RegionId: dara.String("cn-hangzhou"),
		InstanceId: dara.String(id), HttpEndpoint: dara.String("enabled"), HttpPutResponseHopLimit: dara.Int32(3)})
	sdktest.OK(t, err)
	resp, err := e.v7.DescribeInstances(&ecs.DescribeInstancesRequest{RegionId: dara.String("cn-hangzhou"), InstanceIds: dara.String(`["` + id + `"]`)})
	sdktest.OK(t, err)
	md := resp.Body.Instances.Instance[0].MetadataOptions
	if dara.StringValue(md.HttpTokens) != "required" || dara.Int32Value(md.HttpPutResponseHopLimit) != 3 || dara.StringValue(md.HttpEndpoint) != "enabled" {
		t.Fatalf("metadata %v", md)
	}
	_, err = e.v7.ModifyInstanceMetadataOptions(&ecs.ModifyInstanceMetadataOptionsRequest{RegionId: dara.String("cn-hangzhou"),
		InstanceId: dara.String(id), HttpEndpoint: dara.String("sometimes")})
	sdktest.WantFail(t, err, http.StatusBadRequest, "InvalidParameter")
	_, err = e.v7.ModifyInstanceMetadataOptions(&ecs.ModifyInstanceMetadataOptionsRequest{RegionId: dara.String("cn-hangzhou"),
		InstanceId: dara.String("i-missing"), HttpEndpoint: dara.String("enabled")})
	sdktest.WantFail(t, err, http.StatusNotFound, "InvalidInstanceId.NotFound")
}

package ecs_test

import (
	"encoding/base64"
	"testing"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	classicecs "github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"

	"github.com/ecslocal/ecslocal/ecslocaltest"
	"github.com/ecslocal/ecslocal/internal/sdktest"
)

// The reads the alicloud Terraform provider makes on every refresh answer
// from the stored instance.
func TestTerraformReads(t *testing.T) {
	e := newEnv(t, ecslocaltest.Options{})
	ud := base64.StdEncoding.EncodeToString([]byte("#!/bin/sh\necho hi\n"))
	payg := e.run1(t, func(r *classicecs.RunInstancesRequest) { r.UserData = ud })
	sub := e.run1(t, func(r *classicecs.RunInstancesRequest) {
		r.InstanceChargeType, r.Period, r.PeriodUnit, r.AutoRenew = "PrePaid", requests.NewInteger(3), "Month", requests.NewBoolean(true)
	})

	t.Run("DescribeUserData", func(t *testing.T) {
		for id, want := range map[string]string{payg: ud, sub: ""} {
			r := classicecs.CreateDescribeUserDataRequest()
			r.InstanceId = id
			resp, err := e.classic.DescribeUserData(r)
			sdktest.OK(t, err)
			if resp.UserData != want || resp.InstanceId != id || resp.RegionId != region {
				t.Errorf("%s: %+v, want user data %q", id, resp, want)
			}
		}
		r := classicecs.CreateDescribeUserDataRequest()
		r.InstanceId = "i-bp1doesnotexist0000"
		_, err := e.classic.DescribeUserData(r)
		sdktest.WantFail(t, err, 404, "InvalidInstanceId.NotFound")
	})
	t.Run("DescribeInstanceAutoRenewAttribute", func(t *testing.T) {
		r := classicecs.CreateDescribeInstanceAutoRenewAttributeRequest()
		r.InstanceId = sub + "," + payg
		resp, err := e.classic.DescribeInstanceAutoRenewAttribute(r)
		sdktest.OK(t, err)
		got := resp.InstanceRenewAttributes.InstanceRenewAttribute
		if len(got) != 2 || got[0].InstanceId != sub || !got[0].AutoRenewEnabled || got[0].Duration != 3 || got[0].PeriodUnit != "Month" ||
			got[0].RenewalStatus != "AutoRenewal" || got[1].InstanceId != payg || got[1].AutoRenewEnabled || got[1].RenewalStatus != "NotRenewal" {
			t.Errorf("%+v", got)
		}
	})
	t.Run("DescribeInstanceMaintenanceAttributes", func(t *testing.T) {
		r := classicecs.CreateDescribeInstanceMaintenanceAttributesRequest()
		r.InstanceId = &[]string{payg}
		resp, err := e.classic.DescribeInstanceMaintenanceAttributes(r)
		sdktest.OK(t, err)
		got := resp.MaintenanceAttributes.MaintenanceAttribute
		if resp.TotalCount != 1 || len(got) != 1 || got[0].InstanceId != payg || got[0].ActionOnMaintenance.Value != "AutoRecover" {
			t.Errorf("%+v", resp)
		}
	})
	t.Run("DescribeInstanceRamRole", func(t *testing.T) {
		r := classicecs.CreateDescribeInstanceRamRoleRequest()
		r.InstanceIds = `["` + payg + `"]`
		resp, err := e.classic.DescribeInstanceRamRole(r)
		sdktest.OK(t, err)
		if resp.TotalCount != 0 || len(resp.InstanceRamRoleSets.InstanceRamRoleSet) != 0 {
			t.Errorf("no role was attached: %+v", resp)
		}
	})
	t.Run("DescribeInstanceHistoryEvents from index 0", func(t *testing.T) {
		r := classicecs.CreateDescribeInstanceHistoryEventsRequest()
		r.EventType, r.ResourceType = "SystemFailure.Delete", "instance"
		r.QueryParams["ResourceId.0"] = payg
		resp, err := e.classic.DescribeInstanceHistoryEvents(r)
		sdktest.OK(t, err)
		if resp.TotalCount != 0 || len(resp.InstanceSystemEventSet.InstanceSystemEventType) != 0 {
			t.Errorf("%+v", resp)
		}
	})
}

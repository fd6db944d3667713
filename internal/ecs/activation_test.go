package ecs_test

import (
	"net/http"
	"testing"

	ecs "github.com/alibabacloud-go/ecs-20140526/v7/client"
	"github.com/alibabacloud-go/tea/dara"

	"github.com/ecslocal/ecslocal/ecslocaltest"
	"github.com/ecslocal/ecslocal/internal/sdktest"
)

func TestActivations(t *testing.T) {
	e := newEnv(t, ecslocaltest.Options{})
	rg := dara.String(region)
	_, err := e.v7.CreateActivation(&ecs.CreateActivationRequest{RegionId: rg, InstanceCount: dara.Int32(1001)})
	sdktest.WantFail(t, err, http.StatusBadRequest, "InvalidParameter")
	_, err = e.v7.CreateActivation(&ecs.CreateActivationRequest{RegionId: rg, IpAddressRange: dara.String("not-a-cidr")})
	sdktest.WantFail(t, err, http.StatusBadRequest, "InvalidParameter")
	req := &ecs.CreateActivationRequest{RegionId: rg, InstanceName: dara.String("onprem"), InstanceCount: dara.Int32(3),
		ClientToken: dara.String("act-1"), Tag: []*ecs.CreateActivationRequestTag{{Key: dara.String("env"), Value: dara.String("lab")}}}
	cr, err := e.v7.CreateActivation(req)
	sdktest.OK(t, err)
	again, err := e.v7.CreateActivation(req)
	sdktest.OK(t, err)
	id := dara.StringValue(cr.Body.ActivationId)
	if dara.StringValue(cr.Body.ActivationCode) == "" || dara.StringValue(again.Body.ActivationId) != id {
		t.Fatalf("create: %v, again %v", cr.Body, again.Body)
	}
	list, err := e.v7.DescribeActivations(&ecs.DescribeActivationsRequest{RegionId: rg, InstanceName: dara.String("onprem"),
		Tag: []*ecs.DescribeActivationsRequestTag{{Key: dara.String("env")}}})
	sdktest.OK(t, err)
	if a := list.Body.ActivationList; len(a) != 1 || dara.Int32Value(a[0].InstanceCount) != 3 || dara.Int64Value(a[0].TimeToLiveInHours) != 4 ||
		dara.StringValue(a[0].IpAddressRange) != "0.0.0.0/0" || dara.BoolValue(a[0].Disabled) || len(a[0].Tags) != 1 {
		t.Fatalf("activations: %v", list.Body)
	}
	dis, err := e.v7.DisableActivation(&ecs.DisableActivationRequest{RegionId: rg, ActivationId: dara.String(id)})
	sdktest.OK(t, err)
	if !dara.BoolValue(dis.Body.Activation.Disabled) {
		t.Fatalf("disable: %v", dis.Body)
	}
	_, err = e.v7.DeleteActivation(&ecs.DeleteActivationRequest{RegionId: rg, ActivationId: dara.String(id)})
	sdktest.OK(t, err)
	_, err = e.v7.DeleteActivation(&ecs.DeleteActivationRequest{RegionId: rg, ActivationId: dara.String(id)})
	sdktest.WantFail(t, err, http.StatusNotFound, "InvalidActivationId.NotFound")
	list, err = e.v7.DescribeActivations(&ecs.DescribeActivationsRequest{RegionId: rg})
	sdktest.OK(t, err)
	if dara.Int64Value(list.Body.TotalCount) != 0 {
		t.Fatalf("after delete: %v", list.Body)
	}
}

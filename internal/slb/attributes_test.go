package slb_test

import (
	"testing"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	classicslb "github.com/aliyun/alibaba-cloud-sdk-go/services/slb"

	"github.com/ecslocal/ecslocal/internal/sdktest"
)

func (f *fixture) attribute(t *testing.T, lb string) *classicslb.DescribeLoadBalancerAttributeResponse {
	t.Helper()
	r := classicslb.CreateDescribeLoadBalancerAttributeRequest()
	r.LoadBalancerId = lb
	resp, err := f.slb.DescribeLoadBalancerAttribute(r)
	sdktest.OK(t, err)
	return resp
}

// TestLoadBalancerAttributes_Classic: name, status, protections and specs.
func TestLoadBalancerAttributes_Classic(t *testing.T) {
	f := newFixture(t)
	lb := f.intranet(t)

	n := classicslb.CreateSetLoadBalancerNameRequest()
	n.LoadBalancerId, n.LoadBalancerName = lb, "front"
	_, err := f.slb.SetLoadBalancerName(n)
	sdktest.OK(t, err)

	st := classicslb.CreateSetLoadBalancerStatusRequest()
	st.LoadBalancerId, st.LoadBalancerStatus = lb, "paused"
	_, err = f.slb.SetLoadBalancerStatus(st)
	sdktest.WantFail(t, err, 400, "InvalidParameter")
	st2 := classicslb.CreateSetLoadBalancerStatusRequest()
	st2.LoadBalancerId, st2.LoadBalancerStatus = lb, "inactive"
	_, err = f.slb.SetLoadBalancerStatus(st2)
	sdktest.OK(t, err)
	f.settle()

	sp := classicslb.CreateModifyLoadBalancerInstanceSpecRequest()
	sp.LoadBalancerId, sp.LoadBalancerSpec = lb, "slb.s3.large"
	_, err = f.slb.ModifyLoadBalancerInstanceSpec(sp)
	sdktest.OK(t, err)
	// A spec change opens the configuring window as a backend change does.
	_, err = f.slb.SetLoadBalancerStatus(st2)
	sdktest.WantFail(t, err, 409, "BackendServer.configuring")
	f.settle()

	is := classicslb.CreateModifyLoadBalancerInternetSpecRequest()
	is.LoadBalancerId, is.InternetChargeType = lb, "paybybandwidth"
	_, err = f.slb.ModifyLoadBalancerInternetSpec(is)
	sdktest.WantFail(t, err, 400, "InvalidParameter")

	mp := classicslb.CreateSetLoadBalancerModificationProtectionRequest()
	mp.LoadBalancerId, mp.ModificationProtectionStatus, mp.ModificationProtectionReason = lb, "ConsoleProtection", "managed"
	_, err = f.slb.SetLoadBalancerModificationProtection(mp)
	sdktest.OK(t, err)
	dp := classicslb.CreateSetLoadBalancerDeleteProtectionRequest()
	dp.LoadBalancerId, dp.DeleteProtection = lb, "on"
	_, err = f.slb.SetLoadBalancerDeleteProtection(dp)
	sdktest.OK(t, err)

	a := f.attribute(t, lb)
	if a.LoadBalancerName != "front" || a.LoadBalancerStatus != "inactive" || a.LoadBalancerSpec != "slb.s3.large" ||
		a.DeleteProtection != "on" || a.ModificationProtectionStatus != "ConsoleProtection" || a.ModificationProtectionReason != "managed" {
		t.Fatalf("attribute = %+v", a)
	}

	d := classicslb.CreateDeleteLoadBalancerRequest()
	d.LoadBalancerId = lb
	_, err = f.slb.DeleteLoadBalancer(d)
	sdktest.WantFail(t, err, 400, "OperationDenied.DeleteProtectionIsOn")
	dp2 := classicslb.CreateSetLoadBalancerDeleteProtectionRequest()
	dp2.LoadBalancerId, dp2.DeleteProtection = lb, "off"
	_, err = f.slb.SetLoadBalancerDeleteProtection(dp2)
	sdktest.OK(t, err)
	_, err = f.slb.DeleteLoadBalancer(d)
	sdktest.OK(t, err)
}

// TestInternetSpec_Classic: an internet load balancer changes its metering.
func TestInternetSpec_Classic(t *testing.T) {
	f := newFixture(t)
	c := classicslb.CreateCreateLoadBalancerRequest()
	c.DeleteProtection = "on"
	created, err := f.slb.CreateLoadBalancer(c)
	sdktest.OK(t, err)
	is := classicslb.CreateModifyLoadBalancerInternetSpecRequest()
	is.LoadBalancerId, is.InternetChargeType, is.Bandwidth = created.LoadBalancerId, "paybybandwidth", requests.NewInteger(20)
	_, err = f.slb.ModifyLoadBalancerInternetSpec(is)
	sdktest.OK(t, err)
	a := f.attribute(t, created.LoadBalancerId)
	if a.InternetChargeType != "paybybandwidth" || a.Bandwidth != 20 || a.DeleteProtection != "on" {
		t.Fatalf("attribute = %+v", a)
	}
}

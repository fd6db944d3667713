package slb_test

import (
	"testing"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	classicslb "github.com/aliyun/alibaba-cloud-sdk-go/services/slb"

	"github.com/ecslocal/ecslocal/internal/sdktest"
)

// TestWhiteList_Classic: the older per-listener whitelist.
func TestWhiteList_Classic(t *testing.T) {
	f := newFixture(t)
	lb := f.intranet(t)
	sdktest.OK(t, f.tcpListener(lb, 80))
	add := classicslb.CreateAddListenerWhiteListItemRequest()
	add.LoadBalancerId, add.ListenerPort, add.SourceItems = lb, requests.NewInteger(80), "10.0.0.1,192.168.0.0/16"
	// A whitelist write is a configuration change: not while configuring.
	_, err := f.slb.AddListenerWhiteListItem(add)
	sdktest.WantFail(t, err, 400, "OperationFailed.ListenerStatusNotSupport")
	f.settle()

	_, err = f.slb.AddListenerWhiteListItem(add)
	sdktest.OK(t, err)
	f.settle()
	bad := classicslb.CreateAddListenerWhiteListItemRequest()
	bad.LoadBalancerId, bad.ListenerPort, bad.SourceItems = lb, requests.NewInteger(80), "10.0.0.300"
	_, err = f.slb.AddListenerWhiteListItem(bad)
	sdktest.WantFail(t, err, 400, "InvalidParameter")

	st := classicslb.CreateSetListenerAccessControlStatusRequest()
	st.LoadBalancerId, st.ListenerPort, st.AccessControlStatus = lb, requests.NewInteger(80), "open_white_list"
	_, err = f.slb.SetListenerAccessControlStatus(st)
	sdktest.OK(t, err)
	f.settle()
	rm := classicslb.CreateRemoveListenerWhiteListItemRequest()
	rm.LoadBalancerId, rm.ListenerPort, rm.SourceItems = lb, requests.NewInteger(80), "10.0.0.1"
	_, err = f.slb.RemoveListenerWhiteListItem(rm)
	sdktest.OK(t, err)

	d := classicslb.CreateDescribeListenerAccessControlAttributeRequest()
	d.LoadBalancerId, d.ListenerPort = lb, requests.NewInteger(80)
	got, err := f.slb.DescribeListenerAccessControlAttribute(d)
	sdktest.OK(t, err)
	if got.AccessControlStatus != "open_white_list" || got.SourceItems != "192.168.0.0/16" {
		t.Fatalf("whitelist = %+v", got)
	}
	d2 := classicslb.CreateDescribeListenerAccessControlAttributeRequest()
	d2.LoadBalancerId, d2.ListenerPort = lb, requests.NewInteger(81)
	_, err = f.slb.DescribeListenerAccessControlAttribute(d2)
	sdktest.WantFail(t, err, 400, "InvalidParameter")
}

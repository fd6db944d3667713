package ecs_test

import (
	"strconv"
	"testing"

	ecs "github.com/alibabacloud-go/ecs-20140526/v7/client"
	"github.com/alibabacloud-go/tea/dara"
	classicecs "github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"

	"github.com/ecslocal/ecslocal/ecslocaltest"
	"github.com/ecslocal/ecslocal/internal/sdktest"
)

// TestENIQoS: limits set, merged, shown by DescribeNetworkInterfaceAttribute
// and dropped.
func TestENIQoS(t *testing.T) {
	e := newEnv(t, ecslocaltest.Options{})
	eni, err := e.createENI(t, "")
	sdktest.OK(t, err)
	qos := func() *ecs.DescribeNetworkInterfaceAttributeResponseBodyQoSConfig {
		resp, err := e.v7.DescribeNetworkInterfaceAttribute(&ecs.DescribeNetworkInterfaceAttributeRequest{RegionId: dara.String(region), NetworkInterfaceId: dara.String(eni)})
		sdktest.OK(t, err)
		return resp.Body.QoSConfig
	}
	if q := qos(); dara.BoolValue(q.EnableQoS) {
		t.Fatalf("QoS before any: %+v", q)
	}
	enable := func(q *ecs.EnableNetworkInterfaceQoSRequestQoS) error {
		_, err := e.v7.EnableNetworkInterfaceQoS(&ecs.EnableNetworkInterfaceQoSRequest{RegionId: dara.String(region), NetworkInterfaceId: dara.String(eni), QoS: q})
		return err
	}
	sdktest.OK(t, enable(&ecs.EnableNetworkInterfaceQoSRequestQoS{BandwidthTx: dara.Int64(100), PpsTx: dara.Int64(5000)}))
	sdktest.OK(t, enable(&ecs.EnableNetworkInterfaceQoSRequestQoS{BandwidthRx: dara.Int64(50)}))
	q := qos()
	if !dara.BoolValue(q.EnableQoS) || dara.Int64Value(q.QoS.BandwidthTx) != 100 || dara.Int64Value(q.QoS.BandwidthRx) != 50 || dara.Int64Value(q.QoS.PpsTx) != 5000 {
		t.Fatalf("QoS after enable: %+v", q.QoS)
	}
	sdktest.WantFail(t, enable(&ecs.EnableNetworkInterfaceQoSRequestQoS{}), 400, "MissingParameter")
	sdktest.WantFail(t, enable(&ecs.EnableNetworkInterfaceQoSRequestQoS{PpsRx: dara.Int64(0)}), 400, "InvalidParameter")
	_, err = e.v7.DisableNetworkInterfaceQoS(&ecs.DisableNetworkInterfaceQoSRequest{RegionId: dara.String(region), NetworkInterfaceId: dara.String(eni)})
	sdktest.OK(t, err)
	if q := qos(); dara.BoolValue(q.EnableQoS) {
		t.Fatalf("QoS after disable: %+v", q)
	}
	_, err = e.v7.DisableNetworkInterfaceQoS(&ecs.DisableNetworkInterfaceQoSRequest{RegionId: dara.String(region), NetworkInterfaceId: dara.String("eni-nothere")})
	sdktest.WantFail(t, err, 404, "InvalidEniId.NotFound")
}

// TestAccountAttributesAndLimitation: quotas, what the account uses, and
// the limits the actions enforce.
func TestAccountAttributesAndLimitation(t *testing.T) {
	e := newEnv(t, ecslocaltest.Options{})
	e.run(t, func(r *classicecs.RunInstancesRequest) { r.Amount = "2" }) // 2 × 2 vCPUs
	attrs := func(names ...string) map[string][]classicecs.ValueItem {
		r := classicecs.CreateDescribeAccountAttributesRequest()
		r.AttributeName = &names
		resp, err := e.classic.DescribeAccountAttributes(r)
		sdktest.OK(t, err)
		out := map[string][]classicecs.ValueItem{}
		for _, a := range resp.AccountAttributeItems.AccountAttributeItem {
			out[a.AttributeName] = a.AttributeValues.ValueItem
		}
		return out
	}
	got := attrs("used-postpaid-instance-vcpu-count", "max-security-groups", "instance-network-type", "used-postpaid-yundisk-capacity", "supported-postpaid-instance-types")
	if v := got["used-postpaid-instance-vcpu-count"]; len(v) != 1 || v[0].Value != "4" {
		t.Fatalf("used vCPUs %+v", v)
	}
	if v := got["max-security-groups"]; len(v) != 1 || v[0].Value != "10000" {
		t.Fatalf("max-security-groups %+v", v)
	}
	if v := got["instance-network-type"]; len(v) != 1 || v[0].Value != "vpc" {
		t.Fatalf("network type %+v", v)
	}
	if v := got["used-postpaid-yundisk-capacity"]; len(v) != 1 || v[0].Value == "0" {
		t.Fatalf("disk capacity %+v", v)
	}
	found := false
	for _, v := range got["supported-postpaid-instance-types"] {
		found = found || v.InstanceType == itype && v.ZoneId == e.zone
	}
	if !found {
		t.Fatalf("%s is not on sale in %s", itype, e.zone)
	}
	if n := len(attrs()); n != 12 {
		t.Fatalf("all attributes: %d", n)
	}
	r := classicecs.CreateDescribeAccountAttributesRequest()
	r.AttributeName = &[]string{"max-unicorns"}
	_, err := e.classic.DescribeAccountAttributes(r)
	sdktest.WantFail(t, err, 400, "InvalidParameter")

	limit := func(name string) (string, error) {
		r := classicecs.CreateDescribeLimitationRequest()
		r.Limitation = name
		resp, err := e.classic.DescribeLimitation(r)
		if err != nil {
			return "", err
		}
		return resp.Value, nil
	}
	v, err := limit("max-security-group-rules")
	sdktest.OK(t, err)
	if v != "200" {
		t.Fatalf("max-security-group-rules %s", v)
	}
	v, err = limit("max-key-pairs")
	sdktest.OK(t, err)
	if n, _ := strconv.Atoi(v); n != 500 {
		t.Fatalf("max-key-pairs %s", v)
	}
	_, err = limit("max-unicorns")
	sdktest.WantFail(t, err, 400, "InvalidParameter")
}

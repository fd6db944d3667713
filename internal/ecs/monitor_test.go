package ecs_test

import (
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	classicecs "github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"

	"github.com/ecslocal/ecslocal/ecslocaltest"
	"github.com/ecslocal/ecslocal/internal/sdktest"
)

// TestMonitorData: one point per period since the resource was created, up
// to the emulated now; too many points and a reversed window are refused.
func TestMonitorData(t *testing.T) {
	e := newEnv(t, ecslocaltest.Options{})
	id := e.run1(t, nil)
	start := e.s.Clock.Now().UTC().Truncate(time.Minute)
	e.s.Clock.Advance(10 * time.Minute)
	q := func(from, to time.Time, period string) ([]classicecs.InstanceMonitorData, error) {
		r := classicecs.CreateDescribeInstanceMonitorDataRequest()
		r.InstanceId, r.StartTime, r.EndTime, r.Period = id, from.Format(time.RFC3339), to.Format(time.RFC3339), requests.Integer(period)
		resp, err := e.classic.DescribeInstanceMonitorData(r)
		if err != nil {
			return nil, err
		}
		return resp.MonitorData.InstanceMonitorData, nil
	}
	pts, err := q(start.Add(-time.Hour), start.Add(time.Hour), "60")
	sdktest.OK(t, err)
	if n := len(pts); n < 10 || n > 12 || pts[0].CPU != 0 || pts[0].InstanceId != id {
		t.Fatalf("%d points: %+v", n, pts)
	}
	_, err = q(start, start.Add(-time.Minute), "60")
	sdktest.WantFail(t, err, 400, "InvalidParameter")
	_, err = q(start, start.Add(24*time.Hour), "60")
	sdktest.WantFail(t, err, 400, "InvalidParameter.TooManyDataQueried")
	_, err = q(start, start.Add(time.Hour), "61")
	sdktest.WantFail(t, err, 400, "InvalidParameter")

	eni, err := e.createENI(t, "")
	sdktest.OK(t, err)
	at := classicecs.CreateAttachNetworkInterfaceRequest()
	at.NetworkInterfaceId, at.InstanceId = eni, id
	_, err = e.classic.AttachNetworkInterface(at)
	sdktest.OK(t, err)
	e.s.Clock.Advance(5 * time.Minute)
	er := classicecs.CreateDescribeEniMonitorDataRequest()
	er.InstanceId, er.StartTime, er.EndTime = id, start.Format(time.RFC3339), start.Add(time.Hour).Format(time.RFC3339)
	resp, err := e.classic.DescribeEniMonitorData(er)
	sdktest.OK(t, err)
	if d := resp.MonitorData.EniMonitorData; len(d) < 4 || d[0].EniId != eni || d[0].IntranetRx != "0" {
		t.Fatalf("ENI data %+v", d)
	}
	er.EniId = "eni-nothere"
	_, err = e.classic.DescribeEniMonitorData(er)
	sdktest.WantFail(t, err, 404, "InvalidEniId.NotFound")
}

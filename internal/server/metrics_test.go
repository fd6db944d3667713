package server

import (
	"strings"
	"testing"
	"time"

	"github.com/ecslocal/ecslocal/internal/apierr"
	"github.com/ecslocal/ecslocal/internal/rpc"
)

// TestMetricsByCall: the label sets resolved once count every call, each
// under its own labels, as WithLabelValues on every call did.
func TestMetricsByCall(t *testing.T) {
	m := newMetrics()
	ok := &rpc.Call{Product: "Ecs", Action: "DescribeInstances"}
	for range 3 {
		m.observe(ok, 200, nil, time.Millisecond)
	}
	m.observe(ok, 400, apierr.InvalidParameter.New("X"), time.Millisecond)
	m.observe(&rpc.Call{Product: "Vpc", Action: "DescribeVpcs"}, 200, nil, time.Millisecond)
	families, err := m.registry.Gather()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, f := range families {
		for _, s := range f.GetMetric() {
			var labels []string
			for _, l := range s.GetLabel() {
				labels = append(labels, l.GetValue())
			}
			switch f.GetName() {
			case "ecslocal_requests_total":
				got["requests "+strings.Join(labels, " ")] = s.GetCounter().GetValue()
			case "ecslocal_request_duration_seconds":
				got["latency "+strings.Join(labels, " ")] = float64(s.GetHistogram().GetSampleCount())
			}
		}
	}
	want := map[string]float64{
		"requests DescribeInstances OK Ecs":                                   3,
		"requests DescribeInstances " + apierr.InvalidParameter.Code + " Ecs": 1,
		"requests DescribeVpcs OK Vpc":                                        1,
		"latency DescribeInstances Ecs":                                       4,
		"latency DescribeVpcs Vpc":                                            1,
	}
	if len(got) != len(want) {
		t.Errorf("series %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %v, want %v", k, got[k], v)
		}
	}
	if n := len(m.byCall); n != 3 {
		t.Errorf("%d label sets kept, want 3", n)
	}
}

package admin_test

import (
	"strings"
	"testing"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	classicecs "github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"

	"github.com/ecslocal/ecslocal/ecslocaltest"
	"github.com/ecslocal/ecslocal/internal/sdktest"
)

// TestMetrics: /metrics counts calls by product, action and code, and due
// events; two servers in one process keep separate counts.
func TestMetrics(t *testing.T) {
	e := newEnv(t, ecslocaltest.Options{})
	id := e.run1(t, nil)
	_, err := e.deleteInstances([]string{id}, false, false)
	sdktest.WantFail(t, err, 403, "IncorrectInstanceStatus")

	other := ecslocaltest.New(t, ecslocaltest.Options{})
	oc := sdktest.ClassicECS(t, other)
	for range 3 {
		_, err := oc.DescribeRegions(classicecs.CreateDescribeRegionsRequest())
		sdktest.OK(t, err)
	}

	status, body := get(t, e.s, "/metrics")
	if status != 200 {
		t.Fatalf("/metrics: %d", status)
	}
	for _, want := range []string{
		`ecslocal_requests_total{action="RunInstances",code="OK",product="Ecs"} 1`,
		`ecslocal_requests_total{action="DeleteInstances",code="IncorrectInstanceStatus",product="Ecs"} 1`,
		`ecslocal_requests_total{action="CreateVpc",code="OK",product="Vpc"} 1`,
		`ecslocal_request_duration_seconds_count{action="RunInstances",product="Ecs"} 1`,
		`ecslocal_state_changes_total{kind="instance",op="created"} 1`,
		"ecslocal_due_events_applied_total ",
		"ecslocal_store_conflicts_total",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	if strings.Contains(body, `action="DescribeRegions"`) {
		t.Errorf("the first server counts the second's calls")
	}
	if strings.Contains(body, "ecslocal_due_events_applied_total 0") {
		t.Errorf("no due events counted after a launch")
	}
	_, body = get(t, other, "/metrics")
	if !strings.Contains(body, `ecslocal_requests_total{action="DescribeRegions",code="OK",product="Ecs"} 3`) || strings.Contains(body, `action="RunInstances"`) {
		t.Errorf("second server's metrics:\n%s", body)
	}

	// An unknown action does not grow the label set.
	r := requests.NewCommonRequest()
	r.Product, r.Version, r.ApiName, r.Domain, r.Scheme = "Ecs", "2014-05-26", "NoSuchActionAtAll", other.Endpoint, "http"
	_, err = oc.ProcessCommonRequest(r)
	if err == nil {
		t.Fatal("an unknown action succeeded")
	}
	_, body = get(t, other, "/metrics")
	if strings.Contains(body, "NoSuchActionAtAll") || !strings.Contains(body, `action="unknown"`) {
		t.Errorf("unknown action in metrics:\n%s", body)
	}
}

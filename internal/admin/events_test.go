package admin_test

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
	classicerrors "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"
	classicecs "github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"

	"github.com/ecslocal/ecslocal/ecslocaltest"
	"github.com/ecslocal/ecslocal/internal/sdktest"
)

// TestEvents_RefusedRelease: a refused DeleteInstances is in the log with
// its code, the RequestId the client saw, the rule that refused it and the
// instance, and no state change.
func TestEvents_RefusedRelease(t *testing.T) {
	e := newEnv(t, ecslocaltest.Options{})
	id := e.run1(t, nil)
	_, err := e.deleteInstances([]string{id}, false, false)
	sdktest.WantFail(t, err, 403, "IncorrectInstanceStatus")
	var se *classicerrors.ServerError
	if !asServerError(err, &se) {
		t.Fatalf("not a server error: %v", err)
	}

	events := e.s.Events.List(ecslocaltest.EventFilter{Action: "DeleteInstances"})
	if len(events) != 1 {
		t.Fatalf("DeleteInstances events: %+v, want 1", events)
	}
	ev := events[0]
	if ev.Code != "IncorrectInstanceStatus" || ev.HTTPStatus != 403 || ev.Account != e.s.Account || ev.Region != region || ev.Product != "Ecs" {
		t.Errorf("event: %+v", ev)
	}
	if ev.RequestID != se.RequestId() {
		t.Errorf("event RequestId %q, the client saw %q", ev.RequestID, se.RequestId())
	}
	if !strings.Contains(ev.Detail, "running without Force") || !strings.Contains(ev.Detail, id) {
		t.Errorf("detail %q does not name the rule (running without Force) and %s", ev.Detail, id)
	}
	if len(ev.Changes) != 0 {
		t.Errorf("a refused call changed state: %+v", ev.Changes)
	}
	if !hasResource(ev, id) {
		t.Errorf("event resources %q lack %s", ev.Resources, id)
	}
	// The same through the resource filter.
	byID := e.s.Events.List(ecslocaltest.EventFilter{ResourceID: id, Code: "IncorrectInstanceStatus"})
	if len(byID) != 1 || byID[0].Seq != ev.Seq {
		t.Errorf("by resource and code: %+v", byID)
	}
}

func asServerError(err error, se **classicerrors.ServerError) bool {
	e, ok := err.(*classicerrors.ServerError)
	if ok {
		*se = e
	}
	return ok
}

// TestEvents_StateChanges: a DryRun leaves no state change; an accepted
// release records the instance's status change; the removal the clock
// applies later is recorded as a due change of the call that moved it.
func TestEvents_StateChanges(t *testing.T) {
	e := newEnv(t, ecslocaltest.Options{})
	id := e.run1(t, nil)

	run := e.s.Events.List(ecslocaltest.EventFilter{Action: "RunInstances"})
	if len(run) != 1 || run[0].Code != "OK" || !changed(run[0], "instance", id, "created") {
		t.Fatalf("RunInstances event: %+v", run)
	}

	_, err := e.deleteInstances([]string{id}, true, true)
	sdktest.WantFail(t, err, 400, "DryRunOperation")
	dry := e.s.Events.List(ecslocaltest.EventFilter{Action: "DeleteInstances", Code: "DryRunOperation"})
	if len(dry) != 1 {
		t.Fatalf("DryRun events: %+v", dry)
	}
	if len(dry[0].Changes) != 0 {
		t.Errorf("a DryRun left state changes: %+v", dry[0].Changes)
	}

	// The fast profile makes a release due at once, so the background
	// settling could apply it before the advance below; with delays the
	// release is due only after the advance, which applies it.
	e.s.Config.Patch(map[string]any{"delays": map[string]any{
		"releaseForceStop": "10s", "releaseGraceStop": "10s", "releaseAfterStop": "10s", "release": "10s"}})
	_, err = e.deleteInstances([]string{id}, true, false)
	sdktest.OK(t, err)
	ok := e.s.Events.List(ecslocaltest.EventFilter{Action: "DeleteInstances", Code: "OK"})
	if len(ok) != 1 {
		t.Fatalf("accepted DeleteInstances events: %+v", ok)
	}
	var c *ecslocaltest.Change
	for i := range ok[0].Changes {
		if ok[0].Changes[i].ID == id {
			c = &ok[0].Changes[i]
		}
	}
	if c == nil || c.Op != "updated" || c.StatusBefore != "Running" || c.StatusAfter != "Stopping" || c.Due {
		t.Errorf("release change of %s: %+v (all: %+v)", id, c, ok[0].Changes)
	}

	e.s.Clock.Advance(time.Minute)
	gone := e.s.Events.List(ecslocaltest.EventFilter{ResourceID: id, Limit: 1})
	if len(gone) != 1 || !changed(gone[0], "instance", id, "deleted") {
		t.Fatalf("latest event of %s: %+v; want its removal", id, gone)
	}
	if gone[0].Action != "POST /_ecslocal/clock" || gone[0].Product != "ecslocal" {
		t.Errorf("removal attributed to %s %s, want the clock advance", gone[0].Product, gone[0].Action)
	}
	for _, ch := range gone[0].Changes {
		if ch.ID == id && !ch.Due {
			t.Errorf("removal not marked as a due change: %+v", ch)
		}
	}
	if gone[0].Params["advance"] != "1m0s" {
		t.Errorf("clock advance parameters: %v", gone[0].Params)
	}
}

func changed(ev ecslocaltest.Event, kind, id, op string) bool {
	for _, c := range ev.Changes {
		if c.Kind == kind && c.ID == id && c.Op == op {
			return true
		}
	}
	return false
}

// TestEvents_NoSecrets: parameters are logged without the signature, the
// session token or passwords; the key id is kept, the secret is nowhere.
func TestEvents_NoSecrets(t *testing.T) {
	const keySecret, password, token = "Sup3r-Key-Secret", "Pa55word-Never-Logged", "sts-Token-Never-Logged"
	e := newEnv(t, ecslocaltest.Options{AccessKeyID: "LTAIkeyid", AccessKeySecret: keySecret})
	e.run1(t, func(r *classicecs.RunInstancesRequest) { r.Password = password })

	sts, err := classicecs.NewClientWithOptions(region, sdk.NewConfig().WithAutoRetry(false).WithScheme("HTTP"),
		credentials.NewStsTokenCredential(e.s.AccessKeyID, e.s.AccessKeySecret, token))
	if err != nil {
		t.Fatal(err)
	}
	sts.Domain = e.s.Endpoint
	_, err = sts.DescribeRegions(classicecs.CreateDescribeRegionsRequest())
	sdktest.OK(t, err)

	_, raw := get(t, e.s, "/_ecslocal/events?limit=1000")
	for _, s := range []string{keySecret, password, token} {
		if strings.Contains(raw, s) {
			t.Errorf("the audit log contains %q", s)
		}
	}
	for _, ev := range e.s.Events.List(ecslocaltest.EventFilter{Limit: 1000}) {
		if ev.Product == "ecslocal" {
			continue
		}
		for _, k := range []string{"Signature", "SecurityToken", "Password"} {
			if _, ok := ev.Params[k]; ok {
				t.Errorf("%s event keeps parameter %s", ev.Action, k)
			}
		}
		if ev.Params["AccessKeyId"] != "LTAIkeyid" {
			t.Errorf("%s event: AccessKeyId %q, want the key id kept", ev.Action, ev.Params["AccessKeyId"])
		}
	}
	run := e.s.Events.List(ecslocaltest.EventFilter{Action: "RunInstances"})
	if len(run) != 1 || run[0].Params["ImageId"] != image {
		t.Errorf("RunInstances parameters: %+v", run)
	}
}

// TestEvents_Retention: the log keeps the newest N events only.
func TestEvents_Retention(t *testing.T) {
	s := ecslocaltest.New(t, ecslocaltest.Options{EventRetention: 5})
	c := sdktest.ClassicECS(t, s)
	var last string
	for range 9 {
		resp, err := c.DescribeRegions(classicecs.CreateDescribeRegionsRequest())
		sdktest.OK(t, err)
		last = resp.RequestId
	}
	events := s.Events.List(ecslocaltest.EventFilter{Limit: 100})
	if len(events) != 5 {
		t.Fatalf("%d events kept, want 5", len(events))
	}
	if events[0].RequestID != last {
		t.Errorf("newest event %q, want the last call %q", events[0].RequestID, last)
	}
	for i := 1; i < len(events); i++ {
		if events[i].Seq != events[i-1].Seq-1 {
			t.Errorf("not the newest in order: seq %d after %d", events[i].Seq, events[i-1].Seq)
		}
	}
}

// TestEvents_Filters: account, action, resourceId, code, since and limit,
// alone and together; bad values answer 400.
func TestEvents_Filters(t *testing.T) {
	e := newEnv(t, ecslocaltest.Options{})
	a := e.run1(t, nil)
	b := e.run1(t, nil)
	_, err := e.deleteInstances([]string{a}, false, false)
	sdktest.WantFail(t, err, 403, "IncorrectInstanceStatus")
	mid := e.s.Clock.Advance(time.Hour)
	_, err = e.deleteInstances([]string{b}, true, false)
	sdktest.OK(t, err)

	for _, c := range []struct {
		name string
		f    ecslocaltest.EventFilter
		want func(ecslocaltest.Event) bool
		n    int
	}{
		{"action", ecslocaltest.EventFilter{Action: "RunInstances"}, func(ev ecslocaltest.Event) bool { return ev.Action == "RunInstances" }, 2},
		{"resource", ecslocaltest.EventFilter{ResourceID: a, Action: "DeleteInstances"}, func(ev ecslocaltest.Event) bool { return hasResource(ev, a) }, 1},
		{"code", ecslocaltest.EventFilter{Code: "IncorrectInstanceStatus"}, func(ev ecslocaltest.Event) bool { return ev.Code == "IncorrectInstanceStatus" }, 1},
		{"account", ecslocaltest.EventFilter{Account: e.s.Account, Action: "DeleteInstances"}, func(ev ecslocaltest.Event) bool { return ev.Account == e.s.Account }, 2},
		{"other account", ecslocaltest.EventFilter{Account: "9999999999999999"}, nil, 0},
		{"since", ecslocaltest.EventFilter{Since: mid, Action: "DeleteInstances"}, func(ev ecslocaltest.Event) bool { return !ev.Time.Before(mid) && hasResource(ev, b) }, 1},
		{"limit", ecslocaltest.EventFilter{Limit: 3}, func(ecslocaltest.Event) bool { return true }, 3},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := e.s.Events.List(c.f)
			if len(got) != c.n {
				t.Fatalf("%d events, want %d: %+v", len(got), c.n, got)
			}
			for _, ev := range got {
				if !c.want(ev) {
					t.Errorf("event does not match: %+v", ev)
				}
			}
		})
	}

	// "since" also takes a duration back from the emulated now.
	_, raw := get(t, e.s, "/_ecslocal/events?since=1m&action=DeleteInstances")
	var out struct{ Events []ecslocaltest.Event }
	if err := json.Unmarshal([]byte(raw), &out); err != nil || len(out.Events) != 1 || !hasResource(out.Events[0], b) {
		t.Errorf("since=1m: %s", raw)
	}
	for _, q := range []string{"since=yesterday", "limit=0", "limit=x", "before=-1"} {
		if status, body := get(t, e.s, "/_ecslocal/events?"+q); status != 400 {
			t.Errorf("%s: %d %s, want 400", q, status, body)
		}
	}
	// Paging back with before.
	page := e.s.Events.List(ecslocaltest.EventFilter{Limit: 2})
	v := url.Values{"limit": {"2"}, "before": {jsonNumber(page[1].Seq)}}
	_, raw = get(t, e.s, "/_ecslocal/events?"+v.Encode())
	out.Events = nil
	if err := json.Unmarshal([]byte(raw), &out); err != nil || len(out.Events) != 2 || out.Events[0].Seq != page[1].Seq-1 {
		t.Errorf("before=%d: %s", page[1].Seq, raw)
	}
}

func jsonNumber(n int64) string {
	b, _ := json.Marshal(n)
	return string(b)
}

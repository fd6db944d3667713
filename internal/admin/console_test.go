package admin_test

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/ecslocal/ecslocal/ecslocaltest"
)

func regionPath(account, region string) string {
	return "/_ecslocal/console/accounts/" + account + "/regions/" + region
}

// TestConsole_Pages: the index, the region page with an instance's release
// preview, and the event log render.
func TestConsole_Pages(t *testing.T) {
	e := newEnv(t, ecslocaltest.Options{})
	id := e.run1(t, nil)
	_, err := e.deleteInstances([]string{id}, false, false)
	if err == nil {
		t.Fatal("release of a Running instance without Force was accepted")
	}

	status, body := get(t, e.s, "/_ecslocal/console/")
	if status != 200 || !strings.Contains(body, e.s.Account) || !strings.Contains(body, regionPath(e.s.Account, region)) {
		t.Fatalf("index: %d\n%s", status, body)
	}
	if status, _ := get(t, e.s, "/_ecslocal/console"); status != 301 {
		t.Errorf("console without slash: %d, want a redirect", status)
	}

	status, body = get(t, e.s, regionPath(e.s.Account, region))
	if status != 200 {
		t.Fatalf("region page: %d\n%s", status, body)
	}
	for _, want := range []string{
		id, "Running", "PostPaid",
		// The dry run of the real rules: refused as a plain call, accepted
		// with Force, and what goes with it.
		"refused with IncorrectInstanceStatus", "release refused (running without Force): instance " + id + " is Running and Force is not true",
		"DeleteInstances with Force=true, TerminateSubscription=true: <span class=\"accepted\">accepted</span>",
		"disks released with it: d-",
		// Kinds read generically, and related to the instance.
		"<h4>disk (", "<h3>vpc (", "<h3>securitygroup (",
		// The event log of the account.
		"DeleteInstances", "IncorrectInstanceStatus",
		// The compact table: one row per instance, its details on demand.
		`<table class="instances sortable" id="instances">`, `<tbody class="inst" id="` + id + `">`,
		`<tr class="detail-row" id="more-` + id + `" hidden>`, "<td>ecs.", "assets/console.js",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("region page lacks %q", want)
		}
	}

	status, body = get(t, e.s, "/_ecslocal/console/events?action=DeleteInstances")
	if status != 200 || !strings.Contains(body, "running without Force") || strings.Contains(body, "RunInstances</td>") {
		t.Errorf("events page: %d\n%s", status, body)
	}
	if status, body := get(t, e.s, "/_ecslocal/console/assets/console.js"); status != 200 || !strings.Contains(body, "instances") {
		t.Errorf("console.js: %d", status)
	}
	if status, body := get(t, e.s, "/_ecslocal/console/assets/style.css"); status != 200 || !strings.Contains(body, "body") {
		t.Errorf("style.css: %d", status)
	}
}

// TestConsole_Controls: the buttons lock and unlock, advance the clock and
// reset, then return to the page.
func TestConsole_Controls(t *testing.T) {
	e := newEnv(t, ecslocaltest.Options{})
	id := e.run1(t, nil)
	page := regionPath(e.s.Account, region)
	form := func(path string, v url.Values) {
		t.Helper()
		status, body := do(t, e.s, "POST", path, "application/x-www-form-urlencoded", v.Encode())
		if status != 303 {
			t.Fatalf("POST %s %v: %d %s", path, v, status, body)
		}
	}
	form("/_ecslocal/console/locks", url.Values{"instance": {id}, "reason": {"security"}, "op": {"add"}, "back": {page}})
	if !strings.Contains(e.describe(t), `"LockReason":"security"`) {
		t.Errorf("lock button: %s", e.describe(t))
	}
	_, body := get(t, e.s, page)
	if !strings.Contains(body, `<span class="pill warn">security</span>`) {
		t.Errorf("region page does not show the lock")
	}
	form("/_ecslocal/console/locks", url.Values{"instance": {id}, "reason": {"security"}, "op": {"remove"}, "back": {page}})
	if strings.Contains(e.describe(t), `"LockReason":"security"`) {
		t.Errorf("unlock button left the lock")
	}

	before := e.s.Clock.Now()
	form("/_ecslocal/console/clock", url.Values{"advance": {"90s"}, "back": {page}})
	if got := e.s.Clock.Now().Sub(before); got != 90*time.Second {
		t.Errorf("advance button moved the clock by %v", got)
	}
	if status, _ := do(t, e.s, "POST", "/_ecslocal/console/clock", "application/x-www-form-urlencoded", "advance=soon"); status != 400 {
		t.Errorf("bad duration: %d, want 400", status)
	}
	if status, _ := do(t, e.s, "POST", "/_ecslocal/console/locks", "application/x-www-form-urlencoded", "instance=i-nope1234&reason=security&op=add"); status != 404 {
		t.Errorf("lock of an unknown instance: %d, want 404", status)
	}

	form("/_ecslocal/console/reset", url.Values{})
	if strings.Contains(e.describe(t), id) {
		t.Errorf("reset button kept %s", id)
	}
	// Each control is in the audit log as an admin call.
	if evs := e.s.Events.List(ecslocaltest.EventFilter{Action: "POST /_ecslocal/console/locks", ResourceID: id}); len(evs) != 2 {
		t.Errorf("lock button events: %+v", evs)
	}
}

// TestConsole_EventRows: a dry run that passed reads as one, not as an
// error; a change that keeps the status says so; an event no request
// answered shows no HTTP status.
func TestConsole_EventRows(t *testing.T) {
	e := newEnv(t, ecslocaltest.Options{})
	id := e.run1(t, nil)
	if _, err := e.deleteInstances([]string{id}, true, true); err == nil || !strings.Contains(err.Error(), "DryRunOperation") {
		t.Fatalf("dry run: %v", err)
	}
	if status, body := do(t, e.s, "POST", "/_ecslocal/console/locks", "application/x-www-form-urlencoded",
		url.Values{"instance": {id}, "reason": {"security"}, "op": {"add"}}.Encode()); status != 303 {
		t.Fatalf("lock: %d %s", status, body)
	}
	_, body := get(t, e.s, "/_ecslocal/console/events")
	for _, want := range []string{`<tr class="dry">`, "dry run: every check passed, nothing changed", "instance " + id + " updated (still Running)"} {
		if !strings.Contains(body, want) {
			t.Errorf("events page lacks %q", want)
		}
	}
	for _, bad := range []string{"Running→Running", "OK <small>0</small>"} {
		if strings.Contains(body, bad) {
			t.Errorf("events page shows %q", bad)
		}
	}
}

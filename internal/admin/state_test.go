package admin_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	classicecs "github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"

	"github.com/ecslocal/ecslocal/ecslocaltest"
	"github.com/ecslocal/ecslocal/internal/sdktest"
)

// TestState_RoundTrip: export, reset, import gives back the same world:
// the same DescribeInstances answer, the same export, the same clock.
func TestState_RoundTrip(t *testing.T) {
	e := newEnv(t, ecslocaltest.Options{Seed: 7})
	a := e.run1(t, nil)
	e.run1(t, func(r *classicecs.RunInstancesRequest) { r.InstanceName = "second" })
	e.s.Locks.Add(a, "security")
	e.s.Config.Patch(map[string]any{"initializingWindow": "10s"})
	before := e.describe(t)
	now := e.s.Clock.Now()

	doc := e.s.State.Export()
	var st struct {
		SchemaVersion int `json:"schemaVersion"`
		Clock         struct{ Now time.Time }
		Meta          map[string]json.RawMessage
		Accounts      []struct {
			Account   string
			Resources []struct {
				Kind, ID string
				Data     map[string]any
			}
		}
	}
	if err := json.Unmarshal(doc, &st); err != nil {
		t.Fatalf("export is not JSON: %v", err)
	}
	if st.SchemaVersion != 1 || !st.Clock.Now.Equal(now) || len(st.Accounts) != 1 || st.Accounts[0].Account != e.s.Account {
		t.Fatalf("export head: version %d clock %v accounts %d", st.SchemaVersion, st.Clock.Now, len(st.Accounts))
	}
	if _, ok := st.Meta["config"]; !ok {
		t.Errorf("export lacks the switches: %v", st.Meta)
	}
	kinds := map[string]int{}
	for _, r := range st.Accounts[0].Resources {
		kinds[r.Kind]++
		if r.Data["id"] != r.ID {
			t.Errorf("resource %s %s: data is not its readable document: %v", r.Kind, r.ID, r.Data)
		}
	}
	if kinds["instance"] != 2 || kinds["disk"] < 2 || kinds["vpc"] != 1 {
		t.Errorf("exported kinds: %v", kinds)
	}
	// Readable: indented, one field per line.
	if !strings.Contains(string(doc), "\n  \"schemaVersion\": 1,\n") {
		t.Errorf("export is not indented JSON:\n%.300s", doc)
	}

	status, _ := do(t, e.s, "POST", "/_ecslocal/reset", "", "")
	if status != 200 {
		t.Fatalf("reset: %d", status)
	}
	e.s.Config.Patch(map[string]any{"initializingWindow": "0s"})
	e.s.Clock.Advance(24 * time.Hour)
	if got := e.describe(t); got == before {
		t.Fatalf("reset changed nothing")
	}

	e.s.State.Import(doc)
	if got := e.describe(t); got != before {
		t.Errorf("DescribeInstances after import:\n%s\nwant\n%s", got, before)
	}
	if got := e.s.Clock.Now(); !got.Equal(now) {
		t.Errorf("clock after import %v, want the document's %v", got, now)
	}
	if again := e.s.State.Export(); string(again) != string(doc) {
		t.Errorf("export after import differs:\n%s\nwant\n%s", again, doc)
	}
	// The imported world works: new resources follow the imported ones.
	c := e.run1(t, nil)
	r := classicecs.CreateDescribeInstancesRequest()
	resp, err := e.classic.DescribeInstances(r)
	sdktest.OK(t, err)
	if n := len(resp.Instances.Instance); n != 3 || resp.Instances.Instance[2].InstanceId != c {
		t.Errorf("after import and a launch: %d instances, last %s", n, resp.Instances.Instance[len(resp.Instances.Instance)-1].InstanceId)
	}
	// The refusals of the rules still hold: the lock came back too.
	if !strings.Contains(e.describe(t), "security") {
		t.Errorf("the security lock did not survive export and import")
	}
}

// TestState_Refused: a newer schema version, a missing one, or broken JSON
// is a clear 400 and changes nothing.
func TestState_Refused(t *testing.T) {
	e := newEnv(t, ecslocaltest.Options{})
	e.run1(t, nil)
	before := e.describe(t)
	for _, c := range []struct {
		name, body, mention string
	}{
		{"newer", `{"schemaVersion": 2, "accounts": []}`, "schemaVersion 2 is newer than this server reads (1)"},
		{"missing", `{"accounts": []}`, "schemaVersion is missing"},
		{"zero", `{"schemaVersion": 0, "accounts": []}`, "schemaVersion 0"},
		{"not JSON", `{"schemaVersion": 1,`, "invalid JSON"},
		{"no account id", `{"schemaVersion": 1, "accounts": [{"resources": []}]}`, "no account id"},
		{"data not an object", `{"schemaVersion": 1, "accounts": [{"account": "1", "resources": [{"kind": "x", "id": "y", "data": 3}]}]}`, "JSON object"},
		{"twice", `{"schemaVersion": 1, "accounts": [{"account": "1", "resources": [{"kind": "x", "id": "y", "data": {}}, {"kind": "x", "id": "y", "data": {}}]}]}`, "twice"},
		{"bad config", `{"schemaVersion": 1, "meta": {"config": {"nope": 1}}, "accounts": []}`, "meta.config"},
	} {
		t.Run(c.name, func(t *testing.T) {
			status, body := do(t, e.s, "PUT", "/_ecslocal/state", "application/json", c.body)
			if status != 400 || !strings.Contains(body, c.mention) {
				t.Errorf("PUT state: %d %s; want 400 mentioning %q", status, body, c.mention)
			}
		})
	}
	if got := e.describe(t); got != before {
		t.Errorf("a refused import changed the state")
	}
}

// TestState_Fixture: a hand-written fixture with data alone (no seq, due
// or attrs) loads, and the indexes are rebuilt from the documents.
func TestState_Fixture(t *testing.T) {
	src := newEnv(t, ecslocaltest.Options{Seed: 3})
	id := src.run1(t, nil)
	var st map[string]any
	if err := json.Unmarshal(src.s.State.Export(), &st); err != nil {
		t.Fatal(err)
	}
	// Strip everything but kind, id, region and data; rename the account to
	// the one of another key.
	dst := newEnv(t, ecslocaltest.Options{Seed: 4})
	accounts := st["accounts"].([]any)
	for _, acc := range accounts {
		acc := acc.(map[string]any)
		acc["account"] = dst.s.Account
		for _, r := range acc["resources"].([]any) {
			r := r.(map[string]any)
			delete(r, "seq")
			delete(r, "due")
			delete(r, "attrs")
		}
	}
	doc, _ := json.Marshal(st)
	dst.s.State.Import(doc)
	r := classicecs.CreateDescribeInstancesRequest()
	r.Status = "Running"
	resp, err := dst.classic.DescribeInstances(r)
	sdktest.OK(t, err)
	if len(resp.Instances.Instance) != 1 || resp.Instances.Instance[0].InstanceId != id {
		t.Errorf("status filter over the imported fixture: %+v", resp.Instances.Instance)
	}
}

// TestState_ImportChecksEverySection: each section of an imported document
// is held to the rule of the live endpoint that sets it; a refused import
// answers 400 naming the section and changes nothing (resources, faults,
// switches, clock).
func TestState_ImportChecksEverySection(t *testing.T) {
	e := newEnv(t, ecslocaltest.Options{Seed: 5})
	e.run1(t, nil)
	var doc map[string]any
	if err := json.Unmarshal(e.s.State.Export(), &doc); err != nil {
		t.Fatal(err)
	}
	// The same instance under a second account id.
	acc := doc["accounts"].([]any)[0].(map[string]any)
	twin := map[string]any{"account": "1999999999999999", "resources": acc["resources"]}
	twice := map[string]any{"schemaVersion": 1, "accounts": []any{acc, twin}}
	twiceDoc, _ := json.Marshal(twice)

	state := func() string {
		_, faults := get(t, e.s, "/_ecslocal/faults")
		_, config := get(t, e.s, "/_ecslocal/config")
		_, clock := get(t, e.s, "/_ecslocal/clock")
		return e.describe(t) + faults + config + clock
	}
	before := state()
	for _, c := range []struct {
		name, body, mention string
	}{
		{"faults not a list", `{"schemaVersion": 1, "meta": {"faults": "garbage"}, "accounts": []}`, "meta.faults"},
		{"fault status 200", `{"schemaVersion": 1, "meta": {"faults": [{"action": "RunInstances", "code": "Throttling", "httpStatus": 200, "count": 1}]}, "accounts": []}`, "meta.faults[0]: httpStatus must be 400..599"},
		{"fault without code", `{"schemaVersion": 1, "meta": {"faults": [{"action": "RunInstances"}]}, "accounts": []}`, "meta.faults[0]: action and code are required"},
		{"fault unknown field", `{"schemaVersion": 1, "meta": {"faults": [{"action": "RunInstances", "code": "X", "status": 500}]}, "accounts": []}`, "meta.faults"},
		{"config invalid", `{"schemaVersion": 1, "meta": {"config": {"profile": "warp"}}, "accounts": []}`, "meta.config"},
		{"clock overflows", `{"schemaVersion": 1, "clock": {"now": "9999-12-31T00:00:00Z"}, "accounts": []}`, "clock.now 9999-12-31T00:00:00Z is outside the representable range"},
		{"clock too early", `{"schemaVersion": 1, "clock": {"now": "0001-01-02T00:00:00Z"}, "accounts": []}`, "clock.now"},
		{"same id in two accounts", string(twiceDoc), "is in accounts"},
	} {
		t.Run(c.name, func(t *testing.T) {
			status, body := do(t, e.s, "PUT", "/_ecslocal/state", "application/json", c.body)
			if status != 400 || !strings.Contains(body, c.mention) {
				t.Errorf("PUT state: %d %s; want 400 mentioning %q", status, body, c.mention)
			}
			if got := state(); got != before {
				t.Errorf("a refused import changed the state:\n%s\nwant\n%s", got, before)
			}
		})
	}
	// The same fault the endpoint would arm imports, with its defaults.
	status, body := do(t, e.s, "PUT", "/_ecslocal/state", "application/json",
		`{"schemaVersion": 1, "meta": {"faults": [{"action": "RunInstances", "code": "Throttling"}]}, "accounts": []}`)
	if status != 200 {
		t.Fatalf("PUT state with a valid fault: %d %s", status, body)
	}
	if _, faults := get(t, e.s, "/_ecslocal/faults"); !strings.Contains(faults, `"httpStatus":400`) || !strings.Contains(faults, `"count":1`) {
		t.Errorf("imported fault without its defaults: %s", faults)
	}
}

// TestState_ImportClockTooFar: on a running clock the move to the
// document's time must fit the clock's offset; one that would saturate is
// refused, not turned into another date.
func TestState_ImportClockTooFar(t *testing.T) {
	e := newEnv(t, ecslocaltest.Options{RunningClock: true})
	status, body := do(t, e.s, "PUT", "/_ecslocal/state", "application/json",
		`{"schemaVersion": 1, "clock": {"now": "1700-01-01T00:00:00Z"}, "accounts": []}`)
	if status != 400 || !strings.Contains(body, "clock.now 1700-01-01T00:00:00Z is too far") {
		t.Errorf("PUT state: %d %s; want 400 naming clock.now", status, body)
	}
	if now := e.s.Clock.Now(); now.Year() < 2000 {
		t.Errorf("a refused import moved the clock to %v", now)
	}
}

// TestClock_OutOfRange: the clock endpoint refuses a move past what the
// stores can hold with 400, instead of storing a time it cannot encode
// (found by FuzzAdmin: a set to 9999 and then an advance answered 500).
func TestClock_OutOfRange(t *testing.T) {
	e := newEnv(t, ecslocaltest.Options{})
	before := e.s.Clock.Now()
	for _, body := range []string{
		`{"set":"9999-12-31T00:00:00Z"}`,
		`{"advance":"2562047h"}`,
	} {
		status, answer := do(t, e.s, "POST", "/_ecslocal/clock", "application/json", body)
		if status != 400 || !strings.Contains(answer, "the clock must stay within") {
			t.Errorf("POST clock %s: %d %s; want 400", body, status, answer)
		}
	}
	status, answer := do(t, e.s, "POST", "/_ecslocal/clock", "application/json", `{"set":"2262-04-11T00:00:00Z"}`)
	if status != 200 {
		t.Fatalf("set to the last representable day: %d %s", status, answer)
	}
	status, answer = do(t, e.s, "POST", "/_ecslocal/clock", "application/json", `{"advance":"48h"}`)
	if status != 400 {
		t.Errorf("advance past the range: %d %s; want 400", status, answer)
	}
	if now := e.s.Clock.Now(); now.Year() != 2262 || !now.After(before) {
		t.Errorf("clock after refused moves: %v", now)
	}
}

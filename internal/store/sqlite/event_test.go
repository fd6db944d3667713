package sqlite

import (
	"context"
	"encoding/json"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/ecslocal/ecslocal/internal/store"
)

func sampleEvents() []store.Event {
	t0 := time.Date(2026, 1, 2, 3, 4, 5, 600_000_000, time.UTC)
	return []store.Event{
		{},
		{Seq: 42, Time: t0, Wall: t0.Add(123456789), Account: "1000000000000000", Region: "cn-hangzhou", Product: "Ecs", Action: "DescribeInstances",
			Params: map[string]string{"RegionId": "cn-hangzhou", "PageSize": "10", "InstanceIds": `["i-bp1a","i-bp1b"]`, "Odd\tname": "a\"b\\c\n\r\x01<>&\u2028é", "bad": "\xff\xfeok"},
			Code:   "OK", HTTPStatus: 200, RequestID: "0A1B", ElapsedMS: 0.187, Resources: []string{"i-bp1a", "i-bp1b"}},
		{Seq: 7, Time: t0, Account: "a", Product: "ecslocal", Action: "POST /_ecslocal/clock", Code: "InvalidParameter", HTTPStatus: 400,
			Message: "bad", Detail: "rule: x", ElapsedMS: 1e-7,
			Changes: []store.Change{{Kind: "instance", ID: "i-1", Region: "r", Op: store.Created, StatusAfter: "Pending"}, {Kind: "disk", ID: "d-1", Op: store.Updated, StatusBefore: "A", StatusAfter: "B", Due: true}}},
		{Seq: 1 << 40, ElapsedMS: 123456.5, Params: map[string]string{}},
		{ElapsedMS: 3e21},
	}
}

// TestEventJSON: the hand-written encoder decodes to what encoding/json's
// encoding of the same event decodes to, and through the stored format too.
func TestEventJSON(t *testing.T) {
	var enc eventEncoder
	for i, e := range sampleEvents() {
		std, err := json.Marshal(e)
		if err != nil {
			t.Fatal(err)
		}
		var want store.Event
		if err := json.Unmarshal(std, &want); err != nil {
			t.Fatal(err)
		}
		ours := appendEventJSON(nil, &e)
		var got store.Event
		if err := json.Unmarshal(ours, &got); err != nil {
			t.Fatalf("event %d: %v in %s", i, err, ours)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("event %d:\n ours %s\n std  %s", i, ours, std)
		}
		var stored store.Event
		if err := decodeEvent(enc.append(nil, &e), &stored); err != nil || !reflect.DeepEqual(stored, want) {
			t.Errorf("event %d through the stored format: %+v, %v", i, stored, err)
		}
	}
}

// TestEventFormats: a log holding events of both formats (bare JSON, as
// written before eventV1, and compressed) answers them all, filtered as
// before.
func TestEventFormats(t *testing.T) {
	ctx := context.Background()
	db := mustOpen(t, filepath.Join(t.TempDir(), "e.db"))
	if _, err := db.log.ExecContext(ctx, `UPDATE counters SET n = 2 WHERE name = 'event';
INSERT INTO events (seq, account, action, code, time, data) VALUES
	(1, 'a', 'RunInstances', 'OK', 0, '{"seq":1,"account":"a","action":"RunInstances","code":"OK","resources":["i-1"]}'),
	(2, 'b', 'DescribeInstances', 'Throttling', 0, '{"seq":2,"account":"b","action":"DescribeInstances","code":"Throttling"}');
INSERT INTO event_resources (resource, seq) VALUES ('i-1', 1);`); err != nil {
		t.Fatal(err)
	}
	var batch []store.Event
	for i := range 90 {
		batch = append(batch, store.Event{Account: "a", Action: "DeleteInstances", Code: "OK", Resources: []string{"i-1", "i-1", "i-" + string(rune('a'+i%26))}})
	}
	if err := db.AppendEvents(ctx, batch, 0); err != nil {
		t.Fatal(err)
	}
	all, err := db.Events(ctx, store.EventFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 92 || all[0].Seq != 92 || all[90].Seq != 2 || all[90].Code != "Throttling" || all[91].Action != "RunInstances" {
		t.Fatalf("events: %d, want 92 newest first with the old two last", len(all))
	}
	for i, e := range all[:90] {
		if e.Seq != int64(92-i) || e.Action != "DeleteInstances" || len(e.Resources) != 3 {
			t.Fatalf("event %d: %+v", i, e)
		}
	}
	for _, c := range []struct {
		f    store.EventFilter
		want int
	}{
		{store.EventFilter{ResourceID: "i-1"}, 91},
		{store.EventFilter{ResourceID: "i-c"}, 4},
		{store.EventFilter{Account: "b"}, 1},
		{store.EventFilter{Code: "OK", Action: "RunInstances"}, 1},
	} {
		c.f.Limit = 1000
		got, err := db.Events(ctx, c.f)
		if err != nil || len(got) != c.want {
			t.Errorf("Events(%+v): %d, %v; want %d", c.f, len(got), err, c.want)
		}
	}
	var refs int
	if err := db.log.QueryRowContext(ctx, `SELECT COUNT(*) FROM event_resources`).Scan(&refs); err != nil || refs != 1+90*2 {
		t.Errorf("event_resources rows: %d, %v; want %d (one a distinct id)", refs, err, 1+90*2)
	}
}

package sqlite

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"math"
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"strconv"
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

// TestEventV1Stored: a row written in eventV1 by the first build that wrote
// it still decodes to its event: the dictionary and the format are fixed.
func TestEventV1Stored(t *testing.T) {
	const stored = "01c6030d0000344ae1042c325430333a30343a30352e364e11021d202037323334353637383951111500323aae084ed5015911c6cf0131b1046e2dba7507084131424a4101a657070061d17c62e6061852756e6e696e6742e4061c53746f7070696e67c1ae1500081862703161225d7d"
	want := storedEvent("0A1B")
	decodeStored(t, stored, want)
	var enc eventEncoder
	if again := hex.EncodeToString(enc.append(nil, &want)); again != stored {
		t.Logf("the same event is now written as %s (still readable: only decoding is fixed)", again)
	}
}

// TestEventSamplesCoverEveryField: every field of an event and of its
// changes is set in some sample, so that a field added to store.Event
// fails TestEventJSON until the hand-written encoder writes it.
func TestEventSamplesCoverEveryField(t *testing.T) {
	set := map[string]bool{}
	mark := func(prefix string, v reflect.Value) {
		for i := range v.NumField() {
			if !v.Field(i).IsZero() {
				set[prefix+v.Type().Field(i).Name] = true
			}
		}
	}
	for _, e := range sampleEvents() {
		mark("", reflect.ValueOf(e))
		for _, c := range e.Changes {
			mark("Changes.", reflect.ValueOf(c))
		}
	}
	for _, typ := range []struct {
		prefix string
		t      reflect.Type
	}{{"", reflect.TypeFor[store.Event]()}, {"Changes.", reflect.TypeFor[store.Change]()}} {
		for i := range typ.t.NumField() {
			if name := typ.prefix + typ.t.Field(i).Name; !set[name] {
				t.Errorf("no sample event sets %s", name)
			}
		}
	}
}

// TestEventV2: every event decodes from its stored row to what
// encoding/json's encoding of it decodes to, over random events; those
// eventV2 can hold as their JSON would are written as eventV2, the others
// as eventV1.
func TestEventV2(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	strs := []string{"", "OK", "Ecs", "cn-hangzhou", "DescribeInstances", "i-bp1abc", "a\"b\\c\n<>&\u2028é", "\xff\xfeok", "x\x00y", "PageSize", "10", "eventTokens",
		"7C5B5956-61BD-4E60-886C-BF1B17723446", "7c5b5956-61bd-4e60-886c-bf1b17723446", "7C5B5956-61BD-4E60-886C-BF1B1772344G", "7C5B5956x61BD-4E60-886C-BF1B17723446", "00000000-0000-0000-0000-00000000000"}
	pick := func() string {
		if r.IntN(4) == 0 {
			return strconv.Itoa(r.IntN(1 << 20))
		}
		return strs[r.IntN(len(strs))]
	}
	times := []time.Time{{}, time.Date(2026, 1, 2, 3, 4, 5, 600_000_000, time.UTC), time.Unix(1<<33, 999_999_999).UTC(),
		time.Date(2026, 1, 2, 3, 4, 5, 7, time.FixedZone("x", 3600)), time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC)}
	floats := []float64{0, 0.187, 1e-7, 3e21, math.Copysign(0, -1), 123456.5, math.NaN(), math.Inf(1)}
	var enc eventEncoder
	v2 := 0
	for i := range 3000 {
		e := store.Event{Seq: r.Int64N(1<<40) - 5, Time: times[r.IntN(len(times))], Wall: times[r.IntN(len(times))],
			Account: pick(), Region: pick(), Product: pick(), Action: pick(), Code: pick(), HTTPStatus: r.IntN(600),
			RequestID: pick(), Message: pick(), Detail: pick(), ElapsedMS: floats[r.IntN(len(floats))]}
		if r.IntN(3) > 0 {
			e.Params = map[string]string{}
			for range r.IntN(12) {
				e.Params[pick()] = pick()
			}
		}
		for range r.IntN(3) {
			e.Changes = append(e.Changes, store.Change{Kind: pick(), ID: pick(), Region: pick(), Op: pick(), StatusBefore: pick(), StatusAfter: pick(), Due: r.IntN(2) == 0})
		}
		for range r.IntN(4) {
			e.Resources = append(e.Resources, pick())
		}
		if r.IntN(4) == 0 {
			// The common case: every string UTF-8, times in UTC.
			e.Time, e.Wall, e.ElapsedMS = times[1], times[2], 0.5
			for k, v := range e.Params {
				if k == "\xff\xfeok" || v == "\xff\xfeok" {
					delete(e.Params, k)
				}
			}
			for _, p := range []*string{&e.Account, &e.Region, &e.Product, &e.Action, &e.Code, &e.RequestID, &e.Message, &e.Detail} {
				if *p == "\xff\xfeok" {
					*p = ""
				}
			}
			e.Changes, e.Resources = nil, nil
		}
		std := appendEventJSON(nil, &e)
		row := enc.append(nil, &e)
		var want store.Event
		if err := json.Unmarshal(std, &want); err != nil {
			// A year RFC 3339 cannot write: no JSON reads it back, and
			// eventV2 does not pretend to.
			if row[0] == eventV2 {
				t.Fatalf("event %d: its JSON does not decode (%v), yet written as eventV2", i, err)
			}
			continue
		}
		if _, ok := new(eventEncoder).appendV2(nil, &e); ok != (row[0] == eventV2) {
			t.Fatalf("event %d: written as format %d, eventV2 possible %v", i, row[0], ok)
		}
		if row[0] == eventV2 {
			v2++
		}
		var got store.Event
		if err := decodeEvent(row, &got); err != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("event %d (format %d):\n got  %+v, %v\n want %+v", i, row[0], got, err, want)
		}
		if row[0] == eventV2 {
			for cut := range len(row) - 1 {
				if err := decodeEvent(row[:cut+1], &store.Event{}); err == nil {
					t.Fatalf("event %d cut to %d bytes of %d decoded without an error", i, cut+1, len(row))
				}
			}
		}
	}
	if v2 < 600 || v2 > 2400 {
		t.Errorf("%d of 3000 events written as eventV2: both formats should be tried", v2)
	}
}

// TestEventV2Stored: a row written in eventV2 by the first build that wrote
// it still decodes to its event: the format and its tokens are fixed.
func TestEventV2Stored(t *testing.T) {
	const stored = "0254cad6b9950d808c8d9e02cad6b9950d95a6fcd80240313030303030303030303030303030301d09e10103491d8101d501510c6e2d31059003037c5b595661bd4e60886cbf1b177234460101560e2db29defc73f01c50218692d6270316101bd02e502e90200010a"
	want := storedEvent("7C5B5956-61BD-4E60-886C-BF1B17723446")
	data := decodeStored(t, stored, want)
	var enc eventEncoder
	if again := enc.append(nil, &want); again[0] != eventV2 {
		t.Errorf("written as format %d, want eventV2", again[0])
	} else if len(again) != len(data) {
		t.Errorf("written in %d bytes, stored in %d", len(again), len(data))
	}
}

// storedEvent is the event the stored rows of TestEventV1Stored and
// TestEventV2Stored hold, with its request id.
func storedEvent(requestID string) store.Event {
	t0 := time.Date(2026, 1, 2, 3, 4, 5, 600_000_000, time.UTC)
	return store.Event{Seq: 42, Time: t0, Wall: t0.Add(123456789), Account: "1000000000000000", Region: "cn-hangzhou", Product: "Ecs", Action: "DescribeInstances",
		Params: map[string]string{"RegionId": "cn-hangzhou", "PageSize": "10", "SignatureNonce": "n-1"},
		Code:   "OK", HTTPStatus: 200, RequestID: requestID, ElapsedMS: 0.187, Resources: []string{"i-bp1a"},
		Changes: []store.Change{{Kind: "instance", ID: "i-bp1a", Op: store.Updated, StatusBefore: "Running", StatusAfter: "Stopping"}}}
}

// decodeStored decodes a stored row, given in hex, and checks it is want.
func decodeStored(t *testing.T, stored string, want store.Event) []byte {
	t.Helper()
	data, err := hex.DecodeString(stored)
	if err != nil {
		t.Fatal(err)
	}
	var got store.Event
	if err := decodeEvent(data, &got); err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("decoded %+v, %v; want %+v", got, err, want)
	}
	return data
}

package memory

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync"

	gojson "github.com/goccy/go-json"

	"github.com/ecslocal/ecslocal/internal/store"
)

// eventLog is the audit log: the newest events in Seq order. It has its own
// lock, as the SQL backends write it in transactions of their own. Events
// are kept encoded: ten thousand events as Go values (their parameter maps,
// their changes) were most of what the garbage collector had to scan.
type eventLog struct {
	mu     sync.Mutex
	seq    int64
	keep   int           // the retention of the last append
	events []storedEvent // the newest keep of these are the log
}

// storedEvent is an encoded event with what EventFilter selects on.
type storedEvent struct {
	seq                   int64
	time                  int64 // unix nanoseconds
	account, action, code string
	resources             string // "\x00id\x00id\x00"
	data                  []byte
}

func (l *eventLog) append(events []store.Event, keep int) error {
	if len(events) == 0 {
		return nil
	}
	if keep <= 0 {
		keep = store.DefaultEventRetention
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	encoded := make([]storedEvent, 0, len(events))
	for i, e := range events {
		e.Seq = l.seq + int64(i) + 1
		data, err := gojson.Marshal(e) // the faster encoder: one per call

		if err != nil {
			return fmt.Errorf("encode event: %w", err)
		}
		encoded = append(encoded, storedEvent{
			seq: e.Seq, time: e.Time.UnixNano(), account: e.Account, action: e.Action, code: e.Code,
			resources: "\x00" + strings.Join(e.Resources, "\x00") + "\x00", data: data,
		})
	}
	l.seq += int64(len(events))
	l.events = append(l.events, encoded...)
	l.keep = keep
	if len(l.events) >= 2*keep {
		// Copy the kept tail into a new slice now and then (amortised
		// O(1) per event), so the dropped events can be collected.
		l.events = append(make([]storedEvent, 0, 2*keep), l.events[len(l.events)-keep:]...)
	}
	return nil
}

func (l *eventLog) list(f store.EventFilter) ([]store.Event, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = store.DefaultEventLimit
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	out := []store.Event{}
	oldest := max(len(l.events)-l.keep, 0)
	for i := len(l.events) - 1; i >= oldest && len(out) < limit; i-- {
		e := &l.events[i]
		switch {
		case f.BeforeSeq > 0 && e.seq >= f.BeforeSeq,
			f.Account != "" && e.account != f.Account,
			f.Action != "" && e.action != f.Action,
			f.Code != "" && e.code != f.Code,
			!f.Since.IsZero() && e.time < f.Since.UnixNano(),
			f.ResourceID != "" && !strings.Contains(e.resources, "\x00"+f.ResourceID+"\x00"):
			continue
		}
		var ev store.Event
		if err := json.Unmarshal(e.data, &ev); err != nil {
			return nil, fmt.Errorf("decode event: %w", err)
		}
		out = append(out, ev)
	}
	return out, nil
}

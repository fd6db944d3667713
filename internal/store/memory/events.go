package memory

import (
	"slices"
	"sync"

	"github.com/ecslocal/ecslocal/internal/store"
)

// eventLog is the audit log: the newest events in Seq order. It has its own
// lock, as the SQL backends write it in transactions of its own.
type eventLog struct {
	mu     sync.Mutex
	seq    int64
	keep   int           // the retention of the last append
	events []store.Event // the newest keep of these are the log
}

func (l *eventLog) append(events []store.Event, keep int) {
	if len(events) == 0 {
		return
	}
	if keep <= 0 {
		keep = store.DefaultEventRetention
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, e := range events {
		l.seq++
		e.Seq = l.seq
		l.events = append(l.events, e)
	}
	l.keep = keep
	if len(l.events) >= 2*keep {
		// Copy the kept tail into a new slice now and then (amortised
		// O(1) per event), so the dropped events can be collected.
		l.events = append(make([]store.Event, 0, 2*keep), l.events[len(l.events)-keep:]...)
	}
}

func (l *eventLog) list(f store.EventFilter) []store.Event {
	limit := f.Limit
	if limit <= 0 {
		limit = store.DefaultEventLimit
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	out := []store.Event{}
	oldest := max(len(l.events)-l.keep, 0)
	for i := len(l.events) - 1; i >= oldest && len(out) < limit; i-- {
		e := l.events[i]
		switch {
		case f.BeforeSeq > 0 && e.Seq >= f.BeforeSeq,
			f.Account != "" && e.Account != f.Account,
			f.Action != "" && e.Action != f.Action,
			f.Code != "" && e.Code != f.Code,
			!f.Since.IsZero() && e.Time.Before(f.Since),
			f.ResourceID != "" && !slices.Contains(e.Resources, f.ResourceID):
			continue
		}
		out = append(out, e)
	}
	return out
}

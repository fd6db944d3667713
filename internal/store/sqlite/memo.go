package sqlite

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/ecslocal/ecslocal/internal/store"
)

// The read memo answers a View's store calls from memory while the file is
// unchanged: the answers read transactions gave (the prefetch, Get, Query,
// GetMeta, ClientToken), keyed by the call and its arguments, are kept for
// the WAL generation (current.go) their snapshot was at, and a View whose
// snapshot is at that generation gets them without running the statements.
//
// Consistency: a View reads the generation (g0) before it begins its read
// transaction; the transaction's snapshot is taken at its first statement.
// Once a statement has run, the generation is read again: equal to g0, no
// commit came between, so the snapshot is g0's state, and only then are
// answers kept in, or given from, g0's memo. Before the first answer from
// the memo the transaction runs one statement of its own to take its
// snapshot, so a call the memo does not hold is answered by a snapshot of
// the same generation as the ones it does: a View never mixes two states
// and never runs its closure twice. The clock enters a read only through
// the due check, which compares the kept earliest due time with the
// transaction's own time, so an event falling due with no commit still
// sends the View to apply it first.

// memoBytes bounds one generation's memo (estimated bytes, as the decoded
// cache counts them): what describe calls read between two commits fits
// many times over, and at a million instances it stays a small share of
// the 150 MiB resident budget. A full memo keeps what it has.
const memoBytes = 8 << 20

// SetMemo turns the read memo on (the default) or off: off, every read
// runs its statements, as a store without a memo would (the scale
// benchmark measures the file's layout so).
func (db *DB) SetMemo(on bool) {
	if on {
		db.memos.max = memoBytes
	} else {
		db.memos.max = 0
	}
}

// memoEntryCost is the fixed cost counted per kept answer.
const memoEntryCost = 128

// memo is the answers read at one generation.
type memo struct {
	gen  walGen
	max  int64
	hits atomic.Int64 // answers given (tests)

	mu      sync.RWMutex
	size    int64
	answers map[string]any
}

// memos holds the memo of the last generation a View began at.
type memos struct {
	max  int64
	last atomic.Pointer[memo]
}

// at answers the memo of the file's current generation, a new empty one
// (dropping the last) when the generation moved; nil when there is no
// trustworthy generation (an in-memory database, a commit under way).
func (ms *memos) at(w *walIndex) *memo {
	if ms.max <= 0 {
		return nil
	}
	g, ok := w.generation()
	if !ok {
		return nil
	}
	last := ms.last.Load()
	if last != nil && last.gen == g {
		return last
	}
	m := &memo{gen: g, max: ms.max, answers: map[string]any{}}
	if !ms.last.CompareAndSwap(last, m) {
		// Another View installed one meanwhile: share it when it is this one's.
		if cur := ms.last.Load(); cur != nil && cur.gen == g {
			return cur
		}
	}
	return m
}

func (m *memo) get(key string) (any, bool) {
	m.mu.RLock()
	v, ok := m.answers[key]
	m.mu.RUnlock()
	return v, ok
}

// put keeps an answer, unless the memo is full.
func (m *memo) put(key string, v any, cost int64) {
	cost += int64(len(key)) + memoEntryCost
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.answers[key]; ok || m.size+cost > m.max {
		return
	}
	m.answers[key] = v
	m.size += cost
}

func (m *memo) bytes() int64 {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return m.size
}

// check reports every kept record whose decoded value no longer encodes to
// its document: a caller changed a shared value in place (CheckValues).
func (m *memo) check() error {
	if m == nil {
		return nil
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	var errs []error
	checkRecord := func(r store.Record) {
		if r.Decoded == nil {
			return
		}
		v := r.Decoded.Load()
		if v == nil {
			return
		}
		data, err := json.Marshal(v)
		if err != nil || !store.SameDocument(data, r.Data) {
			errs = append(errs, fmt.Errorf("sqlite: the remembered %s %s was changed in place", r.Kind, r.ID))
		}
	}
	for _, v := range m.answers {
		switch a := v.(type) {
		case getAnswer:
			checkRecord(a.r)
		case store.Page:
			for _, r := range a.Records {
				checkRecord(r)
			}
		}
	}
	return errors.Join(errs...)
}

// Snapshot states of a read transaction with a memo.
const (
	snapUnknown = iota // no statement has run yet
	snapMemo           // the snapshot is the memo's generation
	snapOther          // another one: the memo is not used
)

// memoKey builds the key of a call: its letter, then each argument with
// its length, so no two argument lists give one key.
type memoKey []byte

func newMemoKey(call byte, account string) memoKey {
	return memoKey{call}.str(account)
}

func (k memoKey) str(s string) memoKey {
	k = strconv.AppendInt(k, int64(len(s)), 10)
	k = append(k, ':')
	return append(k, s...)
}

func (k memoKey) int(n int64) memoKey {
	k = strconv.AppendInt(k, n, 10)
	return append(k, ';')
}

// strs writes a list, telling nil from empty (Query.IDs does).
func (k memoKey) strs(ss []string) memoKey {
	if ss == nil {
		return append(k, 'n')
	}
	k = k.int(int64(len(ss)))
	for _, s := range ss {
		k = k.str(s)
	}
	return k
}

func queryKey(account string, q store.Query) string {
	k := newMemoKey('q', account).str(q.Kind).str(q.Region).strs(q.IDs).int(int64(len(q.Filters)))
	for _, f := range q.Filters {
		k = k.str(f.Name).strs(f.Values)
		if f.Not {
			k = append(k, '!')
		}
	}
	k = k.int(q.AfterSeq).int(int64(q.Offset)).int(int64(q.Limit))
	if q.Count {
		k = append(k, 'c')
	}
	return string(k)
}

// getAnswer is a kept Get: the record, or ErrNotFound.
type getAnswer struct {
	r   store.Record
	err error
}

// tokenAnswer is a kept ClientToken: the token, or ErrNotFound.
type tokenAnswer struct {
	ct  store.ClientToken
	err error
}

// metaAnswer is a kept GetMeta of a key not prefetched.
type metaAnswer struct {
	v   []byte
	err error
}

// recordCost estimates what a kept record holds, as the decoded cache does:
// its document and, once a typed read decoded it, its decoded value.
func recordCost(r store.Record) int64 {
	return int64(len(r.Data))*decodedPerByte + decodedEntry
}

// recall answers a call from the memo when the transaction's snapshot is
// the memo's generation; before the first such answer one statement takes
// the snapshot, so that what the memo does not hold is read at the same
// generation.
func (t *tx) recall(ctx context.Context, key string) (any, bool, error) {
	if t.memo == nil || t.snap == snapOther {
		return nil, false, nil
	}
	v, ok := t.memo.get(key)
	if !ok {
		return nil, false, nil
	}
	if t.snap == snapUnknown {
		var n int
		if err := t.queryRow(ctx, `SELECT COUNT(*) FROM counters`).Scan(&n); err != nil {
			return nil, false, translate(err)
		}
		t.settle()
		if t.snap != snapMemo {
			return nil, false, nil
		}
	}
	t.memo.hits.Add(1)
	return v, true, nil
}

// remember keeps an answer the transaction's snapshot gave, when that
// snapshot is the memo's generation.
func (t *tx) remember(key string, v any, cost int64) {
	if t.memo == nil {
		return
	}
	t.settle()
	if t.snap == snapMemo {
		t.memo.put(key, v, cost)
	}
}

// settle tells, after a statement of the transaction ran (its snapshot is
// taken), whether that snapshot is the memo's generation: the generation
// was g0 before the transaction began and is g0 still.
func (t *tx) settle() {
	if t.snap != snapUnknown {
		return
	}
	if g, ok := t.wal.generation(); ok && g == t.memo.gen {
		t.snap = snapMemo
	} else {
		t.snap = snapOther
	}
}

// cloneBytes copies a kept value for a caller, keeping nil nil.
func cloneBytes(b []byte) []byte {
	if b == nil {
		return nil
	}
	return bytes.Clone(b)
}

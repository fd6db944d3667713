package postgres

import (
	"errors"
	"slices"
	"sync"

	"github.com/ecslocal/ecslocal/internal/store"
)

// The read memo answers a View's Get and Query calls from memory while the
// account is unchanged. Every transaction that changes an account's
// records, attributes, counts or client tokens sets the account's
// generation (migration 0006) anew in the same transaction, from a
// sequence, so a value is never handed out twice. A View reads the
// generation in its first round trip, within its snapshot: when it is the
// generation a memo was kept at, the View's snapshot holds the account's
// rows exactly as they were when the memo's answers were read, whichever
// replica wrote them, and the memo answers it; what the memo lacks the
// View reads in its own snapshot and keeps there. The View's other reads
// (the clock and the other prefetched meta values, the earliest due time)
// come from its first round trip as before, so a due event or a moved
// clock is seen as without the memo.

// memoBytes bounds one account's memo (estimated bytes): what describe
// calls read between two writes of an account fits many times over.
const memoBytes = 4 << 20

// memoAccounts bounds the accounts whose memo is kept at once.
const memoAccounts = 8

// memo is the answers read at one generation of one account.
type memo struct {
	*store.Answers
	gen int64
}

// memos holds the memo of each account's last generation a View read.
type memos struct {
	mu  sync.Mutex
	max int64 // 0: off
	m   map[string]*memo
}

// SetMemo turns the read memo on (the default) or off: off, every read
// runs its statements.
func (db *DB) SetMemo(on bool) {
	db.memos.mu.Lock()
	defer db.memos.mu.Unlock()
	db.memos.max, db.memos.m = 0, nil
	if on {
		db.memos.max = memoBytes
	}
}

func (ms *memos) on() bool {
	ms.mu.Lock()
	defer ms.mu.Unlock()
	return ms.max > 0
}

// at answers account's memo at gen: the kept one, or a new empty one in
// its place (nil when the memo is off).
func (ms *memos) at(account string, gen int64) *memo {
	ms.mu.Lock()
	defer ms.mu.Unlock()
	if ms.max <= 0 {
		return nil
	}
	if m := ms.m[account]; m != nil && m.gen == gen {
		return m
	}
	if ms.m == nil {
		ms.m = map[string]*memo{}
	}
	if _, ok := ms.m[account]; !ok && len(ms.m) >= memoAccounts {
		for a := range ms.m {
			delete(ms.m, a) // any one: the map's order is random
			break
		}
	}
	m := &memo{Answers: store.NewAnswers(ms.max), gen: gen}
	ms.m[account] = m
	return m
}

// CheckValues reports every record the memo keeps whose decoded value a
// reader changed in place (ecslocaltest runs it after each test).
func (db *DB) CheckValues() error {
	db.memos.mu.Lock()
	defer db.memos.mu.Unlock()
	var errs []error
	for _, m := range db.memos.m {
		errs = append(errs, m.Check("postgres"))
	}
	return errors.Join(errs...)
}

// recordCost estimates what a kept record holds: its document and, once a
// typed read decoded it, its decoded value (about three times as much).
func recordCost(r store.Record) int64 {
	return int64(len(r.Data))*4 + 256
}

// keep readies a record for the memo: its decoded value, once a typed read
// makes it, is shared by every View the memo answers.
func keep(r store.Record) store.Record {
	if r.Decoded == nil {
		r.Decoded = &store.Decoded{}
	}
	return r
}

// recallPage answers a query from the memo: the caller's own slice of the
// kept records.
func (t *tx) recallPage(key string) (store.Page, bool) {
	if t.memo == nil {
		return store.Page{}, false
	}
	a, ok := t.memo.Get(key)
	if !ok {
		return store.Page{}, false
	}
	t.memo.Hits.Add(1)
	page := a.(store.Page)
	page.Records = slices.Clone(page.Records)
	return page, true
}

// rememberPage keeps a query's answer read in the memo's snapshot, and
// gives the caller the records as kept.
func (t *tx) rememberPage(key string, page *store.Page) {
	if t.memo == nil {
		return
	}
	kept := *page
	kept.Records = make([]store.Record, len(page.Records))
	cost := int64(0)
	for i, r := range page.Records {
		kept.Records[i] = keep(r)
		cost += recordCost(r)
	}
	page.Records = slices.Clone(kept.Records)
	t.memo.Put(key, kept, cost)
}

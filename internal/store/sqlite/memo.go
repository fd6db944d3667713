package sqlite

import (
	"bytes"
	"context"
	"database/sql"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ecslocal/ecslocal/internal/store"
)

// The read memo answers a View's store calls from memory while the file is
// unchanged: the answers read transactions gave (the prefetch, Get, Query,
// GetMeta, ClientToken), keyed by the call and its arguments, are kept for
// the WAL generation (current.go) their snapshot was at, and a View whose
// snapshot is at that generation gets them without running the statements.
//
// Consistency: every answer a View is given belongs to one snapshot, and
// its closure runs once. A View reads the generation (g0) first: a commit
// acknowledged before the View began is in g0. Two ways then:
//
//   - g0's memo is pinned (pin: a read transaction, verified to be at g0,
//     kept open while g0 is current or a View uses it). The View opens no
//     transaction: it is answered from the memo, and on its first miss it
//     begins one, runs one statement (its snapshot) and reads the
//     generation again. Still g0: its snapshot is g0's state and it reads
//     on there. Moved: if the memo has answered it already, it reads the
//     rest through the pin, at g0, one View at a time; if not, its newer
//     snapshot serves it alone, keeping nothing.
//   - Not pinned: the View begins its transaction at once; once a statement
//     has run, the generation is read again, and only when it is still g0
//     are answers kept in, or given from, g0's memo (before the first
//     answer from the memo the transaction runs one statement of its own
//     to take its snapshot). A View that ends so, verified at g0, hands its
//     transaction to the memo as its pin when there is none.
//
// One pin is open at a time (it holds a connection of the read pool: the
// Views waiting for one never hold another, so they cannot all wait), and
// it is given up once the generation moved (seen by the next View or after
// this DB's commits) or after pinAge, and closed when no View holds it, so
// that it holds back no checkpoint for long. The clock
// enters a read only through the due check, which compares the kept
// earliest due time with the transaction's own time, so an event falling
// due with no commit still sends the View to apply it first.

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
		db.memos.retire(db.memos.last.Load())
	}
}

// memo is the answers read at one generation.
type memo struct {
	*store.Answers
	gen walGen

	// pin and retired are guarded by memos.mu; retired: the generation
	// moved, the memo takes no pin and drops its own once unused.
	pin      *pin
	retired  bool
	pinReads atomic.Int64 // Views that read through the pin (tests)
}

// pin is a read transaction at its memo's generation: a View the memo
// answered reads what the memo lacks there when the file moved on.
type pin struct {
	mu    sync.Mutex // one View reads through it at a time
	tx    *sql.Tx
	bound map[*sql.Stmt]*sql.Stmt
	refs  int // Views that may read through it; guarded by memos.mu
	timer *time.Timer
}

// memos holds the memo of the last generation a View began at.
type memos struct {
	max  int64
	last atomic.Pointer[memo]

	mu     sync.Mutex
	pinned *pin // the open pin: one at a time
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
	m := &memo{Answers: store.NewAnswers(ms.max), gen: g}
	if !ms.last.CompareAndSwap(last, m) {
		// Another View installed one meanwhile: share it when it is this one's.
		if cur := ms.last.Load(); cur != nil && cur.gen == g {
			return cur
		}
		return m // not installed: never pinned
	}
	ms.retire(last)
	return m
}

// pinAge bounds how long a pin stays open: a generation that does not
// move is pinned again by its next View that begins a transaction, and
// another process's checkpoint, which a pin holds back until this DB sees
// the generation move, waits at most so long.
const pinAge = time.Second

// acquire answers m's pin, held until release, or nil when m has none:
// then the View begins its transaction first.
func (ms *memos) acquire(m *memo) *pin {
	if m == nil {
		return nil
	}
	ms.mu.Lock()
	defer ms.mu.Unlock()
	if m.pin == nil || m.retired {
		return nil
	}
	m.pin.refs++
	return m.pin
}

// release lets go of a pin acquire answered, closing it when it is no
// longer its memo's and nobody else holds it.
func (ms *memos) release(m *memo, p *pin) {
	ms.mu.Lock()
	p.refs--
	drop := p.refs == 0 && m.pin != p
	if drop {
		ms.pinned = nil
	}
	ms.mu.Unlock()
	if drop {
		p.close()
	}
}

// donate makes a View's transaction, verified at m's generation, m's pin
// when m is current and no pin is open; false: the caller ends it.
func (ms *memos) donate(m *memo, t *tx) bool {
	if m == nil || t.snap != snapMemo || t.tx == nil {
		return false
	}
	ms.mu.Lock()
	defer ms.mu.Unlock()
	if ms.pinned != nil || m.retired || m.pin != nil || ms.last.Load() != m {
		return false
	}
	bound := t.bound
	if bound == nil {
		bound = map[*sql.Stmt]*sql.Stmt{}
	}
	p := &pin{tx: t.tx, bound: bound}
	m.pin, ms.pinned = p, p
	p.timer = time.AfterFunc(pinAge, func() { ms.unpin(m, p) })
	return true
}

// retire marks m as past: it takes no pin any more, and its pin is closed
// now if no View holds it, else by the last one to let go.
func (ms *memos) retire(m *memo) {
	if m == nil {
		return
	}
	ms.mu.Lock()
	m.retired = true
	ms.mu.Unlock()
	ms.unpin(m, nil)
}

// unpin takes p (any, when nil) from m, closing it if no View holds it.
func (ms *memos) unpin(m *memo, p *pin) {
	ms.mu.Lock()
	if m.pin == nil || (p != nil && m.pin != p) {
		ms.mu.Unlock()
		return
	}
	p, m.pin = m.pin, nil
	drop := p.refs == 0
	if drop {
		ms.pinned = nil
	}
	ms.mu.Unlock()
	if drop {
		p.close()
	}
}

func (p *pin) close() {
	p.timer.Stop()
	p.tx.Rollback()
}

// moved retires the last memo when the file's generation is no longer its
// own: after a commit of this DB, so that its pin does not hold back the
// checkpoints until the next View.
func (ms *memos) moved(w *walIndex) {
	last := ms.last.Load()
	if last == nil {
		return
	}
	if g, ok := w.generation(); ok && g == last.gen {
		return
	}
	ms.retire(last)
}

// check reports every kept record changed in place (CheckValues).
func (m *memo) check() error {
	if m == nil {
		return nil
	}
	return m.Check("sqlite")
}

// Snapshot states of a read transaction with a memo.
const (
	snapUnknown = iota // no statement has run yet
	snapMemo           // the snapshot is the memo's generation
	snapOther          // another one: the memo is not used
)

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
	v, ok := t.memo.Get(key)
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
	t.memo.Hits.Add(1)
	t.served = true
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
		t.memo.Put(key, v, cost)
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

// open gives a View that began without a transaction (its memo pinned)
// one at the memo's generation, at its first read the memo cannot answer:
// its own, when its first statement finds the generation unchanged; else
// the pin, when the memo has answered the View already (its answers are of
// that generation); else its own at the newer generation, the memo unused.
func (t *tx) open(ctx context.Context) error {
	if g, ok := t.wal.generation(); t.served && (!ok || g != t.memo.gen) {
		t.readThroughPin() // moved already: a transaction of its own would be wasted
		return nil
	}
	if f := *t.beforeBegin; f != nil {
		f()
	}
	t.began.Add(1)
	sqlTx, err := t.pool.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return translate(err)
	}
	t.tx, t.own = sqlTx, true
	var n int
	if err := t.queryRow(ctx, `SELECT COUNT(*) FROM counters`).Scan(&n); err != nil {
		return translate(err) // the View's end rolls back
	}
	if g, ok := t.wal.generation(); ok && g == t.memo.gen {
		return nil // t.snap is snapMemo already
	}
	if !t.served {
		t.snap = snapOther
		return nil
	}
	sqlTx.Rollback()
	t.own = false
	t.readThroughPin()
	return nil
}

// readThroughPin makes the View read the rest through the memo's pin.
func (t *tx) readThroughPin() {
	p := t.pin
	p.mu.Lock()
	t.tx, t.locked, t.bound = p.tx, true, p.bound
	t.memo.pinReads.Add(1)
}

// endLazy ends what a View without a transaction of its own at the start
// took: the transaction it opened, the pin.
func (db *DB) endLazy(t *tx) {
	if t.own {
		t.tx.Rollback()
	}
	if t.locked {
		t.pin.mu.Unlock()
	}
	db.memos.release(t.memo, t.pin)
}

// cloneBytes copies a kept value for a caller, keeping nil nil.
func cloneBytes(b []byte) []byte {
	if b == nil {
		return nil
	}
	return bytes.Clone(b)
}

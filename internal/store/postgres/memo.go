package postgres

import (
	"errors"
	"slices"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

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
	// dues, when duesKnown, are the account's records that have a due
	// time at gen, each kept as a Get answer (set before the memo is
	// shared: writemo.go).
	dues      []recKey
	duesKnown bool
	// pin and retired are guarded by memos.mu; retired: the memo is no
	// longer its account's, it takes no pin and drops its own once unused.
	pin     *pin
	retired bool
}

// pin is a read transaction at its memo's generation, kept open for a
// while: a View the memo answers begins no transaction, and reads what the
// memo lacks through the pin, at the generation its other answers are of.
type pin struct {
	mu     sync.Mutex // one View reads through it at a time
	conn   *pgxpool.Conn
	refs   int  // Views that may read through it; guarded by memos.mu
	broken bool // a statement failed: the transaction is aborted; guarded by mu
	timer  *time.Timer
	reads  int // Views that read through it (tests); guarded by mu
}

// pinAge bounds how long a pin stays open, holding back PostgreSQL's
// clean-up of the rows its snapshot may see: a generation that does not
// move is pinned again by its next View that begins a transaction.
const pinAge = time.Second

// memos holds the memo of each account's last generation a View read.
type memos struct {
	mu  sync.Mutex
	max int64 // 0: off
	m   map[string]*memo
	// close ends a pin's transaction and gives its connection back.
	close func(*pin)
	pins  int // open: at most maxPins
}

// maxPins bounds the pins open at once: each holds a connection of the
// pool.
const maxPins = 2

// SetMemo turns the read memo on (the default) or off: off, every read
// runs its statements.
func (db *DB) SetMemo(on bool) {
	db.memos.retireAll()
	db.memos.mu.Lock()
	defer db.memos.mu.Unlock()
	db.memos.max = 0
	if on {
		db.memos.max = memoBytes
	}
}

// retireAll retires every memo (Close, SetMemo): no pin stays open.
func (ms *memos) retireAll() {
	ms.mu.Lock()
	all := ms.m
	ms.m = nil
	ms.mu.Unlock()
	for _, m := range all {
		ms.retire(m)
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
	if ms.max <= 0 {
		ms.mu.Unlock()
		return nil
	}
	if m := ms.m[account]; m != nil && m.gen == gen {
		ms.mu.Unlock()
		return m
	} else if m != nil && gen != 0 && m.gen > gen {
		// A View whose snapshot is older than the memo (a group's COMMIT
		// kept its memo since the View began: writemo.go): its answers are
		// its own, and the newer memo stays. (Generation 0 is an account
		// after a reset.)
		ms.mu.Unlock()
		return &memo{Answers: store.NewAnswers(ms.max), gen: gen}
	}
	if ms.m == nil {
		ms.m = map[string]*memo{}
	}
	var old *memo
	if prev, ok := ms.m[account]; ok {
		old = prev
	} else if len(ms.m) >= memoAccounts {
		for a, prev := range ms.m {
			old = prev // any one: the map's order is random
			delete(ms.m, a)
			break
		}
	}
	m := &memo{Answers: store.NewAnswers(ms.max), gen: gen}
	ms.m[account] = m
	ms.mu.Unlock()
	if old != nil {
		ms.retire(old)
	}
	return m
}

// current answers account's memo, whatever its generation (nil: none).
func (ms *memos) current(account string) *memo {
	ms.mu.Lock()
	defer ms.mu.Unlock()
	return ms.m[account]
}

// install makes m its account's memo unless the memo there is of m's
// generation or a later one (a View of this replica, or a write of
// another, was first).
func (ms *memos) install(account string, m *memo) {
	ms.mu.Lock()
	if ms.max <= 0 {
		ms.mu.Unlock()
		return
	}
	if ms.m == nil {
		ms.m = map[string]*memo{}
	}
	var old *memo
	if prev, ok := ms.m[account]; ok {
		if prev.gen >= m.gen {
			ms.mu.Unlock()
			return
		}
		old = prev
	} else if len(ms.m) >= memoAccounts {
		for a, prev := range ms.m {
			old = prev
			delete(ms.m, a)
			break
		}
	}
	ms.m[account] = m
	ms.mu.Unlock()
	if old != nil {
		ms.retire(old)
	}
}

// pinned answers account's memo and its pin, held until release, when
// the memo has a pin: the View then begins no transaction.
func (ms *memos) pinned(account string) (*memo, *pin) {
	ms.mu.Lock()
	defer ms.mu.Unlock()
	m := ms.m[account]
	if m == nil || m.pin == nil || m.retired {
		return nil, nil
	}
	m.pin.refs++
	return m, m.pin
}

// release lets go of a pin pinned answered, closing it when it is no
// longer its memo's and nobody else holds it.
func (ms *memos) release(m *memo, p *pin) {
	ms.mu.Lock()
	p.refs--
	drop := p.refs == 0 && m.pin != p
	ms.mu.Unlock()
	if drop {
		ms.close(p)
	}
}

// donate makes conn, a View's transaction verified at m's generation, m's
// pin when m is its account's memo and has none; false: the caller ends
// the transaction.
func (ms *memos) donate(account string, m *memo, conn *pgxpool.Conn) bool {
	ms.mu.Lock()
	defer ms.mu.Unlock()
	if m == nil || m.retired || m.pin != nil || ms.m[account] != m || ms.pins >= maxPins {
		return false
	}
	p := &pin{conn: conn}
	m.pin = p
	ms.pins++
	p.timer = time.AfterFunc(pinAge, func() { ms.unpin(m, p) })
	return true
}

// retire marks m as past and closes its pin, now if no View holds it,
// else when the last one lets go.
func (ms *memos) retire(m *memo) {
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
	ms.pins--
	drop := p.refs == 0
	ms.mu.Unlock()
	if drop {
		ms.close(p)
	}
}

// readThroughPin makes a View without a transaction read on at its
// memo's generation: through the pin, which it holds until the View ends.
func (t *tx) readThroughPin() error {
	t.pin.mu.Lock()
	t.pinLocked = true
	if t.pin.broken {
		return errors.New("postgres: the read memo's transaction failed")
	}
	t.tx = t.pin.conn
	t.pin.reads++
	return nil
}

// endPinned ends what a View without a transaction took: the pin, and its
// lock when it read through it (a failure there breaks the pin).
func (db *DB) endPinned(t *tx, m *memo) {
	if t.pinLocked {
		if t.failed {
			t.pin.broken = true
		}
		broken := t.pin.broken
		t.tx, t.pinLocked = nil, false
		t.pin.mu.Unlock()
		if broken {
			db.memos.unpin(m, t.pin)
		}
	}
	db.memos.release(m, t.pin)
	t.pin = nil
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

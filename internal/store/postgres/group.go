package postgres

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/ecslocal/ecslocal/internal/store"
)

// maxGroup bounds the Updates one transaction carries: each is a
// subtransaction, and PostgreSQL keeps the ids of at most 64 of a
// transaction's subtransactions where other snapshots look for them
// cheaply.
const maxGroup = 32

// groupFor bounds the time a group takes in new members: a member waits
// for the whole group's COMMIT, so a group of long Updates (a
// DeleteInstances of 100 is seconds) must not grow to 32 of them. The
// members not begun by then wait for the next group.
const groupFor = 50 * time.Millisecond

// Group commit. The Updates of one account that wait on this replica
// while a group of the account runs form the next group: they run in one
// transaction, one after the other, each inside a SAVEPOINT of its own (a
// failing one rolls back to it alone), and one COMMIT answers them all, as
// the SQLite writer's group does. The account's writers took turns on its lock
// anyway; now a turn costs no BEGIN, lock, COMMIT and WAL flush of its
// own, and no handing over of the lock between two transactions (a
// backend woken, then the server). Every member runs its hooks (clock,
// due events) and closure as an Update of its own would, and sees what
// the members before it wrote; what the transaction knows of the
// account's records (the answers from memory) carries from one member to
// the next, and is put back as it was when a member rolls back.

// errNotRun answers a group's member that did not run before the group
// failed: it runs again.
var errNotRun = fmt.Errorf("%w: the group's transaction failed before this Update ran", store.ErrConflict)

// updReq is one Update waiting for its account's group.
type updReq struct {
	ctx  context.Context
	fn   func(store.Tx) error
	done chan updRes
}

// updRes is an Update's outcome, or (lead) the word that its caller leads
// the account's next group.
type updRes struct {
	err      error
	conflict bool
	journal  *store.Journal
	panicked any
	lead     bool
}

// accountQueue holds the Updates of one account waiting while a group of
// it runs; the account is in DB.groups while one runs.
type accountQueue struct{ waiting []*updReq }

// Update implements store.Store: READ COMMITTED under the account's lock,
// grouped with the account's concurrent Updates (above), re-run on a real
// conflict (see the package comment), AfterCommit once after the final
// commit.
func (db *DB) Update(ctx context.Context, account string, fn func(store.Tx) error) error {
	// The call's later Views read what it writes, not what its nonce saw.
	store.DropSeen(ctx)
	for attempt := 1; ; attempt++ {
		res := db.join(ctx, account, fn)
		if res.panicked != nil {
			panic(res.panicked)
		}
		if res.err == nil {
			db.hooks.Committed(ctx, account, res.journal)
			return nil
		}
		if !res.conflict {
			return res.err
		}
		if err := db.lost(ctx, attempt, res.err); err != nil {
			return err
		}
	}
}

// lost handles the loss of attempt to a concurrent transaction (err):
// nil when the caller should run it again, after a pause.
func (db *DB) lost(ctx context.Context, attempt int, err error) error {
	again := attempt < maxAttempts && ctx.Err() == nil
	if db.hooks.Conflict != nil {
		db.hooks.Conflict(ctx, again)
	}
	if ctx.Err() != nil {
		return fmt.Errorf("%w (after a lost race: %w)", ctx.Err(), err)
	}
	if !again {
		if !errors.Is(err, store.ErrConflict) {
			err = fmt.Errorf("%w: %w", store.ErrConflict, err)
		}
		return fmt.Errorf("after %d attempts: %w", attempt, err)
	}
	pause := time.NewTimer(backoff(attempt))
	select {
	case <-ctx.Done():
		pause.Stop()
		return fmt.Errorf("%w (after a lost race: %w)", ctx.Err(), err)
	case <-pause.C:
	}
	return nil
}

// join runs fn in the account's group: in the one running, or as the
// leader of a new one. Once queued, fn runs (or is answered ctx's error
// before it starts) whatever ctx does meanwhile.
func (db *DB) join(ctx context.Context, account string, fn func(store.Tx) error) updRes {
	req := &updReq{ctx: ctx, fn: fn, done: make(chan updRes, 1)}
	db.groupsMu.Lock()
	if q, ok := db.groups[account]; ok {
		q.waiting = append(q.waiting, req)
		db.groupsMu.Unlock()
		if res := <-req.done; !res.lead {
			return res
		}
	} else {
		db.groups[account] = &accountQueue{}
		db.groupsMu.Unlock()
	}
	db.lead(account, req)
	return <-req.done
}

// lead runs one group starting with first, answers its members, and hands
// the account to the next waiting Update (it leads the next group) or
// leaves it.
func (db *DB) lead(account string, first *updReq) {
	db.runGroup(account, first)
	db.groupsMu.Lock()
	q := db.groups[account]
	if len(q.waiting) == 0 {
		delete(db.groups, account)
		db.groupsMu.Unlock()
		return
	}
	r := q.waiting[0]
	q.waiting = q.waiting[1:]
	db.groupsMu.Unlock()
	r.done <- updRes{lead: true}
}

// member is a group's Update that ran, with its outcome.
type member struct {
	req *updReq
	res updRes
}

// runGroup runs first, then the account's Updates waiting when it begins
// (up to maxGroup in all, those begun within groupFor), in one
// transaction, and answers each. A member's writes
// and the RELEASE of its savepoint go with the next member's first
// statement, the last member's with the COMMIT: a member costs the round
// trips of its reads and no more. When one of those writes fails, the
// member that made it rolls back to its savepoint and the member whose
// statement carried it runs again.
func (db *DB) runGroup(account string, first *updReq) {
	// The group's statements do not end with one caller's context.
	gctx := context.WithoutCancel(first.ctx)
	// The group is first and the Updates waiting now, before its BEGIN
	// reads the clock and the other meta values: every member's call began
	// before they are read, as for an Update of its own. Those that come
	// later wait for the next group.
	done := []*member{{req: first}}
	db.groupsMu.Lock()
	q := db.groups[account]
	n := min(len(q.waiting), maxGroup-1)
	for _, r := range q.waiting[:n] {
		// Until it runs, answered as one to run again (the group may fail first).
		done = append(done, &member{req: r, res: updRes{err: errNotRun, conflict: true}})
	}
	q.waiting = q.waiting[n:]
	db.groupsMu.Unlock()
	t := &tx{account: account, write: true, locked: true, flushAfter: true, dueAhead: true, config: &db.config, gctx: gctx,
		readGen: db.memos.on()}
	// The account's memo: at its generation it answers the group's reads
	// (writemo.go).
	m0 := db.memos.current(account)
	t.aheadGen = aheadGen(m0)
	committed := false
	k := 1 // members taken to run
	defer func() {
		t.end(gctx, !committed)
		if k < len(done) {
			// Not begun: first in line for the next group.
			var back []*updReq
			for _, m := range done[k:] {
				back = append(back, m.req)
			}
			done = done[:k]
			db.groupsMu.Lock()
			q := db.groups[account]
			q.waiting = append(back, q.waiting...)
			db.groupsMu.Unlock()
		}
		for _, m := range done {
			m.req.done <- m.res
		}
	}()
	if err := db.begin(gctx, t, pgx.TxOptions{IsoLevel: pgx.ReadCommitted}, true, true, true); err != nil {
		done[0].res = updRes{err: err, conflict: t.conflict}
		return
	}
	t.fromMemo(m0)
	t.stage = !db.noTemp.Load()
	// fail answers every member that succeeded so far with err.
	fail := func(err error, conflict bool) {
		for _, m := range done {
			if m.res.err == nil && m.res.panicked == nil {
				m.res = updRes{err: err, conflict: conflict}
			}
		}
	}
	broken := func(err error) {
		fail(fmt.Errorf("%w: the group's transaction failed: %w", store.ErrConflict, err), true)
	}
	ok := 0
	// undoPrev rolls back the member whose queued writes failed (t.prev).
	undoPrev := func() bool {
		p, err := t.prev, t.prevErr
		t.prev, t.prevErr, t.queue, t.savepoint = nil, nil, nil, false
		if rerr := t.rollbackSent(gctx, p.mark); rerr != nil {
			broken(rerr)
			return false
		}
		p.m.res = updRes{err: err, conflict: errors.Is(err, store.ErrConflict)}
		ok--
		return true
	}
	// take is the group's next member, nil after the last or once the
	// group has run for groupFor.
	began := time.Now()
	take := func() *member {
		if k == len(done) || time.Since(began) > db.groupFor {
			return nil
		}
		k++
		return done[k-1]
	}
	m := done[0]
	for m != nil {
		r := m.req
		if err := r.ctx.Err(); err != nil {
			m.res = updRes{err: err}
			m = take()
			continue
		}
		var next *member
		for {
			mark := t.mark()
			m.res = db.runMember(t, r)
			if t.prevErr != nil {
				// The previous member's writes failed: r ran on them.
				if !undoPrev() {
					return
				}
				continue
			}
			if m.res.err == nil && m.res.panicked == nil {
				if next == nil {
					next = take()
				}
				if next != nil && t.prev != nil {
					// r sent nothing: the member before's writes still
					// wait. Sent now, so that a failure of theirs is not
					// taken for one of r's when r's wait too.
					if err := t.send(gctx, &pgx.Batch{}, nil); t.prevErr != nil {
						if !undoPrev() {
							return
						}
						continue
					} else if err != nil {
						m.res = updRes{err: err, conflict: t.conflict}
					}
				}
			}
			if m.res.err == nil && m.res.panicked == nil && next != nil {
				t.queue = append(t.queue, queued{sql: "release savepoint member"})
				t.prev = &pendingMember{m: m, mark: mark, n: len(t.queue)}
				ok++
				break
			}
			if m.res.err == nil && m.res.panicked == nil {
				wasCommitted, err := t.commitAfter(gctx, "release savepoint member")
				if err == nil {
					committed = true
					db.carry(t)
					return
				}
				if wasCommitted {
					// Never a conflict: the closures must not run again.
					fail(err, false)
					committed = true
					return
				}
				if t.prevErr != nil {
					if !undoPrev() {
						return
					}
					continue
				}
				m.res = updRes{err: err, conflict: t.conflict}
			}
			// r failed: back to its savepoint; the others go on.
			if err := t.rollbackTo(gctx, mark); err != nil {
				broken(err)
				return
			}
			break
		}
		if next == nil {
			next = take()
		}
		m = next
	}
	// The last member failed: commit the others.
	for ok > 0 {
		wasCommitted, err := t.commitAfter(gctx, "")
		switch {
		case err == nil:
			committed = true
			db.carry(t)
			return
		case wasCommitted:
			fail(err, false)
			committed = true
			return
		case t.prevErr != nil:
			if !undoPrev() {
				return
			}
		default:
			fail(err, t.conflict)
			return
		}
	}
}

// pendingMember is a member whose writes and RELEASE wait in the queue
// (its first n entries) for the next member's first statement.
type pendingMember struct {
	m    *member
	mark txMark
	n    int
}

// runMember runs one Update's hooks and closure inside the group's
// transaction, in a savepoint of its own (sent with its first statement);
// a panic is caught and handed back to its caller.
func (db *DB) runMember(t *tx, r *updReq) (res updRes) {
	t.journal = &store.Journal{}
	t.failed, t.conflict = false, false
	t.queue = append(t.queue, queued{sql: "savepoint member"})
	t.savepoint = true
	defer func() {
		if p := recover(); p != nil {
			res = updRes{panicked: p}
		}
	}()
	err := db.body(r.ctx, t, r.fn)
	if err == nil && t.failed {
		// A statement failed and the closure went on: PostgreSQL aborted
		// the transaction.
		err = errors.New("a statement of the transaction failed")
		if t.conflict {
			err = fmt.Errorf("%w: transaction aborted by a lost race", store.ErrConflict)
		}
	}
	// The journal gets the answers of the writes still queued when they come.
	return updRes{err: err, conflict: t.conflict, journal: t.journal}
}

// body runs an Update's hooks (the clock, the due events), then fn.
func (db *DB) body(ctx context.Context, t *tx, fn func(store.Tx) error) error {
	t.now = time.Now().UTC()
	if db.hooks.Now != nil {
		var err error
		if t.now, err = db.hooks.Now(ctx, t); err != nil {
			return err
		}
	}
	if db.hooks.BeforeUpdate != nil {
		if err := db.hooks.BeforeUpdate(ctx, t); err != nil {
			return err
		}
	}
	return fn(t)
}

// txMark is what a transaction knows of its account when a member starts,
// put back when the member rolls back.
type txMark struct {
	recs    map[recKey]known
	dueSet  map[recKey]bool
	lowDue  int64
	minDue  *int64
	dueRead bool
	meta    map[string][]byte
	dueAll  bool
	dues    map[recKey]bool
}

func (t *tx) mark() txMark {
	return txMark{recs: maps.Clone(t.recs), dueSet: maps.Clone(t.dueSet), lowDue: t.lowDue, minDue: t.minDue, dueRead: t.dueRead, meta: maps.Clone(t.meta),
		dueAll: t.dueAll, dues: maps.Clone(t.dues)}
}

// rollbackTo undoes the member begun at m: its writes not sent yet are
// dropped (not those of the member before it still queued), those sent
// rolled back to its savepoint (when that was sent), and what the
// transaction knew put back.
func (t *tx) rollbackTo(ctx context.Context, m txMark) error {
	if t.savepoint {
		// Nothing of it was sent.
		t.queue, t.savepoint = t.queue[:t.prevQueued()], false
		t.restore(m)
		return nil
	}
	t.queue = nil
	return t.rollbackSent(ctx, m)
}

// prevQueued is how many queued entries belong to the member before.
func (t *tx) prevQueued() int {
	if t.prev == nil {
		return 0
	}
	return t.prev.n
}

// rollbackSent rolls back to the latest savepoint, sent, and puts back
// what the transaction knew at m.
func (t *tx) rollbackSent(ctx context.Context, m txMark) error {
	t.restore(m)
	// One string, the simple protocol: an aborted transaction refuses to
	// prepare any statement but a ROLLBACK.
	_, err := t.tx.Exec(ctx, "rollback to savepoint member; release savepoint member")
	if err == nil {
		t.failed, t.conflict = false, false
	}
	return translate(err)
}

func (t *tx) restore(m txMark) {
	t.recs, t.dueSet, t.lowDue, t.minDue, t.dueRead, t.meta = m.recs, m.dueSet, m.lowDue, m.minDue, m.dueRead, m.meta
	t.dueAll, t.dues = m.dueAll, m.dues
	// A fold rolled back puts the members' staged counts back: fold again.
	t.staged = t.stage
}

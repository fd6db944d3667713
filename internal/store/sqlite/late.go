package sqlite

import (
	"context"
	"database/sql"
	"errors"

	"github.com/ecslocal/ecslocal/internal/store"
)

// A group's callers touch the same few kept counts (every instance of a
// region, every Running one, every one in a vSwitch…) and the seq counter
// over and over: one statement each time was a fifth of the writer's time
// under RunInstances + DeleteInstances. They are summed in memory instead
// and written once per group, just before its COMMIT (late.flush).

// countKey names one kept count of the transaction's account.
type countKey struct{ account, kind, region, name, value string }

// late is what a group's callers leave to be written at its commit.
type late struct {
	counts  map[countKey]int // summed changes of the callers that succeeded
	seq     int64            // the last seq handed out; valid when seqRead
	seqRead bool
	seqUsed bool // seq moved: the counter row is written at the commit
	// bound are the statements bound to the group's transaction.
	bound map[*sql.Stmt]*sql.Stmt
	// meta are the meta rows the writer keeps, with those of the group's
	// callers that succeeded (metacache.go).
	meta map[string]metaVal
	// pendUndo undoes the succeeded callers' changes to the pending rows
	// kept in memory (pending.go) if the group rolls back.
	pendUndo []pendChange
}

// nextSeq hands out the next record seq of the group's transaction: the
// counter row is read once and written once, at the commit. A caller that
// rolls back leaves a gap, which nothing minds (seq only orders records).
func (l *late) nextSeq(ctx context.Context, t *tx) (int64, error) {
	if !l.seqRead {
		if err := t.queryRow(ctx, `SELECT n FROM counters WHERE name = 'seq'`).Scan(&l.seq); err != nil {
			return 0, translate(err)
		}
		l.seqRead = true
	}
	l.seq++
	l.seqUsed = true
	return l.seq, nil
}

// giveBack returns seq, the last one handed out, unused.
func (l *late) giveBack(seq int64) {
	if l.seq == seq {
		l.seq--
	}
}

// merge adds a caller's count changes, once the caller has succeeded.
func (l *late) merge(deltas map[countKey]int) {
	if len(deltas) == 0 {
		return
	}
	if l.counts == nil {
		l.counts = make(map[countKey]int, len(deltas))
	}
	for k, d := range deltas {
		l.counts[k] += d
	}
}

// flush writes the group's counts and seq counter inside its transaction,
// dropping a count row that reaches 0. A decrease first deletes the row it
// empties (one statement where the release of a record's own values, its
// id and address, took an upsert and a delete); a row it leaves above 0 is
// updated, and a missing row stays missing, as the upsert and delete left
// it.
func (l *late) flush(ctx context.Context, t *tx) error {
	for k, d := range l.counts {
		switch {
		case d > 0:
			if _, err := t.exec(ctx, `INSERT INTO counts (account, kind, region, name, value, n) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (account, kind, region, name, value) DO UPDATE SET n = n + excluded.n`, k.account, k.kind, k.region, k.name, k.value, d); err != nil {
				return translate(err)
			}
		case d < 0:
			res, err := t.exec(ctx, `DELETE FROM counts WHERE account = ? AND kind = ? AND region = ? AND name = ? AND value = ? AND n + ? <= 0`, k.account, k.kind, k.region, k.name, k.value, d)
			if err != nil {
				return translate(err)
			}
			if n, err := res.RowsAffected(); err != nil {
				return translate(err)
			} else if n > 0 {
				continue
			}
			if _, err := t.exec(ctx, `UPDATE counts SET n = n + ? WHERE account = ? AND kind = ? AND region = ? AND name = ? AND value = ?`, d, k.account, k.kind, k.region, k.name, k.value); err != nil {
				return translate(err)
			}
		}
	}
	if l.seqUsed {
		if _, err := t.exec(ctx, `UPDATE counters SET n = MAX(n, ?) WHERE name = 'seq'`, l.seq); err != nil {
			return translate(err)
		}
	}
	return nil
}

// bump adds d to the match count of (kind, region, name, value) (name ""
// is every record of the kind in the region); written at the commit. The
// counts of an index its kind declares Few are not kept (store.KeepsCount).
func (t *tx) bump(_ context.Context, kind, region, name, value string, d int) error {
	// A mark (owned.go) is the store's own row: no query counts through it.
	if !store.KeepsCount(kind, name) || isMark(name) {
		return nil
	}
	if t.deltas == nil {
		t.deltas = make(map[countKey]int)
	}
	t.deltas[countKey{t.account, kind, region, name, value}] += d
	return nil
}

// keptCount reads a kept count as the transaction sees it: the stored row
// plus what this group's callers have changed and not yet written.
func (t *tx) keptCount(ctx context.Context, kind, region, name, value string) (int, error) {
	var n int
	err := t.queryRow(ctx, `SELECT n FROM counts WHERE account = ? AND kind = ? AND region = ? AND name = ? AND value = ?`,
		t.account, kind, region, name, value).Scan(&n)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, translate(err)
	}
	k := countKey{t.account, kind, region, name, value}
	if t.late != nil {
		n += t.late.counts[k]
	}
	return n + t.deltas[k], nil
}

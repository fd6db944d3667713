package sqlite

import (
	"bytes"
	"context"
	"database/sql"
	"slices"

	"github.com/ecslocal/ecslocal/internal/store"
)

// prefetchSQL reads, as a read transaction's first statement, what its hooks
// and the calls read in nearly every transaction: the clock (Hooks.Now), the
// configuration (store.LoadConfig), the armed faults (the fault check) and
// the account's earliest due time (the due check), as the PostgreSQL store
// reads them in its first round trip. A SQLite read transaction takes its
// snapshot at its first read, so these are what its later statements see.
const prefetchSQL = metaSQL + `
UNION ALL SELECT NULL, NULL, min(due) FROM records WHERE account = ? AND due IS NOT NULL`

// metaSQL reads the prefetched meta keys (key, value, NULL): prefetchSQL's
// first half, and CurrentMeta's statement on its own.
const metaSQL = `SELECT key, value, NULL FROM meta WHERE key IN ('` + store.MetaClock + `', '` + store.MetaConfig + `', '` + store.MetaFaults + `')`

// prefetchedKeys are the meta keys metaSQL reads.
var prefetchedKeys = [...]string{store.MetaClock, store.MetaConfig, store.MetaFaults}

// prefetched is what prefetchSQL answered.
type prefetched struct {
	values map[string][]byte // absent: no such key
	minDue int64
	hasDue bool // minDue is set: the account has a due record
}

// prefetch runs prefetchSQL, leaving its answer in t.pre: the memo's
// when it holds the account's.
func (t *tx) prefetch(ctx context.Context) error {
	if t.memo == nil {
		return t.prefetchRows(ctx)
	}
	key := string(store.NewMemoKey('p', t.account))
	if a, ok, err := t.recall(ctx, key); err != nil {
		return err
	} else if ok {
		t.pre = a.(*prefetched)
		return nil
	}
	if err := t.prefetchRows(ctx); err != nil {
		return err
	}
	cost := int64(0)
	for k, v := range t.pre.values {
		cost += int64(len(k) + len(v))
	}
	t.remember(key, t.pre, cost)
	return nil
}

func (t *tx) prefetchRows(ctx context.Context) error {
	rows, err := t.query(ctx, prefetchSQL, t.account)
	if err != nil {
		return translate(err)
	}
	defer rows.Close()
	p := &prefetched{values: make(map[string][]byte, len(prefetchedKeys))}
	for rows.Next() {
		var key sql.NullString
		var value []byte
		var due sql.NullInt64
		if err := rows.Scan(&key, &value, &due); err != nil {
			return translate(err)
		}
		switch {
		case key.Valid:
			p.values[key.String] = value
		case due.Valid:
			p.minDue, p.hasDue = due.Int64, true
		}
	}
	if err := rows.Err(); err != nil {
		return translate(err)
	}
	t.pre = p
	return nil
}

// meta answers a prefetched key, found false when unset (ok false: not
// prefetched, read it).
func (p *prefetched) meta(key string) (v []byte, found, ok bool) {
	if p == nil || !isPrefetched(key) {
		return nil, false, false
	}
	v, found = p.values[key]
	return v, found, true
}

// put keeps a prefetched key current after the transaction wrote it.
func (p *prefetched) put(key string, value []byte) {
	if p != nil && isPrefetched(key) {
		p.values[key] = bytes.Clone(value)
	}
}

func isPrefetched(key string) bool { return slices.Contains(prefetchedKeys[:], key) }

// dueBy tells whether the account has an event due by the transaction's
// time: from the prefetched earliest due time, else one probe of the index.
func (t *tx) dueBy(ctx context.Context) (bool, error) {
	if t.pre != nil {
		return t.pre.hasDue && t.pre.minDue <= t.now.UnixNano(), nil
	}
	return t.hasDue(ctx)
}

package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ecslocal/ecslocal/internal/store"
)

// A record the writer creates is stored at once, but its index rows
// (attrs) are written only once it has lived for the index delay: most of
// what RunInstances + DeleteInstances writes (an instance, its disk and its
// ENI: 28 index rows at the launch and 28 at the release) is gone before
// then, and its index rows never cost a B-tree operation. Such a record is
// *pending*: its row's pend column holds the version of its latest write
// (NULL once indexed), the partial index records_pending lists them by
// (account, kind), and its index pairs stay in its packed data as for any
// record. Nothing but the cost changes:
//
//   - a Query with filters, which reads attrs, also matches the pending
//     records of its (account, kind) against its filters in Go and merges
//     them into its page by seq; a kept count already counts them (counts
//     move at the write, pending or not);
//   - a Put of a pending record keeps it pending, a Delete drops it with
//     no index row to delete;
//   - the writer indexes the records pending longer than the delay between
//     its groups (indexDue), all of them at Open and at Close; while
//     maxPending are pending, a new record is indexed as it is written.
//
// The row is as durable as any: a pending record lost by a kill is indexed
// at the next Open. Each pending record's row is also kept in memory
// (pending.kinds), as the writer's transaction has it: a caller's changes
// are undone with its rollback, a group's with its own. The writer's
// callers match and read pending records from there alone; a reader, whose
// snapshot may be older, lists them from records_pending and takes a kept
// row only where its version is the one listed, else reads the row.

// maxPending bounds the records left pending: each reader's Query with
// filters of a kind lists the pending records of that kind. Beyond it the
// writer writes a new record's index rows with it, as with no delay (a
// launch of hundreds would otherwise pay for them twice over).
const maxPending = 512

// DefaultIndexDelay is how long a record the writer creates stays pending
// (sqlite:PATH?index_delay=DUR sets another; 0 indexes every record as it
// is written).
const DefaultIndexDelay = 2 * time.Second

// pending is the store's pending records: their rows as the writer's
// transaction has them, by (account, kind), and the writer's queue of them.
type pending struct {
	delay time.Duration // 0: nothing is left pending
	// dataVersion is the write connection's PRAGMA data_version when the
	// rows were last read whole: another *DB on the file commits, and the
	// writer reads them again (reload); so it does when stale is set (after
	// a Reset or an Import, which may also have failed once it dropped them).
	dataVersion int64
	stale       atomic.Bool
	mu          sync.RWMutex
	kinds       map[acctKind]*pendKind
	n           int // rows in kinds, which a new record's Put reads
	// queue are the records the writer left pending, oldest first (a seq
	// may be gone or indexed since).
	queue []pendStamp
}

type acctKind struct{ account, kind string }

// pendRow is one version of a pending record: its row, and the index pairs
// its packed data holds.
type pendRow struct {
	ver        int64
	id, region string
	due        sql.NullInt64
	data       []byte // packed
	attrs      []store.Attr
}

// pendChange is what a writer's caller changed in pending.kinds, to undo.
type pendChange struct {
	key  acctKind
	seq  int64
	prev pendRow
	had  bool
}

// pendStamp is a record the writer created pending, and when.
type pendStamp struct {
	seq int64
	at  time.Time
}

// deferring tells whether a Put of t leaves a new record pending: only the
// writer's groups do (an import indexes everything it writes).
func (t *tx) deferring() bool {
	return t.late != nil && t.pend != nil && t.pend.delay > 0 && t.pend.count() < maxPending
}

// count is how many records are pending, as the writer's transaction has
// them.
func (p *pending) count() int {
	p.mu.RLock()
	defer p.mu.RUnlock()
	return p.n
}

// reload reads the pending rows whole, at the start of a group when another
// connection committed since they were (data_version moved).
func (db *DB) reload(ctx context.Context, t *tx, version int64) error {
	rows, err := t.query(ctx, `SELECT seq, account, kind, id, region, due, data, pend FROM records INDEXED BY records_pending WHERE pend IS NOT NULL`)
	if err != nil {
		return translate(err)
	}
	defer rows.Close()
	all := map[acctKind]*pendKind{}
	for rows.Next() {
		var seq int64
		var key acctKind
		var row pendRow
		if err := rows.Scan(&seq, &key.account, &key.kind, &row.id, &row.region, &row.due, &row.data, &row.ver); err != nil {
			return err
		}
		if _, row.attrs, err = unpack(row.data, true); err != nil {
			return err
		}
		if all[key] == nil {
			all[key] = &pendKind{rows: map[int64]pendRow{}, pairs: map[store.Attr]map[int64]struct{}{}}
		}
		all[key].add(seq, row)
	}
	if err := rows.Err(); err != nil {
		return translate(err)
	}
	n := 0
	for _, k := range all {
		n += len(k.rows)
	}
	db.pend.mu.Lock()
	db.pend.kinds, db.pend.n = all, n
	db.pend.mu.Unlock()
	db.pend.dataVersion = version
	db.pend.stale.Store(false)
	db.wkinds = map[string]map[string]bool{} // kinds.go: read again too
	return nil
}

// pendKind is the pending rows of one (account, kind), with the seqs of
// each index pair among them: the writer finds its candidates as the SQL
// finds the others, by the values of a filter.
type pendKind struct {
	rows  map[int64]pendRow
	pairs map[store.Attr]map[int64]struct{}
}

func (k *pendKind) add(seq int64, row pendRow) {
	k.rows[seq] = row
	for _, a := range row.attrs {
		m := k.pairs[a]
		if m == nil {
			m = map[int64]struct{}{}
			k.pairs[a] = m
		}
		m[seq] = struct{}{}
	}
}

func (k *pendKind) remove(seq int64) {
	row, ok := k.rows[seq]
	if !ok {
		return
	}
	delete(k.rows, seq)
	for _, a := range row.attrs {
		if m := k.pairs[a]; m != nil {
			delete(m, seq)
			if len(m) == 0 {
				delete(k.pairs, a)
			}
		}
	}
}

// set keeps (row set) or drops a pending record's row, answering what was
// there before.
func (p *pending) set(key acctKind, seq int64, row pendRow, drop bool) (prev pendRow, had bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	k := p.kinds[key]
	if k != nil {
		prev, had = k.rows[seq]
		k.remove(seq)
	}
	if had {
		p.n--
	}
	switch {
	case drop:
		if k != nil && len(k.rows) == 0 {
			delete(p.kinds, key)
		}
	default:
		if k == nil {
			if p.kinds == nil {
				p.kinds = make(map[acctKind]*pendKind)
			}
			k = &pendKind{rows: map[int64]pendRow{}, pairs: map[store.Attr]map[int64]struct{}{}}
			p.kinds[key] = k
		}
		k.add(seq, row)
		p.n++
	}
	return prev, had
}

// keep notes the row of a pending record's version written by t; created
// is set for a record new to the store, which starts its stay in the queue.
func (t *tx) keepPending(kind string, seq int64, row pendRow, created bool) {
	key := acctKind{t.account, kind}
	prev, had := t.pend.set(key, seq, row, false)
	t.pendUndo = append(t.pendUndo, pendChange{key: key, seq: seq, prev: prev, had: had})
	if created {
		t.pend.mu.Lock()
		t.pend.queue = append(t.pend.queue, pendStamp{seq: seq, at: time.Now()})
		t.pend.mu.Unlock()
	}
}

// forgetPending drops the row of a pending record t deleted.
func (t *tx) forgetPending(kind string, seq int64) {
	key := acctKind{t.account, kind}
	prev, had := t.pend.set(key, seq, pendRow{}, true)
	if had {
		t.pendUndo = append(t.pendUndo, pendChange{key: key, seq: seq, prev: prev, had: had})
	}
}

// undo takes back changes, newest first: a caller's or a group's that
// rolled back.
func (p *pending) undo(changes []pendChange) {
	for i := len(changes) - 1; i >= 0; i-- {
		c := changes[i]
		p.set(c.key, c.seq, c.prev, !c.had)
	}
}

// drop forgets the rows of seqs (indexed, or gone), every row with seqs nil.
func (p *pending) drop(seqs []int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if seqs == nil {
		clear(p.kinds)
		p.n = 0
		return
	}
	for key, k := range p.kinds {
		for _, s := range seqs {
			if _, ok := k.rows[s]; ok {
				k.remove(s)
				p.n--
			}
		}
		if len(k.rows) == 0 {
			delete(p.kinds, key)
		}
	}
}

// lookup answers the kept row of (key, seq) when it is version ver.
func (p *pending) lookup(key acctKind, seq, ver int64) (pendRow, bool) {
	e, ok := p.get(key, seq)
	return e, ok && e.ver == ver
}

func (p *pending) get(key acctKind, seq int64) (pendRow, bool) {
	p.mu.RLock()
	defer p.mu.RUnlock()
	if k := p.kinds[key]; k != nil {
		e, ok := k.rows[seq]
		return e, ok
	}
	return pendRow{}, false
}

// writerMatches answers the seqs, ascending, of the pending rows of key
// matching q, as the writer's transaction has them: the candidates of q's
// first filter that is not a negation, each checked whole.
func (p *pending) writerMatches(key acctKind, q store.Query) []int64 {
	p.mu.RLock()
	defer p.mu.RUnlock()
	k := p.kinds[key]
	if k == nil {
		return nil
	}
	var out []int64
	check := func(seq int64) {
		if pendingMatch(q, k.rows[seq]) {
			out = append(out, seq)
		}
	}
	if i := slices.IndexFunc(q.Filters, func(f store.Filter) bool { return !f.Not }); i >= 0 {
		f := q.Filters[i]
		for _, v := range slices.Compact(slices.Sorted(slices.Values(f.Values))) {
			for seq := range k.pairs[store.Attr{Name: f.Name, Value: v}] {
				check(seq)
			}
		}
	} else {
		for seq := range k.rows {
			check(seq)
		}
	}
	slices.Sort(out)
	return out
}

// pendingSQL lists the pending records of an (account, kind): their seqs
// and versions, from the partial index alone.
const pendingSQL = `SELECT seq, pend FROM records INDEXED BY records_pending WHERE account = ? AND kind = ? AND pend IS NOT NULL`

// pendingMatches answers the seqs, ascending, of the pending records of
// q's kind that match q's region, ids and filters (its page bounds aside):
// what q's SQL, which reads attrs, cannot see. None when nothing is ever
// left pending.
func (t *tx) pendingMatches(ctx context.Context, q store.Query) ([]int64, error) {
	if t.pend == nil || t.pend.delay <= 0 || len(q.Filters) == 0 {
		return nil, nil
	}
	if t.late != nil { // the writer's: what memory keeps is its transaction's
		return t.pend.writerMatches(acctKind{t.account, q.Kind}, q), nil
	}
	rows, err := t.query(ctx, pendingSQL, t.account, q.Kind)
	if err != nil {
		return nil, translate(err)
	}
	var refs [][2]int64
	for rows.Next() {
		var seq, ver int64
		if err := rows.Scan(&seq, &ver); err != nil {
			rows.Close()
			return nil, err
		}
		refs = append(refs, [2]int64{seq, ver})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, translate(err)
	}
	return t.matchPending(ctx, q, refs)
}

// matchPending answers which of the pending versions refs ({seq, ver})
// match q, ascending by seq.
func (t *tx) matchPending(ctx context.Context, q store.Query, refs [][2]int64) ([]int64, error) {
	var out []int64
	key := acctKind{t.account, q.Kind}
	for _, ref := range refs {
		e, ok := t.pend.lookup(key, ref[0], ref[1])
		if !ok {
			// Another version than the one kept (a snapshot older than
			// the writer's): its pairs from its row.
			var data []byte
			if err := t.queryRow(ctx, `SELECT id, region, data FROM records WHERE seq = ?`, ref[0]).Scan(&e.id, &e.region, &data); err != nil {
				return nil, translate(err)
			}
			var err error
			if _, e.attrs, err = unpack(data, true); err != nil {
				return nil, err
			}
		}
		if pendingMatch(q, e) {
			out = append(out, ref[0])
		}
	}
	slices.Sort(out)
	return out, nil
}

// pendingMatch is q's region, ids and filters, as its SQL holds them,
// over a pending record's pairs.
func pendingMatch(q store.Query, e pendRow) bool {
	if q.Region != "" && e.region != q.Region {
		return false
	}
	if q.IDs != nil && !slices.Contains(q.IDs, e.id) {
		return false
	}
	for _, f := range q.Filters {
		has := slices.ContainsFunc(e.attrs, func(a store.Attr) bool {
			return a.Name == f.Name && slices.Contains(f.Values, a.Value)
		})
		if has == f.Not {
			return false
		}
	}
	return true
}

// pendingRecords reads the records of kind at seqs (pending matches) whose
// seq is above after, ascending.
func (t *tx) pendingRecords(ctx context.Context, kind string, seqs []int64, after int64) ([]store.Record, error) {
	i, _ := slices.BinarySearch(seqs, after+1)
	seqs = seqs[i:]
	if len(seqs) == 0 {
		return nil, nil
	}
	if t.late != nil { // the writer's, from memory
		key := acctKind{t.account, kind}
		out := make([]store.Record, 0, len(seqs))
		for _, seq := range seqs {
			row, ok := t.pend.get(key, seq)
			if !ok {
				continue
			}
			r, err := t.recordOf(kind, row.id, row.region, seq, row.due, row.data, row.ver)
			if err != nil {
				return nil, err
			}
			out = append(out, r)
		}
		return out, nil
	}
	args := make([]any, len(seqs))
	for i, s := range seqs {
		args[i] = s
	}
	rows, err := t.query(ctx, `SELECT id, region, seq, due, data, pend FROM records WHERE seq IN (`+placeholders(len(seqs))+`)`, args...)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	out := make([]store.Record, 0, len(seqs))
	for rows.Next() {
		r, err := t.scanRecord(rows, kind)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, translate(err)
	}
	slices.SortFunc(out, func(a, b store.Record) int { return cmp.Compare(a.Seq, b.Seq) })
	return out, nil
}

// mergeBySeq merges two lists of records ascending by seq into one.
func mergeBySeq(a, b []store.Record) []store.Record {
	if len(b) == 0 {
		return a
	}
	out := make([]store.Record, 0, len(a)+len(b))
	for len(a) > 0 && len(b) > 0 {
		if a[0].Seq < b[0].Seq {
			out, a = append(out, a[0]), a[1:]
		} else {
			out, b = append(out, b[0]), b[1:]
		}
	}
	return append(append(out, a...), b...)
}

// indexDue indexes, between the writer's groups, the records pending for
// the delay, and the oldest beyond maxPending.
func (db *DB) indexDue(now time.Time) {
	p := &db.pend
	p.mu.RLock()
	n := 0
	for n < len(p.queue) && now.Sub(p.queue[n].at) >= p.delay {
		n++
	}
	seqs := make([]int64, n)
	for i := range n {
		seqs[i] = p.queue[i].seq
	}
	p.mu.RUnlock()
	if n == 0 {
		return
	}
	if err := db.index(context.Background(), seqs); err != nil {
		return // left pending: the next round, or the next Open, indexes them
	}
	p.mu.Lock()
	p.queue = slices.Delete(p.queue, 0, n)
	p.mu.Unlock()
}

// nextIndexDue is when indexDue has work, or zero.
func (p *pending) nextIndexDue() time.Time {
	p.mu.RLock()
	defer p.mu.RUnlock()
	if len(p.queue) == 0 {
		return time.Time{}
	}
	return p.queue[0].at.Add(p.delay)
}

// indexAll indexes every pending record (Open, Close, a delay set to 0;
// tests). The write connection is one: it waits for the writer's group.
func (db *DB) indexAll(ctx context.Context) error {
	if err := db.index(ctx, nil); err != nil {
		return err
	}
	db.pend.mu.Lock()
	db.pend.queue = db.pend.queue[:0]
	db.pend.mu.Unlock()
	return nil
}

// index writes the index rows of the pending records among seqs (every
// one when seqs is nil) and marks them indexed, in one transaction.
func (db *DB) index(ctx context.Context, seqs []int64) error {
	db.stmts.ran(db.write, "BEGIN IMMEDIATE")
	sqlTx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return translate(err)
	}
	defer sqlTx.Rollback()
	t := &tx{tx: sqlTx, pool: db.write, stmts: &db.stmts}
	query, args := `SELECT seq, account, kind, region, data FROM records INDEXED BY records_pending WHERE pend IS NOT NULL`, []any(nil)
	if seqs != nil {
		query = `SELECT seq, account, kind, region, data FROM records WHERE seq IN (` + placeholders(len(seqs)) + `) AND pend IS NOT NULL`
		args = make([]any, len(seqs))
		for i, s := range seqs {
			args[i] = s
		}
	}
	rows, err := t.query(ctx, query, args...)
	if err != nil {
		return translate(err)
	}
	type rec struct {
		seq                   int64
		account, kind, region string
		attrs                 []store.Attr
	}
	var recs []rec
	for rows.Next() {
		var r rec
		var data []byte
		if err := rows.Scan(&r.seq, &r.account, &r.kind, &r.region, &data); err != nil {
			rows.Close()
			return err
		}
		if _, r.attrs, err = unpack(data, true); err != nil {
			rows.Close()
			return err
		}
		recs = append(recs, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return translate(err)
	}
	for _, r := range recs {
		for _, a := range r.attrs {
			if _, err := t.exec(ctx, insertAttr, r.account, r.kind, r.region, a.Name, a.Value, r.seq); err != nil {
				return translate(err)
			}
		}
		if _, err := t.exec(ctx, `UPDATE records SET pend = NULL WHERE seq = ?`, r.seq); err != nil {
			return translate(err)
		}
	}
	db.stmts.ran(db.write, "COMMIT")
	if err := sqlTx.Commit(); err != nil {
		return translate(err)
	}
	db.memos.moved(db.wal)
	// The queue's seqs that were no longer pending (deleted, or written by
	// a group that rolled back) go too.
	db.pend.drop(seqs)
	if seqs != nil {
		done := make([]int64, len(recs))
		for i, r := range recs {
			done[i] = r.seq
		}
		db.pend.drop(done)
	}
	return nil
}

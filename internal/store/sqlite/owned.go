package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"slices"
	"strings"
	"time"

	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/store"
)

// Records found beside their owner. A page of instances reads each
// instance's ENIs through their "instance" index rows: at a million stored
// instances each such seek is a leaf of attrs and mostly an inner page
// above it, read from the file. Yet an ENI a launch made lies beside its
// instance in the records table (the table is keyed by the seq, and a
// launch writes the instance, its disks, then its ENIs), on the leaf the
// page has just read. So for an index a kind declares in cloud.Kind's
// Owners, a record whose seq is within ownedSpan after its owner's is
// "near" it, and every other record's pair gets a mark: a second index
// row, (markName(name), value), kept with the record's pairs like any
// other (Put and Delete replace and drop it; Export leaves it out), but
// with no count kept: no query counts through it. A query of such an
// index with the owners' seqs (store.Filter.Owners) reads the ownedSpan
// records after each owner by the seq, keeps those whose pairs name it,
// and adds the marked ones, found through their few index rows (a narrow
// range of attrs whose pages stay cached).
//
// Whether a record is near its owner is fixed for its life: its seq and
// its owner's never change. A Put decides it when the pair first appears:
// near only when the owner is a record the writer's transaction saw (seen.go),
// ownedSpan or fewer seqs before; an owner it did not see (an ENI attached
// later, in a call that did not read the instance) gets a mark.

// ownedSpan is how many seqs after its owner a near record may lie: a
// launch writes the instance, its system disk and data disks, then its
// ENIs, so the primary ENI of an instance without data disks (the seed's
// too). Each of the ownedSpan seqs is one lookup of the records table
// (its row on the owner's leaf or the next): a wider span reads more
// leaves on every call, for launches with data disks, whose ENIs are
// marked instead.
const ownedSpan = 2

// markName is the index name of the mark of a pair of index name that is
// not near its owner. No kind declares an index starting with "~".
func markName(name string) string { return "~" + name }

func isMark(name string) bool { return strings.HasPrefix(name, "~") }

// unmarked answers attrs without marks (of a snapshot, or for Export).
func unmarked(attrs []store.Attr) []store.Attr {
	if !slices.ContainsFunc(attrs, func(a store.Attr) bool { return isMark(a.Name) }) {
		return attrs
	}
	return slices.DeleteFunc(slices.Clone(attrs), func(a store.Attr) bool { return isMark(a.Name) })
}

// ownersOf answers the owned indexes of kind (cloud.Kind.Owners).
func ownersOf(kind string) map[cloud.IndexName]string {
	k, ok := cloud.KindOf(kind)
	if !ok {
		return nil
	}
	return k.Owners
}

// marked answers attrs, the pairs of a record of kind at seq, with the
// marks of its owned pairs that are not near their owner: near says
// whether the pair a of owner kind is.
func marked(kind string, attrs []store.Attr, near func(owner string, a store.Attr) bool) []store.Attr {
	owners := ownersOf(kind)
	if owners == nil {
		return attrs
	}
	out := attrs[:len(attrs):len(attrs)] // an append copies
	for _, a := range attrs {
		owner, ok := owners[cloud.IndexName(a.Name)]
		if ok && !near(owner, a) {
			out = append(out, store.Attr{Name: markName(a.Name), Value: a.Value})
		}
	}
	return out
}

// markOwned is marked for a Put of a record at seq whose replaced version
// had the pairs had (nil for a new record): a pair it had stays as it was,
// a new one is near when the transaction saw its owner just before seq.
func (t *tx) markOwned(kind string, seq int64, attrs, had []store.Attr) []store.Attr {
	return marked(kind, attrs, func(owner string, a store.Attr) bool {
		if slices.Contains(had, a) {
			return !slices.Contains(had, store.Attr{Name: markName(a.Name), Value: a.Value})
		}
		s, ok := t.recallSeen(owner, a.Value)
		return ok && s.found && seq > s.seq && seq-s.seq <= ownedSpan
	})
}

// ownedPage answers q when it is one owned index's values with their
// owners' seqs (store.Filter.Owners) and nothing else: the ownedSpan
// records after each owner, read by the seq, that name it, with the marked
// ones. ok is false when q is not such a query or an owner's seq does not
// hold (the owner is not there): the caller plans it as any other.
func (t *tx) ownedPage(ctx context.Context, q store.Query) (page store.Page, ok bool, err error) {
	query, args, owner := t.ownedSQL(q)
	if query == "" {
		return page, false, nil
	}
	f := q.Filters[0]
	rows, err := t.query(ctx, query, args...)
	if err != nil {
		return page, true, translate(err)
	}
	defer rows.Close()
	confirmed := 0
	var pending [][2]int64 // {seq, version} of the pending records of q's kind
	for rows.Next() {
		var (
			seq    int64
			kindOr sql.NullString
			id     string
			region string
			due    sql.NullInt64
			data   []byte
		)
		if err := rows.Scan(&seq, &kindOr, &id, &region, &due, &data); err != nil {
			return page, true, err
		}
		kind := kindOr.String
		if !kindOr.Valid { // the pending arm: due holds the version
			pending = append(pending, [2]int64{seq, due.Int64})
			continue
		}
		if kind == owner {
			if n := slices.Index(f.Owners, seq); n >= 0 && f.Values[n] == id {
				confirmed++
			}
			continue
		}
		if slices.ContainsFunc(page.Records, func(r store.Record) bool { return r.Seq == seq }) {
			continue // near and marked both (an owner the writer had not seen)
		}
		doc, pairs, err := unpack(data, true)
		if err != nil {
			return page, true, err
		}
		if !slices.ContainsFunc(pairs, func(a store.Attr) bool { return a.Name == f.Name && slices.Contains(f.Values, a.Value) }) {
			continue // another owner's, or none
		}
		r := store.Record{Kind: kind, ID: id, Region: region, Seq: seq, Data: doc}
		if due.Valid {
			r.Due = time.Unix(0, due.Int64).UTC()
		}
		t.keep(&r)
		page.Records = append(page.Records, r)
	}
	if err := rows.Err(); err != nil {
		return page, true, translate(err)
	}
	rows.Close()
	if confirmed != len(f.Owners) {
		return store.Page{}, false, nil
	}
	if len(pending) > 0 {
		// A pending record has no index rows, so no mark either: matched
		// by its pairs, unless read beside its owner already.
		matches, err := t.matchPending(ctx, q, pending)
		if err != nil {
			return page, true, err
		}
		matches = slices.DeleteFunc(matches, func(seq int64) bool {
			return slices.ContainsFunc(page.Records, func(r store.Record) bool { return r.Seq == seq })
		})
		more, err := t.pendingRecords(ctx, q.Kind, matches, 0)
		if err != nil {
			return page, true, err
		}
		page.Records = append(page.Records, more...)
	}
	slices.SortFunc(page.Records, func(a, b store.Record) int { return cmp.Compare(a.Seq, b.Seq) })
	if len(page.Records) > q.Limit {
		page.Records, page.More = page.Records[:q.Limit], true
	}
	return page, true, nil
}

// ownedSQL is the statement of ownedPage and the owner's kind, or "" when
// q is not a query it answers.
func (t *tx) ownedSQL(q store.Query) (query string, args []any, owner string) {
	if len(q.Filters) != 1 || q.IDs != nil || q.Region == "" || q.AfterSeq != 0 || q.Offset != 0 || q.Count || q.Limit <= 0 {
		return "", nil, ""
	}
	f := q.Filters[0]
	if f.Not || len(f.Values) == 0 || len(f.Owners) != len(f.Values) {
		return "", nil, ""
	}
	owner = cloud.OwnerOf(q.Kind, f.Name)
	if owner == "" || owner == q.Kind {
		return "", nil, ""
	}
	// Each owner's seq and the ownedSpan after it, once each: the owner's
	// row checks the hint (its document is not read), the others are
	// q's kind and region or not read either. Each seq is looked up by
	// itself: a range would step past its end onto the next leaf whenever
	// it ends one.
	seqs := make([]int64, 0, (ownedSpan+1)*len(f.Owners))
	for _, s := range f.Owners {
		if s <= 0 {
			return "", nil, ""
		}
		for d := range int64(ownedSpan + 1) {
			seqs = append(seqs, s+d)
		}
	}
	slices.Sort(seqs)
	seqs = slices.Compact(seqs)
	args = make([]any, 0, len(seqs)+len(f.Values)+10)
	args = append(args, owner)
	for _, s := range seqs {
		args = append(args, s)
	}
	args = append(args, t.account, q.Kind, q.Region, owner, t.account, q.Kind, q.Region, markName(f.Name))
	for _, v := range f.Values {
		args = append(args, v)
	}
	// Then the marked records, through their index rows.
	query = `SELECT r.seq, r.kind, r.id, r.region, r.due, iif(+r.kind = ?1, NULL, r.data) FROM records r WHERE r.seq IN (` + placeholders(len(seqs)) +
		`) AND +r.account = ? AND (+r.kind = ? AND +r.region = ? OR +r.kind = ?)` +
		` UNION ALL SELECT r.seq, r.kind, r.id, r.region, r.due, r.data FROM attrs a0 JOIN records r ON r.seq = a0.seq AND +r.account = a0.account AND +r.kind = a0.kind` +
		` WHERE a0.account = ? AND a0.kind = ? AND a0.region = ? AND a0.name = ? AND a0.value IN (` + placeholders(len(f.Values)) + `)`
	if t.pend != nil && t.pend.delay > 0 {
		// And the pending records of the kind, which have no index rows
		// (pending.go): a NULL kind, the version in due.
		query += ` UNION ALL SELECT r.seq, NULL, '', '', r.pend, NULL FROM records r INDEXED BY records_pending WHERE r.account = ? AND r.kind = ? AND r.pend IS NOT NULL`
		args = append(args, t.account, q.Kind)
	}
	return query, args, owner
}

// importRing is the last records an import wrote, for marked: a record is
// near an owner among them.
type importRing struct {
	recent [ownedSpan]struct {
		account, kind, id string
		seq               int64
	}
	n int
}

// marks answers the pairs of r, imported at seq, with their marks.
func (g *importRing) marks(r store.AccountRecord, seq int64, attrs []store.Attr) []store.Attr {
	return marked(r.Kind, attrs, func(owner string, a store.Attr) bool {
		for _, o := range g.recent {
			if o.kind == owner && o.id == a.Value && o.account == r.Account && seq > o.seq && seq-o.seq <= ownedSpan {
				return true
			}
		}
		return false
	})
}

// add notes r, imported at seq.
func (g *importRing) add(r store.AccountRecord, seq int64) {
	o := &g.recent[g.n%ownedSpan]
	o.account, o.kind, o.id, o.seq = r.Account, r.Kind, r.ID, seq
	g.n++
}

// migrate10 marks the owned pairs of the records already stored that are
// not near their owner (migration 0010): found per account, kind and region through
// the index rows of the owned index, the owner looked up by its id.
func migrate10(ctx context.Context, tx *sql.Tx) error {
	type far struct {
		account, kind, region, id string
		value                     string
		seq                       int64
		name                      string
	}
	var marks []far
	for _, k := range cloud.Kinds() {
		for name, owner := range k.Owners {
			rows, err := tx.QueryContext(ctx, `SELECT a.account, a.region, a.value, a.seq FROM attrs a
				WHERE a.account IN (SELECT DISTINCT account FROM records) AND a.kind = ?1 AND a.region IN (SELECT DISTINCT region FROM records WHERE kind = ?1) AND a.name = ?2
				AND NOT EXISTS (SELECT 1 FROM records o WHERE o.account = a.account AND o.kind = ?3 AND o.id = a.value AND a.seq - o.seq BETWEEN 1 AND ?4)`,
				k.Name, string(name), owner, ownedSpan)
			if err != nil {
				return err
			}
			for rows.Next() {
				m := far{kind: k.Name, name: string(name)}
				if err := rows.Scan(&m.account, &m.region, &m.value, &m.seq); err != nil {
					rows.Close()
					return err
				}
				marks = append(marks, m)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
		}
	}
	for _, m := range marks {
		var data []byte
		if err := tx.QueryRowContext(ctx, `SELECT data FROM records WHERE seq = ?`, m.seq).Scan(&data); err != nil {
			return err
		}
		doc, pairs, err := unpack(data, true)
		if err != nil {
			return err
		}
		mark := store.Attr{Name: markName(m.name), Value: m.value}
		if slices.Contains(pairs, mark) {
			continue
		}
		if _, err := tx.ExecContext(ctx, `UPDATE records SET data = ? WHERE seq = ?`, pack(doc, append(pairs, mark)), m.seq); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, insertAttr, m.account, m.kind, m.region, mark.Name, mark.Value, m.seq); err != nil {
			return err
		}
	}
	return nil
}

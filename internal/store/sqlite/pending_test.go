package sqlite

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/ecslocal/ecslocal/internal/store"
	"github.com/ecslocal/ecslocal/internal/store/memory"
	"github.com/ecslocal/ecslocal/internal/store/storetest"
)

// indexAll writes the index rows of every pending record (pending.go), for
// a test that reads attrs itself.
func indexAll(tb testing.TB, db *DB) {
	tb.Helper()
	if err := db.indexAll(context.Background()); err != nil {
		tb.Fatalf("indexAll: %v", err)
	}
}

// TestConformanceIndexDelay runs the store's contract with every record
// the writer creates left pending for good (nothing indexed but what an
// import writes), and with every one indexed as it is written.
func TestConformanceIndexDelay(t *testing.T) {
	for _, c := range []struct {
		name  string
		delay time.Duration
	}{{"Never", 1000 * time.Hour}, {"Off", 0}} {
		t.Run(c.name, func(t *testing.T) {
			storetest.Run(t, func(tb testing.TB) store.Store {
				tb.Helper()
				db := mustOpen(tb, filepath.Join(tb.TempDir(), "x.db"))
				if err := db.SetIndexDelay(context.Background(), c.delay); err != nil {
					tb.Fatal(err)
				}
				return db
			})
		})
	}
}

// TestPending: a record the writer creates is stored without index rows
// until the delay, yet every read finds it by its filters, counted; a
// rewrite keeps it pending with its next version, a delete leaves no
// index row behind; once indexed its rows are its packed pairs.
func TestPending(t *testing.T) {
	ctx := context.Background()
	db := mustOpen(t, filepath.Join(t.TempDir(), "p.db"))
	if err := db.SetIndexDelay(ctx, time.Hour); err != nil {
		t.Fatal(err)
	}
	rec := func(id, status, vpc string) store.Record {
		return store.Record{Kind: "widget", ID: id, Region: "r1", Data: []byte(`{"s":"` + status + `"}`),
			Attrs: []store.Attr{{Name: "status", Value: status}, {Name: "vpc", Value: vpc}}}
	}
	update := func(fn func(tx store.Tx) error) {
		t.Helper()
		if err := db.Update(ctx, "a", fn); err != nil {
			t.Fatal(err)
		}
	}
	put := func(rs ...store.Record) {
		t.Helper()
		update(func(tx store.Tx) error {
			for _, r := range rs {
				if _, _, err := tx.Put(ctx, r); err != nil {
					return err
				}
			}
			return nil
		})
	}
	// counts: index rows, pending records and their versions.
	counts := func() (attrs int, pend []int64) {
		t.Helper()
		if err := db.write.QueryRowContext(ctx, `SELECT COUNT(*) FROM attrs`).Scan(&attrs); err != nil {
			t.Fatal(err)
		}
		rows, err := db.write.QueryContext(ctx, `SELECT pend FROM records WHERE pend IS NOT NULL ORDER BY seq`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var v int64
			if err := rows.Scan(&v); err != nil {
				t.Fatal(err)
			}
			pend = append(pend, v)
		}
		return attrs, pend
	}
	// find answers the ids of widgets by status (and vpc), with the count,
	// in a View and in the writer's transaction, which must agree.
	find := func(status string, more ...store.Filter) (ids []string, total int) {
		t.Helper()
		q := store.Query{Kind: "widget", Region: "r1", Limit: 10, Count: true, Filters: append([]store.Filter{store.Where("status", status)}, more...)}
		if err := db.View(ctx, "a", func(tx store.Tx) error {
			p, err := tx.Query(ctx, q)
			for _, r := range p.Records {
				ids = append(ids, r.ID)
			}
			total = p.Total
			return err
		}); err != nil {
			t.Fatal(err)
		}
		var writer []string
		update(func(tx store.Tx) error {
			p, err := tx.Query(ctx, q)
			for _, r := range p.Records {
				writer = append(writer, r.ID)
			}
			return err
		})
		if !slices.Equal(ids, writer) {
			t.Errorf("%s: a View found %q, the writer %q", status, ids, writer)
		}
		return ids, total
	}
	put(rec("w1", "Running", "v1"), rec("w2", "Stopped", "v1"))
	if a, p := counts(); a != 0 || !slices.Equal(p, []int64{1, 1}) {
		t.Fatalf("after the Puts: %d index rows, versions %v; want none, [1 1]", a, p)
	}
	if ids, n := find("Running"); !slices.Equal(ids, []string{"w1"}) || n != 1 {
		t.Errorf("Running: %q, %d", ids, n)
	}
	if ids, n := find("Running", store.Filter{Name: "vpc", Values: []string{"v1"}, Not: true}); len(ids) != 0 || n != 0 {
		t.Errorf("Running outside v1: %q, %d", ids, n)
	}
	put(rec("w1", "Stopped", "v1"))
	if a, p := counts(); a != 0 || !slices.Equal(p, []int64{2, 1}) {
		t.Fatalf("after the rewrite: %d index rows, versions %v; want none, [2 1]", a, p)
	}
	if ids, n := find("Stopped"); !slices.Equal(ids, []string{"w1", "w2"}) || n != 2 {
		t.Errorf("Stopped: %q, %d", ids, n)
	}
	// A reader whose version is not the one kept reads the row; the
	// writer, told that another connection committed, reads them all.
	db.pend.drop(nil)
	db.pend.dataVersion = -1
	if ids, n := find("Stopped"); !slices.Equal(ids, []string{"w1", "w2"}) || n != 2 {
		t.Errorf("Stopped, nothing kept: %q, %d", ids, n)
	}
	// A caller that fails takes its pending writes back with it.
	if err := db.Update(ctx, "a", func(tx store.Tx) error {
		if _, _, err := tx.Put(ctx, rec("w3", "Stopped", "v2")); err != nil {
			return err
		}
		if _, err := tx.Delete(ctx, "widget", "w2"); err != nil {
			return err
		}
		return errors.New("no")
	}); err == nil {
		t.Fatal("the failing caller committed")
	}
	if ids, n := find("Stopped"); !slices.Equal(ids, []string{"w1", "w2"}) || n != 2 {
		t.Errorf("Stopped after a rollback: %q, %d", ids, n)
	}
	update(func(tx store.Tx) error { _, err := tx.Delete(ctx, "widget", "w2"); return err })
	if a, p := counts(); a != 0 || !slices.Equal(p, []int64{2}) {
		t.Fatalf("after the delete: %d index rows, versions %v; want none, [2]", a, p)
	}
	db.indexDue(time.Now().Add(2 * time.Hour))
	if a, p := counts(); a != 2 || len(p) != 0 {
		t.Fatalf("indexed: %d index rows, versions %v; want 2, none", a, p)
	}
	if ids, n := find("Stopped"); !slices.Equal(ids, []string{"w1"}) || n != 1 {
		t.Errorf("Stopped, indexed: %q, %d", ids, n)
	}
	// Indexed, it stays so when rewritten.
	put(rec("w1", "Running", "v1"))
	if a, p := counts(); a != 2 || len(p) != 0 {
		t.Fatalf("indexed, rewritten: %d index rows, versions %v; want 2, none", a, p)
	}
}

// TestPendingIndexedAtOpen: the pending records of a file whose process
// was killed (a copy of the file and its WAL while open) are indexed when
// it is opened, their rows exactly their packed pairs.
func TestPendingIndexedAtOpen(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := mustOpen(t, filepath.Join(dir, "p.db"))
	if err := db.SetIndexDelay(ctx, time.Hour); err != nil {
		t.Fatal(err)
	}
	for i := range 20 {
		if err := db.Update(ctx, "a", func(tx store.Tx) error {
			_, _, err := tx.Put(ctx, store.Record{Kind: "widget", ID: fmt.Sprint("w", i), Region: "r1", Data: []byte(`{}`),
				Attrs: []store.Attr{{Name: "status", Value: "Running"}, {Name: "n", Value: fmt.Sprint(i % 3)}}})
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	for _, suffix := range []string{"", "-wal"} {
		b, err := os.ReadFile(filepath.Join(dir, "p.db"+suffix))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "k.db"+suffix), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	k := mustOpen(t, filepath.Join(dir, "k.db"))
	var pend, attrs, want int
	if err := k.write.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM records WHERE pend IS NOT NULL), (SELECT COUNT(*) FROM attrs)`).Scan(&pend, &attrs); err != nil {
		t.Fatal(err)
	}
	rows, err := k.write.QueryContext(ctx, `SELECT r.account, r.kind, r.region, r.seq, r.data FROM records r`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var account, kind, region string
		var seq int64
		var data []byte
		if err := rows.Scan(&account, &kind, &region, &seq, &data); err != nil {
			t.Fatal(err)
		}
		_, pairs, err := unpack(data, true)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range pairs {
			var n int
			if err := k.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM attrs WHERE account = ? AND kind = ? AND region = ? AND name = ? AND value = ? AND seq = ?`,
				account, kind, region, a.Name, a.Value, seq).Scan(&n); err != nil || n != 1 {
				t.Errorf("%s %d %s=%s: %d rows (%v)", kind, seq, a.Name, a.Value, n, err)
			}
			want++
		}
	}
	if pend != 0 || attrs != want || want != 40 {
		t.Errorf("opened: %d pending, %d index rows; want none, %d (40)", pend, attrs, want)
	}
}

// TestPendingBound: while maxPending records are pending, the writer
// writes a new one's index rows with it; every one is found all the same.
func TestPendingBound(t *testing.T) {
	ctx := context.Background()
	db := mustOpen(t, filepath.Join(t.TempDir(), "p.db"))
	if err := db.SetIndexDelay(ctx, time.Hour); err != nil {
		t.Fatal(err)
	}
	const n = maxPending + 20
	if err := db.Update(ctx, "a", func(tx store.Tx) error {
		for i := range n {
			if _, _, err := tx.Put(ctx, store.Record{Kind: "widget", ID: fmt.Sprint("w", i), Region: "r1", Data: []byte(`{}`),
				Attrs: []store.Attr{{Name: "status", Value: "Running"}}}); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	var pend, indexed int
	if err := db.write.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM records WHERE pend IS NOT NULL), (SELECT COUNT(*) FROM attrs)`).Scan(&pend, &indexed); err != nil {
		t.Fatal(err)
	}
	if pend != maxPending || indexed != n-maxPending || db.pend.count() != maxPending {
		t.Errorf("%d pending (%d kept), %d indexed; want %d, %d", pend, db.pend.count(), indexed, maxPending, n-maxPending)
	}
	if err := db.View(ctx, "a", func(tx store.Tx) error {
		p, err := tx.Query(ctx, store.Query{Kind: "widget", Region: "r1", Limit: 1000, Count: true, Filters: []store.Filter{store.Where("status", "Running")}})
		if err == nil && (len(p.Records) != n || p.Total != n) {
			t.Errorf("Running: %d records, total %d; want %d", len(p.Records), p.Total, n)
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
}

// TestPendingAsMemory: random writes to a SQLite store whose records are
// pending, indexed or a mix (some indexed between rounds), and to the
// memory store; every query shape (filters, negations, several values,
// every region, pages by seq and by number, counts) answers the same ids,
// totals and More on both.
func TestPendingAsMemory(t *testing.T) {
	ctx := context.Background()
	db := mustOpen(t, filepath.Join(t.TempDir(), "p.db"))
	if err := db.SetIndexDelay(ctx, time.Hour); err != nil {
		t.Fatal(err)
	}
	mem := memory.Open()
	rng := rand.New(rand.NewPCG(7, 19))
	pick := func(vs ...string) string { return vs[rng.IntN(len(vs))] }
	rec := func(id string) store.Record {
		attrs := []store.Attr{{Name: "status", Value: pick("A", "B", "C")}, {Name: "vpc", Value: pick("v1", "v2")}}
		if tag := pick("x", "y", ""); tag != "" {
			attrs = append(attrs, store.Attr{Name: "tag", Value: tag})
		}
		return store.Record{Kind: "widget", ID: id, Region: pick("r1", "r2"), Data: []byte(`{}`), Attrs: attrs}
	}
	queries := []store.Query{
		{Filters: []store.Filter{store.Where("status", "A")}},
		{Region: "r1", Filters: []store.Filter{store.Where("status", "A", "C")}},
		{Filters: []store.Filter{store.Where("vpc", "v2"), store.Where("tag", "x")}},
		{Region: "r2", Filters: []store.Filter{{Name: "tag", Values: []string{"x"}, Not: true}}},
		{Filters: []store.Filter{store.Where("status", "B"), {Name: "vpc", Values: []string{"v1"}, Not: true}}},
		{IDs: []string{"w1", "w2", "w3", "w5", "w8", "w13"}, Filters: []store.Filter{store.Where("vpc", "v1")}},
		{Region: "r1", Filters: []store.Filter{store.Where("tag", "y")}},
	}
	// answers pages through q three at a time, by seq or by number, and
	// the first page's total.
	answers := func(st store.Store, q store.Query, byNumber bool) (ids []string, total int) {
		t.Helper()
		if err := st.View(ctx, "a", func(tx store.Tx) error {
			q := q
			q.Kind, q.Limit, q.Count = "widget", 3, true
			for page := 0; ; page++ {
				p, err := tx.Query(ctx, q)
				if err != nil {
					return err
				}
				if page == 0 {
					total = p.Total
				}
				for _, r := range p.Records {
					ids = append(ids, r.ID)
				}
				if !p.More {
					return nil
				}
				if page == 40 { // more pages than records: a page that does not move on
					return fmt.Errorf("page %d still has More", page)
				}
				if byNumber {
					q.Offset += 3
				} else {
					q.AfterSeq = p.Records[len(p.Records)-1].Seq
				}
				q.Count = false
			}
		}); err != nil {
			t.Fatal(err)
		}
		return ids, total
	}
	for round := range 12 {
		for range 25 {
			id := fmt.Sprint("w", rng.IntN(40))
			del := rng.IntN(4) == 0
			r := rec(id) // the same record to both stores
			for _, st := range []store.Store{db, mem} {
				err := st.Update(ctx, "a", func(tx store.Tx) error {
					if del {
						if _, err := tx.Delete(ctx, "widget", id); err != nil && !errors.Is(err, store.ErrNotFound) {
							return err
						}
						return nil
					}
					_, _, err := tx.Put(ctx, r)
					return err
				})
				if err != nil {
					t.Fatal(err)
				}
			}
		}
		if round%3 == 1 { // some records indexed, the newer ones still pending
			db.pend.mu.RLock()
			var seqs []int64
			for i, s := range db.pend.queue {
				if i%2 == 0 {
					seqs = append(seqs, s.seq)
				}
			}
			db.pend.mu.RUnlock()
			if err := db.index(ctx, seqs); err != nil {
				t.Fatal(err)
			}
		}
		for i, q := range queries {
			for _, byNumber := range []bool{false, true} {
				got, gotTotal := answers(db, q, byNumber)
				want, wantTotal := answers(mem, q, byNumber)
				if !slices.Equal(got, want) || gotTotal != wantTotal {
					t.Fatalf("round %d, query %d (by number %v): SQLite %q total %d, memory %q total %d", round, i, byNumber, got, gotTotal, want, wantTotal)
				}
			}
		}
	}
	if db.pend.count() == 0 {
		t.Error("nothing pending at the end: the test did not cover pending records")
	}
}

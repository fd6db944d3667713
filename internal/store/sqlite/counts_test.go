package sqlite

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"

	"github.com/ecslocal/ecslocal/internal/store"
	"github.com/ecslocal/ecslocal/internal/store/storetest"
)

// TestCountsBackfill: a file written before migration 0004 gets its kept
// counts built from the index when it is opened.
func TestCountsBackfill(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "c.db")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(ctx, "acct", func(tx store.Tx) error {
		for _, r := range []store.Record{
			{Kind: "widget", ID: "w1", Region: "r1", Attrs: []store.Attr{{Name: "status", Value: "Running"}}, Data: []byte(`{}`)},
			{Kind: "widget", ID: "w2", Region: "r1", Attrs: []store.Attr{{Name: "status", Value: "Running"}}, Data: []byte(`{}`)},
			{Kind: "widget", ID: "w3", Region: "r1", Attrs: []store.Attr{{Name: "status", Value: "Stopped"}}, Data: []byte(`{}`)},
		} {
			if _, _, err := tx.Put(ctx, r); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Back to the schema before 0004.
	if _, err := db.write.ExecContext(ctx, `DROP TABLE counts; DELETE FROM migrations WHERE name = 'migrations/0004_counts.sql'`); err != nil {
		t.Fatal(err)
	}
	db.Close()

	db = mustOpen(t, path)
	for _, c := range []struct {
		filters []store.Filter
		want    int
	}{
		{nil, 3},
		{[]store.Filter{{Name: "status", Values: []string{"Running"}}}, 2},
		{[]store.Filter{{Name: "status", Values: []string{"Stopped"}}}, 1},
	} {
		err := db.View(ctx, "acct", func(tx store.Tx) error {
			page, err := tx.Query(ctx, store.Query{Kind: "widget", Region: "r1", Filters: c.filters, Count: true})
			if err == nil && page.Total != c.want {
				t.Errorf("%+v: Total %d after the backfill, want %d", c.filters, page.Total, c.want)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// TestCountsMatchRows: after groups of callers that add, rewrite and delete
// records (shared values and values of one record each, some callers
// failing), the kept counts are exactly the index rows counted afresh: no
// row at 0 or below, none missing, none left over.
func TestCountsMatchRows(t *testing.T) {
	ctx := context.Background()
	db := mustOpen(t, filepath.Join(t.TempDir(), "c.db"))
	rec := func(n int, status string) store.Record {
		id := fmt.Sprint("w", n)
		return store.Record{Kind: "widget", ID: id, Region: "r1", Data: []byte(`{}`),
			Attrs: []store.Attr{{Name: "status", Value: status}, {Name: "own", Value: id}, {Name: "zone", Value: "z"},
				{Name: "pair", Value: fmt.Sprint(n / 2)}, {Name: "triple", Value: fmt.Sprint(n / 3)}}}
	}
	errFail := errors.New("fail")
	for round := range 40 {
		var wg sync.WaitGroup
		for c := range 12 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				n := (round*7 + c*5) % 30
				_ = db.Update(ctx, "acct", func(tx store.Tx) error {
					switch (round + c) % 4 {
					case 0, 1:
						if _, _, err := tx.Put(ctx, rec(n, []string{"Running", "Stopped"}[(c+round)%2])); err != nil {
							return err
						}
					case 2:
						if _, err := tx.Delete(ctx, "widget", fmt.Sprint("w", n)); err != nil && !errors.Is(err, store.ErrNotFound) {
							return err
						}
					}
					if c%5 == 0 {
						return errFail
					}
					return nil
				})
			}()
		}
		wg.Wait()
		if round%2 == 0 {
			continue // records left pending (pending.go), rewritten and deleted by the next round
		}
		indexAll(t, db) // the counts kept while they were pending, held to the rows written now
		var bad int
		if err := db.write.QueryRowContext(ctx, `SELECT COUNT(*) FROM (
			SELECT account, kind, region, name, value, n FROM counts WHERE name != ''
			EXCEPT SELECT account, kind, region, name, value, COUNT(*) FROM attrs GROUP BY account, kind, region, name, value)`).Scan(&bad); err != nil {
			t.Fatal(err)
		}
		var missing int
		if err := db.write.QueryRowContext(ctx, `SELECT COUNT(*) FROM (
			SELECT account, kind, region, name, value, COUNT(*) FROM attrs GROUP BY account, kind, region, name, value
			EXCEPT SELECT account, kind, region, name, value, n FROM counts WHERE name != '')`).Scan(&missing); err != nil {
			t.Fatal(err)
		}
		var records, kept int
		if err := db.write.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM records), coalesce((SELECT SUM(n) FROM counts WHERE name = ''), 0)`).Scan(&records, &kept); err != nil {
			t.Fatal(err)
		}
		if bad != 0 || missing != 0 || records != kept {
			t.Fatalf("round %d: %d kept counts differ from the index rows, %d missing; %d records, kept count %d", round, bad, missing, records, kept)
		}
	}
}

// TestUncountedAtOpen: a file whose counts were kept by another list of
// uncounted indexes (store.Uncounted) is brought to this build's at open:
// the count rows of an index newly uncounted go (a file written before
// the kinds declared Few indexes kept them all), those of one no longer
// uncounted are built from the index rows, and the list is the build's.
func TestUncountedAtOpen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "c.db")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	k := storetest.SeedUncounted(t, db)
	rowsOf := func(db *DB, name string) int {
		var n int
		if err := db.write.QueryRowContext(ctx, `SELECT COUNT(*) FROM counts WHERE kind = ? AND name = ?`, k.Kind, name).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := rowsOf(db, k.Name); n != 0 {
		t.Fatalf("%d count rows of %s %s, declared Few", n, k.Kind, k.Name)
	}
	indexAll(t, db)
	// As a file of the build before: the Few index's counts kept, and
	// none listed; with status listed as uncounted, and its counts gone.
	if _, err := db.write.ExecContext(ctx, `INSERT INTO counts (account, kind, region, name, value, n)
		SELECT account, kind, region, name, value, COUNT(*) FROM attrs WHERE kind = ?1 AND name = ?2 GROUP BY account, kind, region, name, value;
		DELETE FROM counts WHERE kind = ?1 AND name = 'status';
		DELETE FROM uncounted; INSERT INTO uncounted (kind, name) VALUES (?1, 'status')`, k.Kind, k.Name); err != nil {
		t.Fatal(err)
	}
	if n := rowsOf(db, k.Name); n != 2 {
		t.Fatalf("%d count rows of %s %s set up, want 2", n, k.Kind, k.Name)
	}
	db.Close()

	db = mustOpen(t, path)
	if n, m := rowsOf(db, k.Name), rowsOf(db, "status"); n != 0 || m != 1 {
		t.Errorf("after the open: %d count rows of %s, want 0; %d of status, want 1", n, k.Name, m)
	}
	var listed []store.KindIndex
	rows, err := db.write.QueryContext(ctx, `SELECT kind, name FROM uncounted ORDER BY kind, name`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var l store.KindIndex
		if err := rows.Scan(&l.Kind, &l.Name); err != nil {
			t.Fatal(err)
		}
		listed = append(listed, l)
	}
	rows.Close()
	storetest.CheckUncounted(t, db, k, listed)
}

package sqlite

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"

	"github.com/ecslocal/ecslocal/internal/store"
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

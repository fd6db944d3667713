package postgres

import (
	"context"
	"slices"
	"testing"

	"github.com/ecslocal/ecslocal/internal/store"
)

// TestUncountedAtOpen: a schema whose counts were kept by another list of
// uncounted indexes (store.Uncounted) is brought to this build's at open:
// the count rows of an index newly uncounted go (a schema written before
// the kinds declared Few indexes kept them all), those of one no longer
// uncounted are built from the index rows, and the list is the build's.
func TestUncountedAtOpen(t *testing.T) {
	ctx := context.Background()
	dsn, _ := freshSchema(t)
	db, err := Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	few := store.Uncounted()
	if len(few) == 0 {
		t.Fatal("no kind declares a Few index")
	}
	k := few[0]
	err = db.Update(ctx, "acct", func(tx store.Tx) error {
		for _, r := range []store.Record{
			{Kind: k.Kind, ID: "x1", Region: "r1", Attrs: []store.Attr{{Name: k.Name, Value: "v1"}, {Name: "status", Value: "Running"}}, Data: []byte(`{}`)},
			{Kind: k.Kind, ID: "x2", Region: "r1", Attrs: []store.Attr{{Name: k.Name, Value: "v2"}, {Name: "status", Value: "Running"}}, Data: []byte(`{}`)},
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
	rowsOf := func(db *DB, name string) int {
		var n int
		if err := db.pool.QueryRow(ctx, `SELECT count(*) FROM counts WHERE kind = $1 AND name = $2`, k.Kind, name).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := rowsOf(db, k.Name); n != 0 {
		t.Fatalf("%d count rows of %s %s, declared Few", n, k.Kind, k.Name)
	}
	// As a schema of the build before: the Few index's counts kept, and
	// none listed; with status listed as uncounted, and its counts gone.
	for _, sql := range []string{
		`INSERT INTO counts (account, kind, region, name, value, n)
		SELECT account, kind, region, name, value, count(*) FROM attrs WHERE kind = $1 AND name = $2 GROUP BY account, kind, region, name, value`,
		`DELETE FROM counts WHERE kind = $1 AND name = 'status' AND $2 <> ''`,
		`DELETE FROM uncounted WHERE $1 <> $2`,
		`INSERT INTO uncounted (kind, name) SELECT $1, 'status' WHERE $2 <> ''`,
	} {
		if _, err := db.pool.Exec(ctx, sql, k.Kind, k.Name); err != nil {
			t.Fatal(err)
		}
	}
	if n := rowsOf(db, k.Name); n != 2 {
		t.Fatalf("%d count rows of %s %s set up, want 2", n, k.Kind, k.Name)
	}
	db.Close()

	db = mustOpen(t, dsn)
	if n, m := rowsOf(db, k.Name), rowsOf(db, "status"); n != 0 || m != 1 {
		t.Errorf("after the open: %d count rows of %s, want 0; %d of status, want 1", n, k.Name, m)
	}
	var listed []store.KindIndex
	rows, err := db.pool.Query(ctx, `SELECT kind, name FROM uncounted ORDER BY kind, name`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var l store.KindIndex
		rows.Scan(&l.Kind, &l.Name)
		listed = append(listed, l)
	}
	rows.Close()
	if !slices.Equal(listed, few) {
		t.Errorf("uncounted lists %v, want %v", listed, few)
	}
	err = db.View(ctx, "acct", func(tx store.Tx) error {
		for _, c := range []struct {
			name, value string
			want        int
		}{{k.Name, "v1", 1}, {k.Name, "v3", 0}, {"status", "Running", 2}} {
			page, err := tx.Query(ctx, store.Query{Kind: k.Kind, Region: "r1", Filters: []store.Filter{{Name: c.name, Values: []string{c.value}}}, Count: true})
			if err != nil {
				return err
			}
			if page.Total != c.want {
				t.Errorf("%s=%s: Total %d, want %d", c.name, c.value, page.Total, c.want)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

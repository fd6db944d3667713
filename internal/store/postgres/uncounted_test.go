package postgres

import (
	"context"
	"testing"

	"github.com/ecslocal/ecslocal/internal/store"
	"github.com/ecslocal/ecslocal/internal/store/storetest"
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
	k := storetest.SeedUncounted(t, db)
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
		if err := rows.Scan(&l.Kind, &l.Name); err != nil {
			t.Fatal(err)
		}
		listed = append(listed, l)
	}
	rows.Close()
	storetest.CheckUncounted(t, db, k, listed)
}

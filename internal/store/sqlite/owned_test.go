package sqlite

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ecslocal/ecslocal/internal/store"
)

// TestOwned: an ENI written within ownedSpan seqs after its instance in
// one transaction has no mark, any other has one (and its count); a query
// with the instances' seqs is answered by ownedPage through the seq (no
// scan), a wrong seq is not; migrate10 marks the records of a file written
// before it.
func TestOwned(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "o.db")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	rec := func(kind, id string, attrs ...string) store.Record {
		r := store.Record{Kind: kind, ID: id, Region: "r", Data: []byte(`{"id":"` + id + `"}`)}
		for n := 0; n+1 < len(attrs); n += 2 {
			r.Attrs = append(r.Attrs, store.Attr{Name: attrs[n], Value: attrs[n+1]})
		}
		return r
	}
	put := func(recs ...store.Record) {
		t.Helper()
		if err := db.Update(ctx, "a", func(tx store.Tx) error {
			for _, r := range recs {
				if err := store.PutRaw(ctx, tx, r); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	put(rec("instance", "i-1"), rec("disk", "d-1", "instance", "i-1"), rec("eni", "e-1", "instance", "i-1"))
	put(rec("instance", "i-2"), rec("disk", "d-2", "instance", "i-2"), rec("disk", "d-3", "instance", "i-2"),
		rec("disk", "d-4", "instance", "i-2"), rec("disk", "d-5", "instance", "i-2"), rec("eni", "e-2", "instance", "i-2"))
	put(rec("eni", "e-3", "instance", "i-1"))
	marks := func() []string {
		t.Helper()
		var out []string
		rows, err := db.read.QueryContext(ctx, `SELECT a.value || ' ' || r.id || ' ' || (SELECT COUNT(*) FROM counts c
			WHERE c.account = a.account AND c.kind = a.kind AND c.region = a.region AND c.name = a.name AND c.value = a.value)
			FROM attrs a JOIN records r ON r.seq = a.seq WHERE a.name = '~instance' ORDER BY 1`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				t.Fatal(err)
			}
			out = append(out, s)
		}
		return out
	}
	// Each mark with its id and its count rows: none, as nothing counts through it.
	indexAll(t, db)
	want := []string{"i-1 e-3 0", "i-2 e-2 0"}
	if got := marks(); !slices.Equal(got, want) {
		t.Errorf("marks %q, want %q", got, want)
	}
	enisOf := func(seqs ...int64) (ids []string, ok bool, plan []string) {
		t.Helper()
		if err := db.View(ctx, "a", func(stx store.Tx) error {
			tx := stx.(*tx)
			q := store.Query{Kind: "eni", Region: "r", Filters: []store.Filter{store.WhereOwned("instance", []string{"i-1", "i-2"}, seqs)}, Limit: 100}
			page, okay, err := tx.ownedPage(ctx, q)
			if err != nil {
				return err
			}
			ok = okay
			for _, r := range page.Records {
				ids = append(ids, r.ID)
			}
			query, args, _ := tx.ownedSQL(q)
			rows, err := tx.query(ctx, `EXPLAIN QUERY PLAN `+query, args...)
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				var id, parent, unused int
				var detail string
				if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
					return err
				}
				plan = append(plan, detail)
			}
			return rows.Err()
		}); err != nil {
			t.Fatal(err)
		}
		return ids, ok, plan
	}
	var seqs []int64
	for _, id := range []string{"i-1", "i-2"} {
		var s int64
		if err := db.read.QueryRowContext(ctx, `SELECT seq FROM records WHERE kind = 'instance' AND id = ?`, id).Scan(&s); err != nil {
			t.Fatal(err)
		}
		seqs = append(seqs, s)
	}
	ids, ok, plan := enisOf(seqs...)
	if !ok || !slices.Equal(ids, []string{"e-1", "e-2", "e-3"}) {
		t.Errorf("ownedPage: %q (%v), want e-1 e-2 e-3", ids, ok)
	}
	for _, p := range plan {
		// A scan of a table or index grows with what is stored.
		if strings.HasPrefix(p, "SCAN ") && p != "SCAN o" && !strings.Contains(p, "CONSTANT ROW") {
			t.Errorf("ownedPage's plan: %s (%q)", p, plan)
		}
	}
	if _, ok, _ := enisOf(seqs[0], seqs[1]+1); ok {
		t.Errorf("ownedPage took a wrong seq")
	}

	// A file written before the marks: migrate10 writes them.
	for _, q := range []string{
		`UPDATE attrs SET name = 'gone' WHERE name = '~instance'`,
		`DELETE FROM attrs WHERE name = 'gone'`,
		`DELETE FROM counts WHERE name = '~instance'`,
		`DELETE FROM migrations WHERE name = 'migrations/0010_owned_marks.sql'`,
	} {
		if _, err := db.write.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	for _, id := range []string{"e-2", "e-3"} {
		var data []byte
		if err := db.write.QueryRowContext(ctx, `SELECT data FROM records WHERE id = ?`, id).Scan(&data); err != nil {
			t.Fatal(err)
		}
		doc, pairs, err := unpack(data, true)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.write.ExecContext(ctx, `UPDATE records SET data = ? WHERE id = ?`, pack(doc, unmarked(pairs)), id); err != nil {
			t.Fatal(err)
		}
	}
	if got := marks(); len(got) != 0 {
		t.Fatalf("marks left: %q", got)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db = mustOpen(t, path)
	if got := marks(); !slices.Equal(got, want) {
		t.Errorf("marks after migrate10 %q, want %q", got, want)
	}
	// Deleting a marked ENI drops its mark.
	if err := db.Update(ctx, "a", func(tx store.Tx) error {
		_, err := tx.Delete(ctx, "eni", "e-3")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if got := marks(); !slices.Equal(got, want[1:]) {
		t.Errorf("marks after a delete %q, want %q", got, want[1:])
	}
}

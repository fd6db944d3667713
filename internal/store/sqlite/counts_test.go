package sqlite

import (
	"context"
	"path/filepath"
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

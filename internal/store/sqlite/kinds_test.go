package sqlite

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/ecslocal/ecslocal/internal/store"
)

// TestKindsHeld: a query of every region answers what the transaction can
// see, once the kinds the account holds were read in it: a kind the
// transaction adds is found by its next query, and a kind another *DB adds
// is found by the next transaction.
func TestKindsHeld(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "s.db")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	other, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	rec := func(kind, id, instance string) store.Record {
		return store.Record{Kind: kind, ID: id, Region: "r1", Data: []byte(`{}`), Attrs: []store.Attr{{Name: "instance", Value: instance}}}
	}
	find := func(tx store.Tx, kind string) int {
		t.Helper()
		p, err := tx.Query(ctx, store.Query{Kind: kind, Limit: 100, Count: true, Filters: []store.Filter{store.Where("instance", "i-1")}})
		if err != nil {
			t.Fatal(err)
		}
		if p.Total != len(p.Records) {
			t.Fatalf("%s: total %d, %d records", kind, p.Total, len(p.Records))
		}
		return len(p.Records)
	}
	err = db.Update(ctx, "acct", func(tx store.Tx) error {
		if _, _, err := tx.Put(ctx, rec("eni", "eni-1", "i-1")); err != nil {
			return err
		}
		if n := find(tx, "eni"); n != 1 {
			t.Errorf("eni: %d, want 1", n)
		}
		if n := find(tx, "routeentry"); n != 0 {
			t.Errorf("routeentry before its Put: %d, want 0", n)
		}
		if _, _, err := tx.Put(ctx, rec("routeentry", "rte-1", "i-1")); err != nil {
			return err
		}
		if n := find(tx, "routeentry"); n != 1 {
			t.Errorf("routeentry after its Put in the same transaction: %d, want 1", n)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	read := func(db *DB, kind string) (n int) {
		t.Helper()
		if err := db.Update(ctx, "acct", func(tx store.Tx) error { n = find(tx, kind); return nil }); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := read(db, "slb"); n != 0 {
		t.Fatalf("slb: %d, want 0", n)
	}
	if err := other.Update(ctx, "acct", func(tx store.Tx) error { _, _, err := tx.Put(ctx, rec("slb", "lb-1", "i-1")); return err }); err != nil {
		t.Fatal(err)
	}
	if n := read(db, "slb"); n != 1 {
		t.Fatalf("slb another *DB added: %d, want 1", n)
	}
}

package sqlite

import (
	"context"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/ecslocal/ecslocal/internal/store"
	"github.com/ecslocal/ecslocal/internal/store/storetest"
)

// TestKindsHeld: the kinds an account holds are read per transaction, so a
// kind another *DB on the same file added is found by the next one (the
// conformance suite's KindsOfEveryRegion covers one *DB).
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
	read := func() (n int) {
		t.Helper()
		if err := db.Update(ctx, "acct", func(tx store.Tx) error { n = storetest.FindEveryRegion(t, tx, "slb", "i-1"); return nil }); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := read(); n != 0 {
		t.Fatalf("slb: %d, want 0", n)
	}
	lb := store.Record{Kind: "slb", ID: "lb-1", Region: "r1", Data: []byte(`{}`), Attrs: []store.Attr{{Name: "owner", Value: "i-1"}}}
	if err := other.Update(ctx, "acct", func(tx store.Tx) error { _, _, err := tx.Put(ctx, lb); return err }); err != nil {
		t.Fatal(err)
	}
	if n := read(); n != 1 {
		t.Fatalf("slb another *DB added: %d, want 1", n)
	}
}

// TestKindsKeptByTheWriter: the writer reads an account's kinds once for
// its groups, and again after a Reset.
func TestKindsKeptByTheWriter(t *testing.T) {
	ctx := context.Background()
	db := mustOpen(t, filepath.Join(t.TempDir(), "k.db"))
	var reads atomic.Int64
	db.OnStatement(func(q string) {
		if q == kindsSQL {
			reads.Add(1)
		}
	})
	lb := store.Record{Kind: "slb", ID: "lb-1", Region: "r1", Data: []byte(`{}`), Attrs: []store.Attr{{Name: "owner", Value: "i-1"}}}
	find := func(want int) {
		t.Helper()
		if err := db.Update(ctx, "acct", func(tx store.Tx) error {
			if n := storetest.FindEveryRegion(t, tx, "slb", "i-1"); n != want {
				t.Errorf("slb: %d, want %d", n, want)
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	find(0)
	if err := db.Update(ctx, "acct", func(tx store.Tx) error { _, _, err := tx.Put(ctx, lb); return err }); err != nil {
		t.Fatal(err)
	}
	find(1)
	find(1)
	if n := reads.Load(); n != 1 {
		t.Errorf("the kinds read %d times in four groups, want once", n)
	}
	if err := db.Reset(ctx); err != nil {
		t.Fatal(err)
	}
	find(0)
	if n := reads.Load(); n != 2 {
		t.Errorf("the kinds read %d times, want twice: again after the Reset", n)
	}
}

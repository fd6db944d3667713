package sqlite

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/ecslocal/ecslocal/internal/store"
)

// TestWriterKeepsMeta: the writer reads a meta row once over many groups,
// and yet each caller sees the row as committed: after this process's
// Meta and Import, another process's write, a caller's successful write,
// and never a failed caller's.
func TestWriterKeepsMeta(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "m.db")
	db := mustOpen(t, path)
	var log statementLog
	log.listen(db)
	setMeta := func(db *DB, v string) {
		t.Helper()
		if err := db.Meta(ctx, func(m store.MetaTx) error { return m.PutMeta(ctx, "k", []byte(v)) }); err != nil {
			t.Fatal(err)
		}
	}
	read := func(want string) {
		t.Helper()
		err := db.Update(ctx, "a", func(tx store.Tx) error {
			v, err := tx.GetMeta(ctx, "k")
			if want == "" {
				if !errors.Is(err, store.ErrNotFound) {
					t.Errorf("GetMeta: %q, %v; want not found", v, err)
				}
				return nil
			}
			if err != nil || string(v) != want {
				t.Errorf("GetMeta: %q, %v; want %q", v, err, want)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	const sel = "SELECT value FROM meta"
	read("")
	read("")
	if n := len(log.take(sel)); n != 1 {
		t.Errorf("two groups read the row %d times, want once", n)
	}
	setMeta(db, "1")
	read("1")
	read("1")
	if n := len(log.take(sel)); n != 1 {
		t.Errorf("after Meta: %d reads, want 1", n)
	}
	// A caller's write is seen by the next once it succeeded, not if it failed.
	boom := errors.New("boom")
	for _, fail := range []bool{true, false} {
		err := db.Update(ctx, "a", func(tx store.Tx) error {
			if err := tx.PutMeta(ctx, "k", []byte("2")); err != nil {
				return err
			}
			if v, err := tx.GetMeta(ctx, "k"); err != nil || string(v) != "2" {
				t.Errorf("own write: %q, %v", v, err)
			}
			if fail {
				return boom
			}
			return nil
		})
		if fail != errors.Is(err, boom) {
			t.Fatal(err)
		}
		if fail {
			read("1")
		} else {
			read("2")
		}
	}
	// Another process's write (a second connection to the file).
	other := mustOpen(t, path)
	setMeta(other, "3")
	read("3")
	// Import.
	if err := db.Import(ctx, store.Snapshot{Meta: map[string][]byte{"k": []byte("4")}}); err != nil {
		t.Fatal(err)
	}
	read("4")
}

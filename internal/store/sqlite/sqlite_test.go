package sqlite

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ecslocal/ecslocal/internal/store"
	"github.com/ecslocal/ecslocal/internal/store/storetest"
)

// mustOpen opens a file database in dir and closes it when the test ends.
func mustOpen(tb testing.TB, path string) *DB {
	tb.Helper()
	db, err := Open(context.Background(), path)
	if err != nil {
		tb.Fatalf("Open(%s): %v", path, err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

func TestConformance(t *testing.T) {
	t.Run("File", func(t *testing.T) {
		storetest.Run(t, func(tb testing.TB) store.Store {
			tb.Helper()
			return mustOpen(tb, filepath.Join(tb.TempDir(), "x.db"))
		})
	})
	t.Run("Memory", func(t *testing.T) {
		storetest.Run(t, func(tb testing.TB) store.Store {
			tb.Helper()
			db, err := OpenMemory(context.Background())
			if err != nil {
				tb.Fatalf("OpenMemory: %v", err)
			}
			tb.Cleanup(func() { db.Close() })
			return db
		})
	})
}

// TestMemoryDatabasesAreApart: two in-memory stores never share data.
func TestMemoryDatabasesAreApart(t *testing.T) {
	ctx := context.Background()
	a, err := OpenMemory(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := OpenMemory(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if err := a.Update(ctx, "1", func(tx store.Tx) error {
		return store.PutRaw(ctx, tx, store.Record{Kind: "k", ID: "x", Region: "r", Data: []byte(`{}`)})
	}); err != nil {
		t.Fatal(err)
	}
	err = b.View(ctx, "1", func(tx store.Tx) error { _, err := tx.Get(ctx, "k", "x"); return err })
	if !errors.Is(err, store.ErrNotFound) {
		t.Errorf("second memory store sees the first's record: %v", err)
	}
}

// TestDurability: what one DB committed, a DB reopened on the same file
// reads; migrations are recorded once and not applied again.
func TestDurability(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "x.db")
	due := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)

	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(ctx, "acct", func(tx store.Tx) error {
		if err := store.PutRaw(ctx, tx, store.Record{Kind: "instance", ID: "i-1", Region: "cn-hangzhou", Due: due,
			Attrs: []store.Attr{{Name: "status", Value: "Running"}}, Data: []byte(`{"id":"i-1"}`)}); err != nil {
			return err
		}
		if err := tx.PutClientToken(ctx, store.ClientToken{Action: "RunInstances", Token: "t", Hash: "h", Response: []byte(`{"ok":true}`), Created: due}); err != nil {
			return err
		}
		return tx.PutMeta(ctx, "clock", []byte(`{"frozen":true}`))
	})
	if err != nil {
		t.Fatal(err)
	}
	var firstSeq int64
	db.View(ctx, "acct", func(tx store.Tx) error {
		r, err := tx.Get(ctx, "instance", "i-1")
		firstSeq = r.Seq
		return err
	})
	migrationsBefore := appliedMigrations(t, db)
	if err := db.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}

	db = mustOpen(t, path)
	err = db.View(ctx, "acct", func(tx store.Tx) error {
		r, err := tx.Get(ctx, "instance", "i-1")
		if err != nil {
			return err
		}
		if string(r.Data) != `{"id":"i-1"}` || r.Region != "cn-hangzhou" || !r.Due.Equal(due) || r.Seq != firstSeq {
			t.Errorf("record after reopen: %+v", r)
		}
		page, err := tx.Query(ctx, store.Query{Kind: "instance", Filters: []store.Filter{{Name: "status", Values: []string{"Running"}}}, Limit: 10})
		if err != nil {
			return err
		}
		if len(page.Records) != 1 {
			t.Errorf("attribute index after reopen: %d records, want 1", len(page.Records))
		}
		ct, err := tx.ClientToken(ctx, "RunInstances", "t")
		if err != nil || ct.Hash != "h" || string(ct.Response) != `{"ok":true}` {
			t.Errorf("client token after reopen: %+v, %v", ct, err)
		}
		v, err := tx.GetMeta(ctx, "clock")
		if err != nil || string(v) != `{"frozen":true}` {
			t.Errorf("meta after reopen: %s, %v", v, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if accts, err := db.DueAccounts(ctx, due); err != nil || len(accts) != 1 || accts[0] != "acct" {
		t.Errorf("DueAccounts after reopen: %q, %v", accts, err)
	}

	// Creation order continues past what the first DB handed out.
	err = db.Update(ctx, "acct", func(tx store.Tx) error {
		if err := store.PutRaw(ctx, tx, store.Record{Kind: "instance", ID: "i-2", Region: "cn-hangzhou", Data: []byte(`{}`)}); err != nil {
			return err
		}
		r, err := tx.Get(ctx, "instance", "i-2")
		if err == nil && r.Seq <= firstSeq {
			t.Errorf("Seq after reopen %d, want more than %d", r.Seq, firstSeq)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}

	migrationsAfter := appliedMigrations(t, db)
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		t.Fatal(err)
	}
	if len(migrationsBefore) != len(names) {
		t.Errorf("%d migrations recorded, want one per embedded file (%d)", len(migrationsBefore), len(names))
	}
	for _, name := range names {
		before, ok := migrationsBefore[name]
		if !ok {
			t.Errorf("migration %s not recorded", name)
			continue
		}
		if after := migrationsAfter[name]; after != before {
			t.Errorf("migration %s applied again on reopen: %q then %q", name, before, after)
		}
	}
	if len(migrationsAfter) != len(migrationsBefore) {
		t.Errorf("reopen recorded %d migrations, first open %d", len(migrationsAfter), len(migrationsBefore))
	}
}

// appliedMigrations reads the migrations table: name → when applied.
func appliedMigrations(tb testing.TB, db *DB) map[string]string {
	tb.Helper()
	rows, err := db.write.Query(`SELECT name, applied FROM migrations`)
	if err != nil {
		tb.Fatalf("read migrations: %v", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var name, applied string
		if err := rows.Scan(&name, &applied); err != nil {
			tb.Fatal(err)
		}
		out[name] = applied
	}
	if err := rows.Err(); err != nil {
		tb.Fatal(err)
	}
	return out
}

// TestCloseCheckpoints: after Close a copy of the database file alone,
// without its -wal, holds everything committed.
func TestCloseCheckpoints(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "x.db")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(ctx, "acct", func(tx store.Tx) error {
		return store.PutRaw(ctx, tx, store.Record{Kind: "instance", ID: "i-1", Region: "cn-hangzhou", Data: []byte(`{"id":"i-1"}`)})
	})
	if err != nil {
		t.Fatal(err)
	}
	// Readers open too, as in a serving process.
	for range 4 {
		db.View(ctx, "acct", func(tx store.Tx) error { _, err := tx.Get(ctx, "instance", "i-1"); return err })
	}
	if err := db.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	copyPath := filepath.Join(t.TempDir(), "copy.db")
	if err := os.WriteFile(copyPath, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	err = mustOpen(t, copyPath).View(ctx, "acct", func(tx store.Tx) error {
		_, err := tx.Get(ctx, "instance", "i-1")
		return err
	})
	if err != nil {
		t.Errorf("the file alone after Close: %v", err)
	}
}

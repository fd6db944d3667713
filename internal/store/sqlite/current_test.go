package sqlite

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/ecslocal/ecslocal/internal/store"
)

// TestCurrentMeta: the meta values are answered from memory while the file
// is unchanged, and a commit by this process or by another one is seen by
// the next read.
func TestCurrentMeta(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "m.db")
	db := mustOpen(t, path)
	put := func(v string) {
		t.Helper()
		if err := db.Meta(ctx, func(m store.MetaTx) error { return m.PutMeta(ctx, store.MetaFaults, []byte(v)) }); err != nil {
			t.Fatal(err)
		}
	}
	get := func(want string) {
		t.Helper()
		got, err := db.CurrentMeta(ctx, store.MetaFaults)
		if err != nil || string(got) != want {
			t.Fatalf("CurrentMeta: %q, %v; want %q", got, err, want)
		}
	}
	if _, err := db.CurrentMeta(ctx, store.MetaFaults); err != store.ErrNotFound {
		t.Fatalf("unset: %v, want ErrNotFound", err)
	}
	put(`[]`)
	g1, ok := db.wal.generation()
	if !ok {
		t.Fatal("no generation of a WAL file")
	}
	get(`[]`)
	if s := db.current.last.Load(); s == nil || s.gen != g1 {
		t.Fatal("the values read were not kept at the file's generation")
	}
	if g, _ := db.wal.generation(); g != g1 {
		t.Fatal("the generation moved with no commit")
	}
	get(`[]`) // from memory
	put(`[{"action":"A"}]`)
	if g, ok := db.wal.generation(); !ok || g == g1 {
		t.Fatalf("the generation did not move with a commit (ok %v)", ok)
	}
	get(`[{"action":"A"}]`)

	// Another process commits: the next read sees it.
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperWriteMeta$")
	cmd.Env = append(os.Environ(), "ECSLOCAL_SQLITE_WRITE_META="+path)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("other process: %v\n%s", err, out)
	}
	get(`[{"action":"B"}]`)
	// A commit of no meta key moves the generation too.
	if err := db.Update(ctx, "acct", func(tx store.Tx) error {
		return store.PutRaw(ctx, tx, store.Record{Kind: "widget", ID: "w-1", Data: []byte(`{}`)})
	}); err != nil {
		t.Fatal(err)
	}
	get(`[{"action":"B"}]`)
}

// TestHelperWriteMeta is TestCurrentMeta's other process.
func TestHelperWriteMeta(t *testing.T) {
	path := os.Getenv("ECSLOCAL_SQLITE_WRITE_META")
	if path == "" {
		t.Skip("run by TestCurrentMeta")
	}
	ctx := context.Background()
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Meta(ctx, func(m store.MetaTx) error { return m.PutMeta(ctx, store.MetaFaults, []byte(`[{"action":"B"}]`)) }); err != nil {
		t.Fatal(err)
	}
}

// TestWALIndexMapped: on a unix system the header is read from a mapping
// of the -shm file, and the mapping sees every commit as the file does.
func TestWALIndexMapped(t *testing.T) {
	ctx := context.Background()
	db := mustOpen(t, filepath.Join(t.TempDir(), "w.db"))
	if db.wal == nil || (db.wal.hdr == nil && runtime.GOOS != "windows") {
		t.Fatal("the WAL-index header is not mapped")
	}
	file := walIndex{f: db.wal.f} // the same header, read from the file
	for i := range 3 {
		if err := db.Meta(ctx, func(m store.MetaTx) error { return m.PutMeta(ctx, store.MetaFaults, []byte(`[]`)) }); err != nil {
			t.Fatal(err)
		}
		mapped, ok1 := db.wal.generation()
		read, ok2 := file.generation()
		if !ok1 || !ok2 || mapped != read {
			t.Fatalf("commit %d: mapped header %x (%v), file's %x (%v)", i, mapped[:16], ok1, read[:16], ok2)
		}
	}
}

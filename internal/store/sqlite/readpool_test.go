package sqlite

import (
	"context"
	"path/filepath"
	"sync"
	"testing"

	"github.com/ecslocal/ecslocal/internal/store"
)

// TestReadPool: every read connection maps the file and keeps its page
// cache, and concurrent reads reuse the pool's connections rather than
// closing and reopening them.
func TestReadPool(t *testing.T) {
	ctx := context.Background()
	db := mustOpen(t, filepath.Join(t.TempDir(), "x.db"))
	// Rounds of readConns transactions open at once: every connection of
	// the pool in use, then all released together.
	for range 3 {
		var started, wg sync.WaitGroup
		started.Add(readConns)
		for range readConns {
			wg.Go(func() {
				if err := db.View(ctx, "acct", func(tx store.Tx) error {
					_, err := tx.Query(ctx, store.Query{Kind: "widget", Limit: 10, Count: true})
					started.Done()
					started.Wait()
					return err
				}); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
	}
	if st := db.read.Stats(); st.MaxIdleClosed != 0 {
		t.Errorf("read pool closed %d connections on release, want 0 (%+v)", st.MaxIdleClosed, st)
	}
	db.memos.retire(db.memos.last.Load()) // its pin holds a connection
	for range readConns {
		conn, err := db.read.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var mmap, cache int64
		if err := conn.QueryRowContext(ctx, `PRAGMA mmap_size`).Scan(&mmap); err != nil || mmap != readMmapBytes {
			t.Errorf("mmap_size %d (%v), want %d", mmap, err, readMmapBytes)
		}
		if err := conn.QueryRowContext(ctx, `PRAGMA cache_size`).Scan(&cache); err != nil || cache != -readCacheKiB {
			t.Errorf("cache_size %d (%v), want -%d", cache, err, readCacheKiB)
		}
		defer conn.Close()
	}
}

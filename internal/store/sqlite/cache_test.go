package sqlite

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"

	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/store"
)

// TestDecodedCache: a version read again gets the kept Decoded, a changed
// document a new one, the cache stays within its bytes (least recently used
// out first), and concurrent readers share one kept value.
func TestDecodedCache(t *testing.T) {
	c := newDecodedCache(64 << 10)
	a := c.decoded("acct", "instance", "i-1", []byte(`{"a":1}`))
	if a == nil {
		t.Fatal("no Decoded for a small document")
	}
	a.Load() // empty until a typed read fills it
	if b := c.decoded("acct", "instance", "i-1", []byte(`{"a":1}`)); b != a {
		t.Error("the same bytes got another Decoded")
	}
	if b := c.decoded("acct", "instance", "i-1", []byte(`{"a":2}`)); b == a {
		t.Error("changed bytes got the kept Decoded")
	}
	if b := c.decoded("other", "instance", "i-1", []byte(`{"a":2}`)); b == a {
		t.Error("another account got the kept Decoded")
	}
	if c.decoded("acct", "instance", "big", make([]byte, 64<<10)) != nil {
		t.Error("a document beyond a sixteenth of the cache was kept")
	}

	// Eviction by bytes: fill far beyond the bound, the first is gone.
	doc := make([]byte, 1000)
	first := c.decoded("acct", "instance", "i-0", doc)
	for i := range 200 {
		c.decoded("acct", "instance", fmt.Sprint("i-x", i), doc)
	}
	if got := c.bytes(); got > c.max {
		t.Errorf("cache holds %d bytes, bound %d", got, c.max)
	}
	if c.len() == 0 || c.len() >= 200 {
		t.Errorf("cache holds %d entries", c.len())
	}
	if c.decoded("acct", "instance", "i-0", doc) == first {
		t.Error("the least recently used entry was not evicted")
	}
	// A hit moves an entry to the front: it outlives those added after it.
	keep := c.decoded("acct", "instance", "keep", doc)
	for i := range 200 {
		c.decoded("acct", "instance", "keep", doc)
		c.decoded("acct", "instance", fmt.Sprint("i-y", i), doc)
	}
	if c.decoded("acct", "instance", "keep", doc) != keep {
		t.Error("a record read all along was evicted")
	}

	// Concurrent readers of the same versions share one Decoded each.
	var wg sync.WaitGroup
	got := make([][]*store.Decoded, 8)
	for g := range got {
		wg.Go(func() {
			for i := range 100 {
				got[g] = append(got[g], c.decoded("acct", "instance", fmt.Sprint("c-", i%10), []byte(fmt.Sprint(i%10))))
			}
		})
	}
	wg.Wait()
	for g := range got {
		for i := range got[g] {
			if got[g][i] != got[0][i%10] {
				t.Fatalf("reader %d read %d: another Decoded", g, i)
			}
		}
	}
}

// TestSharedValues: through the store, a record read twice unchanged is
// decoded once (FindShared hands out the same value), a write makes the next
// read decode anew, Find hands out copies, and CheckValues finds a shared
// value changed in place.
func TestSharedValues(t *testing.T) {
	ctx := context.Background()
	db := mustOpen(t, filepath.Join(t.TempDir(), "x.db"))
	inst := cloud.Instance{ID: "i-1", Region: "r", Status: cloud.StatusRunning, SecurityGroups: []string{"sg-1"}}
	put := func() {
		t.Helper()
		if err := db.Update(ctx, "acct", func(tx store.Tx) error { return store.Put(ctx, tx, inst) }); err != nil {
			t.Fatal(err)
		}
	}
	put()
	read := func(find func(context.Context, store.Tx, store.Query) ([]cloud.Instance, store.Page, error)) cloud.Instance {
		t.Helper()
		var got []cloud.Instance
		err := db.View(ctx, "acct", func(tx store.Tx) (err error) {
			got, _, err = find(ctx, tx, store.Query{Limit: 10})
			return err
		})
		if err != nil || len(got) != 1 {
			t.Fatalf("read: %v, %d instances", err, len(got))
		}
		return got[0]
	}
	one, two := read(store.FindShared[cloud.Instance]), read(store.FindShared[cloud.Instance])
	if &one.SecurityGroups[0] != &two.SecurityGroups[0] {
		t.Error("an unchanged record was decoded twice")
	}
	inst.SecurityGroups = []string{"sg-2"}
	put()
	if got := read(store.FindShared[cloud.Instance]).SecurityGroups[0]; got != "sg-2" {
		t.Fatalf("after a write: %q, want sg-2", got)
	}
	read(store.Find[cloud.Instance]).SecurityGroups[0] = "sg-changed"
	if err := db.CheckValues(); err != nil {
		t.Fatalf("after changing a copy: %v", err)
	}
	if got := read(store.Find[cloud.Instance]).SecurityGroups[0]; got != "sg-2" {
		t.Fatalf("a change to a copy reached the cache: %q", got)
	}
	read(store.FindShared[cloud.Instance]).SecurityGroups[0] = "sg-changed"
	if err := db.CheckValues(); err == nil {
		t.Fatal("CheckValues found no change after a shared value was changed")
	}
}

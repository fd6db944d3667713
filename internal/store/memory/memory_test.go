package memory_test

import (
	"context"
	"testing"

	"github.com/ecslocal/ecslocal/internal/cloud"

	"github.com/ecslocal/ecslocal/internal/store"
	"github.com/ecslocal/ecslocal/internal/store/memory"
	"github.com/ecslocal/ecslocal/internal/store/storetest"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, func(tb testing.TB) store.Store { return memory.Open() })
}

// TestSharedValues: Find hands out deep copies, FindShared the stored
// values themselves, and CheckValues finds one changed in place.
func TestSharedValues(t *testing.T) {
	ctx := context.Background()
	db := memory.Open()
	inst := cloud.Instance{ID: "i-1", Region: "r", Status: cloud.StatusRunning, SecurityGroups: []string{"sg-1"}}
	if err := db.Update(ctx, "acct", func(tx store.Tx) error { return store.Put(ctx, tx, inst) }); err != nil {
		t.Fatal(err)
	}
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
	read(store.Find[cloud.Instance]).SecurityGroups[0] = "sg-changed"
	if err := db.CheckValues(); err != nil {
		t.Fatalf("after changing a copy: %v", err)
	}
	if got := read(store.Find[cloud.Instance]).SecurityGroups[0]; got != "sg-1" {
		t.Fatalf("a change to a copy reached the store: %q", got)
	}
	read(store.FindShared[cloud.Instance]).SecurityGroups[0] = "sg-changed"
	if err := db.CheckValues(); err == nil {
		t.Fatal("CheckValues found no change after a shared value was changed")
	}
}

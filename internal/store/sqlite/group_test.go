package sqlite

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"sync"
	"testing"

	"github.com/ecslocal/ecslocal/internal/store"
)

// TestGroupCommitIsolatesCallers: concurrent Updates share commits, yet
// each caller's failure or panic undoes only its own writes, and every
// caller that was answered nil finds its record after a reopen.
func TestGroupCommitIsolatesCallers(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "g.db")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	var commits sync.Map
	db.SetHooks(store.Hooks{AfterCommit: func(_ context.Context, _ string, changes []store.Change) {
		for _, c := range changes {
			commits.Store(c.ID, true)
		}
	}})
	const callers = 48
	boom := errors.New("boom")
	errs := make([]error, callers)
	seen := make([]int, callers) // the kept count each caller saw after its Put
	panics := make([]any, callers)
	var wg sync.WaitGroup
	for i := range callers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { panics[i] = recover() }()
			id := fmt.Sprintf("w-%02d", i)
			errs[i] = db.Update(ctx, "acct", func(tx store.Tx) error {
				r := store.Record{Kind: "widget", ID: id, Region: "r", Attrs: []store.Attr{{Name: "status", Value: "Running"}}, Data: []byte(`{}`)}
				if _, _, err := tx.Put(ctx, r); err != nil {
					return err
				}
				tx.Journal().Record(nil, &r)
				page, err := tx.Query(ctx, store.Query{Kind: "widget", Region: "r", Filters: []store.Filter{{Name: "status", Values: []string{"Running"}}}, Count: true})
				if err != nil {
					return err
				}
				seen[i] = page.Total
				switch i % 3 {
				case 1:
					return boom
				case 2:
					if i%6 == 2 {
						panic("caller panics")
					}
				}
				return nil
			})
		}()
	}
	wg.Wait()
	db.Close()

	// Counts are written at each group's commit, yet every caller saw the
	// earlier callers' (committed or not) and its own, and none of a failed
	// caller's: the successful callers saw 1, 2, … in the order they ran.
	var saw []int
	for i := range callers {
		if i%3 != 1 && i%6 != 2 {
			saw = append(saw, seen[i])
		}
	}
	slices.Sort(saw)
	for j, n := range saw {
		if n != j+1 {
			t.Fatalf("the successful callers saw the counts %v, want 1…%d", saw, len(saw))
		}
	}

	db = mustOpen(t, path)
	err = db.View(ctx, "acct", func(tx store.Tx) error {
		for i := range callers {
			id := fmt.Sprintf("w-%02d", i)
			_, err := tx.Get(ctx, "widget", id)
			failed := i%3 == 1 || i%6 == 2
			switch {
			case failed && !errors.Is(err, store.ErrNotFound):
				t.Errorf("%s: its caller failed (err %v, panic %v), yet Get answers %v", id, errs[i], panics[i], err)
			case !failed && (err != nil || errs[i] != nil):
				t.Errorf("%s: Update answered %v, Get %v; want both nil", id, errs[i], err)
			}
			if _, ok := commits.Load(id); ok == failed {
				t.Errorf("%s: AfterCommit heard of it: %v, want %v", id, ok, !failed)
			}
			if i%3 == 1 && !errors.Is(errs[i], boom) {
				t.Errorf("%s: Update answered %v, want boom", id, errs[i])
			}
			if i%6 == 2 && panics[i] == nil {
				t.Errorf("%s: the caller's panic did not reach its goroutine", id)
			}
		}
		page, err := tx.Query(ctx, store.Query{Kind: "widget", Region: "r", Filters: []store.Filter{{Name: "status", Values: []string{"Running"}}}, Count: true})
		if err == nil && page.Total != callers-callers/3-callers/6 {
			t.Errorf("kept count %d, want %d", page.Total, callers-callers/3-callers/6)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

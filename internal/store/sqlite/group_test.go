package sqlite

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
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

// TestGroupSavepointsOnlyAfterAFailure: a group runs its callers without
// SAVEPOINTs; a caller's failure there rolls the group back and runs it
// again from its start, each caller in a SAVEPOINT, answering every caller
// the outcome of its last run (the others commit, the failing one leaves
// no trace); the next carefulGroups groups keep the savepoints, then they
// go again.
func TestGroupSavepointsOnlyAfterAFailure(t *testing.T) {
	ctx := context.Background()
	db := mustOpen(t, filepath.Join(t.TempDir(), "sp.db"))
	var commits sync.Map // id → how many AfterCommit heard of it
	db.SetHooks(store.Hooks{AfterCommit: func(_ context.Context, _ string, changes []store.Change) {
		for _, c := range changes {
			n, _ := commits.LoadOrStore(c.ID, new(int))
			*n.(*int)++
		}
	}})
	var log statementLog
	log.listen(db)
	put := func(tx store.Tx, id string) error {
		r := store.Record{Kind: "widget", ID: id, Region: "r", Attrs: []store.Attr{{Name: "status", Value: "Running"}}, Data: []byte(`{}`)}
		if _, _, err := tx.Put(ctx, r); err != nil {
			return err
		}
		tx.Journal().Record(nil, &r)
		return nil
	}
	count := func(prefix string, qs []string) int {
		n := 0
		for _, q := range qs {
			if strings.HasPrefix(q, prefix) {
				n++
			}
		}
		return n
	}

	// The writer is held by a first caller while four queue behind it:
	// they make the next group.
	hold, held := make(chan struct{}), make(chan struct{})
	first := make(chan error, 1)
	go func() {
		first <- db.Update(ctx, "acct", func(tx store.Tx) error {
			close(held)
			<-hold
			return put(tx, "w-0")
		})
	}()
	<-held
	boom := errors.New("boom")
	var runs [4]atomic.Int32
	errs := make([]error, 4)
	var wg sync.WaitGroup
	for i := range 4 {
		// Queued one after another, so that the group runs them in order.
		for len(db.queue) < i {
			runtime.Gosched()
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = db.Update(ctx, "acct", func(tx store.Tx) error {
				runs[i].Add(1)
				if i == 2 {
					put(tx, "w-bad")
					return boom
				}
				return put(tx, fmt.Sprintf("w-%d", i+1))
			})
		}()
	}
	for len(db.queue) < 4 {
		runtime.Gosched()
	}
	close(hold)
	wg.Wait()
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	qs := log.take("")
	if n := count("SAVEPOINT", qs); n != 4 {
		t.Errorf("%d SAVEPOINTs, want the rerun's 4: %q", n, qs)
	}
	if n := count("ROLLBACK", qs); n != 2 { // the group's, then the caller's
		t.Errorf("%d ROLLBACKs, want 2: %q", n, qs)
	}
	for i, want := range []int32{2, 2, 2, 1} {
		if got := runs[i].Load(); got != want {
			t.Errorf("caller %d ran %d times, want %d", i, got, want)
		}
	}
	for i, err := range errs {
		if want := error(nil); i == 2 {
			if !errors.Is(err, boom) {
				t.Errorf("caller %d: %v, want boom", i, err)
			}
		} else if err != want {
			t.Errorf("caller %d: %v", i, err)
		}
	}
	for _, id := range []string{"w-0", "w-1", "w-2", "w-4"} {
		if n, ok := commits.Load(id); !ok || *n.(*int) != 1 {
			t.Errorf("%s: AfterCommit heard of it %v times, want once", id, n)
		}
	}
	if _, ok := commits.Load("w-bad"); ok {
		t.Error("AfterCommit heard of the failing caller's write")
	}
	err := db.View(ctx, "acct", func(tx store.Tx) error {
		if _, err := tx.Get(ctx, "widget", "w-bad"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("the failing caller's write: %v", err)
		}
		page, err := tx.Query(ctx, store.Query{Kind: "widget", Region: "r", Filters: []store.Filter{{Name: "status", Values: []string{"Running"}}}, Count: true})
		if err == nil && page.Total != 4 {
			t.Errorf("kept count %d, want 4", page.Total)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}

	// The next carefulGroups groups take savepoints, the one after not.
	for i := range carefulGroups + 1 {
		if err := db.Update(ctx, "acct", func(tx store.Tx) error { return put(tx, fmt.Sprintf("v-%d", i)) }); err != nil {
			t.Fatal(err)
		}
		want := 1
		if i == carefulGroups {
			want = 0
		}
		if n := count("SAVEPOINT", log.take("")); n != want {
			t.Errorf("group %d after the failure: %d SAVEPOINTs, want %d", i+1, n, want)
		}
	}
}

// TestGroupFirstCallerFails: a failing caller that runs first in its group
// (the usual case: calls one at a time) undid no one else's work when the
// transaction rolled back, so it runs once, its answer stands, and the
// groups after it run without savepoints.
func TestGroupFirstCallerFails(t *testing.T) {
	ctx := context.Background()
	db := mustOpen(t, filepath.Join(t.TempDir(), "first.db"))
	var log statementLog
	log.listen(db)
	boom := errors.New("boom")
	runs := 0
	err := db.Update(ctx, "acct", func(tx store.Tx) error {
		runs++
		r := store.Record{Kind: "widget", ID: "w-bad", Region: "r", Data: []byte(`{}`)}
		if _, _, err := tx.Put(ctx, r); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) || runs != 1 {
		t.Fatalf("got %v after %d runs, want boom after 1", err, runs)
	}
	if err := db.Update(ctx, "acct", func(tx store.Tx) error {
		_, _, err := tx.Put(ctx, store.Record{Kind: "widget", ID: "w-1", Region: "r", Data: []byte(`{}`)})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	for _, q := range log.take("") {
		if strings.HasPrefix(q, "SAVEPOINT") {
			t.Errorf("a SAVEPOINT after a lone caller's failure: %q", q)
		}
	}
	err = db.View(ctx, "acct", func(tx store.Tx) error {
		if _, err := tx.Get(ctx, "widget", "w-bad"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("the failing caller's write: %v", err)
		}
		_, err := tx.Get(ctx, "widget", "w-1")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

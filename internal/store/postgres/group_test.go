package postgres

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/ecslocal/ecslocal/internal/store"
)

// TestGroupMembers: Updates of one account queued while one runs share its
// transaction, each on what the ones before it wrote; a member that fails
// (its closure's error, a panic, a queued write PostgreSQL refuses, sent
// with the next member's first statement) is rolled back alone, and the
// member whose statement carried the failing write runs again; a member
// that sends nothing of its own sends the member before's writes when it
// ends, so that a failure of theirs is never taken for its own (C0).
func TestGroupMembers(t *testing.T) {
	dsn, _ := freshSchema(t)
	db := mustOpen(t, dsn)
	// Every member in A's group, however long a loaded machine takes to
	// queue them behind it.
	db.groupFor = time.Minute
	ctx := context.Background()
	rec := func(id string, attr string) store.Record {
		return store.Record{Kind: "widget", ID: id, Region: "r", Data: []byte(`{}`), Attrs: []store.Attr{{Name: "status", Value: attr}}}
	}
	errBoom := errors.New("boom")
	release := make(chan struct{})
	var wg sync.WaitGroup
	results := make([]error, 8)
	var panicked any
	var c0Runs, cRuns, cSawA int
	start := func(i int, fn func(store.Tx) error) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if p := recover(); p != nil {
					panicked = p
				}
			}()
			results[i] = db.Update(ctx, acct, fn)
		}()
	}
	// A holds the group until the others wait for it.
	started, once := make(chan struct{}), sync.Once{}
	start(0, func(tx store.Tx) error {
		if _, _, err := tx.Put(ctx, rec("a", "ok")); err != nil {
			return err
		}
		once.Do(func() { close(started) })
		<-release
		return nil
	})
	<-started
	members := []func(store.Tx) error{
		// B0: a read, then a queued write that fails when sent, before C0's
		// own queued write (C0 sends nothing of its own before it ends).
		func(tx store.Tx) error {
			if _, err := tx.Get(ctx, "widget", "a"); err != nil {
				return err
			}
			return tx.(store.Queuer).PutThen(ctx, rec("b0", "a\x00b"), func(store.Record, bool) {})
		},
		// C0: queued writes only; runs again once B0 is rolled back.
		func(tx store.Tx) error {
			c0Runs++
			return tx.(store.Queuer).PutThen(ctx, rec("c0", "ok"), func(store.Record, bool) {})
		},
		// B: a read (sending C0's writes), then a queued write that fails
		// when sent, with C's first statement.
		func(tx store.Tx) error {
			if _, err := tx.Query(ctx, store.Query{Kind: "widget", IDs: []string{"a", "zy"}, Limit: 10}); err != nil {
				return err
			}
			return tx.(store.Queuer).PutThen(ctx, rec("b", "a\x00b"), func(store.Record, bool) {})
		},
		// C: sees A's write; runs again once B is rolled back.
		func(tx store.Tx) error {
			cRuns++
			if _, err := tx.Get(ctx, "widget", "a"); err != nil {
				return err
			}
			cSawA++
			_, _, err := tx.Put(ctx, rec("c", "ok"))
			return err
		},
		// D: its closure fails after a write.
		func(tx store.Tx) error {
			if _, _, err := tx.Put(ctx, rec("d", "ok")); err != nil {
				return err
			}
			return errBoom
		},
		// E: panics after a queued write.
		func(tx store.Tx) error {
			if err := tx.(store.Queuer).PutThen(ctx, rec("e", "ok"), func(store.Record, bool) {}); err != nil {
				return err
			}
			panic("member E")
		},
		// F: the last one, its write with the COMMIT.
		func(tx store.Tx) error {
			return tx.(store.Queuer).PutThen(ctx, rec("f", "ok"), func(store.Record, bool) {})
		},
	}
	for i, fn := range members {
		start(i+1, fn)
		for !waiting(db, i+1) {
			runtime.Gosched()
		}
	}
	close(release)
	wg.Wait()
	if results[0] != nil || results[2] != nil || results[4] != nil || results[7] != nil {
		t.Errorf("A, C0, C, F: %v, %v, %v, %v; want nil", results[0], results[2], results[4], results[7])
	}
	for _, i := range []int{1, 3} {
		if results[i] == nil || errors.Is(results[i], store.ErrConflict) {
			t.Errorf("member %d, whose write PostgreSQL refuses: %v; want its failure", i, results[i])
		}
	}
	if !errors.Is(results[5], errBoom) {
		t.Errorf("D: %v; want its closure's error", results[5])
	}
	if c0Runs != 2 {
		t.Errorf("C0 ran %d times; want 2 (again after B0 rolled back)", c0Runs)
	}
	if panicked != "member E" {
		t.Errorf("E's panic in its caller: %v", panicked)
	}
	if cRuns != 2 || cSawA != 2 {
		t.Errorf("C ran %d times, saw A's write %d times; want 2 and 2 (its first write carried B's failing one)", cRuns, cSawA)
	}
	err := db.View(ctx, acct, func(tx store.Tx) error {
		for id, want := range map[string]bool{"a": true, "b0": false, "c0": true, "b": false, "c": true, "d": false, "e": false, "f": true} {
			_, err := tx.Get(ctx, "widget", id)
			if got := err == nil; got != want || err != nil && !errors.Is(err, store.ErrNotFound) {
				return fmt.Errorf("widget %s: %v, want present %v", id, err, want)
			}
		}
		page, err := tx.Query(ctx, store.Query{Kind: "widget", Region: "r", Filters: []store.Filter{store.Where("status", "ok")}, Count: true})
		if err != nil {
			return err
		}
		if page.Total != 4 {
			return fmt.Errorf("kept count of status ok: %d, want 4 (a, c0, c, f)", page.Total)
		}
		return nil
	})
	if err != nil {
		t.Error(err)
	}
}

// TestGroupCancelledMember: a member whose caller gave up before its turn
// is answered its context's error and writes nothing.
func TestGroupCancelledMember(t *testing.T) {
	dsn, _ := freshSchema(t)
	db := mustOpen(t, dsn)
	ctx := context.Background()
	release := make(chan struct{})
	first := make(chan error, 1)
	started, once := make(chan struct{}), sync.Once{}
	go func() {
		first <- db.Update(ctx, acct, func(tx store.Tx) error {
			once.Do(func() { close(started) })
			<-release
			_, _, err := tx.Put(ctx, store.Record{Kind: "widget", ID: "one", Region: "r", Data: []byte(`{}`)})
			return err
		})
	}()
	<-started
	cctx, cancel := context.WithCancel(ctx)
	second := make(chan error, 1)
	ran := false
	go func() {
		second <- db.Update(cctx, acct, func(tx store.Tx) error { ran = true; return nil })
	}()
	for {
		db.groupsMu.Lock()
		n := len(db.groups[acct].waiting)
		db.groupsMu.Unlock()
		if n == 1 {
			break
		}
		runtime.Gosched()
	}
	cancel()
	close(release)
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	if err := <-second; !errors.Is(err, context.Canceled) || ran {
		t.Errorf("cancelled member: %v, ran %v; want context.Canceled, not run", err, ran)
	}
}

// TestGroupMemberReadsMetaAfterItsCall: an Update that comes while a group
// of its account runs waits for the next group, whose BEGIN reads the
// clock after the Update was called: it never runs at a time older than a
// clock change committed before its call.
func TestGroupMemberReadsMetaAfterItsCall(t *testing.T) {
	dsn, _ := freshSchema(t)
	db := mustOpen(t, dsn)
	ctx := context.Background()
	db.SetHooks(store.Hooks{Now: func(ctx context.Context, m store.MetaTx) (time.Time, error) {
		v, err := m.GetMeta(ctx, store.MetaClock)
		if errors.Is(err, store.ErrNotFound) {
			return time.Unix(0, 0).UTC(), nil
		}
		if err != nil {
			return time.Time{}, err
		}
		n, err := strconv.ParseInt(string(v), 10, 64)
		return time.Unix(n, 0).UTC(), err
	}})
	setClock := func(n int) {
		t.Helper()
		if err := db.Meta(ctx, func(m store.MetaTx) error { return m.PutMeta(ctx, store.MetaClock, []byte(strconv.Itoa(n))) }); err != nil {
			t.Fatal(err)
		}
	}
	setClock(1)
	release := make(chan struct{})
	first := make(chan error, 1)
	started, once := make(chan struct{}), sync.Once{}
	go func() {
		first <- db.Update(ctx, acct, func(tx store.Tx) error {
			once.Do(func() { close(started) })
			<-release
			if got := tx.Now().Unix(); got != 1 {
				return fmt.Errorf("first Update at %d, want 1", got)
			}
			return nil
		})
	}()
	<-started
	setClock(2) // committed while the group runs, before the next call
	second := make(chan error, 1)
	go func() {
		second <- db.Update(ctx, acct, func(tx store.Tx) error {
			if got := tx.Now().Unix(); got != 2 {
				return fmt.Errorf("Update called after the clock moved to 2 ran at %d", got)
			}
			return nil
		})
	}()
	for {
		db.groupsMu.Lock()
		n := len(db.groups[acct].waiting)
		db.groupsMu.Unlock()
		if n == 1 {
			break
		}
		runtime.Gosched()
	}
	close(release)
	if err := <-first; err != nil {
		t.Error(err)
	}
	if err := <-second; err != nil {
		t.Error(err)
	}
}

// TestStagedCounts: an Update's writes stage their count changes and the
// group applies them once, before its COMMIT; a kept count read inside the
// transaction sees the transaction's own changes; a member that rolls back
// after such a read takes only its own changes with it; with the staging
// off (a role without temporary tables) the counts are the same.
func TestStagedCounts(t *testing.T) {
	for _, staging := range []bool{true, false} {
		t.Run(fmt.Sprintf("staging=%v", staging), func(t *testing.T) {
			dsn, _ := freshSchema(t)
			db := mustOpen(t, dsn)
			db.noTemp.Store(!staging)
			ctx := context.Background()
			rec := func(id, status string) store.Record {
				return store.Record{Kind: "widget", ID: id, Region: "r", Data: []byte(`{}`), Attrs: []store.Attr{{Name: "status", Value: status}}}
			}
			count := func(tx store.Tx, status string) int {
				t.Helper()
				page, err := tx.Query(ctx, store.Query{Kind: "widget", Region: "r", Filters: []store.Filter{store.Where("status", status)}, Count: true})
				if err != nil {
					t.Fatal(err)
				}
				return page.Total
			}
			errBoom := errors.New("boom")
			release, started := make(chan struct{}), make(chan struct{})
			var wg sync.WaitGroup
			results := make([]error, 3)
			var seenA, seenB int
			start := func(i int, fn func(store.Tx) error) {
				wg.Add(1)
				go func() { defer wg.Done(); results[i] = db.Update(ctx, acct, fn) }()
			}
			// A: two writes and a count of its own, then it holds the group.
			start(0, func(tx store.Tx) error {
				for _, id := range []string{"a1", "a2"} {
					if _, _, err := tx.Put(ctx, rec(id, "ok")); err != nil {
						return err
					}
				}
				seenA = count(tx, "ok")
				if _, _, err := tx.Put(ctx, rec("a3", "ok")); err != nil {
					return err
				}
				close(started)
				<-release
				return nil
			})
			<-started
			// B: a write and a count (A's three and its own), then it fails.
			start(1, func(tx store.Tx) error {
				if _, _, err := tx.Put(ctx, rec("b", "ok")); err != nil {
					return err
				}
				seenB = count(tx, "ok")
				return errBoom
			})
			for !waiting(db, 1) {
				runtime.Gosched()
			}
			// C: moves a1 to another status, after B rolled back.
			start(2, func(tx store.Tx) error { _, _, err := tx.Put(ctx, rec("a1", "gone")); return err })
			for !waiting(db, 2) {
				runtime.Gosched()
			}
			close(release)
			wg.Wait()
			if results[0] != nil || !errors.Is(results[1], errBoom) || results[2] != nil {
				t.Fatalf("A, B, C: %v, %v, %v; want nil, boom, nil", results[0], results[1], results[2])
			}
			if seenA != 2 || seenB != 4 {
				t.Errorf("counts read in the transaction: A %d, B %d; want 2 and 4 (its own writes included)", seenA, seenB)
			}
			err := db.View(ctx, acct, func(tx store.Tx) error {
				if ok, gone := count(tx, "ok"), count(tx, "gone"); ok != 2 || gone != 1 {
					return fmt.Errorf("kept counts after the group: ok %d, gone %d; want 2 and 1", ok, gone)
				}
				return nil
			})
			if err != nil {
				t.Error(err)
			}
		})
	}
}

// waiting reports whether n Updates of acct wait for the group running.
func waiting(db *DB, n int) bool {
	db.groupsMu.Lock()
	defer db.groupsMu.Unlock()
	q := db.groups[acct]
	return q != nil && len(q.waiting) == n
}

package postgres

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ecslocal/ecslocal/internal/store"
)

// TestMemo: a View the memo answers costs its first round trip alone; a
// change of the account, by this replica or another, by an Update, a
// Reset or an Import, is seen by the next View; a change of another
// account, or an Update rolled back, leaves the memo answering.
func TestMemo(t *testing.T) {
	ctx := context.Background()
	dbs := replicas(t)
	db, other := dbs[0], dbs[1]
	instance := func(id, name string) store.Record {
		return store.Record{Kind: "instance", ID: id, Region: "r1", Data: []byte(`{"name":"` + name + `"}`),
			Attrs: []store.Attr{{Name: "name", Value: name}}}
	}
	put := func(on *DB, account string, r store.Record) {
		t.Helper()
		if err := on.Update(ctx, account, func(tx store.Tx) error { _, _, err := tx.Put(ctx, r); return err }); err != nil {
			t.Fatal(err)
		}
	}
	put(db, acct, instance("i-1", "a"))
	// read answers what one View reads (the page by name "a", the record
	// i-1, the absent i-2) and the round trips it took.
	type seen struct {
		page       []string
		get        string
		absent     bool
		roundTrips int64
	}
	read := func() seen {
		t.Helper()
		var s seen
		before := db.Statements()
		err := db.View(ctx, acct, func(tx store.Tx) error {
			page, err := tx.Query(ctx, store.Query{Kind: "instance", Filters: []store.Filter{{Name: "name", Values: []string{"a"}}}, Limit: 10, Count: true})
			if err != nil {
				return err
			}
			for _, r := range page.Records {
				s.page = append(s.page, r.ID)
			}
			r, err := tx.Get(ctx, "instance", "i-1")
			if err != nil && !errors.Is(err, store.ErrNotFound) {
				return err
			}
			s.get = string(r.Data)
			_, err = tx.Get(ctx, "instance", "i-2")
			s.absent = errors.Is(err, store.ErrNotFound)
			if err != nil && !s.absent {
				return err
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		s.roundTrips = db.Statements() - before
		return s
	}
	first := read()
	if len(first.page) != 1 || first.get != `{"name":"a"}` || !first.absent {
		t.Fatalf("first View: %+v", first)
	}
	hits := func() int64 { return db.memos.m[acct].Hits.Load() }
	h0 := hits()
	if again := read(); again.roundTrips != 1 || hits()-h0 != 3 {
		t.Fatalf("View again: %d round trips and %d answers from the memo, want 1 and 3", again.roundTrips, hits()-h0)
	}

	// Another account's change leaves this one's memo answering.
	put(other, "other-account", instance("i-9", "a"))
	if s := read(); s.roundTrips != 1 || len(s.page) != 1 {
		t.Fatalf("after another account's write: %+v, want 1 round trip, 1 match", s)
	}

	// Another replica's change of the account is seen at once.
	put(other, acct, instance("i-1", "b"))
	if s := read(); len(s.page) != 0 || s.get != `{"name":"b"}` {
		t.Fatalf("after the other replica renamed i-1: %+v, want no match by a and the new document", s)
	}
	put(other, acct, instance("i-2", "a"))
	if s := read(); len(s.page) != 1 || s.page[0] != "i-2" || s.absent {
		t.Fatalf("after the other replica added i-2: %+v", s)
	}
	// This replica's own change too.
	if err := db.Update(ctx, acct, func(tx store.Tx) error { _, err := tx.Delete(ctx, "instance", "i-2"); return err }); err != nil {
		t.Fatal(err)
	}
	if s := read(); len(s.page) != 0 || !s.absent {
		t.Fatalf("after deleting i-2: %+v", s)
	}

	// An Update rolled back changes nothing: the memo still answers.
	read()
	h0 = hits()
	failed := errors.New("no")
	if err := other.Update(ctx, acct, func(tx store.Tx) error {
		if _, _, err := tx.Put(ctx, instance("i-1", "c")); err != nil {
			return err
		}
		return failed
	}); !errors.Is(err, failed) {
		t.Fatal(err)
	}
	if s := read(); s.roundTrips != 1 || hits()-h0 != 3 || s.get != `{"name":"b"}` {
		t.Fatalf("after a rolled-back Update: %+v, %d answers from the memo; want 1 round trip and 3", s, hits()-h0)
	}

	// A reset and an import by the other replica.
	if err := other.Reset(ctx); err != nil {
		t.Fatal(err)
	}
	if s := read(); len(s.page) != 0 || s.get != "" || !s.absent {
		t.Fatalf("after a reset: %+v, want nothing", s)
	}
	snap := store.Snapshot{Records: []store.AccountRecord{{Account: acct, Record: instance("i-1", "a")}}}
	if err := other.Import(ctx, snap); err != nil {
		t.Fatal(err)
	}
	if s := read(); len(s.page) != 1 || s.get != `{"name":"a"}` {
		t.Fatalf("after an import: %+v", s)
	}

	// Off, every View reads.
	db.SetMemo(false)
	if s := read(); s.roundTrips < 2 {
		t.Fatalf("memo off: %d round trips, want the reads", s.roundTrips)
	}
}

// TestMemoConsistent: Views on one replica, while another rewrites a
// record over and over, see every write acknowledged before they began,
// and find the record by the name its document gives: what the memo
// answers and what the View reads itself are of one state.
func TestMemoConsistent(t *testing.T) {
	ctx := context.Background()
	dbs := replicas(t)
	db, other := dbs[0], dbs[1]
	var acked atomic.Int64
	write := func(n int64) error {
		name := strconv.FormatInt(n%3, 10)
		err := other.Update(ctx, acct, func(tx store.Tx) error {
			_, _, err := tx.Put(ctx, store.Record{Kind: "instance", ID: "i-1", Region: "r1",
				Data: []byte(strconv.FormatInt(n, 10)), Attrs: []store.Attr{{Name: "name", Value: name}}})
			return err
		})
		if err == nil {
			acked.Store(n)
		}
		return err
	}
	if err := write(0); err != nil {
		t.Fatal(err)
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for n := int64(1); ; n++ {
			select {
			case <-stop:
				return
			default:
			}
			if err := write(n); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	var views sync.WaitGroup
	for range 4 {
		views.Add(1)
		go func() {
			defer views.Done()
			for range 200 {
				floor := acked.Load()
				err := db.View(ctx, acct, func(tx store.Tx) error {
					r, err := tx.Get(ctx, "instance", "i-1")
					if err != nil {
						return err
					}
					n, _ := strconv.ParseInt(string(r.Data), 10, 64)
					if n < floor {
						return fmt.Errorf("the View read write %d, begun after write %d was acknowledged", n, floor)
					}
					page, err := tx.Query(ctx, store.Query{Kind: "instance", Filters: []store.Filter{{Name: "name", Values: []string{strconv.FormatInt(n%3, 10)}}}, Limit: 10})
					if err != nil {
						return err
					}
					if len(page.Records) != 1 || string(page.Records[0].Data) != string(r.Data) {
						return fmt.Errorf("Get says write %s, the query by its name finds %d records", r.Data, len(page.Records))
					}
					return nil
				})
				if err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	views.Wait()
	close(stop)
	wg.Wait()
}

// TestMemoPinned: a View of a pinned memo begins no transaction; when the
// account changes after the memo answered it, what it reads next comes
// through the pin, of the generation its first answers were of; the next
// View sees the change; an expired pin is taken again by the next View
// that begins a transaction.
func TestMemoPinned(t *testing.T) {
	ctx := context.Background()
	dbs := replicas(t)
	db, other := dbs[0], dbs[1]
	put := func(name string) {
		t.Helper()
		r := store.Record{Kind: "instance", ID: "i-1", Region: "r1", Data: []byte(`"` + name + `"`),
			Attrs: []store.Attr{{Name: "name", Value: name}}}
		if err := other.Update(ctx, acct, func(tx store.Tx) error { _, _, err := tx.Put(ctx, r); return err }); err != nil {
			t.Fatal(err)
		}
	}
	byName := store.Query{Kind: "instance", Filters: []store.Filter{{Name: "name", Values: []string{"a"}}}, Limit: 10}
	put("a")
	// The first View begins a transaction and leaves it to the memo as its pin.
	if err := db.View(ctx, acct, func(tx store.Tx) error { _, err := tx.Query(ctx, byName); return err }); err != nil {
		t.Fatal(err)
	}
	pinOf := func() *pin {
		db.memos.mu.Lock()
		defer db.memos.mu.Unlock()
		if m := db.memos.m[acct]; m != nil {
			return m.pin
		}
		return nil
	}
	p := pinOf()
	if p == nil {
		t.Fatal("no pin after the first View")
	}
	var got string
	before := db.Statements()
	err := db.View(ctx, acct, func(tx store.Tx) error {
		page, err := tx.Query(ctx, byName) // from the memo
		if err != nil || len(page.Records) != 1 {
			return fmt.Errorf("page %v, %v; want i-1", page.Records, err)
		}
		if n := db.Statements() - before; n != 1 {
			return fmt.Errorf("%d round trips before the memo's answer, want 1 (no transaction begun)", n)
		}
		put("b")                                 // committed by the other replica between two reads of this View
		r, err := tx.Get(ctx, "instance", "i-1") // not in the memo: through the pin
		got = string(r.Data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if got != `"a"` {
		t.Fatalf("a View the memo answered read %s after another replica's commit, want the state its first answer was of", got)
	}
	if p.reads != 1 {
		t.Fatalf("%d reads through the pin, want 1", p.reads)
	}
	// The next View sees the change, and leaves a new pin.
	err = db.View(ctx, acct, func(tx store.Tx) error {
		r, err := tx.Get(ctx, "instance", "i-1")
		got = string(r.Data)
		return err
	})
	if err != nil || got != `"b"` {
		t.Fatalf("View after the change: %s, %v; want \"b\"", got, err)
	}
	p2 := pinOf()
	if p2 == nil || p2 == p {
		t.Fatal("no new pin after the generation moved")
	}
	// Expired: the next View begins a transaction and pins again.
	db.memos.mu.Lock()
	m := db.memos.m[acct]
	db.memos.mu.Unlock()
	db.memos.unpin(m, p2)
	if pinOf() != nil {
		t.Fatal("the pin stayed after it expired")
	}
	if err := db.View(ctx, acct, func(tx store.Tx) error { _, err := tx.Get(ctx, "instance", "i-1"); return err }); err != nil {
		t.Fatal(err)
	}
	if p3 := pinOf(); p3 == nil || p3 == p2 {
		t.Fatal("no pin after a View began a transaction")
	}
}

// TestMemoSeenWithNonce: a call's nonce statement reads its account's
// generation, due time and meta values, and a View of the call whose memo
// is pinned at that generation makes no round trip; a change committed
// before the call's nonce is seen; the call's own write drops what the
// nonce read; a read older than the memo leaves the memo alone.
func TestMemoSeenWithNonce(t *testing.T) {
	ctx := context.Background()
	dbs := replicas(t)
	db, other := dbs[0], dbs[1]
	put := func(on *DB, ctx context.Context, name string) {
		t.Helper()
		r := store.Record{Kind: "instance", ID: "i-1", Region: "r1", Data: []byte(`"` + name + `"`),
			Attrs: []store.Attr{{Name: "name", Value: name}}}
		if err := on.Update(ctx, acct, func(tx store.Tx) error { _, _, err := tx.Put(ctx, r); return err }); err != nil {
			t.Fatal(err)
		}
	}
	get := func(ctx context.Context) (string, int64) {
		t.Helper()
		before := db.Statements()
		var got string
		if err := db.View(ctx, acct, func(tx store.Tx) error {
			r, err := tx.Get(ctx, "instance", "i-1")
			got = string(r.Data)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return got, db.Statements() - before
	}
	nonces := 0
	call := func() context.Context {
		t.Helper()
		nonces++
		c := store.AlongNonce(ctx, acct, store.MetaFaults)
		if fresh, err := db.UseNonce(c, "key", strconv.Itoa(nonces), time.Now()); err != nil || !fresh {
			t.Fatalf("UseNonce: %v, %v", fresh, err)
		}
		return c
	}
	memoGen := func() int64 {
		db.memos.mu.Lock()
		defer db.memos.mu.Unlock()
		return db.memos.m[acct].gen
	}
	put(other, ctx, "a")
	if got, _ := get(ctx); got != `"a"` { // begins a transaction, and pins the memo
		t.Fatalf("first View: %s", got)
	}
	c := call()
	if store.Seen(c, "other-account") != nil {
		t.Error("the nonce's read is answered for another account")
	}
	if got, n := get(c); got != `"a"` || n != 0 {
		t.Fatalf("View of a call at the pinned memo's generation: %s in %d round trips, want \"a\" in 0", got, n)
	}

	// Another replica's commit before the call's nonce is seen.
	put(other, ctx, "b")
	if got, _ := get(call()); got != `"b"` {
		t.Fatalf("a commit before the call: read %s, want \"b\"", got)
	}
	get(ctx) // pins the memo at the new generation

	// The call's own write: its next View reads it.
	c = call()
	put(db, c, "c")
	if got, _ := get(c); got != `"c"` {
		t.Fatalf("a View after the call's own write read %s, want \"c\"", got)
	}

	// What a call's nonce read is older than the memo: the View reads for
	// itself and the newer memo stays.
	get(ctx)
	c = call()
	put(other, ctx, "d")
	get(ctx)
	newer := memoGen()
	if got, n := get(c); got != `"d"` || n == 0 {
		t.Fatalf("a call whose nonce read an older generation: %s in %d round trips, want \"d\" read for itself", got, n)
	}
	if memoGen() != newer {
		t.Fatal("a View of an older generation replaced the newer memo")
	}
}

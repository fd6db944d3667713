package postgres

import (
	"context"
	"errors"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/ecslocal/ecslocal/internal/store"
)

// TestWriteMemo: an Update answers its reads from the memo its group
// before left (writemo.go) and its Due from the due records that group
// knew, with no statement of their own; it reads its own writes and the
// writes of the members before it in its group, never those of a member
// rolled back; a write of the other replica in between is seen (the memo
// of the older generation is not used), and so is one made by this
// replica's memo-less path. Fails when the memo answers at a generation
// the account has left, or when what a member rolled back is carried.
func TestWriteMemo(t *testing.T) {
	ctx := context.Background()
	dbs := replicas(t)
	db, other := dbs[0], dbs[1]
	db.groupFor = time.Minute
	t0 := time.Now().UTC().Truncate(time.Second)
	rec := func(id, name string, due time.Time) store.Record {
		return store.Record{Kind: "widget", ID: id, Region: "r", Due: due, Data: []byte(`{"name":"` + name + `"}`),
			Attrs: []store.Attr{{Name: "name", Value: name}}}
	}
	update := func(on *DB, fn func(tx store.Tx) error) int64 {
		t.Helper()
		before := on.Statements()
		if err := on.Update(ctx, acct, fn); err != nil {
			t.Fatal(err)
		}
		return on.Statements() - before
	}
	get := func(tx store.Tx, id string) string {
		t.Helper()
		r, err := tx.Get(ctx, "widget", id)
		if errors.Is(err, store.ErrNotFound) {
			return "absent"
		}
		if err != nil {
			t.Fatal(err)
		}
		return string(r.Data)
	}
	due := func(tx store.Tx, at time.Time) []string {
		t.Helper()
		recs, err := tx.Due(ctx, at, 10)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, r := range recs {
			if r.Seq == 0 {
				t.Errorf("Due answered %s without its seq", r.ID)
			}
			ids = append(ids, r.ID)
		}
		return ids
	}
	same := func(what string, got, want []string) {
		t.Helper()
		if len(got) != len(want) {
			t.Errorf("%s: %q, want %q", what, got, want)
			return
		}
		for i := range got {
			if got[i] != want[i] {
				t.Errorf("%s: %q, want %q", what, got, want)
				return
			}
		}
	}

	// The first group reads w9 (absent), writes the others and leaves a
	// memo of what it knows.
	update(db, func(tx store.Tx) error {
		get(tx, "w9")
		for _, r := range []store.Record{rec("w1", "a", t0.Add(time.Minute)), rec("w2", "b", time.Time{}), rec("w3", "c", t0.Add(2*time.Minute))} {
			if _, _, err := tx.Put(ctx, r); err != nil {
				return err
			}
		}
		return nil
	})
	// The next reads w1, w2, the absent w9 and the due records with no
	// statement: its BEGIN and its COMMIT alone.
	var got []string
	var dueIDs []string
	rt := update(db, func(tx store.Tx) error {
		got = []string{get(tx, "w1"), get(tx, "w2"), get(tx, "w9")}
		dueIDs = due(tx, t0.Add(time.Hour))
		return nil
	})
	same("from the memo", got, []string{`{"name":"a"}`, `{"name":"b"}`, "absent"})
	same("due from the memo", dueIDs, []string{"w1", "w3"})
	if rt != 2 {
		t.Errorf("an Update the memo answers: %d round trips, want 2 (BEGIN, COMMIT)", rt)
	}

	// Its own writes, then reads of them: what it wrote, not the memo.
	update(db, func(tx store.Tx) error {
		if _, _, err := tx.Put(ctx, rec("w1", "a2", time.Time{})); err != nil {
			return err
		}
		if _, err := tx.Delete(ctx, "widget", "w2"); err != nil {
			return err
		}
		if _, _, err := tx.Put(ctx, rec("w4", "d", t0.Add(30*time.Second))); err != nil {
			return err
		}
		got = []string{get(tx, "w1"), get(tx, "w2"), get(tx, "w4")}
		dueIDs = due(tx, t0.Add(time.Hour))
		page, err := tx.Query(ctx, store.Query{Kind: "widget", Filters: []store.Filter{store.Where("name", "a2")}, Limit: 10})
		if err != nil {
			return err
		}
		if len(page.Records) != 1 || page.Records[0].ID != "w1" {
			t.Errorf("query of its own write: %+v, want w1", page.Records)
		}
		return nil
	})
	same("own writes", got, []string{`{"name":"a2"}`, "absent", `{"name":"d"}`})
	same("due after own writes", dueIDs, []string{"w4", "w3"})
	// What the group before knew and this one did not read (the absent
	// w9) is still known after it.
	rt = update(db, func(tx store.Tx) error {
		got = []string{get(tx, "w9"), get(tx, "w1")}
		return nil
	})
	same("carried past a group that did not read it", got, []string{"absent", `{"name":"a2"}`})
	if rt != 2 {
		t.Errorf("reads of what the groups before knew: %d round trips, want 2", rt)
	}
	// A record the memo knows absent, written (queued, its seq not
	// answered yet) and read: what was written.
	update(db, func(tx store.Tx) error {
		if err := tx.(store.Queuer).PutThen(ctx, rec("w9", "new", time.Time{}), func(store.Record, bool) {}); err != nil {
			return err
		}
		got = []string{get(tx, "w9")}
		return nil
	})
	same("written over the memo's absent answer", got, []string{`{"name":"new"}`})
	update(db, func(tx store.Tx) error { _, err := tx.Delete(ctx, "widget", "w9"); return err })

	// The other replica writes: this replica's next Update reads past its memo.
	update(other, func(tx store.Tx) error {
		if _, _, err := tx.Put(ctx, rec("w1", "other", t0.Add(10*time.Second))); err != nil {
			return err
		}
		_, err := tx.Delete(ctx, "widget", "w4")
		return err
	})
	update(db, func(tx store.Tx) error {
		got = []string{get(tx, "w1"), get(tx, "w4")}
		dueIDs = due(tx, t0.Add(time.Hour))
		return nil
	})
	same("after the other replica's write", got, []string{`{"name":"other"}`, "absent"})
	same("due after the other replica's write", dueIDs, []string{"w1", "w3"})

	// A group: A writes, B writes over it and fails, C reads A's writes and
	// none of B's; the memo the group leaves has none of B's either.
	release, started := make(chan struct{}), make(chan struct{})
	errBoom := errors.New("boom")
	var wg sync.WaitGroup
	results := make([]error, 3)
	var seenC []string
	var dueC []string
	start := func(i int, fn func(store.Tx) error) {
		wg.Add(1)
		go func() { defer wg.Done(); results[i] = db.Update(ctx, acct, fn) }()
	}
	start(0, func(tx store.Tx) error {
		if _, _, err := tx.Put(ctx, rec("w1", "A", time.Time{})); err != nil {
			return err
		}
		close(started)
		<-release
		return nil
	})
	<-started
	start(1, func(tx store.Tx) error {
		if _, _, err := tx.Put(ctx, rec("w1", "B", t0.Add(5*time.Second))); err != nil {
			return err
		}
		if _, _, err := tx.Put(ctx, rec("w5", "B", t0.Add(5*time.Second))); err != nil {
			return err
		}
		if _, err := tx.Delete(ctx, "widget", "w3"); err != nil {
			return err
		}
		return errBoom
	})
	for !waiting(db, 1) {
		runtime.Gosched()
	}
	start(2, func(tx store.Tx) error {
		seenC = []string{get(tx, "w1"), get(tx, "w5"), get(tx, "w3")}
		dueC = due(tx, t0.Add(time.Hour))
		return nil
	})
	for !waiting(db, 2) {
		runtime.Gosched()
	}
	close(release)
	wg.Wait()
	if results[0] != nil || !errors.Is(results[1], errBoom) || results[2] != nil {
		t.Fatalf("A, B, C: %v, %v, %v; want nil, boom, nil", results[0], results[1], results[2])
	}
	same("C after A and B rolled back", seenC, []string{`{"name":"A"}`, "absent", `{"name":"c"}`})
	same("C's due after B rolled back", dueC, []string{"w3"})
	rt = update(db, func(tx store.Tx) error {
		got = []string{get(tx, "w1"), get(tx, "w5"), get(tx, "w3")}
		dueIDs = due(tx, t0.Add(time.Hour))
		return nil
	})
	same("after the group", got, []string{`{"name":"A"}`, "absent", `{"name":"c"}`})
	same("due after the group", dueIDs, []string{"w3"})
	if rt != 2 {
		t.Errorf("after the group: %d round trips, want 2 (its memo answers)", rt)
	}
	// The other replica sees the same.
	err := other.View(ctx, acct, func(tx store.Tx) error {
		got = []string{get(tx, "w1"), get(tx, "w5"), get(tx, "w3")}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	same("the other replica after the group", got, []string{`{"name":"A"}`, "absent", `{"name":"c"}`})
}

package sqlite

import (
	"context"
	"fmt"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/store"
)

// memoHits counts the answers the current memo gave.
func memoHits(db *DB) int64 {
	if m := db.memos.last.Load(); m != nil {
		return m.hits.Load()
	}
	return 0
}

func putWidget(t *testing.T, db *DB, id, data string, due time.Time) {
	t.Helper()
	ctx := context.Background()
	if err := db.Update(ctx, "acct", func(tx store.Tx) error {
		return store.PutRaw(ctx, tx, store.Record{Kind: "widget", ID: id, Region: "r", Due: due, Data: []byte(data)})
	}); err != nil {
		t.Fatal(err)
	}
}

func getWidget(t *testing.T, db *DB, id string) string {
	t.Helper()
	ctx := context.Background()
	var got string
	if err := db.View(ctx, "acct", func(tx store.Tx) error {
		r, err := tx.Get(ctx, "widget", id)
		if err == store.ErrNotFound {
			got = "absent"
			return nil
		}
		got = string(r.Data)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return got
}

// TestMemoWriters: a View at an unchanged file is answered from the memo,
// and a commit by this DB or by another one on the same file is seen by
// the next View, the memo of the old generation dropped.
func TestMemoWriters(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.db")
	db := mustOpen(t, path)
	other := mustOpen(t, path)
	putWidget(t, db, "w-1", `{"v":1}`, time.Time{})
	if got := getWidget(t, db, "w-1"); got != `{"v":1}` {
		t.Fatalf("first read: %s", got)
	}
	if got := getWidget(t, db, "absent"); got != "absent" {
		t.Fatalf("absent: %s", got)
	}
	before := memoHits(db)
	if got := getWidget(t, db, "w-1"); got != `{"v":1}` {
		t.Fatalf("second read: %s", got)
	}
	if got := getWidget(t, db, "absent"); got != "absent" {
		t.Fatalf("absent again: %s", got)
	}
	if memoHits(db) <= before {
		t.Fatal("an unchanged file's second read was not answered from the memo")
	}
	first := db.memos.last.Load()

	putWidget(t, other, "w-1", `{"v":2}`, time.Time{})
	putWidget(t, other, "absent", `{"v":3}`, time.Time{})
	if got := getWidget(t, db, "w-1"); got != `{"v":2}` {
		t.Fatalf("after another DB's commit: %s", got)
	}
	if got := getWidget(t, db, "absent"); got != `{"v":3}` {
		t.Fatalf("created by another DB: %s", got)
	}
	if db.memos.last.Load() == first {
		t.Fatal("the memo of the old generation was kept")
	}
	putWidget(t, db, "w-1", `{"v":4}`, time.Time{})
	if got := getWidget(t, other, "w-1"); got != `{"v":4}` {
		t.Fatalf("the other DB after this one's commit: %s", got)
	}
}

// TestMemoDue: the clock passing a due time with no commit still applies
// the due event before the read, though the file and the memo are unchanged.
func TestMemoDue(t *testing.T) {
	db := mustOpen(t, filepath.Join(t.TempDir(), "d.db"))
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var now atomic.Int64
	now.Store(t0.UnixNano())
	var applied atomic.Int64
	db.SetHooks(store.Hooks{
		Now: func(context.Context, store.MetaTx) (time.Time, error) { return time.Unix(0, now.Load()).UTC(), nil },
		BeforeUpdate: func(ctx context.Context, tx store.Tx) error {
			due, err := tx.Due(ctx, tx.Now(), 100)
			if err != nil {
				return err
			}
			for _, r := range due {
				r.Due, r.Data = time.Time{}, []byte(`{"status":"done"}`)
				if err := store.PutRaw(ctx, tx, r); err != nil {
					return err
				}
				applied.Add(1)
			}
			return nil
		},
	})
	putWidget(t, db, "w-1", `{"status":"pending"}`, t0.Add(time.Hour))
	for range 3 {
		if got := getWidget(t, db, "w-1"); got != `{"status":"pending"}` {
			t.Fatalf("before the due time: %s", got)
		}
	}
	if memoHits(db) == 0 {
		t.Fatal("no read answered from the memo")
	}
	g, _ := db.wal.generation()
	now.Store(t0.Add(2 * time.Hour).UnixNano())
	if g2, _ := db.wal.generation(); g2 != g {
		t.Fatal("the generation moved with no commit")
	}
	if got := getWidget(t, db, "w-1"); got != `{"status":"done"}` {
		t.Fatalf("after the due time: %s", got)
	}
	if applied.Load() != 1 {
		t.Fatalf("due events applied: %d, want 1", applied.Load())
	}
	if got := getWidget(t, db, "w-1"); got != `{"status":"done"}` {
		t.Fatalf("read again: %s", got)
	}
}

// TestMemoShared: what the memo answers is the caller's to change where
// the store hands out copies (records through store.Find, a page's slice,
// meta values, client tokens), and a shared value changed in place
// (store.FindShared) is found by CheckValues in the memo alone.
func TestMemoShared(t *testing.T) {
	ctx := context.Background()
	db := mustOpen(t, filepath.Join(t.TempDir(), "s.db"))
	inst := cloud.Instance{ID: "i-1", Region: "r", Status: cloud.StatusRunning, SecurityGroups: []string{"sg-1"}}
	if err := db.Update(ctx, "acct", func(tx store.Tx) error {
		if err := store.Put(ctx, tx, inst); err != nil {
			return err
		}
		return tx.PutClientToken(ctx, store.ClientToken{Action: "A", Token: "t", Hash: "h", Response: []byte(`{"ok":1}`), Created: time.Unix(1, 0)})
	}); err != nil {
		t.Fatal(err)
	}
	if err := db.Meta(ctx, func(m store.MetaTx) error { return m.PutMeta(ctx, "other", []byte("value")) }); err != nil {
		t.Fatal(err)
	}
	type seen struct {
		inst  cloud.Instance
		page  store.Page
		meta  []byte
		token store.ClientToken
	}
	read := func(find func(context.Context, store.Tx, store.Query) ([]cloud.Instance, store.Page, error)) seen {
		t.Helper()
		var s seen
		err := db.View(ctx, "acct", func(tx store.Tx) (err error) {
			var got []cloud.Instance
			if got, _, err = find(ctx, tx, store.Query{Limit: 10}); err != nil {
				return err
			}
			if len(got) != 1 {
				return fmt.Errorf("%d instances", len(got))
			}
			s.inst = got[0]
			if s.page, err = tx.Query(ctx, store.Query{Kind: "instance", Limit: 10}); err != nil {
				return err
			}
			if s.meta, err = tx.GetMeta(ctx, "other"); err != nil {
				return err
			}
			s.token, err = tx.ClientToken(ctx, "A", "t")
			return err
		})
		if err != nil {
			t.Fatalf("read: %v", err)
		}
		return s
	}
	read(store.Find[cloud.Instance])
	hits := memoHits(db)
	s := read(store.Find[cloud.Instance])
	if memoHits(db) <= hits {
		t.Fatal("the second read was not answered from the memo")
	}
	s.inst.SecurityGroups[0] = "sg-changed"
	s.page.Records[0].ID = "changed"
	s.meta[0] = 'X'
	s.token.Response[0] = 'X'
	if err := db.CheckValues(); err != nil {
		t.Fatalf("after changing copies: %v", err)
	}
	s = read(store.Find[cloud.Instance])
	if s.inst.SecurityGroups[0] != "sg-1" || s.page.Records[0].ID != "i-1" || string(s.meta) != "value" || string(s.token.Response) != `{"ok":1}` {
		t.Fatalf("a change to a copy reached the memo: %+v", s)
	}
	// Only the memo keeps the shared value now: its check must find it.
	db.cache = newDecodedCache(decodedCacheBytes)
	read(store.FindShared[cloud.Instance]).inst.SecurityGroups[0] = "sg-changed"
	if err := db.CheckValues(); err == nil {
		t.Fatal("CheckValues found no change after a shared value was changed")
	}
}

// TestMemoBounded: the memo keeps answers up to its bytes and still
// answers every read right beyond them.
func TestMemoBounded(t *testing.T) {
	ctx := context.Background()
	db := mustOpen(t, filepath.Join(t.TempDir(), "b.db"))
	db.memos.max = 64 << 10
	doc := fmt.Sprintf(`{"pad":%q}`, make([]byte, 1000))
	if err := db.Update(ctx, "acct", func(tx store.Tx) error {
		for i := range 200 {
			if err := store.PutRaw(ctx, tx, store.Record{Kind: "widget", ID: fmt.Sprint("w-", i), Region: "r", Data: []byte(doc)}); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	for round := range 2 {
		for i := range 200 {
			if got := getWidget(t, db, fmt.Sprint("w-", i)); got != doc {
				t.Fatalf("round %d, w-%d: %.20s", round, i, got)
			}
		}
		err := db.View(ctx, "acct", func(tx store.Tx) error {
			p, err := tx.Query(ctx, store.Query{Kind: "widget", Limit: 200, Count: true})
			if err == nil && (len(p.Records) != 200 || p.Total != 200) {
				err = fmt.Errorf("%d records, total %d", len(p.Records), p.Total)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	m := db.memos.last.Load()
	if m == nil || m.bytes() == 0 || m.bytes() > db.memos.max {
		t.Fatalf("memo holds %d bytes, bound %d", m.bytes(), db.memos.max)
	}
	if m.hits.Load() == 0 {
		t.Fatal("nothing answered from a full memo")
	}
}

// TestMemoConsistent: Views reading two records that every commit of
// another DB on the file writes together, with a call the memo may not
// hold between the two reads, always see them equal.
func TestMemoConsistent(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "c.db")
	db := mustOpen(t, path)
	other := mustOpen(t, path)
	write := func(n int) error {
		return other.Update(ctx, "acct", func(tx store.Tx) error {
			for _, id := range []string{"w-a", "w-b"} {
				if err := store.PutRaw(ctx, tx, store.Record{Kind: "widget", ID: id, Region: "r", Data: []byte(fmt.Sprint(n))}); err != nil {
					return err
				}
			}
			return nil
		})
	}
	if err := write(0); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		for n := 1; n <= 200; n++ {
			if err := write(n); err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	errs := make(chan error, 4)
	var reads atomic.Int64
	for r := range 4 {
		go func() {
			for i := 0; ; i++ {
				select {
				case <-done:
					errs <- nil
					done <- nil
					return
				default:
				}
				err := db.View(ctx, "acct", func(tx store.Tx) error {
					a, err := tx.Get(ctx, "widget", "w-a")
					if err != nil {
						return err
					}
					if _, err := tx.Get(ctx, "widget", fmt.Sprint("absent-", r, "-", i%7)); err != store.ErrNotFound {
						return fmt.Errorf("absent: %v", err)
					}
					p, err := tx.Query(ctx, store.Query{Kind: "widget", IDs: []string{"w-b"}, Limit: 1})
					if err != nil {
						return err
					}
					if len(p.Records) != 1 || string(p.Records[0].Data) != string(a.Data) {
						return fmt.Errorf("w-a %s, w-b %v: two states in one View", a.Data, p.Records)
					}
					return nil
				})
				if err != nil {
					errs <- err
					return
				}
				reads.Add(1)
			}
		}()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	t.Logf("%d Views", reads.Load())
}

// TestMemoCommitBeforeBegin: a commit between the generation a View read
// and the start of its transaction leaves that View without the memo (its
// answers are of the older generation): it reads both records at the new
// one.
func TestMemoCommitBeforeBegin(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "p.db")
	db := mustOpen(t, path)
	other := mustOpen(t, path)
	putWidget(t, db, "w-a", `0`, time.Time{})
	putWidget(t, db, "w-b", `0`, time.Time{})
	read := func() (string, string) {
		t.Helper()
		var a, b store.Record
		if err := db.View(ctx, "acct", func(tx store.Tx) (err error) {
			if a, err = tx.Get(ctx, "widget", "w-a"); err != nil {
				return err
			}
			b, err = tx.Get(ctx, "widget", "w-b")
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return string(a.Data), string(b.Data)
	}
	// The memo holds w-a only.
	if err := db.View(ctx, "acct", func(tx store.Tx) error {
		_, err := tx.Get(ctx, "widget", "w-a")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	// The next View reads the generation, then another DB commits before
	// its transaction begins: w-a from the memo with w-b read would mix.
	db.beforeBegin = func() {
		db.beforeBegin = nil
		if err := other.Update(ctx, "acct", func(tx store.Tx) error {
			for _, id := range []string{"w-a", "w-b"} {
				if err := store.PutRaw(ctx, tx, store.Record{Kind: "widget", ID: id, Region: "r", Data: []byte(`1`)}); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			t.Error(err)
		}
	}
	if a, b := read(); a != `1` || b != `1` {
		t.Fatalf("w-a %s, w-b %s; want 1, 1", a, b)
	}
	if db.beforeBegin != nil {
		t.Fatal("the View began no transaction")
	}
}

// TestMemoOff: with the memo off every read runs its statements, and on
// again the reads are answered from it.
func TestMemoOff(t *testing.T) {
	db := mustOpen(t, filepath.Join(t.TempDir(), "off.db"))
	putWidget(t, db, "w1", `{"v":1}`, time.Time{})
	db.SetMemo(false)
	for range 3 {
		if got := getWidget(t, db, "w1"); got != `{"v":1}` {
			t.Fatalf("Get: %s", got)
		}
	}
	if db.memos.last.Load() != nil {
		t.Fatal("a memo was made with the memo off")
	}
	db.SetMemo(true)
	getWidget(t, db, "w1")
	getWidget(t, db, "w1")
	if memoHits(db) == 0 {
		t.Fatal("no read was answered from the memo once it was on again")
	}
}

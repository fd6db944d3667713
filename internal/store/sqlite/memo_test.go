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
		return m.Hits.Load()
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
	if m == nil || m.Bytes() == 0 || m.Bytes() > db.memos.max {
		t.Fatalf("memo holds %d bytes, bound %d", m.Bytes(), db.memos.max)
	}
	if m.Hits.Load() == 0 {
		t.Fatal("nothing answered from a full memo")
	}
}

// TestMemoConsistent: Views reading two records that every commit of
// another DB on the file writes together, with a call the memo does not
// hold between the two reads (so that a commit between the first read,
// from a pinned memo, and the second sends the View through the pin),
// always see them equal.
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
	var reads, pinReads atomic.Int64
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
				err := db.View(ctx, "acct", func(stx store.Tx) error {
					tx, st := stx, stx.(*tx)
					defer func() {
						if st.locked {
							pinReads.Add(1)
						}
					}()
					a, err := tx.Get(ctx, "widget", "w-a")
					if err != nil {
						return err
					}
					if _, err := tx.Get(ctx, "widget", fmt.Sprint("absent-", r, "-", i)); err != store.ErrNotFound {
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
	t.Logf("%d Views, %d through a pin", reads.Load(), pinReads.Load())
}

// TestMemoCommitBeforeBegin: a commit between the generation a View read
// and its first statement never mixes two states: with the memo pinned the
// View reads what the memo lacks through the pin, at the generation it
// began at; unpinned, it leaves the memo and reads both at the new one.
func TestMemoCommitBeforeBegin(t *testing.T) {
	for _, pinned := range []bool{true, false} {
		t.Run(fmt.Sprint("pinned=", pinned), func(t *testing.T) {
			ctx := context.Background()
			path := filepath.Join(t.TempDir(), "p.db")
			db := mustOpen(t, path)
			other := mustOpen(t, path)
			putWidget(t, db, "w-a", `0`, time.Time{})
			putWidget(t, db, "w-b", `0`, time.Time{})
			// The memo holds w-a only.
			if err := db.View(ctx, "acct", func(tx store.Tx) error {
				_, err := tx.Get(ctx, "widget", "w-a")
				return err
			}); err != nil {
				t.Fatal(err)
			}
			m := db.memos.last.Load()
			if !pinned {
				db.memos.retire(m)
			}
			// The next View reads the generation, then another DB commits
			// before its first statement: w-a from the memo with w-b read
			// at the new generation would mix.
			db.beforeBegin = func() {
				db.beforeBegin = nil
				writeBoth(t, other, "1")
			}
			a, b := readBoth(t, db)
			want := "1"
			if pinned {
				want = "0" // the state the View began at, both from it
				if m.pinReads.Load() != 1 {
					t.Errorf("%d Views read through the pin, want 1", m.pinReads.Load())
				}
			}
			if a != want || b != want {
				t.Fatalf("w-a %s, w-b %s; want %s, %s", a, b, want, want)
			}
			if db.beforeBegin != nil {
				t.Fatal("the View began no transaction")
			}
			// The next View sees the commit.
			if a, b := readBoth(t, db); a != "1" || b != "1" {
				t.Fatalf("after: w-a %s, w-b %s; want 1, 1", a, b)
			}
		})
	}
}

func writeBoth(t *testing.T, db *DB, v string) {
	t.Helper()
	ctx := context.Background()
	if err := db.Update(ctx, "acct", func(tx store.Tx) error {
		for _, id := range []string{"w-a", "w-b"} {
			if err := store.PutRaw(ctx, tx, store.Record{Kind: "widget", ID: id, Region: "r", Data: []byte(v)}); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Error(err)
	}
}

// readBoth reads w-a, then w-b, in one View.
func readBoth(t *testing.T, db *DB) (string, string) {
	t.Helper()
	ctx := context.Background()
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

// TestMemoPinned: a View the pinned memo answers whole begins no
// transaction; one whose closure sees a commit (by another DB, or by this
// one) between an answer from the memo and a read the memo lacks reads
// that through the pin, at the generation of the first; one the memo has
// not answered yet reads at the new generation; and the pin is closed once
// the generation moved and nobody holds it, or once it is old.
func TestMemoPinned(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "pin.db")
	db := mustOpen(t, path)
	other := mustOpen(t, path)
	writeBoth(t, db, "0")
	for range 2 { // the first View pins the memo, the second is answered whole
		if a, b := readBoth(t, db); a != "0" || b != "0" {
			t.Fatalf("w-a %s, w-b %s", a, b)
		}
	}
	m := db.memos.last.Load()
	p := m.pin
	if p == nil {
		t.Fatal("a View verified at the memo's generation left no pin")
	}
	began := db.began.Load()
	if a, b := readBoth(t, db); a != "0" || b != "0" {
		t.Fatalf("w-a %s, w-b %s", a, b)
	}
	if n := db.began.Load() - began; n != 0 {
		t.Fatalf("a View the memo answered whole began %d transactions", n)
	}

	for i, writer := range []*DB{other, db} {
		v := fmt.Sprint("by-writer-", i)
		// Answered w-a from the memo, then a commit, then w-c (not in the memo).
		var a, c store.Record
		m := db.memos.last.Load()
		if m.pin == nil {
			readBoth(t, db) // pin the new generation
			readBoth(t, db)
		}
		if m = db.memos.last.Load(); m.pin == nil {
			t.Fatal("not pinned")
		}
		reads := m.pinReads.Load()
		before, _ := readBoth(t, db)
		if err := db.View(ctx, "acct", func(tx store.Tx) (err error) {
			if a, err = tx.Get(ctx, "widget", "w-a"); err != nil {
				return err
			}
			writeBoth(t, writer, v)
			putWidget(t, writer, "w-c", v, time.Time{})
			c, err = tx.Get(ctx, "widget", "w-c")
			if err == store.ErrNotFound {
				c.Data, err = []byte("absent"), nil
			}
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if string(a.Data) != before || string(c.Data) == v {
			t.Fatalf("w-a %s (before %s), w-c %s: the commit of %s was seen half way", a.Data, before, c.Data, v)
		}
		if m.pinReads.Load() != reads+1 {
			t.Fatal("the View did not read through the pin")
		}
		if got, _ := readBoth(t, db); got != v {
			t.Fatalf("the next View: %s, want %s", got, v)
		}
		if m.pin != nil || db.memos.pinned == m.pin && m.pin != nil {
			t.Fatal("the pin of a past generation is still its memo's")
		}
	}

	// A commit between the miss's look at the generation and its first
	// statement: the statement finds it moved, the rest is read through
	// the pin.
	readBoth(t, db)
	readBoth(t, db)
	if m = db.memos.last.Load(); m.pin == nil {
		t.Fatal("not pinned")
	}
	reads := m.pinReads.Load()
	before, _ := readBoth(t, db)
	var a, c store.Record
	if err := db.View(ctx, "acct", func(tx store.Tx) (err error) {
		if a, err = tx.Get(ctx, "widget", "w-a"); err != nil {
			return err
		}
		db.beforeBegin = func() {
			db.beforeBegin = nil
			writeBoth(t, other, "late")
			putWidget(t, other, "w-c", "late", time.Time{})
		}
		c, err = tx.Get(ctx, "widget", "w-c")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if db.beforeBegin != nil {
		t.Fatal("the miss began no transaction")
	}
	if string(a.Data) != before || string(c.Data) == "late" || m.pinReads.Load() != reads+1 {
		t.Fatalf("w-a %s (before %s), w-c %s, %d reads through the pin: the late commit was seen half way", a.Data, before, c.Data, m.pinReads.Load()-reads)
	}

	// A View the memo has not answered: a commit before its first
	// statement leaves it the new generation, the pin unused.
	m = db.memos.last.Load()
	if m.pin == nil {
		readBoth(t, db)
	}
	m = db.memos.last.Load()
	reads = m.pinReads.Load()
	db.beforeBegin = func() { writeBoth(t, other, "new") }
	if err := db.View(ctx, "other-account", func(tx store.Tx) error {
		db.beforeBegin = nil
		_, err := tx.Get(ctx, "widget", "w-a")
		if err != store.ErrNotFound {
			return fmt.Errorf("other account: %v", err)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if m.pinReads.Load() != reads {
		t.Fatal("a View the memo had not answered read through the pin")
	}

	// An old pin is closed (its timer), and the next View pins again.
	readBoth(t, db)
	readBoth(t, db)
	m = db.memos.last.Load()
	if p = m.pin; p == nil {
		t.Fatal("not pinned")
	}
	db.memos.unpin(m, p)
	if m.pin != nil || db.memos.pinned != nil {
		t.Fatal("an old pin left open")
	}
	if err := p.tx.Rollback(); err == nil {
		t.Fatal("the old pin's transaction was still open")
	}
	readBoth(t, db)
	if m.pin == nil {
		t.Fatal("the memo was not pinned again")
	}
	// A pin left open would make the other DB's checkpoint wait; this
	// DB's commit closed it.
	putWidget(t, db, "w-d", "d", time.Time{})
	var busy, logFrames, done int
	if err := other.write.QueryRowContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&busy, &logFrames, &done); err != nil || busy != 0 {
		t.Fatalf("checkpoint: busy %d, %v", busy, err)
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

// TestMemoPanic: a closure that panics, with a transaction of its own or
// holding the pin, leaves no transaction open and the pin usable.
func TestMemoPanic(t *testing.T) {
	ctx := context.Background()
	db := mustOpen(t, filepath.Join(t.TempDir(), "panic.db"))
	putWidget(t, db, "w-1", `1`, time.Time{})
	boom := func(i int) {
		defer func() {
			if recover() == nil {
				t.Error("no panic")
			}
		}()
		db.View(ctx, "acct", func(tx store.Tx) error {
			tx.Get(ctx, "widget", "w-1")
			tx.Get(ctx, "widget", fmt.Sprint("miss-", i))
			panic("boom")
		})
	}
	boom(0) // a transaction of its own from the start
	getWidget(t, db, "w-1")
	if db.memos.last.Load().pin == nil {
		t.Fatal("not pinned")
	}
	boom(1) // holding the pin, then a transaction of its own
	if got := getWidget(t, db, "w-1"); got != `1` {
		t.Fatalf("after the panics: %s", got)
	}
	db.memos.retire(db.memos.last.Load())
	db.stmts.wg.Wait() // statements prepared in the background take a connection a moment
	if n := db.read.Stats().InUse; n != 0 {
		t.Fatalf("%d read connections still in use", n)
	}
}

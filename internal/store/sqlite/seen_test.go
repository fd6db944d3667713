package sqlite

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ecslocal/ecslocal/internal/store"
)

// statementLog records the statements the write connection runs.
type statementLog struct {
	mu sync.Mutex
	qs []string
}

func (l *statementLog) listen(db *DB) {
	db.OnStatement(func(q string) {
		l.mu.Lock()
		l.qs = append(l.qs, strings.Join(strings.Fields(q), " "))
		l.mu.Unlock()
	})
}

// take answers the statements since the last take that start with prefix.
func (l *statementLog) take(prefix string) []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for _, q := range l.qs {
		if strings.HasPrefix(q, prefix) {
			out = append(out, q)
		}
	}
	l.qs = nil
	return out
}

// TestPutFromWhatTheCallerSaw: a writer's Put reads no row for a record
// its transaction read or wrote before (Get, Due, a page of Query, Put,
// Delete), inserts a record it has not seen with one statement, and still
// answers the version it replaced, the seq staying gapless, when it was
// there unseen.
func TestPutFromWhatTheCallerSaw(t *testing.T) {
	ctx := context.Background()
	db := mustOpen(t, filepath.Join(t.TempDir(), "s.db"))
	var log statementLog
	log.listen(db)
	rec := func(id, status string, due time.Time) store.Record {
		return store.Record{Kind: "widget", ID: id, Region: "r", Due: due, Attrs: []store.Attr{{Name: "status", Value: status}}, Data: []byte(`{"s":"` + status + `"}`)}
	}
	due := time.Unix(100, 0).UTC()
	put := func(tx store.Tx, r store.Record) (store.Record, bool) {
		t.Helper()
		before, existed, err := tx.Put(ctx, r)
		if err != nil {
			t.Fatal(err)
		}
		return before, existed
	}
	const selects = "SELECT region, seq, due, data, pend FROM records"
	// New records: one INSERT each, no SELECT; rewritten in the same
	// transaction from what Put left.
	err := db.Update(ctx, "a", func(tx store.Tx) error {
		put(tx, rec("w-1", "Pending", due))
		put(tx, rec("w-2", "Pending", time.Time{}))
		before, existed := put(tx, rec("w-1", "Running", time.Time{}))
		if !existed || string(before.Data) != `{"s":"Pending"}` || !before.Due.Equal(due) || before.Seq == 0 {
			t.Errorf("rewrite in the same transaction: %+v, %v", before, existed)
		}
		got, err := tx.Get(ctx, "widget", "w-1")
		if err != nil || string(got.Data) != `{"s":"Running"}` || !got.Due.IsZero() || got.Seq != before.Seq {
			t.Errorf("Get after Put: %+v, %v", got, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if q := log.take(selects); len(q) != 0 {
		t.Errorf("the writes of new records read rows: %q", q)
	}
	// Seen by Get, by a page, by Due; a Delete leaves a known absence.
	err = db.Update(ctx, "a", func(tx store.Tx) error {
		if _, err := tx.Get(ctx, "widget", "w-1"); err != nil {
			return err
		}
		put(tx, rec("w-1", "Stopped", time.Time{}))
		page, err := tx.Query(ctx, store.Query{Kind: "widget", Region: "r", Limit: 10})
		if err != nil || len(page.Records) != 2 {
			t.Fatalf("page %+v, %v", page, err)
		}
		put(tx, rec("w-2", "Stopped", due))
		if _, err := tx.Delete(ctx, "widget", "w-1"); err != nil {
			return err
		}
		if _, err := tx.Get(ctx, "widget", "w-1"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("Get after Delete: %v", err)
		}
		if _, existed := put(tx, rec("w-1", "Pending", time.Time{})); existed {
			t.Error("Put after Delete: existed")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if q := log.take(selects); len(q) != 1 { // the Get's
		t.Errorf("read %d rows, want the Get's alone: %q", len(q), q)
	}
	err = db.Update(ctx, "a", func(tx store.Tx) error {
		rs, err := tx.Due(ctx, due, 10)
		if err != nil || len(rs) != 1 || rs[0].ID != "w-2" {
			t.Fatalf("Due: %+v, %v", rs, err)
		}
		put(tx, rec("w-2", "Running", time.Time{}))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if q := log.take(selects); len(q) != 0 {
		t.Errorf("the Put after Due read rows: %q", q)
	}
	// Unseen and there: the INSERT does nothing, the row is read and
	// updated, the seq handed out is given back.
	var seqs []int64
	err = db.Update(ctx, "a", func(tx store.Tx) error {
		before, existed := put(tx, rec("w-2", "Stopped", time.Time{}))
		if !existed || string(before.Data) != `{"s":"Running"}` {
			t.Errorf("unseen rewrite: %+v, %v", before, existed)
		}
		put(tx, rec("w-3", "Pending", time.Time{}))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if q := log.take(selects); len(q) != 1 {
		t.Errorf("the unseen rewrite read %d rows, want 1", len(q))
	}
	rows, err := db.read.QueryContext(ctx, `SELECT seq FROM records ORDER BY seq`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var s int64
		rows.Scan(&s)
		seqs = append(seqs, s)
	}
	rows.Close()
	// w-1 (1, deleted), w-2 (2), w-1 again (3), w-3 (4): no gap for the
	// unseen rewrite of w-2.
	if !slices.Equal(seqs, []int64{2, 3, 4}) {
		t.Errorf("seqs %v, want [2 3 4]", seqs)
	}
	// The counts follow every path.
	err = db.View(ctx, "a", func(tx store.Tx) error {
		for status, want := range map[string]int{"Stopped": 1, "Pending": 2, "Running": 0} {
			page, err := tx.Query(ctx, store.Query{Kind: "widget", Region: "r", Filters: []store.Filter{{Name: "status", Values: []string{status}}}, Count: true})
			if err != nil {
				return err
			}
			if page.Total != want {
				t.Errorf("%s: %d, want %d", status, page.Total, want)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

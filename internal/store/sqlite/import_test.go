package sqlite

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"testing"

	"github.com/ecslocal/ecslocal/internal/store"
)

// TestImport_Bulk: a snapshot large enough for the bulk path (indexes
// dropped and built again) reads back exactly, through every index, and
// leaves the schema as the migrations made it.
func TestImport_Bulk(t *testing.T) {
	ctx := context.Background()
	db := mustOpen(t, filepath.Join(t.TempDir(), "bulk.db"))
	schema := func() []string {
		t.Helper()
		rows, err := db.read.QueryContext(ctx, `SELECT type || ' ' || name || ' ' || coalesce(sql, '') FROM sqlite_schema ORDER BY name`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				t.Fatal(err)
			}
			out = append(out, s)
		}
		return out
	}
	before := schema()

	n := bulkImportRecords + 7
	snap := store.Snapshot{Meta: map[string][]byte{"k": []byte(`{}`)}}
	for i := range n {
		snap.Records = append(snap.Records, store.AccountRecord{Account: "a", Record: store.Record{
			Kind: "widget", ID: fmt.Sprintf("w-%06d", i), Region: "r", Seq: int64(i + 1),
			Attrs: []store.Attr{{Name: "parity", Value: fmt.Sprint(i % 2)}, {Name: "n", Value: fmt.Sprint(i)}},
			Data:  []byte(`{}`),
		}})
	}
	if err := db.Import(ctx, snap); err != nil {
		t.Fatal(err)
	}
	if after := schema(); !slices.Equal(before, after) {
		t.Errorf("schema changed by the import:\nbefore %q\nafter  %q", before, after)
	}
	err := db.View(ctx, "a", func(tx store.Tx) error {
		page, err := tx.Query(ctx, store.Query{Kind: "widget", Filters: []store.Filter{{Name: "parity", Values: []string{"1"}}}, Limit: 3, Count: true})
		if err != nil {
			return err
		}
		if page.Total != n/2 || len(page.Records) != 3 || page.Records[0].ID != "w-000001" {
			t.Errorf("parity=1: total %d, first %v", page.Total, page.Records)
		}
		page, err = tx.Query(ctx, store.Query{Kind: "widget", Filters: []store.Filter{{Name: "n", Values: []string{"7", "19999"}}}, Limit: 10})
		if err != nil {
			return err
		}
		if len(page.Records) != 2 || page.Records[0].ID != "w-000007" || page.Records[1].ID != "w-019999" {
			t.Errorf("n in (7, 19999): %v", page.Records)
		}
		r, err := tx.Get(ctx, "widget", "w-012345")
		if err != nil || r.Seq != 12346 {
			t.Errorf("Get: %+v, %v", r, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// New records continue after the imported ones.
	err = db.Update(ctx, "a", func(tx store.Tx) error {
		return store.PutRaw(ctx, tx, store.Record{Kind: "widget", ID: "w-new", Region: "r", Data: []byte(`{}`)})
	})
	if err != nil {
		t.Fatal(err)
	}
	var seq int64
	if err := db.read.QueryRowContext(ctx, `SELECT seq FROM records WHERE id = 'w-new'`).Scan(&seq); err != nil || seq <= int64(n) {
		t.Errorf("new record seq %d (%v), want above %d", seq, err, n)
	}
	// The page cache of the writer is back to its setting.
	var cache int64
	conn, err := db.write.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if err := conn.QueryRowContext(ctx, `PRAGMA cache_size`).Scan(&cache); err != nil || cache != -pageCacheKiB {
		t.Errorf("cache_size %d after the import (%v), want -%d", cache, err, pageCacheKiB)
	}
}

// TestImportRepeatedSeq: a seq given twice (a hand-made snapshot), in a
// kind of an account or across them, is given a fresh one, so that it names
// one record, the key of the records table; the first one given keeps it.
func TestImportRepeatedSeq(t *testing.T) {
	ctx := context.Background()
	db := mustOpen(t, filepath.Join(t.TempDir(), "seq.db"))
	rec := func(account, kind, id string, seq int64) store.AccountRecord {
		return store.AccountRecord{Account: account, Record: store.Record{Kind: kind, ID: id, Region: "r", Seq: seq,
			Attrs: []store.Attr{{Name: "k", Value: "v"}}, Data: []byte(`{}`)}}
	}
	snap := store.Snapshot{Records: []store.AccountRecord{
		rec("a", "widget", "w-1", 7), rec("a", "widget", "w-2", 7), rec("a", "gadget", "g-1", 7), rec("b", "widget", "w-1", 7),
	}}
	if err := db.Import(ctx, snap); err != nil {
		t.Fatal(err)
	}
	back, err := db.Export(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range back.Records {
		got = append(got, fmt.Sprintf("%s/%s/%s=%d", r.Account, r.Kind, r.ID, r.Seq))
	}
	slices.Sort(got)
	if want := []string{"a/gadget/g-1=9", "a/widget/w-1=7", "a/widget/w-2=8", "b/widget/w-1=10"}; !slices.Equal(got, want) {
		t.Errorf("seqs %q, want %q", got, want)
	}
	err = db.View(ctx, "a", func(tx store.Tx) error {
		page, err := tx.Query(ctx, store.Query{Kind: "widget", Filters: []store.Filter{{Name: "k", Values: []string{"v"}}}, Limit: 10})
		if err == nil && (len(page.Records) != 2 || page.Records[0].ID != "w-1" || page.Records[1].ID != "w-2") {
			t.Errorf("widgets k=v: %+v", page.Records)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

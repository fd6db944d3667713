package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/ecslocal/ecslocal/internal/store"
)

// oldFile writes a file as the schema of migrations 0001 to 0005 kept it
// (plain JSON documents, the attrs key with the id, attrs_by_id), with
// the SQL that code wrote it with.
func oldFile(t *testing.T, path string, recs []store.AccountRecord, seq int64) {
	t.Helper()
	ctx := context.Background()
	raw, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(names)
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := raw.ExecContext(ctx, q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	exec(`CREATE TABLE migrations (name TEXT PRIMARY KEY, applied TEXT NOT NULL)`)
	for _, name := range names {
		if name >= "migrations/0006" {
			break
		}
		body, err := fs.ReadFile(migrations, name)
		if err != nil {
			t.Fatal(err)
		}
		exec(string(body))
		exec(`INSERT INTO migrations (name, applied) VALUES (?, 'then')`, name)
	}
	for _, r := range recs {
		var due any
		if !r.Due.IsZero() {
			due = r.Due.UnixNano()
		}
		exec(`INSERT INTO records (account, kind, id, region, seq, due, data) VALUES (?, ?, ?, ?, ?, ?, ?)`, r.Account, r.Kind, r.ID, r.Region, r.Seq, due, r.Data)
		for _, a := range r.Attrs {
			exec(`INSERT INTO attrs (account, kind, region, name, value, seq, id) VALUES (?, ?, ?, ?, ?, ?, ?)`, r.Account, r.Kind, r.Region, a.Name, a.Value, r.Seq, r.ID)
		}
	}
	exec(`INSERT INTO counts (account, kind, region, name, value, n)
		SELECT account, kind, region, '', '', COUNT(*) FROM records GROUP BY account, kind, region;
		INSERT INTO counts (account, kind, region, name, value, n)
		SELECT account, kind, region, name, value, COUNT(*) FROM attrs GROUP BY account, kind, region, name, value;`)
	exec(`UPDATE counters SET n = ? WHERE name = 'seq'`, seq)
}

// TestMigrate06: a file written by the schema before 0006 opens, reads
// back as written (a seq repeated in a kind gets a fresh one), and takes
// writes that replace and remove the index rows migrated.
func TestMigrate06(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	due := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	attrs := func(kv ...string) []store.Attr {
		var out []store.Attr
		for i := 0; i < len(kv); i += 2 {
			out = append(out, store.Attr{Name: kv[i], Value: kv[i+1]})
		}
		return out
	}
	rec := func(account, kind, id, region string, seq int64, a []store.Attr) store.AccountRecord {
		return store.AccountRecord{Account: account, Record: store.Record{Kind: kind, ID: id, Region: region, Seq: seq, Attrs: a, Data: []byte(`{"id":"` + id + `"}`)}}
	}
	recs := []store.AccountRecord{
		rec("a", "instance", "i-1", "r1", 1, attrs("status", "Running", "zone", "z1")),
		rec("a", "instance", "i-2", "r1", 2, attrs("status", "Stopped", "zone", "z1")),
		rec("a", "disk", "d-1", "r2", 3, attrs("instance", "i-1")),
		rec("a", "instance", "i-3", "r1", 2, attrs("status", "Running", "tag", "x")), // seq 2 again
		rec("b", "instance", "i-1", "r1", 1, attrs("status", "Running")),
	}
	recs[0].Due = due
	oldFile(t, path, recs, 3)

	db := mustOpen(t, path)
	snap, err := db.Export(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// i-3 repeats seq 2 in its kind (0006 renumbers it), b's i-1 seq 1
	// across accounts (0007 does).
	wantSeq := map[string]int64{"a/i-1": 1, "a/i-2": 2, "a/d-1": 3, "a/i-3": 4, "b/i-1": 5}
	if len(snap.Records) != len(recs) {
		t.Fatalf("%d records after the migration, want %d", len(snap.Records), len(recs))
	}
	for _, got := range snap.Records {
		i := slices.IndexFunc(recs, func(r store.AccountRecord) bool {
			return r.Account == got.Account && r.Kind == got.Kind && r.ID == got.ID
		})
		if i < 0 {
			t.Fatalf("unknown record %+v", got)
		}
		want := recs[i]
		sortAttrs := func(a []store.Attr) []store.Attr {
			a = slices.Clone(a)
			slices.SortFunc(a, compareAttr)
			return a
		}
		if got.Region != want.Region || string(got.Data) != string(want.Data) || !got.Due.Equal(want.Due) ||
			!slices.Equal(got.Attrs, sortAttrs(want.Attrs)) || got.Seq != wantSeq[got.Account+"/"+got.ID] {
			t.Errorf("migrated %+v, want %+v (seq %d)", got, want, wantSeq[got.Account+"/"+got.ID])
		}
	}

	ids := func(account string, q store.Query) ([]string, int) {
		t.Helper()
		var out []string
		var total int
		err := db.View(ctx, account, func(tx store.Tx) error {
			q.Count, q.Limit = true, 10
			page, err := tx.Query(ctx, q)
			for _, r := range page.Records {
				out = append(out, r.ID)
			}
			total = page.Total
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return out, total
	}
	status := func(v string) store.Query {
		return store.Query{Kind: "instance", Region: "r1", Filters: []store.Filter{{Name: "status", Values: []string{v}}}}
	}
	check := func(what string, q store.Query, want ...string) {
		t.Helper()
		got, total := ids("a", q)
		if !slices.Equal(got, want) || total != len(want) {
			t.Errorf("%s: %q (total %d), want %q", what, got, total, want)
		}
	}
	check("Running", status("Running"), "i-1", "i-3")
	check("tag x and Running", store.Query{Kind: "instance", Region: "r1", Filters: []store.Filter{{Name: "status", Values: []string{"Running"}}, {Name: "tag", Values: []string{"x"}}}}, "i-3")
	check("disk by instance", store.Query{Kind: "disk", Filters: []store.Filter{{Name: "instance", Values: []string{"i-1"}}}}, "d-1")

	// Writes replace and remove the migrated rows.
	err = db.Update(ctx, "a", func(tx store.Tx) error {
		if _, _, err := tx.Put(ctx, store.Record{Kind: "instance", ID: "i-1", Region: "r1", Attrs: attrs("status", "Stopped", "zone", "z1"), Data: []byte(`{}`)}); err != nil {
			return err
		}
		if _, err := tx.Delete(ctx, "instance", "i-3"); err != nil {
			return err
		}
		_, _, err := tx.Put(ctx, store.Record{Kind: "instance", ID: "i-4", Region: "r1", Attrs: attrs("status", "Running"), Data: []byte(`{}`)})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	check("Running after the writes", status("Running"), "i-4")
	check("Stopped after the writes", status("Stopped"), "i-1", "i-2")
	check("tag x after the delete", store.Query{Kind: "instance", Region: "r1", Filters: []store.Filter{{Name: "tag", Values: []string{"x"}}}})
	check("zone", store.Query{Kind: "instance", Region: "r1", Filters: []store.Filter{{Name: "zone", Values: []string{"z1"}}}}, "i-1", "i-2")
	indexAll(t, db)
	var n int
	if err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM attrs`).Scan(&n); err != nil || n != 7 {
		t.Errorf("%d index rows (%v), want 7", n, err)
	}
	var seq int64
	if err := db.read.QueryRowContext(ctx, `SELECT seq FROM records WHERE account = 'a' AND id = 'i-4'`).Scan(&seq); err != nil || seq != 6 {
		t.Errorf("new record's seq %d (%v), want 6", seq, err)
	}
	if got, _ := ids("b", status("Running")); !slices.Equal(got, []string{"i-1"}) {
		t.Errorf("account b: %q", got)
	}
}

// TestQueryPlans: every shape of Query reads its driving filter's index
// rows (or the ids' records) and one point lookup per row for each other
// filter and the record, on a schema without statistics as a server has.
func TestQueryPlans(t *testing.T) {
	ctx := context.Background()
	db, err := OpenMemory(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	f := func(name string, values ...string) store.Filter { return store.Filter{Name: name, Values: values} }
	for _, q := range []store.Query{
		{Kind: "instance", Region: "r", Filters: []store.Filter{f("status", "Running"), f("tag", "a", "b"), {Name: "x", Values: []string{"1"}, Not: true}}},
		{Kind: "instance", Filters: []store.Filter{f("status", "Running"), f("zone", "z")}},
		{Kind: "eni", Region: "r", Filters: []store.Filter{f("instance", "i-1", "i-2"), f("type", "Primary")}},
		{Kind: "eni", Filters: []store.Filter{f("instance", "i-1", "i-2")}},
		{Kind: "instance", Region: "r", IDs: []string{"i-1", "i-2"}, Filters: []store.Filter{f("status", "Running")}},
		{Kind: "instance", Region: "r", Filters: []store.Filter{{Name: "x", Values: []string{"1"}, Not: true}}},
	} {
		err := db.View(ctx, "a", func(stx store.Tx) error {
			tx := stx.(*tx)
			from, countFrom, where, order, args := tx.queryPlan(q)
			for _, sql := range []string{
				`SELECT r.id, r.region, r.seq, r.due, r.data FROM ` + from + ` WHERE ` + where + ` ORDER BY ` + order + ` LIMIT 10`,
				`SELECT COUNT(*) FROM ` + countFrom + ` WHERE ` + where,
			} {
				rows, err := tx.query(ctx, `EXPLAIN QUERY PLAN `+sql, args...)
				if err != nil {
					return err
				}
				var plan []string
				byKey := false // a record read by its seq, the table's key
				for rows.Next() {
					var id, parent, unused int
					var detail string
					if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
						return err
					}
					plan = append(plan, detail)
					byKey = byKey || detail == "SEARCH r USING INTEGER PRIMARY KEY (rowid=?)"
					// A scan of a table or index grows with what is stored;
					// the loose index scan's CTE rows are one per region.
					if strings.HasPrefix(detail, "SCAN ") && detail != "SCAN rg" && detail != "SCAN CONSTANT ROW" {
						t.Errorf("%+v: %s", q, detail)
					}
				}
				if err := rows.Close(); err != nil {
					return err
				}
				// A filter's index rows (no ids) name their records by seq: one
				// lookup each in the table, not a walk of an index.
				if driver, several := store.Drivers(q); q.IDs == nil && (driver >= 0 || several >= 0) && strings.HasPrefix(sql, "SELECT r.") && !byKey {
					t.Errorf("%+v: records not read by their key:\n  %s", q, strings.Join(plan, "\n  "))
				}
				t.Logf("%+v:\n  %s", q, strings.Join(plan, "\n  "))
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// TestMigrate07: a file written by the schema of 0006 (records keyed by
// (account, kind, id), a seq repeated across kinds and accounts) opens with
// the seq as the records' key, reads back as written (the repeats with
// fresh seqs, on their index rows too), and takes writes.
func TestMigrate07(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	raw, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := raw.ExecContext(ctx, q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(names)
	exec(`CREATE TABLE migrations (name TEXT PRIMARY KEY, applied TEXT NOT NULL)`)
	for _, name := range names {
		if name >= "migrations/0007" {
			break
		}
		body, err := fs.ReadFile(migrations, name)
		if err != nil {
			t.Fatal(err)
		}
		exec(string(body))
		exec(`INSERT INTO migrations (name, applied) VALUES (?, 'then')`, name)
	}
	type rec struct {
		account, kind, id, region string
		seq                       int64
		attrs                     []store.Attr
	}
	a := func(name, value string) store.Attr { return store.Attr{Name: name, Value: value} }
	recs := []rec{
		{"a", "instance", "i-1", "r1", 1, []store.Attr{a("status", "Running"), a("tag", "x")}},
		{"a", "eni", "eni-1", "r1", 2, []store.Attr{a("instance", "i-1")}},
		{"a", "instance", "i-2", "r1", 2, []store.Attr{a("status", "Stopped"), a("tag", "x")}}, // seq 2 again, another kind
		{"b", "instance", "i-1", "r1", 1, []store.Attr{a("status", "Running")}},                // seq 1 again, another account
		{"a", "eni", "eni-2", "r1", 3, []store.Attr{a("instance", "i-2")}},
	}
	for _, r := range recs {
		slices.SortFunc(r.attrs, compareAttr)
		exec(`INSERT INTO records (account, kind, id, region, seq, due, data) VALUES (?, ?, ?, ?, ?, NULL, ?)`,
			r.account, r.kind, r.id, r.region, r.seq, pack([]byte(`{"id":"`+r.id+`"}`), r.attrs))
		for _, p := range r.attrs {
			exec(insertAttr, r.account, r.kind, r.region, p.Name, p.Value, r.seq)
		}
	}
	exec(`INSERT INTO counts (account, kind, region, name, value, n)
		SELECT account, kind, region, '', '', COUNT(*) FROM records GROUP BY account, kind, region;
		INSERT INTO counts (account, kind, region, name, value, n)
		SELECT account, kind, region, name, value, COUNT(*) FROM attrs GROUP BY account, kind, region, name, value;`)
	exec(`UPDATE counters SET n = 3 WHERE name = 'seq'`)
	raw.Close()

	db := mustOpen(t, path)
	snap, err := db.Export(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range snap.Records {
		got = append(got, fmt.Sprintf("%s/%s=%d %s %v", r.Account, r.ID, r.Seq, r.Data, r.Attrs))
	}
	slices.Sort(got)
	want := []string{
		`a/eni-1=2 {"id":"eni-1"} [{instance i-1}]`,
		`a/eni-2=3 {"id":"eni-2"} [{instance i-2}]`,
		`a/i-1=1 {"id":"i-1"} [{status Running} {tag x}]`,
		`a/i-2=4 {"id":"i-2"} [{status Stopped} {tag x}]`,
		`b/i-1=5 {"id":"i-1"} [{status Running}]`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("migrated:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	ids := func(account string, q store.Query) []string {
		t.Helper()
		var out []string
		err := db.View(ctx, account, func(tx store.Tx) error {
			q.Limit = 10
			page, err := tx.Query(ctx, q)
			for _, r := range page.Records {
				out = append(out, r.ID)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	check := func(what, account string, q store.Query, want ...string) {
		t.Helper()
		if got := ids(account, q); !slices.Equal(got, want) {
			t.Errorf("%s: %q, want %q", what, got, want)
		}
	}
	tag := store.Query{Kind: "instance", Region: "r1", Filters: []store.Filter{{Name: "tag", Values: []string{"x"}}}}
	enis := store.Query{Kind: "eni", Region: "r1", Filters: []store.Filter{{Name: "instance", Values: []string{"i-1", "i-2"}}}}
	check("tag x", "a", tag, "i-1", "i-2")
	check("ENIs of i-1 and i-2", "a", enis, "eni-1", "eni-2")
	check("b Running", "b", store.Query{Kind: "instance", Region: "r1", Filters: []store.Filter{{Name: "status", Values: []string{"Running"}}}}, "i-1")
	check("b, every instance", "b", store.Query{Kind: "instance"}, "i-1")

	err = db.Update(ctx, "a", func(tx store.Tx) error {
		if _, err := tx.Delete(ctx, "instance", "i-2"); err != nil {
			return err
		}
		_, _, err := tx.Put(ctx, store.Record{Kind: "instance", ID: "i-3", Region: "r1", Attrs: []store.Attr{a("tag", "x")}, Data: []byte(`{}`)})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	check("tag x after the writes", "a", tag, "i-1", "i-3")
	var seq int64
	if err := db.read.QueryRowContext(ctx, `SELECT seq FROM records WHERE account = 'a' AND id = 'i-3'`).Scan(&seq); err != nil || seq != 6 {
		t.Errorf("new record's seq %d (%v), want 6", seq, err)
	}
	var ok string
	if err := db.read.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&ok); err != nil || ok != "ok" {
		t.Errorf("integrity_check: %s (%v)", ok, err)
	}
}

// TestAccountsOfPlan: AccountsOf, with no index by (kind, id), seeks: one
// step of the loose scan per account and one probe of records_by_key, no
// scan of a table or an index.
func TestAccountsOfPlan(t *testing.T) {
	ctx := context.Background()
	db := mustOpen(t, filepath.Join(t.TempDir(), "x.db"))
	rows, err := db.read.QueryContext(ctx, `EXPLAIN QUERY PLAN `+accountsOfSQL, "instance", "i-1")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
		if strings.HasPrefix(detail, "SCAN ") && detail != "SCAN a" && detail != "SCAN CONSTANT ROW" {
			t.Errorf("AccountsOf scans: %s", detail)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	t.Logf("AccountsOf:\n  %s", strings.Join(plan, "\n  "))
}

// TestUpdateRecordIndexes: a record's UPDATE rewrites the entries of
// records_by_region and records_by_due only when it sets their column, and
// sets it only when it changed (updateRecord): a rewrite of the document
// alone touches no index, a pending record's new version the entry of
// records_pending alone.
func TestUpdateRecordIndexes(t *testing.T) {
	ctx := context.Background()
	db := mustOpen(t, filepath.Join(t.TempDir(), "x.db"))
	for _, c := range []struct {
		region, due, pend bool
		inserts           int
	}{{false, false, false, 0}, {false, true, false, 1}, {true, false, false, 1}, {true, true, false, 2}, {false, false, true, 1}} {
		rows, err := db.write.QueryContext(ctx, `EXPLAIN `+updateRecord(c.region, c.due, c.pend), "r", nil, []byte("d"), 1, 7)
		if err != nil {
			t.Fatal(err)
		}
		inserts := 0
		for rows.Next() {
			var addr, p1, p2, p3 int
			var op string
			var p4, p5, comment any
			if err := rows.Scan(&addr, &op, &p1, &p2, &p3, &p4, &p5, &comment); err != nil {
				t.Fatal(err)
			}
			if op == "IdxInsert" {
				inserts++
			}
		}
		if err := rows.Close(); err != nil {
			t.Fatal(err)
		}
		if inserts != c.inserts {
			t.Errorf("updateRecord(region %v, due %v): %d index entries written, want %d", c.region, c.due, inserts, c.inserts)
		}
	}
}

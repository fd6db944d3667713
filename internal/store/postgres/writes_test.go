package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/store"
)

// TestIndexRowsMatchRecords: after groups of callers that add, rewrite
// (attributes added, dropped and kept, the record moved to another
// region), delete and fail, every record's index rows in attrs are its
// attributes, with its region and seq, and the kept counts are exactly the
// rows counted afresh. Put finds a record's rows once and deletes, moves
// and adds by what it found (putDeltaSQL), or adds them all to a record
// the transaction knows to be absent (putNewSQL): a row it failed to drop,
// move or add, or added twice, fails here.
func TestIndexRowsMatchRecords(t *testing.T) {
	dsn, _ := freshSchema(t)
	db := mustOpen(t, dsn)
	ctx := context.Background()
	rec := func(n, v int) store.Record {
		id := fmt.Sprint("w", n)
		attrs := []store.Attr{{Name: "own", Value: id}, {Name: "zone", Value: "z"}, {Name: "pair", Value: fmt.Sprint(n / 2)},
			{Name: "status", Value: []string{"Running", "Stopped", "Pending"}[v%3]}}
		if v%2 == 0 {
			attrs = append(attrs, store.Attr{Name: "tag", Value: fmt.Sprint("t", v%5)}, store.Attr{Name: "tag", Value: "both"})
		}
		if v%4 == 1 {
			// A pair twice: one row.
			attrs = append(attrs, store.Attr{Name: "zone", Value: "z"})
		}
		data, _ := json.Marshal(attrs)
		return store.Record{Kind: "widget", ID: id, Region: []string{"r1", "r2"}[v%7/5], Data: data, Attrs: attrs}
	}
	errFail := errors.New("fail")
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	for round := range 30 {
		var wg sync.WaitGroup
		for c := range 12 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				n := (round*7 + c*5) % 20
				_ = db.Update(ctx, acct, func(tx store.Tx) error {
					switch (round + c) % 4 {
					case 3:
						// Read first: then known there (putThereSQL, or
						// putStagedSQL in another region) or absent (putNewSQL).
						if _, err := tx.Get(ctx, "widget", fmt.Sprint("w", n)); err != nil && !errors.Is(err, store.ErrNotFound) {
							return err
						}
						fallthrough
					case 0, 1:
						if _, _, err := tx.Put(ctx, rec(n, round+c)); err != nil {
							return err
						}
					case 2:
						if _, err := tx.Delete(ctx, "widget", fmt.Sprint("w", n)); err != nil && !errors.Is(err, store.ErrNotFound) {
							return err
						}
					}
					if c%5 == 0 {
						return errFail
					}
					return nil
				})
			}()
		}
		wg.Wait()
		// Each record's rows: its attributes (a pair once), its region, its seq.
		rows, err := conn.Query(ctx, `SELECT r.id, r.data, r.region, r.seq,
			COALESCE((SELECT json_agg(json_build_array(a.name, a.value, a.region, a.seq) ORDER BY a.name, a.value) FROM attrs a
				WHERE a.account = r.account AND a.kind = r.kind AND a.id = r.id), '[]')
			FROM records r WHERE r.account = $1 AND r.kind = 'widget'`, acct)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var id, region string
			var data, got []byte
			var seq int64
			if err := rows.Scan(&id, &data, &region, &seq, &got); err != nil {
				t.Fatal(err)
			}
			var attrs []store.Attr
			json.Unmarshal(data, &attrs)
			set := map[string]bool{}
			for _, a := range attrs {
				set[fmt.Sprintf(`[%q, %q, %q, %d]`, a.Name, a.Value, region, seq)] = true
			}
			var want []string
			for k := range set {
				want = append(want, k)
			}
			sort.Strings(want)
			var gotRows []json.RawMessage
			json.Unmarshal(got, &gotRows)
			var have []string
			for _, g := range gotRows {
				var v []any
				json.Unmarshal(g, &v)
				have = append(have, fmt.Sprintf(`[%q, %q, %q, %d]`, v[0], v[1], v[2], int64(v[3].(float64))))
			}
			sort.Strings(have)
			if strings.Join(have, " ") != strings.Join(want, " ") {
				t.Fatalf("round %d: %s's index rows %v, want %v", round, id, have, want)
			}
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		var orphans, bad, missing int
		if err := conn.QueryRow(ctx, `SELECT
			(SELECT count(*) FROM attrs a WHERE NOT EXISTS (SELECT 1 FROM records r WHERE r.account = a.account AND r.kind = a.kind AND r.id = a.id)),
			(SELECT count(*) FROM (SELECT account, kind, region, name, value, n FROM counts
				EXCEPT SELECT account, kind, region, name, value, count(*) FROM attrs GROUP BY 1, 2, 3, 4, 5
				EXCEPT SELECT account, kind, region, '', '', count(*) FROM records GROUP BY 1, 2, 3) x),
			(SELECT count(*) FROM (SELECT account, kind, region, name, value, count(*) FROM attrs GROUP BY 1, 2, 3, 4, 5
				UNION ALL SELECT account, kind, region, '', '', count(*) FROM records GROUP BY 1, 2, 3
				EXCEPT SELECT account, kind, region, name, value, n FROM counts) y)`).Scan(&orphans, &bad, &missing); err != nil {
			t.Fatal(err)
		}
		if orphans != 0 || bad != 0 || missing != 0 {
			t.Fatalf("round %d: %d index rows without their record, %d kept counts differ from the rows, %d missing", round, orphans, bad, missing)
		}
	}
}

// TestPutPlan: Put adds only the index rows the record's rows, read
// once, lack: an INSERT with no ON CONFLICT, which made PostgreSQL search
// the primary key for every attribute of the record, changed or not,
// before inserting.
func TestPutPlan(t *testing.T) {
	dsn, _ := freshSchema(t)
	db := mustOpen(t, dsn)
	ctx := context.Background()
	rec := store.Record{Kind: "widget", ID: "w1", Region: "r1", Data: []byte(`{}`),
		Attrs: []store.Attr{{Name: "status", Value: "Running"}, {Name: "zone", Value: "z"}}}
	if err := db.Update(ctx, acct, func(tx store.Tx) error { _, _, err := tx.Put(ctx, rec); return err }); err != nil {
		t.Fatal(err)
	}
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	conn.Exec(ctx, countDeltasSQL)
	tx, err := conn.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	var plan strings.Builder
	rows, err := tx.Query(ctx, `EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) `+putStagedSQL,
		acct, "widget", "w1", "r2", nil, []byte(`{}`), []string{"status", "zone"}, []string{"Stopped", "z"}, []string{})
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var line string
		rows.Scan(&line)
		plan.WriteString(line + "\n")
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	p := plan.String()
	for _, want := range []string{"Delete on attrs", "Update on attrs", "Insert on attrs"} {
		if !strings.Contains(p, want) {
			t.Errorf("no %q in the plan:\n%s", want, p)
		}
	}
	if strings.Contains(p, "Conflict Resolution: NOTHING") {
		t.Errorf("the index rows added with ON CONFLICT:\n%s", p)
	}
}

// TestCountDeltasNoToast: the staging table has no TOAST table, so that
// the truncation at each COMMIT is of one file, and its columns take an
// attribute of any length an index row holds.
func TestCountDeltasNoToast(t *testing.T) {
	dsn, _ := freshSchema(t)
	db := mustOpen(t, dsn)
	ctx := context.Background()
	long := strings.Repeat("v", 2000)
	rec := store.Record{Kind: "widget", ID: "w1", Region: "r1", Data: []byte(`{}`), Attrs: []store.Attr{{Name: "tag", Value: long}}}
	if err := db.Update(ctx, acct, func(tx store.Tx) error { _, _, err := tx.Put(ctx, rec); return err }); err != nil {
		t.Fatal(err)
	}
	err := db.View(ctx, acct, func(tx store.Tx) error {
		page, err := tx.Query(ctx, store.Query{Kind: "widget", Region: "r1", Filters: []store.Filter{store.Where("tag", long)}, Count: true})
		if err == nil && page.Total != 1 {
			err = fmt.Errorf("count of the long value %d, want 1", page.Total)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	c, err := db.pool.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Release()
	var toast int64
	var cols string
	if err := c.QueryRow(ctx, `SELECT c.reltoastrelid::bigint,
		(SELECT string_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod) || ' ' || a.attstorage::text || ' ' || COALESCE(l.collname, '-'), ', ' ORDER BY a.attnum)
			FROM pg_attribute a LEFT JOIN pg_collation l ON l.oid = a.attcollation AND a.attcollation <> 0 WHERE a.attrelid = c.oid AND a.attnum > 0)
		FROM pg_class c WHERE c.oid = 'pg_temp.count_deltas'::regclass`).Scan(&toast, &cols); err != nil {
		t.Fatal(err)
	}
	if toast != 0 {
		t.Errorf("count_deltas has a TOAST table (%d)", toast)
	}
	if want := "kind text p C, region text p C, name text p C, value text p C, n bigint p -"; cols != want {
		t.Errorf("count_deltas columns: %s; want %s", cols, want)
	}
}

// TestAccountsOfPlan: AccountsOf seeks each account and probes its key
// (migration 0008 dropped the index by kind and id alone): no scan of
// the records.
func TestAccountsOfPlan(t *testing.T) {
	dsn, _ := freshSchema(t)
	db := mustOpen(t, dsn)
	ctx := context.Background()
	for a := range 3 {
		putWidgets(t, db, fmt.Sprint("acct", a), 700)
	}
	if _, err := db.pool.Exec(ctx, `ANALYZE records`); err != nil {
		t.Fatal(err)
	}
	got, err := db.AccountsOf(ctx, "widget", "w5")
	sort.Strings(got)
	if err != nil || strings.Join(got, ",") != "acct0,acct1,acct2" {
		t.Fatalf("AccountsOf: %v, %v; want acct0, acct1, acct2", got, err)
	}
	if got, err := db.AccountsOf(ctx, "widget", "w700"); err != nil || len(got) != 0 {
		t.Fatalf("AccountsOf of none: %v, %v", got, err)
	}
	var plan strings.Builder
	rows, err := db.pool.Query(ctx, `EXPLAIN (COSTS OFF) `+accountsOfSQL, "widget", "w5")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var line string
		rows.Scan(&line)
		plan.WriteString(line + "\n")
	}
	if strings.Contains(plan.String(), "Seq Scan") {
		t.Errorf("AccountsOf scans the records:\n%s", plan.String())
	}
}

// TestMigrationDropsRecordsByID: a schema made before migration 0008, with
// records in it, opens with records_by_id gone and AccountsOf answering
// as before.
func TestMigrationDropsRecordsByID(t *testing.T) {
	dsn, _ := freshSchema(t)
	ctx := context.Background()
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(names)
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `CREATE TABLE migrations (name text COLLATE "C" PRIMARY KEY, applied timestamptz NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	for _, name := range names {
		if name >= "migrations/0008" {
			break
		}
		body, _ := fs.ReadFile(migrations, name)
		if _, err := conn.Exec(ctx, string(body)); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if _, err := conn.Exec(ctx, `INSERT INTO migrations (name, applied) VALUES ($1, now())`, name); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := conn.Exec(ctx, `INSERT INTO records (account, kind, id, region, seq, data) VALUES
		('a1', 'widget', 'w1', 'r1', nextval('record_seq'), '{}'), ('a2', 'widget', 'w1', 'r1', nextval('record_seq'), '{}'),
		('a2', 'widget', 'w2', 'r1', nextval('record_seq'), '{}')`); err != nil {
		t.Fatal(err)
	}
	db := mustOpen(t, dsn)
	var exists bool
	if err := conn.QueryRow(ctx, `SELECT to_regclass('records_by_id') IS NOT NULL`).Scan(&exists); err != nil || exists {
		t.Errorf("records_by_id after the migration: %v, %v", exists, err)
	}
	for id, want := range map[string]string{"w1": "a1,a2", "w2": "a2", "w3": ""} {
		got, err := db.AccountsOf(ctx, "widget", id)
		sort.Strings(got)
		if err != nil || strings.Join(got, ",") != want {
			t.Errorf("AccountsOf(widget, %s) = %v, %v; want %s", id, got, err, want)
		}
	}
}

// TestQueryByIDsPlannedOnce: a query by ids takes them as a JSON list
// made an array by a subquery, answers as before, and PostgreSQL keeps one
// generic plan for it. (With an array parameter a server under run-delete
// planned most lookups of one id anew, their one id priced below the
// generic plan's guess of ten; this schema's few rows do not show that.)
func TestQueryByIDsPlannedOnce(t *testing.T) {
	dsn, _ := freshSchema(t)
	db := mustOpen(t, withParam(dsn, "pool_max_conns", "2"))
	ctx := context.Background()
	putWidgets(t, db, acct, 40)
	for i := range 20 {
		err := db.Update(ctx, acct, func(tx store.Tx) error {
			page, err := tx.Query(ctx, store.Query{Kind: "widget", IDs: []string{fmt.Sprint("w", i)}, Limit: 1})
			if err == nil && (len(page.Records) != 1 || page.Records[0].ID != fmt.Sprint("w", i)) {
				err = fmt.Errorf("by id w%d: %+v", i, page.Records)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	var custom, generic int64
	for range 2 {
		c, err := db.pool.Acquire(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Release()
		var cp, gp int64
		if err := c.QueryRow(ctx, `SELECT COALESCE(sum(custom_plans), 0), COALESCE(sum(generic_plans), 0) FROM pg_prepared_statements
			WHERE statement LIKE '%r.id = ANY%'`).Scan(&cp, &gp); err != nil {
			t.Fatal(err)
		}
		custom, generic = custom+cp, generic+gp
	}
	// Five custom plans per connection before PostgreSQL settles.
	if generic < 10 || custom > 10 {
		t.Errorf("queries by id: %d custom plans, %d generic; want at most 10 custom", custom, generic)
	}
}

// TestPutThere: a record the transaction knows to be there in the same
// region is rewritten by putThereSQL (an UPDATE, no move of its rows), and
// the rows and counts come out as with putStagedSQL; one it knows in
// another region, or does not know, goes through putStagedSQL. Were the
// record not there after all, putThereSQL changes nothing and answers no
// row.
func TestPutThere(t *testing.T) {
	dsn, _ := freshSchema(t)
	db := mustOpen(t, withParam(dsn, "pool_max_conns", "2"))
	ctx := context.Background()
	rec := func(region, status string) store.Record {
		return store.Record{Kind: "widget", ID: "w1", Region: region, Data: []byte(status),
			Attrs: []store.Attr{{Name: "status", Value: status}, {Name: "zone", Value: "z"}}}
	}
	put := func(rs ...store.Record) {
		t.Helper()
		err := db.Update(ctx, acct, func(tx store.Tx) error {
			for _, r := range rs {
				if _, _, err := tx.Put(ctx, r); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	executions := func(sql string) int64 { return executionsOf(t, db, sql) }
	// New, then rewritten in the same transaction, then moved and rewritten.
	put(rec("r1", "Pending"), rec("r1", "Running"))
	put(rec("r2", "Running"), rec("r2", "Stopped"))
	if there, staged := executions(putThereSQL), executions(putStagedSQL); there != 2 || staged != 2 {
		t.Errorf("putThereSQL %d times, putStagedSQL %d; want 2 and 2", there, staged)
	}
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var rows, counts string
	read := func() {
		t.Helper()
		if err := conn.QueryRow(ctx, `SELECT
			(SELECT string_agg(region || ' ' || name || '=' || value, ', ' ORDER BY name) FROM attrs WHERE id = 'w1'),
			(SELECT string_agg(region || ' ' || name || '=' || value || ' ' || n, ', ' ORDER BY region, name, value) FROM counts)`).Scan(&rows, &counts); err != nil {
			t.Fatal(err)
		}
	}
	read()
	if want := "r2 status=Stopped, r2 zone=z"; rows != want {
		t.Errorf("index rows %q, want %q", rows, want)
	}
	if want := "r2 = 1, r2 status=Stopped 1, r2 zone=z 1"; counts != want {
		t.Errorf("counts %q, want %q", counts, want)
	}
	// Not there in that region, or not there at all: nothing changes.
	conn.Exec(ctx, countDeltasSQL)
	for _, args := range [][]any{
		{acct, "widget", "w1", "r1", nil, []byte(`x`), []string{"status"}, []string{"Lost"}, []string{}},
		{acct, "widget", "w9", "r2", nil, []byte(`x`), []string{"status"}, []string{"Lost"}, []string{}},
	} {
		tx, err := conn.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var seq *int64
		err = tx.QueryRow(ctx, putThereSQL, args...).Scan(nil, nil, nil, nil, &seq)
		if !errors.Is(err, pgx.ErrNoRows) {
			t.Errorf("%v: %v, want no row", args[3:4], err)
		}
		var staged int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM pg_temp.count_deltas`).Scan(&staged); err != nil || staged != 0 {
			t.Errorf("%v: %d count changes staged (%v)", args[3:4], staged, err)
		}
		if err := tx.Commit(ctx); err != nil {
			t.Fatal(err)
		}
		before := rows
		read()
		if rows != before {
			t.Errorf("%v: index rows %q after, %q before", args[3:4], rows, before)
		}
	}
}

// putWidgets writes n empty widgets w0… of region r1 to account in one
// transaction, queued as a launch queues its writes.
// executionsOf counts the executions of sql on the two connections of a
// pool of two (pool_max_conns=2): one statement's plans, generic or custom.
func executionsOf(t *testing.T, db *DB, sql string) int64 {
	t.Helper()
	ctx := context.Background()
	var n int64
	for range 2 {
		c, err := db.pool.Acquire(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Release()
		var k int64
		if err := c.QueryRow(ctx, `SELECT COALESCE(sum(generic_plans + custom_plans), 0) FROM pg_prepared_statements WHERE statement = $1`, sql).Scan(&k); err != nil {
			t.Fatal(err)
		}
		n += k
	}
	return n
}

func putWidgets(t *testing.T, db *DB, account string, n int) {
	t.Helper()
	ctx := context.Background()
	err := db.Update(ctx, account, func(tx store.Tx) error {
		for i := range n {
			if err := tx.(store.Queuer).PutThen(ctx, store.Record{Kind: "widget", ID: fmt.Sprint("w", i), Region: "r1", Data: []byte(`{}`)}, func(store.Record, bool) {}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestPutNew: a record whose ID was made for it (store.Create) or that the
// transaction knows to be absent (read as absent, or deleted by it) is
// written by putNewSQL, an INSERT with no read of an older version, and
// its index rows and kept counts come out as putStagedSQL's would. An ID
// made twice fails the INSERT as a lost race: the Update runs again (here
// with another ID), and the record that had the ID is left as it was.
func TestPutNew(t *testing.T) {
	dsn, _ := freshSchema(t)
	db := mustOpen(t, withParam(dsn, "pool_max_conns", "2"))
	ctx := context.Background()
	inst := func(id, status string) cloud.Instance {
		return cloud.Instance{ID: id, Region: "r1", Zone: "z", Status: status, Name: "n-" + id, PrivateIP: "10.0.0.1", SecurityGroups: []string{"sg-1", "sg-1"}}
	}
	executions := func(sql string) int64 { return executionsOf(t, db, sql) }
	update := func(fn func(tx store.Tx) error) {
		t.Helper()
		if err := db.Update(ctx, acct, fn); err != nil {
			t.Fatal(err)
		}
	}
	// Made for the write; read as absent; deleted, then written again.
	update(func(tx store.Tx) error {
		if err := store.Create(ctx, tx, inst("i-1", "Pending")); err != nil {
			return err
		}
		return store.Put(ctx, tx, inst("i-9", "Running"))
	})
	update(func(tx store.Tx) error {
		if _, err := tx.Get(ctx, "instance", "i-2"); !errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("i-2: %v, want not found", err)
		}
		if err := store.Put(ctx, tx, inst("i-2", "Running")); err != nil {
			return err
		}
		if _, err := tx.Delete(ctx, "instance", "i-9"); err != nil {
			return err
		}
		return store.Put(ctx, tx, inst("i-9", "Stopped"))
	})
	if n, staged := executions(putNewSQL), executions(putStagedSQL); n != 3 || staged != 1 {
		t.Errorf("putNewSQL %d times, putStagedSQL %d; want 3 and 1", n, staged)
	}
	// i-1 again, as an ID made twice would be: the second attempt makes i-3.
	attempts := 0
	var journal []store.Change
	update(func(tx store.Tx) error {
		attempts++
		id := "i-1"
		if attempts > 1 {
			id = "i-3"
		}
		if err := store.Create(ctx, tx, inst(id, "Starting")); err != nil {
			return err
		}
		if err := store.Flush(ctx, tx); err != nil {
			return err
		}
		journal = tx.Journal().Changes()
		return nil
	})
	if attempts != 2 || len(journal) != 1 || journal[0].ID != "i-3" {
		t.Errorf("%d attempts, journal %+v; want 2, the creation of i-3", attempts, journal)
	}
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var records string
	var bad, missing int
	if err := conn.QueryRow(ctx, `SELECT
		(SELECT string_agg(id || ' ' || (SELECT string_agg(name || '=' || value, ',' ORDER BY name, value) FROM attrs a WHERE a.id = r.id AND a.seq = r.seq AND a.region = r.region), ' ' ORDER BY id) FROM records r),
		(SELECT count(*) FROM (SELECT account, kind, region, name, value, n FROM counts
			EXCEPT SELECT account, kind, region, name, value, count(*) FROM attrs a WHERE NOT EXISTS (SELECT 1 FROM uncounted u WHERE u.kind = a.kind AND u.name = a.name) GROUP BY 1, 2, 3, 4, 5
			EXCEPT SELECT account, kind, region, '', '', count(*) FROM records GROUP BY 1, 2, 3) x),
		(SELECT count(*) FROM (SELECT account, kind, region, name, value, count(*) FROM attrs a WHERE NOT EXISTS (SELECT 1 FROM uncounted u WHERE u.kind = a.kind AND u.name = a.name) GROUP BY 1, 2, 3, 4, 5
			UNION ALL SELECT account, kind, region, '', '', count(*) FROM records GROUP BY 1, 2, 3
			EXCEPT SELECT account, kind, region, name, value, n FROM counts) y)`).Scan(&records, &bad, &missing); err != nil {
		t.Fatal(err)
	}
	want := "i-1 name=n-i-1,privateIp=10.0.0.1,sg=sg-1,status=Pending,zone=z i-2 name=n-i-2,privateIp=10.0.0.1,sg=sg-1,status=Running,zone=z " +
		"i-3 name=n-i-3,privateIp=10.0.0.1,sg=sg-1,status=Starting,zone=z i-9 name=n-i-9,privateIp=10.0.0.1,sg=sg-1,status=Stopped,zone=z"
	if records != want {
		t.Errorf("records and their index rows\n%s\nwant\n%s", records, want)
	}
	if bad != 0 || missing != 0 {
		t.Errorf("%d kept counts differ from the rows, %d missing", bad, missing)
	}
}

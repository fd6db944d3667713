package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/ecslocal/ecslocal/internal/store"
	"github.com/ecslocal/ecslocal/internal/store/storetest"
)

// testDSN is the database the tests use, or a visible skip.
func testDSN(tb testing.TB) string {
	tb.Helper()
	dsn := os.Getenv("ECSLOCAL_TEST_POSTGRES")
	if dsn == "" {
		tb.Skip("ECSLOCAL_TEST_POSTGRES not set: PostgreSQL store tests skipped")
	}
	return dsn
}

// withParam adds one parameter to a URL or key=value DSN.
func withParam(dsn, key, value string) string {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		sep := "?"
		if strings.Contains(dsn, "?") {
			sep = "&"
		}
		return dsn + sep + key + "=" + value
	}
	return dsn + " " + key + "=" + value
}

// freshSchema creates a schema with a random name for this test and drops
// it, with everything in it, when the test ends: parallel runs and reruns
// never see each other's tables.
func freshSchema(tb testing.TB) (dsn, schema string) {
	tb.Helper()
	base := testDSN(tb)
	ctx := context.Background()
	schema = fmt.Sprintf("ecslocal_test_%016x", rand.Uint64())
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		tb.Fatalf("connect %s: %v", base, err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `CREATE SCHEMA `+pgx.Identifier{schema}.Sanitize()); err != nil {
		tb.Fatalf("create schema: %v", err)
	}
	tb.Cleanup(func() {
		conn, err := pgx.Connect(ctx, base)
		if err != nil {
			tb.Errorf("connect to drop schema %s: %v", schema, err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, `DROP SCHEMA `+pgx.Identifier{schema}.Sanitize()+` CASCADE`); err != nil {
			tb.Errorf("drop schema %s: %v", schema, err)
		}
	})
	return withParam(base, "search_path", schema), schema
}

// mustOpen opens a DB on dsn and closes it when the test ends (before the
// schema is dropped: cleanups run last registered first).
func mustOpen(tb testing.TB, dsn string) *DB {
	tb.Helper()
	db, err := Open(context.Background(), dsn)
	if err != nil {
		tb.Fatalf("Open: %v", err)
	}
	tb.Cleanup(func() {
		if err := db.Close(); err != nil {
			tb.Errorf("Close: %v", err)
		}
	})
	return db
}

func TestConformance(t *testing.T) {
	testDSN(t)
	storetest.Run(t, func(tb testing.TB) store.Store {
		tb.Helper()
		dsn, _ := freshSchema(tb)
		return mustOpen(tb, dsn)
	})
}

// replicas opens two DBs over one fresh schema, as two ecslocal processes
// over one PostgreSQL would be.
func replicas(tb testing.TB) [2]*DB {
	tb.Helper()
	dsn, _ := freshSchema(tb)
	return [2]*DB{mustOpen(tb, dsn), mustOpen(tb, dsn)}
}

const acct = "1000000000000001"

// gate makes the first n callers of wait wait for each other (or for a
// while, should one never come), so that n transactions are surely open at
// once before any of them goes on; later callers pass.
func gate(n int) (wait func()) {
	var arrived atomic.Int64
	all := make(chan struct{})
	return func() {
		k := arrived.Add(1)
		if k > int64(n) {
			return
		}
		if k == int64(n) {
			close(all)
			return
		}
		select {
		case <-all:
		case <-time.After(10 * time.Second):
		}
	}
}

var t0 = time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)

func doc(tb testing.TB, v any) []byte {
	tb.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// TestReplicasRaceOneWinner: goroutines alternating between two replicas
// race to flip one record Running→Releasing; exactly one wins, the others
// queue on the account's lock and then see Releasing: none is aborted or
// re-run, and no caller sees a conflict. AfterCommit hears of the one
// change once.
func TestReplicasRaceOneWinner(t *testing.T) {
	const workers = 8
	ctx := context.Background()
	dbs := replicas(t)
	var committed, retried atomic.Int64
	for _, db := range dbs {
		db.SetHooks(store.Hooks{
			AfterCommit: func(_ context.Context, _ string, changes []store.Change) { committed.Add(int64(len(changes))) },
			Conflict: func(_ context.Context, again bool) {
				if again {
					retried.Add(1)
				}
			},
		})
	}
	type state struct {
		Status string `json:"status"`
		By     int    `json:"by"`
	}
	if err := dbs[0].Update(ctx, acct, func(tx store.Tx) error {
		return store.PutRaw(ctx, tx, store.Record{Kind: "instance", ID: "i-1", Region: "r", Attrs: []store.Attr{{Name: "status", Value: "Running"}},
			Data: doc(t, state{Status: "Running"})})
	}); err != nil {
		t.Fatal(err)
	}

	var wins atomic.Int64
	var wg sync.WaitGroup
	start := make(chan struct{})
	errs := make(chan error, workers)
	// Every worker has called Update before any began: a real race.
	allCalled := gate(workers)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			var won bool
			allCalled()
			err := dbs[w%2].Update(ctx, acct, func(tx store.Tx) error {
				won = false
				r, err := tx.Get(ctx, "instance", "i-1")
				if err != nil {
					return err
				}
				var s state
				if err := json.Unmarshal(r.Data, &s); err != nil {
					return err
				}
				if s.Status != "Running" {
					return nil
				}
				before := r
				r.Data, r.Attrs = doc(t, state{Status: "Releasing", By: w}), []store.Attr{{Name: "status", Value: "Releasing"}}
				if err := store.PutRaw(ctx, tx, r); err != nil {
					if w%2 == 1 {
						// A closure may turn any error into its own; the
						// backend still knows the attempt lost a race.
						return errors.New("the closure's own error")
					}
					return err
				}
				tx.Journal().Record(&before, &r)
				won = true
				return nil
			})
			if err != nil {
				errs <- err
			} else if won {
				wins.Add(1)
			}
		}()
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("Update: %v (a lost race must be re-run inside the backend)", err)
	}
	if n := wins.Load(); n != 1 {
		t.Errorf("%d of %d racing releases won, want exactly 1", n, workers)
	}
	if n := committed.Load(); n != 1 {
		t.Errorf("AfterCommit heard of %d changes, want 1 (retried attempts publish nothing)", n)
	}
	if n := retried.Load(); n != 0 {
		t.Errorf("%d attempts re-run, want none: writers of one account queue, they do not abort", n)
	}
	for i, db := range dbs {
		if err := db.View(ctx, acct, func(tx store.Tx) error {
			page, err := tx.Query(ctx, store.Query{Kind: "instance", Filters: []store.Filter{{Name: "status", Values: []string{"Releasing"}}}, Limit: 10})
			if err == nil && len(page.Records) != 1 {
				t.Errorf("replica %d: %d records Releasing, want 1", i, len(page.Records))
			}
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
}

// TestReplicasShareNonces: a SignatureNonce used on one replica is refused
// on the other, also when both see it at once.
func TestReplicasShareNonces(t *testing.T) {
	ctx := context.Background()
	dbs := replicas(t)
	now := time.Now()
	if fresh, err := dbs[0].UseNonce(ctx, "key", "nonce-1", now); err != nil || !fresh {
		t.Fatalf("first use on replica 0: %v, %v; want fresh", fresh, err)
	}
	if fresh, err := dbs[1].UseNonce(ctx, "key", "nonce-1", now.Add(time.Second)); err != nil || fresh {
		t.Errorf("replay on replica 1: fresh %v, %v; want refused", fresh, err)
	}
	const workers = 8
	var fresh atomic.Int64
	var wg sync.WaitGroup
	start := make(chan struct{})
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			ok, err := dbs[w%2].UseNonce(ctx, "key", "nonce-2", now)
			if err != nil {
				t.Errorf("UseNonce: %v", err)
			}
			if ok {
				fresh.Add(1)
			}
		}()
	}
	close(start)
	wg.Wait()
	if n := fresh.Load(); n != 1 {
		t.Errorf("one nonce sent %d times at once to two replicas was fresh %d times, want 1", workers, n)
	}
}

// TestReplicasApplyDueOnce: 50 records due; both replicas' schedulers
// settle at once, several goroutines each (DueAccounts, then an empty
// Update per account, as clock.Settle does). Every event is applied exactly
// once: its record says so, and AfterCommit reports it once.
func TestReplicasApplyDueOnce(t *testing.T) {
	const records, workers = 50, 8
	ctx := context.Background()
	dbs := replicas(t)
	type widget struct {
		Applied int `json:"applied"`
	}
	var attempts atomic.Int64
	// Every settler has found the account due before any settles: a real race.
	allBegun := gate(workers)
	var mu sync.Mutex
	published := map[string]int{}
	// The records are written before the hooks are set.
	if err := dbs[0].Update(ctx, acct, func(tx store.Tx) error {
		for i := range records {
			if err := store.PutRaw(ctx, tx, store.Record{Kind: "widget", ID: fmt.Sprintf("w-%02d", i), Region: "r", Due: t0, Data: doc(t, widget{})}); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	var retried atomic.Int64
	for _, db := range dbs {
		db.SetHooks(store.Hooks{
			Now: func(context.Context, store.MetaTx) (time.Time, error) { return t0.Add(time.Minute), nil },
			Conflict: func(_ context.Context, again bool) {
				if again {
					retried.Add(1)
				}
			},
			BeforeUpdate: func(ctx context.Context, tx store.Tx) error {
				if _, err := tx.GetMeta(ctx, "snapshot"); err != nil && !errors.Is(err, store.ErrNotFound) {
					return err
				}
				due, err := tx.Due(ctx, tx.Now(), 100)
				if err != nil {
					return err
				}
				for _, r := range due {
					attempts.Add(1) // applications tried, committed or not
					before := r
					var w widget
					if err := json.Unmarshal(r.Data, &w); err != nil {
						return err
					}
					w.Applied++
					r.Data, r.Due = doc(t, w), time.Time{}
					if err := store.PutRaw(ctx, tx, r); err != nil {
						return err
					}
					tx.Journal().Record(&before, &r)
				}
				return nil
			},
			AfterCommit: func(_ context.Context, _ string, changes []store.Change) {
				mu.Lock()
				defer mu.Unlock()
				for _, c := range changes {
					published[c.ID]++
				}
			},
		})
	}
	if accounts, err := dbs[1].DueAccounts(ctx, t0); err != nil || len(accounts) != 1 {
		t.Fatalf("DueAccounts before settling: %q, %v", accounts, err)
	}

	var wg sync.WaitGroup
	start := make(chan struct{})
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			db := dbs[w%2]
			<-start
			for range 3 {
				accounts, err := db.DueAccounts(ctx, t0.Add(time.Minute))
				if err != nil {
					t.Errorf("DueAccounts: %v", err)
					return
				}
				allBegun()
				for _, a := range accounts {
					if err := db.Update(ctx, a, func(store.Tx) error { return nil }); err != nil {
						t.Errorf("settle: %v", err)
					}
				}
			}
		}()
	}
	close(start)
	wg.Wait()

	err := dbs[1].View(ctx, acct, func(tx store.Tx) error {
		page, err := tx.Query(ctx, store.Query{Kind: "widget", Limit: 100})
		if err != nil {
			return err
		}
		if len(page.Records) != records {
			t.Errorf("%d records, want %d", len(page.Records), records)
		}
		for _, r := range page.Records {
			var w widget
			json.Unmarshal(r.Data, &w)
			if w.Applied != 1 || !r.Due.IsZero() {
				t.Errorf("%s: applied %d times, due %v; want once, no longer due", r.ID, w.Applied, r.Due)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(published) != records {
		t.Errorf("AfterCommit reported %d records, want %d", len(published), records)
	}
	for id, n := range published {
		if n != 1 {
			t.Errorf("AfterCommit reported %s %d times, want once", id, n)
		}
	}
	if accounts, err := dbs[0].DueAccounts(ctx, t0.Add(time.Hour)); err != nil || len(accounts) != 0 {
		t.Errorf("DueAccounts after settling: %q, %v", accounts, err)
	}
	// The losers wait for the winner's account lock and then find nothing
	// due; none is aborted, none applies an event the winner claimed.
	if n := retried.Load(); n != 0 {
		t.Errorf("%d settling attempts re-run, want none: settlers of one account queue", n)
	}
	if n := attempts.Load(); n != records {
		t.Errorf("%d applications tried for %d events, want each tried once: the rows are claimed before they are applied", n, records)
	}
}

// TestMigrationsOnce: replicas starting together on an empty schema apply
// each migration once (the advisory lock), and a later open applies none.
func TestMigrationsOnce(t *testing.T) {
	base := testDSN(t)
	ctx := context.Background()
	schema := fmt.Sprintf("ecslocal_test_%016x", rand.Uint64())
	dsn := withParam(base, SchemaParam, schema)
	t.Cleanup(func() {
		conn, err := pgx.Connect(ctx, base)
		if err != nil {
			t.Errorf("connect: %v", err)
			return
		}
		defer conn.Close(ctx)
		conn.Exec(ctx, `DROP SCHEMA IF EXISTS `+pgx.Identifier{schema}.Sanitize()+` CASCADE`)
	})
	const n = 4
	dbs := make([]*DB, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			dbs[i], errs[i] = Open(ctx, dsn)
		}()
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("Open %d of %d at once: %v", i, n, errs[i])
		}
		defer dbs[i].Close()
	}
	applied := func() map[string]time.Time {
		rows, err := dbs[0].pool.Query(ctx, `SELECT name, applied FROM migrations`)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]time.Time{}
		for rows.Next() {
			var name string
			var at time.Time
			if err := rows.Scan(&name, &at); err != nil {
				t.Fatal(err)
			}
			out[name] = at
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		return out
	}
	before := applied()
	names, _ := fs.Glob(migrations, "migrations/*.sql")
	if len(before) != len(names) {
		t.Errorf("%d migrations recorded, want %d", len(before), len(names))
	}
	again := mustOpen(t, dsn)
	_ = again
	after := applied()
	for name, at := range before {
		if !after[name].Equal(at) {
			t.Errorf("migration %s applied again", name)
		}
	}
	// The schema is shared: what one wrote, another reads.
	if err := dbs[1].Update(ctx, acct, func(tx store.Tx) error { return tx.PutMeta(ctx, "k", []byte(`1`)) }); err != nil {
		t.Fatal(err)
	}
	if err := again.Meta(ctx, func(m store.MetaTx) error {
		v, err := m.GetMeta(ctx, "k")
		if err == nil && string(v) != "1" {
			t.Errorf("meta read on another replica: %s", v)
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
}

// TestAutoSchema: ecslocal_schema=auto gives every DB its own empty schema,
// dropped on Close.
func TestAutoSchema(t *testing.T) {
	base := testDSN(t)
	ctx := context.Background()
	dsn := withParam(base, SchemaParam, "auto")
	a, err := Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if a.schema == b.schema || !strings.HasPrefix(a.schema, "ecslocal_") {
		t.Fatalf("schemas %q and %q: want two fresh ones", a.schema, b.schema)
	}
	if err := a.Update(ctx, acct, func(tx store.Tx) error {
		return store.PutRaw(ctx, tx, store.Record{Kind: "k", ID: "x", Region: "r", Data: []byte(`{}`)})
	}); err != nil {
		t.Fatal(err)
	}
	err = b.View(ctx, acct, func(tx store.Tx) error { _, err := tx.Get(ctx, "k", "x"); return err })
	if !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a second auto-schema store sees the first's record: %v", err)
	}
	exists := func(schema string) bool {
		var ok bool
		if err := b.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1)`, schema).Scan(&ok); err != nil {
			t.Fatal(err)
		}
		return ok
	}
	if !exists(a.schema) {
		t.Fatalf("schema %s not created", a.schema)
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	if exists(a.schema) {
		t.Errorf("schema %s left after Close", a.schema)
	}
	if _, err := Open(ctx, withParam(base, SchemaParam, "bad;name")); err == nil {
		t.Errorf("Open with an invalid schema name succeeded")
	}
}

// TestTranslate: driver failures map to the store's sentinels by SQLSTATE,
// never by error text.
func TestTranslate(t *testing.T) {
	if err := translate(pgx.ErrNoRows); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("no rows: %v", err)
	}
	for _, code := range []string{"40001", "40P01", "23505"} {
		pe := &pgconn.PgError{Code: code, Message: "whatever"}
		err := translate(fmt.Errorf("wrapped: %w", pe))
		var back *pgconn.PgError
		if !errors.Is(err, store.ErrConflict) || !errors.As(err, &back) {
			t.Errorf("SQLSTATE %s: %v, want ErrConflict keeping the driver error", code, err)
		}
	}
	if err := translate(&pgconn.PgError{Code: "42P01", Message: "could not serialize access"}); errors.Is(err, store.ErrConflict) {
		t.Errorf("SQLSTATE 42P01 taken for a conflict: %v", err)
	}
	if err := translate(errors.New("could not serialize access")); errors.Is(err, store.ErrConflict) {
		t.Errorf("error text taken for a conflict: %v", err)
	}
}

// TestCountProbeReadsFewRows guards the plan of a Count with two one-value
// filters, as RunInstances sends one per new ENI (is this address taken in
// this vSwitch?): on a new schema, with a vSwitch of 200 ENIs and 100 more
// added in the same transaction, each Count reads a few index and table
// rows per row of its driving filter (pg_stat_get_xact_tuples_returned:
// this transaction's own counts), whichever filter comes first: none with
// the address first, the vSwitch's ENIs with the vSwitch first. Without
// planner statistics PostgreSQL once planned it as a walk of every ENI of
// the kind per ENI of the vSwitch (delete100 took seconds).
func TestCountProbeReadsFewRows(t *testing.T) {
	dsn, _ := freshSchema(t)
	db := mustOpen(t, dsn)
	ctx := context.Background()
	const region, vsw = "cn-hangzhou", "vsw-1"
	eni := func(i int) store.Record {
		return store.Record{Kind: "eni", ID: fmt.Sprintf("eni-%04d", i), Region: region, Data: []byte(`{}`),
			Attrs: []store.Attr{{Name: "vswitch", Value: vsw}, {Name: "privateIp", Value: fmt.Sprintf("10.0.%d.%d", i/250, i%250)},
				{Name: "status", Value: "InUse"}, {Name: "type", Value: "Primary"}}}
	}
	if err := db.Update(ctx, "acct", func(tx store.Tx) error {
		for i := range 200 {
			if _, _, err := tx.Put(ctx, eni(i)); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	for _, order := range []string{"address first", "vSwitch first"} {
		t.Run(order, func(t *testing.T) {
			var rowsRead, driven int64
			err := db.Update(ctx, "acct", func(stx store.Tx) error {
				pt := stx.(*tx).tx
				read := func() (int64, error) {
					var n int64
					err := pt.QueryRow(ctx, `SELECT coalesce(sum(pg_stat_get_xact_tuples_returned(c.oid)), 0)::bigint
						FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace
						WHERE s.nspname = current_schema() AND c.relkind IN ('r', 'i')`).Scan(&n)
					return n, err
				}
				base := 200
				if order == "vSwitch first" {
					base = 300
				}
				for i := base; i < base+100; i++ {
					r := eni(i)
					filters := []store.Filter{store.Where("privateIp", r.Attrs[1].Value), store.Where("vswitch", vsw)}
					if order == "vSwitch first" {
						filters[0], filters[1] = filters[1], filters[0]
					}
					before, err := read()
					if err != nil {
						return err
					}
					page, err := stx.Query(ctx, store.Query{Kind: "eni", Region: region, Filters: filters, Count: true})
					if err != nil {
						return err
					}
					if page.Total != 0 {
						return fmt.Errorf("%s: counted %d, want 0", r.ID, page.Total)
					}
					after, err := read()
					if err != nil {
						return err
					}
					rowsRead += after - before
					if order == "vSwitch first" {
						driven += int64(i) // the vSwitch's ENIs so far
					}
					if _, _, err := stx.Put(ctx, r); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("100 Counts read %d rows; the driving filter matched %d", rowsRead, driven)
			if want := 3*driven + 100; rowsRead > want {
				t.Errorf("100 Counts of one address in a vSwitch of 200 to 400 ENIs read %d index and table rows, want at most %d", rowsRead, want)
			}
		})
	}
}

// TestQueuedWriteFails: a queued write that PostgreSQL refuses (an
// attribute with a NUL byte) fails the statement it is sent with, and the
// commit when it is sent with that; either way nothing is committed.
func TestQueuedWriteFails(t *testing.T) {
	testDSN(t)
	dsn, _ := freshSchema(t)
	db := mustOpen(t, dsn)
	ctx := context.Background()
	bad := store.Record{Kind: "widget", ID: "bad", Region: "r", Data: []byte(`{}`), Attrs: []store.Attr{{Name: "status", Value: "a\x00b"}}}
	good := store.Record{Kind: "widget", ID: "good", Region: "r", Data: []byte(`{}`)}
	answered := false
	queue := func(tx store.Tx) {
		for _, r := range []store.Record{good, bad} {
			if err := tx.(store.Queuer).PutThen(ctx, r, func(store.Record, bool) { answered = true }); err != nil {
				t.Fatalf("PutThen: %v", err)
			}
		}
	}
	err := db.Update(ctx, acct, func(tx store.Tx) error {
		queue(tx)
		if _, err := tx.Get(ctx, "widget", "other"); err == nil || errors.Is(err, store.ErrNotFound) {
			t.Errorf("Get sent with a failing write: %v, want the write's failure", err)
		}
		return nil // the closure goes on: the commit must fail
	})
	if err == nil {
		t.Errorf("Update committed after a failed queued write")
	}
	err = db.Update(ctx, acct, func(tx store.Tx) error { queue(tx); return nil })
	if err == nil || errors.Is(err, store.ErrConflict) {
		t.Errorf("Update whose commit carries a failing write: %v, want its failure", err)
	}
	if !answered {
		t.Errorf("the write sent before the failing one had no answer")
	}
	err = db.View(ctx, acct, func(tx store.Tx) error {
		_, err := tx.Get(ctx, "widget", "good")
		return err
	})
	if !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a write of a failed transaction: %v, want ErrNotFound", err)
	}
}

// TestNonceReadsAlong: with store.AlongNonce the nonce's statement reads the
// meta key too, and the call's CurrentJSON answers from it once, then reads
// for itself; a replayed nonce is still refused, and an unset key is unset.
func TestNonceReadsAlong(t *testing.T) {
	dsn, _ := freshSchema(t)
	db := mustOpen(t, dsn)
	ctx := context.Background()
	var got []string
	call := store.AlongNonce(ctx, "", "along")
	if fresh, err := db.UseNonce(call, "key", "n1", time.Now()); err != nil || !fresh {
		t.Fatalf("UseNonce: %v, %v; want fresh", fresh, err)
	}
	if err := store.CurrentJSON(call, db, "along", &got); err != nil || got != nil {
		t.Fatalf("CurrentJSON of an unset key = %q, %v; want it left alone", got, err)
	}
	if err := db.Meta(ctx, func(m store.MetaTx) error { return store.PutJSON(ctx, m, "along", []string{"a"}) }); err != nil {
		t.Fatal(err)
	}
	call = store.AlongNonce(ctx, "", "along")
	if fresh, err := db.UseNonce(call, "key", "n2", time.Now()); err != nil || !fresh {
		t.Fatalf("UseNonce: %v, %v; want fresh", fresh, err)
	}
	if err := db.Meta(ctx, func(m store.MetaTx) error { return store.PutJSON(ctx, m, "along", []string{"b"}) }); err != nil {
		t.Fatal(err)
	}
	before := db.Statements()
	if err := store.CurrentJSON(call, db, "along", &got); err != nil || len(got) != 1 || got[0] != "a" {
		t.Errorf("CurrentJSON after the nonce = %q, %v; want [a], as read with it", got, err)
	}
	if n := db.Statements() - before; n != 0 {
		t.Errorf("CurrentJSON after the nonce sent %d statements, want 0", n)
	}
	if err := store.CurrentJSON(call, db, "along", &got); err != nil || len(got) != 1 || got[0] != "b" {
		t.Errorf("CurrentJSON again = %q, %v; want [b], read anew", got, err)
	}
	if fresh, err := db.UseNonce(store.AlongNonce(ctx, "", "along"), "key", "n2", time.Now()); err != nil || fresh {
		t.Errorf("replayed nonce: fresh %v, %v; want refused", fresh, err)
	}
}

// TestParkedViews: a View's connection waits with its transaction open and
// the next transaction sends the ROLLBACK with its BEGIN (one round trip
// for the View's end and the next begin); one left alone is rolled back
// within a few parkedFor; one lost while parked (its backend ended) costs
// the next transaction nothing but a fresh connection.
func TestParkedViews(t *testing.T) {
	dsn, _ := freshSchema(t)
	db := mustOpen(t, withParam(dsn, "pool_max_conns", "4"))
	db.SetMemo(false) // every View reads: the round trips are the test's
	// The test sweeps the parked connections itself: the store's loop,
	// every 20 ms, would race a loaded machine.
	db.stopUnpark()
	<-db.unparked
	ctx := context.Background()
	view := func() {
		t.Helper()
		if err := db.View(ctx, "acct", func(tx store.Tx) error {
			_, err := tx.Query(ctx, store.Query{Kind: "eni", Limit: 10})
			return err
		}); err != nil {
			t.Fatalf("View: %v", err)
		}
	}
	pidOf := func() uint32 {
		t.Helper()
		p := <-db.parked
		defer func() { db.parked <- p }()
		return p.c.Conn().PgConn().PID()
	}
	state := func(pid uint32) string {
		t.Helper()
		var st string
		if err := db.pool.QueryRow(ctx, `SELECT coalesce((SELECT state FROM pg_stat_activity WHERE pid = $1), 'gone')`, pid).Scan(&st); err != nil {
			t.Fatal(err)
		}
		return st
	}
	view()
	pid := pidOf()
	if st := state(pid); st != "idle in transaction" {
		t.Errorf("parked connection's backend is %q, want idle in transaction", st)
	}
	before := db.Statements()
	view()
	if n := db.Statements() - before; n != 2 {
		t.Errorf("a View after a parked one: %d round trips, want 2 (rollback and begin, the query)", n)
	}
	// Left alone: rolled back by the store's loop (one sweep of it here).
	pid = pidOf()
	db.unparkBefore(ctx, time.Now().Add(time.Hour))
	if st := state(pid); st == "idle in transaction" {
		t.Errorf("parked connection's backend is %q after the sweep, want out of it", st)
	}
	// Lost while parked: the next transaction takes another connection.
	view()
	pid = pidOf()
	if _, err := db.pool.Exec(ctx, `SELECT pg_terminate_backend($1)`, pid); err != nil {
		t.Fatal(err)
	}
	view()
	if err := db.Update(ctx, "acct", func(tx store.Tx) error {
		_, _, err := tx.Put(ctx, store.Record{Kind: "eni", ID: "eni-1", Region: "r", Data: []byte(`{}`)})
		return err
	}); err != nil {
		t.Fatalf("Update after a lost parked connection: %v", err)
	}
}

// TestKindsHeld: a write transaction sends no statement for a query of a
// kind its account does not hold, and finds one another replica added
// before it began (the conformance suite's KindsOfEveryRegion covers one
// replica).
func TestKindsHeld(t *testing.T) {
	ctx := context.Background()
	dbs := replicas(t)
	db, other := dbs[0], dbs[1]
	read := func() (n, statements int) {
		t.Helper()
		err := db.Update(ctx, acct, func(tx store.Tx) error {
			before := db.Statements()
			n = storetest.FindEveryRegion(t, tx, "slb", "i-1")
			statements = int(db.Statements() - before)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return n, statements
	}
	if n, sent := read(); n != 0 || sent != 0 {
		t.Fatalf("slb the account does not hold: %d found, %d statements sent; want 0 and 0", n, sent)
	}
	lb := store.Record{Kind: "slb", ID: "lb-1", Region: "r1", Data: []byte(`{}`), Attrs: []store.Attr{{Name: "owner", Value: "i-1"}}}
	if err := other.Update(ctx, acct, func(tx store.Tx) error { _, _, err := tx.Put(ctx, lb); return err }); err != nil {
		t.Fatal(err)
	}
	if n, _ := read(); n != 1 {
		t.Fatalf("slb another replica added: %d, want 1", n)
	}
}

// TestNoncesForgotten: nonces older than the window are deleted as new
// ones are written, whatever their characters (digits only here).
func TestNoncesForgotten(t *testing.T) {
	dsn, _ := freshSchema(t)
	db := mustOpen(t, dsn)
	ctx := context.Background()
	t0 := time.Now()
	for i := range 50 {
		if _, err := db.UseNonce(ctx, "key", strconv.Itoa(i), t0); err != nil {
			t.Fatal(err)
		}
	}
	later := t0.Add(store.NonceWindow + time.Minute)
	for i := range 100 {
		if _, err := db.UseNonce(ctx, "key", strconv.Itoa(1000+i), later); err != nil {
			t.Fatal(err)
		}
	}
	var old int
	if err := db.pool.QueryRow(ctx, `SELECT count(*) FROM nonces WHERE seen < $1`, later.Add(-store.NonceWindow).UnixNano()).Scan(&old); err != nil {
		t.Fatal(err)
	}
	if old != 0 {
		t.Errorf("%d nonces older than the window kept after 100 new ones, want 0", old)
	}
}

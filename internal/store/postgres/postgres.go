// Package postgres is the shared store: PostgreSQL through pgx, so that
// several ecslocal replicas serve one state. It has the semantics of the
// SQLite backend (the same tables, indexes and access paths; creation order
// by seq) and passes the same storetest conformance suite.
//
// Concurrency. An Update runs at READ COMMITTED after taking two
// transaction-scoped advisory locks: the state lock shared, then its
// account's lock (a hash of schema and account) exclusive. Writers of one
// account, on any replica, queue on that lock instead of aborting each other,
// and every statement after it sees what the previous holder committed; Reset
// and Import take the state lock exclusive. Meta, Reset and Import run at
// SERIALIZABLE. A serialization failure (SQLSTATE 40001, only those), a
// deadlock (40P01) or a unique violation (23505, which PostgreSQL documents
// as a possible symptom of a serialization failure) re-runs the whole attempt — clock read, due events,
// closure, commit — in a fresh transaction, up to maxAttempts times with a
// jittered backoff; only then does the caller see store.ErrConflict. A
// closure must therefore have no effect outside its transaction (style.md
// (d)); each attempt gets a fresh Journal, and Hooks.AfterCommit runs once,
// after the final commit. View runs REPEATABLE READ READ ONLY: one committed
// snapshot, never a serialization failure, no predicate locks that would
// make writers fail.
//
// Due events. An account's due events are applied by its writers, which
// hold its lock: a concurrent one (another replica's scheduler, or a
// request's BeforeUpdate) waits for the lock and then, its statements
// reading after the holder's commit, sees the event applied. A group's
// BEGIN reads the account's due records whole once it holds the lock, and
// its members' Due answer from that (due.go); a Due that asks PostgreSQL
// still reads the due rows FOR UPDATE. So every due event is applied
// exactly once, and when one replica's clock Advance returns, the events are applied
// whichever replica's transaction took them. (SKIP LOCKED would let the
// waiter go on, but it would then read the record as it was before the
// event, at an emulated time past the due time.)
//
// Round trips. A writer holds its account's lock for every round trip it
// makes, so the others of the account wait for all of them: the typed
// writes (store.Queuer) are queued and sent with the transaction's next
// statement or with its COMMIT, each answering the version it replaced
// then (the journal gets it at that moment); a record read or written
// under the lock is answered again from memory (Get), the due check asks
// only when a write may have made something due, and independent queries
// go in one batch (store.Batcher). At the generation of its account's
// memo, a group's reads are answered from the memo, and what it knew
// after its COMMIT is the memo of the next generation (writemo.go). A queued write that fails fails the
// statement it was sent with, or the commit, with its own error. An
// Update's COMMIT does not wait for its WAL flush, which would hold the
// lock for it: the statement after it in the same round trip waits for
// the flush (commit), so a call is answered only when its change is
// durable. The Updates of one account that arrive while one of them runs
// join its transaction (group.go): each in a savepoint of its own, its
// writes sent with the next one's first statement, one BEGIN, lock and
// COMMIT for all of them. A call's nonce statement also reads the armed faults
// (store.AlongNonce), so the fault check costs no round trip of its own.
// A View ends without a round trip: its connection waits (parked) with its
// read-only transaction over, and the next transaction begun on it sends
// the ROLLBACK with its BEGIN; one not taken within parkedFor is rolled
// back by itself, so no snapshot is held for long.
//
// DSN. Open takes a postgres:// or postgresql:// URL (or a key=value
// string) as pgx reads it, including pool_max_conns and a search_path
// runtime parameter, plus one parameter of ecslocal's own:
//
//	ecslocal_schema=NAME  use schema NAME (created if missing), so several
//	                      ecslocal states can share one database
//	ecslocal_schema=auto  a fresh schema with a random name, dropped on Close:
//	                      what tests use (ECSLOCAL_TEST_STORE), so that every
//	                      server starts empty and parallel runs never collide
//	                      (a process killed before Close leaves its schema)
//
// Without it the tables live in the connection's current schema (public).
// Migrations are applied at Open under an advisory lock, so several replicas
// may start at once.
package postgres

import (
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/ecslocal/ecslocal/internal/store"
)

//go:embed migrations/*.sql
var migrations embed.FS

// SchemaParam is the DSN parameter naming the schema ecslocal uses; the
// value "auto" asks for a fresh schema per DB, dropped on Close.
const SchemaParam = "ecslocal_schema"

// Retry bounds: a transaction that lost to a concurrent one runs again after
// a jittered pause growing from retryBase to retryCap.
const (
	maxAttempts = 30
	retryBase   = time.Millisecond
	retryCap    = 100 * time.Millisecond
)

// Advisory lock classes (the two-key space, apart from the migration
// lock's one-key space): the whole state, and one account.
const (
	lockState   int32 = 0x65637300
	lockAccount int32 = 0x65637301
)

// lockAll takes the state lock exclusive: Reset and Import wait for every
// Update in flight and hold off new ones.
const lockAll = `SELECT pg_advisory_xact_lock($1, 0)`

// defaultMaxConns is the least pool size when the DSN sets no
// pool_max_conns: a call holds one connection at a time, so the pool
// matches the concurrent calls expected (bench/run.sh's 16 connections
// waited for one of 8 before), and at least 4 per core of this process.
const defaultMaxConns = 16

// SQLSTATEs the backend translates.
const (
	sqlstateSerializationFailure = "40001"
	sqlstateDeadlockDetected     = "40P01"
	sqlstateUniqueViolation      = "23505"
	sqlstateLockNotAvailable     = "55P03"
)

// DB is a store.Store over PostgreSQL.
type DB struct {
	pool  *pgxpool.Pool
	hooks store.Hooks
	// config keeps the last decoded configuration (store.LoadConfig); it
	// is keyed by the stored bytes, so another replica's change is seen.
	config store.ConfigCache
	// schema is the schema in use ("" for the connection's current one);
	// drop says Close drops it (ecslocal_schema=auto).
	schema    string
	drop      bool
	closeOnce sync.Once
	closeErr  error
	// stopMaintain ends the statistics loop (maintain); maintained is
	// closed when it has ended.
	stopMaintain context.CancelFunc
	maintained   chan struct{}
	// statements counts the statements sent (Statements).
	statements atomic.Int64
	// parked holds connections whose View ended without its ROLLBACK
	// sent: the next transaction begun on one sends it with its BEGIN, one
	// round trip fewer per View; unpark rolls back those left longer than
	// parkedFor, so that none keeps its snapshot for long. stopUnpark ends
	// that loop; unparked is closed when it has ended.
	parked     chan parkedConn
	stopUnpark context.CancelFunc
	unparked   chan struct{}
	// groups holds, for each account whose Updates run in a group now
	// (group.go), those waiting for it.
	groupsMu sync.Mutex
	groups   map[string]*accountQueue
	// nonces holds the UseNonce calls waiting for the next statement
	// (nonce.go).
	noncesMu sync.Mutex
	nonces   nonceQueue
	// noncesWritten counts the nonces written, for their upkeep.
	noncesWritten atomic.Int64
	// groupFor is how long a group takes in new members (groupFor the
	// constant; a test that must see one group whole sets it longer).
	groupFor time.Duration
	// memos holds the Views' answers by account and generation (memo.go).
	memos memos
	// noTemp: a connection could not create its count_deltas table (a
	// role without the TEMP privilege), so writes apply their count
	// changes at once (countSQL) instead of staging them (stageSQL).
	noTemp atomic.Bool
}

// parkedConn is a connection inside a read-only transaction that is over.
type parkedConn struct {
	c  *pgxpool.Conn
	at time.Time
}

// parkedFor is how long a parked connection may wait for its next
// transaction before its ROLLBACK is sent alone.
const parkedFor = 20 * time.Millisecond

// Statements is how many round trips the store has made to the server: one
// per statement sent alone, one per batch of statements sent together.
// Tests bound what a call costs with it.
func (db *DB) Statements() int64 { return db.statements.Load() }

// counter is the pool's tracer: it counts every statement.
type counter struct{ n *atomic.Int64 }

func (c counter) TraceQueryStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryStartData) context.Context {
	if ctx.Value(uncounted{}) == nil {
		c.n.Add(1)
	}
	return ctx
}

// uncounted marks the context of the store's own upkeep (Maintain's loop,
// a connection's set-up), which no call pays for.
type uncounted struct{}

func (counter) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

// TraceBatchStart counts a batch as one: its statements share a round trip.
func (c counter) TraceBatchStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceBatchStartData) context.Context {
	if ctx.Value(uncounted{}) == nil {
		c.n.Add(1)
	}
	return ctx
}

func (counter) TraceBatchQuery(context.Context, *pgx.Conn, pgx.TraceBatchQueryData) {}
func (counter) TraceBatchEnd(context.Context, *pgx.Conn, pgx.TraceBatchEndData)     {}

var _ store.Store = (*DB)(nil)

// Open connects to the database dsn names and migrates it.
func Open(ctx context.Context, dsn string) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("postgres store: %w", err)
	}
	if !strings.Contains(dsn, "pool_max_conns") {
		cfg.MaxConns = max(cfg.MaxConns, defaultMaxConns, int32(4*runtime.GOMAXPROCS(0)))
	}
	db := &DB{groups: map[string]*accountQueue{}, groupFor: groupFor}
	db.memos.max, db.memos.close = memoBytes, db.closePin
	cfg.ConnConfig.Tracer = counter{&db.statements}
	cfg.AfterConnect = func(ctx context.Context, c *pgx.Conn) error {
		// A connection's set-up, not a round trip of the call that opened it.
		if _, err := c.Exec(context.WithValue(ctx, uncounted{}, true), countDeltasSQL); err != nil {
			db.noTemp.Store(true)
		}
		return nil
	}
	params := cfg.ConnConfig.RuntimeParams
	if schema, ok := params[SchemaParam]; ok {
		delete(params, SchemaParam)
		switch {
		case schema == "auto":
			db.schema, db.drop = fmt.Sprintf("ecslocal_%016x", rand.Uint64()), true
		case validSchema(schema):
			db.schema = schema
		default:
			return nil, fmt.Errorf("postgres store: %s=%q: want auto or a name of letters, digits and _", SchemaParam, schema)
		}
		params["search_path"] = db.schema
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres store: %w", err)
	}
	db.pool = pool
	// At most a quarter of the pool waits parked: the nonce, the fault
	// check and the audit log take connections of their own.
	db.parked = make(chan parkedConn, max(cfg.MaxConns/4, 1))
	if err := db.migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("postgres store: %w", err)
	}
	// Statistics before the first query is planned, then kept fresh. A
	// failure (a role that may not read the statistics) costs plans, not
	// the store: the queries' shape does not depend on them.
	vacuum, _ := db.Maintain(ctx, false)
	mctx, cancel := context.WithCancel(context.WithValue(context.WithoutCancel(ctx), uncounted{}, true))
	db.stopMaintain, db.maintained = cancel, make(chan struct{})
	go db.maintain(mctx, vacuum)
	uctx, ucancel := context.WithCancel(mctx)
	db.stopUnpark, db.unparked = ucancel, make(chan struct{})
	go db.unpark(uctx)
	return db, nil
}

// park keeps t's connection, inside its read-only transaction that is
// over, for the next begin; when none may wait, t ends as before.
func (db *DB) park(ctx context.Context, t *tx) {
	if t.tx != nil && t.tx.Conn().PgConn().TxStatus() == 'T' {
		select {
		case db.parked <- parkedConn{t.tx, time.Now()}:
			t.tx = nil
			return
		default:
		}
	}
	t.end(ctx, true)
}

// unpark rolls back, every parkedFor, the parked connections that waited
// longer than that, until ctx ends; then all of them.
func (db *DB) unpark(ctx context.Context) {
	defer close(db.unparked)
	tick := time.NewTicker(parkedFor)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			db.unparkBefore(ctx, time.Time{})
			return
		case now := <-tick.C:
			db.unparkBefore(ctx, now.Add(-parkedFor))
		}
	}
}

// unparkBefore rolls back the parked connections parked before t (all of
// them for the zero t).
func (db *DB) unparkBefore(ctx context.Context, t time.Time) {
	for n := len(db.parked); n > 0; n-- {
		var p parkedConn
		select {
		case p = <-db.parked:
		default:
			return
		}
		if !t.IsZero() && !p.at.Before(t) {
			// The oldest is young enough: so are the others.
			select {
			case db.parked <- p:
			default:
				(&tx{tx: p.c}).end(ctx, true)
			}
			return
		}
		(&tx{tx: p.c}).end(ctx, true)
	}
}

func validSchema(s string) bool {
	if s == "" || len(s) > 63 || s[0] >= '0' && s[0] <= '9' {
		return false
	}
	for _, c := range s {
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// Close closes the pool; with ecslocal_schema=auto it drops the schema first.
func (db *DB) Close() error {
	db.closeOnce.Do(func() {
		db.memos.retireAll() // no pin holds a connection, or a lock DROP SCHEMA waits for
		if db.stopMaintain != nil {
			db.stopMaintain()
			<-db.maintained
		}
		if db.stopUnpark != nil {
			db.stopUnpark()
			<-db.unparked
		}
		if db.drop {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			_, err := db.pool.Exec(ctx, `DROP SCHEMA IF EXISTS `+pgx.Identifier{db.schema}.Sanitize()+` CASCADE`)
			cancel()
			if err != nil {
				db.closeErr = fmt.Errorf("drop schema %s: %w", db.schema, err)
			}
		}
		db.pool.Close()
	})
	return db.closeErr
}

// SetHooks implements store.Store.
func (db *DB) SetHooks(h store.Hooks) { db.hooks = h }

// migrate applies the embedded migrations not yet recorded, each in its own
// transaction, holding an advisory lock on the schema's name so that
// replicas starting together apply each file once.
func (db *DB) migrate(ctx context.Context) error {
	conn, err := db.pool.Acquire(ctx)
	if err != nil {
		return err
	}
	defer conn.Release()
	schema := db.schema
	if schema == "" {
		var cur *string
		if err := conn.QueryRow(ctx, `SELECT current_schema()`).Scan(&cur); err != nil {
			return err
		}
		if cur == nil {
			return errors.New("no schema to create tables in: the search_path names none that exists")
		}
		schema = *cur
	}
	lockKey := "ecslocal migrate " + schema
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock(hashtextextended($1, 0))`, lockKey); err != nil {
		return fmt.Errorf("advisory lock: %w", err)
	}
	defer conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock(hashtextextended($1, 0))`, lockKey)
	if db.schema != "" {
		if _, err := conn.Exec(ctx, `CREATE SCHEMA IF NOT EXISTS `+pgx.Identifier{db.schema}.Sanitize()); err != nil {
			return fmt.Errorf("create schema %s: %w", db.schema, err)
		}
	}
	if _, err := conn.Exec(ctx, `CREATE TABLE IF NOT EXISTS migrations (name text COLLATE "C" PRIMARY KEY, applied timestamptz NOT NULL)`); err != nil {
		return fmt.Errorf("create migrations table: %w", err)
	}
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	for _, name := range names {
		if err := migrateFile(ctx, conn, name); err != nil {
			return fmt.Errorf("migration %s: %w", name, err)
		}
	}
	if err := keepCounts(ctx, conn); err != nil {
		return fmt.Errorf("kept counts: %w", err)
	}
	return nil
}

func migrateFile(ctx context.Context, conn *pgxpool.Conn, name string) error {
	tx, err := conn.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	var done bool
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM migrations WHERE name = $1)`, name).Scan(&done); err != nil {
		return err
	}
	if done {
		return nil
	}
	body, err := fs.ReadFile(migrations, name)
	if err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, string(body)); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `INSERT INTO migrations (name, applied) VALUES ($1, now())`, name); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

// maintainEvery is how often the store looks for tables whose planner
// statistics (or dead rows, when the server does not vacuum) fell behind;
// analyzeEvery and vacuumEvery are the least time between two ANALYZEs of
// a table whose size did not move, and between two VACUUMs (autovacuum's
// naptime is a minute).
const (
	maintainEvery = time.Second
	analyzeEvery  = "60 seconds"
	vacuumEvery   = "10 seconds"
)

// maintain runs Maintain every maintainEvery until ctx ends; errors (a
// replica's schema dropped under it, a lost connection) wait for the next
// round.
func (db *DB) maintain(ctx context.Context, vacuum bool) {
	defer close(db.maintained)
	tick := time.NewTicker(maintainEvery)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		db.Maintain(ctx, vacuum)
	}
}

// Maintain analyzes the store's tables whose statistics are missing, whose
// size moved by 50 rows plus 100% from what the planner knows (reltuples),
// or, at most once every analyzeEvery, that changed by autovacuum's default
// rule (50 rows plus 10% of the table); with vacuum it also vacuums, at
// most once every vacuumEvery, those with 50 plus 20% dead rows. It
// answers whether the server leaves vacuuming to its clients (autovacuum
// off). Each ANALYZE or VACUUM that changes a table's statistics makes
// every connection plan its statements on the table again: done every
// second on tables whose records come and go at a steady count (a run of
// launches and releases), that planning was two fifths of PostgreSQL's
// CPU. Without statistics PostgreSQL plans a join of attrs
// and records as if each side had one row, and a filtered Count that
// probes one index row per record read every row of the kind instead
// (100 ENIs allocated in one RunInstances: 12 s instead of 0.1 s);
// autovacuum, when on, analyzes a new table only after its naptime (a
// minute), and a schema made for a test or a run is new.
func (db *DB) Maintain(ctx context.Context, vacuum bool) (bool, error) {
	var off bool
	rows, err := db.pool.Query(ctx, `SELECT s.relname,
		s.last_analyze IS NULL AND s.last_autoanalyze IS NULL
		OR abs(s.n_live_tup - greatest(c.reltuples, 0)) >= 50 + greatest(c.reltuples, 0)
		OR s.n_mod_since_analyze >= 50 + 0.1 * s.n_live_tup
		AND greatest(s.last_analyze, s.last_autoanalyze) < now() - $1::interval,
		s.n_dead_tup >= 50 + 0.2 * s.n_live_tup
		AND (s.last_vacuum IS NULL OR s.last_vacuum < now() - $2::interval),
		current_setting('autovacuum') = 'off'
		FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
		WHERE s.schemaname = current_schema() ORDER BY s.relname`, analyzeEvery, vacuumEvery)
	if err != nil {
		return false, translate(err)
	}
	var analyze, vac []string
	for rows.Next() {
		var name string
		var stale, dead bool
		if err := rows.Scan(&name, &stale, &dead, &off); err != nil {
			rows.Close()
			return false, translate(err)
		}
		if stale {
			analyze = append(analyze, pgx.Identifier{name}.Sanitize())
		}
		if dead {
			vac = append(vac, pgx.Identifier{name}.Sanitize())
		}
	}
	if rows.Close(); rows.Err() != nil {
		return false, translate(rows.Err())
	}
	// SKIP_LOCKED: another replica analyzing the same table is enough.
	if len(analyze) > 0 {
		if _, err := db.pool.Exec(ctx, `ANALYZE (SKIP_LOCKED) `+strings.Join(analyze, ", ")); err != nil {
			return off, translate(err)
		}
	}
	if vacuum && off && len(vac) > 0 {
		// TRUNCATE false: cutting the empty pages off a table's end takes
		// its ACCESS EXCLUSIVE lock, and every write and read of the store
		// queues behind it (up to 20 ms a time); tables where records come
		// and go refill those pages anyway.
		if _, err := db.pool.Exec(ctx, `VACUUM (SKIP_LOCKED, TRUNCATE false) `+strings.Join(vac, ", ")); err != nil {
			return off, translate(err)
		}
	}
	return off, nil
}

// View implements store.Store. Events that fell due are applied first, in an
// Update, so a read never shows a state the clock has moved past.
func (db *DB) View(ctx context.Context, account string, fn func(store.Tx) error) error {
	checkDue := db.hooks.BeforeUpdate != nil
	for {
		if done, due, err := db.viewPinned(ctx, account, checkDue, fn); done {
			return err
		} else if due {
			if err := db.Update(ctx, account, func(store.Tx) error { return nil }); err != nil {
				return err
			}
			checkDue = false
		}
		t := &tx{account: account, config: &db.config, readGen: db.memos.on()}
		if err := db.begin(ctx, t, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, false, true, checkDue); err != nil {
			return err
		}
		if t.readGen {
			t.memo = db.memos.at(account, t.gen)
		}
		due, err := db.beginView(ctx, t, checkDue)
		if err == nil && !due {
			err = fn(t)
		}
		if t.memo != nil && err == nil && !due && !t.failed && t.tx.Conn().PgConn().TxStatus() == 'T' && db.memos.donate(account, t.memo, t.tx) {
			t.tx = nil // the memo's pin now
		} else {
			db.park(ctx, t)
		}
		if err != nil || !due {
			return err
		}
		if err := db.Update(ctx, account, func(store.Tx) error { return nil }); err != nil {
			return err
		}
		checkDue = false
	}
}

// viewPinned runs a View without a transaction when its account's memo is
// pinned: one statement reads the generation, the meta values and the
// earliest due time; at the memo's generation the memo answers fn and
// what it lacks is read through the pin. done: fn ran (err is its
// outcome); due: an event is due first (fn did not run). Neither: the View
// begins its transaction (no pin, or the generation moved).
func (db *DB) viewPinned(ctx context.Context, account string, checkDue bool, fn func(store.Tx) error) (done, due bool, err error) {
	m, p := db.memos.pinned(account)
	if m == nil {
		return false, false, nil
	}
	t := &tx{account: account, config: &db.config, readGen: true, pin: p}
	defer func() {
		if t.pin != nil {
			db.endPinned(t, m)
		}
	}()
	if s, _ := store.Seen(ctx, account).(*seen); s != nil && (s.dueRead || !checkDue) {
		// Read with the call's nonce, after the call arrived: no round trip.
		t.gen, t.minDue, t.meta = s.gen, s.minDue, maps.Clone(s.meta)
		if t.gen < m.gen {
			// The memo is newer than what the nonce read: the View begins
			// its own transaction, and leaves the memo as it is.
			return false, false, nil
		}
	} else {
		rows, err := db.pool.Query(ctx, beginReadSQL(checkDue, true), account, prefetched)
		if err == nil {
			err = t.scanMeta(rows, true)
		}
		if err != nil {
			return true, false, t.check(err)
		}
	}
	t.dueRead = checkDue
	t.keepLowDue()
	if t.gen != m.gen {
		db.memos.at(account, t.gen) // the memo is past: retired, and its pin closed
		return false, false, nil
	}
	t.memo = m
	if due, err := db.beginView(ctx, t, checkDue); err != nil || due {
		return err != nil, due, err
	}
	return true, false, fn(t)
}

// closePin ends a pin's transaction and gives its connection back: parked,
// its ROLLBACK sent with the next BEGIN on it.
func (db *DB) closePin(p *pin) {
	if p.timer != nil {
		p.timer.Stop()
	}
	db.park(context.Background(), &tx{tx: p.conn})
}

// beginView reads the emulated time and, when asked, whether the account
// has events due by then (from what begin read: no round trip).
func (db *DB) beginView(ctx context.Context, t *tx, checkDue bool) (bool, error) {
	t.now = time.Now().UTC()
	if db.hooks.Now != nil {
		var err error
		if t.now, err = db.hooks.Now(ctx, t); err != nil {
			return false, err
		}
	}
	return checkDue && t.minDue != nil && *t.minDue <= t.now.UnixNano(), nil
}

// prefetched are the meta keys every hooked transaction reads (the clock
// in Hooks.Now, the configuration in store.LoadConfig, the armed faults
// before every call): begin reads them
// with the transaction's first round trip.
var prefetched = []string{store.MetaClock, store.MetaConfig, store.MetaFaults}

// begin starts t's transaction and, in the same round trip (one pipelined
// batch), takes the state lock shared and the account's lock (lock; the
// account's writers take turns there, before anything is read), reads the
// prefetched meta keys (meta) and, with due, the account's earliest due
// time. A REPEATABLE READ transaction takes its snapshot at the first of
// these reads, so what they answer is what its later statements see; at
// READ COMMITTED they run after the lock is held, as the statements did
// when each was a round trip of its own.
func (db *DB) begin(ctx context.Context, t *tx, opts pgx.TxOptions, lock, meta, due bool) error {
	parked, err := db.beginOn(ctx, t, opts, lock, meta, due, true)
	if err != nil && parked && !errors.Is(err, store.ErrConflict) {
		// A parked connection may have been lost while it waited (the
		// server ended it, or the network): once more on another.
		t.failed = false
		_, err = db.beginOn(ctx, t, opts, lock, meta, due, false)
	}
	return err
}

// beginOn is begin on a parked connection when one waits and mayPark (its
// ROLLBACK first in the batch), else on one from the pool; parked says
// which.
func (db *DB) beginOn(ctx context.Context, t *tx, opts pgx.TxOptions, lock, meta, due, mayPark bool) (parked bool, err error) {
	var c *pgxpool.Conn
	rollback := false
	if mayPark {
		select {
		case p := <-db.parked:
			c, rollback = p.c, true
		default:
		}
	}
	if c == nil {
		if c, err = db.pool.Acquire(ctx); err != nil {
			return false, t.check(err)
		}
	}
	t.tx = c
	b := &pgx.Batch{}
	if rollback {
		// The previous View's, in this round trip.
		b.Queue("rollback")
	}
	b.Queue(beginSQL(opts))
	if lock {
		sql := `SELECT pg_advisory_xact_lock_shared($1, 0), pg_advisory_xact_lock($2, hashtext(current_schema() || ' ' || $3))`
		if t.flushAfter {
			sql += `, set_config('synchronous_commit', 'off', true)`
		}
		b.Queue(sql, lockState, lockAccount, t.account)
	}
	if lock {
		b.Queue(kindsSQL, t.account)
	}
	// The due records whole, in place of the earliest due time.
	ahead := lock && due && t.dueAhead
	if ahead {
		b.Queue(dueAheadSQL, t.account, dueAheadRows, t.aheadGen)
		due = false
	}
	// The meta values, the earliest due time and the generation in one
	// statement when more than one is asked: each statement of a batch
	// costs PostgreSQL a bind and an execution of its own.
	combined := meta && (due || t.readGen)
	switch {
	case combined:
		b.Queue(beginReadSQL(due, t.readGen), t.account, prefetched)
	case meta:
		b.Queue(`SELECT key, value FROM meta WHERE key = ANY($1::text[])`, prefetched)
	case due:
		b.Queue(`SELECT min(due) FROM records WHERE account = $1 AND due IS NOT NULL`, t.account)
	}
	br := c.SendBatch(ctx, b)
	err = func() error {
		if rollback {
			if _, err := br.Exec(); err != nil {
				return err
			}
		}
		if _, err := br.Exec(); err != nil {
			return err
		}
		if lock {
			if _, err := br.Exec(); err != nil {
				return err
			}
			if t.kinds, err = scanKinds(br); err != nil {
				return err
			}
		}
		var aheadMin *int64
		if ahead {
			if aheadMin, err = t.scanDueAhead(br); err != nil {
				return err
			}
		}
		if meta {
			rows, err := br.Query()
			if err != nil {
				return err
			}
			if err := t.scanMeta(rows, combined); err != nil {
				return err
			}
		}
		if due && !combined {
			if err := br.QueryRow().Scan(&t.minDue); err != nil {
				return err
			}
		}
		if ahead {
			t.minDue = aheadMin
		}
		t.dueRead = due || ahead
		return br.Close()
	}()
	if err != nil {
		br.Close()
		t.end(ctx, true)
		t.meta, t.dueRead, t.kinds, t.recs, t.dues, t.dueAll = nil, false, nil, nil, nil, false
		return rollback, t.check(err)
	}
	t.keepLowDue()
	return rollback, nil
}

// scanMeta reads the prefetched meta values into t.meta, and with combined
// (beginReadSQL's rows) the earliest due time and the generation too.
func (t *tx) scanMeta(rows pgx.Rows, combined bool) error {
	defer rows.Close()
	t.meta = map[string][]byte{}
	for rows.Next() {
		var k *string
		var v []byte
		dest := []any{&k, &v}
		if combined {
			dest = []any{&t.minDue, &t.gen, &k, &v}
		}
		if err := rows.Scan(dest...); err != nil {
			return err
		}
		if k != nil {
			t.meta[*k] = v
		}
	}
	rows.Close()
	return rows.Err()
}

// keepLowDue starts the due bookkeeping from the earliest due time read.
func (t *tx) keepLowDue() {
	t.lowDue = math.MaxInt64
	if t.minDue != nil {
		t.lowDue = *t.minDue
	}
}

// beginReadSQL reads the prefetched meta values ($2), one row each (one
// row with a null key when none is set), and on every row the account's
// ($1) earliest due time (null: none, or not asked) and generation (0:
// none yet, or not asked).
func beginReadSQL(due, gen bool) string {
	dueSQL, genSQL := `NULL::bigint`, `0::bigint`
	if due {
		dueSQL = `(SELECT min(due) FROM records WHERE account = $1 AND due IS NOT NULL)`
	}
	if gen {
		genSQL = `COALESCE((SELECT gen FROM generations WHERE account = $1), 0)`
	}
	return `SELECT ` + dueSQL + `, ` + genSQL + `, m.key, m.value FROM (SELECT 1) one
		LEFT JOIN meta m ON m.key = ANY($2::text[])`
}

// beginSQL is the statement that starts a transaction with opts.
func beginSQL(opts pgx.TxOptions) string {
	sql := "begin isolation level " + strings.ToLower(string(opts.IsoLevel))
	if opts.AccessMode == pgx.ReadOnly {
		sql += " read only"
	}
	return sql
}

// end ends t's transaction (rolling it back when asked and not yet ended)
// and gives its connection back to the pool; a connection left inside a
// transaction is closed by the pool instead.
func (t *tx) end(ctx context.Context, rollback bool) {
	if t.tx == nil {
		return
	}
	if rollback && t.tx.Conn().PgConn().TxStatus() != 'I' {
		if _, err := t.tx.Exec(context.WithoutCancel(ctx), "rollback"); err != nil {
			t.tx.Conn().Close(context.WithoutCancel(ctx))
		}
	}
	t.tx.Release()
	t.tx = nil
}

// Meta implements store.Store.
func (db *DB) Meta(ctx context.Context, fn func(store.MetaTx) error) error {
	store.DropSeen(ctx) // the call's later Views read the values it writes
	_, err := db.serializable(ctx, func(t *tx) error { return fn(t) })
	return err
}

// serializable runs body in a SERIALIZABLE transaction, committing when it
// returns nil, and runs all of it again while it loses to a concurrent
// transaction.
func (db *DB) serializable(ctx context.Context, body func(*tx) error) (*tx, error) {
	return db.retry(ctx, pgx.Serializable, "", body)
}

// retry runs body in a transaction of iso (at READ COMMITTED under the
// account's lock), again while it loses to a concurrent one.
func (db *DB) retry(ctx context.Context, iso pgx.TxIsoLevel, account string, body func(*tx) error) (*tx, error) {
	for attempt := 1; ; attempt++ {
		t, err := db.attempt(ctx, iso, account, body)
		if err == nil {
			return t, nil
		}
		if !t.conflict {
			return nil, err
		}
		if err := db.lost(ctx, attempt, err); err != nil {
			return nil, err
		}
	}
}

// backoff is the pause before attempt+1: exponential, capped, half of it
// random so that transactions that collided do not collide again.
func backoff(attempt int) time.Duration {
	d := min(retryBase<<min(attempt-1, 16), retryCap)
	return d/2 + rand.N(d/2+1)
}

// attempt runs one transaction. The returned tx is never nil; its conflict
// flag says whether a failure was a lost race (worth running again).
func (db *DB) attempt(ctx context.Context, iso pgx.TxIsoLevel, account string, body func(*tx) error) (t *tx, err error) {
	t = &tx{account: account, write: true, locked: iso == pgx.ReadCommitted, config: &db.config}
	// Before anything is read: the account's writers take turns on its
	// lock. Nothing is prefetched: a SERIALIZABLE Meta reading keys it
	// does not need would conflict with writers of them.
	if err = db.begin(ctx, t, pgx.TxOptions{IsoLevel: iso}, iso == pgx.ReadCommitted, false, false); err != nil {
		return t, err
	}
	defer func() { t.end(ctx, err != nil) }()
	if err = body(t); err != nil {
		return t, err
	}
	if err = t.commit(ctx); err != nil {
		if errors.Is(err, pgx.ErrTxCommitRollback) && t.failed {
			// A statement failed and the closure went on: PostgreSQL aborted
			// the transaction. t.conflict says whether that was a lost race.
			if t.conflict {
				return t, fmt.Errorf("%w: transaction aborted by a lost race", store.ErrConflict)
			}
			return t, errors.New("commit: transaction aborted by an earlier failed statement")
		}
		return t, t.check(err)
	}
	return t, nil
}

// CurrentMeta implements store.CurrentMetaReader: one statement, which
// sees what is committed when it runs, and no transaction around it.
func (db *DB) CurrentMeta(ctx context.Context, key string) ([]byte, error) {
	var v []byte
	err := db.pool.QueryRow(ctx, `SELECT value FROM meta WHERE key = $1`, key).Scan(&v)
	return v, translate(err)
}

// DueAccounts implements store.Store.
func (db *DB) DueAccounts(ctx context.Context, t time.Time) ([]string, error) {
	return db.strings(ctx, `SELECT DISTINCT account FROM records WHERE due IS NOT NULL AND due <= $1`, t.UnixNano())
}

// AccountsOf implements store.Store.
func (db *DB) AccountsOf(ctx context.Context, kind, id string) ([]string, error) {
	return db.strings(ctx, accountsOfSQL, kind, id)
}

// accountsOfSQL lists the accounts holding a record kind $1 with id $2:
// the accounts found one index seek each (the smallest, then the smallest
// above it, …; migration 0008), each probed for the record by its key
// (behind OFFSET 0: as a join, PostgreSQL hashed a scan of every record).
const accountsOfSQL = `WITH RECURSIVE a(account) AS (
	(SELECT account FROM records ORDER BY account LIMIT 1)
	UNION ALL
	SELECT (SELECT r.account FROM records r WHERE r.account > a.account ORDER BY r.account LIMIT 1) FROM a WHERE a.account IS NOT NULL
) SELECT a.account FROM a CROSS JOIN LATERAL (
	SELECT 1 FROM records r WHERE r.account = a.account AND r.kind = $1 AND r.id = $2 OFFSET 0
) r WHERE a.account IS NOT NULL`

func (db *DB) strings(ctx context.Context, sql string, args ...any) ([]string, error) {
	rows, err := db.pool.Query(ctx, sql, args...)
	if err != nil {
		return nil, translate(err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	return out, translate(err)
}

// Reset implements store.Store.
func (db *DB) Reset(ctx context.Context) error {
	_, err := db.serializable(ctx, func(t *tx) error {
		if _, err := t.tx.Exec(ctx, lockAll, lockState); err != nil {
			return t.check(err)
		}
		// Every account is empty, as when it had no generation.
		for _, sql := range []string{`DELETE FROM records`, `DELETE FROM attrs`, `DELETE FROM counts`, `DELETE FROM client_tokens`, `DELETE FROM generations`} {
			if _, err := t.tx.Exec(ctx, sql); err != nil {
				return t.check(err)
			}
		}
		return nil
	})
	return err
}

// translate maps driver failures to the store's sentinels by SQLSTATE.
func translate(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return store.ErrNotFound
	}
	if errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrConflict) {
		return err // translated already
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case sqlstateSerializationFailure, sqlstateDeadlockDetected, sqlstateUniqueViolation, sqlstateLockNotAvailable:
			return fmt.Errorf("%w: %w", store.ErrConflict, err)
		}
	}
	return err
}

// tx implements store.Tx and store.MetaTx.
type tx struct {
	// tx is the connection the transaction runs on, nil once it ended.
	tx      *pgxpool.Conn
	account string
	now     time.Time
	write   bool
	// locked: the transaction holds its account's lock, so no one else
	// changes the account's records until it ends and what it read or
	// wrote (recs) stays current.
	locked bool
	// queue holds the writes not sent yet: they go with the next
	// statement, or with the COMMIT (send).
	queue []queued
	// recs is what the transaction knows of its account's records (while
	// locked): read, written or queued, or known absent.
	recs map[recKey]known
	// lowDue is a lower bound of the due times of the account's records
	// outside dueSet, which holds the records known due by then (a Due
	// answer not yet written back); kept from begin's min(due) on while
	// dueRead, so that Due asks only when something may be due.
	lowDue int64
	dueSet map[recKey]bool
	// failed: a statement failed, so PostgreSQL aborted the transaction;
	// conflict: one failed because a concurrent transaction won.
	failed, conflict bool
	// flushAfter: an Update, which commits without waiting for the WAL
	// flush under its lock and waits for it after (commit).
	flushAfter bool
	// gctx, when set, is the context of every statement: a group's
	// (group.go), which no one member's cancellation ends. savepoint: the
	// member's SAVEPOINT is queued, not sent yet.
	gctx      context.Context
	savepoint bool
	// prev is the group's member before, whose writes wait in the queue;
	// prevErr the failure of one of them, when sent.
	prev    *pendingMember
	prevErr error
	journal *store.Journal
	config  *store.ConfigCache
	// meta holds the prefetched meta keys as begin read them (absent: no
	// such key), kept current by PutMeta; minDue is the account's earliest
	// due time begin read (nil: none), valid while dueRead (until a Put or
	// Delete).
	meta    map[string][]byte
	minDue  *int64
	dueRead bool
	// dueAhead: begin reads the account's due records whole (dueAheadSQL),
	// not only the earliest due time; dueAll: the transaction then knows
	// every record of its account that has a due time (dues, each in recs
	// as it is now), and Due answers from them without a statement.
	dueAhead, dueAll bool
	dues             map[recKey]bool
	// aheadGen: at this generation the BEGIN leaves the due records to
	// the memo (writemo.go).
	aheadGen int64
	// writes counts the transaction's writes (known.w).
	writes uint64
	// wroteKinds are the kinds the transaction wrote records of: the
	// memo's answers to their queries are no longer its own (writemo.go).
	wroteKinds map[string]bool
	// newGen is the generation its COMMIT set (changed).
	newGen int64
	// stage: the writes stage their count changes in count_deltas (an
	// Update on a connection that has it); staged: some may wait there,
	// to be applied by foldSQL before the COMMIT or a kept count's read.
	stage, staged bool
	// kinds are the kinds the account holds records of, read by begin
	// under the lock (nil: not read) and added to by Puts; a query of a
	// kind not in it answers no records without a statement.
	kinds map[string]bool
	// changed: the transaction wrote the account's records or client
	// tokens, so its COMMIT sets the account's generation anew (memo.go).
	changed bool
	// readGen: begin reads the account's generation into gen (a View with
	// the memo on); memo answers and keeps the View's reads at gen.
	readGen bool
	gen     int64
	memo    *memo
	// pin: a View begun without a transaction reads what the memo lacks
	// through its memo's pin (memo.go), holding it while pinLocked.
	pin       *pin
	pinLocked bool
}

type recKey struct{ kind, id string }

// known is a record as the transaction last read or wrote it: present
// or not, and with seq when Get may answer from it (a new record's seq
// comes from the database).
type known struct {
	rec     store.Record
	present bool
	full    bool
	// w numbers the transaction's write that made this version (0: read),
	// so that its statement's answer (the seq) goes to this version only;
	// gone: absent because the transaction deleted it.
	w    uint64
	gone bool
}

// queued is a write waiting for the transaction's next round trip; done
// reads its answer.
type queued struct {
	sql  string
	args []any
	done func(pgx.Row) error // nil: a statement without an answer
}

// idle says nothing waits to be sent but a member's SAVEPOINT, which can
// wait for the member's first statement.
func (t *tx) idle() bool { return len(t.queue) == 0 || len(t.queue) == 1 && t.savepoint }

// send sends the queued writes, then b's statements, in one round trip,
// hands each write its answer and read b's results. A failed write fails
// the statement that sent it (PostgreSQL skips the rest of the batch and
// the transaction is aborted).
func (t *tx) send(ctx context.Context, b *pgx.Batch, read func(pgx.BatchResults) error) error {
	if t.gctx != nil {
		ctx = t.gctx
	}
	if t.tx == nil && t.pin != nil {
		if err := t.readThroughPin(); err != nil {
			return err
		}
	}
	q, prevN := t.queue, t.prevQueued()
	t.queue, t.savepoint = nil, false
	if len(q) > 0 {
		all := &pgx.Batch{QueuedQueries: make([]*pgx.QueuedQuery, 0, len(q)+b.Len())}
		for _, w := range q {
			all.Queue(w.sql, w.args...)
		}
		all.QueuedQueries = append(all.QueuedQueries, b.QueuedQueries...)
		b = all
	}
	br := t.tx.SendBatch(ctx, b)
	err := func() error {
		for i, w := range q {
			var err error
			if w.done == nil {
				_, err = br.Exec()
			} else {
				err = w.done(br.QueryRow())
			}
			if err != nil && i < prevN {
				// The member before's (group.go): it rolls back, not this one.
				t.prevErr = translate(err)
				return err
			}
			if err != nil {
				t.prev = nil
				return err
			}
		}
		t.prev = nil
		if read != nil {
			if err := read(br); err != nil {
				return err
			}
		}
		return br.Close()
	}()
	if err != nil {
		br.Close()
		return t.check(err)
	}
	return nil
}

// one sends the queued writes and one statement, whose row scan reads.
func (t *tx) one(ctx context.Context, scan func(pgx.Row) error, sql string, args ...any) error {
	b := &pgx.Batch{}
	b.Queue(sql, args...)
	return t.send(ctx, b, func(br pgx.BatchResults) error { return scan(br.QueryRow()) })
}

// exec sends the queued writes and one statement without an answer.
func (t *tx) exec(ctx context.Context, sql string, args ...any) error {
	b := &pgx.Batch{}
	b.Queue(sql, args...)
	return t.send(ctx, b, func(br pgx.BatchResults) error { _, err := br.Exec(); return err })
}

// commit sends the queued writes and the COMMIT in one round trip. With
// flushAfter the COMMIT does not wait for its WAL flush (the transaction
// set synchronous_commit off when it took its locks), so the account's
// lock is released at once; the statement after it in the same batch,
// its own transaction with the session's synchronous commit, writes a
// WAL record and waits for the flush of the WAL up to its own commit,
// which lies after this one's: the round trip ends only when the change
// is durable, as before, and the account's next writer no longer waits
// for the flush (concurrent flushes are shared by PostgreSQL).
func (t *tx) commit(ctx context.Context) error {
	_, err := t.commitAfter(ctx, "")
	return err
}

// commitAfter is commit with one more statement before the COMMIT (a
// group member's RELEASE, "" for none); committed says the COMMIT took
// effect, even when err reports a failure after it.
func (t *tx) commitAfter(ctx context.Context, before string) (committed bool, err error) {
	b := &pgx.Batch{}
	if before != "" {
		b.Queue(before)
	}
	fold := t.staged
	if fold {
		b.Queue(foldSQL, t.account)
	}
	changed := t.changed
	if changed {
		b.Queue(generationSQL, t.account)
	}
	b.Queue("commit")
	if t.flushAfter {
		b.Queue(flushSQL)
	}
	var tag pgconn.CommandTag
	if err := t.send(ctx, b, func(br pgx.BatchResults) error {
		if before != "" {
			if _, err := br.Exec(); err != nil {
				return err
			}
		}
		if fold {
			if _, err := br.Exec(); err != nil {
				return err
			}
		}
		if changed {
			if err := br.QueryRow().Scan(&t.newGen); err != nil {
				return err
			}
		}
		var err error
		if tag, err = br.Exec(); err != nil {
			return err
		}
		committed = tag.String() != "ROLLBACK"
		if t.flushAfter {
			_, err = br.Exec()
		}
		return err
	}); err != nil {
		if committed {
			// Never a conflict (%v, not %w): the closure must not run again.
			t.conflict = false
			return true, fmt.Errorf("committed, waiting for its flush: %v", err)
		}
		return false, err
	}
	if tag.String() == "ROLLBACK" {
		return false, pgx.ErrTxCommitRollback
	}
	return true, nil
}

// generationSQL sets the account's generation anew (memo.go), in the
// transaction that changed it: a View that sees the new value sees the
// change.
const generationSQL = `INSERT INTO generations (account, gen) VALUES ($1, nextval('generation_seq'))
	ON CONFLICT (account) DO UPDATE SET gen = excluded.gen RETURNING gen`

// flushSQL waits for the WAL to be flushed past everything this session
// committed: a transactional message (a WAL record and a transaction id,
// no table touched, no lock taken, any role may) makes its implicit
// transaction's commit wait for its flush.
const flushSQL = `SELECT pg_logical_emit_message(true, 'ecslocal', '')`

// note records what the transaction now knows of a record (while locked).
func (t *tx) note(k recKey, r known) {
	if !t.locked {
		return
	}
	if t.recs == nil {
		t.recs = map[recKey]known{}
	}
	t.recs[k] = r
}

// wrote keeps the due bookkeeping true after a write of k with due time
// due (nil: none, or deleted).
func (t *tx) wrote(k recKey, due *int64) {
	delete(t.dueSet, k)
	if due != nil {
		t.lowDue = min(t.lowDue, *due)
	}
}

// check translates err and notes what it means for the attempt.
func (t *tx) check(err error) error {
	err = translate(err)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		t.failed = true
		if errors.Is(err, store.ErrConflict) {
			t.conflict = true
		}
	}
	return err
}

func (t *tx) Account() string { return t.account }
func (t *tx) Now() time.Time  { return t.now }
func (t *tx) Journal() *store.Journal {
	if t.journal == nil {
		t.journal = &store.Journal{}
	}
	return t.journal
}

func (t *tx) GetMeta(ctx context.Context, key string) ([]byte, error) {
	if t.meta != nil && slices.Contains(prefetched, key) {
		v, ok := t.meta[key]
		if !ok {
			return nil, store.ErrNotFound
		}
		return bytes.Clone(v), nil
	}
	var v []byte
	err := t.one(ctx, func(r pgx.Row) error { return r.Scan(&v) }, `SELECT value FROM meta WHERE key = $1`, key)
	return v, t.check(err)
}

func (t *tx) PutMeta(ctx context.Context, key string, value []byte) error {
	if value == nil {
		value = []byte{}
	}
	err := t.exec(ctx, `INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
	if err == nil && t.meta != nil && slices.Contains(prefetched, key) {
		t.meta[key] = bytes.Clone(value)
	}
	return t.check(err)
}

func (t *tx) Get(ctx context.Context, kind, id string) (store.Record, error) {
	k := recKey{kind, id}
	c, knew := t.recs[k]
	if knew && (c.full || !c.present) {
		// Read or written in this transaction, which holds the account.
		if !c.present {
			return store.Record{}, store.ErrNotFound
		}
		r := c.rec
		r.Data = bytes.Clone(r.Data)
		return r, nil
	}
	var key string
	// (A record the transaction wrote, its seq not answered yet, is no
	// longer what the memo holds.)
	if t.memo != nil && !knew {
		key = store.GetKey(t.account, kind, id)
		if a, ok := t.memo.Get(key); ok {
			t.memo.Hits.Add(1)
			a := a.(store.GetAnswer)
			if t.write {
				// Not written by the transaction (recs): as at the memo's
				// generation, which the account's lock keeps.
				return t.recall(k, a)
			}
			return a.R, a.Err // Data and Decoded shared: nobody changes them
		}
		if t.write {
			key = "" // what it reads now is not kept: the memo is of its generation
		}
	}
	r := store.Record{Kind: kind, ID: id}
	var due *int64
	err := t.one(ctx, func(row pgx.Row) error { return row.Scan(&r.Region, &r.Seq, &due, &r.Data) },
		`SELECT region, seq, due, data FROM records WHERE account = $1 AND kind = $2 AND id = $3`, t.account, kind, id)
	if errors.Is(err, store.ErrNotFound) {
		t.note(k, known{})
		if key != "" {
			t.memo.Put(key, store.GetAnswer{Err: store.ErrNotFound}, 0)
		}
	}
	if err != nil {
		return store.Record{}, err
	}
	r.Due = fromNanos(due)
	t.note(k, known{rec: r, present: true, full: true})
	if key != "" {
		r = keep(r)
		t.memo.Put(key, store.GetAnswer{R: r}, recordCost(r))
	}
	return r, nil
}

// putSQL writes a record and its attributes in one statement and answers
// the version it replaced (no row for a new record): the record keeps its
// seq when it exists (a new one comes from the sequence), the attributes
// no longer named are dropped and the new ones added, so an unchanged
// attribute is not rewritten (only its region, when the record moved).
// The rows added are those the record's rows, read once (cur), lack: a
// plain INSERT. With ON CONFLICT DO NOTHING over every attribute instead,
// PostgreSQL searched the primary key for each one, changed or not, and
// inserted the new ones speculatively (a second search and a WAL record
// more each): a fifth of a status change's time.
// The kept counts (migrations 0004, 0005) take what changed: the record
// counted in its new region (new, or moved), each attribute dropped, moved
// or added. Every part of the statement sees the state before it.
// $9 are the kind's indexes whose counts are not kept (uncountedOf).
var putSQL = putDeltaSQL + countsOf(countSQL, "$9") + putEndSQL

// putStagedSQL is putSQL staging its count changes (stageSQL).
var putStagedSQL = putDeltaSQL + countsOf(stageSQL, "$9") + putEndSQL

const putDeltaSQL = `WITH old AS (
	SELECT region, seq, due, data FROM records WHERE account = $1 AND kind = $2 AND id = $3
), r AS (
	INSERT INTO records AS r (account, kind, id, region, seq, due, data)
	VALUES ($1, $2, $3, $4, nextval('record_seq'), $5, $6)
	ON CONFLICT (account, kind, id) DO UPDATE SET region = excluded.region, due = excluded.due, data = excluded.data
	RETURNING r.seq
), want AS (
	SELECT n, v FROM unnest($7::text[], $8::text[]) AS u (n, v)
), cur AS MATERIALIZED (
	SELECT a.name, a.value FROM attrs a WHERE a.account = $1 AND a.kind = $2 AND a.id = $3
), gone AS (
	DELETE FROM attrs a WHERE a.account = $1 AND a.kind = $2 AND a.id = $3
	AND NOT EXISTS (SELECT 1 FROM want WHERE want.n = a.name AND want.v = a.value)
	RETURNING a.region, a.name, a.value
), moved AS (
	UPDATE attrs a SET region = $4 WHERE a.account = $1 AND a.kind = $2 AND a.id = $3 AND a.region <> $4
	AND EXISTS (SELECT 1 FROM want WHERE want.n = a.name AND want.v = a.value)
	RETURNING a.name, a.value
), added AS (
	INSERT INTO attrs AS a (account, kind, region, name, value, seq, id)
	SELECT $1, $2, $4, want.n, want.v, r.seq, $3 FROM want, r
	WHERE NOT EXISTS (SELECT 1 FROM cur WHERE cur.name = want.n AND cur.value = want.v)
	RETURNING a.name, a.value
), delta AS (
	SELECT region, name, value, -1 AS n FROM gone
	UNION ALL SELECT (SELECT region FROM old), name, value, -1 FROM moved
	UNION ALL SELECT $4, name, value, 1 FROM moved
	UNION ALL SELECT $4, name, value, 1 FROM added
	UNION ALL SELECT $4, '', '', 1 WHERE NOT EXISTS (SELECT 1 FROM old WHERE region = $4)
	UNION ALL SELECT region, '', '', -1 FROM old WHERE region <> $4
)`

// putThereSQL is putStagedSQL for a record the transaction knows to be
// there in region $4 (its account's lock keeps every other writer out):
// an UPDATE of the record, not an INSERT with ON CONFLICT, and no move of
// its index rows to another region or of its count between regions. Half
// the writes of a RunInstances and DeleteInstances rewrite a record so
// (its status, a vSwitch's address cursor), and the parts left out were a
// fifth of the statement's plan, every node of which is set up at each
// execution. Were the record not there in $4 after all, the statement
// changes nothing and answers no row, which fails the write (scanPut).
var putThereSQL = `WITH old AS (
	SELECT region, seq, due, data FROM records WHERE account = $1 AND kind = $2 AND id = $3
), r AS (
	UPDATE records SET due = $5, data = $6 WHERE account = $1 AND kind = $2 AND id = $3 AND region = $4
	RETURNING seq
), want AS (
	SELECT n, v FROM unnest($7::text[], $8::text[]) AS u (n, v)
), cur AS MATERIALIZED (
	SELECT a.name, a.value FROM attrs a WHERE a.account = $1 AND a.kind = $2 AND a.id = $3
), gone AS (
	DELETE FROM attrs a WHERE a.account = $1 AND a.kind = $2 AND a.id = $3 AND EXISTS (SELECT 1 FROM r)
	AND NOT EXISTS (SELECT 1 FROM want WHERE want.n = a.name AND want.v = a.value)
	RETURNING a.region, a.name, a.value
), added AS (
	INSERT INTO attrs AS a (account, kind, region, name, value, seq, id)
	SELECT $1, $2, $4, want.n, want.v, r.seq, $3 FROM want, r
	WHERE NOT EXISTS (SELECT 1 FROM cur WHERE cur.name = want.n AND cur.value = want.v)
	RETURNING a.name, a.value
), delta AS (
	SELECT region, name, value, -1 AS n FROM gone
	UNION ALL SELECT $4, name, value, 1 FROM added
)` + countsOf(stageSQL, "$9") + putEndSQL

// putNewSQL is putStagedSQL for a record that is not there: one the
// transaction knows to be absent (its account's lock keeps every other
// writer out), or one whose ID was made for it (store.Record.Minted). It
// inserts the record and all its index rows and stages a count for each,
// with no read of an older version or of its rows, nothing to drop or
// move, no ON CONFLICT: a launch writes three records so, and those parts
// were a third of the statement's execution. Were the record there after
// all (an ID made twice), the INSERT fails with a unique violation, a lost
// race: the Update runs again in a new transaction.
const putNewSQL = `WITH r AS (
	INSERT INTO records (account, kind, id, region, seq, due, data)
	VALUES ($1, $2, $3, $4, nextval('record_seq'), $5, $6)
	RETURNING seq
), added AS (
	INSERT INTO attrs (account, kind, region, name, value, seq, id)
	SELECT $1, $2, $4, u.n, u.v, r.seq, $3 FROM unnest($7::text[], $8::text[]) AS u (n, v), r
), staged AS (
	INSERT INTO pg_temp.count_deltas (kind, region, name, value, n)
	SELECT $2, $4, u.n, u.v, 1 FROM unnest($7::text[], $8::text[]) AS u (n, v) WHERE u.n <> ALL($9::text[])
	UNION ALL SELECT $2, $4, '', '', 1
)
SELECT NULL::text, NULL::bigint, NULL::bigint, NULL::bytea, r.seq FROM r`

// putEndSQL answers the version replaced (nulls for a new record) and the
// record's seq, which the transaction then knows (a Due it answers itself
// orders by it).
const putEndSQL = `
SELECT old.region, old.seq, old.due, old.data, r.seq FROM r LEFT JOIN old ON true`

// countSQL applies the rows of a delta CTE (region, name, value, n) to the
// kept counts of account $1 and kind $2: a count brought to zero is
// deleted, the others added to (or inserted). The statement runs under the
// account's lock (Update), so the counts of the account are as its
// snapshot shows them. The rows of the kind's indexes whose counts are not
// kept ($U, a parameter of the statement's: countsOf) are left out.
const countSQL = `, sums AS (
	SELECT region, name, value, sum(n)::bigint AS n FROM delta WHERE name <> ALL($U::text[]) GROUP BY region, name, value HAVING sum(n) <> 0
), zeroed AS (
	DELETE FROM counts c USING sums s
	WHERE c.account = $1 AND c.kind = $2 AND c.region = s.region AND c.name = s.name AND c.value = s.value AND c.n + s.n = 0
	RETURNING c.region, c.name, c.value
), counted AS (
	INSERT INTO counts AS c (account, kind, region, name, value, n)
	SELECT $1, $2, s.region, s.name, s.value, s.n FROM sums s
	WHERE NOT EXISTS (SELECT 1 FROM zeroed z WHERE z.region = s.region AND z.name = s.name AND z.value = s.value)
	ON CONFLICT (account, kind, region, name, value) DO UPDATE SET n = c.n + excluded.n
)`

// The kept counts of an Update's writes are staged: each write adds its
// changes to count_deltas, a temporary table of the connection's (made
// once per connection; its rows go at COMMIT), and foldSQL applies their
// sums to counts once, before the COMMIT, or before the transaction reads
// a kept count. The rows of counts every launch and release changes (the
// instances by status, zone, VPC...) are then rewritten once per group
// commit, not once per write: their rewriting was half of what a
// RunInstances and DeleteInstances cost PostgreSQL. A member that rolls
// back to its savepoint takes its staged rows with it.
//
// The table has no TOAST table: at every COMMIT of a transaction that
// used it PostgreSQL truncates it (ON COMMIT DELETE ROWS), and a TOAST
// table is truncated with it, its index built anew (a metapage written to
// a file), each truncation announced to every backend: a fifth of a
// group's COMMIT. Columns of bounded length make no TOAST table; they are
// then made text again, kept inline (STORAGE PLAIN) so that none is made
// at the ALTER either. A row is the name and value of an attribute,
// which its index row in attrs (2 704 bytes at most) has held already, so
// it fits a page.
const countDeltasSQL = `CREATE TEMPORARY TABLE IF NOT EXISTS count_deltas (
	kind varchar(1) NOT NULL,
	region varchar(1) NOT NULL,
	name varchar(1) NOT NULL,
	value varchar(1) NOT NULL,
	n bigint NOT NULL
) ON COMMIT DELETE ROWS;
ALTER TABLE pg_temp.count_deltas
	ALTER kind TYPE text COLLATE "C", ALTER kind SET STORAGE PLAIN,
	ALTER region TYPE text COLLATE "C", ALTER region SET STORAGE PLAIN,
	ALTER name TYPE text COLLATE "C", ALTER name SET STORAGE PLAIN,
	ALTER value TYPE text COLLATE "C", ALTER value SET STORAGE PLAIN`

// stageSQL stages the rows of a delta CTE for kind $2 (countSQL's part in
// putSQL and deleteSQL when the counts are staged).
//
// The rows go in as the delta has them, one change each: foldSQL sums
// them. Summed here too, each write's statement built and ran one more
// hash aggregate.
const stageSQL = `, staged AS (
	INSERT INTO pg_temp.count_deltas (kind, region, name, value, n)
	SELECT $2, region, name, value, n FROM delta WHERE name <> ALL($U::text[])
)`

// countsOf is countSQL or stageSQL with param, the statement's parameter
// of the kind's indexes whose counts are not kept (uncountedOf), for $U.
func countsOf(sql, param string) string { return strings.ReplaceAll(sql, "$U", param) }

// uncountedOf answers the indexes of kind whose counts are not kept
// (store.KeepsCount), as the statements' array parameter: never nil, as a
// nil slice is a NULL array, which no name is unequal to.
func uncountedOf(kind string) []string {
	if names := store.UncountedNames(kind); names != nil {
		return names
	}
	return []string{}
}

// foldSQL applies the staged count changes of account $1 to counts, as
// countSQL applies a write's, and empties count_deltas.
const foldSQL = `WITH staged AS (
	DELETE FROM pg_temp.count_deltas RETURNING kind, region, name, value, n
), sums AS (
	SELECT kind, region, name, value, sum(n)::bigint AS n FROM staged GROUP BY kind, region, name, value HAVING sum(n) <> 0
), zeroed AS (
	DELETE FROM counts c USING sums s
	WHERE c.account = $1 AND c.kind = s.kind AND c.region = s.region AND c.name = s.name AND c.value = s.value AND c.n + s.n = 0
	RETURNING c.kind, c.region, c.name, c.value
), counted AS (
	INSERT INTO counts AS c (account, kind, region, name, value, n)
	SELECT $1, s.kind, s.region, s.name, s.value, s.n FROM sums s
	WHERE NOT EXISTS (SELECT 1 FROM zeroed z WHERE z.kind = s.kind AND z.region = s.region AND z.name = s.name AND z.value = s.value)
	ON CONFLICT (account, kind, region, name, value) DO UPDATE SET n = c.n + excluded.n
) SELECT 1`

// put queues the statement writing r; done receives the version it
// replaced. What the transaction knows of r is updated now: nothing reads
// the record before the statement is sent.
func (t *tx) put(r store.Record, done func(before store.Record, existed bool)) {
	names, values := attrArrays(r.Attrs)
	data := r.Data
	if data == nil {
		data = []byte{}
	}
	k := recKey{r.Kind, r.ID}
	due := toNanos(r.Due)
	t.wrote(k, due)
	if t.kinds != nil {
		t.kinds[r.Kind] = true
	}
	if t.dueAll {
		if due != nil {
			t.dues[k] = true
		} else {
			delete(t.dues, k)
		}
	}
	// As a read would answer it: the due time in UTC nanoseconds.
	t.writes++
	now := known{rec: store.Record{Kind: r.Kind, ID: r.ID, Region: r.Region, Due: fromNanos(due), Data: data}, present: true, w: t.writes}
	c, ok := t.recs[k]
	if ok && c.present && c.full {
		// An existing record keeps its seq.
		now.rec.Seq, now.full = c.rec.Seq, true
	}
	// A record the transaction knows is there, in this region (read, or
	// written by it before: its statement runs first).
	there := ok && c.present && c.rec.Region == r.Region
	// One it knows is not there (read as absent, or deleted by it), or
	// one it does not know whose ID was made for this write.
	absent := ok && !c.present || !ok && r.Minted()
	t.note(k, now)
	t.changed = true
	t.wroteKind(r.Kind)
	sql := putSQL
	switch {
	case t.stage && there:
		sql, t.staged = putThereSQL, true
	case t.stage && absent:
		sql, t.staged = putNewSQL, true
	case t.stage:
		sql, t.staged = putStagedSQL, true
	}
	t.queue = append(t.queue, queued{sql: sql, args: []any{t.account, r.Kind, r.ID, r.Region, due, data, names, values, uncountedOf(r.Kind)},
		done: t.scanPut(k, now.w, done)})
}

// attrArrays is a record's attributes as the names and values putSQL
// takes ($7, $8), each pair once: a pair named twice is one index row.
func attrArrays(attrs []store.Attr) (names, values []string) {
	names, values = make([]string, 0, len(attrs)), make([]string, 0, len(attrs))
	for i, a := range attrs {
		if slices.Contains(attrs[:i], a) {
			continue
		}
		names, values = append(names, a.Name), append(values, a.Value)
	}
	return names, values
}

// scanPut reads what a write's statement answers (putEndSQL): the version
// it replaced, handed to done, and the record's seq, which completes what
// the transaction knows of it while that is still write w's version.
func (t *tx) scanPut(k recKey, w uint64, done func(r store.Record, found bool)) func(pgx.Row) error {
	return func(row pgx.Row) error {
		var region *string
		var oldSeq, due *int64
		var data []byte
		var seq int64
		if err := row.Scan(&region, &oldSeq, &due, &data, &seq); err != nil {
			return err
		}
		if c, ok := t.recs[k]; ok && c.present && c.w == w {
			c.rec.Seq, c.full = seq, true
			t.recs[k] = c
		}
		if oldSeq == nil {
			done(store.Record{}, false)
			return nil
		}
		done(store.Record{Kind: k.kind, ID: k.id, Region: *region, Seq: *oldSeq, Due: fromNanos(due), Data: data}, true)
		return nil
	}
}

// scanVersion reads the version of kind/id a write's statement answers
// (region, seq, due, data; no row: none) and hands it to done.
func scanVersion(kind, id string, done func(r store.Record, found bool)) func(pgx.Row) error {
	return func(row pgx.Row) error {
		r := store.Record{Kind: kind, ID: id}
		var due *int64
		err := row.Scan(&r.Region, &r.Seq, &due, &r.Data)
		if errors.Is(err, pgx.ErrNoRows) {
			done(store.Record{}, false)
			return nil
		}
		if err != nil {
			return err
		}
		r.Due = fromNanos(due)
		done(r, true)
		return nil
	}
}

func (t *tx) Put(ctx context.Context, r store.Record) (before store.Record, existed bool, err error) {
	t.put(r, func(b store.Record, e bool) { before, existed = b, e })
	if err := t.send(ctx, &pgx.Batch{}, nil); err != nil {
		return store.Record{}, false, err
	}
	return before, existed, nil
}

// PutThen implements store.Queuer: the write goes with the transaction's
// next round trip (a read, or the COMMIT), one round trip fewer per write.
func (t *tx) PutThen(_ context.Context, r store.Record, done func(before store.Record, existed bool)) error {
	t.put(r, done)
	return nil
}

var deleteSQL = deleteDeltaSQL + countsOf(countSQL, "$4") + ` SELECT region, seq, due, data FROM d`

// deleteStagedSQL is deleteSQL staging its count changes (stageSQL).
var deleteStagedSQL = deleteDeltaSQL + countsOf(stageSQL, "$4") + ` SELECT region, seq, due, data FROM d`

const deleteDeltaSQL = `WITH d AS (
		DELETE FROM records WHERE account = $1 AND kind = $2 AND id = $3 RETURNING region, seq, due, data
	), a AS (
		DELETE FROM attrs WHERE account = $1 AND kind = $2 AND id = $3 RETURNING region, name, value
	), delta AS (
		SELECT region, '' AS name, '' AS value, -1 AS n FROM d UNION ALL SELECT region, name, value, -1 FROM a
	)`

// del queues the statement deleting a record; done receives the version
// it removed (found false: none).
func (t *tx) del(kind, id string, done func(r store.Record, found bool)) {
	k := recKey{kind, id}
	t.wrote(k, nil)
	delete(t.dues, k)
	t.note(k, known{gone: true})
	t.changed = true
	t.wroteKind(kind)
	sql := deleteSQL
	if t.stage {
		sql, t.staged = deleteStagedSQL, true
	}
	t.queue = append(t.queue, queued{sql: sql, args: []any{t.account, kind, id, uncountedOf(kind)},
		done: scanVersion(kind, id, done)})
}

func (t *tx) Delete(ctx context.Context, kind, id string) (r store.Record, err error) {
	found := false
	t.del(kind, id, func(b store.Record, f bool) { r, found = b, f })
	if err := t.send(ctx, &pgx.Batch{}, nil); err != nil {
		return store.Record{}, err
	}
	if !found {
		return store.Record{}, store.ErrNotFound
	}
	return r, nil
}

// Prefetch implements store.Prefetcher: while the transaction holds its
// account, the records of keys it does not know yet are read in one
// statement (with the queued writes), each then known present or absent.
func (t *tx) Prefetch(ctx context.Context, keys []store.Key) error {
	if !t.locked {
		return nil
	}
	var kinds, ids []string
	for _, k := range keys {
		rk := recKey{k.Kind, k.ID}
		if _, ok := t.recs[rk]; ok || k.ID == "" {
			continue
		}
		if t.memo != nil {
			if a, ok := t.memo.Get(store.GetKey(t.account, k.Kind, k.ID)); ok {
				t.memo.Hits.Add(1)
				t.recall(rk, a.(store.GetAnswer))
				continue
			}
		}
		kinds, ids = append(kinds, k.Kind), append(ids, k.ID)
	}
	if len(ids) == 0 {
		return nil
	}
	b := &pgx.Batch{}
	// One primary-key lookup per key, behind OFFSET 0: as a join, the
	// generic plan PostgreSQL settles on after five executions hashed the
	// keys and scanned every record of the account.
	// keys of any number, as a JSON list (see queryPlan).
	b.Queue(`SELECT r.kind, r.id, r.region, r.seq, r.due, r.data FROM jsonb_array_elements($2::jsonb) AS k (key)
		CROSS JOIN LATERAL (SELECT r.kind, r.id, r.region, r.seq, r.due, r.data FROM records r
		WHERE r.account = $1 AND r.kind = k.key->>0 AND r.id = k.key->>1 OFFSET 0) r`, t.account, jsonPairs(kinds, ids))
	var found []store.Record
	err := t.send(ctx, b, func(br pgx.BatchResults) (err error) {
		found, err = scanRecords(br)
		return err
	})
	if err != nil {
		return err
	}
	for i := range ids {
		t.note(recKey{kinds[i], ids[i]}, known{})
	}
	for _, r := range found {
		t.note(recKey{r.Kind, r.ID}, known{rec: r, present: true, full: true})
	}
	return nil
}

// Flush implements store.Queuer.
func (t *tx) Flush(ctx context.Context) error {
	if t.idle() {
		return nil
	}
	return t.send(ctx, &pgx.Batch{}, nil)
}

// DeleteThen implements store.Queuer: a record the transaction knows to
// exist (it holds the account) is deleted with the next round trip; any
// other now, so that ErrNotFound answers this call.
func (t *tx) DeleteThen(ctx context.Context, kind, id string, done func(before store.Record)) error {
	if c, ok := t.recs[recKey{kind, id}]; !ok || !c.present {
		r, err := t.Delete(ctx, kind, id)
		if err != nil {
			return err
		}
		done(r)
		return nil
	}
	t.del(kind, id, func(r store.Record, found bool) {
		if found {
			done(r)
		}
	})
	return nil
}

func (t *tx) Query(ctx context.Context, q store.Query) (store.Page, error) {
	if page, ok := t.known(q); ok {
		return page, nil
	}
	pages, err := t.QueryAll(ctx, []store.Query{q})
	if err != nil {
		return store.Page{}, err
	}
	return pages[0], nil
}

// known answers a query of records by id alone from what the
// transaction knows of each (a DeleteInstances after the due events of
// the same instances), when it knows every one: present with its seq, or
// absent.
func (t *tx) known(q store.Query) (store.Page, bool) {
	if q.IDs == nil || q.Filters != nil || q.Region != "" || q.Count || q.AfterSeq != 0 || q.Offset != 0 || q.Limit < len(q.IDs) || t.recs == nil {
		return store.Page{}, false
	}
	var page store.Page
	seen := map[string]bool{}
	for _, id := range q.IDs {
		c, ok := t.recs[recKey{q.Kind, id}]
		if !ok || c.present && !c.full {
			return store.Page{}, false
		}
		if c.present && !seen[id] {
			seen[id] = true
			r := c.rec
			r.Data = bytes.Clone(r.Data)
			page.Records = append(page.Records, r)
		}
	}
	sort.Slice(page.Records, func(i, j int) bool { return page.Records[i].Seq < page.Records[j].Seq })
	return page, true
}

// QueryAll implements store.Batcher: the queries' statements (and the
// queued writes) in one round trip.
func (t *tx) QueryAll(ctx context.Context, qs []store.Query) ([]store.Page, error) {
	b := &pgx.Batch{}
	reads := make([]func(pgx.BatchResults) (store.Page, error), len(qs))
	pages := make([]store.Page, len(qs))
	var keys []string
	if t.memo != nil {
		keys = make([]string, len(qs))
	}
	for i, q := range qs {
		if keys != nil && !t.wroteKinds[q.Kind] {
			keys[i] = store.QueryKey(t.account, q)
			if page, ok := t.recallPage(keys[i]); ok {
				pages[i], keys[i] = page, ""
				for _, r := range page.Records {
					t.note(recKey{r.Kind, r.ID}, known{rec: r, present: true, full: true})
				}
				continue
			}
		}
		if keys != nil && t.write {
			// Read at READ COMMITTED with the transaction's writes: not
			// kept in the memo of its generation.
			keys[i] = ""
		}
		reads[i] = t.queueQuery(b, q)
	}
	if b.Len() == 0 {
		// Every answer known without a statement: the queued writes wait
		// for the next round trip, not one of their own.
		return pages, nil
	}
	err := t.send(ctx, b, func(br pgx.BatchResults) error {
		for i, read := range reads {
			if read == nil {
				continue
			}
			var err error
			if pages[i], err = read(br); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for i, key := range keys {
		if key != "" {
			t.rememberPage(key, &pages[i])
		}
	}
	return pages, nil
}

// queueQuery queues q's statements in b (the count and the page are
// independent: one round trip for both) and answers how to read them.
func (t *tx) queueQuery(b *pgx.Batch, q store.Query) func(pgx.BatchResults) (store.Page, error) {
	if t.kinds != nil && !t.kinds[q.Kind] {
		return func(pgx.BatchResults) (store.Page, error) { return store.Page{}, nil }
	}
	from, countFrom, where, order, args := t.queryPlan(q)
	counting, fold := false, false
	if name, value, ok := store.Counted(q); ok {
		if t.staged {
			// The transaction's own changes first.
			b.Queue(foldSQL, t.account)
			fold, t.staged = true, false
		}
		// The kept count (migration 0004): one row, however many records match.
		b.Queue(`SELECT COALESCE((SELECT n FROM counts WHERE account = $1 AND kind = $2 AND region = $3 AND name = $4 AND value = $5), 0)`,
			t.account, q.Kind, q.Region, name, value)
		counting = true
	} else if q.Count {
		b.Queue(`SELECT count(*) FROM `+countFrom+` WHERE `+where, args...)
		counting = true
	}
	if q.Limit > 0 {
		if q.AfterSeq > 0 {
			where += ` AND ` + order + ` > ` + args.add(q.AfterSeq)
		}
		sql := `SELECT r.id, r.region, r.seq, r.due, r.data FROM ` + from + ` WHERE ` + where +
			` ORDER BY ` + order + ` LIMIT ` + args.add(q.Limit+1)
		if q.Offset > 0 {
			// Only when paging by number: a generic plan prices an OFFSET
			// parameter as skipping a tenth of the rows, so PostgreSQL kept
			// planning every execution anew (a custom plan) when it was
			// there, for the lookups of every write.
			sql += ` OFFSET ` + args.add(q.Offset)
		}
		b.Queue(sql, args...)
	}
	return func(br pgx.BatchResults) (store.Page, error) {
		var page store.Page
		if fold {
			if _, err := br.Exec(); err != nil {
				return page, err
			}
		}
		if counting {
			if err := br.QueryRow().Scan(&page.Total); err != nil {
				return page, err
			}
		}
		if q.Limit <= 0 {
			return page, nil
		}
		rows, err := br.Query()
		if err != nil {
			return page, err
		}
		for rows.Next() {
			r := store.Record{Kind: q.Kind}
			var due *int64
			if err := rows.Scan(&r.ID, &r.Region, &r.Seq, &due, &r.Data); err != nil {
				rows.Close()
				return page, err
			}
			r.Due = fromNanos(due)
			page.Records = append(page.Records, r)
		}
		if rows.Close(); rows.Err() != nil {
			return page, rows.Err()
		}
		if len(page.Records) > q.Limit {
			page.Records, page.More = page.Records[:q.Limit], true
		}
		for _, r := range page.Records {
			t.note(recKey{r.Kind, r.ID}, known{rec: r, present: true, full: true})
		}
		return page, nil
	}
}

// argList collects a statement's arguments; add answers the placeholder.
type argList []any

func (a *argList) add(v any) string {
	*a = append(*a, v)
	return "$" + strconv.Itoa(len(*a))
}

// queryPlan picks the access path of a Query as the SQLite backend does, so
// that its cost follows the page, not the table: explicit ids go through the
// primary key; otherwise the first one-value filter drives the scan in
// creation order through attrs_by_region or the attrs primary key, and
// the record and the other filters are looked up per row of it; without
// one, a positive filter of several values finds its matches value by
// value and sorts them; with none, records_by_region or records_by_seq
// walks the records in creation order and the filters are EXISTS probes. countFrom is what a
// Count reads: with a driver, attrs alone (every index row has its record).
//
// With a driver the per-row lookups are written so that the planner cannot
// turn them into joins (a LATERAL subquery and scalar subqueries behind
// OFFSET 0, which PostgreSQL never flattens): as joins, without statistics
// (a new schema, or rows added in the transaction), PostgreSQL took each
// side for one row and read every record of the kind per driver row.
// Without a driver the EXISTS probes stay joins, which the planner may turn
// around to start from a filter's few index rows.
func (t *tx) queryPlan(q store.Query) (from, countFrom, where, order string, args argList) {
	var b strings.Builder
	// The ENIs of a page of instances (a filter of several values) go one
	// point range per value, not a walk of every ENI of the region.
	driver, several := store.Drivers(q)
	// probe is the row the filters are probed for.
	probe := "r"
	switch {
	case several >= 0:
		f := q.Filters[several]
		// A record matching several values is one row (DISTINCT); each value
		// and each record is a lookup behind OFFSET 0, so no plan, generic or
		// without statistics, can read more than the values' index rows. The
		// values come as a JSON list, whose length the planner does not
		// read (it does an array's): the plan of one list is then the plan
		// of any, and PostgreSQL keeps one generic plan instead of planning
		// every execution for its list.
		match := `SELECT a.account, a.kind, a.region, a.seq, a.id FROM attrs a WHERE a.account = ` + args.add(t.account) +
			` AND a.kind = ` + args.add(q.Kind)
		if q.Region != "" {
			match += ` AND a.region = ` + args.add(q.Region)
		}
		match += ` AND a.name = ` + args.add(f.Name) + ` AND a.value = v.value OFFSET 0`
		countFrom = `(SELECT DISTINCT m.account, m.kind, m.region, m.seq, m.id FROM jsonb_array_elements_text(` + args.add(jsonList(f.Values)) +
			`::jsonb) AS v (value) CROSS JOIN LATERAL (` + match + `) m) a0`
		from = countFrom + ` CROSS JOIN LATERAL (SELECT r.id, r.region, r.seq, r.due, r.data FROM records r
			WHERE r.account = a0.account AND r.kind = a0.kind AND r.id = a0.id OFFSET 0) r`
		order, probe = `a0.seq`, "a0"
		b.WriteString(`true`)
		q.Filters = append(append([]store.Filter{}, q.Filters[:several]...), q.Filters[several+1:]...)
	case q.IDs != nil || driver < 0:
		from, countFrom, order = `records r`, `records r`, `r.seq`
		b.WriteString(`r.account = ` + args.add(t.account) + ` AND r.kind = ` + args.add(q.Kind))
		if q.IDs != nil {
			// The ids as a JSON list made an array by a subquery, whose
			// length no plan knows: with an array parameter, each plan
			// priced the ids it was given below the generic plan's guess
			// of ten, and PostgreSQL planned every lookup by id anew.
			b.WriteString(` AND r.id = ANY(ARRAY(SELECT jsonb_array_elements_text(` + args.add(jsonList(q.IDs)) + `::jsonb)))`)
		}
		if q.Region != "" {
			b.WriteString(` AND r.region = ` + args.add(q.Region))
		}
	default:
		f := q.Filters[driver]
		from = `attrs a0 CROSS JOIN LATERAL (SELECT r.id, r.region, r.seq, r.due, r.data FROM records r
			WHERE r.account = a0.account AND r.kind = a0.kind AND r.id = a0.id OFFSET 0) r`
		countFrom, order, probe = `attrs a0`, `a0.seq`, "a0"
		b.WriteString(`a0.account = ` + args.add(t.account) + ` AND a0.kind = ` + args.add(q.Kind) +
			` AND a0.name = ` + args.add(f.Name) + ` AND a0.value = ` + args.add(f.Values[0]))
		if q.Region != "" {
			b.WriteString(` AND a0.region = ` + args.add(q.Region))
		}
		q.Filters = append(append([]store.Filter{}, q.Filters[:driver]...), q.Filters[driver+1:]...)
	}
	for _, f := range q.Filters {
		// Every column an attrs index starts with is bound (the record's
		// index rows share its region and seq), so whichever index the
		// planner takes, a probe is a point lookup.
		cond := `a.account = ` + probe + `.account AND a.kind = ` + probe + `.kind AND a.region = ` + probe + `.region AND a.seq = ` + probe +
			`.seq AND a.id = ` + probe + `.id AND a.name = ` + args.add(f.Name)
		if len(f.Values) == 1 {
			cond += ` AND a.value = ` + args.add(f.Values[0])
		} else {
			cond += ` AND a.value = ANY(` + args.add(nonNil(f.Values)) + `::text[])`
		}
		switch {
		case probe == "r":
			exists := ` AND EXISTS`
			if f.Not {
				exists = ` AND NOT EXISTS`
			}
			b.WriteString(exists + ` (SELECT 1 FROM attrs a WHERE ` + cond + `)`)
		case f.Not:
			b.WriteString(` AND (SELECT true FROM attrs a WHERE ` + cond + ` LIMIT 1 OFFSET 0) IS NULL`)
		default:
			b.WriteString(` AND (SELECT true FROM attrs a WHERE ` + cond + ` LIMIT 1 OFFSET 0) IS NOT NULL`)
		}
	}
	return from, countFrom, b.String(), order, args
}

// jsonList is s as a JSON array of strings, a jsonb argument.
func jsonList(s []string) []byte {
	b, _ := json.Marshal(nonNil(s))
	return b
}

// jsonPairs is a JSON array of [a[i], b[i]] pairs, a jsonb argument.
func jsonPairs(a, b []string) []byte {
	pairs := make([][2]string, len(a))
	for i := range a {
		pairs[i] = [2]string{a[i], b[i]}
	}
	out, _ := json.Marshal(pairs)
	return out
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// Due implements store.Tx. In a read-write transaction the rows are locked
// (FOR UPDATE), though the account's lock already keeps its other writers
// out (see the package comment).
func (t *tx) Due(ctx context.Context, at time.Time, limit int) ([]store.Record, error) {
	if t.dueAll {
		// The transaction knows every due record of its account (due.go).
		out, ok, err := t.dueKnown(ctx, at, limit)
		if err != nil || ok {
			return out, err
		}
	}
	if t.dueRead && len(t.dueSet) == 0 && t.lowDue > at.UnixNano() {
		// Nothing due by at: begin read the earliest due time, a Due
		// answer listed every record due, and the writes since moved none
		// to at or before.
		return nil, nil
	}
	sql := `SELECT kind, id, region, seq, due, data FROM records WHERE account = $1 AND due IS NOT NULL AND due <= $2 ORDER BY due, seq LIMIT $3`
	if t.write {
		sql += ` FOR UPDATE`
	}
	b := &pgx.Batch{}
	b.Queue(sql, t.account, at.UnixNano(), limit)
	var out []store.Record
	err := t.send(ctx, b, func(br pgx.BatchResults) (err error) {
		out, err = scanRecords(br)
		return err
	})
	if err != nil {
		return nil, err
	}
	if t.dueRead && len(out) < limit {
		// Every record due by at is in out; the others fall due later.
		t.dueSet, t.lowDue = make(map[recKey]bool, len(out)), at.UnixNano()+1
		for _, r := range out {
			t.dueSet[recKey{r.Kind, r.ID}] = true
		}
	}
	for _, r := range out {
		t.note(recKey{r.Kind, r.ID}, known{rec: r, present: true, full: true})
	}
	return out, nil
}

func (t *tx) ClientToken(ctx context.Context, action, token string) (store.ClientToken, error) {
	ct := store.ClientToken{Action: action, Token: token}
	var created int64
	err := t.one(ctx, func(r pgx.Row) error { return r.Scan(&ct.Hash, &ct.Response, &created) },
		`SELECT hash, response, created FROM client_tokens WHERE account = $1 AND action = $2 AND token = $3`, t.account, action, token)
	if err != nil {
		return store.ClientToken{}, err
	}
	ct.Created = time.Unix(0, created).UTC()
	return ct, nil
}

func (t *tx) PutClientToken(ctx context.Context, ct store.ClientToken) error {
	resp := ct.Response
	if resp == nil {
		resp = []byte{}
	}
	t.changed = true
	err := t.exec(ctx, `INSERT INTO client_tokens (account, action, token, hash, response, created) VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (account, action, token) DO UPDATE SET hash = excluded.hash, response = excluded.response, created = excluded.created`,
		t.account, ct.Action, ct.Token, ct.Hash, resp, ct.Created.UnixNano())
	return t.check(err)
}

func toNanos(t time.Time) *int64 {
	if t.IsZero() {
		return nil
	}
	n := t.UnixNano()
	return &n
}

// scanRecords reads the records (kind, id, region, seq, due, data) a
// batch's next statement answers.
func scanRecords(br pgx.BatchResults) ([]store.Record, error) {
	rows, err := br.Query()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []store.Record
	for rows.Next() {
		var r store.Record
		var due *int64
		if err := rows.Scan(&r.Kind, &r.ID, &r.Region, &r.Seq, &due, &r.Data); err != nil {
			return nil, err
		}
		r.Due = fromNanos(due)
		out = append(out, r)
	}
	return out, rows.Err()
}

func fromNanos(n *int64) time.Time {
	if n == nil {
		return time.Time{}
	}
	return time.Unix(0, *n).UTC()
}

// AppendEvents implements store.Store. READ COMMITTED is enough here: the
// 'event' counter row is locked by the first statement, so appenders from
// every replica take their turn, get seqs without gaps in commit order, and
// trim what the previous one left.
func (db *DB) AppendEvents(ctx context.Context, events []store.Event, keep int) error {
	if len(events) == 0 {
		return nil
	}
	if keep <= 0 {
		keep = store.DefaultEventRetention
	}
	_, err := db.retry(ctx, pgx.ReadCommitted, "", func(t *tx) error {
		var last int64
		if err := t.tx.QueryRow(ctx, `UPDATE counters SET n = n + $1 WHERE name = 'event' RETURNING n`, len(events)).Scan(&last); err != nil {
			return t.check(err)
		}
		first := last - int64(len(events)) + 1
		// Every event in one statement, and their resources in another:
		// a statement per row cost PostgreSQL a bind and an execution each.
		n := len(events)
		seqs, times := make([]int64, n), make([]int64, n)
		accounts, actions, codes := make([]string, n), make([]string, n), make([]string, n)
		datas := make([][]byte, n)
		var resources []string
		var resourceSeqs []int64
		for i, e := range events {
			seq := first + int64(i)
			e.Seq = seq
			data, err := json.Marshal(e)
			if err != nil {
				return fmt.Errorf("encode event: %w", err)
			}
			seqs[i], times[i], accounts[i], actions[i], codes[i], datas[i] = seq, e.Time.UnixNano(), e.Account, e.Action, e.Code, data
			seen := map[string]bool{}
			for _, r := range e.Resources {
				if r != "" && !seen[r] {
					seen[r] = true
					resources, resourceSeqs = append(resources, r), append(resourceSeqs, seq)
				}
			}
		}
		b := &pgx.Batch{}
		b.Queue(`INSERT INTO events (seq, account, action, code, time, data)
			SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::bytea[])`,
			seqs, accounts, actions, codes, times, datas)
		if len(resources) > 0 {
			b.Queue(`INSERT INTO event_resources (resource, seq) SELECT * FROM unnest($1::text[], $2::bigint[])`, resources, resourceSeqs)
		}
		if cut := last - int64(keep); cut > 0 {
			b.Queue(`DELETE FROM events WHERE seq <= $1`, cut)
			b.Queue(`DELETE FROM event_resources WHERE seq <= $1`, cut)
		}
		return t.check(t.tx.SendBatch(ctx, b).Close())
	})
	return err
}

// Events implements store.Store.
func (db *DB) Events(ctx context.Context, f store.EventFilter) ([]store.Event, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = store.DefaultEventLimit
	}
	var where []string
	var args argList
	if f.Account != "" {
		where = append(where, `account = `+args.add(f.Account))
	}
	if f.Action != "" {
		where = append(where, `action = `+args.add(f.Action))
	}
	if f.Code != "" {
		where = append(where, `code = `+args.add(f.Code))
	}
	if !f.Since.IsZero() {
		where = append(where, `time >= `+args.add(f.Since.UnixNano()))
	}
	if f.BeforeSeq > 0 {
		where = append(where, `seq < `+args.add(f.BeforeSeq))
	}
	if f.ResourceID != "" {
		where = append(where, `seq IN (SELECT seq FROM event_resources WHERE resource = `+args.add(f.ResourceID)+`)`)
	}
	q := `SELECT data FROM events`
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, ` AND `)
	}
	q += ` ORDER BY seq DESC LIMIT ` + args.add(limit)
	rows, err := db.pool.Query(ctx, q, args...)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	out := []store.Event{}
	for rows.Next() {
		var data []byte
		if err := rows.Scan(&data); err != nil {
			return nil, translate(err)
		}
		var e store.Event
		if err := json.Unmarshal(data, &e); err != nil {
			return nil, fmt.Errorf("decode event: %w", err)
		}
		out = append(out, e)
	}
	return out, translate(rows.Err())
}

// Inventory implements store.Store.
func (db *DB) Inventory(ctx context.Context) ([]store.Shelf, error) {
	rows, err := db.pool.Query(ctx, `SELECT account, region, kind, count(*) FROM records GROUP BY account, region, kind ORDER BY account, region, kind`)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	out := []store.Shelf{}
	for rows.Next() {
		var s store.Shelf
		if err := rows.Scan(&s.Account, &s.Region, &s.Kind, &s.Count); err != nil {
			return nil, translate(err)
		}
		out = append(out, s)
	}
	return out, translate(rows.Err())
}

// Export implements store.Store: one REPEATABLE READ snapshot, so one
// commit's state.
func (db *DB) Export(ctx context.Context) (store.Snapshot, error) {
	snap := store.Snapshot{Records: []store.AccountRecord{}, ClientTokens: []store.AccountClientToken{}, Meta: map[string][]byte{}}
	ptx, err := db.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return snap, translate(err)
	}
	defer ptx.Rollback(context.WithoutCancel(ctx))

	type key struct{ account, kind, id string }
	attrs := map[key][]store.Attr{}
	rows, err := ptx.Query(ctx, `SELECT account, kind, id, name, value FROM attrs ORDER BY account, kind, seq, id, name, value`)
	if err != nil {
		return snap, translate(err)
	}
	for rows.Next() {
		var k key
		var a store.Attr
		if err := rows.Scan(&k.account, &k.kind, &k.id, &a.Name, &a.Value); err != nil {
			rows.Close()
			return snap, translate(err)
		}
		attrs[k] = append(attrs[k], a)
	}
	if rows.Close(); rows.Err() != nil {
		return snap, translate(rows.Err())
	}

	rows, err = ptx.Query(ctx, `SELECT account, kind, id, region, seq, due, data FROM records ORDER BY account, seq`)
	if err != nil {
		return snap, translate(err)
	}
	for rows.Next() {
		var r store.AccountRecord
		var due *int64
		if err := rows.Scan(&r.Account, &r.Kind, &r.ID, &r.Region, &r.Seq, &due, &r.Data); err != nil {
			rows.Close()
			return snap, translate(err)
		}
		r.Due = fromNanos(due)
		r.Attrs = attrs[key{r.Account, r.Kind, r.ID}]
		snap.Records = append(snap.Records, r)
	}
	if rows.Close(); rows.Err() != nil {
		return snap, translate(rows.Err())
	}

	rows, err = ptx.Query(ctx, `SELECT account, action, token, hash, response, created FROM client_tokens ORDER BY account, action, token`)
	if err != nil {
		return snap, translate(err)
	}
	for rows.Next() {
		var ct store.AccountClientToken
		var created int64
		if err := rows.Scan(&ct.Account, &ct.Action, &ct.Token, &ct.Hash, &ct.Response, &created); err != nil {
			rows.Close()
			return snap, translate(err)
		}
		ct.Created = time.Unix(0, created).UTC()
		snap.ClientTokens = append(snap.ClientTokens, ct)
	}
	if rows.Close(); rows.Err() != nil {
		return snap, translate(rows.Err())
	}

	rows, err = ptx.Query(ctx, `SELECT key, value FROM meta ORDER BY key`)
	if err != nil {
		return snap, translate(err)
	}
	defer rows.Close()
	for rows.Next() {
		var k string
		var v []byte
		if err := rows.Scan(&k, &v); err != nil {
			return snap, translate(err)
		}
		snap.Meta[k] = v
	}
	return snap, translate(rows.Err())
}

// Import implements store.Store: one SERIALIZABLE transaction, re-run on
// conflict like an Update.
func (db *DB) Import(ctx context.Context, s store.Snapshot) error {
	if err := s.Check(); err != nil {
		return err
	}
	var maxSeq int64
	for _, r := range s.Records {
		maxSeq = max(maxSeq, r.Seq)
	}
	var recs, attrRows, tokens, meta [][]any
	next := maxSeq
	for _, r := range s.Records {
		seq := r.Seq
		if seq <= 0 {
			next++
			seq = next
		}
		data := r.Data
		if data == nil {
			data = []byte{}
		}
		recs = append(recs, []any{r.Account, r.Kind, r.ID, r.Region, seq, toNanos(r.Due), data})
		seen := map[store.Attr]bool{}
		for _, a := range r.Attrs {
			if !seen[a] {
				seen[a] = true
				attrRows = append(attrRows, []any{r.Account, r.Kind, r.Region, a.Name, a.Value, seq, r.ID})
			}
		}
	}
	for _, ct := range s.ClientTokens {
		resp := ct.Response
		if resp == nil {
			resp = []byte{}
		}
		tokens = append(tokens, []any{ct.Account, ct.Action, ct.Token, ct.Hash, resp, ct.Created.UnixNano()})
	}
	keys := make([]string, 0, len(s.Meta))
	for k := range s.Meta {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := s.Meta[k]
		if v == nil {
			v = []byte{}
		}
		meta = append(meta, []any{k, v})
	}
	_, err := db.serializable(ctx, func(t *tx) error {
		if _, err := t.tx.Exec(ctx, lockAll, lockState); err != nil {
			return t.check(err)
		}
		for _, sql := range []string{`DELETE FROM records`, `DELETE FROM attrs`, `DELETE FROM counts`, `DELETE FROM client_tokens`, `DELETE FROM meta`, `DELETE FROM generations`} {
			if _, err := t.tx.Exec(ctx, sql); err != nil {
				return t.check(err)
			}
		}
		for _, c := range []struct {
			table string
			cols  []string
			rows  [][]any
		}{
			{"records", []string{"account", "kind", "id", "region", "seq", "due", "data"}, recs},
			{"attrs", []string{"account", "kind", "region", "name", "value", "seq", "id"}, attrRows},
			{"client_tokens", []string{"account", "action", "token", "hash", "response", "created"}, tokens},
			{"meta", []string{"key", "value"}, meta},
		} {
			if len(c.rows) == 0 {
				continue
			}
			if _, err := t.tx.CopyFrom(ctx, pgx.Identifier{c.table}, c.cols, pgx.CopyFromRows(c.rows)); err != nil {
				return t.check(err)
			}
		}
		// The kept counts, from the imported rows.
		if _, err := t.tx.Exec(ctx, `INSERT INTO counts (account, kind, region, name, value, n)
			SELECT account, kind, region, '', '', count(*) FROM records GROUP BY account, kind, region
			UNION ALL
			SELECT account, kind, region, name, value, count(*) FROM attrs GROUP BY account, kind, region, name, value`); err != nil {
			return t.check(err)
		}
		// But for the indexes whose counts are not kept.
		if err := dropCounts(ctx, t.tx, store.Uncounted()); err != nil {
			return t.check(err)
		}
		// Every account imported has changed: a generation of its own.
		if _, err := t.tx.Exec(ctx, `INSERT INTO generations (account, gen)
			SELECT account, nextval('generation_seq') FROM (SELECT account FROM records UNION SELECT account FROM client_tokens) a`); err != nil {
			return t.check(err)
		}
		// Creation order continues after the imported records, never below
		// what this database handed out already.
		_, err := t.tx.Exec(ctx, `SELECT setval('record_seq', GREATEST($1::bigint, (SELECT last_value FROM record_seq)))`, next)
		return t.check(err)
	})
	return err
}

// ConfigCache lets store.LoadConfig skip decoding an unchanged configuration.
func (t *tx) ConfigCache() *store.ConfigCache { return t.config }

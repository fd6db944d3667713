// Package sqlite is the embedded store: SQLite through the pure-Go
// modernc.org/sqlite driver, so CGO_ENABLED=0 builds work. A file database
// runs in WAL mode with synchronous=FULL, so an acknowledged change survives a
// kill -9; "memory" is the same schema in an in-memory database.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/ecslocal/ecslocal/internal/store"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

//go:embed migrations/*.sql
var migrations embed.FS

// memSeq names in-memory databases apart so that several servers in one test
// process never share one.
var memSeq atomic.Int64

// DB is a store.Store over SQLite.
type DB struct {
	write *sql.DB // one connection: SQLite has one writer, and queuing here beats SQLITE_BUSY
	read  *sql.DB // readers see the last commit through WAL
	hooks store.Hooks
	nonce store.Nonces
	stmts stmts
	// config keeps the last decoded configuration (store.LoadConfig).
	config store.ConfigCache
	// Group commit: Update queues its closure for the one writer goroutine,
	// which runs what is queued in one transaction and commits it with one
	// fsync (see writer).
	queue      chan *writeReq
	quit       chan struct{}
	writerDone chan struct{}
	// nonces writes fresh nonces of a file store to disk (nil in memory).
	nonces *nonceWriter
	// log holds the nonces and the audit log: the log file (logfile.go),
	// or write for an in-memory database.
	log *sql.DB
	// cache keeps the decoded value of each record version read (cache.go).
	cache *decodedCache
	// wal reads the file's generation and current keeps the meta values
	// read at one (current.go); wal is nil in memory.
	wal     *walIndex
	current currentMeta
	// memos keeps the answers of read transactions at one generation (memo.go).
	memos memos
	// beforeBegin, when set, runs between a View's reading of the
	// generation and the start of its transaction, and before a View the
	// memo answered begins one (tests).
	beforeBegin func()
	// began counts the read transactions begun (tests).
	began atomic.Int64
	// careful counts down the groups still to run each caller in a
	// SAVEPOINT (commitGroup); the writer's alone.
	careful int
	// wmeta are the meta rows the writer keeps, valid at metaGen
	// (metacache.go).
	wmeta   writerMeta
	metaGen atomic.Int64
	// pend are the records the writer created and has not indexed yet
	// (pending.go).
	pend pending
	// wkinds are the kinds each account may hold, as the writer's groups
	// left them (kinds.go); the writer's alone.
	wkinds map[string]map[string]bool
}

var _ store.Store = (*DB)(nil)

// pageCacheKiB is the write connection's page cache (SQLite's default is
// 2 MB): the inner pages of the indexes it rewrites stay in it.
const pageCacheKiB = 8192

// readConns is the read pool: the calls are CPU-bound and the machines this
// runs on have few cores, so more connections only add page caches.
const readConns = 4

// readCacheKiB is each read connection's page cache, for the pages beyond
// its mapping. A reader keeps its cache (and its mapping) until the state
// file changes, so all of it counts in the resident set: readConns ×
// (readCacheKiB + readMmapBytes) is 24 MiB at most, which with the
// writer's 8 MiB keeps a server of a million instances within 150 MiB
// (twice as much took 100 000 instances to 190 MB, for no faster reads).
const readCacheKiB = 2048

// readMmapBytes is how much of the file each read connection maps (PRAGMA
// mmap_size): a page in the mapping is read with no system call, no copy and
// no page-cache slot, so a file up to this size (1 000 instances with their
// disks and ENIs are under 4 MB) is read from memory by every connection,
// and the page cache is left for the pages beyond. A mapped page a
// connection touches counts in the server's resident set (once per
// connection), hence the bound; in a file of a million instances (3.6 GB)
// it is the first 0.1 %, which few calls touch.
const readMmapBytes = 4 << 20

// Open opens (creating if needed) the database at path and migrates it.
func Open(ctx context.Context, path string) (*DB, error) {
	q := "?_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)"
	// temp_store: the subjournal of each caller's SAVEPOINT stays in memory
	// instead of a temporary file written with a system call a page.
	write, err := sql.Open("sqlite", "file:"+path+q+"&_pragma=cache_size(-"+strconv.Itoa(pageCacheKiB)+")&_pragma=temp_store(MEMORY)&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	write.SetMaxOpenConns(1)
	// The driver runs each _pragma on every connection it opens.
	read, err := sql.Open("sqlite", "file:"+path+q+"&_pragma=cache_size(-"+strconv.Itoa(readCacheKiB)+")&_pragma=mmap_size("+strconv.Itoa(readMmapBytes)+")&mode=ro")
	if err != nil {
		write.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	read.SetMaxOpenConns(readConns)
	// database/sql keeps 2 idle connections by default: under more load the
	// others were closed on release and reopened, each time losing its
	// page cache, its mapping and its prepared statements.
	read.SetMaxIdleConns(readConns)
	db := newDB(write, read)
	if err := db.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if db.log, err = openLog(ctx, path); err != nil {
		db.Close()
		return nil, err
	}
	if err := db.moveLog(ctx, path); err != nil {
		db.Close()
		return nil, err
	}
	if err := db.loadNonces(ctx); err != nil {
		db.Close()
		return nil, err
	}
	db.wal = openWALIndex(path)
	db.startNonceWriter()
	return db, nil
}

// OpenMemory opens a fresh in-memory database, private to this value.
func OpenMemory(ctx context.Context) (*DB, error) {
	name := "ecslocal-mem-" + strconv.FormatInt(memSeq.Add(1), 10) + "-" + strconv.FormatInt(time.Now().UnixNano(), 36)
	dsn := "file:" + url.PathEscape(name) + "?mode=memory&cache=shared&_pragma=busy_timeout(10000)&_txlock=immediate"
	write, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open sqlite memory: %w", err)
	}
	// One connection keeps the database alive and serialises writers.
	write.SetMaxOpenConns(1)
	write.SetConnMaxIdleTime(0)
	write.SetConnMaxLifetime(0)
	db := newDB(write, write)
	db.log = write // one database: nothing reads it but this process
	if err := db.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

func newDB(write, read *sql.DB) *DB {
	db := &DB{write: write, read: read, queue: make(chan *writeReq, maxGroup), quit: make(chan struct{}), writerDone: make(chan struct{}), cache: newDecodedCache(decodedCacheBytes)}
	db.memos.max = memoBytes
	db.pend.delay = DefaultIndexDelay
	go db.writer()
	return db
}

// SetIndexDelay sets how long a record the writer creates stays pending
// before its index rows are written (pending.go); 0 writes them with the
// record. Set it before the store is used.
func (db *DB) SetIndexDelay(ctx context.Context, d time.Duration) error {
	db.pend.delay = max(d, 0)
	if d <= 0 {
		return db.indexAll(ctx)
	}
	return nil
}

// Close closes the database.
func (db *DB) Close() error {
	// The writer finishes what is queued first, then the nonces still queued
	// are written, before the WAL is folded in.
	close(db.quit)
	<-db.writerDone
	if db.nonces != nil {
		db.nonces.close()
		db.nonces = nil
	}
	db.memos.retire(db.memos.last.Load()) // its pin, unless a View still runs
	db.stmts.close()
	db.wal.close()
	var err error
	if db.read != db.write {
		err = db.read.Close()
	}
	if db.log != nil && db.log != db.write {
		if _, cerr := db.log.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); cerr != nil {
			err = errors.Join(err, fmt.Errorf("checkpoint the log: %w", cerr))
		}
		err = errors.Join(err, db.log.Close())
	}
	// Fold the WAL into the main file, so that after a clean stop a copy
	// of PATH alone is the whole state (no -wal file needed).
	if _, cerr := db.write.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); cerr != nil {
		err = errors.Join(err, fmt.Errorf("checkpoint: %w", cerr))
	}
	return errors.Join(err, db.write.Close())
}

// OnStatement has fn hear every statement the write connection runs
// (benchmarks and tests count them); nil stops it. fn runs on the writer's
// goroutine, while the statement waits.
func (db *DB) OnStatement(fn func(query string)) {
	if fn == nil {
		db.stmts.hook.Store(nil)
		return
	}
	h := func(pool *sql.DB, query string) {
		if pool == db.write {
			fn(query)
		}
	}
	db.stmts.hook.Store(&h)
}

// SetHooks implements store.Store.
func (db *DB) SetHooks(h store.Hooks) { db.hooks = h }

func (db *DB) migrate(ctx context.Context) error {
	if _, err := db.write.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("create migrations table: %w", err)
	}
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	for _, name := range names {
		if err := db.migrateFile(ctx, name); err != nil {
			return fmt.Errorf("migration %s: %w", name, err)
		}
	}
	// What a process ended before indexing (pending.go), before anything
	// reads attrs whole.
	if err := db.indexAll(ctx); err != nil {
		return fmt.Errorf("index pending records: %w", err)
	}
	if err := db.keepCounts(ctx); err != nil {
		return fmt.Errorf("kept counts: %w", err)
	}
	return nil
}

func (db *DB) migrateFile(ctx context.Context, name string) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM migrations WHERE name = ?`, name).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	body, err := fs.ReadFile(migrations, name)
	if err != nil {
		return err
	}
	if step := migrationSteps[name]; step != nil {
		if err := step(ctx, tx); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, string(body)); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO migrations (name, applied) VALUES (?, ?)`, name, time.Now().UTC().Format(time.RFC3339)); err != nil {
		return err
	}
	return tx.Commit()
}

// View implements store.Store. Events that fell due are applied first, in a
// write transaction, so a read never shows a state the clock has moved past.
func (db *DB) View(ctx context.Context, account string, fn func(store.Tx) error) error {
	for attempt := 0; ; attempt++ {
		// The last round reads what is there: as fresh as the update before it.
		err := db.run(ctx, db.read, account, attempt < 2, fn)
		if !errors.Is(err, errDue) {
			return err
		}
		// Something fell due: apply it in a write transaction, then read
		// again (a running clock may make more due meanwhile: a few rounds).
		if err := db.Update(ctx, account, func(store.Tx) error { return nil }); err != nil {
			return err
		}
	}
}

// errDue stops a read transaction that would show a state the clock has
// moved past; View applies the due events and reads again.
var errDue = errors.New("sqlite: events due")

// Update implements store.Store. SQLite has one writer, so a transaction
// never loses a race it could win by running again: there are no retries,
// and a busy database is ErrConflict. The closure runs on the writer
// goroutine, grouped with other callers' (see writer); Update answers once
// the group's commit is durable, and runs AfterCommit here, with ctx.
func (db *DB) Update(ctx context.Context, account string, fn func(store.Tx) error) error {
	req := &writeReq{ctx: ctx, account: account, fn: fn, done: make(chan writeRes, 1)}
	select {
	case db.queue <- req:
	case <-ctx.Done():
		return ctx.Err()
	case <-db.quit:
		return errors.New("sqlite: database closed")
	}
	// Once queued it runs: wait for its outcome, whatever ctx does.
	res := <-req.done
	if res.panicked != nil {
		panic(res.panicked)
	}
	if errors.Is(res.err, store.ErrConflict) && db.hooks.Conflict != nil {
		db.hooks.Conflict(ctx, false)
	}
	if res.err == nil {
		db.hooks.Committed(ctx, account, res.journal)
	}
	return res.err
}

// maxGroup bounds the callers one commit carries.
const maxGroup = 64

// writeReq is one Update waiting for the writer.
type writeReq struct {
	ctx     context.Context
	account string
	fn      func(store.Tx) error
	done    chan writeRes
}

type writeRes struct {
	err      error
	journal  *store.Journal
	panicked any
}

// writer runs the queued Updates: whatever queued while the last commit
// was being made goes into one transaction, where a failing caller leaves
// no trace and the others commit (commitGroup), then one COMMIT (one
// fsync, synchronous=FULL) answers them all.
func (db *DB) writer() {
	defer close(db.writerDone)
	// Between groups, the records pending for the index delay are indexed
	// (pending.go); at the end, every one.
	indexTimer := time.NewTimer(time.Hour)
	indexTimer.Stop()
	for {
		var first *writeReq
		var indexDue <-chan time.Time
		if next := db.pend.nextIndexDue(); !next.IsZero() {
			indexTimer.Reset(time.Until(next))
			indexDue = indexTimer.C
		}
		select {
		case first = <-db.queue:
		case <-indexDue:
			db.indexDue(time.Now())
			continue
		case <-db.quit:
			db.indexAll(context.Background()) // on failure the next Open does it
			return
		}
		indexTimer.Stop()
		group := []*writeReq{first}
	more:
		for len(group) < maxGroup {
			select {
			case r := <-db.queue:
				group = append(group, r)
			default:
				break more
			}
		}
		db.commitGroup(group)
		if next := db.pend.nextIndexDue(); !next.IsZero() && !time.Now().Before(next) {
			db.indexDue(time.Now())
		}
	}
}

// commitGroup runs one group in one transaction and answers every caller.
//
// A caller's SAVEPOINT costs the writer a copy of every page the caller
// changes (the savepoint's journal) and two statements, and is needed only
// when a caller fails: so while no recent group had a failing caller, a
// group runs without them, and a caller that fails there rolls the whole
// transaction back and the group runs again from its start, each caller in
// a SAVEPOINT (a store's closure may run again: PostgreSQL's retries run
// it again too; only the last run's outcome is answered). Such a failure
// has the next carefulGroups groups run with savepoints from the start.
// The first caller's failure is the exception: the rollback undid only its
// own writes, so its answer stands and only the callers after it run.
func (db *DB) commitGroup(group []*writeReq) {
	ctx := context.Background() // the group's: no caller's cancellation ends it
	res := make([]writeRes, len(group))
	// Once the callers have their answers: the read memo's pin, if the
	// generation moved, no longer holds back the checkpoints.
	defer db.memos.moved(db.wal)
	defer func() {
		for i, r := range group {
			r.done <- res[i]
		}
	}()
	rest, restRes := group, res
	if db.careful == 0 {
		switch failed := db.runGroup(ctx, group, res, false); failed {
		case -1:
			return
		case 0:
			// The first caller's failure undid no one else's work: its
			// answer stands, and the others have not run yet.
			rest, restRes = group[1:], res[1:]
			if len(rest) == 0 {
				return
			}
		default:
			clear(res)
		}
	} else {
		db.careful--
	}
	db.runGroup(ctx, rest, restRes, true)
}

// carefulGroups is how many groups run with savepoints after one had a
// failing caller.
const carefulGroups = 16

// runGroup runs group in one transaction, each caller inside a SAVEPOINT
// when savepoints is set, and sets each caller's outcome in res. Without
// savepoints, a caller's failure rolls everything back and runGroup
// answers its index (the group runs again, with them); else -1.
func (db *DB) runGroup(ctx context.Context, group []*writeReq, res []writeRes, savepoints bool) (failed int) {
	db.stmts.ran(db.write, "BEGIN IMMEDIATE")
	sqlTx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		for i := range res {
			res[i].err = translate(err)
		}
		return -1
	}
	defer sqlTx.Rollback()
	var broken error // the transaction itself failed: nobody commits
	l := &late{bound: map[*sql.Stmt]*sql.Stmt{}}
	gt := &tx{tx: sqlTx, pool: db.write, stmts: &db.stmts, bound: l.bound} // the group's own statements
	version, err := gt.queryRow(ctx, `PRAGMA data_version`).scanInt()
	if err == nil {
		l.meta = db.keptMeta(version)
	} else {
		db.dropKeptMeta()
		l.meta = map[string]metaVal{} // this group's alone
	}
	if err != nil || version != db.pend.dataVersion || db.pend.stale.Load() {
		// Another connection committed: the pending rows kept in memory
		// are read again (pending.go).
		if err := db.reload(ctx, gt, version); err != nil {
			for i := range res {
				res[i].err = fmt.Errorf("%w: reading the pending records: %w", store.ErrConflict, err)
			}
			return -1
		}
	}
	for i, r := range group {
		if err := r.ctx.Err(); err != nil {
			res[i].err = err
			continue
		}
		if savepoints {
			if _, err := gt.exec(ctx, `SAVEPOINT caller`); err != nil {
				broken = translate(err)
				break
			}
		}
		t, err, p := db.runCaller(r, sqlTx, l)
		res[i] = writeRes{err: err, panicked: p}
		if err == nil && p == nil {
			res[i].journal = &t.journal
			l.merge(t.deltas)
			l.pendUndo = append(l.pendUndo, t.pendUndo...)
			for k, m := range t.metas {
				l.meta[k] = m
			}
		} else if !savepoints {
			if i > 0 { // the callers before it run again: be careful a while
				db.careful = carefulGroups
			}
			db.dropKeptMeta()
			db.pend.undo(t.pendUndo)
			db.pend.undo(l.pendUndo)
			db.stmts.ran(db.write, "ROLLBACK")
			return i
		} else {
			db.careful = carefulGroups
			db.pend.undo(t.pendUndo)
			if _, err := gt.exec(ctx, `ROLLBACK TO caller`); err != nil {
				broken = translate(err)
				break
			}
		}
		if savepoints {
			if _, err := gt.exec(ctx, `RELEASE caller`); err != nil {
				broken = translate(err)
				break
			}
		}
	}
	if broken == nil {
		broken = l.flush(ctx, gt)
	}
	if broken == nil {
		db.stmts.ran(db.write, "COMMIT")
		broken = translate(sqlTx.Commit())
	}
	if broken != nil {
		db.dropKeptMeta()
		db.pend.undo(l.pendUndo)
		for i := range res {
			if res[i].err == nil && res[i].panicked == nil {
				res[i] = writeRes{err: fmt.Errorf("%w: the group commit failed: %w", store.ErrConflict, broken)}
			}
		}
	}
	return -1
}

// runCaller runs one caller's hooks and closure inside the group's
// transaction; a panic is caught and handed back to the caller's goroutine.
func (db *DB) runCaller(r *writeReq, sqlTx *sql.Tx, l *late) (t *tx, err error, panicked any) {
	defer func() {
		if p := recover(); p != nil {
			panicked = p
		}
	}()
	t = &tx{tx: sqlTx, pool: db.write, stmts: &db.stmts, config: &db.config, cache: db.cache, account: r.account, late: l, bound: l.bound, pend: &db.pend, wkinds: db.wkinds}
	return t, db.body(r.ctx, t, true, false, r.fn), nil
}

// hasDue tells, inside a read transaction, whether account has an event due
// by the transaction's time: one probe of the partial due index.
func (t *tx) hasDue(ctx context.Context) (bool, error) {
	var n int
	err := t.queryRow(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM records WHERE account = ? AND due IS NOT NULL AND due <= ? LIMIT 1)`, t.account, t.now.UnixNano()).Scan(&n)
	return n > 0, translate(err)
}

// run runs fn in a read transaction of pool, answering from the memo of
// the generation read before it began where its snapshot is that one;
// with that memo pinned, the transaction begins only at the first read the
// memo cannot answer (memo.go).
func (db *DB) run(ctx context.Context, pool *sql.DB, account string, checkDue bool, fn func(store.Tx) error) error {
	m := db.memos.at(db.wal)
	if db.beforeBegin != nil {
		db.beforeBegin()
	}
	t := &tx{pool: pool, stmts: &db.stmts, config: &db.config, cache: db.cache, account: account, memo: m, wal: db.wal, began: &db.began, pend: &db.pend}
	if p := db.memos.acquire(m); p != nil {
		t.pin, t.snap, t.beforeBegin = p, snapMemo, &db.beforeBegin
		defer db.endLazy(t)
		return db.body(ctx, t, false, checkDue, fn)
	}
	db.began.Add(1)
	bctx := ctx
	if m != nil {
		bctx = context.WithoutCancel(ctx) // the transaction may outlive the call as the memo's pin
	}
	sqlTx, err := pool.BeginTx(bctx, &sql.TxOptions{ReadOnly: pool != db.write})
	if err != nil {
		return translate(err)
	}
	t.tx = sqlTx
	donated := false
	defer func() { // also when fn panics
		if !donated {
			sqlTx.Rollback()
		}
	}()
	err = db.body(ctx, t, false, checkDue, fn)
	donated = err == nil && db.memos.donate(m, t)
	return err
}

// body runs a transaction's hooks and closure: the clock, the due events
// (a write) or the due check (a read), then fn.
func (db *DB) body(ctx context.Context, t *tx, write, checkDue bool, fn func(store.Tx) error) error {
	var err error
	account := t.account
	t.now = time.Now().UTC()
	if !write && db.hooks.Now != nil {
		// A read's first statement reads what its hooks need (prefetch.go).
		if err := t.prefetch(ctx); err != nil {
			return err
		}
	}
	if db.hooks.Now != nil {
		if t.now, err = db.hooks.Now(ctx, t); err != nil {
			return err
		}
	}
	if write && db.hooks.BeforeUpdate != nil {
		if err := db.hooks.BeforeUpdate(ctx, t); err != nil {
			return err
		}
	}
	if checkDue && db.hooks.BeforeUpdate != nil && account != "" {
		if due, err := t.dueBy(ctx); err != nil {
			return err
		} else if due {
			return errDue
		}
	}
	return fn(t)
}

// Meta implements store.Store.
func (db *DB) Meta(ctx context.Context, fn func(store.MetaTx) error) error {
	sqlTx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return translate(err)
	}
	defer sqlTx.Rollback()
	db.metaGen.Add(1) // the writer's kept meta rows (metacache.go)
	if err := fn(&tx{tx: sqlTx, pool: db.write, stmts: &db.stmts, config: &db.config}); err != nil {
		return err
	}
	defer db.memos.moved(db.wal)
	return translate(sqlTx.Commit())
}

// DueAccounts implements store.Store.
func (db *DB) DueAccounts(ctx context.Context, t time.Time) ([]string, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT DISTINCT account FROM records WHERE due IS NOT NULL AND due <= ?`, t.UnixNano())
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var a string
		if err := rows.Scan(&a); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// Reset implements store.Store.
func (db *DB) Reset(ctx context.Context) error {
	// The write connection is held from the DELETE to the COMMIT: no group
	// runs while the pending rows kept in memory go with the records.
	sqlTx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return translate(err)
	}
	defer sqlTx.Rollback()
	if _, err := sqlTx.ExecContext(ctx, `DELETE FROM records; DELETE FROM attrs; DELETE FROM counts; DELETE FROM client_tokens;`); err != nil {
		return translate(err)
	}
	db.pend.drop(nil)
	defer db.memos.moved(db.wal)
	// The writer reads the pending rows again, if this failed, and the
	// kinds each account holds (kinds.go).
	defer db.pend.stale.Store(true)
	return translate(sqlTx.Commit())
}

// translate maps driver failures to the store's sentinels by result code.
func translate(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return store.ErrNotFound
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
			return fmt.Errorf("%w: %v", store.ErrConflict, err)
		}
	}
	return err
}

// tx implements store.Tx and store.MetaTx.
type tx struct {
	tx      *sql.Tx
	pool    *sql.DB // the pool tx runs on: prepared statements belong to it
	stmts   *stmts
	config  *store.ConfigCache
	cache   *decodedCache
	account string
	now     time.Time
	journal store.Journal
	// pre is what a read transaction read first (prefetch.go); shared by
	// the transactions the memo answered, never changed in a read.
	pre *prefetched
	// memo is the memo of the generation read before a read transaction
	// began (nil: none); snap tells whether its snapshot is that one.
	memo *memo
	wal  *walIndex
	snap int8
	// pin is the memo's pin a View holds that began without a transaction
	// (memo.go): own tells the transaction it opened since, locked that it
	// reads through the pin; served that the memo answered it.
	pin                 *pin
	own, locked, served bool
	beforeBegin         *func()
	began               *atomic.Int64
	// deltas are this caller's changes to kept counts, late what its
	// group leaves to its commit (late.go); late is nil outside a group.
	deltas map[countKey]int
	late   *late
	// bound are the statements bound to the transaction (stmt.go).
	bound map[*sql.Stmt]*sql.Stmt
	// kinds are the kinds the account holds records of, once a query
	// needed them (kinds.go); wkinds the writer's, kept across its groups.
	kinds  map[string]bool
	wkinds map[string]map[string]bool
	// seen are the record versions a writer's caller read or wrote (seen.go).
	seen map[recKey]seenRec
	// metas are the meta rows a writer's caller read or wrote (metacache.go).
	metas map[string]metaVal
	// pend is the store's pending records (pending.go); nil where nothing
	// reads or writes records. pendUndo is what a writer's caller changed
	// in it, to undo if it rolls back.
	pend     *pending
	pendUndo []pendChange
}

// nextSeq hands out a new record's seq: from the group's counter, or
// straight from the row outside a group.
func (t *tx) nextSeq(ctx context.Context) (int64, error) {
	if t.late != nil {
		return t.late.nextSeq(ctx, t)
	}
	var seq int64
	err := t.queryRow(ctx, `UPDATE counters SET n = n + 1 WHERE name = 'seq' RETURNING n`).Scan(&seq)
	return seq, translate(err)
}

func (t *tx) Account() string         { return t.account }
func (t *tx) Now() time.Time          { return t.now }
func (t *tx) Journal() *store.Journal { return &t.journal }

func (t *tx) GetMeta(ctx context.Context, key string) ([]byte, error) {
	if v, found, ok := t.pre.meta(key); ok && found {
		return cloneBytes(v), nil // pre may be the memo's
	} else if ok {
		return nil, store.ErrNotFound
	}
	var mk string
	if t.memo != nil {
		mk = string(store.NewMemoKey('m', key))
		if a, ok, err := t.recall(ctx, mk); err != nil {
			return nil, err
		} else if ok {
			a := a.(metaAnswer)
			return cloneBytes(a.v), a.err
		}
	}
	if m, ok := t.metaSeen(key); ok {
		if !m.found {
			return nil, store.ErrNotFound
		}
		return cloneBytes(m.v), nil
	}
	var v []byte
	err := translate(t.queryRow(ctx, `SELECT value FROM meta WHERE key = ?`, key).Scan(&v))
	if err == nil || err == store.ErrNotFound {
		t.sawMeta(key, metaVal{v: v, found: err == nil})
	}
	if mk != "" && (err == nil || err == store.ErrNotFound) {
		t.remember(mk, metaAnswer{v: cloneBytes(v), err: err}, int64(len(v)))
	}
	return v, err
}

func (t *tx) PutMeta(ctx context.Context, key string, value []byte) error {
	_, err := t.exec(ctx, `INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
	if err == nil {
		t.pre.put(key, value)
		t.sawMeta(key, metaVal{v: value, found: true})
	}
	return translate(err)
}

func (t *tx) Get(ctx context.Context, kind, id string) (store.Record, error) {
	if t.memo == nil {
		return t.get(ctx, kind, id)
	}
	key := store.GetKey(t.account, kind, id)
	if a, ok, err := t.recall(ctx, key); err != nil {
		return store.Record{}, err
	} else if ok {
		a := a.(store.GetAnswer)
		return a.R, a.Err // Data and Decoded shared: nobody modifies them
	}
	r, err := t.get(ctx, kind, id)
	if err == nil || err == store.ErrNotFound {
		t.remember(key, store.GetAnswer{R: r, Err: err}, recordCost(r))
	}
	return r, err
}

func (t *tx) get(ctx context.Context, kind, id string) (store.Record, error) {
	if s, ok := t.recallSeen(kind, id); ok {
		if !s.found {
			return store.Record{}, store.ErrNotFound
		}
		r, err := s.record(kind, id)
		if err != nil {
			return store.Record{}, err
		}
		t.keep(&r)
		return r, nil
	}
	r := store.Record{Kind: kind, ID: id}
	var due, pend sql.NullInt64
	err := t.queryRow(ctx, `SELECT region, seq, due, data, pend FROM records WHERE account = ? AND kind = ? AND id = ?`, t.account, kind, id).
		Scan(&r.Region, &r.Seq, &due, &r.Data, &pend)
	if errors.Is(err, sql.ErrNoRows) {
		t.saw(kind, id, seenRec{})
	}
	if err != nil {
		return store.Record{}, translate(err)
	}
	t.seenRow(kind, id, r.Region, r.Seq, due, r.Data, pend.Int64)
	if r.Data, _, err = unpack(r.Data, false); err != nil {
		return store.Record{}, err
	}
	if due.Valid {
		r.Due = time.Unix(0, due.Int64).UTC()
	}
	t.keep(&r)
	return r, nil
}

func (t *tx) Put(ctx context.Context, r store.Record) (store.Record, bool, error) {
	var due any
	newDue := sql.NullInt64{Int64: r.Due.UnixNano(), Valid: !r.Due.IsZero()}
	if newDue.Valid {
		due = newDue.Int64
	}
	attrs := store.DedupAttrs(r.Attrs)
	// A kind with owned indexes (owned.go) packs its pairs once its seq and
	// its replaced version are known: they decide its marks.
	owned := ownersOf(r.Kind) != nil
	base := attrs
	var data []byte
	if !owned {
		data = pack(r.Data, attrs)
	}
	withMarks := func(seq int64, had []store.Attr) {
		if owned {
			attrs = t.markOwned(r.Kind, seq, base, had)
			data = pack(r.Data, attrs)
		}
	}
	before := store.Record{Kind: r.Kind, ID: r.ID}
	var oldDue, oldPend sql.NullInt64
	// pend is the version this write gives a record left pending (its
	// index rows not written: pending.go), nil for one indexed.
	var pend any
	if t.deferring() {
		// A record's versions count from 1; its seq is never reused, and
		// its writes, of this *DB or another on the file, follow one
		// another: (seq, version) names one version.
		pend = int64(1)
	}
	existed, inserted, read := false, false, false
	if s, ok := t.recallSeen(r.Kind, r.ID); ok {
		// The caller read or wrote it: no SELECT (seen.go).
		existed, read = s.found, true
		before.Region, before.Seq, oldDue, before.Data = s.region, s.seq, s.due, s.data
		oldPend = sql.NullInt64{Int64: s.pend, Valid: s.pend != 0}
	} else if t.late != nil {
		// A record the caller has not seen is mostly a new one (a launch's
		// instance, disk and ENI): it is inserted unless its key is taken,
		// one statement instead of a SELECT and an INSERT (the seq of a
		// record that was there after all is given back).
		seq, err := t.nextSeq(ctx)
		if err != nil {
			return store.Record{}, false, err
		}
		withMarks(seq, nil)
		res, err := t.exec(ctx, insertNewRecord, t.account, r.Kind, r.ID, r.Region, seq, due, data, pend)
		if err != nil {
			return store.Record{}, false, translate(err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return store.Record{}, false, translate(err)
		}
		inserted, read, before.Seq = n == 1, n == 1, seq
		if !inserted {
			t.late.giveBack(seq)
		}
	}
	if !read {
		switch err := t.queryRow(ctx, `SELECT region, seq, due, data, pend FROM records WHERE account = ? AND kind = ? AND id = ?`, t.account, r.Kind, r.ID).
			Scan(&before.Region, &before.Seq, &oldDue, &before.Data, &oldPend); {
		case err == nil:
			existed = true
		case !errors.Is(err, sql.ErrNoRows):
			return store.Record{}, false, translate(err)
		}
	}
	var had []store.Attr // the replaced version's index pairs
	if existed {
		var err error
		if before.Data, had, err = unpack(before.Data, true); err != nil {
			return store.Record{}, false, err
		}
		withMarks(before.Seq, had)
	}
	// A record already indexed stays so, one still pending stays pending
	// (with a new version), a new one is left pending when the writer
	// defers (pending.go).
	switch {
	case existed && oldPend.Valid:
		pend = oldPend.Int64 + 1
	case existed:
		pend = nil
	}
	indexed := pend == nil
	switch {
	case !existed:
		if !inserted {
			var err error
			if before.Seq, err = t.nextSeq(ctx); err != nil {
				return store.Record{}, false, err
			}
			withMarks(before.Seq, nil)
			if _, err := t.exec(ctx, `INSERT INTO records (account, kind, id, region, seq, due, data, pend) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
				t.account, r.Kind, r.ID, r.Region, before.Seq, due, data, pend); err != nil {
				return store.Record{}, false, translate(err)
			}
		}
		if err := t.bump(ctx, r.Kind, r.Region, "", "", 1); err != nil {
			return store.Record{}, false, err
		}
		t.added(r.Kind)
	default:
		if oldDue.Valid {
			before.Due = time.Unix(0, oldDue.Int64).UTC()
		}
		if _, err := t.exec(ctx, updateRecord(before.Region != r.Region, oldDue.Valid != newDue.Valid || (oldDue.Valid && oldDue.Int64 != newDue.Int64), !indexed),
			r.Region, due, data, before.Seq, pend); err != nil {
			return store.Record{}, false, translate(err)
		}
	}
	var newPend int64
	if !indexed {
		newPend = pend.(int64)
		// The pairs are the caller's slice: kept, they are copied.
		t.keepPending(r.Kind, before.Seq, pendRow{ver: newPend, id: r.ID, region: r.Region, due: newDue, data: data, attrs: slices.Clone(attrs)}, !existed)
	}
	if existed {
		var err error
		if attrs, err = t.changedAttrs(ctx, r, before, had, attrs, indexed); err != nil {
			return store.Record{}, false, err
		}
	}
	for _, a := range attrs {
		if indexed {
			if _, err := t.exec(ctx, insertAttr, t.account, r.Kind, r.Region, a.Name, a.Value, before.Seq); err != nil {
				return store.Record{}, false, translate(err)
			}
		}
		if err := t.bump(ctx, r.Kind, r.Region, a.Name, a.Value, 1); err != nil {
			return store.Record{}, false, err
		}
	}
	t.saw(r.Kind, r.ID, seenRec{found: true, region: r.Region, seq: before.Seq, due: newDue, data: data, pend: newPend})
	if !existed {
		return store.Record{}, false, nil
	}
	return before, true, nil
}

// insertNewRecord inserts a record's row unless its key (account, kind,
// id) is taken; RowsAffected tells which.
const insertNewRecord = `INSERT INTO records (account, kind, id, region, seq, due, data, pend) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (account, kind, id) DO NOTHING`

// updateRecord is the UPDATE of a record's row by its seq (the table's
// key: no seek of records_by_key) setting only the indexed columns that
// changed: SQLite rewrites the entries of records_by_region and
// records_by_due for every such column an UPDATE sets, changed or not,
// and most rewrites (a status, the vSwitch's address cursor) change
// neither. Arguments: region, due, data, seq (a column not set is bound
// and unused), and pend, the new version of a pending record (pending.go)
// when pend is set.
func updateRecord(region, due, pend bool) string {
	set := ``
	if region {
		set += `region = ?1, `
	}
	if due {
		set += `due = ?2, `
	}
	if pend {
		set += `pend = ?5, `
	}
	return `UPDATE records SET ` + set + `data = ?3 WHERE seq = ?4`
}

// changedAttrs drops the index rows of a replaced record (before, whose
// pairs are had) that its new version no longer has and answers the rows
// still to insert: an update writes only what changed (a record that moved
// region is reindexed whole, the region being on every row).
func (t *tx) changedAttrs(ctx context.Context, r, before store.Record, had, want []store.Attr, indexed bool) ([]store.Attr, error) {
	if before.Region != r.Region {
		if err := t.dropAttrs(ctx, before, had, indexed); err != nil {
			return nil, err
		}
		if err := t.bump(ctx, r.Kind, before.Region, "", "", -1); err != nil {
			return nil, err
		}
		if err := t.bump(ctx, r.Kind, r.Region, "", "", 1); err != nil {
			return nil, err
		}
		return want, nil
	}
	var gone []store.Attr
	for _, a := range had {
		if !slices.Contains(want, a) {
			gone = append(gone, a)
		}
	}
	if err := t.dropAttrs(ctx, before, gone, indexed); err != nil {
		return nil, err
	}
	add := make([]store.Attr, 0, len(want))
	for _, a := range want {
		if !slices.Contains(had, a) {
			add = append(add, a)
		}
	}
	return add, nil
}

// insertAttr and deleteAttr write one index row: the key (account, kind,
// region, name, value, seq) names it, seq naming the record (the seq
// counter is global and Import gives a repeated seq a fresh one).
const (
	insertAttr = `INSERT INTO attrs (account, kind, region, name, value, seq) VALUES (?, ?, ?, ?, ?, ?)`
	deleteAttr = `DELETE FROM attrs WHERE account = ? AND kind = ? AND region = ? AND name = ? AND value = ? AND seq = ?`
)

// dropAttrs deletes index rows of record r (its kind, region and seq), one
// point delete each, and their counts; a pending record (not indexed) has
// only the counts.
func (t *tx) dropAttrs(ctx context.Context, r store.Record, attrs []store.Attr, indexed bool) error {
	for _, a := range attrs {
		if indexed {
			if _, err := t.exec(ctx, deleteAttr, t.account, r.Kind, r.Region, a.Name, a.Value, r.Seq); err != nil {
				return translate(err)
			}
		}
		if err := t.bump(ctx, r.Kind, r.Region, a.Name, a.Value, -1); err != nil {
			return err
		}
	}
	return nil
}

func (t *tx) Delete(ctx context.Context, kind, id string) (store.Record, error) {
	r := store.Record{Kind: kind, ID: id}
	var due, pend sql.NullInt64
	err := t.queryRow(ctx, `DELETE FROM records WHERE account = ? AND kind = ? AND id = ? RETURNING region, seq, due, data, pend`, t.account, kind, id).
		Scan(&r.Region, &r.Seq, &due, &r.Data, &pend)
	if err == nil || errors.Is(err, sql.ErrNoRows) {
		t.saw(kind, id, seenRec{})
	}
	if err != nil {
		return store.Record{}, translate(err)
	}
	if due.Valid {
		r.Due = time.Unix(0, due.Int64).UTC()
	}
	var gone []store.Attr
	if r.Data, gone, err = unpack(r.Data, true); err != nil {
		return store.Record{}, err
	}
	if err := t.dropAttrs(ctx, r, gone, !pend.Valid); err != nil {
		return store.Record{}, err
	}
	if pend.Valid && t.pend != nil {
		t.forgetPending(kind, r.Seq)
	}
	if err := t.bump(ctx, kind, r.Region, "", "", -1); err != nil {
		return store.Record{}, err
	}
	return r, nil
}

func (t *tx) Query(ctx context.Context, q store.Query) (store.Page, error) {
	if t.memo == nil {
		return t.queryPage(ctx, q)
	}
	key := store.QueryKey(t.account, q)
	if a, ok, err := t.recall(ctx, key); err != nil {
		return store.Page{}, err
	} else if ok {
		page := a.(store.Page)
		page.Records = slices.Clone(page.Records) // the caller's slice; Data and Decoded shared
		return page, nil
	}
	page, err := t.queryPage(ctx, q)
	if err == nil {
		kept := page
		kept.Records = slices.Clone(page.Records)
		cost := int64(0)
		for _, r := range kept.Records {
			cost += recordCost(r)
		}
		t.remember(key, kept, cost)
	}
	return page, err
}

func (t *tx) queryPage(ctx context.Context, q store.Query) (store.Page, error) {
	var page store.Page
	if held, err := t.holds(ctx, q.Kind, q.Region == "" && len(q.Filters) > 0); err != nil || !held {
		return page, err
	}
	if page, ok, err := t.ownedPage(ctx, q); ok || err != nil {
		return page, err
	}
	// The SQL below reads attrs for q's filters: the pending records
	// matching them are merged in (pending.go).
	pending, err := t.pendingMatches(ctx, q)
	if err != nil {
		return page, err
	}
	from, countFrom, where, order, args := t.queryPlan(q)
	// Explicit ids on one page (InstanceIds, at most 100): the page holds
	// every match, so it is its own count, one query fewer.
	countPage := q.Count && q.IDs != nil && q.Offset == 0 && q.AfterSeq == 0 && q.Limit >= len(q.IDs)
	// A first page that holds every match (no More) is its own count too,
	// so its count is read only after it: at a million records the count's
	// row lies on a leaf of its own, two page reads that a few matches
	// (a tag, an id's ENIs) need not pay.
	countAfter := q.Count && !countPage && q.Offset == 0 && q.AfterSeq == 0 && q.Limit > 0
	if q.Count && !countPage && !countAfter {
		if err := t.count(ctx, q, countFrom, where, args, len(pending), &page); err != nil {
			return page, err
		}
	}
	if q.Limit <= 0 {
		return page, nil
	}
	seqWhere, seqArgs := where, args
	if q.AfterSeq > 0 {
		seqWhere += ` AND ` + order + ` > ?`
		seqArgs = append(append([]any{}, args...), q.AfterSeq)
	}
	limit, offset := q.Limit+1, q.Offset
	if len(pending) > 0 {
		limit, offset = q.Offset+q.Limit+1, 0 // the offset is taken after the merge
	}
	rows, err := t.query(ctx, `SELECT r.id, r.region, r.seq, r.due, r.data, r.pend FROM `+from+` WHERE `+seqWhere+` ORDER BY `+order+` LIMIT ? OFFSET ?`,
		append(seqArgs, limit, offset)...)
	if err != nil {
		return page, translate(err)
	}
	defer rows.Close()
	for rows.Next() {
		r, err := t.scanRecord(rows, q.Kind)
		if err != nil {
			return page, err
		}
		page.Records = append(page.Records, r)
	}
	if err := rows.Err(); err != nil {
		return page, translate(err)
	}
	rows.Close()
	if len(pending) > 0 {
		more, err := t.pendingRecords(ctx, q.Kind, pending, q.AfterSeq)
		if err != nil {
			return page, err
		}
		page.Records = mergeBySeq(page.Records, more)
		page.Records = page.Records[min(q.Offset, len(page.Records)):]
	}
	if len(page.Records) > q.Limit {
		page.Records, page.More = page.Records[:q.Limit], true
	}
	switch {
	case countPage, countAfter && !page.More:
		page.Total = len(page.Records)
	case countAfter:
		if err := t.count(ctx, q, countFrom, where, args, len(pending), &page); err != nil {
			return page, err
		}
	}
	return page, nil
}

// scanRecord reads a record of kind from a row of (id, region, seq, due,
// data, pend).
func (t *tx) scanRecord(rows *sql.Rows, kind string) (store.Record, error) {
	var id, region string
	var seq int64
	var due, pend sql.NullInt64
	var data []byte
	if err := rows.Scan(&id, &region, &seq, &due, &data, &pend); err != nil {
		return store.Record{}, err
	}
	return t.recordOf(kind, id, region, seq, due, data, pend.Int64)
}

// recordOf is the record a row's columns (data still packed) hold, noting
// what a writer's caller saw of it.
func (t *tx) recordOf(kind, id, region string, seq int64, due sql.NullInt64, data []byte, pend int64) (store.Record, error) {
	t.seenRow(kind, id, region, seq, due, data, pend)
	r := store.Record{Kind: kind, ID: id, Region: region, Seq: seq}
	var err error
	if r.Data, _, err = unpack(data, false); err != nil {
		return store.Record{}, err
	}
	if due.Valid {
		r.Due = time.Unix(0, due.Int64).UTC()
	}
	t.keep(&r)
	return r, nil
}

// count sets page.Total to the matches of q: its kept count where there is
// one (one row, however many records match; it counts pending records
// too), else counted over the index, plus the pending matches.
func (t *tx) count(ctx context.Context, q store.Query, countFrom, where string, args []any, pending int, page *store.Page) error {
	if name, value, ok := store.Counted(q); ok {
		n, err := t.keptCount(ctx, q.Kind, q.Region, name, value)
		if err != nil {
			return err
		}
		page.Total = n
		return nil
	}
	err := translate(t.queryRow(ctx, `SELECT COUNT(*) FROM `+countFrom+` WHERE `+where, args...).Scan(&page.Total))
	page.Total += pending
	return err
}

// queryPlan picks the access path of a Query so that its cost follows the
// page, not the table: explicit ids go through the primary key; otherwise the
// first filter drives the scan in creation order through the attrs index and
// the others are probed per row; with neither, the region or kind index walks
// records in creation order. A unary + keeps SQLite from choosing another
// index for a term (SQLite has no statistics here to choose well by itself).
func (t *tx) queryPlan(q store.Query) (from, countFrom, where, order string, args []any) {
	var b strings.Builder
	row := "r" // the alias the other filters probe by (account, kind, region, seq)
	driver, several := store.Drivers(q)
	switch {
	case several >= 0:
		f := q.Filters[several]
		from, countFrom, order = `records r`, `records r`, `+r.seq`
		// The seq is the records' key: each match is one lookup in the table.
		b.WriteString(`+r.account = ? AND +r.kind = ? AND r.seq IN (SELECT a0.seq FROM attrs a0 WHERE a0.account = ? AND a0.kind = ? AND `)
		args = []any{t.account, q.Kind, t.account, q.Kind}
		if q.Region != "" {
			b.WriteString(`a0.region = ?`)
			args = append(args, q.Region)
		} else {
			b.WriteString(`a0.region IN ` + regionsSQL)
			args = append(args, t.account, q.Kind, t.account, q.Kind)
		}
		b.WriteString(` AND a0.name = ? AND a0.value IN (` + placeholders(len(f.Values)) + `))`)
		args = append(args, f.Name)
		for _, v := range f.Values {
			args = append(args, v)
		}
		if q.Region != "" {
			b.WriteString(` AND +r.region = ?`)
			args = append(args, q.Region)
		}
		q.Filters = append(append([]store.Filter{}, q.Filters[:several]...), q.Filters[several+1:]...)
	case q.IDs != nil || driver < 0:
		from, countFrom, order = `records r`, `records r`, `r.seq`
		if q.IDs != nil {
			// +: sort the few id matches rather than walk the seq index.
			order = `+r.seq`
		}
		b.WriteString(`r.account = ? AND r.kind = ?`)
		args = []any{t.account, q.Kind}
		if q.IDs != nil {
			b.WriteString(` AND r.id IN (` + placeholders(len(q.IDs)) + `) AND +r.region = coalesce(?, r.region)`)
			for _, id := range q.IDs {
				args = append(args, id)
			}
			args = append(args, nullable(q.Region))
		} else if q.Region != "" {
			b.WriteString(` AND r.region = ?`)
			args = append(args, q.Region)
		}
		if len(q.Filters) > 0 {
			// Its filters read attrs: a pending record is matched apart.
			b.WriteString(` AND r.pend IS NULL`)
		}
	default:
		f := q.Filters[driver]
		// Counting needs no record: an index row exists exactly while its record does.
		// The seq is the records' key: each index row's record is one
		// lookup in the table (+: not a walk of an index by account and kind).
		from, countFrom, order, row = `attrs a0 JOIN records r ON r.seq = a0.seq AND +r.account = a0.account AND +r.kind = a0.kind`, `attrs a0`, `a0.seq`, "a0"
		// The key leads with the region: with one, the walk and the count
		// stay in one key range; without, they take each region's range.
		b.WriteString(`a0.account = ? AND a0.kind = ? AND `)
		args = []any{t.account, q.Kind}
		if q.Region != "" {
			b.WriteString(`a0.region = ?`)
			args = append(args, q.Region)
		} else {
			b.WriteString(`a0.region IN ` + regionsSQL)
			args = append(args, t.account, q.Kind, t.account, q.Kind)
		}
		b.WriteString(` AND a0.name = ? AND a0.value IN (` + placeholders(len(f.Values)) + `)`)
		args = append(args, f.Name)
		for _, v := range f.Values {
			args = append(args, v)
		}
		q.Filters = append(append([]store.Filter{}, q.Filters[:driver]...), q.Filters[driver+1:]...)
	}
	for _, f := range q.Filters {
		exists := ` AND EXISTS`
		if f.Not {
			exists = ` AND NOT EXISTS`
		}
		// Every column of the key bound: one point lookup per value.
		b.WriteString(exists + ` (SELECT 1 FROM attrs a WHERE a.account = ` + row + `.account AND a.kind = ` + row + `.kind AND a.region = ` + row + `.region AND a.name = ? AND a.value IN (` + placeholders(len(f.Values)) + `) AND a.seq = ` + row + `.seq)`)
		args = append(args, f.Name)
		for _, v := range f.Values {
			args = append(args, v)
		}
	}
	return from, countFrom, b.String(), order, args
}

// regionsSQL is the regions an (account, kind) has index rows in, each
// found by one seek of the attrs key (a loose index scan: the smallest
// region, then the smallest above it, …), for a query of every region.
// Arguments: account, kind, account, kind.
const regionsSQL = `(WITH RECURSIVE rg(region) AS (
	SELECT (SELECT min(region) FROM attrs WHERE account = ? AND kind = ?)
	UNION ALL
	SELECT (SELECT min(region) FROM attrs WHERE account = ? AND kind = ? AND region > rg.region) FROM rg WHERE rg.region IS NOT NULL
) SELECT region FROM rg WHERE region IS NOT NULL)`

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func placeholders(n int) string {
	if n == 0 {
		return "NULL"
	}
	return strings.TrimSuffix(strings.Repeat("?,", n), ",")
}

func (t *tx) Due(ctx context.Context, at time.Time, limit int) ([]store.Record, error) {
	rows, err := t.query(ctx, `SELECT kind, id, region, seq, due, data, pend FROM records WHERE account = ? AND due IS NOT NULL AND due <= ? ORDER BY due, seq LIMIT ?`,
		t.account, at.UnixNano(), limit)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	var out []store.Record
	for rows.Next() {
		var r store.Record
		var due int64
		var pend sql.NullInt64
		if err := rows.Scan(&r.Kind, &r.ID, &r.Region, &r.Seq, &due, &r.Data, &pend); err != nil {
			return nil, err
		}
		t.seenRow(r.Kind, r.ID, r.Region, r.Seq, sql.NullInt64{Int64: due, Valid: true}, r.Data, pend.Int64)
		var err error
		if r.Data, _, err = unpack(r.Data, false); err != nil {
			return nil, err
		}
		r.Due = time.Unix(0, due).UTC()
		t.keep(&r)
		out = append(out, r)
	}
	return out, translate(rows.Err())
}

func (t *tx) ClientToken(ctx context.Context, action, token string) (store.ClientToken, error) {
	if t.memo == nil {
		return t.clientToken(ctx, action, token)
	}
	key := string(store.NewMemoKey('c', t.account).Str(action).Str(token))
	if a, ok, err := t.recall(ctx, key); err != nil {
		return store.ClientToken{}, err
	} else if ok {
		a := a.(tokenAnswer)
		a.ct.Response = cloneBytes(a.ct.Response)
		return a.ct, a.err
	}
	ct, err := t.clientToken(ctx, action, token)
	if err == nil || err == store.ErrNotFound {
		kept := ct
		kept.Response = cloneBytes(ct.Response)
		t.remember(key, tokenAnswer{ct: kept, err: err}, int64(len(kept.Response)+len(kept.Hash)))
	}
	return ct, err
}

func (t *tx) clientToken(ctx context.Context, action, token string) (store.ClientToken, error) {
	ct := store.ClientToken{Action: action, Token: token}
	var created int64
	err := t.queryRow(ctx, `SELECT hash, response, created FROM client_tokens WHERE account = ? AND action = ? AND token = ?`, t.account, action, token).
		Scan(&ct.Hash, &ct.Response, &created)
	if err != nil {
		return store.ClientToken{}, translate(err)
	}
	ct.Created = time.Unix(0, created).UTC()
	return ct, nil
}

func (t *tx) PutClientToken(ctx context.Context, ct store.ClientToken) error {
	_, err := t.exec(ctx, `INSERT INTO client_tokens (account, action, token, hash, response, created) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (account, action, token) DO UPDATE SET hash = excluded.hash, response = excluded.response, created = excluded.created`,
		t.account, ct.Action, ct.Token, ct.Hash, ct.Response, ct.Created.UnixNano())
	return translate(err)
}

// AccountsOf lists the accounts holding a record kind/id: the admin API
// speaks for every tenant and addresses resources by id alone.
func (db *DB) AccountsOf(ctx context.Context, kind, id string) ([]string, error) {
	rows, err := db.read.QueryContext(ctx, accountsOfSQL, kind, id)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var a string
		if err := rows.Scan(&a); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// accountsOfSQL lists the accounts holding a record of (kind, id), ?1 and
// ?2: the accounts, each found by one seek of records_by_key (the smallest,
// then the smallest above it, …, as regionsSQL finds regions), each probed
// for the record by its key. No index by (kind, id) alone is kept for this
// seldom call: every write of a record would pay for it.
const accountsOfSQL = `WITH RECURSIVE a(account) AS (
	SELECT (SELECT account FROM records WHERE account >= '' ORDER BY account LIMIT 1)
	UNION ALL
	SELECT (SELECT account FROM records WHERE account > a.account ORDER BY account LIMIT 1) FROM a WHERE a.account IS NOT NULL
) SELECT a.account FROM a WHERE a.account IS NOT NULL
	AND EXISTS (SELECT 1 FROM records r WHERE r.account = a.account AND r.kind = ?1 AND r.id = ?2)`

// AppendEvents implements store.Store.
func (db *DB) AppendEvents(ctx context.Context, events []store.Event, keep int) error {
	if len(events) == 0 {
		return nil
	}
	if keep <= 0 {
		keep = store.DefaultEventRetention
	}
	sqlTx, err := db.log.BeginTx(ctx, nil)
	if err != nil {
		return translate(err)
	}
	defer sqlTx.Rollback()
	if err := db.appendEvents(ctx, sqlTx, events, keep); err != nil {
		return err
	}
	return translate(sqlTx.Commit())
}

// appendEvents writes events in a transaction of the log.
func (db *DB) appendEvents(ctx context.Context, sqlTx *sql.Tx, events []store.Event, keep int) error {
	ptx := &plainTx{s: &db.stmts, pool: db.log, tx: sqlTx}
	// One counter update hands out the batch's seqs, in the given order.
	var last int64
	if err := ptx.queryRow(ctx, `UPDATE counters SET n = n + ? WHERE name = 'event' RETURNING n`, len(events)).Scan(&last); err != nil {
		return translate(err)
	}
	var enc eventEncoder
	var buf []byte // the batch's data columns, back to back
	rows := make([]any, 0, 6*len(events))
	var refs []any
	for i := range events {
		e := &events[i]
		seq := last - int64(len(events)-1-i)
		saved := e.Seq
		e.Seq = seq
		n := len(buf)
		buf = enc.append(buf, e)
		e.Seq = saved
		// buf may move as it grows: a row's slice keeps the array it was
		// written to, which nothing writes again.
		rows = append(rows, seq, e.Account, e.Action, e.Code, e.Time.UnixNano(), buf[n:len(buf):len(buf)])
		for j, r := range e.Resources {
			if r != "" && !slices.Contains(e.Resources[:j], r) {
				refs = append(refs, r, seq)
			}
		}
	}
	if err := insertRows(ctx, ptx, `INSERT INTO events (seq, account, action, code, time, data) VALUES `, 6, rows); err != nil {
		return translate(err)
	}
	if err := insertRows(ctx, ptx, `INSERT INTO event_resources (resource, seq) VALUES `, 2, refs); err != nil {
		return translate(err)
	}
	// The counter hands out seqs without gaps, so the newest keep events
	// are exactly those above last-keep.
	if cut := last - int64(keep); cut > 0 {
		if _, err := ptx.exec(ctx, `DELETE FROM events WHERE seq <= ?`, cut); err != nil {
			return translate(err)
		}
		if _, err := ptx.exec(ctx, `DELETE FROM event_resources WHERE seq <= ?`, cut); err != nil {
			return translate(err)
		}
	}
	return nil
}

// rowsPerInsert are the row counts of the multi-row INSERTs a batch is cut
// into, largest first: a few statement shapes, and few statements a batch.
var rowsPerInsert = [...]int{64, 16, 4, 1}

// insertRows runs prefix + "(?, …), …" over args, cols a row, in as few
// statements of the rowsPerInsert shapes as fit.
func insertRows(ctx context.Context, ptx *plainTx, prefix string, cols int, args []any) error {
	for _, n := range rowsPerInsert {
		for len(args) >= n*cols {
			if _, err := ptx.exec(ctx, valuesSQL(prefix, cols, n), args[:n*cols]...); err != nil {
				return err
			}
			args = args[n*cols:]
		}
	}
	return nil
}

// valuesSQL is prefix followed by rows groups of cols placeholders.
func valuesSQL(prefix string, cols, rows int) string {
	group := "(" + placeholders(cols) + ")"
	return prefix + strings.TrimSuffix(strings.Repeat(group+",", rows), ",")
}

// Events implements store.Store.
func (db *DB) Events(ctx context.Context, f store.EventFilter) ([]store.Event, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = store.DefaultEventLimit
	}
	var where []string
	var args []any
	if f.Account != "" {
		where, args = append(where, `account = ?`), append(args, f.Account)
	}
	if f.Action != "" {
		where, args = append(where, `action = ?`), append(args, f.Action)
	}
	if f.Code != "" {
		where, args = append(where, `code = ?`), append(args, f.Code)
	}
	if !f.Since.IsZero() {
		where, args = append(where, `time >= ?`), append(args, f.Since.UnixNano())
	}
	if f.BeforeSeq > 0 {
		where, args = append(where, `seq < ?`), append(args, f.BeforeSeq)
	}
	if f.ResourceID != "" {
		where, args = append(where, `seq IN (SELECT seq FROM event_resources WHERE resource = ?)`), append(args, f.ResourceID)
	}
	q := `SELECT data FROM events`
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, ` AND `)
	}
	rows, err := db.log.QueryContext(ctx, q+` ORDER BY seq DESC LIMIT ?`, append(args, limit)...)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	out := []store.Event{}
	for rows.Next() {
		var data []byte
		if err := rows.Scan(&data); err != nil {
			return nil, err
		}
		var e store.Event
		if err := decodeEvent(data, &e); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, translate(rows.Err())
}

// Inventory implements store.Store.
func (db *DB) Inventory(ctx context.Context) ([]store.Shelf, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT account, region, kind, COUNT(*) FROM records GROUP BY account, region, kind ORDER BY account, region, kind`)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	out := []store.Shelf{}
	for rows.Next() {
		var s store.Shelf
		if err := rows.Scan(&s.Account, &s.Region, &s.Kind, &s.Count); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, translate(rows.Err())
}

// Export implements store.Store: one read transaction, so one commit's state.
func (db *DB) Export(ctx context.Context) (store.Snapshot, error) {
	snap := store.Snapshot{Records: []store.AccountRecord{}, ClientTokens: []store.AccountClientToken{}, Meta: map[string][]byte{}}
	sqlTx, err := db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: db.read != db.write})
	if err != nil {
		return snap, translate(err)
	}
	defer sqlTx.Rollback()

	// A record's index pairs are in its data column.
	rows, err := sqlTx.QueryContext(ctx, `SELECT account, kind, id, region, seq, due, data FROM records ORDER BY account, seq`)
	if err != nil {
		return snap, translate(err)
	}
	for rows.Next() {
		var r store.AccountRecord
		var due sql.NullInt64
		if err := rows.Scan(&r.Account, &r.Kind, &r.ID, &r.Region, &r.Seq, &due, &r.Data); err != nil {
			rows.Close()
			return snap, err
		}
		if due.Valid {
			r.Due = time.Unix(0, due.Int64).UTC()
		}
		if r.Data, r.Attrs, err = unpack(r.Data, true); err != nil {
			rows.Close()
			return snap, err
		}
		r.Attrs = unmarked(r.Attrs) // the store's own (owned.go)
		snap.Records = append(snap.Records, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return snap, translate(err)
	}

	rows, err = sqlTx.QueryContext(ctx, `SELECT account, action, token, hash, response, created FROM client_tokens ORDER BY account, action, token`)
	if err != nil {
		return snap, translate(err)
	}
	for rows.Next() {
		var ct store.AccountClientToken
		var created int64
		if err := rows.Scan(&ct.Account, &ct.Action, &ct.Token, &ct.Hash, &ct.Response, &created); err != nil {
			rows.Close()
			return snap, err
		}
		ct.Created = time.Unix(0, created).UTC()
		snap.ClientTokens = append(snap.ClientTokens, ct)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return snap, translate(err)
	}

	rows, err = sqlTx.QueryContext(ctx, `SELECT key, value FROM meta ORDER BY key`)
	if err != nil {
		return snap, translate(err)
	}
	defer rows.Close()
	for rows.Next() {
		var k string
		var v []byte
		if err := rows.Scan(&k, &v); err != nil {
			return snap, err
		}
		snap.Meta[k] = v
	}
	return snap, translate(rows.Err())
}

// Import implements store.Store. It is the bulk path (a state import, the
// scale benchmark's million instances): rows go in through prepared
// statements, and for a large snapshot the secondary indexes are dropped
// first and built again at the end, by sorting, inside the same
// transaction, which is much cheaper than growing them row by row.
func (db *DB) Import(ctx context.Context, s store.Snapshot) error {
	if err := s.Check(); err != nil {
		return err
	}
	sqlTx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return translate(err)
	}
	defer sqlTx.Rollback()
	db.metaGen.Add(1) // the writer's kept meta rows (metacache.go)
	if _, err := sqlTx.ExecContext(ctx, `DELETE FROM records; DELETE FROM attrs; DELETE FROM counts; DELETE FROM client_tokens; DELETE FROM meta;`); err != nil {
		return translate(err)
	}
	restore := func() {}
	defer func() { restore() }()
	if len(s.Records) >= bulkImportRecords {
		// A bigger page cache on this connection while the import runs:
		// fewer dirty pages spilled to the WAL and read back. It is set
		// back before the transaction ends, and a rollback brings the
		// dropped indexes back by itself.
		var cache int64
		if err := sqlTx.QueryRowContext(ctx, `PRAGMA cache_size`).Scan(&cache); err == nil {
			if _, err := sqlTx.ExecContext(ctx, `PRAGMA cache_size = -65536`); err == nil { // 64 MiB
				restore = func() {
					sqlTx.ExecContext(context.WithoutCancel(ctx), `PRAGMA cache_size = `+strconv.FormatInt(cache, 10))
				}
			}
		}
		rebuild, err := dropIndexes(ctx, sqlTx, "records", "attrs")
		if err != nil {
			return err
		}
		if err := db.importRows(ctx, sqlTx, s); err != nil {
			return err
		}
		for _, ddl := range rebuild {
			if _, err := sqlTx.ExecContext(ctx, ddl); err != nil {
				return translate(err)
			}
		}
	} else if err := db.importRows(ctx, sqlTx, s); err != nil {
		return err
	}
	// The counts are built once from what was written, as migration 0004 does.
	if _, err := sqlTx.ExecContext(ctx, `INSERT INTO counts (account, kind, region, name, value, n)
		SELECT account, kind, region, '', '', COUNT(*) FROM records GROUP BY account, kind, region;
		INSERT INTO counts (account, kind, region, name, value, n)
		SELECT account, kind, region, name, value, COUNT(*) FROM attrs WHERE name NOT LIKE '~%' GROUP BY account, kind, region, name, value;`); err != nil {
		return translate(err)
	}
	// But for the marks (owned.go) and the indexes whose counts are not kept.
	if err := dropCounts(ctx, sqlTx, store.Uncounted()); err != nil {
		return err
	}
	for _, ct := range s.ClientTokens {
		if _, err := sqlTx.ExecContext(ctx, `INSERT INTO client_tokens (account, action, token, hash, response, created) VALUES (?, ?, ?, ?, ?, ?)`,
			ct.Account, ct.Action, ct.Token, ct.Hash, ct.Response, ct.Created.UnixNano()); err != nil {
			return translate(err)
		}
	}
	keys := make([]string, 0, len(s.Meta))
	for k := range s.Meta {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if _, err := sqlTx.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES (?, ?)`, k, s.Meta[k]); err != nil {
			return translate(err)
		}
	}
	restore()
	restore = func() {}
	db.pend.drop(nil) // every record imported is indexed
	// The writer reads the pending rows again, if this failed, and the
	// kinds each account holds (kinds.go).
	defer db.pend.stale.Store(true)
	if err := sqlTx.Commit(); err != nil {
		return translate(err)
	}
	db.memos.moved(db.wal)
	if len(s.Records) >= bulkImportRecords {
		// The import went through the WAL in one transaction, as big as the
		// database: copy it in now and truncate it, or the next start
		// reads it all back (tens of seconds for a million instances).
		db.write.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`)
	}
	return nil
}

// bulkImportRecords is the snapshot size from which Import rebuilds the
// indexes instead of maintaining them row by row.
const bulkImportRecords = 20000

// dropIndexes drops the secondary indexes of tables and answers the DDL
// that builds them again (read from the schema, so that it follows the
// migrations). Primary keys stay: they are the tables themselves.
func dropIndexes(ctx context.Context, tx *sql.Tx, tables ...string) ([]string, error) {
	args := make([]any, len(tables))
	for i, t := range tables {
		args[i] = t
	}
	rows, err := tx.QueryContext(ctx, `SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (`+placeholders(len(tables))+`) ORDER BY name`, args...)
	if err != nil {
		return nil, translate(err)
	}
	var names, ddl []string
	for rows.Next() {
		var name, q string
		if err := rows.Scan(&name, &q); err != nil {
			rows.Close()
			return nil, err
		}
		names, ddl = append(names, name), append(ddl, q)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, translate(err)
	}
	for _, name := range names {
		if _, err := tx.ExecContext(ctx, `DROP INDEX "`+strings.ReplaceAll(name, `"`, `""`)+`"`); err != nil {
			return nil, translate(err)
		}
	}
	return ddl, nil
}

// importRows writes the snapshot's records and their attributes through
// two prepared statements. One row per INSERT: a multi-row INSERT would
// make SQLite keep a statement journal, which costs more than it saves.
func (db *DB) importRows(ctx context.Context, tx *sql.Tx, s store.Snapshot) error {
	var maxSeq int64
	for _, r := range s.Records {
		maxSeq = max(maxSeq, r.Seq)
	}
	recs, err := tx.PrepareContext(ctx, `INSERT INTO records (account, kind, id, region, seq, due, data) VALUES (?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return translate(err)
	}
	defer recs.Close()
	attrs, err := tx.PrepareContext(ctx, insertAttr)
	if err != nil {
		return translate(err)
	}
	defer attrs.Close()
	// A seq is the key of its record: one given twice (a hand-made
	// snapshot) is given a fresh one.
	seen := make(map[int64]bool, len(s.Records))
	var ring importRing
	for _, r := range s.Records {
		seq := r.Seq
		if seq <= 0 || seen[seq] {
			maxSeq++
			seq = maxSeq
		}
		seen[seq] = true
		var due any
		if !r.Due.IsZero() {
			due = r.Due.UnixNano()
		}
		pairs := ring.marks(r, seq, unmarked(store.DedupAttrs(r.Attrs)))
		ring.add(r, seq)
		if _, err := recs.ExecContext(ctx, r.Account, r.Kind, r.ID, r.Region, seq, due, pack(r.Data, pairs)); err != nil {
			return translate(err)
		}
		for _, a := range pairs {
			if _, err := attrs.ExecContext(ctx, r.Account, r.Kind, r.Region, a.Name, a.Value, seq); err != nil {
				return translate(err)
			}
		}
	}
	// Creation order continues after the imported records, never below what
	// this database handed out already.
	_, err = tx.ExecContext(ctx, `UPDATE counters SET n = MAX(n, ?) WHERE name = 'seq'`, maxSeq)
	return translate(err)
}

// ConfigCache lets store.LoadConfig skip decoding an unchanged configuration.
func (t *tx) ConfigCache() *store.ConfigCache { return t.config }

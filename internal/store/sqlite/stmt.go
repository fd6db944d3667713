package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"sync/atomic"
)

// maxStmts bounds the statement cache; queries are built from a small set
// of shapes, so the bound is only a guard.
const maxStmts = 512

// stmts caches prepared statements per pool: the pure-Go driver compiles
// every statement it is handed, and compiling was the largest single cost
// of a read call.
type stmts struct {
	mu      sync.Mutex
	wg      sync.WaitGroup // background prepares
	closed  bool
	cache   map[*sql.DB]map[string]*sql.Stmt
	pending map[string]bool
	// hook, when set, hears every statement the transactions' helpers and
	// the writer run (OnStatement).
	hook atomic.Pointer[func(pool *sql.DB, query string)]
}

// ran tells the hook, if any, that query runs on pool.
func (s *stmts) ran(pool *sql.DB, query string) {
	if h := s.hook.Load(); h != nil {
		(*h)(pool, query)
	}
}

// get returns the pool's prepared statement for query, or nil the first
// times: then the caller runs it unprepared while the statement is
// prepared in the background. Preparing needs a connection of the pool,
// and the caller's transaction may hold the only one (the memory store).
func (s *stmts) get(pool *sql.DB, query string) *sql.Stmt {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	if s.cache == nil {
		s.cache = map[*sql.DB]map[string]*sql.Stmt{}
		s.pending = map[string]bool{}
	}
	byQuery := s.cache[pool]
	if byQuery == nil {
		byQuery = map[string]*sql.Stmt{}
		s.cache[pool] = byQuery
	}
	if st, ok := byQuery[query]; ok {
		return st
	}
	key := fmt.Sprintf("%p/%s", pool, query)
	if len(byQuery) >= maxStmts || s.pending[key] {
		return nil
	}
	s.pending[key] = true
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		st, err := pool.Prepare(query)
		s.mu.Lock()
		defer s.mu.Unlock()
		delete(s.pending, key)
		if err != nil {
			return
		}
		if s.closed {
			st.Close()
			return
		}
		byQuery[query] = st
	}()
	return nil
}

// close stops preparing and closes what was prepared; the pools close after.
func (s *stmts) close() {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	s.wg.Wait()
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, byQuery := range s.cache {
		for _, st := range byQuery {
			st.Close()
		}
	}
	s.cache = nil
}

// The transaction's query helpers run through the cache.

// driverCtx is the context a statement runs with. The driver watches a
// cancellable context with a goroutine of its own per statement (a tenth
// of the writer's time); a store statement is short, so a cancellation
// is seen between statements instead.
func driverCtx(ctx context.Context) context.Context {
	if ctx.Err() != nil {
		return ctx
	}
	return context.WithoutCancel(ctx)
}

// bind answers st bound to the transaction, made once per transaction
// (sql.Tx.StmtContext makes a new one, with its locks, on every call) and
// shared by the callers of a writer's group.
func (t *tx) bind(ctx context.Context, st *sql.Stmt) *sql.Stmt {
	return bindOnce(ctx, &t.bound, t.tx, st)
}

// bindOnce answers st bound to tx, from bound or made and kept there.
func bindOnce(ctx context.Context, bound *map[*sql.Stmt]*sql.Stmt, tx *sql.Tx, st *sql.Stmt) *sql.Stmt {
	if *bound == nil {
		*bound = map[*sql.Stmt]*sql.Stmt{}
	}
	b := (*bound)[st]
	if b == nil {
		b = tx.StmtContext(ctx, st)
		(*bound)[st] = b
	}
	return b
}

// row is a *sql.Row, or the error of opening the transaction it needed.
type row struct {
	*sql.Row
	err error
}

func (r row) Scan(dest ...any) error {
	if r.err != nil {
		return r.err
	}
	return r.Row.Scan(dest...)
}

// scanInt scans the row's one integer column.
func (r row) scanInt() (int64, error) {
	var n int64
	err := r.Scan(&n)
	return n, err
}

func (t *tx) queryRow(ctx context.Context, query string, args ...any) row {
	if t.tx == nil {
		if err := t.open(ctx); err != nil {
			return row{err: err}
		}
	}
	ctx = driverCtx(ctx)
	t.stmts.ran(t.pool, query)
	if st := t.stmts.get(t.pool, query); st != nil {
		return row{Row: t.bind(ctx, st).QueryRowContext(ctx, args...)}
	}
	return row{Row: t.tx.QueryRowContext(ctx, query, args...)}
}

func (t *tx) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if t.tx == nil {
		if err := t.open(ctx); err != nil {
			return nil, err
		}
	}
	ctx = driverCtx(ctx)
	t.stmts.ran(t.pool, query)
	if st := t.stmts.get(t.pool, query); st != nil {
		return t.bind(ctx, st).QueryContext(ctx, args...)
	}
	return t.tx.QueryContext(ctx, query, args...)
}

func (t *tx) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if t.tx == nil {
		if err := t.open(ctx); err != nil {
			return nil, err
		}
	}
	ctx = driverCtx(ctx)
	t.stmts.ran(t.pool, query)
	if st := t.stmts.get(t.pool, query); st != nil {
		return t.bind(ctx, st).ExecContext(ctx, args...)
	}
	return t.tx.ExecContext(ctx, query, args...)
}

// plainTx is a plain *sql.Tx of pool (the nonce and event writes, a
// batch of calls each) running its statements through the cache, each
// bound to the transaction once, however many rows the batch writes.
type plainTx struct {
	s     *stmts
	pool  *sql.DB
	tx    *sql.Tx
	bound map[*sql.Stmt]*sql.Stmt
}

func (p *plainTx) stmt(ctx context.Context, query string) *sql.Stmt {
	st := p.s.get(p.pool, query)
	if st == nil {
		return nil
	}
	return bindOnce(ctx, &p.bound, p.tx, st)
}

func (p *plainTx) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	ctx = driverCtx(ctx)
	if st := p.stmt(ctx, query); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return p.tx.ExecContext(ctx, query, args...)
}

func (p *plainTx) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	ctx = driverCtx(ctx)
	if st := p.stmt(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return p.tx.QueryRowContext(ctx, query, args...)
}

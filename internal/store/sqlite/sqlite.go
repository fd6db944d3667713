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
}

var _ store.Store = (*DB)(nil)

// Open opens (creating if needed) the database at path and migrates it.
func Open(ctx context.Context, path string) (*DB, error) {
	q := "?_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)"
	write, err := sql.Open("sqlite", "file:"+path+q+"&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	write.SetMaxOpenConns(1)
	read, err := sql.Open("sqlite", "file:"+path+q+"&mode=ro")
	if err != nil {
		write.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	read.SetMaxOpenConns(4)
	db := &DB{write: write, read: read}
	if err := db.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
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
	db := &DB{write: write, read: write}
	if err := db.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// Close closes the database.
func (db *DB) Close() error {
	err := db.write.Close()
	if db.read != db.write {
		err = errors.Join(err, db.read.Close())
	}
	return err
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
	due, err := db.hasDue(ctx, account)
	if err != nil {
		return err
	}
	if due {
		if err := db.Update(ctx, account, func(store.Tx) error { return nil }); err != nil {
			return err
		}
	}
	return db.run(ctx, db.read, account, false, fn)
}

// Update implements store.Store.
func (db *DB) Update(ctx context.Context, account string, fn func(store.Tx) error) error {
	return db.run(ctx, db.write, account, true, fn)
}

func (db *DB) hasDue(ctx context.Context, account string) (bool, error) {
	if db.hooks.BeforeUpdate == nil {
		return false, nil
	}
	var due bool
	err := db.run(ctx, db.read, account, false, func(t store.Tx) error {
		var n int
		err := t.(*tx).tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM records WHERE due IS NOT NULL AND due <= ? AND account = ? LIMIT 1)`, t.Now().UnixNano(), account).Scan(&n)
		due = n > 0
		return err
	})
	return due, err
}

func (db *DB) run(ctx context.Context, pool *sql.DB, account string, write bool, fn func(store.Tx) error) error {
	sqlTx, err := pool.BeginTx(ctx, &sql.TxOptions{ReadOnly: !write && pool != db.write})
	if err != nil {
		return translate(err)
	}
	defer sqlTx.Rollback()
	t := &tx{tx: sqlTx, account: account}
	t.now = time.Now().UTC()
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
	if err := fn(t); err != nil {
		return err
	}
	if !write {
		return nil
	}
	return translate(sqlTx.Commit())
}

// Meta implements store.Store.
func (db *DB) Meta(ctx context.Context, fn func(store.MetaTx) error) error {
	sqlTx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return translate(err)
	}
	defer sqlTx.Rollback()
	if err := fn(&tx{tx: sqlTx}); err != nil {
		return err
	}
	return translate(sqlTx.Commit())
}

// UseNonce implements store.Store.
func (db *DB) UseNonce(ctx context.Context, accessKeyID, nonce string, now time.Time) (bool, error) {
	res, err := db.write.ExecContext(ctx, `INSERT INTO nonces (access_key, nonce, seen) VALUES (?, ?, ?) ON CONFLICT (access_key, nonce) DO UPDATE SET seen = excluded.seen WHERE nonces.seen < ?`,
		accessKeyID, nonce, now.UnixNano(), now.Add(-store.NonceWindow).UnixNano())
	if err != nil {
		return false, translate(err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, err
	}
	// Forget old nonces now and then; one row in a hundred pays for it.
	if nonce != "" && nonce[len(nonce)-1]%100 == 0 {
		db.write.ExecContext(ctx, `DELETE FROM nonces WHERE seen < ?`, now.Add(-store.NonceWindow).UnixNano())
	}
	return n > 0, nil
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
	_, err := db.write.ExecContext(ctx, `DELETE FROM records; DELETE FROM attrs; DELETE FROM client_tokens;`)
	return translate(err)
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
	account string
	now     time.Time
}

func (t *tx) Account() string { return t.account }
func (t *tx) Now() time.Time  { return t.now }

func (t *tx) GetMeta(ctx context.Context, key string) ([]byte, error) {
	var v []byte
	err := t.tx.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, key).Scan(&v)
	return v, translate(err)
}

func (t *tx) PutMeta(ctx context.Context, key string, value []byte) error {
	_, err := t.tx.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
	return translate(err)
}

func (t *tx) Get(ctx context.Context, kind, id string) (store.Record, error) {
	r := store.Record{Kind: kind, ID: id}
	var due sql.NullInt64
	err := t.tx.QueryRowContext(ctx, `SELECT region, seq, due, data FROM records WHERE account = ? AND kind = ? AND id = ?`, t.account, kind, id).
		Scan(&r.Region, &r.Seq, &due, &r.Data)
	if err != nil {
		return store.Record{}, translate(err)
	}
	if due.Valid {
		r.Due = time.Unix(0, due.Int64).UTC()
	}
	return r, nil
}

func (t *tx) Put(ctx context.Context, r store.Record) error {
	var due any
	if !r.Due.IsZero() {
		due = r.Due.UnixNano()
	}
	var seq int64
	err := t.tx.QueryRowContext(ctx, `SELECT seq FROM records WHERE account = ? AND kind = ? AND id = ?`, t.account, r.Kind, r.ID).Scan(&seq)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		if err := t.tx.QueryRowContext(ctx, `UPDATE counters SET n = n + 1 WHERE name = 'seq' RETURNING n`).Scan(&seq); err != nil {
			return translate(err)
		}
		if _, err := t.tx.ExecContext(ctx, `INSERT INTO records (account, kind, id, region, seq, due, data) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			t.account, r.Kind, r.ID, r.Region, seq, due, r.Data); err != nil {
			return translate(err)
		}
	case err != nil:
		return translate(err)
	default:
		if _, err := t.tx.ExecContext(ctx, `UPDATE records SET region = ?, due = ?, data = ? WHERE account = ? AND kind = ? AND id = ?`,
			r.Region, due, r.Data, t.account, r.Kind, r.ID); err != nil {
			return translate(err)
		}
		if _, err := t.tx.ExecContext(ctx, `DELETE FROM attrs WHERE account = ? AND kind = ? AND id = ?`, t.account, r.Kind, r.ID); err != nil {
			return translate(err)
		}
	}
	for _, a := range dedupAttrs(r.Attrs) {
		if _, err := t.tx.ExecContext(ctx, `INSERT INTO attrs (account, kind, name, value, seq, id) VALUES (?, ?, ?, ?, ?, ?)`,
			t.account, r.Kind, a.Name, a.Value, seq, r.ID); err != nil {
			return translate(err)
		}
	}
	return nil
}

func dedupAttrs(in []store.Attr) []store.Attr {
	seen := make(map[store.Attr]bool, len(in))
	out := in[:0:0]
	for _, a := range in {
		if !seen[a] {
			seen[a] = true
			out = append(out, a)
		}
	}
	return out
}

func (t *tx) Delete(ctx context.Context, kind, id string) error {
	res, err := t.tx.ExecContext(ctx, `DELETE FROM records WHERE account = ? AND kind = ? AND id = ?`, t.account, kind, id)
	if err != nil {
		return translate(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return store.ErrNotFound
	}
	_, err = t.tx.ExecContext(ctx, `DELETE FROM attrs WHERE account = ? AND kind = ? AND id = ?`, t.account, kind, id)
	return translate(err)
}

func (t *tx) Query(ctx context.Context, q store.Query) (store.Page, error) {
	where, args := t.queryWhere(q)
	var page store.Page
	if q.Count {
		if err := t.tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM records r WHERE `+where, args...).Scan(&page.Total); err != nil {
			return page, translate(err)
		}
	}
	if q.Limit <= 0 {
		return page, nil
	}
	seqWhere, seqArgs := where, args
	if q.AfterSeq > 0 {
		seqWhere += ` AND r.seq > ?`
		seqArgs = append(append([]any{}, args...), q.AfterSeq)
	}
	rows, err := t.tx.QueryContext(ctx, `SELECT r.id, r.region, r.seq, r.due, r.data FROM records r WHERE `+seqWhere+` ORDER BY r.seq LIMIT ? OFFSET ?`,
		append(seqArgs, q.Limit+1, q.Offset)...)
	if err != nil {
		return page, translate(err)
	}
	defer rows.Close()
	for rows.Next() {
		r := store.Record{Kind: q.Kind}
		var due sql.NullInt64
		if err := rows.Scan(&r.ID, &r.Region, &r.Seq, &due, &r.Data); err != nil {
			return page, err
		}
		if due.Valid {
			r.Due = time.Unix(0, due.Int64).UTC()
		}
		page.Records = append(page.Records, r)
	}
	if len(page.Records) > q.Limit {
		page.Records, page.More = page.Records[:q.Limit], true
	}
	return page, translate(rows.Err())
}

// queryWhere builds the condition of a Query. Each filter is an indexed
// lookup in attrs; the planner drives from the most selective one.
func (t *tx) queryWhere(q store.Query) (string, []any) {
	var b strings.Builder
	args := []any{t.account, q.Kind}
	b.WriteString(`r.account = ? AND r.kind = ?`)
	if q.Region != "" {
		b.WriteString(` AND r.region = ?`)
		args = append(args, q.Region)
	}
	if q.IDs != nil {
		b.WriteString(` AND r.id IN (` + placeholders(len(q.IDs)) + `)`)
		for _, id := range q.IDs {
			args = append(args, id)
		}
	}
	for _, f := range q.Filters {
		b.WriteString(` AND r.id IN (SELECT a.id FROM attrs a WHERE a.account = ? AND a.kind = ? AND a.name = ? AND a.value IN (` + placeholders(len(f.Values)) + `))`)
		args = append(args, t.account, q.Kind, f.Name)
		for _, v := range f.Values {
			args = append(args, v)
		}
	}
	return b.String(), args
}

func placeholders(n int) string {
	if n == 0 {
		return "NULL"
	}
	return strings.TrimSuffix(strings.Repeat("?,", n), ",")
}

func (t *tx) Due(ctx context.Context, at time.Time, limit int) ([]store.Record, error) {
	rows, err := t.tx.QueryContext(ctx, `SELECT kind, id, region, seq, due, data FROM records WHERE account = ? AND due IS NOT NULL AND due <= ? ORDER BY due, seq LIMIT ?`,
		t.account, at.UnixNano(), limit)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	var out []store.Record
	for rows.Next() {
		var r store.Record
		var due int64
		if err := rows.Scan(&r.Kind, &r.ID, &r.Region, &r.Seq, &due, &r.Data); err != nil {
			return nil, err
		}
		r.Due = time.Unix(0, due).UTC()
		out = append(out, r)
	}
	return out, translate(rows.Err())
}

func (t *tx) ClientToken(ctx context.Context, action, token string) (store.ClientToken, error) {
	ct := store.ClientToken{Action: action, Token: token}
	var created int64
	err := t.tx.QueryRowContext(ctx, `SELECT hash, response, created FROM client_tokens WHERE account = ? AND action = ? AND token = ?`, t.account, action, token).
		Scan(&ct.Hash, &ct.Response, &created)
	if err != nil {
		return store.ClientToken{}, translate(err)
	}
	ct.Created = time.Unix(0, created).UTC()
	return ct, nil
}

func (t *tx) PutClientToken(ctx context.Context, ct store.ClientToken) error {
	_, err := t.tx.ExecContext(ctx, `INSERT INTO client_tokens (account, action, token, hash, response, created) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (account, action, token) DO UPDATE SET hash = excluded.hash, response = excluded.response, created = excluded.created`,
		t.account, ct.Action, ct.Token, ct.Hash, ct.Response, ct.Created.UnixNano())
	return translate(err)
}

// AccountsOf lists the accounts holding a record kind/id: the admin API
// speaks for every tenant and addresses resources by id alone.
func (db *DB) AccountsOf(ctx context.Context, kind, id string) ([]string, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT account FROM records WHERE kind = ? AND id = ?`, kind, id)
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

package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
)

// The replay nonces and the audit log live in a file of their own beside
// the state, PATH-log. Every API call writes both, and every commit to a
// file makes each connection reading it drop its page cache and its mapping
// at its next read (SQLite's WAL change check), and moves the file's WAL
// generation, which the per-call fault check (current.go) is keyed by. In
// their own file they leave the state's readers warm: only a change of
// state makes them read pages again.

// logSuffix names the log file beside a state file.
const logSuffix = "-log"

// logSchema is the log file's tables (as migrations 0001 and 0002 made them
// in the state file before they moved) and its event counter.
const logSchema = `
-- A row holds one write's nonces (nonce.go): nothing reads a nonce by
-- its key (the check is in memory), so a batch costs one row and one
-- index entry, at the end of each B-tree, instead of three B-tree
-- entries a nonce, one of them at a random place.
CREATE TABLE IF NOT EXISTS nonce_batches (
	id INTEGER PRIMARY KEY,
	newest INTEGER NOT NULL,
	data BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS nonce_batches_by_newest ON nonce_batches (newest);
CREATE TABLE IF NOT EXISTS events (
	seq INTEGER PRIMARY KEY,
	account TEXT NOT NULL,
	action TEXT NOT NULL,
	code TEXT NOT NULL,
	time INTEGER NOT NULL,
	data BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS events_by_account ON events (account, seq);
-- By action and by code the log is read seldom and the newest first: a
-- walk back by seq finds them, and every call's event writes two B-trees
-- fewer.
DROP INDEX IF EXISTS events_by_action;
DROP INDEX IF EXISTS events_by_code;
CREATE TABLE IF NOT EXISTS event_resources (
	resource TEXT NOT NULL,
	seq INTEGER NOT NULL,
	PRIMARY KEY (resource, seq)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS event_resources_by_seq ON event_resources (seq);
CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, n INTEGER NOT NULL);
INSERT OR IGNORE INTO counters (name, n) VALUES ('event', 0);
`

// noncesV1 is the nonces table as it was before nonce_batches, a row a
// nonce: openLog moves its rows into nonce_batches (moveNonces), and the
// move of an older state file's log (moveLog) goes through it.
const noncesV1 = `
CREATE TABLE IF NOT EXISTS nonces (
	access_key TEXT NOT NULL,
	nonce TEXT NOT NULL,
	seen INTEGER NOT NULL,
	PRIMARY KEY (access_key, nonce)
);
`

// openLog opens (creating if needed) the log file of the state file at
// path: durable as the state is, with SQLite's default page cache, one
// connection (its writers are the nonce writer and the audit log's, each
// batching). temp_store: the statement journal of a batch's multi-row
// INSERT (each page it changes, copied first) stays in memory instead of
// a temporary file written with a system call a page.
func openLog(ctx context.Context, path string) (*sql.DB, error) {
	log, err := sql.Open("sqlite", "file:"+path+logSuffix+"?_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=busy_timeout(10000)&_pragma=temp_store(MEMORY)&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("open sqlite %s%s: %w", path, logSuffix, err)
	}
	log.SetMaxOpenConns(1)
	if _, err := log.ExecContext(ctx, logSchema); err != nil {
		log.Close()
		return nil, fmt.Errorf("open sqlite %s%s: %w", path, logSuffix, err)
	}
	return log, nil
}

// moveLog moves the nonces and the audit log of a state file written
// before they had a file of their own into the log file, and drops them
// from the state file. A kill in between leaves both copies; the next
// open copies again, ignoring what is there already.
func (db *DB) moveLog(ctx context.Context, path string) (err error) {
	var n int
	if err := db.write.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'nonces'`).Scan(&n); err != nil {
		return fmt.Errorf("move the log: %w", err)
	}
	if n == 0 {
		return nil
	}
	// ATTACH holds for the connection; the write pool has only one.
	conn, err := db.write.Conn(ctx)
	if err != nil {
		return fmt.Errorf("move the log: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `ATTACH DATABASE ? AS log`, path+logSuffix); err != nil {
		return fmt.Errorf("move the log: %w", err)
	}
	defer func() {
		if _, derr := conn.ExecContext(context.WithoutCancel(ctx), `DETACH DATABASE log`); derr != nil {
			err = errors.Join(err, fmt.Errorf("move the log: %w", derr))
		}
	}()
	// Copied first, dropped after, each in a transaction of its own: a
	// transaction over two WAL files is atomic in each, not across them.
	for _, step := range []string{strings.Replace(noncesV1, "EXISTS nonces", "EXISTS log.nonces", 1) + `
INSERT OR IGNORE INTO log.nonces (access_key, nonce, seen) SELECT access_key, nonce, seen FROM main.nonces;
INSERT OR IGNORE INTO log.events (seq, account, action, code, time, data) SELECT seq, account, action, code, time, data FROM main.events;
INSERT OR IGNORE INTO log.event_resources (resource, seq) SELECT resource, seq FROM main.event_resources;
UPDATE log.counters SET n = max(n, coalesce((SELECT n FROM main.counters WHERE name = 'event'), 0)) WHERE name = 'event';
`, `
DROP TABLE main.event_resources;
DROP TABLE main.events;
DROP TABLE main.nonces;
DELETE FROM main.counters WHERE name = 'event';
`} {
		tx, err := conn.BeginTx(ctx, nil)
		if err != nil {
			return fmt.Errorf("move the log: %w", err)
		}
		if _, err := tx.ExecContext(ctx, step); err != nil {
			tx.Rollback()
			return fmt.Errorf("move the log: %w", err)
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("move the log: %w", err)
		}
	}
	return nil
}

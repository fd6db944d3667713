package sqlite

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/ecslocal/ecslocal/internal/store"
)

// nonceQueue bounds the nonces waiting for the background writer: past it a
// signed call waits for the disk rather than memory growing.
const nonceQueue = 4096

// nonceBatch is the most nonces one write transaction carries.
const nonceBatch = 512

// nonceLinger is how long the writer waits for more nonces after the first:
// one commit (one fsync) per batch of calls rather than one per call. The
// nonce is written behind the answer either way; a kill loses at most this
// much more of the replay protection across a restart.
const nonceLinger = 20 * time.Millisecond

// usedNonce is a fresh nonce on its way to the nonces table.
type usedNonce struct {
	accessKey, nonce string
	seen             int64
}

// nonceWriter writes fresh nonces to the nonces table behind the in-memory
// check, in batches (one transaction and one fsync for many calls), and
// forgets rows older than the window. Close flushes what is queued.
type nonceWriter struct {
	db   *DB
	in   chan usedNonce
	done sync.WaitGroup
}

func (db *DB) startNonceWriter() {
	w := &nonceWriter{db: db, in: make(chan usedNonce, nonceQueue)}
	w.done.Add(1)
	go w.run()
	db.nonces = w
}

func (w *nonceWriter) run() {
	defer w.done.Done()
	for first := range w.in {
		batch := []usedNonce{first}
		linger := time.NewTimer(nonceLinger)
	fill:
		for len(batch) < nonceBatch {
			select {
			case n, ok := <-w.in:
				if !ok {
					break fill
				}
				batch = append(batch, n)
			case <-linger.C:
				break fill
			}
		}
		linger.Stop()
		// A failed write leaves the nonce in memory, which still refuses
		// its replay until a restart; nothing better is possible here.
		_ = w.write(batch)
	}
}

func (w *nonceWriter) write(batch []usedNonce) error {
	ctx := context.Background()
	tx, err := w.db.log.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	ptx := &plainTx{s: &w.db.stmts, pool: w.db.log, tx: tx}
	latest := int64(0)
	for _, n := range batch {
		if _, err := ptx.exec(ctx, `INSERT INTO nonces (access_key, nonce, seen) VALUES (?, ?, ?)
			ON CONFLICT (access_key, nonce) DO UPDATE SET seen = excluded.seen WHERE excluded.seen > nonces.seen`,
			n.accessKey, n.nonce, n.seen); err != nil {
			return err
		}
		latest = max(latest, n.seen)
	}
	if _, err := ptx.exec(ctx, `DELETE FROM nonces WHERE seen < ?`, latest-int64(store.NonceWindow)); err != nil {
		return err
	}
	return tx.Commit()
}

// close writes what is queued and stops the writer.
func (w *nonceWriter) close() {
	close(w.in)
	w.done.Wait()
}

// loadNonces puts the kept nonces of the last window (measured from the
// newest one kept) back into memory, and drops the older rows.
func (db *DB) loadNonces(ctx context.Context) error {
	var latest int64
	if err := db.log.QueryRowContext(ctx, `SELECT COALESCE(MAX(seen), 0) FROM nonces`).Scan(&latest); err != nil {
		return fmt.Errorf("load nonces: %w", err)
	}
	cutoff := latest - int64(store.NonceWindow)
	if _, err := db.log.ExecContext(ctx, `DELETE FROM nonces WHERE seen < ?`, cutoff); err != nil {
		return fmt.Errorf("load nonces: %w", err)
	}
	rows, err := db.log.QueryContext(ctx, `SELECT access_key, nonce, seen FROM nonces`)
	if err != nil {
		return fmt.Errorf("load nonces: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var ak, nonce string
		var seen int64
		if err := rows.Scan(&ak, &nonce, &seen); err != nil {
			return fmt.Errorf("load nonces: %w", err)
		}
		db.nonce.Load(ak, nonce, seen)
	}
	return rows.Err()
}

// UseNonce implements store.Store: checked in process memory (store.Nonces);
// a fresh nonce of a file store is also written to the nonces table behind
// the answer, so a restart keeps refusing its replay.
func (db *DB) UseNonce(ctx context.Context, accessKeyID, nonce string, now time.Time) (bool, error) {
	if !db.nonce.Use(accessKeyID, nonce, now) {
		return false, nil
	}
	if db.nonces != nil {
		select {
		case db.nonces.in <- usedNonce{accessKey: accessKeyID, nonce: nonce, seen: now.UnixNano()}:
		case <-ctx.Done():
			return true, ctx.Err()
		}
	}
	return true, nil
}

package sqlite

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
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
	buf  []byte // the batch's row, reused
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
	w.buf = appendNonces(w.buf[:0], batch)
	newest := batch[0].seen
	for _, n := range batch[1:] {
		newest = max(newest, n.seen)
	}
	if _, err := ptx.exec(ctx, `INSERT INTO nonce_batches (newest, data) VALUES (?, ?)`, newest, w.buf); err != nil {
		return err
	}
	// A batch goes once its newest nonce is out of the window; an older
	// nonce in a kept batch is skipped when loaded.
	if _, err := ptx.exec(ctx, `DELETE FROM nonce_batches WHERE newest < ?`, newest-int64(store.NonceWindow)); err != nil {
		return err
	}
	return tx.Commit()
}

// nonceBatchV1 is the format byte of a nonce_batches row's data:
//
//	nonceBatchV1, then for each nonce: uvarint len(access key), access key,
//	uvarint len(nonce), nonce, varint seen (Unix nanoseconds)
const nonceBatchV1 = 1

func appendNonces(b []byte, batch []usedNonce) []byte {
	b = append(b, nonceBatchV1)
	for _, n := range batch {
		b = binary.AppendUvarint(b, uint64(len(n.accessKey)))
		b = append(b, n.accessKey...)
		b = binary.AppendUvarint(b, uint64(len(n.nonce)))
		b = append(b, n.nonce...)
		b = binary.AppendVarint(b, n.seen)
	}
	return b
}

// eachNonce calls f with each nonce of a nonce_batches row's data.
func eachNonce(data []byte, f func(accessKey, nonce string, seen int64)) error {
	if len(data) == 0 || data[0] != nonceBatchV1 {
		return errors.New("sqlite: nonce batch of an unknown format")
	}
	b := data[1:]
	str := func() (string, bool) {
		n, k := binary.Uvarint(b)
		if k <= 0 || uint64(len(b)-k) < n {
			return "", false
		}
		s := string(b[k : k+int(n)])
		b = b[k+int(n):]
		return s, true
	}
	for len(b) > 0 {
		ak, ok1 := str()
		nonce, ok2 := str()
		if !ok1 || !ok2 {
			return errors.New("sqlite: nonce batch: bad length")
		}
		seen, k := binary.Varint(b)
		if k <= 0 {
			return errors.New("sqlite: nonce batch: bad time")
		}
		b = b[k:]
		f(ak, nonce, seen)
	}
	return nil
}

// close writes what is queued and stops the writer.
func (w *nonceWriter) close() {
	close(w.in)
	w.done.Wait()
}

// moveNonces moves the rows of the nonces table of a log file written
// before nonce_batches into it, in batches as the writer makes them, and
// drops the table, in one transaction: a kill leaves the old table whole.
func (db *DB) moveNonces(ctx context.Context) error {
	var n int
	if err := db.log.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'nonces'`).Scan(&n); err != nil {
		return fmt.Errorf("move nonces: %w", err)
	}
	if n == 0 {
		return nil
	}
	tx, err := db.log.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("move nonces: %w", err)
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, `SELECT access_key, nonce, seen FROM nonces ORDER BY seen`)
	if err != nil {
		return fmt.Errorf("move nonces: %w", err)
	}
	var all []usedNonce
	for rows.Next() {
		var u usedNonce
		if err := rows.Scan(&u.accessKey, &u.nonce, &u.seen); err != nil {
			rows.Close()
			return fmt.Errorf("move nonces: %w", err)
		}
		all = append(all, u)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("move nonces: %w", err)
	}
	for batch := range slices.Chunk(all, nonceBatch) {
		// Ordered by seen: the last is the newest.
		if _, err := tx.ExecContext(ctx, `INSERT INTO nonce_batches (newest, data) VALUES (?, ?)`, batch[len(batch)-1].seen, appendNonces(nil, batch)); err != nil {
			return fmt.Errorf("move nonces: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, `DROP TABLE nonces`); err != nil {
		return fmt.Errorf("move nonces: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("move nonces: %w", err)
	}
	return nil
}

// loadNonces puts the kept nonces of the last window (measured from the
// newest one kept) back into memory, and drops the older batches.
func (db *DB) loadNonces(ctx context.Context) error {
	if err := db.moveNonces(ctx); err != nil {
		return err
	}
	var latest int64
	if err := db.log.QueryRowContext(ctx, `SELECT COALESCE(MAX(newest), 0) FROM nonce_batches`).Scan(&latest); err != nil {
		return fmt.Errorf("load nonces: %w", err)
	}
	cutoff := latest - int64(store.NonceWindow)
	if _, err := db.log.ExecContext(ctx, `DELETE FROM nonce_batches WHERE newest < ?`, cutoff); err != nil {
		return fmt.Errorf("load nonces: %w", err)
	}
	rows, err := db.log.QueryContext(ctx, `SELECT data FROM nonce_batches`)
	if err != nil {
		return fmt.Errorf("load nonces: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var data []byte
		if err := rows.Scan(&data); err != nil {
			return fmt.Errorf("load nonces: %w", err)
		}
		if err := eachNonce(data, func(ak, nonce string, seen int64) {
			if seen >= cutoff {
				db.nonce.Load(ak, nonce, seen)
			}
		}); err != nil {
			return fmt.Errorf("load nonces: %w", err)
		}
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
		u := usedNonce{accessKey: accessKeyID, nonce: nonce, seen: now.UnixNano()}
		// Room in the queue is the common case: a request's ctx.Done
		// makes a channel on its first call.
		select {
		case db.nonces.in <- u:
			return true, nil
		default:
		}
		select {
		case db.nonces.in <- u:
		case <-ctx.Done():
			return true, ctx.Err()
		}
	}
	return true, nil
}

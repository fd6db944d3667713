package sqlite

import (
	"context"
	"database/sql"

	"github.com/ecslocal/ecslocal/internal/store"
)

// migrationSteps are the parts of a migration SQL cannot do, run in its
// transaction before its file.
var migrationSteps = map[string]func(ctx context.Context, tx *sql.Tx) error{
	"migrations/0006_attrs_by_seq.sql":       migrate06,
	"migrations/0007_records_by_seq_key.sql": migrate07,
	"migrations/0010_owned_marks.sql":        migrate10,
}

// migrate06 makes a seq name one record of an (account, kind) (a repeat,
// from an import of a hand-made snapshot, gets a fresh seq, on its index
// rows too) and packs each record's document with its index pairs (pack),
// reading the pairs through attrs_by_id one last time.
func migrate06(ctx context.Context, tx *sql.Tx) error {
	if err := renumberRepeats(ctx, tx); err != nil {
		return err
	}
	update, err := tx.PrepareContext(ctx, `UPDATE records SET data = ? WHERE rowid = ?`)
	if err != nil {
		return err
	}
	defer update.Close()
	type key struct{ account, kind, id string }
	type rec struct {
		key
		rowid int64
		data  []byte
	}
	// A thousand records at a time in key order, and their index rows in
	// one range of attrs_by_id: no statement reads records while they change.
	var last key
	for {
		rows, err := tx.QueryContext(ctx, `SELECT rowid, account, kind, id, data FROM records WHERE (account, kind, id) > (?, ?, ?) ORDER BY account, kind, id LIMIT 1000`,
			last.account, last.kind, last.id)
		if err != nil {
			return err
		}
		var batch []rec
		for rows.Next() {
			var r rec
			if err := rows.Scan(&r.rowid, &r.account, &r.kind, &r.id, &r.data); err != nil {
				rows.Close()
				return err
			}
			batch = append(batch, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if len(batch) == 0 {
			return nil
		}
		first := batch[0].key
		last = batch[len(batch)-1].key
		pairs := map[key][]store.Attr{}
		rows, err = tx.QueryContext(ctx, `SELECT account, kind, id, name, value FROM attrs INDEXED BY attrs_by_id
			WHERE (account, kind, id) >= (?, ?, ?) AND (account, kind, id) <= (?, ?, ?)`,
			first.account, first.kind, first.id, last.account, last.kind, last.id)
		if err != nil {
			return err
		}
		for rows.Next() {
			var k key
			var a store.Attr
			if err := rows.Scan(&k.account, &k.kind, &k.id, &a.Name, &a.Value); err != nil {
				rows.Close()
				return err
			}
			pairs[k] = append(pairs[k], a)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, r := range batch {
			if _, err := update.ExecContext(ctx, pack(r.data, store.DedupAttrs(pairs[r.key])), r.rowid); err != nil {
				return err
			}
		}
	}
}

// renumberRepeats gives every record but the first of a repeated (account,
// kind, seq) the next seq of the counter, on its index rows too.
func renumberRepeats(ctx context.Context, tx *sql.Tx) error {
	type repeat struct {
		rowid             int64
		account, kind, id string
	}
	var repeats []repeat
	rows, err := tx.QueryContext(ctx, `SELECT r.rowid, r.account, r.kind, r.id FROM records r JOIN (
		SELECT account, kind, seq, min(rowid) AS first FROM records GROUP BY account, kind, seq HAVING count(*) > 1
	) d ON r.account = d.account AND r.kind = d.kind AND r.seq = d.seq AND r.rowid <> d.first ORDER BY r.rowid`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var r repeat
		if err := rows.Scan(&r.rowid, &r.account, &r.kind, &r.id); err != nil {
			rows.Close()
			return err
		}
		repeats = append(repeats, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(repeats) == 0 {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE counters SET n = max(n, (SELECT coalesce(max(seq), 0) FROM records)) WHERE name = 'seq'`); err != nil {
		return err
	}
	for _, r := range repeats {
		var seq int64
		if err := tx.QueryRowContext(ctx, `UPDATE counters SET n = n + 1 WHERE name = 'seq' RETURNING n`).Scan(&seq); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE records SET seq = ? WHERE rowid = ?`, seq, r.rowid); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE attrs SET seq = ? WHERE account = ? AND kind = ? AND id = ?`, seq, r.account, r.kind, r.id); err != nil {
			return err
		}
	}
	return nil
}

// migrate07 makes a seq name one record of the file, as the records
// table's key (0007): every record but the first of a seq repeated across
// kinds or accounts (an import of a hand-made snapshot) gets the next seq
// of the counter, on its index rows too (found by the pairs in its data).
func migrate07(ctx context.Context, tx *sql.Tx) error {
	type repeat struct {
		rowid                 int64
		account, kind, region string
		seq                   int64
		data                  []byte
	}
	var repeats []repeat
	rows, err := tx.QueryContext(ctx, `SELECT r.rowid, r.account, r.kind, r.region, r.seq, r.data FROM records r JOIN (
		SELECT seq, min(rowid) AS first FROM records GROUP BY seq HAVING count(*) > 1
	) d ON r.seq = d.seq AND r.rowid <> d.first ORDER BY r.rowid`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var r repeat
		if err := rows.Scan(&r.rowid, &r.account, &r.kind, &r.region, &r.seq, &r.data); err != nil {
			rows.Close()
			return err
		}
		repeats = append(repeats, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(repeats) == 0 {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE counters SET n = max(n, (SELECT coalesce(max(seq), 0) FROM records)) WHERE name = 'seq'`); err != nil {
		return err
	}
	for _, r := range repeats {
		_, pairs, err := unpack(r.data, true)
		if err != nil {
			return err
		}
		var seq int64
		if err := tx.QueryRowContext(ctx, `UPDATE counters SET n = n + 1 WHERE name = 'seq' RETURNING n`).Scan(&seq); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE records SET seq = ? WHERE rowid = ?`, seq, r.rowid); err != nil {
			return err
		}
		for _, a := range pairs {
			if _, err := tx.ExecContext(ctx, `UPDATE attrs SET seq = ? WHERE account = ? AND kind = ? AND region = ? AND name = ? AND value = ? AND seq = ?`,
				seq, r.account, r.kind, r.region, a.Name, a.Value, r.seq); err != nil {
				return err
			}
		}
	}
	return nil
}

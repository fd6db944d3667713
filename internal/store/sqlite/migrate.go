package sqlite

import (
	"context"
	"database/sql"

	"github.com/ecslocal/ecslocal/internal/store"
)

// migrationSteps are the parts of a migration SQL cannot do, run in its
// transaction before its file.
var migrationSteps = map[string]func(ctx context.Context, tx *sql.Tx) error{
	"migrations/0006_attrs_by_seq.sql": migrate06,
}

// migrate06 makes a seq name one record of an (account, kind) (a repeat,
// from an import of a hand-made snapshot, gets a fresh seq) and packs each
// record's document with its index pairs (pack), reading the pairs through
// attrs_by_id one last time.
func migrate06(ctx context.Context, tx *sql.Tx) error {
	var repeats []int64 // rowids of the records after the first of a seq
	rows, err := tx.QueryContext(ctx, `SELECT r.rowid FROM records r JOIN (
		SELECT account, kind, seq, min(rowid) AS first FROM records GROUP BY account, kind, seq HAVING count(*) > 1
	) d ON r.account = d.account AND r.kind = d.kind AND r.seq = d.seq AND r.rowid <> d.first ORDER BY r.rowid`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		repeats = append(repeats, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if len(repeats) > 0 {
		if _, err := tx.ExecContext(ctx, `UPDATE counters SET n = max(n, (SELECT coalesce(max(seq), 0) FROM records)) WHERE name = 'seq'`); err != nil {
			return err
		}
		for _, id := range repeats {
			if _, err := tx.ExecContext(ctx, `UPDATE records SET seq = (SELECT n + 1 FROM counters WHERE name = 'seq') WHERE rowid = ?`, id); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE counters SET n = n + 1 WHERE name = 'seq'`); err != nil {
				return err
			}
		}
	}

	pairs, err := tx.PrepareContext(ctx, `SELECT name, value FROM attrs INDEXED BY attrs_by_id WHERE account = ? AND kind = ? AND id = ?`)
	if err != nil {
		return err
	}
	defer pairs.Close()
	update, err := tx.PrepareContext(ctx, `UPDATE records SET data = ? WHERE rowid = ?`)
	if err != nil {
		return err
	}
	defer update.Close()
	type rec struct {
		rowid             int64
		account, kind, id string
		data              []byte
	}
	// In batches by rowid: no statement reads records while they change.
	for last := int64(0); ; {
		rows, err := tx.QueryContext(ctx, `SELECT rowid, account, kind, id, data FROM records WHERE rowid > ? ORDER BY rowid LIMIT 1000`, last)
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
		for _, r := range batch {
			attrs, err := readPairs(ctx, pairs, r.account, r.kind, r.id)
			if err != nil {
				return err
			}
			if _, err := update.ExecContext(ctx, pack(r.data, attrs), r.rowid); err != nil {
				return err
			}
		}
		last = batch[len(batch)-1].rowid
	}
}

func readPairs(ctx context.Context, st *sql.Stmt, args ...any) ([]store.Attr, error) {
	rows, err := st.QueryContext(ctx, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []store.Attr
	for rows.Next() {
		var a store.Attr
		if err := rows.Scan(&a.Name, &a.Value); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return store.DedupAttrs(out), rows.Err()
}

package sqlite

import (
	"context"
	"database/sql"
	"strings"

	"github.com/ecslocal/ecslocal/internal/store"
)

// keepCounts brings the file's kept counts to the indexes this build
// keeps them for (store.KeepsCount), once, after the migrations: the table
// uncounted (0009) lists those the file's counts leave out; an index newly
// left out has its count rows removed, one no longer left out has them
// built from its index rows, and the list becomes the build's. At the
// next open the lists agree and nothing is written.
func (db *DB) keepCounts(ctx context.Context) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, `SELECT kind, name FROM uncounted`)
	if err != nil {
		return err
	}
	var was []store.KindIndex
	for rows.Next() {
		var k store.KindIndex
		if err := rows.Scan(&k.Kind, &k.Name); err != nil {
			rows.Close()
			return err
		}
		was = append(was, k)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	drop, recount := store.UncountedChange(was)
	if len(drop) == 0 && len(recount) == 0 {
		return nil
	}
	if err := dropCounts(ctx, tx, drop); err != nil {
		return err
	}
	for _, k := range recount {
		if _, err := tx.ExecContext(ctx, `INSERT INTO counts (account, kind, region, name, value, n)
			SELECT account, kind, region, name, value, COUNT(*) FROM attrs WHERE kind = ? AND name = ? GROUP BY account, kind, region, name, value`, k.Kind, k.Name); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM uncounted`); err != nil {
		return err
	}
	for _, k := range store.Uncounted() {
		if _, err := tx.ExecContext(ctx, `INSERT INTO uncounted (kind, name) VALUES (?, ?)`, k.Kind, k.Name); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// dropCounts removes the count rows of the indexes ks, in one pass over
// the counts.
func dropCounts(ctx context.Context, tx *sql.Tx, ks []store.KindIndex) error {
	if len(ks) == 0 {
		return nil
	}
	args := make([]any, 0, 2*len(ks))
	for _, k := range ks {
		args = append(args, k.Kind, k.Name)
	}
	_, err := tx.ExecContext(ctx, `DELETE FROM counts WHERE name <> '' AND (kind, name) IN (VALUES `+strings.TrimSuffix(strings.Repeat(`(?, ?), `, len(ks)), `, `)+`)`, args...)
	return translate(err)
}

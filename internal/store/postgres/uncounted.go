package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/ecslocal/ecslocal/internal/store"
)

// keepCounts brings the schema's kept counts to the indexes this build
// keeps them for (store.KeepsCount), after the migrations and under their
// lock: the table uncounted (0009) lists those the counts leave out; an
// index newly left out has its count rows removed, one no longer left out
// has them built from its index rows, and the list becomes the build's.
// When the lists agree nothing is written.
func keepCounts(ctx context.Context, conn *pgxpool.Conn) error {
	tx, err := conn.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	rows, err := tx.Query(ctx, `SELECT kind, name FROM uncounted`)
	if err != nil {
		return err
	}
	was, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.KindIndex, error) {
		var k store.KindIndex
		err := r.Scan(&k.Kind, &k.Name)
		return k, err
	})
	if err != nil {
		return err
	}
	drop, recount := store.UncountedChange(was)
	if len(drop) == 0 && len(recount) == 0 {
		return nil
	}
	if err := dropCounts(ctx, tx, drop); err != nil {
		return err
	}
	if len(recount) > 0 {
		kinds, names := kindIndexArrays(recount)
		if _, err := tx.Exec(ctx, `INSERT INTO counts (account, kind, region, name, value, n)
			SELECT a.account, a.kind, a.region, a.name, a.value, count(*) FROM attrs a
			JOIN unnest($1::text[], $2::text[]) AS u (kind, name) ON a.kind = u.kind COLLATE "C" AND a.name = u.name COLLATE "C"
			GROUP BY a.account, a.kind, a.region, a.name, a.value`, kinds, names); err != nil {
			return err
		}
	}
	kinds, names := kindIndexArrays(store.Uncounted())
	if _, err := tx.Exec(ctx, `DELETE FROM uncounted`); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `INSERT INTO uncounted (kind, name) SELECT * FROM unnest($1::text[], $2::text[])`, kinds, names); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

// dropCounts removes the count rows of the indexes ks.
func dropCounts(ctx context.Context, tx interface {
	Exec(context.Context, string, ...any) (pgconn.CommandTag, error)
}, ks []store.KindIndex) error {
	if len(ks) == 0 {
		return nil
	}
	kinds, names := kindIndexArrays(ks)
	_, err := tx.Exec(ctx, `DELETE FROM counts c USING unnest($1::text[], $2::text[]) AS u (kind, name)
		WHERE c.kind = u.kind COLLATE "C" AND c.name = u.name COLLATE "C"`, kinds, names)
	return err
}

// kindIndexArrays is ks as two arrays, never nil (a nil slice is NULL).
func kindIndexArrays(ks []store.KindIndex) (kinds, names []string) {
	kinds, names = make([]string, 0, len(ks)), make([]string, 0, len(ks))
	for _, k := range ks {
		kinds, names = append(kinds, k.Kind), append(names, k.Name)
	}
	return kinds, names
}

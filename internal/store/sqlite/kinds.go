package sqlite

import (
	"context"
)

// A release looks up some thirty kinds that might hold the instance, by an
// index and in every region, and an account holds few of them: each such
// lookup walked the index's regions and found nothing, a third of a
// launch and release. The first query of a transaction that names no region
// reads which kinds the account holds, in one statement; a query of a kind
// it does not hold then answers no records without a statement. The set is
// the transaction's own snapshot, and its own Puts add to it (a kind left
// with no record stays in it: a query of it finds nothing, as before).
//
// The writer keeps each account's set from one group to the next
// (DB.wkinds): a set that holds more kinds than the account does costs a
// lookup, never an answer, and the writer's groups only add to it (a
// rolled-back caller's kind stays, harmlessly). It is dropped when another
// connection commits, or a Reset or an Import ran (pending.go's reload).

// kindsSQL lists the kinds an account has records of, each found by one
// seek of records_by_seq (the smallest kind, then the smallest above it, …).
const kindsSQL = `WITH RECURSIVE k(kind) AS (
	SELECT (SELECT kind FROM records WHERE account = ?1 ORDER BY kind LIMIT 1)
	UNION ALL
	SELECT (SELECT kind FROM records WHERE account = ?1 AND kind > k.kind ORDER BY kind LIMIT 1) FROM k WHERE k.kind IS NOT NULL
) SELECT kind FROM k WHERE kind IS NOT NULL`

// holds tells whether the account may hold a record of kind, reading the
// kinds it holds at the transaction's first query that names no region.
// Before that it answers true: the query runs as it would have.
func (t *tx) holds(ctx context.Context, kind string, regionless bool) (bool, error) {
	t.kindsKept()
	if t.kinds == nil {
		if !regionless {
			return true, nil
		}
		rows, err := t.query(ctx, kindsSQL, t.account)
		if err != nil {
			return false, translate(err)
		}
		defer rows.Close()
		kinds := map[string]bool{}
		for rows.Next() {
			var k string
			if err := rows.Scan(&k); err != nil {
				return false, err
			}
			kinds[k] = true
		}
		if err := rows.Err(); err != nil {
			return false, translate(err)
		}
		t.kinds = kinds
		if t.wkinds != nil {
			t.wkinds[t.account] = kinds
		}
	}
	return t.kinds[kind], nil
}

// kindsKept takes up the writer's kept set for the account, if the
// transaction has none yet.
func (t *tx) kindsKept() {
	if t.kinds == nil && t.wkinds != nil {
		t.kinds = t.wkinds[t.account]
	}
}

// added notes a record of kind this transaction wrote.
func (t *tx) added(kind string) {
	t.kindsKept()
	if t.kinds != nil {
		t.kinds[kind] = true
	}
}

// MayHold implements store.KindHolder: the kinds the account holds, read
// as its first query that names no region would read them. A read that the
// memo may answer (memo.go) is left to its queries: true.
func (t *tx) MayHold(ctx context.Context, kind string) (bool, error) {
	if t.memo != nil {
		return true, nil
	}
	return t.holds(ctx, kind, true)
}

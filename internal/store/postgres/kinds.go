package postgres

import "github.com/jackc/pgx/v5"

// A release looks up some thirty kinds that might hold the instance, and
// an account holds few of them: PostgreSQL ran each lookup and found
// nothing, under the account's lock. A write transaction reads the kinds
// its account holds with its BEGIN, once it holds the lock (no one else
// changes the account's records until it ends), and a query of a kind it
// does not hold answers no records without a statement. Its own Puts add
// to the set; a kind emptied since stays in it (a query of it finds
// nothing, as before), and so does one a member rolled back to its
// savepoint put there.

// kindsSQL lists the kinds an account has records of, each found by one
// index seek (the smallest kind, then the smallest above it, …).
const kindsSQL = `WITH RECURSIVE k(kind) AS (
	(SELECT kind FROM records WHERE account = $1 ORDER BY kind LIMIT 1)
	UNION ALL
	SELECT (SELECT r.kind FROM records r WHERE r.account = $1 AND r.kind > k.kind ORDER BY r.kind LIMIT 1) FROM k WHERE k.kind IS NOT NULL
) SELECT kind FROM k WHERE kind IS NOT NULL`

func scanKinds(br pgx.BatchResults) (map[string]bool, error) {
	rows, err := br.Query()
	if err != nil {
		return nil, err
	}
	kinds := map[string]bool{}
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			rows.Close()
			return nil, err
		}
		kinds[k] = true
	}
	rows.Close()
	return kinds, rows.Err()
}

package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"github.com/ecslocal/ecslocal/internal/store"
)

// The nonces of the calls that arrive while one statement writes nonces
// are written together by the next: one statement and one transaction for
// all of them, as the writes of a group commit share theirs. Every call
// pays for its nonce, and a statement of its own, with a commit and a WAL
// record, cost PostgreSQL more than the read that follows it. A call is
// still answered only after its nonce is in the table, so a nonce replayed
// to any replica is refused as before.

// maxNonces bounds the nonces one statement writes.
const maxNonces = 256

// nonceReq is one UseNonce waiting for its statement.
type nonceReq struct {
	accessKey, nonce string
	seen             int64
	meta             string // the meta key to read along ("" none)
	account          string // the account whose View's first reads go along ("" none)
	done             chan nonceRes
}

// nonceRes is a UseNonce's answer, with the meta value and the account's
// first reads made along.
type nonceRes struct {
	fresh bool
	value []byte
	found bool
	first *seen
	err   error
}

// seen is what a call's nonce statement read for the call's Views of its
// account (store.KeepSeen): what a View's first round trip reads
// (beginReadSQL), as committed after the call arrived. A View of a memo
// pinned at that generation then makes no round trip of its own.
type seen struct {
	gen     int64
	minDue  *int64 // when dueRead
	dueRead bool
	meta    map[string][]byte // the prefetched keys
}

// nonceQueue holds the UseNonce calls waiting while a statement runs;
// running says one does (its caller writes the next ones after it).
type nonceQueue struct {
	waiting []*nonceReq
	running bool
}

// UseNonce implements store.Store. The nonce's row is written in one
// statement with the nonces of the calls waiting with it (above); the
// unique key makes concurrent uses of one nonce, from any replica, insert
// once; a nonce older than the window is taken as fresh again. The
// statement commits without waiting for its WAL flush (synchronous_commit
// off for its transaction alone): the flush was most of its time (3 ms
// against 0.3 ms). Only a crash of PostgreSQL itself (not of ecslocal) can
// lose what it wrote, the last fraction of a second of nonces, so that a
// request signed just then could be replayed once after the database
// restarts; state changes stay synchronous.
//
// With a meta key to read along (store.AlongNonce: the fault check's) the
// same statement reads its committed value, one round trip for both.
func (db *DB) UseNonce(ctx context.Context, accessKeyID, nonce string, now time.Time) (bool, error) {
	req := &nonceReq{accessKey: accessKeyID, nonce: nonce, seen: now.UnixNano(), done: make(chan nonceRes, 1)}
	key, keep, along := store.NonceMeta(ctx)
	if along {
		req.meta = key
		if account, ok := store.NonceAccount(ctx); ok && account != "" && db.memos.on() {
			req.account = account
		}
	}
	db.noncesMu.Lock()
	db.nonces.waiting = append(db.nonces.waiting, req)
	lead := !db.nonces.running
	db.nonces.running = true
	db.noncesMu.Unlock()
	if lead {
		db.writeNonces(context.WithoutCancel(ctx))
	}
	res := <-req.done
	if res.err != nil {
		return false, res.err
	}
	if along {
		keep(res.value, res.found)
		if res.first != nil {
			store.KeepSeen(ctx, res.first)
		}
	}
	return res.fresh, nil
}

// writeNonces writes the waiting nonces, a statement at a time, until none
// waits. The caller's own nonce is in the first statement: it leaves the
// statements after it to a goroutine of their own, so that no caller waits
// for others' nonces after its own is written.
func (db *DB) writeNonces(ctx context.Context) {
	db.noncesMu.Lock()
	n := min(len(db.nonces.waiting), maxNonces)
	if n == 0 {
		db.nonces.running = false
		db.noncesMu.Unlock()
		return
	}
	batch := db.nonces.waiting[:n:n]
	db.nonces.waiting = db.nonces.waiting[n:]
	db.noncesMu.Unlock()
	db.writeNonceBatch(ctx, batch)
	db.noncesMu.Lock()
	more := len(db.nonces.waiting) > 0
	if !more {
		db.nonces.running = false
	}
	db.noncesMu.Unlock()
	if more {
		go db.writeNonces(ctx)
	}
}

// nonceBatchSQL writes the nonces $1 (a JSON list of their access keys,
// nonces and times seen, Unix nanoseconds), a row already there taking the
// new time when it is older than the window ($2 nanoseconds), and answers
// the rows written (fresh), the meta values of the keys $3 read along, and
// the generation and, with $5, the earliest due time of each account $4.
// One statement sees one snapshot, taken after every call of the batch
// arrived.
//
// The lists are JSON, whose length the planner does not read: with
// arrays, each execution's plan knew how many nonces, keys and accounts it
// had, priced lower than the generic plan's guess of ten, and PostgreSQL
// planned the statement anew every time (a custom plan), some 0.3 ms of
// a busy server's time each, once per batch of nonces.
const nonceBatchSQL = `WITH async AS (
	SELECT set_config('synchronous_commit', 'off', true)
), written AS (
	INSERT INTO nonces AS n (access_key, nonce, seen)
	SELECT u.k, u.n, u.s FROM jsonb_to_recordset($1::jsonb) AS u (k text, n text, s bigint), async
	ON CONFLICT (access_key, nonce) DO UPDATE SET seen = excluded.seen WHERE n.seen < excluded.seen - $2::bigint
	RETURNING n.access_key, n.nonce
)
SELECT 0, access_key, nonce, NULL::bytea, NULL::bigint, NULL::bigint FROM written
UNION ALL SELECT 1, key, NULL, value, NULL, NULL FROM meta WHERE key IN (SELECT jsonb_array_elements_text($3::jsonb))
UNION ALL SELECT 2, a.account, NULL, NULL,
	COALESCE((SELECT gen FROM generations g WHERE g.account = a.account), 0),
	CASE WHEN $5::bool THEN (SELECT min(due) FROM records r WHERE r.account = a.account AND r.due IS NOT NULL) END
	FROM jsonb_array_elements_text($4::jsonb) AS a (account)`

// genericPlanSQL goes before nonceBatchSQL in the same implicit
// transaction (one batch, one Sync), so that the statement is bound to its
// generic plan, planned once per connection. Left to choose, PostgreSQL
// compares the generic plan's cost with the average of the custom plans
// made so far; while the tables grow (a new store, or churn leaving dead
// rows behind), that average lags, and some connections planned the
// statement anew at every call, some 0.2 ms of PostgreSQL's time each.
// The setting is the transaction's (set_config's true): it ends with it.
const genericPlanSQL = `SELECT set_config('plan_cache_mode', 'force_generic_plan', true)`

// nonceRow is one nonce of nonceBatchSQL's $1.
type nonceRow struct {
	AccessKey string `json:"k"`
	Nonce     string `json:"n"`
	Seen      int64  `json:"s"`
}

type nonceKey struct{ accessKey, nonce string }

// errNonceText answers a nonce or access key PostgreSQL cannot store.
var errNonceText = errors.New("postgres store: nonce or access key is not UTF-8 text without NUL")

// pgText says whether PostgreSQL stores s as text unchanged.
func pgText(s string) bool {
	return utf8.ValidString(s) && !strings.ContainsRune(s, 0)
}

// writeNonceBatch writes one statement's nonces and answers each call. A
// nonce twice in one batch is written once: the second use is a replay.
func (db *DB) writeNonceBatch(ctx context.Context, batch []*nonceReq) {
	// Text PostgreSQL refuses (not UTF-8, or a NUL) failed the whole
	// statement when it went as an array; in a JSON list it would be
	// changed on the way. Its call alone is refused.
	valid := batch[:0:0]
	for _, r := range batch {
		if !pgText(r.accessKey) || !pgText(r.nonce) {
			r.done <- nonceRes{err: errNonceText}
			continue
		}
		valid = append(valid, r)
	}
	if batch = valid; len(batch) == 0 {
		return
	}
	first := make(map[nonceKey]*nonceReq, len(batch))
	var metaKeys, accounts []string
	written := make([]nonceRow, 0, len(batch))
	for _, r := range batch {
		k := nonceKey{r.accessKey, r.nonce}
		if _, dup := first[k]; !dup {
			first[k] = r
			written = append(written, nonceRow{r.accessKey, r.nonce, r.seen})
		}
		if r.meta != "" && !slices.Contains(metaKeys, r.meta) {
			metaKeys = append(metaKeys, r.meta)
		}
		if r.account != "" && !slices.Contains(accounts, r.account) {
			accounts = append(accounts, r.account)
		}
	}
	if len(accounts) > 0 {
		for _, k := range prefetched {
			if !slices.Contains(metaKeys, k) {
				metaKeys = append(metaKeys, k)
			}
		}
	}
	checkDue := db.hooks.BeforeUpdate != nil
	fresh := map[nonceKey]bool{}
	values := map[string][]byte{}
	firsts := map[string]*seen{}
	list, err := json.Marshal(written)
	if err != nil {
		for _, r := range batch {
			r.done <- nonceRes{err: err}
		}
		return
	}
	b := &pgx.Batch{}
	b.Queue(genericPlanSQL)
	b.Queue(nonceBatchSQL, list, int64(store.NonceWindow), jsonList(metaKeys), jsonList(accounts), checkDue)
	br := db.pool.SendBatch(ctx, b)
	var rows pgx.Rows
	if _, err = br.Exec(); err == nil {
		rows, err = br.Query()
	}
	if err == nil {
		for rows.Next() {
			var part int
			var a, n *string
			var v []byte
			var gen, due *int64
			if err = rows.Scan(&part, &a, &n, &v, &gen, &due); err != nil {
				break
			}
			switch {
			case part == 0 && a != nil && n != nil:
				fresh[nonceKey{*a, *n}] = true
			case part == 1 && a != nil:
				values[*a] = v
			case part == 2 && a != nil && gen != nil:
				firsts[*a] = &seen{gen: *gen, minDue: due, dueRead: checkDue}
			}
		}
		rows.Close()
		if err == nil {
			err = rows.Err()
		}
	}
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	err = translate(err)
	for _, r := range batch {
		res := nonceRes{err: err}
		if err == nil {
			k := nonceKey{r.accessKey, r.nonce}
			res.fresh = fresh[k] && first[k] == r
			res.value, res.found = values[r.meta]
			if res.found {
				res.value = append([]byte{}, res.value...)
			}
			if f := firsts[r.account]; f != nil && r.account != "" {
				// Each call its own meta values: a View keeps them as its own.
				own := *f
				own.meta = make(map[string][]byte, len(prefetched))
				for _, key := range prefetched {
					if v, ok := values[key]; ok {
						own.meta[key] = v
					}
				}
				res.first = &own
			}
		}
		r.done <- res
	}
	// Forget old nonces now and then: once per hundred nonces written,
	// whatever the nonces look like (some clients send digits only).
	n := int64(len(batch))
	if after := db.noncesWritten.Add(n); after/100 != (after-n)/100 {
		db.pool.Exec(ctx, `DELETE FROM nonces WHERE seen < $1`, batch[0].seen-int64(store.NonceWindow))
	}
}

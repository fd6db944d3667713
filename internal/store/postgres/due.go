package postgres

import (
	"context"
	"sort"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/ecslocal/ecslocal/internal/store"
)

// Due events read ahead. Every member of a group (group.go) applies the
// events due at its own time first, and at 16 writers of one account
// something fell due between two members nearly every time: a Due
// statement per member, a round trip under the account's lock. The group's
// BEGIN now reads the account's due records whole (dueAheadSQL, in the
// same round trip), not only the earliest due time; while there are fewer
// than dueAheadRows the transaction then knows every record of its
// account with a due time, keeps that knowledge through its own writes (a
// Put with a due time adds the record, one without or a Delete takes it
// out), and Due answers from it: the records due by then in the order of
// their due time and seq, as the statement would. Nobody else changes the
// account's records while the transaction holds its lock, so what it read
// stays current; the rows are not locked FOR UPDATE (every writer of
// records takes the account's lock, or the state's exclusive one).

// dueAheadRows bounds the due records a group's BEGIN reads: with more,
// Due asks PostgreSQL as before.
const dueAheadRows = 64

// dueAheadSQL reads the due records of account $1, earliest first, at most
// $2 of them; none when the account is at generation $3, whose memo knows
// them (writemo.go).
const dueAheadSQL = `SELECT kind, id, region, seq, due, data FROM records WHERE account = $1 AND due IS NOT NULL
	AND COALESCE((SELECT gen FROM generations WHERE account = $1), 0) <> $3 ORDER BY due, seq LIMIT $2`

// scanDueAhead reads dueAheadSQL's answer into what the transaction knows,
// and answers the earliest due time (nil: none).
func (t *tx) scanDueAhead(br pgx.BatchResults) (*int64, error) {
	recs, err := scanRecords(br)
	if err != nil {
		return nil, err
	}
	t.dues = make(map[recKey]bool, len(recs))
	for _, r := range recs {
		k := recKey{r.Kind, r.ID}
		t.note(k, known{rec: r, present: true, full: true})
		t.dues[k] = true
	}
	t.dueAll = t.locked && len(recs) < dueAheadRows
	if len(recs) == 0 {
		return nil, nil
	}
	first := recs[0].Due.UnixNano()
	return &first, nil
}

// dueKnown answers Due from what the transaction knows (dueAll); ok false
// when a record due lacks its seq still (its write's answer lost to a
// member's rollback): the caller asks PostgreSQL.
func (t *tx) dueKnown(ctx context.Context, at time.Time, limit int) (out []store.Record, ok bool, err error) {
	atN := at.UnixNano()
	for sent := false; ; sent = true {
		out, ok = out[:0], true
		for k := range t.dues {
			c := t.recs[k]
			if !c.present || c.rec.Due.IsZero() || c.rec.Due.UnixNano() > atN {
				continue
			}
			if !c.full {
				ok = false
				break
			}
			out = append(out, c.rec)
		}
		if ok || sent || t.idle() {
			break
		}
		// A record due whose write waits in the queue: its seq comes
		// with its statement's answer.
		if err := t.send(ctx, &pgx.Batch{}, nil); err != nil {
			return nil, false, err
		}
	}
	if !ok {
		return nil, false, nil
	}
	sort.Slice(out, func(i, j int) bool {
		if a, b := out[i].Due.UnixNano(), out[j].Due.UnixNano(); a != b {
			return a < b
		}
		return out[i].Seq < out[j].Seq
	})
	if len(out) > limit {
		out = out[:limit]
	}
	for i := range out {
		out[i].Data = append([]byte(nil), out[i].Data...)
	}
	return out, true, nil
}

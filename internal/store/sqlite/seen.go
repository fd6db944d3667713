package sqlite

import (
	"database/sql"
	"time"

	"github.com/ecslocal/ecslocal/internal/store"
)

// A writer's caller mostly writes records it has just read (by Get, Due or
// a page of a Query) or written itself: Put takes the version it replaces
// (its seq, region, due and index pairs) from what the caller's transaction
// saw of it, instead of a SELECT, and so does a Get of a record the caller
// saw. This is current by construction: the writer runs one caller at a
// time, a caller's transaction (tx) ends with it, and every write of a
// record in it goes through Put or Delete, which note what they left.

// recKey names a record of the transaction's account.
type recKey struct{ kind, id string }

// seenRec is what a write transaction knows of a record: found false is
// known missing; otherwise its row's columns, the data column still packed.
type seenRec struct {
	found  bool
	region string
	seq    int64
	due    sql.NullInt64
	data   []byte
	pend   int64 // the version of a pending record (pending.go); 0 once indexed
}

// saw notes a record version in a writer caller's transaction (nothing in
// a read: t.late is set only on the writer).
func (t *tx) saw(kind, id string, s seenRec) {
	if t.late == nil {
		return
	}
	if t.seen == nil {
		t.seen = make(map[recKey]seenRec)
	}
	t.seen[recKey{kind, id}] = s
}

// seenRow notes a record read from a row: its packed data column.
func (t *tx) seenRow(kind, id, region string, seq int64, due sql.NullInt64, data []byte, pend int64) {
	if t.late != nil {
		t.saw(kind, id, seenRec{found: true, region: region, seq: seq, due: due, data: data, pend: pend})
	}
}

// recallSeen answers what the transaction knows of a record, if anything.
func (t *tx) recallSeen(kind, id string) (seenRec, bool) {
	s, ok := t.seen[recKey{kind, id}]
	return s, ok
}

// record is the record s is a version of, its document unpacked.
func (s seenRec) record(kind, id string) (store.Record, error) {
	r := store.Record{Kind: kind, ID: id, Region: s.region, Seq: s.seq}
	var err error
	if r.Data, _, err = unpack(s.data, false); err != nil {
		return store.Record{}, err
	}
	if s.due.Valid {
		r.Due = time.Unix(0, s.due.Int64).UTC()
	}
	return r, nil
}

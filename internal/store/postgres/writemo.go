package postgres

import (
	"bytes"

	"github.com/ecslocal/ecslocal/internal/store"
)

// The memo answers write transactions too. A group's BEGIN reads the
// account's generation with its locks: at the generation a memo is of,
// the account's records are as the memo's answers were read, and they
// stay so while the transaction holds the account's lock (every writer of
// the account's records takes it; Reset and Import take the state's lock
// exclusive). So a Get or Prefetch of a record the transaction has not
// written is answered from the memo, and a Query of a kind it has not
// written; what it reads from PostgreSQL, with its own writes in view, is
// not kept there. After its COMMIT, which sets the account's generation
// anew (generationSQL answers it), what the transaction knows of its
// account's records is exact at that generation, whatever it read or
// wrote: the records it read or wrote (recs, with their seq) and, when it
// knows them whole, those with a due time. That becomes the memo of the
// new generation (carry), and the account's next group, on this replica,
// reads the generation with its BEGIN: unchanged, it starts from what the
// group before it knew (the launch's vSwitch, groups, image, disk
// defaults; the due records, which its BEGIN then does not read again).
// A write of another replica in between moves the generation, and the
// next group reads everything from PostgreSQL as before.

// carryAnswers bounds the answers a COMMIT copies from the memo of the
// generation before.
const carryAnswers = 1024

// recall answers a Get of k from the memo's answer a, and notes it as
// what the transaction knows of k.
func (t *tx) recall(k recKey, a store.GetAnswer) (store.Record, error) {
	if a.Err != nil {
		t.note(k, known{})
		return store.Record{}, a.Err
	}
	t.note(k, known{rec: a.R, present: true, full: true})
	r := a.R
	r.Data = bytes.Clone(r.Data)
	return r, nil
}

// wroteKind notes that the transaction wrote a record of kind.
func (t *tx) wroteKind(kind string) {
	if t.wroteKinds == nil {
		t.wroteKinds = map[string]bool{}
	}
	t.wroteKinds[kind] = true
}

// aheadGen is the generation at which a group's BEGIN need not read the
// account's due records (dueAheadSQL's $3): m's, when m knows them; -1
// for none.
func aheadGen(m *memo) int64 {
	if m == nil || !m.duesKnown {
		return -1
	}
	return m.gen
}

// fromMemo starts a group's transaction from m when its BEGIN read m's
// generation: the memo answers its reads, and its due records are m's
// when the BEGIN left them to it.
func (t *tx) fromMemo(m *memo) {
	if m == nil || t.gen != m.gen {
		return
	}
	t.memo = m
	if t.aheadGen != m.gen {
		return
	}
	t.dues, t.dueAll, t.minDue = make(map[recKey]bool, len(m.dues)), true, nil
	for _, k := range m.dues {
		a, ok := m.Get(store.GetKey(t.account, k.kind, k.id))
		if !ok {
			// Never so (carry keeps the due records first, and a memo
			// drops nothing), but then Due asks PostgreSQL.
			t.dues, t.dueAll, t.dueRead, t.minDue = nil, false, false, nil
			return
		}
		r, _ := t.recall(k, a.(store.GetAnswer))
		t.dues[k] = true
		if due := r.Due.UnixNano(); t.minDue == nil || due < *t.minDue {
			t.minDue = &due
		}
	}
	t.keepLowDue()
}

// carry makes what a committed group's transaction knows of its account
// the memo of the generation its COMMIT set.
func (db *DB) carry(t *tx) {
	if t.newGen == 0 || !db.memos.on() {
		return
	}
	m := &memo{Answers: store.NewAnswers(memoBytes), gen: t.newGen}
	keepRec := func(k recKey, c known) bool {
		key := store.GetKey(t.account, k.kind, k.id)
		switch {
		case !c.present && c.gone:
			// Deleted: read again seldom, and kept from one memo to the
			// next they would pile up.
		case !c.present:
			m.Put(key, store.GetAnswer{Err: store.ErrNotFound}, 0)
		case c.full:
			r := c.rec
			if c.w != 0 {
				// Its document is the writer's: the memo keeps its own.
				r.Data, r.Decoded = bytes.Clone(r.Data), nil
			}
			r = keep(r)
			m.Put(key, store.GetAnswer{R: r}, recordCost(r))
		default:
			return false // its seq is not known
		}
		_, kept := m.Get(key)
		return kept
	}
	// The due records first, so that a full memo still knows them whole.
	if t.dueAll {
		m.duesKnown = true
		for k := range t.dues {
			c := t.recs[k]
			m.dues = append(m.dues, k)
			if !c.present || !keepRec(k, c) {
				m.dues, m.duesKnown = nil, false
				break
			}
		}
	}
	for k, c := range t.recs {
		if !m.duesKnown || !t.dues[k] {
			keepRec(k, c)
		}
	}
	if t.memo != nil {
		// The answers of the generation before that the transaction's
		// writes left as they were: records it did not write, queries of
		// kinds it did not write; at most carryAnswers of them, so that
		// a COMMIT does not copy a full memo.
		n := 0
		t.memo.Range(func(key string, v any) bool {
			call, kind, id, ok := store.KeyKind(key)
			switch {
			case !ok:
			case call == 'g':
				if _, known := t.recs[recKey{kind, id}]; !known {
					m.Put(key, v, answerCost(v))
					n++
				}
			case !t.wroteKinds[kind]:
				m.Put(key, v, answerCost(v))
				n++
			}
			return n < carryAnswers
		})
	}
	db.memos.install(t.account, m)
}

// answerCost estimates what a kept answer holds, as it was counted when
// it was kept.
func answerCost(v any) int64 {
	switch a := v.(type) {
	case store.GetAnswer:
		if a.Err != nil {
			return 0
		}
		return recordCost(a.R)
	case store.Page:
		n := int64(0)
		for _, r := range a.Records {
			n += recordCost(r)
		}
		return n
	}
	return 0
}

package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

// Answers is what read transactions answered at one generation of a
// store's state (a backend says what a generation is and when a
// transaction's snapshot is at it): the answers kept by the call and its
// arguments (a MemoKey), each handed to every later reader at that
// generation. Records kept are shared, Data and Decoded with them, so
// their readers must not change them (CheckValues finds one that did).
type Answers struct {
	max  int64
	Hits atomic.Int64 // answers given (tests)

	mu   sync.RWMutex
	size int64
	m    map[string]any
}

// NewAnswers answers an empty memo that keeps at most max estimated bytes:
// a full one keeps what it has.
func NewAnswers(max int64) *Answers {
	return &Answers{max: max, m: map[string]any{}}
}

// answerCost is the fixed cost counted per kept answer.
const answerCost = 128

// Get answers the kept answer of key.
func (a *Answers) Get(key string) (any, bool) {
	a.mu.RLock()
	v, ok := a.m[key]
	a.mu.RUnlock()
	return v, ok
}

// Put keeps an answer of estimated cost bytes, unless the memo is full.
func (a *Answers) Put(key string, v any, cost int64) {
	cost += int64(len(key)) + answerCost
	a.mu.Lock()
	defer a.mu.Unlock()
	if _, ok := a.m[key]; ok || a.size+cost > a.max {
		return
	}
	a.m[key] = v
	a.size += cost
}

// Bytes is the estimated size of what is kept.
func (a *Answers) Bytes() int64 {
	a.mu.RLock()
	defer a.mu.RUnlock()
	return a.size
}

// Check reports every kept record whose decoded value no longer encodes
// to its document: a reader changed a shared value in place.
func (a *Answers) Check(backend string) error {
	if a == nil {
		return nil
	}
	a.mu.RLock()
	defer a.mu.RUnlock()
	var errs []error
	checkRecord := func(r Record) {
		if r.Decoded == nil {
			return
		}
		v := r.Decoded.Load()
		if v == nil {
			return
		}
		data, err := json.Marshal(v)
		if err != nil || !SameDocument(data, r.Data) {
			errs = append(errs, fmt.Errorf("%s: the remembered %s %s was changed in place", backend, r.Kind, r.ID))
		}
	}
	for _, v := range a.m {
		switch a := v.(type) {
		case GetAnswer:
			checkRecord(a.R)
		case Page:
			for _, r := range a.Records {
				checkRecord(r)
			}
		}
	}
	return errors.Join(errs...)
}

// GetAnswer is a kept Get: the record, or ErrNotFound.
type GetAnswer struct {
	R   Record
	Err error
}

// MemoKey builds the key of a call: its letter, then each argument with
// its length, so no two argument lists give one key.
type MemoKey []byte

// NewMemoKey starts the key of call (a letter) by account.
func NewMemoKey(call byte, account string) MemoKey {
	return MemoKey{call}.Str(account)
}

// Str adds a string.
func (k MemoKey) Str(s string) MemoKey {
	k = strconv.AppendInt(k, int64(len(s)), 10)
	k = append(k, ':')
	return append(k, s...)
}

// Int adds a number.
func (k MemoKey) Int(n int64) MemoKey {
	k = strconv.AppendInt(k, n, 10)
	return append(k, ';')
}

// Strs adds a list, telling nil from empty (Query.IDs does).
func (k MemoKey) Strs(ss []string) MemoKey {
	if ss == nil {
		return append(k, 'n')
	}
	k = k.Int(int64(len(ss)))
	for _, s := range ss {
		k = k.Str(s)
	}
	return k
}

// QueryKey is the key of a Query of account's records. It is built on the
// stack and copied once: a page's ENI query names ten ids, and growing
// the key from nothing took six allocations a call.
func QueryKey(account string, q Query) string {
	var buf [512]byte
	k := append(MemoKey(buf[:0]), 'q').Str(account).Str(q.Kind).Str(q.Region).Strs(q.IDs).Int(int64(len(q.Filters)))
	for _, f := range q.Filters {
		k = k.Str(f.Name).Strs(f.Values)
		if f.Not {
			k = append(k, '!')
		}
	}
	k = k.Int(q.AfterSeq).Int(int64(q.Offset)).Int(int64(q.Limit))
	if q.Count {
		k = append(k, 'c')
	}
	return string(k)
}

// GetKey is the key of a Get of account's record.
func GetKey(account, kind, id string) string {
	var buf [128]byte
	return string(append(MemoKey(buf[:0]), 'g').Str(account).Str(kind).Str(id))
}

// Range calls fn with every kept answer, while fn answers true.
func (a *Answers) Range(fn func(key string, v any) bool) {
	a.mu.RLock()
	defer a.mu.RUnlock()
	for k, v := range a.m {
		if !fn(k, v) {
			return
		}
	}
}

// KeyKind reads back what a GetKey or QueryKey names: the call's letter,
// the kind and, for a Get, the id (ok false for any other key).
func KeyKind(key string) (call byte, kind, id string, ok bool) {
	if key == "" {
		return 0, "", "", false
	}
	call, rest := key[0], key[1:]
	next := func() (string, bool) {
		i := strings.IndexByte(rest, ':')
		if i < 0 {
			return "", false
		}
		n, err := strconv.Atoi(rest[:i])
		if err != nil || n < 0 || i+1+n > len(rest) {
			return "", false
		}
		s := rest[i+1 : i+1+n]
		rest = rest[i+1+n:]
		return s, true
	}
	if _, ok := next(); !ok { // the account
		return 0, "", "", false
	}
	if kind, ok = next(); !ok {
		return 0, "", "", false
	}
	if call == 'g' {
		if id, ok = next(); !ok || rest != "" {
			return 0, "", "", false
		}
	}
	return call, kind, id, call == 'g' || call == 'q'
}

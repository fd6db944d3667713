package sqlite

import (
	"bytes"
	"container/list"
	"encoding/json"
	"errors"
	"fmt"
	"sync"

	"github.com/ecslocal/ecslocal/internal/store"
)

// decodedCacheBytes bounds the decoded-record cache (estimated bytes, see
// decodedPerByte): 1 000 instances with their ENIs take about 4 MiB, and
// at a million stored instances the cache stays a small share of the
// 150 MiB resident budget (16 MiB raised the resident set at 100 000 by
// some 30 MB under random reads, for no more calls per second).
const decodedCacheBytes = 8 << 20

// decodedOverhead estimates, per byte of JSON, what a kept version costs:
// its bytes and its decoded Go value (strings, slices and maps take about
// twice the document), plus a fixed cost for the entry itself.
const (
	decodedPerByte = 3
	decodedEntry   = 256
)

// decodedCache keeps, per (account, kind, id), the bytes of the version of
// a record last read and its store.Decoded, so that reads of an unchanged
// record decode it once (store.Decoded), as the memory store does. A row
// read gets the kept Decoded only when its bytes equal the kept bytes: a
// cache that is never told of writes (another process may write the file)
// cannot hand out a stale value. Bounded by the estimated bytes it holds,
// least recently used out first.
type decodedCache struct {
	max int64

	mu   sync.Mutex
	size int64
	byID map[cacheKey]*list.Element // of *cacheEntry
	lru  list.List                  // front: most recently used
}

type cacheKey struct{ account, kind, id string }

type cacheEntry struct {
	key  cacheKey
	data []byte
	dec  *store.Decoded
	cost int64
}

func newDecodedCache(maxBytes int64) *decodedCache {
	return &decodedCache{max: maxBytes, byID: map[cacheKey]*list.Element{}}
}

// decoded answers the Decoded of the version of (account, kind, id) whose
// document is data: the kept one when data is the kept version's, else a
// new one that replaces it. nil (no sharing) for a nil cache or a document
// too large to keep.
func (c *decodedCache) decoded(account, kind, id string, data []byte) *store.Decoded {
	if c == nil {
		return nil
	}
	cost := int64(len(data))*decodedPerByte + decodedEntry
	if cost > c.max/16 {
		return nil
	}
	k := cacheKey{account, kind, id}
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.byID[k]; ok {
		e := el.Value.(*cacheEntry)
		if bytes.Equal(e.data, data) {
			c.lru.MoveToFront(el)
			return e.dec
		}
		c.removeLocked(el)
	}
	// The kept bytes are a copy: the row's slice belongs to the caller.
	e := &cacheEntry{key: k, data: bytes.Clone(data), dec: new(store.Decoded), cost: cost}
	c.byID[k] = c.lru.PushFront(e)
	c.size += cost
	for c.size > c.max {
		c.removeLocked(c.lru.Back())
	}
	return e.dec
}

func (c *decodedCache) removeLocked(el *list.Element) {
	e := c.lru.Remove(el).(*cacheEntry)
	delete(c.byID, e.key)
	c.size -= e.cost
}

// len and bytes report the cache's occupancy (tests).
func (c *decodedCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.byID)
}

func (c *decodedCache) bytes() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.size
}

// check reports every kept decoded value that no longer encodes to the
// bytes it was decoded from: a reader of a shared value (store.FindShared)
// changed it in place.
func (c *decodedCache) check() error {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	var errs []error
	for el := c.lru.Front(); el != nil; el = el.Next() {
		e := el.Value.(*cacheEntry)
		v := e.dec.Load()
		if v == nil {
			continue
		}
		data, err := json.Marshal(v)
		if err != nil || !store.SameDocument(data, e.data) {
			errs = append(errs, fmt.Errorf("sqlite: the kept decoded %s %s of account %q was changed in place", e.key.kind, e.key.id, e.key.account))
		}
	}
	return errors.Join(errs...)
}

// CheckValues reports every kept decoded record, in the cache or the read
// memo, that was changed in place after it was kept (see
// memory.DB.CheckValues); ecslocaltest runs it when each server closes.
func (db *DB) CheckValues() error {
	return errors.Join(db.cache.check(), db.memos.last.Load().check())
}

// keep gives a record read from a row the Decoded of its version.
func (t *tx) keep(r *store.Record) {
	r.Decoded = t.cache.decoded(t.account, r.Kind, r.ID, r.Data)
}

package ecs

import (
	"bytes"
	"sync"

	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/store"
)

// itemCacheBytes bounds what the item cache holds: an entry is an
// instance's document, its ENIs' and its written item, some 5 KB, so a
// few hundred pages of ten.
const itemCacheBytes = 4 << 20

// itemCache keeps the JSON of DescribeInstances items: the item of an
// instance is a function of its document and its ENIs' alone (the
// dedicated host's name aside, which is not cached), and writing it was
// half of what the server did for a page of ten. An entry holds copies of
// the documents it was written from and answers only a caller whose
// documents are byte for byte the same, so no change of either can be
// missed, whichever store, memo or decoded cache the documents came from.
type itemCache struct {
	mu      sync.Mutex
	entries map[itemID]*itemEntry
	size    int // bytes held by entries
	// seen are the instances whose items were written once and not kept:
	// an item is kept the second time it is written, so that a walk
	// through many instances, each read once (a million, probed at
	// random), neither fills the cache nor churns the heap.
	seen map[itemID]struct{}
}

// maxSeen bounds seen; past it seen starts again empty.
const maxSeen = 8192

// itemID names an entry: the account and the instance.
type itemID struct{ account, instance string }

// itemEntry is one instance's written item and the documents it is of.
type itemEntry struct {
	instance []byte
	enis     [][]byte
	json     []byte
}

func (e *itemEntry) cost() int {
	n := len(e.instance) + len(e.json)
	for _, d := range e.enis {
		n += len(d)
	}
	return n
}

// matches tells whether e was written from these documents.
func (e *itemEntry) matches(instance []byte, enis [][]byte) bool {
	if !bytes.Equal(e.instance, instance) || len(e.enis) != len(enis) {
		return false
	}
	for n := range enis {
		if !bytes.Equal(e.enis[n], enis[n]) {
			return false
		}
	}
	return true
}

// lookup answers the JSON written from these documents, or nil and
// whether the item, once written, is to be kept (its second writing).
func (c *itemCache) lookup(id itemID, instance []byte, enis [][]byte) (json []byte, admit bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e := c.entries[id]; e != nil {
		if e.matches(instance, enis) {
			return e.json, false
		}
		return nil, true // a changed instance the cache held
	}
	if _, ok := c.seen[id]; ok {
		delete(c.seen, id)
		return nil, true
	}
	if c.seen == nil || len(c.seen) >= maxSeen {
		c.seen = map[itemID]struct{}{}
	}
	c.seen[id] = struct{}{}
	return nil, false
}

// keep records json as the item written from these documents, copying
// them all, and drops entries at random past the bound.
func (c *itemCache) keep(id itemID, instance []byte, enis [][]byte, json []byte) {
	e := &itemEntry{instance: bytes.Clone(instance), enis: make([][]byte, len(enis)), json: bytes.Clone(json)}
	for n, d := range enis {
		e.enis[n] = bytes.Clone(d)
	}
	cost := e.cost()
	if cost > itemCacheBytes/16 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil {
		c.entries = map[itemID]*itemEntry{}
	}
	if old := c.entries[id]; old != nil {
		c.size -= old.cost()
	}
	for k, old := range c.entries { // a map's walk starts anywhere
		if c.size+cost <= itemCacheBytes {
			break
		}
		if k != id {
			c.size -= old.cost()
			delete(c.entries, k)
		}
	}
	c.entries[id] = e
	c.size += cost
}

// cachedItems makes the items of a page of instances (list, their records
// recs) with their direct ENIs (enis, their records eniRecs), as
// instanceItems does, taking each from the cache where its documents are
// the ones it was written from. An item from the cache carries only its
// JSON (InstanceItem.written); the others carry where to keep theirs once
// written (InstanceItem.keep).
func (c *itemCache) cachedItems(account string, list []cloud.Instance, recs []store.Record, enis []cloud.ENI, eniRecs []store.Record) []InstanceItem {
	own := ownENIs(list, enis)
	out := make([]InstanceItem, len(list))
	docs := make([][]byte, 0, len(enis))
	var miss []int
	var admit []bool
	for n := range list {
		docs = docs[:0]
		for _, k := range own[n] {
			docs = append(docs, eniRecs[k].Data)
		}
		id := itemID{account, list[n].ID}
		keep := false
		if list[n].DedicatedHostID == "" {
			var json []byte
			if json, keep = c.lookup(id, recs[n].Data, docs); json != nil {
				out[n].written = json
				continue
			}
		}
		miss, admit = append(miss, n), append(admit, keep)
	}
	if len(miss) == 0 {
		return out
	}
	built := instanceItems(list, enis)
	for m, n := range miss {
		out[n] = built[n]
		if !admit[m] {
			continue // written once, or on a dedicated host, whose name is read apart (hostAttributes)
		}
		d := make([][]byte, len(own[n]))
		for j, k := range own[n] {
			d[j] = eniRecs[k].Data
		}
		out[n].keep = &itemKeep{cache: c, id: itemID{account, list[n].ID}, instance: recs[n].Data, enis: d}
	}
	return out
}

// itemKeep is where an item's JSON goes once written (AppendJSON).
type itemKeep struct {
	cache    *itemCache
	id       itemID
	instance []byte
	enis     [][]byte
}

package ecs

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/store"
)

// TestItemCacheNeverStale: a page of DescribeInstances written through the
// item cache is, byte for byte, the page written without it, over rounds
// that change instances and ENIs at random between pages (names, statuses,
// times, addresses, ENIs attached, moved, detached, made trunk members,
// secondary addresses, device indexes, a dedicated host) and one cache
// kept across all of them; each page is written twice, the second time
// mostly from the cache.
func TestItemCacheNeverStale(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 8))
	instances := make([]cloud.Instance, 12)
	for n := range instances {
		instances[n] = cloud.Instance{ID: fmt.Sprintf("i-%d", n), Region: "cn-hangzhou", CPU: 2, Status: cloud.StatusRunning}
		randomItemParts(rng, &instances[n])
	}
	enis := make([]cloud.ENI, 20)
	for k := range enis {
		enis[k] = cloud.ENI{ID: fmt.Sprintf("eni-%d", k), MAC: fmt.Sprint(k), PrivateIP: fmt.Sprintf("10.0.0.%d", k), Type: "Secondary"}
	}
	changeENI := func(e *cloud.ENI) {
		switch rng.IntN(5) {
		case 0:
			e.Attachment = nil
		case 1:
			e.SecondaryIPs = append(e.SecondaryIPs, fmt.Sprintf("10.1.0.%d", rng.IntN(250)))
		default:
			a := &cloud.ENIAttachment{InstanceID: fmt.Sprintf("i-%d", rng.IntN(len(instances))), DeviceIndex: rng.IntN(3)}
			if rng.IntN(6) == 0 {
				a.TrunkNetworkInterfaceID = "eni-trunk"
			}
			e.Attachment = a
		}
	}
	for k := range enis {
		changeENI(&enis[k])
	}
	var c itemCache
	write := func(items []InstanceItem) string {
		r := &DescribeInstancesResponse{}
		r.Instances.Instance = items
		b, err := r.AppendJSON(nil)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	hits := 0
	for round := range 2000 {
		for range rng.IntN(4) {
			i := &instances[rng.IntN(len(instances))]
			switch rng.IntN(4) {
			case 0:
				i.Name = fmt.Sprintf("name-%d", rng.IntN(5))
			case 1:
				i.Status = []string{cloud.StatusRunning, cloud.StatusStopped, cloud.StatusStarting}[rng.IntN(3)]
			case 2:
				i.DedicatedHostID = []string{"", "dh-1"}[rng.IntN(2)]
			default:
				id := i.ID
				randomItemParts(rng, i)
				i.ID = id // the id its ENIs name
			}
		}
		for range rng.IntN(4) {
			changeENI(&enis[rng.IntN(len(enis))])
		}
		// A page: some instances in order, with the ENIs attached to them.
		var list []cloud.Instance
		var recs []store.Record
		for n := range instances {
			if rng.IntN(2) == 0 {
				list = append(list, instances[n])
				recs = append(recs, record(t, instances[n]))
			}
		}
		var page []cloud.ENI
		var eniRecs []store.Record
		for _, e := range enis {
			for _, i := range list {
				if e.InstanceID() == i.ID {
					page = append(page, e)
					eniRecs = append(eniRecs, record(t, e))
					break
				}
			}
		}
		want := write(instanceItems(list, page))
		for pass := range 2 {
			items := c.cachedItems("acct", list, recs, page, eniRecs)
			for _, it := range items {
				if it.written != nil {
					hits++
				}
			}
			if got := write(items); got != want {
				t.Fatalf("round %d, pass %d:\n got %s\nwant %s", round, pass, got, want)
			}
		}
	}
	if hits == 0 {
		t.Fatal("no item came from the cache")
	}
}

// record is v as a store keeps it: its JSON document.
func record(t *testing.T, v any) store.Record {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return store.Record{Data: b}
}

// TestItemCacheBound: the cache holds at most itemCacheBytes however many
// instances it is given, keeps the entry it was just given, and answers
// nothing for documents other than an entry's.
func TestItemCacheBound(t *testing.T) {
	var c itemCache
	doc := make([]byte, 3000)
	eni := [][]byte{make([]byte, 1000)}
	json := make([]byte, 2000)
	for n := range 5000 {
		id := itemID{"acct", fmt.Sprintf("i-%d", n)}
		c.keep(id, doc, eni, json)
		if c.size > itemCacheBytes {
			t.Fatalf("after %d entries: %d bytes held, bound %d", n+1, c.size, itemCacheBytes)
		}
		if !hit(&c, id, doc, eni) {
			t.Fatalf("entry %d not kept", n)
		}
	}
	sum := 0
	for _, e := range c.entries {
		sum += e.cost()
	}
	if sum != c.size {
		t.Errorf("size %d, entries hold %d", c.size, sum)
	}
	id := itemID{"acct", "i-4999"}
	other := append([]byte{1}, doc[1:]...)
	if hit(&c, id, other, eni) || hit(&c, id, doc, nil) || hit(&c, itemID{"other", "i-4999"}, doc, eni) {
		t.Error("an entry answered for other documents or another account")
	}
}

// hit tells whether c answers an item for these documents.
func hit(c *itemCache, id itemID, instance []byte, enis [][]byte) bool {
	json, _ := c.lookup(id, instance, enis)
	return json != nil
}

// TestItemCacheKeepsSecondWriting: a page's items are kept the second
// time they are written and answered from the cache from the third; an
// instance changed since its item was kept is written and kept again at
// once; instances read once each (more than the cache remembers) leave
// nothing kept.
func TestItemCacheKeepsSecondWriting(t *testing.T) {
	var c itemCache
	list := []cloud.Instance{{ID: "i-1", Region: "cn-hangzhou", Status: cloud.StatusRunning}}
	page := func() (fromCache bool) {
		items := c.cachedItems("acct", list, []store.Record{record(t, list[0])}, nil, nil)
		r := &DescribeInstancesResponse{}
		r.Instances.Instance = items
		if _, err := r.AppendJSON(nil); err != nil {
			t.Fatal(err)
		}
		return items[0].written != nil
	}
	for n, want := range []bool{false, false, true, true} {
		if got := page(); got != want {
			t.Fatalf("page %d from the cache: %v, want %v", n+1, got, want)
		}
	}
	list[0].Status = cloud.StatusStopped
	for n, want := range []bool{false, true} {
		if got := page(); got != want {
			t.Fatalf("after a change, page %d from the cache: %v, want %v", n+1, got, want)
		}
	}
	var walk itemCache
	for n := range 3 * maxSeen {
		i := []cloud.Instance{{ID: fmt.Sprintf("i-%d", n), Region: "cn-hangzhou"}}
		items := walk.cachedItems("acct", i, []store.Record{record(t, i[0])}, nil, nil)
		if items[0].keep != nil {
			t.Fatalf("instance %d, read once, is to be kept", n)
		}
	}
	if len(walk.entries) != 0 || len(walk.seen) > maxSeen {
		t.Errorf("after a walk: %d entries kept, %d seen", len(walk.entries), len(walk.seen))
	}
}

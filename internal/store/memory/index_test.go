package memory

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/ecslocal/ecslocal/internal/store"
)

// TestReplaceKeepsIndexes: after random rewrites that change attributes,
// region and due time, deletions, and rolled-back transactions, every set
// and count of the account is the one its records would build afresh.
func TestReplaceKeepsIndexes(t *testing.T) {
	ctx := context.Background()
	db := Open()
	rng := rand.New(rand.NewPCG(1, 2))
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	record := func() store.Record {
		r := store.Record{Kind: []string{"instance", "disk"}[rng.IntN(2)], ID: fmt.Sprint("id-", rng.IntN(12)),
			Region: []string{"r1", "r2"}[rng.IntN(2)], Data: []byte(`{}`)}
		for range rng.IntN(4) {
			r.Attrs = append(r.Attrs, store.Attr{Name: []string{"status", "vpc", "tag"}[rng.IntN(3)], Value: fmt.Sprint(rng.IntN(3))})
		}
		if rng.IntN(3) > 0 {
			r.Due = base.Add(time.Duration(rng.IntN(3)) * time.Second)
		}
		return r
	}
	fail := errors.New("rolled back")
	for round := range 400 {
		var want error
		if round%5 == 4 {
			want = fail
		}
		err := db.Update(ctx, "acct", func(tx store.Tx) error {
			for range 1 + rng.IntN(4) {
				if rng.IntN(5) == 0 {
					r := record()
					if _, err := tx.Delete(ctx, r.Kind, r.ID); err != nil && !errors.Is(err, store.ErrNotFound) {
						return err
					}
					continue
				}
				if _, _, err := tx.Put(ctx, record()); err != nil {
					return err
				}
			}
			return want
		})
		if err != want {
			t.Fatalf("round %d: %v", round, err)
		}
		if err := sameIndexes(db.accounts["acct"]); err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
	}
}

// sameIndexes compares a's sets and counts with those built from its records.
func sameIndexes(a *account) error {
	if a == nil {
		return nil
	}
	fresh := newAccount()
	for _, e := range a.recs {
		fresh.insert(e)
	}
	if !equalSets(a.byKind, fresh.byKind) || !equalSets(a.byRegion, fresh.byRegion) {
		return errors.New("an index set differs from the records'")
	}
	if got, want := a.due.Items(), fresh.due.Items(); !slices.Equal(got, want) {
		return fmt.Errorf("due set: %d entries, want %d", len(got), len(want))
	}
	if len(a.byAttr) != len(fresh.byAttr) {
		return fmt.Errorf("%d attribute sets, want %d", len(a.byAttr), len(fresh.byAttr))
	}
	for k, s := range fresh.byAttr {
		g := a.byAttr[k]
		if g == nil || !slices.Equal(items(g.walk()), items(s.walk())) {
			return fmt.Errorf("attribute set %v differs from the records'", k)
		}
		if len(g.regions) != len(s.regions) {
			return fmt.Errorf("attribute set %v: counts in %d regions, want %d", k, len(g.regions), len(s.regions))
		}
		for _, c := range s.regions {
			if n := a.byAttr.count(k, c.region); n != c.n {
				return fmt.Errorf("count %v in %s: %d, want %d", k, c.region, n, c.n)
			}
		}
	}
	return nil
}

// items lists a walk's records in seq order.
func items(w seqWalk) []*entry {
	var out []*entry
	w.scan(func(e *entry) bool {
		out = append(out, e)
		return true
	})
	return out
}

func equalSets[K comparable](got, want entrySetMap[K]) bool {
	if len(got) != len(want) {
		return false
	}
	for k, s := range want {
		g := got[k]
		if g == nil || !slices.Equal(g.Items(), s.Items()) {
			return false
		}
	}
	return true
}

// BenchmarkPutRewrite: a rewrite of an instance-sized record whose status
// changes, in its own transaction.
func BenchmarkPutRewrite(b *testing.B) {
	ctx := context.Background()
	db := Open()
	rec := store.Record{Kind: "instance", ID: "i-1", Region: "r1", Data: []byte(`{}`)}
	for _, n := range []string{"vpc", "vswitch", "zone", "sg", "image", "type", "name", "tag:a", "tag:b"} {
		rec.Attrs = append(rec.Attrs, store.Attr{Name: n, Value: n + "-1"})
	}
	for i := range 100 {
		r := rec
		r.ID = fmt.Sprint("i-", i)
		db.Update(ctx, "acct", func(tx store.Tx) error { _, _, err := tx.Put(ctx, r); return err })
	}
	statuses := []string{"Pending", "Starting", "Running"}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		r := rec
		r.Attrs = append(slices.Clone(rec.Attrs), store.Attr{Name: "status", Value: statuses[i%3]})
		if err := db.Update(ctx, "acct", func(tx store.Tx) error { _, _, err := tx.Put(ctx, r); return err }); err != nil {
			b.Fatal(err)
		}
	}
}

// TestBySeqOnce: the candidates of a query by ids or by a filter's values
// come out once each, in seq order, as the map of those seen made them,
// with entries asked many times and (as no store makes them) entries that
// share a seq.
func TestBySeqOnce(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	for range 2000 {
		all := make([]*entry, 1+rng.IntN(20))
		for k := range all {
			all[k] = newEntry(store.Record{Seq: int64(rng.IntN(2 * len(all)))})
		}
		var picks []*entry
		for range rng.IntN(40) {
			picks = append(picks, all[rng.IntN(len(all))])
		}
		want := map[*entry]bool{}
		for _, e := range picks {
			want[e] = true
		}
		got := bySeqOnce(slices.Clone(picks))
		if len(got) != len(want) {
			t.Fatalf("%d entries, want %d", len(got), len(want))
		}
		for k, e := range got {
			if !want[e] {
				t.Fatal("an entry not asked for, or twice")
			}
			delete(want, e)
			if k > 0 && got[k-1].rec.Seq > e.rec.Seq {
				t.Fatal("not in seq order")
			}
		}
	}
	if bySeqOnce(nil) != nil {
		t.Fatal("no candidates became some")
	}
}

// TestOneRecordSet: queries through a set that holds one record without a
// tree answer what they answer through a tree that holds the same one
// record (made by a second record, since deleted): paging, counts, regions,
// a second filter, the set's record rewritten in place.
func TestOneRecordSet(t *testing.T) {
	ctx := context.Background()
	put := func(db *DB, id, ip, region string) {
		t.Helper()
		r := store.Record{Kind: "eni", ID: id, Region: region, Data: []byte(`{}`),
			Attrs: []store.Attr{{Name: "privateIp", Value: ip}, {Name: "vswitch", Value: "vsw-1"}}}
		if err := db.Update(ctx, "acct", func(tx store.Tx) error { _, _, err := tx.Put(ctx, r); return err }); err != nil {
			t.Fatal(err)
		}
	}
	one, tree := Open(), Open()
	put(one, "eni-0", "10.0.0.9", "r1")
	put(one, "eni-1", "10.0.0.1", "r1")
	put(tree, "eni-0", "10.0.0.9", "r1")
	put(tree, "eni-1", "10.0.0.1", "r1")
	put(tree, "eni-2", "10.0.0.1", "r1")
	if err := tree.Update(ctx, "acct", func(tx store.Tx) error { _, err := tx.Delete(ctx, "eni", "eni-2"); return err }); err != nil {
		t.Fatal(err)
	}
	k := attrKey{"eni", "privateIp", "10.0.0.1"}
	if s := one.accounts["acct"].byAttr[k]; s == nil || s.made {
		t.Fatal("one record's set was made a tree")
	}
	if s := tree.accounts["acct"].byAttr[k]; s == nil || !s.made {
		t.Fatal("the set of two records, one since deleted, is not a tree")
	}
	var queries []store.Query
	for _, region := range []string{"", "r1", "r2"} {
		for _, after := range []int64{0, 1, 2, 3} {
			for _, filters := range [][]store.Filter{
				{store.Where("privateIp", "10.0.0.1")},
				{store.Where("privateIp", "10.0.0.1"), store.Where("vswitch", "vsw-1")},
				{store.Where("privateIp", "10.0.0.1"), store.Where("vswitch", "vsw-2")},
				{store.Where("privateIp", "10.0.0.1", "10.0.0.9")},
				{store.Where("vswitch", "vsw-1"), {Name: "privateIp", Values: []string{"10.0.0.1"}, Not: true}},
			} {
				queries = append(queries, store.Query{Kind: "eni", Region: region, Filters: filters, AfterSeq: after, Limit: 10, Count: true},
					store.Query{Kind: "eni", Region: region, Filters: filters, AfterSeq: after, Count: true})
			}
		}
	}
	answers := func(db *DB) []store.Page {
		var out []store.Page
		err := db.View(ctx, "acct", func(tx store.Tx) error {
			for _, q := range queries {
				p, err := tx.Query(ctx, q)
				if err != nil {
					return err
				}
				for i := range p.Records {
					p.Records[i].Decoded = nil
				}
				out = append(out, p)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	check := func(when string) {
		t.Helper()
		got, want := answers(one), answers(tree)
		for i := range want {
			if fmt.Sprint(got[i]) != fmt.Sprint(want[i]) {
				t.Fatalf("%s: query %+v: %+v through one record, %+v through a tree", when, queries[i], got[i], want[i])
			}
		}
		if err := sameIndexes(one.accounts["acct"]); err != nil {
			t.Fatalf("%s: %v", when, err)
		}
	}
	check("written")
	put(one, "eni-1", "10.0.0.1", "r1") // rewritten: the set takes the new entry
	put(tree, "eni-1", "10.0.0.1", "r1")
	check("rewritten")
}

package storetest

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/store"
)

// testOwned: a query of an index a kind declares owned (cloud.Kind's
// Owners: an ENI's instance) with the owners' seqs (store.Filter.Owners)
// answers what it answers without them, whether the records were written
// just after their owner, later, before it, moved, rewritten or deleted,
// and after an export and import; a wrong seq changes nothing either.
func testOwned(t *testing.T, st, other store.Store) {
	const (
		inst = cloud.KindInstance
		eni  = cloud.KindENI
		disk = cloud.KindDisk
		idx  = string(cloud.IdxInstance)
	)
	if cloud.OwnerOf(eni, idx) != inst {
		t.Fatalf("the ENI's instance index is not declared owned")
	}
	ctx := context.Background()
	// A launch: the instance, its disk, its ENI, in one transaction.
	launch := func(account, id string, disks int, enis ...string) {
		recs := []store.Record{rec(inst, id, "r1")}
		for n := range disks {
			recs = append(recs, rec(disk, id+"-d"+string(rune('a'+n)), "r1", idx, id))
		}
		for _, e := range enis {
			recs = append(recs, rec(eni, e, "r1", idx, id, "status", "InUse"))
		}
		put(t, st, account, recs...)
	}
	launch(acctA, "i-1", 1, "e-1")
	launch(acctA, "i-2", 5, "e-2")                                          // its ENI beyond the span
	launch(acctA, "i-3", 0, "e-3", "e-4")                                   // two
	launch(acctB, "i-1", 1, "e-1b")                                         // the same instance id in another account
	put(t, st, acctA, rec(eni, "e-5", "r1", idx, "i-1"))                    // attached later
	put(t, st, acctA, rec(eni, "e-6", "r1", "status", "Available"))         // free…
	put(t, st, acctA, rec(eni, "e-6", "r1", idx, "i-3", "status", "InUse")) // …then attached
	// Seen in the transaction, yet far after it.
	update(t, st, acctA, func(ctx context.Context, tx store.Tx) error {
		if _, err := tx.Get(ctx, inst, "i-2"); err != nil {
			return err
		}
		return store.PutRaw(ctx, tx, rec(eni, "e-7", "r1", idx, "i-2"))
	})
	// Written before its instance, in one transaction.
	put(t, st, acctA, rec(eni, "e-8", "r1", idx, "i-4"), rec(inst, "i-4", "r1"))
	// An ENI in another region names i-1; a disk beside it is not an ENI.
	put(t, st, acctA, rec(eni, "e-9", "r2", idx, "i-1"))

	check := func(st store.Store, what string, instIDs ...string) {
		t.Helper()
		for _, account := range []string{acctA, acctB} {
			insts := query(t, st, account, store.Query{Kind: inst, Region: "r1", IDs: instIDs, Limit: 100})
			var have []string
			var seqs []int64
			for _, r := range insts.Records {
				have, seqs = append(have, r.ID), append(seqs, r.Seq)
			}
			want := query(t, st, account, store.Query{Kind: eni, Region: "r1", Filters: []store.Filter{store.Where(idx, have...)}, Limit: 1 << 30})
			got := query(t, st, account, store.Query{Kind: eni, Region: "r1", Filters: []store.Filter{store.WhereOwned(idx, have, seqs)}, Limit: 1 << 30})
			wantIDs(t, what+" "+account+" with the owners' seqs", got.Records, ids(want.Records)...)
			for n, r := range got.Records {
				if w := want.Records[min(n, len(want.Records)-1)]; r.Seq != w.Seq || !jsonEqual(r.Data, w.Data) {
					t.Errorf("%s: %s seq %d data %s, want %d %s", what, r.ID, r.Seq, r.Data, w.Seq, w.Data)
				}
			}
			if len(seqs) > 0 {
				wrong := slices.Clone(seqs)
				wrong[0] += 1000
				bad := query(t, st, account, store.Query{Kind: eni, Region: "r1", Filters: []store.Filter{store.WhereOwned(idx, have, wrong)}, Limit: 1 << 30})
				wantIDs(t, what+" "+account+" with a wrong seq", bad.Records, ids(want.Records)...)
			}
			if len(want.Records) > 1 {
				one := query(t, st, account, store.Query{Kind: eni, Region: "r1", Filters: []store.Filter{store.WhereOwned(idx, have, seqs)}, Limit: 1})
				wantIDs(t, what+" "+account+" limit 1", one.Records, want.Records[0].ID)
				if !one.More {
					t.Errorf("%s %s limit 1: no More", what, account)
				}
			}
		}
	}
	check(st, "each", "i-1")
	check(st, "each", "i-2")
	check(st, "each", "i-3")
	check(st, "each", "i-4")
	all := []string{"i-1", "i-2", "i-3", "i-4"}
	check(st, "all", all...)
	wantOf := func(id string, want ...string) {
		t.Helper()
		insts := query(t, st, acctA, store.Query{Kind: inst, Region: "r1", IDs: []string{id}, Limit: 1})
		got := query(t, st, acctA, store.Query{Kind: eni, Region: "r1", Filters: []store.Filter{store.WhereOwned(idx, []string{id}, []int64{insts.Records[0].Seq})}, Limit: 100})
		wantIDs(t, "the ENIs of "+id, got.Records, want...)
	}
	wantOf("i-1", "e-1", "e-5")
	wantOf("i-2", "e-2", "e-7")
	wantOf("i-3", "e-3", "e-4", "e-6")
	wantOf("i-4", "e-8")

	// Rewritten in place (near stays near), moved, detached, deleted.
	put(t, st, acctA, rec(eni, "e-1", "r1", idx, "i-1", "status", "Detaching"))
	put(t, st, acctA, rec(eni, "e-3", "r1", idx, "i-2", "status", "InUse"))
	put(t, st, acctA, rec(eni, "e-4", "r1", "status", "Available"))
	update(t, st, acctA, func(ctx context.Context, tx store.Tx) error {
		_, err := tx.Delete(ctx, eni, "e-7")
		return err
	})
	wantOf("i-1", "e-1", "e-5")
	wantOf("i-2", "e-2", "e-3")
	wantOf("i-3", "e-6")
	// Moved back beside its instance: found there again.
	put(t, st, acctA, rec(eni, "e-3", "r1", idx, "i-3", "status", "InUse"))
	wantOf("i-3", "e-3", "e-6")
	wantOf("i-2", "e-2")
	check(st, "after the changes", all...)

	// The store's own index rows are not the records' attributes.
	snap, err := st.Export(ctx)
	if err != nil {
		t.Fatalf("Export: %v", err)
	}
	for _, r := range snap.Records {
		for _, a := range r.Attrs {
			if strings.HasPrefix(a.Name, "~") {
				t.Errorf("exported %s %s has the attribute %q", r.Kind, r.ID, a.Name)
			}
		}
	}
	if err := other.Import(ctx, snap); err != nil {
		t.Fatalf("Import: %v", err)
	}
	check(other, "imported", all...)
	check(other, "imported", "i-3")
}

package lifecycle_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/lifecycle"
	"github.com/ecslocal/ecslocal/internal/store"
	"github.com/ecslocal/ecslocal/internal/store/memory"
)

const account = "1000000000000001"

var t0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// world is one instance with its system disk, primary ENI, a secondary ENI
// kept on release, an EIP on the instance and one on the primary ENI, a
// route entry to each, and a load balancer with both as backends.
func world(n int) []cloud.Resource {
	id := fmt.Sprintf("i-%d", n)
	eni := fmt.Sprintf("eni-p%d", n)
	return []cloud.Resource{
		cloud.Instance{ID: id, Region: "r", Status: cloud.StatusStopped},
		cloud.Disk{ID: fmt.Sprintf("d-%d", n), Region: "r", Status: cloud.DiskInUse, Type: cloud.DiskSystem, InstanceID: id, DeleteWithInstance: true},
		cloud.ENI{ID: eni, Region: "r", Status: cloud.ENIInUse, Type: cloud.ENIPrimary, Attachment: &cloud.ENIAttachment{InstanceID: id}},
		cloud.ENI{ID: fmt.Sprintf("eni-s%d", n), Region: "r", Status: cloud.ENIInUse, Type: cloud.ENISecondary, Attachment: &cloud.ENIAttachment{InstanceID: id, DeviceIndex: 1}},
		cloud.EIP{ID: fmt.Sprintf("eip-i%d", n), Region: "r", Status: cloud.EIPInUse, InstanceID: id, InstanceType: "EcsInstance"},
		cloud.EIP{ID: fmt.Sprintf("eip-e%d", n), Region: "r", Status: cloud.EIPInUse, InstanceID: eni, InstanceType: cloud.EIPOnENI},
		cloud.RouteEntry{ID: fmt.Sprintf("rte-e%d", n), Region: "r", Type: cloud.RouteCustom, Status: "Available", NextHops: []cloud.NextHop{{Type: cloud.NextHopENI, ID: eni}}},
		cloud.LoadBalancer{ID: fmt.Sprintf("lb-%d", n), Region: "r", Status: "active",
			Backends: []cloud.BackendServer{{ServerID: id, Type: "ecs"}, {ServerID: eni, Type: cloud.BackendENI}}},
	}
}

func put(tb testing.TB, db store.Store, rs ...cloud.Resource) {
	tb.Helper()
	err := db.Update(context.Background(), account, func(tx store.Tx) error {
		for _, r := range rs {
			if err := store.Put(context.Background(), tx, r); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
}

func release(tb testing.TB, db store.Store, id string) {
	tb.Helper()
	err := db.Update(context.Background(), account, func(tx store.Tx) error {
		inst, err := store.Get[cloud.Instance](context.Background(), tx, id)
		if err != nil {
			return err
		}
		return lifecycle.RemoveInstance(context.Background(), tx, inst, t0)
	})
	if err != nil {
		tb.Fatal(err)
	}
}

// TestRemoveInstance: every effect of the registry, on a world of its own
// beside another that must stay untouched.
func TestRemoveInstance(t *testing.T) {
	db := memory.Open()
	put(t, db, world(1)...)
	put(t, db, world(2)...)
	release(t, db, "i-1")
	_ = db.View(context.Background(), account, func(tx store.Tx) error {
		ctx := context.Background()
		for _, gone := range []struct{ kind, id string }{
			{cloud.KindInstance, "i-1"}, {cloud.KindDisk, "d-1"}, {cloud.KindENI, "eni-p1"}, {cloud.KindRouteEntry, "rte-e1"},
		} {
			if _, err := tx.Get(ctx, gone.kind, gone.id); err == nil {
				t.Errorf("%s %s outlived the release", gone.kind, gone.id)
			}
		}
		if e, err := store.Get[cloud.ENI](ctx, tx, "eni-s1"); err != nil || e.Status != cloud.ENIAvailable || e.Attachment != nil {
			t.Errorf("secondary ENI after release: %+v %v", e, err)
		}
		for _, id := range []string{"eip-i1", "eip-e1"} {
			if e, err := store.Get[cloud.EIP](ctx, tx, id); err != nil || e.Status != cloud.EIPAvailable || e.InstanceID != "" {
				t.Errorf("EIP %s after release: %+v %v", id, e, err)
			}
		}
		if l, err := store.Get[cloud.LoadBalancer](ctx, tx, "lb-1"); err != nil || len(l.Backends) != 0 {
			t.Errorf("load balancer after release: %+v %v", l, err)
		}
		// The other world is as it was.
		for _, r := range world(2) {
			rec, err := tx.Get(ctx, r.Kind(), r.Key())
			want, _ := store.RecordOf(r)
			if err != nil || !store.SameDocument(rec.Data, want.Data) {
				t.Errorf("%s %s changed: %v", r.Kind(), r.Key(), err)
			}
		}
		return nil
	})
}

// TestHolders: the holds come in registry order.
func TestHolders(t *testing.T) {
	db := memory.Open()
	put(t, db, world(1)...)
	put(t, db,
		cloud.RouteEntry{ID: "rte-i", Region: "r", Type: cloud.RouteCustom, NextHops: []cloud.NextHop{{Type: cloud.NextHopInstance, ID: "i-1"}}},
		cloud.LoadBalancer{ID: "lb-c", Region: "r", ConfiguringUntil: t0.Add(time.Hour), Backends: []cloud.BackendServer{{ServerID: "i-1", Type: "ecs"}}})
	_ = db.View(context.Background(), account, func(tx store.Tx) error {
		inst, _ := store.Get[cloud.Instance](context.Background(), tx, "i-1")
		h, err := lifecycle.Holders(context.Background(), tx, inst, t0)
		if err != nil || len(h) != 2 || h[0].ID != "rte-i" || h[1].ID != "lb-c" || h[0].Err.Code != "DependencyViolation.RouteEntry" {
			t.Fatalf("holders %+v %v", h, err)
		}
		return nil
	})
}

// BenchmarkRemoveInstance releases one instance with its disk, ENIs, EIPs,
// route entry and load balancer, in an empty account and in one that also
// holds 10,000 unrelated ENIs, route entries (through ENIs), EIPs (on
// ENIs) and load balancers (with ENI backends): the effects find what they
// change by the released ids, so the two cost the same.
func BenchmarkRemoveInstance(b *testing.B) {
	for _, crowd := range []int{0, 10000} {
		b.Run(fmt.Sprintf("unrelated=%d", crowd), func(b *testing.B) {
			db := memory.Open()
			var others []cloud.Resource
			for n := range crowd {
				eni := fmt.Sprintf("eni-o%d", n)
				others = append(others,
					cloud.ENI{ID: eni, Region: "r", Status: cloud.ENIInUse, Type: cloud.ENISecondary, Attachment: &cloud.ENIAttachment{InstanceID: fmt.Sprintf("i-o%d", n)}},
					cloud.RouteEntry{ID: fmt.Sprintf("rte-o%d", n), Region: "r", Type: cloud.RouteCustom, NextHops: []cloud.NextHop{{Type: cloud.NextHopENI, ID: eni}}},
					cloud.EIP{ID: fmt.Sprintf("eip-o%d", n), Region: "r", Status: cloud.EIPInUse, InstanceID: eni, InstanceType: cloud.EIPOnENI},
					cloud.LoadBalancer{ID: fmt.Sprintf("lb-o%d", n), Region: "r", Backends: []cloud.BackendServer{{ServerID: eni, Type: cloud.BackendENI}}})
			}
			put(b, db, others...)
			b.ResetTimer()
			for i := range b.N {
				b.StopTimer()
				put(b, db, world(i)...)
				b.StartTimer()
				release(b, db, fmt.Sprintf("i-%d", i))
			}
		})
	}
}

// TestRemoveInstance_KeepsLockedSnapshot: releasing an instance whose disk
// goes with DeleteAutoSnapshot deletes its automatic snapshots, but not one
// under a compliance lock (LockSnapshot: no one deletes a locked snapshot)
// nor the snapshot-consistent group, which outlives the instance.
func TestRemoveInstance_KeepsLockedSnapshot(t *testing.T) {
	db := memory.Open()
	lock := &cloud.SnapshotLock{Created: t0, DurationDays: 7}
	put(t, db,
		cloud.Instance{ID: "i-9", Region: "r", Status: cloud.StatusStopped},
		cloud.Disk{ID: "d-9", Region: "r", Status: cloud.DiskInUse, Type: cloud.DiskSystem, InstanceID: "i-9",
			DeleteWithInstance: true, DeleteAutoSnapshot: true},
		cloud.Snapshot{ID: "s-auto", Region: "r", SourceDiskID: "d-9", Type: cloud.SnapshotAuto, Status: cloud.SnapshotAccomplished, Created: t0},
		cloud.Snapshot{ID: "s-locked", Region: "r", SourceDiskID: "d-9", Type: cloud.SnapshotAuto, Status: cloud.SnapshotAccomplished,
			Created: t0, Lock: lock},
		cloud.SnapshotGroup{ID: "ssg-9", Region: "r", InstanceID: "i-9", Snapshots: []string{"s-locked"}, Created: t0},
	)
	release(t, db, "i-9")
	_ = db.View(context.Background(), account, func(tx store.Tx) error {
		ctx := context.Background()
		if _, err := tx.Get(ctx, cloud.KindSnapshot, "s-auto"); err == nil {
			t.Error("the unlocked automatic snapshot outlived its disk")
		}
		if s, err := store.Get[cloud.Snapshot](ctx, tx, "s-locked"); err != nil || s.Lock == nil {
			t.Errorf("the locked snapshot: %+v %v", s, err)
		}
		if g, err := store.Get[cloud.SnapshotGroup](ctx, tx, "ssg-9"); err != nil || g.InstanceID != "i-9" {
			t.Errorf("the group: %+v %v", g, err)
		}
		return nil
	})
}

// TestRemoveInstance_HaVip: releasing an instance disassociates it, and its
// removed primary ENI, from HaVips; the master passes to the next member,
// and a HaVip left with nothing is Available. Others stay untouched.
func TestRemoveInstance_HaVip(t *testing.T) {
	db := memory.Open()
	put(t, db, world(1)...)
	put(t, db, world(2)...)
	put(t, db,
		cloud.HaVip{ID: "havip-shared", Region: "r", Status: cloud.HaVipInUse, AssociatedType: cloud.HaVipOnInstance, Associated: []string{"i-1", "i-2"}},
		cloud.HaVip{ID: "havip-alone", Region: "r", Status: cloud.HaVipInUse, AssociatedType: cloud.HaVipOnInstance, Associated: []string{"i-1"}},
		cloud.HaVip{ID: "havip-eni", Region: "r", Status: cloud.HaVipInUse, AssociatedType: cloud.HaVipOnENI, Associated: []string{"eni-p1", "eni-s1"}},
		cloud.HaVip{ID: "havip-other", Region: "r", Status: cloud.HaVipInUse, AssociatedType: cloud.HaVipOnInstance, Associated: []string{"i-2"}},
	)
	release(t, db, "i-1")
	want := map[string]struct {
		status     string
		associated []string
	}{
		"havip-shared": {cloud.HaVipInUse, []string{"i-2"}},
		"havip-alone":  {cloud.HaVipAvailable, nil},
		"havip-eni":    {cloud.HaVipInUse, []string{"eni-s1"}}, // the secondary ENI is kept on release
		"havip-other":  {cloud.HaVipInUse, []string{"i-2"}},
	}
	_ = db.View(context.Background(), account, func(tx store.Tx) error {
		for id, w := range want {
			h, err := store.Get[cloud.HaVip](context.Background(), tx, id)
			if err != nil {
				t.Fatalf("%s: %v", id, err)
			}
			if h.Status != w.status || fmt.Sprint(h.Associated) != fmt.Sprint(w.associated) || h.Master() != first(w.associated) {
				t.Errorf("%s after the release: %s %v master %q", id, h.Status, h.Associated, h.Master())
			}
		}
		return nil
	})
}

func first(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[0]
}

// counted is a transaction that counts its queries.
type counted struct {
	store.Tx
	queries *int
}

func (c counted) Query(ctx context.Context, q store.Query) (store.Page, error) {
	*c.queries++
	return c.Tx.Query(ctx, q)
}

// batching is a counted transaction that answers several queries at once
// (store.Batcher), one by one underneath.
type batching struct{ counted }

func (b batching) QueryAll(ctx context.Context, qs []store.Query) ([]store.Page, error) {
	out := make([]store.Page, len(qs))
	for i, q := range qs {
		p, err := b.Query(ctx, q)
		if err != nil {
			return nil, err
		}
		out[i] = p
	}
	return out, nil
}

// TestRemoveInstance_BatchedOrNot: a release looked up together (as for
// PostgreSQL) and one looked up kind by kind (memory, SQLite) leave the
// same state and journal, the second with no lookup guessed in vain.
func TestRemoveInstance_BatchedOrNot(t *testing.T) {
	ctx := context.Background()
	run := func(batched bool) (store.Snapshot, []store.Change, int) {
		db := memory.Open()
		put(t, db, world(1)...)
		put(t, db, world(2)...)
		put(t, db,
			cloud.HaVip{ID: "havip-eni", Region: "r", Status: cloud.HaVipInUse, AssociatedType: cloud.HaVipOnENI, Associated: []string{"eni-p1", "eni-s1"}},
			cloud.Disk{ID: "d-kept", Region: "r", Status: cloud.DiskInUse, Type: cloud.DiskData, InstanceID: "i-1", DeleteAutoSnapshot: true},
			cloud.Snapshot{ID: "s-auto", Region: "r", SourceDiskID: "d-1", Type: cloud.SnapshotAuto, Status: cloud.SnapshotAccomplished, Created: t0},
			cloud.SnapshotGroup{ID: "ssg-1", Region: "r", InstanceID: "i-1", Created: t0})
		var changes []store.Change
		db.SetHooks(store.Hooks{AfterCommit: func(_ context.Context, _ string, c []store.Change) { changes = c }})
		queries := 0
		err := db.Update(ctx, account, func(tx store.Tx) error {
			inst, err := store.Get[cloud.Instance](ctx, tx, "i-1")
			if err != nil {
				return err
			}
			tx = counted{tx, &queries}
			if batched {
				tx = batching{tx.(counted)}
			}
			return lifecycle.RemoveInstance(ctx, tx, inst, t0)
		})
		if err != nil {
			t.Fatal(err)
		}
		snap, err := db.Export(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return snap, changes, queries
	}
	one, oneChanges, oneQueries := run(false)
	all, allChanges, batchedQueries := run(true)
	if fmt.Sprint(oneChanges) != fmt.Sprint(allChanges) || len(oneChanges) == 0 {
		t.Errorf("changes kind by kind %v, batched %v", oneChanges, allChanges)
	}
	if len(one.Records) != len(all.Records) {
		t.Fatalf("%d records kind by kind, %d batched", len(one.Records), len(all.Records))
	}
	for i := range one.Records {
		a, b := one.Records[i], all.Records[i]
		if a.Kind != b.Kind || a.ID != b.ID || !store.SameDocument(a.Data, b.Data) {
			t.Errorf("record %d: %s %s kind by kind, %s %s batched", i, a.Kind, a.ID, b.Kind, b.ID)
		}
	}
	if oneQueries >= batchedQueries {
		t.Errorf("%d queries kind by kind, %d batched: want fewer kind by kind", oneQueries, batchedQueries)
	}
}

// TestApplyDue_Settles: events whose transitions write records due again
// by now (a policy three firings behind, each firing's snapshots) are all
// applied in one settlement, and nothing is left due.
func TestApplyDue_Settles(t *testing.T) {
	ctx := context.Background()
	db := memory.Open()
	now := t0.Add(3*24*time.Hour + 30*time.Minute)
	db.SetHooks(store.Hooks{Now: func(context.Context, store.MetaTx) (time.Time, error) { return now, nil }})
	put(t, db,
		cloud.AutoSnapshotPolicy{ID: "sp-1", Region: "r", TimePoints: []int{1}, RepeatWeekdays: []int{1, 2, 3, 4, 5, 6, 7}, Created: t0},
		cloud.Disk{ID: "d-1", Region: "r", Status: cloud.DiskInUse, AutoSnapshotPolicy: "sp-1", EnableAutoSnapshot: true, InstanceID: "i-1", Category: "cloud_essd"})
	err := db.Update(ctx, account, func(tx store.Tx) error {
		if err := lifecycle.ApplyDue(ctx, tx); err != nil {
			return err
		}
		if due, err := tx.Due(ctx, now, 100); err != nil || len(due) != 0 {
			t.Errorf("due after the settlement: %d records, %v", len(due), err)
		}
		p, err := store.Get[cloud.AutoSnapshotPolicy](ctx, tx, "sp-1")
		if err != nil {
			return err
		}
		snaps, err := store.All[cloud.Snapshot](ctx, tx, "")
		if err != nil {
			return err
		}
		if p.Runs != 3 || len(snaps) != 3 || !p.NextDue().After(now) {
			t.Errorf("after the settlement: %d runs, %d snapshots, next firing %v", p.Runs, len(snaps), p.NextDue())
		}
		for _, s := range snaps {
			if s.Status != cloud.SnapshotAccomplished {
				t.Errorf("snapshot %s is %s", s.ID, s.Status)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestApplyDue_AttachingAtRelease: a data disk attaching when its
// instance's release falls due, in the same round. A record an earlier
// event of the round wrote is read again, not taken as the Due answer
// listed it: kept by the release (DeleteWithInstance off), the disk is
// detached and Available and its own step is gone; removed with the
// instance (on), it has nothing left to do, and the round goes on.
func TestApplyDue_AttachingAtRelease(t *testing.T) {
	for _, dwi := range []bool{false, true} {
		ctx := context.Background()
		db := memory.Open()
		db.SetHooks(store.Hooks{Now: func(context.Context, store.MetaTx) (time.Time, error) { return t0, nil }})
		inst := cloud.StartRelease(cloud.Instance{ID: "i-1", Region: "r", Status: cloud.StatusStopped}, cloud.Release{}, t0, cloud.Delays{})
		put(t, db, inst, cloud.Disk{ID: "d-1", Region: "r", Status: cloud.DiskAttaching, Type: cloud.DiskData, InstanceID: "i-1",
			DeleteWithInstance: dwi, Next: &cloud.DiskStep{At: t0, Status: cloud.DiskInUse}})
		err := db.Update(ctx, account, func(tx store.Tx) error {
			if err := lifecycle.ApplyDue(ctx, tx); err != nil {
				return err
			}
			if _, err := tx.Get(ctx, cloud.KindInstance, "i-1"); err == nil {
				t.Errorf("DeleteWithInstance %v: the instance outlived its release", dwi)
			}
			d, err := store.Get[cloud.Disk](ctx, tx, "d-1")
			switch {
			case dwi && err == nil:
				t.Error("the disk that goes with its instance outlived the release")
			case !dwi && (err != nil || d.Status != cloud.DiskAvailable || d.InstanceID != "" || d.Next != nil):
				t.Errorf("the disk kept by the release: %+v %v", d, err)
			}
			return nil
		})
		if err != nil {
			t.Fatalf("DeleteWithInstance %v: %v", dwi, err)
		}
	}
}

// byKind is a transaction that notes the kinds it was queried of; with
// holds it passes the store's store.KindHolder through.
type byKind struct {
	store.Tx
	kinds map[string]int
}

func (b byKind) Query(ctx context.Context, q store.Query) (store.Page, error) {
	b.kinds[q.Kind]++
	return b.Tx.Query(ctx, q)
}

type holding struct{ byKind }

func (h holding) MayHold(ctx context.Context, kind string) (bool, error) {
	return store.MayHold(ctx, h.Tx, kind)
}

// TestKindsNotHeld: where the store tells which kinds the account may
// hold (store.KindHolder), the holds and the release look up none of the
// others, and leave the same holders, state and journal as the lookups of
// every kind.
func TestKindsNotHeld(t *testing.T) {
	ctx := context.Background()
	run := func(mayHold bool) (store.Snapshot, []store.Change, cloud.Holders, map[string]int) {
		db := memory.Open()
		put(t, db, world(1)...)
		put(t, db, world(2)...)
		put(t, db,
			cloud.RouteEntry{ID: "rte-i", Region: "r", Type: cloud.RouteCustom, NextHops: []cloud.NextHop{{Type: cloud.NextHopInstance, ID: "i-1"}}},
			cloud.HaVip{ID: "havip-eni", Region: "r", Status: cloud.HaVipInUse, AssociatedType: cloud.HaVipOnENI, Associated: []string{"eni-p1", "eni-s1"}})
		var changes []store.Change
		db.SetHooks(store.Hooks{AfterCommit: func(_ context.Context, _ string, c []store.Change) { changes = c }})
		kinds := map[string]int{}
		var holders cloud.Holders
		err := db.Update(ctx, account, func(tx store.Tx) error {
			inst, err := store.Get[cloud.Instance](ctx, tx, "i-1")
			if err != nil {
				return err
			}
			tx = byKind{tx, kinds}
			if mayHold {
				tx = holding{tx.(byKind)}
			}
			if holders, err = lifecycle.Holders(ctx, tx, inst, t0); err != nil {
				return err
			}
			return lifecycle.RemoveInstance(ctx, tx, inst, t0)
		})
		if err != nil {
			t.Fatal(err)
		}
		snap, err := db.Export(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return snap, changes, holders, kinds
	}
	every, everyChanges, everyHolders, everyKinds := run(false)
	held, heldChanges, heldHolders, heldKinds := run(true)
	if fmt.Sprint(everyChanges) != fmt.Sprint(heldChanges) || len(heldChanges) == 0 {
		t.Errorf("changes %v, with the kinds held %v", everyChanges, heldChanges)
	}
	if fmt.Sprint(everyHolders) != fmt.Sprint(heldHolders) || len(heldHolders) == 0 {
		t.Errorf("holders %v, with the kinds held %v", everyHolders, heldHolders)
	}
	if len(every.Records) != len(held.Records) {
		t.Fatalf("%d records, %d with the kinds held", len(every.Records), len(held.Records))
	}
	for i := range every.Records {
		a, b := every.Records[i], held.Records[i]
		if a.Kind != b.Kind || a.ID != b.ID || !store.SameDocument(a.Data, b.Data) {
			t.Errorf("record %d: %s %s, with the kinds held %s %s", i, a.Kind, a.ID, b.Kind, b.ID)
		}
	}
	// The world holds instances, disks, ENIs, EIPs, route entries, load
	// balancers and a HaVip: nothing else is asked of the store.
	stored := map[string]bool{}
	for _, r := range every.Records {
		stored[r.Kind] = true
	}
	stored[cloud.KindInstance], stored[cloud.KindDisk], stored[cloud.KindENI] = true, true, true
	for k := range heldKinds {
		if !stored[k] {
			t.Errorf("%s looked up, and the account holds none", k)
		}
	}
	var asked, skipped int
	for k, n := range everyKinds {
		asked += n
		if !stored[k] {
			skipped += n
		}
	}
	if skipped == 0 {
		t.Errorf("every kind looked up is held (%v): nothing to skip", everyKinds)
	}
	if n := asked - skipped; sum(heldKinds) != n {
		t.Errorf("%d lookups with the kinds held (%v), want %d", sum(heldKinds), heldKinds, n)
	}
}

func sum(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

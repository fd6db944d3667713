package memory_test

import (
	"context"
	"errors"
	"testing"

	"github.com/ecslocal/ecslocal/internal/cloud"

	"github.com/ecslocal/ecslocal/internal/store"
	"github.com/ecslocal/ecslocal/internal/store/memory"
	"github.com/ecslocal/ecslocal/internal/store/storetest"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, func(tb testing.TB) store.Store { return memory.Open() })
}

// TestSharedValues: Find hands out deep copies, FindShared the stored
// values themselves, and CheckValues finds one changed in place.
func TestSharedValues(t *testing.T) {
	ctx := context.Background()
	db := memory.Open()
	inst := cloud.Instance{ID: "i-1", Region: "r", Status: cloud.StatusRunning, SecurityGroups: []string{"sg-1"}}
	if err := db.Update(ctx, "acct", func(tx store.Tx) error { return store.Put(ctx, tx, inst) }); err != nil {
		t.Fatal(err)
	}
	read := func(find func(context.Context, store.Tx, store.Query) ([]cloud.Instance, store.Page, error)) cloud.Instance {
		t.Helper()
		var got []cloud.Instance
		err := db.View(ctx, "acct", func(tx store.Tx) (err error) {
			got, _, err = find(ctx, tx, store.Query{Limit: 10})
			return err
		})
		if err != nil || len(got) != 1 {
			t.Fatalf("read: %v, %d instances", err, len(got))
		}
		return got[0]
	}
	read(store.Find[cloud.Instance]).SecurityGroups[0] = "sg-changed"
	if err := db.CheckValues(); err != nil {
		t.Fatalf("after changing a copy: %v", err)
	}
	if got := read(store.Find[cloud.Instance]).SecurityGroups[0]; got != "sg-1" {
		t.Fatalf("a change to a copy reached the store: %q", got)
	}
	read(store.FindShared[cloud.Instance]).SecurityGroups[0] = "sg-changed"
	if err := db.CheckValues(); err == nil {
		t.Fatal("CheckValues found no change after a shared value was changed")
	}
}

// TestConfigCache: LoadConfig through the memory store's kept decoding
// answers each stored configuration, a rolled-back one no longer, and a
// caller changing its copy changes nothing kept.
func TestConfigCache(t *testing.T) {
	ctx := context.Background()
	db := memory.Open()
	load := func() cloud.Config {
		t.Helper()
		var c cloud.Config
		err := db.Meta(ctx, func(m store.MetaTx) (err error) {
			c, err = store.LoadConfig(ctx, m)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	put := func(c cloud.Config, fail error) {
		t.Helper()
		err := db.Meta(ctx, func(m store.MetaTx) error {
			if err := store.PutJSON(ctx, m, store.MetaConfig, c); err != nil {
				return err
			}
			return fail
		})
		if err != fail {
			t.Fatal(err)
		}
	}
	if got := load(); got.Profile != cloud.ProfileFast || got.SoldOutResources != nil {
		t.Fatalf("unset: %+v", got)
	}
	a := cloud.DefaultConfig(cloud.ProfileRealistic)
	a.SoldOutResources = []string{"cn-hangzhou-k"}
	put(a, nil)
	got := load()
	if got.Profile != cloud.ProfileRealistic || len(got.SoldOutResources) != 1 {
		t.Fatalf("after a put: %+v", got)
	}
	got.SoldOutResources[0] = "changed"
	if again := load(); again.SoldOutResources[0] != "cn-hangzhou-k" {
		t.Fatalf("a caller's change reached the kept value: %q", again.SoldOutResources[0])
	}
	b := cloud.DefaultConfig(cloud.ProfileFast)
	b.DryRunSuccessCode = "Other"
	put(b, errors.New("rolled back"))
	if got := load(); got.Profile != cloud.ProfileRealistic || got.DryRunSuccessCode == "Other" {
		t.Fatalf("after a rolled-back put: %+v", got)
	}
	put(b, nil)
	if got := load(); got.DryRunSuccessCode != "Other" || got.SoldOutResources != nil {
		t.Fatalf("after a second put: %+v", got)
	}
}

// TestMayHold: the memory store knows which kinds an account holds, its
// own writes and a rollback included, so the lookups of the others are
// left out (store.MayHold).
func TestMayHold(t *testing.T) {
	ctx := context.Background()
	db := memory.Open()
	holds := func(tx store.Tx, kind string) bool {
		t.Helper()
		held, err := store.MayHold(ctx, tx, kind)
		if err != nil {
			t.Fatal(err)
		}
		return held
	}
	inst := cloud.Instance{ID: "i-1", Region: "r"}
	fail := errors.New("rolled back")
	err := db.Update(ctx, "acct", func(tx store.Tx) error {
		if holds(tx, cloud.KindInstance) {
			t.Error("an empty account holds an instance")
		}
		if err := store.Put(ctx, tx, inst); err != nil {
			return err
		}
		if !holds(tx, cloud.KindInstance) || holds(tx, cloud.KindDisk) {
			t.Error("after the instance's Put: want instances and no disks")
		}
		return fail
	})
	if !errors.Is(err, fail) {
		t.Fatal(err)
	}
	if err := db.Update(ctx, "acct", func(tx store.Tx) error {
		if holds(tx, cloud.KindInstance) {
			t.Error("a rolled-back Put left its kind held")
		}
		return store.Put(ctx, tx, inst)
	}); err != nil {
		t.Fatal(err)
	}
	if err := db.View(ctx, "acct", func(tx store.Tx) error {
		if !holds(tx, cloud.KindInstance) {
			t.Error("a read does not see the instance held")
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := db.Update(ctx, "acct", func(tx store.Tx) error {
		if err := store.Delete[cloud.Instance](ctx, tx, "i-1"); err != nil {
			return err
		}
		if holds(tx, cloud.KindInstance) {
			t.Error("the last instance deleted, and instances are held")
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

// TestDecodedOnSecondRead: the first read of a record's version for a
// value of the caller's own decodes it and keeps nothing; the second
// keeps the value for the reads after it, and a shared read keeps it at
// once. Every read answers the same value.
func TestDecodedOnSecondRead(t *testing.T) {
	ctx := context.Background()
	db := memory.Open()
	vpc := cloud.VPC{ID: "vpc-1", Region: "r", Status: "Available", SecondaryCidrs: []string{"10.1.0.0/16"}}
	if err := db.Update(ctx, "acct", func(tx store.Tx) error { return store.Put(ctx, tx, vpc) }); err != nil {
		t.Fatal(err)
	}
	kept := func(tx store.Tx) bool {
		rec, err := tx.Get(ctx, cloud.KindVPC, "vpc-1")
		if err != nil {
			t.Fatal(err)
		}
		return rec.Decoded.Load() != nil
	}
	err := db.View(ctx, "acct", func(tx store.Tx) error {
		for read, want := range []bool{false, true, true} {
			got, err := store.Get[cloud.VPC](ctx, tx, "vpc-1")
			if err != nil {
				return err
			}
			if got.Status != vpc.Status || len(got.SecondaryCidrs) != 1 || got.SecondaryCidrs[0] != "10.1.0.0/16" {
				t.Errorf("read %d: %+v", read, got)
			}
			got.SecondaryCidrs[0] = "10.2.0.0/16" // the caller's own
			if kept(tx) != want {
				t.Errorf("after read %d: value kept %v, want %v", read, !want, want)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.CheckValues(); err != nil {
		t.Fatal(err)
	}
	// A new version: a shared read keeps its value at once.
	vpc.Status = cloud.StatusPending
	if err := db.Update(ctx, "acct", func(tx store.Tx) error { return store.Put(ctx, tx, vpc) }); err != nil {
		t.Fatal(err)
	}
	err = db.View(ctx, "acct", func(tx store.Tx) error {
		got, _, err := store.FindShared[cloud.VPC](ctx, tx, store.Query{Limit: 1})
		if err != nil || len(got) != 1 || got[0].Status != cloud.StatusPending {
			t.Fatalf("shared read: %+v %v", got, err)
		}
		if !kept(tx) {
			t.Error("a shared read kept no value")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestKeptFromWrite: an instance (cloud.Kept) keeps the value its typed
// Put wrote, as its document decodes, from the write on; every read
// answers a copy of its own, and a rollback's version keeps its own value.
func TestKeptFromWrite(t *testing.T) {
	ctx := context.Background()
	db := memory.Open()
	inst := cloud.Instance{ID: "i-1", Region: "r", Status: cloud.StatusRunning, SecurityGroups: []string{"sg-1"}, Tags: []cloud.Tag{}}
	if err := db.Update(ctx, "acct", func(tx store.Tx) error { return store.Put(ctx, tx, inst) }); err != nil {
		t.Fatal(err)
	}
	inst.SecurityGroups[0] = "sg-writer" // the writer's, after its write
	fail := errors.New("rolled back")
	err := db.Update(ctx, "acct", func(tx store.Tx) error {
		next := inst
		next.Status, next.SecurityGroups = cloud.StatusStopped, []string{"sg-2"}
		if err := store.Put(ctx, tx, next); err != nil {
			return err
		}
		return fail
	})
	if !errors.Is(err, fail) {
		t.Fatal(err)
	}
	err = db.View(ctx, "acct", func(tx store.Tx) error {
		rec, err := tx.Get(ctx, cloud.KindInstance, "i-1")
		if err != nil {
			return err
		}
		if rec.Decoded.Load() == nil {
			t.Error("no value kept from the write")
		}
		for read := range 2 {
			got, err := store.Get[cloud.Instance](ctx, tx, "i-1")
			if err != nil {
				return err
			}
			if got.Status != cloud.StatusRunning || len(got.SecurityGroups) != 1 || got.SecurityGroups[0] != "sg-1" || got.Tags != nil {
				t.Errorf("read %d: %+v", read, got)
			}
			got.SecurityGroups[0] = "sg-changed" // the caller's own
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.CheckValues(); err != nil {
		t.Fatal(err)
	}
}

// TestPutKeepsTypedDocument: a typed Put's document and attributes, made
// for that write alone, are kept without a copy, and a rollback undoes its
// writes without a closure each; a record the caller made (PutRaw) is
// copied, so the caller may change its bytes after.
func TestPutKeepsTypedDocument(t *testing.T) {
	ctx := context.Background()
	db := memory.Open()
	inst := cloud.Instance{ID: "i-1", Region: "r", Status: cloud.StatusRunning, SecurityGroups: []string{"sg-1"}, Name: "n"}
	var typed, encode float64
	fail := errors.New("rolled back")
	err := db.Update(ctx, "acct", func(tx store.Tx) error {
		if err := store.Put(ctx, tx, inst); err != nil {
			return err
		}
		encode = testing.AllocsPerRun(200, func() {
			if _, err := store.RecordOf(inst); err != nil {
				t.Fatal(err)
			}
		})
		typed = testing.AllocsPerRun(200, func() {
			if err := store.Put(ctx, tx, inst); err != nil {
				t.Fatal(err)
			}
		})
		return fail
	})
	if !errors.Is(err, fail) {
		t.Fatal(err)
	}
	// The rewrite's own: its entry, its Decoded, the value it keeps (the
	// instance and its security groups), and the journal's nothing.
	if extra := typed - encode; extra > 4 {
		t.Errorf("a typed rewrite allocates %.0f beyond its encoding (%.0f), want at most 4", extra, encode)
	}
	if err := db.View(ctx, "acct", func(tx store.Tx) error {
		if _, err := tx.Get(ctx, cloud.KindInstance, "i-1"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("after the rollback: %v", err)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	data := []byte(`{"id":"w-1","status":"A"}`)
	attrs := []store.Attr{{Name: "status", Value: "A"}}
	if err := db.Update(ctx, "acct", func(tx store.Tx) error {
		return store.PutRaw(ctx, tx, store.Record{Kind: cloud.KindInstance, ID: "w-1", Region: "r", Data: data, Attrs: attrs})
	}); err != nil {
		t.Fatal(err)
	}
	copy(data, `{"id":"w-1","status":"B"}`)
	attrs[0].Value = "B"
	if err := db.View(ctx, "acct", func(tx store.Tx) error {
		rec, err := tx.Get(ctx, cloud.KindInstance, "w-1")
		if err != nil || string(rec.Data) != `{"id":"w-1","status":"A"}` {
			t.Errorf("PutRaw's document after the caller changed its bytes: %s %v", rec.Data, err)
		}
		p, err := tx.Query(ctx, store.Query{Kind: cloud.KindInstance, Filters: []store.Filter{store.Where("status", "A")}, Limit: 10})
		if err != nil || len(p.Records) != 1 {
			t.Errorf("PutRaw's attribute after the caller changed it: %d found %v", len(p.Records), err)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

// Package lifecycle runs the workflows that span kinds, over one store
// transaction, by looping over the registry of kinds (cloud.Kinds): what
// holds an instance back from release, what its release does to every other
// kind, the timed transitions the clock applies, and the reindexing of an
// imported state. The rules themselves are cloud's pure functions; the
// store only keeps records.
package lifecycle

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/store"
)

// lookup is the registry hooks' read access, over the caller's transaction.
type lookup struct{ tx store.Tx }

func (l lookup) Find(ctx context.Context, kind string, filters ...cloud.Filter) ([]cloud.Resource, error) {
	k, ok := cloud.KindOf(kind)
	if !ok {
		return nil, fmt.Errorf("lookup of kind %q: not declared", kind)
	}
	q := store.Query{Limit: 1 << 30}
	for _, f := range filters {
		q.Filters = append(q.Filters, store.Where(string(f.Index), f.Values...))
	}
	found, _, err := store.FindKind(ctx, l.tx, k, q)
	return found, err
}

// Holders gathers, kind by kind in registry order, the resources that hold
// inst back from release, each found through its kind's index.
func Holders(ctx context.Context, tx store.Tx, inst cloud.Instance, now time.Time) (cloud.Holders, error) {
	var h cloud.Holders
	for _, k := range cloud.Kinds() {
		if k.Hold == nil {
			continue
		}
		found, err := lookup{tx}.Find(ctx, k.Name, cloud.Filter{Index: k.Hold.By, Values: []string{inst.ID}})
		if err != nil {
			return nil, err
		}
		if id := k.Hold.Holder(found, inst, now); id != "" {
			h = append(h, cloud.Hold{Kind: k.Name, ID: id, Err: k.Hold.Refuse(id, inst)})
		}
	}
	return h, nil
}

// Attached gathers the disks of inst and their snapshots: what the console
// shows a release would change.
func Attached(ctx context.Context, tx store.Tx, inst cloud.Instance) (cloud.Attached, error) {
	var a cloud.Attached
	disks, err := store.All[cloud.Disk](ctx, tx, "", store.Where(string(cloud.IdxInstance), inst.ID))
	if err != nil {
		return a, err
	}
	a.Disks = disks
	if len(disks) == 0 {
		return a, nil
	}
	ids := make([]string, len(disks))
	for i, d := range disks {
		ids[i] = d.ID
	}
	a.Snapshots, err = store.All[cloud.Snapshot](ctx, tx, "", store.Where(string(cloud.IdxDisk), ids...))
	return a, err
}

// RemoveInstance removes inst at time at with every effect its release has
// on the other kinds, in the caller's transaction: kind by kind in registry
// order, each finding what it changes through an index keyed by the
// instance or by what the release removed before it, then the instance.
func RemoveInstance(ctx context.Context, tx store.Tx, inst cloud.Instance, at time.Time) error {
	rel := cloud.NewReleased(inst, at)
	for _, k := range cloud.Kinds() {
		if k.Release == nil {
			continue
		}
		keys := k.Release.Keys(rel)
		if len(keys) == 0 {
			continue
		}
		found, err := lookup{tx}.Find(ctx, k.Name, cloud.Filter{Index: k.Release.By, Values: keys})
		if err != nil {
			return err
		}
		if len(found) == 0 {
			continue
		}
		put, del := k.Release.Effect(found, rel)
		for _, r := range del {
			if err := store.DeleteKind(ctx, tx, r.Kind(), r.Key()); err != nil && !errors.Is(err, store.ErrNotFound) {
				return fmt.Errorf("release %s %s: %w", r.Kind(), r.Key(), err)
			}
			rel.Removed[r.Key()] = r
		}
		for _, r := range put {
			if err := store.Put(ctx, tx, r); err != nil {
				return err
			}
		}
	}
	return store.Delete[cloud.Instance](ctx, tx, inst.ID)
}

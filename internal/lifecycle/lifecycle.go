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
	"maps"
	"slices"
	"time"

	"github.com/huandu/go-clone"

	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/store"
)

// lookup is the registry hooks' read access, over the caller's transaction.
type lookup struct{ tx store.Tx }

func (l lookup) Find(ctx context.Context, kind string, filters ...cloud.Filter) ([]cloud.Resource, error) {
	found, err := l.findAll(ctx, []search{{kind, filters}})
	if err != nil {
		return nil, err
	}
	return found[0], nil
}

// search is one lookup: the resources of a kind through its indexes.
type search struct {
	kind    string
	filters []cloud.Filter
}

// findAll answers several lookups, in one round trip where the store can
// (store.QueryAll). A lookup of a kind the account holds no record of
// (store.MayHold) finds nothing without a query.
func (l lookup) findAll(ctx context.Context, ss []search) ([][]cloud.Resource, error) {
	qs := make([]store.Query, 0, len(ss))
	kinds := make([]cloud.Kind, len(ss))
	asked := make([]bool, len(ss))
	for i, s := range ss {
		k, ok := cloud.KindOf(s.kind)
		if !ok {
			return nil, fmt.Errorf("lookup of kind %q: not declared", s.kind)
		}
		kinds[i] = k
		held, err := store.MayHold(ctx, l.tx, k.Name)
		if err != nil {
			return nil, err
		}
		q := store.Query{Kind: k.Name, Limit: 1 << 30}
		if !held {
			// Checked as QueryAll would, without the filters' copy.
			for _, f := range s.filters {
				if !k.Declares(f.Index) {
					return nil, fmt.Errorf("query of %s through index %q: not declared by the kind", k.Name, f.Index)
				}
			}
			continue
		}
		q.Filters = make([]store.Filter, len(s.filters))
		for j, f := range s.filters {
			q.Filters[j] = store.Where(string(f.Index), f.Values...)
		}
		qs, asked[i] = append(qs, q), true
	}
	// QueryAll checks every query before it runs any.
	pages, err := store.QueryAll(ctx, l.tx, qs)
	if err != nil {
		return nil, err
	}
	out := make([][]cloud.Resource, len(ss))
	for i := range ss {
		if !asked[i] {
			out[i] = []cloud.Resource{}
			continue
		}
		out[i], err = store.DecodeKind(kinds[i], pages[0].Records)
		if err != nil {
			return nil, err
		}
		pages = pages[1:]
	}
	return out, nil
}

// find answers one lookup: the resources of kind k whose index by holds
// one of values.
func (l lookup) find(ctx context.Context, k cloud.Kind, by cloud.IndexName, values []string) ([]cloud.Resource, error) {
	if held, err := store.MayHold(ctx, l.tx, k.Name); err != nil || !held {
		if err == nil && !k.Declares(by) {
			err = fmt.Errorf("query of %s through index %q: not declared by the kind", k.Name, by)
		}
		return nil, err
	}
	q := store.Query{Kind: k.Name, Limit: 1 << 30, Filters: []store.Filter{store.Where(string(by), values...)}}
	if err := store.CheckQuery(q); err != nil {
		return nil, err
	}
	p, err := l.tx.Query(ctx, q)
	if err != nil {
		return nil, err
	}
	return store.DecodeKind(k, p.Records)
}

// Holders gathers, kind by kind in registry order, the resources that hold
// inst back from release, each found through its kind's index (all in one
// round trip where the store can).
func Holders(ctx context.Context, tx store.Tx, inst cloud.Instance, now time.Time) (cloud.Holders, error) {
	// Only the kinds the account may hold are looked up (store.MayHold):
	// the others hold nothing.
	var ss []search
	for _, k := range holdKinds {
		held, err := store.MayHold(ctx, tx, k.Name)
		if err != nil {
			return nil, err
		}
		if held {
			ss = append(ss, search{k.Name, []cloud.Filter{{Index: k.Hold.By, Values: []string{inst.ID}}}})
		}
	}
	found, err := lookup{tx}.findAll(ctx, ss)
	if err != nil {
		return nil, err
	}
	var h cloud.Holders
	j := 0 // ss and found are in the order of holdKinds, each kind once
	for _, k := range holdKinds {
		got := []cloud.Resource{}
		if j < len(ss) && ss[j].kind == k.Name {
			got = found[j]
			j++
		}
		if id := k.Hold.Holder(got, inst, now); id != "" {
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
//
// Where the store answers several queries at once (store.Batcher), the
// lookups go together: when a kind's turn comes and its lookup is not at
// hand, it and every later kind are looked up with the keys known then.
// A lookup is used only if its kind's keys are still the same and no
// effect wrote its kind since, so each kind sees what the kinds before it
// did, as when each was looked up in its turn. Elsewhere each kind is
// looked up in its turn: a guess there would only cost a query more.
func RemoveInstance(ctx context.Context, tx store.Tx, inst cloud.Instance, at time.Time) error {
	return removeInstance(ctx, &writes{tx: tx, now: tx.Now()}, inst, at)
}

func removeInstance(ctx context.Context, w *writes, inst cloud.Instance, at time.Time) error {
	rel := cloud.NewReleased(inst, at)
	var err error
	if _, ok := w.tx.(store.Batcher); ok {
		err = releaseBatched(ctx, w, rel)
	} else {
		err = releaseInTurn(ctx, w, rel)
	}
	if err != nil {
		return err
	}
	return w.delete(ctx, cloud.KindInstance, inst.ID)
}

// releaseInTurn runs the release effects, each kind looked up in its turn.
func releaseInTurn(ctx context.Context, w *writes, rel *cloud.Released) error {
	for _, k := range releaseKinds {
		// A kind the account holds none of has nothing to change.
		if held, err := store.MayHold(ctx, w.tx, k.Name); err != nil || !held {
			if err != nil {
				return err
			}
			continue
		}
		keys := k.Release.Keys(rel)
		if len(keys) == 0 {
			continue
		}
		found, err := lookup{w.tx}.find(ctx, k, k.Release.By, keys)
		if err != nil {
			return err
		}
		if _, _, err := effect(ctx, w, k, found, rel); err != nil {
			return err
		}
	}
	return nil
}

// releaseBatched runs the release effects with their lookups together
// (RemoveInstance).
func releaseBatched(ctx context.Context, w *writes, rel *cloud.Released) error {
	type looked struct {
		keys  []string
		found []cloud.Resource
	}
	have := map[string]looked{}
	for i, k := range releaseKinds {
		keys := k.Release.Keys(rel)
		if len(keys) == 0 {
			continue
		}
		l, ok := have[k.Name]
		if !ok || !slices.Equal(l.keys, keys) {
			// The later kinds' keys as the effects at hand would leave
			// them (sim): what an ENI's release removes keys the kinds
			// after it. A wrong guess costs a lookup, never a stale one.
			sim := &cloud.Released{Instance: rel.Instance, At: rel.At, Removed: maps.Clone(rel.Removed)}
			simWrote := map[string]bool{}
			var ss []search
			var names []string
			var asked [][]string
			for j, later := range releaseKinds[i:] {
				lk := later.Release.Keys(sim)
				if len(lk) == 0 {
					continue
				}
				if l, ok := have[later.Name]; ok && slices.Equal(l.keys, lk) && !simWrote[later.Name] {
					if j > 0 && len(l.found) > 0 {
						// On copies: the effect runs again on l.found when its turn comes.
						put, del := later.Release.Effect(clone.Clone(l.found).([]cloud.Resource), sim)
						for _, r := range del {
							sim.Removed[r.Key()] = r
							simWrote[r.Kind()] = true
						}
						for _, r := range put {
							simWrote[r.Kind()] = true
						}
					}
					continue
				}
				ss = append(ss, search{later.Name, []cloud.Filter{{Index: later.Release.By, Values: lk}}})
				names, asked = append(names, later.Name), append(asked, lk)
			}
			found, err := lookup{w.tx}.findAll(ctx, ss)
			if err != nil {
				return err
			}
			for j, name := range names {
				have[name] = looked{asked[j], found[j]}
			}
			l = have[k.Name]
		}
		put, del, err := effect(ctx, w, k, l.found, rel)
		if err != nil {
			return err
		}
		for _, r := range del {
			delete(have, r.Kind())
		}
		for _, r := range put {
			delete(have, r.Kind())
		}
	}
	return nil
}

// effect runs kind k's release effect on the resources found, removing
// and writing back what it decides, and answers what it wrote.
func effect(ctx context.Context, w *writes, k cloud.Kind, found []cloud.Resource, rel *cloud.Released) (put, del []cloud.Resource, err error) {
	if len(found) == 0 {
		return nil, nil, nil
	}
	put, del = k.Release.Effect(found, rel)
	for _, r := range del {
		if err := w.delete(ctx, r.Kind(), r.Key()); err != nil && !errors.Is(err, store.ErrNotFound) {
			return nil, nil, fmt.Errorf("release %s %s: %w", r.Kind(), r.Key(), err)
		}
		rel.Removed[r.Key()] = r
	}
	for _, r := range put {
		if err := w.put(ctx, r); err != nil {
			return nil, nil, err
		}
	}
	return put, del, nil
}

// holdKinds and releaseKinds are the kinds with a hold and with a release
// effect, in registry order (the declarations never change after start).
var holdKinds, releaseKinds = kindsWith(func(k cloud.Kind) bool { return k.Hold != nil }),
	kindsWith(func(k cloud.Kind) bool { return k.Release != nil })

func kindsWith(has func(cloud.Kind) bool) []cloud.Kind {
	var out []cloud.Kind
	for _, k := range cloud.Kinds() {
		if has(k) {
			out = append(out, k)
		}
	}
	return out
}

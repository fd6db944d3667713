package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ecslocal/ecslocal/internal/cloud"
)

// Holders gathers the resources that may hold inst back from release
// (spec/semantics.md §3.3 5d–f), each through its kind's index.
func Holders(ctx context.Context, tx Tx, inst cloud.Instance, now time.Time) (cloud.Holders, error) {
	var h cloud.Holders
	var err error
	// One check per network kind, in the order of §3.3 5d–f.
	if h.LinkedENI, err = linkedENI(ctx, tx, inst); err != nil {
		return h, err
	}
	if h.RouteEntry, err = routeEntryHolder(ctx, tx, inst); err != nil {
		return h, err
	}
	if h.ConfiguringSLB, err = configuringSLB(ctx, tx, inst, now); err != nil {
		return h, err
	}
	return h, nil
}

// Attached gathers what a removal of inst changes: its disks and their snapshots.
func Attached(ctx context.Context, tx Tx, inst cloud.Instance) (cloud.Attached, error) {
	var a cloud.Attached
	disks, err := All[cloud.Disk](ctx, tx, "", Where("instance", inst.ID))
	if err != nil {
		return a, err
	}
	a.Disks = disks
	for _, d := range disks {
		snaps, err := All[cloud.Snapshot](ctx, tx, "", Where("disk", d.ID))
		if err != nil {
			return a, err
		}
		a.Snapshots = append(a.Snapshots, snaps...)
	}
	return a, nil
}

// RemoveInstance removes inst at time at with every side effect of §3.6, in
// the caller's transaction: one step per resource family, then the instance.
func RemoveInstance(ctx context.Context, tx Tx, inst cloud.Instance, at time.Time) error {
	steps := []func(context.Context, Tx, cloud.Instance, time.Time) error{
		releaseDisks,
		releaseENIs,
		// Network families add their step here; ENIs before the route entries
		// that point at released ENIs.
		releaseNetwork,
	}
	for _, step := range steps {
		if err := step(ctx, tx, inst, at); err != nil {
			return err
		}
	}
	return Delete[cloud.Instance](ctx, tx, inst.ID)
}

// releaseDisks applies the disk and snapshot rules of §3.6.
func releaseDisks(ctx context.Context, tx Tx, inst cloud.Instance, at time.Time) error {
	a, err := Attached(ctx, tx, inst)
	if err != nil {
		return err
	}
	e := cloud.ReleaseEffects(inst, a, at)
	for _, id := range e.DeleteDisks {
		if err := Delete[cloud.Disk](ctx, tx, id); err != nil && !errors.Is(err, ErrNotFound) {
			return fmt.Errorf("release disk %s: %w", id, err)
		}
	}
	for _, d := range e.KeepDisks {
		if err := Put(ctx, tx, d); err != nil {
			return err
		}
	}
	for _, id := range e.DeleteSnapshots {
		if err := Delete[cloud.Snapshot](ctx, tx, id); err != nil && !errors.Is(err, ErrNotFound) {
			return fmt.Errorf("release snapshot %s: %w", id, err)
		}
	}
	return nil
}

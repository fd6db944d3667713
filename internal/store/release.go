package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ecslocal/ecslocal/internal/cloud"
)

// Holders gathers the resources that may hold inst back from release
// (spec/semantics.md §3.3 5d–f), through their indexes.
func Holders(ctx context.Context, tx Tx, inst cloud.Instance, now time.Time) (cloud.Holders, error) {
	// ENIs, route entries and load balancers arrive with their own kinds;
	// until an account has any, nothing holds an instance.
	return cloud.Holders{}, nil
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
// the caller's transaction.
func RemoveInstance(ctx context.Context, tx Tx, inst cloud.Instance, at time.Time) error {
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
	return Delete[cloud.Instance](ctx, tx, inst.ID)
}

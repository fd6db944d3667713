package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ecslocal/ecslocal/internal/cloud"
)

// instanceENIs are the ENIs attached to inst, members of its trunk ENIs
// included, through the ENIs' "instance" index.
func instanceENIs(ctx context.Context, tx Tx, inst cloud.Instance) ([]cloud.ENI, error) {
	return All[cloud.ENI](ctx, tx, "", Where("instance", inst.ID))
}

// linkedENI is the holder of §3.3 5d: a trunk ENI of inst
// with member ENIs attached ("" when none).
func linkedENI(ctx context.Context, tx Tx, inst cloud.Instance) (string, error) {
	enis, err := instanceENIs(ctx, tx, inst)
	if err != nil {
		return "", err
	}
	return cloud.LinkedENI(enis), nil
}

// releaseENIs applies the ENI rules of §3.6: the primary ENI and every ENI
// with DeleteOnRelease are deleted, the others detached and kept. A released
// ENI simply no longer exists, which is how the route entry step finds the
// entries whose next hop it was.
func releaseENIs(ctx context.Context, tx Tx, inst cloud.Instance, at time.Time) error {
	enis, err := instanceENIs(ctx, tx, inst)
	if err != nil {
		return err
	}
	del, keep := cloud.ENIReleaseEffects(inst, enis, at)
	for _, id := range del {
		if err := Delete[cloud.ENI](ctx, tx, id); err != nil && !errors.Is(err, ErrNotFound) {
			return fmt.Errorf("release ENI %s: %w", id, err)
		}
	}
	for _, e := range keep {
		if err := Put(ctx, tx, e); err != nil {
			return err
		}
	}
	return nil
}

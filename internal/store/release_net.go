package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ecslocal/ecslocal/internal/cloud"
)

// routeEntryHolder finds a custom route entry whose next hop is inst
// (spec/semantics.md §3.3 5e): its id, or "" when none. Any status counts:
// a Pending entry will forward to the instance, a Deleting one still does.
func routeEntryHolder(ctx context.Context, tx Tx, inst cloud.Instance) (string, error) {
	entries, _, err := Find[cloud.RouteEntry](ctx, tx, Query{Filters: []Filter{Where("nextHopId", inst.ID)}, Limit: 100})
	if err != nil {
		return "", err
	}
	for _, e := range entries {
		if e.Type == cloud.RouteCustom && e.HasNextHop(cloud.NextHopInstance, inst.ID) {
			return e.ID, nil
		}
	}
	return "", nil
}

// configuringSLB finds a load balancer inside its configuring window with
// inst as a backend (§3.3 5f): its id, or "" when none.
func configuringSLB(ctx context.Context, tx Tx, inst cloud.Instance, now time.Time) (string, error) {
	lbs, err := All[cloud.LoadBalancer](ctx, tx, "", Where("backend", inst.ID))
	if err != nil {
		return "", err
	}
	for _, l := range lbs {
		if l.Configuring(now) {
			return l.ID, nil
		}
	}
	return "", nil
}

// releaseNetwork applies the route, EIP and SLB rows of §3.6 after the ENI
// step has run: route entries whose next hop is an ENI that no longer
// exists are deleted, EIPs bound to the instance or to a released ENI
// become Available (never released), and the instance and released ENIs
// leave every SLB's backend list.
func releaseNetwork(ctx context.Context, tx Tx, inst cloud.Instance, at time.Time) error {
	// gone answers "is this ENI released?", reading each ENI once; cloud's
	// rules take a plain func, so the first store failure is kept aside.
	var lookupErr error
	seen := map[string]bool{}
	gone := func(id string) bool {
		if g, ok := seen[id]; ok {
			return g
		}
		_, err := tx.Get(ctx, cloud.KindENI, id)
		g := errors.Is(err, ErrNotFound)
		if err != nil && !g && lookupErr == nil {
			lookupErr = err
		}
		seen[id] = g
		return g
	}
	for _, step := range []func(context.Context, Tx, cloud.Instance, func(string) bool) error{
		releaseRoutes, releaseEIPs, releaseBackends,
	} {
		if err := step(ctx, tx, inst, gone); err != nil {
			return err
		}
		if lookupErr != nil {
			return lookupErr
		}
	}
	return nil
}

func releaseRoutes(ctx context.Context, tx Tx, inst cloud.Instance, gone func(string) bool) error {
	mine, err := All[cloud.RouteEntry](ctx, tx, "", Where("nextHopId", inst.ID))
	if err != nil {
		return err
	}
	viaENI, err := All[cloud.RouteEntry](ctx, tx, "", Where("nextHopType", cloud.NextHopENI))
	if err != nil {
		return err
	}
	for _, id := range cloud.StaleRoutes(append(mine, viaENI...), inst.ID, gone) {
		if err := Delete[cloud.RouteEntry](ctx, tx, id); err != nil && !errors.Is(err, ErrNotFound) {
			return fmt.Errorf("release route entry %s: %w", id, err)
		}
	}
	return nil
}

func releaseEIPs(ctx context.Context, tx Tx, inst cloud.Instance, gone func(string) bool) error {
	mine, err := All[cloud.EIP](ctx, tx, "", Where("instance", inst.ID))
	if err != nil {
		return err
	}
	onENI, err := All[cloud.EIP](ctx, tx, "", Where("instanceType", cloud.EIPOnENI))
	if err != nil {
		return err
	}
	for _, e := range append(mine, onENI...) {
		if e.InstanceID == inst.ID || e.InstanceType == cloud.EIPOnENI && gone(e.InstanceID) {
			if err := Put(ctx, tx, cloud.DetachEIP(e)); err != nil {
				return err
			}
		}
	}
	return nil
}

func releaseBackends(ctx context.Context, tx Tx, inst cloud.Instance, gone func(string) bool) error {
	lbs, err := All[cloud.LoadBalancer](ctx, tx, "", Where("backend", inst.ID))
	if err != nil {
		return err
	}
	withENIs, err := All[cloud.LoadBalancer](ctx, tx, "", Where("backendType", cloud.BackendENI))
	if err != nil {
		return err
	}
	done := map[string]bool{}
	for _, l := range append(lbs, withENIs...) {
		if done[l.ID] {
			continue
		}
		done[l.ID] = true
		drop := []string{inst.ID}
		for _, b := range l.Backends {
			if b.Type == cloud.BackendENI && gone(b.ServerID) {
				drop = append(drop, b.ServerID)
			}
		}
		next := cloud.DropBackend(l, drop...)
		if len(next.Backends) == len(l.Backends) {
			continue
		}
		if err := Put(ctx, tx, next); err != nil {
			return err
		}
	}
	return nil
}

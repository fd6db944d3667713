package ecs

import (
	"context"
	"strings"

	"github.com/ecslocal/ecslocal/internal/apierr"
	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/lifecycle"
	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/store"
)

// DeleteInstancesRequest is spec/semantics.md §3.1 (batch).
type DeleteInstancesRequest struct {
	RegionID    string
	IDs         []string
	Release     cloud.Release
	DryRun      bool
	ClientToken string
	fingerprint string
}

// Bind implements rpc.Binder: §3.3 step 1.
func (r *DeleteInstancesRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.IDs = p.List("InstanceId")
	if len(r.IDs) == 0 {
		p.Fail(apierr.MissingParameter.New("InstanceId"))
	}
	if len(r.IDs) > 100 {
		p.Fail(apierr.TooManyInstanceIDs.New())
	}
	r.Release = cloud.Release{
		Force:                 p.Bool("Force", false),
		ForceStop:             p.Bool("ForceStop", true),
		TerminateSubscription: p.Bool("TerminateSubscription", false),
	}
	r.DryRun = p.Bool("DryRun", false)
	r.ClientToken = p.ClientToken()
	r.fingerprint = p.Fingerprint()
}

// DeleteInstancesResponse is {RequestId}.
type DeleteInstancesResponse struct{ rpc.Base }

// DeleteInstances releases up to 100 instances of one region, all or none
// (§3.3): every instance is validated first, then all are marked releasing
// in the same transaction, so two concurrent calls can never both win.
func (s *Service) DeleteInstances(ctx context.Context, call *rpc.Call, req *DeleteInstancesRequest) (*DeleteInstancesResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &DeleteInstancesResponse{}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		// Step 2: a replay answers the stored success without re-validating.
		if replayed, err := store.Replay(ctx, tx, "DeleteInstances", req.ClientToken, req.fingerprint, resp); replayed || err != nil {
			return err
		}
		cfg, err := store.LoadConfig(ctx, tx)
		if err != nil {
			return err
		}
		ids, err := cloud.DedupIDs(req.IDs, cfg.RejectDuplicateIDs)
		if err != nil {
			return err
		}
		list, _, err := store.Find[cloud.Instance](ctx, tx, store.Query{IDs: ids, Limit: len(ids)})
		if err != nil {
			return err
		}
		found := make(map[string]cloud.Instance, len(list))
		for _, i := range list {
			found[i.ID] = i
		}
		if err := cloud.CheckExistence(ids, found, req.RegionID); err != nil {
			return err
		}
		if err := s.release(ctx, tx, ids, found, req.Release, cfg, req.DryRun); err != nil {
			return err
		}
		if req.DryRun {
			if cfg.DryRunSuccessCode == apierr.DryRunSuccess.Code {
				return apierr.DryRunSuccess.New()
			}
			return dryRun()
		}
		return store.Remember(ctx, tx, "DeleteInstances", req.ClientToken, req.fingerprint, resp)
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// release validates every instance in request order (§3.3 step 5, first
// failure wins) and, unless dry, starts the release of all of them.
func (s *Service) release(ctx context.Context, tx store.Tx, ids []string, found map[string]cloud.Instance, r cloud.Release, cfg cloud.Config, dry bool) error {
	now := tx.Now()
	for _, id := range ids {
		h, err := lifecycle.Holders(ctx, tx, found[id], now)
		if err != nil {
			return err
		}
		if err := cloud.CheckRelease(found[id], r, h, now); err != nil {
			return err
		}
	}
	if dry {
		return nil
	}
	for _, id := range ids {
		if err := store.Put(ctx, tx, cloud.StartRelease(found[id], r, now, cfg.Delays)); err != nil {
			return err
		}
	}
	return nil
}

// DeleteInstanceRequest is §3.1 (single): no ClientToken, no RegionId needed.
type DeleteInstanceRequest struct {
	InstanceID string
	Release    cloud.Release
	DryRun     bool
}

// Bind implements rpc.Binder.
func (r *DeleteInstanceRequest) Bind(p *rpc.Params) {
	if !p.Has("InstanceId") {
		p.Fail(apierr.MissingParameter.New("InstanceId"))
	} else if strings.TrimSpace(p.String("InstanceId")) == "" {
		p.Fail(apierr.InvalidInstanceIDMalformed.New())
	}
	r.InstanceID = p.String("InstanceId")
	r.Release = cloud.Release{
		Force:                 p.Bool("Force", false),
		ForceStop:             p.Bool("ForceStop", true),
		TerminateSubscription: p.Bool("TerminateSubscription", false),
	}
	r.DryRun = p.Bool("DryRun", false)
}

// DeleteInstanceResponse is {RequestId}.
type DeleteInstanceResponse struct{ rpc.Base }

// DeleteInstance releases one instance with the same rules as the batch;
// NotFound is always InvalidInstanceId.NotFound and a dry run always answers
// DryRunOperation (§3.7).
func (s *Service) DeleteInstance(ctx context.Context, call *rpc.Call, req *DeleteInstanceRequest) (*DeleteInstanceResponse, error) {
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		inst, err := loadInstance(ctx, tx, req.InstanceID)
		if err != nil {
			return err
		}
		cfg, err := store.LoadConfig(ctx, tx)
		if err != nil {
			return err
		}
		found := map[string]cloud.Instance{inst.ID: inst}
		if err := s.release(ctx, tx, []string{inst.ID}, found, req.Release, cfg, req.DryRun); err != nil {
			return err
		}
		if req.DryRun {
			return dryRun()
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &DeleteInstanceResponse{}, nil
}

package ecs

import (
	"context"

	"github.com/ecslocal/ecslocal/internal/apierr"
	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/store"
)

// powerFunc is one of the pure power rules of internal/cloud, bound to its options.
type powerFunc func(i cloud.Instance, cfg cloud.Config, tx store.Tx) (cloud.Instance, error)

// power runs one power rule on one instance in one transaction.
func (s *Service) power(ctx context.Context, call *rpc.Call, id string, dry bool, fn powerFunc) error {
	return s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		inst, err := loadInstance(ctx, tx, id)
		if err != nil {
			return err
		}
		cfg, err := store.LoadConfig(ctx, tx)
		if err != nil {
			return err
		}
		next, err := fn(inst, cfg, tx)
		if err != nil {
			return err
		}
		if dry {
			return dryRun()
		}
		return store.Put(ctx, tx, next)
	})
}

func startRule(i cloud.Instance, cfg cloud.Config, tx store.Tx) (cloud.Instance, error) {
	return cloud.Start(i, tx.Now(), cfg.Delays)
}

func stopRule(force bool, mode string) powerFunc {
	return func(i cloud.Instance, cfg cloud.Config, tx store.Tx) (cloud.Instance, error) {
		return cloud.Stop(i, tx.Now(), cfg.Delays, force, mode)
	}
}

func rebootRule(i cloud.Instance, cfg cloud.Config, tx store.Tx) (cloud.Instance, error) {
	return cloud.Reboot(i, tx.Now(), cfg.Delays)
}

// StartInstanceRequest is §5.4.
type StartInstanceRequest struct {
	InstanceID string
	DryRun     bool
}

// Bind implements rpc.Binder.
func (r *StartInstanceRequest) Bind(p *rpc.Params) {
	r.InstanceID = p.Required("InstanceId")
	r.DryRun = p.Bool("DryRun", false)
	p.Bool("InitLocalDisk", false)
}

// StartInstanceResponse is {RequestId}.
type StartInstanceResponse struct{ rpc.Base }

// StartInstance starts a Stopped instance.
func (s *Service) StartInstance(ctx context.Context, call *rpc.Call, req *StartInstanceRequest) (*StartInstanceResponse, error) {
	if err := s.power(ctx, call, req.InstanceID, req.DryRun, startRule); err != nil {
		return nil, err
	}
	return &StartInstanceResponse{}, nil
}

// StopInstanceRequest is §5.4.
type StopInstanceRequest struct {
	InstanceID, StoppedMode string
	ForceStop, DryRun       bool
}

// Bind implements rpc.Binder.
func (r *StopInstanceRequest) Bind(p *rpc.Params) {
	r.InstanceID = p.Required("InstanceId")
	r.ForceStop = p.Bool("ForceStop", false)
	r.StoppedMode = p.Enum("StoppedMode", "KeepCharging", "KeepCharging", "StopCharging")
	r.DryRun = p.Bool("DryRun", false)
	p.Bool("ConfirmStop", false)
	p.Bool("Hibernate", false)
}

// StopInstanceResponse is {RequestId}.
type StopInstanceResponse struct{ rpc.Base }

// StopInstance stops a Running instance; a security lock does not block it.
func (s *Service) StopInstance(ctx context.Context, call *rpc.Call, req *StopInstanceRequest) (*StopInstanceResponse, error) {
	if err := s.power(ctx, call, req.InstanceID, req.DryRun, stopRule(req.ForceStop, req.StoppedMode)); err != nil {
		return nil, err
	}
	return &StopInstanceResponse{}, nil
}

// RebootInstanceRequest is §5.4.
type RebootInstanceRequest struct {
	InstanceID        string
	ForceStop, DryRun bool
}

// Bind implements rpc.Binder.
func (r *RebootInstanceRequest) Bind(p *rpc.Params) {
	r.InstanceID = p.Required("InstanceId")
	r.ForceStop = p.Bool("ForceStop", false)
	r.DryRun = p.Bool("DryRun", false)
}

// RebootInstanceResponse is {RequestId}.
type RebootInstanceResponse struct{ rpc.Base }

// RebootInstance reboots a Running instance: Stopping, Starting, Running.
func (s *Service) RebootInstance(ctx context.Context, call *rpc.Call, req *RebootInstanceRequest) (*RebootInstanceResponse, error) {
	if err := s.power(ctx, call, req.InstanceID, req.DryRun, rebootRule); err != nil {
		return nil, err
	}
	return &RebootInstanceResponse{}, nil
}

// BatchPowerRequest is StartInstances and RebootInstances, and the part of
// StopInstances they share.
type BatchPowerRequest struct {
	RegionID    string
	IDs         []string
	AllTogether bool
	DryRun      bool
}

// Bind implements rpc.Binder.
func (r *BatchPowerRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.IDs = p.List("InstanceId")
	if len(r.IDs) == 0 {
		p.Fail(apierr.MissingParameter.New("InstanceId"))
	}
	if len(r.IDs) > 100 {
		p.Fail(apierr.TooManyInstanceIDs.New())
	}
	r.AllTogether = p.Enum("BatchOptimization", "AllTogether", "AllTogether", "SuccessFirst") == "AllTogether"
	r.DryRun = p.Bool("DryRun", false)
}

// StopInstancesRequest adds the stop options, which only StopInstances
// defines.
type StopInstancesRequest struct {
	BatchPowerRequest
	ForceStop   bool
	StoppedMode string
}

// Bind implements rpc.Binder.
func (r *StopInstancesRequest) Bind(p *rpc.Params) {
	r.BatchPowerRequest.Bind(p)
	r.ForceStop = p.Bool("ForceStop", false)
	r.StoppedMode = p.Enum("StoppedMode", "KeepCharging", "KeepCharging", "StopCharging")
}

// InstanceResponseItem is one instance's outcome in a batch.
type InstanceResponseItem struct {
	InstanceID     string `json:"InstanceId"`
	Code           string `json:"Code"`
	Message        string `json:"Message"`
	PreviousStatus string `json:"PreviousStatus"`
	CurrentStatus  string `json:"CurrentStatus"`
}

// BatchPowerResponse wraps InstanceResponses.InstanceResponse[].
type BatchPowerResponse struct {
	rpc.Base
	InstanceResponses struct {
		InstanceResponse []InstanceResponseItem `json:"InstanceResponse"`
	} `json:"InstanceResponses"`
}

// batch applies rule to every instance: AllTogether is all or nothing,
// SuccessFirst applies what it can and reports each failure in place.
func (s *Service) batch(ctx context.Context, call *rpc.Call, req *BatchPowerRequest, rule powerFunc) (*BatchPowerResponse, error) {
	resp := &BatchPowerResponse{}
	resp.InstanceResponses.InstanceResponse = []InstanceResponseItem{}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		cfg, err := store.LoadConfig(ctx, tx)
		if err != nil {
			return err
		}
		var next []cloud.Instance
		for _, id := range req.IDs {
			inst, err := store.GetIn[cloud.Instance](ctx, tx, req.RegionID, id)
			if err == nil {
				var changed cloud.Instance
				if changed, err = rule(inst, cfg, tx); err == nil {
					next = append(next, changed)
					resp.InstanceResponses.InstanceResponse = append(resp.InstanceResponses.InstanceResponse,
						InstanceResponseItem{InstanceID: id, Code: "200", Message: "success", PreviousStatus: inst.Status, CurrentStatus: changed.Status})
					continue
				}
			}
			err = notFound(err, apierr.InvalidInstanceIDNotFound)
			if req.AllTogether {
				return err
			}
			ae, ok := err.(*apierr.Error)
			if !ok {
				return err
			}
			resp.InstanceResponses.InstanceResponse = append(resp.InstanceResponses.InstanceResponse,
				InstanceResponseItem{InstanceID: id, Code: ae.Code, Message: ae.Message, PreviousStatus: inst.Status, CurrentStatus: inst.Status})
		}
		if req.DryRun {
			return dryRun()
		}
		for _, i := range next {
			if err := store.Put(ctx, tx, i); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// StartInstances starts several instances (§5.4).
func (s *Service) StartInstances(ctx context.Context, call *rpc.Call, req *BatchPowerRequest) (*BatchPowerResponse, error) {
	return s.batch(ctx, call, req, startRule)
}

// StopInstances stops several instances.
func (s *Service) StopInstances(ctx context.Context, call *rpc.Call, req *StopInstancesRequest) (*BatchPowerResponse, error) {
	return s.batch(ctx, call, &req.BatchPowerRequest, stopRule(req.ForceStop, req.StoppedMode))
}

// RebootInstances reboots several instances.
func (s *Service) RebootInstances(ctx context.Context, call *rpc.Call, req *BatchPowerRequest) (*BatchPowerResponse, error) {
	return s.batch(ctx, call, req, rebootRule)
}

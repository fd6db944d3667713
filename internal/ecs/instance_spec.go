package ecs

import (
	"context"
	"fmt"

	"github.com/ecslocal/ecslocal/internal/apierr"
	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/store"
)

// maxBandwidthOut is the highest InternetMaxBandwidthOut, in Mbit/s.
const maxBandwidthOut = 100

// orderID is the OrderId of a subscription change: ecslocal bills nothing,
// so it is a number in the cloud's form that names no order.
func (s *Service) orderID() string { return "2" + s.ids.Digits(14) }

// newInstanceType resolves the type an instance is to take: a type of the
// catalogue, offered in the instance's zone and not sold out, that what
// is attached to the instance fits.
func (s *Service) newInstanceType(ctx context.Context, tx store.Tx, inst cloud.Instance, id string) (cloud.InstanceType, error) {
	t, ok := s.catalog.InstanceType(id)
	if !ok {
		return t, apierr.InvalidInstanceTypeNotFound.New()
	}
	if !s.catalog.ZoneOffers(inst.Zone, t.InstanceTypeID) {
		return t, apierr.ZoneTypeNotOffered.New()
	}
	cfg, err := store.LoadConfig(ctx, tx)
	if err != nil {
		return t, err
	}
	if cfg.SoldOut(inst.Zone, t.InstanceTypeID) {
		return t, apierr.NoStock.New()
	}
	enis, err := enisOf(ctx, tx, inst.Region, inst.ID)
	if err != nil {
		return t, err
	}
	return t, cloud.CheckTypeFits(t, enis[inst.ID])
}

// currentType is the catalogue entry of the instance's own type.
func (s *Service) currentType(inst cloud.Instance) (cloud.InstanceType, error) {
	t, ok := s.catalog.InstanceType(inst.InstanceType)
	if !ok {
		return t, fmt.Errorf("instance %s has unknown type %s", inst.ID, inst.InstanceType)
	}
	return t, nil
}

// ModifyInstanceSpecRequest changes a pay-as-you-go instance's type and
// public bandwidth.
type ModifyInstanceSpecRequest struct {
	InstanceID, InstanceType, ClientToken string
	BandwidthOut                          *int
	DryRun                                bool
	fingerprint                           string
}

// Bind implements rpc.Binder.
func (r *ModifyInstanceSpecRequest) Bind(p *rpc.Params) {
	r.InstanceID = p.Required("InstanceId")
	r.InstanceType = p.String("InstanceType")
	r.BandwidthOut = p.OptInt("InternetMaxBandwidthOut", 0, maxBandwidthOut)
	p.OptInt("InternetMaxBandwidthIn", 1, 10000)
	p.Bool("AllowMigrateAcrossZone", false)
	p.Bool("Async", false)
	r.DryRun = p.Bool("DryRun", false)
	r.ClientToken = p.ClientToken()
	r.fingerprint = p.Fingerprint()
	if r.InstanceType == "" && r.BandwidthOut == nil && p.Err() == nil {
		p.Fail(apierr.MissingParameter.New("InstanceType"))
	}
}

// ModifyInstanceSpecResponse is {RequestId}.
type ModifyInstanceSpecResponse struct{ rpc.Base }

// ModifyInstanceSpec: the type of a stopped pay-as-you-go instance
// (InvalidInstanceStatus.NotStopped otherwise; a subscription answers
// ChargeTypeViolation and uses ModifyPrepayInstanceSpec), and its outbound
// bandwidth at any time. The new type must be offered in the zone, in
// stock, and hold the instance's ENIs and addresses.
func (s *Service) ModifyInstanceSpec(ctx context.Context, call *rpc.Call, req *ModifyInstanceSpecRequest) (*ModifyInstanceSpecResponse, error) {
	resp := &ModifyInstanceSpecResponse{}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		if replayed, err := store.Replay(ctx, tx, call.Action, req.ClientToken, req.fingerprint, resp); replayed || err != nil {
			return err
		}
		inst, err := loadInstance(ctx, tx, req.InstanceID)
		if err != nil {
			return err
		}
		if err := cloud.CheckModify(inst); err != nil {
			return err
		}
		if inst.ChargeType != cloud.PostPaid {
			return apierr.ChargeTypeViolation.New()
		}
		if req.InstanceType != "" && req.InstanceType != inst.InstanceType {
			if inst.Status != cloud.StatusStopped {
				return apierr.InstanceNotStopped.New()
			}
			t, err := s.newInstanceType(ctx, tx, inst, req.InstanceType)
			if err != nil {
				return err
			}
			inst = inst.WithType(t)
		}
		if req.BandwidthOut != nil {
			inst.BandwidthOut = *req.BandwidthOut
		}
		if req.DryRun {
			return dryRun()
		}
		if err := store.Put(ctx, tx, inst); err != nil {
			return err
		}
		return store.Remember(ctx, tx, call.Action, req.ClientToken, req.fingerprint, resp)
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// ModifyPrepayInstanceSpecRequest changes a subscription instance's type.
type ModifyPrepayInstanceSpecRequest struct {
	RegionID, InstanceID, InstanceType, OperatorType, ClientToken string
	fingerprint                                                   string
}

// Bind implements rpc.Binder.
func (r *ModifyPrepayInstanceSpecRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.InstanceID = p.Required("InstanceId")
	r.InstanceType = p.Required("InstanceType")
	r.OperatorType = p.Enum("OperatorType", "upgrade", "upgrade", "downgrade")
	p.Bool("AutoPay", true)
	p.Bool("RebootWhenFinished", false)
	p.Bool("MigrateAcrossZone", false)
	r.ClientToken = p.ClientToken()
	r.fingerprint = p.Fingerprint()
}

// ModifyPrepayInstanceSpecResponse carries the order.
type ModifyPrepayInstanceSpecResponse struct {
	rpc.Base
	OrderID string `json:"OrderId"`
}

// ModifyPrepayInstanceSpec: a subscription's type, Running or Stopped, up
// (no fewer vCPUs, no less memory) or down as OperatorType says; the change
// takes effect at once and the subscription's end stays [choice: the cloud
// restarts a running instance or waits for RebootTime].
func (s *Service) ModifyPrepayInstanceSpec(ctx context.Context, call *rpc.Call, req *ModifyPrepayInstanceSpecRequest) (*ModifyPrepayInstanceSpecResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &ModifyPrepayInstanceSpecResponse{}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		if replayed, err := store.Replay(ctx, tx, call.Action, req.ClientToken, req.fingerprint, resp); replayed || err != nil {
			return err
		}
		inst, err := loadInstance(ctx, tx, req.InstanceID)
		if err != nil {
			return err
		}
		if err := cloud.CheckModify(inst); err != nil {
			return err
		}
		if inst.ChargeType != cloud.PrePaid || inst.ChargeTypeTo != "" {
			return apierr.ChargeTypeViolation.New()
		}
		if inst.Status != cloud.StatusRunning && inst.Status != cloud.StatusStopped || inst.Expired {
			return apierr.IncorrectInstanceStatus.New()
		}
		from, err := s.currentType(inst)
		if err != nil {
			return err
		}
		to, err := s.newInstanceType(ctx, tx, inst, req.InstanceType)
		if err != nil {
			return err
		}
		if to.InstanceTypeID == from.InstanceTypeID ||
			req.OperatorType == "upgrade" && !cloud.Upgrade(from, to) || req.OperatorType == "downgrade" && !cloud.Downgrade(from, to) {
			return apierr.InvalidOperatorType.New()
		}
		if err := store.Put(ctx, tx, inst.WithType(to)); err != nil {
			return err
		}
		resp.OrderID = s.orderID()
		return store.Remember(ctx, tx, call.Action, req.ClientToken, req.fingerprint, resp)
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// ModifyInstanceNetworkSpecRequest changes an instance's public bandwidth
// and its billing.
type ModifyInstanceNetworkSpecRequest struct {
	InstanceID, NetworkChargeType, ClientToken string
	BandwidthOut                               *int
	AllocatePublicIP                           bool
	fingerprint                                string
}

// Bind implements rpc.Binder.
func (r *ModifyInstanceNetworkSpecRequest) Bind(p *rpc.Params) {
	r.InstanceID = p.Required("InstanceId")
	r.BandwidthOut = p.OptInt("InternetMaxBandwidthOut", 0, maxBandwidthOut)
	p.OptInt("InternetMaxBandwidthIn", 1, 10000)
	r.NetworkChargeType = p.Enum("NetworkChargeType", "", "PayByTraffic", "PayByBandwidth")
	r.AllocatePublicIP = p.Bool("AllocatePublicIp", false)
	p.Bool("AutoPay", true)
	r.ClientToken = p.ClientToken()
	r.fingerprint = p.Fingerprint()
}

// ModifyInstanceNetworkSpecResponse carries the order.
type ModifyInstanceNetworkSpecResponse struct {
	rpc.Base
	OrderID string `json:"OrderId"`
}

// ModifyInstanceNetworkSpec sets InternetMaxBandwidthOut and the internet
// charge type of a Running or Stopped instance; AllocatePublicIp gives an
// instance without a public address one, which needs bandwidth
// (InvalidParameter.Bandwidth), as does keeping one (an instance with a
// public address cannot go to 0).
func (s *Service) ModifyInstanceNetworkSpec(ctx context.Context, call *rpc.Call, req *ModifyInstanceNetworkSpecRequest) (*ModifyInstanceNetworkSpecResponse, error) {
	resp := &ModifyInstanceNetworkSpecResponse{}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		if replayed, err := store.Replay(ctx, tx, call.Action, req.ClientToken, req.fingerprint, resp); replayed || err != nil {
			return err
		}
		inst, err := loadInstance(ctx, tx, req.InstanceID)
		if err != nil {
			return err
		}
		if err := cloud.CheckModify(inst); err != nil {
			return err
		}
		if inst.Status != cloud.StatusRunning && inst.Status != cloud.StatusStopped {
			return apierr.IncorrectInstanceStatus.New()
		}
		if req.BandwidthOut != nil {
			inst.BandwidthOut = *req.BandwidthOut
		}
		if req.NetworkChargeType != "" {
			inst.InternetChargeType = req.NetworkChargeType
		}
		if req.AllocatePublicIP && inst.PublicIP == "" {
			if inst.EIP != nil {
				return apierr.InstanceEIPBound.New()
			}
			if inst.PublicIP, err = s.freePublicIP(ctx, tx); err != nil {
				return err
			}
		}
		if inst.PublicIP != "" && inst.BandwidthOut == 0 {
			return apierr.InvalidBandwidth.New()
		}
		if err := store.Put(ctx, tx, inst); err != nil {
			return err
		}
		resp.OrderID = s.orderID()
		return store.Remember(ctx, tx, call.Action, req.ClientToken, req.fingerprint, resp)
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

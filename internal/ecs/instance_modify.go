package ecs

import (
	"context"
	"time"

	"github.com/ecslocal/ecslocal/internal/apierr"
	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/store"
)

// ModifyInstanceAttributeRequest is §5.4: unset fields stay unchanged.
type ModifyInstanceAttributeRequest struct {
	InstanceID                            string
	Protected                             *bool
	Name, Description, HostName, Password *string
	SecurityGroupIDs                      []string
}

func optString(p *rpc.Params, name string) *string {
	if !p.Has(name) {
		return nil
	}
	v := p.String(name)
	return &v
}

// Bind implements rpc.Binder.
func (r *ModifyInstanceAttributeRequest) Bind(p *rpc.Params) {
	r.InstanceID = p.Required("InstanceId")
	r.Protected = p.OptBool("DeletionProtection")
	r.Name = optString(p, "InstanceName")
	r.Description = optString(p, "Description")
	r.HostName = optString(p, "HostName")
	r.Password = optString(p, "Password")
	r.SecurityGroupIDs = p.List("SecurityGroupIds")
	if r.Name != nil && (len(*r.Name) < 2 || len(*r.Name) > 128) {
		p.Fail(apierr.InvalidInstanceName.New())
	}
	if r.HostName != nil && (len(*r.HostName) < 2 || len(*r.HostName) > 64) {
		p.Fail(apierr.InvalidHostName.New())
	}
	if r.Password != nil && (len(*r.Password) < 8 || len(*r.Password) > 30) {
		p.Fail(apierr.InvalidPassword.New())
	}
}

// ModifyInstanceAttributeResponse is {RequestId}.
type ModifyInstanceAttributeResponse struct{ rpc.Base }

// ModifyInstanceAttribute changes names, protection and security groups;
// a security lock refuses it (§2).
func (s *Service) ModifyInstanceAttribute(ctx context.Context, call *rpc.Call, req *ModifyInstanceAttributeRequest) (*ModifyInstanceAttributeResponse, error) {
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		inst, err := loadInstance(ctx, tx, req.InstanceID)
		if err != nil {
			return err
		}
		if err := cloud.CheckModify(inst); err != nil {
			return err
		}
		if req.Protected != nil {
			inst.Protected = *req.Protected
		}
		if req.Name != nil {
			inst.Name = *req.Name
		}
		if req.Description != nil {
			inst.Description = *req.Description
		}
		if req.HostName != nil {
			inst.HostName = *req.HostName
		}
		if len(req.SecurityGroupIDs) > 0 {
			var sgs []string
			for _, id := range req.SecurityGroupIDs {
				sg, err := store.GetIn[cloud.SecurityGroup](ctx, tx, inst.Region, id)
				if err != nil {
					return notFound(err, apierr.InvalidSecurityGroupIDNotFound)
				}
				if sg.VpcID != inst.VpcID {
					return apierr.SecurityGroupVpcMismatch.New()
				}
				if !contains(sgs, id) {
					sgs = append(sgs, id)
				}
			}
			inst.SecurityGroups = sgs
			// The primary ENI is the instance's membership: it follows.
			primary, err := store.All[cloud.ENI](ctx, tx, inst.Region, store.Where("instance", inst.ID), store.Where("type", cloud.ENIPrimary))
			if err != nil {
				return err
			}
			for _, e := range primary {
				e.SecurityGroups = sgs
				if err := store.Put(ctx, tx, e); err != nil {
					return err
				}
			}
		}
		return store.Put(ctx, tx, inst)
	})
	if err != nil {
		return nil, err
	}
	return &ModifyInstanceAttributeResponse{}, nil
}

// ModifyInstanceChargeTypeRequest is §5.4, Terraform's PrePaid delete path.
type ModifyInstanceChargeTypeRequest struct {
	RegionID, ChargeType, PeriodUnit string
	IDs                              []string
	Period                           int
	DryRun                           bool
	ClientToken, fingerprint         string
}

// Bind implements rpc.Binder.
func (r *ModifyInstanceChargeTypeRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.IDs = p.JSONList("InstanceIds")
	if len(r.IDs) == 0 && p.Err() == nil {
		p.Fail(apierr.MissingParameter.New("InstanceIds"))
	}
	if len(r.IDs) > 20 {
		p.Fail(apierr.InvalidParameter.New("InstanceIds"))
	}
	r.ChargeType = p.Enum("InstanceChargeType", cloud.PrePaid, cloud.PrePaid, cloud.PostPaid)
	r.Period = p.Int("Period", 1, 1, 60)
	r.PeriodUnit = p.Enum("PeriodUnit", "Month", "Month", "Week", "Year")
	p.Bool("IncludeDataDisks", false)
	p.Bool("AutoPay", true)
	p.Bool("IsDetailFee", false)
	r.DryRun = p.Bool("DryRun", false)
	r.ClientToken = p.ClientToken()
	r.fingerprint = p.Fingerprint()
}

// FeeItem is one instance's fee in a charge-type change.
type FeeItem struct {
	InstanceID string `json:"InstanceId"`
	Fee        string `json:"Fee"`
	Currency   string `json:"Currency"`
}

// ModifyInstanceChargeTypeResponse carries OrderId and FeeOfInstances.
type ModifyInstanceChargeTypeResponse struct {
	rpc.Base
	OrderID        string `json:"OrderId"`
	FeeOfInstances struct {
		FeeOfInstance []FeeItem `json:"FeeOfInstance"`
	} `json:"FeeOfInstances"`
}

// ModifyInstanceChargeType converts instances between PostPaid and PrePaid;
// the new type shows after the chargeType delay.
func (s *Service) ModifyInstanceChargeType(ctx context.Context, call *rpc.Call, req *ModifyInstanceChargeTypeRequest) (*ModifyInstanceChargeTypeResponse, error) {
	resp := &ModifyInstanceChargeTypeResponse{}
	resp.FeeOfInstances.FeeOfInstance = []FeeItem{}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		if replayed, err := store.Replay(ctx, tx, "ModifyInstanceChargeType", req.ClientToken, req.fingerprint, resp); replayed || err != nil {
			return err
		}
		if req.ChargeType == cloud.PrePaid && !cloud.ValidPeriod(req.Period, req.PeriodUnit) {
			return apierr.InvalidPeriod.New()
		}
		cfg, err := store.LoadConfig(ctx, tx)
		if err != nil {
			return err
		}
		var next []cloud.Instance
		for _, id := range req.IDs {
			inst, err := store.GetIn[cloud.Instance](ctx, tx, req.RegionID, id)
			if err != nil {
				return notFound(err, apierr.InvalidInstanceIDNotFound)
			}
			changed, err := cloud.ChangeChargeType(inst, req.ChargeType, tx.Now(), cfg.Delays, req.Period, req.PeriodUnit)
			if err != nil {
				return err
			}
			next = append(next, changed)
			resp.FeeOfInstances.FeeOfInstance = append(resp.FeeOfInstances.FeeOfInstance, FeeItem{InstanceID: id, Fee: "0", Currency: "CNY"})
		}
		if req.DryRun {
			return dryRun()
		}
		for _, i := range next {
			if err := store.Put(ctx, tx, i); err != nil {
				return err
			}
		}
		resp.OrderID = s.ids.Digits(15)
		return store.Remember(ctx, tx, "ModifyInstanceChargeType", req.ClientToken, req.fingerprint, resp)
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// RenewInstanceRequest is §5.4.
type RenewInstanceRequest struct {
	InstanceID, PeriodUnit string
	Period                 int
}

// Bind implements rpc.Binder.
func (r *RenewInstanceRequest) Bind(p *rpc.Params) {
	r.InstanceID = p.Required("InstanceId")
	if !p.Has("Period") && p.Err() == nil {
		p.Fail(apierr.MissingParameter.New("Period"))
	}
	r.Period = p.Int("Period", 1, 1, 60)
	r.PeriodUnit = p.Enum("PeriodUnit", "Month", "Month", "Week", "Year")
	p.ClientToken()
}

// RenewInstanceResponse carries the OrderId.
type RenewInstanceResponse struct {
	rpc.Base
	OrderID string `json:"OrderId"`
}

// RenewInstance extends a subscription; an expired one may start again.
func (s *Service) RenewInstance(ctx context.Context, call *rpc.Call, req *RenewInstanceRequest) (*RenewInstanceResponse, error) {
	if !cloud.ValidPeriod(req.Period, req.PeriodUnit) {
		return nil, apierr.InvalidPeriod.New()
	}
	resp := &RenewInstanceResponse{}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		inst, err := loadInstance(ctx, tx, req.InstanceID)
		if err != nil {
			return err
		}
		next, err := cloud.Renew(inst, tx.Now(), req.Period, req.PeriodUnit)
		if err != nil {
			return err
		}
		resp.OrderID = s.ids.Digits(15)
		return store.Put(ctx, tx, next)
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// ModifyInstanceAutoReleaseTimeRequest is §5.4; an empty time cancels.
type ModifyInstanceAutoReleaseTimeRequest struct {
	InstanceID, AutoReleaseTime string
}

// Bind implements rpc.Binder.
func (r *ModifyInstanceAutoReleaseTimeRequest) Bind(p *rpc.Params) {
	r.InstanceID = p.Required("InstanceId")
	r.AutoReleaseTime = p.String("AutoReleaseTime")
}

// ModifyInstanceAutoReleaseTimeResponse is {RequestId}.
type ModifyInstanceAutoReleaseTimeResponse struct{ rpc.Base }

// ModifyInstanceAutoReleaseTime sets or cancels automatic release, which
// ignores DeletionProtection when it fires (§3.5).
func (s *Service) ModifyInstanceAutoReleaseTime(ctx context.Context, call *rpc.Call, req *ModifyInstanceAutoReleaseTimeRequest) (*ModifyInstanceAutoReleaseTimeResponse, error) {
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		inst, err := loadInstance(ctx, tx, req.InstanceID)
		if err != nil {
			return err
		}
		if inst.Releasing {
			return apierr.IncorrectInstanceStatus.New()
		}
		if inst.ChargeType == cloud.PrePaid {
			return apierr.AutoReleasePrePaid.New()
		}
		inst.AutoRelease = time.Time{}
		if req.AutoReleaseTime != "" {
			t, ok := cloud.ParseAPITime(req.AutoReleaseTime)
			if !ok {
				return apierr.InvalidAutoReleaseTime.New()
			}
			if err := cloud.CheckAutoReleaseTime(t, tx.Now()); err != nil {
				return err
			}
			inst.AutoRelease = t.Truncate(time.Minute)
		}
		return store.Put(ctx, tx, inst)
	})
	if err != nil {
		return nil, err
	}
	return &ModifyInstanceAutoReleaseTimeResponse{}, nil
}

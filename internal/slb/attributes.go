package slb

import (
	"context"

	"github.com/ecslocal/ecslocal/internal/apierr"
	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/store"
)

// changeLoadBalancer runs one attribute write of a load balancer. A
// configuring change (configuring true) is refused inside the configuring
// window and opens it; a rename or a protection switch is not.
func (s *Service) changeLoadBalancer(ctx context.Context, call *rpc.Call, region, id string, configuring bool,
	change func(cloud.LoadBalancer) (cloud.LoadBalancer, error)) error {
	if err := s.checkRegion(region); err != nil {
		return err
	}
	return s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		l, err := loadBalancer(ctx, tx, region, id)
		if err != nil {
			return err
		}
		if configuring {
			if err := cloud.CheckSLBWrite(l, tx.Now()); err != nil {
				return err
			}
			window, err := configuringWindow(ctx, tx)
			if err != nil {
				return err
			}
			l.ConfiguringUntil = tx.Now().Add(window.D())
		}
		next, err := change(l)
		if err != nil {
			return err
		}
		return store.Put(ctx, tx, next)
	})
}

// SetLoadBalancerStatusRequest is SetLoadBalancerStatus.
type SetLoadBalancerStatusRequest struct{ RegionID, LoadBalancerID, Status string }

// Bind implements rpc.Binder.
func (r *SetLoadBalancerStatusRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.LoadBalancerID = p.Required("LoadBalancerId")
	p.Required("LoadBalancerStatus")
	r.Status = p.Enum("LoadBalancerStatus", "", cloud.SLBActive, "inactive")
}

// SetLoadBalancerStatus starts (active) or stops (inactive) a load balancer.
func (s *Service) SetLoadBalancerStatus(ctx context.Context, call *rpc.Call, req *SetLoadBalancerStatusRequest) (*EmptyResponse, error) {
	err := s.changeLoadBalancer(ctx, call, req.RegionID, req.LoadBalancerID, true, func(l cloud.LoadBalancer) (cloud.LoadBalancer, error) {
		l.Status = req.Status
		return l, nil
	})
	if err != nil {
		return nil, err
	}
	return &EmptyResponse{}, nil
}

// SetLoadBalancerNameRequest is SetLoadBalancerName.
type SetLoadBalancerNameRequest struct{ RegionID, LoadBalancerID, Name string }

// Bind implements rpc.Binder.
func (r *SetLoadBalancerNameRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.LoadBalancerID = p.Required("LoadBalancerId")
	r.Name = p.Required("LoadBalancerName")
	if len(r.Name) > 80 {
		p.Fail(apierr.InvalidParameter.New("LoadBalancerName"))
	}
}

// SetLoadBalancerName renames a load balancer.
func (s *Service) SetLoadBalancerName(ctx context.Context, call *rpc.Call, req *SetLoadBalancerNameRequest) (*EmptyResponse, error) {
	err := s.changeLoadBalancer(ctx, call, req.RegionID, req.LoadBalancerID, false, func(l cloud.LoadBalancer) (cloud.LoadBalancer, error) {
		l.Name = req.Name
		return l, nil
	})
	if err != nil {
		return nil, err
	}
	return &EmptyResponse{}, nil
}

// SetDeleteProtectionRequest is SetLoadBalancerDeleteProtection.
type SetDeleteProtectionRequest struct {
	RegionID, LoadBalancerID string
	On                       bool
}

// Bind implements rpc.Binder.
func (r *SetDeleteProtectionRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.LoadBalancerID = p.Required("LoadBalancerId")
	p.Required("DeleteProtection")
	r.On = p.Enum("DeleteProtection", "", "on", "off") == "on"
}

// SetLoadBalancerDeleteProtection switches deletion protection.
func (s *Service) SetLoadBalancerDeleteProtection(ctx context.Context, call *rpc.Call, req *SetDeleteProtectionRequest) (*EmptyResponse, error) {
	err := s.changeLoadBalancer(ctx, call, req.RegionID, req.LoadBalancerID, false, func(l cloud.LoadBalancer) (cloud.LoadBalancer, error) {
		l.DeleteProtection = req.On
		return l, nil
	})
	if err != nil {
		return nil, err
	}
	return &EmptyResponse{}, nil
}

// SetModificationProtectionRequest is SetLoadBalancerModificationProtection.
type SetModificationProtectionRequest struct{ RegionID, LoadBalancerID, Status, Reason string }

// Bind implements rpc.Binder.
func (r *SetModificationProtectionRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.LoadBalancerID = p.Required("LoadBalancerId")
	p.Required("ModificationProtectionStatus")
	r.Status = p.Enum("ModificationProtectionStatus", "", "NonProtection", "ConsoleProtection")
	r.Reason = p.String("ModificationProtectionReason")
}

// SetLoadBalancerModificationProtection switches the console's
// modification protection; API calls are never refused by it.
func (s *Service) SetLoadBalancerModificationProtection(ctx context.Context, call *rpc.Call, req *SetModificationProtectionRequest) (*EmptyResponse, error) {
	err := s.changeLoadBalancer(ctx, call, req.RegionID, req.LoadBalancerID, false, func(l cloud.LoadBalancer) (cloud.LoadBalancer, error) {
		l.ModificationProtection, l.ModificationReason = "", ""
		if req.Status == "ConsoleProtection" {
			l.ModificationProtection, l.ModificationReason = req.Status, req.Reason
		}
		return l, nil
	})
	if err != nil {
		return nil, err
	}
	return &EmptyResponse{}, nil
}

// OrderResponse is the answer of the spec changes: a pay-as-you-go change
// places no order, so OrderId is 0 [choice].
type OrderResponse struct {
	rpc.Base
	OrderID int64 `json:"OrderId"`
}

// InternetSpecRequest is ModifyLoadBalancerInternetSpec.
type InternetSpecRequest struct {
	RegionID, LoadBalancerID, ChargeType string
	Bandwidth                            *int
}

// Bind implements rpc.Binder.
func (r *InternetSpecRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.LoadBalancerID = p.Required("LoadBalancerId")
	r.ChargeType = p.Enum("InternetChargeType", "", "paybytraffic", "paybybandwidth")
	r.Bandwidth = p.OptInt("Bandwidth", 1, defaultBandwidth)
	p.Bool("AutoPay", false)
}

// ModifyLoadBalancerInternetSpec changes an internet load balancer's
// metering and bandwidth; an intranet one has none to change [choice:
// InvalidParameter naming InternetChargeType].
func (s *Service) ModifyLoadBalancerInternetSpec(ctx context.Context, call *rpc.Call, req *InternetSpecRequest) (*OrderResponse, error) {
	err := s.changeLoadBalancer(ctx, call, req.RegionID, req.LoadBalancerID, true, func(l cloud.LoadBalancer) (cloud.LoadBalancer, error) {
		if l.AddressType != cloud.SLBInternet {
			return l, apierr.InvalidParameter.New("InternetChargeType").WithDetail("load balancer %s is %s", l.ID, l.AddressType)
		}
		if req.ChargeType != "" {
			l.InternetChargeType = req.ChargeType
		}
		if req.Bandwidth != nil {
			l.Bandwidth = *req.Bandwidth
		}
		if l.InternetChargeType == "paybytraffic" && req.Bandwidth == nil {
			l.Bandwidth = defaultBandwidth
		}
		return l, nil
	})
	if err != nil {
		return nil, err
	}
	return &OrderResponse{}, nil
}

// InstanceSpecRequest is ModifyLoadBalancerInstanceSpec.
type InstanceSpecRequest struct{ RegionID, LoadBalancerID, Spec string }

// Bind implements rpc.Binder.
func (r *InstanceSpecRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.LoadBalancerID = p.Required("LoadBalancerId")
	p.Required("LoadBalancerSpec")
	r.Spec = p.Enum("LoadBalancerSpec", "", cloud.LoadBalancerSpecs...)
	p.Bool("AutoPay", false)
}

// ModifyLoadBalancerInstanceSpec changes the performance specification.
func (s *Service) ModifyLoadBalancerInstanceSpec(ctx context.Context, call *rpc.Call, req *InstanceSpecRequest) (*OrderResponse, error) {
	err := s.changeLoadBalancer(ctx, call, req.RegionID, req.LoadBalancerID, true, func(l cloud.LoadBalancer) (cloud.LoadBalancer, error) {
		l.Spec = req.Spec
		return l, nil
	})
	if err != nil {
		return nil, err
	}
	return &OrderResponse{}, nil
}

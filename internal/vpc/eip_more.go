package vpc

import (
	"context"
	"net/netip"
	"strconv"

	"github.com/ecslocal/ecslocal/internal/apierr"
	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/store"
	"github.com/ecslocal/ecslocal/internal/tagging"
)

// EIP forward modes (ModifyEipForwardMode, AssociateEipAddressBatch).
const (
	eipModeNAT   = "NAT"
	eipModeMulti = "MULTI_BINDED"
	eipModeBound = "BINDED"
)

// eipPool is the block ecslocal draws public addresses from
// (freeEipAddress); AllocateEipAddressPro's IpAddress is one of its hosts.
var eipPool = netip.MustParsePrefix("47.98.0.0/16")

// registerEIPMore adds the EIP long tail.
func (s *Service) registerEIPMore(t *rpc.Table) {
	v := rpc.VersionVPC
	rpc.Handle(t, v, "AllocateEipAddressPro", s.AllocateEipAddressPro)
	rpc.Handle(t, v, "AssociateEipAddressBatch", s.AssociateEipAddressBatch)
	rpc.Handle(t, v, "ModifyEipForwardMode", s.ModifyEipForwardMode)
}

// AllocateEipAddressProRequest is VPC AllocateEipAddressPro.
type AllocateEipAddressProRequest struct {
	AllocateEipAddressRequest
	IPAddress, InstanceID string
}

// Bind implements rpc.Binder: AllocateEipAddress' parameters, with the
// address (IpAddress) or the former EIP (InstanceId) asked for.
func (r *AllocateEipAddressProRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.Bandwidth = 5
	if v := p.String("Bandwidth"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 500 {
			p.Fail(apierr.InvalidParameter.New("Bandwidth"))
		}
		r.Bandwidth = n
	}
	r.InternetChargeType = p.Enum("InternetChargeType", "PayByTraffic", "PayByTraffic", "PayByBandwidth")
	r.InstanceChargeType = p.Enum("InstanceChargeType", cloud.PostPaid, cloud.PostPaid, cloud.PrePaid)
	p.Enum("PricingCycle", "Month", "Month", "Year")
	p.Int("Period", 1, 1, 9)
	p.Bool("AutoPay", false)
	p.Enum("Netmode", "public", "public")
	r.ISP = p.String("ISP")
	if r.ISP == "" {
		r.ISP = "BGP"
	}
	r.PoolID = p.String("PublicIpAddressPoolId")
	p.List("SecurityProtectionTypes")
	r.ResourceGroupID = p.String("ResourceGroupId")
	r.Tags = tagging.BindTags(p, "Tag")
	r.IPAddress = p.String("IpAddress")
	if r.IPAddress != "" {
		if a, err := netip.ParseAddr(r.IPAddress); err != nil || !a.Is4() {
			p.Fail(apierr.InvalidParameter.New("IpAddress"))
		}
	}
	r.InstanceID = p.String("InstanceId")
	r.ClientToken = p.ClientToken()
}

// AllocateEipAddressProResponse carries the new EIP.
type AllocateEipAddressProResponse struct {
	rpc.Base
	AllocationID    string `json:"AllocationId"`
	EipAddress      string `json:"EipAddress"`
	ResourceGroupID string `json:"ResourceGroupId"`
	OrderID         *int64 `json:"OrderId,omitempty"`
}

// AllocateEipAddressPro allocates an EIP, the address asked for when one
// is: a host of the pool that no EIP holds. InstanceId asks back a
// released EIP by its id; released EIPs are not remembered, so an id that
// no EIP has is InvalidAllocationId.NotFound and one still held is
// IncorrectEipStatus (docs/network.md). A subscription answers an OrderId.
func (s *Service) AllocateEipAddressPro(ctx context.Context, call *rpc.Call, req *AllocateEipAddressProRequest) (*AllocateEipAddressProResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &AllocateEipAddressProResponse{}
	fingerprint := call.Params.Fingerprint()
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		if replayed, err := store.Replay(ctx, tx, call.Action, req.ClientToken, fingerprint, resp); replayed || err != nil {
			return err
		}
		if req.InstanceID != "" {
			if _, err := store.Get[cloud.EIP](ctx, tx, req.InstanceID); err != nil {
				return notFound(err, apierr.InvalidAllocationIDNotFound)
			}
			return apierr.IncorrectEipStatus.New().WithDetail("EIP %s is still allocated", req.InstanceID)
		}
		ip := req.IPAddress
		if req.PoolID != "" {
			var err error
			if ip, err = poolAddress(ctx, tx, req.RegionID, req.PoolID, ip); err != nil {
				return err
			}
		} else if ip != "" {
			a := netip.MustParseAddr(ip)
			if !eipPool.Contains(a) || a.As4()[3] == 0 || a.As4()[3] == 255 {
				return apierr.EIPAddressNotInPool.New().WithDetail("%s is not in %s", ip, eipPool)
			}
			if n, err := store.Count[cloud.EIP](ctx, tx, "", store.Where("ip", ip)); err != nil {
				return err
			} else if n > 0 {
				return apierr.EIPAddressInUse.New().WithDetail("%s is allocated", ip)
			}
		} else {
			var err error
			if ip, err = s.freeEipAddress(ctx, tx); err != nil {
				return err
			}
		}
		e := cloud.EIP{
			ID: s.ids.ID("eip", req.RegionID), Region: req.RegionID, IPAddress: ip, Bandwidth: req.Bandwidth,
			InternetChargeType: req.InternetChargeType, ChargeType: req.InstanceChargeType, ISP: req.ISP,
			Status: cloud.EIPAvailable, Allocated: tx.Now(), ResourceGroup: cloud.ResourceGroup(call.Account, req.ResourceGroupID),
			Tags: tagging.Cloud(req.Tags), PoolID: req.PoolID,
		}
		if err := store.Put(ctx, tx, e); err != nil {
			return err
		}
		resp.AllocationID, resp.EipAddress, resp.ResourceGroupID = e.ID, e.IPAddress, e.ResourceGroup
		if e.ChargeType == cloud.PrePaid {
			order, _ := strconv.ParseInt(s.ids.Digits(15), 10, 64)
			resp.OrderID = &order
		}
		return store.Remember(ctx, tx, call.Action, req.ClientToken, fingerprint, resp)
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// AssociateEipAddressBatchRequest is VPC AssociateEipAddressBatch.
type AssociateEipAddressBatchRequest struct {
	RegionID, TargetID, TargetType, Mode, ClientToken string
	EIPs                                              []string
}

// Bind implements rpc.Binder.
func (r *AssociateEipAddressBatchRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.TargetID = p.Required("BindedInstanceId")
	r.TargetType = p.Required("BindedInstanceType")
	r.EIPs = p.List("InstanceIds")
	if len(r.EIPs) == 0 {
		p.Fail(apierr.MissingParameter.New("InstanceIds"))
	} else if len(r.EIPs) > 50 {
		p.Fail(apierr.InvalidParameter.New("InstanceIds"))
	}
	if r.TargetType != "" {
		r.TargetType = p.Enum("BindedInstanceType", "", cloud.EIPOnNat, cloud.EIPOnENI)
	}
	r.Mode = p.Enum("Mode", "", eipModeMulti)
	if r.TargetType == cloud.EIPOnENI && r.Mode == "" {
		p.Fail(apierr.MissingParameter.New("Mode"))
	}
	r.ClientToken = p.ClientToken()
}

// AssociateEipAddressBatchResponse is {RequestId}.
type AssociateEipAddressBatchResponse struct{ rpc.Base }

// AssociateEipAddressBatch binds up to 50 Available EIPs, all or none, to
// a NAT gateway or, in the multi-EIP-to-ENI mode, to a secondary ENI
// whose EIPs are all in that mode.
func (s *Service) AssociateEipAddressBatch(ctx context.Context, call *rpc.Call, req *AssociateEipAddressBatchRequest) (*AssociateEipAddressBatchResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &AssociateEipAddressBatchResponse{}
	fingerprint := call.Params.Fingerprint()
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		if replayed, err := store.Replay(ctx, tx, call.Action, req.ClientToken, fingerprint, resp); replayed || err != nil {
			return err
		}
		var next []cloud.EIP
		for _, id := range req.EIPs {
			e, err := store.GetIn[cloud.EIP](ctx, tx, req.RegionID, id)
			if err != nil {
				return notFound(err, apierr.InvalidAllocationIDNotFound)
			}
			n, err := cloud.AssociateEIP(e, req.TargetType, req.TargetID)
			if err != nil {
				return err
			}
			next = append(next, n)
		}
		switch req.TargetType {
		case cloud.EIPOnNat:
			n, err := store.GetIn[cloud.NatGateway](ctx, tx, req.RegionID, req.TargetID)
			if err != nil {
				return notFound(err, apierr.EIPInstanceNotFound)
			}
			if err := cloud.CheckNatReady(n); err != nil {
				return err
			}
		case cloud.EIPOnENI:
			eni, err := store.GetIn[cloud.ENI](ctx, tx, req.RegionID, req.TargetID)
			if err != nil {
				return notFound(err, apierr.EIPInstanceNotFound)
			}
			if eni.Type != cloud.ENISecondary {
				return apierr.EIPInstanceTypeNotSupported.New().WithDetail("%s is a %s ENI", eni.ID, eni.Type)
			}
			have, err := store.All[cloud.EIP](ctx, tx, req.RegionID, store.Where("instance", eni.ID))
			if err != nil {
				return err
			}
			for _, h := range have {
				if h.Mode != eipModeMulti {
					return apierr.EIPAssociationDuplicated.New().WithDetail("ENI %s has EIP %s in %s mode", eni.ID, h.ID, eipMode(h))
				}
			}
			for i := range next {
				next[i].Mode = eipModeMulti
			}
		}
		for _, e := range next {
			if err := store.Put(ctx, tx, e); err != nil {
				return err
			}
		}
		return store.Remember(ctx, tx, call.Action, req.ClientToken, fingerprint, resp)
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// ModifyEipForwardModeRequest is VPC ModifyEipForwardMode.
type ModifyEipForwardModeRequest struct {
	RegionID, AllocationID, Mode, ClientToken string
}

// Bind implements rpc.Binder.
func (r *ModifyEipForwardModeRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.AllocationID = p.Required("InstanceId")
	r.Mode = p.Required("Mode")
	if r.Mode != "" {
		r.Mode = p.Enum("Mode", "", eipModeNAT, eipModeMulti, eipModeBound)
	}
	r.ClientToken = p.ClientToken()
}

// ModifyEipForwardModeResponse is {RequestId}.
type ModifyEipForwardModeResponse struct{ rpc.Base }

// ModifyEipForwardMode changes the mode of an EIP bound to a secondary
// ENI: the cut-through mode (BINDED) only while it is the ENI's only EIP,
// and the ENI's EIPs other than in MULTI_BINDED mode one at a time.
func (s *Service) ModifyEipForwardMode(ctx context.Context, call *rpc.Call, req *ModifyEipForwardModeRequest) (*ModifyEipForwardModeResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &ModifyEipForwardModeResponse{}
	fingerprint := call.Params.Fingerprint()
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		if replayed, err := store.Replay(ctx, tx, call.Action, req.ClientToken, fingerprint, resp); replayed || err != nil {
			return err
		}
		e, err := store.GetIn[cloud.EIP](ctx, tx, req.RegionID, req.AllocationID)
		if err != nil {
			return notFound(err, apierr.InvalidAllocationIDNotFound)
		}
		if e.Status != cloud.EIPInUse || e.InstanceType != cloud.EIPOnENI {
			return apierr.IncorrectEipStatus.New().WithDetail("EIP %s is %s on %q", e.ID, e.Status, e.InstanceType)
		}
		if req.Mode != eipModeMulti {
			n, err := store.Count[cloud.EIP](ctx, tx, e.Region, store.Where("instance", e.InstanceID))
			if err != nil {
				return err
			}
			if n > 1 {
				return apierr.EIPAssociationDuplicated.New().WithDetail("ENI %s has %d EIPs", e.InstanceID, n)
			}
		}
		e.Mode = req.Mode
		if err := store.Put(ctx, tx, e); err != nil {
			return err
		}
		return store.Remember(ctx, tx, call.Action, req.ClientToken, fingerprint, resp)
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

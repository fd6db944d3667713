package ecs

import (
	"context"
	"fmt"
	"slices"

	"github.com/ecslocal/ecslocal/internal/apierr"
	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/store"
)

// maxAssignIPs is how many addresses one AssignPrivateIpAddresses call may
// name or count (the reference: 1 to 10).
const maxAssignIPs = 10

// AssignPrivateIpAddressesRequest adds secondary private addresses to an ENI.
type AssignPrivateIpAddressesRequest struct {
	RegionID, ENIID string
	IPs             []string
	Count           int
	ClientToken     string
	fingerprint     string
}

// Bind implements rpc.Binder: addresses by name or by count, not both.
func (r *AssignPrivateIpAddressesRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.ENIID = p.Required("NetworkInterfaceId")
	r.IPs = p.List("PrivateIpAddress")
	r.Count = p.Int("SecondaryPrivateIpAddressCount", 0, 1, maxAssignIPs)
	switch {
	case len(r.IPs) > maxAssignIPs:
		p.Fail(apierr.InvalidParameter.New("PrivateIpAddress"))
	case len(r.IPs) > 0 && r.Count > 0:
		p.Fail(apierr.InvalidParameter.New("SecondaryPrivateIpAddressCount"))
	case len(r.IPs) == 0 && r.Count == 0:
		p.Fail(apierr.MissingParameter.New("SecondaryPrivateIpAddressCount"))
	}
	for i, ip := range r.IPs {
		if slices.Contains(r.IPs[:i], ip) {
			p.Fail(apierr.PrivateIPDuplicated.New())
		}
	}
	r.ClientToken = p.ClientToken()
	r.fingerprint = p.Fingerprint()
}

// AssignedPrivateIPAddressesSet is what AssignPrivateIpAddresses added.
type AssignedPrivateIPAddressesSet struct {
	NetworkInterfaceID string `json:"NetworkInterfaceId"`
	PrivateIPSet       struct {
		PrivateIPAddress []string `json:"PrivateIpAddress"`
	} `json:"PrivateIpSet"`
}

// AssignPrivateIpAddressesResponse names the addresses added.
type AssignPrivateIpAddressesResponse struct {
	rpc.Base
	AssignedPrivateIPAddressesSet AssignedPrivateIPAddressesSet `json:"AssignedPrivateIpAddressesSet"`
}

// addressableENI loads an ENI for the secondary address actions with the
// instance it is attached to (nil when none), checked by
// cloud.CheckENIAddressable.
func (s *Service) addressableENI(ctx context.Context, tx store.Tx, region, id string) (cloud.ENI, *cloud.InstanceType, error) {
	e, err := loadENI(ctx, tx, region, id)
	if err != nil {
		return e, nil, err
	}
	if e.InstanceID() == "" {
		return e, nil, cloud.CheckENIAddressable(e, nil)
	}
	inst, err := store.Get[cloud.Instance](ctx, tx, e.InstanceID())
	if err != nil {
		return e, nil, err
	}
	if err := cloud.CheckENIAddressable(e, &inst); err != nil {
		return e, nil, err
	}
	itype, ok := s.catalog.InstanceType(inst.InstanceType)
	if !ok {
		return e, nil, fmt.Errorf("instance %s has unknown type %s", inst.ID, inst.InstanceType)
	}
	return e, &itype, nil
}

// AssignPrivateIpAddresses gives an ENI secondary private addresses of its
// vSwitch: the ones named (free, in the block) or the next free ones,
// within the ENI's limit (cloud.ENISecondaryIPLimit).
func (s *Service) AssignPrivateIpAddresses(ctx context.Context, call *rpc.Call, req *AssignPrivateIpAddressesRequest) (*AssignPrivateIpAddressesResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &AssignPrivateIpAddressesResponse{}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		if replayed, err := store.Replay(ctx, tx, call.Action, req.ClientToken, req.fingerprint, resp); replayed || err != nil {
			return err
		}
		e, itype, err := s.addressableENI(ctx, tx, req.RegionID, req.ENIID)
		if err != nil {
			return err
		}
		want := max(len(req.IPs), req.Count)
		limit := cloud.ENISecondaryIPLimit(e, itype)
		if len(e.SecondaryIPs)+want > limit {
			return apierr.Ipv4CountExceeded.New().WithDetail("ENI %s may hold %d secondary private addresses", e.ID, limit)
		}
		vsw, err := store.Get[cloud.VSwitch](ctx, tx, e.VSwitchID)
		if err != nil {
			return err
		}
		ips := slices.Clone(req.IPs)
		for i, ip := range ips {
			if err := checkIP(ctx, tx, vsw, ip, fmt.Sprintf("PrivateIpAddress.%d", i+1)); err != nil {
				return err
			}
		}
		for range req.Count {
			ip, ok, err := allocateIP(ctx, tx, &vsw)
			if err != nil {
				return err
			}
			if !ok || slices.Contains(ips, ip) {
				return apierr.VSwitchIPNotEnough.New()
			}
			ips = append(ips, ip)
		}
		next, err := cloud.AssignENIIPs(e, ips, limit)
		if err != nil {
			return err
		}
		if err := store.Put(ctx, tx, next); err != nil {
			return err
		}
		if req.Count > 0 {
			if err := store.Put(ctx, tx, vsw); err != nil {
				return err
			}
		}
		resp.AssignedPrivateIPAddressesSet.NetworkInterfaceID = e.ID
		resp.AssignedPrivateIPAddressesSet.PrivateIPSet.PrivateIPAddress = ips
		return store.Remember(ctx, tx, call.Action, req.ClientToken, req.fingerprint, resp)
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// UnassignPrivateIpAddressesRequest frees secondary addresses of an ENI.
type UnassignPrivateIpAddressesRequest struct {
	RegionID, ENIID string
	IPs             []string
}

// Bind implements rpc.Binder.
func (r *UnassignPrivateIpAddressesRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.ENIID = p.Required("NetworkInterfaceId")
	r.IPs = p.List("PrivateIpAddress")
	if len(r.IPs) == 0 {
		p.Fail(apierr.MissingParameter.New("PrivateIpAddress.1"))
	} else if len(r.IPs) > maxAssignIPs {
		p.Fail(apierr.InvalidParameter.New("PrivateIpAddress"))
	}
}

// UnassignPrivateIpAddressesResponse is {RequestId}.
type UnassignPrivateIpAddressesResponse struct{ rpc.Base }

// UnassignPrivateIpAddresses frees secondary addresses: each must be one of
// the ENI's; the vSwitch may hand them out again at once.
func (s *Service) UnassignPrivateIpAddresses(ctx context.Context, call *rpc.Call, req *UnassignPrivateIpAddressesRequest) (*UnassignPrivateIpAddressesResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		e, _, err := s.addressableENI(ctx, tx, req.RegionID, req.ENIID)
		if err != nil {
			return err
		}
		next, err := cloud.UnassignENIIPs(e, req.IPs)
		if err != nil {
			return err
		}
		return store.Put(ctx, tx, next)
	})
	if err != nil {
		return nil, err
	}
	return &UnassignPrivateIpAddressesResponse{}, nil
}

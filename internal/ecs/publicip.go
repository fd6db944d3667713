package ecs

import (
	"context"
	"net/netip"

	"github.com/ecslocal/ecslocal/internal/apierr"
	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/store"
)

// AllocatePublicIpAddressRequest gives an instance a public address.
type AllocatePublicIpAddressRequest struct {
	InstanceID, IPAddress string
}

// Bind implements rpc.Binder.
func (r *AllocatePublicIpAddressRequest) Bind(p *rpc.Params) {
	r.InstanceID = p.Required("InstanceId")
	r.IPAddress = p.String("IpAddress")
	if a, err := netip.ParseAddr(r.IPAddress); r.IPAddress != "" && (err != nil || !a.Is4() || a.IsPrivate() || a.IsLoopback()) {
		p.Fail(apierr.InvalidParameter.New("IpAddress"))
	}
	p.String("VlanId")
}

// AllocatePublicIpAddressResponse carries the address.
type AllocatePublicIpAddressResponse struct {
	rpc.Base
	IPAddress string `json:"IpAddress"`
}

// AllocatePublicIpAddress gives a Running or Stopped instance with outbound
// bandwidth a public address (the one named, when free among the
// account's instances): one per instance (AllocatedAlready), none while an
// EIP is associated.
func (s *Service) AllocatePublicIpAddress(ctx context.Context, call *rpc.Call, req *AllocatePublicIpAddressRequest) (*AllocatePublicIpAddressResponse, error) {
	resp := &AllocatePublicIpAddressResponse{}
	err := s.changeInstance(ctx, call, req.InstanceID, func(tx store.Tx, inst *cloud.Instance) error {
		switch {
		case inst.Status != cloud.StatusRunning && inst.Status != cloud.StatusStopped:
			return apierr.IncorrectInstanceStatus.New()
		case inst.PublicIP != "":
			return apierr.PublicIPAllocatedAlready.New()
		case inst.EIP != nil:
			return apierr.InstanceEIPBound.New()
		case inst.BandwidthOut == 0:
			return apierr.InvalidBandwidth.New()
		}
		ip := req.IPAddress
		if ip == "" {
			ip = s.publicIP()
		} else if n, err := store.Count[cloud.Instance](ctx, tx, inst.Region, store.Where("publicIp", ip)); err != nil {
			return err
		} else if n > 0 {
			return apierr.InvalidParameter.New("IpAddress")
		}
		inst.PublicIP, resp.IPAddress = ip, ip
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// ReleasePublicIpAddressRequest frees an instance's public address.
type ReleasePublicIpAddressRequest struct {
	RegionID, InstanceID, PublicIP string
	DryRun                         bool
}

// Bind implements rpc.Binder.
func (r *ReleasePublicIpAddressRequest) Bind(p *rpc.Params) {
	r.PublicIP = p.Required("PublicIpAddress")
	r.InstanceID = p.String("InstanceId")
	r.RegionID = p.String("RegionId")
	r.DryRun = p.Bool("DryRun", false)
}

// ReleasePublicIpAddressResponse is {RequestId}.
type ReleasePublicIpAddressResponse struct{ rpc.Base }

// ReleasePublicIpAddress frees the public address of a Running or Stopped
// instance, found by InstanceId or, without one, by the address in
// RegionId; an address no instance holds answers
// InvalidPublicIpAddress.NotFound [choice].
func (s *Service) ReleasePublicIpAddress(ctx context.Context, call *rpc.Call, req *ReleasePublicIpAddressRequest) (*ReleasePublicIpAddressResponse, error) {
	id := req.InstanceID
	if id == "" {
		if req.RegionID == "" {
			return nil, apierr.MissingParameter.New("InstanceId")
		}
		if err := s.checkRegion(req.RegionID); err != nil {
			return nil, err
		}
		err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
			list, err := store.AllShared[cloud.Instance](ctx, tx, req.RegionID, store.Where("publicIp", req.PublicIP))
			if err == nil && len(list) > 0 {
				id = list[0].ID
			}
			return err
		})
		if err != nil {
			return nil, err
		}
		if id == "" {
			return nil, apierr.PublicIPNotFound.New()
		}
	}
	err := s.changeInstance(ctx, call, id, func(_ store.Tx, inst *cloud.Instance) error {
		switch {
		case inst.PublicIP != req.PublicIP:
			return apierr.PublicIPNotFound.New()
		case inst.Status != cloud.StatusRunning && inst.Status != cloud.StatusStopped:
			return apierr.IncorrectInstanceStatus.New()
		case req.DryRun:
			return dryRun()
		}
		inst.PublicIP = ""
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &ReleasePublicIpAddressResponse{}, nil
}

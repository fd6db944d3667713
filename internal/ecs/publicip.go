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

// ConvertNatPublicIpToEipRequest names an instance.
type ConvertNatPublicIpToEipRequest struct{ RegionID, InstanceID string }

// Bind implements rpc.Binder.
func (r *ConvertNatPublicIpToEipRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.InstanceID = p.Required("InstanceId")
}

// ConvertNatPublicIpToEipResponse is {RequestId}.
type ConvertNatPublicIpToEipResponse struct{ rpc.Base }

// ConvertNatPublicIpToEip turns a Running or Stopped instance's public
// address into an EIP with the same address, bandwidth and internet charge
// type, pay-as-you-go, associated with the instance (DescribeEipAddresses
// lists it; unassociated, it outlives the instance as any EIP). An instance
// without a public address answers InvalidPublicIpAddress.NotFound [choice].
func (s *Service) ConvertNatPublicIpToEip(ctx context.Context, call *rpc.Call, req *ConvertNatPublicIpToEipRequest) (*ConvertNatPublicIpToEipResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.changeInstance(ctx, call, req.InstanceID, func(tx store.Tx, inst *cloud.Instance) error {
		switch {
		case inst.Region != req.RegionID:
			return apierr.InvalidInstanceIDNotFound.New()
		case inst.Status != cloud.StatusRunning && inst.Status != cloud.StatusStopped:
			return apierr.IncorrectInstanceStatus.New()
		case inst.PublicIP == "":
			return apierr.PublicIPNotFound.New()
		}
		e := cloud.EIP{
			ID: s.ids.ID("eip", inst.Region), Region: inst.Region, IPAddress: inst.PublicIP, Bandwidth: max(inst.BandwidthOut, 1),
			InternetChargeType: inst.InternetChargeType, ChargeType: cloud.PostPaid, ISP: "BGP", Status: cloud.EIPInUse,
			InstanceID: inst.ID, InstanceType: cloud.EIPOnInstance, Allocated: tx.Now(), ResourceGroup: cloud.ResourceGroup(call.Account, ""),
		}
		if err := store.Put(ctx, tx, e); err != nil {
			return err
		}
		inst.PublicIP, inst.EIP = "", e.Ref()
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &ConvertNatPublicIpToEipResponse{}, nil
}

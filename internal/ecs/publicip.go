package ecs

import (
	"context"
	"net/netip"
	"strconv"

	"github.com/ecslocal/ecslocal/internal/apierr"
	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/store"
)

// publicPool is the range static public IPs are drawn from (47.96.0.0/16,
// hosts .1–.254 of each /24); EIPs have their own range (47.98.0.0/16).
var publicPool = netip.MustParsePrefix("47.96.0.0/16")

// publicDraws bounds the random draws for a free address before the pool
// counts as exhausted; the pool has 65 024 addresses.
const publicDraws = 64

func (s *Service) registerPublicIPs(t *rpc.Table) {
	v := rpc.VersionECS
	rpc.Handle(t, v, "AllocatePublicIpAddress", s.AllocatePublicIpAddress)
	rpc.Handle(t, v, "ReleasePublicIpAddress", s.ReleasePublicIpAddress)
}

// inPublicPool reports an address the pool can hand out.
func inPublicPool(ip netip.Addr) bool {
	if !ip.Is4() || !publicPool.Contains(ip) {
		return false
	}
	last := ip.As4()[3]
	return last != 0 && last != 255
}

// publicIPHeld reports whether an instance of the account holds ip.
func publicIPHeld(ctx context.Context, tx store.Tx, ip string) (bool, error) {
	n, err := store.Count[cloud.Instance](ctx, tx, "", store.Where(string(cloud.IdxPublicIP), ip))
	return n > 0, err
}

// freePublicIP draws an address of the pool no instance of the account holds.
func (s *Service) freePublicIP(ctx context.Context, tx store.Tx) (string, error) {
	for range publicDraws {
		d := s.ids.Digits(6)
		a, _ := strconv.Atoi(d[:3])
		b, _ := strconv.Atoi(d[3:])
		ip := "47.96." + strconv.Itoa(a%256) + "." + strconv.Itoa(1+b%254)
		held, err := publicIPHeld(ctx, tx, ip)
		if err != nil || !held {
			return ip, err
		}
	}
	return "", apierr.PublicIPPoolExhausted.New()
}

// AllocatePublicIpAddressRequest is AllocatePublicIpAddress' parameters; the
// action takes no RegionId: the instance id finds the region.
type AllocatePublicIpAddressRequest struct {
	InstanceID, IPAddress, VlanID string
}

// Bind implements rpc.Binder.
func (r *AllocatePublicIpAddressRequest) Bind(p *rpc.Params) {
	r.InstanceID = p.Required("InstanceId")
	r.IPAddress = p.String("IpAddress")
	r.VlanID = p.String("VlanId")
	if r.IPAddress != "" && p.Err() == nil {
		if ip, err := netip.ParseAddr(r.IPAddress); err != nil || !ip.Is4() {
			p.Fail(apierr.PublicIPMalformed.New())
		}
	}
}

// AllocatePublicIpAddressResponse carries the instance's public IP.
type AllocatePublicIpAddressResponse struct {
	rpc.Base
	IPAddress string `json:"IpAddress"`
}

// AllocatePublicIpAddress gives a Running or Stopped instance with outbound
// bandwidth a static public IP from the pool (or the IpAddress named).
// Asked again without IpAddress it answers the address the instance has.
func (s *Service) AllocatePublicIpAddress(ctx context.Context, call *rpc.Call, req *AllocatePublicIpAddressRequest) (*AllocatePublicIpAddressResponse, error) {
	resp := &AllocatePublicIpAddressResponse{}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		inst, err := loadInstance(ctx, tx, req.InstanceID)
		if err != nil {
			return err
		}
		// A VLAN is of the classic network, which ecslocal does not have.
		if req.VlanID != "" {
			return apierr.PublicIPVlanNotFound.New()
		}
		if err := checkPublicIPInstance(inst); err != nil {
			return err
		}
		if inst.PublicIP != "" {
			if req.IPAddress != "" && req.IPAddress != inst.PublicIP {
				return apierr.PublicIPAllocated.New().WithDetail("instance %s has %s", inst.ID, inst.PublicIP)
			}
			resp.IPAddress = inst.PublicIP
			return nil
		}
		if inst.BandwidthOut <= 0 {
			return apierr.PublicIPNoBandwidth.New()
		}
		ip := req.IPAddress
		if ip == "" {
			if ip, err = s.freePublicIP(ctx, tx); err != nil {
				return err
			}
		} else {
			if !inPublicPool(netip.MustParseAddr(ip)) {
				return apierr.PublicIPNotInPool.New().WithDetail("the pool is %s", publicPool)
			}
			held, err := publicIPHeld(ctx, tx, ip)
			if err != nil {
				return err
			}
			if held {
				return apierr.PublicIPInUse.New()
			}
		}
		inst.PublicIP = ip
		resp.IPAddress = ip
		return store.Put(ctx, tx, inst)
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// checkPublicIPInstance judges an instance whose static public IP changes,
// in the order of the reference's error table.
func checkPublicIPInstance(inst cloud.Instance) error {
	switch {
	case inst.HasLock(cloud.LockSecurity):
		return apierr.InstanceLockedForSecurity.New()
	case inst.Releasing || inst.Status != cloud.StatusRunning && inst.Status != cloud.StatusStopped:
		return apierr.IncorrectInstanceStatus.New().WithDetail("instance %s is %s", inst.ID, inst.Status)
	case inst.ChargeType == cloud.PrePaid && inst.Expired:
		return apierr.InstanceExpiredOrInArrears.New()
	case inst.EIP != nil:
		return apierr.PublicIPInstanceHasEIP.New().WithDetail("instance %s has EIP %s", inst.ID, inst.EIP.AllocationID)
	}
	return nil
}

// ReleasePublicIpAddressRequest is ReleasePublicIpAddress' parameters.
type ReleasePublicIpAddressRequest struct {
	RegionID, InstanceID, PublicIPAddress string
	DryRun                                bool
}

// Bind implements rpc.Binder.
func (r *ReleasePublicIpAddressRequest) Bind(p *rpc.Params) {
	r.PublicIPAddress = p.Required("PublicIpAddress")
	r.RegionID = p.String("RegionId")
	r.InstanceID = p.String("InstanceId")
	r.DryRun = p.Bool("DryRun", false)
}

// ReleasePublicIpAddressResponse is {RequestId}; RemainTimes is not open
// for use in the cloud and is left out.
type ReleasePublicIpAddressResponse struct {
	rpc.Base
}

// ReleasePublicIpAddress takes a static public IP from its instance and
// returns it to the pool; the instance is found by InstanceId, else by the
// address.
func (s *Service) ReleasePublicIpAddress(ctx context.Context, call *rpc.Call, req *ReleasePublicIpAddressRequest) (*ReleasePublicIpAddressResponse, error) {
	if req.RegionID != "" {
		if err := s.checkRegion(req.RegionID); err != nil {
			return nil, err
		}
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		var inst cloud.Instance
		if req.InstanceID != "" {
			var err error
			if inst, err = loadInstance(ctx, tx, req.InstanceID); err != nil {
				return err
			}
		} else {
			held, err := store.All[cloud.Instance](ctx, tx, req.RegionID, store.Where(string(cloud.IdxPublicIP), req.PublicIPAddress))
			if err != nil {
				return err
			}
			if len(held) > 0 {
				inst = held[0]
			}
		}
		if inst.ID == "" || inst.PublicIP != req.PublicIPAddress || req.RegionID != "" && inst.Region != req.RegionID {
			return apierr.PublicIPReleaseNotFound.New()
		}
		if err := checkPublicIPInstance(inst); err != nil {
			return err
		}
		if req.DryRun {
			return dryRun()
		}
		inst.PublicIP = ""
		return store.Put(ctx, tx, inst)
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

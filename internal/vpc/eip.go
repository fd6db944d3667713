package vpc

import (
	"context"
	"strconv"

	"github.com/ecslocal/ecslocal/internal/apierr"
	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/store"
	"github.com/ecslocal/ecslocal/internal/tagging"
)

// registerEIPs adds the elastic IP actions. ECS 2014-05-26 keeps legacy
// twins of all five with the same parameters, so they answer there too.
func (s *Service) registerEIPs(t *rpc.Table) {
	for _, v := range []string{rpc.VersionVPC, rpc.VersionECS} {
		rpc.Handle(t, v, "AllocateEipAddress", s.AllocateEipAddress)
		rpc.Handle(t, v, "AssociateEipAddress", s.AssociateEipAddress)
		rpc.Handle(t, v, "UnassociateEipAddress", s.UnassociateEipAddress)
		rpc.Handle(t, v, "DescribeEipAddresses", s.DescribeEipAddresses)
		rpc.Handle(t, v, "ReleaseEipAddress", s.ReleaseEipAddress)
	}
	// ECS's twin requires Bandwidth; only the VPC one is served.
	rpc.Handle(t, rpc.VersionVPC, "ModifyEipAddressAttribute", s.ModifyEipAddressAttribute)
}

// ModifyEipAddressAttributeRequest is VPC ModifyEipAddressAttribute.
type ModifyEipAddressAttributeRequest struct {
	RegionID, AllocationID string
	Bandwidth              *int
	Name, Description      *string
}

// Bind implements rpc.Binder.
func (r *ModifyEipAddressAttributeRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.AllocationID = p.Required("AllocationId")
	r.Bandwidth = p.OptInt("Bandwidth", 1, 500)
	if p.Has("Name") {
		v := p.String("Name")
		r.Name = &v
	}
	if p.Has("Description") {
		v := p.String("Description")
		r.Description = &v
	}
}

// ModifyEipAddressAttributeResponse is {RequestId}.
type ModifyEipAddressAttributeResponse struct{ rpc.Base }

// ModifyEipAddressAttribute changes an EIP's bandwidth, name or
// description; the instance it is bound to shows the new bandwidth.
func (s *Service) ModifyEipAddressAttribute(ctx context.Context, call *rpc.Call, req *ModifyEipAddressAttributeRequest) (*ModifyEipAddressAttributeResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		e, err := store.GetIn[cloud.EIP](ctx, tx, req.RegionID, req.AllocationID)
		if err != nil {
			return notFound(err, apierr.InvalidAllocationIDNotFound)
		}
		next, err := cloud.ModifyEIP(e, req.Bandwidth, req.Name, req.Description)
		if err != nil {
			return err
		}
		if err := store.Put(ctx, tx, next); err != nil {
			return err
		}
		if next.InstanceType != cloud.EIPOnInstance || next.Bandwidth == e.Bandwidth {
			return nil
		}
		inst, err := store.Get[cloud.Instance](ctx, tx, next.InstanceID)
		if err != nil {
			return err
		}
		inst.EIP = next.Ref()
		return store.Put(ctx, tx, inst)
	})
	if err != nil {
		return nil, err
	}
	return &ModifyEipAddressAttributeResponse{}, nil
}

// AllocateEipAddressRequest is spec/semantics.md §5.2 AllocateEipAddress.
type AllocateEipAddressRequest struct {
	RegionID, Name, Description, InternetChargeType, InstanceChargeType string
	ISP, ResourceGroupID, ClientToken                                   string
	// PoolID is the public IP address pool to draw the address from.
	PoolID    string
	Bandwidth int
	Tags      []rpc.Tag
}

// Bind implements rpc.Binder.
func (r *AllocateEipAddressRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.Bandwidth = p.Int("Bandwidth", 5, 1, 500)
	r.InternetChargeType = p.Enum("InternetChargeType", "PayByTraffic", "PayByTraffic", "PayByBandwidth")
	// PrePaid is recorded as the ChargeType; subscription terms are not modelled.
	r.InstanceChargeType = p.Enum("InstanceChargeType", cloud.PostPaid, cloud.PostPaid, cloud.PrePaid)
	r.ISP = p.String("ISP")
	if r.ISP == "" {
		r.ISP = "BGP"
	}
	r.Name = p.String("Name")
	r.Description = p.String("Description")
	r.ResourceGroupID = p.String("ResourceGroupId")
	r.Tags = tagging.BindTags(p, "Tag")
	r.PoolID = p.String("PublicIpAddressPoolId")
	r.ClientToken = p.ClientToken()
}

// AllocateEipAddressResponse carries the new EIP.
type AllocateEipAddressResponse struct {
	rpc.Base
	AllocationID    string `json:"AllocationId"`
	EipAddress      string `json:"EipAddress"`
	ResourceGroupID string `json:"ResourceGroupId"`
}

// AllocateEipAddress makes an Available EIP with a fresh public address.
func (s *Service) AllocateEipAddress(ctx context.Context, call *rpc.Call, req *AllocateEipAddressRequest) (*AllocateEipAddressResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &AllocateEipAddressResponse{}
	fingerprint := call.Params.Fingerprint()
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		if replayed, err := store.Replay(ctx, tx, call.Action, req.ClientToken, fingerprint, resp); replayed || err != nil {
			return err
		}
		ip, err := s.drawEipAddress(ctx, tx, req.RegionID, req.PoolID, "")
		if err != nil {
			return err
		}
		e := cloud.EIP{
			ID: s.ids.ID("eip", req.RegionID), Region: req.RegionID, IPAddress: ip, Name: req.Name, Description: req.Description,
			Bandwidth: req.Bandwidth, InternetChargeType: req.InternetChargeType, ChargeType: req.InstanceChargeType, ISP: req.ISP,
			Status: cloud.EIPAvailable, Allocated: tx.Now(), ResourceGroup: cloud.ResourceGroup(call.Account, req.ResourceGroupID),
			Tags: tagging.Cloud(req.Tags), PoolID: req.PoolID,
		}
		if err := store.Put(ctx, tx, e); err != nil {
			return err
		}
		resp.AllocationID, resp.EipAddress, resp.ResourceGroupID = e.ID, e.IPAddress, e.ResourceGroup
		return store.Remember(ctx, tx, call.Action, req.ClientToken, fingerprint, resp)
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// drawEipAddress is the address of a new EIP: from pool poolID when one
// is named (want, when given, if it is free there), else from the EIP pool.
func (s *Service) drawEipAddress(ctx context.Context, tx store.Tx, region, poolID, want string) (string, error) {
	if poolID != "" {
		return poolAddress(ctx, tx, region, poolID, want)
	}
	return s.freeEipAddress(ctx, tx)
}

// freeEipAddress draws a public address no EIP of the account holds.
func (s *Service) freeEipAddress(ctx context.Context, tx store.Tx) (string, error) {
	for {
		d := s.ids.Digits(6)
		a, _ := strconv.Atoi(d[:3])
		b, _ := strconv.Atoi(d[3:])
		ip := "47.98." + strconv.Itoa(a%256) + "." + strconv.Itoa(1+b%254)
		n, err := store.Count[cloud.EIP](ctx, tx, "", store.Where("ip", ip))
		if err != nil || n == 0 {
			return ip, err
		}
	}
}

// AssociateEipAddressRequest is §5.2 AssociateEipAddress.
type AssociateEipAddressRequest struct {
	RegionID, AllocationID, InstanceID, InstanceType string
	DryRun                                           bool
}

// Bind implements rpc.Binder.
func (r *AssociateEipAddressRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.AllocationID = p.Required("AllocationId")
	r.InstanceID = p.Required("InstanceId")
	r.InstanceType = p.String("InstanceType")
	switch r.InstanceType {
	case "":
		r.InstanceType = cloud.EIPOnInstance
	case cloud.EIPOnInstance, cloud.EIPOnENI, cloud.EIPOnNat:
	default:
		// SLB, HaVip and IpAddress targets are not modelled.
		p.Fail(apierr.EIPInstanceTypeNotSupported.New())
	}
	r.DryRun = p.Bool("DryRun", false)
	p.ClientToken()
}

// AssociateEipAddressResponse is the bare RequestId.
type AssociateEipAddressResponse struct{ rpc.Base }

// AssociateEipAddress binds an Available EIP to a Running or Stopped VPC
// instance that has none, or to an ENI; the binding takes effect at once.
func (s *Service) AssociateEipAddress(ctx context.Context, call *rpc.Call, req *AssociateEipAddressRequest) (*AssociateEipAddressResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		e, err := store.GetIn[cloud.EIP](ctx, tx, req.RegionID, req.AllocationID)
		if err != nil {
			return notFound(err, apierr.InvalidAllocationIDNotFound)
		}
		// The EIP is judged first, then its target.
		next, err := cloud.AssociateEIP(e, req.InstanceType, req.InstanceID)
		if err != nil {
			return err
		}
		var inst cloud.Instance
		switch req.InstanceType {
		case cloud.EIPOnInstance:
			if inst, err = store.Get[cloud.Instance](ctx, tx, req.InstanceID); err != nil {
				return notFound(err, apierr.EIPInstanceNotFound)
			}
			if err := cloud.CheckEIPInstance(inst, e.Region); err != nil {
				return err
			}
		case cloud.EIPOnENI:
			eni, err := store.Get[cloud.ENI](ctx, tx, req.InstanceID)
			if err != nil {
				return notFound(err, apierr.EIPInstanceNotFound)
			}
			if eni.Region != e.Region {
				return apierr.EIPRegionMismatch.New()
			}
			if n, err := store.Count[cloud.EIP](ctx, tx, "", store.Where("instance", eni.ID)); err != nil {
				return err
			} else if n > 0 {
				return apierr.EIPAssociationDuplicated.New().WithDetail("ENI %s has an EIP", eni.ID)
			}
		case cloud.EIPOnNat:
			// A gateway takes several EIPs (EipBindMode MULTI_BINDED).
			n, err := store.Get[cloud.NatGateway](ctx, tx, req.InstanceID)
			if err != nil {
				return notFound(err, apierr.EIPInstanceNotFound)
			}
			if n.Region != e.Region {
				return apierr.EIPRegionMismatch.New()
			}
			if err := cloud.CheckNatReady(n); err != nil {
				return err
			}
		}
		if req.DryRun {
			return apierr.DryRunOperation.New()
		}
		if err := store.Put(ctx, tx, next); err != nil {
			return err
		}
		if req.InstanceType == cloud.EIPOnInstance {
			inst.EIP = next.Ref()
			return store.Put(ctx, tx, inst)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &AssociateEipAddressResponse{}, nil
}

// UnassociateEipAddressRequest is §5.2 UnassociateEipAddress.
type UnassociateEipAddressRequest struct {
	RegionID, AllocationID, InstanceID string
}

// Bind implements rpc.Binder.
func (r *UnassociateEipAddressRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.AllocationID = p.Required("AllocationId")
	r.InstanceID = p.Required("InstanceId")
	p.String("InstanceType") // the EIP knows what it is bound to
	p.Bool("Force", false)
	p.ClientToken()
}

// UnassociateEipAddressResponse is the bare RequestId.
type UnassociateEipAddressResponse struct{ rpc.Base }

// UnassociateEipAddress unbinds an EIP in use; it becomes Available at once.
func (s *Service) UnassociateEipAddress(ctx context.Context, call *rpc.Call, req *UnassociateEipAddressRequest) (*UnassociateEipAddressResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		e, err := store.GetIn[cloud.EIP](ctx, tx, req.RegionID, req.AllocationID)
		if err != nil {
			return notFound(err, apierr.InvalidAllocationIDNotFound)
		}
		next, err := cloud.UnassociateEIP(e, req.InstanceID)
		if err != nil {
			return err
		}
		if e.InstanceType == cloud.EIPOnNat {
			if err := checkNatEIPFree(ctx, tx, e); err != nil {
				return err
			}
		}
		if err := store.Put(ctx, tx, next); err != nil {
			return err
		}
		if e.InstanceType != cloud.EIPOnInstance {
			return nil
		}
		inst, err := store.Get[cloud.Instance](ctx, tx, e.InstanceID)
		if err != nil {
			return err // the binding is cleared when the instance goes, so it is there
		}
		inst.EIP = nil
		return store.Put(ctx, tx, inst)
	})
	if err != nil {
		return nil, err
	}
	return &UnassociateEipAddressResponse{}, nil
}

// DescribeEipAddressesRequest is §5.2 DescribeEipAddresses.
type DescribeEipAddressesRequest struct {
	RegionID             string
	DryRun               bool
	AllocationIDs        []string
	Filters              []store.Filter
	PageNumber, PageSize int
}

// Bind implements rpc.Binder.
func (r *DescribeEipAddressesRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.AllocationIDs = idList(p.String("AllocationId"))
	if len(r.AllocationIDs) > 50 { // the reference caps the list at 50 ids
		p.Fail(apierr.InvalidParameter.New("AllocationId"))
	}
	if ips := idList(p.String("EipAddress")); len(ips) > 0 {
		r.Filters = append(r.Filters, store.Where("ip", ips...))
	}
	if st := p.Enum("Status", "", cloud.EIPAvailable, cloud.EIPAssociating, cloud.EIPInUse, cloud.EIPUnassociating); st != "" {
		r.Filters = append(r.Filters, store.Where("status", st))
	}
	r.Filters = append(r.Filters, bindWhere(p, []where{
		{"AssociatedInstanceType", "instanceType"}, {"AssociatedInstanceId", "instance"}, {"EipName", "name"},
		{"ChargeType", "chargeType"}, {"ResourceGroupId", "resourceGroup"}, {"ISP", "isp"},
	})...)
	// No EIP is locked here, so this filter matches none; the empty value
	// list says so through the store.
	r.Filters = append(r.Filters, bindWhere(p, []where{{"SegmentInstanceId", cloud.IdxSegment}, {"PublicIpAddressPoolId", cloud.IdxPool}})...)
	for _, param := range []string{"LockReason"} {
		if p.String(param) != "" {
			r.Filters = append(r.Filters, store.Filter{Name: "ip"})
		}
	}
	p.Bool("IncludeReservationData", false)
	p.OptBool("SecurityProtectionEnabled")
	p.OptBool("ServiceManaged")
	r.DryRun = p.Bool("DryRun", false)
	r.Filters = append(r.Filters, tagging.Filters(tagging.BindTags(p, "Tag"))...)
	r.PageNumber, r.PageSize = p.Int("PageNumber", 1, 1, 1<<30), p.Int("PageSize", 10, 1, 100)
}

// EipAddressItem is one EIP of DescribeEipAddresses; Bandwidth is a string
// there, as both SDK generations declare it.
type EipAddressItem struct {
	AllocationID       string `json:"AllocationId"`
	IPAddress          string `json:"IpAddress"`
	Status             string `json:"Status"`
	InstanceID         string `json:"InstanceId"`
	InstanceType       string `json:"InstanceType"`
	InstanceRegionID   string `json:"InstanceRegionId"`
	Bandwidth          string `json:"Bandwidth"`
	EipBandwidth       string `json:"EipBandwidth"`
	InternetChargeType string `json:"InternetChargeType"`
	ChargeType         string `json:"ChargeType"`
	AllocationTime     string `json:"AllocationTime"`
	ExpiredTime        string `json:"ExpiredTime"`
	RegionID           string `json:"RegionId"`
	Name               string `json:"Name"`
	Description        string `json:"Description"`
	ResourceGroupID    string `json:"ResourceGroupId"`
	ISP                string `json:"ISP"`
	Netmode            string `json:"Netmode"`
	Mode               string `json:"Mode"`
	BusinessStatus     string `json:"BusinessStatus"`
	DeletionProtection bool   `json:"DeletionProtection"`
	HasReservationData string `json:"HasReservationData"`
	VpcID              string `json:"VpcId"`
	// The Internet Shared Bandwidth instance, contiguous group and address
	// pool of the EIP, sent only when it has them (as recorded answers of
	// EIPs without them have no such members).
	BandwidthPackageID        string `json:"BandwidthPackageId,omitempty"`
	BandwidthPackageType      string `json:"BandwidthPackageType,omitempty"`
	BandwidthPackageBandwidth string `json:"BandwidthPackageBandwidth,omitempty"`
	SegmentInstanceID         string `json:"SegmentInstanceId,omitempty"`
	PublicIPAddressPoolID     string `json:"PublicIpAddressPoolId,omitempty"`
	OperationLocks            struct {
		LockReason []struct {
			LockReason string `json:"LockReason"`
		} `json:"LockReason"`
	} `json:"OperationLocks"`
	AvailableRegions struct {
		AvailableRegion []string `json:"AvailableRegion"`
	} `json:"AvailableRegions"`
	Tags Tags `json:"Tags"`
}

// DescribeEipAddressesResponse wraps EipAddresses.EipAddress[].
type DescribeEipAddressesResponse struct {
	rpc.Base
	TotalCount   int `json:"TotalCount"`
	PageNumber   int `json:"PageNumber"`
	PageSize     int `json:"PageSize"`
	EipAddresses struct {
		EipAddress []EipAddressItem `json:"EipAddress"`
	} `json:"EipAddresses"`
}

// DescribeEipAddresses lists a region's EIPs; every filter is an index lookup.
func (s *Service) DescribeEipAddresses(ctx context.Context, call *rpc.Call, req *DescribeEipAddressesRequest) (*DescribeEipAddressesResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	q := store.Query{Region: req.RegionID, IDs: req.AllocationIDs, Filters: req.Filters, Offset: (req.PageNumber - 1) * req.PageSize, Limit: req.PageSize, Count: true}
	resp := &DescribeEipAddressesResponse{PageNumber: req.PageNumber, PageSize: req.PageSize}
	resp.EipAddresses.EipAddress = []EipAddressItem{}
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		if req.DryRun {
			return apierr.DryRunOperation.New()
		}
		eips, page, err := store.Find[cloud.EIP](ctx, tx, q)
		if err != nil {
			return err
		}
		resp.TotalCount = page.Total
		for _, e := range eips {
			// VpcId stays empty for an EIP bound to an instance or ENI: the
			// cloud answers it only for the IpAddress association, and the
			// provider's acceptance test binds to an instance with no vpc_id
			// and expects an empty plan (vpc_id forces replacement).
			item := eipItem(e)
			if e.BandwidthPackageID != "" {
				c, err := getPackage(ctx, tx, e.Region, e.BandwidthPackageID)
				if err != nil {
					return err
				}
				item.BandwidthPackageID, item.BandwidthPackageType = c.ID, "CommonBandwidthPackage"
				item.BandwidthPackageBandwidth, item.Bandwidth = strconv.Itoa(c.Bandwidth), strconv.Itoa(c.Bandwidth)
				if e.PackageBandwidth > 0 {
					item.Bandwidth = strconv.Itoa(e.PackageBandwidth)
				}
			}
			resp.EipAddresses.EipAddress = append(resp.EipAddresses.EipAddress, item)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

func eipItem(e cloud.EIP) EipAddressItem {
	item := EipAddressItem{
		AllocationID: e.ID, IPAddress: e.IPAddress, Status: e.Status, InstanceID: e.InstanceID, InstanceType: e.InstanceType,
		Bandwidth: strconv.Itoa(e.Bandwidth), EipBandwidth: strconv.Itoa(e.Bandwidth), InternetChargeType: e.InternetChargeType,
		ChargeType: e.ChargeType, AllocationTime: cloud.FormatSecond(e.Allocated), RegionID: e.Region, Name: e.Name,
		Description: e.Description, ResourceGroupID: e.ResourceGroup, ISP: e.ISP, Netmode: "public", Mode: eipMode(e),
		SegmentInstanceID: e.SegmentID, PublicIPAddressPoolID: e.PoolID,
		BusinessStatus: "Normal", HasReservationData: "false", Tags: tagsOf(e.Tags), DeletionProtection: e.DeletionProtection,
	}
	if e.InstanceID != "" {
		item.InstanceRegionID = e.Region
	}
	item.OperationLocks.LockReason = []struct {
		LockReason string `json:"LockReason"`
	}{}
	item.AvailableRegions.AvailableRegion = []string{e.Region}
	return item
}

// ReleaseEipAddressRequest is §5.2 ReleaseEipAddress.
type ReleaseEipAddressRequest struct {
	RegionID, AllocationID string
}

// Bind implements rpc.Binder.
func (r *ReleaseEipAddressRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.AllocationID = p.Required("AllocationId")
}

// ReleaseEipAddressResponse is the bare RequestId.
type ReleaseEipAddressResponse struct{ rpc.Base }

// ReleaseEipAddress releases an Available EIP; one still bound answers
// IncorrectEipStatus.
func (s *Service) ReleaseEipAddress(ctx context.Context, call *rpc.Call, req *ReleaseEipAddressRequest) (*ReleaseEipAddressResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		e, err := store.GetIn[cloud.EIP](ctx, tx, req.RegionID, req.AllocationID)
		if err != nil {
			return notFound(err, apierr.InvalidAllocationIDNotFound)
		}
		if err := cloud.CheckReleaseEIP(e); err != nil {
			return err
		}
		return store.Delete[cloud.EIP](ctx, tx, e.ID)
	})
	if err != nil {
		return nil, err
	}
	return &ReleaseEipAddressResponse{}, nil
}

// eipMode is the forward mode an EIP answers: NAT unless changed.
func eipMode(e cloud.EIP) string {
	if e.Mode == "" {
		return eipModeNAT
	}
	return e.Mode
}

package vpc

import (
	"context"
	"errors"

	"github.com/ecslocal/ecslocal/internal/apierr"
	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/store"
	"github.com/ecslocal/ecslocal/internal/tagging"
)

// vSwitch masks the VPC reference allows (CreateVSwitch: 16 to 29 bits).
const (
	minVSwitchBits = 16
	maxVSwitchBits = 29
)

// reservedIPs are the addresses Alibaba keeps in every vSwitch: the first
// and the last three of the block.
const reservedIPs = 4

// CreateVSwitchRequest is §5.2 CreateVSwitch.
type CreateVSwitchRequest struct {
	RegionID, VpcID, ZoneID, CidrBlock, VSwitchName, Description, ClientToken string
	Tags                                                                      []rpc.Tag
	DryRun                                                                    bool
}

// Bind implements rpc.Binder.
func (r *CreateVSwitchRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.ZoneID = p.Required("ZoneId")
	r.CidrBlock = p.Required("CidrBlock")
	r.VpcID = p.Required("VpcId")
	r.VSwitchName = p.String("VSwitchName")
	r.Description = p.String("Description")
	r.ClientToken = p.ClientToken()
	r.Tags = tagging.BindTags(p, "Tag")
	r.DryRun = p.Bool("DryRun", false)
}

// CreateVSwitchResponse carries the new vSwitch's id.
type CreateVSwitchResponse struct {
	rpc.Base
	VSwitchID string `json:"VSwitchId"`
}

// CreateVSwitch makes a subnet of an Available VPC in one of the region's
// zones; the block must lie inside the VPC's and overlap no sibling. The
// vSwitch is Pending until the "vpc" delay has passed (§2).
func (s *Service) CreateVSwitch(ctx context.Context, call *rpc.Call, req *CreateVSwitchRequest) (*CreateVSwitchResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	if z, ok := s.catalog.Zone(req.ZoneID); !ok || z.RegionID != req.RegionID {
		return nil, apierr.InvalidVSwitchZone.New()
	}
	block, ok := cloud.ParseCIDR(req.CidrBlock)
	if !ok {
		return nil, apierr.InvalidCidrBlock.New()
	}
	if block.Bits() < minVSwitchBits || block.Bits() > maxVSwitchBits {
		return nil, apierr.VSwitchCidrMask.New()
	}
	resp := &CreateVSwitchResponse{}
	fingerprint := call.Params.Fingerprint()
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		if replayed, err := store.Replay(ctx, tx, call.Action, req.ClientToken, fingerprint, resp); replayed || err != nil {
			return err
		}
		v, err := store.GetIn[cloud.VPC](ctx, tx, req.RegionID, req.VpcID)
		if err != nil {
			return notFound(err, apierr.InvalidVpcIDNotFound)
		}
		if v.Status != cloud.NetAvailable {
			return apierr.IncorrectVpcStatus.New()
		}
		if !v.InVpcBlocks(block) { // the primary block or a secondary one
			return apierr.InvalidVSwitchCidr.New()
		}
		// Siblings are read through the "vpc" index; a VPC holds at most a
		// few hundred vSwitches (its quota), so checking each is bounded.
		siblings, err := store.All[cloud.VSwitch](ctx, tx, v.Region, store.Where("vpc", v.ID))
		if err != nil {
			return err
		}
		for _, w := range siblings {
			if p, ok := cloud.ParseCIDR(w.CidrBlock); ok && cloud.Overlaps(p, block) {
				return apierr.VSwitchCidrOverlap.New().WithDetail("overlaps %s (%s)", w.ID, w.CidrBlock)
			}
		}
		if req.DryRun {
			return apierr.DryRunOperation.New()
		}
		cfg, err := store.LoadConfig(ctx, tx)
		if err != nil {
			return err
		}
		now := tx.Now()
		w := cloud.VSwitch{
			ID: s.ids.ID("vsw", req.RegionID), Region: req.RegionID, VpcID: v.ID, Zone: req.ZoneID,
			Name: req.VSwitchName, Description: req.Description, CidrBlock: block.String(),
			Status: cloud.NetPending, Created: now, ReadyAt: now.Add(cfg.Delays.VPC.D()),
			Tags: cloudTags(req.Tags), ResourceGroup: v.ResourceGroup,
		}
		if err := store.Put(ctx, tx, w); err != nil {
			return err
		}
		resp.VSwitchID = w.ID
		return store.Remember(ctx, tx, call.Action, req.ClientToken, fingerprint, resp)
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// DescribeVSwitchesRequest is §5.2 DescribeVSwitches.
type DescribeVSwitchesRequest struct {
	RegionID, VpcID, ZoneID, VSwitchName, ResourceGroupID string
	VSwitchIDs                                            []string
	IsDefault                                             *bool
	Tags                                                  []rpc.Tag
	DryRun                                                bool
	PageNumber, PageSize                                  int
}

// Bind implements rpc.Binder.
func (r *DescribeVSwitchesRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.VpcID = p.String("VpcId")
	r.ZoneID = p.String("ZoneId")
	r.VSwitchIDs = idList(p.String("VSwitchId"))
	r.VSwitchName = p.String("VSwitchName")
	r.ResourceGroupID = p.String("ResourceGroupId")
	r.IsDefault = p.OptBool("IsDefault")
	r.Tags = tagging.BindTags(p, "Tag")
	r.DryRun = p.Bool("DryRun", false)
	r.PageNumber, r.PageSize = paging(p)
}

// VSwitchItem is one vSwitch of DescribeVSwitches.
type VSwitchItem struct {
	VSwitchID               string `json:"VSwitchId"`
	VpcID                   string `json:"VpcId"`
	OwnerID                 int64  `json:"OwnerId"`
	Status                  string `json:"Status"`
	CidrBlock               string `json:"CidrBlock"`
	Ipv6CidrBlock           string `json:"Ipv6CidrBlock"`
	EnabledIpv6             bool   `json:"EnabledIpv6"`
	ZoneID                  string `json:"ZoneId"`
	AvailableIPAddressCount int64  `json:"AvailableIpAddressCount"`
	Description             string `json:"Description"`
	VSwitchName             string `json:"VSwitchName"`
	CreationTime            string `json:"CreationTime"`
	IsDefault               bool   `json:"IsDefault"`
	ResourceGroupID         string `json:"ResourceGroupId"`
	NetworkACLID            string `json:"NetworkAclId"`
	ShareType               string `json:"ShareType"`
	RouteTable              struct {
		RouteTableID   string `json:"RouteTableId"`
		RouteTableType string `json:"RouteTableType"`
	} `json:"RouteTable"`
	Tags Tags `json:"Tags"`
}

// DescribeVSwitchesResponse wraps VSwitches.VSwitch[].
type DescribeVSwitchesResponse struct {
	rpc.Base
	TotalCount int `json:"TotalCount"`
	PageNumber int `json:"PageNumber"`
	PageSize   int `json:"PageSize"`
	VSwitches  struct {
		VSwitch []VSwitchItem `json:"VSwitch"`
	} `json:"VSwitches"`
}

// DescribeVSwitches lists a region's vSwitches; every filter is an index lookup.
func (s *Service) DescribeVSwitches(ctx context.Context, call *rpc.Call, req *DescribeVSwitchesRequest) (*DescribeVSwitchesResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	q := store.Query{Region: req.RegionID, IDs: req.VSwitchIDs, Offset: (req.PageNumber - 1) * req.PageSize, Limit: req.PageSize, Count: true}
	for _, f := range []struct{ name, value string }{
		{"vpc", req.VpcID}, {"zone", req.ZoneID}, {"name", req.VSwitchName}, {"resourceGroup", req.ResourceGroupID},
	} {
		if f.value != "" {
			q.Filters = append(q.Filters, store.Where(f.name, f.value))
		}
	}
	if req.IsDefault != nil {
		q.Filters = append(q.Filters, store.WhereFlag("default", *req.IsDefault))
	}
	q.Filters = append(q.Filters, tagFilters(req.Tags)...)
	resp := &DescribeVSwitchesResponse{PageNumber: req.PageNumber, PageSize: req.PageSize}
	resp.VSwitches.VSwitch = []VSwitchItem{}
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		if req.DryRun {
			return apierr.DryRunOperation.New()
		}
		vsws, page, err := store.Find[cloud.VSwitch](ctx, tx, q)
		if err != nil {
			return err
		}
		resp.TotalCount = page.Total
		vpcs := map[string]cloud.VPC{} // the page's VPCs, each read once
		for _, w := range vsws {
			v, ok := vpcs[w.VpcID]
			if !ok {
				// DeleteVpc refuses while vSwitches remain, so the VPC is there;
				// should it not be, the vSwitch is still listed, tableless.
				if v, err = store.Get[cloud.VPC](ctx, tx, w.VpcID); err != nil && !errors.Is(err, store.ErrNotFound) {
					return err
				}
				vpcs[w.VpcID] = v
			}
			used, err := store.Count[cloud.Instance](ctx, tx, w.Region, store.Where("vswitch", w.ID))
			if err != nil {
				return err
			}
			resp.VSwitches.VSwitch = append(resp.VSwitches.VSwitch, vswitchItem(w, v, call.Account, used))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// vswitchItem shapes one vSwitch; every vSwitch is associated with its VPC's
// system route table, as custom tables are not modelled yet.
func vswitchItem(w cloud.VSwitch, v cloud.VPC, account string, used int) VSwitchItem {
	item := VSwitchItem{
		VSwitchID: w.ID, VpcID: w.VpcID, OwnerID: ownerID(account), Status: w.Status, CidrBlock: w.CidrBlock,
		ZoneID: w.Zone, Description: w.Description, VSwitchName: w.Name, CreationTime: cloud.FormatSecond(w.Created),
		IsDefault: w.IsDefault, ResourceGroupID: w.ResourceGroup, Tags: tagsOf(w.Tags), NetworkACLID: w.NetworkACLID,
	}
	if p, ok := cloud.ParseCIDR(w.CidrBlock); ok {
		item.AvailableIPAddressCount = max(int64(1)<<(32-p.Bits())-reservedIPs-int64(used)-int64(w.ReservedHosts()), 0)
	}
	if w.RouteTableID != "" {
		item.RouteTable.RouteTableID, item.RouteTable.RouteTableType = w.RouteTableID, RouteTableCustom
	} else if v.RouteTableID != "" {
		item.RouteTable.RouteTableID, item.RouteTable.RouteTableType = v.RouteTableID, RouteTableSystem
	}
	return item
}

// DeleteVSwitchRequest is §5.2 DeleteVSwitch.
type DeleteVSwitchRequest struct {
	RegionID, VSwitchID string
	DryRun              bool
}

// Bind implements rpc.Binder.
func (r *DeleteVSwitchRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.VSwitchID = p.Required("VSwitchId")
	r.DryRun = p.Bool("DryRun", false)
}

// DeleteVSwitchResponse is the bare RequestId.
type DeleteVSwitchResponse struct{ rpc.Base }

// DeleteVSwitch removes an Available vSwitch no instance uses; while one
// does, the answer is plain DependencyViolation, as the VPC reference lists
// it for DeleteVSwitch.
func (s *Service) DeleteVSwitch(ctx context.Context, call *rpc.Call, req *DeleteVSwitchRequest) (*DeleteVSwitchResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		w, err := store.GetIn[cloud.VSwitch](ctx, tx, req.RegionID, req.VSwitchID)
		if err != nil {
			return notFound(err, apierr.VSwitchNotFound)
		}
		if w.Status != cloud.NetAvailable {
			return apierr.VSwitchIncorrectStatus.New()
		}
		// Instances, ENIs (a detached one too) and intranet load balancers
		// all hold addresses of the vSwitch.
		for _, dep := range []struct {
			what  string
			count func() (int, error)
		}{
			{"instance", func() (int, error) {
				return store.Count[cloud.Instance](ctx, tx, w.Region, store.Where("vswitch", w.ID))
			}},
			{"network interface", func() (int, error) { return store.Count[cloud.ENI](ctx, tx, w.Region, store.Where("vswitch", w.ID)) }},
			{"load balancer", func() (int, error) {
				return store.Count[cloud.LoadBalancer](ctx, tx, w.Region, store.Where("vswitch", w.ID))
			}},
			{"NAT gateway", func() (int, error) {
				return store.Count[cloud.NatGateway](ctx, tx, w.Region, store.Where("vswitch", w.ID))
			}},
			{"HaVip", func() (int, error) { return store.Count[cloud.HaVip](ctx, tx, w.Region, store.Where("vswitch", w.ID)) }},
		} {
			if n, err := dep.count(); err != nil {
				return err
			} else if n > 0 {
				return apierr.VSwitchDependency.New().WithDetail("%d %s(s) in %s", n, dep.what, w.ID)
			}
		}
		if w.NetworkACLID != "" {
			return apierr.VSwitchBoundACLDependency.New().WithDetail("%s uses %s", w.ID, w.NetworkACLID)
		}
		if req.DryRun {
			return apierr.DryRunOperation.New()
		}
		if err := s.deleteReservationsOf(ctx, tx, w); err != nil {
			return err
		}
		return store.Delete[cloud.VSwitch](ctx, tx, w.ID)
	})
	if err != nil {
		return nil, err
	}
	return &DeleteVSwitchResponse{}, nil
}

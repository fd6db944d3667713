package vpc

// The VPC and vSwitch long tail: attributes, regions and zones, the
// default VPC and vSwitches, and secondary CIDR blocks.

import (
	"context"
	"net/netip"

	"github.com/ecslocal/ecslocal/internal/apierr"
	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/store"
)

func (s *Service) registerVpcAttributes(t *rpc.Table) {
	v := rpc.VersionVPC
	rpc.Handle(t, v, "ModifyVpcAttribute", s.ModifyVpcAttribute)
	rpc.Handle(t, v, "ModifyVSwitchAttribute", s.ModifyVSwitchAttribute)
	rpc.Handle(t, v, "DescribeRegions", s.DescribeRegions)
	rpc.Handle(t, v, "DescribeZones", s.DescribeZones)
	rpc.Handle(t, v, "CreateDefaultVpc", s.CreateDefaultVpc)
	rpc.Handle(t, v, "CreateDefaultVSwitch", s.CreateDefaultVSwitch)
	rpc.Handle(t, v, "AssociateVpcCidrBlock", s.AssociateVpcCidrBlock)
	rpc.Handle(t, v, "UnassociateVpcCidrBlock", s.UnassociateVpcCidrBlock)
}

// dnsHostnameStatus is DescribeVpcAttribute's DnsHostnameStatus.
func dnsHostnameStatus(on bool) string {
	if on {
		return "ENABLED"
	}
	return "DISABLED"
}

// optString reads an optional string: nil when the request lacks it, so
// that an empty value can still clear a field.
func optString(p *rpc.Params, name string) *string {
	if !p.Has(name) {
		return nil
	}
	v := p.String(name)
	return &v
}

// rename sets name and description to what a request gives (nil: kept).
func rename(name, description, newName, newDescription *string) {
	if newName != nil {
		*name = *newName
	}
	if newDescription != nil {
		*description = *newDescription
	}
}

// refuseIPv6 refuses EnableIPv6=true: IPv6 blocks are not modelled, and
// silently answering success would leave the caller without the block it
// asked for [choice].
func refuseIPv6(p *rpc.Params, name string) {
	if p.Bool(name, false) {
		p.Fail(apierr.InvalidParameter.New(name))
	}
}

// ModifyVpcAttributeRequest is VPC ModifyVpcAttribute.
type ModifyVpcAttributeRequest struct {
	rpc.RegionalID
	VpcName, Description *string
	CidrBlock            string
	EnableDNSHostname    *bool
}

// Bind implements rpc.Binder.
func (r *ModifyVpcAttributeRequest) Bind(p *rpc.Params) {
	r.RegionID = p.String("RegionId") // optional in the metadata; checked below
	r.ID = p.Required("VpcId")
	r.VpcName = optString(p, "VpcName")
	r.Description = optString(p, "Description")
	r.CidrBlock = p.String("CidrBlock")
	r.EnableDNSHostname = p.OptBool("EnableDnsHostname")
	refuseIPv6(p, "EnableIPv6")
	p.String("Ipv6CidrBlock")
	p.String("Ipv6Isp")
}

// ModifyVpcAttributeResponse is the bare RequestId.
type ModifyVpcAttributeResponse struct{ rpc.Base }

// ModifyVpcAttribute renames a VPC, changes its description or DNS
// hostname switch, or replaces its primary block by one that still holds
// every vSwitch of it.
func (s *Service) ModifyVpcAttribute(ctx context.Context, call *rpc.Call, req *ModifyVpcAttributeRequest) (*ModifyVpcAttributeResponse, error) {
	var block netip.Prefix
	if req.CidrBlock != "" {
		if !validVpcCidr(req.CidrBlock) {
			return nil, apierr.InvalidCidrBlock.New()
		}
		block, _ = cloud.ParseCIDR(req.CidrBlock)
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		v, err := s.vpcIn(ctx, tx, req.RegionID, req.ID)
		if err != nil {
			return err
		}
		if req.CidrBlock != "" {
			if v.Status != cloud.NetAvailable {
				return apierr.IncorrectVpcStatus.New()
			}
			vsws, err := store.All[cloud.VSwitch](ctx, tx, v.Region, store.Where("vpc", v.ID))
			if err != nil {
				return err
			}
			if v, err = cloud.ChangePrimaryCidr(v, block, vsws); err != nil {
				return err
			}
		}
		if req.VpcName != nil {
			v.Name = *req.VpcName
		}
		if req.Description != nil {
			v.Description = *req.Description
		}
		if req.EnableDNSHostname != nil {
			v.DNSHostname = *req.EnableDNSHostname
		}
		return store.Put(ctx, tx, v)
	})
	if err != nil {
		return nil, err
	}
	return &ModifyVpcAttributeResponse{}, nil
}

// vpcIn reads a VPC of the region (any region when RegionId was omitted,
// where the metadata makes it optional).
func (s *Service) vpcIn(ctx context.Context, tx store.Tx, region, id string) (cloud.VPC, error) {
	if region != "" {
		if err := s.checkRegion(region); err != nil {
			return cloud.VPC{}, err
		}
		v, err := store.GetIn[cloud.VPC](ctx, tx, region, id)
		return v, notFound(err, apierr.InvalidVpcIDNotFound)
	}
	v, err := store.Get[cloud.VPC](ctx, tx, id)
	return v, notFound(err, apierr.InvalidVpcIDNotFound)
}

// ModifyVSwitchAttributeRequest is VPC ModifyVSwitchAttribute.
type ModifyVSwitchAttributeRequest struct {
	RegionID, VSwitchID      string
	VSwitchName, Description *string
}

// Bind implements rpc.Binder.
func (r *ModifyVSwitchAttributeRequest) Bind(p *rpc.Params) {
	r.RegionID = p.String("RegionId")
	r.VSwitchID = p.Required("VSwitchId")
	r.VSwitchName = optString(p, "VSwitchName")
	r.Description = optString(p, "Description")
	refuseIPv6(p, "EnableIPv6")
	p.OptInt("Ipv6CidrBlock", 0, 255)
	p.String("VpcIpv6CidrBlock")
}

// ModifyVSwitchAttributeResponse is the bare RequestId.
type ModifyVSwitchAttributeResponse struct{ rpc.Base }

// ModifyVSwitchAttribute renames a vSwitch or changes its description.
func (s *Service) ModifyVSwitchAttribute(ctx context.Context, call *rpc.Call, req *ModifyVSwitchAttributeRequest) (*ModifyVSwitchAttributeResponse, error) {
	if req.RegionID != "" {
		if err := s.checkRegion(req.RegionID); err != nil {
			return nil, err
		}
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		w, err := store.Get[cloud.VSwitch](ctx, tx, req.VSwitchID)
		if err != nil || (req.RegionID != "" && w.Region != req.RegionID) {
			return notFound(orNotFound(err), apierr.VSwitchNotFound)
		}
		if req.VSwitchName != nil {
			w.Name = *req.VSwitchName
		}
		if req.Description != nil {
			w.Description = *req.Description
		}
		return store.Put(ctx, tx, w)
	})
	if err != nil {
		return nil, err
	}
	return &ModifyVSwitchAttributeResponse{}, nil
}

// orNotFound is err, or store.ErrNotFound when a resource was found in
// the wrong region.
func orNotFound(err error) error {
	if err == nil {
		return store.ErrNotFound
	}
	return err
}

// DescribeRegionsRequest is VPC DescribeRegions.
type DescribeRegionsRequest struct{ AcceptLanguage string }

// Bind implements rpc.Binder.
func (r *DescribeRegionsRequest) Bind(p *rpc.Params) {
	r.AcceptLanguage = p.Enum("AcceptLanguage", "zh-CN", "zh-CN", "en-US", "ja")
	p.String("ProductType") // every region of the catalogue serves every product here
}

// RegionItem is one region of DescribeRegions.
type RegionItem struct {
	RegionID       string `json:"RegionId"`
	LocalName      string `json:"LocalName"`
	RegionEndpoint string `json:"RegionEndpoint"`
}

// DescribeRegionsResponse wraps Regions.Region[].
type DescribeRegionsResponse struct {
	rpc.Base
	Regions struct {
		Region []RegionItem `json:"Region"`
	} `json:"Regions"`
}

// DescribeRegions lists the catalogue's regions, the same ECS lists; the
// endpoint is VPC's.
func (s *Service) DescribeRegions(_ context.Context, _ *rpc.Call, req *DescribeRegionsRequest) (*DescribeRegionsResponse, error) {
	resp := &DescribeRegionsResponse{}
	resp.Regions.Region = []RegionItem{}
	for _, r := range s.catalog.Regions() {
		name := r.LocalName
		if req.AcceptLanguage != "zh-CN" {
			name = r.LocalNameEn
		}
		resp.Regions.Region = append(resp.Regions.Region, RegionItem{
			RegionID: r.RegionID, LocalName: name, RegionEndpoint: "vpc." + r.RegionID + ".aliyuncs.com",
		})
	}
	return resp, nil
}

// DescribeZonesRequest is VPC DescribeZones.
type DescribeZonesRequest struct {
	RegionID, AcceptLanguage, ZoneType string
}

// Bind implements rpc.Binder.
func (r *DescribeZonesRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.AcceptLanguage = p.Enum("AcceptLanguage", "zh-CN", "zh-CN", "en-US", "ja")
	r.ZoneType = p.Enum("ZoneType", "AvailabilityZone", "AvailabilityZone", "EdgeZone")
}

// ZoneItem is one zone of DescribeZones.
type ZoneItem struct {
	ZoneID    string `json:"ZoneId"`
	LocalName string `json:"LocalName"`
	ZoneType  string `json:"ZoneType"`
}

// DescribeZonesResponse wraps Zones.Zone[].
type DescribeZonesResponse struct {
	rpc.Base
	Zones struct {
		Zone []ZoneItem `json:"Zone"`
	} `json:"Zones"`
}

// DescribeZones lists the region's zones, the ones ECS's DescribeZones
// lists; the catalogue has no edge zones, so EdgeZone lists none.
func (s *Service) DescribeZones(_ context.Context, _ *rpc.Call, req *DescribeZonesRequest) (*DescribeZonesResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &DescribeZonesResponse{}
	resp.Zones.Zone = []ZoneItem{}
	if req.ZoneType != "AvailabilityZone" {
		return resp, nil
	}
	for _, z := range s.catalog.Zones(req.RegionID) {
		name := z.LocalName
		if req.AcceptLanguage != "zh-CN" {
			name = z.LocalNameEn
		}
		resp.Zones.Zone = append(resp.Zones.Zone, ZoneItem{ZoneID: z.ZoneID, LocalName: name, ZoneType: "AvailabilityZone"})
	}
	return resp, nil
}

// CreateDefaultVpcRequest is VPC CreateDefaultVpc.
type CreateDefaultVpcRequest struct {
	RegionID, ResourceGroupID, ClientToken string
}

// Bind implements rpc.Binder.
func (r *CreateDefaultVpcRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.ResourceGroupID = p.String("ResourceGroupId")
	r.ClientToken = p.ClientToken()
	refuseIPv6(p, "EnableIpv6")
	p.String("Ipv6CidrBlock")
}

// CreateDefaultVpcResponse carries the default VPC, its vRouter and table.
type CreateDefaultVpcResponse struct {
	rpc.Base
	VpcID        string `json:"VpcId"`
	VRouterID    string `json:"VRouterId"`
	RouteTableID string `json:"RouteTableId"`
}

// CreateDefaultVpc makes the region's one default VPC, 172.16.0.0/12,
// Pending for the VPC delay as CreateVpc's; a second one is refused.
func (s *Service) CreateDefaultVpc(ctx context.Context, call *rpc.Call, req *CreateDefaultVpcRequest) (*CreateDefaultVpcResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &CreateDefaultVpcResponse{}
	fingerprint := call.Params.Fingerprint()
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		if replayed, err := store.Replay(ctx, tx, call.Action, req.ClientToken, fingerprint, resp); replayed || err != nil {
			return err
		}
		if n, err := store.Count[cloud.VPC](ctx, tx, req.RegionID, store.WhereFlag("default", true)); err != nil {
			return err
		} else if n > 0 {
			return apierr.DefaultVpcExists.New()
		}
		cfg, err := store.LoadConfig(ctx, tx)
		if err != nil {
			return err
		}
		now := tx.Now()
		v := cloud.VPC{
			ID: s.ids.ID("vpc", req.RegionID), Region: req.RegionID, CidrBlock: cloud.DefaultVpcCidr,
			VRouterID: s.ids.ID("vrt", req.RegionID), RouteTableID: s.ids.ID("vtb", req.RegionID), IsDefault: true,
			Status: cloud.NetPending, Created: now, ReadyAt: now.Add(cfg.Delays.VPC.D()),
			ResourceGroup: cloud.ResourceGroup(call.Account, req.ResourceGroupID),
		}
		rt := cloud.RouteTable{
			ID: v.RouteTableID, Region: v.Region, VpcID: v.ID, RouterID: v.VRouterID, RouterType: RouterVRouter,
			Type: RouteTableSystem, Status: cloud.NetAvailable, Created: now, ResourceGroup: v.ResourceGroup,
		}
		if err := store.Put(ctx, tx, v); err != nil {
			return err
		}
		if err := store.Put(ctx, tx, rt); err != nil {
			return err
		}
		resp.VpcID, resp.VRouterID, resp.RouteTableID = v.ID, v.VRouterID, rt.ID
		return store.Remember(ctx, tx, call.Action, req.ClientToken, fingerprint, resp)
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// CreateDefaultVSwitchRequest is VPC CreateDefaultVSwitch.
type CreateDefaultVSwitchRequest struct {
	RegionID, ZoneID, ClientToken string
}

// Bind implements rpc.Binder.
func (r *CreateDefaultVSwitchRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.ZoneID = p.Required("ZoneId")
	r.ClientToken = p.ClientToken()
	if p.Has("Ipv6CidrBlock") { // the default VPC has no IPv6 block here
		p.Fail(apierr.InvalidParameter.New("Ipv6CidrBlock"))
	}
}

// CreateDefaultVSwitchResponse carries the new vSwitch's id.
type CreateDefaultVSwitchResponse struct {
	rpc.Base
	VSwitchID string `json:"VSwitchId"`
}

// CreateDefaultVSwitch makes the zone's default vSwitch in the default VPC,
// on the first free /20 of its block; one per zone.
func (s *Service) CreateDefaultVSwitch(ctx context.Context, call *rpc.Call, req *CreateDefaultVSwitchRequest) (*CreateDefaultVSwitchResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	if z, ok := s.catalog.Zone(req.ZoneID); !ok || z.RegionID != req.RegionID {
		return nil, apierr.InvalidVSwitchZone.New()
	}
	resp := &CreateDefaultVSwitchResponse{}
	fingerprint := call.Params.Fingerprint()
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		if replayed, err := store.Replay(ctx, tx, call.Action, req.ClientToken, fingerprint, resp); replayed || err != nil {
			return err
		}
		defaults, err := store.All[cloud.VPC](ctx, tx, req.RegionID, store.WhereFlag("default", true))
		if err != nil {
			return err
		}
		if len(defaults) == 0 {
			return apierr.DefaultVpcNotFound.New()
		}
		v := defaults[0]
		if v.Status != cloud.NetAvailable {
			return apierr.IncorrectVpcStatus.New()
		}
		vsws, err := store.All[cloud.VSwitch](ctx, tx, v.Region, store.Where("vpc", v.ID))
		if err != nil {
			return err
		}
		for _, w := range vsws {
			if w.IsDefault && w.Zone == req.ZoneID {
				return apierr.DefaultVSwitchExists.New().WithDetail("%s in %s", w.ID, w.Zone)
			}
		}
		block, ok := cloud.FreeDefaultVSwitchBlock(v, vsws)
		if !ok {
			return apierr.DefaultVpcCidrFull.New()
		}
		cfg, err := store.LoadConfig(ctx, tx)
		if err != nil {
			return err
		}
		now := tx.Now()
		w := cloud.VSwitch{
			ID: s.ids.ID("vsw", req.RegionID), Region: req.RegionID, VpcID: v.ID, Zone: req.ZoneID,
			CidrBlock: block.String(), IsDefault: true, Status: cloud.NetPending, Created: now,
			ReadyAt: now.Add(cfg.Delays.VPC.D()), ResourceGroup: v.ResourceGroup,
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

// AssociateVpcCidrBlockRequest is VPC AssociateVpcCidrBlock (IPv4).
type AssociateVpcCidrBlockRequest struct {
	rpc.RegionalID
	SecondaryCidrBlock string
	SecondaryCidrMask  *int
}

// Bind implements rpc.Binder.
func (r *AssociateVpcCidrBlockRequest) Bind(p *rpc.Params) {
	r.BindID(p, "VpcId")
	r.SecondaryCidrBlock = p.String("SecondaryCidrBlock")
	r.SecondaryCidrMask = p.OptInt("SecondaryCidrMask", 8, 28)
	if v := p.Enum("IpVersion", "IPV4", "IPV4", "IPV6"); v == "IPV6" { // IPv6 blocks are not modelled
		p.Fail(apierr.InvalidParameter.New("IpVersion"))
	}
	p.String("IPv6CidrBlock")
	p.OptInt("Ipv6CidrMask", 0, 128)
	p.String("Ipv6Isp")
	if p.String("IpamPoolId") != "" || (r.SecondaryCidrBlock == "" && p.Err() == nil) {
		// A mask alone draws from an IPAM pool, which is not modelled.
		p.Fail(apierr.MissingParameter.New("SecondaryCidrBlock"))
	}
}

// AssociateVpcCidrBlockResponse names the block added.
type AssociateVpcCidrBlockResponse struct {
	rpc.Base
	CidrBlock string `json:"CidrBlock"`
	IPVersion string `json:"IpVersion"`
}

// AssociateVpcCidrBlock adds a secondary IPv4 block to a VPC; its vSwitches
// may then use it.
func (s *Service) AssociateVpcCidrBlock(ctx context.Context, call *rpc.Call, req *AssociateVpcCidrBlockRequest) (*AssociateVpcCidrBlockResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	if !validVpcCidr(req.SecondaryCidrBlock) {
		return nil, apierr.InvalidCidrBlock.New()
	}
	block, _ := cloud.ParseCIDR(req.SecondaryCidrBlock)
	if req.SecondaryCidrMask != nil && *req.SecondaryCidrMask != block.Bits() {
		return nil, apierr.InvalidParameter.New("SecondaryCidrMask")
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		v, err := store.GetIn[cloud.VPC](ctx, tx, req.RegionID, req.ID)
		if err != nil {
			return notFound(err, apierr.InvalidVpcIDNotFound)
		}
		if v.Status != cloud.NetAvailable {
			return apierr.IncorrectVpcStatus.New()
		}
		if v, err = cloud.AddSecondaryCidr(v, block); err != nil {
			return err
		}
		return store.Put(ctx, tx, v)
	})
	if err != nil {
		return nil, err
	}
	return &AssociateVpcCidrBlockResponse{CidrBlock: block.String(), IPVersion: "IPV4"}, nil
}

// UnassociateVpcCidrBlockRequest is VPC UnassociateVpcCidrBlock (IPv4).
type UnassociateVpcCidrBlockRequest struct {
	rpc.RegionalID
	SecondaryCidrBlock string
}

// Bind implements rpc.Binder.
func (r *UnassociateVpcCidrBlockRequest) Bind(p *rpc.Params) {
	r.BindID(p, "VpcId")
	r.SecondaryCidrBlock = p.String("SecondaryCidrBlock")
	if p.String("IPv6CidrBlock") != "" { // IPv6 blocks are not modelled: none is there
		p.Fail(apierr.SecondaryCidrNotFound.New())
	} else if r.SecondaryCidrBlock == "" && p.Err() == nil {
		p.Fail(apierr.MissingParameter.New("SecondaryCidrBlock"))
	}
}

// UnassociateVpcCidrBlockResponse is the bare RequestId.
type UnassociateVpcCidrBlockResponse struct{ rpc.Base }

// UnassociateVpcCidrBlock removes a secondary block no vSwitch uses.
func (s *Service) UnassociateVpcCidrBlock(ctx context.Context, call *rpc.Call, req *UnassociateVpcCidrBlockRequest) (*UnassociateVpcCidrBlockResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	block, ok := cloud.ParseCIDR(req.SecondaryCidrBlock)
	if !ok {
		return nil, apierr.InvalidCidrBlock.New()
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		v, err := store.GetIn[cloud.VPC](ctx, tx, req.RegionID, req.ID)
		if err != nil {
			return notFound(err, apierr.InvalidVpcIDNotFound)
		}
		vsws, err := store.All[cloud.VSwitch](ctx, tx, v.Region, store.Where("vpc", v.ID))
		if err != nil {
			return err
		}
		if v, err = cloud.RemoveSecondaryCidr(v, block, vsws); err != nil {
			return err
		}
		return store.Put(ctx, tx, v)
	})
	if err != nil {
		return nil, err
	}
	return &UnassociateVpcCidrBlockResponse{}, nil
}

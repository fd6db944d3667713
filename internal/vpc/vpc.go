package vpc

import (
	"context"
	"net/netip"

	"github.com/ecslocal/ecslocal/internal/apierr"
	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/store"
	"github.com/ecslocal/ecslocal/internal/tagging"
)

// Route table and router kinds (DescribeRouteTableList's values).
const (
	RouteTableSystem = cloud.RouteTableSystem
	RouteTableCustom = cloud.RouteTableCustom
	RouterVRouter    = "VRouter"
)

// defaultVpcCidr is CreateVpc's block when the request names none (§5.2).
const defaultVpcCidr = "172.16.0.0/12"

// privateBlocks are the blocks a VPC may use, whole or in part.
var privateBlocks = []netip.Prefix{
	netip.MustParsePrefix("10.0.0.0/8"),
	netip.MustParsePrefix("172.16.0.0/12"),
	netip.MustParsePrefix("192.168.0.0/16"),
}

// validVpcCidr tells whether a VPC may use the block: canonical IPv4, a
// private block or a subnet of one, and no smaller than /28.
func validVpcCidr(s string) bool {
	p, ok := cloud.ParseCIDR(s)
	if !ok || p.Bits() > 28 {
		return false
	}
	for _, b := range privateBlocks {
		if cloud.Contains(b, p) {
			return true
		}
	}
	return false
}

// CreateVpcRequest is spec/semantics.md §5.2 CreateVpc.
type CreateVpcRequest struct {
	RegionID, CidrBlock, VpcName, Description, ResourceGroupID, ClientToken string
	Tags                                                                    []rpc.Tag
	DryRun                                                                  bool
}

// Bind implements rpc.Binder.
func (r *CreateVpcRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.CidrBlock = p.String("CidrBlock")
	r.VpcName = p.String("VpcName")
	r.Description = p.String("Description")
	r.ResourceGroupID = p.String("ResourceGroupId")
	r.ClientToken = p.ClientToken()
	r.Tags = tagging.BindTags(p, "Tag")
	r.DryRun = p.Bool("DryRun", false)
}

// CreateVpcResponse carries the new VPC, its vRouter and system route table.
type CreateVpcResponse struct {
	rpc.Base
	VpcID           string `json:"VpcId"`
	VRouterID       string `json:"VRouterId"`
	RouteTableID    string `json:"RouteTableId"`
	ResourceGroupID string `json:"ResourceGroupId"`
}

// CreateVpc makes a VPC, its vRouter and its system route table; the VPC is
// Pending until the "vpc" delay has passed.
func (s *Service) CreateVpc(ctx context.Context, call *rpc.Call, req *CreateVpcRequest) (*CreateVpcResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	cidr := req.CidrBlock
	if cidr == "" {
		cidr = defaultVpcCidr
	}
	if !validVpcCidr(cidr) {
		return nil, apierr.InvalidCidrBlock.New()
	}
	resp := &CreateVpcResponse{}
	fingerprint := call.Params.Fingerprint()
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		if replayed, err := store.Replay(ctx, tx, call.Action, req.ClientToken, fingerprint, resp); replayed || err != nil {
			return err
		}
		if req.DryRun {
			return apierr.DryRunOperation.New() // every check ran; nothing is written
		}
		cfg, err := store.LoadConfig(ctx, tx)
		if err != nil {
			return err
		}
		now := tx.Now()
		v := cloud.VPC{
			ID: s.ids.ID("vpc", req.RegionID), Region: req.RegionID, Name: req.VpcName, Description: req.Description,
			CidrBlock: cidr, VRouterID: s.ids.ID("vrt", req.RegionID), RouteTableID: s.ids.ID("vtb", req.RegionID),
			Status: cloud.NetPending, Created: now, ReadyAt: now.Add(cfg.Delays.VPC.D()), Tags: cloudTags(req.Tags),
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
		resp.VpcID, resp.VRouterID, resp.RouteTableID, resp.ResourceGroupID = v.ID, v.VRouterID, rt.ID, v.ResourceGroup
		return store.Remember(ctx, tx, call.Action, req.ClientToken, fingerprint, resp)
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// DescribeVpcsRequest is §5.2 DescribeVpcs.
type DescribeVpcsRequest struct {
	RegionID, VpcName, ResourceGroupID string
	VpcIDs                             []string
	IsDefault                          *bool
	Tags                               []rpc.Tag
	DryRun                             bool
	PageNumber, PageSize               int
}

// Bind implements rpc.Binder.
func (r *DescribeVpcsRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.VpcIDs = idList(p.String("VpcId"))
	if len(r.VpcIDs) > 20 { // the reference caps the list at 20 ids
		p.Fail(apierr.InvalidParameter.New("VpcId"))
	}
	r.VpcName = p.String("VpcName")
	r.ResourceGroupID = p.String("ResourceGroupId")
	r.IsDefault = p.OptBool("IsDefault")
	r.Tags = tagging.BindTags(p, "Tag")
	r.DryRun = p.Bool("DryRun", false)
	r.PageNumber, r.PageSize = paging(p)
}

// VpcItem is one VPC of DescribeVpcs; the wrappers decode in the VPC v6 and
// classic SDKs and in the ECS SDKs' legacy DescribeVpcs.
type VpcItem struct {
	VpcID           string `json:"VpcId"`
	RegionID        string `json:"RegionId"`
	OwnerID         int64  `json:"OwnerId"`
	Status          string `json:"Status"`
	VpcName         string `json:"VpcName"`
	CreationTime    string `json:"CreationTime"`
	CidrBlock       string `json:"CidrBlock"`
	Ipv6CidrBlock   string `json:"Ipv6CidrBlock"`
	EnabledIpv6     bool   `json:"EnabledIpv6"`
	VRouterID       string `json:"VRouterId"`
	Description     string `json:"Description"`
	IsDefault       bool   `json:"IsDefault"`
	ResourceGroupID string `json:"ResourceGroupId"`
	CenStatus       string `json:"CenStatus"`
	VSwitchIDs      struct {
		VSwitchID []string `json:"VSwitchId"`
	} `json:"VSwitchIds"`
	RouterTableIDs struct {
		RouterTableIDs []string `json:"RouterTableIds"`
	} `json:"RouterTableIds"`
	UserCidrs struct {
		UserCidr []string `json:"UserCidr"`
	} `json:"UserCidrs"`
	SecondaryCidrBlocks struct {
		SecondaryCidrBlock []string `json:"SecondaryCidrBlock"`
	} `json:"SecondaryCidrBlocks"`
	NatGatewayIDs struct {
		NatGatewayIDs []string `json:"NatGatewayIds"`
	} `json:"NatGatewayIds"`
	Tags Tags `json:"Tags"`
}

// DescribeVpcsResponse wraps Vpcs.Vpc[].
type DescribeVpcsResponse struct {
	rpc.Base
	TotalCount int `json:"TotalCount"`
	PageNumber int `json:"PageNumber"`
	PageSize   int `json:"PageSize"`
	Vpcs       struct {
		Vpc []VpcItem `json:"Vpc"`
	} `json:"Vpcs"`
}

// DescribeVpcs lists a region's VPCs; every filter is an index lookup.
func (s *Service) DescribeVpcs(ctx context.Context, call *rpc.Call, req *DescribeVpcsRequest) (*DescribeVpcsResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	q := store.Query{Region: req.RegionID, IDs: req.VpcIDs, Offset: (req.PageNumber - 1) * req.PageSize, Limit: req.PageSize, Count: true}
	if req.VpcName != "" {
		q.Filters = append(q.Filters, store.Where("name", req.VpcName))
	}
	if req.IsDefault != nil {
		q.Filters = append(q.Filters, store.WhereFlag("default", *req.IsDefault))
	}
	if req.ResourceGroupID != "" {
		q.Filters = append(q.Filters, store.Where("resourceGroup", req.ResourceGroupID))
	}
	q.Filters = append(q.Filters, tagFilters(req.Tags)...)
	resp := &DescribeVpcsResponse{PageNumber: req.PageNumber, PageSize: req.PageSize}
	resp.Vpcs.Vpc = []VpcItem{}
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		if req.DryRun {
			return apierr.DryRunOperation.New()
		}
		vpcs, page, err := store.Find[cloud.VPC](ctx, tx, q)
		if err != nil {
			return err
		}
		resp.TotalCount = page.Total
		for _, v := range vpcs {
			item, err := s.vpcItem(ctx, tx, call.Account, v)
			if err != nil {
				return err
			}
			resp.Vpcs.Vpc = append(resp.Vpcs.Vpc, item)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// vpcItem shapes one VPC, reading its vSwitches and route tables through
// the "vpc" index: the cost grows with the page, not the account.
func (s *Service) vpcItem(ctx context.Context, tx store.Tx, account string, v cloud.VPC) (VpcItem, error) {
	item := VpcItem{
		VpcID: v.ID, RegionID: v.Region, OwnerID: ownerID(account), Status: v.Status, VpcName: v.Name,
		CreationTime: cloud.FormatSecond(v.Created), CidrBlock: v.CidrBlock, VRouterID: v.VRouterID,
		Description: v.Description, IsDefault: v.IsDefault, ResourceGroupID: v.ResourceGroup,
		CenStatus: "Detached", Tags: tagsOf(v.Tags),
	}
	item.VSwitchIDs.VSwitchID = []string{}
	item.RouterTableIDs.RouterTableIDs = []string{}
	item.UserCidrs.UserCidr = []string{}
	item.SecondaryCidrBlocks.SecondaryCidrBlock = append([]string{}, v.SecondaryCidrs...)
	item.NatGatewayIDs.NatGatewayIDs = []string{}
	vsws, err := store.All[cloud.VSwitch](ctx, tx, v.Region, store.Where("vpc", v.ID))
	if err != nil {
		return item, err
	}
	for _, w := range vsws {
		item.VSwitchIDs.VSwitchID = append(item.VSwitchIDs.VSwitchID, w.ID)
	}
	tables, err := store.All[cloud.RouteTable](ctx, tx, v.Region, store.Where("vpc", v.ID))
	if err != nil {
		return item, err
	}
	for _, t := range tables {
		item.RouterTableIDs.RouterTableIDs = append(item.RouterTableIDs.RouterTableIDs, t.ID)
	}
	return item, nil
}

// DeleteVpcRequest is §5.2 DeleteVpc.
type DeleteVpcRequest struct {
	rpc.RegionalID
	DryRun bool
}

// Bind implements rpc.Binder.
func (r *DeleteVpcRequest) Bind(p *rpc.Params) {
	r.BindID(p, "VpcId")
	r.DryRun = p.Bool("DryRun", false)
	p.Bool("ForceDelete", false) // accepted; nothing it would force away is modelled yet
	p.ClientToken()
}

// DeleteVpcResponse is the bare RequestId.
type DeleteVpcResponse struct{ rpc.Base }

// DeleteVpc removes an Available VPC that nothing stands on any more, with
// its system route table. The refusals name what is left, as the real codes
// do (DeleteVpc's error table): DependencyViolation.VSwitch while vSwitches
// remain, .SecurityGroup while security groups remain, .RouteEntry while
// custom route entries remain and .RouteTable while custom route tables remain.
// Instances need a vSwitch, so the vSwitch check covers them.
func (s *Service) DeleteVpc(ctx context.Context, call *rpc.Call, req *DeleteVpcRequest) (*DeleteVpcResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		v, err := store.GetIn[cloud.VPC](ctx, tx, req.RegionID, req.ID)
		if err != nil {
			return notFound(err, apierr.InvalidVpcIDNotFound)
		}
		if v.Status != cloud.NetAvailable {
			return apierr.IncorrectVpcStatus.New()
		}
		inVpc := store.Where("vpc", v.ID)
		if n, err := store.Count[cloud.VSwitch](ctx, tx, v.Region, inVpc); err != nil {
			return err
		} else if n > 0 {
			return apierr.VpcDependencyVSwitch.New().WithDetail("%d vSwitch(es) in %s", n, v.ID)
		}
		if n, err := store.Count[cloud.SecurityGroup](ctx, tx, v.Region, inVpc); err != nil {
			return err
		} else if n > 0 {
			return apierr.VpcDependencySecurityGroup.New().WithDetail("%d security group(s) in %s", n, v.ID)
		}
		if n, err := store.Count[cloud.RouteEntry](ctx, tx, v.Region, inVpc, store.Where("type", cloud.RouteCustom)); err != nil {
			return err
		} else if n > 0 {
			return apierr.VpcDependencyRouteEntry.New().WithDetail("%d custom route entries in %s", n, v.ID)
		}
		if n, err := store.Count[cloud.RouteTable](ctx, tx, v.Region, inVpc, store.Where("type", RouteTableCustom)); err != nil {
			return err
		} else if n > 0 {
			return apierr.VpcDependencyRouteTable.New().WithDetail("%d custom route table(s) in %s", n, v.ID)
		}
		if n, err := store.Count[cloud.NetworkACL](ctx, tx, v.Region, inVpc); err != nil {
			return err
		} else if n > 0 {
			return apierr.VpcDependencyNetworkACL.New().WithDetail("%d network ACL(s) in %s", n, v.ID)
		}
		if n, err := store.Count[cloud.Ipv4Gateway](ctx, tx, v.Region, inVpc); err != nil {
			return err
		} else if n > 0 {
			return apierr.VpcDependencyIpv4Gateway.New().WithDetail("%s has an IPv4 gateway", v.ID)
		}
		if n, err := store.Count[cloud.Ipv6Gateway](ctx, tx, v.Region, inVpc); err != nil {
			return err
		} else if n > 0 {
			return apierr.VpcDependencyIpv6Gateway.New().WithDetail("%s has an IPv6 gateway", v.ID)
		}
		if req.DryRun {
			return apierr.DryRunOperation.New()
		}
		tables, err := store.All[cloud.RouteTable](ctx, tx, v.Region, inVpc)
		if err != nil {
			return err
		}
		for _, t := range tables {
			if err := store.Delete[cloud.RouteTable](ctx, tx, t.ID); err != nil {
				return err
			}
		}
		return store.Delete[cloud.VPC](ctx, tx, v.ID)
	})
	if err != nil {
		return nil, err
	}
	return &DeleteVpcResponse{}, nil
}

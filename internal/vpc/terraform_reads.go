package vpc

// The single-resource reads the alicloud Terraform provider and the aliyun
// CLI use for VPCs and vSwitches: DescribeVpcAttribute and
// DescribeVSwitchAttributes, answered from the stored resources.

import (
	"context"
	"errors"

	"github.com/ecslocal/ecslocal/internal/apierr"
	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/store"
)

func (s *Service) registerTerraformReads(t *rpc.Table) {
	// VPC 2016-04-28 only: ECS 2014-05-26's official action list lacks it.
	rpc.Handle(t, rpc.VersionVPC, "DescribeVpcAttribute", s.DescribeVpcAttribute)
	rpc.Handle(t, rpc.VersionVPC, "DescribeVSwitchAttributes", s.DescribeVSwitchAttributes)
}

// DescribeVpcAttributeRequest names one VPC.
type DescribeVpcAttributeRequest struct {
	RegionID, VpcID string
	IsDefault       *bool
	DryRun          bool
}

// Bind implements rpc.Binder.
func (r *DescribeVpcAttributeRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.VpcID = p.Required("VpcId")
	r.IsDefault = p.OptBool("IsDefault")
	r.DryRun = p.Bool("DryRun", false)
}

// CloudResourceSet counts one kind of resource in the VPC.
type CloudResourceSet struct {
	ResourceType  string `json:"ResourceType"`
	ResourceCount int    `json:"ResourceCount"`
}

// DescribeVpcAttributeResponse is the VPC's fields at top level.
type DescribeVpcAttributeResponse struct {
	rpc.Base
	VpcID                string `json:"VpcId"`
	RegionID             string `json:"RegionId"`
	OwnerID              int64  `json:"OwnerId"`
	Status               string `json:"Status"`
	VpcName              string `json:"VpcName"`
	CreationTime         string `json:"CreationTime"`
	CidrBlock            string `json:"CidrBlock"`
	Ipv6CidrBlock        string `json:"Ipv6CidrBlock"`
	EnabledIpv6          bool   `json:"EnabledIpv6"`
	VRouterID            string `json:"VRouterId"`
	Description          string `json:"Description"`
	IsDefault            bool   `json:"IsDefault"`
	ClassicLinkEnabled   bool   `json:"ClassicLinkEnabled"`
	ResourceGroupID      string `json:"ResourceGroupId"`
	DhcpOptionsSetID     string `json:"DhcpOptionsSetId"`
	DhcpOptionsSetStatus string `json:"DhcpOptionsSetStatus"`
	DNSHostnameStatus    string `json:"DnsHostnameStatus"`
	SupportIpv4Gateway   bool   `json:"SupportIpv4Gateway"`
	Ipv4GatewayID        string `json:"Ipv4GatewayId"`
	VSwitchIDs           struct {
		VSwitchID []string `json:"VSwitchId"`
	} `json:"VSwitchIds"`
	UserCidrs struct {
		UserCidr []string `json:"UserCidr"`
	} `json:"UserCidrs"`
	SecondaryCidrBlocks struct {
		SecondaryCidrBlock []string `json:"SecondaryCidrBlock"`
	} `json:"SecondaryCidrBlocks"`
	Ipv6CidrBlocks struct {
		Ipv6CidrBlock []struct{} `json:"Ipv6CidrBlock"`
	} `json:"Ipv6CidrBlocks"`
	AssociatedCens struct {
		AssociatedCen []struct{} `json:"AssociatedCen"`
	} `json:"AssociatedCens"`
	CloudResources struct {
		CloudResourceSetType []CloudResourceSet `json:"CloudResourceSetType"`
	} `json:"CloudResources"`
	Tags Tags `json:"Tags"`
}

// DescribeVpcAttribute shows one VPC, with the ids of its vSwitches and a
// count of the resources it holds.
func (s *Service) DescribeVpcAttribute(ctx context.Context, call *rpc.Call, req *DescribeVpcAttributeRequest) (*DescribeVpcAttributeResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &DescribeVpcAttributeResponse{}
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		if req.DryRun {
			return apierr.DryRunOperation.New()
		}
		v, err := store.GetIn[cloud.VPC](ctx, tx, req.RegionID, req.VpcID)
		if err != nil {
			return notFound(err, apierr.InvalidVpcIDNotFound)
		}
		if req.IsDefault != nil && *req.IsDefault != v.IsDefault {
			return apierr.InvalidVpcIDNotFound.New()
		}
		item, err := s.vpcItem(ctx, tx, call.Account, v)
		if err != nil {
			return err
		}
		*resp = DescribeVpcAttributeResponse{
			VpcID: item.VpcID, RegionID: item.RegionID, OwnerID: item.OwnerID, Status: item.Status,
			VpcName: item.VpcName, CreationTime: item.CreationTime, CidrBlock: item.CidrBlock,
			VRouterID: item.VRouterID, Description: item.Description, IsDefault: item.IsDefault,
			ResourceGroupID: item.ResourceGroupID, DNSHostnameStatus: dnsHostnameStatus(v.DNSHostname),
			Tags: item.Tags, DhcpOptionsSetID: v.DhcpOptionsSetID,
		}
		if v.DhcpOptionsSetID != "" {
			resp.DhcpOptionsSetStatus = cloud.DhcpInUse
		}
		resp.VSwitchIDs.VSwitchID = item.VSwitchIDs.VSwitchID
		resp.UserCidrs.UserCidr = item.UserCidrs.UserCidr
		resp.SecondaryCidrBlocks.SecondaryCidrBlock = item.SecondaryCidrBlocks.SecondaryCidrBlock
		resp.Ipv6CidrBlocks.Ipv6CidrBlock = []struct{}{}
		resp.AssociatedCens.AssociatedCen = []struct{}{}
		resp.CloudResources.CloudResourceSetType, err = vpcResources(ctx, tx, v)
		return err
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// vpcResources counts what the VPC holds, as CloudResources lists it: only
// kinds with at least one resource appear.
func vpcResources(ctx context.Context, tx store.Tx, v cloud.VPC) ([]CloudResourceSet, error) {
	out := []CloudResourceSet{}
	in := store.Where("vpc", v.ID)
	counts := []struct {
		kind  string
		count func() (int, error)
	}{
		{"VSwitch", func() (int, error) { return store.Count[cloud.VSwitch](ctx, tx, v.Region, in) }},
		{"VRouter", func() (int, error) { return 1, nil }},
		{"RouteTable", func() (int, error) { return store.Count[cloud.RouteTable](ctx, tx, v.Region, in) }},
		{"SecurityGroup", func() (int, error) { return store.Count[cloud.SecurityGroup](ctx, tx, v.Region, in) }},
		{"ECS", func() (int, error) { return store.Count[cloud.Instance](ctx, tx, v.Region, in) }},
	}
	for _, k := range counts {
		n, err := k.count()
		if err != nil {
			return nil, err
		}
		if n > 0 {
			out = append(out, CloudResourceSet{ResourceType: k.kind, ResourceCount: n})
		}
	}
	return out, nil
}

// DescribeVSwitchAttributesRequest names one vSwitch.
type DescribeVSwitchAttributesRequest struct {
	RegionID, VSwitchID string
	DryRun              bool
}

// Bind implements rpc.Binder.
func (r *DescribeVSwitchAttributesRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.VSwitchID = p.Required("VSwitchId")
	r.DryRun = p.Bool("DryRun", false)
}

// DescribeVSwitchAttributesResponse is the vSwitch's fields at top level.
type DescribeVSwitchAttributesResponse struct {
	rpc.Base
	VSwitchItem
	CloudResources struct {
		CloudResourceSetType []CloudResourceSet `json:"CloudResourceSetType"`
	} `json:"CloudResources"`
}

// DescribeVSwitchAttributes shows one vSwitch.
func (s *Service) DescribeVSwitchAttributes(ctx context.Context, call *rpc.Call, req *DescribeVSwitchAttributesRequest) (*DescribeVSwitchAttributesResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &DescribeVSwitchAttributesResponse{}
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		if req.DryRun {
			return apierr.DryRunOperation.New()
		}
		w, err := store.GetIn[cloud.VSwitch](ctx, tx, req.RegionID, req.VSwitchID)
		if err != nil {
			return notFound(err, apierr.InvalidVSwitchIDNotFound)
		}
		v, err := store.Get[cloud.VPC](ctx, tx, w.VpcID)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		used, err := store.Count[cloud.Instance](ctx, tx, w.Region, store.Where("vswitch", w.ID))
		if err != nil {
			return err
		}
		resp.VSwitchItem = vswitchItem(w, v, call.Account, used)
		resp.CloudResources.CloudResourceSetType = []CloudResourceSet{}
		if used > 0 {
			resp.CloudResources.CloudResourceSetType = append(resp.CloudResources.CloudResourceSetType, CloudResourceSet{ResourceType: "ECS", ResourceCount: used})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

package vpc

// Actions over resources of several kinds: deletion protection, resource
// groups, and the tag keys and tags of the VPC kinds.

import (
	"context"
	"slices"
	"strings"

	"github.com/ecslocal/ecslocal/internal/apierr"
	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/store"
	"github.com/ecslocal/ecslocal/internal/tagging"
)

func (s *Service) registerResourceMeta(t *rpc.Table) {
	v := rpc.VersionVPC
	rpc.Handle(t, v, "DeletionProtection", s.DeletionProtection)
	rpc.Handle(t, v, "ChangeResourceGroup", s.ChangeResourceGroup)
	rpc.Handle(t, v, "MoveResourceGroup", s.MoveResourceGroup)
	rpc.Handle(t, v, "DescribeTagKeys", s.DescribeTagKeys)
	rpc.Handle(t, v, "DescribeTags", s.DescribeTags)
}

// DeletionProtectionRequest is VPC DeletionProtection.
type DeletionProtectionRequest struct {
	RegionID, InstanceID, Type, ClientToken string
	Enable                                  bool
}

// Bind implements rpc.Binder.
func (r *DeletionProtectionRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.InstanceID = p.Required("InstanceId")
	if p.Required("ProtectionEnable") != "" {
		r.Enable = p.Bool("ProtectionEnable", false)
	}
	r.Type = p.Required("Type")
	if r.Type != "" && !slices.Contains([]string{"EIP", "CBWP", "NATGW"}, r.Type) {
		p.Fail(apierr.InvalidDeletionProtectionType.New())
	}
	r.ClientToken = p.ClientToken()
}

// DeletionProtectionResponse is the bare RequestId.
type DeletionProtectionResponse struct{ rpc.Base }

// DeletionProtection switches the deletion protection of an EIP or a NAT
// gateway: ReleaseEipAddress and DeleteNatGateway (Force or not) refuse a
// protected one. Bandwidth plans (CBWP) are not kept, so none is found.
func (s *Service) DeletionProtection(ctx context.Context, call *rpc.Call, req *DeletionProtectionRequest) (*DeletionProtectionResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		switch req.Type {
		case "EIP":
			e, err := store.GetIn[cloud.EIP](ctx, tx, req.RegionID, req.InstanceID)
			if err != nil {
				return notFound(err, apierr.InvalidAllocationIDNotFound)
			}
			e.DeletionProtection = req.Enable
			return store.Put(ctx, tx, e)
		case "NATGW":
			n, err := store.GetIn[cloud.NatGateway](ctx, tx, req.RegionID, req.InstanceID)
			if err != nil {
				return notFound(err, apierr.InvalidNatGatewayIDNotFound)
			}
			n.DeletionProtection = req.Enable
			return store.Put(ctx, tx, n)
		}
		return apierr.ResourceNotFound.New().WithDetail("no bandwidth plan is kept")
	})
	if err != nil {
		return nil, err
	}
	return &DeletionProtectionResponse{}, nil
}

// resourceGroupRequest is the shape ChangeResourceGroup and
// MoveResourceGroup share.
type resourceGroupRequest struct {
	RegionID, ResourceID, ResourceType, NewResourceGroupID string
}

func (r *resourceGroupRequest) bind(p *rpc.Params) {
	r.NewResourceGroupID = p.Required("NewResourceGroupId")
	r.RegionID = p.Required("RegionId")
	r.ResourceID = p.Required("ResourceId")
	r.ResourceType = p.Required("ResourceType")
	if r.NewResourceGroupID != "" && !strings.HasPrefix(r.NewResourceGroupID, "rg-") {
		p.Fail(apierr.InvalidResourceGroupID.New())
	}
}

// ChangeResourceGroupRequest is VPC ChangeResourceGroup.
type ChangeResourceGroupRequest struct{ resourceGroupRequest }

// Bind implements rpc.Binder.
func (r *ChangeResourceGroupRequest) Bind(p *rpc.Params) {
	r.bind(p)
	if r.ResourceType != "" && !slices.Contains([]string{"PHYSICALCONNECTION", "VIRTUALBORDERROUTER", "ROUTERINTERFACE"}, strings.ToUpper(r.ResourceType)) {
		p.Fail(apierr.InvalidResourceGroupResourceType.New())
	}
}

// ChangeResourceGroupResponse is the bare RequestId.
type ChangeResourceGroupResponse struct{ rpc.Base }

// ChangeResourceGroup moves Express Connect resources (circuits, border
// routers, router interfaces) between resource groups; ecslocal keeps none,
// so every valid request names a resource that is not found.
func (s *Service) ChangeResourceGroup(_ context.Context, _ *rpc.Call, req *ChangeResourceGroupRequest) (*ChangeResourceGroupResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	return nil, apierr.ResourceNotFound.New().WithDetail("no %s is kept", req.ResourceType)
}

// MoveResourceGroupRequest is VPC MoveResourceGroup.
type MoveResourceGroupRequest struct{ resourceGroupRequest }

// movableTypes are MoveResourceGroup's ResourceType values (compared
// without case, the reference's example being "vpc").
var movableTypes = []string{
	"vpc", "eip", "bandwidthpackage", "prefixlist", "publicipaddresspool", "flowlog", "havip",
	"trafficmirrorfilter", "trafficmirrorsession", "ipv4gateway", "ipv6gateway", "dhcpoptionsset", "gatewayendpoint",
}

// Bind implements rpc.Binder.
func (r *MoveResourceGroupRequest) Bind(p *rpc.Params) {
	r.bind(p)
	if r.ResourceType != "" && !slices.Contains(movableTypes, strings.ToLower(r.ResourceType)) {
		p.Fail(apierr.InvalidResourceGroupResourceType.New())
	}
}

// MoveResourceGroupResponse is the bare RequestId.
type MoveResourceGroupResponse struct{ rpc.Base }

// MoveResourceGroup moves a VPC, EIP, HaVip or DHCP options set to another
// resource group. A VPC moves alone: its vSwitches and route tables keep
// theirs [choice]. Types ecslocal keeps none of find nothing.
func (s *Service) MoveResourceGroup(ctx context.Context, call *rpc.Call, req *MoveResourceGroupRequest) (*MoveResourceGroupResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	rg := req.NewResourceGroupID
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		switch strings.ToLower(req.ResourceType) {
		case "vpc":
			return moveGroup(ctx, tx, req.RegionID, req.ResourceID, func(v cloud.VPC) cloud.VPC { v.ResourceGroup = rg; return v })
		case "eip":
			return moveGroup(ctx, tx, req.RegionID, req.ResourceID, func(e cloud.EIP) cloud.EIP { e.ResourceGroup = rg; return e })
		}
		if move := s.moreMovable(strings.ToLower(req.ResourceType), rg); move != nil {
			return move(ctx, tx, req.RegionID, req.ResourceID)
		}
		return apierr.ResourceNotFound.New().WithDetail("no %s is kept", req.ResourceType)
	})
	if err != nil {
		return nil, err
	}
	return &MoveResourceGroupResponse{}, nil
}

// moveGroup rewrites one resource of kind T in the region through set.
func moveGroup[T cloud.Resource](ctx context.Context, tx store.Tx, region, id string, set func(T) T) error {
	r, err := store.GetIn[T](ctx, tx, region, id)
	if err != nil {
		return notFound(err, apierr.ResourceNotFound)
	}
	return store.Put(ctx, tx, set(r))
}

// vpcTagKinds are the taggable kinds of VPC's tag actions, each with its
// ResourceType, in registry order.
func vpcTagKinds(only string) []tagTarget {
	var out []tagTarget
	for _, k := range cloud.Kinds() {
		if k.Tags == nil || k.Tags.ResourceTypes["vpc"] == "" {
			continue
		}
		if only == "" || strings.EqualFold(only, k.Tags.ResourceTypes["vpc"]) {
			out = append(out, tagTarget{Type: k.Tags.ResourceTypes["vpc"], kind: &k})
		}
	}
	return out
}

// tagDescribeRequest is the shape DescribeTagKeys and DescribeTags share.
type tagDescribeRequest struct {
	RegionID, ResourceType string
	IDs                    []string
	MaxResult, Offset      int
}

func (r *tagDescribeRequest) bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.ResourceType = p.String("ResourceType")
	if r.ResourceType != "" {
		resourceType(p, r.ResourceType) // an unknown type is InvalidResourceType.NotFound
	}
	r.IDs = p.List("ResourceId")
	if len(r.IDs) > 20 {
		p.Fail(apierr.TooManyTagResourceIDs.New())
	}
	r.MaxResult = p.Int("MaxResult", 50, 1, 50)
	r.Offset = bindOffsetToken(p)
}

// tagsOfKinds reads the tags of every resource of the request's type (every
// VPC taggable type when it names none), restricted to its ids. The cost
// grows with the resources of the type in the region: the answer is an
// aggregate over all of them.
func tagsOfKinds(ctx context.Context, tx store.Tx, req *tagDescribeRequest) ([]cloud.Tag, error) {
	var out []cloud.Tag
	for _, t := range vpcTagKinds(req.ResourceType) {
		q := store.Query{Region: req.RegionID, Limit: 1 << 30}
		if len(req.IDs) > 0 {
			q.IDs = req.IDs
		}
		items, _, err := tagging.Find(ctx, tx, *t.kind, q)
		if err != nil {
			return nil, err
		}
		for _, it := range items {
			out = append(out, it.Tags...)
		}
	}
	return out, nil
}

// pageOf cuts n items at offset by size and answers the NextToken after.
func pageOf(n, offset, size int) (from, to int, next string) {
	from, to = min(offset, n), min(offset+size, n)
	return from, to, offsetToken(from, to-from, to < n)
}

// DescribeTagKeysRequest is VPC DescribeTagKeys.
type DescribeTagKeysRequest struct {
	tagDescribeRequest
	Keyword string
}

// Bind implements rpc.Binder.
func (r *DescribeTagKeysRequest) Bind(p *rpc.Params) {
	r.bind(p)
	r.Keyword = p.String("Keyword")
}

// TagKeyItem is one key of DescribeTagKeys.
type TagKeyItem struct {
	TagKey string `json:"TagKey"`
	Type   string `json:"Type"`
}

// DescribeTagKeysResponse wraps TagKeys.TagKey[].
type DescribeTagKeysResponse struct {
	rpc.Base
	NextToken string `json:"NextToken"`
	TagKeys   struct {
		TagKey []TagKeyItem `json:"TagKey"`
	} `json:"TagKeys"`
}

// DescribeTagKeys lists the distinct tag keys of the type's resources in
// alphabetical order, those containing Keyword when it is given [choice:
// the reference does not say prefix or substring]. Every key is Custom:
// ecslocal writes no system tags.
func (s *Service) DescribeTagKeys(ctx context.Context, call *rpc.Call, req *DescribeTagKeysRequest) (*DescribeTagKeysResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &DescribeTagKeysResponse{}
	resp.TagKeys.TagKey = []TagKeyItem{}
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		tags, err := tagsOfKinds(ctx, tx, &req.tagDescribeRequest)
		if err != nil {
			return err
		}
		var keys []string
		for _, t := range tags {
			if strings.Contains(t.Key, req.Keyword) && !slices.Contains(keys, t.Key) {
				keys = append(keys, t.Key)
			}
		}
		slices.Sort(keys)
		from, to, next := pageOf(len(keys), req.Offset, req.MaxResult)
		for _, k := range keys[from:to] {
			resp.TagKeys.TagKey = append(resp.TagKeys.TagKey, TagKeyItem{TagKey: k, Type: "Custom"})
		}
		resp.NextToken = next
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// DescribeTagsRequest is VPC DescribeTags.
type DescribeTagsRequest struct {
	tagDescribeRequest
	Tags []rpc.Tag
}

// Bind implements rpc.Binder.
func (r *DescribeTagsRequest) Bind(p *rpc.Params) {
	r.bind(p)
	r.Tags = tagging.BindTags(p, "Tag")
}

// TagPair is one tag of DescribeTags.
type TagPair struct {
	TagKey   string `json:"TagKey"`
	TagValue string `json:"TagValue"`
}

// DescribeTagsResponse wraps TagResources.TagResource[].
type DescribeTagsResponse struct {
	rpc.Base
	NextToken    string `json:"NextToken"`
	TagResources struct {
		TagResource []TagPair `json:"TagResource"`
	} `json:"TagResources"`
}

// DescribeTags lists the distinct (key, value) pairs of the type's
// resources, sorted, restricted to the keys (and values, when given) of
// Tag.N.
func (s *Service) DescribeTags(ctx context.Context, call *rpc.Call, req *DescribeTagsRequest) (*DescribeTagsResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &DescribeTagsResponse{}
	resp.TagResources.TagResource = []TagPair{}
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		tags, err := tagsOfKinds(ctx, tx, &req.tagDescribeRequest)
		if err != nil {
			return err
		}
		var pairs []cloud.Tag
		for _, t := range tags {
			if wantedTag(req.Tags, t) && !slices.Contains(pairs, t) {
				pairs = append(pairs, t)
			}
		}
		slices.SortFunc(pairs, func(a, b cloud.Tag) int {
			if c := strings.Compare(a.Key, b.Key); c != 0 {
				return c
			}
			return strings.Compare(a.Value, b.Value)
		})
		from, to, next := pageOf(len(pairs), req.Offset, req.MaxResult)
		for _, t := range pairs[from:to] {
			resp.TagResources.TagResource = append(resp.TagResources.TagResource, TagPair{TagKey: t.Key, TagValue: t.Value})
		}
		resp.NextToken = next
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// wantedTag tells whether t is one of the filter's tags (a filter key
// without a value takes any value); no filter takes every tag.
func wantedTag(filter []rpc.Tag, t cloud.Tag) bool {
	if len(filter) == 0 {
		return true
	}
	return slices.ContainsFunc(filter, func(f rpc.Tag) bool { return f.Key == t.Key && (f.Value == "" || f.Value == t.Value) })
}

// moreMovable answers the mover of the VPC long tail's kinds (HaVips, DHCP
// options sets), or nil.
func (s *Service) moreMovable(resourceType, rg string) func(ctx context.Context, tx store.Tx, region, id string) error {
	switch resourceType {
	case "havip":
		return func(ctx context.Context, tx store.Tx, region, id string) error {
			return moveGroup(ctx, tx, region, id, func(h cloud.HaVip) cloud.HaVip { h.ResourceGroup = rg; return h })
		}
	case "dhcpoptionsset":
		return func(ctx context.Context, tx store.Tx, region, id string) error {
			return moveGroup(ctx, tx, region, id, func(d cloud.DhcpOptionsSet) cloud.DhcpOptionsSet { d.ResourceGroup = rg; return d })
		}
	}
	return nil
}

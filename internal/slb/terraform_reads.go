package slb

// The reads the alicloud Terraform provider makes of a load balancer besides
// DescribeLoadBalancerAttribute: its tags, through SLB's own ListTagResources.

import (
	"context"

	"github.com/ecslocal/ecslocal/internal/apierr"
	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/store"
)

func (s *Service) registerTerraformReads(t *rpc.Table) {
	rpc.Handle(t, rpc.VersionSLB, "ListTagResources", s.ListTagResources)
}

// ListTagResourcesRequest names load balancers by ResourceId.N and/or
// Tag.N; ResourceType "instance" is the load balancer.
type ListTagResourcesRequest struct {
	RegionID, ResourceType string
	IDs                    []string
	Tags                   []rpc.Tag
}

// Bind implements rpc.Binder.
func (r *ListTagResourcesRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.ResourceType = p.Required("ResourceType")
	r.IDs = p.List("ResourceId")
	if len(r.IDs) > 50 {
		p.Fail(apierr.InvalidParameter.New("ResourceId"))
	}
	r.Tags = p.Tags("Tag")
	p.String("NextToken")
}

// TagResourceItem is one tag of one resource.
type TagResourceItem struct {
	ResourceID   string `json:"ResourceId"`
	ResourceType string `json:"ResourceType"`
	TagKey       string `json:"TagKey"`
	TagValue     string `json:"TagValue"`
}

// ListTagResourcesResponse wraps TagResources.TagResource[].
type ListTagResourcesResponse struct {
	rpc.Base
	NextToken    string `json:"NextToken"`
	TagResources struct {
		TagResource []TagResourceItem `json:"TagResource"`
	} `json:"TagResources"`
}

// ListTagResources lists the tags of load balancers: one item per tag of
// each chosen load balancer that carries every Tag.N asked for. Unknown ids
// are simply absent. Other resource types (certificates, ACLs, VServer
// groups) carry no tags in ecslocal, so none is listed.
func (s *Service) ListTagResources(ctx context.Context, call *rpc.Call, req *ListTagResourcesRequest) (*ListTagResourcesResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &ListTagResourcesResponse{}
	resp.TagResources.TagResource = []TagResourceItem{}
	if req.ResourceType != "instance" {
		return resp, nil
	}
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		lbs, _, err := store.Find[cloud.LoadBalancer](ctx, tx, store.Query{Region: req.RegionID, IDs: req.IDs, Limit: 1 << 30})
		if err != nil {
			return err
		}
		for _, l := range lbs {
			if !hasTags(l.Tags, req.Tags) {
				continue
			}
			for _, t := range l.Tags {
				resp.TagResources.TagResource = append(resp.TagResources.TagResource, TagResourceItem{
					ResourceID: l.ID, ResourceType: "instance", TagKey: t.Key, TagValue: t.Value,
				})
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// hasTags tells whether tags hold every wanted pair; a wanted key without a
// value matches any value.
func hasTags(tags []cloud.Tag, want []rpc.Tag) bool {
	for _, w := range want {
		found := false
		for _, t := range tags {
			if t.Key == w.Key && (w.Value == "" || t.Value == w.Value) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

package ecs

import (
	"context"
	"slices"

	"github.com/ecslocal/ecslocal/internal/apierr"
	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/store"
	"github.com/ecslocal/ecslocal/internal/tagging"
)

// DescribeResourceByTagsRequest finds resources by their tags.
type DescribeResourceByTagsRequest struct {
	RegionID, ResourceType string
	Filters                []store.Filter
	PageNumber, PageSize   int
}

// Bind implements rpc.Binder: ResourceType, when given, is an ECS tag
// resource type; Tag.N are the tags every resource must carry.
func (r *DescribeResourceByTagsRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.ResourceType = p.String("ResourceType")
	if _, ok := cloud.TagKind("ecs", r.ResourceType); r.ResourceType != "" && !ok && !slices.Contains(untaggable, r.ResourceType) {
		p.Fail(apierr.InvalidResourceTypeNotFound.New())
	}
	r.Filters = tagging.Filters(bindTags(p, "Tag"))
	r.PageNumber, r.PageSize = paging(p, 50, 100)
}

// ResourceByTags is one resource found.
type ResourceByTags struct {
	RegionID     string `json:"RegionId"`
	ResourceID   string `json:"ResourceId"`
	ResourceType string `json:"ResourceType"`
}

// DescribeResourceByTagsResponse wraps Resources.Resource[].
type DescribeResourceByTagsResponse struct {
	rpc.Base
	TotalCount int `json:"TotalCount"`
	PageNumber int `json:"PageNumber"`
	PageSize   int `json:"PageSize"`
	Resources  struct {
		Resource []ResourceByTags `json:"Resource"`
	} `json:"Resources"`
}

// DescribeResourceByTags lists the resources of a type (none named: every
// ECS type, in registry order) that carry all the Tag.N given, through
// their tag indexes.
func (s *Service) DescribeResourceByTags(ctx context.Context, call *rpc.Call, req *DescribeResourceByTagsRequest) (*DescribeResourceByTagsResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &DescribeResourceByTagsResponse{PageNumber: req.PageNumber, PageSize: req.PageSize}
	resp.Resources.Resource = []ResourceByTags{}
	var all []ResourceByTags
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		for _, k := range cloud.Kinds() {
			if k.Tags == nil || k.Tags.ResourceTypes["ecs"] == "" {
				continue
			}
			rt := k.Tags.ResourceTypes["ecs"]
			if req.ResourceType != "" {
				if want, _ := cloud.TagKind("ecs", req.ResourceType); want.Name != k.Name {
					continue
				}
				rt = req.ResourceType
			}
			items, _, err := tagging.Find(ctx, tx, k, store.Query{Region: req.RegionID, Filters: req.Filters, Limit: 1 << 30})
			if err != nil {
				return err
			}
			for _, it := range items {
				all = append(all, ResourceByTags{RegionID: req.RegionID, ResourceID: it.ID, ResourceType: rt})
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	resp.TotalCount = len(all)
	resp.Resources.Resource = pageOf(all, req.PageNumber, req.PageSize)
	return resp, nil
}

package ecs

import (
	"cmp"
	"context"
	"slices"

	"github.com/ecslocal/ecslocal/internal/apierr"
	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/store"
	"github.com/ecslocal/ecslocal/internal/tagging"
)

// The older tag actions of 2014-05-26 (DescribeTags, AddTags, RemoveTags)
// read and write the same tags TagResources keeps: inside each resource,
// found through the kinds registry.

// ecsTagKinds are the declared kinds that carry ECS tags, with their
// ResourceType; only restricted to one when rt is given.
func ecsTagKinds(rt string) []cloud.Kind {
	var out []cloud.Kind
	for _, k := range cloud.Kinds() {
		if k.Tags == nil || k.Tags.ResourceTypes["ecs"] == "" {
			continue
		}
		if rt == "" || k.Tags.ResourceTypes["ecs"] == rt {
			out = append(out, k)
		}
	}
	return out
}

// optionalResourceType reads an optional ResourceType: an unknown value is
// InvalidResourceType.NotFound, a valid one ecslocal keeps nothing of is fine.
func optionalResourceType(p *rpc.Params) string {
	rt := p.String("ResourceType")
	if _, ok := cloud.TagKind("ecs", rt); rt != "" && !ok && !slices.Contains(untaggable, rt) {
		p.Fail(apierr.InvalidResourceTypeNotFound.New())
	}
	return rt
}

// DescribeTagsRequest is DescribeTags: every filter optional.
type DescribeTagsRequest struct {
	RegionID, ResourceType, ResourceID string
	Tags                               []rpc.Tag
	PageNumber, PageSize               int
}

// Bind implements rpc.Binder.
func (r *DescribeTagsRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.ResourceType = optionalResourceType(p)
	r.ResourceID = p.String("ResourceId")
	r.Tags = bindTags(p, "Tag")
	p.String("Category") // deprecated by the reference; accepted and ignored
	r.PageNumber = p.Int("PageNumber", 1, 1, 1<<30)
	r.PageSize = p.Int("PageSize", 50, 1, 100)
}

// ResourceTypeCount counts, per ResourceType, the resources carrying a tag.
type ResourceTypeCount struct {
	Instance       int `json:"Instance"`
	Disk           int `json:"Disk"`
	Snapshot       int `json:"Snapshot"`
	Image          int `json:"Image"`
	Securitygroup  int `json:"Securitygroup"`
	Eni            int `json:"Eni"`
	Volume         int `json:"Volume"`
	Ddh            int `json:"Ddh"`
	KeyPair        int `json:"KeyPair"`
	LaunchTemplate int `json:"LaunchTemplate"`
	SnapshotPolicy int `json:"SnapshotPolicy"`
}

func (c *ResourceTypeCount) add(rt string) {
	switch rt {
	case "instance":
		c.Instance++
	case "disk":
		c.Disk++
	case "snapshot":
		c.Snapshot++
	case "securitygroup":
		c.Securitygroup++
	case "eni":
		c.Eni++
	case "snapshotpolicy":
		c.SnapshotPolicy++
	}
}

// DescribeTagsItem is one distinct tag (key and value) with its counts.
type DescribeTagsItem struct {
	TagKey            string            `json:"TagKey"`
	TagValue          string            `json:"TagValue"`
	ResourceTypeCount ResourceTypeCount `json:"ResourceTypeCount"`
}

// DescribeTagsResponse wraps Tags.Tag[].
type DescribeTagsResponse struct {
	rpc.Base
	PageNumber int `json:"PageNumber"`
	PageSize   int `json:"PageSize"`
	TotalCount int `json:"TotalCount"`
	Tags       struct {
		Tag []DescribeTagsItem `json:"Tag"`
	} `json:"Tags"`
}

// DescribeTags lists the region's distinct tags, sorted by key and value,
// each with how many resources of each type carry it. Tag.N keeps the tags
// matching one of its keys (and its value when given).
func (s *Service) DescribeTags(ctx context.Context, call *rpc.Call, req *DescribeTagsRequest) (*DescribeTagsResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	counts := map[cloud.Tag]*ResourceTypeCount{}
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		for _, k := range ecsTagKinds(req.ResourceType) {
			q := store.Query{Region: req.RegionID, Limit: 1 << 30}
			if req.ResourceID != "" {
				q.IDs = []string{req.ResourceID}
			}
			if len(req.Tags) > 0 {
				keys := make([]string, len(req.Tags))
				for i, f := range req.Tags {
					keys[i] = f.Key
				}
				q.Filters = []store.Filter{store.Where("tagKey", keys...)}
			}
			list, _, err := tagging.Find(ctx, tx, k, q)
			if err != nil {
				return err
			}
			for _, r := range list {
				for _, t := range r.Tags {
					if !tagWanted(req.Tags, t) {
						continue
					}
					if counts[t] == nil {
						counts[t] = &ResourceTypeCount{}
					}
					counts[t].add(k.Tags.ResourceTypes["ecs"])
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	keys := make([]cloud.Tag, 0, len(counts))
	for t := range counts {
		keys = append(keys, t)
	}
	slices.SortFunc(keys, func(a, b cloud.Tag) int { return cmp.Or(cmp.Compare(a.Key, b.Key), cmp.Compare(a.Value, b.Value)) })
	resp := &DescribeTagsResponse{PageNumber: req.PageNumber, PageSize: req.PageSize, TotalCount: len(keys)}
	resp.Tags.Tag = []DescribeTagsItem{}
	from := min((req.PageNumber-1)*req.PageSize, len(keys))
	for _, t := range keys[from:min(from+req.PageSize, len(keys))] {
		resp.Tags.Tag = append(resp.Tags.Tag, DescribeTagsItem{TagKey: t.Key, TagValue: t.Value, ResourceTypeCount: *counts[t]})
	}
	return resp, nil
}

// tagWanted tells whether t matches the Tag.N filters (none: every tag).
func tagWanted(filters []rpc.Tag, t cloud.Tag) bool {
	if len(filters) == 0 {
		return true
	}
	for _, f := range filters {
		if f.Key == t.Key && (f.Value == "" || f.Value == t.Value) {
			return true
		}
	}
	return false
}

// OneResourceTagsRequest is AddTags and RemoveTags: one resource, by type.
type OneResourceTagsRequest struct {
	RegionID, ResourceType, ResourceID string
	kinds                              tagKinds
	Tags                               []rpc.Tag
}

// Bind implements rpc.Binder; Tag.N is required by AddTags only.
func (r *OneResourceTagsRequest) bind(p *rpc.Params, tagsRequired bool) {
	r.RegionID = p.Required("RegionId")
	r.ResourceID = p.Required("ResourceId")
	r.ResourceType, r.kinds = bindResourceType(p)
	r.Tags = bindTags(p, "Tag")
	if tagsRequired && len(r.Tags) == 0 {
		p.Fail(apierr.MissingParameter.New("Tag.N"))
	}
}

// AddTagsRequest is AddTags.
type AddTagsRequest struct{ OneResourceTagsRequest }

// Bind implements rpc.Binder.
func (r *AddTagsRequest) Bind(p *rpc.Params) { r.bind(p, true) }

// RemoveTagsRequest is RemoveTags.
type RemoveTagsRequest struct{ OneResourceTagsRequest }

// Bind implements rpc.Binder.
func (r *RemoveTagsRequest) Bind(p *rpc.Params) { r.bind(p, false) }

// TagsChangedResponse is {RequestId}.
type TagsChangedResponse struct{ rpc.Base }

// AddTags is TagResources for one resource: keys it has are overwritten,
// and more than 20 tags in the end is OperationDenied.QuotaExceed.
func (s *Service) AddTags(ctx context.Context, call *rpc.Call, req *AddTagsRequest) (*TagsChangedResponse, error) {
	return s.changeOneResourceTags(ctx, call, &req.OneResourceTagsRequest, func(have []cloud.Tag) ([]cloud.Tag, error) {
		tags := cloud.MergeTags(have, cloudTags(req.Tags))
		if len(tags) > tagging.MaxTagsPerResource {
			return nil, apierr.TagQuotaExceed.New().WithDetail("%s would have %d tags", req.ResourceID, len(tags))
		}
		return tags, nil
	})
}

// RemoveTags removes the tags matching Tag.N (a key, or a key and its
// value); without Tag.N nothing is removed [choice].
func (s *Service) RemoveTags(ctx context.Context, call *rpc.Call, req *RemoveTagsRequest) (*TagsChangedResponse, error) {
	return s.changeOneResourceTags(ctx, call, &req.OneResourceTagsRequest, func(have []cloud.Tag) ([]cloud.Tag, error) {
		if len(req.Tags) == 0 {
			return have, nil
		}
		var keep []cloud.Tag
		for _, t := range have {
			if !tagWanted(req.Tags, t) {
				keep = append(keep, t)
			}
		}
		return keep, nil
	})
}

func (s *Service) changeOneResourceTags(ctx context.Context, call *rpc.Call, req *OneResourceTagsRequest, change func([]cloud.Tag) ([]cloud.Tag, error)) (*TagsChangedResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		if req.kinds == nil {
			return noneKept()
		}
		list, err := tagging.Load(ctx, tx, *req.kinds, req.RegionID, []string{req.ResourceID})
		if err != nil {
			return err
		}
		tags, err := change(list[0].Tags)
		if err != nil {
			return err
		}
		return store.Put(ctx, tx, list[0].With(tags))
	})
	if err != nil {
		return nil, err
	}
	return &TagsChangedResponse{}, nil
}

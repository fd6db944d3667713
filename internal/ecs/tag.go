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

// registerTags adds the tag actions (§5.9). Tags live inside each
// resource's document and are indexed through its "tagKey" and "tag"
// indexes: a released resource takes its tags with it, a retained one
// keeps them (§3.6).
func (s *Service) registerTags(t *rpc.Table) {
	v := rpc.VersionECS
	rpc.Handle(t, v, "TagResources", s.TagResources)
	rpc.Handle(t, v, "UntagResources", s.UntagResources)
	rpc.Handle(t, v, "ListTagResources", s.ListTagResources)
	rpc.Handle(t, v, "DescribeTags", s.DescribeTags)
	rpc.Handle(t, v, "AddTags", s.AddTags)
	rpc.Handle(t, v, "RemoveTags", s.RemoveTags)
}

// listTagResourcesMax is how many resources a ListTagResources page holds.
const listTagResourcesMax = 50

// bindTags reads Tag.N with the limits every product's tag actions share.
func bindTags(p *rpc.Params, name string) []rpc.Tag { return tagging.BindTags(p, name) }

// tagKinds is the declared kind a ResourceType names; nil for a
// ResourceType ecslocal keeps no resources of.
type tagKinds = *cloud.Kind

// untaggable are the other ResourceType values the references list: valid,
// but ecslocal keeps no such resources, so none is ever found.
var untaggable = []string{
	"image", "volume", "ddh", "ddhcluster", "keypair", "launchtemplate", "reservedinstance",
	"elasticityassurance", "capacityreservation", "command", "invocation", "activation", "managedinstance",
}

// bindResourceType reads ResourceType: nil kinds for a valid type ecslocal
// does not keep; an unknown type is InvalidResourceType.NotFound.
func bindResourceType(p *rpc.Params) (string, tagKinds) {
	rt := p.Required("ResourceType")
	if k, ok := cloud.TagKind("ecs", rt); ok {
		return rt, &k
	}
	if rt != "" && !slices.Contains(untaggable, rt) {
		p.Fail(apierr.InvalidResourceTypeNotFound.New())
	}
	return rt, nil
}

// noneKept answers a tag write on a type ecslocal keeps no resources of.
func noneKept() error {
	return apierr.InvalidResourceIDNotFound.New().WithDetail("no resource of this type is kept")
}

// TagResourcesRequest is §5.9 TagResources.
type TagResourcesRequest struct {
	RegionID, ResourceType string
	kinds                  tagKinds
	IDs                    []string
	Tags                   []rpc.Tag
}

// Bind implements rpc.Binder.
func (r *TagResourcesRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.ResourceType, r.kinds = bindResourceType(p)
	r.IDs = tagging.BindResourceIDs(p, true)
	r.Tags = bindTags(p, "Tag")
	if len(r.Tags) == 0 {
		p.Fail(apierr.MissingParameter.New("Tag.N"))
	}
}

// TagResourcesResponse is {RequestId}.
type TagResourcesResponse struct{ rpc.Base }

// TagResources adds or overwrites tags on up to 50 resources of one type,
// all or none: a resource would end with more than 20 tags →
// OperationDenied.QuotaExceed.
func (s *Service) TagResources(ctx context.Context, call *rpc.Call, req *TagResourcesRequest) (*TagResourcesResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	if req.kinds == nil {
		return nil, noneKept()
	}
	add := tagging.Cloud(req.Tags)
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		return tagging.Add(ctx, tx, *req.kinds, req.RegionID, req.IDs, add)
	})
	if err != nil {
		return nil, err
	}
	return &TagResourcesResponse{}, nil
}

// UntagResourcesRequest is §5.9 UntagResources.
type UntagResourcesRequest struct {
	RegionID, ResourceType string
	kinds                  tagKinds
	IDs                    []string
	Keys                   []string
	All                    bool
}

// Bind implements rpc.Binder.
func (r *UntagResourcesRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.ResourceType, r.kinds = bindResourceType(p)
	r.IDs = tagging.BindResourceIDs(p, true)
	r.Keys = p.List("TagKey")
	if len(r.Keys) > tagging.MaxTagsPerResource {
		p.Fail(apierr.TooManyTags.New())
	}
	r.All = p.Bool("All", false)
}

// UntagResourcesResponse is {RequestId}.
type UntagResourcesResponse struct{ rpc.Base }

// UntagResources removes the named tag keys from each resource, or every
// tag with All=true when no TagKey.N is given (All only acts then); keys a
// resource does not carry are ignored.
func (s *Service) UntagResources(ctx context.Context, call *rpc.Call, req *UntagResourcesRequest) (*UntagResourcesResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	if req.kinds == nil {
		return nil, noneKept()
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		return tagging.Remove(ctx, tx, *req.kinds, req.RegionID, req.IDs, req.Keys, req.All)
	})
	if err != nil {
		return nil, err
	}
	return &UntagResourcesResponse{}, nil
}

// ListTagResourcesRequest is §5.9 ListTagResources.
type ListTagResourcesRequest struct {
	RegionID, ResourceType string
	kinds                  tagKinds
	IDs                    []string
	Filters                []store.Filter
	AfterSeq               int64
}

// Bind implements rpc.Binder.
func (r *ListTagResourcesRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.ResourceType, r.kinds = bindResourceType(p)
	r.IDs = tagging.BindResourceIDs(p, false)
	bindTags(p, "Tag")
	r.Filters = tagFilters(p)
	// TagFilter.N matches exactly here: a key alone, or a key with any of
	// its TagValues.N (the reference's * wildcards are taken literally).
	for _, f := range p.Objects("TagFilter") {
		key := f.Required("TagKey")
		if values := f.List("TagValues"); len(values) > 0 {
			pairs := make([]string, len(values))
			for i, v := range values {
				pairs[i] = key + "=" + v
			}
			r.Filters = append(r.Filters, store.Where("tag", pairs...))
		} else {
			r.Filters = append(r.Filters, store.Where("tagKey", key))
		}
	}
	r.AfterSeq = tagging.BindNextToken(p)
}

// TagResourceItem is one (resource, tag) pair.
type TagResourceItem = tagging.ResourceTag

// ListTagResourcesResponse wraps TagResources.TagResource[].
type ListTagResourcesResponse struct {
	rpc.Base
	NextToken    string `json:"NextToken"`
	TagResources struct {
		TagResource []TagResourceItem `json:"TagResource"`
	} `json:"TagResources"`
}

// ListTagResources lists the tags of a type's resources, chosen by
// ResourceId.N and/or Tag.N (every tag must hold), through the resources'
// indexes, 50 resources a page. Unknown ids are simply absent. Neither
// ResourceId.N nor Tag.N lists every tagged resource of the type, as
// spec/semantics.md S36 does [choice: the reference refuses that with 403
// BothEmpty.TagsAndResources].
func (s *Service) ListTagResources(ctx context.Context, call *rpc.Call, req *ListTagResourcesRequest) (*ListTagResourcesResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &ListTagResourcesResponse{}
	resp.TagResources.TagResource = []TagResourceItem{}
	if req.kinds == nil {
		return resp, nil
	}
	q := store.Query{Region: req.RegionID, Filters: req.Filters, AfterSeq: req.AfterSeq, Limit: listTagResourcesMax}
	if len(req.IDs) > 0 {
		q.IDs = req.IDs
	}
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		var err error
		resp.TagResources.TagResource, resp.NextToken, err = tagging.List(ctx, tx, *req.kinds, req.ResourceType, q)
		return err
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

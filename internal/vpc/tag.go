package vpc

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

// registerTags adds VPC's tag actions. They keep tags in the same place
// and under the same limits as ECS's (internal/tagging); only the
// ResourceType names and the spelling UnTagResources differ.
func (s *Service) registerTags(t *rpc.Table) {
	v := rpc.VersionVPC
	rpc.Handle(t, v, "TagResources", s.TagResources)
	rpc.Handle(t, v, "UnTagResources", s.UnTagResources)
	rpc.Handle(t, v, "ListTagResources", s.ListTagResources)
}

// untaggable are the other ResourceType values the VPC references list:
// valid, but ecslocal keeps no such resources, so none is ever found.
var untaggable = []string{"VPNGATEWAY", "GATEWAYENDPOINT"}

// tagTarget is the ResourceType of a request: its canonical spelling and
// the declared kind (nil for a valid type ecslocal keeps none of).
type tagTarget struct {
	Type string
	kind *cloud.Kind
}

// resourceType judges ResourceType rt, which the references call
// case-insensitive, after the required parameters were read (a missing
// one is named first); an unknown type is InvalidResourceType.NotFound.
func resourceType(p *rpc.Params, rt string) tagTarget {
	rt = strings.ToUpper(rt)
	if k, ok := cloud.TagKind("vpc", rt); ok {
		return tagTarget{Type: rt, kind: &k}
	}
	if rt != "" && !slices.Contains(untaggable, rt) {
		p.Fail(apierr.InvalidResourceTypeNotFound.New())
	}
	return tagTarget{Type: rt}
}

// noneKept answers a tag write on a type ecslocal keeps no resources of.
func noneKept() error {
	return apierr.InvalidResourceIDNotFound.New().WithDetail("no resource of this type is kept")
}

// TagResourcesRequest is VPC TagResources.
type TagResourcesRequest struct {
	RegionID string
	Target   tagTarget
	IDs      []string
	Tags     []rpc.Tag
}

// Bind implements rpc.Binder.
func (r *TagResourcesRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	rt := p.Required("ResourceType")
	r.IDs = tagging.BindResourceIDs(p, true)
	r.Tags = tagging.BindTags(p, "Tag")
	if len(r.Tags) == 0 {
		p.Fail(apierr.MissingParameter.New("Tag.N"))
	}
	r.Target = resourceType(p, rt)
}

// TagResourcesResponse is {RequestId}.
type TagResourcesResponse struct{ rpc.Base }

// TagResources adds or overwrites tags on up to 50 resources of one type,
// all or none (a resource past 20 tags is OperationDenied.QuotaExceed).
func (s *Service) TagResources(ctx context.Context, call *rpc.Call, req *TagResourcesRequest) (*TagResourcesResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	if req.Target.kind == nil {
		return nil, noneKept()
	}
	add := tagging.Cloud(req.Tags)
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		return tagging.Add(ctx, tx, *req.Target.kind, req.RegionID, req.IDs, add)
	})
	if err != nil {
		return nil, err
	}
	return &TagResourcesResponse{}, nil
}

// UnTagResourcesRequest is VPC UnTagResources.
type UnTagResourcesRequest struct {
	RegionID string
	Target   tagTarget
	IDs      []string
	Keys     []string
	All      bool
}

// Bind implements rpc.Binder.
func (r *UnTagResourcesRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	rt := p.Required("ResourceType")
	r.IDs = tagging.BindResourceIDs(p, true)
	r.Target = resourceType(p, rt)
	r.Keys = p.List("TagKey")
	if len(r.Keys) > tagging.MaxTagsPerResource {
		p.Fail(apierr.TooManyTags.New())
	}
	r.All = p.Bool("All", false)
}

// UnTagResourcesResponse is {RequestId}.
type UnTagResourcesResponse struct{ rpc.Base }

// UnTagResources removes the named keys, or every tag with All=true when
// no TagKey.N is given; keys a resource does not carry are ignored.
func (s *Service) UnTagResources(ctx context.Context, call *rpc.Call, req *UnTagResourcesRequest) (*UnTagResourcesResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	if req.Target.kind == nil {
		return nil, noneKept()
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		return tagging.Remove(ctx, tx, *req.Target.kind, req.RegionID, req.IDs, req.Keys, req.All)
	})
	if err != nil {
		return nil, err
	}
	return &UnTagResourcesResponse{}, nil
}

// ListTagResourcesRequest is VPC ListTagResources.
type ListTagResourcesRequest struct {
	RegionID   string
	Target     tagTarget
	IDs        []string
	Filters    []store.Filter
	MaxResults int
	AfterSeq   int64
}

// Bind implements rpc.Binder.
func (r *ListTagResourcesRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.Target = resourceType(p, p.Required("ResourceType"))
	r.IDs = tagging.BindResourceIDs(p, false)
	r.Filters = tagging.Filters(tagging.BindTags(p, "Tag"))
	r.MaxResults = p.Int("MaxResults", 50, 1, 50)
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

// ListTagResources lists the tags of a type's resources chosen by
// ResourceId.N and/or Tag.N (every pair must hold), MaxResults resources a
// page. Unknown ids are absent. Neither given lists every tagged resource
// of the type, as ECS's does [choice: the reference asks for one of them
// and names no error code].
func (s *Service) ListTagResources(ctx context.Context, call *rpc.Call, req *ListTagResourcesRequest) (*ListTagResourcesResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &ListTagResourcesResponse{}
	resp.TagResources.TagResource = []TagResourceItem{}
	if req.Target.kind == nil {
		return resp, nil
	}
	q := store.Query{Region: req.RegionID, Filters: req.Filters, AfterSeq: req.AfterSeq, Limit: req.MaxResults}
	if len(req.IDs) > 0 {
		q.IDs = req.IDs
	}
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		var err error
		resp.TagResources.TagResource, resp.NextToken, err = tagging.List(ctx, tx, *req.Target.kind, req.Target.Type, q)
		return err
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

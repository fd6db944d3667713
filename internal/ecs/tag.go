package ecs

import (
	"context"
	"encoding/base64"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/ecslocal/ecslocal/internal/apierr"
	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/store"
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

// Limits of the tag references.
const (
	maxTagsPerResource  = 20
	maxTagResourceIDs   = 50
	maxTagValueLength   = 128
	listTagResourcesMax = 50 // resources per ListTagResources page
)

// bindTags reads Tag.N.Key/Value with the rules of the tag references: at
// most 20 (NumberExceed.Tags), keys as rpc.Params.Tags checks them, no key
// twice (Duplicate.TagKey), values of at most 128 characters and no URL.
func bindTags(p *rpc.Params, name string) []rpc.Tag {
	if len(p.Objects(name)) > maxTagsPerResource {
		p.Fail(apierr.TooManyTags.New())
	}
	tags := p.Tags(name)
	seen := map[string]bool{}
	for _, t := range tags {
		if seen[t.Key] {
			p.Fail(apierr.DuplicateTagKey.New())
		}
		seen[t.Key] = true
		if len(t.Value) > maxTagValueLength || strings.HasPrefix(t.Value, "http://") || strings.HasPrefix(t.Value, "https://") {
			p.Fail(apierr.InvalidTagValue.New())
		}
	}
	return tags
}

// tagged is one resource whose tags an action reads or rewrites.
type tagged struct {
	id   string
	tags []cloud.Tag
	// with is the resource carrying tags instead, ready for store.Put.
	with func(tags []cloud.Tag) cloud.Resource
}

// tagKinds reach the tags of one declared kind through the store; nil for
// a ResourceType ecslocal keeps no resources of.
type tagKinds = *cloud.Kind

// findTagged runs q over kind k and answers each resource with its tags.
func findTagged(ctx context.Context, tx store.Tx, k tagKinds, q store.Query) ([]tagged, store.Page, error) {
	list, page, err := store.FindKind(ctx, tx, *k, q)
	if err != nil {
		return nil, page, err
	}
	out := make([]tagged, 0, len(list))
	for _, r := range list {
		t, ok := r.(cloud.Tagged)
		if !ok {
			return nil, page, fmt.Errorf("kind %s is declared taggable but carries no tags", k.Name)
		}
		out = append(out, tagged{id: r.Key(), tags: t.TagList(), with: t.WithTags})
	}
	return out, page, nil
}

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

// bindResourceIDs reads ResourceId.N: at most 50, repeats dropped.
func bindResourceIDs(p *rpc.Params, required bool) []string {
	ids := p.List("ResourceId")
	if required && len(ids) == 0 {
		p.Fail(apierr.MissingParameter.New("ResourceId.N"))
	}
	if len(ids) > maxTagResourceIDs {
		p.Fail(apierr.TooManyTagResourceIDs.New())
	}
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// loadTagged reads every listed resource of the region, in request order;
// any missing one is InvalidResourceId.NotFound.
func loadTagged(ctx context.Context, tx store.Tx, kinds tagKinds, region string, ids []string) ([]tagged, error) {
	if kinds == nil {
		return nil, apierr.InvalidResourceIDNotFound.New().WithDetail("no resource of this type is kept")
	}
	list, _, err := findTagged(ctx, tx, kinds, store.Query{Region: region, IDs: ids, Limit: len(ids)})
	if err != nil {
		return nil, err
	}
	byID := make(map[string]tagged, len(list))
	for _, r := range list {
		byID[r.id] = r
	}
	out := make([]tagged, 0, len(ids))
	for _, id := range ids {
		r, ok := byID[id]
		if !ok {
			return nil, apierr.InvalidResourceIDNotFound.New().WithDetail("%s not found in %s", id, region)
		}
		out = append(out, r)
	}
	return out, nil
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
	r.IDs = bindResourceIDs(p, true)
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
	add := cloudTags(req.Tags)
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		list, err := loadTagged(ctx, tx, req.kinds, req.RegionID, req.IDs)
		if err != nil {
			return err
		}
		next := make([]cloud.Resource, 0, len(list))
		for _, r := range list {
			tags := cloud.MergeTags(r.tags, add)
			if len(tags) > maxTagsPerResource {
				return apierr.TagQuotaExceed.New().WithDetail("%s would have %d tags", r.id, len(tags))
			}
			next = append(next, r.with(tags))
		}
		for _, r := range next {
			if err := store.Put(ctx, tx, r); err != nil {
				return err
			}
		}
		return nil
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
	r.IDs = bindResourceIDs(p, true)
	r.Keys = p.List("TagKey")
	if len(r.Keys) > maxTagsPerResource {
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
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		list, err := loadTagged(ctx, tx, req.kinds, req.RegionID, req.IDs)
		if err != nil {
			return err
		}
		if len(req.Keys) == 0 && !req.All {
			return nil
		}
		for _, r := range list {
			var keep []cloud.Tag
			for _, t := range r.tags {
				if len(req.Keys) > 0 && !slices.Contains(req.Keys, t.Key) {
					keep = append(keep, t)
				}
			}
			if len(keep) == len(r.tags) {
				continue
			}
			if err := store.Put(ctx, tx, r.with(keep)); err != nil {
				return err
			}
		}
		return nil
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
	r.IDs = bindResourceIDs(p, false)
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
	if tok := p.String("NextToken"); tok != "" {
		raw, err := base64.RawURLEncoding.DecodeString(tok)
		n, perr := strconv.ParseInt(string(raw), 10, 64)
		if err != nil || perr != nil || n <= 0 {
			p.Fail(apierr.InvalidTagNextToken.New())
		}
		r.AfterSeq = n
	}
}

// TagResourceItem is one (resource, tag) pair.
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
		list, page, err := findTagged(ctx, tx, req.kinds, q)
		if err != nil {
			return err
		}
		for _, r := range list {
			for _, t := range r.tags {
				resp.TagResources.TagResource = append(resp.TagResources.TagResource, TagResourceItem{
					ResourceID: r.id, ResourceType: req.ResourceType, TagKey: t.Key, TagValue: t.Value,
				})
			}
		}
		if page.More && len(page.Records) > 0 {
			resp.NextToken = encodeNextToken(page.Records[len(page.Records)-1].Seq)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

package slb

// The tag actions over load balancers (ResourceType "instance"): the newer
// TagResources and UntagResources (ListTagResources is in
// terraform_reads.go) and the older AddTags, RemoveTags and DescribeTags,
// which take their tags as a JSON text. Limits and codes are those of the
// ECS tag actions [choice: the SLB references name the same limits].

import (
	"context"
	"encoding/json"
	"slices"
	"sort"
	"strings"

	"github.com/ecslocal/ecslocal/internal/apierr"
	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/store"
)

const (
	maxTagsPerLoadBalancer = 20
	maxTagResources        = 50
	maxOldTagsCall         = 10 // tags one AddTags or RemoveTags call may name
)

// slbResourceTypes are the ResourceType values SLB's tag actions accept;
// only "instance" (the load balancer) is a kind ecslocal keeps tags on.
var slbResourceTypes = []string{"instance", "certificate", "acl", "vservergroup", "masterslaveservergroup"}

func bindSLBResourceType(p *rpc.Params) string {
	rt := p.Required("ResourceType")
	if rt != "" && !slices.Contains(slbResourceTypes, rt) {
		p.Fail(apierr.InvalidResourceTypeNotFound.New())
	}
	return rt
}

func bindSLBResourceIDs(p *rpc.Params) []string {
	ids := p.List("ResourceId")
	if len(ids) == 0 {
		p.Fail(apierr.MissingParameter.New("ResourceId.N"))
	}
	if len(ids) > maxTagResources {
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

// checkTagList applies the key and value rules to a list of tags.
func checkTagList(p *rpc.Params, tags []cloud.Tag, max int) {
	if len(tags) > max {
		p.Fail(apierr.TooManyTags.New())
	}
	seen := map[string]bool{}
	for _, t := range tags {
		if strings.TrimSpace(t.Key) == "" || len(t.Key) > 64 || strings.HasPrefix(t.Key, "aliyun") || strings.HasPrefix(t.Key, "acs:") {
			p.Fail(apierr.InvalidParameter.New("TagKey"))
		}
		if seen[t.Key] {
			p.Fail(apierr.DuplicateTagKey.New())
		}
		seen[t.Key] = true
		if len(t.Value) > 128 || strings.HasPrefix(t.Value, "http://") || strings.HasPrefix(t.Value, "https://") {
			p.Fail(apierr.InvalidTagValue.New())
		}
	}
}

// loadBalancersOf reads every named load balancer of the region, in
// request order; a missing one (or any id of a type not kept) is
// InvalidResourceId.NotFound.
func loadBalancersOf(ctx context.Context, tx store.Tx, region, resourceType string, ids []string) ([]cloud.LoadBalancer, error) {
	if resourceType != "instance" {
		return nil, apierr.InvalidResourceIDNotFound.New().WithDetail("no %s resource is kept", resourceType)
	}
	out := make([]cloud.LoadBalancer, 0, len(ids))
	for _, id := range ids {
		l, err := store.GetIn[cloud.LoadBalancer](ctx, tx, region, id)
		if err != nil {
			return nil, store.NotFoundAs(err, apierr.InvalidResourceIDNotFound)
		}
		out = append(out, l)
	}
	return out, nil
}

// retag writes new tags on each load balancer, all or none.
func retag(ctx context.Context, tx store.Tx, lbs []cloud.LoadBalancer, next func([]cloud.Tag) []cloud.Tag) error {
	changed := make([]cloud.LoadBalancer, 0, len(lbs))
	for _, l := range lbs {
		tags := next(l.Tags)
		if len(tags) > maxTagsPerLoadBalancer {
			return apierr.TagQuotaExceed.New().WithDetail("%s would have %d tags", l.ID, len(tags))
		}
		l.Tags = tags
		changed = append(changed, l)
	}
	for _, l := range changed {
		if err := store.Put(ctx, tx, l); err != nil {
			return err
		}
	}
	return nil
}

func withoutKeys(tags []cloud.Tag, drop func(cloud.Tag) bool) []cloud.Tag {
	var keep []cloud.Tag
	for _, t := range tags {
		if !drop(t) {
			keep = append(keep, t)
		}
	}
	return keep
}

// TagResourcesRequest is SLB's TagResources.
type TagResourcesRequest struct {
	RegionID, ResourceType string
	IDs                    []string
	Tags                   []cloud.Tag
}

// Bind implements rpc.Binder.
func (r *TagResourcesRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.ResourceType = bindSLBResourceType(p)
	r.IDs = bindSLBResourceIDs(p)
	for _, t := range p.Tags("Tag") {
		r.Tags = append(r.Tags, cloud.Tag{Key: t.Key, Value: t.Value})
	}
	if len(r.Tags) == 0 {
		p.Fail(apierr.MissingParameter.New("Tag.N"))
	}
	checkTagList(p, r.Tags, maxTagsPerLoadBalancer)
}

// TagResources adds or overwrites tags on up to 50 load balancers.
func (s *Service) TagResources(ctx context.Context, call *rpc.Call, req *TagResourcesRequest) (*EmptyResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		lbs, err := loadBalancersOf(ctx, tx, req.RegionID, req.ResourceType, req.IDs)
		if err != nil {
			return err
		}
		return retag(ctx, tx, lbs, func(have []cloud.Tag) []cloud.Tag { return cloud.MergeTags(have, req.Tags) })
	})
	if err != nil {
		return nil, err
	}
	return &EmptyResponse{}, nil
}

// UntagResourcesRequest is SLB's UntagResources.
type UntagResourcesRequest struct {
	RegionID, ResourceType string
	IDs, Keys              []string
	All                    bool
}

// Bind implements rpc.Binder.
func (r *UntagResourcesRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.ResourceType = bindSLBResourceType(p)
	r.IDs = bindSLBResourceIDs(p)
	r.Keys = p.List("TagKey")
	if len(r.Keys) > maxTagsPerLoadBalancer {
		p.Fail(apierr.TooManyTags.New())
	}
	r.All = p.Bool("All", false)
}

// UntagResources removes the named keys, or every tag with All=true when
// no TagKey.N is given; keys a load balancer lacks are ignored.
func (s *Service) UntagResources(ctx context.Context, call *rpc.Call, req *UntagResourcesRequest) (*EmptyResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		lbs, err := loadBalancersOf(ctx, tx, req.RegionID, req.ResourceType, req.IDs)
		if err != nil {
			return err
		}
		if len(req.Keys) == 0 && !req.All {
			return nil
		}
		return retag(ctx, tx, lbs, func(have []cloud.Tag) []cloud.Tag {
			return withoutKeys(have, func(t cloud.Tag) bool { return len(req.Keys) == 0 || slices.Contains(req.Keys, t.Key) })
		})
	})
	if err != nil {
		return nil, err
	}
	return &EmptyResponse{}, nil
}

// oldTags reads the JSON Tags of the older actions: [{"TagKey":"k","TagValue":"v"}].
func oldTags(p *rpc.Params, required bool) []cloud.Tag {
	var raw string
	if required {
		raw = p.Required("Tags")
	} else {
		raw = p.String("Tags")
	}
	if raw = strings.TrimSpace(raw); raw == "" {
		return nil
	}
	var items []struct{ TagKey, TagValue string }
	if err := json.Unmarshal([]byte(singleQuoted(raw)), &items); err != nil {
		p.Fail(apierr.InvalidParameter.New("Tags"))
		return nil
	}
	out := make([]cloud.Tag, 0, len(items))
	for _, it := range items {
		out = append(out, cloud.Tag{Key: it.TagKey, Value: it.TagValue})
	}
	return out
}

// OldTagsRequest is AddTags and RemoveTags.
type OldTagsRequest struct {
	RegionID, LoadBalancerID string
	Tags                     []cloud.Tag
}

// Bind implements rpc.Binder.
func (r *OldTagsRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.LoadBalancerID = p.Required("LoadBalancerId")
	r.Tags = oldTags(p, true)
	checkTagList(p, r.Tags, maxOldTagsCall)
}

// AddTags adds or overwrites up to 10 tags on one load balancer.
func (s *Service) AddTags(ctx context.Context, call *rpc.Call, req *OldTagsRequest) (*EmptyResponse, error) {
	return s.oldRetag(ctx, call, req, func(have []cloud.Tag) []cloud.Tag { return cloud.MergeTags(have, req.Tags) })
}

// RemoveTags removes tags by key and value; a TagValue left empty matches
// any value [choice].
func (s *Service) RemoveTags(ctx context.Context, call *rpc.Call, req *OldTagsRequest) (*EmptyResponse, error) {
	return s.oldRetag(ctx, call, req, func(have []cloud.Tag) []cloud.Tag {
		return withoutKeys(have, func(t cloud.Tag) bool {
			return slices.ContainsFunc(req.Tags, func(d cloud.Tag) bool { return d.Key == t.Key && (d.Value == "" || d.Value == t.Value) })
		})
	})
}

func (s *Service) oldRetag(ctx context.Context, call *rpc.Call, req *OldTagsRequest, next func([]cloud.Tag) []cloud.Tag) (*EmptyResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		l, err := loadBalancer(ctx, tx, req.RegionID, req.LoadBalancerID)
		if err != nil {
			return err
		}
		return retag(ctx, tx, []cloud.LoadBalancer{l}, next)
	})
	if err != nil {
		return nil, err
	}
	return &EmptyResponse{}, nil
}

// DescribeTagsRequest is DescribeTags.
type DescribeTagsRequest struct {
	RegionID             string
	IDs                  []string
	Tags                 []cloud.Tag
	Distinct             bool
	PageNumber, PageSize int
}

// Bind implements rpc.Binder.
func (r *DescribeTagsRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.IDs = splitIDs(p.String("LoadBalancerId"))
	r.Tags = oldTags(p, false)
	r.Distinct = p.Bool("DistinctKey", false)
	r.PageNumber, r.PageSize = p.Int("PageNumber", 1, 1, 1<<30), p.Int("PageSize", 50, 1, 100)
}

// TagSetItem is one tag and how many load balancers carry it.
type TagSetItem struct {
	TagKey        string `json:"TagKey"`
	TagValue      string `json:"TagValue"`
	InstanceCount int    `json:"InstanceCount"`
}

// DescribeTagsResponse wraps TagSets.TagSet[].
type DescribeTagsResponse struct {
	rpc.Base
	TotalCount int `json:"TotalCount"`
	PageNumber int `json:"PageNumber"`
	PageSize   int `json:"PageSize"`
	TagSets    struct {
		TagSet []TagSetItem `json:"TagSet"`
	} `json:"TagSets"`
}

// DescribeTags counts the tags of the chosen load balancers (those named,
// carrying every given tag): one set per key and value, or per key with
// DistinctKey=true; sorted by key then value.
func (s *Service) DescribeTags(ctx context.Context, call *rpc.Call, req *DescribeTagsRequest) (*DescribeTagsResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &DescribeTagsResponse{PageNumber: req.PageNumber, PageSize: req.PageSize}
	resp.TagSets.TagSet = []TagSetItem{}
	want := make([]rpc.Tag, 0, len(req.Tags))
	for _, t := range req.Tags {
		want = append(want, rpc.Tag{Key: t.Key, Value: t.Value})
	}
	counts := map[[2]string]int{}
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		lbs, _, err := store.Find[cloud.LoadBalancer](ctx, tx, store.Query{Region: req.RegionID, IDs: req.IDs, Limit: 1 << 30})
		if err != nil {
			return err
		}
		for _, l := range lbs {
			if !hasTags(l.Tags, want) {
				continue
			}
			for _, t := range l.Tags {
				k := [2]string{t.Key, t.Value}
				if req.Distinct {
					k[1] = ""
				}
				counts[k]++
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	keys := make([][2]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i][0] != keys[j][0] {
			return keys[i][0] < keys[j][0]
		}
		return keys[i][1] < keys[j][1]
	})
	resp.TotalCount = len(keys)
	start := min((req.PageNumber-1)*req.PageSize, len(keys))
	for _, k := range keys[start:min(start+req.PageSize, len(keys))] {
		resp.TagSets.TagSet = append(resp.TagSets.TagSet, TagSetItem{TagKey: k[0], TagValue: k[1], InstanceCount: counts[k]})
	}
	return resp, nil
}

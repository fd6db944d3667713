package ram

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/ecslocal/ecslocal/internal/apierr"
	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/store"
)

// bindJSONTags reads RAM's Tag, a JSON list of {Key, Value} (at most 20).
func bindJSONTags(p *rpc.Params) []cloud.Tag {
	raw := p.String("Tag")
	if raw == "" {
		return nil
	}
	var tags []cloud.Tag
	var in []struct{ Key, Value string }
	if err := json.Unmarshal([]byte(raw), &in); err != nil || len(in) > 20 {
		p.Fail(apierr.InvalidParameter.New("Tag"))
		return nil
	}
	for _, t := range in {
		if t.Key == "" {
			p.Fail(apierr.InvalidParameter.New("Tag"))
			return nil
		}
		tags = cloud.MergeTags(tags, []cloud.Tag{{Key: t.Key, Value: t.Value}})
	}
	return tags
}

// ListTagResourcesRequest is RAM's ListTagResources, for roles and policies.
type ListTagResourcesRequest struct {
	ResourceType string
	Names        []string
}

// Bind implements rpc.Binder.
func (r *ListTagResourcesRequest) Bind(p *rpc.Params) {
	r.ResourceType = p.Required("ResourceType")
	if r.ResourceType != "" && r.ResourceType != "role" && r.ResourceType != "policy" {
		p.Fail(apierr.InvalidParameter.New("ResourceType"))
	}
	if raw := p.String("ResourceNames"); raw != "" && json.Unmarshal([]byte(raw), &r.Names) != nil {
		p.Fail(apierr.InvalidParameter.New("ResourceNames"))
	}
	p.String("Tag")
	p.String("NextToken")
	p.Int("PageSize", 50, 1, 1000)
}

// TagResourceItem is one (resource, tag) pair.
type TagResourceItem struct {
	ResourceName string `json:"ResourceName"`
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

// ListTagResources lists the tags of the named roles or policies (all of
// the type when none is named), in one page; unknown names are absent.
func (s *Service) ListTagResources(ctx context.Context, call *rpc.Call, req *ListTagResourcesRequest) (*ListTagResourcesResponse, error) {
	resp := &ListTagResourcesResponse{}
	resp.TagResources.TagResource = []TagResourceItem{}
	wanted := func(name string) bool {
		if len(req.Names) == 0 {
			return true
		}
		for _, n := range req.Names {
			if strings.EqualFold(n, name) {
				return true
			}
		}
		return false
	}
	add := func(name string, tags []cloud.Tag) {
		if !wanted(name) {
			return
		}
		for _, t := range tags {
			resp.TagResources.TagResource = append(resp.TagResources.TagResource, TagResourceItem{ResourceName: name, ResourceType: req.ResourceType, TagKey: t.Key, TagValue: t.Value})
		}
	}
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		if req.ResourceType == "role" {
			roles, err := store.All[cloud.RAMRole](ctx, tx, cloud.GlobalRegion)
			for _, r := range roles {
				add(r.Name, r.Tags)
			}
			return err
		}
		policies, err := store.All[cloud.RAMPolicy](ctx, tx, cloud.GlobalRegion, store.Where(string(cloud.IdxType), cloud.PolicyCustom))
		for _, p := range policies {
			add(p.Name, p.Tags)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

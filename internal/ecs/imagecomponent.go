package ecs

import (
	"context"
	"regexp"
	"slices"

	"github.com/ecslocal/ecslocal/internal/apierr"
	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/store"
)

func (s *Service) registerImageComponents(t *rpc.Table) {
	v := rpc.VersionECS
	rpc.Handle(t, v, "CreateImageComponent", s.CreateImageComponent)
	rpc.Handle(t, v, "DescribeImageComponents", s.DescribeImageComponents)
	rpc.Handle(t, v, "DeleteImageComponent", s.DeleteImageComponent)
}

// componentVersion is major.minor.patch.
var componentVersion = regexp.MustCompile(`^\d{1,9}\.\d{1,9}\.\d{1,9}$`)

// maxComponentContent is the most a component's content may hold.
const maxComponentContent = 16 << 10

// CreateImageComponentRequest is a build or test component.
type CreateImageComponentRequest struct {
	RegionID, Name, Version, Description, SystemType, ComponentType, Content string
	ResourceGroupID, ClientToken, fingerprint                                string
	Tags                                                                     []rpc.Tag
}

// Bind implements rpc.Binder.
func (r *CreateImageComponentRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.Name = p.String("Name")
	if r.Name != "" && !validHpcName(r.Name) {
		p.Fail(apierr.InvalidParameter.New("Name"))
	}
	r.Version = p.String("ComponentVersion")
	if r.Version != "" && !componentVersion.MatchString(r.Version) {
		p.Fail(apierr.InvalidParameter.New("ComponentVersion"))
	}
	r.Description = p.String("Description")
	r.SystemType = p.Enum("SystemType", "Linux", "Linux", "Windows")
	r.ComponentType = p.Enum("ComponentType", "Build", "Build", "Test")
	r.Content = p.String("Content")
	if r.Content == "" && p.Err() == nil {
		p.Fail(apierr.MissingParameter.New("Content"))
	}
	if len(r.Content) > maxComponentContent {
		p.Fail(apierr.InvalidParameter.New("Content"))
	}
	r.ResourceGroupID = p.String("ResourceGroupId")
	r.Tags = p.Tags("Tag")
	r.ClientToken = p.ClientToken()
	r.fingerprint = p.Fingerprint()
}

// CreateImageComponentResponse names the component.
type CreateImageComponentResponse struct {
	rpc.Base
	ImageComponentID string `json:"ImageComponentId"`
}

// CreateImageComponent saves a component; a name and version pair is
// unique in the region (a name without a version is its own pair).
func (s *Service) CreateImageComponent(ctx context.Context, call *rpc.Call, req *CreateImageComponentRequest) (*CreateImageComponentResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &CreateImageComponentResponse{}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		if replayed, err := store.Replay(ctx, tx, call.Action, req.ClientToken, req.fingerprint, resp); replayed || err != nil {
			return err
		}
		c := cloud.ImageComponent{ID: s.ids.ID("ic", req.RegionID), Region: req.RegionID, Name: req.Name, Version: req.Version,
			Description: req.Description, SystemType: req.SystemType, ComponentType: req.ComponentType, Content: req.Content,
			ResourceGroup: cloud.ResourceGroup(call.Account, req.ResourceGroupID), Tags: cloudTags(req.Tags), Created: tx.Now()}
		if c.Name == "" {
			c.Name = c.ID
		}
		same, err := store.All[cloud.ImageComponent](ctx, tx, req.RegionID, store.Where("name", c.Name))
		if err != nil {
			return err
		}
		if slices.ContainsFunc(same, func(o cloud.ImageComponent) bool { return o.Version == c.Version }) {
			return apierr.HpcClusterNameDuplicated.New()
		}
		if err := store.Put(ctx, tx, c); err != nil {
			return err
		}
		resp.ImageComponentID = c.ID
		return store.Remember(ctx, tx, call.Action, req.ClientToken, req.fingerprint, resp)
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// DescribeImageComponentsRequest filters the components.
type DescribeImageComponentsRequest struct {
	RegionID, Name, Version, SystemType, ComponentType, Owner, ResourceGroupID string
	IDs                                                                        []string
	Tags                                                                       []rpc.Tag
	offset, max                                                                int
}

// Bind implements rpc.Binder.
func (r *DescribeImageComponentsRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.IDs = p.List("ImageComponentId")
	if len(r.IDs) > 20 {
		p.Fail(apierr.InvalidParameter.New("ImageComponentId"))
	}
	r.Name = p.String("Name")
	r.Version = p.String("ComponentVersion")
	r.SystemType = p.Enum("SystemType", "", "Linux", "Windows")
	r.ComponentType = p.Enum("ComponentType", "", "Build", "Test")
	r.Owner = p.Enum("Owner", "SELF", "SELF", "ALIYUN")
	r.ResourceGroupID = p.String("ResourceGroupId")
	r.Tags = p.Tags("Tag")
	r.offset, r.max = offsetPage(p, 50, 500)
}

// ImageComponentItem is one component.
type ImageComponentItem struct {
	ImageComponentID string `json:"ImageComponentId"`
	Name             string `json:"Name"`
	ComponentVersion string `json:"ComponentVersion"`
	Description      string `json:"Description"`
	SystemType       string `json:"SystemType"`
	ComponentType    string `json:"ComponentType"`
	Content          string `json:"Content"`
	Owner            string `json:"Owner"`
	CreationTime     string `json:"CreationTime"`
	ResourceGroupID  string `json:"ResourceGroupId"`
	Tags             Tags   `json:"Tags"`
}

// DescribeImageComponentsResponse wraps ImageComponent.ImageComponentSet[].
type DescribeImageComponentsResponse struct {
	rpc.Base
	TotalCount     int    `json:"TotalCount"`
	MaxResults     int    `json:"MaxResults"`
	NextToken      string `json:"NextToken"`
	ImageComponent struct {
		ImageComponentSet []ImageComponentItem `json:"ImageComponentSet"`
	} `json:"ImageComponent"`
}

// DescribeImageComponents lists the account's components; ecslocal has no
// Alibaba-provided components, so Owner=ALIYUN matches none.
func (s *Service) DescribeImageComponents(ctx context.Context, call *rpc.Call, req *DescribeImageComponentsRequest) (*DescribeImageComponentsResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	var match []ImageComponentItem
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		var filters []store.Filter
		if req.Name != "" {
			filters = append(filters, store.Where("name", req.Name))
		}
		all, err := store.All[cloud.ImageComponent](ctx, tx, req.RegionID, filters...)
		for _, c := range all {
			if req.Owner != "SELF" || len(req.IDs) > 0 && !slices.Contains(req.IDs, c.ID) || req.Version != "" && c.Version != req.Version ||
				req.SystemType != "" && c.SystemType != req.SystemType || req.ComponentType != "" && c.ComponentType != req.ComponentType ||
				req.ResourceGroupID != "" && c.ResourceGroup != req.ResourceGroupID || !hasTags(c.Tags, req.Tags) {
				continue
			}
			match = append(match, ImageComponentItem{ImageComponentID: c.ID, Name: c.Name, ComponentVersion: c.Version,
				Description: c.Description, SystemType: c.SystemType, ComponentType: c.ComponentType, Content: c.Content, Owner: "SELF",
				CreationTime: cloud.FormatSecond(c.Created), ResourceGroupID: c.ResourceGroup, Tags: tagsOf(c.Tags)})
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	resp := &DescribeImageComponentsResponse{TotalCount: len(match), MaxResults: req.max}
	resp.ImageComponent.ImageComponentSet, resp.NextToken = pageAt(match, req.offset, req.max)
	return resp, nil
}

// DeleteImageComponentRequest names the component.
type DeleteImageComponentRequest struct{ RegionID, ID string }

// Bind implements rpc.Binder.
func (r *DeleteImageComponentRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.ID = p.Required("ImageComponentId")
}

// DeleteImageComponentResponse is RequestId only.
type DeleteImageComponentResponse struct{ rpc.Base }

// DeleteImageComponent deletes a component: no pipeline uses one in ecslocal.
func (s *Service) DeleteImageComponent(ctx context.Context, call *rpc.Call, req *DeleteImageComponentRequest) (*DeleteImageComponentResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		c, err := store.GetIn[cloud.ImageComponent](ctx, tx, req.RegionID, req.ID)
		if err != nil {
			return notFound(err, apierr.InvalidImageComponentID)
		}
		return store.Delete[cloud.ImageComponent](ctx, tx, c.ID)
	})
	if err != nil {
		return nil, err
	}
	return &DeleteImageComponentResponse{}, nil
}

// hasTags tells whether tags hold every wanted key (and value, when given).
func hasTags(tags []cloud.Tag, want []rpc.Tag) bool {
	for _, w := range want {
		if !slices.ContainsFunc(tags, func(t cloud.Tag) bool { return t.Key == w.Key && (w.Value == "" || t.Value == w.Value) }) {
			return false
		}
	}
	return true
}

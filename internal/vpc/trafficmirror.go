package vpc

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/ecslocal/ecslocal/internal/apierr"
	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/store"
	"github.com/ecslocal/ecslocal/internal/tagging"
)

// registerTrafficMirror adds the traffic mirror actions.
func (s *Service) registerTrafficMirror(t *rpc.Table) {
	v := rpc.VersionVPC
	rpc.Handle(t, v, "OpenTrafficMirrorService", s.OpenTrafficMirrorService)
	rpc.Handle(t, v, "GetTrafficMirrorServiceStatus", s.GetTrafficMirrorServiceStatus)
	rpc.Handle(t, v, "CreateTrafficMirrorFilter", s.CreateTrafficMirrorFilter)
	rpc.Handle(t, v, "ListTrafficMirrorFilters", s.ListTrafficMirrorFilters)
	rpc.Handle(t, v, "UpdateTrafficMirrorFilterAttribute", s.UpdateTrafficMirrorFilterAttribute)
	rpc.Handle(t, v, "DeleteTrafficMirrorFilter", s.DeleteTrafficMirrorFilter)
	rpc.Handle(t, v, "CreateTrafficMirrorFilterRules", s.CreateTrafficMirrorFilterRules)
	rpc.Handle(t, v, "DeleteTrafficMirrorFilterRules", s.DeleteTrafficMirrorFilterRules)
	rpc.Handle(t, v, "UpdateTrafficMirrorFilterRuleAttribute", s.UpdateTrafficMirrorFilterRuleAttribute)
}

// MirrorServiceRequest is OpenTrafficMirrorService and
// GetTrafficMirrorServiceStatus, whose RegionId the definition leaves
// optional: the SDKs always send it, and without it there is no region.
type MirrorServiceRequest struct {
	RegionID string
}

// Bind implements rpc.Binder.
func (r *MirrorServiceRequest) Bind(p *rpc.Params) {
	r.RegionID = p.String("RegionId")
	if r.RegionID == "" {
		p.Fail(apierr.MissingParameter.New("RegionId"))
	}
	p.ClientToken()
}

// OpenTrafficMirrorService opens the service in the region (again: no change).
func (s *Service) OpenTrafficMirrorService(ctx context.Context, call *rpc.Call, req *MirrorServiceRequest) (*rpc.Base, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		id := cloud.MirrorServiceID(req.RegionID)
		if _, err := store.Get[cloud.MirrorService](ctx, tx, id); err == nil {
			return nil
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		return store.Put(ctx, tx, cloud.MirrorService{ID: id, Region: req.RegionID, Opened: tx.Now()})
	})
	if err != nil {
		return nil, err
	}
	return &rpc.Base{}, nil
}

func mirrorServiceOpen(ctx context.Context, tx store.Tx, region string) (bool, error) {
	_, err := store.Get[cloud.MirrorService](ctx, tx, cloud.MirrorServiceID(region))
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}

// GetTrafficMirrorServiceStatusResponse tells whether the service is open.
type GetTrafficMirrorServiceStatusResponse struct {
	rpc.Base
	Enabled bool `json:"Enabled"`
}

// GetTrafficMirrorServiceStatus answers whether the service is open.
func (s *Service) GetTrafficMirrorServiceStatus(ctx context.Context, call *rpc.Call, req *MirrorServiceRequest) (*GetTrafficMirrorServiceStatusResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &GetTrafficMirrorServiceStatusResponse{}
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		var err error
		resp.Enabled, err = mirrorServiceOpen(ctx, tx, req.RegionID)
		return err
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// bindMirrorRules reads IngressRules.N and EgressRules.N.
func bindMirrorRules(p *rpc.Params) []cloud.MirrorRule {
	var out []cloud.MirrorRule
	for _, param := range []string{"IngressRules", "EgressRules"} {
		direction := strings.ToLower(strings.TrimSuffix(param, "Rules"))
		for _, o := range p.Objects(param) {
			out = append(out, cloud.MirrorRule{
				Direction: direction, Action: o.String("Action"), Protocol: o.String("Protocol"), Priority: o.Int("Priority", 0, 0, 1<<20),
				SourceCIDR: o.String("SourceCidrBlock"), DestinationCIDR: o.String("DestinationCidrBlock"),
				SourcePorts: o.String("SourcePortRange"), DestPorts: o.String("DestinationPortRange"),
			})
			o.String("IpVersion")
		}
	}
	return out
}

// newMirrorRules judges rules and gives them ids.
func (s *Service) newMirrorRules(region string, rules []cloud.MirrorRule) ([]cloud.MirrorRule, error) {
	out := make([]cloud.MirrorRule, 0, len(rules))
	for _, r := range rules {
		n, err := cloud.NormalizeMirrorRule(r)
		if err != nil {
			return nil, err
		}
		n.ID = s.ids.ID("tmr", region)
		out = append(out, n)
	}
	return out, nil
}

// CreateTrafficMirrorFilterRequest is VPC CreateTrafficMirrorFilter.
type CreateTrafficMirrorFilterRequest struct {
	RegionID, Name, Description, ResourceGroupID, ClientToken string
	Rules                                                     []cloud.MirrorRule
	DryRun                                                    bool
	Tags                                                      []rpc.Tag
}

// Bind implements rpc.Binder.
func (r *CreateTrafficMirrorFilterRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.Name = p.String("TrafficMirrorFilterName")
	r.Description = p.String("TrafficMirrorFilterDescription")
	r.Rules = bindMirrorRules(p)
	r.ResourceGroupID = p.String("ResourceGroupId")
	r.Tags = tagging.BindTags(p, "Tag")
	r.DryRun = p.Bool("DryRun", false)
	r.ClientToken = p.ClientToken()
}

// CreateTrafficMirrorFilterResponse carries the new filter.
type CreateTrafficMirrorFilterResponse struct {
	rpc.Base
	TrafficMirrorFilterID string `json:"TrafficMirrorFilterId"`
	ResourceGroupID       string `json:"ResourceGroupId"`
}

// CreateTrafficMirrorFilter makes a filter, with rules, once the service
// is open.
func (s *Service) CreateTrafficMirrorFilter(ctx context.Context, call *rpc.Call, req *CreateTrafficMirrorFilterRequest) (*CreateTrafficMirrorFilterResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &CreateTrafficMirrorFilterResponse{}
	fingerprint := call.Params.Fingerprint()
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		if replayed, err := store.Replay(ctx, tx, call.Action, req.ClientToken, fingerprint, resp); replayed || err != nil {
			return err
		}
		if open, err := mirrorServiceOpen(ctx, tx, req.RegionID); err != nil {
			return err
		} else if !open {
			return apierr.MirrorServiceNotOpen.New()
		}
		rules, err := s.newMirrorRules(req.RegionID, req.Rules)
		if err != nil {
			return err
		}
		f := cloud.MirrorFilter{
			ID: s.ids.ID("tmf", req.RegionID), Region: req.RegionID, Name: req.Name, Description: req.Description, Status: "Created",
			Created: tx.Now(), ResourceGroup: cloud.ResourceGroup(call.Account, req.ResourceGroupID), Tags: tagging.Cloud(req.Tags),
		}
		if f, err = cloud.AddMirrorRules(f, rules); err != nil {
			return err
		}
		if req.DryRun {
			return apierr.DryRunOperation.New()
		}
		if err := store.Put(ctx, tx, f); err != nil {
			return err
		}
		resp.TrafficMirrorFilterID, resp.ResourceGroupID = f.ID, f.ResourceGroup
		return store.Remember(ctx, tx, call.Action, req.ClientToken, fingerprint, resp)
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// ListTrafficMirrorFiltersRequest is VPC ListTrafficMirrorFilters.
type ListTrafficMirrorFiltersRequest struct {
	RegionID string
	IDs      []string
	Filters  []store.Filter
	offsetPaging
}

// Bind implements rpc.Binder.
func (r *ListTrafficMirrorFiltersRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.IDs = p.List("TrafficMirrorFilterIds")
	r.Filters = append(r.Filters, bindWhere(p, []where{{"TrafficMirrorFilterName", "name"}, {"ResourceGroupId", "resourceGroup"}})...)
	r.Filters = append(r.Filters, tagging.Filters(tagging.BindTags(p, "Tags"))...)
	r.bindPaging(p)
}

// MirrorRuleItem is one rule as ListTrafficMirrorFilters shows it.
type MirrorRuleItem struct {
	TrafficMirrorFilterRuleID     string `json:"TrafficMirrorFilterRuleId"`
	TrafficMirrorFilterID         string `json:"TrafficMirrorFilterId"`
	TrafficMirrorFilterRuleStatus string `json:"TrafficMirrorFilterRuleStatus"`
	TrafficDirection              string `json:"TrafficDirection"`
	Action                        string `json:"Action"`
	Protocol                      string `json:"Protocol"`
	Priority                      int    `json:"Priority"`
	SourceCidrBlock               string `json:"SourceCidrBlock"`
	DestinationCidrBlock          string `json:"DestinationCidrBlock"`
	SourcePortRange               string `json:"SourcePortRange"`
	DestinationPortRange          string `json:"DestinationPortRange"`
	IPVersion                     string `json:"IpVersion"`
}

// MirrorFilterItem is one filter of ListTrafficMirrorFilters.
type MirrorFilterItem struct {
	TrafficMirrorFilterID          string           `json:"TrafficMirrorFilterId"`
	TrafficMirrorFilterName        string           `json:"TrafficMirrorFilterName"`
	TrafficMirrorFilterDescription string           `json:"TrafficMirrorFilterDescription"`
	TrafficMirrorFilterStatus      string           `json:"TrafficMirrorFilterStatus"`
	CreationTime                   string           `json:"CreationTime"`
	ResourceGroupID                string           `json:"ResourceGroupId"`
	IngressRules                   []MirrorRuleItem `json:"IngressRules"`
	EgressRules                    []MirrorRuleItem `json:"EgressRules"`
	Tags                           []TagItem        `json:"Tags"`
}

// ListTrafficMirrorFiltersResponse pages TrafficMirrorFilters[].
type ListTrafficMirrorFiltersResponse struct {
	rpc.Base
	TrafficMirrorFilters []MirrorFilterItem `json:"TrafficMirrorFilters"`
	Count                int                `json:"Count"`
	MaxResults           int                `json:"MaxResults"`
	NextToken            string             `json:"NextToken"`
	TotalCount           string             `json:"TotalCount"`
}

// ListTrafficMirrorFilters lists a region's filters with their rules.
func (s *Service) ListTrafficMirrorFilters(ctx context.Context, call *rpc.Call, req *ListTrafficMirrorFiltersRequest) (*ListTrafficMirrorFiltersResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &ListTrafficMirrorFiltersResponse{TrafficMirrorFilters: []MirrorFilterItem{}, MaxResults: req.Max}
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		q := store.Query{Region: req.RegionID, IDs: req.IDs, Filters: req.Filters, Offset: req.Offset, Limit: req.Max, Count: true}
		list, page, err := store.Find[cloud.MirrorFilter](ctx, tx, q)
		if err != nil {
			return err
		}
		for _, f := range list {
			item := MirrorFilterItem{
				TrafficMirrorFilterID: f.ID, TrafficMirrorFilterName: f.Name, TrafficMirrorFilterDescription: f.Description,
				TrafficMirrorFilterStatus: f.Status, CreationTime: cloud.FormatSecond(f.Created), ResourceGroupID: f.ResourceGroup,
				IngressRules: []MirrorRuleItem{}, EgressRules: []MirrorRuleItem{}, Tags: tagsOf(f.Tags).Tag,
			}
			for _, r := range f.Rules {
				ri := MirrorRuleItem{
					TrafficMirrorFilterRuleID: r.ID, TrafficMirrorFilterID: f.ID, TrafficMirrorFilterRuleStatus: "Created",
					TrafficDirection: r.Direction, Action: r.Action, Protocol: r.Protocol, Priority: r.Priority,
					SourceCidrBlock: r.SourceCIDR, DestinationCidrBlock: r.DestinationCIDR, SourcePortRange: r.SourcePorts,
					DestinationPortRange: r.DestPorts, IPVersion: "IPv4",
				}
				if r.Direction == "ingress" {
					item.IngressRules = append(item.IngressRules, ri)
				} else {
					item.EgressRules = append(item.EgressRules, ri)
				}
			}
			resp.TrafficMirrorFilters = append(resp.TrafficMirrorFilters, item)
		}
		resp.Count, resp.TotalCount = len(list), strconv.Itoa(page.Total)
		resp.NextToken = req.next(len(list), page)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// changeMirrorFilter runs change on a filter, then writes it back (keep)
// or deletes it.
func (s *Service) changeMirrorFilter(ctx context.Context, call *rpc.Call, region, id string, dryRun bool, change func(store.Tx, *cloud.MirrorFilter) (bool, error)) error {
	return changeOne(ctx, s, call, region, id, apierr.MirrorFilterNotFound, dryRun, change)
}

// UpdateTrafficMirrorFilterAttributeRequest is the VPC action.
type UpdateTrafficMirrorFilterAttributeRequest struct {
	RegionID, ID      string
	Name, Description *string
	DryRun            bool
}

// Bind implements rpc.Binder.
func (r *UpdateTrafficMirrorFilterAttributeRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.ID = p.Required("TrafficMirrorFilterId")
	r.Name = optString(p, "TrafficMirrorFilterName")
	r.Description = optString(p, "TrafficMirrorFilterDescription")
	r.DryRun = p.Bool("DryRun", false)
	p.ClientToken()
}

// UpdateTrafficMirrorFilterAttribute renames or redescribes a filter.
func (s *Service) UpdateTrafficMirrorFilterAttribute(ctx context.Context, call *rpc.Call, req *UpdateTrafficMirrorFilterAttributeRequest) (*rpc.Base, error) {
	err := s.changeMirrorFilter(ctx, call, req.RegionID, req.ID, req.DryRun, func(_ store.Tx, f *cloud.MirrorFilter) (bool, error) {
		rename(&f.Name, &f.Description, req.Name, req.Description)
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	return &rpc.Base{}, nil
}

// MirrorFilterRequest names one filter (DeleteTrafficMirrorFilter).
type MirrorFilterRequest struct {
	RegionID, ID string
	DryRun       bool
}

// Bind implements rpc.Binder.
func (r *MirrorFilterRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.ID = p.Required("TrafficMirrorFilterId")
	r.DryRun = p.Bool("DryRun", false)
	p.ClientToken()
}

// DeleteTrafficMirrorFilter removes a filter no session uses.
func (s *Service) DeleteTrafficMirrorFilter(ctx context.Context, call *rpc.Call, req *MirrorFilterRequest) (*rpc.Base, error) {
	err := s.changeMirrorFilter(ctx, call, req.RegionID, req.ID, req.DryRun, func(tx store.Tx, f *cloud.MirrorFilter) (bool, error) {
		if n, err := store.Count[cloud.MirrorSession](ctx, tx, f.Region, store.Where("table", f.ID)); err != nil {
			return false, err
		} else if n > 0 {
			return false, apierr.MirrorFilterInUse.New().WithDetail("%d sessions use %s", n, f.ID)
		}
		return false, nil
	})
	if err != nil {
		return nil, err
	}
	return &rpc.Base{}, nil
}

// CreateTrafficMirrorFilterRulesRequest is the VPC action.
type CreateTrafficMirrorFilterRulesRequest struct {
	RegionID, ID string
	Rules        []cloud.MirrorRule
	DryRun       bool
}

// Bind implements rpc.Binder.
func (r *CreateTrafficMirrorFilterRulesRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.ID = p.Required("TrafficMirrorFilterId")
	r.Rules = bindMirrorRules(p)
	r.DryRun = p.Bool("DryRun", false)
	p.ClientToken()
}

// RuleIDItem is one new rule's id.
type RuleIDItem struct {
	InstanceID string `json:"InstanceId"`
}

// CreateTrafficMirrorFilterRulesResponse lists the new rules' ids.
type CreateTrafficMirrorFilterRulesResponse struct {
	rpc.Base
	IngressRules []RuleIDItem `json:"IngressRules"`
	EgressRules  []RuleIDItem `json:"EgressRules"`
}

// CreateTrafficMirrorFilterRules adds rules to a filter, all or none.
func (s *Service) CreateTrafficMirrorFilterRules(ctx context.Context, call *rpc.Call, req *CreateTrafficMirrorFilterRulesRequest) (*CreateTrafficMirrorFilterRulesResponse, error) {
	resp := &CreateTrafficMirrorFilterRulesResponse{IngressRules: []RuleIDItem{}, EgressRules: []RuleIDItem{}}
	err := s.changeMirrorFilter(ctx, call, req.RegionID, req.ID, req.DryRun, func(_ store.Tx, f *cloud.MirrorFilter) (bool, error) {
		rules, err := s.newMirrorRules(f.Region, req.Rules)
		if err != nil {
			return true, err
		}
		if *f, err = cloud.AddMirrorRules(*f, rules); err != nil {
			return true, err
		}
		for _, r := range rules {
			if r.Direction == "ingress" {
				resp.IngressRules = append(resp.IngressRules, RuleIDItem{r.ID})
			} else {
				resp.EgressRules = append(resp.EgressRules, RuleIDItem{r.ID})
			}
		}
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// DeleteTrafficMirrorFilterRulesRequest is the VPC action.
type DeleteTrafficMirrorFilterRulesRequest struct {
	RegionID, ID string
	RuleIDs      []string
	DryRun       bool
}

// Bind implements rpc.Binder.
func (r *DeleteTrafficMirrorFilterRulesRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.ID = p.Required("TrafficMirrorFilterId")
	r.RuleIDs = p.List("TrafficMirrorFilterRuleIds")
	if len(r.RuleIDs) == 0 {
		p.Fail(apierr.MissingParameter.New("TrafficMirrorFilterRuleIds"))
	}
	r.DryRun = p.Bool("DryRun", false)
	p.ClientToken()
}

// DeleteTrafficMirrorFilterRules removes rules of a filter, all or none.
func (s *Service) DeleteTrafficMirrorFilterRules(ctx context.Context, call *rpc.Call, req *DeleteTrafficMirrorFilterRulesRequest) (*rpc.Base, error) {
	err := s.changeMirrorFilter(ctx, call, req.RegionID, req.ID, req.DryRun, func(_ store.Tx, f *cloud.MirrorFilter) (bool, error) {
		for _, id := range req.RuleIDs {
			i := slices.IndexFunc(f.Rules, func(r cloud.MirrorRule) bool { return r.ID == id })
			if i < 0 {
				return true, apierr.MirrorRuleNotFound.New().WithDetail("%s is not in %s", id, f.ID)
			}
			f.Rules = slices.Delete(f.Rules, i, i+1)
		}
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	return &rpc.Base{}, nil
}

// UpdateTrafficMirrorFilterRuleAttributeRequest is the VPC action.
type UpdateTrafficMirrorFilterRuleAttributeRequest struct {
	RegionID, RuleID                                                      string
	Action, Protocol, SourceCIDR, DestinationCIDR, SourcePorts, DestPorts *string
	Priority                                                              *int
	DryRun                                                                bool
}

// Bind implements rpc.Binder.
func (r *UpdateTrafficMirrorFilterRuleAttributeRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.RuleID = p.Required("TrafficMirrorFilterRuleId")
	r.Action = optString(p, "RuleAction")
	r.Protocol = optString(p, "Protocol")
	r.SourceCIDR = optString(p, "SourceCidrBlock")
	r.DestinationCIDR = optString(p, "DestinationCidrBlock")
	r.SourcePorts = optString(p, "SourcePortRange")
	r.DestPorts = optString(p, "DestinationPortRange")
	r.Priority = p.OptInt("Priority", 1, cloud.MaxMirrorRules)
	r.DryRun = p.Bool("DryRun", false)
	p.ClientToken()
}

// UpdateTrafficMirrorFilterRuleAttribute changes one rule, found by its
// id alone, judged again with the filter's other rules.
func (s *Service) UpdateTrafficMirrorFilterRuleAttribute(ctx context.Context, call *rpc.Call, req *UpdateTrafficMirrorFilterRuleAttributeRequest) (*rpc.Base, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		found, err := store.All[cloud.MirrorFilter](ctx, tx, req.RegionID, store.Where(string(cloud.IdxRule), req.RuleID))
		if err != nil {
			return err
		}
		if len(found) == 0 {
			return apierr.MirrorRuleNotFound.New().WithDetail("%s", req.RuleID)
		}
		f := found[0]
		i := slices.IndexFunc(f.Rules, func(r cloud.MirrorRule) bool { return r.ID == req.RuleID })
		r := f.Rules[i]
		if req.Protocol != nil && *req.Protocol != r.Protocol {
			r.Protocol, r.SourcePorts, r.DestPorts = *req.Protocol, "", "" // ports follow the protocol
		}
		for _, c := range []struct {
			v  *string
			to *string
		}{{req.Action, &r.Action}, {req.SourceCIDR, &r.SourceCIDR}, {req.DestinationCIDR, &r.DestinationCIDR},
			{req.SourcePorts, &r.SourcePorts}, {req.DestPorts, &r.DestPorts}} {
			if c.v != nil {
				*c.to = *c.v
			}
		}
		if req.Priority != nil {
			r.Priority = *req.Priority
		}
		if r, err = cloud.NormalizeMirrorRule(r); err != nil {
			return err
		}
		rest := slices.Delete(slices.Clone(f.Rules), i, i+1)
		f.Rules = rest
		if f, err = cloud.AddMirrorRules(f, []cloud.MirrorRule{r}); err != nil {
			return err
		}
		if req.DryRun {
			return apierr.DryRunOperation.New()
		}
		return store.Put(ctx, tx, f)
	})
	if err != nil {
		return nil, err
	}
	return &rpc.Base{}, nil
}

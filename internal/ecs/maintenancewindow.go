package ecs

import (
	"context"
	"encoding/json"
	"slices"

	"github.com/ecslocal/ecslocal/internal/apierr"
	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/store"
)

func (s *Service) registerMaintenanceWindows(t *rpc.Table) {
	v := rpc.VersionECS
	rpc.Handle(t, v, "CreatePlanMaintenanceWindow", s.CreatePlanMaintenanceWindow)
	rpc.Handle(t, v, "DeletePlanMaintenanceWindow", s.DeletePlanMaintenanceWindow)
	rpc.Handle(t, v, "ModifyPlanMaintenanceWindow", s.ModifyPlanMaintenanceWindow)
	rpc.Handle(t, v, "DescribePlanMaintenanceWindows", s.DescribePlanMaintenanceWindows)
}

// windowParams are the attributes Create requires and Modify may change.
type windowParams struct {
	Name, Action *string
	Enable       *bool
	Target       *cloud.WindowTarget
	Period       *cloud.WindowPeriod
}

// bind reads them; required marks Create, where each must be sent. Values
// are checked once every required parameter was read.
func (w *windowParams) bind(p *rpc.Params, required bool) {
	str := func(name string) *string {
		if required {
			v := p.Required(name)
			return &v
		}
		return optString(p, name)
	}
	w.Name = str("PlanWindowName")
	if required {
		p.Required("Enable")
	}
	w.Enable = p.OptBool("Enable")
	w.Action = str("SupportMaintenanceAction")
	target, period := str("TargetResource"), str("TimePeriod")
	if p.Err() != nil {
		return
	}
	if w.Name != nil && len([]rune(*w.Name)) > 200 {
		p.Fail(apierr.InvalidParameter.New("PlanWindowName"))
	}
	if w.Action != nil && *w.Action != "Reboot" && *w.Action != "Redeploy" {
		p.Fail(apierr.InvalidParameter.New("SupportMaintenanceAction"))
	}
	if target != nil {
		var t cloud.WindowTarget
		if json.Unmarshal([]byte(*target), &t) != nil || t.Valid() != "" {
			p.Fail(apierr.InvalidParameter.New("TargetResource"))
		}
		w.Target = &t
	}
	if period != nil {
		var t cloud.WindowPeriod
		if json.Unmarshal([]byte(*period), &t) != nil {
			p.Fail(apierr.InvalidParameter.New("TimePeriod"))
		} else if bad := t.Valid(); bad != "" {
			p.Fail(apierr.InvalidParameter.New(bad))
		}
		w.Period = &t
	}
}

// apply writes the sent attributes on a window.
func (w windowParams) apply(pw *cloud.PlanMaintenanceWindow) {
	if w.Name != nil {
		pw.Name = *w.Name
	}
	if w.Action != nil {
		pw.Action = *w.Action
	}
	if w.Enable != nil {
		pw.Enable = *w.Enable
	}
	if w.Target != nil {
		pw.Target = *w.Target
	}
	if w.Period != nil {
		pw.Period = *w.Period
	}
}

// CreatePlanMaintenanceWindowRequest is CreatePlanMaintenanceWindow's parameters.
type CreatePlanMaintenanceWindowRequest struct {
	RegionID string
	windowParams
}

// Bind implements rpc.Binder.
func (r *CreatePlanMaintenanceWindowRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.bind(p, true)
}

// CreatePlanMaintenanceWindowResponse names the window.
type CreatePlanMaintenanceWindowResponse struct {
	rpc.Base
	PlanWindowID string `json:"PlanWindowId"`
}

// CreatePlanMaintenanceWindow stores an O&M window. No O&M event is ever
// scheduled here, so a window only records the user's preference.
func (s *Service) CreatePlanMaintenanceWindow(ctx context.Context, call *rpc.Call, req *CreatePlanMaintenanceWindowRequest) (*CreatePlanMaintenanceWindowResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &CreatePlanMaintenanceWindowResponse{}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		w := cloud.PlanMaintenanceWindow{ID: s.ids.ID("pw", req.RegionID), Region: req.RegionID, Created: tx.Now(), Modified: tx.Now()}
		req.apply(&w)
		resp.PlanWindowID = w.ID
		return store.Put(ctx, tx, w)
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// PlanWindowRequest names one window.
type PlanWindowRequest struct{ RegionID, ID string }

func (r *PlanWindowRequest) bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.ID = p.Required("PlanWindowId")
}

// DeletePlanMaintenanceWindowRequest names the window.
type DeletePlanMaintenanceWindowRequest struct{ PlanWindowRequest }

// Bind implements rpc.Binder.
func (r *DeletePlanMaintenanceWindowRequest) Bind(p *rpc.Params) { r.bind(p) }

// DeletePlanMaintenanceWindowResponse is RequestId only.
type DeletePlanMaintenanceWindowResponse struct{ rpc.Base }

// DeletePlanMaintenanceWindow removes a window.
func (s *Service) DeletePlanMaintenanceWindow(ctx context.Context, call *rpc.Call, req *DeletePlanMaintenanceWindowRequest) (*DeletePlanMaintenanceWindowResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		w, err := store.GetIn[cloud.PlanMaintenanceWindow](ctx, tx, req.RegionID, req.ID)
		if err != nil {
			return notFound(err, apierr.PlanWindowNotFound)
		}
		return store.Delete[cloud.PlanMaintenanceWindow](ctx, tx, w.ID)
	})
	if err != nil {
		return nil, err
	}
	return &DeletePlanMaintenanceWindowResponse{}, nil
}

// ModifyPlanMaintenanceWindowRequest changes what is sent.
type ModifyPlanMaintenanceWindowRequest struct {
	PlanWindowRequest
	windowParams
}

// Bind implements rpc.Binder.
func (r *ModifyPlanMaintenanceWindowRequest) Bind(p *rpc.Params) {
	r.PlanWindowRequest.bind(p)
	r.windowParams.bind(p, false)
}

// ModifyPlanMaintenanceWindowResponse is RequestId only.
type ModifyPlanMaintenanceWindowResponse struct{ rpc.Base }

// ModifyPlanMaintenanceWindow changes a window's attributes.
func (s *Service) ModifyPlanMaintenanceWindow(ctx context.Context, call *rpc.Call, req *ModifyPlanMaintenanceWindowRequest) (*ModifyPlanMaintenanceWindowResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		w, err := store.GetIn[cloud.PlanMaintenanceWindow](ctx, tx, req.RegionID, req.ID)
		if err != nil {
			return notFound(err, apierr.PlanWindowNotFound)
		}
		req.apply(&w)
		w.Modified = tx.Now()
		return store.Put(ctx, tx, w)
	})
	if err != nil {
		return nil, err
	}
	return &ModifyPlanMaintenanceWindowResponse{}, nil
}

// DescribePlanMaintenanceWindowsRequest filters the region's windows.
type DescribePlanMaintenanceWindowsRequest struct {
	RegionID, ID, Name, ResourceGroupID string
	Enable                              *bool
	Tags                                []cloud.WindowTag
	MaxResults                          int
	Offset                              int64
}

// Bind implements rpc.Binder.
func (r *DescribePlanMaintenanceWindowsRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.ID = p.String("PlanWindowId")
	r.Name = p.String("PlanWindowName")
	r.Enable = p.OptBool("Enable")
	r.ResourceGroupID = p.String("TargetResourceGroupId")
	// One {"Key","Value"} object, as the SDK sends it, or an array of them.
	if raw := p.String("TargetResourceTags"); raw != "" {
		var one cloud.WindowTag
		switch {
		case json.Unmarshal([]byte(raw), &one) == nil:
			r.Tags = []cloud.WindowTag{one}
		case json.Unmarshal([]byte(raw), &r.Tags) != nil:
			p.Fail(apierr.InvalidParameter.New("TargetResourceTags"))
		}
	}
	r.MaxResults = p.Int("MaxResults", 10, 1, 100)
	r.Offset = nextToken(p)
}

// PlanWindowItem is one window.
type PlanWindowItem struct {
	PlanWindowID             string             `json:"PlanWindowId"`
	PlanWindowName           string             `json:"PlanWindowName"`
	Enable                   bool               `json:"Enable"`
	SupportMaintenanceAction string             `json:"SupportMaintenanceAction"`
	TargetResource           cloud.WindowTarget `json:"TargetResource"`
	TimePeriod               cloud.WindowPeriod `json:"TimePeriod"`
	CreateTime               string             `json:"CreateTime"`
	ModifiedTime             string             `json:"ModifiedTime"`
}

// DescribePlanMaintenanceWindowsResponse lists PlanMaintenanceWindowList[].
type DescribePlanMaintenanceWindowsResponse struct {
	rpc.Base
	TotalCount                int              `json:"TotalCount"`
	MaxResults                int              `json:"MaxResults"`
	NextToken                 string           `json:"NextToken"`
	PlanMaintenanceWindowList []PlanWindowItem `json:"PlanMaintenanceWindowList"`
}

// DescribePlanMaintenanceWindows lists windows by id, name, state and target.
func (s *Service) DescribePlanMaintenanceWindows(ctx context.Context, call *rpc.Call, req *DescribePlanMaintenanceWindowsRequest) (*DescribePlanMaintenanceWindowsResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	var filters []store.Filter
	if req.Name != "" {
		filters = append(filters, store.Where(string(cloud.IdxName), req.Name))
	}
	resp := &DescribePlanMaintenanceWindowsResponse{MaxResults: req.MaxResults, PlanMaintenanceWindowList: []PlanWindowItem{}}
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		all, err := store.All[cloud.PlanMaintenanceWindow](ctx, tx, req.RegionID, filters...)
		if err != nil {
			return err
		}
		all = slices.DeleteFunc(all, func(w cloud.PlanMaintenanceWindow) bool {
			if req.ID != "" && w.ID != req.ID || req.Enable != nil && *req.Enable != w.Enable ||
				req.ResourceGroupID != "" && w.Target.ResourceGroupID != req.ResourceGroupID {
				return true
			}
			for _, t := range req.Tags {
				if !slices.Contains(w.Target.Tags, t) {
					return true
				}
			}
			return false
		})
		from, to, next := poolListParams{MaxResults: req.MaxResults, Offset: req.Offset}.page(len(all))
		resp.TotalCount, resp.NextToken = len(all), next
		for _, w := range all[from:to] {
			item := PlanWindowItem{PlanWindowID: w.ID, PlanWindowName: w.Name, Enable: w.Enable, SupportMaintenanceAction: w.Action,
				TargetResource: w.Target, TimePeriod: w.Period, CreateTime: apiTime(w.Created), ModifiedTime: apiTime(w.Modified)}
			if item.TargetResource.Tags == nil {
				item.TargetResource.Tags = []cloud.WindowTag{}
			}
			resp.PlanMaintenanceWindowList = append(resp.PlanMaintenanceWindowList, item)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

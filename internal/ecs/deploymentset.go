package ecs

import (
	"context"
	"strings"

	"github.com/ecslocal/ecslocal/internal/apierr"
	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/store"
)

func (s *Service) registerDeploymentSets(t *rpc.Table) {
	v := rpc.VersionECS
	rpc.Handle(t, v, "CreateDeploymentSet", s.CreateDeploymentSet)
	rpc.Handle(t, v, "DescribeDeploymentSets", s.DescribeDeploymentSets)
	rpc.Handle(t, v, "ModifyDeploymentSetAttribute", s.ModifyDeploymentSetAttribute)
	rpc.Handle(t, v, "DeleteDeploymentSet", s.DeleteDeploymentSet)
	rpc.Handle(t, v, "ModifyInstanceDeployment", s.ModifyInstanceDeployment)
}

// validDeploymentSetName: empty, or 2 to 128 characters starting with a
// letter, not with http:// or https://.
func validDeploymentSetName(name string) bool {
	if name == "" {
		return true
	}
	n := len([]rune(name))
	c := name[0]
	return n >= 2 && n <= 128 && (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') &&
		!strings.HasPrefix(name, "http://") && !strings.HasPrefix(name, "https://")
}

// CreateDeploymentSetRequest is CreateDeploymentSet's parameters.
type CreateDeploymentSetRequest struct {
	RegionID, Name, Description, Strategy, ClientToken, fingerprint string
	GroupCount                                                      int
}

// Bind implements rpc.Binder.
func (r *CreateDeploymentSetRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.Name = p.String("DeploymentSetName")
	if !validDeploymentSetName(r.Name) {
		p.Fail(apierr.DeploymentSetNameMalformed.New())
	}
	r.Description = p.String("Description")
	r.Strategy = p.Enum("Strategy", "Availability", "Availability", "AvailabilityGroup", "LowLatency")
	p.Enum("Domain", "Default", "Default")
	p.Enum("Granularity", "Host", "Host")
	p.String("Type")
	p.Enum("OnUnableToRedeployFailedInstance", "CancelMembershipAndStart", "CancelMembershipAndStart", "KeepStopped")
	r.GroupCount = p.Int("GroupCount", 0, 0, 7)
	r.ClientToken = p.ClientToken()
	r.fingerprint = p.Fingerprint()
}

// CreateDeploymentSetResponse names the new set.
type CreateDeploymentSetResponse struct {
	rpc.Base
	DeploymentSetID string `json:"DeploymentSetId"`
}

// CreateDeploymentSet stores an empty deployment set.
func (s *Service) CreateDeploymentSet(ctx context.Context, call *rpc.Call, req *CreateDeploymentSetRequest) (*CreateDeploymentSetResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &CreateDeploymentSetResponse{}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		if replayed, err := store.Replay(ctx, tx, call.Action, req.ClientToken, req.fingerprint, resp); replayed || err != nil {
			return err
		}
		ds := cloud.DeploymentSet{ID: s.ids.ID("ds", req.RegionID), Region: req.RegionID, Name: req.Name, Description: req.Description,
			Strategy: req.Strategy, Domain: "Default", Granularity: "Host", GroupCount: req.GroupCount, Created: tx.Now()}
		if err := store.Put(ctx, tx, ds); err != nil {
			return err
		}
		resp.DeploymentSetID = ds.ID
		return store.Remember(ctx, tx, call.Action, req.ClientToken, req.fingerprint, resp)
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// DescribeDeploymentSetsRequest filters by ids, name and strategy.
type DescribeDeploymentSetsRequest struct {
	RegionID, Name, Strategy string
	IDs                      []string
	PageNumber, PageSize     int
}

// Bind implements rpc.Binder.
func (r *DescribeDeploymentSetsRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.IDs = p.JSONList("DeploymentSetIds")
	r.Name = p.String("DeploymentSetName")
	r.Strategy = p.String("Strategy")
	p.String("Domain")
	p.String("Granularity")
	p.String("NetworkType")
	p.String("Type")
	r.PageNumber, r.PageSize = paging(p, 10, 50)
}

// DeploymentSetCapacity is one zone's use of a set.
type DeploymentSetCapacity struct {
	ZoneID          string `json:"ZoneId"`
	UsedAmount      int    `json:"UsedAmount"`
	AvailableAmount int    `json:"AvailableAmount"`
}

// DeploymentSetItem is one deployment set.
type DeploymentSetItem struct {
	DeploymentSetID          string `json:"DeploymentSetId"`
	DeploymentSetName        string `json:"DeploymentSetName"`
	DeploymentSetDescription string `json:"DeploymentSetDescription"`
	DeploymentStrategy       string `json:"DeploymentStrategy"`
	Strategy                 string `json:"Strategy"`
	Domain                   string `json:"Domain"`
	Granularity              string `json:"Granularity"`
	GroupCount               int    `json:"GroupCount"`
	InstanceAmount           int    `json:"InstanceAmount"`
	CreationTime             string `json:"CreationTime"`
	InstanceIDs              struct {
		InstanceID []string `json:"InstanceId"`
	} `json:"InstanceIds"`
	Capacities struct {
		Capacity []DeploymentSetCapacity `json:"Capacity"`
	} `json:"Capacities"`
}

// DescribeDeploymentSetsResponse pages DeploymentSets.DeploymentSet[].
type DescribeDeploymentSetsResponse struct {
	rpc.Base
	RegionID       string `json:"RegionId"`
	TotalCount     int    `json:"TotalCount"`
	PageNumber     int    `json:"PageNumber"`
	PageSize       int    `json:"PageSize"`
	DeploymentSets struct {
		DeploymentSet []DeploymentSetItem `json:"DeploymentSet"`
	} `json:"DeploymentSets"`
}

// DescribeDeploymentSets lists the region's deployment sets with their members.
func (s *Service) DescribeDeploymentSets(ctx context.Context, call *rpc.Call, req *DescribeDeploymentSetsRequest) (*DescribeDeploymentSetsResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	q := store.Query{Region: req.RegionID, IDs: req.IDs, Count: true, Offset: (req.PageNumber - 1) * req.PageSize, Limit: req.PageSize}
	if req.Name != "" {
		q.Filters = append(q.Filters, store.Where("name", req.Name))
	}
	if req.Strategy != "" {
		q.Filters = append(q.Filters, store.Where("status", req.Strategy))
	}
	resp := &DescribeDeploymentSetsResponse{RegionID: req.RegionID, PageNumber: req.PageNumber, PageSize: req.PageSize}
	resp.DeploymentSets.DeploymentSet = []DeploymentSetItem{}
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		list, page, err := store.Find[cloud.DeploymentSet](ctx, tx, q)
		if err != nil {
			return err
		}
		resp.TotalCount = page.Total
		for _, d := range list {
			item := DeploymentSetItem{DeploymentSetID: d.ID, DeploymentSetName: d.Name, DeploymentSetDescription: d.Description,
				DeploymentStrategy: d.Strategy, Strategy: d.Strategy, Domain: d.Domain, Granularity: d.Granularity,
				GroupCount: d.GroupCount, InstanceAmount: len(d.Instances), CreationTime: apiTime(d.Created)}
			item.InstanceIDs.InstanceID = []string{}
			item.Capacities.Capacity = []DeploymentSetCapacity{}
			zones := []string{}
			for _, m := range d.Instances {
				item.InstanceIDs.InstanceID = append(item.InstanceIDs.InstanceID, m.ID)
				if !contains(zones, m.Zone) {
					zones = append(zones, m.Zone)
				}
			}
			for _, z := range zones {
				used := d.InZone(z)
				item.Capacities.Capacity = append(item.Capacities.Capacity, DeploymentSetCapacity{ZoneID: z, UsedAmount: used,
					AvailableAmount: cloud.DeploymentSetZoneCapacity - used})
			}
			resp.DeploymentSets.DeploymentSet = append(resp.DeploymentSets.DeploymentSet, item)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// ModifyDeploymentSetAttributeRequest renames or redescribes a set.
type ModifyDeploymentSetAttributeRequest struct {
	RegionID, ID string
	Name, Desc   *string
}

// Bind implements rpc.Binder.
func (r *ModifyDeploymentSetAttributeRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.ID = p.Required("DeploymentSetId")
	if p.Has("DeploymentSetName") {
		v := p.String("DeploymentSetName")
		if !validDeploymentSetName(v) {
			p.Fail(apierr.DeploymentSetNameMalformed.New())
		}
		r.Name = &v
	}
	if p.Has("Description") {
		v := p.String("Description")
		r.Desc = &v
	}
}

// ModifyDeploymentSetAttributeResponse is RequestId only.
type ModifyDeploymentSetAttributeResponse struct{ rpc.Base }

// ModifyDeploymentSetAttribute changes the name or description.
func (s *Service) ModifyDeploymentSetAttribute(ctx context.Context, call *rpc.Call, req *ModifyDeploymentSetAttributeRequest) (*ModifyDeploymentSetAttributeResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		d, err := store.GetIn[cloud.DeploymentSet](ctx, tx, req.RegionID, req.ID)
		if err != nil {
			return notFound(err, apierr.DeploymentSetNotFoundAction)
		}
		if req.Name != nil {
			d.Name = *req.Name
		}
		if req.Desc != nil {
			d.Description = *req.Desc
		}
		return store.Put(ctx, tx, d)
	})
	if err != nil {
		return nil, err
	}
	return &ModifyDeploymentSetAttributeResponse{}, nil
}

// DeleteDeploymentSetRequest names the set.
type DeleteDeploymentSetRequest struct{ RegionID, ID string }

// Bind implements rpc.Binder.
func (r *DeleteDeploymentSetRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.ID = p.Required("DeploymentSetId")
}

// DeleteDeploymentSetResponse is RequestId only.
type DeleteDeploymentSetResponse struct{ rpc.Base }

// DeleteDeploymentSet removes an empty deployment set.
func (s *Service) DeleteDeploymentSet(ctx context.Context, call *rpc.Call, req *DeleteDeploymentSetRequest) (*DeleteDeploymentSetResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		d, err := store.GetIn[cloud.DeploymentSet](ctx, tx, req.RegionID, req.ID)
		if err != nil {
			return notFound(err, apierr.DeploymentSetNotFoundAction)
		}
		if len(d.Instances) > 0 {
			return apierr.DeploymentSetHasInstances.New()
		}
		return store.Delete[cloud.DeploymentSet](ctx, tx, d.ID)
	})
	if err != nil {
		return nil, err
	}
	return &DeleteDeploymentSetResponse{}, nil
}

// ModifyInstanceDeploymentRequest moves an instance into a set, or out of its own.
type ModifyInstanceDeploymentRequest struct {
	RegionID, InstanceID, SetID string
	Remove                      bool
}

// Bind implements rpc.Binder.
func (r *ModifyInstanceDeploymentRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.InstanceID = p.Required("InstanceId")
	r.SetID = p.String("DeploymentSetId")
	r.Remove = p.Bool("RemoveFromDeploymentSet", false)
	p.Bool("Force", false)
	p.Int("DeploymentSetGroupNo", 0, 0, 7)
	if r.SetID == "" && !r.Remove && p.Err() == nil {
		p.Fail(apierr.MissingParameter.New("DeploymentSetId"))
	}
}

// ModifyInstanceDeploymentResponse is RequestId only.
type ModifyInstanceDeploymentResponse struct{ rpc.Base }

// ModifyInstanceDeployment takes the instance out of its set and, unless
// removing, into the set named.
func (s *Service) ModifyInstanceDeployment(ctx context.Context, call *rpc.Call, req *ModifyInstanceDeploymentRequest) (*ModifyInstanceDeploymentResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		inst, err := store.GetIn[cloud.Instance](ctx, tx, req.RegionID, req.InstanceID)
		if err != nil {
			return notFound(err, apierr.InvalidInstanceIDNotFound)
		}
		var target cloud.DeploymentSet
		if !req.Remove {
			if target, err = store.GetIn[cloud.DeploymentSet](ctx, tx, req.RegionID, req.SetID); err != nil {
				return notFound(err, apierr.DeploymentSetNotFoundAction)
			}
			if target.ID == inst.DeploymentSetID {
				return nil
			}
		}
		if inst.DeploymentSetID != "" {
			old, err := store.GetIn[cloud.DeploymentSet](ctx, tx, req.RegionID, inst.DeploymentSetID)
			if err == nil {
				if err := store.Put(ctx, tx, old.Without(inst.ID)); err != nil {
					return err
				}
			}
		}
		inst.DeploymentSetID = ""
		if !req.Remove {
			joined, err := target.Join(inst.Zone, inst.ID)
			if err != nil {
				return err
			}
			if err := store.Put(ctx, tx, joined); err != nil {
				return err
			}
			inst.DeploymentSetID = target.ID
		}
		return store.Put(ctx, tx, inst)
	})
	if err != nil {
		return nil, err
	}
	return &ModifyInstanceDeploymentResponse{}, nil
}

package vpc

import (
	"context"
	"slices"
	"strconv"

	"github.com/ecslocal/ecslocal/internal/apierr"
	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/store"
	"github.com/ecslocal/ecslocal/internal/tagging"
)

// registerMirrorSessions adds the traffic mirror session actions.
func (s *Service) registerMirrorSessions(t *rpc.Table) {
	v := rpc.VersionVPC
	rpc.Handle(t, v, "CreateTrafficMirrorSession", s.CreateTrafficMirrorSession)
	rpc.Handle(t, v, "ListTrafficMirrorSessions", s.ListTrafficMirrorSessions)
	rpc.Handle(t, v, "UpdateTrafficMirrorSessionAttribute", s.UpdateTrafficMirrorSessionAttribute)
	rpc.Handle(t, v, "AddSourcesToTrafficMirrorSession", s.AddSourcesToTrafficMirrorSession)
	rpc.Handle(t, v, "RemoveSourcesFromTrafficMirrorSession", s.RemoveSourcesFromTrafficMirrorSession)
	rpc.Handle(t, v, "DeleteTrafficMirrorSession", s.DeleteTrafficMirrorSession)
}

// MaxMirrorSources is how many source ENIs one session takes.
const maxMirrorSources = 10

// checkMirrorSources judges new sources of a session: ENIs of the region,
// none twice, none a source of another session (an ENI is mirrored by one
// session), at most ten in the session.
func checkMirrorSources(ctx context.Context, tx store.Tx, region string, s cloud.MirrorSession, add []string) error {
	for _, id := range add {
		if _, err := store.GetIn[cloud.ENI](ctx, tx, region, id); err != nil {
			return notFound(err, apierr.MirrorSourceNotFound)
		}
		if slices.Contains(s.Sources, id) {
			return apierr.MirrorSourceDuplicated.New().WithDetail("%s is a source of %s", id, s.ID)
		}
		others, err := store.All[cloud.MirrorSession](ctx, tx, region, store.Where(string(cloud.IdxENI), id))
		if err != nil {
			return err
		}
		for _, o := range others {
			if o.ID != s.ID && slices.Contains(o.Sources, id) {
				return apierr.MirrorSourceDuplicated.New().WithDetail("%s is a source of %s", id, o.ID)
			}
		}
		s.Sources = append(s.Sources, id)
	}
	if len(s.Sources) > maxMirrorSources {
		return apierr.InvalidParameter.New("TrafficMirrorSourceIds")
	}
	return nil
}

// checkMirrorTarget judges a session's target: an ENI or an SLB instance
// of the region.
func checkMirrorTarget(ctx context.Context, tx store.Tx, region, typ, id string) error {
	var err error
	if typ == "NetworkInterface" {
		_, err = store.GetIn[cloud.ENI](ctx, tx, region, id)
	} else {
		_, err = store.GetIn[cloud.LoadBalancer](ctx, tx, region, id)
	}
	return notFound(err, apierr.MirrorTargetNotFound)
}

// CreateTrafficMirrorSessionRequest is VPC CreateTrafficMirrorSession.
type CreateTrafficMirrorSessionRequest struct {
	RegionID, FilterID, TargetID, TargetType, Name, Description, ResourceGroupID, ClientToken string
	Sources                                                                                   []string
	Priority, PacketLength, VirtualNetworkID                                                  int
	Enabled, DryRun                                                                           bool
	Tags                                                                                      []rpc.Tag
}

// Bind implements rpc.Binder.
func (r *CreateTrafficMirrorSessionRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.FilterID = p.Required("TrafficMirrorFilterId")
	r.TargetID = p.Required("TrafficMirrorTargetId")
	r.TargetType = p.Required("TrafficMirrorTargetType")
	r.Priority = p.Int("Priority", 0, 1, 32766)
	if !p.Has("Priority") {
		p.Fail(apierr.MissingParameter.New("Priority"))
	}
	r.Sources = p.List("TrafficMirrorSourceIds")
	if len(r.Sources) == 0 {
		p.Fail(apierr.MissingParameter.New("TrafficMirrorSourceIds"))
	}
	if r.TargetType != "" {
		r.TargetType = p.Enum("TrafficMirrorTargetType", "", "NetworkInterface", "SLB")
	}
	r.PacketLength = p.Int("PacketLength", 1500, 64, 9600)
	r.VirtualNetworkID = p.Int("VirtualNetworkId", 0, 0, 16777215)
	r.Enabled = p.Bool("Enabled", false)
	r.Name = p.String("TrafficMirrorSessionName")
	r.Description = p.String("TrafficMirrorSessionDescription")
	r.ResourceGroupID = p.String("ResourceGroupId")
	r.Tags = tagging.BindTags(p, "Tag")
	r.DryRun = p.Bool("DryRun", false)
	r.ClientToken = p.ClientToken()
}

// CreateTrafficMirrorSessionResponse carries the new session.
type CreateTrafficMirrorSessionResponse struct {
	rpc.Base
	TrafficMirrorSessionID string `json:"TrafficMirrorSessionId"`
	ResourceGroupID        string `json:"ResourceGroupId"`
}

// CreateTrafficMirrorSession copies the traffic of source ENIs through a
// filter to a target ENI or SLB instance.
func (s *Service) CreateTrafficMirrorSession(ctx context.Context, call *rpc.Call, req *CreateTrafficMirrorSessionRequest) (*CreateTrafficMirrorSessionResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &CreateTrafficMirrorSessionResponse{}
	fingerprint := call.Params.Fingerprint()
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		if replayed, err := store.Replay(ctx, tx, call.Action, req.ClientToken, fingerprint, resp); replayed || err != nil {
			return err
		}
		if _, err := store.GetIn[cloud.MirrorFilter](ctx, tx, req.RegionID, req.FilterID); err != nil {
			return notFound(err, apierr.MirrorFilterNotFound)
		}
		if err := checkMirrorTarget(ctx, tx, req.RegionID, req.TargetType, req.TargetID); err != nil {
			return err
		}
		ms := cloud.MirrorSession{
			ID: s.ids.ID("tms", req.RegionID), Region: req.RegionID, Name: req.Name, Description: req.Description, FilterID: req.FilterID,
			TargetID: req.TargetID, TargetType: req.TargetType, Priority: req.Priority, PacketLength: req.PacketLength,
			VirtualNetworkID: req.VirtualNetworkID, Enabled: req.Enabled, Status: "Created", Created: tx.Now(),
			ResourceGroup: cloud.ResourceGroup(call.Account, req.ResourceGroupID), Tags: tagging.Cloud(req.Tags),
		}
		if err := checkMirrorSources(ctx, tx, req.RegionID, ms, req.Sources); err != nil {
			return err
		}
		ms.Sources = req.Sources
		if req.DryRun {
			return apierr.DryRunOperation.New()
		}
		if err := store.Put(ctx, tx, ms); err != nil {
			return err
		}
		resp.TrafficMirrorSessionID, resp.ResourceGroupID = ms.ID, ms.ResourceGroup
		return store.Remember(ctx, tx, call.Action, req.ClientToken, fingerprint, resp)
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// ListTrafficMirrorSessionsRequest is VPC ListTrafficMirrorSessions.
type ListTrafficMirrorSessionsRequest struct {
	RegionID             string
	IDs                  []string
	Filters              []store.Filter
	Enabled              *bool
	Priority, VirtualNet *int
	offsetPaging
}

// Bind implements rpc.Binder.
func (r *ListTrafficMirrorSessionsRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.IDs = p.List("TrafficMirrorSessionIds")
	r.Filters = append(r.Filters, bindWhere(p, []where{
		{"TrafficMirrorSessionName", "name"}, {"ResourceGroupId", "resourceGroup"}, {"TrafficMirrorFilterId", "table"},
		{"TrafficMirrorTargetId", "backend"}, {"TrafficMirrorSourceId", cloud.IdxENI},
	})...)
	r.Filters = append(r.Filters, tagging.Filters(tagging.BindTags(p, "Tags"))...)
	r.Enabled = p.OptBool("Enabled")
	r.Priority = p.OptInt("Priority", 1, 32766)
	r.VirtualNet = p.OptInt("VirtualNetworkId", 0, 16777215)
	r.bindPaging(p)
}

// MirrorSessionItem is one session of ListTrafficMirrorSessions.
type MirrorSessionItem struct {
	TrafficMirrorSessionID             string    `json:"TrafficMirrorSessionId"`
	TrafficMirrorSessionName           string    `json:"TrafficMirrorSessionName"`
	TrafficMirrorSessionDescription    string    `json:"TrafficMirrorSessionDescription"`
	TrafficMirrorSessionStatus         string    `json:"TrafficMirrorSessionStatus"`
	TrafficMirrorSessionBusinessStatus string    `json:"TrafficMirrorSessionBusinessStatus"`
	TrafficMirrorFilterID              string    `json:"TrafficMirrorFilterId"`
	TrafficMirrorSourceIDs             []string  `json:"TrafficMirrorSourceIds"`
	TrafficMirrorTargetID              string    `json:"TrafficMirrorTargetId"`
	TrafficMirrorTargetType            string    `json:"TrafficMirrorTargetType"`
	Priority                           int       `json:"Priority"`
	PacketLength                       int       `json:"PacketLength"`
	VirtualNetworkID                   int       `json:"VirtualNetworkId"`
	Enabled                            bool      `json:"Enabled"`
	CreationTime                       string    `json:"CreationTime"`
	ResourceGroupID                    string    `json:"ResourceGroupId"`
	Tags                               []TagItem `json:"Tags"`
}

// ListTrafficMirrorSessionsResponse pages TrafficMirrorSessions[].
type ListTrafficMirrorSessionsResponse struct {
	rpc.Base
	TrafficMirrorSessions []MirrorSessionItem `json:"TrafficMirrorSessions"`
	NextToken             string              `json:"NextToken"`
	TotalCount            string              `json:"TotalCount"`
}

// ListTrafficMirrorSessions lists a region's sessions; Enabled, Priority
// and VirtualNetworkId narrow the indexed result.
func (s *Service) ListTrafficMirrorSessions(ctx context.Context, call *rpc.Call, req *ListTrafficMirrorSessionsRequest) (*ListTrafficMirrorSessionsResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &ListTrafficMirrorSessionsResponse{TrafficMirrorSessions: []MirrorSessionItem{}}
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		all, _, err := store.Find[cloud.MirrorSession](ctx, tx, store.Query{Region: req.RegionID, IDs: req.IDs, Filters: req.Filters, Limit: 1 << 30})
		if err != nil {
			return err
		}
		var list []cloud.MirrorSession
		for _, m := range all {
			if (req.Enabled == nil || *req.Enabled == m.Enabled) && (req.Priority == nil || *req.Priority == m.Priority) &&
				(req.VirtualNet == nil || *req.VirtualNet == m.VirtualNetworkID) {
				list = append(list, m)
			}
		}
		from, to, next := pageOf(len(list), req.Offset, req.Max)
		page := list[from:to]
		for _, m := range page {
			resp.TrafficMirrorSessions = append(resp.TrafficMirrorSessions, MirrorSessionItem{
				TrafficMirrorSessionID: m.ID, TrafficMirrorSessionName: m.Name, TrafficMirrorSessionDescription: m.Description,
				TrafficMirrorSessionStatus: m.Status, TrafficMirrorSessionBusinessStatus: "Normal", TrafficMirrorFilterID: m.FilterID,
				TrafficMirrorSourceIDs: append([]string{}, m.Sources...), TrafficMirrorTargetID: m.TargetID, TrafficMirrorTargetType: m.TargetType,
				Priority: m.Priority, PacketLength: m.PacketLength, VirtualNetworkID: m.VirtualNetworkID, Enabled: m.Enabled,
				CreationTime: cloud.FormatSecond(m.Created), ResourceGroupID: m.ResourceGroup, Tags: tagsOf(m.Tags).Tag,
			})
		}
		resp.TotalCount = strconv.Itoa(len(list))
		resp.NextToken = next
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// changeMirrorSession runs change on a session, then writes it back (keep)
// or deletes it.
func (s *Service) changeMirrorSession(ctx context.Context, call *rpc.Call, region, id string, dryRun bool, change func(store.Tx, *cloud.MirrorSession) (bool, error)) (*rpc.Base, error) {
	if err := changeOne(ctx, s, call, region, id, apierr.MirrorSessionNotFound, dryRun, change); err != nil {
		return nil, err
	}
	return &rpc.Base{}, nil
}

// UpdateTrafficMirrorSessionAttributeRequest is the VPC action.
type UpdateTrafficMirrorSessionAttributeRequest struct {
	RegionID, ID                                      string
	Name, Description, FilterID, TargetID, TargetType *string
	Priority, PacketLength, VirtualNetworkID          *int
	Enabled                                           *bool
	DryRun                                            bool
}

// Bind implements rpc.Binder.
func (r *UpdateTrafficMirrorSessionAttributeRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.ID = p.Required("TrafficMirrorSessionId")
	r.Name = optString(p, "TrafficMirrorSessionName")
	r.Description = optString(p, "TrafficMirrorSessionDescription")
	r.FilterID = optString(p, "TrafficMirrorFilterId")
	r.TargetID = optString(p, "TrafficMirrorTargetId")
	if v := p.Enum("TrafficMirrorTargetType", "", "NetworkInterface", "SLB"); v != "" {
		r.TargetType = &v
	}
	r.Priority = p.OptInt("Priority", 1, 32766)
	r.PacketLength = p.OptInt("PacketLength", 64, 9600)
	r.VirtualNetworkID = p.OptInt("VirtualNetworkId", 0, 16777215)
	r.Enabled = p.OptBool("Enabled")
	r.DryRun = p.Bool("DryRun", false)
	p.ClientToken()
}

// UpdateTrafficMirrorSessionAttribute changes a session: its filter and
// target judged as at creation.
func (s *Service) UpdateTrafficMirrorSessionAttribute(ctx context.Context, call *rpc.Call, req *UpdateTrafficMirrorSessionAttributeRequest) (*rpc.Base, error) {
	return s.changeMirrorSession(ctx, call, req.RegionID, req.ID, req.DryRun, func(tx store.Tx, m *cloud.MirrorSession) (bool, error) {
		if req.FilterID != nil {
			if _, err := store.GetIn[cloud.MirrorFilter](ctx, tx, m.Region, *req.FilterID); err != nil {
				return true, notFound(err, apierr.MirrorFilterNotFound)
			}
			m.FilterID = *req.FilterID
		}
		if req.TargetID != nil || req.TargetType != nil {
			if req.TargetID != nil {
				m.TargetID = *req.TargetID
			}
			if req.TargetType != nil {
				m.TargetType = *req.TargetType
			}
			if err := checkMirrorTarget(ctx, tx, m.Region, m.TargetType, m.TargetID); err != nil {
				return true, err
			}
		}
		for _, c := range []struct {
			v  *string
			to *string
		}{{req.Name, &m.Name}, {req.Description, &m.Description}} {
			if c.v != nil {
				*c.to = *c.v
			}
		}
		for _, c := range []struct {
			v  *int
			to *int
		}{{req.Priority, &m.Priority}, {req.PacketLength, &m.PacketLength}, {req.VirtualNetworkID, &m.VirtualNetworkID}} {
			if c.v != nil {
				*c.to = *c.v
			}
		}
		if req.Enabled != nil {
			m.Enabled = *req.Enabled
		}
		return true, nil
	})
}

// MirrorSourcesRequest is AddSourcesToTrafficMirrorSession and
// RemoveSourcesFromTrafficMirrorSession.
type MirrorSourcesRequest struct {
	RegionID, ID string
	Sources      []string
	DryRun       bool
}

// Bind implements rpc.Binder.
func (r *MirrorSourcesRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.ID = p.Required("TrafficMirrorSessionId")
	r.Sources = p.List("TrafficMirrorSourceIds")
	if len(r.Sources) == 0 {
		p.Fail(apierr.MissingParameter.New("TrafficMirrorSourceIds"))
	}
	r.DryRun = p.Bool("DryRun", false)
	p.ClientToken()
}

// AddSourcesToTrafficMirrorSession adds source ENIs, all or none.
func (s *Service) AddSourcesToTrafficMirrorSession(ctx context.Context, call *rpc.Call, req *MirrorSourcesRequest) (*rpc.Base, error) {
	return s.changeMirrorSession(ctx, call, req.RegionID, req.ID, req.DryRun, func(tx store.Tx, m *cloud.MirrorSession) (bool, error) {
		if err := checkMirrorSources(ctx, tx, m.Region, *m, req.Sources); err != nil {
			return true, err
		}
		m.Sources = append(m.Sources, req.Sources...)
		return true, nil
	})
}

// RemoveSourcesFromTrafficMirrorSession removes source ENIs, all or none.
func (s *Service) RemoveSourcesFromTrafficMirrorSession(ctx context.Context, call *rpc.Call, req *MirrorSourcesRequest) (*rpc.Base, error) {
	return s.changeMirrorSession(ctx, call, req.RegionID, req.ID, req.DryRun, func(_ store.Tx, m *cloud.MirrorSession) (bool, error) {
		for _, id := range req.Sources {
			i := slices.Index(m.Sources, id)
			if i < 0 {
				return true, apierr.MirrorSourceNotInSession.New().WithDetail("%s is not a source of %s", id, m.ID)
			}
			m.Sources = slices.Delete(m.Sources, i, i+1)
		}
		return true, nil
	})
}

// MirrorSessionRequest names one session (DeleteTrafficMirrorSession).
type MirrorSessionRequest struct {
	RegionID, ID string
	DryRun       bool
}

// Bind implements rpc.Binder.
func (r *MirrorSessionRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.ID = p.Required("TrafficMirrorSessionId")
	r.DryRun = p.Bool("DryRun", false)
	p.ClientToken()
}

// DeleteTrafficMirrorSession removes a session at once.
func (s *Service) DeleteTrafficMirrorSession(ctx context.Context, call *rpc.Call, req *MirrorSessionRequest) (*rpc.Base, error) {
	return s.changeMirrorSession(ctx, call, req.RegionID, req.ID, req.DryRun, func(store.Tx, *cloud.MirrorSession) (bool, error) { return false, nil })
}

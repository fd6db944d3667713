package slb

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/ecslocal/ecslocal/internal/apierr"
	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/store"
)

// groupServers reads a VServer group's BackendServers-shaped parameter:
// a JSON array of {ServerId, Port, Weight, Type, Description}; numbers may
// come as strings, single quotes are accepted as in BackendServers.
func groupServers(p *rpc.Params, name string, required bool) []cloud.VServerBackend {
	var raw string
	if required {
		raw = p.Required(name)
	} else {
		raw = p.String(name)
	}
	if raw = strings.TrimSpace(raw); raw == "" {
		return nil
	}
	var items []struct {
		ServerID    string          `json:"ServerId"`
		Port        json.RawMessage `json:"Port"`
		Weight      json.RawMessage `json:"Weight"`
		Type        string          `json:"Type"`
		Description string          `json:"Description"`
	}
	if err := json.Unmarshal([]byte(singleQuoted(raw)), &items); err != nil {
		p.Fail(apierr.InvalidParameter.New(name))
		return nil
	}
	if len(items) > cloud.MaxBackendsCall {
		p.Fail(apierr.TooManyBackendServers.New())
		return nil
	}
	num := func(m json.RawMessage) (int, bool) {
		s := strings.Trim(strings.TrimSpace(string(m)), `"`)
		if s == "" || s == "null" {
			return 0, false
		}
		n, err := strconv.Atoi(s)
		return n, err == nil
	}
	out := make([]cloud.VServerBackend, 0, len(items))
	for _, it := range items {
		b := cloud.VServerBackend{ServerID: strings.TrimSpace(it.ServerID), Weight: cloud.DefaultWeight, Type: it.Type, Description: it.Description}
		if b.Type == "" {
			b.Type = cloud.BackendECS
		}
		port, ok := num(it.Port)
		if b.ServerID == "" || !ok || port < 1 || port > 65535 || (b.Type != cloud.BackendECS && b.Type != cloud.BackendENI) {
			p.Fail(apierr.InvalidParameter.New(name))
			return nil
		}
		b.Port = port
		if len(it.Weight) > 0 {
			w, ok := num(it.Weight)
			if ok && (w < 0 || w > 100) || !ok && strings.Trim(string(it.Weight), `" `) != "" && string(it.Weight) != "null" {
				p.Fail(apierr.InvalidBackendWeight.New())
				return nil
			}
			if ok {
				b.Weight = w
			}
		}
		out = append(out, b)
	}
	return out
}

// GroupServer is one member as the VServer group answers show it.
type GroupServer struct {
	ServerID    string `json:"ServerId"`
	Port        int    `json:"Port"`
	Weight      int    `json:"Weight"`
	Type        string `json:"Type"`
	Description string `json:"Description"`
}

// GroupServers is the BackendServers.BackendServer[] wrapper.
type GroupServers struct {
	BackendServer []GroupServer `json:"BackendServer"`
}

func groupServerList(g cloud.VServerGroup) GroupServers {
	out := GroupServers{BackendServer: make([]GroupServer, 0, len(g.Backends))}
	for _, b := range g.Backends {
		out.BackendServer = append(out.BackendServer, GroupServer{ServerID: b.ServerID, Port: b.Port, Weight: b.Weight, Type: b.Type, Description: b.Description})
	}
	return out
}

// vServerGroup reads a group of region; the cloud's not-found answer when unknown.
func vServerGroup(ctx context.Context, tx store.Tx, region, id string) (cloud.VServerGroup, error) {
	g, err := store.GetIn[cloud.VServerGroup](ctx, tx, region, id)
	if err != nil {
		return g, notFound(err, apierr.VServerGroupNotFound)
	}
	return g, nil
}

// checkGroupServers judges new members as AddBackendServers does.
func checkGroupServers(ctx context.Context, tx store.Tx, l cloud.LoadBalancer, servers []cloud.VServerBackend) error {
	for _, b := range servers {
		if err := checkServer(ctx, tx, l, cloud.BackendServer{ServerID: b.ServerID, Type: b.Type}); err != nil {
			return err
		}
	}
	return nil
}

// CreateVServerGroupRequest is CreateVServerGroup.
type CreateVServerGroupRequest struct {
	RegionID, LoadBalancerID, Name string
	Servers                        []cloud.VServerBackend
}

// Bind implements rpc.Binder.
func (r *CreateVServerGroupRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.LoadBalancerID = p.Required("LoadBalancerId")
	r.Name = p.String("VServerGroupName")
	r.Servers = groupServers(p, "BackendServers", false)
}

// GroupResponse is the answer of the actions that change a group's members.
type GroupResponse struct {
	rpc.Base
	VServerGroupID string       `json:"VServerGroupId"`
	BackendServers GroupServers `json:"BackendServers"`
}

// CreateVServerGroup makes a group of a load balancer with its first members.
func (s *Service) CreateVServerGroup(ctx context.Context, call *rpc.Call, req *CreateVServerGroupRequest) (*GroupResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &GroupResponse{}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		l, err := loadBalancer(ctx, tx, req.RegionID, req.LoadBalancerID)
		if err != nil {
			return err
		}
		if err := checkGroupServers(ctx, tx, l, req.Servers); err != nil {
			return err
		}
		window, err := configuringWindow(ctx, tx)
		if err != nil {
			return err
		}
		g := cloud.VServerGroup{ID: s.ids.ID("rsp", req.RegionID), Region: req.RegionID, Name: req.Name, LoadBalancerID: l.ID, Created: tx.Now()}
		if len(req.Servers) > 0 {
			if g, err = cloud.AddGroupBackends(g, req.Servers, tx.Now(), window); err != nil {
				return err
			}
		}
		if err := store.Put(ctx, tx, g); err != nil {
			return err
		}
		resp.VServerGroupID, resp.BackendServers = g.ID, groupServerList(g)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// GroupRequest names one group.
type GroupRequest struct{ RegionID, VServerGroupID string }

// Bind implements rpc.Binder.
func (r *GroupRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.VServerGroupID = p.Required("VServerGroupId")
}

// DescribeVServerGroupAttributeResponse is one group with its members.
type DescribeVServerGroupAttributeResponse struct {
	rpc.Base
	VServerGroupID   string       `json:"VServerGroupId"`
	VServerGroupName string       `json:"VServerGroupName"`
	LoadBalancerID   string       `json:"LoadBalancerId"`
	CreateTime       string       `json:"CreateTime"`
	BackendServers   GroupServers `json:"BackendServers"`
}

// DescribeVServerGroupAttribute shows one group.
func (s *Service) DescribeVServerGroupAttribute(ctx context.Context, call *rpc.Call, req *GroupRequest) (*DescribeVServerGroupAttributeResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &DescribeVServerGroupAttributeResponse{}
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		g, err := vServerGroup(ctx, tx, req.RegionID, req.VServerGroupID)
		if err != nil {
			return err
		}
		*resp = DescribeVServerGroupAttributeResponse{VServerGroupID: g.ID, VServerGroupName: g.Name, LoadBalancerID: g.LoadBalancerID,
			CreateTime: cloud.FormatMinute(g.Created), BackendServers: groupServerList(g)}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// DescribeVServerGroupsRequest is DescribeVServerGroups.
type DescribeVServerGroupsRequest struct {
	RegionID, LoadBalancerID, Description string
}

// Bind implements rpc.Binder.
func (r *DescribeVServerGroupsRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.LoadBalancerID = p.Required("LoadBalancerId")
	r.Description = p.String("Description")
}

// VServerGroupItem is one group of DescribeVServerGroups.
type VServerGroupItem struct {
	VServerGroupID   string `json:"VServerGroupId"`
	VServerGroupName string `json:"VServerGroupName"`
	ServerCount      int    `json:"ServerCount"`
	CreateTime       string `json:"CreateTime"`
}

// DescribeVServerGroupsResponse wraps VServerGroups.VServerGroup[].
type DescribeVServerGroupsResponse struct {
	rpc.Base
	VServerGroups struct {
		VServerGroup []VServerGroupItem `json:"VServerGroup"`
	} `json:"VServerGroups"`
}

// DescribeVServerGroups lists a load balancer's groups, found through
// their load balancer index; Description filters by name.
func (s *Service) DescribeVServerGroups(ctx context.Context, call *rpc.Call, req *DescribeVServerGroupsRequest) (*DescribeVServerGroupsResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &DescribeVServerGroupsResponse{}
	resp.VServerGroups.VServerGroup = []VServerGroupItem{}
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		if _, err := loadBalancer(ctx, tx, req.RegionID, req.LoadBalancerID); err != nil {
			return err
		}
		q := store.Query{Region: req.RegionID, Filters: []store.Filter{store.Where(string(cloud.IdxLoadBalancer), req.LoadBalancerID)}, Limit: 1 << 30}
		groups, _, err := store.Find[cloud.VServerGroup](ctx, tx, q)
		if err != nil {
			return err
		}
		for _, g := range groups {
			if req.Description != "" && g.Name != req.Description {
				continue
			}
			resp.VServerGroups.VServerGroup = append(resp.VServerGroups.VServerGroup, VServerGroupItem{
				VServerGroupID: g.ID, VServerGroupName: g.Name, ServerCount: len(g.Backends), CreateTime: cloud.FormatMinute(g.Created)})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// DeleteVServerGroup removes a group no listener forwards to.
func (s *Service) DeleteVServerGroup(ctx context.Context, call *rpc.Call, req *GroupRequest) (*EmptyResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		g, err := vServerGroup(ctx, tx, req.RegionID, req.VServerGroupID)
		if err != nil {
			return err
		}
		if l, err := store.Get[cloud.LoadBalancer](ctx, tx, g.LoadBalancerID); err == nil {
			if used := l.ListenersUsing("VServerGroupId", g.ID); len(used) > 0 {
				return apierr.VServerGroupInUse.New().WithDetail("listener %s/%d forwards to %s", used[0].Protocol, used[0].Port, g.ID)
			}
		}
		return store.Delete[cloud.VServerGroup](ctx, tx, g.ID)
	})
	if err != nil {
		return nil, err
	}
	return &EmptyResponse{}, nil
}

// GroupServersRequest is Add/RemoveVServerGroupBackendServers.
type GroupServersRequest struct {
	RegionID, VServerGroupID string
	Servers                  []cloud.VServerBackend
}

// Bind implements rpc.Binder.
func (r *GroupServersRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.VServerGroupID = p.Required("VServerGroupId")
	r.Servers = groupServers(p, "BackendServers", true)
}

// changeGroup runs one member change of a group in a transaction.
func (s *Service) changeGroup(ctx context.Context, call *rpc.Call, region, id string,
	change func(store.Tx, cloud.VServerGroup, cloud.Duration) (cloud.VServerGroup, error)) (cloud.VServerGroup, error) {
	var out cloud.VServerGroup
	if err := s.checkRegion(region); err != nil {
		return out, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		g, err := vServerGroup(ctx, tx, region, id)
		if err != nil {
			return err
		}
		window, err := configuringWindow(ctx, tx)
		if err != nil {
			return err
		}
		if out, err = change(tx, g, window); err != nil {
			return err
		}
		return store.Put(ctx, tx, out)
	})
	return out, err
}

// groupLoadBalancer reads the load balancer a group belongs to.
func groupLoadBalancer(ctx context.Context, tx store.Tx, g cloud.VServerGroup) (cloud.LoadBalancer, error) {
	return loadBalancer(ctx, tx, g.Region, g.LoadBalancerID)
}

// AddVServerGroupBackendServers adds server:port members; only Running
// instances (and ENIs) of the load balancer's network may join.
func (s *Service) AddVServerGroupBackendServers(ctx context.Context, call *rpc.Call, req *GroupServersRequest) (*GroupResponse, error) {
	g, err := s.changeGroup(ctx, call, req.RegionID, req.VServerGroupID, func(tx store.Tx, g cloud.VServerGroup, w cloud.Duration) (cloud.VServerGroup, error) {
		l, err := groupLoadBalancer(ctx, tx, g)
		if err != nil {
			return g, err
		}
		if err := checkGroupServers(ctx, tx, l, req.Servers); err != nil {
			return g, err
		}
		return cloud.AddGroupBackends(g, req.Servers, tx.Now(), w)
	})
	if err != nil {
		return nil, err
	}
	return &GroupResponse{VServerGroupID: g.ID, BackendServers: groupServerList(g)}, nil
}

// RemoveVServerGroupBackendServers removes server:port members.
func (s *Service) RemoveVServerGroupBackendServers(ctx context.Context, call *rpc.Call, req *GroupServersRequest) (*GroupResponse, error) {
	g, err := s.changeGroup(ctx, call, req.RegionID, req.VServerGroupID, func(tx store.Tx, g cloud.VServerGroup, w cloud.Duration) (cloud.VServerGroup, error) {
		return cloud.RemoveGroupBackends(g, req.Servers, tx.Now(), w)
	})
	if err != nil {
		return nil, err
	}
	return &GroupResponse{VServerGroupID: g.ID, BackendServers: groupServerList(g)}, nil
}

// ModifyGroupServersRequest is ModifyVServerGroupBackendServers.
type ModifyGroupServersRequest struct {
	RegionID, VServerGroupID string
	Old, New                 []cloud.VServerBackend
}

// Bind implements rpc.Binder.
func (r *ModifyGroupServersRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.VServerGroupID = p.Required("VServerGroupId")
	r.Old = groupServers(p, "OldBackendServers", false)
	r.New = groupServers(p, "NewBackendServers", false)
}

// ModifyVServerGroupBackendServers replaces the old members by the new
// ones in one change.
func (s *Service) ModifyVServerGroupBackendServers(ctx context.Context, call *rpc.Call, req *ModifyGroupServersRequest) (*GroupResponse, error) {
	g, err := s.changeGroup(ctx, call, req.RegionID, req.VServerGroupID, func(tx store.Tx, g cloud.VServerGroup, w cloud.Duration) (cloud.VServerGroup, error) {
		l, err := groupLoadBalancer(ctx, tx, g)
		if err != nil {
			return g, err
		}
		if err := checkGroupServers(ctx, tx, l, req.New); err != nil {
			return g, err
		}
		next, err := cloud.RemoveGroupBackends(g, req.Old, tx.Now(), w)
		if err != nil {
			return g, err
		}
		next.ConfiguringUntil = g.ConfiguringUntil // one change, one window
		return cloud.AddGroupBackends(next, req.New, tx.Now(), w)
	})
	if err != nil {
		return nil, err
	}
	return &GroupResponse{VServerGroupID: g.ID, BackendServers: groupServerList(g)}, nil
}

// SetVServerGroupAttributeRequest is SetVServerGroupAttribute.
type SetVServerGroupAttributeRequest struct {
	RegionID, VServerGroupID, Name string
	Servers                        []cloud.VServerBackend
}

// Bind implements rpc.Binder.
func (r *SetVServerGroupAttributeRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.VServerGroupID = p.Required("VServerGroupId")
	r.Name = p.String("VServerGroupName")
	r.Servers = groupServers(p, "BackendServers", false)
}

// SetVServerGroupAttributeResponse is the group after the change.
type SetVServerGroupAttributeResponse struct {
	rpc.Base
	VServerGroupID   string       `json:"VServerGroupId"`
	VServerGroupName string       `json:"VServerGroupName"`
	BackendServers   GroupServers `json:"BackendServers"`
}

// SetVServerGroupAttribute renames a group and changes its members'
// weights; a rename alone opens no window [choice].
func (s *Service) SetVServerGroupAttribute(ctx context.Context, call *rpc.Call, req *SetVServerGroupAttributeRequest) (*SetVServerGroupAttributeResponse, error) {
	g, err := s.changeGroup(ctx, call, req.RegionID, req.VServerGroupID, func(tx store.Tx, g cloud.VServerGroup, w cloud.Duration) (cloud.VServerGroup, error) {
		if req.Name != "" {
			g.Name = req.Name
		}
		if len(req.Servers) == 0 {
			return g, nil
		}
		return cloud.SetGroupBackends(g, req.Servers, tx.Now(), w)
	})
	if err != nil {
		return nil, err
	}
	return &SetVServerGroupAttributeResponse{VServerGroupID: g.ID, VServerGroupName: g.Name, BackendServers: groupServerList(g)}, nil
}

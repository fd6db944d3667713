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

// singleQuoted rewrites the single-quoted strings of a lenient JSON text as
// JSON strings: the SLB API parses leniently, and the alicloud Terraform
// provider sends [{'ServerId':'i-…','Weight':'100', 'Type': 'ecs'}].
func singleQuoted(raw string) string {
	if !strings.Contains(raw, "'") {
		return raw
	}
	var b strings.Builder
	quote := byte(0) // the quote of the string being copied, 0 outside one
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		switch {
		case quote != 0 && c == '\\' && i+1 < len(raw):
			if quote == '\'' && raw[i+1] == '\'' {
				b.WriteByte('\'') // \' inside '…' is a plain quote
			} else {
				b.WriteByte(c)
				b.WriteByte(raw[i+1])
			}
			i++
		case quote == 0 && (c == '"' || c == '\''):
			quote = c
			b.WriteByte('"')
		case quote != 0 && c == quote:
			quote = 0
			b.WriteByte('"')
		case quote == '\'' && c == '"':
			b.WriteString(`\"`)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// backendServers reads the BackendServers parameter, a JSON array of
// {ServerId, Weight, Type, Description} whose numbers may come as strings
// (the references' own examples send "Weight":"100"). Bare server ids
// ["i-…"] are accepted too, as older RemoveBackendServers callers send them.
// Weight defaults to 100, Type to ecs.
func backendServers(p *rpc.Params) []cloud.BackendServer {
	raw := strings.TrimSpace(p.Required("BackendServers"))
	if raw == "" {
		return nil
	}
	var items []json.RawMessage
	if err := json.Unmarshal([]byte(singleQuoted(raw)), &items); err != nil {
		p.Fail(apierr.InvalidBackendServers.New())
		return nil
	}
	if len(items) > cloud.MaxBackendsCall {
		p.Fail(apierr.TooManyBackendServers.New())
		return nil
	}
	out := make([]cloud.BackendServer, 0, len(items))
	for _, it := range items {
		var id string
		if json.Unmarshal(it, &id) == nil {
			out = append(out, cloud.BackendServer{ServerID: id, Weight: cloud.DefaultWeight, Type: cloud.BackendECS})
			continue
		}
		var o struct {
			ServerID    string          `json:"ServerId"`
			Weight      json.RawMessage `json:"Weight"`
			Type        string          `json:"Type"`
			Description string          `json:"Description"`
			ServerIP    string          `json:"ServerIp"`
		}
		if err := json.Unmarshal(it, &o); err != nil || strings.TrimSpace(o.ServerID) == "" {
			p.Fail(apierr.InvalidBackendServers.New())
			return nil
		}
		b := cloud.BackendServer{ServerID: strings.TrimSpace(o.ServerID), Weight: cloud.DefaultWeight, Type: o.Type, Description: o.Description, ServerIP: strings.TrimSpace(o.ServerIP)}
		if b.Type == "" {
			b.Type = cloud.BackendECS
		}
		if b.Type != cloud.BackendECS && b.Type != cloud.BackendENI {
			p.Fail(apierr.InvalidBackendServers.New())
			return nil
		}
		if w := strings.Trim(strings.TrimSpace(string(o.Weight)), `"`); w != "" && w != "null" {
			n, err := strconv.Atoi(w)
			if err != nil || n < 0 || n > 100 {
				p.Fail(apierr.InvalidBackendWeight.New())
				return nil
			}
			b.Weight = n
		}
		out = append(out, b)
	}
	return out
}

// BackendServerItem is one backend as RemoveBackendServers answers it.
type BackendServerItem struct {
	ServerID    string `json:"ServerId"`
	Weight      int    `json:"Weight"`
	Type        string `json:"Type"`
	Description string `json:"Description"`
}

// BackendServersList is the BackendServers.BackendServer[] wrapper.
type BackendServersList struct {
	BackendServer []BackendServerItem `json:"BackendServer"`
}

func backendList(l cloud.LoadBalancer) BackendServersList {
	out := BackendServersList{BackendServer: make([]BackendServerItem, 0, len(l.Backends))}
	for _, b := range l.Backends {
		out.BackendServer = append(out.BackendServer, BackendServerItem{ServerID: b.ServerID, Weight: b.Weight, Type: b.Type, Description: b.Description})
	}
	return out
}

// BackendServersRequest is the shape AddBackendServers, RemoveBackendServers
// and SetBackendServers share (§5.8).
type BackendServersRequest struct {
	RegionID, LoadBalancerID string
	Servers                  []cloud.BackendServer
}

// Bind implements rpc.Binder.
func (r *BackendServersRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.LoadBalancerID = p.Required("LoadBalancerId")
	r.Servers = backendServers(p)
}

// BackendServersResponse is the load balancer's whole backend list after
// the change.
type BackendServersResponse struct {
	rpc.Base
	LoadBalancerID string             `json:"LoadBalancerId"`
	BackendServers BackendServersList `json:"BackendServers"`
}

// BackendServerTextItem is a backend whose Weight travels as a string, as
// the reference types it in the AddBackendServers and SetBackendServers
// answers (RemoveBackendServers' answer has a number).
type BackendServerTextItem struct {
	ServerID    string `json:"ServerId"`
	Weight      int    `json:"Weight,string"`
	Type        string `json:"Type"`
	Description string `json:"Description"`
}

// BackendServersTextResponse is BackendServersResponse with string weights.
type BackendServersTextResponse struct {
	rpc.Base
	LoadBalancerID string `json:"LoadBalancerId"`
	BackendServers struct {
		BackendServer []BackendServerTextItem `json:"BackendServer"`
	} `json:"BackendServers"`
}

// textWeights turns an answer into its string-weight form.
func textWeights(r *BackendServersResponse, err error) (*BackendServersTextResponse, error) {
	if err != nil {
		return nil, err
	}
	out := &BackendServersTextResponse{LoadBalancerID: r.LoadBalancerID}
	out.BackendServers.BackendServer = make([]BackendServerTextItem, 0, len(r.BackendServers.BackendServer))
	for _, b := range r.BackendServers.BackendServer {
		out.BackendServers.BackendServer = append(out.BackendServers.BackendServer, BackendServerTextItem(b))
	}
	return out, nil
}

// AddBackendServers adds servers to the default group. Repeated servers of
// one call: the first wins. Only Running instances (and existing ENIs) of
// the load balancer's VPC may be added; the change opens the configuring
// window, in which further writes and the release of any backend fail.
func (s *Service) AddBackendServers(ctx context.Context, call *rpc.Call, req *BackendServersRequest) (*BackendServersTextResponse, error) {
	return textWeights(s.changeBackends(ctx, call, req, func(tx store.Tx, l cloud.LoadBalancer, w cloud.Duration) (cloud.LoadBalancer, error) {
		servers := cloud.FirstWins(req.Servers)
		for _, b := range servers {
			if err := checkServer(ctx, tx, l, b); err != nil {
				return l, err
			}
		}
		return cloud.AddBackends(l, servers, tx.Now(), w)
	}))
}

// checkServer judges one server AddBackendServers names.
func checkServer(ctx context.Context, tx store.Tx, l cloud.LoadBalancer, b cloud.BackendServer) error {
	vpcID := ""
	if l.NetworkType == "vpc" {
		vpcID = l.VpcID
	}
	if b.Type == cloud.BackendENI {
		e, err := store.GetIn[cloud.ENI](ctx, tx, l.Region, b.ServerID)
		if err != nil {
			return notFound(err, apierr.InvalidServerIDNotFound)
		}
		if vpcID != "" && e.VpcID != vpcID {
			return apierr.BackendNetworkMismatch.New().WithDetail("ENI %s is in %s", e.ID, e.VpcID)
		}
		return nil
	}
	i, err := store.GetIn[cloud.Instance](ctx, tx, l.Region, b.ServerID)
	if err != nil {
		return notFound(err, apierr.InvalidServerIDNotFound)
	}
	return cloud.CheckBackendInstance(i, vpcID)
}

// RemoveBackendServers removes servers from the default group; servers that
// are not members are ignored [doc]. It opens the configuring window too [choice].
func (s *Service) RemoveBackendServers(ctx context.Context, call *rpc.Call, req *BackendServersRequest) (*BackendServersResponse, error) {
	return s.changeBackends(ctx, call, req, func(tx store.Tx, l cloud.LoadBalancer, w cloud.Duration) (cloud.LoadBalancer, error) {
		ids := make([]string, len(req.Servers))
		for i, b := range req.Servers {
			ids[i] = b.ServerID
		}
		return cloud.RemoveBackends(l, ids, tx.Now(), w)
	})
}

// SetBackendServers changes the weights of members; others are ignored [choice].
func (s *Service) SetBackendServers(ctx context.Context, call *rpc.Call, req *BackendServersRequest) (*BackendServersTextResponse, error) {
	return textWeights(s.changeBackends(ctx, call, req, func(tx store.Tx, l cloud.LoadBalancer, w cloud.Duration) (cloud.LoadBalancer, error) {
		return cloud.SetBackends(l, req.Servers, tx.Now(), w)
	}))
}

// changeBackends runs one backend action in a transaction: load the load
// balancer, refuse while it is configuring, apply change, store.
func (s *Service) changeBackends(ctx context.Context, call *rpc.Call, req *BackendServersRequest,
	change func(store.Tx, cloud.LoadBalancer, cloud.Duration) (cloud.LoadBalancer, error)) (*BackendServersResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &BackendServersResponse{}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		l, err := loadBalancer(ctx, tx, req.RegionID, req.LoadBalancerID)
		if err != nil {
			return err
		}
		if err := cloud.CheckSLBWrite(l, tx.Now()); err != nil {
			return err
		}
		window, err := configuringWindow(ctx, tx)
		if err != nil {
			return err
		}
		next, err := change(tx, l, window)
		if err != nil {
			return err
		}
		if err := store.Put(ctx, tx, next); err != nil {
			return err
		}
		resp.LoadBalancerID, resp.BackendServers = next.ID, backendList(next)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

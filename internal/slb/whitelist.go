package slb

// The older per-listener whitelist (before access control lists): a status
// and a list of source addresses kept in the listener's settings.

import (
	"context"
	"slices"
	"strings"

	"github.com/ecslocal/ecslocal/internal/apierr"
	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/store"
)

// Whitelist statuses and the settings that hold them.
const (
	whiteListOpen   = "open_white_list"
	whiteListClosed = "close"
	settingWLStatus = "AccessControlStatus"
	settingWLItems  = "SourceItems"
)

// WhiteListRequest is Set/Describe…AccessControl… and Add/Remove…WhiteListItem.
type WhiteListRequest struct {
	ListenerKey
	Status string
	Items  []string
}

func (r *WhiteListRequest) bindKey(p *rpc.Params) {
	r.ListenerKey.bind(p)
	r.Protocol = p.Enum("ListenerProtocol", "", cloud.ProtoTCP, cloud.ProtoUDP, cloud.ProtoHTTP, cloud.ProtoHTTPS)
}

// sourceItems reads SourceItems: comma-separated IPv4 addresses or blocks,
// stored masked.
func sourceItems(p *rpc.Params) []string {
	var out []string
	for _, it := range strings.Split(p.Required("SourceItems"), ",") {
		if it = strings.TrimSpace(it); it == "" {
			continue
		}
		cidr, ok := cloud.CheckACLEntry("ipv4", it)
		if !ok {
			p.Fail(apierr.InvalidParameter.New("SourceItems"))
			return nil
		}
		if !slices.Contains(out, cidr) {
			out = append(out, cidr)
		}
	}
	if len(out) > cloud.MaxACLEntries {
		p.Fail(apierr.InvalidParameter.New("SourceItems"))
	}
	return out
}

func itemsOf(x cloud.Listener) []string {
	if x.Str(settingWLItems) == "" {
		return nil
	}
	return strings.Split(x.Str(settingWLItems), ",")
}

// SetStatusRequest is SetListenerAccessControlStatus.
type SetStatusRequest struct{ WhiteListRequest }

// Bind implements rpc.Binder.
func (r *SetStatusRequest) Bind(p *rpc.Params) {
	r.bindKey(p)
	p.Required("AccessControlStatus")
	r.Status = p.Enum("AccessControlStatus", "", whiteListOpen, whiteListClosed)
}

// ItemsRequest is Add/RemoveListenerWhiteListItem.
type ItemsRequest struct{ WhiteListRequest }

// Bind implements rpc.Binder.
func (r *ItemsRequest) Bind(p *rpc.Params) {
	r.bindKey(p)
	r.Items = sourceItems(p)
}

// KeyRequest is DescribeListenerAccessControlAttribute.
type KeyRequest struct{ WhiteListRequest }

// Bind implements rpc.Binder.
func (r *KeyRequest) Bind(p *rpc.Params) { r.bindKey(p) }

func (s *Service) changeWhiteList(ctx context.Context, call *rpc.Call, req *WhiteListRequest, change func(cloud.Listener) cloud.Listener) (*EmptyResponse, error) {
	return s.changeListeners(ctx, call, req.RegionID, req.LoadBalancerID, func(tx store.Tx, l cloud.LoadBalancer, w cloud.Duration) (cloud.LoadBalancer, error) {
		return cloud.ChangeListener(l, req.Port, req.Protocol, func(x cloud.Listener) (cloud.Listener, error) {
			return cloud.ConfigureListener(x, tx.Now(), w, func(x cloud.Listener) (cloud.Listener, error) { return change(x), nil })
		})
	})
}

// withSetting is x with one setting changed ("" removes it).
func withSetting(x cloud.Listener, name, value string) cloud.Listener {
	s := make(map[string]string, len(x.Settings)+1)
	for k, v := range x.Settings {
		s[k] = v
	}
	if value == "" {
		delete(s, name)
	} else {
		s[name] = value
	}
	x.Settings = s
	return x
}

// SetListenerAccessControlStatus opens or closes a listener's whitelist.
func (s *Service) SetListenerAccessControlStatus(ctx context.Context, call *rpc.Call, req *SetStatusRequest) (*EmptyResponse, error) {
	return s.changeWhiteList(ctx, call, &req.WhiteListRequest, func(x cloud.Listener) cloud.Listener {
		return withSetting(x, settingWLStatus, req.Status)
	})
}

// AddListenerWhiteListItem adds source addresses; repeats are kept once.
func (s *Service) AddListenerWhiteListItem(ctx context.Context, call *rpc.Call, req *ItemsRequest) (*EmptyResponse, error) {
	return s.changeWhiteList(ctx, call, &req.WhiteListRequest, func(x cloud.Listener) cloud.Listener {
		items := itemsOf(x)
		for _, it := range req.Items {
			if !slices.Contains(items, it) {
				items = append(items, it)
			}
		}
		return withSetting(x, settingWLItems, strings.Join(items, ","))
	})
}

// RemoveListenerWhiteListItem removes source addresses; absent ones are ignored.
func (s *Service) RemoveListenerWhiteListItem(ctx context.Context, call *rpc.Call, req *ItemsRequest) (*EmptyResponse, error) {
	return s.changeWhiteList(ctx, call, &req.WhiteListRequest, func(x cloud.Listener) cloud.Listener {
		items := slices.DeleteFunc(itemsOf(x), func(it string) bool { return slices.Contains(req.Items, it) })
		return withSetting(x, settingWLItems, strings.Join(items, ","))
	})
}

// AccessControlResponse is DescribeListenerAccessControlAttribute's answer.
type AccessControlResponse struct {
	rpc.Base
	AccessControlStatus string `json:"AccessControlStatus"`
	SourceItems         string `json:"SourceItems"`
}

// DescribeListenerAccessControlAttribute shows a listener's whitelist.
func (s *Service) DescribeListenerAccessControlAttribute(ctx context.Context, call *rpc.Call, req *KeyRequest) (*AccessControlResponse, error) {
	_, x, err := s.findListener(ctx, call, &DescribeListenerRequest{ListenerKey: req.ListenerKey}, req.Protocol)
	if err != nil {
		return nil, err
	}
	resp := &AccessControlResponse{AccessControlStatus: x.Str(settingWLStatus), SourceItems: x.Str(settingWLItems)}
	if resp.AccessControlStatus == "" {
		resp.AccessControlStatus = whiteListClosed
	}
	return resp, nil
}

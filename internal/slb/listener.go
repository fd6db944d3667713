package slb

import (
	"context"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/ecslocal/ecslocal/internal/apierr"
	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/store"
)

// wireName is how an action spells a setting: the L4 Create actions take
// healthCheckInterval in lower camel case, and UDP's request and expected
// answer strings are lower camel case everywhere.
func wireName(name, protocol string, create bool) string {
	switch {
	case name == "HealthCheckExp" || name == "HealthCheckReq":
		return "h" + name[1:]
	case name == "HealthCheckInterval" && create && (protocol == cloud.ProtoTCP || protocol == cloud.ProtoUDP):
		return "healthCheckInterval"
	}
	return name
}

// readSettings reads the settings a protocol's Create or Set action takes,
// each validated against its range or values and naming the bad parameter.
func readSettings(p *rpc.Params, protocol string, create bool) map[string]string {
	out := map[string]string{}
	for _, s := range cloud.SettingsOf(protocol, create) {
		wire := wireName(s.Name, protocol, create)
		v := strings.TrimSpace(p.String(wire))
		if v == "" {
			continue
		}
		switch {
		case s.Integer():
			n, err := strconv.Atoi(v)
			if err != nil || n < s.Min || n > s.Max || (s.Name == "Bandwidth" && n == 0) {
				p.Fail(apierr.InvalidParameter.New(wire))
				continue
			}
			v = strconv.Itoa(n)
		case len(s.Values) > 0 && !slices.Contains(s.Values, v):
			p.Fail(apierr.InvalidParameter.New(wire))
			continue
		}
		out[s.Name] = v
	}
	return out
}

// ListenerKey names one listener: load balancer, port and (optional) protocol.
type ListenerKey struct {
	RegionID, LoadBalancerID, Protocol string
	Port                               int
}

func (k *ListenerKey) bind(p *rpc.Params) {
	k.RegionID = p.Required("RegionId")
	k.LoadBalancerID = p.Required("LoadBalancerId")
	p.Required("ListenerPort")
	k.Port = p.Int("ListenerPort", 0, 1, 65535)
}

// CreateListenerRequest is Create{TCP,UDP,HTTP,HTTPS}Listener.
type CreateListenerRequest struct {
	ListenerKey
	Settings map[string]string
}

func (r *CreateListenerRequest) bind(p *rpc.Params, protocol string) {
	r.ListenerKey.bind(p)
	r.Protocol = protocol
	if protocol != cloud.ProtoHTTP {
		p.Required("Bandwidth")
	}
	if protocol == cloud.ProtoHTTP || protocol == cloud.ProtoHTTPS {
		p.Required("HealthCheck")
	}
	r.Settings = readSettings(p, protocol, true)
}

// CreateTCPListenerRequest is CreateLoadBalancerTCPListener.
type CreateTCPListenerRequest struct{ CreateListenerRequest }

// Bind implements rpc.Binder.
func (r *CreateTCPListenerRequest) Bind(p *rpc.Params) { r.bind(p, cloud.ProtoTCP) }

// CreateUDPListenerRequest is CreateLoadBalancerUDPListener.
type CreateUDPListenerRequest struct{ CreateListenerRequest }

// Bind implements rpc.Binder.
func (r *CreateUDPListenerRequest) Bind(p *rpc.Params) { r.bind(p, cloud.ProtoUDP) }

// CreateHTTPListenerRequest is CreateLoadBalancerHTTPListener.
type CreateHTTPListenerRequest struct{ CreateListenerRequest }

// Bind implements rpc.Binder.
func (r *CreateHTTPListenerRequest) Bind(p *rpc.Params) { r.bind(p, cloud.ProtoHTTP) }

// CreateHTTPSListenerRequest is CreateLoadBalancerHTTPSListener.
type CreateHTTPSListenerRequest struct{ CreateListenerRequest }

// Bind implements rpc.Binder.
func (r *CreateHTTPSListenerRequest) Bind(p *rpc.Params) { r.bind(p, cloud.ProtoHTTPS) }

// EmptyResponse is an answer of RequestId alone.
type EmptyResponse struct{ rpc.Base }

// createListener adds a stopped listener, its references checked.
func (s *Service) createListener(ctx context.Context, call *rpc.Call, req *CreateListenerRequest) (*EmptyResponse, error) {
	return s.changeListeners(ctx, call, req.RegionID, req.LoadBalancerID, func(tx store.Tx, l cloud.LoadBalancer, w cloud.Duration) (cloud.LoadBalancer, error) {
		x := cloud.NewListener(req.Port, req.Protocol, req.Settings)
		if err := s.checkListenerRefs(ctx, tx, l, x); err != nil {
			return l, err
		}
		return cloud.AddListener(l, x, tx.Now(), w)
	})
}

// CreateLoadBalancerTCPListener adds a TCP listener, stopped.
func (s *Service) CreateLoadBalancerTCPListener(ctx context.Context, call *rpc.Call, req *CreateTCPListenerRequest) (*EmptyResponse, error) {
	return s.createListener(ctx, call, &req.CreateListenerRequest)
}

// CreateLoadBalancerUDPListener adds a UDP listener, stopped.
func (s *Service) CreateLoadBalancerUDPListener(ctx context.Context, call *rpc.Call, req *CreateUDPListenerRequest) (*EmptyResponse, error) {
	return s.createListener(ctx, call, &req.CreateListenerRequest)
}

// CreateLoadBalancerHTTPListener adds an HTTP listener, stopped.
func (s *Service) CreateLoadBalancerHTTPListener(ctx context.Context, call *rpc.Call, req *CreateHTTPListenerRequest) (*EmptyResponse, error) {
	return s.createListener(ctx, call, &req.CreateListenerRequest)
}

// CreateLoadBalancerHTTPSListener adds an HTTPS listener, stopped.
func (s *Service) CreateLoadBalancerHTTPSListener(ctx context.Context, call *rpc.Call, req *CreateHTTPSListenerRequest) (*EmptyResponse, error) {
	return s.createListener(ctx, call, &req.CreateListenerRequest)
}

// SetListenerRequest is Set{TCP,UDP,HTTP,HTTPS}ListenerAttribute.
// GroupSwitch is VServerGroup: "off" detaches the listener from its
// VServer group (back to the default backends), "on" needs a group.
type SetListenerRequest struct {
	ListenerKey
	Settings    map[string]string
	GroupSwitch string
}

func (r *SetListenerRequest) bind(p *rpc.Params, protocol string) {
	r.ListenerKey.bind(p)
	r.Protocol = protocol
	r.Settings = readSettings(p, protocol, false)
	r.GroupSwitch = p.Enum("VServerGroup", "", "on", "off")
}

// SetTCPListenerRequest is SetLoadBalancerTCPListenerAttribute.
type SetTCPListenerRequest struct{ SetListenerRequest }

// Bind implements rpc.Binder.
func (r *SetTCPListenerRequest) Bind(p *rpc.Params) { r.bind(p, cloud.ProtoTCP) }

// SetUDPListenerRequest is SetLoadBalancerUDPListenerAttribute.
type SetUDPListenerRequest struct{ SetListenerRequest }

// Bind implements rpc.Binder.
func (r *SetUDPListenerRequest) Bind(p *rpc.Params) { r.bind(p, cloud.ProtoUDP) }

// SetHTTPListenerRequest is SetLoadBalancerHTTPListenerAttribute.
type SetHTTPListenerRequest struct{ SetListenerRequest }

// Bind implements rpc.Binder.
func (r *SetHTTPListenerRequest) Bind(p *rpc.Params) { r.bind(p, cloud.ProtoHTTP) }

// SetHTTPSListenerRequest is SetLoadBalancerHTTPSListenerAttribute.
type SetHTTPSListenerRequest struct{ SetListenerRequest }

// Bind implements rpc.Binder.
func (r *SetHTTPSListenerRequest) Bind(p *rpc.Params) { r.bind(p, cloud.ProtoHTTPS) }

func (s *Service) setListener(ctx context.Context, call *rpc.Call, req *SetListenerRequest) (*EmptyResponse, error) {
	return s.changeListeners(ctx, call, req.RegionID, req.LoadBalancerID, func(tx store.Tx, l cloud.LoadBalancer, w cloud.Duration) (cloud.LoadBalancer, error) {
		return cloud.ChangeListener(l, req.Port, req.Protocol, func(x cloud.Listener) (cloud.Listener, error) {
			return cloud.ConfigureListener(x, tx.Now(), w, func(x cloud.Listener) (cloud.Listener, error) {
				given := req.Settings
				if req.GroupSwitch == "off" {
					given = maps.Clone(req.Settings)
					given["VServerGroupId"] = ""
				}
				next, err := cloud.MergeSettings(x, given)
				if err != nil {
					return x, err
				}
				if req.GroupSwitch == "on" && next.Str("VServerGroupId") == "" {
					return x, apierr.MissingParameter.New("VServerGroupId")
				}
				return next, s.checkListenerRefs(ctx, tx, l, next)
			})
		})
	})
}

// SetLoadBalancerTCPListenerAttribute changes a TCP listener's settings.
func (s *Service) SetLoadBalancerTCPListenerAttribute(ctx context.Context, call *rpc.Call, req *SetTCPListenerRequest) (*EmptyResponse, error) {
	return s.setListener(ctx, call, &req.SetListenerRequest)
}

// SetLoadBalancerUDPListenerAttribute changes a UDP listener's settings.
func (s *Service) SetLoadBalancerUDPListenerAttribute(ctx context.Context, call *rpc.Call, req *SetUDPListenerRequest) (*EmptyResponse, error) {
	return s.setListener(ctx, call, &req.SetListenerRequest)
}

// SetLoadBalancerHTTPListenerAttribute changes an HTTP listener's settings.
func (s *Service) SetLoadBalancerHTTPListenerAttribute(ctx context.Context, call *rpc.Call, req *SetHTTPListenerRequest) (*EmptyResponse, error) {
	return s.setListener(ctx, call, &req.SetListenerRequest)
}

// SetLoadBalancerHTTPSListenerAttribute changes an HTTPS listener's settings.
func (s *Service) SetLoadBalancerHTTPSListenerAttribute(ctx context.Context, call *rpc.Call, req *SetHTTPSListenerRequest) (*EmptyResponse, error) {
	return s.setListener(ctx, call, &req.SetListenerRequest)
}

// ListenerActionRequest is Start/Stop/DeleteLoadBalancerListener.
type ListenerActionRequest struct{ ListenerKey }

// Bind implements rpc.Binder.
func (r *ListenerActionRequest) Bind(p *rpc.Params) {
	r.ListenerKey.bind(p)
	r.Protocol = p.Enum("ListenerProtocol", "", cloud.ProtoTCP, cloud.ProtoUDP, cloud.ProtoHTTP, cloud.ProtoHTTPS)
}

// StartLoadBalancerListener starts a stopped listener (starting, then running).
func (s *Service) StartLoadBalancerListener(ctx context.Context, call *rpc.Call, req *ListenerActionRequest) (*EmptyResponse, error) {
	return s.changeListeners(ctx, call, req.RegionID, req.LoadBalancerID, func(tx store.Tx, l cloud.LoadBalancer, w cloud.Duration) (cloud.LoadBalancer, error) {
		return cloud.ChangeListener(l, req.Port, req.Protocol, func(x cloud.Listener) (cloud.Listener, error) {
			return cloud.StartListener(l, x, tx.Now(), w)
		})
	})
}

// StopLoadBalancerListener stops a running listener (stopping, then stopped).
func (s *Service) StopLoadBalancerListener(ctx context.Context, call *rpc.Call, req *ListenerActionRequest) (*EmptyResponse, error) {
	return s.changeListeners(ctx, call, req.RegionID, req.LoadBalancerID, func(tx store.Tx, l cloud.LoadBalancer, w cloud.Duration) (cloud.LoadBalancer, error) {
		return cloud.ChangeListener(l, req.Port, req.Protocol, func(x cloud.Listener) (cloud.Listener, error) {
			return cloud.StopListener(x, tx.Now(), w)
		})
	})
}

// DeleteLoadBalancerListener removes a stopped or running listener.
func (s *Service) DeleteLoadBalancerListener(ctx context.Context, call *rpc.Call, req *ListenerActionRequest) (*EmptyResponse, error) {
	return s.changeListeners(ctx, call, req.RegionID, req.LoadBalancerID, func(tx store.Tx, l cloud.LoadBalancer, _ cloud.Duration) (cloud.LoadBalancer, error) {
		return cloud.RemoveListener(l, req.Port, req.Protocol, tx.Now())
	})
}

// changeListeners runs one listener write in a transaction.
func (s *Service) changeListeners(ctx context.Context, call *rpc.Call, region, lbID string,
	change func(store.Tx, cloud.LoadBalancer, cloud.Duration) (cloud.LoadBalancer, error)) (*EmptyResponse, error) {
	if err := s.checkRegion(region); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		l, err := loadBalancer(ctx, tx, region, lbID)
		if err != nil {
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
		return store.Put(ctx, tx, next)
	})
	if err != nil {
		return nil, err
	}
	return &EmptyResponse{}, nil
}

// checkListenerRefs checks what a listener names: its VServer group must
// be one of the load balancer's, its ACL and server certificate must exist
// (CA certificates are not modelled and are taken as given).
func (s *Service) checkListenerRefs(ctx context.Context, tx store.Tx, l cloud.LoadBalancer, x cloud.Listener) error {
	if id := x.Str("VServerGroupId"); id != "" {
		g, err := vServerGroup(ctx, tx, l.Region, id)
		if err != nil {
			return err
		}
		if g.LoadBalancerID != l.ID {
			return apierr.VServerGroupNotFound.New().WithDetail("VServer group %s belongs to %s", g.ID, g.LoadBalancerID)
		}
	}
	if id := x.Str("AclId"); id != "" {
		if _, err := acl(ctx, tx, l.Region, id); err != nil {
			return err
		}
	}
	if id := x.Str("ServerCertificateId"); id != "" {
		if _, err := serverCertificate(ctx, tx, l.Region, id); err != nil {
			return err
		}
	}
	return nil
}

// DescribeListenerRequest is Describe{TCP,UDP,HTTP,HTTPS}ListenerAttribute.
type DescribeListenerRequest struct{ ListenerKey }

// Bind implements rpc.Binder.
func (r *DescribeListenerRequest) Bind(p *rpc.Params) { r.ListenerKey.bind(p) }

// findListener reads one listener of protocol.
func (s *Service) findListener(ctx context.Context, call *rpc.Call, req *DescribeListenerRequest, protocol string) (cloud.LoadBalancer, cloud.Listener, error) {
	var l cloud.LoadBalancer
	var x cloud.Listener
	region := req.RegionID
	if err := s.checkRegion(region); err != nil {
		return l, x, err
	}
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		var err error
		if l, err = loadBalancer(ctx, tx, region, req.LoadBalancerID); err != nil {
			return err
		}
		i, err := l.ListenerAt(req.Port, protocol)
		if err != nil {
			return err
		}
		x = l.Listeners[i].Shown(tx.Now())
		return nil
	})
	return l, x, err
}

// ListenerCommon are the members every Describe…ListenerAttribute answer has.
type ListenerCommon struct {
	LoadBalancerID         string `json:"LoadBalancerId"`
	ListenerPort           int    `json:"ListenerPort"`
	Status                 string `json:"Status"`
	BackendServerPort      int    `json:"BackendServerPort"`
	Bandwidth              int    `json:"Bandwidth"`
	Scheduler              string `json:"Scheduler"`
	Description            string `json:"Description"`
	VServerGroupID         string `json:"VServerGroupId"`
	AclStatus              string `json:"AclStatus"`
	AclType                string `json:"AclType"`
	AclID                  string `json:"AclId"`
	HealthCheckConnectPort int    `json:"HealthCheckConnectPort"`
	HealthCheckInterval    int    `json:"HealthCheckInterval"`
	HealthyThreshold       int    `json:"HealthyThreshold"`
	UnhealthyThreshold     int    `json:"UnhealthyThreshold"`
}

func listenerCommon(lbID string, x cloud.Listener) ListenerCommon {
	return ListenerCommon{
		LoadBalancerID: lbID, ListenerPort: x.Port, Status: x.Status, BackendServerPort: x.Int("BackendServerPort"),
		Bandwidth: x.Int("Bandwidth"), Scheduler: x.Str("Scheduler"), Description: x.Str("Description"),
		VServerGroupID: x.Str("VServerGroupId"), AclStatus: x.Str("AclStatus"), AclType: x.Str("AclType"), AclID: x.Str("AclId"),
		HealthCheckConnectPort: x.Int("HealthCheckConnectPort"), HealthCheckInterval: x.Int("HealthCheckInterval"),
		HealthyThreshold: x.Int("HealthyThreshold"), UnhealthyThreshold: x.Int("UnhealthyThreshold"),
	}
}

// L4Health are the health-check members TCP and UDP answers share.
type L4Health struct {
	HealthCheck               string `json:"HealthCheck"`
	HealthCheckType           string `json:"HealthCheckType"`
	HealthCheckDomain         string `json:"HealthCheckDomain"`
	HealthCheckURI            string `json:"HealthCheckURI"`
	HealthCheckHTTPCode       string `json:"HealthCheckHttpCode"`
	HealthCheckConnectTimeout int    `json:"HealthCheckConnectTimeout"`
	PersistenceTimeout        int    `json:"PersistenceTimeout"`
}

func l4Health(x cloud.Listener) L4Health {
	return L4Health{
		HealthCheck: x.Str("HealthCheckSwitch"), HealthCheckType: x.Str("HealthCheckType"), HealthCheckDomain: x.Str("HealthCheckDomain"),
		HealthCheckURI: x.Str("HealthCheckURI"), HealthCheckHTTPCode: x.Str("HealthCheckHttpCode"),
		HealthCheckConnectTimeout: x.Int("HealthCheckConnectTimeout"), PersistenceTimeout: x.Int("PersistenceTimeout"),
	}
}

// TCPOnly are the members only TCP listeners have.
type TCPOnly struct {
	EstablishedTimeout     int    `json:"EstablishedTimeout"`
	ConnectionDrain        string `json:"ConnectionDrain"`
	ConnectionDrainTimeout int    `json:"ConnectionDrainTimeout"`
}

func tcpOnly(x cloud.Listener) TCPOnly {
	return TCPOnly{EstablishedTimeout: x.Int("EstablishedTimeout"), ConnectionDrain: x.Str("ConnectionDrain"), ConnectionDrainTimeout: x.Int("ConnectionDrainTimeout")}
}

// UDPOnly are the members only UDP listeners have.
type UDPOnly struct {
	HealthCheckSwitch string `json:"HealthCheckSwitch"`
	HealthCheckExp    string `json:"HealthCheckExp"`
	HealthCheckReq    string `json:"HealthCheckReq"`
}

func udpOnly(x cloud.Listener) UDPOnly {
	return UDPOnly{HealthCheckSwitch: x.Str("HealthCheckSwitch"), HealthCheckExp: x.Str("HealthCheckExp"), HealthCheckReq: x.Str("HealthCheckReq")}
}

// L7Settings are the members HTTP and HTTPS answers share.
type L7Settings struct {
	HealthCheck                string `json:"HealthCheck"`
	HealthCheckDomain          string `json:"HealthCheckDomain"`
	HealthCheckURI             string `json:"HealthCheckURI"`
	HealthCheckHTTPCode        string `json:"HealthCheckHttpCode"`
	HealthCheckTimeout         int    `json:"HealthCheckTimeout"`
	HealthCheckMethod          string `json:"HealthCheckMethod"`
	StickySession              string `json:"StickySession"`
	StickySessionType          string `json:"StickySessionType"`
	Cookie                     string `json:"Cookie"`
	CookieTimeout              int    `json:"CookieTimeout"`
	XForwardedFor              string `json:"XForwardedFor"`
	XForwardedForSLBIP         string `json:"XForwardedFor_SLBIP"`
	XForwardedForSLBID         string `json:"XForwardedFor_SLBID"`
	XForwardedForProto         string `json:"XForwardedFor_proto"`
	XForwardedForSLBPORT       string `json:"XForwardedFor_SLBPORT"`
	XForwardedForClientSrcPort string `json:"XForwardedFor_ClientSrcPort"`
	Gzip                       string `json:"Gzip"`
	IdleTimeout                int    `json:"IdleTimeout"`
	RequestTimeout             int    `json:"RequestTimeout"`
}

func l7Settings(x cloud.Listener) L7Settings {
	return L7Settings{
		HealthCheck: x.Str("HealthCheck"), HealthCheckDomain: x.Str("HealthCheckDomain"), HealthCheckURI: x.Str("HealthCheckURI"),
		HealthCheckHTTPCode: x.Str("HealthCheckHttpCode"), HealthCheckTimeout: x.Int("HealthCheckTimeout"),
		HealthCheckMethod: x.Str("HealthCheckMethod"), StickySession: x.Str("StickySession"),
		StickySessionType: x.Str("StickySessionType"), Cookie: x.Str("Cookie"), CookieTimeout: x.Int("CookieTimeout"),
		XForwardedFor: x.Str("XForwardedFor"), XForwardedForSLBIP: x.Str("XForwardedFor_SLBIP"),
		XForwardedForSLBID: x.Str("XForwardedFor_SLBID"), XForwardedForProto: x.Str("XForwardedFor_proto"),
		XForwardedForSLBPORT: x.Str("XForwardedFor_SLBPORT"), XForwardedForClientSrcPort: x.Str("XForwardedFor_ClientSrcPort"),
		Gzip: x.Str("Gzip"), IdleTimeout: x.Int("IdleTimeout"), RequestTimeout: x.Int("RequestTimeout"),
	}
}

// HTTPOnly are the members only HTTP listeners have.
type HTTPOnly struct {
	ListenerForward string `json:"ListenerForward"`
	ForwardPort     int    `json:"ForwardPort"`
}

// HTTPSOnly are the members only HTTPS listeners have.
type HTTPSOnly struct {
	ServerCertificateID string `json:"ServerCertificateId"`
	CACertificateID     string `json:"CACertificateId"`
	EnableHTTP2         string `json:"EnableHttp2"`
	TLSCipherPolicy     string `json:"TLSCipherPolicy"`
}

func httpsOnly(x cloud.Listener) HTTPSOnly {
	return HTTPSOnly{ServerCertificateID: x.Str("ServerCertificateId"), CACertificateID: x.Str("CACertificateId"),
		EnableHTTP2: x.Str("EnableHttp2"), TLSCipherPolicy: x.Str("TLSCipherPolicy")}
}

// DescribeTCPListenerResponse is DescribeLoadBalancerTCPListenerAttribute's answer.
type DescribeTCPListenerResponse struct {
	rpc.Base
	ListenerCommon
	L4Health
	TCPOnly
}

// DescribeLoadBalancerTCPListenerAttribute shows a TCP listener.
func (s *Service) DescribeLoadBalancerTCPListenerAttribute(ctx context.Context, call *rpc.Call, req *DescribeListenerRequest) (*DescribeTCPListenerResponse, error) {
	l, x, err := s.findListener(ctx, call, req, cloud.ProtoTCP)
	if err != nil {
		return nil, err
	}
	return &DescribeTCPListenerResponse{ListenerCommon: listenerCommon(l.ID, x), L4Health: l4Health(x), TCPOnly: tcpOnly(x)}, nil
}

// DescribeUDPListenerResponse is DescribeLoadBalancerUDPListenerAttribute's answer.
type DescribeUDPListenerResponse struct {
	rpc.Base
	ListenerCommon
	L4Health
	UDPOnly
}

// DescribeLoadBalancerUDPListenerAttribute shows a UDP listener.
func (s *Service) DescribeLoadBalancerUDPListenerAttribute(ctx context.Context, call *rpc.Call, req *DescribeListenerRequest) (*DescribeUDPListenerResponse, error) {
	l, x, err := s.findListener(ctx, call, req, cloud.ProtoUDP)
	if err != nil {
		return nil, err
	}
	return &DescribeUDPListenerResponse{ListenerCommon: listenerCommon(l.ID, x), L4Health: l4Health(x), UDPOnly: udpOnly(x)}, nil
}

// DescribeHTTPListenerResponse is DescribeLoadBalancerHTTPListenerAttribute's answer.
type DescribeHTTPListenerResponse struct {
	rpc.Base
	ListenerCommon
	L7Settings
	HTTPOnly
}

// DescribeLoadBalancerHTTPListenerAttribute shows an HTTP listener.
func (s *Service) DescribeLoadBalancerHTTPListenerAttribute(ctx context.Context, call *rpc.Call, req *DescribeListenerRequest) (*DescribeHTTPListenerResponse, error) {
	l, x, err := s.findListener(ctx, call, req, cloud.ProtoHTTP)
	if err != nil {
		return nil, err
	}
	return &DescribeHTTPListenerResponse{ListenerCommon: listenerCommon(l.ID, x), L7Settings: l7Settings(x),
		HTTPOnly: HTTPOnly{ListenerForward: x.Str("ListenerForward"), ForwardPort: x.Int("ForwardPort")}}, nil
}

// DescribeHTTPSListenerResponse is DescribeLoadBalancerHTTPSListenerAttribute's answer.
type DescribeHTTPSListenerResponse struct {
	rpc.Base
	ListenerCommon
	L7Settings
	HTTPSOnly
}

// DescribeLoadBalancerHTTPSListenerAttribute shows an HTTPS listener.
func (s *Service) DescribeLoadBalancerHTTPSListenerAttribute(ctx context.Context, call *rpc.Call, req *DescribeListenerRequest) (*DescribeHTTPSListenerResponse, error) {
	l, x, err := s.findListener(ctx, call, req, cloud.ProtoHTTPS)
	if err != nil {
		return nil, err
	}
	return &DescribeHTTPSListenerResponse{ListenerCommon: listenerCommon(l.ID, x), L7Settings: l7Settings(x), HTTPSOnly: httpsOnly(x)}, nil
}

// DescribeListenersRequest is DescribeLoadBalancerListeners.
type DescribeListenersRequest struct {
	RegionID, Protocol, Description string
	LoadBalancerIDs                 []string
	Port, MaxResults, Offset        int
}

// Bind implements rpc.Binder.
func (r *DescribeListenersRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.LoadBalancerIDs = p.List("LoadBalancerId")
	r.Protocol = p.Enum("ListenerProtocol", "", cloud.ProtoTCP, cloud.ProtoUDP, cloud.ProtoHTTP, cloud.ProtoHTTPS)
	r.Port = p.Int("ListenerPort", 0, 1, 65535)
	r.Description = p.String("Description")
	r.MaxResults = p.Int("MaxResults", 20, 1, 100)
	if tok := p.String("NextToken"); tok != "" {
		n, err := strconv.Atoi(tok)
		if err != nil || n < 0 {
			p.Fail(apierr.InvalidParameter.New("NextToken"))
		}
		r.Offset = n
	}
}

// L4Config is the TCPListenerConfig and UDPListenerConfig of a listing.
type L4Config struct {
	HealthCheck               string `json:"HealthCheck"`
	HealthCheckSwitch         string `json:"HealthCheckSwitch"`
	HealthCheckType           string `json:"HealthCheckType"`
	HealthCheckDomain         string `json:"HealthCheckDomain"`
	HealthCheckURI            string `json:"HealthCheckURI"`
	HealthCheckHTTPCode       string `json:"HealthCheckHttpCode"`
	HealthCheckConnectPort    int    `json:"HealthCheckConnectPort"`
	HealthCheckConnectTimeout int    `json:"HealthCheckConnectTimeout"`
	HealthCheckInterval       int    `json:"HealthCheckInterval"`
	HealthyThreshold          int    `json:"HealthyThreshold"`
	UnhealthyThreshold        int    `json:"UnhealthyThreshold"`
	PersistenceTimeout        int    `json:"PersistenceTimeout"`
	ConnectionDrain           string `json:"ConnectionDrain"`
	ConnectionDrainTimeout    int    `json:"ConnectionDrainTimeout"`
}

// TCPConfig is TCPListenerConfig.
type TCPConfig struct {
	L4Config
	EstablishedTimeout int `json:"EstablishedTimeout"`
}

// UDPConfig is UDPListenerConfig.
type UDPConfig struct {
	L4Config
	HealthCheckExp string `json:"HealthCheckExp"`
	HealthCheckReq string `json:"HealthCheckReq"`
}

// L7Config is the HTTPListenerConfig of a listing.
type L7Config struct {
	L7Settings
	HealthCheckConnectPort int `json:"HealthCheckConnectPort"`
	HealthCheckInterval    int `json:"HealthCheckInterval"`
	HealthyThreshold       int `json:"HealthyThreshold"`
	UnhealthyThreshold     int `json:"UnhealthyThreshold"`
}

// HTTPConfig is HTTPListenerConfig.
type HTTPConfig struct {
	L7Config
	HTTPOnly
}

// HTTPSConfig is HTTPSListenerConfig.
type HTTPSConfig struct {
	L7Config
	HTTPSOnly
}

// ListenerItem is one listener of DescribeLoadBalancerListeners.
type ListenerItem struct {
	LoadBalancerID      string       `json:"LoadBalancerId"`
	ListenerPort        int          `json:"ListenerPort"`
	ListenerProtocol    string       `json:"ListenerProtocol"`
	Status              string       `json:"Status"`
	BackendServerPort   int          `json:"BackendServerPort"`
	Bandwidth           int          `json:"Bandwidth"`
	Scheduler           string       `json:"Scheduler"`
	Description         string       `json:"Description"`
	VServerGroupID      string       `json:"VServerGroupId"`
	AclStatus           string       `json:"AclStatus"`
	AclType             string       `json:"AclType"`
	AclID               string       `json:"AclId"`
	TCPListenerConfig   *TCPConfig   `json:"TCPListenerConfig,omitempty"`
	UDPListenerConfig   *UDPConfig   `json:"UDPListenerConfig,omitempty"`
	HTTPListenerConfig  *HTTPConfig  `json:"HTTPListenerConfig,omitempty"`
	HTTPSListenerConfig *HTTPSConfig `json:"HTTPSListenerConfig,omitempty"`
}

func listenerItem(lbID string, x cloud.Listener) ListenerItem {
	c := listenerCommon(lbID, x)
	it := ListenerItem{
		LoadBalancerID: lbID, ListenerPort: x.Port, ListenerProtocol: x.Protocol, Status: x.Status,
		BackendServerPort: c.BackendServerPort, Bandwidth: c.Bandwidth, Scheduler: c.Scheduler, Description: c.Description,
		VServerGroupID: c.VServerGroupID, AclStatus: c.AclStatus, AclType: c.AclType, AclID: c.AclID,
	}
	h := l4Health(x)
	l4 := L4Config{
		HealthCheck: h.HealthCheck, HealthCheckSwitch: h.HealthCheck, HealthCheckType: h.HealthCheckType, HealthCheckDomain: h.HealthCheckDomain,
		HealthCheckURI: h.HealthCheckURI, HealthCheckHTTPCode: h.HealthCheckHTTPCode, HealthCheckConnectPort: c.HealthCheckConnectPort,
		HealthCheckConnectTimeout: h.HealthCheckConnectTimeout, HealthCheckInterval: c.HealthCheckInterval,
		HealthyThreshold: c.HealthyThreshold, UnhealthyThreshold: c.UnhealthyThreshold, PersistenceTimeout: h.PersistenceTimeout,
		ConnectionDrain: x.Str("ConnectionDrain"), ConnectionDrainTimeout: x.Int("ConnectionDrainTimeout"),
	}
	l7 := L7Config{L7Settings: l7Settings(x), HealthCheckConnectPort: c.HealthCheckConnectPort, HealthCheckInterval: c.HealthCheckInterval,
		HealthyThreshold: c.HealthyThreshold, UnhealthyThreshold: c.UnhealthyThreshold}
	switch x.Protocol {
	case cloud.ProtoTCP:
		it.TCPListenerConfig = &TCPConfig{L4Config: l4, EstablishedTimeout: x.Int("EstablishedTimeout")}
	case cloud.ProtoUDP:
		it.UDPListenerConfig = &UDPConfig{L4Config: l4, HealthCheckExp: x.Str("HealthCheckExp"), HealthCheckReq: x.Str("HealthCheckReq")}
	case cloud.ProtoHTTP:
		it.HTTPListenerConfig = &HTTPConfig{L7Config: l7, HTTPOnly: HTTPOnly{ListenerForward: x.Str("ListenerForward"), ForwardPort: x.Int("ForwardPort")}}
	case cloud.ProtoHTTPS:
		it.HTTPSListenerConfig = &HTTPSConfig{L7Config: l7, HTTPSOnly: httpsOnly(x)}
	}
	return it
}

// DescribeListenersResponse is DescribeLoadBalancerListeners' answer.
type DescribeListenersResponse struct {
	rpc.Base
	TotalCount int            `json:"TotalCount"`
	MaxResults int            `json:"MaxResults"`
	NextToken  string         `json:"NextToken"`
	Listeners  []ListenerItem `json:"Listeners"`
}

// DescribeLoadBalancerListeners lists the listeners of the named load
// balancers (all of the region's when none is named), by load balancer
// then port; NextToken is an offset.
func (s *Service) DescribeLoadBalancerListeners(ctx context.Context, call *rpc.Call, req *DescribeListenersRequest) (*DescribeListenersResponse, error) {
	region := req.RegionID
	if err := s.checkRegion(region); err != nil {
		return nil, err
	}
	var all []ListenerItem
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		lbs, _, err := store.Find[cloud.LoadBalancer](ctx, tx, store.Query{Region: region, IDs: req.LoadBalancerIDs, Limit: 1 << 30})
		if err != nil {
			return err
		}
		for _, l := range lbs {
			for _, x := range l.Listeners {
				if (req.Protocol == "" || x.Protocol == req.Protocol) && (req.Port == 0 || x.Port == req.Port) &&
					(req.Description == "" || x.Str("Description") == req.Description) {
					all = append(all, listenerItem(l.ID, x.Shown(tx.Now())))
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	resp := &DescribeListenersResponse{TotalCount: len(all), MaxResults: req.MaxResults, Listeners: []ListenerItem{}}
	if req.Offset < len(all) {
		end := min(req.Offset+req.MaxResults, len(all))
		resp.Listeners = all[req.Offset:end]
		if end < len(all) {
			resp.NextToken = strconv.Itoa(end)
		}
	}
	return resp, nil
}

package cloud

import (
	"slices"
	"strconv"
	"time"

	"github.com/ecslocal/ecslocal/internal/apierr"
)

// Listener protocols and states. A listener is part of its load balancer's
// document: the cloud addresses it by LoadBalancerId, ListenerPort and
// ListenerProtocol, never by an id of its own.
const (
	ProtoTCP        = "tcp"
	ProtoUDP        = "udp"
	ProtoHTTP       = "http"
	ProtoHTTPS      = "https"
	ListenerRunning = "running"
	ListenerStopped = "stopped"
	// The transitional states of the five the references name: a write
	// puts the listener in one for the configuring window, then it settles.
	ListenerConfiguring = "configuring"
	ListenerStarting    = "starting"
	ListenerStopping    = "stopping"
)

// Listener is one front-end port of a load balancer. Settings holds every
// protocol setting under its canonical parameter name (ListenerSettings),
// as the string the API was given, so Set…ListenerAttribute merges.
type Listener struct {
	Port     int    `json:"port"`
	Protocol string `json:"protocol"`
	// Status is the state the listener settles in (running or stopped).
	Status string `json:"status"`
	// Phase (configuring, starting, stopping) is the state shown until
	// PhaseUntil; a comparison with now, not a transition, so never due.
	Phase      string            `json:"phase,omitempty"`
	PhaseUntil time.Time         `json:"phaseUntil,omitzero"`
	Settings   map[string]string `json:"settings,omitempty"`
}

// StatusAt is the state the API shows at now.
func (l Listener) StatusAt(now time.Time) string {
	if l.Phase != "" && now.Before(l.PhaseUntil) {
		return l.Phase
	}
	return l.Status
}

// Shown is the listener as the API answers it at now (Status the shown state).
func (l Listener) Shown(now time.Time) Listener {
	l.Status, l.Phase, l.PhaseUntil = l.StatusAt(now), "", time.Time{}
	return l
}

// enter puts the listener in phase for the window, settling in status.
func (l Listener) enter(phase, status string, now time.Time, window Duration) Listener {
	l.Status, l.Phase, l.PhaseUntil = status, "", time.Time{}
	if window.D() > 0 {
		l.Phase, l.PhaseUntil = phase, now.Add(window.D())
	}
	return l
}

// Str is a setting as a string ("" when unset).
func (l Listener) Str(name string) string { return l.Settings[name] }

// Int is an integer setting (0 when unset).
func (l Listener) Int(name string) int {
	n, _ := strconv.Atoi(l.Settings[name])
	return n
}

// transport is the network protocol under a listener: HTTP and HTTPS run
// over TCP, so a port carries at most one TCP-family and one UDP listener.
func transport(protocol string) string {
	if protocol == ProtoUDP {
		return ProtoUDP
	}
	return ProtoTCP
}

// ListenerSetting is one listener parameter: which protocols have it, its
// range or values, its default, and whether only the Create action takes it.
type ListenerSetting struct {
	Name       string
	Protocols  []string
	Min, Max   int      // an integer setting when Max > 0
	Values     []string // an enumerated setting when not empty
	Default    string
	CreateOnly bool
}

// Integer tells whether the setting is a number.
func (s ListenerSetting) Integer() bool { return s.Max > 0 }

var (
	allProtos = []string{ProtoTCP, ProtoUDP, ProtoHTTP, ProtoHTTPS}
	l4        = []string{ProtoTCP, ProtoUDP}
	l7        = []string{ProtoHTTP, ProtoHTTPS}
	onOff     = []string{"on", "off"}
)

// ListenerSettings are the settings of the four listener kinds, with the
// ranges and defaults of the Create…Listener references.
var ListenerSettings = []ListenerSetting{
	{Name: "Bandwidth", Protocols: allProtos, Min: -1, Max: 5120, Default: "-1"},
	{Name: "BackendServerPort", Protocols: allProtos, Min: 1, Max: 65535, CreateOnly: true},
	{Name: "Scheduler", Protocols: allProtos, Values: []string{"wrr", "rr", "wlc", "sch", "tch", "qch"}, Default: "wrr"},
	{Name: "Description", Protocols: allProtos},
	{Name: "VServerGroupId", Protocols: allProtos},
	{Name: "AclStatus", Protocols: allProtos, Values: onOff, Default: "off"},
	{Name: "AclType", Protocols: allProtos, Values: []string{"white", "black"}},
	{Name: "AclId", Protocols: allProtos},
	{Name: "HealthCheckSwitch", Protocols: l4, Values: onOff, Default: "on"},
	{Name: "HealthCheck", Protocols: l7, Values: onOff, Default: "on"},
	{Name: "HealthCheckType", Protocols: []string{ProtoTCP}, Values: []string{"tcp", "http"}, Default: "tcp"},
	{Name: "HealthCheckDomain", Protocols: []string{ProtoTCP, ProtoHTTP, ProtoHTTPS}},
	{Name: "HealthCheckURI", Protocols: []string{ProtoTCP, ProtoHTTP, ProtoHTTPS}},
	{Name: "HealthCheckHttpCode", Protocols: []string{ProtoTCP, ProtoHTTP, ProtoHTTPS}, Default: "http_2xx"},
	{Name: "HealthCheckConnectPort", Protocols: allProtos, Min: 1, Max: 65535},
	{Name: "HealthCheckConnectTimeout", Protocols: l4, Min: 1, Max: 300, Default: "5"},
	{Name: "HealthCheckTimeout", Protocols: l7, Min: 1, Max: 300, Default: "5"},
	{Name: "HealthCheckInterval", Protocols: allProtos, Min: 1, Max: 50, Default: "2"},
	{Name: "HealthCheckMethod", Protocols: l7, Values: []string{"head", "get"}, Default: "head"},
	{Name: "HealthyThreshold", Protocols: allProtos, Min: 2, Max: 10, Default: "3"},
	{Name: "UnhealthyThreshold", Protocols: allProtos, Min: 2, Max: 10, Default: "3"},
	{Name: "PersistenceTimeout", Protocols: []string{ProtoTCP}, Min: 0, Max: 3600, Default: "0"},
	{Name: "EstablishedTimeout", Protocols: []string{ProtoTCP}, Min: 10, Max: 900, Default: "900"},
	{Name: "ConnectionDrain", Protocols: []string{ProtoTCP}, Values: onOff, Default: "off"},
	{Name: "ConnectionDrainTimeout", Protocols: []string{ProtoTCP}, Min: 10, Max: 900},
	{Name: "HealthCheckExp", Protocols: []string{ProtoUDP}},
	{Name: "HealthCheckReq", Protocols: []string{ProtoUDP}},
	{Name: "StickySession", Protocols: l7, Values: onOff, Default: "off"},
	{Name: "StickySessionType", Protocols: l7, Values: []string{"insert", "server"}},
	{Name: "Cookie", Protocols: l7},
	{Name: "CookieTimeout", Protocols: l7, Min: 1, Max: 86400},
	{Name: "XForwardedFor", Protocols: l7, Values: onOff, Default: "on"},
	{Name: "XForwardedFor_SLBIP", Protocols: l7, Values: onOff, Default: "off"},
	{Name: "XForwardedFor_SLBID", Protocols: l7, Values: onOff, Default: "off"},
	{Name: "XForwardedFor_proto", Protocols: l7, Values: onOff, Default: "off"},
	{Name: "XForwardedFor_SLBPORT", Protocols: l7, Values: onOff, Default: "off"},
	{Name: "XForwardedFor_ClientSrcPort", Protocols: l7, Values: onOff, Default: "off"},
	{Name: "Gzip", Protocols: l7, Values: onOff, Default: "on"},
	{Name: "IdleTimeout", Protocols: l7, Min: 1, Max: 60, Default: "15"},
	{Name: "RequestTimeout", Protocols: l7, Min: 1, Max: 180, Default: "60"},
	{Name: "ListenerForward", Protocols: []string{ProtoHTTP}, Values: onOff, Default: "off", CreateOnly: true},
	{Name: "ForwardPort", Protocols: []string{ProtoHTTP}, Min: 1, Max: 65535, CreateOnly: true},
	{Name: "ServerCertificateId", Protocols: []string{ProtoHTTPS}},
	{Name: "CACertificateId", Protocols: []string{ProtoHTTPS}},
	{Name: "EnableHttp2", Protocols: []string{ProtoHTTPS}, Values: onOff, Default: "on"},
	{Name: "TLSCipherPolicy", Protocols: []string{ProtoHTTPS}, Values: []string{"tls_cipher_policy_1_0", "tls_cipher_policy_1_1",
		"tls_cipher_policy_1_2", "tls_cipher_policy_1_2_strict", "tls_cipher_policy_1_2_strict_with_1_3"}, Default: "tls_cipher_policy_1_0"},
}

// SettingsOf answers the settings a protocol's Create (create) or Set action takes.
func SettingsOf(protocol string, create bool) []ListenerSetting {
	var out []ListenerSetting
	for _, s := range ListenerSettings {
		if slices.Contains(s.Protocols, protocol) && (create || !s.CreateOnly) {
			out = append(out, s)
		}
	}
	return out
}

// NewListener is a stopped listener with the protocol's defaults under
// the given settings (a new listener does not serve until started).
func NewListener(port int, protocol string, given map[string]string) Listener {
	l := Listener{Port: port, Protocol: protocol, Status: ListenerStopped, Settings: map[string]string{}}
	for _, s := range SettingsOf(protocol, true) {
		if s.Default != "" {
			l.Settings[s.Name] = s.Default
		}
	}
	for k, v := range given {
		l.Settings[k] = v
	}
	return l
}

// CheckListenerSettings judges the settings of a listener as a whole,
// after a create or a merge: a sticky session needs its type, and its
// cookie or timeout; an enabled ACL needs its type and id. The error names
// the missing parameter [choice: MissingParameter; the references only
// say the parameter is required in that case].
func CheckListenerSettings(l Listener) error {
	need := func(name string) error {
		if l.Settings[name] == "" {
			return apierr.MissingParameter.New(name)
		}
		return nil
	}
	var checks []string
	if l.Str("StickySession") == "on" {
		checks = append(checks, "StickySessionType")
		switch l.Str("StickySessionType") {
		case "insert":
			checks = append(checks, "CookieTimeout")
		case "server":
			checks = append(checks, "Cookie")
		}
	}
	if l.Str("AclStatus") == "on" {
		checks = append(checks, "AclType", "AclId")
	}
	if l.Protocol == ProtoHTTPS {
		checks = append(checks, "ServerCertificateId")
	}
	if l.Str("VServerGroupId") == "" {
		checks = append(checks, "BackendServerPort")
	}
	for _, c := range checks {
		if err := need(c); err != nil {
			return err
		}
	}
	return nil
}

// ListenerAt finds the listener on port; protocol "" matches any, and two
// listeners (TCP-family and UDP) on the port then answer TooManyListeners.
func (l LoadBalancer) ListenerAt(port int, protocol string) (int, error) {
	found := -1
	for i, x := range l.Listeners {
		if x.Port != port || (protocol != "" && x.Protocol != protocol) {
			continue
		}
		if found >= 0 {
			return -1, apierr.TooManyListeners.New()
		}
		found = i
	}
	if found < 0 {
		return -1, apierr.ListenerNotFound.New().WithDetail("load balancer %s has no %s listener on port %d", l.ID, protocol, port)
	}
	return found, nil
}

// AddListener is Create…Listener: the port must be free for the
// listener's transport. The new listener is configuring for the window,
// then stopped; the load balancer's backend window neither refuses nor
// opens (the Terraform provider retries no code on create).
func AddListener(l LoadBalancer, x Listener, now time.Time, window Duration) (LoadBalancer, error) {
	for _, y := range l.Listeners {
		if y.Port == x.Port && transport(y.Protocol) == transport(x.Protocol) {
			return l, apierr.ListenerAlreadyExists.New().WithDetail("port %d has a %s listener", y.Port, y.Protocol)
		}
	}
	if err := CheckListenerSettings(x); err != nil {
		return l, err
	}
	x = x.enter(ListenerConfiguring, ListenerStopped, now, window)
	l.Listeners = append(slices.Clone(l.Listeners), x)
	slices.SortStableFunc(l.Listeners, func(a, b Listener) int { return a.Port - b.Port })
	return l, nil
}

// ChangeListener applies change to the listener on port and protocol;
// change may refuse. The load balancer's own window is left alone.
func ChangeListener(l LoadBalancer, port int, protocol string, change func(Listener) (Listener, error)) (LoadBalancer, error) {
	i, err := l.ListenerAt(port, protocol)
	if err != nil {
		return l, err
	}
	next, err := change(l.Listeners[i])
	if err != nil {
		return l, err
	}
	l.Listeners = slices.Clone(l.Listeners)
	l.Listeners[i] = next
	return l, nil
}

// ConfigureListener is a configuration change of one listener
// (Set…ListenerAttribute, the whitelist writes): refused while the
// listener is configuring, starting or stopping
// (OperationFailed.ListenerStatusNotSupport, which the Terraform provider
// retries on Set); a running listener is configuring for the window, a
// stopped one stays stopped [choice].
func ConfigureListener(x Listener, now time.Time, window Duration, change func(Listener) (Listener, error)) (Listener, error) {
	st := x.StatusAt(now)
	if st != ListenerRunning && st != ListenerStopped {
		return x, apierr.ListenerStatusNotSupport.New().WithDetail("listener %s/%d is %s", x.Protocol, x.Port, st)
	}
	next, err := change(x)
	if err != nil {
		return x, err
	}
	if st == ListenerRunning {
		return next.enter(ListenerConfiguring, ListenerRunning, now, window), nil
	}
	return next.enter("", ListenerStopped, now, 0), nil
}

// MergeSettings is Set…ListenerAttribute: the given settings replace the
// stored ones, then the whole is judged again.
func MergeSettings(x Listener, given map[string]string) (Listener, error) {
	s := make(map[string]string, len(x.Settings)+len(given))
	for k, v := range x.Settings {
		s[k] = v
	}
	for k, v := range given {
		if v == "" {
			delete(s, k) // an emptied setting is unset
		} else {
			s[k] = v
		}
	}
	x.Settings = s
	return x, CheckListenerSettings(x)
}

// StartListener is StartLoadBalancerListener on listener i of l: only a
// stopped listener starts (starting for the window, then running). A
// listener in a transitional state answers Operation.Deny ("the specified
// listener is configuring"), a running one Operation.NotAllowed; a load
// balancer whose backends are configuring answers ServiceIsConfiguring,
// the code the Terraform provider retries on start [choice].
func StartListener(l LoadBalancer, x Listener, now time.Time, window Duration) (Listener, error) {
	switch st := x.StatusAt(now); st {
	case ListenerStopped:
	case ListenerRunning:
		return x, apierr.ListenerNotAllowed.New().WithDetail("listener %s/%d is %s", x.Protocol, x.Port, st)
	default:
		return x, apierr.ListenerConfiguringDeny.New().WithDetail("listener %s/%d is %s", x.Protocol, x.Port, st)
	}
	if l.Configuring(now) {
		return x, apierr.ServiceIsConfiguring.New().WithDetail("load balancer %s configuring until %s", l.ID, l.ConfiguringUntil.Format(time.RFC3339Nano))
	}
	return x.enter(ListenerStarting, ListenerRunning, now, window), nil
}

// StopListener is StopLoadBalancerListener: a running listener is
// stopping for the window, then stopped; stopping a stopped one changes
// nothing [choice]; a transitional one answers Operation.NotAllowed, the
// state code of the reference's table.
func StopListener(x Listener, now time.Time, window Duration) (Listener, error) {
	switch st := x.StatusAt(now); st {
	case ListenerRunning:
		return x.enter(ListenerStopping, ListenerStopped, now, window), nil
	case ListenerStopped:
		return x, nil
	default:
		return x, apierr.ListenerNotAllowed.New().WithDetail("listener %s/%d is %s", x.Protocol, x.Port, st)
	}
}

// RemoveListener is DeleteLoadBalancerListener: only a stopped or running
// listener is deleted (the reference), at once. A configuring or starting
// one answers ServiceIsConfiguring, a stopping one ServiceIsStopping (409);
// both are codes the Terraform provider retries on delete.
func RemoveListener(l LoadBalancer, port int, protocol string, now time.Time) (LoadBalancer, error) {
	i, err := l.ListenerAt(port, protocol)
	if err != nil {
		return l, err
	}
	x := l.Listeners[i]
	switch st := x.StatusAt(now); st {
	case ListenerRunning, ListenerStopped:
	case ListenerStopping:
		return l, apierr.ServiceIsStopping.New().WithDetail("listener %s/%d is stopping", x.Protocol, x.Port)
	default:
		return l, apierr.ServiceIsConfiguring.New().WithDetail("listener %s/%d is %s", x.Protocol, x.Port, st)
	}
	l.Listeners = slices.Delete(slices.Clone(l.Listeners), i, i+1)
	return l, nil
}

// ListenersUsing answers the listeners whose setting name holds value
// (a VServer group, an ACL or a certificate in use).
func (l LoadBalancer) ListenersUsing(name, value string) []Listener {
	var out []Listener
	for _, x := range l.Listeners {
		if value != "" && x.Settings[name] == value {
			out = append(out, x)
		}
	}
	return out
}

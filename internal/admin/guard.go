package admin

import (
	"crypto/subtle"
	"net"
	"net/http"
	"net/url"
	"strings"
)

// The admin API and the console change and reveal the whole emulated
// world, so every request to them is checked before anything else runs
// or is logged: the Host it names (a DNS-rebinding page reaches a loopback
// server under its own name), the Origin a browser adds (a foreign page's
// form or fetch), and the admin token when one is set. The RPC endpoint
// is not guarded this way: SDKs send the Host of whatever endpoint they
// were given, and every call there is signed.

// Refusal reasons, the label of the refused-admin-calls metric.
const (
	RefusedHost   = "host"
	RefusedOrigin = "origin"
	RefusedToken  = "token"
)

// loopbackNames are the host names every admin request may use.
var loopbackNames = []string{"127.0.0.1", "localhost", "::1"}

// hostAllowed tells whether a Host header names this server: a loopback
// name, or one of Options.Hosts (the listen address, --admin-host).
func (a *API) hostAllowed(hostport string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.ToLower(strings.TrimSuffix(strings.Trim(host, "[]"), "."))
	if host == "" {
		return false
	}
	for _, n := range loopbackNames {
		if host == n {
			return true
		}
	}
	for _, n := range a.opts.Hosts {
		if strings.EqualFold(host, n) {
			return true
		}
	}
	return false
}

// refusal answers why r must be turned away ("" when it may pass), with
// the status and message to answer.
func (a *API) refusal(r *http.Request) (reason string, status int, msg string) {
	if r.URL.Path == "/_ecslocal/health" && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
		return "", 0, "" // says only that the server is up, to any probe
	}
	if !a.hostAllowed(r.Host) {
		return RefusedHost, http.StatusForbidden, "Host " + r.Host + " does not name this server (loopback names, the listen address and --admin-host do)"
	}
	// A browser names the page a request comes from; only this server's
	// own pages (same scheme, host and port) may read or change state.
	if o := r.Header.Get("Origin"); o != "" {
		u, err := url.Parse(o)
		if err != nil || u.Host == "" || !strings.EqualFold(u.Host, r.Host) {
			return RefusedOrigin, http.StatusForbidden, "cross-origin request refused"
		}
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead && r.Header.Get("Sec-Fetch-Site") == "cross-site" {
		return RefusedOrigin, http.StatusForbidden, "cross-origin request refused"
	}
	if !a.tokenOK(r) {
		return RefusedToken, http.StatusUnauthorized, "admin token missing or wrong"
	}
	return "", 0, ""
}

// tokenOK tells whether r carries the admin token, or none is needed.
func (a *API) tokenOK(r *http.Request) bool {
	if a.opts.Token == "" {
		return true
	}
	got := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	return subtle.ConstantTimeCompare([]byte(got), []byte(a.opts.Token)) == 1
}

// securityHeaders keep admin and console answers out of other pages:
// no framing, no sniffing, scripts and styles only from this server.
func securityHeaders(h http.Header) {
	h.Set("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
	h.Set("X-Frame-Options", "DENY")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
}

// guard checks r (refusal) before next runs; a refused request is counted
// through Options.Refused and never logged, so that no caller without the
// right can push real events out of the audit log.
func (a *API) guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		securityHeaders(w.Header())
		if reason, status, msg := a.refusal(r); reason != "" {
			if reason == RefusedToken && a.consoleGate(w, r) {
				return // a browser: the sign-in page, or its sign-in cookie (console_auth.go)
			}
			if a.opts.Refused != nil {
				a.opts.Refused(reason)
			}
			writeErr(w, status, msg)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// RequireToken guards a handler outside /_ecslocal/ (metrics, pprof) with
// the admin token when one is set; such answers reveal the command line
// and the server's insides.
func (a *API) RequireToken(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !a.tokenOK(r) {
			if a.opts.Refused != nil {
				a.opts.Refused(RefusedToken)
			}
			writeErr(w, http.StatusUnauthorized, "admin token missing or wrong")
			return
		}
		next.ServeHTTP(w, r)
	})
}

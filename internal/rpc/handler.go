package rpc

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ecslocal/ecslocal/internal/apierr"
)

// Bounds on what one request may carry; the real gateway has similar ones and
// they keep a hostile client from costing us memory.
const (
	MaxBodyBytes = 1 << 20 // a form body; RunInstances' 32 KB UserData fits easily
	MaxParams    = 2000
	// SignatureWindow is how far a request timestamp may be from the wall clock.
	SignatureWindow = 15 * time.Minute
)

// Key is one access key pair and the account (tenant) it belongs to.
type Key struct {
	ID, Secret, Account string
}

// NonceStore remembers SignatureNonces per access key; implemented by the
// store so that replicas agree.
type NonceStore interface {
	// UseNonce records the nonce and reports false when it was already used
	// within the window.
	UseNonce(ctx context.Context, accessKeyID, nonce string, now time.Time) (bool, error)
}

// Options configure a Handler.
type Options struct {
	Keys    []Key
	AuthOff bool // verify no signature; still map the key to an account
	// WallNow is the wall clock, used only for the signature window.
	WallNow func() time.Time
	Nonces  NonceStore
	// RequestID makes the RequestId of each answer; nil is random upper-case UUIDs.
	RequestID func() string
	// Before runs after routing and before binding; a non-nil error (an armed
	// fault) answers the call without running the action.
	Before func(ctx context.Context, c *Call) error
	// CallContext, when set, derives the context a call's nonce check,
	// Before and action run in, once the caller's key and account are
	// known (the store reads Before's value, and what the account's reads
	// need first, with the nonce: store.AlongNonce).
	CallContext func(ctx context.Context, account string) context.Context
	// After observes every answered call: audit log and metrics.
	After  func(ctx context.Context, c *Call, status int, err error, elapsed time.Duration)
	Logger *slog.Logger
	// Classify may name the catalog answer for an internal failure the
	// wire layer cannot know, such as a store conflict that outlived its
	// retries (ServiceUnavailable, which every client retries). Nil or a
	// nil answer means InternalError.
	Classify func(error) *apierr.Error
	// Official tells whether an action of a version is in the product's
	// official API definition; such an action without a table entry answers
	// NotImplemented (501) instead of InvalidAction.NotFound. Nil: none is.
	Official func(version, action string) bool
	// RateLimit is the calls per second each account may make, with a
	// burst of as many; past it a call answers Throttling.User. 0 is no limit.
	RateLimit float64
	// MaxInFlight bounds the calls served at once; past it a call answers
	// ServiceUnavailable (503) at once. 0 is no bound.
	MaxInFlight int
	// BodyTimeout bounds how long reading one request body may take; the
	// body is read before an in-flight slot is taken, so a slow sender
	// holds a connection, never a slot. 0 is DefaultBodyTimeout.
	BodyTimeout time.Duration
	// BodyBudget bounds the request body bytes held at once by calls not
	// yet answered; past it a call answers ServiceUnavailable. 0 is
	// 2*MaxInFlight bodies of MaxBodyBytes (no bound without MaxInFlight).
	BodyBudget int64
}

// DefaultBodyTimeout is Options.BodyTimeout's default: a 1 MB body
// arrives in far less over any link a CI fleet uses.
const DefaultBodyTimeout = 10 * time.Second

// Handler serves the Alibaba Cloud RPC endpoint.
type Handler struct {
	table *Table
	opts  Options
	keys  map[string]Key
	// v1 keeps each key's keyed HMAC-SHA1s for v1 signatures (v1Signer).
	v1 map[string]*v1Signer
	// bufs recycles the buffers (*[]byte) answers are encoded into: a page of
	// instances is tens of kilobytes, allocated anew on every call otherwise.
	bufs  sync.Pool
	limit *limiter      // nil without RateLimit
	slots chan struct{} // nil without MaxInFlight
	// buffered is the body bytes held by calls not yet answered.
	buffered atomic.Int64
}

// NewHandler builds the endpoint over a table of actions.
func NewHandler(t *Table, opts Options) *Handler {
	keys := make(map[string]Key, len(opts.Keys))
	for _, k := range opts.Keys {
		keys[k.ID] = k
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.WallNow == nil {
		opts.WallNow = time.Now
	}
	if opts.RequestID == nil {
		// ServeHTTP calls it before its recover is in place: nil would drop
		// every connection without an answer.
		opts.RequestID = randomRequestID
	}
	h := &Handler{table: t, opts: opts, keys: keys, v1: make(map[string]*v1Signer, len(keys))}
	for id, k := range keys {
		h.v1[id] = newV1Signer(k.Secret)
	}
	if opts.RateLimit > 0 {
		h.limit = newLimiter(opts.RateLimit)
	}
	if opts.MaxInFlight > 0 {
		h.slots = make(chan struct{}, opts.MaxInFlight)
	}
	if h.opts.BodyTimeout <= 0 {
		h.opts.BodyTimeout = DefaultBodyTimeout
	}
	if h.opts.BodyBudget == 0 && opts.MaxInFlight > 0 {
		h.opts.BodyBudget = 2 * int64(opts.MaxInFlight) * MaxBodyBytes
	}
	return h
}

// randomRequestID is an upper-case random (version 4) UUID.
func randomRequestID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%X-%X-%X-%X-%X", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// The body first, bounded in time and size, and only then a slot: a
	// client that sends its body slowly never keeps others out.
	raw, held, berr := h.readBody(w, r)
	defer h.buffered.Add(-held)
	if h.slots != nil {
		select {
		case h.slots <- struct{}{}:
			defer func() { <-h.slots }()
		default:
			// Over the bound: answer at once, before reading or verifying
			// anything, so that overload costs next to nothing.
			asXML := strings.EqualFold(r.URL.Query().Get("Format"), "XML")
			writeError(w, apierr.ServiceUnavailable.New(), h.opts.RequestID(), r.Host, "", asXML)
			return
		}
	}
	start := time.Now()
	c := &Call{RequestID: h.opts.RequestID(), Host: r.Host}
	asXML := false
	status := http.StatusOK
	var callErr error
	defer func() {
		// A panic anywhere below is answered in the Alibaba envelope, never as a bare 500.
		if p := recover(); p != nil {
			h.opts.Logger.Error("panic in action", "action", c.Action, "requestId", c.RequestID, "panic", fmt.Sprint(p))
			callErr = fmt.Errorf("panic: %v", p)
			status = apierr.InternalError.Status
			writeError(w, apierr.InternalError.New(), c.RequestID, c.Host, c.Product, asXML)
		}
		if h.opts.After != nil && (c.Action != "" || c.Refused != "") {
			h.opts.After(r.Context(), c, status, callErr, time.Since(start))
		}
	}()
	var resp Response
	err := berr
	if err == nil {
		resp, err = h.serve(r, c, raw, &asXML)
	}
	if err == nil {
		resp.SetRequestID(c.RequestID)
		if err = h.writeSuccess(r.Context(), w, c.Action, resp, c.RequestID, asXML); err == nil {
			return
		}
	}
	callErr = err
	var ae *apierr.Error
	if !errors.As(err, &ae) {
		h.opts.Logger.Error("internal error", "action", c.Action, "requestId", c.RequestID, "err", err)
		ae = apierr.InternalError.New()
		if h.opts.Classify != nil {
			if known := h.opts.Classify(err); known != nil {
				ae = known
			}
		}
	}
	status = ae.Status
	if ae.Code != apierr.DryRunOperation.Code {
		reason := ae.Reason()
		w.Header().Set(ReasonHeader, headerSafe(reason))
		action := c.Action
		if action == "" { // refused before routing: the action as asked, if it is to hand
			action = r.Header.Get("x-acs-action")
			if action == "" {
				action = r.URL.Query().Get("Action")
			}
		}
		h.opts.Logger.Info("refused", "action", action, "code", ae.Code, "status", ae.Status,
			"reason", reason, "requestId", c.RequestID, "account", c.Account)
	}
	writeError(w, ae, c.RequestID, c.Host, c.Product, asXML)
}

// ReasonHeader carries ecslocal's reason for a refused call: the rule and
// the resource behind the code, for operators and for clients that want
// it. Real clients ignore it; the body stays the cloud's.
const ReasonHeader = "X-Ecslocal-Reason"

// headerSafe keeps a reason to one line of printable ASCII, as a header
// value must be; other bytes become '?'.
func headerSafe(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c < 0x20 || c > 0x7e {
			b[i] = '?'
		}
	}
	return string(b)
}

func (h *Handler) serve(r *http.Request, c *Call, raw []byte, asXML *bool) (Response, error) {
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		return nil, apierr.UnsupportedHTTPMethod.New()
	}
	params, err := readParams(r, raw)
	if err != nil {
		return nil, err
	}
	if len(params) > MaxParams {
		return nil, apierr.RequestTooLarge.New(fmt.Sprintf("more than %d parameters", MaxParams))
	}
	switch strings.ToUpper(params["Format"]) {
	case "", "JSON":
	case "XML":
		*asXML = true
	default:
		return nil, apierr.InvalidFormat.New()
	}
	key, version, action, nonce, err := h.authenticate(r, params, raw)
	if err == nil {
		if h.opts.CallContext != nil {
			r = r.WithContext(h.opts.CallContext(r.Context(), key.Account))
		}
		err = h.useNonce(r, key.ID, nonce)
	}
	if err != nil {
		// Refused at the door: logged and counted with its reason (After),
		// the action it claimed kept short since nothing vouches for it.
		c.Refused = refusal(err)
		c.AccessKeyID = clip(claimedKey(r, params))
		c.Version, c.Action = clip(claimed(r, params, "Version", "x-acs-version")), clip(claimed(r, params, "Action", "x-acs-action"))
		c.Params = NewParams(params)
		return nil, err
	}
	c.AccessKeyID, c.Account = key.ID, key.Account
	// Copies: whatever keeps a name (the audit log, a metric label) must
	// not keep the whole request body it was cut from alive.
	c.Version, c.Action = strings.Clone(version), strings.Clone(action)
	fn, product, okVersion, okAction := h.table.lookup(version, action)
	c.Product = product
	if !okVersion {
		return nil, apierr.InvalidVersion.New()
	}
	if !okAction {
		if h.opts.Official != nil && h.opts.Official(version, action) {
			return nil, apierr.NotImplemented.New(product, version, action)
		}
		return nil, apierr.InvalidAction.New()
	}
	c.Params = NewParams(params)
	if h.limit != nil && !h.limit.allow(c.Account, h.opts.WallNow()) {
		c.Refused = apierr.ThrottlingUser.Code
		return nil, apierr.ThrottlingUser.New()
	}
	if h.opts.Before != nil {
		if err := h.opts.Before(r.Context(), c); err != nil {
			return nil, err
		}
	}
	return fn(r.Context(), c)
}

// refusal is the error code an authentication failure answers with; an
// internal failure (the nonce store) counts as InternalError.
func refusal(err error) string {
	var ae *apierr.Error
	if errors.As(err, &ae) {
		return ae.Code
	}
	return apierr.InternalError.Code
}

// maxClaimed bounds what a refused call's unverified names may cost the log.
const maxClaimed = 128

func clip(s string) string { return strings.Clone(s[:min(len(s), maxClaimed)]) }

// claimed is a name a request carries in a parameter or an ACS3 header.
func claimed(r *http.Request, params map[string]string, param, header string) string {
	if v := params[param]; v != "" {
		return v
	}
	return r.Header.Get(header)
}

// claimedKey is the access key id a request names, signed or not.
func claimedKey(r *http.Request, params map[string]string) string {
	if a, ok := ParseACS3Authorization(r.Header.Get("Authorization")); ok {
		return a.AccessKeyID
	}
	return params["AccessKeyId"]
}

// readBody reads a POST body under a read deadline of BodyTimeout, at most
// MaxBodyBytes of it, each chunk counted against BodyBudget as it arrives
// (never what Content-Length claims); held is what the caller gives back
// to the budget once the call is answered.
func (h *Handler) readBody(w http.ResponseWriter, r *http.Request) (raw []byte, held int64, err error) {
	if r.Method != http.MethodPost || r.Body == nil || r.Body == http.NoBody {
		return nil, 0, nil
	}
	rc := http.NewResponseController(w)
	deadline := rc.SetReadDeadline(time.Now().Add(h.opts.BodyTimeout)) == nil
	defer func() {
		if err != nil {
			// The rest of a body that failed is not worth waiting for.
			w.Header().Set("Connection", "close")
		} else if deadline {
			// The next request on the connection gets the server's own timeouts.
			rc.SetReadDeadline(time.Time{})
		}
	}()
	const chunk = 32 << 10
	buf := make([]byte, 0, min(max(r.ContentLength, 512), chunk))
	for {
		if len(buf) == cap(buf) {
			if len(buf) > MaxBodyBytes {
				return nil, held, apierr.RequestTooLarge.New(fmt.Sprintf("body over %d bytes", MaxBodyBytes))
			}
			grow := min(max(cap(buf), chunk), MaxBodyBytes+1-len(buf))
			if h.opts.BodyBudget > 0 && h.buffered.Add(int64(grow)) > h.opts.BodyBudget {
				h.buffered.Add(-int64(grow))
				return nil, held, apierr.ServiceUnavailable.New()
			}
			held += int64(grow)
			buf = slices.Grow(buf, grow)
		}
		n, rerr := r.Body.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if rerr == io.EOF {
			break
		}
		if rerr != nil {
			return nil, held, apierr.InvalidParameterMsg.New("The request body could not be read.")
		}
	}
	if len(buf) > MaxBodyBytes {
		return nil, held, apierr.RequestTooLarge.New(fmt.Sprintf("body over %d bytes", MaxBodyBytes))
	}
	return buf, held, nil
}

// readParams parses the query and, for form posts, the body raw, into one
// value per name: the first, the query's before the body's. Malformed
// encoding is the client's error, never ours. A request of at most
// fastParams pairs is parsed in place, into a map of its size; a larger
// one through url.ParseQuery, whose bound on pairs it keeps
// (TestReadParamsAsParseQuery holds the two to one answer).
func readParams(r *http.Request, raw []byte) (map[string]string, error) {
	var body string
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt == "application/x-www-form-urlencoded" && len(raw) > 0 {
		body = string(raw)
	}
	n := strings.Count(r.URL.RawQuery, "&") + 1
	if body != "" {
		n += strings.Count(body, "&") + 1
	}
	if n > fastParams {
		return readParamsSlow(r.URL.RawQuery, body)
	}
	params := make(map[string]string, n)
	if !addParams(params, r.URL.RawQuery) {
		return nil, errBadQuery()
	}
	if !addParams(params, body) {
		return nil, errBadBody()
	}
	return params, nil
}

// fastParams is the most pairs readParams parses itself.
const fastParams = 256

func errBadQuery() error {
	return apierr.InvalidParameterMsg.New("The request query string is not valid URL encoding.")
}

func errBadBody() error {
	return apierr.InvalidParameterMsg.New("The request body is not valid URL encoding.")
}

// addParams adds the pairs of s that params lacks, as url.ParseQuery reads
// them, and reports false where ParseQuery would fail.
func addParams(params map[string]string, s string) bool {
	ok := true
	for s != "" {
		var pair string
		pair, s, _ = strings.Cut(s, "&")
		if strings.Contains(pair, ";") {
			ok = false
			continue
		}
		if pair == "" {
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		k, err1 := url.QueryUnescape(k)
		v, err2 := url.QueryUnescape(v)
		if err1 != nil || err2 != nil {
			ok = false
			continue
		}
		if _, dup := params[k]; !dup {
			params[k] = v
		}
	}
	return ok
}

// readParamsSlow is readParams through url.ParseQuery.
func readParamsSlow(rawQuery, body string) (map[string]string, error) {
	query, qerr := url.ParseQuery(rawQuery)
	if qerr != nil {
		return nil, errBadQuery()
	}
	form := url.Values{}
	if body != "" {
		f, ferr := url.ParseQuery(body)
		if ferr != nil {
			return nil, errBadBody()
		}
		form = f
	}
	params := map[string]string{}
	for _, src := range []url.Values{query, form} {
		for k, vs := range src {
			if len(vs) > 0 {
				if _, dup := params[k]; !dup {
					params[k] = vs[0]
				}
			}
		}
	}
	return params, nil
}

// Package server is the one place that assembles ecslocal: store, clock,
// the RPC endpoint with the product tables, the admin API and metrics. Both
// cmd/ecslocal and ecslocaltest build their server through New.
package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/pprof"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/ecslocal/ecslocal/internal/admin"
	"github.com/ecslocal/ecslocal/internal/apidef"
	"github.com/ecslocal/ecslocal/internal/apierr"
	"github.com/ecslocal/ecslocal/internal/clock"
	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/ecs"
	"github.com/ecslocal/ecslocal/internal/ident"
	"github.com/ecslocal/ecslocal/internal/ram"
	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/slb"
	"github.com/ecslocal/ecslocal/internal/store"
	"github.com/ecslocal/ecslocal/internal/store/memory"
	"github.com/ecslocal/ecslocal/internal/store/postgres"
	"github.com/ecslocal/ecslocal/internal/store/sqlite"
	"github.com/ecslocal/ecslocal/internal/vpc"
)

// Version is the release stamped into the binary (-ldflags -X).
var Version = "dev"

// Config is everything a server is built from; cmd/ecslocal fills it from
// flags and environment, ecslocaltest from Options.
type Config struct {
	// TLSCertFile and TLSKeyFile, when set, make Listen answer TLS beside
	// plain HTTP on the one port; the handler does not read them.
	TLSCertFile, TLSKeyFile string
	Store                   string // "sqlite:PATH", "memory"
	Keys                    []rpc.Key
	AuthOff                 bool
	Profile                 string // "fast" | "realistic"
	FreezeClock             bool
	AdminToken              string
	// TLSDir, when set, is where serve --tls keeps its self-signed pair
	// (SelfSigned); the command makes it and fills TLSCertFile/TLSKeyFile.
	TLSDir string
	// Seed makes IDs and RequestIds reproducible; 0 is random.
	Seed uint64
	// WallNow is the wall clock; nil is time.Now. Tests may replace it.
	WallNow func() time.Time
	// SettleInterval is how often due events are applied in the background.
	SettleInterval time.Duration
	Logger         *slog.Logger
	// EventRetention is how many audit events the log keeps; 0 is
	// store.DefaultEventRetention (10000).
	EventRetention int
	// InitState is the path of a state document (GET /_ecslocal/state) to
	// import at start, replacing whatever the store held; "" imports nothing.
	InitState string
	// RateLimit is the requests per second each account may make (burst
	// RateLimit), beyond which calls answer Throttling.User; 0 is no limit.
	RateLimit int
	// MaxInFlight bounds the API calls served at once, beyond which calls
	// answer ServiceUnavailable (503); 0 is DefaultMaxInFlight, <0 no bound.
	MaxInFlight int
	// Pprof mounts net/http/pprof on /debug/pprof/ of the handler; like
	// /metrics it needs the admin token when one is set.
	Pprof bool
	// AdminHosts are host names the admin API and console answer to
	// besides the loopback names (the listen address, a compose service
	// name); a request naming another Host is refused (DNS rebinding).
	AdminHosts []string
	// BodyTimeout bounds the reading of one API request body; 0 is
	// rpc.DefaultBodyTimeout.
	BodyTimeout time.Duration
}

// DefaultMaxInFlight is Config.MaxInFlight's default: enough for a CI
// fleet, few enough that memory stays bounded under any load.
const DefaultMaxInFlight = 256

// Server is an assembled ecslocal.
type Server struct {
	Handler http.Handler
	Store   store.Store
	Clock   *clock.Clock
	Admin   *admin.API
	cfg     Config
	cancel  context.CancelFunc
	wg      sync.WaitGroup
}

// ParseKey reads "ID:SECRET[:ACCOUNT]".
func ParseKey(s string) (rpc.Key, error) {
	parts := strings.Split(s, ":")
	if len(parts) < 2 || len(parts) > 3 || parts[0] == "" || parts[1] == "" {
		return rpc.Key{}, fmt.Errorf("access key %q: want ID:SECRET[:ACCOUNT]", s)
	}
	k := rpc.Key{ID: parts[0], Secret: parts[1], Account: rpc.AccountFor(parts[0])}
	if len(parts) == 3 {
		if !isAccountID(parts[2]) {
			return rpc.Key{}, fmt.Errorf("access key %q: ACCOUNT %q must be a 16-digit account id, such as 1234567890123456", s, parts[2])
		}
		k.Account = parts[2]
	}
	return k, nil
}

// isAccountID reports whether s has the form of an Alibaba Cloud account id:
// 16 digits, the first not 0.
func isAccountID(s string) bool {
	if len(s) != 16 || s[0] == '0' {
		return false
	}
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// OpenStore opens the store a --store value names.
func OpenStore(ctx context.Context, spec string) (store.Store, error) {
	switch {
	case spec == "memory":
		return memory.Open(), nil
	case spec == "sqlite::memory:":
		// The SQLite schema in memory: how CI runs the SDK tests on SQLite.
		return sqlite.OpenMemory(ctx)
	case strings.HasPrefix(spec, "sqlite:"):
		path, opts, err := sqliteOptions(strings.TrimPrefix(spec, "sqlite:"))
		if err != nil {
			return nil, fmt.Errorf("store %s: %w", spec, err)
		}
		db, err := sqlite.Open(ctx, path)
		if err != nil {
			return nil, fmt.Errorf("store sqlite:%s: %w", path, err)
		}
		db.SetMemo(!opts.memoOff)
		if opts.indexDelay != nil {
			if err := db.SetIndexDelay(ctx, *opts.indexDelay); err != nil {
				db.Close()
				return nil, fmt.Errorf("store sqlite:%s: %w", path, err)
			}
		}
		return db, nil
	case strings.HasPrefix(spec, "postgres://"), strings.HasPrefix(spec, "postgresql://"):
		// Shared by several replicas; ecslocal_schema=NAME|auto picks the
		// schema (see package postgres).
		db, err := postgres.Open(ctx, spec)
		if err != nil {
			return nil, err
		}
		return db, nil
	}
	return nil, fmt.Errorf("store %q: want one of sqlite:PATH, sqlite::memory:, memory, or postgres://USER@HOST:PORT/DB", spec)
}

// sqliteStoreOptions are the settings after a SQLite path's "?".
type sqliteStoreOptions struct {
	memoOff    bool           // memo=off: every read runs its statements (sqlite.DB.SetMemo)
	indexDelay *time.Duration // index_delay=DUR: how long a new record waits for its index rows (sqlite.DB.SetIndexDelay)
}

// sqliteOptions splits a sqlite: store's PATH?OPTIONS.
func sqliteOptions(spec string) (path string, opts sqliteStoreOptions, err error) {
	path, query, _ := strings.Cut(spec, "?")
	if query == "" {
		return path, opts, nil
	}
	values, err := url.ParseQuery(query)
	if err != nil {
		return path, opts, err
	}
	for k, vs := range values {
		v := vs[len(vs)-1]
		switch k {
		case "memo":
			if v != "off" && v != "on" {
				return path, opts, fmt.Errorf("memo=%s: want on or off", v)
			}
			opts.memoOff = v == "off"
		case "index_delay":
			d, err := time.ParseDuration(v)
			if err != nil || d < 0 {
				return path, opts, fmt.Errorf("index_delay=%s: want a duration such as 2s, or 0", v)
			}
			opts.indexDelay = &d
		default:
			return path, opts, fmt.Errorf("unknown option %q: want memo or index_delay", k)
		}
	}
	return path, opts, nil
}

// New assembles a server and starts its background scheduler; Close stops it.
func New(ctx context.Context, cfg Config) (*Server, error) {
	if cfg.WallNow == nil {
		cfg.WallNow = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Profile == "" {
		cfg.Profile = cloud.ProfileFast
	}
	if cfg.Profile != cloud.ProfileFast && cfg.Profile != cloud.ProfileRealistic {
		return nil, fmt.Errorf("profile %q: want fast or realistic", cfg.Profile)
	}
	if cfg.SettleInterval == 0 {
		cfg.SettleInterval = 250 * time.Millisecond
	}
	if len(cfg.Keys) == 0 {
		k, _ := ParseKey("test:test")
		cfg.Keys = []rpc.Key{k}
	}
	st, err := OpenStore(ctx, cfg.Store)
	if err != nil {
		return nil, err
	}
	clk := clock.New(st, cfg.WallNow)
	m := newMetrics()
	adm := admin.New(admin.Options{Store: st, Clock: clk, Token: cfg.AdminToken, Version: Version, StoreName: storeName(cfg.Store),
		EventRetention: cfg.EventRetention, Logger: cfg.Logger, Hosts: cfg.AdminHosts,
		Refused: func(reason string) { m.adminRefused.WithLabelValues(reason).Inc() }})
	st.SetHooks(hooks(clk, adm, m))
	if err := clk.Init(ctx, cfg.FreezeClock); err != nil {
		adm.Close()
		st.Close()
		return nil, fmt.Errorf("init clock: %w", err)
	}
	if err := applyProfile(ctx, st, cfg.Profile); err != nil {
		adm.Close()
		st.Close()
		return nil, err
	}
	if cfg.InitState != "" {
		raw, err := os.ReadFile(cfg.InitState)
		n := 0
		if err == nil {
			n, err = adm.LoadState(ctx, raw)
		}
		if err != nil {
			adm.Close()
			st.Close()
			return nil, fmt.Errorf("init state %s: %w", cfg.InitState, err)
		}
		cfg.Logger.Info("state imported", "file", cfg.InitState, "resources", n)
	}
	ids := ident.New(cfg.Seed)
	catalog := cloud.DefaultCatalog()

	defs, err := apidef.Load()
	if err != nil {
		adm.Close()
		st.Close()
		return nil, err
	}
	table := rpc.NewTable()
	ecs.New(st, catalog, ids).Register(table)
	vpc.New(st, catalog, ids).Register(table)
	slb.New(st, catalog, ids).Register(table)
	ram.New(st, ids).Register(table)

	endpoint := rpc.NewHandler(table, rpc.Options{
		Keys:      cfg.Keys,
		AuthOff:   cfg.AuthOff,
		WallNow:   cfg.WallNow,
		Nonces:    st,
		RequestID: ids.RequestID,
		// An official action not in the table answers NotImplemented.
		Official: func(version, action string) bool { return defs.Official("", version, action) },
		Before:   adm.ConsumeFault,
		// The fault check's read goes with the nonce where the store can.
		CallContext: func(ctx context.Context, account string) context.Context {
			return store.AlongNonce(ctx, account, store.MetaFaults)
		},
		After: func(ctx context.Context, c *rpc.Call, status int, err error, elapsed time.Duration) {
			m.observe(c, status, err, elapsed)
			adm.RecordCall(ctx, c, status, err, elapsed)
		},
		Logger:      cfg.Logger,
		Classify:    classify,
		RateLimit:   float64(cfg.RateLimit),
		MaxInFlight: maxInFlight(cfg.MaxInFlight),
		BodyTimeout: cfg.BodyTimeout,
	})
	mux := http.NewServeMux()
	if cfg.Pprof {
		// A private mux, never http.DefaultServeMux (style.md (g) 2); the
		// command line it shows holds keys and the admin token.
		mux.Handle("/debug/pprof/", adm.RequireToken(http.HandlerFunc(pprof.Index)))
		mux.Handle("/debug/pprof/cmdline", adm.RequireToken(http.HandlerFunc(pprof.Cmdline)))
		mux.Handle("/debug/pprof/profile", adm.RequireToken(http.HandlerFunc(pprof.Profile)))
		mux.Handle("/debug/pprof/symbol", adm.RequireToken(http.HandlerFunc(pprof.Symbol)))
		mux.Handle("/debug/pprof/trace", adm.RequireToken(http.HandlerFunc(pprof.Trace)))
	}
	mux.Handle("/_ecslocal/", adm.Audited())
	mux.Handle("GET /metrics", adm.RequireToken(promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{Registry: m.registry})))
	api := adm.Collect(endpoint)
	var pointed sync.Once // one hint per server, not one per browser reload
	mux.Handle("/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet && r.URL.Path == "/" && r.URL.RawQuery == "" && r.Header.Get("Authorization") == "" {
			// A browser at the root: the answer stays the cloud's error, the log points the way.
			pointed.Do(func() {
				cfg.Logger.Info("GET / without a signature answers the cloud's MissingAccessKeyId error; the web console is at http://" + r.Host + "/_ecslocal/console/")
			})
		}
		api.ServeHTTP(w, r)
	}))

	runCtx, cancel := context.WithCancel(context.Background())
	s := &Server{Handler: mux, Store: st, Clock: clk, Admin: adm, cfg: cfg, cancel: cancel}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		clk.Run(runCtx, cfg.SettleInterval, func(err error) { cfg.Logger.Error("settle due events", "err", err) })
	}()
	return s, nil
}

// maxInFlight maps Config.MaxInFlight to rpc.Options.MaxInFlight.
func maxInFlight(n int) int {
	switch {
	case n == 0:
		return DefaultMaxInFlight
	case n < 0:
		return 0
	}
	return n
}

// applyProfile sets the --profile choice, keeping every other switch a
// previous run stored.
func applyProfile(ctx context.Context, st store.Store, profile string) error {
	return st.Meta(ctx, func(m store.MetaTx) error {
		c, err := store.LoadConfig(ctx, m)
		if err != nil {
			return err
		}
		c.Profile, c.Delays = profile, cloud.DefaultConfig(profile).Delays
		return store.PutJSON(ctx, m, store.MetaConfig, c)
	})
}

func storeName(spec string) string {
	if strings.HasPrefix(spec, "postgres") {
		return "postgres"
	}
	return spec
}

// Close stops the scheduler, writes the audit events still queued and
// closes the store.
func (s *Server) Close() error {
	s.cancel()
	s.wg.Wait()
	s.Admin.Close()
	return s.Store.Close()
}

// hooks connect the store to the clock (emulated time, due events) and to
// the audit log and metrics, which learn of changes only after commit.
func hooks(clk *clock.Clock, adm *admin.API, m *metrics) store.Hooks {
	h := clk.Hooks()
	h.BeforeUpdate = store.MarkingDue(h.BeforeUpdate)
	h.AfterCommit = func(ctx context.Context, account string, changes []store.Change) {
		m.changed(changes)
		adm.AfterCommit(ctx, account, changes)
	}
	h.Conflict = func(_ context.Context, retried bool) {
		m.conflicts.WithLabelValues(strconv.FormatBool(retried)).Inc()
	}
	return h
}

// metrics are one server's Prometheus metrics, on its own registry so that
// two servers in one process never share them (style.md (g)).
type metrics struct {
	registry  *prometheus.Registry
	requests  *prometheus.CounterVec
	latency   *prometheus.HistogramVec
	due       prometheus.Counter
	changes   *prometheus.CounterVec
	conflicts *prometheus.CounterVec
	// notImplemented counts calls of official actions not built, so a team
	// sees which missing actions its suite needs.
	notImplemented *prometheus.CounterVec
	// refused counts API calls turned away at authentication or by the
	// rate limit, adminRefused admin requests refused by the guard.
	refused      *prometheus.CounterVec
	adminRefused *prometheus.CounterVec
	// byCall keeps the counter and histogram of each (product, action,
	// code) as WithLabelValues found them, which hashed the labels and
	// looked them up twice on every call. As bounded as the vectors' own
	// label sets, which keep every one anyway.
	callsMu sync.RWMutex
	byCall  map[callLabels]callMetrics
	// byChange is the changes counter of every declared kind and op,
	// resolved at start and never changed after: a launch and a release
	// commit some twenty changes, each one a label lookup before.
	byChange map[changeLabels]prometheus.Counter
}

type changeLabels struct{ kind, op string }

type callLabels struct{ product, action, code string }

type callMetrics struct {
	requests prometheus.Counter
	latency  prometheus.Observer
}

// call answers the metrics of one label set, resolved once.
func (m *metrics) call(product, action, code string) callMetrics {
	k := callLabels{product, action, code}
	m.callsMu.RLock()
	cm, ok := m.byCall[k]
	m.callsMu.RUnlock()
	if ok {
		return cm
	}
	cm = callMetrics{m.requests.WithLabelValues(product, action, code), m.latency.WithLabelValues(product, action)}
	m.callsMu.Lock()
	if m.byCall == nil {
		m.byCall = map[callLabels]callMetrics{}
	}
	// Copies: the key must not keep a request's memory alive.
	m.byCall[callLabels{strings.Clone(product), strings.Clone(action), strings.Clone(code)}] = cm
	m.callsMu.Unlock()
	return cm
}

func newMetrics() *metrics {
	m := &metrics{
		registry: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "ecslocal_requests_total",
			Help: "API calls answered, by product, action and answer code (OK for a success).",
		}, []string{"product", "action", "code"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "ecslocal_request_duration_seconds",
			Help:    "Time to answer an API call, by product and action.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}, []string{"product", "action"}),
		due: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "ecslocal_due_events_applied_total",
			Help: "Resource changes made by due events (asynchronous transitions) the clock applied, counted after commit.",
		}),
		changes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "ecslocal_state_changes_total",
			Help: "Committed resource changes, by kind and operation (created, updated, deleted).",
		}, []string{"kind", "op"}),
		conflicts: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "ecslocal_store_conflicts_total",
			Help: "Store transactions that lost to a concurrent one, by whether they were retried.",
		}, []string{"retried"}),
		notImplemented: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "ecslocal_not_implemented_total",
			Help: "Calls of official actions ecslocal does not implement (answered NotImplemented), by product and action.",
		}, []string{"product", "action"}),
	}
	m.refused = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "ecslocal_refused_requests_total",
		Help: "API calls refused at authentication or by the rate limit, by reason (the error code answered).",
	}, []string{"reason"})
	m.adminRefused = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "ecslocal_admin_refused_total",
		Help: "Admin, console, metrics and pprof requests refused before they ran, by reason (host, origin, token); never in the audit log.",
	}, []string{"reason"})
	m.registry.MustRegister(m.requests, m.latency, m.due, m.changes, m.conflicts, m.notImplemented, m.refused, m.adminRefused)
	// Zero is a value worth showing: no conflicts yet.
	m.conflicts.WithLabelValues("false")
	m.conflicts.WithLabelValues("true")
	// Every declared kind shows its series from the start.
	m.byChange = map[changeLabels]prometheus.Counter{}
	for _, k := range cloud.Kinds() {
		for _, op := range []string{store.Created, store.Updated, store.Deleted} {
			m.byChange[changeLabels{k.Name, op}] = m.changes.WithLabelValues(k.Name, op)
		}
	}
	return m
}

// observe counts one answered call. Unknown versions and actions share one
// label value, so a client cannot grow the label set without bound.
func (m *metrics) observe(c *rpc.Call, status int, err error, elapsed time.Duration) {
	code := "OK"
	if err != nil {
		code = apierr.InternalError.Code
		var ae *apierr.Error
		if errors.As(err, &ae) {
			code = ae.Code
		}
	}
	product, action := c.Product, c.Action
	if c.Refused != "" {
		m.refused.WithLabelValues(c.Refused).Inc()
	}
	// Unrouted calls (a refused one names whatever it likes) share a label.
	if code == apierr.InvalidAction.Code || code == apierr.InvalidVersion.Code || product == "" {
		action = "unknown"
	}
	if product == "" {
		product = "unknown"
	}
	cm := m.call(product, action, code)
	cm.requests.Inc()
	if code == apierr.NotImplemented.Code {
		// The action label is bounded: only official names answer this.
		m.notImplemented.WithLabelValues(product, action).Inc()
	}
	cm.latency.Observe(elapsed.Seconds())
}

// changed counts committed changes.
func (m *metrics) changed(changes []store.Change) {
	for _, c := range changes {
		if ctr, ok := m.byChange[changeLabels{c.Kind, c.Op}]; ok {
			ctr.Inc()
		} else {
			m.changes.WithLabelValues(c.Kind, c.Op).Inc()
		}
		if c.Due {
			m.due.Inc()
		}
	}
}

// classify answers a store conflict that outlived the backend's retries as
// ServiceUnavailable: the request changed nothing and may simply be retried.
func classify(err error) *apierr.Error {
	if errors.Is(err, store.ErrConflict) {
		return apierr.ServiceUnavailable.New()
	}
	return nil
}

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
	"strings"
	"sync"
	"time"

	"github.com/ecslocal/ecslocal/internal/admin"
	"github.com/ecslocal/ecslocal/internal/clock"
	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/ecs"
	"github.com/ecslocal/ecslocal/internal/ident"
	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/store"
	"github.com/ecslocal/ecslocal/internal/store/sqlite"
	"github.com/ecslocal/ecslocal/internal/vpc"
)

// Version is the release stamped into the binary (-ldflags -X).
var Version = "dev"

// Config is everything a server is built from; cmd/ecslocal fills it from
// flags and environment, ecslocaltest from Options.
type Config struct {
	Store       string // "sqlite:PATH", "memory"
	Keys        []rpc.Key
	AuthOff     bool
	Profile     string // "fast" | "realistic"
	FreezeClock bool
	AdminToken  string
	// Seed makes IDs and RequestIds reproducible; 0 is random.
	Seed uint64
	// WallNow is the wall clock; nil is time.Now. Tests may replace it.
	WallNow func() time.Time
	// SettleInterval is how often due events are applied in the background.
	SettleInterval time.Duration
	Logger         *slog.Logger
}

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
	if len(parts) == 3 && parts[2] != "" {
		k.Account = parts[2]
	}
	return k, nil
}

// OpenStore opens the store a --store value names.
func OpenStore(ctx context.Context, spec string) (store.Store, error) {
	switch {
	case spec == "memory":
		return sqlite.OpenMemory(ctx)
	case strings.HasPrefix(spec, "sqlite:"):
		return sqlite.Open(ctx, strings.TrimPrefix(spec, "sqlite:"))
	case strings.HasPrefix(spec, "postgres://"), strings.HasPrefix(spec, "postgresql://"):
		return nil, errors.New("the postgres store is not built yet (issue 7); use sqlite:PATH or memory")
	}
	return nil, fmt.Errorf("store %q: want sqlite:PATH, memory or postgres://…", spec)
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
	st.SetHooks(clk.Hooks())
	if err := clk.Init(ctx, cfg.FreezeClock); err != nil {
		st.Close()
		return nil, fmt.Errorf("init clock: %w", err)
	}
	if err := applyProfile(ctx, st, cfg.Profile); err != nil {
		st.Close()
		return nil, err
	}
	ids := ident.New(cfg.Seed)
	catalog := cloud.DefaultCatalog()

	table := rpc.NewTable()
	ecs.New(st, catalog, ids).Register(table)
	vpc.New(st, catalog, ids).Register(table)

	adm := admin.New(admin.Options{Store: st, Clock: clk, Token: cfg.AdminToken, Version: Version, StoreName: storeName(cfg.Store)})
	endpoint := rpc.NewHandler(table, rpc.Options{
		Keys:      cfg.Keys,
		AuthOff:   cfg.AuthOff,
		WallNow:   cfg.WallNow,
		Nonces:    st,
		RequestID: ids.RequestID,
		Before:    adm.ConsumeFault,
		Logger:    cfg.Logger,
	})
	mux := http.NewServeMux()
	mux.Handle("/_ecslocal/", adm)
	mux.Handle("/", endpoint)

	runCtx, cancel := context.WithCancel(context.Background())
	s := &Server{Handler: mux, Store: st, Clock: clk, Admin: adm, cfg: cfg, cancel: cancel}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		clk.Run(runCtx, cfg.SettleInterval, func(err error) { cfg.Logger.Error("settle due events", "err", err) })
	}()
	return s, nil
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

// Close stops the scheduler and closes the store.
func (s *Server) Close() error {
	s.cancel()
	s.wg.Wait()
	return s.Store.Close()
}

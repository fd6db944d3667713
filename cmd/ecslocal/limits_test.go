package main

import (
	"errors"
	"strings"
	"testing"

	"github.com/ecslocal/ecslocal/internal/server"
)

// TestLoadConfig_Overload: --rate-limit, --max-inflight and --pprof, each
// a flag beating its environment twin beating the default.
func TestLoadConfig_Overload(t *testing.T) {
	load := func(args []string, e env) server.Config {
		t.Helper()
		cfg, _, err := LoadConfig(args, e.get)
		if err != nil {
			t.Fatalf("LoadConfig(%q, %v): %v", args, e, err)
		}
		return cfg
	}
	if cfg := load(nil, env{}); cfg.RateLimit != 0 || cfg.MaxInFlight != server.DefaultMaxInFlight || cfg.Pprof {
		t.Errorf("defaults: rate %d, in flight %d, pprof %v; want 0, %d, false", cfg.RateLimit, cfg.MaxInFlight, cfg.Pprof, server.DefaultMaxInFlight)
	}
	for _, c := range []struct {
		name  string
		args  []string
		env   env
		check func(server.Config) bool
	}{
		{"rate-limit env", nil, env{EnvRateLimit: "50"}, func(c server.Config) bool { return c.RateLimit == 50 }},
		{"rate-limit flag over env", []string{"--rate-limit", "7"}, env{EnvRateLimit: "50"}, func(c server.Config) bool { return c.RateLimit == 7 }},
		{"rate-limit empty env", nil, env{EnvRateLimit: ""}, func(c server.Config) bool { return c.RateLimit == 0 }},
		{"max-inflight env", nil, env{EnvMaxInFlight: "32"}, func(c server.Config) bool { return c.MaxInFlight == 32 }},
		{"max-inflight flag over env", []string{"--max-inflight=8"}, env{EnvMaxInFlight: "32"}, func(c server.Config) bool { return c.MaxInFlight == 8 }},
		{"max-inflight 0 is no bound", []string{"--max-inflight", "0"}, nil, func(c server.Config) bool { return c.MaxInFlight < 0 }},
		{"pprof env", nil, env{EnvPprof: "1"}, func(c server.Config) bool { return c.Pprof }},
		{"pprof flag over env", []string{"--pprof=false"}, env{EnvPprof: "true"}, func(c server.Config) bool { return !c.Pprof }},
		{"pprof flag", []string{"--pprof"}, nil, func(c server.Config) bool { return c.Pprof }},
	} {
		t.Run(c.name, func(t *testing.T) {
			if c.env == nil {
				c.env = env{}
			}
			if cfg := load(c.args, c.env); !c.check(cfg) {
				t.Errorf("rate %d, in flight %d, pprof %v", cfg.RateLimit, cfg.MaxInFlight, cfg.Pprof)
			}
		})
	}
	for _, c := range []struct {
		name    string
		args    []string
		env     env
		mention string
	}{
		{"rate-limit negative", []string{"--rate-limit", "-1"}, nil, "--rate-limit"},
		{"rate-limit env word", nil, env{EnvRateLimit: "lots"}, EnvRateLimit},
		{"rate-limit flag word", []string{"--rate-limit", "lots"}, nil, "rate-limit"},
		{"max-inflight env negative", nil, env{EnvMaxInFlight: "-5"}, EnvMaxInFlight},
		{"pprof env", nil, env{EnvPprof: "maybe"}, EnvPprof},
	} {
		t.Run(c.name, func(t *testing.T) {
			if c.env == nil {
				c.env = env{}
			}
			_, _, err := LoadConfig(c.args, c.env.get)
			var ue *UsageError
			if !errors.As(err, &ue) || !strings.Contains(err.Error(), c.mention) {
				t.Errorf("LoadConfig(%q, %v) = %v, want a usage error naming %s", c.args, c.env, err, c.mention)
			}
		})
	}
}

func TestGCPercent(t *testing.T) {
	for _, c := range []struct {
		live uint64
		want int
	}{{0, 3200}, {1 << 20, 3200}, {16 << 20, 800}, {64 << 20, 200}, {128 << 20, 100}, {4 << 30, 100}} {
		if got := gcPercent(c.live, gcHeadroomFor("memory")); got != c.want {
			t.Errorf("gcPercent(%d MB) = %d, want %d", c.live>>20, got, c.want)
		}
	}
	// SQLite and PostgreSQL: less room, a smaller resident set.
	for _, c := range []struct {
		live uint64
		want int
	}{{0, 800}, {1 << 20, 800}, {16 << 20, 200}, {32 << 20, 100}, {1 << 30, 100}} {
		if got := gcPercent(c.live, gcHeadroomFor("sqlite:x.db")); got != c.want {
			t.Errorf("sqlite: gcPercent(%d MB) = %d, want %d", c.live>>20, got, c.want)
		}
	}
}

// TestGCLimit: the soft memory limit of SQLite and PostgreSQL stays at its
// floor while the live heap is small and rises with it past that (twice
// the live heap plus the headroom), so that a large live heap (an import)
// is never collected without end; the memory store gets none.
func TestGCLimit(t *testing.T) {
	h, floor := gcHeadroomFor("sqlite:x.db"), gcLimitFloorFor("sqlite:x.db")
	for _, c := range []struct {
		live uint64
		want int64
	}{{0, 96 << 20}, {4 << 20, 96 << 20}, {16 << 20, 96 << 20}, {32 << 20, 96 << 20}, {40 << 20, 112 << 20}, {1 << 30, 2<<30 + 32<<20}} {
		if got := gcLimit(c.live, h, floor); got != c.want {
			t.Errorf("gcLimit(%d MB) = %d MB, want %d MB", c.live>>20, got>>20, c.want>>20)
		}
	}
	if gcLimitFloorFor("postgres://u@h/db") != floor || gcLimitFloorFor("memory") != 0 {
		t.Error("the floor: PostgreSQL as SQLite, none for the memory store")
	}
}

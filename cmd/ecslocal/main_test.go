package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/server"
)

// TestMain lets TestSignals run this test binary as the ecslocal command.
func TestMain(m *testing.M) {
	if os.Getenv("ECSLOCAL_TEST_RUN_MAIN") == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

// env is a fake environment.
type env map[string]string

func (e env) get(k string) string { return e[k] }

func TestLoadConfig_Defaults(t *testing.T) {
	cfg, addr, err := LoadConfig(nil, env{}.get)
	if err != nil {
		t.Fatal(err)
	}
	want := server.Config{
		Store:   "sqlite:ecslocal.db",
		Keys:    []rpc.Key{{ID: "test", Secret: "test", Account: rpc.AccountFor("test")}},
		Profile: "fast",
	}
	if addr != "127.0.0.1:8790" {
		t.Errorf("addr %q, want 127.0.0.1:8790", addr)
	}
	if cfg.Store != want.Store || !slices.Equal(cfg.Keys, want.Keys) || cfg.AuthOff || cfg.Profile != "fast" || cfg.FreezeClock || cfg.AdminToken != "" {
		t.Errorf("defaults: %+v, want %+v", cfg, want)
	}
}

// TestLoadConfig_Precedence: for every setting, a flag beats its
// environment twin, which beats the default.
func TestLoadConfig_Precedence(t *testing.T) {
	type result struct {
		addr string
		cfg  server.Config
	}
	for _, c := range []struct {
		name       string
		envKey     string
		envValue   string
		flags      []string
		def, e, fl func(result) bool
	}{
		{
			name: "addr", envKey: EnvAddr, envValue: "127.0.0.1:9000", flags: []string{"--addr", "0.0.0.0:9100"},
			def: func(r result) bool { return r.addr == "127.0.0.1:8790" },
			e:   func(r result) bool { return r.addr == "127.0.0.1:9000" },
			fl:  func(r result) bool { return r.addr == "0.0.0.0:9100" },
		},
		{
			name: "store", envKey: EnvStore, envValue: "memory", flags: []string{"--store", "sqlite:/tmp/other.db"},
			def: func(r result) bool { return r.cfg.Store == "sqlite:ecslocal.db" },
			e:   func(r result) bool { return r.cfg.Store == "memory" },
			fl:  func(r result) bool { return r.cfg.Store == "sqlite:/tmp/other.db" },
		},
		{
			name: "access-key", envKey: EnvAccessKeys, envValue: "envid:envsecret", flags: []string{"--access-key", "flagid:flagsecret"},
			def: func(r result) bool { return slices.Equal(keyIDs(r.cfg.Keys), []string{"test"}) },
			e:   func(r result) bool { return slices.Equal(keyIDs(r.cfg.Keys), []string{"envid"}) },
			fl:  func(r result) bool { return slices.Equal(keyIDs(r.cfg.Keys), []string{"flagid"}) },
		},
		{
			name: "auth", envKey: EnvAuth, envValue: "off", flags: []string{"--auth", "strict"},
			def: func(r result) bool { return !r.cfg.AuthOff },
			e:   func(r result) bool { return r.cfg.AuthOff },
			fl:  func(r result) bool { return !r.cfg.AuthOff },
		},
		{
			name: "profile", envKey: EnvProfile, envValue: "realistic", flags: []string{"--profile", "fast"},
			def: func(r result) bool { return r.cfg.Profile == "fast" },
			e:   func(r result) bool { return r.cfg.Profile == "realistic" },
			fl:  func(r result) bool { return r.cfg.Profile == "fast" },
		},
		{
			name: "freeze-clock", envKey: EnvFreezeClock, envValue: "true", flags: []string{"--freeze-clock=false"},
			def: func(r result) bool { return !r.cfg.FreezeClock },
			e:   func(r result) bool { return r.cfg.FreezeClock },
			fl:  func(r result) bool { return !r.cfg.FreezeClock },
		},
		{
			name: "admin-token", envKey: EnvAdminToken, envValue: "from-env", flags: []string{"--admin-token", "from-flag"},
			def: func(r result) bool { return r.cfg.AdminToken == "" },
			e:   func(r result) bool { return r.cfg.AdminToken == "from-env" },
			fl:  func(r result) bool { return r.cfg.AdminToken == "from-flag" },
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			load := func(args []string, e env) result {
				t.Helper()
				cfg, addr, err := LoadConfig(args, e.get)
				if err != nil {
					t.Fatalf("LoadConfig(%q, %v): %v", args, e, err)
				}
				return result{addr, cfg}
			}
			if r := load(nil, env{}); !c.def(r) {
				t.Errorf("default: addr %q config %+v", r.addr, r.cfg)
			}
			if r := load(nil, env{c.envKey: c.envValue}); !c.e(r) {
				t.Errorf("env %s=%s: addr %q config %+v", c.envKey, c.envValue, r.addr, r.cfg)
			}
			if r := load(c.flags, env{c.envKey: c.envValue}); !c.fl(r) {
				t.Errorf("flag %q over env: addr %q config %+v", c.flags, r.addr, r.cfg)
			}
			// An empty variable counts as unset.
			if r := load(nil, env{c.envKey: ""}); !c.def(r) {
				t.Errorf("empty env: addr %q config %+v", r.addr, r.cfg)
			}
		})
	}
}

func TestLoadConfig_AccessKeys(t *testing.T) {
	for _, c := range []struct {
		name  string
		args  []string
		env   env
		want  []rpc.Key
		error bool
	}{
		{
			name: "repeated flag",
			args: []string{"--access-key", "a:sa", "--access-key=b:sb"},
			want: []rpc.Key{{ID: "a", Secret: "sa", Account: rpc.AccountFor("a")}, {ID: "b", Secret: "sb", Account: rpc.AccountFor("b")}},
		},
		{
			name: "comma env",
			env:  env{EnvAccessKeys: "a:sa, b:sb:1234567890123456,"},
			want: []rpc.Key{{ID: "a", Secret: "sa", Account: rpc.AccountFor("a")}, {ID: "b", Secret: "sb", Account: "1234567890123456"}},
		},
		{
			name: "flags replace env",
			args: []string{"--access-key", "c:sc"},
			env:  env{EnvAccessKeys: "a:sa,b:sb"},
			want: []rpc.Key{{ID: "c", Secret: "sc", Account: rpc.AccountFor("c")}},
		},
		{
			name: "ID:SECRET:ACCOUNT",
			args: []string{"--access-key", "id:secret:1111222233334444"},
			want: []rpc.Key{{ID: "id", Secret: "secret", Account: "1111222233334444"}},
		},
		{
			name: "account defaults to a stable 16-digit id",
			args: []string{"--access-key", "id:secret"},
			want: []rpc.Key{{ID: "id", Secret: "secret", Account: rpc.AccountFor("id")}},
		},
		{name: "no colon", args: []string{"--access-key", "nocolon"}, error: true},
		{name: "empty secret", args: []string{"--access-key", "id:"}, error: true},
		{name: "too many parts", args: []string{"--access-key", "a:b:c:d"}, error: true},
		{name: "no colon in env", env: env{EnvAccessKeys: "a:sa,nocolon"}, error: true},
		{name: "same id twice", args: []string{"--access-key", "a:x", "--access-key", "a:y"}, error: true},
		{name: "empty flag", args: []string{"--access-key", ""}, error: true},
	} {
		t.Run(c.name, func(t *testing.T) {
			if c.env == nil {
				c.env = env{}
			}
			cfg, _, err := LoadConfig(c.args, c.env.get)
			if c.error {
				var ue *UsageError
				if !errors.As(err, &ue) {
					t.Fatalf("LoadConfig: %v, want a usage error", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(cfg.Keys, c.want) {
				t.Errorf("keys %+v, want %+v", cfg.Keys, c.want)
			}
			if len(rpc.AccountFor("id")) != 16 {
				t.Errorf("AccountFor: %q is not 16 digits", rpc.AccountFor("id"))
			}
		})
	}
}

func TestLoadConfig_FreezeClock(t *testing.T) {
	for _, c := range []struct {
		args []string
		env  string
		want bool
	}{
		{[]string{"--freeze-clock"}, "", true},
		{[]string{"--freeze-clock=true"}, "", true},
		{[]string{"--freeze-clock=0"}, "1", false},
		{nil, "true", true},
		{nil, "1", true},
		{nil, "false", false},
		{nil, "0", false},
	} {
		cfg, _, err := LoadConfig(c.args, env{EnvFreezeClock: c.env}.get)
		if err != nil {
			t.Fatalf("%q env %q: %v", c.args, c.env, err)
		}
		if cfg.FreezeClock != c.want {
			t.Errorf("%q env %q: FreezeClock %v, want %v", c.args, c.env, cfg.FreezeClock, c.want)
		}
	}
}

func TestLoadConfig_BadValues(t *testing.T) {
	for _, c := range []struct {
		name    string
		args    []string
		env     env
		mention string // the error names where the value came from
	}{
		{"auth maybe", []string{"--auth", "maybe"}, nil, "--auth"},
		{"auth env", nil, env{EnvAuth: "loose"}, EnvAuth},
		{"profile slow", []string{"--profile", "slow"}, nil, "--profile"},
		{"profile env", nil, env{EnvProfile: "slow"}, EnvProfile},
		{"access key nocolon", []string{"--access-key", "nocolon"}, nil, "--access-key"},
		{"access keys env", nil, env{EnvAccessKeys: "nocolon"}, EnvAccessKeys},
		{"freeze-clock env", nil, env{EnvFreezeClock: "maybe"}, EnvFreezeClock},
		{"freeze-clock flag", []string{"--freeze-clock=maybe"}, nil, "freeze-clock"},
		{"store", []string{"--store", "mysql://x"}, nil, "--store"},
		{"store env", nil, env{EnvStore: "sqlite:"}, EnvStore},
		{"addr", []string{"--addr", "localhost"}, nil, "--addr"},
		{"addr port", nil, env{EnvAddr: "127.0.0.1:http"}, EnvAddr},
		{"addr port range", []string{"--addr", "127.0.0.1:70000"}, nil, "--addr"},
		{"unknown flag", []string{"--verbose"}, nil, "verbose"},
		{"argument", []string{"extra"}, nil, "extra"},
		{"missing value", []string{"--store"}, nil, "store"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if c.env == nil {
				c.env = env{}
			}
			_, _, err := LoadConfig(c.args, c.env.get)
			var ue *UsageError
			if !errors.As(err, &ue) {
				t.Fatalf("LoadConfig(%q, %v) = %v, want a usage error", c.args, c.env, err)
			}
			if ExitCode(err) != 2 {
				t.Errorf("exit code %d, want 2", ExitCode(err))
			}
			if !strings.Contains(err.Error(), c.mention) {
				t.Errorf("error %q does not mention %q", err, c.mention)
			}
		})
	}
}

func TestLoadConfig_PostgresAccepted(t *testing.T) {
	// The form is valid; that the backend is missing is server.New's answer.
	cfg, _, err := LoadConfig([]string{"--store", "postgres://u:pw@127.0.0.1:5432/db"}, env{}.get)
	if err != nil || cfg.Store != "postgres://u:pw@127.0.0.1:5432/db" {
		t.Fatalf("postgres store: %q, %v", cfg.Store, err)
	}
	if line := startLine("127.0.0.1:1", cfg); strings.Contains(line, "pw") {
		t.Errorf("start line shows the password: %s", line)
	}
}

// syncBuffer is a bytes.Buffer safe for a writer and a reader in two goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// newTestMain is a Main on buffers and a fake environment.
func newTestMain(e env) (*Main, *syncBuffer, *syncBuffer) {
	m := NewMain()
	stdout, stderr := &syncBuffer{}, &syncBuffer{}
	m.Stdout, m.Stderr, m.Getenv = stdout, stderr, e.get
	return m, stdout, stderr
}

// run runs one command to completion and answers its exit code and output.
func run(t *testing.T, e env, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	m, out, errw := newTestMain(e)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	err := m.Run(ctx, args)
	return ExitCode(err), out.String(), errw.String() + errString(err)
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// served is a serve command running in the background.
type served struct {
	addr   string
	stdout *syncBuffer
	stderr *syncBuffer
	cancel context.CancelFunc
	done   chan error
}

// startServe runs "ecslocal serve args…" until stop.
func startServe(t *testing.T, args ...string) *served {
	t.Helper()
	m, stdout, stderr := newTestMain(env{})
	ctx, cancel := context.WithCancel(context.Background())
	s := &served{stdout: stdout, stderr: stderr, cancel: cancel, done: make(chan error, 1)}
	go func() { s.done <- m.Run(ctx, append([]string{"serve"}, args...)) }()
	select {
	case <-m.Ready():
		s.addr = m.Addr()
	case err := <-s.done:
		cancel()
		t.Fatalf("serve ended before listening: %v\nstderr:\n%s", err, stderr)
	case <-time.After(time.Minute):
		cancel()
		t.Fatalf("serve did not listen within a minute")
	}
	t.Cleanup(func() { s.stop(t) })
	return s
}

// stop shuts the server down and checks it exits cleanly; safe to call twice.
func (s *served) stop(t *testing.T) {
	t.Helper()
	if s.done == nil {
		return
	}
	s.cancel()
	select {
	case err := <-s.done:
		if err != nil {
			t.Errorf("serve: %v\nstderr:\n%s", err, s.stderr)
		}
	case <-time.After(time.Minute):
		t.Errorf("serve did not stop within a minute")
	}
	s.done = nil
}

// admin runs an admin client command against s and decodes its JSON answer.
func (s *served) admin(t *testing.T, out any, args ...string) {
	t.Helper()
	code, stdout, stderr := run(t, env{}, append(args, "--addr", s.addr)...)
	if code != 0 {
		t.Fatalf("ecslocal %q: exit %d\nstderr: %s", args, code, stderr)
	}
	if strings.Count(stdout, "\n") != 1 || !strings.HasSuffix(stdout, "\n") {
		t.Errorf("ecslocal %q: want one line of JSON, got %q", args, stdout)
	}
	if err := json.Unmarshal([]byte(stdout), out); err != nil {
		t.Fatalf("ecslocal %q: %q is not JSON: %v", args, stdout, err)
	}
}

var startLineRE = regexp.MustCompile(`^ecslocal listening on http://127\.0\.0\.1:(\d+) store=(\S+) access-key=(\S+) auth=(strict|off) profile=(fast|realistic)( clock=frozen)?\n$`)

func TestServe_EndToEnd(t *testing.T) {
	s := startServe(t, "--addr", "127.0.0.1:0", "--store", "memory", "--freeze-clock")

	m := startLineRE.FindStringSubmatch(s.stdout.String())
	if m == nil {
		t.Fatalf("start line %q does not match %s", s.stdout, startLineRE)
	}
	if m[1] == "0" || !strings.HasSuffix(s.addr, ":"+m[1]) || m[2] != "memory" || m[3] != "test" || m[4] != "strict" || m[5] != "fast" || m[6] != " clock=frozen" {
		t.Errorf("start line %q; bound address %s", s.stdout, s.addr)
	}

	var health struct{ Status, Version, Store string }
	s.admin(t, &health, "health")
	if health.Status != "ok" || health.Version != server.Version || health.Store != "memory" {
		t.Errorf("health: %+v", health)
	}

	var clock struct{ Now time.Time }
	s.admin(t, &clock, "clock")
	start := clock.Now
	if start.IsZero() {
		t.Fatalf("clock: zero time")
	}
	// Flags may follow the arguments; the frozen clock moves by exactly 1h.
	s.admin(t, &clock, "clock", "advance", "1h")
	if got := clock.Now.Sub(start); got != time.Hour {
		t.Errorf("clock advance 1h moved the clock by %v", got)
	}
	s.admin(t, &clock, "clock")
	if got := clock.Now.Sub(start); got != time.Hour {
		t.Errorf("clock after advance: %v past start, want 1h", got)
	}
	target := start.Add(48 * time.Hour).Truncate(time.Second)
	s.admin(t, &clock, "clock", "set", target.Format(time.RFC3339))
	if !clock.Now.Equal(target) {
		t.Errorf("clock set %v answered %v", target, clock.Now)
	}

	var reset struct{ Status string }
	s.admin(t, &reset, "reset")
	if reset.Status != "reset" {
		t.Errorf("reset: %+v", reset)
	}
	// reset keeps the clock.
	s.admin(t, &clock, "clock")
	if !clock.Now.Equal(target) {
		t.Errorf("clock after reset %v, want %v", clock.Now, target)
	}

	// A refusal of the server: message on stderr, exit 1.
	code, stdout, stderr := run(t, env{}, "clock", "set", start.Format(time.RFC3339), "--addr", s.addr)
	if code != 1 || stdout != "" || !strings.Contains(stderr, "never moves back") {
		t.Errorf("clock set to the past: exit %d stdout %q stderr %q; want 1 with the server's message", code, stdout, stderr)
	}
	// ECSLOCAL_ADDR is the client's default address too.
	code, stdout, _ = run(t, env{EnvAddr: s.addr}, "health")
	if code != 0 || !strings.Contains(stdout, `"ok"`) {
		t.Errorf("health with ECSLOCAL_ADDR: exit %d stdout %q", code, stdout)
	}

	s.stop(t)
	if !strings.Contains(s.stderr.String(), "shutting down") {
		t.Errorf("no shutdown log on stderr:\n%s", s.stderr)
	}
	if strings.Count(s.stdout.String(), "\n") != 1 {
		t.Errorf("serve printed more than one line on stdout: %q", s.stdout)
	}
	// Nothing listens any more.
	if code, _, _ := run(t, env{}, "health", "--addr", s.addr); code != 1 {
		t.Errorf("health after shutdown: exit %d, want 1", code)
	}
}

func TestServe_AdminToken(t *testing.T) {
	s := startServe(t, "--addr", "127.0.0.1:0", "--store", "memory", "--admin-token", "s3cret", "--auth", "off", "--profile", "realistic", "--access-key", "ak1:sk1", "--access-key", "ak2:sk2")
	if m := startLineRE.FindStringSubmatch(s.stdout.String()); m == nil || m[3] != "ak1,ak2" || m[4] != "off" || m[5] != "realistic" || m[6] != "" {
		t.Errorf("start line %q", s.stdout)
	}
	code, _, stderr := run(t, env{}, "reset", "--addr", s.addr)
	if code != 1 || !strings.Contains(stderr, "401") || !strings.Contains(stderr, "admin token") {
		t.Errorf("reset without token: exit %d stderr %q; want 1 and the 401", code, stderr)
	}
	code, stdout, stderr := run(t, env{}, "reset", "--addr", s.addr, "--admin-token", "s3cret")
	if code != 0 || !strings.Contains(stdout, "reset") {
		t.Errorf("reset with --admin-token: exit %d stdout %q stderr %q", code, stdout, stderr)
	}
	code, stdout, stderr = run(t, env{EnvAdminToken: "s3cret", EnvAddr: s.addr}, "clock")
	if code != 0 || !strings.Contains(stdout, "now") {
		t.Errorf("clock with ECSLOCAL_ADMIN_TOKEN: exit %d stdout %q stderr %q", code, stdout, stderr)
	}
}

// TestServe_SQLite: a file store keeps its state across restarts, the
// emulated clock included.
func TestServe_SQLite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	s := startServe(t, "--addr", "127.0.0.1:0", "--store", "sqlite:"+path, "--freeze-clock")
	if m := startLineRE.FindStringSubmatch(s.stdout.String()); m == nil || m[2] != "sqlite:"+path {
		t.Errorf("start line %q", s.stdout)
	}
	var health struct{ Store string }
	s.admin(t, &health, "health")
	if health.Store != "sqlite:"+path {
		t.Errorf("health store %q", health.Store)
	}
	var clock struct{ Now time.Time }
	s.admin(t, &clock, "clock", "advance", "240h")
	advanced := clock.Now
	s.stop(t)
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("database file: %v", err)
	}

	s = startServe(t, "--addr", "127.0.0.1:0", "--store", "sqlite:"+path, "--freeze-clock")
	s.admin(t, &clock, "clock")
	if !clock.Now.Equal(advanced) {
		t.Errorf("clock after restart %v, want %v (kept in the store)", clock.Now, advanced)
	}
}

func TestServe_Failures(t *testing.T) {
	// A port already taken: exit 1, with the reason.
	s := startServe(t, "--addr", "127.0.0.1:0", "--store", "memory")
	code, _, stderr := run(t, env{}, "serve", "--addr", s.addr, "--store", "memory")
	if code != 1 || !strings.Contains(stderr, "listen") {
		t.Errorf("serve on a taken port: exit %d stderr %q", code, stderr)
	}
	// A store the server cannot open: exit 1.
	code, _, stderr = run(t, env{}, "serve", "--addr", "127.0.0.1:0", "--store", "postgres://127.0.0.1:1/none")
	if code != 1 || stderr == "" {
		t.Errorf("serve on a missing backend: exit %d stderr %q", code, stderr)
	}
	// A bad value: exit 2, before anything starts.
	code, stdout, stderr := run(t, env{}, "serve", "--profile", "slow")
	if code != 2 || stdout != "" || !strings.Contains(stderr, "slow") {
		t.Errorf("serve --profile slow: exit %d stdout %q stderr %q", code, stdout, stderr)
	}
}

func TestCommands(t *testing.T) {
	for _, c := range []struct {
		name   string
		args   []string
		code   int
		stdout string // a substring
		stderr string // a substring
	}{
		{"version", []string{"version"}, 0, "ecslocal " + server.Version + "\n", ""},
		{"help", []string{"help"}, 0, "ecslocal serve", ""},
		{"--help", []string{"--help"}, 0, "ecslocal serve", ""},
		{"no arguments", nil, 0, "ecslocal serve", ""},
		{"serve -h", []string{"serve", "-h"}, 0, "--freeze-clock", ""},
		{"unknown command", []string{"launch"}, 2, "", "launch"},
		{"version with arguments", []string{"version", "x"}, 2, "", "no arguments"},
		{"clock bad duration", []string{"clock", "advance", "soon"}, 2, "", "soon"},
		{"clock negative duration", []string{"clock", "advance", "--", "-1h"}, 2, "", "-1h"},
		{"clock bad time", []string{"clock", "set", "yesterday"}, 2, "", "yesterday"},
		{"clock unknown verb", []string{"clock", "rewind", "1h"}, 2, "", "rewind"},
		{"reset with arguments", []string{"reset", "all"}, 2, "", "all"},
		{"health unknown flag", []string{"health", "--verbose"}, 2, "", "verbose"},
		{"health bad addr", []string{"health", "--addr", "nowhere"}, 2, "", "nowhere"},
		{"health nobody listening", []string{"health", "--addr", "127.0.0.1:1"}, 1, "", "127.0.0.1:1"},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, stdout, stderr := run(t, env{}, c.args...)
			if code != c.code {
				t.Errorf("exit %d, want %d\nstdout: %s\nstderr: %s", code, c.code, stdout, stderr)
			}
			if c.stdout != "" && !strings.Contains(stdout, c.stdout) {
				t.Errorf("stdout %q lacks %q", stdout, c.stdout)
			}
			if c.stdout == "" && code != 0 && stdout != "" {
				t.Errorf("stdout %q, want nothing", stdout)
			}
			if c.stderr != "" && !strings.Contains(stderr, c.stderr) {
				t.Errorf("stderr %q lacks %q", stderr, c.stderr)
			}
		})
	}
}

func TestBaseURL(t *testing.T) {
	for in, want := range map[string]string{
		"127.0.0.1:8790":         "http://127.0.0.1:8790",
		":8790":                  "http://127.0.0.1:8790",
		"0.0.0.0:8790":           "http://127.0.0.1:8790",
		"[::]:8790":              "http://127.0.0.1:8790",
		"localhost:1":            "http://localhost:1",
		"[::1]:8790":             "http://[::1]:8790",
		"http://127.0.0.1:8790/": "http://127.0.0.1:8790",
		"https://ecs.example:9":  "https://ecs.example:9",
	} {
		if got, err := baseURL(in); err != nil || got != want {
			t.Errorf("baseURL(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
}

// TestSignals runs the real main in a child process: SIGTERM and SIGINT
// shut it down gracefully with exit code 0.
func TestSignals(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		t.Run(sig.String(), func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "serve", "--addr", "127.0.0.1:0", "--store", "memory")
			// The child sees none of the caller's ECSLOCAL_ settings.
			for _, kv := range os.Environ() {
				if !strings.HasPrefix(kv, "ECSLOCAL_") {
					cmd.Env = append(cmd.Env, kv)
				}
			}
			cmd.Env = append(cmd.Env, "ECSLOCAL_TEST_RUN_MAIN=1")
			var stderr syncBuffer
			cmd.Stderr = &stderr
			out, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			lines := make(chan string, 1)
			go func() {
				sc := bufio.NewScanner(out)
				if sc.Scan() {
					lines <- sc.Text()
				}
				close(lines)
				for sc.Scan() {
				}
			}()
			var line string
			select {
			case line = <-lines:
			case <-time.After(time.Minute):
				cmd.Process.Kill()
				t.Fatalf("no start line within a minute; stderr:\n%s", &stderr)
			}
			m := startLineRE.FindStringSubmatch(line + "\n")
			if m == nil {
				cmd.Process.Kill()
				t.Fatalf("start line %q; stderr:\n%s", line, &stderr)
			}
			if code, stdout, _ := run(t, env{}, "health", "--addr", "127.0.0.1:"+m[1]); code != 0 || !strings.Contains(stdout, "ok") {
				t.Errorf("health of the child: exit %d %q", code, stdout)
			}
			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			waited := make(chan error, 1)
			go func() { waited <- cmd.Wait() }()
			select {
			case err := <-waited:
				if err != nil {
					t.Errorf("ecslocal after %v: %v; stderr:\n%s", sig, err, &stderr)
				}
			case <-time.After(time.Minute):
				cmd.Process.Kill()
				t.Fatalf("ecslocal did not stop within a minute of %v", sig)
			}
			if !strings.Contains(stderr.String(), "stopped") {
				t.Errorf("stderr lacks the stop log:\n%s", &stderr)
			}
		})
	}
}

// callJSON runs "ecslocal call args…" against s and decodes the answer.
func (s *served) callJSON(t *testing.T, out any, args ...string) {
	t.Helper()
	code, stdout, stderr := run(t, env{}, append([]string{"call"}, append(args, "--addr", s.addr)...)...)
	if code != 0 {
		t.Fatalf("ecslocal call %q: exit %d\nstdout: %s\nstderr: %s", args, code, stdout, stderr)
	}
	if err := json.Unmarshal([]byte(stdout), out); err != nil {
		t.Fatalf("ecslocal call %q: %q is not JSON: %v", args, stdout, err)
	}
}

func TestCall(t *testing.T) {
	s := startServe(t, "--addr", "127.0.0.1:0", "--store", "memory", "--freeze-clock", "--access-key", "ak1:sk1", "--access-key", "ak2:sk2")

	var regions struct {
		RequestId string
		Regions   struct{ Region []struct{ RegionId string } }
	}
	code, stdout, stderr := run(t, env{EnvAccessKeys: "ak1:sk1,ak2:sk2"}, "call", "DescribeRegions", "--addr", s.addr)
	if code != 0 || json.Unmarshal([]byte(stdout), &regions) != nil || len(regions.Regions.Region) == 0 || regions.RequestId == "" {
		t.Fatalf("call DescribeRegions with the first key of ECSLOCAL_ACCESS_KEYS: exit %d\nstdout %s\nstderr %s", code, stdout, stderr)
	}

	// --product picks the version; --region is RegionId; key=value are parameters.
	var vpc struct{ VpcId, RouteTableId string }
	s.callJSON(t, &vpc, "CreateVpc", "--product", "vpc", "--access-key", "ak2:sk2", "--region", "cn-shanghai", "CidrBlock=10.0.0.0/8", "VpcName=from-cli")
	if !strings.HasPrefix(vpc.VpcId, "vpc-") {
		t.Fatalf("CreateVpc: %+v", vpc)
	}
	var vpcs struct {
		TotalCount int
		Vpcs       struct {
			Vpc []struct{ VpcId, VpcName, RegionId string }
		}
	}
	s.callJSON(t, &vpcs, "DescribeVpcs", "--version", "2016-04-28", "--access-key", "ak2:sk2", "RegionId=cn-shanghai")
	if vpcs.TotalCount != 1 || vpcs.Vpcs.Vpc[0].VpcName != "from-cli" || vpcs.Vpcs.Vpc[0].RegionId != "cn-shanghai" {
		t.Errorf("DescribeVpcs: %+v", vpcs)
	}
	// Accounts are apart: the default key (ECSLOCAL_ACCESS_KEYS unset) is
	// not one of this server's.
	code, stdout, stderr = run(t, env{}, "call", "DescribeVpcs", "--product", "vpc", "--addr", s.addr)
	if code != 1 || !strings.Contains(stdout, `"Code"`) || !strings.Contains(stderr, "InvalidAccessKeyId") {
		t.Errorf("call with an unknown key: exit %d stdout %q stderr %q", code, stdout, stderr)
	}

	// An error answer: printed, exit 1, the code on stderr.
	code, stdout, stderr = run(t, env{}, "call", "DeleteInstances", "InstanceId.1=i-bp1doesnotexist00000", "Force=true", "--access-key", "ak1:sk1", "--addr", s.addr)
	var e struct{ Code, RequestId string }
	if code != 1 || json.Unmarshal([]byte(stdout), &e) != nil || e.Code == "" || !strings.Contains(stderr, e.Code) {
		t.Errorf("call refused: exit %d stdout %q stderr %q", code, stdout, stderr)
	}
	code, _, stderr = run(t, env{}, "call", "DescribeRegions", "--access-key", "ak1:wrong", "--addr", s.addr)
	if code != 1 || !strings.Contains(stderr, "SignatureDoesNotMatch") {
		t.Errorf("call with a wrong secret: exit %d stderr %q", code, stderr)
	}

	for _, c := range []struct {
		name    string
		args    []string
		mention string
	}{
		{"no action", []string{"call"}, "ACTION"},
		{"not key=value", []string{"call", "DescribeRegions", "oops"}, "oops"},
		{"bad product", []string{"call", "DescribeRegions", "--product", "rds"}, "rds"},
		{"bad key", []string{"call", "DescribeRegions", "--access-key", "nocolon"}, "--access-key"},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, _, stderr := run(t, env{}, append(c.args, "--addr", s.addr)...)
			if code != 2 || !strings.Contains(stderr, c.mention) {
				t.Errorf("exit %d stderr %q; want 2 mentioning %q", code, stderr, c.mention)
			}
		})
	}
}

// TestState: export to a file and stdout, import from a file, and load a
// state at start with --init-state or ECSLOCAL_INIT_STATE.
func TestState(t *testing.T) {
	s := startServe(t, "--addr", "127.0.0.1:0", "--store", "memory", "--freeze-clock")
	var vpc struct{ VpcId string }
	s.callJSON(t, &vpc, "CreateVpc", "--product", "vpc", "CidrBlock=172.16.0.0/12")
	var clock struct{ Now time.Time }
	s.admin(t, &clock, "clock", "advance", "1h")

	file := filepath.Join(t.TempDir(), "world.json")
	if code, stdout, stderr := run(t, env{}, "state", "export", file, "--addr", s.addr); code != 0 || stdout != "" {
		t.Fatalf("state export FILE: exit %d stdout %q stderr %q", code, stdout, stderr)
	}
	doc, err := os.ReadFile(file)
	if err != nil || !strings.Contains(string(doc), `"schemaVersion": 1`) || !strings.Contains(string(doc), vpc.VpcId) {
		t.Fatalf("exported file: %v\n%.400s", err, doc)
	}
	code, stdout, _ := run(t, env{EnvAddr: s.addr}, "state", "export")
	if code != 0 || stdout != string(doc) {
		t.Errorf("state export to stdout differs from the file (exit %d)", code)
	}

	var reset struct{ Status string }
	s.admin(t, &reset, "reset")
	var vpcs struct{ TotalCount int }
	s.callJSON(t, &vpcs, "DescribeVpcs", "--product", "vpc")
	if vpcs.TotalCount != 0 {
		t.Fatalf("reset kept the VPC")
	}
	var imported struct {
		Status    string
		Resources int
	}
	s.admin(t, &imported, "state", "import", file)
	if imported.Status != "imported" || imported.Resources == 0 {
		t.Errorf("state import: %+v", imported)
	}
	s.callJSON(t, &vpcs, "DescribeVpcs", "--product", "vpc")
	if vpcs.TotalCount != 1 {
		t.Errorf("after import: %d VPCs, want 1", vpcs.TotalCount)
	}

	// A refused import: the server's message, exit 1.
	bad := filepath.Join(t.TempDir(), "future.json")
	os.WriteFile(bad, []byte(`{"schemaVersion": 99, "accounts": []}`), 0o644)
	code, _, stderr := run(t, env{}, "state", "import", bad, "--addr", s.addr)
	if code != 1 || !strings.Contains(stderr, "400") || !strings.Contains(stderr, "schemaVersion 99") {
		t.Errorf("import of a newer version: exit %d stderr %q", code, stderr)
	}
	for _, args := range [][]string{{"state"}, {"state", "import"}, {"state", "export", "a", "b"}, {"state", "load", "x"}} {
		if code, _, _ := run(t, env{}, append(args, "--addr", s.addr)...); code != 2 {
			t.Errorf("%q: exit %d, want 2", args, code)
		}
	}

	// --init-state loads the world at start, clock included.
	s2 := startServe(t, "--addr", "127.0.0.1:0", "--store", "memory", "--freeze-clock", "--init-state", file)
	s2.callJSON(t, &vpcs, "DescribeVpcs", "--product", "vpc")
	if vpcs.TotalCount != 1 {
		t.Errorf("--init-state: %d VPCs, want 1", vpcs.TotalCount)
	}
	var clock2 struct{ Now time.Time }
	s2.admin(t, &clock2, "clock")
	if !clock2.Now.Equal(clock.Now) {
		t.Errorf("--init-state clock %v, want the document's %v", clock2.Now, clock.Now)
	}
	// A state that cannot be loaded stops the start: exit 1.
	code, _, stderr = run(t, env{}, "serve", "--addr", "127.0.0.1:0", "--store", "memory", "--init-state", bad)
	if code != 1 || !strings.Contains(stderr, "schemaVersion 99") {
		t.Errorf("serve --init-state of a newer version: exit %d stderr %q", code, stderr)
	}
}

func TestLoadConfig_InitState(t *testing.T) {
	for _, c := range []struct {
		args []string
		env  env
		want string
	}{
		{nil, env{}, ""},
		{nil, env{EnvInitState: "/env.json"}, "/env.json"},
		{[]string{"--init-state", "/flag.json"}, env{EnvInitState: "/env.json"}, "/flag.json"},
	} {
		cfg, _, err := LoadConfig(c.args, c.env.get)
		if err != nil || cfg.InitState != c.want {
			t.Errorf("LoadConfig(%q, %v): InitState %q, %v; want %q", c.args, c.env, cfg.InitState, err, c.want)
		}
	}
}

func TestLoadConfig_TLS(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	cfg, _, err := LoadConfig([]string{"--tls-cert", "c.pem", "--tls-key", "k.pem"}, env(nil))
	if err != nil || cfg.TLSCertFile != "c.pem" || cfg.TLSKeyFile != "k.pem" {
		t.Fatalf("flags: %+v %v", cfg, err)
	}
	cfg, _, err = LoadConfig(nil, env(map[string]string{EnvTLSCert: "e.pem", EnvTLSKey: "ek.pem"}))
	if err != nil || cfg.TLSCertFile != "e.pem" || cfg.TLSKeyFile != "ek.pem" {
		t.Fatalf("env: %+v %v", cfg, err)
	}
	if _, _, err := LoadConfig([]string{"--tls-cert", "c.pem"}, env(nil)); ExitCode(err) != 2 {
		t.Fatalf("a certificate without a key must be a usage error: %v", err)
	}
}

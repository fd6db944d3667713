package main

import (
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/server"
)

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
		{"store forms", []string{"--store", "mysql://x"}, nil, "sqlite::memory:"},
		{"store directory missing", []string{"--store", "sqlite:/no/such/dir/x.db"}, nil, "directory /no/such/dir does not exist"},
		{"access key account not a number", []string{"--access-key", "a:b:notanumber"}, nil, "16-digit"},
		{"access key account too short", []string{"--access-key", "a:b:123"}, nil, "--access-key"},
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

var startLineRE = regexp.MustCompile(`^ecslocal listening on http://127\.0\.0\.1:(\d+) store=(\S+) access-key=(\S+) auth=(strict|off) profile=(fast|realistic)( clock=frozen)? console=(http://127\.0\.0\.1:\d+/_ecslocal/console/)\n$`)

func TestServe_EndToEnd(t *testing.T) {
	s := startServe(t, "--addr", "127.0.0.1:0", "--store", "memory", "--freeze-clock")

	m := startLineRE.FindStringSubmatch(s.stdout.String())
	if m == nil {
		t.Fatalf("start line %q does not match %s", s.stdout, startLineRE)
	}
	// A browser at the root gets the cloud's error; the log points to the console, once.
	for range 2 {
		resp, err := http.Get("http://" + s.addr + "/")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 400 {
			t.Errorf("GET /: status %d, want 400", resp.StatusCode)
		}
	}
	if n := strings.Count(s.stderr.String(), "the web console is at http://"+s.addr+"/_ecslocal/console/"); n != 1 {
		t.Errorf("the log points to the console %d times, want once:\n%s", n, s.stderr)
	}
	if m[1] == "0" || !strings.HasSuffix(s.addr, ":"+m[1]) || m[2] != "memory" || m[3] != "test" || m[4] != "strict" || m[5] != "fast" || m[6] != " clock=frozen" || m[7] != "http://"+s.addr+"/_ecslocal/console/" {
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

// Command ecslocal is a local, faithful Alibaba Cloud ECS API server.
//
//	ecslocal serve [flags]          run the server (design.md §1.1)
//	ecslocal version                print the version
//	ecslocal clock [advance D|set T] read or move the emulated clock
//	ecslocal reset | health         other admin API calls
//	ecslocal call ACTION key=value…  call the API, signed with a configured key
//	ecslocal state export|import    export or import the whole state
//
// main only wires the process (arguments, environment, standard streams,
// signals, exit code) to Main, which tests run in-process.
package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/server"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	// The first signal starts a graceful shutdown; unregistering then lets a
	// second one kill the process at once.
	go func() { <-ctx.Done(); stop() }()

	if len(os.Args) > 1 && os.Args[1] == "serve" && os.Getenv("GOGC") == "" {
		go tuneGC(ctx, time.Second)
	}
	m := NewMain()
	err := m.Run(ctx, os.Args[1:])
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "ecslocal:", err)
		var ue *UsageError
		if errors.As(err, &ue) && !ue.usageShown {
			fmt.Fprintln(os.Stderr, "run 'ecslocal help' for usage")
		}
	}
	os.Exit(ExitCode(err))
}

// Defaults of design.md §1.1.
const (
	DefaultAddr      = "127.0.0.1:8790"
	DefaultStore     = "sqlite:ecslocal.db"
	DefaultAccessKey = "test:test"
)

// Environment twins of the flags (design.md §1.1).
const (
	EnvAddr        = "ECSLOCAL_ADDR"
	EnvStore       = "ECSLOCAL_STORE"
	EnvAccessKeys  = "ECSLOCAL_ACCESS_KEYS"
	EnvAuth        = "ECSLOCAL_AUTH"
	EnvProfile     = "ECSLOCAL_PROFILE"
	EnvFreezeClock = "ECSLOCAL_FREEZE_CLOCK"
	EnvAdminToken  = "ECSLOCAL_ADMIN_TOKEN"
	EnvInitState   = "ECSLOCAL_INIT_STATE"
	EnvRateLimit   = "ECSLOCAL_RATE_LIMIT"
	EnvMaxInFlight = "ECSLOCAL_MAX_INFLIGHT"
	EnvPprof       = "ECSLOCAL_PPROF"
	EnvTLSCert     = "ECSLOCAL_TLS_CERT"
	EnvTLSKey      = "ECSLOCAL_TLS_KEY"
	EnvAdminHosts  = "ECSLOCAL_ADMIN_HOSTS"
)

// UsageError is a mistake in the command line or the environment: exit code 2.
type UsageError struct {
	Err        error
	usageShown bool // the whole usage text is already on stderr
}

func (e *UsageError) Error() string { return e.Err.Error() }
func (e *UsageError) Unwrap() error { return e.Err }

func usagef(format string, args ...any) error {
	return &UsageError{Err: fmt.Errorf(format, args...)}
}

// ExitCode maps Run's error to the process exit code: 0 success, 2 a usage
// error, 1 any other failure.
func ExitCode(err error) int {
	var ue *UsageError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ue):
		return 2
	}
	return 1
}

const usage = `ecslocal is a local, faithful Alibaba Cloud ECS API server.

Usage:
  ecslocal serve [flags]             run the server
  ecslocal version                   print the version
  ecslocal clock [flags]             print the emulated time
  ecslocal clock advance DURATION    move the emulated clock forward (e.g. 90s, 1h)
  ecslocal clock set RFC3339         move the emulated clock to a time (never back)
  ecslocal reset [flags]             drop every resource of every account
  ecslocal health [flags]            check a running server
  ecslocal call ACTION [key=value…] [flags]
                                     call the API (v1-signed POST) and print its JSON answer;
                                     exit 1 on an error answer
  ecslocal state export [FILE]       write the whole state (versioned JSON) to FILE or stdout
  ecslocal state import FILE         replace the whole state with FILE ("-": stdin)
  ecslocal help                      print this text

serve flags (each has an environment twin; a flag beats its variable):
  --addr HOST:PORT        ECSLOCAL_ADDR          default 127.0.0.1:8790
  --store SPEC            ECSLOCAL_STORE         default sqlite:ecslocal.db
                          sqlite:PATH, memory, sqlite::memory:, or postgres://…
  --access-key ID:SECRET[:ACCOUNT]  (repeatable)
                          ECSLOCAL_ACCESS_KEYS   default test:test (comma-separated)
  --auth strict|off       ECSLOCAL_AUTH          default strict
  --profile fast|realistic
                          ECSLOCAL_PROFILE       default fast
  --freeze-clock          ECSLOCAL_FREEZE_CLOCK  default false
  --admin-token TOKEN     ECSLOCAL_ADMIN_TOKEN   default none
  --init-state FILE       ECSLOCAL_INIT_STATE    default none
                          import this state document at start (replacing the store's)
  --rate-limit N          ECSLOCAL_RATE_LIMIT    default 0 (off)
                          API calls per second per account (burst N); past it Throttling.User
  --max-inflight N        ECSLOCAL_MAX_INFLIGHT  default 256 (0: no bound)
                          API calls served at once; past it ServiceUnavailable (503)
  --pprof                 ECSLOCAL_PPROF         default false
                          serve net/http/pprof on /debug/pprof/ of the same listener
                          (with --admin-token, pprof and /metrics need the token too)
  --admin-host NAME       ECSLOCAL_ADMIN_HOSTS   default none (repeatable; env comma-separated)
                          a Host name the admin API and console answer to besides
                          127.0.0.1, localhost, ::1 and the --addr host
  --tls-cert FILE         ECSLOCAL_TLS_CERT      default none
  --tls-key FILE          ECSLOCAL_TLS_KEY       default none
                          with both, the same port answers HTTPS beside plain HTTP

clock, reset, health and state talk to a running server's admin API:
  --addr HOST:PORT        ECSLOCAL_ADDR          default 127.0.0.1:8790
  --admin-token TOKEN     ECSLOCAL_ADMIN_TOKEN

call flags:
  --addr HOST:PORT        ECSLOCAL_ADDR          default 127.0.0.1:8790
  --access-key ID:SECRET  ECSLOCAL_ACCESS_KEYS   default its first key, else test:test
  --product ecs|vpc|slb                          default ecs; sets the default version
  --version VERSION                              default 2014-05-26 (vpc 2016-04-28, slb 2014-05-15)
  --region REGION                                default cn-hangzhou; sent as RegionId unless given
`

// Main is the ecslocal program apart from the process, in the shape of
// benbjohnson/wtf cmd/wtfd: main gives it the real streams and environment,
// tests give it buffers and a fake environment and run it end to end.
type Main struct {
	Stdout, Stderr io.Writer
	// Stdin is what "state import -" reads; nil is the process's.
	Stdin io.Reader
	// Getenv reads the environment; tests pass a fake.
	Getenv func(string) string
	// ShutdownTimeout bounds how long serve waits for in-flight requests.
	ShutdownTimeout time.Duration

	ready chan struct{}
	addr  string // set before ready is closed
}

// NewMain returns a Main on the process's streams and environment.
func NewMain() *Main {
	return &Main{
		Stdout:          os.Stdout,
		Stderr:          os.Stderr,
		Getenv:          os.Getenv,
		ShutdownTimeout: 10 * time.Second,
		ready:           make(chan struct{}),
	}
}

// Ready is closed once serve listens; Addr then answers the bound address.
func (m *Main) Ready() <-chan struct{} { return m.ready }

// Addr is the address serve listens on ("127.0.0.1:PORT" for 127.0.0.1:0)
// once Ready is closed, "" before.
func (m *Main) Addr() string {
	select {
	case <-m.ready:
		return m.addr
	default:
		return ""
	}
}

// Run executes one command line (without the program name). serve returns
// when ctx is done, after a graceful shutdown.
func (m *Main) Run(ctx context.Context, args []string) error {
	if len(args) == 0 {
		fmt.Fprint(m.Stdout, usage)
		return nil
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "serve":
		return m.serve(ctx, rest)
	case "version", "--version", "-version":
		if len(rest) > 0 {
			return usagef("version takes no arguments")
		}
		fmt.Fprintln(m.Stdout, "ecslocal", server.Version)
		return nil
	case "clock", "reset", "health":
		return m.admin(ctx, cmd, rest)
	case "call":
		return m.callAction(ctx, rest)
	case "state":
		return m.state(ctx, rest)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(m.Stdout, usage)
		return nil
	}
	fmt.Fprint(m.Stderr, usage)
	return &UsageError{Err: fmt.Errorf("unknown command %q", cmd), usageShown: true}
}

// serveFlags holds what the serve command line said; LoadConfig merges it
// with the environment and the defaults.
type serveFlags struct {
	fs          *flag.FlagSet
	addr        string
	store       string
	accessKeys  stringList
	auth        string
	profile     string
	freezeClock bool
	adminToken  string
	initState   string
	rateLimit   int
	maxInFlight int
	pprof       bool
	adminHosts  stringList
	tlsCert     string
	tlsKey      string
}

func newServeFlags() *serveFlags {
	f := &serveFlags{fs: flag.NewFlagSet("ecslocal serve", flag.ContinueOnError)}
	f.fs.SetOutput(io.Discard)
	f.fs.StringVar(&f.addr, "addr", DefaultAddr, "listen address (env "+EnvAddr+")")
	f.fs.StringVar(&f.store, "store", DefaultStore, "sqlite:PATH, memory, sqlite::memory: or postgres://… (env "+EnvStore+")")
	f.fs.Var(&f.accessKeys, "access-key", "ID:SECRET[:ACCOUNT], repeatable (env "+EnvAccessKeys+", comma-separated; default "+DefaultAccessKey+")")
	f.fs.StringVar(&f.auth, "auth", "strict", "strict or off (env "+EnvAuth+")")
	f.fs.StringVar(&f.profile, "profile", "fast", "fast or realistic (env "+EnvProfile+")")
	f.fs.BoolVar(&f.freezeClock, "freeze-clock", false, "the emulated clock moves only through the admin API (env "+EnvFreezeClock+")")
	f.fs.StringVar(&f.adminToken, "admin-token", "", "bearer token the admin API requires (env "+EnvAdminToken+")")
	f.fs.StringVar(&f.initState, "init-state", "", "state document to import at start (env "+EnvInitState+")")
	f.fs.IntVar(&f.rateLimit, "rate-limit", 0, "API calls per second per account, 0 for no limit (env "+EnvRateLimit+")")
	f.fs.IntVar(&f.maxInFlight, "max-inflight", server.DefaultMaxInFlight, "API calls served at once, 0 for no bound (env "+EnvMaxInFlight+")")
	f.fs.BoolVar(&f.pprof, "pprof", false, "serve net/http/pprof on /debug/pprof/ (env "+EnvPprof+")")
	f.fs.Var(&f.adminHosts, "admin-host", "host name the admin API answers to besides loopback and --addr's, repeatable (env "+EnvAdminHosts+", comma-separated)")
	f.fs.StringVar(&f.tlsCert, "tls-cert", "", "PEM certificate for HTTPS on the same port (env "+EnvTLSCert+")")
	f.fs.StringVar(&f.tlsKey, "tls-key", "", "PEM key of --tls-cert (env "+EnvTLSKey+")")
	return f
}

// stringList is a repeatable string flag.
type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, ",") }
func (l *stringList) Set(v string) error { *l = append(*l, v); return nil }

// LoadConfig reads the serve command line and the environment into a server
// configuration and the listen address. A flag beats its environment twin,
// which beats the default (design.md §1.1); an empty variable counts as
// unset. Every invalid value is a *UsageError naming where it came from.
func LoadConfig(args []string, getenv func(string) string) (server.Config, string, error) {
	f := newServeFlags()
	if err := f.fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return server.Config{}, "", err
		}
		return server.Config{}, "", &UsageError{Err: err}
	}
	if f.fs.NArg() > 0 {
		return server.Config{}, "", usagef("serve takes no arguments, got %q", f.fs.Args())
	}
	set := map[string]bool{}
	f.fs.Visit(func(fl *flag.Flag) { set[fl.Name] = true })

	// pick answers the value of one setting and where it came from.
	pick := func(name, env, flagValue, def string) (string, string) {
		if set[name] {
			return flagValue, "--" + name
		}
		if v := getenv(env); v != "" {
			return v, env
		}
		return def, "default"
	}

	var cfg server.Config
	addr, src := pick("addr", EnvAddr, f.addr, DefaultAddr)
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return cfg, "", usagef("%s %q: want HOST:PORT", src, addr)
	}
	// The admin API answers to the name it listens on (not to a wildcard:
	// 0.0.0.0 names no host a browser would send).
	if ip := net.ParseIP(host); host != "" && (ip == nil || !ip.IsUnspecified()) {
		cfg.AdminHosts = append(cfg.AdminHosts, host)
	}
	hosts := []string(f.adminHosts)
	if !set["admin-host"] && getenv(EnvAdminHosts) != "" {
		hosts = strings.Split(getenv(EnvAdminHosts), ",")
	}
	for _, h := range hosts {
		if h = strings.TrimSpace(h); h != "" {
			cfg.AdminHosts = append(cfg.AdminHosts, h)
		}
	}
	if _, err := strconv.ParseUint(port, 10, 16); err != nil {
		return cfg, "", usagef("%s %q: the port must be a number 0..65535", src, addr)
	}

	cfg.Store, src = pick("store", EnvStore, f.store, DefaultStore)
	if err := checkStore(cfg.Store); err != nil {
		return cfg, "", usagef("%s: %v", src, err)
	}

	var keySpecs []string
	switch {
	case set["access-key"]:
		keySpecs, src = f.accessKeys, "--access-key"
	case getenv(EnvAccessKeys) != "":
		keySpecs, src = strings.Split(getenv(EnvAccessKeys), ","), EnvAccessKeys
	default:
		keySpecs, src = []string{DefaultAccessKey}, "default"
	}
	seen := map[string]bool{}
	for _, spec := range keySpecs {
		spec = strings.TrimSpace(spec)
		if spec == "" && src == EnvAccessKeys {
			continue // tolerate "a:b,,c:d" and a trailing comma
		}
		k, err := server.ParseKey(spec)
		if err != nil {
			return cfg, "", usagef("%s: %v", src, err)
		}
		if seen[k.ID] {
			return cfg, "", usagef("%s: access key id %q given twice", src, k.ID)
		}
		seen[k.ID] = true
		cfg.Keys = append(cfg.Keys, k)
	}
	if len(cfg.Keys) == 0 {
		return cfg, "", usagef("%s: no access key", src)
	}

	auth, src := pick("auth", EnvAuth, f.auth, "strict")
	switch auth {
	case "strict":
	case "off":
		cfg.AuthOff = true
	default:
		return cfg, "", usagef("%s %q: want strict or off", src, auth)
	}

	cfg.Profile, src = pick("profile", EnvProfile, f.profile, "fast")
	if cfg.Profile != "fast" && cfg.Profile != "realistic" {
		return cfg, "", usagef("%s %q: want fast or realistic", src, cfg.Profile)
	}

	if set["freeze-clock"] {
		cfg.FreezeClock = f.freezeClock
	} else if v := getenv(EnvFreezeClock); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return cfg, "", usagef("%s %q: want true or false (1 or 0)", EnvFreezeClock, v)
		}
		cfg.FreezeClock = b
	}

	cfg.AdminToken, _ = pick("admin-token", EnvAdminToken, f.adminToken, "")
	cfg.InitState, _ = pick("init-state", EnvInitState, f.initState, "")

	// Overload protection and profiling.
	n, src := pick("rate-limit", EnvRateLimit, strconv.Itoa(f.rateLimit), "0")
	if cfg.RateLimit, err = strconv.Atoi(n); err != nil || cfg.RateLimit < 0 {
		return cfg, "", usagef("%s %q: want a number of calls per second, 0 for no limit", src, n)
	}
	n, src = pick("max-inflight", EnvMaxInFlight, strconv.Itoa(f.maxInFlight), strconv.Itoa(server.DefaultMaxInFlight))
	if cfg.MaxInFlight, err = strconv.Atoi(n); err != nil || cfg.MaxInFlight < 0 {
		return cfg, "", usagef("%s %q: want a number of calls, 0 for no bound", src, n)
	}
	if cfg.MaxInFlight == 0 {
		cfg.MaxInFlight = -1 // server.Config: <0 is no bound, 0 the default
	}
	if set["pprof"] {
		cfg.Pprof = f.pprof
	} else if v := getenv(EnvPprof); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return cfg, "", usagef("%s %q: want true or false (1 or 0)", EnvPprof, v)
		}
		cfg.Pprof = b
	}
	cfg.TLSCertFile, _ = pick("tls-cert", EnvTLSCert, f.tlsCert, "")
	cfg.TLSKeyFile, _ = pick("tls-key", EnvTLSKey, f.tlsKey, "")
	if (cfg.TLSCertFile == "") != (cfg.TLSKeyFile == "") {
		return cfg, "", usagef("--tls-cert and --tls-key go together")
	}
	return cfg, addr, nil
}

// checkStore validates the form of a --store value; whether it opens is
// server.New's business.
func checkStore(spec string) error {
	switch {
	case spec == "memory":
		return nil
	case strings.HasPrefix(spec, "sqlite:"):
		if strings.TrimPrefix(spec, "sqlite:") == "" {
			return fmt.Errorf("store %q: want sqlite:PATH with a path", spec)
		}
		return nil
	case strings.HasPrefix(spec, "postgres://"), strings.HasPrefix(spec, "postgresql://"):
		if _, err := url.Parse(spec); err != nil {
			return fmt.Errorf("store: %v", err)
		}
		return nil
	}
	return fmt.Errorf("store %q: want sqlite:PATH, memory or postgres://…", spec)
}

// serve runs the server until ctx is done.
func (m *Main) serve(ctx context.Context, args []string) error {
	cfg, addr, err := LoadConfig(args, m.Getenv)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(m.Stdout, usage)
		return nil
	}
	if err != nil {
		return err
	}
	select {
	case <-m.ready:
		return errors.New("this Main has served already; make another")
	default:
	}
	logger := slog.New(slog.NewTextHandler(m.Stderr, nil))
	cfg.Logger = logger

	srv, err := server.New(ctx, cfg)
	if err != nil {
		return fmt.Errorf("start: %w", err)
	}
	ln, err := server.Listen(addr, cfg.TLSCertFile, cfg.TLSKeyFile)
	if err != nil {
		srv.Close()
		return fmt.Errorf("listen: %w", err)
	}
	hs := &http.Server{
		Handler: srv.Handler,
		// A client gets this long for its headers; the API reads a body
		// under its own deadline (rpc.DefaultBodyTimeout) before it holds a
		// slot, and an idle keep-alive connection is closed in the end.
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	m.addr = ln.Addr().String()
	fmt.Fprintln(m.Stdout, startLine(m.addr, cfg))
	close(m.ready)

	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()

	select {
	case err = <-served:
		// The listener failed on its own; nothing is in flight to wait for.
		err = fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
		logger.Info("shutting down", "timeout", m.ShutdownTimeout)
		sctx, cancel := context.WithTimeout(context.Background(), m.ShutdownTimeout)
		if serr := hs.Shutdown(sctx); serr != nil {
			logger.Warn("in-flight requests cut short", "err", serr)
			hs.Close()
		}
		cancel()
		<-served // http.ErrServerClosed
	}
	if cerr := srv.Close(); cerr != nil {
		err = errors.Join(err, fmt.Errorf("close: %w", cerr))
	}
	if err == nil {
		logger.Info("stopped")
	}
	return err
}

// startLine is the one line serve prints on stdout (design.md §1.1).
func startLine(addr string, cfg server.Config) string {
	auth := "strict"
	if cfg.AuthOff {
		auth = "off"
	}
	line := fmt.Sprintf("ecslocal listening on http://%s store=%s access-key=%s auth=%s profile=%s",
		addr, redactStore(cfg.Store), strings.Join(keyIDs(cfg.Keys), ","), auth, cfg.Profile)
	if cfg.FreezeClock {
		line += " clock=frozen"
	}
	if cfg.TLSCertFile != "" {
		line += " tls=on"
	}
	return line
}

// redactStore hides a PostgreSQL password from the start line.
func redactStore(spec string) string {
	if !strings.HasPrefix(spec, "postgres") {
		return spec
	}
	u, err := url.Parse(spec)
	if err != nil {
		return "postgres://…"
	}
	return u.Redacted()
}

// admin runs one of the admin API client commands.
func (m *Main) admin(ctx context.Context, cmd string, args []string) error {
	fs := flag.NewFlagSet("ecslocal "+cmd, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	addr := fs.String("addr", "", "address of the server (env "+EnvAddr+", default "+DefaultAddr+")")
	token := fs.String("admin-token", "", "admin API token (env "+EnvAdminToken+")")
	pos, err := parseInterspersed(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(m.Stdout, usage)
		return nil
	}
	if err != nil {
		return &UsageError{Err: err}
	}
	set := map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { set[fl.Name] = true })
	if !set["addr"] {
		if *addr = m.Getenv(EnvAddr); *addr == "" {
			*addr = DefaultAddr
		}
	}
	if !set["admin-token"] {
		*token = m.Getenv(EnvAdminToken)
	}
	base, err := baseURL(*addr)
	if err != nil {
		return &UsageError{Err: err}
	}

	method, path := http.MethodGet, "/_ecslocal/"+cmd
	var body any
	switch {
	case cmd == "clock" && len(pos) == 0:
	case cmd == "clock" && len(pos) == 2 && pos[0] == "advance":
		d, err := time.ParseDuration(pos[1])
		if err != nil || d < 0 {
			return usagef("clock advance %q: want a positive Go duration such as 90s or 1h", pos[1])
		}
		method, body = http.MethodPost, map[string]string{"advance": pos[1]}
	case cmd == "clock" && len(pos) == 2 && pos[0] == "set":
		if _, err := time.Parse(time.RFC3339Nano, pos[1]); err != nil {
			return usagef("clock set %q: want an RFC 3339 time such as 2030-01-02T15:04:05Z", pos[1])
		}
		method, body = http.MethodPost, map[string]string{"set": pos[1]}
	case cmd == "clock":
		return usagef("clock takes nothing, advance DURATION, or set RFC3339; got %q", pos)
	case cmd == "reset" && len(pos) == 0:
		method = http.MethodPost
	case cmd == "health" && len(pos) == 0:
	default:
		return usagef("%s takes no arguments, got %q", cmd, pos)
	}
	return m.call(ctx, method, base+path, *token, body)
}

// parseInterspersed parses flags that may stand before, between or after
// the positional arguments ("clock advance 1h --addr X"); after "--" every
// argument is positional.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if consumed := len(args) - len(rest); consumed > 0 && args[consumed-1] == "--" {
			return append(pos, rest...), nil
		}
		if len(rest) == 0 {
			return pos, nil
		}
		pos, args = append(pos, rest[0]), rest[1:]
	}
}

// baseURL turns an --addr value into the server's base URL: a bare
// HOST:PORT means plain HTTP, an empty or wildcard host means loopback.
func baseURL(addr string) (string, error) {
	if strings.HasPrefix(addr, "http://") || strings.HasPrefix(addr, "https://") {
		u, err := url.Parse(addr)
		if err != nil || u.Host == "" {
			return "", fmt.Errorf("--addr %q: want HOST:PORT or http://HOST:PORT", addr)
		}
		return strings.TrimSuffix(u.Scheme+"://"+u.Host+u.Path, "/"), nil
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", fmt.Errorf("--addr %q: want HOST:PORT or http://HOST:PORT", addr)
	}
	switch host {
	case "", "0.0.0.0", "::":
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port), nil
}

// call sends one admin API request and prints its JSON answer; a non-2xx
// answer becomes an error carrying the server's message.
func (m *Main) call(ctx context.Context, method, url, token string, body any) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, rd)
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	// Moving the clock answers only once due events are applied: allow time.
	client := &http.Client{Timeout: 2 * time.Minute}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	if err != nil {
		return fmt.Errorf("%s %s: read answer: %w", method, req.URL.Path, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		msg := strings.TrimSpace(string(raw))
		var e struct {
			Error string `json:"error"`
		}
		if json.Unmarshal(raw, &e) == nil && e.Error != "" {
			msg = e.Error
		}
		return fmt.Errorf("%s %s: %s: %s", method, req.URL.Path, resp.Status, msg)
	}
	raw = bytes.TrimRight(raw, "\n")
	_, err = fmt.Fprintf(m.Stdout, "%s\n", raw)
	return err
}

// keyIDs lists the access key ids of keys.
func keyIDs(keys []rpc.Key) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = k.ID
	}
	return out
}

// Product versions `call --product` chooses between (design.md §1.2).
var productVersions = map[string]string{"ecs": "2014-05-26", "vpc": "2016-04-28", "slb": "2014-05-15"}

// DefaultRegion is the RegionId call sends unless told otherwise.
const DefaultRegion = "cn-hangzhou"

// callAction runs "call ACTION key=value…": one v1-signed POST to the RPC
// endpoint, the answer printed as the server wrote it. An error answer
// is printed too, and is exit 1.
func (m *Main) callAction(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("ecslocal call", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	addr := fs.String("addr", "", "address of the server (env "+EnvAddr+", default "+DefaultAddr+")")
	accessKey := fs.String("access-key", "", "ID:SECRET to sign with (env "+EnvAccessKeys+": its first key; default "+DefaultAccessKey+")")
	product := fs.String("product", "ecs", "ecs, vpc or slb: the default --version")
	version := fs.String("version", "", "API version (default by --product)")
	region := fs.String("region", DefaultRegion, "RegionId unless the parameters give one")
	pos, err := parseInterspersed(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(m.Stdout, usage)
		return nil
	}
	if err != nil {
		return &UsageError{Err: err}
	}
	if len(pos) == 0 {
		return usagef("call needs an ACTION, then key=value parameters")
	}
	set := map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { set[fl.Name] = true })
	if !set["addr"] {
		if *addr = m.Getenv(EnvAddr); *addr == "" {
			*addr = DefaultAddr
		}
	}
	base, err := baseURL(*addr)
	if err != nil {
		return &UsageError{Err: err}
	}
	keySpec, src := *accessKey, "--access-key"
	if !set["access-key"] {
		keySpec, src = DefaultAccessKey, "default"
		if v := m.Getenv(EnvAccessKeys); v != "" {
			keySpec, src = strings.TrimSpace(strings.Split(v, ",")[0]), EnvAccessKeys
		}
	}
	key, err := server.ParseKey(keySpec)
	if err != nil {
		return usagef("%s: %v", src, err)
	}
	v, ok := productVersions[strings.ToLower(*product)]
	if !ok {
		return usagef("--product %q: want ecs, vpc or slb", *product)
	}
	if set["version"] {
		v = *version
	}

	action := pos[0]
	params := url.Values{}
	for _, kv := range pos[1:] {
		k, val, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return usagef("call parameter %q: want key=value", kv)
		}
		params.Set(k, val)
	}
	if !params.Has("RegionId") && *region != "" {
		params.Set("RegionId", *region)
	}
	var nonce [16]byte
	rand.Read(nonce[:])
	for k, val := range map[string]string{
		"Action": action, "Version": v, "Format": "JSON", "AccessKeyId": key.ID,
		"SignatureMethod": "HMAC-SHA1", "SignatureVersion": "1.0", "SignatureNonce": hex.EncodeToString(nonce[:]),
		"Timestamp": time.Now().UTC().Format("2006-01-02T15:04:05Z"),
	} {
		params.Set(k, val)
	}
	params.Set("Signature", rpc.V1Signature(key.Secret, rpc.V1StringToSign(http.MethodPost, params)))

	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/", strings.NewReader(params.Encode()))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := (&http.Client{Timeout: 2 * time.Minute}).Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return fmt.Errorf("%s: read answer: %w", action, err)
	}
	raw = bytes.TrimRight(raw, "\n")
	if _, err := fmt.Fprintf(m.Stdout, "%s\n", raw); err != nil {
		return err
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		var e struct{ Code, Message, RequestId string }
		if json.Unmarshal(raw, &e) == nil && e.Code != "" {
			return fmt.Errorf("%s: %d %s: %s (RequestId %s)", action, resp.StatusCode, e.Code, e.Message, e.RequestId)
		}
		return fmt.Errorf("%s: %s", action, resp.Status)
	}
	return nil
}

// state runs "state export [FILE]" and "state import FILE".
func (m *Main) state(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("ecslocal state", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	addr := fs.String("addr", "", "address of the server (env "+EnvAddr+", default "+DefaultAddr+")")
	token := fs.String("admin-token", "", "admin API token (env "+EnvAdminToken+")")
	pos, err := parseInterspersed(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(m.Stdout, usage)
		return nil
	}
	if err != nil {
		return &UsageError{Err: err}
	}
	set := map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { set[fl.Name] = true })
	if !set["addr"] {
		if *addr = m.Getenv(EnvAddr); *addr == "" {
			*addr = DefaultAddr
		}
	}
	if !set["admin-token"] {
		*token = m.Getenv(EnvAdminToken)
	}
	base, err := baseURL(*addr)
	if err != nil {
		return &UsageError{Err: err}
	}
	switch {
	case len(pos) >= 1 && len(pos) <= 2 && pos[0] == "export":
		doc, err := m.fetch(ctx, http.MethodGet, base+"/_ecslocal/state", *token, nil)
		if err != nil {
			return err
		}
		if len(pos) == 2 && pos[1] != "-" {
			return os.WriteFile(pos[1], doc, 0o644)
		}
		_, err = m.Stdout.Write(doc)
		return err
	case len(pos) == 2 && pos[0] == "import":
		var doc []byte
		if pos[1] == "-" {
			in := m.Stdin
			if in == nil {
				in = os.Stdin
			}
			doc, err = io.ReadAll(in)
		} else {
			doc, err = os.ReadFile(pos[1])
		}
		if err != nil {
			return err
		}
		answer, err := m.fetch(ctx, http.MethodPut, base+"/_ecslocal/state", *token, doc)
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(m.Stdout, "%s\n", bytes.TrimRight(answer, "\n"))
		return err
	}
	return usagef("state takes export [FILE] or import FILE; got %q", pos)
}

// fetch sends one admin API request with a raw body and answers the raw
// answer; a non-2xx answer is an error carrying the server's message.
func (m *Main) fetch(ctx context.Context, method, url, token string, body []byte) ([]byte, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, rd)
	if err != nil {
		return nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := (&http.Client{Timeout: 10 * time.Minute}).Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("%s %s: read answer: %w", method, req.URL.Path, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		msg := strings.TrimSpace(string(raw))
		var e struct {
			Error string `json:"error"`
		}
		if json.Unmarshal(raw, &e) == nil && e.Error != "" {
			msg = e.Error
		}
		return nil, fmt.Errorf("%s %s: %s: %s", method, req.URL.Path, resp.Status, msg)
	}
	return raw, nil
}

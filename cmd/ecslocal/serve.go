package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/server"
)

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
	tlsCert     string
	tlsKey      string
	adminHosts  stringList
	tls         bool
	tlsDir      string
}

func newServeFlags() *serveFlags {
	f := &serveFlags{fs: flag.NewFlagSet("ecslocal serve", flag.ContinueOnError)}
	f.fs.SetOutput(io.Discard)
	f.fs.StringVar(&f.addr, "addr", DefaultAddr, "listen address (env "+EnvAddr+")")
	f.fs.StringVar(&f.store, "store", DefaultStore, storeForms+" (env "+EnvStore+")")
	f.fs.Var(&f.accessKeys, "access-key", "ID:SECRET[:ACCOUNT], repeatable (env "+EnvAccessKeys+", comma-separated; default "+DefaultAccessKey+")")
	f.fs.StringVar(&f.auth, "auth", "strict", "strict or off (env "+EnvAuth+")")
	f.fs.StringVar(&f.profile, "profile", "fast", "fast or realistic (env "+EnvProfile+")")
	f.fs.BoolVar(&f.freezeClock, "freeze-clock", false, "the emulated clock moves only through the admin API (env "+EnvFreezeClock+")")
	f.fs.StringVar(&f.adminToken, "admin-token", "", "bearer token the admin API requires (env "+EnvAdminToken+")")
	f.fs.StringVar(&f.initState, "init-state", "", "state document to import at start (env "+EnvInitState+")")
	f.fs.IntVar(&f.rateLimit, "rate-limit", 0, "API calls per second per account, 0 for no limit (env "+EnvRateLimit+")")
	f.fs.IntVar(&f.maxInFlight, "max-inflight", server.DefaultMaxInFlight, "API calls served at once, 0 for no bound (env "+EnvMaxInFlight+")")
	f.fs.BoolVar(&f.pprof, "pprof", false, "serve net/http/pprof on /debug/pprof/ (env "+EnvPprof+")")
	f.fs.StringVar(&f.tlsCert, "tls-cert", "", "PEM certificate for HTTPS on the same port (env "+EnvTLSCert+")")
	f.fs.StringVar(&f.tlsKey, "tls-key", "", "PEM key of --tls-cert (env "+EnvTLSKey+")")
	f.fs.Var(&f.adminHosts, "admin-host", "host name the admin API answers to besides loopback and --addr's, repeatable (env "+EnvAdminHosts+", comma-separated)")
	f.fs.BoolVar(&f.tls, "tls", false, "HTTPS on the same port with a self-signed certificate made once (env "+EnvTLS+")")
	f.fs.StringVar(&f.tlsDir, "tls-dir", "", "directory of the --tls certificate (env "+EnvTLSDir+"; default the SQLite file's directory, else the user cache directory's ecslocal/)")
	return f
}

// stringList is a repeatable string flag.
type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, ",") }
func (l *stringList) Set(v string) error { *l = append(*l, v); return nil }

// LoadConfig reads the serve command line and the environment into a server
// configuration and the listen address. A flag beats its environment twin,
// which beats the default; an empty variable counts as unset. Every invalid
// value is a *UsageError naming where it came from.
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
	// pickBool is pick for a boolean flag whose variable reads 1/0/true/false.
	pickBool := func(name, env string, flagValue bool) (bool, error) {
		if set[name] {
			return flagValue, nil
		}
		v := getenv(env)
		if v == "" {
			return false, nil
		}
		b, err := strconv.ParseBool(v)
		if err != nil {
			return false, usagef("%s %q: want true or false (1 or 0)", env, v)
		}
		return b, nil
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
	if cfg.FreezeClock, err = pickBool("freeze-clock", EnvFreezeClock, f.freezeClock); err != nil {
		return cfg, "", err
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
	if cfg.Pprof, err = pickBool("pprof", EnvPprof, f.pprof); err != nil {
		return cfg, "", err
	}
	cfg.TLSCertFile, _ = pick("tls-cert", EnvTLSCert, f.tlsCert, "")
	cfg.TLSKeyFile, _ = pick("tls-key", EnvTLSKey, f.tlsKey, "")
	if (cfg.TLSCertFile == "") != (cfg.TLSKeyFile == "") {
		return cfg, "", usagef("--tls-cert and --tls-key go together")
	}
	selfSigned, err := pickBool("tls", EnvTLS, f.tls)
	if err != nil {
		return cfg, "", err
	}
	if selfSigned {
		if cfg.TLSCertFile != "" {
			return cfg, "", usagef("--tls makes its own certificate: give it or --tls-cert/--tls-key, not both")
		}
		cfg.TLSDir, _ = pick("tls-dir", EnvTLSDir, f.tlsDir, "")
		if cfg.TLSDir == "" {
			if cfg.TLSDir, err = defaultTLSDir(cfg.Store); err != nil {
				return cfg, "", usagef("--tls: %v; give --tls-dir", err)
			}
		}
	}
	return cfg, addr, nil
}

// defaultTLSDir is where --tls keeps its certificate: beside a SQLite
// file, else in the user cache directory's ecslocal/ (memory and
// PostgreSQL stores have no data directory of their own).
func defaultTLSDir(store string) (string, error) {
	if path, ok := strings.CutPrefix(store, "sqlite:"); ok && path != ":memory:" {
		return filepath.Abs(filepath.Dir(path))
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(cache, "ecslocal"), nil
}

// checkStore validates a --store value before anything starts: its form,
// and for a SQLite file that its directory exists (SQLite itself only says
// "unable to open database file").
func checkStore(spec string) error {
	switch {
	case spec == "memory", spec == "sqlite::memory:":
		return nil
	case strings.HasPrefix(spec, "sqlite:"):
		path := strings.TrimPrefix(spec, "sqlite:")
		if path == "" {
			return fmt.Errorf("store %q: want sqlite:PATH with a path", spec)
		}
		dir := filepath.Dir(path)
		st, err := os.Stat(dir)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return fmt.Errorf("store %q: directory %s does not exist; create it first", spec, dir)
		case err != nil:
			return fmt.Errorf("store %q: directory %s: %v", spec, dir, err)
		case !st.IsDir():
			return fmt.Errorf("store %q: %s is not a directory", spec, dir)
		}
		return nil
	case strings.HasPrefix(spec, "postgres://"), strings.HasPrefix(spec, "postgresql://"):
		if _, err := url.Parse(spec); err != nil {
			return fmt.Errorf("store: %v", err)
		}
		return nil
	}
	return fmt.Errorf("store %q: want one of %s", spec, storeForms)
}

// serve runs the server until ctx is done.
func (m *Main) serve(ctx context.Context, args []string) error {
	cfg, addr, err := LoadConfig(args, m.Getenv)
	if err != nil { // flag.ErrHelp included: Run prints the usage
		return err
	}
	select {
	case <-m.ready:
		return errors.New("this Main has served already; make another")
	default:
	}
	if m.TuneGC {
		var floor uint64
		if m.LimitMemory {
			floor = gcLimitFloorFor(cfg.Store)
		}
		go tuneGC(ctx, time.Second, gcHeadroomFor(cfg.Store), floor)
	}
	logger := slog.New(slog.NewTextHandler(m.Stderr, nil))
	cfg.Logger = logger

	if cfg.TLSDir != "" {
		// The certificate's validity is wall-clock time, not the emulated clock.
		if cfg.TLSCertFile, cfg.TLSKeyFile, err = server.SelfSigned(cfg.TLSDir, time.Now()); err != nil {
			return fmt.Errorf("start: %w", err)
		}
	}
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
		ConnContext:       rpc.ConnContext,
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

// startLine is the one line serve prints on stdout. Scripts read the
// address from its fixed prefix "ecslocal listening on http://ADDR ".
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
		line += " tls=on tls-cert=" + cfg.TLSCertFile
	}
	return line + " console=" + consoleURL(addr)
}

// consoleURL is the web console's address for a listen address.
func consoleURL(addr string) string {
	base, err := baseURL(addr)
	if err != nil {
		base = "http://" + addr
	}
	return base + "/_ecslocal/console/"
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

// keyIDs lists the access key ids of keys.
func keyIDs(keys []rpc.Key) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = k.ID
	}
	return out
}

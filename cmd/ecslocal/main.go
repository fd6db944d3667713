// Command ecslocal is a local, faithful Alibaba Cloud ECS, VPC and SLB API
// server, and the client commands that drive a running one.
//
//	ecslocal serve [flags]             run the server (serve.go)
//	ecslocal call ACTION key=value…    call the API, signed (call.go)
//	ecslocal clock [advance D|set T]   read or move the emulated clock (clock.go)
//	ecslocal reset | health            other admin API calls (admin.go)
//	ecslocal state export|import       export or import the whole state (state.go)
//	ecslocal version | help
//
// main only wires the process (arguments, environment, standard streams,
// signals, exit code) to Main, which tests run in-process.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/ecslocal/ecslocal/internal/server"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	// The first signal starts a graceful shutdown; unregistering then lets a
	// second one kill the process at once.
	go func() { <-ctx.Done(); stop() }()

	m := NewMain()
	m.TuneGC = os.Getenv("GOGC") == "" // a GOGC the user set always wins
	m.LimitMemory = os.Getenv("GOMEMLIMIT") == ""
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

// Defaults of the command line.
const (
	DefaultAddr      = "127.0.0.1:8790"
	DefaultStore     = "sqlite:ecslocal.db"
	DefaultAccessKey = "test:test"
)

// Environment twins of the flags.
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
	EnvTLS         = "ECSLOCAL_TLS"
	EnvTLSDir      = "ECSLOCAL_TLS_DIR"
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
	// TuneGC lets serve set the GC percentage from the live heap (gc.go);
	// only main sets it, as the percentage is the process's.
	TuneGC bool
	// LimitMemory lets that tuning set a soft memory limit too, on the
	// stores that keep their records outside the Go heap (gc.go).
	LimitMemory bool

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

// commands are the subcommands Run knows, for dispatch and suggestions.
var commands = []string{"serve", "call", "clock", "reset", "health", "state", "version", "help"}

// Run executes one command line (without the program name). serve returns
// when ctx is done, after a graceful shutdown.
func (m *Main) Run(ctx context.Context, args []string) error {
	if len(args) == 0 {
		fmt.Fprint(m.Stderr, usage)
		return &UsageError{Err: errors.New("no command given"), usageShown: true}
	}
	err := m.dispatch(ctx, args[0], args[1:])
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(m.Stdout, usage)
		return nil
	}
	return err
}

// dispatch runs one subcommand.
func (m *Main) dispatch(ctx context.Context, cmd string, rest []string) error {
	switch cmd {
	case "serve":
		return m.serve(ctx, rest)
	case "version", "--version", "-version":
		if len(rest) > 0 {
			return usagef("version takes no arguments")
		}
		fmt.Fprintln(m.Stdout, "ecslocal", server.Version)
		return nil
	case "clock":
		return m.clock(ctx, rest)
	case "reset", "health":
		return m.admin(ctx, cmd, rest)
	case "call":
		return m.call(ctx, rest)
	case "state":
		return m.state(ctx, rest)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(m.Stdout, usage)
		return nil
	}
	if near := closest(cmd, commands); near != "" {
		return usagef("unknown command %q; did you mean %q?", cmd, near)
	}
	fmt.Fprint(m.Stderr, usage)
	return &UsageError{Err: fmt.Errorf("unknown command %q", cmd), usageShown: true}
}

// closest answers the candidate nearest to s by edit distance, or "" when
// none is near enough to be a likely typo.
func closest(s string, candidates []string) string {
	best, bestDist := "", 3 // more than two edits away is another word
	for _, c := range candidates {
		if d := editDistance(s, c); d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

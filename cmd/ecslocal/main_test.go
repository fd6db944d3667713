package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

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
		{"no arguments", nil, 2, "", "ecslocal serve"},
		{"near command", []string{"server"}, 2, "", `did you mean "serve"`},
		{"clock negative duration, bare", []string{"clock", "advance", "-1h"}, 2, "", "never goes back"},
		{"clock negative duration, flags after", []string{"clock", "advance", "-1h", "--addr", "127.0.0.1:1"}, 2, "", "never goes back"},
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

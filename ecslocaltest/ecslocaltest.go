// Package ecslocaltest starts a whole ecslocal server inside a Go test, the
// way net/http/httptest starts an HTTP server: an endpoint on 127.0.0.1, a
// key pair, and typed handles on the emulator's clock, locks, faults and
// switches. Point any Alibaba Cloud SDK at Endpoint over plain HTTP.
package ecslocaltest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/server"
)

// Options configure a test server. The zero value is a fast, frozen-clock
// server on an in-memory store with the key pair test/test.
type Options struct {
	// Store is "memory" (default), "sqlite:PATH", "sqlite::file:" (a new
	// SQLite file for each server, in the test's temporary directory) or
	// "postgres://…"; when empty, the environment variable
	// ECSLOCAL_TEST_STORE is used if set.
	Store string
	// Profile is "fast" (default) or "realistic".
	Profile string
	// RunningClock lets emulated time follow the wall clock; by default it
	// is frozen and moves only through Clock.Advance.
	RunningClock bool
	// Seed makes resource IDs and RequestIds reproducible; 0 is random.
	Seed uint64
	// AccessKeyID and AccessKeySecret default to "test" and "test".
	AccessKeyID, AccessKeySecret string
	// MoreKeys are further key pairs, "ID:SECRET[:ACCOUNT]": each account is
	// a tenant that sees only its own resources.
	MoreKeys []string
	// AuthOff accepts any signature.
	AuthOff bool
	// WallNow replaces the wall clock used for signature timestamps.
	WallNow func() time.Time
	// EventRetention bounds the audit log (default 10000 events).
	EventRetention int
}

// Server is a running in-process ecslocal.
type Server struct {
	// URL is "http://127.0.0.1:PORT", for clients that want a scheme.
	URL string
	// Endpoint is "127.0.0.1:PORT", the bare host both Go SDKs take.
	Endpoint                     string
	AccessKeyID, AccessKeySecret string
	// Account is the tenant of the key pair.
	Account string
	Clock   *Clock
	Locks   *Locks
	Faults  *Faults
	Config  *Config
	// Policies runs automatic snapshot policies on demand.
	Policies *Policies
	// Events reads the audit log.
	Events *Events
	// State exports and imports the whole state.
	State *State

	srv  *server.Server
	http *httptest.Server
	tb   testing.TB
}

// New starts a server and stops it when the test ends.
func New(tb testing.TB, opts Options) *Server {
	tb.Helper()
	if opts.Store == "" {
		// ECSLOCAL_TEST_STORE runs every test that does not name a store on
		// another backend, e.g. "postgres://…&ecslocal_schema=auto" (a fresh
		// schema per server, dropped on Close).
		opts.Store = os.Getenv("ECSLOCAL_TEST_STORE")
	}
	if opts.Store == "" {
		opts.Store = "memory"
	}
	if opts.Store == "sqlite::file:" {
		// What sqlite::memory: lacks: the WAL, its generation, the read memo.
		opts.Store = "sqlite:" + filepath.Join(tb.TempDir(), "ecslocal.db")
	}
	if opts.AccessKeyID == "" {
		opts.AccessKeyID, opts.AccessKeySecret = "test", "test"
	}
	key, err := server.ParseKey(opts.AccessKeyID + ":" + opts.AccessKeySecret)
	if err != nil {
		tb.Fatalf("ecslocaltest: %v", err)
	}
	keys := []rpc.Key{key}
	for _, spec := range opts.MoreKeys {
		k, err := server.ParseKey(spec)
		if err != nil {
			tb.Fatalf("ecslocaltest: %v", err)
		}
		keys = append(keys, k)
	}
	srv, err := server.New(context.Background(), server.Config{
		Store:          opts.Store,
		Keys:           keys,
		AuthOff:        opts.AuthOff,
		Profile:        opts.Profile,
		FreezeClock:    !opts.RunningClock,
		Seed:           opts.Seed,
		WallNow:        opts.WallNow,
		EventRetention: opts.EventRetention,
	})
	if err != nil {
		tb.Fatalf("ecslocaltest: start server: %v", err)
	}
	hs := httptest.NewServer(srv.Handler)
	s := &Server{
		URL: hs.URL, Endpoint: strings.TrimPrefix(hs.URL, "http://"),
		AccessKeyID: key.ID, AccessKeySecret: key.Secret, Account: key.Account,
		srv: srv, http: hs, tb: tb,
	}
	s.Clock, s.Locks, s.Faults, s.Config = &Clock{s}, &Locks{s}, &Faults{s}, &Config{s}
	s.Policies = &Policies{s}
	s.Events, s.State = &Events{s}, &State{s}
	tb.Cleanup(s.Close)
	return s
}

// Close stops the server after in-flight requests finish; New registers it
// with tb.Cleanup, calling it again is harmless.
func (s *Server) Close() {
	if s.http == nil {
		return
	}
	s.http.Close()
	// Reads share stored values on the memory store (store.FindShared): a
	// test that went through one that changed them fails here.
	if c, ok := s.srv.Store.(interface{ CheckValues() error }); ok {
		if err := c.CheckValues(); err != nil {
			s.tb.Errorf("ecslocaltest: %v", err)
		}
	}
	s.srv.Close()
	s.http = nil
}

// Handler is the whole server as an http.Handler, for serving without a socket.
func (s *Server) Handler() http.Handler { return s.srv.Handler }

// admin calls the admin API and decodes its JSON answer into out.
func (s *Server) admin(method, path string, body, out any) {
	s.tb.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			s.tb.Fatalf("ecslocaltest: %v", err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, s.URL+path, rd)
	if err != nil {
		s.tb.Fatalf("ecslocaltest: %v", err)
	}
	resp, err := s.http.Client().Do(req)
	if err != nil {
		s.tb.Fatalf("ecslocaltest: %s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		s.tb.Fatalf("ecslocaltest: %s %s: %d %s", method, path, resp.StatusCode, raw)
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			s.tb.Fatalf("ecslocaltest: %s %s: decode %s: %v", method, path, raw, err)
		}
	}
}

// Clock is the emulated clock.
type Clock struct{ s *Server }

// Now reads the emulated time.
func (c *Clock) Now() time.Time {
	c.s.tb.Helper()
	var out struct{ Now time.Time }
	c.s.admin(http.MethodGet, "/_ecslocal/clock", nil, &out)
	return out.Now
}

// Advance moves the clock forward and returns once every event that fell
// due is applied: the way tests wait, instead of sleeping.
func (c *Clock) Advance(d time.Duration) time.Time {
	c.s.tb.Helper()
	var out struct{ Now time.Time }
	c.s.admin(http.MethodPost, "/_ecslocal/clock", map[string]string{"advance": d.String()}, &out)
	return out.Now
}

// Set moves the clock to t (never back) and applies what fell due.
func (c *Clock) Set(t time.Time) time.Time {
	c.s.tb.Helper()
	var out struct{ Now time.Time }
	c.s.admin(http.MethodPost, "/_ecslocal/clock", map[string]string{"set": t.Format(time.RFC3339Nano)}, &out)
	return out.Now
}

// Locks adds and removes OperationLocks entries.
type Locks struct{ s *Server }

// Add locks an instance for reason (security, financial, recycling, …).
func (l *Locks) Add(instanceID, reason string) {
	l.s.tb.Helper()
	l.s.admin(http.MethodPost, "/_ecslocal/instances/"+instanceID+"/locks", map[string]string{"reason": reason}, nil)
}

// Remove lifts a lock.
func (l *Locks) Remove(instanceID, reason string) {
	l.s.tb.Helper()
	l.s.admin(http.MethodDelete, "/_ecslocal/instances/"+instanceID+"/locks/"+reason, nil, nil)
}

// Fault is an armed failure of the next Count calls of Action.
type Fault struct {
	Action     string `json:"action"`
	Code       string `json:"code"`
	HTTPStatus int    `json:"httpStatus,omitempty"`
	Count      int    `json:"count,omitempty"`
	ResourceID string `json:"resourceId,omitempty"`
	Message    string `json:"message,omitempty"`
}

// Faults arms and clears faults.
type Faults struct{ s *Server }

// Arm makes the next f.Count (default 1) calls of f.Action fail with f.Code.
func (f *Faults) Arm(fault Fault) {
	f.s.tb.Helper()
	f.s.admin(http.MethodPost, "/_ecslocal/faults", fault, nil)
}

// Clear disarms every fault.
func (f *Faults) Clear() {
	f.s.tb.Helper()
	f.s.admin(http.MethodDelete, "/_ecslocal/faults", nil, nil)
}

// Config changes runtime switches (design.md §1.2).
type Config struct{ s *Server }

// Patch changes the keys it names, e.g. {"initializingWindow": "10s"}.
func (c *Config) Patch(patch map[string]any) {
	c.s.tb.Helper()
	c.s.admin(http.MethodPatch, "/_ecslocal/config", patch, nil)
}

// Policies runs automatic snapshot policies.
type Policies struct{ s *Server }

// Run fires the automatic snapshot policy now, as its TimePoint would, and
// returns the ids of the automatic snapshots it took.
func (p *Policies) Run(policyID string) []string {
	p.s.tb.Helper()
	var out struct {
		SnapshotIDs []string `json:"snapshotIds"`
	}
	p.s.admin(http.MethodPost, "/_ecslocal/auto-snapshot-policies/"+policyID+"/run", nil, &out)
	return out.SnapshotIDs
}

// String describes the server for test logs.
func (s *Server) String() string { return fmt.Sprintf("ecslocal at %s", s.URL) }

// Events reads the audit log (GET /_ecslocal/events).
type Events struct{ s *Server }

// EventFilter selects audit events; zero fields select everything.
type EventFilter struct {
	Account    string
	Action     string
	ResourceID string
	// Code is an error code, or "OK" for successes.
	Code string
	// Since keeps events at or after this emulated time.
	Since time.Time
	// Limit is at most how many events (default 100).
	Limit int
}

// Event is one audit log entry: an answered call (or an admin call, or due
// events the clock applied) and the state changes it caused.
type Event struct {
	Seq        int64             `json:"seq"`
	Time       time.Time         `json:"time"`
	Wall       time.Time         `json:"wall"`
	Account    string            `json:"account"`
	Region     string            `json:"region"`
	Product    string            `json:"product"`
	Action     string            `json:"action"`
	Params     map[string]string `json:"params"`
	Code       string            `json:"code"`
	HTTPStatus int               `json:"httpStatus"`
	RequestID  string            `json:"requestId"`
	Message    string            `json:"message"`
	// Detail names the rule and resource behind a refusal.
	Detail    string   `json:"detail"`
	ElapsedMS float64  `json:"elapsedMs"`
	Changes   []Change `json:"changes"`
	Resources []string `json:"resources"`
}

// Change is one resource an event created, updated or deleted.
type Change struct {
	Kind         string `json:"kind"`
	ID           string `json:"id"`
	Region       string `json:"region"`
	Op           string `json:"op"` // created, updated, deleted
	StatusBefore string `json:"statusBefore"`
	StatusAfter  string `json:"statusAfter"`
	// Due marks a change made by a due event, not by the call itself.
	Due bool `json:"due"`
}

// List answers the events f selects, newest first.
func (e *Events) List(f EventFilter) []Event {
	e.s.tb.Helper()
	q := url.Values{}
	for k, v := range map[string]string{"account": f.Account, "action": f.Action, "resourceId": f.ResourceID, "code": f.Code} {
		if v != "" {
			q.Set(k, v)
		}
	}
	if !f.Since.IsZero() {
		q.Set("since", f.Since.Format(time.RFC3339Nano))
	}
	if f.Limit > 0 {
		q.Set("limit", strconv.Itoa(f.Limit))
	}
	var out struct {
		Events []Event `json:"events"`
	}
	e.s.admin(http.MethodGet, "/_ecslocal/events?"+q.Encode(), nil, &out)
	return out.Events
}

// State exports and imports the whole state (GET|PUT /_ecslocal/state).
type State struct{ s *Server }

// Export answers the state document: versioned JSON, reproducible with a
// frozen clock and a Seed.
func (st *State) Export() []byte {
	st.s.tb.Helper()
	var raw json.RawMessage
	st.s.admin(http.MethodGet, "/_ecslocal/state", nil, &raw)
	return raw
}

// Import replaces the whole state with doc, a document Export made.
func (st *State) Import(doc []byte) {
	st.s.tb.Helper()
	st.s.admin(http.MethodPut, "/_ecslocal/state", json.RawMessage(doc), nil)
}

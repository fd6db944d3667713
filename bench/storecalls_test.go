package bench

import (
	"context"
	"fmt"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ecslocal/ecslocal/internal/clock"
	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/ecs"
	"github.com/ecslocal/ecslocal/internal/ident"
	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/server"
	"github.com/ecslocal/ecslocal/internal/store"
	"github.com/ecslocal/ecslocal/internal/vpc"
)

// TestRunDeleteStoreCalls counts the store calls (Get, Query, Put, Delete,
// Due, meta reads and writes, client tokens) of bench/loadgen's run-delete
// workload: RunInstances of one instance, then DeleteInstances of it,
// repeated; each call's transaction applies the due events before it (the
// launch's Pending → Running, the release's removal with every effect), so
// a round's calls are the steady state of one launch and one release. The
// memory and SQLite stores answer every call one by one; a lookup or a
// write added to the launch, the release or the due transitions fails here
// rather than in a timing. -v lists the calls by kind.
func TestRunDeleteStoreCalls(t *testing.T) {
	for _, spec := range []string{"memory", "sqlite"} {
		t.Run(spec, func(t *testing.T) {
			if spec == "sqlite" {
				spec = "sqlite:" + filepath.Join(t.TempDir(), "calls.db")
			}
			inner, err := server.OpenStore(context.Background(), spec)
			if err != nil {
				t.Fatal(err)
			}
			st := &countingStore{Store: inner, calls: map[string]int{}}
			defer st.Close()
			key, _ := server.ParseKey("bench:bench")
			c := &inproc{h: countedHandler(t, st, key), key: key}
			vsw, sg := c.network(t)
			for range 3 { // the first rounds apply nothing due yet
				id := c.run(t, vsw, sg, 1)[0]
				c.must(t, "2014-05-26", "DeleteInstances", url.Values{"InstanceId.1": {id}, "Force": {"true"}}, nil)
			}
			st.reset()
			const rounds = 20
			for range rounds {
				id := c.run(t, vsw, sg, 1)[0]
				c.must(t, "2014-05-26", "DeleteInstances", url.Values{"InstanceId.1": {id}, "Force": {"true"}}, nil)
			}
			byMethod, total := st.summary(rounds)
			t.Logf("per run-delete: %d store calls: %s", total, byMethod)
			for _, line := range st.lines(rounds) {
				t.Log("  " + line)
			}
			// Bound: the calls this workload makes now (see
			// docs/performance.md), with no room for one more lookup
			// or write per round.
			if max := 27; total > max {
				t.Errorf("%d store calls per run-delete, want at most %d", total, max)
			}
		})
	}
}

// countedHandler assembles what server.New does for the ECS and VPC
// actions over st: the clock's hooks (due events applied before every
// write) and the RPC endpoint.
func countedHandler(t *testing.T, st *countingStore, key rpc.Key) *rpc.Handler {
	t.Helper()
	return handlerOn(t, st, key)
}

// handlerOn is the ECS and VPC handler of key over st, its clock and due
// hooks set as the server sets them.
func handlerOn(t *testing.T, st store.Store, key rpc.Key) *rpc.Handler {
	t.Helper()
	clk := clock.New(st, time.Now)
	h := clk.Hooks()
	h.BeforeUpdate = store.MarkingDue(h.BeforeUpdate)
	st.SetHooks(h)
	if err := clk.Init(context.Background(), false); err != nil {
		t.Fatal(err)
	}
	ids := ident.New(1)
	table := rpc.NewTable()
	ecs.New(st, cloud.DefaultCatalog(), ids).Register(table)
	vpc.New(st, cloud.DefaultCatalog(), ids).Register(table)
	return rpc.NewHandler(table, rpc.Options{Keys: []rpc.Key{key}, Nonces: st, RequestID: ids.RequestID})
}

// countingStore counts the calls its transactions make, by method and kind.
type countingStore struct {
	store.Store
	mu    sync.Mutex
	calls map[string]int
}

func (s *countingStore) count(method, kind string) {
	s.mu.Lock()
	s.calls[method+" "+kind]++
	s.mu.Unlock()
}

func (s *countingStore) reset() {
	s.mu.Lock()
	clear(s.calls)
	s.mu.Unlock()
}

// summary answers the calls per round by method, and their total.
func (s *countingStore) summary(rounds int) (string, int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	by := map[string]int{}
	total := 0
	for k, n := range s.calls {
		m := strings.Fields(k)[0]
		by[m] += n
		if m != mayHold {
			total += n
		}
	}
	var parts []string
	for _, m := range slices.Sorted(func(yield func(string) bool) {
		for m := range by {
			if !yield(m) {
				return
			}
		}
	}) {
		parts = append(parts, fmt.Sprintf("%s %.2f", m, float64(by[m])/float64(rounds)))
	}
	return strings.Join(parts, ", "), (total + rounds/2) / rounds
}

// lines lists the calls per round by method and kind.
func (s *countingStore) lines(rounds int) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for k, n := range s.calls {
		out = append(out, fmt.Sprintf("%-28s %.2f", k, float64(n)/float64(rounds)))
	}
	slices.Sort(out)
	return out
}

func (s *countingStore) View(ctx context.Context, account string, fn func(store.Tx) error) error {
	return s.Store.View(ctx, account, func(tx store.Tx) error { return fn(&countingTx{Tx: tx, s: s}) })
}

func (s *countingStore) Update(ctx context.Context, account string, fn func(store.Tx) error) error {
	return s.Store.Update(ctx, account, func(tx store.Tx) error { return fn(&countingTx{Tx: tx, s: s}) })
}

func (s *countingStore) SetHooks(h store.Hooks) {
	if before := h.BeforeUpdate; before != nil {
		h.BeforeUpdate = func(ctx context.Context, tx store.Tx) error { return before(ctx, &countingTx{Tx: tx, s: s}) }
	}
	s.Store.SetHooks(h)
}

// countingTx counts the calls of one transaction; it keeps the store's
// decoded configuration (LoadConfig) as the store's own transaction does.
type countingTx struct {
	store.Tx
	s *countingStore
}

func (t *countingTx) ConfigCache() *store.ConfigCache {
	if c, ok := t.Tx.(interface{ ConfigCache() *store.ConfigCache }); ok {
		return c.ConfigCache()
	}
	return nil
}

// MayHold passes store.KindHolder through, counted apart: what it
// answers without a query is no store call of the total.
func (t *countingTx) MayHold(ctx context.Context, kind string) (bool, error) {
	t.s.count(mayHold, kind)
	return store.MayHold(ctx, t.Tx, kind)
}

// mayHold is the name MayHold is counted under, left out of the total.
const mayHold = "(MayHold)"

func (t *countingTx) GetMeta(ctx context.Context, key string) ([]byte, error) {
	t.s.count("GetMeta", key)
	return t.Tx.GetMeta(ctx, key)
}

func (t *countingTx) PutMeta(ctx context.Context, key string, value []byte) error {
	t.s.count("PutMeta", key)
	return t.Tx.PutMeta(ctx, key, value)
}

func (t *countingTx) Get(ctx context.Context, kind, id string) (store.Record, error) {
	t.s.count("Get", kind)
	return t.Tx.Get(ctx, kind, id)
}

func (t *countingTx) Put(ctx context.Context, r store.Record) (store.Record, bool, error) {
	t.s.count("Put", r.Kind)
	return t.Tx.Put(ctx, r)
}

func (t *countingTx) Delete(ctx context.Context, kind, id string) (store.Record, error) {
	t.s.count("Delete", kind)
	return t.Tx.Delete(ctx, kind, id)
}

func (t *countingTx) Query(ctx context.Context, q store.Query) (store.Page, error) {
	t.s.count("Query", q.Kind)
	return t.Tx.Query(ctx, q)
}

func (t *countingTx) Due(ctx context.Context, at time.Time, limit int) ([]store.Record, error) {
	t.s.count("Due", "")
	return t.Tx.Due(ctx, at, limit)
}

func (t *countingTx) ClientToken(ctx context.Context, action, token string) (store.ClientToken, error) {
	t.s.count("ClientToken", action)
	return t.Tx.ClientToken(ctx, action, token)
}

func (t *countingTx) PutClientToken(ctx context.Context, ct store.ClientToken) error {
	t.s.count("PutClientToken", ct.Action)
	return t.Tx.PutClientToken(ctx, ct)
}

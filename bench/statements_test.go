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

	"github.com/ecslocal/ecslocal/internal/server"
)

// TestRunDeleteStatements counts the statements SQLite's write connection
// runs per run-delete (RunInstances of one instance, then DeleteInstances
// of it, one call after another: each call its own group), by shape. The
// writer goroutine is what bounds SQLite's run-delete under load, and a
// statement more per round fails here rather than in a timing. -v lists
// them.
func TestRunDeleteStatements(t *testing.T) {
	inner, err := server.OpenStore(context.Background(), "sqlite:"+filepath.Join(t.TempDir(), "stmts.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer inner.Close()
	hooked, ok := inner.(interface{ OnStatement(func(string)) })
	if !ok {
		t.Fatalf("%T has no OnStatement", inner)
	}
	var mu sync.Mutex
	byShape := map[string]int{}
	st := &countingStore{Store: inner, calls: map[string]int{}}
	key, _ := server.ParseKey("bench:bench")
	c := &inproc{h: countedHandler(t, st, key), key: key}
	vsw, sg := c.network(t)
	round := func() {
		id := c.run(t, vsw, sg, 1)[0]
		c.must(t, "2014-05-26", "DeleteInstances", url.Values{"InstanceId.1": {id}, "Force": {"true"}}, nil)
	}
	for range 3 { // the first rounds apply nothing due yet
		round()
	}
	hooked.OnStatement(func(q string) {
		q = strings.Join(strings.Fields(q), " ")
		if len(q) > 90 {
			q = q[:90]
		}
		mu.Lock()
		byShape[q]++
		mu.Unlock()
	})
	const rounds = 20
	for range rounds {
		round()
	}
	hooked.OnStatement(nil)
	mu.Lock()
	defer mu.Unlock()
	total := 0
	var lines []string
	for q, n := range byShape {
		total += n
		lines = append(lines, fmt.Sprintf("%6.2f %s", float64(n)/rounds, q))
	}
	slices.Sort(lines)
	per := float64(total) / rounds
	t.Logf("per run-delete: %.2f statements", per)
	for _, l := range lines {
		t.Log(l)
	}
	// Bound: what a run-delete runs now (docs/performance.md), with no
	// room for one more statement per round. The launch's records are
	// released before the index delay: no index row is written for them.
	if max := 34.0; per > max {
		t.Errorf("%.2f statements per run-delete, want at most %.0f", per, max)
	}
}

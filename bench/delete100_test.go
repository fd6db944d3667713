package bench

import (
	"context"
	"net/url"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/server"
)

// TestDelete100Postgres guards bench/run.sh's delete100 workload on
// PostgreSQL (RunInstances Amount 100, then DeleteInstances of the 100): it
// runs rounds of it in-process and bounds the statements each round sends,
// so a change that adds a round trip per instance, or per instance of the
// vSwitch, fails here rather than in a timing. (The statements' own cost
// is guarded by the store's TestCountProbeReadsFewRows: a plan that reads
// every record of a kind per statement once made this workload take
// seconds with no more statements.)
func TestDelete100Postgres(t *testing.T) {
	dsn := os.Getenv("ECSLOCAL_TEST_POSTGRES")
	if dsn == "" {
		t.Skip("ECSLOCAL_TEST_POSTGRES unset: no PostgreSQL to run delete100 on")
	}
	key, _ := server.ParseKey("bench:bench")
	srv, err := server.New(context.Background(), server.Config{Store: dsn + "&ecslocal_schema=auto", Keys: []rpc.Key{key}})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	counted, ok := srv.Store.(interface{ Statements() int64 })
	if !ok {
		t.Fatalf("store %T does not count its statements", srv.Store)
	}
	c := &inproc{h: srv.Handler, key: key}
	vsw, sg := c.network(t)
	// Per instance, in round trips (a batch of statements is one): at
	// launch the address probe (its three counts together; the instance,
	// disk and ENI writes go with the next one); the holds of its release
	// (every kind's lookup together); the removal: the effects' lookups in
	// two rounds (the kinds keyed by the instance, then those keyed by
	// what it removed), each with the writes queued before it. About 4.3
	// (432–442 a round), 4 allowed plus 100 per call. A change that sends
	// one statement per effect again (16 effects) or each write alone
	// fails here.
	perInstance, perCall := 4, 100
	for round := range 3 {
		before, t0 := counted.Statements(), time.Now()
		ids := c.run(t, vsw, sg, 100)
		v := url.Values{"Force": {"true"}}
		for i, id := range ids {
			v.Set("InstanceId."+strconv.Itoa(i+1), id)
		}
		c.must(t, "2014-05-26", "DeleteInstances", v, nil)
		n := counted.Statements() - before

		t.Logf("round %d: %d statements for 100 instances run and deleted (%v, for information)", round+1, n, time.Since(t0).Round(time.Millisecond))
		if max := int64(perInstance*100 + 2*perCall); n > max {
			t.Errorf("round %d: %d statements for 100 instances run and deleted, want at most %d", round+1, n, max)
		}
	}
}

package bench

import (
	"context"
	"net/url"
	"os"
	"testing"

	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/server"
)

// TestDescribePostgres guards bench/run.sh's describe10 and describe-id
// workloads on PostgreSQL: it bounds the round trips (the store's
// Statements: a statement sent alone or a batch of them) one
// DescribeInstances call makes, for a page of 10 and for one id, so a
// change that adds a round trip per record or per call fails here rather
// than in a timing.
func TestDescribePostgres(t *testing.T) {
	dsn := os.Getenv("ECSLOCAL_TEST_POSTGRES")
	if dsn == "" {
		t.Skip("ECSLOCAL_TEST_POSTGRES unset: no PostgreSQL to describe on")
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
	ids := c.run(t, vsw, sg, 30)
	// A quiet call costs: the nonce with the fault check (one statement
	// recording the nonce and reading the faults key); the describe's View:
	// its begin batch (the previous View's rollback, the clock, the
	// configuration, the earliest due time), the count and the page in one
	// batch, the page's ENIs in another; its own rollback goes with the
	// next transaction's begin.
	// Background work (the audit journal's appends, the clock's loop)
	// lands in some calls' counts: the quietest of ten is bounded exactly,
	// the mean loosely.
	const calls, quiet, mean = 10, 4, 7
	for _, tc := range []struct {
		name string
		v    func() url.Values
	}{
		{"page of 10", func() url.Values { return url.Values{"PageSize": {"10"}} }},
		{"one id", func() url.Values { return url.Values{"InstanceIds": {`["` + ids[7] + `"]`}} }},
	} {
		// The first call applies the launches' due transitions.
		c.must(t, "2014-05-26", "DescribeInstances", tc.v(), nil)
		least, total := int64(-1), int64(0)
		for range calls {
			before := counted.Statements()
			var out struct {
				Instances struct{ Instance []struct{ InstanceId string } }
			}
			c.must(t, "2014-05-26", "DescribeInstances", tc.v(), &out)
			n := counted.Statements() - before
			if len(out.Instances.Instance) == 0 {
				t.Fatalf("%s: no instance described", tc.name)
			}
			if least < 0 || n < least {
				least = n
			}
			total += n
		}
		t.Logf("%s: %d round trips in the quietest of %d calls, %d in all", tc.name, least, calls, total)
		if least > quiet {
			t.Errorf("%s: %d round trips in the quietest of %d calls, want at most %d", tc.name, least, calls, quiet)
		}
		if total > calls*mean {
			t.Errorf("%s: %d round trips in %d calls, want at most %d", tc.name, total, calls, calls*mean)
		}
	}
}

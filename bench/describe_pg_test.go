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
// workloads on PostgreSQL: it bounds the statements (each a round trip,
// except those queued in one batch) one DescribeInstances call sends, for
// a page of 10 and for one id, so a change that adds a round trip per
// record or per call fails here rather than in a timing.
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
	for _, tc := range []struct {
		name string
		v    func() url.Values
		max  int64
	}{
		{"page of 10", func() url.Values { return url.Values{"PageSize": {"10"}} }, 9},
		{"one id", func() url.Values { return url.Values{"InstanceIds": {`["` + ids[7] + `"]`}} }, 9},
	} {
		for round := range 3 {
			before := counted.Statements()
			var out struct {
				TotalCount int
				Instances  struct{ Instance []struct{ InstanceId string } }
			}
			c.must(t, "2014-05-26", "DescribeInstances", tc.v(), &out)
			n := counted.Statements() - before
			t.Logf("%s, call %d: %d statements, %d instances of %d", tc.name, round+1, n, len(out.Instances.Instance), out.TotalCount)
			if n > tc.max {
				t.Errorf("%s, call %d: %d statements, want at most %d", tc.name, round+1, n, tc.max)
			}
		}
	}
}

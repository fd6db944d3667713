package bench

import (
	"context"
	"net/url"
	"os"
	"sync"
	"testing"

	"github.com/ecslocal/ecslocal/internal/server"
	"github.com/ecslocal/ecslocal/internal/store/postgres"
)

// TestRunDeleteRoundTrips bounds the round trips to PostgreSQL of
// bench/loadgen's run-delete calls, the nonce's included: every one but
// the nonce's is made under the account's lock, where 16 writers of one
// account take turns, so one more is a slower turn for all of them. (A
// query whose answer needs no statement does not send the queued writes
// alone: RunInstances went from 9 to 7; a group's BEGIN reading the due
// records whole, so that Due asks nothing: 6, and DeleteInstances 4; the
// launch's vSwitch, groups and image answered from the memo the group
// before left: 5.)
func TestRunDeleteRoundTrips(t *testing.T) {
	c, db, vsw, sg := pgNetwork(t)
	for range 3 {
		id := c.run(t, vsw, sg, 1)[0]
		c.must(t, "2014-05-26", "DeleteInstances", url.Values{"InstanceId.1": {id}, "Force": {"true"}}, nil)
	}
	var runRT, delRT int64
	for range 10 {
		b := db.Statements()
		id := c.run(t, vsw, sg, 1)[0]
		m := db.Statements()
		c.must(t, "2014-05-26", "DeleteInstances", url.Values{"InstanceId.1": {id}, "Force": {"true"}}, nil)
		runRT += m - b
		delRT += db.Statements() - m
	}
	run, del := float64(runRT)/10, float64(delRT)/10
	t.Logf("round trips: RunInstances %.1f, DeleteInstances %.1f", run, del)
	// (A nonce statement now and then also forgets old nonces: a tenth more.)
	if run > 5.5 || del > 4.5 {
		t.Errorf("round trips: RunInstances %.1f, DeleteInstances %.1f; want at most 5.5 and 4.5", run, del)
	}
}

// TestRunDeleteRoundTripsConcurrent logs the round trips per call of
// run-delete at 16 concurrent callers on one account (in-process, no
// HTTP), where the account's writes share group transactions: what a
// call costs under the account's lock when it is a member of a group. It
// depends on how many calls a group takes in, so the bound is the one of
// calls that each lead a group of their own (one after the other,
// TestRunDeleteRoundTrips).
func TestRunDeleteRoundTripsConcurrent(t *testing.T) {
	c, db, vsw, sg := pgNetwork(t)
	// Each caller makes warm run-deletes, then, once all have, timed more:
	// a fixed amount of work, whatever the machine's speed.
	const callers, warm, timed = 16, 3, 10
	runDelete := func() {
		id := c.run(t, vsw, sg, 1)[0]
		c.must(t, "2014-05-26", "DeleteInstances", url.Values{"InstanceId.1": {id}, "Force": {"true"}}, nil)
	}
	var warmed, done sync.WaitGroup
	warmed.Add(callers)
	done.Add(callers)
	from := make(chan struct{})
	for range callers {
		go func() {
			defer done.Done()
			counted := false // a caller that fails (t.Fatal ends it) still counts as warmed
			defer func() {
				if !counted {
					warmed.Done()
				}
			}()
			for range warm {
				runDelete()
			}
			counted = true
			warmed.Done()
			<-from
			for range timed {
				runDelete()
			}
		}()
	}
	warmed.Wait()
	start := db.Statements()
	close(from)
	done.Wait()
	n := int64(callers * timed * 2)
	per := float64(db.Statements()-start) / float64(n)
	t.Logf("16 callers: %d calls, %.2f round trips per call", n, per)
	if per > 4.5 {
		t.Errorf("%.2f round trips per call at 16 callers; want at most 4.5", per)
	}
}

// pgNetwork opens a fresh PostgreSQL schema behind an in-process handler
// and makes the network run-delete launches into, or skips without
// ECSLOCAL_TEST_POSTGRES.
func pgNetwork(t *testing.T) (c *inproc, db *postgres.DB, vsw, sg string) {
	t.Helper()
	dsn := os.Getenv("ECSLOCAL_TEST_POSTGRES")
	if dsn == "" {
		t.Skip("ECSLOCAL_TEST_POSTGRES unset: no PostgreSQL to count round trips to")
	}
	inner, err := server.OpenStore(context.Background(), dsn+"&ecslocal_schema=auto")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { inner.Close() })
	key, _ := server.ParseKey("bench:bench")
	c = &inproc{h: handlerOn(t, inner, key), key: key}
	vsw, sg = c.network(t)
	return c, inner.(*postgres.DB), vsw, sg
}

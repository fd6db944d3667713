package clock_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/ecslocal/ecslocal/internal/clock"
	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/store"
	"github.com/ecslocal/ecslocal/internal/store/sqlite"
)

var wall = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func newClock(t *testing.T, frozen bool) (*clock.Clock, store.Store, *time.Time) {
	t.Helper()
	st, err := sqlite.OpenMemory(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	now := wall
	c := clock.New(st, func() time.Time { return now })
	st.SetHooks(c.Hooks())
	if err := c.Init(context.Background(), frozen); err != nil {
		t.Fatal(err)
	}
	return c, st, &now
}

func TestState(t *testing.T) {
	frozen := clock.State{Frozen: true, At: wall}
	if got := frozen.Now(wall.Add(time.Hour)); !got.Equal(wall) {
		t.Fatalf("frozen moved: %v", got)
	}
	running := clock.State{Offset: time.Minute}
	if got := running.Now(wall); !got.Equal(wall.Add(time.Minute)) {
		t.Fatalf("running: %v", got)
	}
}

func TestFrozenClockMovesOnlyWhenTold(t *testing.T) {
	ctx := context.Background()
	c, _, now := newClock(t, true)
	*now = now.Add(time.Hour) // the wall clock moves; the emulated one must not
	got, err := c.Now(ctx)
	if err != nil || !got.Equal(wall) {
		t.Fatalf("now %v %v", got, err)
	}
	if got, _ := c.Advance(ctx, 90*time.Second); !got.Equal(wall.Add(90 * time.Second)) {
		t.Fatalf("advance: %v", got)
	}
	if _, err := c.Set(ctx, wall); !errors.Is(err, clock.ErrBackwards) {
		t.Fatalf("set back: %v", err)
	}
	if _, err := c.Advance(ctx, -time.Second); !errors.Is(err, clock.ErrBackwards) {
		t.Fatalf("advance back: %v", err)
	}
}

func TestRunningClockFollowsWall(t *testing.T) {
	ctx := context.Background()
	c, _, now := newClock(t, false)
	c.Advance(ctx, time.Hour)
	*now = now.Add(time.Minute)
	got, _ := c.Now(ctx)
	if !got.Equal(wall.Add(time.Hour + time.Minute)) {
		t.Fatalf("running now %v", got)
	}
}

// TestAdvanceAppliesDueEvents: moving the clock applies every transition
// that fell due, in order, before it returns.
func TestAdvanceAppliesDueEvents(t *testing.T) {
	ctx := context.Background()
	c, st, _ := newClock(t, true)
	inst := cloud.Instance{ID: "i-1", Region: "cn-hangzhou", Status: cloud.StatusPending, ChargeType: cloud.PostPaid,
		Steps: []cloud.Step{{At: wall.Add(2 * time.Second), Status: cloud.StatusStarting}, {At: wall.Add(5 * time.Second), Status: cloud.StatusRunning}}}
	if err := st.Update(ctx, "acct", func(tx store.Tx) error { return store.Put(ctx, tx, inst) }); err != nil {
		t.Fatal(err)
	}
	status := func() string {
		var s string
		st.View(ctx, "acct", func(tx store.Tx) error {
			i, err := store.Get[cloud.Instance](ctx, tx, "i-1")
			s = i.Status
			return err
		})
		return s
	}
	c.Advance(ctx, time.Second)
	if s := status(); s != cloud.StatusPending {
		t.Fatalf("after 1s: %s", s)
	}
	c.Advance(ctx, 2*time.Second)
	if s := status(); s != cloud.StatusStarting {
		t.Fatalf("after 3s: %s", s)
	}
	c.Advance(ctx, time.Hour)
	if s := status(); s != cloud.StatusRunning {
		t.Fatalf("after 1h: %s", s)
	}
	accounts, err := st.DueAccounts(ctx, wall.Add(2*time.Hour))
	if err != nil || len(accounts) != 0 {
		t.Fatalf("still due: %v %v", accounts, err)
	}
}

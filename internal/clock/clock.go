// Package clock owns emulated time and the due-event scheduler. The clock's
// state lives in the store so that every replica reads one clock; domain code
// never reads the wall clock, only Tx.Now().
package clock

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ecslocal/ecslocal/internal/lifecycle"
	"github.com/ecslocal/ecslocal/internal/store"
)

// State is the stored clock: frozen at At, or the wall clock plus Offset.
type State struct {
	Frozen bool          `json:"frozen"`
	At     time.Time     `json:"at,omitzero"`
	Offset time.Duration `json:"offset"`
}

// Now is the emulated time for a wall-clock reading.
func (s State) Now(wall time.Time) time.Time {
	if s.Frozen {
		return s.At
	}
	return wall.Add(s.Offset).UTC().Truncate(time.Millisecond)
}

// ErrBackwards refuses moving the clock back: due events already applied
// cannot be undone.
var ErrBackwards = errors.New("the clock never moves back")

// The stores keep times as Unix nanoseconds: the emulated clock stays
// within what they can hold.
var (
	MinTime = time.Unix(0, math.MinInt64).UTC()
	MaxTime = time.Unix(0, math.MaxInt64).UTC()
)

// ErrOutOfRange refuses a move past what the stores can hold (or past what
// a running clock's offset can express).
var ErrOutOfRange = errors.New("the clock must stay within 1677-09-21 .. 2262-04-11, what the stores can hold")

// InRange tells whether t can be the emulated time.
func InRange(t time.Time) bool { return !t.Before(MinTime) && !t.After(MaxTime) }

// addOffset is offset moved by d, or ErrOutOfRange when it does not fit.
func addOffset(offset, d time.Duration) (time.Duration, error) {
	sum := offset + d
	if (d > 0 && sum < offset) || (d < 0 && sum > offset) {
		return 0, ErrOutOfRange
	}
	return sum, nil
}

// Clock reads and moves emulated time and applies due events.
type Clock struct {
	st   store.Store
	wall func() time.Time
	// last is the latest stored state read with its encoding: every
	// transaction reads the clock, and it changes only when moved.
	last atomic.Pointer[readState]
	// moving is held by a move from its write to its settling and by the
	// background settling: what a move makes due is applied by, and
	// attributed to, that move, never by the loop in between.
	moving sync.Mutex
}

type readState struct {
	raw []byte
	s   State
}

// New makes a clock over st; wall is the wall clock (time.Now in production).
func New(st store.Store, wall func() time.Time) *Clock {
	return &Clock{st: st, wall: wall}
}

// Hooks are the store hooks that make every transaction see emulated time
// and apply due events before it runs.
func (c *Clock) Hooks() store.Hooks {
	return store.Hooks{Now: c.nowIn, BeforeUpdate: lifecycle.ApplyDue}
}

func (c *Clock) nowIn(ctx context.Context, m store.MetaTx) (time.Time, error) {
	raw, err := m.GetMeta(ctx, store.MetaClock)
	if errors.Is(err, store.ErrNotFound) {
		return State{}.Now(c.wall()), nil
	}
	if err != nil {
		return time.Time{}, err
	}
	if last := c.last.Load(); last != nil && bytes.Equal(last.raw, raw) {
		return last.s.Now(c.wall()), nil
	}
	var s State
	if err := json.Unmarshal(raw, &s); err != nil {
		return time.Time{}, fmt.Errorf("decode meta %s: %w", store.MetaClock, err)
	}
	c.last.Store(&readState{raw: raw, s: s})
	return s.Now(c.wall()), nil
}

// Now reads the emulated time through a read-only transaction (of no
// account), so reading the clock never queues behind writers.
func (c *Clock) Now(ctx context.Context) (time.Time, error) {
	var now time.Time
	err := c.st.View(ctx, "", func(tx store.Tx) error {
		now = tx.Now()
		return nil
	})
	return now, err
}

// Init applies the --freeze-clock choice at start, keeping emulated time
// continuous with what the store already recorded.
func (c *Clock) Init(ctx context.Context, frozen bool) error {
	return c.update(ctx, func(s State, now time.Time) (State, error) {
		if frozen {
			return State{Frozen: true, At: now}, nil
		}
		return State{Offset: now.Sub(c.wall())}, nil
	})
}

// Advance moves the clock forward by d and applies everything that became due.
func (c *Clock) Advance(ctx context.Context, d time.Duration) (time.Time, error) {
	if d < 0 {
		return time.Time{}, ErrBackwards
	}
	return c.move(ctx, func(s State, now time.Time) (State, error) {
		if !InRange(now.Add(d)) || now.Add(d).Sub(now) != d {
			return s, ErrOutOfRange
		}
		if s.Frozen {
			s.At = s.At.Add(d)
			return s, nil
		}
		var err error
		s.Offset, err = addOffset(s.Offset, d)
		return s, err
	})
}

// Set moves the clock to t (never back) and applies everything that became due.
func (c *Clock) Set(ctx context.Context, t time.Time) (time.Time, error) {
	return c.move(ctx, func(s State, now time.Time) (State, error) {
		if t.Before(now) {
			return s, ErrBackwards
		}
		if !InRange(t) {
			return s, ErrOutOfRange
		}
		if s.Frozen {
			s.At = t.UTC()
			return s, nil
		}
		d := t.Sub(now)
		if !now.Add(d).Equal(t) {
			return s, ErrOutOfRange
		}
		var err error
		s.Offset, err = addOffset(s.Offset, d)
		return s, err
	})
}

func (c *Clock) move(ctx context.Context, fn func(State, time.Time) (State, error)) (time.Time, error) {
	c.moving.Lock()
	defer c.moving.Unlock()
	if err := c.update(ctx, fn); err != nil {
		return time.Time{}, err
	}
	if err := c.Settle(ctx); err != nil {
		return time.Time{}, err
	}
	return c.Now(ctx)
}

func (c *Clock) update(ctx context.Context, fn func(State, time.Time) (State, error)) error {
	return c.st.Meta(ctx, func(m store.MetaTx) error {
		var s State
		if err := store.GetJSON(ctx, m, store.MetaClock, &s); err != nil {
			return err
		}
		next, err := fn(s, s.Now(c.wall()))
		if err != nil {
			return err
		}
		return store.PutJSON(ctx, m, store.MetaClock, next)
	})
}

// Settle applies every due event of every account; each account's events
// run in one transaction of that account, as a request's would.
func (c *Clock) Settle(ctx context.Context) error {
	now, err := c.Now(ctx)
	if err != nil {
		return err
	}
	accounts, err := c.st.DueAccounts(ctx, now)
	if err != nil {
		return err
	}
	for _, a := range accounts {
		// An empty update runs the BeforeUpdate hook, which is ApplyDue.
		if err := c.st.Update(ctx, a, func(store.Tx) error { return nil }); err != nil {
			return fmt.Errorf("settle account %s: %w", a, err)
		}
	}
	return nil
}

// Run settles due events every interval until ctx ends: with a running clock
// this is what moves instances along while nobody is asking.
func (c *Clock) Run(ctx context.Context, interval time.Duration, onErr func(error)) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			c.moving.Lock()
			err := c.Settle(ctx)
			c.moving.Unlock()
			if err != nil && ctx.Err() == nil && onErr != nil {
				onErr(err)
			}
		}
	}
}

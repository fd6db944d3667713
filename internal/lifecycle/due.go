package lifecycle

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/store"
)

// maxDueRounds bounds one settlement; a rule that kept a record due forever
// would otherwise hang the request.
const maxDueRounds = 10000

// dueBatch is how many due records one Due call lists.
const dueBatch = 100

// ApplyDue applies every event due by tx.Now() in the caller's transaction,
// earliest first, through each kind's declared Advance. It is the store's
// BeforeUpdate hook.
func ApplyDue(ctx context.Context, tx store.Tx) error {
	now := tx.Now()
	var cfg *cloud.Config
	for round := 0; ; round++ {
		due, err := tx.Due(ctx, now, dueBatch)
		if err != nil {
			return err
		}
		if len(due) == 0 {
			return nil
		}
		if round >= maxDueRounds {
			return fmt.Errorf("due events did not settle after %d rounds", maxDueRounds)
		}
		if cfg == nil {
			c, err := store.LoadConfig(ctx, tx)
			if err != nil {
				return err
			}
			cfg = &c
		}
		w := writes{tx: tx, now: now, track: len(due) > 1}
		for _, rec := range due {
			if err := advance(ctx, &w, rec, *cfg); err != nil {
				return fmt.Errorf("apply due %s %s: %w", rec.Kind, rec.ID, err)
			}
		}
		// A short answer listed every record due; only what these events
		// wrote can be due now, and writes tells whether any is.
		if len(due) < dueBatch && !w.dueNow {
			return nil
		}
	}
}

// writes makes one round of due events' writes, noting which records
// they wrote (a due record read before them is then read again) and
// whether one of them falls due by now (the round is then not the last).
type writes struct {
	tx     store.Tx
	now    time.Time
	dueNow bool
	// written is kept when more due records follow in the round (track).
	track   bool
	written map[store.Key]bool
}

func (w *writes) note(kind, id string) {
	if !w.track {
		return
	}
	if w.written == nil {
		w.written = map[store.Key]bool{}
	}
	w.written[store.Key{Kind: kind, ID: id}] = true
}

func (w *writes) put(ctx context.Context, r cloud.Resource) error {
	if err := store.Put(ctx, w.tx, r); err != nil {
		return err
	}
	w.note(r.Kind(), r.Key())
	// As the stores compare due times: to the nanosecond, wall clock.
	if d := r.NextDue(); !d.IsZero() && d.UnixNano() <= w.now.UnixNano() {
		w.dueNow = true
	}
	return nil
}

func (w *writes) delete(ctx context.Context, kind, id string) error {
	w.note(kind, id)
	return store.DeleteKind(ctx, w.tx, kind, id)
}

// advance applies the declared transition of one due record: rec as the
// Due call listed it, unless this round wrote it since.
func advance(ctx context.Context, w *writes, rec store.Record, cfg cloud.Config) error {
	k, ok := cloud.KindOf(rec.Kind)
	if !ok || k.Advance == nil {
		return fmt.Errorf("no transition for kind %q", rec.Kind)
	}
	var r cloud.Resource
	var err error
	if w.written[store.Key{Kind: rec.Kind, ID: rec.ID}] {
		r, err = store.GetKind(ctx, w.tx, k, rec.ID)
		if errors.Is(err, store.ErrNotFound) {
			// An earlier event of the round removed it (a disk that goes
			// with its instance): gone, it has nothing left to do.
			return nil
		}
	} else {
		r, err = store.DecodeRecord(k, rec)
	}
	if err != nil {
		return err
	}
	t, err := k.Advance(ctx, lookup{w.tx}, r, w.now, cfg)
	if err != nil {
		return err
	}
	for _, also := range t.Also {
		if err := w.put(ctx, also); err != nil {
			return err
		}
	}
	switch {
	case !t.Gone:
		return w.put(ctx, t.Next)
	case k.Name == cloud.KindInstance:
		// An instance goes with every effect of its release.
		return removeInstance(ctx, w, t.Next.(cloud.Instance), t.ReleasedAt)
	default:
		return w.delete(ctx, k.Name, rec.ID)
	}
}

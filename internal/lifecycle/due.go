package lifecycle

import (
	"context"
	"fmt"
	"time"

	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/store"
)

// maxDueRounds bounds one settlement; a rule that kept a record due forever
// would otherwise hang the request.
const maxDueRounds = 10000

// ApplyDue applies every event due by tx.Now() in the caller's transaction,
// earliest first, through each kind's declared Advance. It is the store's
// BeforeUpdate hook.
func ApplyDue(ctx context.Context, tx store.Tx) error {
	now := tx.Now()
	var cfg *cloud.Config
	for round := 0; ; round++ {
		due, err := tx.Due(ctx, now, 100)
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
		for _, rec := range due {
			if err := advance(ctx, tx, rec, now, *cfg); err != nil {
				return fmt.Errorf("apply due %s %s: %w", rec.Kind, rec.ID, err)
			}
		}
	}
}

// advance applies the declared transition of one due record.
func advance(ctx context.Context, tx store.Tx, rec store.Record, now time.Time, cfg cloud.Config) error {
	k, ok := cloud.KindOf(rec.Kind)
	if !ok || k.Advance == nil {
		return fmt.Errorf("no transition for kind %q", rec.Kind)
	}
	r, err := store.GetKind(ctx, tx, k, rec.ID)
	if err != nil {
		return err
	}
	t, err := k.Advance(ctx, lookup{tx}, r, now, cfg)
	if err != nil {
		return err
	}
	for _, also := range t.Also {
		if err := store.Put(ctx, tx, also); err != nil {
			return err
		}
	}
	switch {
	case !t.Gone:
		return store.Put(ctx, tx, t.Next)
	case k.Name == cloud.KindInstance:
		// An instance goes with every effect of its release.
		return RemoveInstance(ctx, tx, t.Next.(cloud.Instance), t.ReleasedAt)
	default:
		return store.DeleteKind(ctx, tx, k.Name, rec.ID)
	}
}

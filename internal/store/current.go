package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
)

// CurrentMetaReader is a store that reads the committed value of a meta key
// by itself, with no transaction of the caller's: SQLite answers from
// memory while its file is unchanged.
type CurrentMetaReader interface {
	// CurrentMeta reads key's value as committed when it is called (at least
	// as fresh as a View begun then); ErrNotFound when unset.
	CurrentMeta(ctx context.Context, key string) ([]byte, error)
}

// CurrentJSON reads the committed value of a meta key into v, as a View of
// no account reading it would (CurrentMetaReader where the store is one);
// an unset key leaves v as it is.
func CurrentJSON(ctx context.Context, st Store, key string, v any) error {
	r, ok := st.(CurrentMetaReader)
	if !ok {
		return st.View(ctx, "", func(tx Tx) error { return GetJSON(ctx, tx, key, v) })
	}
	b, err := r.CurrentMeta(ctx, key)
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("decode meta %s: %w", key, err)
	}
	return nil
}

package store

import (
	"context"
	"errors"
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
	if r, ok := st.(CurrentMetaReader); ok {
		return GetJSON(ctx, currentMeta{r}, key, v)
	}
	return st.View(ctx, "", func(tx Tx) error { return GetJSON(ctx, tx, key, v) })
}

// currentMeta reads a CurrentMetaReader as a MetaTx, for GetJSON.
type currentMeta struct{ r CurrentMetaReader }

func (c currentMeta) GetMeta(ctx context.Context, key string) ([]byte, error) {
	return c.r.CurrentMeta(ctx, key)
}

func (currentMeta) PutMeta(context.Context, string, []byte) error {
	return errors.New("store: a committed-value read writes nothing")
}

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
// an unset key leaves v as it is. Within a call whose nonce check read key
// (AlongNonce), it answers from that read.
func CurrentJSON(ctx context.Context, st Store, key string, v any) error {
	if value, found, ok := currentAlong(ctx, key); ok {
		if !found {
			return nil
		}
		return GetJSON(ctx, fixedMeta{value}, key, v)
	}
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

// AlongNonce derives a call's context in which a store may read the
// committed value of key with the call's nonce check (UseNonce), in the
// same round trip, so that the call's CurrentJSON of key answers from that
// read: the value as committed after the call arrived, one round trip
// fewer per call (the fault check before every call on PostgreSQL). A
// store that does not (NonceMeta false) leaves CurrentJSON to read it.
func AlongNonce(ctx context.Context, key string) context.Context {
	return context.WithValue(ctx, alongKey{}, &along{key: key})
}

// NonceMeta answers the meta key a UseNonce of ctx may read along, and the
// function that keeps what it read (found false: the key is unset).
func NonceMeta(ctx context.Context) (key string, keep func(value []byte, found bool), ok bool) {
	a, _ := ctx.Value(alongKey{}).(*along)
	if a == nil {
		return "", nil, false
	}
	return a.key, func(value []byte, found bool) { a.value, a.found, a.read = value, found, true }, true
}

type alongKey struct{}

// along is one call's value read with its nonce; read says it was, and is
// cleared when CurrentJSON has used it (a call reads it once).
type along struct {
	key         string
	value       []byte
	found, read bool
}

// currentAlong answers key's value read with ctx's nonce, once.
func currentAlong(ctx context.Context, key string) ([]byte, bool, bool) {
	a, _ := ctx.Value(alongKey{}).(*along)
	if a == nil || !a.read || a.key != key {
		return nil, false, false
	}
	a.read = false
	return a.value, a.found, true
}

// fixedMeta answers one value as a MetaTx, for GetJSON.
type fixedMeta struct{ value []byte }

func (f fixedMeta) GetMeta(context.Context, string) ([]byte, error) { return f.value, nil }

func (fixedMeta) PutMeta(context.Context, string, []byte) error {
	return errors.New("store: a committed-value read writes nothing")
}

package store

import (
	"context"
	"errors"
	"sync"
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

// AlongNonce derives a call's context in which a store may read, with the
// call's nonce check (UseNonce) and in the same round trip, the committed
// value of key, so that the call's CurrentJSON of key answers from that
// read (the fault check before every call on PostgreSQL), and what a View
// of the caller's account must read first (KeepSeen): values as committed
// after the call arrived, one round trip fewer per call. A store that does
// neither leaves CurrentJSON and its Views to read them.
func AlongNonce(ctx context.Context, account, key string) context.Context {
	return context.WithValue(ctx, alongKey{}, &along{account: account, key: key})
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

// NonceAccount answers the caller's account, whose first reads a UseNonce
// of ctx may make along (KeepSeen keeps them).
func NonceAccount(ctx context.Context) (string, bool) {
	a, _ := ctx.Value(alongKey{}).(*along)
	if a == nil {
		return "", false
	}
	return a.account, true
}

// KeepSeen keeps what a store read of the caller's account with ctx's
// nonce (its own type), for the call's Views (Seen).
func KeepSeen(ctx context.Context, seen any) {
	if a, _ := ctx.Value(alongKey{}).(*along); a != nil {
		a.mu.Lock()
		a.seen = seen
		a.mu.Unlock()
	}
}

// Seen answers what KeepSeen kept, when it is of account and the call has
// written nothing since (DropSeen): a read made after the call arrived,
// so a View of the call may begin from it and still see every change
// acknowledged before the call, and the call's own.
func Seen(ctx context.Context, account string) any {
	a, _ := ctx.Value(alongKey{}).(*along)
	if a == nil || a.account != account {
		return nil
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.seen
}

// DropSeen forgets what KeepSeen kept: the call is about to write, and its
// later Views must see what it wrote. A store calls it before each write
// of a call.
func DropSeen(ctx context.Context) {
	if a, _ := ctx.Value(alongKey{}).(*along); a != nil {
		a.mu.Lock()
		a.seen = nil
		a.mu.Unlock()
	}
}

type alongKey struct{}

// along is one call's value read with its nonce; read says it was, and is
// cleared when CurrentJSON has used it (a call reads it once). seen is
// what the store read of account with it; a mutex guards it, since a
// call's goroutines may view and write at once.
type along struct {
	account, key string
	value        []byte
	found, read  bool
	mu           sync.Mutex
	seen         any
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

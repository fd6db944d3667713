// Package memory is the in-process store behind --store memory: every
// account's records live in Go maps and B-trees, nothing touches a disk, and
// a restart forgets everything. Readers share a lock and writers take it
// alone, so a transaction is serializable by construction; an Update writes
// in place and undoes its writes when it rolls back.
//
// Each version of a record keeps its decoded value (Record.Decoded), filled
// in by the first read: later reads clone a Go value, or share it
// (store.FindShared), instead of decoding JSON, which was most of the cost
// of a read on SQLite.
package memory

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/store"
)

// DB is a store.Store in process memory.
type DB struct {
	// mu guards everything below: View holds it shared, Update, Meta,
	// Reset and Import alone.
	mu       sync.RWMutex
	hooks    store.Hooks
	seq      int64 // the last Seq handed out
	accounts map[string]*account
	meta     map[string][]byte

	nonce  store.Nonces
	events eventLog
	config store.ConfigCache
}

var (
	_ store.Store             = (*DB)(nil)
	_ store.CurrentMetaReader = (*DB)(nil)
)

// Open returns an empty store.
func Open() *DB {
	return &DB{accounts: map[string]*account{}, meta: map[string][]byte{}}
}

// Close implements store.Store; the memory is the garbage collector's.
func (db *DB) Close() error { return nil }

// SetHooks implements store.Store.
func (db *DB) SetHooks(h store.Hooks) {
	db.mu.Lock()
	defer db.mu.Unlock()
	db.hooks = h
}

// errReadOnly refuses a write inside View.
var errReadOnly = errors.New("memory: write in a read-only transaction")

// View implements store.Store. Events that fell due are applied first, in a
// write transaction, so a read never shows a state the clock has moved past.
func (db *DB) View(ctx context.Context, account string, fn func(store.Tx) error) error {
	for attempt := 0; ; attempt++ {
		err := db.view(ctx, account, attempt < 2, fn)
		if !errors.Is(err, errDue) {
			return err
		}
		if err := db.Update(ctx, account, func(store.Tx) error { return nil }); err != nil {
			return err
		}
	}
}

// errDue stops a read that would show a state the clock has moved past.
var errDue = errors.New("memory: events due")

func (db *DB) view(ctx context.Context, account string, checkDue bool, fn func(store.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	db.mu.RLock()
	defer db.mu.RUnlock()
	t := &tx{db: db, name: account, acct: db.accounts[account]}
	if err := t.begin(ctx); err != nil {
		return err
	}
	if checkDue && db.hooks.BeforeUpdate != nil && account != "" && t.acct.hasDue(t.now) {
		return errDue
	}
	return fn(t)
}

// Update implements store.Store: writers run one at a time, so there is
// never a conflict to report.
func (db *DB) Update(ctx context.Context, account string, fn func(store.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	t, err := db.update(ctx, account, fn)
	if err != nil {
		return err
	}
	db.hooks.Committed(ctx, account, &t.journal)
	return nil
}

func (db *DB) update(ctx context.Context, account string, fn func(store.Tx) error) (*tx, error) {
	db.mu.Lock()
	defer db.mu.Unlock()
	t := &tx{db: db, name: account, acct: db.accounts[account], write: true, seq0: db.seq}
	committed := false
	defer func() {
		// An error or a panic leaves nothing behind.
		if !committed {
			t.rollback()
		}
	}()
	if err := t.begin(ctx); err != nil {
		return nil, err
	}
	if db.hooks.BeforeUpdate != nil {
		if err := db.hooks.BeforeUpdate(ctx, t); err != nil {
			return nil, err
		}
	}
	if err := fn(t); err != nil {
		return nil, err
	}
	committed = true
	return t, nil
}

// Meta implements store.Store.
func (db *DB) Meta(ctx context.Context, fn func(store.MetaTx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	db.mu.Lock()
	defer db.mu.Unlock()
	t := &tx{db: db, write: true, seq0: db.seq}
	committed := false
	defer func() {
		if !committed {
			t.rollback()
		}
	}()
	if err := fn(t); err != nil {
		return err
	}
	committed = true
	return nil
}

// CurrentMeta implements store.CurrentMetaReader: the committed value under
// the shared lock, without a transaction's clock reading (the fault check
// before every call reads it so).
func (db *DB) CurrentMeta(ctx context.Context, key string) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	db.mu.RLock()
	defer db.mu.RUnlock()
	v, ok := db.meta[key]
	if !ok {
		return nil, store.ErrNotFound
	}
	return bytes.Clone(v), nil
}

// UseNonce implements store.Store.
func (db *DB) UseNonce(ctx context.Context, accessKeyID, nonce string, now time.Time) (bool, error) {
	return db.nonce.Use(accessKeyID, nonce, now), nil
}

// DueAccounts implements store.Store.
func (db *DB) DueAccounts(ctx context.Context, t time.Time) ([]string, error) {
	db.mu.RLock()
	defer db.mu.RUnlock()
	var out []string
	for name, a := range db.accounts {
		if a.hasDue(t) {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out, nil
}

// AccountsOf implements store.Store.
func (db *DB) AccountsOf(ctx context.Context, kind, id string) ([]string, error) {
	db.mu.RLock()
	defer db.mu.RUnlock()
	var out []string
	for name, a := range db.accounts {
		if _, ok := a.recs[recKey{kind, id}]; ok {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out, nil
}

// Reset implements store.Store.
func (db *DB) Reset(ctx context.Context) error {
	db.mu.Lock()
	defer db.mu.Unlock()
	db.accounts = map[string]*account{}
	return nil
}

// Inventory implements store.Store.
func (db *DB) Inventory(ctx context.Context) ([]store.Shelf, error) {
	db.mu.RLock()
	defer db.mu.RUnlock()
	out := []store.Shelf{}
	for name, a := range db.accounts {
		for k, set := range a.byRegion {
			if set.Len() > 0 {
				out = append(out, store.Shelf{Account: name, Region: k.region, Kind: k.kind, Count: set.Len()})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Account != b.Account {
			return a.Account < b.Account
		}
		if a.Region != b.Region {
			return a.Region < b.Region
		}
		return a.Kind < b.Kind
	})
	return out, nil
}

// Export implements store.Store: under the shared lock, so one commit's state.
func (db *DB) Export(ctx context.Context) (store.Snapshot, error) {
	db.mu.RLock()
	defer db.mu.RUnlock()
	snap := store.Snapshot{Records: []store.AccountRecord{}, ClientTokens: []store.AccountClientToken{}, Meta: map[string][]byte{}}
	for _, name := range slices.Sorted(maps.Keys(db.accounts)) {
		a := db.accounts[name]
		entries := slices.SortedFunc(maps.Values(a.recs), func(x, y *entry) int { return cmp.Compare(x.rec.Seq, y.rec.Seq) })
		for _, e := range entries {
			r := e.rec
			r.Decoded = nil
			r.Attrs = slices.Clone(r.Attrs)
			sort.Slice(r.Attrs, func(i, j int) bool {
				if r.Attrs[i].Name != r.Attrs[j].Name {
					return r.Attrs[i].Name < r.Attrs[j].Name
				}
				return r.Attrs[i].Value < r.Attrs[j].Value
			})
			snap.Records = append(snap.Records, store.AccountRecord{Account: name, Record: r})
		}
		keys := slices.SortedFunc(maps.Keys(a.tokens), func(x, y tokenKey) int {
			return cmp.Or(cmp.Compare(x.action, y.action), cmp.Compare(x.token, y.token))
		})
		for _, k := range keys {
			snap.ClientTokens = append(snap.ClientTokens, store.AccountClientToken{Account: name, ClientToken: a.tokens[k]})
		}
	}
	for k, v := range db.meta {
		snap.Meta[k] = bytes.Clone(v)
	}
	return snap, nil
}

// Import implements store.Store. Everything is checked before anything
// changes, and nothing below can fail, so the swap is all or nothing.
func (db *DB) Import(ctx context.Context, s store.Snapshot) error {
	if err := s.Check(); err != nil {
		return err
	}
	accounts := map[string]*account{}
	var maxSeq int64
	for _, r := range s.Records {
		maxSeq = max(maxSeq, r.Seq)
	}
	for _, r := range s.Records {
		a := accounts[r.Account]
		if a == nil {
			a = newAccount()
			accounts[r.Account] = a
		}
		rec := r.Record
		if rec.Seq <= 0 {
			maxSeq++
			rec.Seq = maxSeq
		}
		rec.Decoded = &store.Decoded{}
		a.insert(newEntry(rec))
	}
	for _, ct := range s.ClientTokens {
		a := accounts[ct.Account]
		if a == nil {
			a = newAccount()
			accounts[ct.Account] = a
		}
		a.tokens[tokenKey{ct.Action, ct.Token}] = ct.ClientToken
	}
	meta := make(map[string][]byte, len(s.Meta))
	for k, v := range s.Meta {
		meta[k] = bytes.Clone(v)
	}
	db.mu.Lock()
	defer db.mu.Unlock()
	db.accounts, db.meta = accounts, meta
	// Creation order continues after the imported records, never below what
	// this store handed out already.
	db.seq = max(db.seq, maxSeq)
	return nil
}

// AppendEvents implements store.Store.
func (db *DB) AppendEvents(ctx context.Context, events []store.Event, keep int) error {
	return db.events.append(events, keep)
}

// Events implements store.Store.
func (db *DB) Events(ctx context.Context, f store.EventFilter) ([]store.Event, error) {
	return db.events.list(f)
}

// tx implements store.Tx and store.MetaTx.
type tx struct {
	db      *DB
	name    string   // the account
	acct    *account // nil until the account holds something
	now     time.Time
	write   bool
	seq0    int64    // db.seq when the transaction began, for a rollback
	undo    []undoOp // in reverse order on rollback
	undoBuf [8]undoOp
	journal store.Journal
}

func (t *tx) begin(ctx context.Context) error {
	t.now = time.Now().UTC()
	if t.db.hooks.Now != nil {
		now, err := t.db.hooks.Now(ctx, t)
		if err != nil {
			return err
		}
		t.now = now
	}
	return nil
}

// undoOp undoes one change: a record's write (a) or anything else (fn).
type undoOp struct {
	fn     func()
	a      *account
	old, e *entry // the entry before the write (nil: none) and after it (nil: deleted)
}

func (u *undoOp) run() {
	switch {
	case u.fn != nil:
		u.fn()
	case u.old == nil:
		u.a.remove(u.e)
	case u.e == nil:
		u.a.insert(u.old)
	default:
		u.a.replace(u.e, u.old)
	}
}

// undoWrite notes a record's write for a rollback, without a closure:
// every Put and Delete makes one.
func (t *tx) undoWrite(a *account, old, e *entry) {
	if t.undo == nil {
		t.undo = t.undoBuf[:0]
	}
	t.undo = append(t.undo, undoOp{a: a, old: old, e: e})
}

func (t *tx) undoFunc(fn func()) {
	if t.undo == nil {
		t.undo = t.undoBuf[:0]
	}
	t.undo = append(t.undo, undoOp{fn: fn})
}

func (t *tx) rollback() {
	for i := len(t.undo) - 1; i >= 0; i-- {
		t.undo[i].run()
	}
	t.undo = nil
	t.db.seq = t.seq0
}

// KeepsValues implements store.ValueKeeper: every version has its Decoded.
func (t *tx) KeepsValues() {}

func (t *tx) Account() string         { return t.name }
func (t *tx) Now() time.Time          { return t.now }
func (t *tx) Journal() *store.Journal { return &t.journal }

func (t *tx) GetMeta(ctx context.Context, key string) ([]byte, error) {
	v, ok := t.db.meta[key]
	if !ok {
		return nil, store.ErrNotFound
	}
	return bytes.Clone(v), nil
}

// SharedMeta is GetMeta without the copy, for store.LoadConfig: PutMeta
// stores a copy and replaces it, never changing one in place.
func (t *tx) SharedMeta(ctx context.Context, key string) ([]byte, error) {
	v, ok := t.db.meta[key]
	if !ok {
		return nil, store.ErrNotFound
	}
	return v, nil
}

// ConfigCache lets store.LoadConfig skip decoding an unchanged configuration.
func (t *tx) ConfigCache() *store.ConfigCache { return &t.db.config }

func (t *tx) PutMeta(ctx context.Context, key string, value []byte) error {
	if !t.write {
		return errReadOnly
	}
	old, had := t.db.meta[key]
	t.db.meta[key] = bytes.Clone(value)
	t.undoFunc(func() {
		if had {
			t.db.meta[key] = old
		} else {
			delete(t.db.meta, key)
		}
	})
	return nil
}

// out is what a read hands back: the stored record without its attributes
// (as the SQL backends), sharing Data and Decoded, which nobody modifies.
func out(e *entry) store.Record {
	r := e.rec
	r.Attrs = nil
	return r
}

// MayHold implements store.KindHolder: an account's set of a kind is
// dropped with its last record.
func (t *tx) MayHold(ctx context.Context, kind string) (bool, error) {
	return t.acct != nil && t.acct.byKind[kind] != nil, nil
}

func (t *tx) Get(ctx context.Context, kind, id string) (store.Record, error) {
	if t.acct == nil {
		return store.Record{}, store.ErrNotFound
	}
	e, ok := t.acct.recs[recKey{kind, id}]
	if !ok {
		return store.Record{}, store.ErrNotFound
	}
	return out(e), nil
}

// writable answers the account to write to, creating it on first use.
func (t *tx) writable() (*account, error) {
	if !t.write {
		return nil, errReadOnly
	}
	if t.acct == nil {
		t.acct = t.db.accounts[t.name]
	}
	if t.acct == nil {
		a := newAccount()
		t.db.accounts[t.name], t.acct = a, a
		name := t.name
		t.undoFunc(func() { delete(t.db.accounts, name) })
	}
	return t.acct, nil
}

func (t *tx) Put(ctx context.Context, r store.Record) (store.Record, bool, error) {
	a, err := t.writable()
	if err != nil {
		return store.Record{}, false, err
	}
	k := recKey{r.Kind, r.ID}
	old := a.recs[k]
	data, attrs := r.Data, r.Attrs
	if !r.Fresh() || hasDuplicate(attrs) {
		// The caller's: kept as copies.
		data, attrs = bytes.Clone(r.Data), store.DedupAttrs(r.Attrs)
	}
	rec := store.Record{Kind: r.Kind, ID: r.ID, Region: r.Region, Due: r.Due, Data: data, Decoded: &store.Decoded{}, Attrs: attrs}
	store.KeepStatus(&rec, &r) // the journal's, with the version this one replaces
	store.KeepValue(&rec, &r)  // the written value, as the first read would decode it
	if !rec.Due.IsZero() {
		rec.Due = rec.Due.UTC()
	}
	if old == nil {
		t.db.seq++
		rec.Seq = t.db.seq
		e := newEntry(rec)
		a.insert(e)
		t.undoWrite(a, nil, e)
		return store.Record{}, false, nil
	}
	rec.Seq = old.rec.Seq
	e := newEntry(rec)
	a.replace(old, e)
	t.undoWrite(a, old, e)
	return out(old), true, nil
}

// hasDuplicate tells whether a (name, value) pair comes twice in attrs.
func hasDuplicate(attrs []store.Attr) bool {
	for i, a := range attrs {
		if slices.Contains(attrs[:i], a) {
			return true
		}
	}
	return false
}

func (t *tx) Delete(ctx context.Context, kind, id string) (store.Record, error) {
	a, err := t.writable()
	if err != nil {
		return store.Record{}, err
	}
	old, ok := a.recs[recKey{kind, id}]
	if !ok {
		return store.Record{}, store.ErrNotFound
	}
	a.remove(old)
	t.undoWrite(a, old, nil)
	return out(old), nil
}

func (t *tx) Due(ctx context.Context, at time.Time, limit int) ([]store.Record, error) {
	var recs []store.Record
	if t.acct == nil || limit <= 0 {
		return recs, nil
	}
	t.acct.due.Scan(func(e *entry) bool {
		if e.rec.Due.After(at) {
			return false
		}
		recs = append(recs, out(e))
		return len(recs) < limit
	})
	return recs, nil
}

func (t *tx) ClientToken(ctx context.Context, action, token string) (store.ClientToken, error) {
	if t.acct == nil {
		return store.ClientToken{}, store.ErrNotFound
	}
	ct, ok := t.acct.tokens[tokenKey{action, token}]
	if !ok {
		return store.ClientToken{}, store.ErrNotFound
	}
	return ct, nil
}

func (t *tx) PutClientToken(ctx context.Context, ct store.ClientToken) error {
	a, err := t.writable()
	if err != nil {
		return err
	}
	k := tokenKey{ct.Action, ct.Token}
	old, had := a.tokens[k]
	ct.Response = bytes.Clone(ct.Response)
	ct.Created = ct.Created.UTC()
	a.tokens[k] = ct
	t.undoFunc(func() {
		if had {
			a.tokens[k] = old
		} else {
			delete(a.tokens, k)
		}
	})
	return nil
}

// CheckValues reports every record whose kept decoded value no longer encodes to
// its Data: the trace of a caller that changed a value store.FindShared
// handed it. ecslocaltest runs it when each test server closes.
func (db *DB) CheckValues() error {
	db.mu.RLock()
	defer db.mu.RUnlock()
	var errs []error
	for name, a := range db.accounts {
		for _, e := range a.recs {
			v := e.rec.Decoded.Load()
			if v == nil {
				continue
			}
			data, err := json.Marshal(v)
			if err != nil || !store.SameDocument(data, e.rec.Data) {
				errs = append(errs, fmt.Errorf("memory: %s %s of account %q was changed in place after it was stored", e.rec.Kind, e.rec.ID, name))
				continue
			}
			// A value kept from its write (cloud.Kept) is what decoding gives.
			if k, ok := cloud.KindOf(e.rec.Kind); ok {
				if d, err := k.Decode(e.rec.Data); err == nil && !reflect.DeepEqual(d, v) {
					errs = append(errs, fmt.Errorf("memory: %s %s of account %q keeps a value its document does not decode to", e.rec.Kind, e.rec.ID, name))
				}
			}
		}
	}
	return errors.Join(errs...)
}

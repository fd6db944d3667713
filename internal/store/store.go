// Package store is the contract between ecslocal and its databases: every
// request is one transaction over one account's resources, read and written
// as typed documents with indexed attributes. Backends live in subpackages and
// prove themselves with the storetest conformance suite.
package store

import (
	"context"
	"errors"
	"time"
)

// Sentinel errors every backend translates its driver's failures into.
var (
	// ErrNotFound: no such record.
	ErrNotFound = errors.New("store: not found")
	// ErrConflict: a concurrent transaction won; the whole request may be retried.
	ErrConflict = errors.New("store: conflict")
)

// Attr is one indexed (name, value) pair of a record: every Describe filter
// reads through one, so the cost of a query grows with its page, not with
// the number of records stored.
type Attr struct{ Name, Value string }

// Record is one stored resource.
type Record struct {
	Kind   string // "instance", "disk", …
	ID     string
	Region string
	// Seq orders records by creation; set by the store on first Put.
	Seq int64
	// Due is when the record's next asynchronous transition falls due; zero
	// means none. The scheduler finds due records through an index.
	Due   time.Time
	Attrs []Attr
	Data  []byte // the JSON document
}

// Filter keeps records having attribute Name equal to any of Values.
type Filter struct {
	Name   string
	Values []string
}

// Query selects records of one kind, optionally one region, by ids and
// filters (all must hold), in creation order.
type Query struct {
	Kind    string
	Region  string // "" means every region
	IDs     []string
	Filters []Filter
	// AfterSeq starts after this Seq (NextToken paging); Offset skips records
	// (PageNumber paging). Limit 0 means no records, only the count.
	AfterSeq int64
	Offset   int
	Limit    int
	// Count asks for the total number of matches, ignoring paging.
	Count bool
}

// Page is a query's answer.
type Page struct {
	Records []Record
	Total   int  // only when Query.Count
	More    bool // records exist beyond this page
}

// ClientToken is a remembered idempotent request (spec/semantics.md §1).
type ClientToken struct {
	Action, Token string
	Hash          string // of the normalized parameters
	Response      []byte
	Created       time.Time
}

// Tx is one transaction over one account. Methods return ErrNotFound or
// ErrConflict, or a wrapped internal failure.
type Tx interface {
	// MetaTx reads and writes server-wide settings inside the same transaction.
	MetaTx
	// Account is the tenant the transaction is scoped to.
	Account() string
	// Now is the emulated time, fixed when the transaction began.
	Now() time.Time
	// Get reads one record; ErrNotFound when absent.
	Get(ctx context.Context, kind, id string) (Record, error)
	// Put inserts or replaces a record and its attributes.
	Put(ctx context.Context, r Record) error
	// Delete removes a record; ErrNotFound when absent.
	Delete(ctx context.Context, kind, id string) error
	// Query answers a Query through the attribute index.
	Query(ctx context.Context, q Query) (Page, error)
	// Due lists up to limit records whose Due is at or before t, earliest first.
	Due(ctx context.Context, t time.Time, limit int) ([]Record, error)
	// ClientToken reads a remembered request; ErrNotFound when new.
	ClientToken(ctx context.Context, action, token string) (ClientToken, error)
	// PutClientToken remembers a request.
	PutClientToken(ctx context.Context, t ClientToken) error
}

// MetaTx is a transaction over the server-wide settings that every replica
// must agree on: the emulated clock, the switches, the armed faults.
type MetaTx interface {
	// GetMeta reads a value; ErrNotFound when unset.
	GetMeta(ctx context.Context, key string) ([]byte, error)
	// PutMeta writes a value.
	PutMeta(ctx context.Context, key string, value []byte) error
}

// Store is the contract every backend implements.
type Store interface {
	// View runs fn in a read-only transaction of account.
	View(ctx context.Context, account string, fn func(Tx) error) error
	// Update runs fn in a read-write transaction of account: nil commits,
	// an error rolls back. Hooks set with SetHooks run first, inside it.
	Update(ctx context.Context, account string, fn func(Tx) error) error
	// Meta runs fn in a read-write transaction over server-wide settings.
	Meta(ctx context.Context, fn func(MetaTx) error) error
	// UseNonce records a SignatureNonce of an access key and reports
	// whether it was fresh; nonces older than the window are forgotten.
	UseNonce(ctx context.Context, accessKeyID, nonce string, now time.Time) (bool, error)
	// DueAccounts lists the accounts that have a record due at or before t.
	DueAccounts(ctx context.Context, t time.Time) ([]string, error)
	// AccountsOf lists the accounts holding a record of kind with id: the
	// admin API addresses resources by id alone.
	AccountsOf(ctx context.Context, kind, id string) ([]string, error)
	// Reset drops every account's resources and client tokens.
	Reset(ctx context.Context) error
	// SetHooks installs the clock and the due-event hook (internal/server does).
	SetHooks(h Hooks)
	// Close releases the database.
	Close() error
}

// Hooks connect a backend to the emulated clock without importing it.
type Hooks struct {
	// Now reads the emulated time inside a meta transaction, at the
	// beginning of each account transaction.
	Now func(ctx context.Context, m MetaTx) (time.Time, error)
	// BeforeUpdate applies every event due by tx.Now() before fn runs.
	BeforeUpdate func(ctx context.Context, tx Tx) error
}

// NonceWindow is how long nonces are remembered: the signature window on
// both sides of the wall clock.
const NonceWindow = 30 * time.Minute

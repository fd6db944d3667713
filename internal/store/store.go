// Package store is the contract between ecslocal and its databases: every
// request is one transaction over one account's resources, read and written
// as typed documents with indexed attributes. Backends live in subpackages and
// prove themselves with the storetest conformance suite.
package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"sync/atomic"
	"time"

	gojson "github.com/goccy/go-json"

	"github.com/ecslocal/ecslocal/internal/cloud"
)

// Sentinel errors every backend translates its driver's failures into.
var (
	// ErrNotFound: no such record.
	ErrNotFound = errors.New("store: not found")
	// ErrConflict: a concurrent transaction won; the whole request may be retried.
	ErrConflict = errors.New("store: conflict")
	// ErrInvalid: a Snapshot that cannot be imported (a record without kind
	// or id, the same record twice); nothing was changed.
	ErrInvalid = errors.New("store: invalid snapshot")
)

// Attr is one indexed (name, value) pair of a record: every Describe filter
// reads through one, so the cost of a query grows with its page, not with
// the number of records stored.
type Attr struct{ Name, Value string }

// DedupAttrs drops repeated (name, value) pairs, keeping the first of
// each in order: a record is indexed once per pair.
func DedupAttrs(in []Attr) []Attr {
	out := make([]Attr, 0, len(in))
	for _, a := range in {
		if !slices.Contains(out, a) {
			out = append(out, a)
		}
	}
	return out
}

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
	// Decoded, when not nil, keeps Data decoded by the first typed read
	// of this version of the record, for the reads after it: a backend
	// that keeps records in process memory gives each version one, and
	// SQLite the versions its bounded cache holds.
	Decoded *Decoded
	// status is the document's "status" as its typed write knew it (status.go).
	status docStatus
	// fresh: Data and Attrs were made for this one write (the typed Put).
	fresh bool
	// minted: the ID was made for this write (Create).
	minted bool
	// kept is the value Data decodes to, made by the typed Put for a
	// backend that keeps values (ValueKeeper); nil when not made.
	kept cloud.Resource
}

// Fresh tells a backend that r's Data and Attrs were made for this one
// write and nobody else holds them (the typed Put's): it may keep them
// without a copy. False for a record the caller made (PutRaw).
func (r Record) Fresh() bool { return r.fresh }

// Minted tells a backend that r's ID was made for this write (Create): no
// record has it, so it may insert r without looking for a version to
// replace, and answer ErrConflict (a lost race: the Update runs again,
// making new IDs) should an ID have been made twice.
func (r Record) Minted() bool { return r.minted }

// Decoded is the decoded form of one version of a record's Data, filled in
// by the first typed read (store.Get, store.Find, …) that decodes it; safe
// for concurrent readers. Nobody changes a value once it is kept here.
type Decoded struct {
	v atomic.Value
	// read is set by the first read that decoded this version for a
	// caller of its own (typed.go's decode): the second keeps the value.
	read atomic.Bool
}

// Load answers the kept value, or nil before the first read.
func (d *Decoded) Load() any { return d.v.Load() }

// ValueKeeper is a Tx whose backend keeps each version's decoded value
// (Record.Decoded) from its write (KeepValue): the typed Put then makes
// that value for the kinds that can (cloud.Kept), saving the decoding of
// the version at its first read.
type ValueKeeper interface {
	KeepsValues()
}

// KeepValue keeps in dst.Decoded the value the typed Put made for src
// (its copy of the written value, as its Data decodes): for a backend's
// Put, dst being the version it stores.
func KeepValue(dst, src *Record) {
	if src.kept != nil && dst.Decoded != nil {
		dst.Decoded.v.Store(src.kept)
	}
}

// Filter keeps records having attribute Name equal to any of Values, or,
// with Not, the records having none of them: a flag is indexed only where
// it is set (a row for every unset flag would narrow nothing), and a filter
// for the unset value is the negation.
type Filter struct {
	Name   string
	Values []string
	Not    bool
	// Owners, when set, is the seq of the record each of Values names, in
	// the order of Values, for an index its kind declares in cloud.Kind's
	// Owners (an ENI's instance): a hint a store may use to find the
	// matches beside those records (SQLite). It never changes the answer;
	// a store checks it and ignores it when it does not hold.
	Owners []int64
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
	// Put inserts or replaces a record and its attributes, writing only the
	// attribute rows that changed, and answers the version it replaced
	// (existed false for a new record): the journal needs it, and every
	// backend has it at hand.
	Put(ctx context.Context, r Record) (before Record, existed bool, err error)
	// Delete removes a record and answers the version it removed (the
	// journal needs it, and every backend has it at hand); ErrNotFound
	// when absent.
	Delete(ctx context.Context, kind, id string) (Record, error)
	// Query answers a Query through the attribute index.
	Query(ctx context.Context, q Query) (Page, error)
	// Due lists up to limit records whose Due is at or before t, earliest first.
	Due(ctx context.Context, t time.Time, limit int) ([]Record, error)
	// ClientToken reads a remembered request; ErrNotFound when new.
	ClientToken(ctx context.Context, action, token string) (ClientToken, error)
	// PutClientToken remembers a request.
	PutClientToken(ctx context.Context, t ClientToken) error
	// Journal is where this transaction's state changes are collected (the
	// typed Put and Delete fill it). Each attempt of a transaction has a
	// fresh, empty journal; after a commit the backend hands its Changes to
	// Hooks.AfterCommit. Never nil. A backend that queues writes (Queuer)
	// records each when it is sent: complete at commit, or after Flush.
	Journal() *Journal
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
	// fn may run more than once (PostgreSQL retries a conflict, SQLite runs
	// a group again when one of its callers fails): it must have no effect
	// outside tx, and only its last run's outcome is answered.
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
	// Reset drops every account's resources and client tokens; the meta
	// settings and the audit log stay.
	Reset(ctx context.Context) error

	// AppendEvents adds events to the audit log in one transaction, giving
	// each the next Seq (ascending in the given order; the caller's Seq is
	// ignored), then drops all but the newest keep events of the log
	// (keep <= 0 means DefaultEventRetention), so the log never grows
	// without bound. Returns a wrapped internal failure or ErrConflict.
	AppendEvents(ctx context.Context, events []Event, keep int) error
	// Events lists the audit log newest first (descending Seq), filtered by
	// f; at most f.Limit events (<= 0 means DefaultEventLimit). Returns a
	// wrapped internal failure.
	Events(ctx context.Context, f EventFilter) ([]Event, error)
	// Inventory counts the records of every (account, region, kind), sorted
	// by account, region, kind: how the console finds what to show without
	// knowing which kinds exist. Returns a wrapped internal failure.
	Inventory(ctx context.Context) ([]Shelf, error)
	// Export reads the whole state (every account's records with their
	// attributes, every ClientToken, every meta value, not nonces nor the
	// audit log) in one consistent read: records in (account, seq) order,
	// client tokens in (account, action, token) order. Returns a wrapped
	// internal failure.
	Export(ctx context.Context) (Snapshot, error)
	// Import replaces the whole state with s in one transaction: every
	// record, attribute, ClientToken and meta value is dropped and s's are
	// written (nonces and the audit log stay). Records keep their Seq;
	// records with Seq 0 get fresh ones after the highest given, in the
	// order given; later inserts continue after the highest. Returns
	// ErrInvalid (wrapped, with the reason) when a record lacks kind or id
	// or an (account, kind, id) or (account, action, token) appears twice,
	// changing nothing; otherwise a wrapped internal failure or ErrConflict.
	Import(ctx context.Context, s Snapshot) error

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
	// AfterCommit receives, after an Update (also one a View runs to apply
	// due events) committed, the changes its journal collected, with the
	// ctx of that Update; not called when the journal is empty, never for a
	// rolled-back transaction or an attempt that was retried. Audit events
	// and metrics are published from here, after the fact.
	AfterCommit func(ctx context.Context, account string, changes []Change)
	// Conflict is told of each transaction attempt that failed with
	// ErrConflict; retried says whether the backend runs it again.
	Conflict func(ctx context.Context, retried bool)
}

// Committed hands the changes of a committed Update's journal to
// AfterCommit, when there is one and there are changes: what every
// backend does once after its final commit.
func (h Hooks) Committed(ctx context.Context, account string, j *Journal) {
	if h.AfterCommit == nil {
		return
	}
	if changes := j.Changes(); len(changes) > 0 {
		h.AfterCommit(ctx, account, changes)
	}
}

// NonceWindow is how long nonces are remembered: the signature window on
// both sides of the wall clock.
const NonceWindow = 30 * time.Minute

// Change operations.
const (
	Created = "created"
	Updated = "updated"
	Deleted = "deleted"
)

// Change is one resource a transaction created, updated or deleted: the
// audit log's record of a state change. Several writes of one resource in
// one transaction collapse into one Change from the state before the first
// to the state after the last.
type Change struct {
	Kind   string `json:"kind"`
	ID     string `json:"id"`
	Region string `json:"region,omitempty"`
	Op     string `json:"op"` // Created, Updated or Deleted
	// StatusBefore and StatusAfter are the resource's "status" field where it
	// has one ("" for the side where it does not exist).
	StatusBefore string `json:"statusBefore,omitempty"`
	StatusAfter  string `json:"statusAfter,omitempty"`
	// Due marks a change made by a due event (an asynchronous transition
	// applied by the clock), not by the call itself.
	Due bool `json:"due,omitempty"`
}

// Journal collects the changes of one transaction. Backends embed one per
// transaction attempt and return it from Tx.Journal; the typed helpers
// (Put, Delete) record into it. Not safe for concurrent use, as a Tx is not.
type Journal struct {
	// Due is set while due events are being applied: changes recorded
	// meanwhile are marked Change.Due.
	Due bool
	// entries in the order resources were first written; index finds one
	// by kind and id once there are more than a few.
	entries []journalEntry
	index   map[Key]int
}

// MarkingDue wraps the hook that applies due events so that what they
// change is marked Change.Due in the journal.
func MarkingDue(apply func(context.Context, Tx) error) func(context.Context, Tx) error {
	return func(ctx context.Context, tx Tx) error {
		j := tx.Journal()
		j.Due = true
		defer func() { j.Due = false }()
		return apply(ctx, tx)
	}
}

type journalEntry struct {
	change  Change
	existed bool   // before the transaction
	before  []byte // data before the transaction
	after   []byte // data now; nil when deleted
	allDue  bool
	// The statuses of before and after where their typed writes knew them.
	beforeStatus, afterStatus string
	beforeKnown, afterKnown   bool
}

// journalScan is how many entries are looked through one by one before
// the journal keeps an index of them.
const journalScan = 16

// entry answers the entry of kind and id, or -1.
func (j *Journal) entry(kind, id string) int {
	if j.index != nil {
		if i, ok := j.index[Key{kind, id}]; ok {
			return i
		}
		return -1
	}
	for i := range j.entries {
		if c := &j.entries[i].change; c.ID == id && c.Kind == kind {
			return i
		}
	}
	return -1
}

// Record notes a write of one resource: before is the record as it was
// (nil when absent), after as it is now (nil when deleted).
func (j *Journal) Record(before, after *Record) {
	var kind, id, region string
	switch {
	case after != nil:
		kind, id, region = after.Kind, after.ID, after.Region
	case before != nil:
		kind, id, region = before.Kind, before.ID, before.Region
	default:
		return
	}
	i := j.entry(kind, id)
	if i < 0 {
		i = len(j.entries)
		if j.entries == nil {
			// A launch or a release writes some eight records: one
			// allocation rather than four growing ones.
			j.entries = make([]journalEntry, 0, 8)
		}
		j.entries = append(j.entries, journalEntry{change: Change{Kind: kind, ID: id}, existed: before != nil, allDue: true})
		e := &j.entries[i]
		if before != nil {
			e.before = before.Data
			e.beforeStatus, e.beforeKnown = before.knownStatus()
		}
		switch {
		case j.index != nil:
			j.index[Key{kind, id}] = i
		case len(j.entries) > journalScan:
			j.index = make(map[Key]int, 2*len(j.entries))
			for k := range j.entries {
				c := &j.entries[k].change
				j.index[Key{c.Kind, c.ID}] = k
			}
		}
	}
	e := &j.entries[i]
	e.change.Region = region
	e.after, e.afterStatus, e.afterKnown = nil, "", false
	if after != nil {
		e.after = after.Data
		e.afterStatus, e.afterKnown = after.knownStatus()
	}
	e.allDue = e.allDue && j.Due
}

// recordAs is Record as made while Due was due: a queued write is
// recorded when its answer comes, perhaps after Due changed.
func (j *Journal) recordAs(due bool, before, after *Record) {
	saved := j.Due
	j.Due = due
	j.Record(before, after)
	j.Due = saved
}

// Changes lists the net changes in the order resources were first written;
// a resource created and deleted again, or written back unchanged, is left out.
func (j *Journal) Changes() []Change {
	var out []Change
	for i := range j.entries {
		e := &j.entries[i]
		c := e.change
		if !e.existed && e.after == nil {
			continue
		}
		if e.existed {
			c.StatusBefore = e.beforeStatus
			if !e.beforeKnown {
				c.StatusBefore = statusOf(e.before)
			}
		}
		c.StatusAfter = e.afterStatus
		if !e.afterKnown {
			c.StatusAfter = statusOf(e.after)
		}
		switch {
		case !e.existed:
			c.Op = Created
		case e.after == nil:
			c.Op = Deleted
		// Another status is another document: the full comparison (two
		// decodings) only when the statuses agree.
		case c.StatusBefore == c.StatusAfter && SameDocument(e.before, e.after):
			continue
		default:
			c.Op = Updated
		}
		c.Due = e.allDue
		if out == nil {
			out = make([]Change, 0, len(j.entries)-i)
		}
		out = append(out, c)
	}
	return out
}

// SameDocument compares two JSON documents by value: a backend may hand
// back a normalised form of what was written (PostgreSQL jsonb does). The
// decoding is goccy/go-json's: every changed record of every write comes
// through here, and encoding/json made it a third of a DeleteInstances.
func SameDocument(a, b []byte) bool {
	if bytes.Equal(a, b) {
		return true
	}
	if differ(a, b) {
		return false
	}
	var x, y any
	if gojson.Unmarshal(a, &x) != nil || gojson.Unmarshal(b, &y) != nil {
		return false
	}
	return reflect.DeepEqual(x, y)
}

// statusOf reads the top-level "status" string of a JSON document.
func statusOf(data []byte) string {
	if len(data) == 0 {
		return ""
	}
	var v struct {
		Status string `json:"status"`
	}
	if gojson.Unmarshal(data, &v) != nil {
		return ""
	}
	return v.Status
}

// Audit log bounds.
const (
	// DefaultEventRetention is how many events the log keeps by default.
	DefaultEventRetention = 10000
	// DefaultEventLimit is how many events Events answers by default.
	DefaultEventLimit = 100
)

// Event is one entry of the audit log: an answered API call, an admin API
// call that changed something, or due events the clock applied on its own,
// with the state changes it caused.
type Event struct {
	// Seq orders the log; set by AppendEvents.
	Seq int64 `json:"seq"`
	// Time is the emulated time of the event; Wall the wall clock.
	Time time.Time `json:"time"`
	Wall time.Time `json:"wall"`
	// Account is the tenant ("" when a call was refused before its key was known).
	Account string `json:"account"`
	Region  string `json:"region,omitempty"`
	// Product is "Ecs", "Vpc", "Slb", or "ecslocal" for the admin API and the clock.
	Product string `json:"product"`
	// Action is the API action, "clock" for due events applied in the
	// background, or "METHOD /_ecslocal/…" for an admin call.
	Action string `json:"action"`
	// Params are the call's parameters without secrets.
	Params map[string]string `json:"params,omitempty"`
	// Code is the answer's error code, or "OK".
	Code       string `json:"code"`
	HTTPStatus int    `json:"httpStatus"`
	RequestID  string `json:"requestId,omitempty"`
	Message    string `json:"message,omitempty"`
	// Detail is why a call was refused: the rule and the resource.
	Detail    string   `json:"detail,omitempty"`
	ElapsedMS float64  `json:"elapsedMs,omitempty"`
	Changes   []Change `json:"changes,omitempty"`
	// Resources are the ids the event concerns (its changes and the ids its
	// parameters name), the index behind EventFilter.ResourceID.
	Resources []string `json:"resources,omitempty"`
}

// EventFilter selects audit log entries; zero fields select everything.
type EventFilter struct {
	Account    string
	Action     string
	ResourceID string    // one of Event.Resources
	Code       string    // "OK" selects successes
	Since      time.Time // Time at or after
	// BeforeSeq pages backwards: only events with a smaller Seq (0 = none).
	BeforeSeq int64
	Limit     int
}

// Shelf is how many records of one kind an account holds in one region.
type Shelf struct {
	Account, Region, Kind string
	Count                 int
}

// Snapshot is the whole state, as Export reads and Import writes it.
type Snapshot struct {
	Records      []AccountRecord
	ClientTokens []AccountClientToken
	// Meta holds every meta value by key (clock, config, faults, …).
	Meta map[string][]byte
}

// AccountRecord is a record and the account that holds it.
type AccountRecord struct {
	Account string
	Record
}

// AccountClientToken is a remembered request and its account.
type AccountClientToken struct {
	Account string
	ClientToken
}

// Check refuses a Snapshot that Import may not take: a record without kind
// or id, or the same record or ClientToken twice. The error wraps ErrInvalid.
func (s Snapshot) Check() error {
	type key struct{ account, kind, id string }
	seen := make(map[key]bool, len(s.Records))
	for _, r := range s.Records {
		if r.Kind == "" || r.ID == "" {
			return fmt.Errorf("%w: a record of account %q has no kind or id", ErrInvalid, r.Account)
		}
		k := key{r.Account, r.Kind, r.ID}
		if seen[k] {
			return fmt.Errorf("%w: %s %s of account %q appears twice", ErrInvalid, r.Kind, r.ID, r.Account)
		}
		seen[k] = true
	}
	type tkey struct{ account, action, token string }
	tokens := map[tkey]bool{}
	for _, ct := range s.ClientTokens {
		k := tkey{ct.Account, ct.Action, ct.Token}
		if tokens[k] {
			return fmt.Errorf("%w: ClientToken %s of %s in account %q appears twice", ErrInvalid, ct.Token, ct.Action, ct.Account)
		}
		tokens[k] = true
	}
	return nil
}

// Counted tells whether q's Total is a count every backend keeps, in the
// same transaction as its writes, per (account, kind, region) and per
// (account, kind, region, index name, value): a counted query of one region
// with no ids and at most one positive one-value filter, through an index
// whose counts are kept (KeepsCount: not one of its kind's Few). It
// answers the (name, value) whose count to read; "", "" counts every
// record of the kind in the region. Other shapes count their matches.
func Counted(q Query) (name, value string, ok bool) {
	if !q.Count || q.Region == "" || q.IDs != nil {
		return "", "", false
	}
	switch len(q.Filters) {
	case 0:
		return "", "", true
	case 1:
		if f := q.Filters[0]; !f.Not && len(f.Values) == 1 && f.Name != "" && KeepsCount(q.Kind, f.Name) {
			return f.Name, f.Values[0], true
		}
	}
	return "", "", false
}

// Drivers picks the filter that drives a Query's walk through the index,
// as the SQL stores plan it: the first positive one-value filter (driver;
// with several values a record could match twice and the walk would not
// be in creation order), or, when there is none and no ids, the first
// positive filter of several values (several: ids of other records, the
// ENIs of a page of instances, whose few matches are found through the
// index and sorted). -1: none.
func Drivers(q Query) (driver, several int) {
	driver, several = -1, -1
	for k, f := range q.Filters {
		if len(f.Values) == 1 && !f.Not {
			return k, -1
		}
	}
	if q.IDs == nil {
		for k, f := range q.Filters {
			if len(f.Values) > 1 && !f.Not {
				return -1, k
			}
		}
	}
	return -1, -1
}

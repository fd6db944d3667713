package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"

	gojson "github.com/goccy/go-json"
	"github.com/huandu/go-clone"

	"github.com/ecslocal/ecslocal/internal/apierr"
	"github.com/ecslocal/ecslocal/internal/cloud"
)

// Typed access to domain resources over the generic Tx: a resource is kept
// as its JSON document plus the indexes it declares.

// Get reads one resource of kind T by id; ErrNotFound when absent.
func Get[T cloud.Resource](ctx context.Context, tx Tx, id string) (T, error) {
	var v T
	rec, err := tx.Get(ctx, v.Kind(), id)
	if err != nil {
		return v, err
	}
	return decode[T](rec, false)
}

// GetIn reads one resource of kind T by id in region; a resource of another
// region is ErrNotFound, as the API scopes ids by RegionId.
func GetIn[T cloud.Resource](ctx context.Context, tx Tx, region, id string) (T, error) {
	v, err := Get[T](ctx, tx, id)
	if err == nil && region != "" && v.RegionID() != region {
		var zero T
		return zero, ErrNotFound
	}
	return v, err
}

// Put writes a resource with its indexes and due time, and records the
// change in the transaction's Journal.
func Put(ctx context.Context, tx Tx, r cloud.Resource) error {
	return put(ctx, tx, r, false)
}

// Create is Put for a resource whose ID was just made for it (a launch's
// instance, disks and ENIs), never one a caller chose: a backend may skip
// looking for a version to replace (Record.Minted), and an ID made twice
// is then a lost race, the Update running again with new IDs.
func Create(ctx context.Context, tx Tx, r cloud.Resource) error {
	return put(ctx, tx, r, true)
}

func put(ctx context.Context, tx Tx, r cloud.Resource, minted bool) error {
	rec, err := RecordOf(r)
	if err != nil {
		return err
	}
	rec.fresh = true // made here, read by the journal alone after
	rec.minted = minted
	if _, ok := tx.(ValueKeeper); ok {
		if k, ok := r.(cloud.Kept); ok {
			if v, ok := k.DecodedCopy(rec.Data); ok {
				rec.kept = v
			}
		}
	}
	if q, ok := tx.(Queuer); ok {
		return putQueued(ctx, tx, q, rec)
	}
	before, existed, err := tx.Put(ctx, rec)
	if err != nil {
		return err
	}
	if existed {
		tx.Journal().Record(&before, &rec)
	} else {
		tx.Journal().Record(nil, &rec)
	}
	return nil
}

// putQueued is Put through a Queuer; its own function, so that the
// record its answer's closure keeps is its copy, and Put's stays on the stack.
func putQueued(ctx context.Context, tx Tx, q Queuer, rec Record) error {
	j := tx.Journal()
	due := j.Due
	return q.PutThen(ctx, rec, func(before Record, existed bool) {
		if existed {
			j.recordAs(due, &before, &rec)
		} else {
			j.recordAs(due, nil, &rec)
		}
	})
}

// Queuer is a Tx that can send a write later, with its next round trip (a
// read or the commit), and tell the caller what it replaced when it has
// the answer: the typed Put and Delete use it when a backend offers it.
// A write's failure then fails the statement that sent it, or the commit,
// and the transaction with it.
type Queuer interface {
	// PutThen is Put whose answer goes to done, now or later, always
	// before the transaction commits.
	PutThen(ctx context.Context, r Record, done func(before Record, existed bool)) error
	// DeleteThen is Delete whose removed version goes to done, now or
	// later; ErrNotFound is answered now (a backend queues only the
	// deletion of a record it knows to exist).
	DeleteThen(ctx context.Context, kind, id string, done func(before Record)) error
	// Flush sends the queued writes now.
	Flush(ctx context.Context) error
}

// Flush sends the writes tx queued (Queuer), so that the journal holds
// them and their failures are known: for a caller that reads the journal
// before commit. Nothing to do for a backend that does not queue.
func Flush(ctx context.Context, tx Tx) error {
	if q, ok := tx.(Queuer); ok {
		return q.Flush(ctx)
	}
	return nil
}

// KindHolder is a Tx that can tell, without a query, that its account
// holds no record of a kind: a release looks up some twenty kinds that may
// hold or follow an instance, and an account holds few of them.
type KindHolder interface {
	// MayHold answers false only when the account holds no record of kind
	// as the transaction sees it, its own writes included; true when it
	// holds one or when that is not known.
	MayHold(ctx context.Context, kind string) (bool, error)
}

// MayHold tells whether tx's account may hold a record of kind: false only
// where the backend knows it holds none (KindHolder), so that a query of
// the kind would find nothing; true for a backend that cannot tell.
func MayHold(ctx context.Context, tx Tx, kind string) (bool, error) {
	if h, ok := tx.(KindHolder); ok {
		return h.MayHold(ctx, kind)
	}
	return true, nil
}

// Batcher is a Tx that can answer several queries in one round trip.
type Batcher interface {
	QueryAll(ctx context.Context, qs []Query) ([]Page, error)
}

// Key names one record of the transaction's account.
type Key struct{ Kind, ID string }

// Prefetcher is a Tx that can read several records in one round trip, to
// answer the Gets of them that follow from memory.
type Prefetcher interface {
	Prefetch(ctx context.Context, keys []Key) error
}

// Prefetch reads the records of keys ahead of the Gets a call is about to
// make of them, in one round trip where the backend can (Prefetcher);
// nothing to do for the others. Absent records are no error: their Gets
// answer ErrNotFound as they would have.
func Prefetch(ctx context.Context, tx Tx, keys ...Key) error {
	if p, ok := tx.(Prefetcher); ok && len(keys) > 0 {
		return p.Prefetch(ctx, keys)
	}
	return nil
}

// QueryAll answers every query of qs, in one round trip where the backend
// can (Batcher), else one by one.
func QueryAll(ctx context.Context, tx Tx, qs []Query) ([]Page, error) {
	for _, q := range qs {
		if err := CheckQuery(q); err != nil {
			return nil, err
		}
	}
	if b, ok := tx.(Batcher); ok {
		return b.QueryAll(ctx, qs)
	}
	out := make([]Page, len(qs))
	for i, q := range qs {
		p, err := tx.Query(ctx, q)
		if err != nil {
			return nil, err
		}
		out[i] = p
	}
	return out, nil
}

// PutRaw writes a record without journaling it: for tools and tests that
// handle records, not resources.
func PutRaw(ctx context.Context, tx Tx, r Record) error {
	_, _, err := tx.Put(ctx, r)
	return err
}

// RecordOf is the stored form of r: its document, region, due time and the
// indexes its kind declares (an undeclared one is an error, so no index
// row is ever written that no query reads).
func RecordOf(r cloud.Resource) (Record, error) {
	// goccy/go-json writes what encoding/json writes, byte for byte, for
	// every kind (TestStoredDocumentIsMarshal), in half the time: every
	// write of every record encodes here.
	var data []byte
	var err error
	if a, ok := r.(cloud.DocumentAppender); ok {
		// The kinds of a launch and a release, written by hand
		// (cloud/document_json.go), the same bytes, into a pooled
		// buffer and copied out at their size: a buffer sized for the
		// largest document made every document that size, and the
		// collector run that much more often.
		buf := documentBuffers.Get().(*[]byte)
		*buf, err = a.AppendDocument((*buf)[:0])
		data = bytes.Clone(*buf)
		if cap(*buf) <= 64<<10 {
			documentBuffers.Put(buf)
		}
	} else {
		data, err = gojson.Marshal(r)
	}
	if err != nil {
		return Record{}, fmt.Errorf("encode %s %s: %w", r.Kind(), r.Key(), err)
	}
	rec, err := IndexedRecord(r, data)
	// The status the document says, known from the value it was
	// encoded from (the journal's: status.go).
	if s, ok := valueStatus(r); ok && err == nil && len(data) > 0 {
		rec.status = docStatus{data: &data[0], n: len(data), s: s}
	}
	return rec, err
}

// documentBuffers are the buffers hand-written documents are made in.
var documentBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 2048); return &b }}

// IndexedRecord is the stored form of r with data as its document.
func IndexedRecord(r cloud.Resource, data []byte) (Record, error) {
	k, ok := cloud.KindOf(r.Kind())
	if !ok {
		return Record{}, fmt.Errorf("store %s %s: kind is not declared", r.Kind(), r.Key())
	}
	idx := r.Indexes()
	attrs := make([]Attr, 0, len(idx))
	for _, i := range idx {
		if !k.Declares(i.Name) {
			return Record{}, fmt.Errorf("store %s %s: index %q is not declared by its kind", r.Kind(), r.Key(), i.Name)
		}
		if i.Value != "" {
			attrs = append(attrs, Attr{Name: string(i.Name), Value: i.Value})
		}
	}
	return Record{Kind: r.Kind(), ID: r.Key(), Region: r.RegionID(), Due: r.NextDue(), Attrs: attrs, Data: data}, nil
}

// Delete removes a resource of kind T; ErrNotFound when absent. Put and
// Delete record what they change in the transaction's Journal.
func Delete[T cloud.Resource](ctx context.Context, tx Tx, id string) error {
	var v T
	return DeleteKind(ctx, tx, v.Kind(), id)
}

// DeleteKind removes a resource of kind; ErrNotFound when absent.
func DeleteKind(ctx context.Context, tx Tx, kind, id string) error {
	if q, ok := tx.(Queuer); ok {
		j := tx.Journal()
		due := j.Due
		return q.DeleteThen(ctx, kind, id, func(before Record) { j.recordAs(due, &before, nil) })
	}
	before, err := tx.Delete(ctx, kind, id)
	if err != nil {
		return err
	}
	tx.Journal().Record(&before, nil)
	return nil
}

// Find runs q (its Kind is set from T) and decodes the page.
func Find[T cloud.Resource](ctx context.Context, tx Tx, q Query) ([]T, Page, error) {
	return find[T](ctx, tx, q, false)
}

// FindShared is Find for a caller that only reads what it gets (a Describe
// building its answer): from a backend that keeps values (memory, SQLite's
// decoded cache), the items share their slices and maps with the kept values
// instead of being deep copies. Changing anything in them would change the
// store behind its back; CheckValues (memory.DB's, sqlite.DB's), run when
// each ecslocaltest server closes, finds such a change.
func FindShared[T cloud.Resource](ctx context.Context, tx Tx, q Query) ([]T, Page, error) {
	return find[T](ctx, tx, q, true)
}

func find[T cloud.Resource](ctx context.Context, tx Tx, q Query, shared bool) ([]T, Page, error) {
	var v T
	q.Kind = v.Kind()
	if err := CheckQuery(q); err != nil {
		return nil, Page{}, err
	}
	page, err := tx.Query(ctx, q)
	if err != nil {
		return nil, page, err
	}
	out := make([]T, 0, len(page.Records))
	for _, rec := range page.Records {
		item, err := decode[T](rec, shared)
		if err != nil {
			return nil, page, err
		}
		out = append(out, item)
	}
	return out, page, nil
}

// FindKind is Find for a kind known only by its declaration: the registry's
// workflows (release, import, the clock, tags) read every kind this way.
func FindKind(ctx context.Context, tx Tx, k cloud.Kind, q Query) ([]cloud.Resource, Page, error) {
	q.Kind = k.Name
	if err := CheckQuery(q); err != nil {
		return nil, Page{}, err
	}
	page, err := tx.Query(ctx, q)
	if err != nil {
		return nil, page, err
	}
	out := make([]cloud.Resource, 0, len(page.Records))
	for _, rec := range page.Records {
		item, err := decodeKind(k, rec)
		if err != nil {
			return nil, page, err
		}
		out = append(out, item)
	}
	return out, page, nil
}

// Decode decodes records of kind T (a QueryAll page's) as Find does.
func Decode[T cloud.Resource](recs []Record) ([]T, error) {
	out := make([]T, 0, len(recs))
	for _, rec := range recs {
		item, err := decode[T](rec, false)
		if err != nil {
			return nil, err
		}
		out = append(out, item)
	}
	return out, nil
}

// DecodeKind decodes records of kind k (a QueryAll page's).
func DecodeKind(k cloud.Kind, recs []Record) ([]cloud.Resource, error) {
	out := make([]cloud.Resource, 0, len(recs))
	for _, rec := range recs {
		item, err := decodeKind(k, rec)
		if err != nil {
			return nil, err
		}
		out = append(out, item)
	}
	return out, nil
}

// DecodeRecord decodes one record of kind k (a Due answer's) as GetKind
// does.
func DecodeRecord(k cloud.Kind, rec Record) (cloud.Resource, error) {
	return decodeKind(k, rec)
}

// GetKind reads one resource of a declared kind; ErrNotFound when absent.
func GetKind(ctx context.Context, tx Tx, k cloud.Kind, id string) (cloud.Resource, error) {
	rec, err := tx.Get(ctx, k.Name, id)
	if err != nil {
		return nil, err
	}
	return decodeKind(k, rec)
}

// decodeKind decodes rec as k declares, sharing the kept value of its
// version the way decode does (the value kept is of the kind's own type).
func decodeKind(k cloud.Kind, rec Record) (cloud.Resource, error) {
	if rec.Decoded != nil {
		if v, ok := rec.Decoded.Load().(cloud.Resource); ok {
			return copyValue(v), nil
		}
	}
	v, err := k.Decode(rec.Data)
	if err != nil {
		return nil, fmt.Errorf("decode %s %s: %w", rec.Kind, rec.ID, err)
	}
	return v, nil
}

// CheckQuery refuses a query of an undeclared kind or through an index its
// kind does not declare: a typo'd filter is an error, never an empty page.
func CheckQuery(q Query) error {
	k, ok := cloud.KindOf(q.Kind)
	if !ok {
		return fmt.Errorf("query of kind %q: not declared", q.Kind)
	}
	for _, f := range q.Filters {
		if !k.Declares(cloud.IndexName(f.Name)) {
			return fmt.Errorf("query of %s through index %q: not declared by the kind", q.Kind, f.Name)
		}
	}
	return nil
}

// All returns every resource of kind T matching filters in region ("" = all).
func All[T cloud.Resource](ctx context.Context, tx Tx, region string, filters ...Filter) ([]T, error) {
	out, _, err := Find[T](ctx, tx, Query{Region: region, Filters: filters, Limit: 1 << 30})
	return out, err
}

// AllShared is All for a caller that only reads what it gets (see FindShared).
func AllShared[T cloud.Resource](ctx context.Context, tx Tx, region string, filters ...Filter) ([]T, error) {
	out, _, err := FindShared[T](ctx, tx, Query{Region: region, Filters: filters, Limit: 1 << 30})
	return out, err
}

// Count counts resources of kind T matching filters in region ("" = all).
func Count[T cloud.Resource](ctx context.Context, tx Tx, region string, filters ...Filter) (int, error) {
	_, page, err := Find[T](ctx, tx, Query{Region: region, Filters: filters, Count: true})
	return page.Total, err
}

// Where is a one-value filter.
func Where(name string, values ...string) Filter { return Filter{Name: name, Values: values} }

// WhereOwned is Where of the ids of records (an ENI's instances) whose seqs
// the caller read with them: Filter.Owners. seqs[n] is the seq of ids[n].
func WhereOwned(name string, ids []string, seqs []int64) Filter {
	return Filter{Name: name, Values: ids, Owners: seqs}
}

// WhereFlag filters on a flag index (cloud.Flag): set or not set.
func WhereFlag(name string, set bool) Filter {
	return Filter{Name: name, Values: []string{cloud.FlagSet}, Not: !set}
}

func decode[T cloud.Resource](rec Record, shared bool) (T, error) {
	if rec.Decoded == nil {
		return decodeData[T](rec)
	}
	v, ok := rec.Decoded.Load().(T)
	if !ok {
		if !shared && !rec.Decoded.read.Swap(true) {
			// The first read of a version for a caller's own value: the
			// value decoded is the caller's, no copy kept. Most versions
			// of a record that a write reads (an instance at each step
			// of its launch and release) are read so once; the second
			// read of a version keeps its value for those after it.
			return decodeData[T](rec)
		}
		var err error
		if v, err = decodeData[T](rec); err != nil {
			return v, err
		}
		rec.Decoded.v.Store(v)
	}
	if shared {
		return v, nil
	}
	// A deep copy: the caller may change what it got.
	return copyValue(v), nil
}

// copyValue is a deep copy of a kept value: its own where its kind has one
// (cloud.Copier), go-clone's otherwise.
func copyValue[T cloud.Resource](v T) T {
	if k, ok := any(v).(cloud.Copier); ok {
		return k.Copy().(T)
	}
	return clone.Clone(v).(T)
}

// decodeData decodes with goccy/go-json, two to three times faster than
// encoding/json on these documents (encoding/json wrote them); every first
// read of a record version pays it, and on PostgreSQL every read (SQLite
// keeps a bounded number of versions decoded: sqlite/cache.go).
func decodeData[T cloud.Resource](rec Record) (T, error) {
	var v T
	if err := gojson.Unmarshal(rec.Data, &v); err != nil {
		return v, fmt.Errorf("decode %s %s: %w", rec.Kind, rec.ID, err)
	}
	return v, nil
}

// NotFoundAs turns ErrNotFound into the caller's catalog error (each
// product names its own NotFound code) and passes other errors through.
func NotFoundAs(err error, e apierr.Entry) error {
	if errors.Is(err, ErrNotFound) {
		return e.New()
	}
	return err
}

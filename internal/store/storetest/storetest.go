// Package storetest is the conformance suite of the store.Store contract.
// Every backend's tests call Run with a constructor of fresh, empty stores
// (golang/go testing/fstest.TestFS is the model): the suite never asks which
// backend it runs on, so what passes here holds for all of them.
package storetest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/store"
)

// Run runs the whole suite. open returns a new, empty store for each subtest
// and registers its Close with tb.Cleanup.
func Run(t *testing.T, open func(testing.TB) store.Store) {
	t.Run("ReadAfterWrite", func(t *testing.T) { testReadAfterWrite(t, open(t)) })
	t.Run("PutReplacesAttrs", func(t *testing.T) { testPutReplacesAttrs(t, open(t)) })
	t.Run("DuplicateAttrs", func(t *testing.T) { testDuplicateAttrs(t, open(t)) })
	t.Run("PutAnswersBefore", func(t *testing.T) { testPutAnswersBefore(t, open(t)) })
	t.Run("PartialAttrChange", func(t *testing.T) { testPartialAttrChange(t, open(t)) })
	t.Run("NegatedFilter", func(t *testing.T) { testNegatedFilter(t, open(t)) })
	t.Run("Delete", func(t *testing.T) { testDelete(t, open(t)) })
	t.Run("Query", func(t *testing.T) { testQuery(t, open(t)) })
	t.Run("AccountIsolation", func(t *testing.T) { testAccountIsolation(t, open(t)) })
	t.Run("RollbackOnError", func(t *testing.T) { testRollbackOnError(t, open(t)) })
	t.Run("ViewDoesNotWrite", func(t *testing.T) { testViewDoesNotWrite(t, open(t)) })
	t.Run("Meta", func(t *testing.T) { testMeta(t, open(t)) })
	t.Run("CurrentJSON", func(t *testing.T) { testCurrentJSON(t, open(t)) })
	t.Run("ClientTokens", func(t *testing.T) { testClientTokens(t, open(t)) })
	t.Run("UseNonce", func(t *testing.T) { testUseNonce(t, open(t)) })
	t.Run("UseNonceConcurrent", func(t *testing.T) { testUseNonceConcurrent(t, open(t)) })
	t.Run("Due", func(t *testing.T) { testDue(t, open(t)) })
	t.Run("DueAccounts", func(t *testing.T) { testDueAccounts(t, open(t)) })
	t.Run("AccountsOf", func(t *testing.T) { testAccountsOf(t, open(t)) })
	t.Run("Hooks", func(t *testing.T) { testHooks(t, open(t)) })
	t.Run("Reset", func(t *testing.T) { testReset(t, open(t)) })
	t.Run("RaceOneWinner", func(t *testing.T) { testRaceOneWinner(t, open(t)) })
	t.Run("ConcurrentInserts", func(t *testing.T) { testConcurrentInserts(t, open(t)) })
	t.Run("Journal", func(t *testing.T) { testJournal(t, open(t)) })
	t.Run("TypedWritesReadBack", func(t *testing.T) { testTypedWritesReadBack(t, open(t)) })
	t.Run("AfterCommit", func(t *testing.T) { testAfterCommit(t, open(t)) })
	t.Run("Events", func(t *testing.T) { testEvents(t, open(t)) })
	t.Run("EventRetention", func(t *testing.T) { testEventRetention(t, open(t)) })
	t.Run("Inventory", func(t *testing.T) { testInventory(t, open(t)) })
	t.Run("ExportImport", func(t *testing.T) { testExportImport(t, open(t), open(t)) })
	t.Run("ImportInvalid", func(t *testing.T) { testImportInvalid(t, open(t)) })
	t.Run("KeptCounts", func(t *testing.T) { testKeptCounts(t, open(t)) })
	t.Run("UncountedIndexes", func(t *testing.T) { testUncountedIndexes(t, open(t)) })
	t.Run("KindsOfEveryRegion", func(t *testing.T) { testKindsOfEveryRegion(t, open(t)) })
	t.Run("MayHold", func(t *testing.T) { testMayHold(t, open(t)) })
	t.Run("JournalMany", func(t *testing.T) { testJournalMany(t, open(t)) })
	t.Run("Owned", func(t *testing.T) { testOwned(t, open(t), open(t)) })
}

// Accounts and kinds the suite writes; any strings would do.
const (
	acctA = "1000000000000001"
	acctB = "1000000000000002"
	acctC = "1000000000000003"

	kindWidget = "widget"
	kindGadget = "gadget"
)

// t0 is an emulated time, whole seconds so every backend's time type holds it.
var t0 = time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)

var errBoom = errors.New("storetest: boom")

// rec builds a record whose Data names it, with attributes as name, value pairs.
func rec(kind, id, region string, attrs ...string) store.Record {
	r := store.Record{Kind: kind, ID: id, Region: region, Data: doc(id, "")}
	for i := 0; i+1 < len(attrs); i += 2 {
		r.Attrs = append(r.Attrs, store.Attr{Name: attrs[i], Value: attrs[i+1]})
	}
	return r
}

// doc is a small JSON document.
func doc(id, status string) []byte {
	b, _ := json.Marshal(map[string]string{"id": id, "status": status})
	return b
}

// update runs fn in a read-write transaction of account and fails the test on error.
func update(tb testing.TB, st store.Store, account string, fn func(ctx context.Context, tx store.Tx) error) {
	tb.Helper()
	ctx := context.Background()
	if err := st.Update(ctx, account, func(tx store.Tx) error { return fn(ctx, tx) }); err != nil {
		tb.Fatalf("Update(%s): %v", account, err)
	}
}

// view runs fn in a read-only transaction of account and fails the test on error.
func view(tb testing.TB, st store.Store, account string, fn func(ctx context.Context, tx store.Tx) error) {
	tb.Helper()
	ctx := context.Background()
	if err := st.View(ctx, account, func(tx store.Tx) error { return fn(ctx, tx) }); err != nil {
		tb.Fatalf("View(%s): %v", account, err)
	}
}

// put writes records in one transaction of account, in order.
func put(tb testing.TB, st store.Store, account string, recs ...store.Record) {
	tb.Helper()
	update(tb, st, account, func(ctx context.Context, tx store.Tx) error {
		for _, r := range recs {
			if err := store.PutRaw(ctx, tx, r); err != nil {
				return fmt.Errorf("Put %s/%s: %w", r.Kind, r.ID, err)
			}
		}
		return nil
	})
}

// get reads a record; ErrNotFound is returned, other errors fail the test.
func get(tb testing.TB, st store.Store, account, kind, id string) (store.Record, error) {
	tb.Helper()
	var out store.Record
	var nf error
	view(tb, st, account, func(ctx context.Context, tx store.Tx) error {
		r, err := tx.Get(ctx, kind, id)
		if errors.Is(err, store.ErrNotFound) {
			nf = err
			return nil
		}
		out = r
		return err
	})
	return out, nf
}

// mustGet reads a record that must exist.
func mustGet(tb testing.TB, st store.Store, account, kind, id string) store.Record {
	tb.Helper()
	r, err := get(tb, st, account, kind, id)
	if err != nil {
		tb.Fatalf("Get(%s, %s, %s): %v", account, kind, id, err)
	}
	return r
}

// mustNotFind checks that a record is absent.
func mustNotFind(tb testing.TB, st store.Store, account, kind, id string) {
	tb.Helper()
	if r, err := get(tb, st, account, kind, id); err == nil {
		tb.Fatalf("Get(%s, %s, %s) = %s, want ErrNotFound", account, kind, id, r.Data)
	}
}

// query runs q in a View of account.
func query(tb testing.TB, st store.Store, account string, q store.Query) store.Page {
	tb.Helper()
	var page store.Page
	view(tb, st, account, func(ctx context.Context, tx store.Tx) (err error) {
		page, err = tx.Query(ctx, q)
		return err
	})
	return page
}

// ids lists the ids of records, in their order.
func ids(recs []store.Record) []string {
	out := []string{}
	for _, r := range recs {
		out = append(out, r.ID)
	}
	return out
}

// wantIDs compares a page's ids with want, order included.
func wantIDs(tb testing.TB, what string, got []store.Record, want ...string) {
	tb.Helper()
	if want == nil {
		want = []string{}
	}
	if g := ids(got); !slices.Equal(g, want) {
		tb.Errorf("%s: ids %q, want %q", what, g, want)
	}
}

// jsonEqual compares two JSON documents by value: a backend may store them
// in a normalised form (PostgreSQL jsonb does).
func jsonEqual(a, b []byte) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return bytes.Equal(a, b)
	}
	return reflect.DeepEqual(x, y)
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	if s == nil {
		s = []string{}
	}
	return s
}

func testReadAfterWrite(t *testing.T, st store.Store) {
	r := rec(kindWidget, "w-1", "cn-hangzhou", "status", "Running", "zone", "cn-hangzhou-h")
	r.Due = t0
	update(t, st, acctA, func(ctx context.Context, tx store.Tx) error {
		if err := store.PutRaw(ctx, tx, r); err != nil {
			return err
		}
		// The transaction reads its own writes.
		got, err := tx.Get(ctx, kindWidget, "w-1")
		if err != nil {
			return fmt.Errorf("Get in the writing transaction: %w", err)
		}
		if !jsonEqual(got.Data, r.Data) {
			t.Errorf("Get in the writing transaction: data %s, want %s", got.Data, r.Data)
		}
		return nil
	})

	got := mustGet(t, st, acctA, kindWidget, "w-1")
	if got.Kind != kindWidget || got.ID != "w-1" || got.Region != "cn-hangzhou" {
		t.Errorf("Get: kind %q id %q region %q, want %q %q %q", got.Kind, got.ID, got.Region, kindWidget, "w-1", "cn-hangzhou")
	}
	if !jsonEqual(got.Data, r.Data) {
		t.Errorf("Get: data %s, want %s", got.Data, r.Data)
	}
	if !got.Due.Equal(t0) {
		t.Errorf("Get: due %v, want %v", got.Due, t0)
	}
	if got.Seq <= 0 {
		t.Errorf("Get: seq %d, want a positive creation sequence", got.Seq)
	}

	for _, f := range []store.Filter{{Name: "status", Values: []string{"Running"}}, {Name: "zone", Values: []string{"cn-hangzhou-h"}}} {
		page := query(t, st, acctA, store.Query{Kind: kindWidget, Filters: []store.Filter{f}, Limit: 10})
		wantIDs(t, "query by "+f.Name, page.Records, "w-1")
		if len(page.Records) == 1 {
			q := page.Records[0]
			if q.Kind != kindWidget || q.Region != "cn-hangzhou" || q.Seq != got.Seq || !q.Due.Equal(t0) || !jsonEqual(q.Data, r.Data) {
				t.Errorf("query by %s: record %+v, want the one Get answers %+v", f.Name, q, got)
			}
		}
	}

	// No due time stays no due time.
	put(t, st, acctA, rec(kindWidget, "w-2", "cn-hangzhou"))
	if got := mustGet(t, st, acctA, kindWidget, "w-2"); !got.Due.IsZero() {
		t.Errorf("Get of a record without due time: due %v, want zero", got.Due)
	}
}

func testPutReplacesAttrs(t *testing.T, st store.Store) {
	put(t, st, acctA, rec(kindWidget, "w-1", "cn-hangzhou", "status", "Running", "tag", "a"), rec(kindWidget, "w-2", "cn-hangzhou", "status", "Running"))
	first := mustGet(t, st, acctA, kindWidget, "w-1")

	next := rec(kindWidget, "w-1", "cn-beijing", "status", "Stopped")
	next.Data = doc("w-1", "Stopped")
	put(t, st, acctA, next)

	got := mustGet(t, st, acctA, kindWidget, "w-1")
	if !jsonEqual(got.Data, next.Data) || got.Region != "cn-beijing" {
		t.Errorf("Get after replace: region %q data %s, want %q %s", got.Region, got.Data, "cn-beijing", next.Data)
	}
	if got.Seq != first.Seq {
		t.Errorf("replace changed Seq from %d to %d; creation order must hold", first.Seq, got.Seq)
	}
	q := func(name, value string) store.Query {
		return store.Query{Kind: kindWidget, Filters: []store.Filter{{Name: name, Values: []string{value}}}, Limit: 10}
	}
	wantIDs(t, "status=Running after replace", query(t, st, acctA, q("status", "Running")).Records, "w-2")
	wantIDs(t, "status=Stopped after replace", query(t, st, acctA, q("status", "Stopped")).Records, "w-1")
	wantIDs(t, "tag=a after replace dropped it", query(t, st, acctA, q("tag", "a")).Records)
	wantIDs(t, "region cn-hangzhou after replace", query(t, st, acctA, store.Query{Kind: kindWidget, Region: "cn-hangzhou", Limit: 10}).Records, "w-2")
	wantIDs(t, "region cn-beijing after replace", query(t, st, acctA, store.Query{Kind: kindWidget, Region: "cn-beijing", Limit: 10}).Records, "w-1")

	// Replacing with no attributes drops them all.
	put(t, st, acctA, rec(kindWidget, "w-1", "cn-beijing"))
	wantIDs(t, "status=Stopped after attributes dropped", query(t, st, acctA, q("status", "Stopped")).Records)
}

func testPutAnswersBefore(t *testing.T, st store.Store) {
	due := t0.Add(time.Hour)
	first := rec(kindWidget, "w-1", "r1", "status", "Running")
	first.Due = due
	update(t, st, acctA, func(ctx context.Context, tx store.Tx) error {
		if _, existed, err := tx.Put(ctx, first); err != nil || existed {
			return fmt.Errorf("first Put: existed %v, %v", existed, err)
		}
		next := rec(kindWidget, "w-1", "r2", "status", "Stopped")
		next.Data = doc("w-1", "Stopped")
		before, existed, err := tx.Put(ctx, next)
		if err != nil || !existed {
			return fmt.Errorf("second Put: existed %v, %v", existed, err)
		}
		if before.Kind != kindWidget || before.ID != "w-1" || before.Region != "r1" || !before.Due.Equal(due) || !jsonEqual(before.Data, first.Data) || before.Seq == 0 {
			t.Errorf("Put answered before = %+v, want the first version", before)
		}
		return nil
	})
}

// testPartialAttrChange: a replace that changes some attributes keeps the
// others findable, with the region, through every filter combination; a
// move to another region moves every attribute row with it.
func testPartialAttrChange(t *testing.T, st store.Store) {
	put(t, st, acctA, rec(kindWidget, "w-1", "r1", "status", "Running", "tag", "a", "tag", "b"))
	put(t, st, acctA, rec(kindWidget, "w-1", "r1", "status", "Stopped", "tag", "a", "tag", "c"))
	f := func(name, value string) store.Filter { return store.Filter{Name: name, Values: []string{value}} }
	q := func(region string, filters ...store.Filter) []store.Record {
		return query(t, st, acctA, store.Query{Kind: kindWidget, Region: region, Filters: filters, Limit: 10}).Records
	}
	wantIDs(t, "r1 tag=a (kept)", q("r1", f("tag", "a")), "w-1")
	wantIDs(t, "r1 tag=b (dropped)", q("r1", f("tag", "b")))
	wantIDs(t, "r1 tag=c (added)", q("r1", f("tag", "c")), "w-1")
	wantIDs(t, "r1 status=Stopped tag=a", q("r1", f("status", "Stopped"), f("tag", "a")), "w-1")
	wantIDs(t, "r1 status=Running", q("r1", f("status", "Running")))
	put(t, st, acctA, rec(kindWidget, "w-1", "r2", "status", "Stopped", "tag", "a", "tag", "c"))
	wantIDs(t, "r2 tag=a after the move", q("r2", f("tag", "a")), "w-1")
	wantIDs(t, "r2 status=Stopped tag=c after the move", q("r2", f("status", "Stopped"), f("tag", "c")), "w-1")
	wantIDs(t, "r1 tag=a after the move", q("r1", f("tag", "a")))
	wantIDs(t, "any region tag=a after the move", q("", f("tag", "a")), "w-1")
}

// testNegatedFilter: a Not filter keeps the records without the value, on
// its own (walking the kind or the region) or beside a positive filter,
// and counts the same way.
func testNegatedFilter(t *testing.T, st store.Store) {
	put(t, st, acctA,
		rec(kindWidget, "w-1", "r1", "status", "Running", "flag", "true"),
		rec(kindWidget, "w-2", "r1", "status", "Running"),
		rec(kindWidget, "w-3", "r2", "status", "Stopped"),
		rec(kindWidget, "w-4", "r1", "status", "Stopped", "flag", "true"))
	not := store.Filter{Name: "flag", Values: []string{"true"}, Not: true}
	for _, c := range []struct {
		name string
		q    store.Query
		want []string
	}{
		{"alone", store.Query{Filters: []store.Filter{not}}, []string{"w-2", "w-3"}},
		{"in a region", store.Query{Region: "r1", Filters: []store.Filter{not}}, []string{"w-2"}},
		{"beside a driver", store.Query{Filters: []store.Filter{not, {Name: "status", Values: []string{"Running"}}}}, []string{"w-2"}},
		{"beside several values", store.Query{Filters: []store.Filter{not, {Name: "status", Values: []string{"Running", "Stopped"}}}}, []string{"w-2", "w-3"}},
		{"with ids", store.Query{IDs: []string{"w-1", "w-2", "w-3"}, Filters: []store.Filter{not}}, []string{"w-2", "w-3"}},
		{"positive", store.Query{Filters: []store.Filter{{Name: "flag", Values: []string{"true"}}}}, []string{"w-1", "w-4"}},
	} {
		c.q.Kind, c.q.Limit, c.q.Count = kindWidget, 10, true
		page := query(t, st, acctA, c.q)
		wantIDs(t, "negated "+c.name, page.Records, c.want...)
		if page.Total != len(c.want) {
			t.Errorf("negated %s: Total %d, want %d", c.name, page.Total, len(c.want))
		}
	}
}

func testDuplicateAttrs(t *testing.T, st store.Store) {
	// Indexes may name one (name, value) twice; the record matches once.
	put(t, st, acctA, rec(kindWidget, "w-1", "r", "tag", "a", "tag", "a", "tag", "b"))
	page := query(t, st, acctA, store.Query{Kind: kindWidget, Filters: []store.Filter{{Name: "tag", Values: []string{"a", "b"}}}, Limit: 10, Count: true})
	wantIDs(t, "tag in (a, b)", page.Records, "w-1")
	if page.Total != 1 {
		t.Errorf("tag in (a, b): Total %d, want 1", page.Total)
	}
	put(t, st, acctA, rec(kindWidget, "w-1", "r", "tag", "b", "tag", "b"))
	wantIDs(t, "tag=b after replace", query(t, st, acctA, store.Query{Kind: kindWidget, Filters: []store.Filter{{Name: "tag", Values: []string{"b"}}}, Limit: 10}).Records, "w-1")
}

func testDelete(t *testing.T, st store.Store) {
	put(t, st, acctA, rec(kindWidget, "w-1", "r", "status", "Running"), rec(kindWidget, "w-2", "r", "status", "Running"))
	update(t, st, acctA, func(ctx context.Context, tx store.Tx) error {
		gone, err := tx.Delete(ctx, kindWidget, "w-1")
		if err != nil {
			return fmt.Errorf("Delete: %w", err)
		}
		// It answers the version it removed.
		if gone.Kind != kindWidget || gone.ID != "w-1" || gone.Region != "r" || gone.Seq <= 0 || string(gone.Data) != string(doc("w-1", "")) {
			t.Errorf("Delete answered %+v, want w-1 as written", gone)
		}
		// Gone inside the transaction already.
		if _, err := tx.Get(ctx, kindWidget, "w-1"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("Get in the deleting transaction: %v, want ErrNotFound", err)
		}
		return nil
	})
	mustNotFind(t, st, acctA, kindWidget, "w-1")
	mustGet(t, st, acctA, kindWidget, "w-2")
	wantIDs(t, "status=Running after delete", query(t, st, acctA, store.Query{Kind: kindWidget, Filters: []store.Filter{{Name: "status", Values: []string{"Running"}}}, Limit: 10}).Records, "w-2")

	ctx := context.Background()
	for _, c := range []struct{ name, kind, id string }{
		{"deleted twice", kindWidget, "w-1"},
		{"never written", kindWidget, "w-404"},
		{"other kind", kindGadget, "w-2"},
	} {
		err := st.Update(ctx, acctA, func(tx store.Tx) error { _, err := tx.Delete(ctx, c.kind, c.id); return err })
		if !errors.Is(err, store.ErrNotFound) {
			t.Errorf("Delete %s: %v, want ErrNotFound", c.name, err)
		}
		err = st.View(ctx, acctA, func(tx store.Tx) error {
			_, err := tx.Get(ctx, c.kind, c.id)
			return err
		})
		if !errors.Is(err, store.ErrNotFound) {
			t.Errorf("Get %s: %v, want ErrNotFound", c.name, err)
		}
	}
}

// queryFixture writes, in this order, widgets w1…w6 and one gadget sharing
// their attributes:
//
//	w1 r1 red small    w2 r1 blue big    w3 r2 red big
//	w4 r1 red big      w5 r2 green small w6 r1 blue small
func queryFixture(tb testing.TB, st store.Store) {
	tb.Helper()
	put(tb, st, acctA,
		rec(kindWidget, "w1", "r1", "color", "red", "size", "small"),
		rec(kindWidget, "w2", "r1", "color", "blue", "size", "big"),
		rec(kindGadget, "g1", "r1", "color", "red", "size", "big"),
		rec(kindWidget, "w3", "r2", "color", "red", "size", "big"),
	)
	// Separate transactions: creation order spans commits.
	put(tb, st, acctA, rec(kindWidget, "w4", "r1", "color", "red", "size", "big"))
	put(tb, st, acctA,
		rec(kindWidget, "w5", "r2", "color", "green", "size", "small"),
		rec(kindWidget, "w6", "r1", "color", "blue", "size", "small"),
	)
}

func testQuery(t *testing.T, st store.Store) {
	queryFixture(t, st)
	all := []string{"w1", "w2", "w3", "w4", "w5", "w6"}
	f := func(name string, values ...string) store.Filter { return store.Filter{Name: name, Values: values} }

	t.Run("All", func(t *testing.T) {
		wantIDs(t, "kind widget", query(t, st, acctA, store.Query{Kind: kindWidget, Limit: 100}).Records, all...)
		wantIDs(t, "kind gadget", query(t, st, acctA, store.Query{Kind: kindGadget, Limit: 100}).Records, "g1")
		wantIDs(t, "unknown kind", query(t, st, acctA, store.Query{Kind: "nothing", Limit: 100}).Records)
	})
	t.Run("ByRegion", func(t *testing.T) {
		wantIDs(t, "region r1", query(t, st, acctA, store.Query{Kind: kindWidget, Region: "r1", Limit: 100}).Records, "w1", "w2", "w4", "w6")
		wantIDs(t, "region r2", query(t, st, acctA, store.Query{Kind: kindWidget, Region: "r2", Limit: 100}).Records, "w3", "w5")
		wantIDs(t, "region r3", query(t, st, acctA, store.Query{Kind: kindWidget, Region: "r3", Limit: 100}).Records)
	})
	t.Run("ByIDs", func(t *testing.T) {
		// Creation order, not the order asked; unknown ids and other kinds drop out.
		wantIDs(t, "ids w5 w1 w404 g1", query(t, st, acctA, store.Query{Kind: kindWidget, IDs: []string{"w5", "w1", "w404", "g1"}, Limit: 100}).Records, "w1", "w5")
		wantIDs(t, "ids with region", query(t, st, acctA, store.Query{Kind: kindWidget, Region: "r2", IDs: []string{"w1", "w3"}, Limit: 100}).Records, "w3")
		wantIDs(t, "ids with filter", query(t, st, acctA, store.Query{Kind: kindWidget, IDs: []string{"w1", "w2", "w3"}, Filters: []store.Filter{f("size", "big")}, Limit: 100}).Records, "w2", "w3")
	})
	t.Run("OneFilter", func(t *testing.T) {
		wantIDs(t, "color=red", query(t, st, acctA, store.Query{Kind: kindWidget, Filters: []store.Filter{f("color", "red")}, Limit: 100}).Records, "w1", "w3", "w4")
		wantIDs(t, "color=red in r1", query(t, st, acctA, store.Query{Kind: kindWidget, Region: "r1", Filters: []store.Filter{f("color", "red")}, Limit: 100}).Records, "w1", "w4")
		wantIDs(t, "color=purple", query(t, st, acctA, store.Query{Kind: kindWidget, Filters: []store.Filter{f("color", "purple")}, Limit: 100}).Records)
		wantIDs(t, "unknown attribute", query(t, st, acctA, store.Query{Kind: kindWidget, Filters: []store.Filter{f("weight", "red")}, Limit: 100}).Records)
		// A value of one attribute never matches another attribute.
		wantIDs(t, "size=red", query(t, st, acctA, store.Query{Kind: kindWidget, Filters: []store.Filter{f("size", "red")}, Limit: 100}).Records)
	})
	t.Run("TwoFiltersAND", func(t *testing.T) {
		wantIDs(t, "color=red and size=big", query(t, st, acctA, store.Query{Kind: kindWidget, Filters: []store.Filter{f("color", "red"), f("size", "big")}, Limit: 100}).Records, "w3", "w4")
		wantIDs(t, "color=green and size=big", query(t, st, acctA, store.Query{Kind: kindWidget, Filters: []store.Filter{f("color", "green"), f("size", "big")}, Limit: 100}).Records)
	})
	t.Run("FilterValuesOR", func(t *testing.T) {
		wantIDs(t, "color in (red, green)", query(t, st, acctA, store.Query{Kind: kindWidget, Filters: []store.Filter{f("color", "red", "green")}, Limit: 100}).Records, "w1", "w3", "w4", "w5")
		wantIDs(t, "color in (blue, green) and size=small", query(t, st, acctA, store.Query{Kind: kindWidget, Filters: []store.Filter{f("color", "blue", "green"), f("size", "small")}, Limit: 100}).Records, "w5", "w6")
		wantIDs(t, "color in (red, red)", query(t, st, acctA, store.Query{Kind: kindWidget, Filters: []store.Filter{f("color", "red", "red")}, Limit: 100}).Records, "w1", "w3", "w4")
	})
	t.Run("CreationOrder", func(t *testing.T) {
		page := query(t, st, acctA, store.Query{Kind: kindWidget, Limit: 100})
		for i := 1; i < len(page.Records); i++ {
			if page.Records[i].Seq <= page.Records[i-1].Seq {
				t.Errorf("Seq not ascending: %s=%d then %s=%d", page.Records[i-1].ID, page.Records[i-1].Seq, page.Records[i].ID, page.Records[i].Seq)
			}
		}
		// Rewriting an old record keeps its place.
		put(t, st, acctA, rec(kindWidget, "w2", "r1", "color", "blue", "size", "big", "rewritten", "yes"))
		wantIDs(t, "after rewriting w2", query(t, st, acctA, store.Query{Kind: kindWidget, Limit: 100}).Records, all...)
	})
	t.Run("OffsetLimit", func(t *testing.T) {
		for _, c := range []struct {
			offset, limit int
			want          []string
			more          bool
		}{
			{0, 2, []string{"w1", "w2"}, true},
			{2, 2, []string{"w3", "w4"}, true},
			{4, 2, []string{"w5", "w6"}, false},
			{5, 2, []string{"w6"}, false},
			{0, 6, all, false},
			{0, 5, all[:5], true},
			{6, 2, nil, false},
			{10, 2, nil, false},
		} {
			name := fmt.Sprintf("offset %d limit %d", c.offset, c.limit)
			page := query(t, st, acctA, store.Query{Kind: kindWidget, Offset: c.offset, Limit: c.limit})
			wantIDs(t, name, page.Records, c.want...)
			if page.More != c.more {
				t.Errorf("%s: More %v, want %v", name, page.More, c.more)
			}
		}
		page := query(t, st, acctA, store.Query{Kind: kindWidget, Filters: []store.Filter{f("color", "red")}, Offset: 1, Limit: 1})
		wantIDs(t, "color=red offset 1 limit 1", page.Records, "w3")
		if !page.More {
			t.Errorf("color=red offset 1 limit 1: More false, want true")
		}
		if page := query(t, st, acctA, store.Query{Kind: kindWidget}); len(page.Records) != 0 {
			t.Errorf("limit 0: %d records, want none", len(page.Records))
		}
	})
	t.Run("AfterSeq", func(t *testing.T) {
		var got []string
		var after int64
		for pages := 0; ; pages++ {
			if pages > 10 {
				t.Fatalf("AfterSeq paging does not end; so far %q", got)
			}
			page := query(t, st, acctA, store.Query{Kind: kindWidget, AfterSeq: after, Limit: 4})
			got = append(got, ids(page.Records)...)
			if !page.More {
				break
			}
			if len(page.Records) == 0 {
				t.Fatalf("AfterSeq %d: More with an empty page", after)
			}
			after = page.Records[len(page.Records)-1].Seq
		}
		if !slices.Equal(got, all) {
			t.Errorf("AfterSeq paging by 4: %q, want %q", got, all)
		}
		w3 := mustGet(t, st, acctA, kindWidget, "w3")
		page := query(t, st, acctA, store.Query{Kind: kindWidget, AfterSeq: w3.Seq, Filters: []store.Filter{f("size", "small")}, Limit: 10})
		wantIDs(t, "after w3, size=small", page.Records, "w5", "w6")
		last := mustGet(t, st, acctA, kindWidget, "w6")
		page = query(t, st, acctA, store.Query{Kind: kindWidget, AfterSeq: last.Seq, Limit: 10})
		wantIDs(t, "after the last", page.Records)
		if page.More {
			t.Errorf("after the last: More true, want false")
		}
	})
	t.Run("Count", func(t *testing.T) {
		for _, c := range []struct {
			name  string
			q     store.Query
			total int
			recs  int
		}{
			{"no limit", store.Query{Kind: kindWidget, Count: true}, 6, 0},
			{"limit 2", store.Query{Kind: kindWidget, Count: true, Limit: 2}, 6, 2},
			{"offset 4 limit 10", store.Query{Kind: kindWidget, Count: true, Offset: 4, Limit: 10}, 6, 2},
			{"after w1 limit 2", store.Query{Kind: kindWidget, Count: true, AfterSeq: mustGet(t, st, acctA, kindWidget, "w1").Seq, Limit: 2}, 6, 2},
			{"color=red limit 1", store.Query{Kind: kindWidget, Count: true, Filters: []store.Filter{f("color", "red")}, Limit: 1}, 3, 1},
			{"region r2 ids w1 w3", store.Query{Kind: kindWidget, Count: true, Region: "r2", IDs: []string{"w1", "w3"}}, 1, 0},
			{"ids on one page", store.Query{Kind: kindWidget, Count: true, IDs: []string{"w3", "w1", "w3", "nope"}, Limit: 4}, 2, 2},
			{"ids on two pages", store.Query{Kind: kindWidget, Count: true, IDs: []string{"w3", "w1", "w2"}, Limit: 2}, 3, 2},
			{"ids region r2 on one page", store.Query{Kind: kindWidget, Count: true, Region: "r2", IDs: []string{"w1", "w3"}, Limit: 5}, 1, 1},
			{"nothing", store.Query{Kind: kindWidget, Count: true, Filters: []store.Filter{f("color", "purple")}, Limit: 5}, 0, 0},
			// A first page that holds every match, or all but the next.
			{"limit 6", store.Query{Kind: kindWidget, Count: true, Limit: 6}, 6, 6},
			{"limit 5", store.Query{Kind: kindWidget, Count: true, Limit: 5}, 6, 5},
			{"color=red limit 3", store.Query{Kind: kindWidget, Count: true, Filters: []store.Filter{f("color", "red")}, Limit: 3}, 3, 3},
			{"region r1 limit 4", store.Query{Kind: kindWidget, Count: true, Region: "r1", Limit: 4}, 4, 4},
			{"region r1 limit 3", store.Query{Kind: kindWidget, Count: true, Region: "r1", Limit: 3}, 4, 3},
			{"region r1 color=red limit 10", store.Query{Kind: kindWidget, Count: true, Region: "r1", Filters: []store.Filter{f("color", "red")}, Limit: 10}, 2, 2},
			{"region r1 color=red limit 1", store.Query{Kind: kindWidget, Count: true, Region: "r1", Filters: []store.Filter{f("color", "red")}, Limit: 1}, 2, 1},
			{"region r1 color=red size=big limit 10", store.Query{Kind: kindWidget, Count: true, Region: "r1", Filters: []store.Filter{f("color", "red"), f("size", "big")}, Limit: 10}, 1, 1},
			{"color=red,blue limit 5", store.Query{Kind: kindWidget, Count: true, Filters: []store.Filter{f("color", "red", "blue")}, Limit: 5}, 5, 5},
			{"color=red,blue limit 4", store.Query{Kind: kindWidget, Count: true, Filters: []store.Filter{f("color", "red", "blue")}, Limit: 4}, 5, 4},
		} {
			page := query(t, st, acctA, c.q)
			if page.Total != c.total || len(page.Records) != c.recs {
				t.Errorf("count %s: Total %d with %d records, want %d with %d", c.name, page.Total, len(page.Records), c.total, c.recs)
			}
		}
		if page := query(t, st, acctA, store.Query{Kind: kindWidget, Limit: 2}); page.Total != 0 {
			t.Errorf("without Count: Total %d, want 0", page.Total)
		}
	})
}

func testAccountIsolation(t *testing.T, st store.Store) {
	a := rec(kindWidget, "w-1", "r", "status", "Running")
	a.Data, a.Due = doc("w-1", "of A"), t0
	b := rec(kindWidget, "w-1", "r", "status", "Running")
	b.Data = doc("w-1", "of B")
	put(t, st, acctA, a)
	put(t, st, acctB, b, rec(kindWidget, "w-b", "r", "status", "Running"))

	if got := mustGet(t, st, acctA, kindWidget, "w-1"); !jsonEqual(got.Data, a.Data) {
		t.Errorf("A reads w-1 as %s, want %s", got.Data, a.Data)
	}
	if got := mustGet(t, st, acctB, kindWidget, "w-1"); !jsonEqual(got.Data, b.Data) {
		t.Errorf("B reads w-1 as %s, want %s", got.Data, b.Data)
	}
	mustNotFind(t, st, acctA, kindWidget, "w-b")
	mustNotFind(t, st, acctC, kindWidget, "w-1")

	running := store.Query{Kind: kindWidget, Filters: []store.Filter{{Name: "status", Values: []string{"Running"}}}, Limit: 10, Count: true}
	if page := query(t, st, acctA, running); page.Total != 1 || !slices.Equal(ids(page.Records), []string{"w-1"}) {
		t.Errorf("A's query: %q (Total %d), want only its w-1", ids(page.Records), page.Total)
	}
	if page := query(t, st, acctB, running); page.Total != 2 {
		t.Errorf("B's query: %q (Total %d), want w-1 w-b", ids(page.Records), page.Total)
	}
	if page := query(t, st, acctC, store.Query{Kind: kindWidget, Limit: 10, Count: true}); page.Total != 0 || len(page.Records) != 0 {
		t.Errorf("C's query: %q (Total %d), want nothing", ids(page.Records), page.Total)
	}

	ctx := context.Background()
	err := st.Update(ctx, acctA, func(tx store.Tx) error { _, err := tx.Delete(ctx, kindWidget, "w-b"); return err })
	if !errors.Is(err, store.ErrNotFound) {
		t.Errorf("A deletes B's w-b: %v, want ErrNotFound", err)
	}
	mustGet(t, st, acctB, kindWidget, "w-b")

	// A's deletion of its w-1 leaves B's.
	update(t, st, acctA, func(ctx context.Context, tx store.Tx) error { _, err := tx.Delete(ctx, kindWidget, "w-1"); return err })
	mustGet(t, st, acctB, kindWidget, "w-1")

	// Due records and client tokens are the account's too.
	put(t, st, acctA, a)
	view(t, st, acctB, func(ctx context.Context, tx store.Tx) error {
		due, err := tx.Due(ctx, t0.Add(time.Hour), 10)
		if len(due) != 0 {
			t.Errorf("B's Due lists %q of A", ids(due))
		}
		return err
	})
	update(t, st, acctA, func(ctx context.Context, tx store.Tx) error {
		return tx.PutClientToken(ctx, store.ClientToken{Action: "RunInstances", Token: "tok", Hash: "h", Response: []byte(`{}`), Created: t0})
	})
	view(t, st, acctB, func(ctx context.Context, tx store.Tx) error {
		if _, err := tx.ClientToken(ctx, "RunInstances", "tok"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("B reads A's client token: %v, want ErrNotFound", err)
		}
		return nil
	})
}

func testRollbackOnError(t *testing.T, st store.Store) {
	ctx := context.Background()
	put(t, st, acctA, rec(kindWidget, "keep", "r", "status", "Running"))
	update(t, st, acctA, func(ctx context.Context, tx store.Tx) error { return tx.PutMeta(ctx, "m", []byte(`"before"`)) })

	err := st.Update(ctx, acctA, func(tx store.Tx) error {
		steps := []error{
			store.PutRaw(ctx, tx, rec(kindWidget, "new", "r", "status", "Running")),
			store.PutRaw(ctx, tx, rec(kindWidget, "keep", "r", "status", "Changed")),
			tx.PutMeta(ctx, "m", []byte(`"after"`)),
			tx.PutMeta(ctx, "other", []byte(`"x"`)),
			tx.PutClientToken(ctx, store.ClientToken{Action: "A", Token: "t", Hash: "h", Response: []byte(`{}`), Created: t0}),
		}
		for _, err := range steps {
			if err != nil {
				return fmt.Errorf("unexpected: %w", err)
			}
		}
		if _, err := tx.Delete(ctx, kindWidget, "keep"); err != nil {
			return fmt.Errorf("unexpected: %w", err)
		}
		return fmt.Errorf("wrapped: %w", errBoom)
	})
	if !errors.Is(err, errBoom) {
		t.Fatalf("Update returned %v, want the closure's error", err)
	}
	mustNotFind(t, st, acctA, kindWidget, "new")
	if got := mustGet(t, st, acctA, kindWidget, "keep"); got.ID != "keep" {
		t.Errorf("keep: %+v", got)
	}
	wantIDs(t, "status=Running after rollback", query(t, st, acctA, store.Query{Kind: kindWidget, Filters: []store.Filter{{Name: "status", Values: []string{"Running"}}}, Limit: 10}).Records, "keep")
	wantIDs(t, "status=Changed after rollback", query(t, st, acctA, store.Query{Kind: kindWidget, Filters: []store.Filter{{Name: "status", Values: []string{"Changed"}}}, Limit: 10}).Records)
	view(t, st, acctA, func(ctx context.Context, tx store.Tx) error {
		if _, err := tx.ClientToken(ctx, "A", "t"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("client token after rollback: %v, want ErrNotFound", err)
		}
		return nil
	})
	err = st.Meta(ctx, func(m store.MetaTx) error {
		if v, err := m.GetMeta(ctx, "m"); err != nil || !jsonEqual(v, []byte(`"before"`)) {
			t.Errorf("meta m after rollback: %s, %v; want \"before\"", v, err)
		}
		if _, err := m.GetMeta(ctx, "other"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("meta other after rollback: %v, want ErrNotFound", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	// A Meta transaction rolls back the same way.
	err = st.Meta(ctx, func(m store.MetaTx) error {
		if err := m.PutMeta(ctx, "m", []byte(`"meta-after"`)); err != nil {
			return err
		}
		return errBoom
	})
	if !errors.Is(err, errBoom) {
		t.Fatalf("Meta returned %v, want the closure's error", err)
	}
	err = st.Meta(ctx, func(m store.MetaTx) error {
		if v, err := m.GetMeta(ctx, "m"); err != nil || !jsonEqual(v, []byte(`"before"`)) {
			t.Errorf("meta m after Meta rollback: %s, %v; want \"before\"", v, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	// The store is still usable, and a later commit keeps creation order.
	put(t, st, acctA, rec(kindWidget, "later", "r"))
	wantIDs(t, "after rollback", query(t, st, acctA, store.Query{Kind: kindWidget, Limit: 10}).Records, "keep", "later")
}

func testViewDoesNotWrite(t *testing.T, st store.Store) {
	ctx := context.Background()
	// A backend may refuse the write or drop it; it must never keep it.
	_ = st.View(ctx, acctA, func(tx store.Tx) error {
		_ = store.PutRaw(ctx, tx, rec(kindWidget, "w-1", "r"))
		return nil
	})
	mustNotFind(t, st, acctA, kindWidget, "w-1")
}

func testMeta(t *testing.T, st store.Store) {
	ctx := context.Background()
	meta := func(fn func(m store.MetaTx) error) {
		t.Helper()
		if err := st.Meta(ctx, fn); err != nil {
			t.Fatalf("Meta: %v", err)
		}
	}
	meta(func(m store.MetaTx) error {
		if v, err := m.GetMeta(ctx, "config"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("GetMeta of an unset key: %q, %v; want ErrNotFound", v, err)
		}
		return m.PutMeta(ctx, "config", []byte(`{"profile":"fast"}`))
	})
	meta(func(m store.MetaTx) error {
		v, err := m.GetMeta(ctx, "config")
		if err != nil || !jsonEqual(v, []byte(`{"profile":"fast"}`)) {
			t.Errorf("GetMeta after PutMeta: %s, %v", v, err)
		}
		return m.PutMeta(ctx, "config", []byte(`{"profile":"realistic"}`))
	})
	meta(func(m store.MetaTx) error {
		if v, err := m.GetMeta(ctx, "config"); err != nil || !jsonEqual(v, []byte(`{"profile":"realistic"}`)) {
			t.Errorf("GetMeta after overwrite: %s, %v", v, err)
		}
		return nil
	})
	// Meta is server-wide: one value whichever account's transaction reads or writes it.
	update(t, st, acctA, func(ctx context.Context, tx store.Tx) error {
		if v, err := tx.GetMeta(ctx, "config"); err != nil || !jsonEqual(v, []byte(`{"profile":"realistic"}`)) {
			t.Errorf("GetMeta in A's transaction: %s, %v", v, err)
		}
		return tx.PutMeta(ctx, "clock", []byte(`{"frozen":true}`))
	})
	view(t, st, acctB, func(ctx context.Context, tx store.Tx) error {
		if v, err := tx.GetMeta(ctx, "clock"); err != nil || !jsonEqual(v, []byte(`{"frozen":true}`)) {
			t.Errorf("GetMeta in B's transaction of what A wrote: %s, %v", v, err)
		}
		return nil
	})
	meta(func(m store.MetaTx) error {
		if v, err := m.GetMeta(ctx, "clock"); err != nil || !jsonEqual(v, []byte(`{"frozen":true}`)) {
			t.Errorf("GetMeta of what A's transaction wrote: %s, %v", v, err)
		}
		return nil
	})
}

func testClientTokens(t *testing.T, st store.Store) {
	ct := store.ClientToken{Action: "RunInstances", Token: "tok-1", Hash: "abc123", Response: []byte(`{"InstanceIdSets":{"InstanceIdSet":["i-1"]}}`), Created: t0}
	view(t, st, acctA, func(ctx context.Context, tx store.Tx) error {
		if _, err := tx.ClientToken(ctx, ct.Action, ct.Token); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("ClientToken before Put: %v, want ErrNotFound", err)
		}
		return nil
	})
	update(t, st, acctA, func(ctx context.Context, tx store.Tx) error { return tx.PutClientToken(ctx, ct) })
	view(t, st, acctA, func(ctx context.Context, tx store.Tx) error {
		got, err := tx.ClientToken(ctx, ct.Action, ct.Token)
		if err != nil {
			return err
		}
		if got.Action != ct.Action || got.Token != ct.Token || got.Hash != ct.Hash || !jsonEqual(got.Response, ct.Response) || !got.Created.Equal(ct.Created) {
			t.Errorf("ClientToken: %+v, want %+v", got, ct)
		}
		// A token is per action.
		if _, err := tx.ClientToken(ctx, "CreateDisk", ct.Token); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("same token, other action: %v, want ErrNotFound", err)
		}
		if _, err := tx.ClientToken(ctx, ct.Action, "tok-2"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("other token: %v, want ErrNotFound", err)
		}
		return nil
	})
}

func testUseNonce(t *testing.T, st store.Store) {
	ctx := context.Background()
	use := func(key, nonce string, at time.Time, want bool) {
		t.Helper()
		fresh, err := st.UseNonce(ctx, key, nonce, at)
		if err != nil {
			t.Fatalf("UseNonce(%s, %s, %v): %v", key, nonce, at, err)
		}
		if fresh != want {
			t.Errorf("UseNonce(%s, %s, %v) = %v, want %v", key, nonce, at.Sub(t0), fresh, want)
		}
	}
	use("key1", "n-1", t0, true)
	use("key1", "n-1", t0, false)
	use("key1", "n-1", t0.Add(time.Minute), false)
	use("key1", "n-1", t0.Add(store.NonceWindow-time.Second), false)
	use("key2", "n-1", t0, true) // nonces are per access key
	use("key1", "n-2", t0, true)
	// Nonces ending in any character, so that a backend's occasional
	// clean-up runs too.
	for _, c := range "0123456789abcdefghijklmnopqrstuvwxyz" {
		use("key1", "n-x"+string(c), t0.Add(time.Second), true)
	}
	// Once the window has passed the nonce is forgotten and fresh again,
	// then remembered anew.
	later := t0.Add(store.NonceWindow + time.Second)
	use("key1", "n-1", later, true)
	use("key1", "n-1", later, false)
	use("key1", "n-1", later.Add(time.Minute), false)
	use("key2", "n-1", later, true)
}

// testUseNonceConcurrent: of many concurrent uses of one nonce exactly one
// is fresh, and concurrent uses of distinct nonces are each fresh, however
// a backend writes them together.
func testUseNonceConcurrent(t *testing.T, st store.Store) {
	ctx := context.Background()
	const n = 24
	for round := range 3 {
		var fresh atomic.Int64
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				nonce := fmt.Sprintf("same-%d", round)
				if i%2 == 1 {
					nonce = fmt.Sprintf("own-%d-%d", round, i)
				}
				ok, err := st.UseNonce(ctx, "key", nonce, t0)
				if err != nil {
					t.Error(err)
					return
				}
				if !ok && i%2 == 1 {
					t.Errorf("a distinct nonce %s was refused", nonce)
				}
				if ok && i%2 == 0 {
					fresh.Add(1)
				}
			}()
		}
		wg.Wait()
		if got := fresh.Load(); got != 1 {
			t.Errorf("round %d: %d of %d concurrent uses of one nonce were fresh, want 1", round, got, n/2)
		}
	}
}

func testDue(t *testing.T, st store.Store) {
	mk := func(id string, due time.Time) store.Record {
		r := rec(kindWidget, id, "r", "status", "Pending")
		r.Due = due
		return r
	}
	put(t, st, acctA,
		mk("a", t0.Add(1*time.Minute)),
		mk("b", t0.Add(3*time.Minute)),
		mk("c", t0.Add(2*time.Minute)),
		mk("never", time.Time{}),
		mk("e", t0.Add(10*time.Minute)),
	)
	gadget := rec(kindGadget, "g", "r")
	gadget.Due = t0.Add(90 * time.Second)
	put(t, st, acctA, gadget)

	due := func(at time.Time, limit int, want ...string) {
		t.Helper()
		view(t, st, acctA, func(ctx context.Context, tx store.Tx) error {
			got, err := tx.Due(ctx, at, limit)
			if err != nil {
				return err
			}
			wantIDs(t, fmt.Sprintf("Due(t0%+v, %d)", at.Sub(t0), limit), got, want...)
			for _, r := range got {
				if r.Kind == "" || r.Due.IsZero() || r.Due.After(at) || len(r.Data) == 0 {
					t.Errorf("Due(t0%+v): record %+v lacks kind, due or data", at.Sub(t0), r)
				}
			}
			return nil
		})
	}
	due(t0, 10)
	due(t0.Add(time.Minute), 10, "a") // at the due time: due
	due(t0.Add(3*time.Minute), 10, "a", "g", "c", "b")
	due(t0.Add(3*time.Minute), 2, "a", "g")
	due(t0.Add(1000*time.Hour), 10, "a", "g", "c", "b", "e")

	view(t, st, acctA, func(ctx context.Context, tx store.Tx) error {
		got, err := tx.Due(ctx, t0.Add(time.Minute), 10)
		if err == nil && len(got) == 1 && (got[0].Kind != kindWidget || !got[0].Due.Equal(t0.Add(time.Minute))) {
			t.Errorf("Due record a: kind %q due %v", got[0].Kind, got[0].Due)
		}
		return err
	})

	// Clearing a due time takes a record out; setting one puts it in.
	put(t, st, acctA, mk("a", time.Time{}), mk("never", t0.Add(150*time.Second)))
	due(t0.Add(3*time.Minute), 10, "g", "c", "never", "b")
	update(t, st, acctA, func(ctx context.Context, tx store.Tx) error { _, err := tx.Delete(ctx, kindWidget, "c"); return err })
	due(t0.Add(3*time.Minute), 10, "g", "never", "b")
}

func testDueAccounts(t *testing.T, st store.Store) {
	ctx := context.Background()
	mk := func(id string, due time.Time) store.Record {
		r := rec(kindWidget, id, "r")
		r.Due = due
		return r
	}
	dueAccounts := func(at time.Time, want ...string) {
		t.Helper()
		got, err := st.DueAccounts(ctx, at)
		if err != nil {
			t.Fatalf("DueAccounts: %v", err)
		}
		if g := sorted(got); !slices.Equal(g, sorted(want)) {
			t.Errorf("DueAccounts(t0%+v) = %q, want %q", at.Sub(t0), g, sorted(want))
		}
	}
	dueAccounts(t0.Add(time.Hour))
	put(t, st, acctA, mk("a1", t0.Add(time.Minute)), mk("a2", t0.Add(2*time.Minute)))
	put(t, st, acctB, mk("b1", t0.Add(5*time.Minute)))
	put(t, st, acctC, mk("c1", time.Time{}))
	dueAccounts(t0)
	dueAccounts(t0.Add(time.Minute), acctA)
	dueAccounts(t0.Add(3*time.Minute), acctA)
	dueAccounts(t0.Add(5*time.Minute), acctA, acctB)
	dueAccounts(t0.Add(1000*time.Hour), acctA, acctB)
	put(t, st, acctA, mk("a1", time.Time{}), mk("a2", time.Time{}))
	dueAccounts(t0.Add(1000*time.Hour), acctB)
}

func testAccountsOf(t *testing.T, st store.Store) {
	ctx := context.Background()
	put(t, st, acctA, rec(kindWidget, "w-1", "r"), rec(kindGadget, "g-1", "r"))
	put(t, st, acctB, rec(kindWidget, "w-1", "r2"))
	put(t, st, acctC, rec(kindWidget, "w-2", "r"), rec(kindGadget, "w-1", "r"))
	for _, c := range []struct {
		kind, id string
		want     []string
	}{
		{kindWidget, "w-1", []string{acctA, acctB}},
		{kindWidget, "w-2", []string{acctC}},
		{kindGadget, "w-1", []string{acctC}},
		{kindGadget, "g-1", []string{acctA}},
		{kindWidget, "w-404", nil},
	} {
		got, err := st.AccountsOf(ctx, c.kind, c.id)
		if err != nil {
			t.Fatalf("AccountsOf(%s, %s): %v", c.kind, c.id, err)
		}
		if g := sorted(got); !slices.Equal(g, sorted(c.want)) {
			t.Errorf("AccountsOf(%s, %s) = %q, want %q", c.kind, c.id, g, sorted(c.want))
		}
	}
	update(t, st, acctB, func(ctx context.Context, tx store.Tx) error { _, err := tx.Delete(ctx, kindWidget, "w-1"); return err })
	if got, err := st.AccountsOf(ctx, kindWidget, "w-1"); err != nil || !slices.Equal(got, []string{acctA}) {
		t.Errorf("AccountsOf after B's delete = %q, %v; want [%s]", got, err, acctA)
	}
}

func testHooks(t *testing.T, st store.Store) {
	ctx := context.Background()
	// The due-event hook: every due record becomes "Done" with no due time,
	// inside the transaction about to run.
	var calls atomic.Int64
	var failWith atomic.Pointer[error]
	st.SetHooks(store.Hooks{
		Now: func(ctx context.Context, m store.MetaTx) (time.Time, error) {
			// Emulated time lives in meta, read inside the transaction.
			v, err := m.GetMeta(ctx, "test-now")
			if errors.Is(err, store.ErrNotFound) {
				return t0, nil
			}
			if err != nil {
				return time.Time{}, err
			}
			return time.Parse(time.RFC3339, string(v))
		},
		BeforeUpdate: func(ctx context.Context, tx store.Tx) error {
			calls.Add(1)
			if p := failWith.Load(); p != nil {
				return *p
			}
			due, err := tx.Due(ctx, tx.Now(), 100)
			if err != nil {
				return err
			}
			for _, r := range due {
				r.Due, r.Data = time.Time{}, doc(r.ID, "Done")
				if err := store.PutRaw(ctx, tx, r); err != nil {
					return err
				}
			}
			return nil
		},
	})
	setNow := func(at time.Time) {
		t.Helper()
		if err := st.Meta(ctx, func(m store.MetaTx) error { return m.PutMeta(ctx, "test-now", []byte(at.Format(time.RFC3339))) }); err != nil {
			t.Fatal(err)
		}
	}
	status := func(r store.Record) string {
		var d struct{ Status string }
		json.Unmarshal(r.Data, &d)
		return d.Status
	}

	update(t, st, acctA, func(ctx context.Context, tx store.Tx) error {
		if !tx.Now().Equal(t0) {
			t.Errorf("Update: Now %v, want the hook's %v", tx.Now(), t0)
		}
		if tx.Account() != acctA {
			t.Errorf("Update: Account %q, want %q", tx.Account(), acctA)
		}
		r := rec(kindWidget, "w-1", "r")
		r.Due, r.Data = t0.Add(time.Minute), doc("w-1", "Pending")
		return store.PutRaw(ctx, tx, r)
	})
	if calls.Load() == 0 {
		t.Errorf("Update did not run BeforeUpdate")
	}
	setNow(t0.Add(time.Minute))
	// A read after the due time sees the event applied.
	view(t, st, acctA, func(ctx context.Context, tx store.Tx) error {
		if !tx.Now().Equal(t0.Add(time.Minute)) {
			t.Errorf("View: Now %v, want %v", tx.Now(), t0.Add(time.Minute))
		}
		r, err := tx.Get(ctx, kindWidget, "w-1")
		if err != nil {
			return err
		}
		if status(r) != "Done" || !r.Due.IsZero() {
			t.Errorf("View after the due time: status %q due %v; want the event applied", status(r), r.Due)
		}
		return nil
	})

	// BeforeUpdate runs in the same transaction as fn: fn sees its writes,
	// fn's error rolls them back, its error stops fn.
	r := rec(kindWidget, "w-2", "r")
	r.Due, r.Data = t0.Add(2*time.Minute), doc("w-2", "Pending")
	put(t, st, acctA, r)
	setNow(t0.Add(2 * time.Minute))
	err := st.Update(ctx, acctA, func(tx store.Tx) error {
		got, err := tx.Get(ctx, kindWidget, "w-2")
		if err != nil {
			return err
		}
		if status(got) != "Done" {
			t.Errorf("fn does not see BeforeUpdate's write: status %q", status(got))
		}
		return errBoom
	})
	if !errors.Is(err, errBoom) {
		t.Fatalf("Update: %v, want the closure's error", err)
	}
	hookErr := fmt.Errorf("hook: %w", errBoom)
	failWith.Store(&hookErr)
	ran := false
	err = st.Update(ctx, acctA, func(tx store.Tx) error { ran = true; return nil })
	if !errors.Is(err, errBoom) || ran {
		t.Errorf("Update with a failing BeforeUpdate: %v, fn ran %v; want the hook's error and fn not run", err, ran)
	}
	failWith.Store(nil)
	// The rolled-back application happens again at the next transaction.
	got := mustGet(t, st, acctA, kindWidget, "w-2")
	if status(got) != "Done" {
		t.Errorf("w-2 after the next transaction: status %q, want Done", status(got))
	}
}

func testReset(t *testing.T, st store.Store) {
	ctx := context.Background()
	due := rec(kindWidget, "w-1", "r", "status", "Running")
	due.Due = t0
	put(t, st, acctA, due, rec(kindGadget, "g-1", "r"))
	put(t, st, acctB, rec(kindWidget, "w-1", "r"))
	update(t, st, acctA, func(ctx context.Context, tx store.Tx) error {
		if err := tx.PutClientToken(ctx, store.ClientToken{Action: "A", Token: "t", Hash: "h", Response: []byte(`{}`), Created: t0}); err != nil {
			return err
		}
		return tx.PutMeta(ctx, "config", []byte(`{"kept":true}`))
	})

	if err := st.Reset(ctx); err != nil {
		t.Fatalf("Reset: %v", err)
	}
	mustNotFind(t, st, acctA, kindWidget, "w-1")
	mustNotFind(t, st, acctA, kindGadget, "g-1")
	mustNotFind(t, st, acctB, kindWidget, "w-1")
	if page := query(t, st, acctA, store.Query{Kind: kindWidget, Filters: []store.Filter{{Name: "status", Values: []string{"Running"}}}, Limit: 10, Count: true}); page.Total != 0 || len(page.Records) != 0 {
		t.Errorf("query after Reset: %q (Total %d)", ids(page.Records), page.Total)
	}
	if got, err := st.DueAccounts(ctx, t0.Add(time.Hour)); err != nil || len(got) != 0 {
		t.Errorf("DueAccounts after Reset: %q, %v", got, err)
	}
	if got, err := st.AccountsOf(ctx, kindWidget, "w-1"); err != nil || len(got) != 0 {
		t.Errorf("AccountsOf after Reset: %q, %v", got, err)
	}
	view(t, st, acctA, func(ctx context.Context, tx store.Tx) error {
		if _, err := tx.ClientToken(ctx, "A", "t"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("client token after Reset: %v, want ErrNotFound", err)
		}
		if v, err := tx.GetMeta(ctx, "config"); err != nil || !jsonEqual(v, []byte(`{"kept":true}`)) {
			t.Errorf("meta after Reset: %s, %v; want it kept", v, err)
		}
		return nil
	})

	// The store goes on working, and the same ids may be used again.
	put(t, st, acctA, rec(kindWidget, "w-1", "r", "status", "Running"), rec(kindWidget, "w-2", "r", "status", "Running"))
	wantIDs(t, "after Reset", query(t, st, acctA, store.Query{Kind: kindWidget, Filters: []store.Filter{{Name: "status", Values: []string{"Running"}}}, Limit: 10}).Records, "w-1", "w-2")
}

// testRaceOneWinner is the release race of style.md (d): of several
// concurrent Updates that each release a Running record, exactly one wins.
func testRaceOneWinner(t *testing.T, st store.Store) {
	const workers = 8
	ctx := context.Background()
	running := rec(kindWidget, "i-1", "r", "status", "Running")
	running.Data = doc("i-1", "Running")
	put(t, st, acctA, running)

	var wins, conflicts atomic.Int64
	var wg sync.WaitGroup
	start := make(chan struct{})
	errs := make(chan error, workers)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			var won bool
			err := st.Update(ctx, acctA, func(tx store.Tx) error {
				// A backend may run the closure again after a conflict:
				// decide afresh every time.
				won = false
				r, err := tx.Get(ctx, kindWidget, "i-1")
				if err != nil {
					return err
				}
				var d struct{ Status string }
				if err := json.Unmarshal(r.Data, &d); err != nil {
					return err
				}
				if d.Status != "Running" {
					return nil
				}
				r.Data = doc("i-1", fmt.Sprintf("Releasing by %d", w))
				r.Attrs = []store.Attr{{Name: "status", Value: "Releasing"}}
				if err := store.PutRaw(ctx, tx, r); err != nil {
					return err
				}
				won = true
				return nil
			})
			switch {
			case err == nil && won:
				wins.Add(1)
			case errors.Is(err, store.ErrConflict):
				conflicts.Add(1) // a loss: the caller would retry and find it Releasing
			case err != nil:
				errs <- err
			}
		}()
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("Update: %v", err)
	}
	if n := wins.Load(); n != 1 {
		t.Errorf("%d of %d concurrent releases won (%d conflicts), want exactly 1", n, workers, conflicts.Load())
	}
	got := mustGet(t, st, acctA, kindWidget, "i-1")
	var d struct{ Status string }
	json.Unmarshal(got.Data, &d)
	if len(d.Status) < len("Releasing") || d.Status[:len("Releasing")] != "Releasing" {
		t.Errorf("final status %q, want Releasing", d.Status)
	}
	wantIDs(t, "status=Releasing", query(t, st, acctA, store.Query{Kind: kindWidget, Filters: []store.Filter{{Name: "status", Values: []string{"Releasing"}}}, Limit: 10}).Records, "i-1")
	wantIDs(t, "status=Running", query(t, st, acctA, store.Query{Kind: kindWidget, Filters: []store.Filter{{Name: "status", Values: []string{"Running"}}}, Limit: 10}).Records)
}

// testConcurrentInserts: concurrent writers of distinct records all commit,
// each record with its own creation sequence.
func testConcurrentInserts(t *testing.T, st store.Store) {
	const workers, each = 8, 5
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			account := acctA
			if w%2 == 1 {
				account = acctB
			}
			for i := range each {
				id := fmt.Sprintf("w-%d-%d", w, i)
				if err := st.Update(ctx, account, func(tx store.Tx) error {
					return store.PutRaw(ctx, tx, rec(kindWidget, id, "r", "worker", fmt.Sprint(w)))
				}); err != nil {
					errs <- fmt.Errorf("Put %s: %w", id, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	for _, account := range []string{acctA, acctB} {
		seqs := map[int64]string{}
		page := query(t, st, account, store.Query{Kind: kindWidget, Limit: 100, Count: true})
		if page.Total != workers/2*each {
			t.Errorf("account %s: %d records, want %d", account, page.Total, workers/2*each)
		}
		for _, r := range page.Records {
			if other, dup := seqs[r.Seq]; dup {
				t.Errorf("Seq %d given to both %s and %s", r.Seq, other, r.ID)
			}
			seqs[r.Seq] = r.ID
		}
		// Each worker's records keep their creation order.
		for w := range workers {
			page := query(t, st, account, store.Query{Kind: kindWidget, Filters: []store.Filter{{Name: "worker", Values: []string{fmt.Sprint(w)}}}, Limit: 100})
			if len(page.Records) == 0 {
				continue
			}
			var want []string
			for i := range each {
				want = append(want, fmt.Sprintf("w-%d-%d", w, i))
			}
			wantIDs(t, fmt.Sprintf("worker %d", w), page.Records, want...)
		}
	}
}

// widget is a typed resource for the journal tests: store.Put and
// store.Delete record what they change. It borrows a declared kind
// (kindTyped) whose indexes include status, as typed writes check the
// registry.
const kindTyped = cloud.KindVPC

type widget struct {
	ID     string    `json:"id"`
	Region string    `json:"region"`
	Status string    `json:"status"`
	Due    time.Time `json:"due,omitzero"`
}

func (widget) Kind() string             { return kindTyped }
func (w widget) Key() string            { return w.ID }
func (w widget) RegionID() string       { return w.Region }
func (w widget) Indexes() []cloud.Index { return []cloud.Index{{Name: "status", Value: w.Status}} }
func (w widget) NextDue() time.Time     { return w.Due }

// changesOf runs fn in an Update and answers the journal's changes as the
// transaction saw them just before commit.
func changesOf(tb testing.TB, st store.Store, account string, fn func(ctx context.Context, tx store.Tx) error) []store.Change {
	tb.Helper()
	var out []store.Change
	update(tb, st, account, func(ctx context.Context, tx store.Tx) error {
		if err := fn(ctx, tx); err != nil {
			return err
		}
		if err := store.Flush(ctx, tx); err != nil {
			return err
		}
		out = tx.Journal().Changes()
		return nil
	})
	return out
}

func wantChanges(tb testing.TB, what string, got []store.Change, want ...store.Change) {
	tb.Helper()
	if len(got) == 0 && len(want) == 0 {
		return
	}
	if !reflect.DeepEqual(got, want) {
		tb.Errorf("%s: changes\n%+v\nwant\n%+v", what, got, want)
	}
}

func testJournal(t *testing.T, st store.Store) {
	// Created, then updated: one change per resource, net of the transaction.
	got := changesOf(t, st, acctA, func(ctx context.Context, tx store.Tx) error {
		if len(tx.Journal().Changes()) != 0 {
			t.Errorf("a new transaction's journal is not empty: %+v", tx.Journal().Changes())
		}
		if err := store.Put(ctx, tx, widget{ID: "w-1", Region: "r", Status: "Pending"}); err != nil {
			return err
		}
		if err := store.Put(ctx, tx, widget{ID: "w-1", Region: "r", Status: "Running"}); err != nil {
			return err
		}
		return store.Put(ctx, tx, widget{ID: "w-2", Region: "r", Status: "Stopped"})
	})
	wantChanges(t, "create", got,
		store.Change{Kind: kindTyped, ID: "w-1", Region: "r", Op: store.Created, StatusAfter: "Running"},
		store.Change{Kind: kindTyped, ID: "w-2", Region: "r", Op: store.Created, StatusAfter: "Stopped"})

	got = changesOf(t, st, acctA, func(ctx context.Context, tx store.Tx) error {
		// Written back unchanged: no change.
		if err := store.Put(ctx, tx, widget{ID: "w-2", Region: "r", Status: "Stopped"}); err != nil {
			return err
		}
		// A due event (the clock marks the journal) then the call itself.
		tx.Journal().Due = true
		if err := store.Put(ctx, tx, widget{ID: "w-1", Region: "r", Status: "Stopping"}); err != nil {
			return err
		}
		tx.Journal().Due = false
		if err := store.Delete[widget](ctx, tx, "w-2"); err != nil {
			return err
		}
		// Created and deleted again: no change.
		if err := store.Put(ctx, tx, widget{ID: "w-3", Region: "r", Status: "Pending"}); err != nil {
			return err
		}
		return store.Delete[widget](ctx, tx, "w-3")
	})
	wantChanges(t, "update and delete", got,
		store.Change{Kind: kindTyped, ID: "w-2", Region: "r", Op: store.Deleted, StatusBefore: "Stopped"},
		store.Change{Kind: kindTyped, ID: "w-1", Region: "r", Op: store.Updated, StatusBefore: "Running", StatusAfter: "Stopping", Due: true})

	// Delete of an absent resource is ErrNotFound and records nothing.
	got = changesOf(t, st, acctA, func(ctx context.Context, tx store.Tx) error {
		if err := store.Delete[widget](ctx, tx, "nope"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("Delete of an absent widget: %v, want ErrNotFound", err)
		}
		return nil
	})
	wantChanges(t, "absent delete", got)

	// The journal is per transaction: a rolled-back one leaves nothing to the next.
	ctx := context.Background()
	st.Update(ctx, acctA, func(tx store.Tx) error {
		store.Put(ctx, tx, widget{ID: "w-9", Region: "r", Status: "Pending"})
		return errBoom
	})
	got = changesOf(t, st, acctA, func(ctx context.Context, tx store.Tx) error { return nil })
	wantChanges(t, "after a rollback", got)
}

func testAfterCommit(t *testing.T, st store.Store) {
	ctx := context.Background()
	type call struct {
		account string
		changes []store.Change
		visible bool // the change was committed when the hook ran
		ctxOK   bool
	}
	type ctxKey struct{}
	var mu sync.Mutex
	var calls []call
	st.SetHooks(store.Hooks{
		Now: func(context.Context, store.MetaTx) (time.Time, error) { return t0, nil },
		BeforeUpdate: func(ctx context.Context, tx store.Tx) error {
			// Due events: every due widget becomes Done, marked as such.
			due, err := tx.Due(ctx, tx.Now(), 100)
			if err != nil {
				return err
			}
			tx.Journal().Due = true
			defer func() { tx.Journal().Due = false }()
			for _, r := range due {
				if err := store.Put(ctx, tx, widget{ID: r.ID, Region: r.Region, Status: "Done"}); err != nil {
					return err
				}
			}
			return nil
		},
		AfterCommit: func(hctx context.Context, account string, changes []store.Change) {
			c := call{account: account, changes: changes, ctxOK: hctx.Value(ctxKey{}) == "mine"}
			// Another transaction sees the change: the hook runs after commit.
			if len(changes) > 0 && changes[0].Op != store.Deleted {
				_, err := get(t, st, account, changes[0].Kind, changes[0].ID)
				c.visible = err == nil
			}
			mu.Lock()
			calls = append(calls, c)
			mu.Unlock()
		},
	})
	taken := func() []call {
		mu.Lock()
		defer mu.Unlock()
		out := calls
		calls = nil
		return out
	}
	mine := context.WithValue(ctx, ctxKey{}, "mine")

	if err := st.Update(mine, acctA, func(tx store.Tx) error {
		return store.Put(mine, tx, widget{ID: "w-1", Region: "r", Status: "Running"})
	}); err != nil {
		t.Fatal(err)
	}
	got := taken()
	if len(got) != 1 || got[0].account != acctA || !got[0].visible || !got[0].ctxOK {
		t.Fatalf("AfterCommit after a commit: %+v; want one call for %s with the Update's ctx, after the commit", got, acctA)
	}
	wantChanges(t, "AfterCommit", got[0].changes, store.Change{Kind: kindTyped, ID: "w-1", Region: "r", Op: store.Created, StatusAfter: "Running"})

	// A rolled-back transaction (a DryRun, a refusal) publishes nothing.
	err := st.Update(mine, acctA, func(tx store.Tx) error {
		if err := store.Put(mine, tx, widget{ID: "w-2", Region: "r", Status: "Running"}); err != nil {
			return err
		}
		return errBoom
	})
	if !errors.Is(err, errBoom) {
		t.Fatalf("Update: %v", err)
	}
	// Nor does a transaction that changed nothing, nor a View without due events.
	update(t, st, acctA, func(ctx context.Context, tx store.Tx) error { return nil })
	view(t, st, acctA, func(ctx context.Context, tx store.Tx) error { return nil })
	if got := taken(); len(got) != 0 {
		t.Errorf("AfterCommit for rolled-back or empty transactions: %+v", got)
	}

	// Due events applied for a View are published with the View's ctx,
	// marked Due.
	update(t, st, acctB, func(ctx context.Context, tx store.Tx) error {
		tx.Journal().Due = false
		r := rec(kindTyped, "w-due", "r")
		r.Due = t0
		return store.PutRaw(ctx, tx, r) // raw Put: not journaled
	})
	taken()
	if err := st.View(mine, acctB, func(tx store.Tx) error { return nil }); err != nil {
		t.Fatal(err)
	}
	got = taken()
	if len(got) != 1 || got[0].account != acctB || !got[0].ctxOK {
		t.Fatalf("AfterCommit of due events a View applied: %+v", got)
	}
	wantChanges(t, "due events", got[0].changes, store.Change{Kind: kindTyped, ID: "w-due", Region: "r", Op: store.Updated, StatusBefore: "", StatusAfter: "Done", Due: true})
}

// event is a small audit event.
func event(account, action, code string, at time.Time, resources ...string) store.Event {
	return store.Event{Account: account, Action: action, Code: code, Time: at, HTTPStatus: 200, Product: "Ecs",
		Params: map[string]string{"RegionId": "r"}, Resources: resources,
		Changes: []store.Change{{Kind: kindWidget, ID: "w-1", Op: store.Created, StatusAfter: "Running"}}}
}

func events(tb testing.TB, st store.Store, f store.EventFilter) []store.Event {
	tb.Helper()
	out, err := st.Events(context.Background(), f)
	if err != nil {
		tb.Fatalf("Events(%+v): %v", f, err)
	}
	return out
}

func actions(evs []store.Event) []string {
	out := []string{}
	for _, e := range evs {
		out = append(out, e.Action)
	}
	return out
}

func testEvents(t *testing.T, st store.Store) {
	ctx := context.Background()
	if got := events(t, st, store.EventFilter{}); len(got) != 0 {
		t.Fatalf("a new store's log: %+v", got)
	}
	first := []store.Event{
		event(acctA, "RunInstances", "OK", t0, "i-1"),
		event(acctA, "DeleteInstances", "IncorrectInstanceStatus", t0.Add(time.Minute), "i-1"),
		event(acctB, "RunInstances", "OK", t0.Add(2*time.Minute), "i-2"),
	}
	first[1].Seq = 99 // ignored
	first[1].Detail = "release refused (running without Force): instance i-1 is Running and Force is not true"
	if err := st.AppendEvents(ctx, first, 0); err != nil {
		t.Fatalf("AppendEvents: %v", err)
	}
	if err := st.AppendEvents(ctx, []store.Event{event(acctA, "DescribeInstances", "OK", t0.Add(3*time.Minute))}, 0); err != nil {
		t.Fatalf("AppendEvents: %v", err)
	}
	if err := st.AppendEvents(ctx, nil, 0); err != nil {
		t.Fatalf("AppendEvents(nil): %v", err)
	}
	all := events(t, st, store.EventFilter{})
	if got, want := actions(all), []string{"DescribeInstances", "RunInstances", "DeleteInstances", "RunInstances"}; !slices.Equal(got, want) {
		t.Fatalf("Events newest first: %q, want %q", got, want)
	}
	for i := 1; i < len(all); i++ {
		if all[i].Seq >= all[i-1].Seq || all[i].Seq <= 0 {
			t.Errorf("Seqs not descending and positive: %d then %d", all[i-1].Seq, all[i].Seq)
		}
	}
	// The event comes back whole.
	d := all[2]
	want := first[1]
	want.Seq = d.Seq
	if !d.Time.Equal(want.Time) {
		t.Errorf("event time %v, want %v", d.Time, want.Time)
	}
	d.Time, want.Time = time.Time{}, time.Time{}
	if !reflect.DeepEqual(d, want) {
		t.Errorf("event read back\n%+v\nwant\n%+v", d, want)
	}

	for _, c := range []struct {
		name string
		f    store.EventFilter
		want []string
	}{
		{"Account", store.EventFilter{Account: acctB}, []string{"RunInstances"}},
		{"Action", store.EventFilter{Action: "RunInstances"}, []string{"RunInstances", "RunInstances"}},
		{"Code", store.EventFilter{Code: "IncorrectInstanceStatus"}, []string{"DeleteInstances"}},
		{"CodeOK", store.EventFilter{Code: "OK", Account: acctA}, []string{"DescribeInstances", "RunInstances"}},
		{"ResourceID", store.EventFilter{ResourceID: "i-1"}, []string{"DeleteInstances", "RunInstances"}},
		{"Since", store.EventFilter{Since: t0.Add(2 * time.Minute)}, []string{"DescribeInstances", "RunInstances"}},
		{"Limit", store.EventFilter{Limit: 2}, []string{"DescribeInstances", "RunInstances"}},
		{"BeforeSeq", store.EventFilter{BeforeSeq: all[1].Seq, Limit: 1}, []string{"DeleteInstances"}},
		{"AND", store.EventFilter{Account: acctA, ResourceID: "i-1", Code: "OK"}, []string{"RunInstances"}},
		{"None", store.EventFilter{ResourceID: "i-404"}, []string{}},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := actions(events(t, st, c.f)); !slices.Equal(got, c.want) {
				t.Errorf("Events(%+v): %q, want %q", c.f, got, c.want)
			}
		})
	}

	// The log survives Reset: a reset is itself something that happened.
	if err := st.Reset(ctx); err != nil {
		t.Fatal(err)
	}
	if got := events(t, st, store.EventFilter{}); len(got) != 4 {
		t.Errorf("log after Reset: %d events, want 4", len(got))
	}
}

func testEventRetention(t *testing.T, st store.Store) {
	ctx := context.Background()
	for i := range 12 {
		e := event(acctA, fmt.Sprintf("A%02d", i), "OK", t0, fmt.Sprintf("i-%d", i))
		if err := st.AppendEvents(ctx, []store.Event{e}, 5); err != nil {
			t.Fatal(err)
		}
	}
	// A batch larger than the bound keeps its newest.
	var batch []store.Event
	for i := 12; i < 20; i++ {
		batch = append(batch, event(acctA, fmt.Sprintf("A%02d", i), "OK", t0, fmt.Sprintf("i-%d", i)))
	}
	if err := st.AppendEvents(ctx, batch, 5); err != nil {
		t.Fatal(err)
	}
	got := actions(events(t, st, store.EventFilter{Limit: 100}))
	if want := []string{"A19", "A18", "A17", "A16", "A15"}; !slices.Equal(got, want) {
		t.Errorf("log after 20 appends keeping 5: %q, want %q", got, want)
	}
	// Dropped events are gone from the resource index too.
	if got := events(t, st, store.EventFilter{ResourceID: "i-3"}); len(got) != 0 {
		t.Errorf("a dropped event still found by resource: %+v", got)
	}
	if got := actions(events(t, st, store.EventFilter{ResourceID: "i-17"})); !slices.Equal(got, []string{"A17"}) {
		t.Errorf("kept event by resource: %q", got)
	}
}

func testInventory(t *testing.T, st store.Store) {
	ctx := context.Background()
	if got, err := st.Inventory(ctx); err != nil || len(got) != 0 {
		t.Fatalf("Inventory of an empty store: %+v, %v", got, err)
	}
	put(t, st, acctB, rec(kindWidget, "w-1", "r2"), rec(kindWidget, "w-2", "r1"), rec(kindGadget, "g-1", "r1"))
	put(t, st, acctA, rec(kindWidget, "w-1", "r1"), rec(kindWidget, "w-3", "r1"))
	got, err := st.Inventory(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []store.Shelf{
		{Account: acctA, Region: "r1", Kind: kindWidget, Count: 2},
		{Account: acctB, Region: "r1", Kind: kindGadget, Count: 1},
		{Account: acctB, Region: "r1", Kind: kindWidget, Count: 1},
		{Account: acctB, Region: "r2", Kind: kindWidget, Count: 1},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Inventory: %+v, want %+v", got, want)
	}
}

// normalize makes a Snapshot comparable across stores: JSON documents by
// value, times in UTC, no empty attribute lists.
func normalize(s store.Snapshot) store.Snapshot {
	out := store.Snapshot{Meta: map[string][]byte{}}
	for _, r := range s.Records {
		var v any
		json.Unmarshal(r.Data, &v)
		r.Data, _ = json.Marshal(v)
		if len(r.Attrs) == 0 {
			r.Attrs = nil
		}
		r.Attrs = slices.Clone(r.Attrs)
		slices.SortFunc(r.Attrs, func(a, b store.Attr) int {
			if a.Name != b.Name {
				return strings.Compare(a.Name, b.Name)
			}
			return strings.Compare(a.Value, b.Value)
		})
		r.Due = r.Due.UTC()
		out.Records = append(out.Records, r)
	}
	for _, ct := range s.ClientTokens {
		var v any
		json.Unmarshal(ct.Response, &v)
		ct.Response, _ = json.Marshal(v)
		ct.Created = ct.Created.UTC()
		out.ClientTokens = append(out.ClientTokens, ct)
	}
	for k, v := range s.Meta {
		var x any
		if json.Unmarshal(v, &x) == nil {
			v, _ = json.Marshal(x)
		}
		out.Meta[k] = v
	}
	return out
}

func testExportImport(t *testing.T, st, other store.Store) {
	ctx := context.Background()
	empty, err := st.Export(ctx)
	if err != nil {
		t.Fatalf("Export of an empty store: %v", err)
	}
	if len(empty.Records) != 0 || len(empty.ClientTokens) != 0 {
		t.Fatalf("Export of an empty store: %+v", empty)
	}

	w := rec(kindWidget, "w-1", "r1", "status", "Running", "zone", "z")
	w.Due = t0
	put(t, st, acctA, w, rec(kindGadget, "g-1", "r1"))
	put(t, st, acctB, rec(kindWidget, "w-1", "r2", "status", "Stopped"))
	update(t, st, acctA, func(ctx context.Context, tx store.Tx) error {
		if err := tx.PutClientToken(ctx, store.ClientToken{Action: "RunInstances", Token: "t", Hash: "h", Response: []byte(`{"ok":true}`), Created: t0}); err != nil {
			return err
		}
		return tx.PutMeta(ctx, "config", []byte(`{"profile":"fast"}`))
	})
	snap, err := st.Export(ctx)
	if err != nil {
		t.Fatalf("Export: %v", err)
	}
	if len(snap.Records) != 3 || len(snap.ClientTokens) != 1 {
		t.Fatalf("Export: %d records, %d tokens; want 3 and 1", len(snap.Records), len(snap.ClientTokens))
	}
	for i := 1; i < len(snap.Records); i++ {
		a, b := snap.Records[i-1], snap.Records[i]
		if a.Account > b.Account || a.Account == b.Account && a.Seq >= b.Seq {
			t.Errorf("Export order: %s/%d before %s/%d", a.Account, a.Seq, b.Account, b.Seq)
		}
	}
	if got := snap.Records[0]; got.ID != "w-1" || !got.Due.Equal(t0) || len(got.Attrs) != 2 {
		t.Errorf("exported record: %+v", got)
	}

	// Import into another store gives the same state, down to Seq.
	put(t, other, acctC, rec(kindWidget, "gone", "r"))
	if err := other.Import(ctx, snap); err != nil {
		t.Fatalf("Import: %v", err)
	}
	back, err := other.Export(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if a, b := normalize(snap), normalize(back); !reflect.DeepEqual(a, b) {
		t.Errorf("Export after Import differs:\n%+v\nwant\n%+v", b, a)
	}
	mustNotFind(t, other, acctC, kindWidget, "gone")
	wantIDs(t, "imported index", query(t, other, acctA, store.Query{Kind: kindWidget, Filters: []store.Filter{{Name: "zone", Values: []string{"z"}}}, Limit: 10}).Records, "w-1")
	if got, err := other.DueAccounts(ctx, t0); err != nil || !slices.Equal(got, []string{acctA}) {
		t.Errorf("DueAccounts after Import: %q, %v", got, err)
	}
	view(t, other, acctA, func(ctx context.Context, tx store.Tx) error {
		if ct, err := tx.ClientToken(ctx, "RunInstances", "t"); err != nil || ct.Hash != "h" {
			t.Errorf("client token after Import: %+v, %v", ct, err)
		}
		return nil
	})
	// New records come after the imported ones.
	put(t, other, acctA, rec(kindWidget, "w-new", "r1"))
	wantIDs(t, "creation order after Import", query(t, other, acctA, store.Query{Kind: kindWidget, Limit: 10}).Records, "w-1", "w-new")

	// Records without Seq get fresh ones in the order given; meta is replaced.
	hand := store.Snapshot{
		Records: []store.AccountRecord{
			{Account: acctA, Record: rec(kindWidget, "h-2", "r1")},
			{Account: acctA, Record: store.Record{Kind: kindWidget, ID: "h-1", Region: "r1", Seq: 5, Data: doc("h-1", "")}},
			{Account: acctA, Record: rec(kindWidget, "h-3", "r1")},
		},
		Meta: map[string][]byte{"clock": []byte(`{"frozen":true}`)},
	}
	if err := other.Import(ctx, hand); err != nil {
		t.Fatalf("Import of records without Seq: %v", err)
	}
	wantIDs(t, "fresh seqs", query(t, other, acctA, store.Query{Kind: kindWidget, Limit: 10}).Records, "h-1", "h-2", "h-3")
	view(t, other, acctA, func(ctx context.Context, tx store.Tx) error {
		if _, err := tx.GetMeta(ctx, "config"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("meta not in the snapshot survived Import: %v", err)
		}
		if v, err := tx.GetMeta(ctx, "clock"); err != nil || !jsonEqual(v, []byte(`{"frozen":true}`)) {
			t.Errorf("imported meta: %s, %v", v, err)
		}
		if _, err := tx.ClientToken(ctx, "RunInstances", "t"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("client token not in the snapshot survived Import: %v", err)
		}
		return nil
	})
}

func testImportInvalid(t *testing.T, st store.Store) {
	ctx := context.Background()
	put(t, st, acctA, rec(kindWidget, "keep", "r"))
	for _, c := range []struct {
		name string
		s    store.Snapshot
	}{
		{"NoKind", store.Snapshot{Records: []store.AccountRecord{{Account: acctA, Record: store.Record{ID: "x", Data: []byte(`{}`)}}}}},
		{"NoID", store.Snapshot{Records: []store.AccountRecord{{Account: acctA, Record: store.Record{Kind: kindWidget, Data: []byte(`{}`)}}}}},
		{"Twice", store.Snapshot{Records: []store.AccountRecord{{Account: acctA, Record: rec(kindWidget, "x", "r")}, {Account: acctA, Record: rec(kindWidget, "x", "r2")}}}},
		{"TokenTwice", store.Snapshot{ClientTokens: []store.AccountClientToken{
			{Account: acctA, ClientToken: store.ClientToken{Action: "A", Token: "t", Hash: "h", Response: []byte(`{}`), Created: t0}},
			{Account: acctA, ClientToken: store.ClientToken{Action: "A", Token: "t", Hash: "h2", Response: []byte(`{}`), Created: t0}},
		}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			if err := st.Import(ctx, c.s); !errors.Is(err, store.ErrInvalid) {
				t.Errorf("Import: %v, want ErrInvalid", err)
			}
			mustGet(t, st, acctA, kindWidget, "keep")
		})
	}
	// The same id in two accounts or two kinds is fine.
	ok := store.Snapshot{Records: []store.AccountRecord{
		{Account: acctA, Record: rec(kindWidget, "x", "r")},
		{Account: acctB, Record: rec(kindWidget, "x", "r")},
		{Account: acctA, Record: rec(kindGadget, "x", "r")},
	}}
	if err := st.Import(ctx, ok); err != nil {
		t.Errorf("Import of one id in two accounts and kinds: %v", err)
	}
}

// countKey is one count of a one-value query (store.Counted when its
// index's counts are kept): name "" is every record of the kind in the
// region.
type countKey struct{ account, kind, region, name, value string }

// checkCounts holds every count to a real count of the exported state,
// through a counted query (with and without a page): the kept counts,
// and the counted matches of the indexes whose counts are not kept
// (store.KeepsCount); seen remembers every key met so far, so that counts
// that fell to zero are checked too.
func checkCounts(tb testing.TB, st store.Store, what string, seen map[countKey]bool) {
	tb.Helper()
	snap, err := st.Export(context.Background())
	if err != nil {
		tb.Fatalf("%s: Export: %v", what, err)
	}
	want := map[countKey]int{}
	for _, r := range snap.Records {
		want[countKey{r.Account, r.Kind, r.Region, "", ""}]++
		for _, a := range store.DedupAttrs(r.Attrs) {
			want[countKey{r.Account, r.Kind, r.Region, a.Name, a.Value}]++
		}
	}
	for k := range want {
		seen[k] = true
	}
	for k := range seen {
		q := store.Query{Kind: k.kind, Region: k.region, Count: true}
		if k.name != "" {
			q.Filters = []store.Filter{{Name: k.name, Values: []string{k.value}}}
		}
		if _, _, ok := store.Counted(q); ok != store.KeepsCount(k.kind, k.name) {
			tb.Fatalf("%s: %+v: Counted %v, KeepsCount %v", what, q, ok, store.KeepsCount(k.kind, k.name))
		}
		for _, limit := range []int{0, 1} {
			q.Limit = limit
			if got := query(tb, st, k.account, q).Total; got != want[k] {
				tb.Errorf("%s: count of %+v (limit %d) is %d, want %d", what, k, limit, got, want[k])
			}
		}
	}
}

func testKeptCounts(t *testing.T, st store.Store) {
	ctx := context.Background()
	seen := map[countKey]bool{}
	put(t, st, acctA,
		rec(kindWidget, "w1", "r1", "status", "Running", "color", "red"),
		rec(kindWidget, "w2", "r1", "status", "Running", "color", "blue"),
		rec(kindWidget, "w3", "r2", "status", "Stopped", "color", "red", "color", "red"),
		rec(kindGadget, "g1", "r1", "status", "Running"))
	put(t, st, acctB, rec(kindWidget, "w1", "r1", "status", "Running"))
	checkCounts(t, st, "after puts", seen)

	put(t, st, acctA, rec(kindWidget, "w1", "r1", "status", "Stopped", "color", "red"))
	checkCounts(t, st, "after a replace with changed attrs", seen)

	put(t, st, acctA, rec(kindWidget, "w2", "r2", "status", "Running", "size", "big"))
	checkCounts(t, st, "after a move to another region", seen)

	update(t, st, acctA, func(ctx context.Context, tx store.Tx) error { _, err := tx.Delete(ctx, kindWidget, "w3"); return err })
	checkCounts(t, st, "after a delete", seen)

	boom := errors.New("boom")
	err := st.Update(ctx, acctA, func(tx store.Tx) error {
		for _, r := range []store.Record{
			rec(kindWidget, "w4", "r1", "status", "Running"),
			rec(kindWidget, "w1", "r3", "status", "Pending"),
		} {
			if _, _, err := tx.Put(ctx, r); err != nil {
				return err
			}
		}
		if _, err := tx.Delete(ctx, kindWidget, "w2"); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("rolled-back Update: %v, want boom", err)
	}
	seen[countKey{acctA, kindWidget, "r3", "status", "Pending"}] = true
	checkCounts(t, st, "after a rollback", seen)

	if err := st.Import(ctx, store.Snapshot{Records: []store.AccountRecord{
		{Account: acctA, Record: rec(kindWidget, "i1", "r1", "status", "Running", "color", "green")},
		{Account: acctA, Record: rec(kindWidget, "i2", "r1", "status", "Running")},
		{Account: acctC, Record: rec(kindGadget, "i3", "r2", "status", "Stopped")},
	}}); err != nil {
		t.Fatalf("Import: %v", err)
	}
	checkCounts(t, st, "after an import", seen)
	put(t, st, acctA, rec(kindWidget, "i4", "r1", "status", "Running"))
	checkCounts(t, st, "after a put on the imported state", seen)

	if err := st.Reset(ctx); err != nil {
		t.Fatalf("Reset: %v", err)
	}
	checkCounts(t, st, "after a reset", seen)
	put(t, st, acctA, rec(kindWidget, "n1", "r1", "status", "Running"))
	checkCounts(t, st, "after a put on the reset state", seen)
}

// testTypedWritesReadBack: what the typed writes did is what the rest of
// their transaction reads (Get, Query, Due), whether a backend sends each
// write at once or queues it (store.Queuer), and what commits.
func testTypedWritesReadBack(t *testing.T, st store.Store) {
	at := t0.Add(time.Minute)
	update(t, st, acctA, func(ctx context.Context, tx store.Tx) error {
		return store.Put(ctx, tx, widget{ID: "w-0", Region: "r", Status: "Pending", Due: at})
	})
	update(t, st, acctA, func(ctx context.Context, tx store.Tx) error {
		due := func(want ...string) {
			t.Helper()
			got, err := tx.Due(ctx, at, 10)
			if err != nil {
				t.Fatalf("Due: %v", err)
			}
			wantIDs(t, "Due", got, want...)
		}
		due("w-0")
		// w-0 advanced: due no more.
		if err := store.Put(ctx, tx, widget{ID: "w-0", Region: "r", Status: "Running"}); err != nil {
			return err
		}
		due()
		if w, err := store.Get[widget](ctx, tx, "w-0"); err != nil || w.Status != "Running" {
			t.Errorf("Get after Put = %+v, %v; want Running", w, err)
		}
		// A new record due by then, then one due later.
		if err := store.Put(ctx, tx, widget{ID: "w-1", Region: "r", Status: "Pending", Due: at.Add(-time.Second)}); err != nil {
			return err
		}
		if err := store.Put(ctx, tx, widget{ID: "w-2", Region: "r", Status: "Pending", Due: at.Add(time.Hour)}); err != nil {
			return err
		}
		due("w-1")
		if err := store.Delete[widget](ctx, tx, "w-1"); err != nil {
			return err
		}
		due()
		if _, err := tx.Get(ctx, kindTyped, "w-1"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("Get after Delete: %v, want ErrNotFound", err)
		}
		if err := store.Delete[widget](ctx, tx, "w-1"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("Delete of a deleted record: %v, want ErrNotFound", err)
		}
		if err := store.Delete[widget](ctx, tx, "never"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("Delete of an absent record: %v, want ErrNotFound", err)
		}
		// w-2 brought forward: due.
		if err := store.Put(ctx, tx, widget{ID: "w-2", Region: "r", Status: "Pending", Due: at}); err != nil {
			return err
		}
		due("w-2")
		found, _, err := store.Find[widget](ctx, tx, store.Query{Filters: []store.Filter{store.Where("status", "Pending")}, Limit: 10})
		if err != nil {
			return err
		}
		if len(found) != 1 || found[0].ID != "w-2" {
			t.Errorf("Query after writes = %+v, want w-2", found)
		}
		r, err := tx.Get(ctx, kindTyped, "w-2")
		if err != nil || r.Seq == 0 || !r.Due.Equal(at) {
			t.Errorf("Get of a new record = %+v, %v; want its seq and due", r, err)
		}
		// By ids (each read, written or deleted here): creation order.
		page, err := tx.Query(ctx, store.Query{Kind: kindTyped, IDs: []string{"w-2", "w-1", "w-0"}, Limit: 3})
		if err != nil {
			return err
		}
		wantIDs(t, "Query by ids after writes", page.Records, "w-0", "w-2")
		if len(page.Records) == 2 && !strings.Contains(string(page.Records[0].Data), "Running") {
			t.Errorf("Query by ids: w-0 is %s, want Running", page.Records[0].Data)
		}
		return nil
	})
	for id, want := range map[string]string{"w-0": "Running", "w-2": "Pending"} {
		r, err := get(t, st, acctA, kindTyped, id)
		if err != nil || !strings.Contains(string(r.Data), want) {
			t.Errorf("%s after commit: %s, %v; want %s", id, r.Data, err, want)
		}
	}
	if _, err := get(t, st, acctA, kindTyped, "w-1"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("w-1 after commit: %v, want ErrNotFound", err)
	}
}

// testCurrentJSON: store.CurrentJSON (a CurrentMetaReader's own read, or a View)
// reads what a Meta transaction committed; an unset key leaves v alone.
func testCurrentJSON(t *testing.T, st store.Store) {
	ctx := context.Background()
	v := []string{"kept"}
	if err := store.CurrentJSON(ctx, st, "storetest", &v); err != nil || !slices.Equal(v, []string{"kept"}) {
		t.Errorf("CurrentJSON of an unset key = %q, %v; want it left alone", v, err)
	}
	if err := st.Meta(ctx, func(m store.MetaTx) error { return store.PutJSON(ctx, m, "storetest", []string{"a", "b"}) }); err != nil {
		t.Fatalf("Meta: %v", err)
	}
	if err := store.CurrentJSON(ctx, st, "storetest", &v); err != nil || !slices.Equal(v, []string{"a", "b"}) {
		t.Errorf("CurrentJSON = %q, %v; want [a b]", v, err)
	}
}

// FindEveryRegion counts the records of kind whose "owner" is owner, in
// every region, as a release's lookups ask, checking the count against the
// page. Backends that skip a kind their account does not hold use it too.
func FindEveryRegion(tb testing.TB, tx store.Tx, kind, owner string) int {
	tb.Helper()
	p, err := tx.Query(context.Background(), store.Query{Kind: kind, Limit: 100, Count: true, Filters: []store.Filter{store.Where("owner", owner)}})
	if err != nil {
		tb.Fatal(err)
	}
	if p.Total != len(p.Records) {
		tb.Fatalf("%s: total %d, %d records", kind, p.Total, len(p.Records))
	}
	return len(p.Records)
}

// testKindsOfEveryRegion: a query of every region finds what the
// transaction sees: nothing of a kind the account never held, a kind the
// same transaction added (in another region too), a kind an earlier
// transaction added, and nothing of one a rolled-back transaction added.
func testKindsOfEveryRegion(t *testing.T, st store.Store) {
	ctx := context.Background()
	err := st.Update(ctx, acctA, func(tx store.Tx) error {
		if _, _, err := tx.Put(ctx, rec(kindWidget, "w1", "r1", "owner", "o1")); err != nil {
			return err
		}
		if n := FindEveryRegion(t, tx, kindWidget, "o1"); n != 1 {
			t.Errorf("widget put in the same transaction: %d, want 1", n)
		}
		if n := FindEveryRegion(t, tx, kindGadget, "o1"); n != 0 {
			t.Errorf("gadget before its Put: %d, want 0", n)
		}
		if _, _, err := tx.Put(ctx, rec(kindGadget, "g1", "r2", "owner", "o1")); err != nil {
			return err
		}
		if n := FindEveryRegion(t, tx, kindGadget, "o1"); n != 1 {
			t.Errorf("gadget after its Put in the same transaction: %d, want 1", n)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	fail := errors.New("rolled back")
	if err := st.Update(ctx, acctA, func(tx store.Tx) error {
		if _, _, err := tx.Put(ctx, rec("thing", "t1", "r1", "owner", "o1")); err != nil {
			return err
		}
		return fail
	}); !errors.Is(err, fail) {
		t.Fatalf("rolled-back put: %v", err)
	}
	err = st.Update(ctx, acctA, func(tx store.Tx) error {
		for kind, want := range map[string]int{kindWidget: 1, kindGadget: 1, "thing": 0} {
			if n := FindEveryRegion(t, tx, kind, "o1"); n != want {
				t.Errorf("%s in a later transaction: %d, want %d", kind, n, want)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// testMayHold: store.MayHold never answers false for a kind a query of the
// account would find a record of: its own Puts, another transaction's, in
// a write and in a read; after its deletion a kind may be answered either way.
func testMayHold(t *testing.T, st store.Store) {
	ctx := context.Background()
	kinds := []string{kindWidget, kindGadget, "thing", "nothing"}
	// agree checks every kind: false only where a query finds nothing.
	agree := func(tx store.Tx, when string) {
		for _, k := range kinds {
			held, err := store.MayHold(ctx, tx, k)
			if err != nil {
				t.Fatalf("%s: MayHold(%s): %v", when, k, err)
			}
			p, err := tx.Query(ctx, store.Query{Kind: k, Limit: 10})
			if err != nil {
				t.Fatalf("%s: query of %s: %v", when, k, err)
			}
			if !held && len(p.Records) > 0 {
				t.Errorf("%s: MayHold(%s) false, and a query finds %v", when, k, ids(p.Records))
			}
		}
	}
	update(t, st, acctC, func(ctx context.Context, tx store.Tx) error {
		agree(tx, "empty account")
		if _, _, err := tx.Put(ctx, rec(kindWidget, "w1", "r1", "owner", "o1")); err != nil {
			return err
		}
		agree(tx, "after a Put in the same transaction")
		if _, err := tx.Delete(ctx, kindWidget, "w1"); err != nil {
			return err
		}
		agree(tx, "after its Delete")
		if _, _, err := tx.Put(ctx, rec(kindGadget, "g1", "r2", "owner", "o1")); err != nil {
			return err
		}
		agree(tx, "after another kind's Put")
		return nil
	})
	update(t, st, acctC, func(ctx context.Context, tx store.Tx) error {
		agree(tx, "a later transaction")
		if _, _, err := tx.Put(ctx, rec("thing", "t1", "r1")); err != nil {
			return err
		}
		agree(tx, "a later transaction's Put")
		return nil
	})
	view(t, st, acctC, func(ctx context.Context, tx store.Tx) error {
		agree(tx, "a read")
		return nil
	})
	view(t, st, acctB, func(ctx context.Context, tx store.Tx) error {
		agree(tx, "another account's read")
		return nil
	})
}

// testJournalMany: a transaction that writes more resources than the
// journal looks through one by one, typed and raw writes mixed (a raw
// document's status is read from it, a typed one's is known), has each
// resource's net change once, in the order first written.
func testJournalMany(t *testing.T, st store.Store) {
	const n = 40
	status := func(i, round int) string { return fmt.Sprintf("S%d-%d", i%3, round) }
	put(t, st, acctB, func() []store.Record {
		var out []store.Record
		for i := range n {
			if i%2 == 0 {
				rec := store.Record{Kind: kindTyped, ID: fmt.Sprintf("w-%02d", i), Region: "r", Data: []byte(fmt.Sprintf(`{"id":"w-%02d","region":"r","status":%q}`, i, status(i, 0)))}
				out = append(out, rec)
			}
		}
		return out
	}()...)
	got := changesOf(t, st, acctB, func(ctx context.Context, tx store.Tx) error {
		for round := 1; round <= 2; round++ {
			for i := range n {
				w := widget{ID: fmt.Sprintf("w-%02d", i), Region: "r", Status: status(i, round)}
				var err error
				switch {
				case i%5 == 4 && round == 2:
					err = store.Delete[widget](ctx, tx, w.ID)
				case i%7 == 0 && round == 2:
					// Back as it was before the transaction, written raw.
					err = store.PutRaw(ctx, tx, store.Record{Kind: kindTyped, ID: w.ID, Region: "r", Data: []byte(fmt.Sprintf(`{"id":%q,"region":"r","status":%q}`, w.ID, status(i, 0)))})
					if err == nil {
						rec, _ := store.RecordOf(widget{ID: w.ID, Region: "r", Status: status(i, 0)})
						tx.Journal().Record(nil, &rec)
					}
				default:
					err = store.Put(ctx, tx, w)
				}
				if err != nil {
					return err
				}
			}
		}
		return nil
	})
	var want []store.Change
	for i := range n {
		c := store.Change{Kind: kindTyped, ID: fmt.Sprintf("w-%02d", i), Region: "r"}
		existed := i%2 == 0
		if existed {
			c.StatusBefore = status(i, 0)
		}
		switch {
		case i%5 == 4:
			if !existed {
				continue // created and deleted again
			}
			c.Op = store.Deleted
		case i%7 == 0:
			if existed {
				continue // written back as it was
			}
			c.Op, c.StatusAfter = store.Created, status(i, 0)
		case existed:
			c.Op, c.StatusAfter = store.Updated, status(i, 2)
		default:
			c.Op, c.StatusAfter = store.Created, status(i, 2)
		}
		want = append(want, c)
	}
	wantChanges(t, "many", got, want...)
}

// testUncountedIndexes: no count is kept for an index its kind declares
// Few (cloud.Kind.Few: an instance's address, a disk's instance), and
// store.Counted answers false for it, so its TotalCount counts the matches:
// right with no match, one and several, in a View and inside the Update
// that changed them, beside the kept counts of the kind's other indexes,
// through replaces, deletes, a rollback, an import and a reset.
func testUncountedIndexes(t *testing.T, st store.Store) {
	ctx := context.Background()
	const (
		inst = cloud.KindInstance
		disk = cloud.KindDisk
		ip   = string(cloud.IdxPrivateIP)
		of   = string(cloud.IdxInstance)
	)
	for _, c := range []struct {
		kind, name string
		kept       bool
	}{{inst, ip, false}, {disk, of, false}, {inst, "status", true}, {disk, "status", true}, {inst, "", true}} {
		if store.KeepsCount(c.kind, c.name) != c.kept {
			t.Fatalf("KeepsCount(%s, %q) = %v, want %v: the registry no longer declares it so; pick another", c.kind, c.name, !c.kept, c.kept)
		}
	}
	total := func(tx store.Tx, kind, region, name, value string) int {
		t.Helper()
		q := store.Query{Kind: kind, Region: region, Filters: []store.Filter{{Name: name, Values: []string{value}}}, Count: true, Limit: 1}
		page, err := tx.Query(ctx, q)
		if err != nil {
			t.Fatalf("count %s %s=%s: %v", kind, name, value, err)
		}
		if len(page.Records) != min(page.Total, 1) || page.More != (page.Total > 1) {
			t.Errorf("%s %s=%s: page of %d (more %v) with Total %d", kind, name, value, len(page.Records), page.More, page.Total)
		}
		return page.Total
	}
	wantTotals := func(what string, tx store.Tx, want map[[3]string]int) {
		t.Helper()
		for k, n := range want {
			if got := total(tx, k[0], "r1", k[1], k[2]); got != n {
				t.Errorf("%s: TotalCount of %s %s=%s is %d, want %d", what, k[0], k[1], k[2], got, n)
			}
		}
	}
	seen := map[countKey]bool{}
	put(t, st, acctA,
		rec(inst, "i1", "r1", "status", "Running", ip, "10.0.0.1"),
		rec(inst, "i2", "r1", "status", "Running", ip, "10.0.0.2"),
		rec(inst, "i3", "r1", "status", "Stopped", ip, "10.0.0.2"),
		rec(disk, "d1", "r1", "status", "In_use", of, "i1"),
		rec(disk, "d2", "r1", "status", "In_use", of, "i1"),
		rec(disk, "d3", "r1", "status", "In_use", of, "i1"),
		rec(disk, "d4", "r1", "status", "In_use", of, "i2"))
	put(t, st, acctB, rec(inst, "i1", "r1", "status", "Running", ip, "10.0.0.1"))
	for _, q := range []store.Query{
		{Kind: inst, Region: "r1", Filters: []store.Filter{{Name: ip, Values: []string{"10.0.0.1"}}}, Count: true},
		{Kind: disk, Region: "r1", Filters: []store.Filter{{Name: of, Values: []string{"i1"}}}, Count: true},
	} {
		if _, _, ok := store.Counted(q); ok {
			t.Errorf("Counted(%+v) = true for an index its kind declares Few", q)
		}
	}
	view(t, st, acctA, func(ctx context.Context, tx store.Tx) error {
		wantTotals("after puts", tx, map[[3]string]int{
			{inst, ip, "10.0.0.9"}: 0, {inst, ip, "10.0.0.1"}: 1, {inst, ip, "10.0.0.2"}: 2,
			{disk, of, "i9"}: 0, {disk, of, "i2"}: 1, {disk, of, "i1"}: 3,
			{inst, "status", "Running"}: 2, {disk, "status", "In_use"}: 4,
		})
		return nil
	})
	checkCounts(t, st, "after puts", seen)

	// Inside the Update that changes them, its own writes counted.
	update(t, st, acctA, func(ctx context.Context, tx store.Tx) error {
		for _, r := range []store.Record{
			rec(inst, "i4", "r1", "status", "Running", ip, "10.0.0.2"),
			rec(inst, "i1", "r1", "status", "Stopped", ip, "10.0.0.5"),
			rec(disk, "d5", "r1", "status", "In_use", of, "i2"),
		} {
			if _, _, err := tx.Put(ctx, r); err != nil {
				return err
			}
		}
		if _, err := tx.Delete(ctx, disk, "d1"); err != nil {
			return err
		}
		wantTotals("inside the Update", tx, map[[3]string]int{
			{inst, ip, "10.0.0.1"}: 0, {inst, ip, "10.0.0.2"}: 3, {inst, ip, "10.0.0.5"}: 1,
			{disk, of, "i1"}: 2, {disk, of, "i2"}: 2,
			{inst, "status", "Running"}: 2, {inst, "status", "Stopped"}: 2, {disk, "status", "In_use"}: 4,
		})
		return nil
	})
	checkCounts(t, st, "after an Update", seen)

	boom := errors.New("boom")
	err := st.Update(ctx, acctA, func(tx store.Tx) error {
		if _, _, err := tx.Put(ctx, rec(inst, "i5", "r1", "status", "Running", ip, "10.0.0.7")); err != nil {
			return err
		}
		if _, err := tx.Delete(ctx, disk, "d2"); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("rolled-back Update: %v, want boom", err)
	}
	seen[countKey{acctA, inst, "r1", ip, "10.0.0.7"}] = true
	checkCounts(t, st, "after a rollback", seen)

	put(t, st, acctA, rec(inst, "i2", "r2", "status", "Running", ip, "10.0.0.2"))
	checkCounts(t, st, "after a move to another region", seen)

	if err := st.Import(ctx, store.Snapshot{Records: []store.AccountRecord{
		{Account: acctA, Record: rec(inst, "j1", "r1", "status", "Running", ip, "10.1.0.1")},
		{Account: acctA, Record: rec(disk, "e1", "r1", "status", "In_use", of, "j1")},
		{Account: acctA, Record: rec(disk, "e2", "r1", "status", "In_use", of, "j1")},
	}}); err != nil {
		t.Fatalf("Import: %v", err)
	}
	checkCounts(t, st, "after an import", seen)
	view(t, st, acctA, func(ctx context.Context, tx store.Tx) error {
		wantTotals("after an import", tx, map[[3]string]int{
			{inst, ip, "10.1.0.1"}: 1, {inst, ip, "10.0.0.2"}: 0, {disk, of, "j1"}: 2, {disk, "status", "In_use"}: 2,
		})
		return nil
	})
	if err := st.Reset(ctx); err != nil {
		t.Fatalf("Reset: %v", err)
	}
	checkCounts(t, st, "after a reset", seen)
	put(t, st, acctA, rec(inst, "k1", "r1", "status", "Running", ip, "10.2.0.1"))
	checkCounts(t, st, "after a put on the reset state", seen)
}

// SeedUncounted puts two records of the first uncounted index's kind
// (store.Uncounted) into account "acct", region "r1": its values v1 and v2,
// both "status" Running, a counted index. It answers that index, for a
// backend's test of a file or schema kept by another list of uncounted
// indexes; CheckUncounted checks the counts after its open.
func SeedUncounted(tb testing.TB, st store.Store) store.KindIndex {
	tb.Helper()
	few := store.Uncounted()
	if len(few) == 0 {
		tb.Fatal("no kind declares a Few index")
	}
	k := few[0]
	err := st.Update(context.Background(), "acct", func(tx store.Tx) error {
		for _, v := range []string{"v1", "v2"} {
			r := store.Record{Kind: k.Kind, ID: "x-" + v, Region: "r1", Attrs: []store.Attr{{Name: k.Name, Value: v}, {Name: "status", Value: "Running"}}, Data: []byte(`{}`)}
			if _, _, err := tx.Put(context.Background(), r); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return k
}

// CheckUncounted checks what SeedUncounted put, after an open brought the
// store's list of uncounted indexes (listed) to the build's: the list, and
// the totals of the uncounted index and of "status".
func CheckUncounted(tb testing.TB, st store.Store, k store.KindIndex, listed []store.KindIndex) {
	tb.Helper()
	if few := store.Uncounted(); !slices.Equal(listed, few) {
		tb.Errorf("uncounted lists %v, want %v", listed, few)
	}
	err := st.View(context.Background(), "acct", func(tx store.Tx) error {
		for _, c := range []struct {
			name, value string
			want        int
		}{{k.Name, "v1", 1}, {k.Name, "v3", 0}, {"status", "Running", 2}} {
			page, err := tx.Query(context.Background(), store.Query{Kind: k.Kind, Region: "r1", Filters: []store.Filter{{Name: c.name, Values: []string{c.value}}}, Count: true})
			if err != nil {
				return err
			}
			if page.Total != c.want {
				tb.Errorf("%s=%s: Total %d, want %d", c.name, c.value, page.Total, c.want)
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
}

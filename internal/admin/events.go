package admin

// The audit log (design.md §1.2, GET /_ecslocal/events): every answered API
// call, every admin call that changes something, and the due events the
// clock applies on its own, each with the state changes it caused.
//
// Changes are collected inside each store transaction (store.Journal), handed
// over only after a commit (store.Hooks.AfterCommit), gathered per request in
// a collector carried by the request's context, and written to the log once
// the call is answered (style.md (d)): a rolled-back transaction — a DryRun,
// a refusal, a retried attempt — leaves no state change in the log.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/ecslocal/ecslocal/internal/apierr"
	"github.com/ecslocal/ecslocal/internal/clock"
	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/store"
)

// Event products and actions that are not API calls.
const (
	// ProductEmulator marks events of the admin API and the clock.
	ProductEmulator = "ecslocal"
	// ActionClock is due events the background clock applied, or that a
	// read outside any call (the console) made fall due.
	ActionClock = "clock"
	// CodeOK is the Code of a success.
	CodeOK = "OK"
)

// Bounds on what one event keeps, so that the log's memory is bounded by
// what it keeps, never by what was sent: a logged value is a copy, never a
// substring that would keep a whole request body alive.
const (
	maxParamValue = 512  // one parameter value (UserData may be 32 KB)
	maxParamName  = 128  // one parameter name
	maxParams     = 100  // parameters of one event
	maxText       = 2048 // message and detail (a string to sign echoes the request)
	maxResources  = 100  // ids one event names
)

// collector gathers the committed changes of one request, per account
// (a list, not a map: a request changes one account, rarely two).
type collector struct {
	mu        sync.Mutex
	byAccount []accountChanges
}

// accountChanges are the changes a request committed to one account.
type accountChanges struct {
	account string
	changes []store.Change
}

type collectorKey struct{}

func (c *collector) add(account string, changes []store.Change) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i := range c.byAccount {
		if c.byAccount[i].account == account {
			c.byAccount[i].changes = append(c.byAccount[i].changes, changes...)
			return
		}
	}
	c.byAccount = append(c.byAccount, accountChanges{account, append([]store.Change(nil), changes...)})
}

// take removes and answers what was collected, accounts in first-seen
// order; the caller owns the slices.
func (c *collector) take() []accountChanges {
	c.mu.Lock()
	defer c.mu.Unlock()
	got := c.byAccount
	c.byAccount = nil
	return got
}

func collectorFrom(ctx context.Context) *collector {
	c, _ := ctx.Value(collectorKey{}).(*collector)
	return c
}

// withCollector answers ctx carrying a fresh collector, or ctx itself when
// it carries one already.
func withCollector(ctx context.Context) (context.Context, *collector) {
	if c := collectorFrom(ctx); c != nil {
		return ctx, c
	}
	c := &collector{}
	return context.WithValue(ctx, collectorKey{}, c), c
}

// Collect makes every request through next carry a collector, so the store
// changes its transactions commit are attributed to it: wrap the RPC
// endpoint with it, and RecordCall (its After hook) logs them.
func (a *API) Collect(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, _ := withCollector(r.Context())
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// AfterCommit is the store's AfterCommit hook: changes of a request go to
// its collector; changes made outside any request (the background clock, a
// read that made events fall due) are logged at once as a "clock" event.
func (a *API) AfterCommit(ctx context.Context, account string, changes []store.Change) {
	if c := collectorFrom(ctx); c != nil {
		c.add(account, changes)
		return
	}
	e := a.newEvent(ctx)
	e.Account, e.Product, e.Action, e.Code = account, ProductEmulator, ActionClock, CodeOK
	e.Changes = changes
	e.Region = regionOf(changes)
	e.Resources = resourcesOf(changes, nil)
	a.publish(ctx, e)
}

// RecordCall is the RPC endpoint's After hook: one event per answered call,
// with its parameters (no secrets), its answer, why it was refused, and
// the changes it committed, due events it triggered included.
func (a *API) RecordCall(ctx context.Context, c *rpc.Call, status int, err error, elapsed time.Duration) {
	e := a.newEvent(ctx)
	e.Account, e.Product, e.Action, e.RequestID = c.Account, c.Product, c.Action, c.RequestID
	e.HTTPStatus, e.Code = status, CodeOK
	e.ElapsedMS = float64(elapsed.Microseconds()) / 1000
	var values map[string]string
	if c.Params != nil {
		values = c.Params.Values()
	}
	e.Params = safeParams(values)
	e.Region = bounded(values["RegionId"], maxParamName)
	if err != nil {
		var ae *apierr.Error
		if errors.As(err, &ae) {
			e.Code, e.Message, e.Detail = ae.Code, bounded(ae.Message, maxText), bounded(ae.Detail, maxText)
		} else {
			// Ours, not the caller's: the client saw InternalError, the log
			// keeps the real error under the same RequestId (style.md (c)).
			e.Code, e.Message, e.Detail = apierr.InternalError.Code, apierr.InternalError.Message, bounded(err.Error(), maxText)
		}
	}
	if col := collectorFrom(ctx); col != nil {
		for _, ac := range col.take() {
			if e.Changes == nil {
				e.Changes = ac.changes // the collector's no more: no copy
				continue
			}
			e.Changes = append(e.Changes, ac.changes...)
		}
	}
	if e.Region == "" {
		e.Region = regionOf(e.Changes)
	}
	e.Resources = resourcesOf(e.Changes, values)
	a.publish(ctx, e)
}

// Audited is the admin API with its changing calls logged: what the server
// mounts on /_ecslocal/. The guard runs first: a refused request is
// counted, never logged.
func (a *API) Audited() http.Handler {
	return a.guard(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { a.auditAdmin(w, r, a.mux) }))
}

// auditAdmin logs the admin calls that may change something (every method
// but GET and HEAD), once per account they changed, or once when none.
func (a *API) auditAdmin(w http.ResponseWriter, r *http.Request, next http.Handler) {
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		next.ServeHTTP(w, r)
		return
	}
	params := map[string]string{}
	// A small JSON body ({"advance":"90s"}) is logged as parameters; a
	// state import is not: it is the state itself.
	if r.Body != nil && r.ContentLength >= 0 && r.ContentLength <= 4096 && r.URL.Path != statePath {
		raw, _ := io.ReadAll(io.LimitReader(r.Body, 4097))
		r.Body = io.NopCloser(bytes.NewReader(raw))
		var body map[string]any
		if json.Unmarshal(raw, &body) == nil {
			for k, v := range body {
				params[k] = fmt.Sprint(v)
			}
		}
	}
	for k, vs := range r.URL.Query() {
		if k != "token" && len(vs) > 0 {
			params[k] = vs[0]
		}
	}
	// A changing call may move the clock (a clock move, a state import):
	// events queued before it are stamped with the time they happened.
	a.Flush(r.Context())
	start := time.Now()
	ctx, col := withCollector(r.Context())
	sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
	next.ServeHTTP(sw, r.WithContext(ctx))
	base := a.newEvent(ctx)
	base.Product, base.Action = ProductEmulator, r.Method+" "+r.URL.Path
	base.HTTPStatus, base.Code = sw.status, CodeOK
	if sw.status >= 400 {
		base.Code = "Error"
		base.Message = strings.TrimSpace(sw.errBody.String())
	}
	base.ElapsedMS = float64(time.Since(start).Microseconds()) / 1000
	base.Params = safeParams(params)
	pathIDs := map[string]string{}
	for i, seg := range strings.Split(r.URL.Path, "/") {
		if idPattern.MatchString(seg) {
			pathIDs["path."+strconv.Itoa(i)+"Id"] = seg
		}
	}
	byAccount := col.take()
	if len(byAccount) == 0 {
		byAccount = []accountChanges{{}}
	}
	var events []store.Event
	for _, ac := range byAccount {
		e := base
		e.Account, e.Changes = ac.account, ac.changes
		e.Region = regionOf(e.Changes)
		e.Resources = resourcesOf(e.Changes, pathIDs)
		events = append(events, e)
	}
	a.publish(ctx, events...)
}

// statusWriter remembers the status, and the start of an error body.
type statusWriter struct {
	http.ResponseWriter
	status  int
	errBody bytes.Buffer
}

func (s *statusWriter) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusWriter) Write(p []byte) (int, error) {
	if s.status >= 400 && s.errBody.Len() < 1024 {
		s.errBody.Write(p[:min(len(p), 1024-s.errBody.Len())])
	}
	return s.ResponseWriter.Write(p)
}

// newEvent stamps an event with the wall time; the emulated time is read
// when the event is written (stampTimes), once per batch.
func (a *API) newEvent(context.Context) store.Event {
	return store.Event{Wall: time.Now().UTC()}
}

// publish queues events for the log. A failure to write them is logged,
// never answered: the call they describe has been answered already.
func (a *API) publish(ctx context.Context, events ...store.Event) {
	if q := a.events; q != nil && q.send(events) {
		return
	}
	a.writeEvents(context.WithoutCancel(ctx), events)
}

// writeEvents stamps events with the emulated time and appends them.
func (a *API) writeEvents(ctx context.Context, events []store.Event) {
	a.stampTimes(ctx, events)
	if err := a.store().AppendEvents(ctx, events, a.opts.EventRetention); err != nil {
		a.logger().Error("append audit events", "err", err)
	}
}

// stampTimes sets the emulated time of events that have none from one
// reading of the clock: a frozen clock's time, or a running clock's now
// moved back by how long ago (on the wall clock) each event happened. The
// clock moves only through the admin API, and every changing admin call
// flushes the queue first (auditAdmin), so a reading here is the one each
// event would have had when it was queued.
func (a *API) stampTimes(ctx context.Context, events []store.Event) {
	var now time.Time
	var frozen bool
	if a.opts.Clock != nil {
		wall := time.Now().UTC()
		err := a.store().View(ctx, "", func(tx store.Tx) error {
			now = tx.Now()
			var cs clock.State
			if err := store.GetJSON(ctx, tx, store.MetaClock, &cs); err != nil && !errors.Is(err, store.ErrNotFound) {
				return err
			}
			frozen = cs.Frozen
			return nil
		})
		if err != nil {
			now = time.Time{}
		} else if !frozen {
			// now is the emulated time at wall; an event stamped on the wall
			// clock at e.Wall happened that much earlier.
			for i := range events {
				if events[i].Time.IsZero() {
					events[i].Time = now.Add(events[i].Wall.Sub(wall)).Truncate(time.Millisecond)
				}
			}
			return
		}
	}
	for i := range events {
		if events[i].Time.IsZero() {
			events[i].Time = now
			if now.IsZero() {
				events[i].Time = events[i].Wall
			}
		}
	}
}

// eventQueueSize bounds the events waiting to be written: past it, a call
// waits for the writer, so memory stays bounded under any load.
const eventQueueSize = 4096

// eventBatch is how many events one write transaction takes at most, and
// eventLinger how long the writer waits for them to come.
const (
	eventBatch  = 512
	eventLinger = 20 * time.Millisecond
)

// eventQueue writes the audit log in the background, in batches: answering
// an API call costs a channel send, not a write transaction of its own.
// Reads of the log (Events) flush it first, so the log reads as if every
// event had been written when it was published.
type eventQueue struct {
	mu     sync.RWMutex // held for reading while sending, for writing by close
	closed bool
	ch     chan queued
	done   chan struct{}
}

// queued is events to write, or (flushed non-nil) a flush request, closed
// once everything queued before it is written.
type queued struct {
	events  []store.Event
	flushed chan struct{}
}

// startEvents starts the audit log writer and makes every read of the log
// through a.opts.Store flush it first. Close stops it.
func (a *API) startEvents() {
	q := &eventQueue{ch: make(chan queued, eventQueueSize), done: make(chan struct{})}
	a.rawStore = a.opts.Store
	a.opts.Store = flushingStore{Store: a.opts.Store, a: a}
	a.events = q
	go a.writeQueue(q)
}

// store is the store without the flushing wrapper.
func (a *API) store() store.Store {
	if a.rawStore != nil {
		return a.rawStore
	}
	return a.opts.Store
}

// send queues events; false when the writer is stopped.
func (q *eventQueue) send(events []store.Event) bool {
	q.mu.RLock()
	defer q.mu.RUnlock()
	if q.closed {
		return false
	}
	q.ch <- queued{events: events}
	return true
}

// writeQueue is the writer: it takes whatever is queued, up to a batch,
// and writes it in one transaction.
func (a *API) writeQueue(q *eventQueue) {
	defer close(q.done)
	ctx := context.Background()
	var batch []store.Event
	var flushed []chan struct{}
	for first := range q.ch {
		batch, flushed = batch[:0], flushed[:0]
		take := func(it queued) {
			batch = append(batch, it.events...)
			if it.flushed != nil {
				flushed = append(flushed, it.flushed)
			}
		}
		take(first)
		// Linger a moment for more: one transaction for many events is
		// what makes the log cheap. A flush (a read of the log, a changing
		// admin call, Close) ends the wait at once.
		linger := time.NewTimer(eventLinger)
	more:
		for len(batch) < eventBatch && len(flushed) == 0 {
			select {
			case it, ok := <-q.ch:
				if !ok {
					break more
				}
				take(it)
			case <-linger.C:
				break more
			}
		}
		linger.Stop()
		if len(batch) > 0 {
			a.writeEvents(ctx, batch)
		}
		for _, f := range flushed {
			close(f)
		}
	}
}

// Flush returns once every event published before it is in the log (or
// ctx is done).
func (a *API) Flush(ctx context.Context) {
	q := a.events
	if q == nil {
		return
	}
	f := make(chan struct{})
	q.mu.RLock()
	if q.closed {
		q.mu.RUnlock()
		return
	}
	q.ch <- queued{flushed: f}
	q.mu.RUnlock()
	select {
	case <-f:
	case <-ctx.Done():
	}
}

// Close writes what is queued and stops the writer; later events are
// written as they come. The server closes the admin API before its store.
func (a *API) Close() {
	q := a.events
	if q == nil {
		return
	}
	q.mu.Lock()
	if !q.closed {
		q.closed = true
		close(q.ch)
	}
	q.mu.Unlock()
	<-q.done
}

// flushingStore is the store as the admin API and the console read it:
// reading the audit log flushes the queue first.
type flushingStore struct {
	store.Store
	a *API
}

// Events implements store.Store.
func (s flushingStore) Events(ctx context.Context, f store.EventFilter) ([]store.Event, error) {
	s.a.Flush(ctx)
	return s.Store.Events(ctx, f)
}

func (a *API) logger() *slog.Logger {
	if a.opts.Logger != nil {
		return a.opts.Logger
	}
	return slog.New(slog.DiscardHandler)
}

// secret tells whether a parameter must never be logged: signatures,
// session tokens, passwords, secrets. The AccessKeyId is kept.
func secret(name string) bool {
	if ascii, ok := secretASCII(name); ok {
		return ascii
	}
	return strings.EqualFold(name, "signature") || containsFold(name, "securitytoken") || containsFold(name, "password") || containsFold(name, "secret")
}

// secretASCII is secret for an ASCII name (ok false for another), in one
// pass: each of the words has an 's' (in password the third letter), so
// only the places of an 's' are compared. It runs on every parameter of
// every call.
func secretASCII(name string) (secret, ok bool) {
	found := false
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c >= utf8.RuneSelf {
			return false, false // EqualFold folds some non-ASCII letters
		}
		if c|0x20 != 's' || found {
			continue
		}
		rest := name[i:]
		found = len(rest) >= 6 && asciiFold(rest[:6], "secret") ||
			len(rest) >= 13 && asciiFold(rest[:13], "securitytoken") ||
			i >= 2 && len(rest) >= 6 && asciiFold(name[i-2:i+6], "password")
	}
	return found || len(name) == 9 && asciiFold(name, "signature"), true
}

// asciiFold is strings.EqualFold for ASCII s and lower-case word of its length.
func asciiFold(s, word string) bool {
	for i := 0; i < len(word); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != word[i] {
			return false
		}
	}
	return true
}

// containsFold is strings.Contains(strings.ToLower(s), sub) for a lower-case
// ASCII sub, without the copy: it runs on every parameter of every call.
func containsFold(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		// The first byte first, in either case (or any non-ASCII byte,
		// which EqualFold may fold): most places differ there.
		if c := s[i]; (c|0x20 == sub[0] || c >= utf8.RuneSelf) && strings.EqualFold(s[i:i+len(sub)], sub) {
			return true
		}
	}
	return false
}

// safeParams copies the parameters a log may keep: at most maxParams of
// them (the first by name, so the choice is stable), names and values
// copied and cut short, into one allocation.
func safeParams(values map[string]string) map[string]string {
	if len(values) == 0 {
		return nil
	}
	type param struct{ k, v string }
	var stack [32]param
	kept := stack[:0]
	size := 0
	for k, v := range values {
		if !secret(k) {
			kept = append(kept, param{k, v})
			size += min(len(k), maxParamName) + min(len(v), maxParamValue)
		}
	}
	more := len(kept) - maxParams
	if more > 0 {
		// Which ones are kept: the first by name.
		slices.SortFunc(kept, func(a, b param) int { return strings.Compare(a.k, b.k) })
		kept = kept[:maxParams]
	}
	// Every kept name and value is a slice of one copy: nothing of the
	// request's body stays alive through the log.
	arena := make([]byte, 0, size)
	for _, p := range kept {
		arena = append(arena, p.k[:min(len(p.k), maxParamName)]...)
		arena = append(arena, p.v[:min(len(p.v), maxParamValue)]...)
	}
	all := string(arena)
	out := make(map[string]string, len(kept)+min(more, 1))
	for _, p := range kept {
		kn, vn := min(len(p.k), maxParamName), min(len(p.v), maxParamValue)
		name, value := all[:kn], all[kn:kn+vn]
		all = all[kn+vn:]
		if kn < len(p.k) {
			name += fmt.Sprintf("…(%d bytes)", len(p.k))
		}
		if vn < len(p.v) {
			value += fmt.Sprintf("…(%d bytes)", len(p.v))
		}
		out[name] = value
	}
	if more > 0 {
		out["…"] = fmt.Sprintf("%d more parameters", more)
	}
	return out
}

// bounded is a copy of s, cut at n bytes with a note of the full length.
func bounded(s string, n int) string {
	if len(s) <= n {
		return strings.Clone(s)
	}
	return s[:n] + fmt.Sprintf("…(%d bytes)", len(s))
}

// idPattern is the shape of resource ids (i-bp1…, d-…, vpc-…, sg-…);
// isID matches it without the regexp (every call's event checks its ids).
var idPattern = regexp.MustCompile(`^[a-z][a-z0-9]{0,11}-[a-z0-9]{6,}$`)

// isID tells whether s has idPattern's shape (TestIsIDAsPattern).
func isID(s string) bool {
	dash := strings.IndexByte(s, '-')
	if dash < 1 || dash > 12 || len(s)-dash-1 < 6 || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		if i != dash && (c < 'a' || c > 'z') && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}

// mayBeList tells whether v may decode as a JSON list of strings: one that
// starts with neither '[' nor null cannot, and encoding/json's failing on
// it cost allocations on every *Id parameter of every call.
func mayBeList(v string) bool {
	v = strings.TrimLeft(v, " \t\r\n")
	return v != "" && (v[0] == '[' || v[0] == 'n')
}

// notResources are *Id parameters that name no resource.
var notResources = map[string]bool{"RegionId": true, "ZoneId": true, "AccessKeyId": true, "OwnerId": true, "ResourceOwnerId": true, "DestinationRegionId": true}

// resourcesOf lists the ids an event concerns: its changes, and the values
// of its *Id / *Ids parameters (single, InstanceId.N, JSON lists, commas).
func resourcesOf(changes []store.Change, params map[string]string) []string {
	var out []string
	add := func(id string) {
		id = strings.TrimSpace(id)
		if id != "" && len(out) < maxResources && !slices.Contains(out, id) {
			out = append(out, strings.Clone(id))
		}
	}
	for _, c := range changes {
		add(c.ID)
	}
	var keys []string // the names that may name resources, in order
	for k := range params {
		name := k
		if i := strings.LastIndexByte(name, '.'); i >= 0 {
			name = name[:i]
		}
		if (strings.HasSuffix(name, "Id") || strings.HasSuffix(name, "Ids")) && !notResources[name] {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := params[k]
		var list []string
		if !mayBeList(v) || json.Unmarshal([]byte(v), &list) != nil {
			list = strings.Split(v, ",")
		}
		for _, id := range list {
			if isID(strings.TrimSpace(id)) {
				add(id)
			}
		}
	}
	return out
}

// regionOf is the region of the first change that has one.
func regionOf(changes []store.Change) string {
	for _, c := range changes {
		if c.Region != "" {
			return c.Region
		}
	}
	return ""
}

// eventsAnswer is the body of GET /_ecslocal/events.
type eventsAnswer struct {
	Events []store.Event `json:"events"`
}

// listEvents answers GET /_ecslocal/events?account=&action=&resourceId=&
// code=&since=&before=&limit=, newest first. since is an RFC 3339 time or a
// Go duration back from the emulated now ("10m"); code=OK selects
// successes; before is a seq, for paging back.
func (a *API) listEvents(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := store.EventFilter{Account: q.Get("account"), Action: q.Get("action"), ResourceID: q.Get("resourceId"), Code: q.Get("code")}
	if s := q.Get("since"); s != "" {
		if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
			f.Since = t
		} else if d, derr := time.ParseDuration(s); derr == nil && d >= 0 {
			now, err := a.opts.Clock.Now(r.Context())
			if err != nil {
				internal(w, err)
				return
			}
			f.Since = now.Add(-d)
		} else {
			writeErr(w, http.StatusBadRequest, "since: want an RFC 3339 time or a duration such as 10m")
			return
		}
	}
	if s := q.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			writeErr(w, http.StatusBadRequest, "limit: want a positive number")
			return
		}
		f.Limit = min(n, max(a.opts.EventRetention, store.DefaultEventRetention))
	}
	if s := q.Get("before"); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < 1 {
			writeErr(w, http.StatusBadRequest, "before: want a positive seq")
			return
		}
		f.BeforeSeq = n
	}
	events, err := a.opts.Store.Events(r.Context(), f)
	if err != nil {
		internal(w, err)
		return
	}
	writeJSON(w, http.StatusOK, eventsAnswer{Events: events})
}

package admin

// The web console (design.md §1.2, GET /_ecslocal/console/): server-rendered
// pages over the same store the API serves, per account and region. Every
// kind of record is read generically, as a JSON map, so kinds added later
// show up without changes here; instances also get their release preview,
// computed by the real rules (cloud.CheckRelease, cloud.ReleaseEffects) in
// a read-only transaction. Buttons are emulator controls only (clock, locks,
// reset), never cloud actions.

import (
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/ecslocal/ecslocal/internal/apierr"
	"github.com/ecslocal/ecslocal/internal/clock"
	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/lifecycle"
	"github.com/ecslocal/ecslocal/internal/store"
)

//go:embed console/*.html console/assets/*
var consoleFiles embed.FS

// consolePrefix is where the console lives.
const consolePrefix = "/_ecslocal/console/"

// maxConsoleRecords bounds what one page reads of one kind.
const maxConsoleRecords = 500

// console renders the pages; templates are parsed once, at construction.
type console struct {
	a     *API
	pages *template.Template
}

func newConsole(a *API) *console {
	funcs := template.FuncMap{
		"pathEscape":  url.PathEscape,
		"queryEscape": url.QueryEscape,
	}
	pages := template.Must(template.New("console").Funcs(funcs).ParseFS(consoleFiles, "console/*.html"))
	return &console{a: a, pages: pages}
}

func (c *console) register(mux *http.ServeMux) {
	assets, _ := fs.Sub(consoleFiles, "console/assets")
	mux.Handle("GET "+consolePrefix+"assets/", http.StripPrefix(consolePrefix+"assets/", http.FileServerFS(assets)))
	mux.HandleFunc("GET /_ecslocal/console", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, consolePrefix, http.StatusMovedPermanently)
	})
	mux.HandleFunc("GET "+consolePrefix+"{$}", c.index)
	mux.HandleFunc("GET "+consolePrefix+"accounts/{account}/regions/{region}", c.region)
	mux.HandleFunc("GET "+consolePrefix+"events", c.events)
	mux.HandleFunc("POST "+consolePrefix+"clock", c.advanceClock)
	mux.HandleFunc("POST "+consolePrefix+"locks", c.lock)
	mux.HandleFunc("POST "+consolePrefix+"reset", c.reset)
	mux.HandleFunc("GET "+signinPath, c.signinForm)
	mux.HandleFunc("POST "+signinPath, c.signin)
	mux.HandleFunc("POST "+consolePrefix+"signout", c.signout)
}

// page is what every page's header and footer show.
type page struct {
	Title string
	Now   string
	Back  string // this page's URL, where buttons return to
	// SignIn is the sign-in page (no controls); SignedIn shows sign out.
	SignIn, SignedIn bool
}

// indexPage lists every (account, region) that holds something.
type indexPage struct {
	page
	Places []placeRow
}

type placeRow struct {
	Account, Region, URL string
	Kinds                []kindCount
	Total                int
}

type kindCount struct {
	Kind  string
	Count int
}

// regionPage is one account's resources in one region.
type regionPage struct {
	page
	Account, Region string
	Instances       []instanceView
	Kinds           []kindTable
	Events          []eventRow
	EventsURL       string
}

type instanceView struct {
	ID, Name, Status, ChargeType, Zone, Expires string
	Type, IP, Tags                              string // the table's columns
	Protected, Releasing                        bool
	Locks                                       []string
	Preview                                     releasePreview
	Related                                     []kindTable
	JSON                                        string
}

// releasePreview is "what would happen if I released it now".
type releasePreview struct {
	Attempts []attempt
	// Effects of the first accepted attempt.
	Accepted                        bool
	DisksReleased, DisksKept        []string
	SnapshotsDeleted, SnapshotsKept []string
	Error                           string
}

type attempt struct {
	Call     string // the request it stands for
	Accepted bool
	Code     string
	Detail   string
}

type kindTable struct {
	Kind    string
	Count   int
	More    bool
	Records []recordView
}

type recordView struct {
	ID, Status, Summary, JSON string
}

// eventsPage is the audit log with its filters.
type eventsPage struct {
	page
	Filter url.Values
	Events []eventRow
	Error  string
}

type eventRow struct {
	Seq                                         int64
	Time, Account, Region, Action, Code, Detail string
	RequestID, Message                          string
	// Status is the HTTP status, "" for events no request answered (the
	// background clock).
	Status string
	// Class is ok, err or dry: a dry run that passed is no failure.
	Class   string
	OK      bool
	Changes []string
	Params  string
}

func (c *console) render(w http.ResponseWriter, name string, status int, v any) {
	var b bytes.Buffer
	if err := c.pages.ExecuteTemplate(&b, name, v); err != nil {
		http.Error(w, "render "+name+": "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(b.Bytes())
}

func (c *console) fail(w http.ResponseWriter, status int, msg string) {
	c.render(w, "error", status, struct {
		page
		Message string
	}{page{Title: "error"}, msg})
}

func (c *console) header(ctx context.Context, title string, r *http.Request) (page, error) {
	now, err := c.a.opts.Clock.Now(ctx)
	if err != nil {
		return page{}, err
	}
	return page{Title: title, Now: now.Format(time.RFC3339), Back: r.URL.RequestURI(), SignedIn: c.a.opts.Token != ""}, nil
}

func regionURL(account, region string) string {
	return consolePrefix + "accounts/" + url.PathEscape(account) + "/regions/" + url.PathEscape(region)
}

func (c *console) index(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p, err := c.header(ctx, "ecslocal console", r)
	if err != nil {
		c.fail(w, http.StatusInternalServerError, err.Error())
		return
	}
	shelves, err := c.a.opts.Store.Inventory(ctx)
	if err != nil {
		c.fail(w, http.StatusInternalServerError, err.Error())
		return
	}
	view := indexPage{page: p}
	for _, s := range shelves {
		n := len(view.Places)
		if n == 0 || view.Places[n-1].Account != s.Account || view.Places[n-1].Region != s.Region {
			view.Places = append(view.Places, placeRow{Account: s.Account, Region: s.Region, URL: regionURL(s.Account, s.Region)})
			n++
		}
		view.Places[n-1].Kinds = append(view.Places[n-1].Kinds, kindCount{s.Kind, s.Count})
		view.Places[n-1].Total += s.Count
	}
	c.render(w, "index", http.StatusOK, view)
}

// loaded is one record decoded generically.
type loaded struct {
	rec  store.Record
	doc  map[string]any
	refs map[string]bool // every string value in the document
}

func (c *console) region(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	account, region := r.PathValue("account"), r.PathValue("region")
	p, err := c.header(ctx, account+" · "+region, r)
	if err != nil {
		c.fail(w, http.StatusInternalServerError, err.Error())
		return
	}
	shelves, err := c.a.opts.Store.Inventory(ctx)
	if err != nil {
		c.fail(w, http.StatusInternalServerError, err.Error())
		return
	}
	var kinds []kindCount
	for _, s := range shelves {
		if s.Account == account && s.Region == region {
			kinds = append(kinds, kindCount{s.Kind, s.Count})
		}
	}
	// Declared kinds in registry order (instances first), others after.
	sort.SliceStable(kinds, func(i, j int) bool { return registryRank(kinds[i].Kind) < registryRank(kinds[j].Kind) })
	view := regionPage{page: p, Account: account, Region: region,
		EventsURL: consolePrefix + "events?account=" + url.QueryEscape(account)}
	err = c.a.opts.Store.View(ctx, account, func(tx store.Tx) error {
		byKind := map[string][]loaded{}
		var order []string
		for _, k := range kinds {
			page, err := tx.Query(ctx, store.Query{Kind: k.Kind, Region: region, Limit: maxConsoleRecords})
			if err != nil {
				return err
			}
			var recs []loaded
			for _, rec := range page.Records {
				recs = append(recs, load(rec))
			}
			byKind[k.Kind] = recs
			order = append(order, k.Kind)
			if k.Kind != cloud.KindInstance {
				view.Kinds = append(view.Kinds, kindTable{Kind: k.Kind, Count: k.Count, More: page.More, Records: views(recs)})
			}
		}
		for _, l := range byKind[cloud.KindInstance] {
			iv, err := c.instance(ctx, tx, l, byKind, order)
			if err != nil {
				return err
			}
			view.Instances = append(view.Instances, iv)
		}
		return nil
	})
	if err != nil {
		c.fail(w, http.StatusInternalServerError, err.Error())
		return
	}
	events, err := c.a.opts.Store.Events(ctx, store.EventFilter{Account: account, Limit: 20})
	if err != nil {
		c.fail(w, http.StatusInternalServerError, err.Error())
		return
	}
	view.Events = eventRows(events)
	c.render(w, "region", http.StatusOK, view)
}

func load(rec store.Record) loaded {
	l := loaded{rec: rec, refs: map[string]bool{}}
	var doc any
	if json.Unmarshal(rec.Data, &doc) == nil {
		l.doc, _ = doc.(map[string]any)
		collectStrings(doc, l.refs)
	}
	return l
}

// collectStrings gathers every string value of a JSON value.
func collectStrings(v any, into map[string]bool) {
	switch v := v.(type) {
	case string:
		into[v] = true
	case []any:
		for _, x := range v {
			collectStrings(x, into)
		}
	case map[string]any:
		for _, x := range v {
			collectStrings(x, into)
		}
	}
}

func views(recs []loaded) []recordView {
	out := make([]recordView, 0, len(recs))
	for _, l := range recs {
		out = append(out, view(l))
	}
	return out
}

// view shows a record: its status, a line of its scalar fields, and the
// whole document.
func view(l loaded) recordView {
	v := recordView{ID: l.rec.ID}
	if s, ok := l.doc["status"].(string); ok {
		v.Status = s
	}
	keys := make([]string, 0, len(l.doc))
	for k := range l.doc {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		switch k {
		case "id", "region", "status":
			continue
		}
		switch x := l.doc[k].(type) {
		case string:
			if x != "" && len(parts) < 8 {
				parts = append(parts, k+"="+x)
			}
		case bool, float64:
			if len(parts) < 8 {
				parts = append(parts, fmt.Sprintf("%s=%v", k, x))
			}
		}
	}
	v.Summary = strings.Join(parts, " ")
	var b bytes.Buffer
	if json.Indent(&b, l.rec.Data, "", "  ") == nil {
		v.JSON = b.String()
	} else {
		v.JSON = string(l.rec.Data)
	}
	return v
}

// instance builds an instance's card: its state, the records that refer to
// it (and those that refer to them: a disk's snapshots, an ENI's routes),
// and its release preview.
func (c *console) instance(ctx context.Context, tx store.Tx, l loaded, byKind map[string][]loaded, order []string) (instanceView, error) {
	var inst cloud.Instance
	if err := json.Unmarshal(l.rec.Data, &inst); err != nil {
		return instanceView{}, fmt.Errorf("decode instance %s: %w", l.rec.ID, err)
	}
	iv := instanceView{ID: inst.ID, Name: inst.Name, Status: inst.Status, ChargeType: inst.ChargeType, Zone: inst.Zone,
		Protected: inst.Protected, Releasing: inst.Releasing, JSON: view(l).JSON}
	if !inst.Expires.IsZero() {
		iv.Expires = inst.Expires.Format(time.RFC3339)
	}
	iv.Type, iv.IP = inst.InstanceType, inst.PrivateIP
	if inst.PublicIP != "" {
		iv.IP += " " + inst.PublicIP
	}
	tags := make([]string, 0, len(inst.Tags))
	for _, t := range inst.Tags {
		tags = append(tags, t.Key+"="+t.Value)
	}
	iv.Tags = strings.Join(tags, " ")
	for _, lk := range inst.Locks {
		iv.Locks = append(iv.Locks, lk.Reason)
	}

	// Records naming the instance, then records naming those.
	near := map[string]bool{}
	for _, kind := range order {
		if kind == cloud.KindInstance {
			continue
		}
		for _, o := range byKind[kind] {
			if o.refs[inst.ID] {
				near[kind+"/"+o.rec.ID] = true
			}
		}
	}
	nearIDs := map[string]bool{}
	for k := range near {
		nearIDs[k[strings.IndexByte(k, '/')+1:]] = true
	}
	for _, kind := range order {
		if kind == cloud.KindInstance {
			continue
		}
		var related []loaded
		for _, o := range byKind[kind] {
			hit := near[kind+"/"+o.rec.ID]
			for id := range nearIDs {
				if !hit && id != o.rec.ID && o.refs[id] {
					hit = true
				}
			}
			if hit {
				related = append(related, o)
			}
		}
		if len(related) > 0 {
			iv.Related = append(iv.Related, kindTable{Kind: kind, Count: len(related), Records: views(related)})
		}
	}

	iv.Preview = preview(ctx, tx, inst)
	return iv, nil
}

// preview runs the release rules as a dry run: first as a plain
// DeleteInstances would, then with Force and TerminateSubscription, and for
// the first accepted one the disks and snapshots that go and stay.
func preview(ctx context.Context, tx store.Tx, inst cloud.Instance) releasePreview {
	var p releasePreview
	now := tx.Now()
	holders, err := lifecycle.Holders(ctx, tx, inst, now)
	if err != nil {
		p.Error = err.Error()
		return p
	}
	for _, try := range []struct {
		call string
		r    cloud.Release
	}{
		{"DeleteInstances (Force=false)", cloud.Release{ForceStop: true}},
		{"DeleteInstances with Force=true, TerminateSubscription=true", cloud.Release{Force: true, ForceStop: true, TerminateSubscription: true}},
	} {
		at := attempt{Call: try.call}
		err := cloud.CheckRelease(inst, try.r, holders, now)
		var ae *apierr.Error
		switch {
		case err == nil:
			at.Accepted = true
		case errors.As(err, &ae):
			at.Code, at.Detail = ae.Code, ae.Detail
		default:
			at.Code, at.Detail = "InternalError", err.Error()
		}
		p.Attempts = append(p.Attempts, at)
		if at.Accepted {
			p.Accepted = true
			break
		}
	}
	if !p.Accepted {
		return p
	}
	attached, err := lifecycle.Attached(ctx, tx, inst)
	if err != nil {
		p.Error = err.Error()
		return p
	}
	e := cloud.ReleaseEffects(inst, attached, now)
	gone := map[string]bool{}
	for _, id := range e.DeleteDisks {
		gone[id] = true
	}
	for _, d := range attached.Disks {
		label := fmt.Sprintf("%s (%s, %s)", d.ID, d.Type, d.Category)
		if gone[d.ID] {
			p.DisksReleased = append(p.DisksReleased, label)
		} else {
			p.DisksKept = append(p.DisksKept, label)
		}
	}
	deleted := map[string]bool{}
	for _, id := range e.DeleteSnapshots {
		deleted[id] = true
	}
	for _, s := range attached.Snapshots {
		label := fmt.Sprintf("%s (%s, of %s)", s.ID, s.Type, s.SourceDiskID)
		if deleted[s.ID] {
			p.SnapshotsDeleted = append(p.SnapshotsDeleted, label)
		} else {
			p.SnapshotsKept = append(p.SnapshotsKept, label)
		}
	}
	return p
}

func eventRows(events []store.Event) []eventRow {
	out := make([]eventRow, 0, len(events))
	for _, e := range events {
		row := eventRow{Seq: e.Seq, Time: e.Time.Format(time.RFC3339), Account: e.Account, Region: e.Region, Action: e.Action,
			Code: e.Code, Detail: e.Detail, RequestID: e.RequestID, Message: e.Message, OK: e.Code == CodeOK, Class: "err"}
		if e.HTTPStatus != 0 {
			row.Status = fmt.Sprint(e.HTTPStatus)
		}
		switch e.Code {
		case CodeOK:
			row.Class = "ok"
		case apierr.DryRunOperation.Code, apierr.DryRunSuccess.Code:
			row.Class, row.Detail = "dry", "dry run: every check passed, nothing changed"
		}
		for _, ch := range e.Changes {
			s := fmt.Sprintf("%s %s %s", ch.Kind, ch.ID, ch.Op)
			switch {
			case ch.StatusBefore != "" && ch.StatusBefore == ch.StatusAfter:
				s += " (still " + ch.StatusAfter + ")" // a lock, a tag, a name: the status stays
			case ch.StatusBefore != "" || ch.StatusAfter != "":
				s += fmt.Sprintf(" (%s→%s)", orDash(ch.StatusBefore), orDash(ch.StatusAfter))
			}
			if ch.Due {
				s += " [due]"
			}
			row.Changes = append(row.Changes, s)
		}
		keys := make([]string, 0, len(e.Params))
		for k := range e.Params {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var parts []string
		for _, k := range keys {
			parts = append(parts, k+"="+e.Params[k])
		}
		row.Params = strings.Join(parts, " ")
		out = append(out, row)
	}
	return out
}

func orDash(s string) string {
	if s == "" {
		return "–"
	}
	return s
}

func (c *console) events(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p, err := c.header(ctx, "events", r)
	if err != nil {
		c.fail(w, http.StatusInternalServerError, err.Error())
		return
	}
	q := r.URL.Query()
	view := eventsPage{page: p, Filter: q}
	f := store.EventFilter{Account: q.Get("account"), Action: q.Get("action"), ResourceID: q.Get("resourceId"), Code: q.Get("code"), Limit: 200}
	events, err := c.a.opts.Store.Events(ctx, f)
	if err != nil {
		view.Error = err.Error()
	}
	view.Events = eventRows(events)
	c.render(w, "events", http.StatusOK, view)
}

// back is where a button returns to: a console page, nothing else.
func back(r *http.Request) string {
	b := r.FormValue("back")
	if !strings.HasPrefix(b, consolePrefix) || strings.Contains(b, "//") {
		return consolePrefix
	}
	return b
}

func (c *console) advanceClock(w http.ResponseWriter, r *http.Request) {
	d, err := time.ParseDuration(r.FormValue("advance"))
	if err != nil || d < 0 {
		c.fail(w, http.StatusBadRequest, "advance: want a positive Go duration such as 90s or 1h")
		return
	}
	if _, err := c.a.opts.Clock.Advance(r.Context(), d); err != nil {
		status := http.StatusInternalServerError
		if errors.Is(err, clock.ErrOutOfRange) {
			status = http.StatusBadRequest
		}
		c.fail(w, status, err.Error())
		return
	}
	http.Redirect(w, r, back(r), http.StatusSeeOther)
}

func (c *console) lock(w http.ResponseWriter, r *http.Request) {
	id, reason, op := r.FormValue("instance"), r.FormValue("reason"), r.FormValue("op")
	switch reason {
	case "security", "financial", "recycling", "dedicatedhostfinancial", "refunded":
	default:
		c.fail(w, http.StatusBadRequest, "reason must be security, financial, recycling, dedicatedhostfinancial or refunded")
		return
	}
	if op != "add" && op != "remove" {
		c.fail(w, http.StatusBadRequest, "op must be add or remove")
		return
	}
	_, err := c.a.updateInstance(r.Context(), id, func(i cloud.Instance) (cloud.Instance, error) {
		var keep []cloud.Lock
		for _, l := range i.Locks {
			if l.Reason != reason {
				keep = append(keep, l)
			}
		}
		if op == "add" {
			keep = append(i.Locks[:0:0], i.Locks...)
			if !i.HasLock(reason) {
				keep = append(keep, cloud.Lock{Reason: reason})
			}
		}
		i.Locks = keep
		return i, nil
	})
	if errors.Is(err, store.ErrNotFound) {
		c.fail(w, http.StatusNotFound, "no such instance: "+id)
		return
	}
	if err != nil {
		c.fail(w, http.StatusInternalServerError, err.Error())
		return
	}
	http.Redirect(w, r, back(r), http.StatusSeeOther)
}

func (c *console) reset(w http.ResponseWriter, r *http.Request) {
	if err := c.a.opts.Store.Reset(r.Context()); err != nil {
		c.fail(w, http.StatusInternalServerError, err.Error())
		return
	}
	http.Redirect(w, r, consolePrefix, http.StatusSeeOther)
}

// registryRank is a kind's place in the registry; undeclared kinds last.
func registryRank(kind string) int {
	for i, k := range cloud.Kinds() {
		if k.Name == kind {
			return i
		}
	}
	return len(cloud.Kinds())
}

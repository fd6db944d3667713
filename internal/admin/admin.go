// Package admin serves /_ecslocal/…, the emulator's own control plane: JSON
// in, JSON out, never reachable through an Action name.
package admin

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/ecslocal/ecslocal/internal/apierr"
	"github.com/ecslocal/ecslocal/internal/clock"
	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/store"
)

// Options configure the admin API.
type Options struct {
	Store     store.Store
	Clock     *clock.Clock
	Token     string // when set, requests need "Authorization: Bearer TOKEN"
	Version   string
	StoreName string
	// EventRetention is how many audit events are kept (<= 0: store.DefaultEventRetention).
	EventRetention int
	// Logger receives failures nobody else can be told of (an audit write).
	Logger *slog.Logger
	// Hosts are host names (no port) admin requests may name in Host
	// besides the loopback names: the listen address, --admin-host.
	Hosts []string
	// Refused counts a request turned away before it ran (guard.go), by
	// reason: host, origin or token.
	Refused func(reason string)
}

// API is the admin http.Handler.
type API struct {
	opts Options
	mux  *http.ServeMux
	// events writes the audit log in the background (events.go); rawStore
	// is opts.Store before startEvents wrapped it.
	events   *eventQueue
	rawStore store.Store
}

// New builds the admin API.
func New(opts Options) *API {
	a := &API{opts: opts, mux: http.NewServeMux()}
	a.startEvents()
	a.mux.HandleFunc("GET /_ecslocal/health", a.health)
	a.mux.HandleFunc("POST /_ecslocal/reset", a.reset)
	a.mux.HandleFunc("GET /_ecslocal/clock", a.getClock)
	a.mux.HandleFunc("POST /_ecslocal/clock", a.moveClock)
	a.mux.HandleFunc("GET /_ecslocal/config", a.getConfig)
	a.mux.HandleFunc("PATCH /_ecslocal/config", a.patchConfig)
	a.mux.HandleFunc("POST /_ecslocal/instances/{id}/locks", a.addLock)
	a.mux.HandleFunc("DELETE /_ecslocal/instances/{id}/locks/{reason}", a.removeLock)
	a.mux.HandleFunc("POST /_ecslocal/faults", a.armFault)
	a.mux.HandleFunc("GET /_ecslocal/faults", a.listFaults)
	a.mux.HandleFunc("DELETE /_ecslocal/faults", a.clearFaults)
	a.mux.HandleFunc("POST /_ecslocal/auto-snapshot-policies/{id}/run", a.runPolicy)
	a.mux.HandleFunc("POST /_ecslocal/managed-instances", a.registerManaged)
	a.mux.HandleFunc("GET /_ecslocal/events", a.listEvents)
	a.mux.HandleFunc("GET "+statePath, a.getState)
	a.mux.HandleFunc("PUT "+statePath, a.putState)
	newConsole(a).register(a.mux)
	return a
}

// ServeHTTP implements http.Handler: the guarded admin API, unlogged.
func (a *API) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	a.guard(a.mux).ServeHTTP(w, r)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func writeErr(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}

// internal answers a failure that is ours, not the caller's.
func internal(w http.ResponseWriter, err error) {
	writeErr(w, http.StatusInternalServerError, err.Error())
}

func readJSON(r *http.Request, v any) error {
	dec := json.NewDecoder(io.LimitReader(r.Body, 1<<20))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("invalid JSON body: %v", err)
	}
	return nil
}

func (a *API) health(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok", "version": a.opts.Version, "store": a.opts.StoreName})
}

func (a *API) reset(w http.ResponseWriter, r *http.Request) {
	if err := a.opts.Store.Reset(r.Context()); err != nil {
		internal(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "reset"})
}

func (a *API) getClock(w http.ResponseWriter, r *http.Request) {
	now, err := a.opts.Clock.Now(r.Context())
	if err != nil {
		internal(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"now": now.Format(time.RFC3339Nano)})
}

func (a *API) moveClock(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Advance string `json:"advance"`
		Set     string `json:"set"`
	}
	if err := readJSON(r, &body); err != nil {
		writeErr(w, http.StatusBadRequest, err.Error())
		return
	}
	var now time.Time
	var err error
	switch {
	case body.Advance != "" && body.Set == "":
		d, perr := time.ParseDuration(body.Advance)
		if perr != nil {
			writeErr(w, http.StatusBadRequest, "advance: "+perr.Error())
			return
		}
		now, err = a.opts.Clock.Advance(r.Context(), d)
	case body.Set != "" && body.Advance == "":
		t, perr := time.Parse(time.RFC3339Nano, body.Set)
		if perr != nil {
			writeErr(w, http.StatusBadRequest, "set: "+perr.Error())
			return
		}
		now, err = a.opts.Clock.Set(r.Context(), t)
	default:
		writeErr(w, http.StatusBadRequest, `give exactly one of "advance" or "set"`)
		return
	}
	if errors.Is(err, clock.ErrBackwards) || errors.Is(err, clock.ErrOutOfRange) {
		writeErr(w, http.StatusBadRequest, err.Error())
		return
	}
	if err != nil {
		internal(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"now": now.Format(time.RFC3339Nano)})
}

func (a *API) getConfig(w http.ResponseWriter, r *http.Request) {
	var c cloud.Config
	err := a.opts.Store.Meta(r.Context(), func(m store.MetaTx) (err error) {
		c, err = store.LoadConfig(r.Context(), m)
		return err
	})
	if err != nil {
		internal(w, err)
		return
	}
	writeJSON(w, http.StatusOK, c)
}

// patchConfig changes only the keys it names; "profile" resets the delays to
// that profile's before "delays" in the same body override some of them.
func (a *API) patchConfig(w http.ResponseWriter, r *http.Request) {
	var patch map[string]json.RawMessage
	if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&patch); err != nil {
		writeErr(w, http.StatusBadRequest, "invalid JSON body: "+err.Error())
		return
	}
	var out cloud.Config
	var bad error
	err := a.opts.Store.Meta(r.Context(), func(m store.MetaTx) error {
		// A retried attempt starts over: no verdict, and the patch as sent.
		bad = nil
		patch := maps.Clone(patch)
		c, err := store.LoadConfig(r.Context(), m)
		if err != nil {
			return err
		}
		if raw, ok := patch["profile"]; ok {
			if err := json.Unmarshal(raw, &c.Profile); err != nil {
				bad = fmt.Errorf("profile: %v", err)
				return nil
			}
			c.Delays = cloud.DefaultConfig(c.Profile).Delays
			delete(patch, "profile")
		}
		cur, _ := json.Marshal(c)
		var merged map[string]json.RawMessage
		json.Unmarshal(cur, &merged)
		for k, v := range patch {
			if _, known := merged[k]; !known {
				bad = fmt.Errorf("unknown key %q", k)
				return nil
			}
			if k == "delays" {
				// Delays merge key by key too, so one override keeps the rest.
				var have, over map[string]json.RawMessage
				json.Unmarshal(merged[k], &have)
				if err := json.Unmarshal(v, &over); err != nil {
					bad = fmt.Errorf("delays: %v", err)
					return nil
				}
				for dk, dv := range over {
					if _, known := have[dk]; !known {
						bad = fmt.Errorf("unknown delay %q", dk)
						return nil
					}
					have[dk] = dv
				}
				v, _ = json.Marshal(have)
			}
			merged[k] = v
		}
		body, _ := json.Marshal(merged)
		next, err := decodeConfig(body)
		if err != nil {
			bad = err
			return nil
		}
		out = next
		return store.PutJSON(r.Context(), m, store.MetaConfig, next)
	})
	if bad != nil {
		writeErr(w, http.StatusBadRequest, bad.Error())
		return
	}
	if err != nil {
		internal(w, err)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

// updateInstance changes an instance by id in whichever account holds it: the
// admin API speaks for every tenant.
func (a *API) updateInstance(ctx context.Context, id string, fn func(cloud.Instance) (cloud.Instance, error)) (cloud.Instance, error) {
	accounts, err := a.accountsOf(ctx, id)
	if err != nil {
		return cloud.Instance{}, err
	}
	if len(accounts) == 0 {
		return cloud.Instance{}, store.ErrNotFound
	}
	var out cloud.Instance
	err = a.opts.Store.Update(ctx, accounts[0], func(tx store.Tx) error {
		inst, err := store.Get[cloud.Instance](ctx, tx, id)
		if err != nil {
			return err
		}
		if out, err = fn(inst); err != nil {
			return err
		}
		return store.Put(ctx, tx, out)
	})
	return out, err
}

func (a *API) accountsOf(ctx context.Context, id string) ([]string, error) {
	return a.opts.Store.AccountsOf(ctx, cloud.KindInstance, id)
}

type lockView struct {
	InstanceID string       `json:"instanceId"`
	Locks      []cloud.Lock `json:"locks"`
}

func (a *API) addLock(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Reason string `json:"reason"`
		Msg    string `json:"msg"`
	}
	if err := readJSON(r, &body); err != nil {
		writeErr(w, http.StatusBadRequest, err.Error())
		return
	}
	switch body.Reason {
	case "security", "financial", "recycling", "dedicatedhostfinancial", "refunded":
	default:
		writeErr(w, http.StatusBadRequest, "reason must be security, financial, recycling, dedicatedhostfinancial or refunded")
		return
	}
	inst, err := a.updateInstance(r.Context(), r.PathValue("id"), func(i cloud.Instance) (cloud.Instance, error) {
		if !i.HasLock(body.Reason) {
			i.Locks = append(i.Locks, cloud.Lock{Reason: body.Reason, Msg: body.Msg})
		}
		return i, nil
	})
	a.answerLock(w, inst, err)
}

func (a *API) removeLock(w http.ResponseWriter, r *http.Request) {
	reason := r.PathValue("reason")
	inst, err := a.updateInstance(r.Context(), r.PathValue("id"), func(i cloud.Instance) (cloud.Instance, error) {
		var keep []cloud.Lock
		for _, l := range i.Locks {
			if l.Reason != reason {
				keep = append(keep, l)
			}
		}
		i.Locks = keep
		return i, nil
	})
	a.answerLock(w, inst, err)
}

func (a *API) answerLock(w http.ResponseWriter, inst cloud.Instance, err error) {
	if errors.Is(err, store.ErrNotFound) {
		writeErr(w, http.StatusNotFound, "no such instance")
		return
	}
	if err != nil {
		internal(w, err)
		return
	}
	writeJSON(w, http.StatusOK, lockView{InstanceID: inst.ID, Locks: append([]cloud.Lock{}, inst.Locks...)})
}

// policyRun is the answer of a manual policy run.
type policyRun struct {
	PolicyID    string   `json:"policyId"`
	SnapshotIDs []string `json:"snapshotIds"`
}

// runPolicy runs an automatic snapshot policy now (spec/semantics.md §6),
// in the account that holds it: one automatic snapshot of every bound disk,
// exactly as a scheduled firing would take, without moving the schedule.
func (a *API) runPolicy(w http.ResponseWriter, r *http.Request) {
	ctx, id := r.Context(), r.PathValue("id")
	accounts, err := a.opts.Store.AccountsOf(ctx, cloud.KindAutoSnapshotPolicy, id)
	if err != nil {
		internal(w, err)
		return
	}
	if len(accounts) == 0 {
		writeErr(w, http.StatusNotFound, "no such automatic snapshot policy")
		return
	}
	out := policyRun{PolicyID: id, SnapshotIDs: []string{}}
	err = a.opts.Store.Update(ctx, accounts[0], func(tx store.Tx) error {
		out.SnapshotIDs = out.SnapshotIDs[:0] // the closure may run again
		p, err := store.Get[cloud.AutoSnapshotPolicy](ctx, tx, id)
		if err != nil {
			return err
		}
		cfg, err := store.LoadConfig(ctx, tx)
		if err != nil {
			return err
		}
		disks, err := store.All[cloud.Disk](ctx, tx, "", store.Where("policy", p.ID))
		if err != nil {
			return err
		}
		ids := make([]string, len(disks))
		for i, d := range disks {
			ids[i] = d.ID
		}
		progressing, err := store.All[cloud.Snapshot](ctx, tx, "", store.Where("disk", ids...), store.Where("status", cloud.SnapshotProgressing))
		if err != nil {
			return err
		}
		next, snaps := cloud.FirePolicy(p, disks, progressing, tx.Now(), cfg.Delays, false)
		for _, s := range snaps {
			if err := store.Put(ctx, tx, s); err != nil {
				return err
			}
			out.SnapshotIDs = append(out.SnapshotIDs, s.ID)
		}
		return store.Put(ctx, tx, next)
	})
	if errors.Is(err, store.ErrNotFound) {
		writeErr(w, http.StatusNotFound, "no such automatic snapshot policy")
		return
	}
	if err != nil {
		internal(w, err)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

// Fault is an armed failure: the next Count calls of Action (optionally only
// those naming ResourceID) answer Code with HTTPStatus and change nothing.
type Fault struct {
	Action     string `json:"action"`
	Code       string `json:"code"`
	HTTPStatus int    `json:"httpStatus"`
	Count      int    `json:"count"`
	ResourceID string `json:"resourceId,omitempty"`
	Message    string `json:"message,omitempty"`
}

func (a *API) armFault(w http.ResponseWriter, r *http.Request) {
	var f Fault
	if err := readJSON(r, &f); err != nil {
		writeErr(w, http.StatusBadRequest, err.Error())
		return
	}
	if err := f.normalize(); err != nil {
		writeErr(w, http.StatusBadRequest, err.Error())
		return
	}
	err := a.opts.Store.Meta(r.Context(), func(m store.MetaTx) error {
		var faults []Fault
		if err := store.GetJSON(r.Context(), m, store.MetaFaults, &faults); err != nil {
			return err
		}
		return store.PutJSON(r.Context(), m, store.MetaFaults, append(faults, f))
	})
	if err != nil {
		internal(w, err)
		return
	}
	writeJSON(w, http.StatusOK, f)
}

// normalize fills a fault's defaults and refuses one that cannot be armed:
// the one rule for POST /_ecslocal/faults and for a state import.
func (f *Fault) normalize() error {
	if f.Action == "" || f.Code == "" {
		return errors.New("action and code are required")
	}
	if f.HTTPStatus == 0 {
		f.HTTPStatus = knownStatus(f.Code)
	}
	if f.HTTPStatus < 400 || f.HTTPStatus > 599 {
		return errors.New("httpStatus must be 400..599")
	}
	if f.Count <= 0 {
		f.Count = 1
	}
	return nil
}

// knownStatus is the status a fault's code travels with in the catalog.
func knownStatus(code string) int {
	for _, e := range []apierr.Entry{apierr.Throttling, apierr.ThrottlingUser, apierr.InternalError, apierr.ServiceUnavailable, apierr.InstanceLockedForSecurity} {
		if e.Code == code {
			return e.Status
		}
	}
	return 400
}

func (a *API) listFaults(w http.ResponseWriter, r *http.Request) {
	faults := []Fault{}
	err := a.opts.Store.Meta(r.Context(), func(m store.MetaTx) error {
		return store.GetJSON(r.Context(), m, store.MetaFaults, &faults)
	})
	if err != nil {
		internal(w, err)
		return
	}
	writeJSON(w, http.StatusOK, faults)
}

func (a *API) clearFaults(w http.ResponseWriter, r *http.Request) {
	err := a.opts.Store.Meta(r.Context(), func(m store.MetaTx) error {
		return store.PutJSON(r.Context(), m, store.MetaFaults, []Fault{})
	})
	if err != nil {
		internal(w, err)
		return
	}
	writeJSON(w, http.StatusOK, []Fault{})
}

// ConsumeFault is the RPC endpoint's Before hook: a call matching an armed
// fault uses one of its count and answers its error before the action runs,
// so a faulted call changes nothing.
func (a *API) ConsumeFault(ctx context.Context, c *rpc.Call) error {
	// Nearly every call meets no fault: find that out from the committed
	// value (store.CurrentJSON: a read that never queues behind writers,
	// one statement on PostgreSQL, from memory on SQLite while the file is
	// unchanged); only a call that matches an armed fault takes the write
	// transaction that consumes it.
	var faults []Fault
	if err := store.CurrentJSON(ctx, a.store(), store.MetaFaults, &faults); err != nil {
		return err
	}
	if !slices.ContainsFunc(faults, func(f Fault) bool { return f.Action == c.Action }) {
		return nil
	}
	var hit *Fault
	err := a.opts.Store.Meta(ctx, func(m store.MetaTx) error {
		hit = nil // a retried attempt starts over: only the committed one counts
		var faults []Fault
		if err := store.GetJSON(ctx, m, store.MetaFaults, &faults); err != nil || len(faults) == 0 {
			return err
		}
		for i := range faults {
			f := faults[i]
			if f.Action != c.Action || f.ResourceID != "" && !mentions(c.Params, f.ResourceID) {
				continue
			}
			hit = &f
			if faults[i].Count--; faults[i].Count <= 0 {
				faults = append(faults[:i], faults[i+1:]...)
			}
			return store.PutJSON(ctx, m, store.MetaFaults, faults)
		}
		return nil
	})
	if err != nil {
		return err
	}
	if hit == nil {
		return nil
	}
	msg := hit.Message
	if msg == "" {
		msg = "Fault injected by ecslocal."
		for _, e := range []apierr.Entry{apierr.Throttling, apierr.ThrottlingUser, apierr.InternalError, apierr.ServiceUnavailable, apierr.InstanceLockedForSecurity} {
			if e.Code == hit.Code {
				msg = e.Message
			}
		}
	}
	return apierr.Custom(hit.Code, hit.HTTPStatus, msg)
}

// mentions tells whether any parameter value names id (InstanceId,
// InstanceId.N, or inside a JSON list such as InstanceIds).
func mentions(p *rpc.Params, id string) bool {
	for _, v := range p.Values() {
		if v == id || strings.Contains(v, `"`+id+`"`) {
			return true
		}
	}
	return false
}

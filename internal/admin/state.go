package admin

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sort"
	"time"

	"github.com/ecslocal/ecslocal/internal/clock"
	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/store"
)

// StateVersion is the schema version of the state documents this server
// writes (GET /_ecslocal/state) and the newest it reads.
//
// Compatibility rule. A server imports every schemaVersion from 1 up to its
// own and refuses a newer one with 400, naming both versions: a fixture
// committed today keeps loading in later releases, and an old server never
// half-reads a file it cannot understand. Within one version the format only
// grows: a field may be added when a reader that ignores it still loads the
// same world (readers ignore unknown fields). Anything an older reader would
// misread — a field renamed, removed or changing meaning, a resource
// document of a kind changing shape incompatibly — bumps the version, and
// this server upgrades older versions on import. Resource "data" is the
// document the store keeps for that kind (the cloud package's JSON); kinds
// this server does not know are carried through unchanged.
const StateVersion = 1

// statePath is where the state is read and written.
const statePath = "/_ecslocal/state"

// maxStateBytes bounds an imported state document.
const maxStateBytes = 512 << 20

// State is the whole emulated world as readable, versioned JSON: what a team
// commits as a fixture and loads in CI (PUT /_ecslocal/state, or
// `ecslocal serve --init-state FILE`). Exported with a frozen clock and a
// seeded server, the bytes are reproducible.
type State struct {
	// SchemaVersion is the format version (StateVersion when written here).
	SchemaVersion int `json:"schemaVersion"`
	// Clock is the emulated time of the world. On import the clock is set
	// to it (forward or back: the world it belonged to is replaced too),
	// keeping whether the server's clock is frozen; absent keeps the clock.
	Clock *StateClock `json:"clock,omitempty"`
	// Meta holds the server-wide settings by key: "config" (the runtime
	// switches, as GET /_ecslocal/config shows them), "faults" (armed
	// faults), and any others. On import a key the document does not name
	// keeps its current value.
	Meta map[string]json.RawMessage `json:"meta,omitempty"`
	// Accounts are the tenants, by account id.
	Accounts []StateAccount `json:"accounts"`
}

// StateClock is the emulated time.
type StateClock struct {
	Now time.Time `json:"now"`
}

// StateAccount is one tenant's resources and remembered ClientTokens.
type StateAccount struct {
	Account      string             `json:"account"`
	Resources    []StateResource    `json:"resources"`
	ClientTokens []StateClientToken `json:"clientTokens,omitempty"`
}

// StateResource is one stored resource. For the kinds this server knows,
// region, due and attrs are recomputed from data on import, so a fixture may
// edit data alone (or leave them out); for other kinds they are taken as given.
type StateResource struct {
	Kind   string `json:"kind"`
	ID     string `json:"id"`
	Region string `json:"region"`
	// Seq is the creation order within the store (Describe order); 0 on
	// import means "after every other", in file order.
	Seq int64 `json:"seq,omitempty"`
	// Due is when the next asynchronous transition falls due.
	Due   time.Time       `json:"due,omitzero"`
	Attrs []StateAttr     `json:"attrs,omitempty"`
	Data  json.RawMessage `json:"data"`
}

// StateAttr is one indexed attribute.
type StateAttr struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// StateClientToken is a remembered idempotent request.
type StateClientToken struct {
	Action   string          `json:"action"`
	Token    string          `json:"token"`
	Hash     string          `json:"hash"`
	Response json.RawMessage `json:"response"`
	Created  time.Time       `json:"created"`
}

// ExportState reads the whole state.
func (a *API) ExportState(ctx context.Context) (State, error) {
	st := State{SchemaVersion: StateVersion, Meta: map[string]json.RawMessage{}, Accounts: []StateAccount{}}
	snap, err := a.opts.Store.Export(ctx)
	if err != nil {
		return st, err
	}
	now, err := a.opts.Clock.Now(ctx)
	if err != nil {
		return st, err
	}
	st.Clock = &StateClock{Now: now}
	for k, v := range snap.Meta {
		if k == store.MetaClock {
			continue // as Clock: the stored form depends on the wall clock
		}
		st.Meta[k] = rawJSON(v)
	}
	byAccount := map[string]*StateAccount{}
	account := func(id string) *StateAccount {
		if acc, ok := byAccount[id]; ok {
			return acc
		}
		acc := &StateAccount{Account: id, Resources: []StateResource{}}
		byAccount[id] = acc
		return acc
	}
	for _, r := range snap.Records {
		res := StateResource{Kind: r.Kind, ID: r.ID, Region: r.Region, Seq: r.Seq, Due: r.Due, Data: rawJSON(r.Data)}
		for _, at := range r.Attrs {
			res.Attrs = append(res.Attrs, StateAttr{Name: at.Name, Value: at.Value})
		}
		acc := account(r.Account)
		acc.Resources = append(acc.Resources, res)
	}
	for _, ct := range snap.ClientTokens {
		acc := account(ct.Account)
		acc.ClientTokens = append(acc.ClientTokens, StateClientToken{Action: ct.Action, Token: ct.Token, Hash: ct.Hash, Response: rawJSON(ct.Response), Created: ct.Created})
	}
	ids := make([]string, 0, len(byAccount))
	for id := range byAccount {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		st.Accounts = append(st.Accounts, *byAccount[id])
	}
	return st, nil
}

// rawJSON keeps a stored document as JSON, or as a JSON string when it is not.
func rawJSON(b []byte) json.RawMessage {
	if json.Valid(b) {
		return json.RawMessage(b)
	}
	s, _ := json.Marshal(string(b))
	return s
}

// StateError is an import refused for its content: answered 400.
type StateError struct{ msg string }

func (e *StateError) Error() string { return e.msg }

func stateErrorf(format string, args ...any) error {
	return &StateError{msg: fmt.Sprintf(format, args...)}
}

// DecodeState reads a state document: a *StateError when it is not one this
// server can import (bad JSON, no or a newer schemaVersion).
func DecodeState(raw []byte) (State, error) {
	var head struct {
		SchemaVersion *int `json:"schemaVersion"`
	}
	if err := json.Unmarshal(raw, &head); err != nil {
		return State{}, stateErrorf("state: invalid JSON: %v", err)
	}
	switch {
	case head.SchemaVersion == nil:
		return State{}, stateErrorf("state: schemaVersion is missing")
	case *head.SchemaVersion > StateVersion:
		return State{}, stateErrorf("state: schemaVersion %d is newer than this server reads (%d); upgrade ecslocal to import it", *head.SchemaVersion, StateVersion)
	case *head.SchemaVersion < 1:
		return State{}, stateErrorf("state: schemaVersion %d is not a version (the first is 1)", *head.SchemaVersion)
	}
	var st State
	if err := json.Unmarshal(raw, &st); err != nil {
		return State{}, stateErrorf("state: %v", err)
	}
	// Version 1 is the first: nothing to upgrade yet. A later version adds
	// its upgrade of older documents here.
	return st, nil
}

// ImportState replaces the whole state with st (see State for what each
// part does). Nonces and the audit log stay.
func (a *API) ImportState(ctx context.Context, st State) (int, error) {
	if err := checkState(&st); err != nil {
		return 0, err
	}
	var snap store.Snapshot
	n := 0
	for ai, acc := range st.Accounts {
		if acc.Account == "" {
			return 0, stateErrorf("state: accounts[%d] has no account id", ai)
		}
		for ri, res := range acc.Resources {
			where := fmt.Sprintf("account %s resources[%d]", acc.Account, ri)
			if res.Kind == "" || res.ID == "" {
				return 0, stateErrorf("state: %s: kind and id are required", where)
			}
			data := []byte(res.Data)
			if len(data) == 0 || data[0] != '{' {
				return 0, stateErrorf("state: %s (%s %s): data must be a JSON object", where, res.Kind, res.ID)
			}
			rec := store.Record{Kind: res.Kind, ID: res.ID, Region: res.Region, Seq: res.Seq, Due: res.Due, Data: data}
			if k, ok := cloud.KindOf(res.Kind); ok {
				// A declared kind: region, due and indexes are recomputed
				// from data, exactly as store.Put writes them.
				v, err := k.Decode(data)
				if err != nil {
					return 0, stateErrorf("state: %s (%s %s): %v", where, res.Kind, res.ID, err)
				}
				if v.Key() != res.ID {
					return 0, stateErrorf("state: %s: id %q but data says %q", where, res.ID, v.Key())
				}
				indexed, err := store.IndexedRecord(v, data)
				if err != nil {
					return 0, stateErrorf("state: %s (%s %s): %v", where, res.Kind, res.ID, err)
				}
				indexed.Seq = res.Seq
				rec = indexed
			} else {
				for _, at := range res.Attrs {
					rec.Attrs = append(rec.Attrs, store.Attr{Name: at.Name, Value: at.Value})
				}
			}
			snap.Records = append(snap.Records, store.AccountRecord{Account: acc.Account, Record: rec})
			n++
		}
		for _, ct := range acc.ClientTokens {
			snap.ClientTokens = append(snap.ClientTokens, store.AccountClientToken{Account: acc.Account,
				ClientToken: store.ClientToken{Action: ct.Action, Token: ct.Token, Hash: ct.Hash, Response: []byte(ct.Response), Created: ct.Created}})
		}
	}

	// Meta keys the document does not name keep their values; the clock is
	// set so that the emulated now is the document's.
	current, err := a.opts.Store.Export(ctx)
	if err != nil {
		return 0, err
	}
	snap.Meta = current.Meta
	if snap.Meta == nil {
		snap.Meta = map[string][]byte{}
	}
	for k, v := range st.Meta {
		if k != store.MetaClock {
			snap.Meta[k] = []byte(v)
		}
	}
	if st.Clock != nil && !st.Clock.Now.IsZero() {
		var cs clock.State
		if raw, ok := current.Meta[store.MetaClock]; ok {
			if err := json.Unmarshal(raw, &cs); err != nil {
				return 0, fmt.Errorf("decode clock: %w", err)
			}
		}
		now, err := a.opts.Clock.Now(ctx)
		if err != nil {
			return 0, err
		}
		target := st.Clock.Now.UTC()
		if cs.Frozen {
			cs.At = target
		} else {
			if cs.Offset, err = clockOffset(cs.Offset, now, target); err != nil {
				return 0, err
			}
		}
		b, err := json.Marshal(cs)
		if err != nil {
			return 0, err
		}
		snap.Meta[store.MetaClock] = b
	}
	if err := a.opts.Store.Import(ctx, snap); err != nil {
		if errors.Is(err, store.ErrInvalid) {
			return 0, stateErrorf("%v", err)
		}
		return 0, err
	}
	return n, nil
}

// LoadState imports a state document: what `serve --init-state` does.
func (a *API) LoadState(ctx context.Context, raw []byte) (int, error) {
	st, err := DecodeState(raw)
	if err != nil {
		return 0, err
	}
	return a.ImportState(ctx, st)
}

func (a *API) getState(w http.ResponseWriter, r *http.Request) {
	st, err := a.ExportState(r.Context())
	if err != nil {
		internal(w, err)
		return
	}
	b, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		internal(w, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	w.Write(append(b, '\n'))
}

// importAnswer is the body of a successful PUT /_ecslocal/state.
type importAnswer struct {
	Status        string `json:"status"`
	SchemaVersion int    `json:"schemaVersion"`
	Accounts      int    `json:"accounts"`
	Resources     int    `json:"resources"`
}

func (a *API) putState(w http.ResponseWriter, r *http.Request) {
	raw, err := io.ReadAll(io.LimitReader(r.Body, maxStateBytes+1))
	if err != nil {
		writeErr(w, http.StatusBadRequest, "state: read body: "+err.Error())
		return
	}
	if len(raw) > maxStateBytes {
		writeErr(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("state: over %d bytes", maxStateBytes))
		return
	}
	st, err := DecodeState(raw)
	if err == nil {
		var n int
		if n, err = a.ImportState(r.Context(), st); err == nil {
			writeJSON(w, http.StatusOK, importAnswer{Status: "imported", SchemaVersion: st.SchemaVersion, Accounts: len(st.Accounts), Resources: n})
			return
		}
	}
	var se *StateError
	if errors.As(err, &se) {
		writeErr(w, http.StatusBadRequest, se.Error())
		return
	}
	internal(w, err)
}

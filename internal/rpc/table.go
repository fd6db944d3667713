package rpc

import (
	"context"
	"maps"
	"reflect"
)

// Product versions served on the one endpoint: routing is on (Version, Action)
// because ECS 2014-05-26 and VPC 2016-04-28 share action names.
const (
	VersionECS = "2014-05-26"
	VersionVPC = "2016-04-28"
	VersionSLB = "2014-05-15"
	VersionRAM = "2015-05-01" // global: its actions take no RegionId
	VersionSTS = "2015-04-01" // global too
)

// Call is what an action learns about the request besides its parameters.
type Call struct {
	Account     string // the tenant the access key maps to
	AccessKeyID string
	RequestID   string
	Product     string // "Ecs", "Vpc", "Slb"
	Version     string
	Action      string
	Host        string
	Params      *Params
	// Refused is the error code of a call turned away before its action
	// could run: at authentication (Action and AccessKeyID are then only
	// what the request claimed) or by the rate limit.
	Refused string
}

// Binder is implemented by request structs: read the wire names once.
type Binder interface {
	Bind(p *Params)
}

// Response is implemented by response structs through the embedded Base.
type Response interface {
	SetRequestID(id string)
}

// Base carries the RequestId every answer has.
type Base struct {
	RequestID string `json:"RequestId"`
}

// SetRequestID implements Response.
func (b *Base) SetRequestID(id string) { b.RequestID = id }

// actionFunc is the untyped form a typed action is stored as; the adapter
// is built once at registration, so the request path has no reflection.
type actionFunc func(ctx context.Context, c *Call) (Response, error)

// Table maps (Version, Action) to actions.
type Table struct {
	actions   map[string]actionFunc
	versions  map[string]string        // version → product name
	responses map[string]reflect.Type  // version/action → its response struct
	binders   map[string]func(*Params) // version/action → its request's Bind
}

// NewTable makes an empty table that knows the three products' versions.
func NewTable() *Table {
	return &Table{
		actions:   map[string]actionFunc{},
		versions:  map[string]string{VersionECS: "Ecs", VersionVPC: "Vpc", VersionSLB: "Slb", VersionRAM: "Ram", VersionSTS: "Sts"},
		responses: map[string]reflect.Type{},
		binders:   map[string]func(*Params){},
	}
}

// Responses lists every registered action's response type by
// "version/action": what a test of every answer's encoding walks.
func (t *Table) Responses() map[string]reflect.Type { return maps.Clone(t.responses) }

// Handle registers a typed action. Req is a struct whose pointer implements
// Binder; fn runs only when binding found no violation.
func Handle[Req any, PReq interface {
	*Req
	Binder
}, Resp Response](t *Table, version, action string, fn func(context.Context, *Call, PReq) (Resp, error)) {
	t.responses[version+"/"+action] = reflect.TypeFor[Resp]()
	t.binders[version+"/"+action] = func(p *Params) { PReq(new(Req)).Bind(p) }
	t.actions[version+"/"+action] = func(ctx context.Context, c *Call) (Response, error) {
		req := PReq(new(Req))
		req.Bind(c.Params)
		if err := c.Params.Err(); err != nil {
			return nil, err
		}
		resp, err := fn(ctx, c, req)
		if err != nil {
			return nil, err
		}
		return resp, nil
	}
}

// Bind runs only the binder of a registered action over p (a recorder from
// NewRecorder, in tests that hold binders to the official parameter names)
// and reports false for an action not in the table.
func (t *Table) Bind(version, action string, p *Params) bool {
	fn, ok := t.binders[version+"/"+action]
	if ok {
		fn(p)
	}
	return ok
}

// Actions lists "Version/Action" keys, for documentation and tests.
func (t *Table) Actions() []string {
	out := make([]string, 0, len(t.actions))
	for k := range t.actions {
		out = append(out, k)
	}
	return out
}

func (t *Table) lookup(version, action string) (actionFunc, string, bool, bool) {
	product, okVersion := t.versions[version]
	fn, okAction := t.actions[version+"/"+action]
	return fn, product, okVersion, okAction
}

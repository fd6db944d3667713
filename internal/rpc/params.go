package rpc

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"sort"
	"strconv"
	"strings"

	"github.com/ecslocal/ecslocal/internal/apierr"
)

// maxListIndex bounds Name.N so that a hostile index cannot make us allocate.
const maxListIndex = 1000

// Params are the decoded request parameters of one call. Typed getters
// record the first violation, which Err returns; binding code reads every
// parameter and checks Err once, as the real API names the first bad input.
type Params struct {
	values map[string]string
	prefix string
	err    *error // shared with the sub-params of Objects and Object
	// names, in recording mode only, collects every wire name a binder asks
	// for, with "N" for list indices: what tests compare with the official
	// API definition.
	names map[string]bool
	// required, in recording mode only, are the names read by Required.
	required map[string]bool
}

// NewRecorder is a Params in recording mode over values (nil for none): a
// binder run over it asks for every parameter it reads on the paths those
// values lead to, and Names lists them. A list of objects yields one element
// whose fields read as "Name.N.Field" (values may use those keys).
func NewRecorder(values map[string]string) *Params {
	var err error
	if values == nil {
		values = map[string]string{}
	}
	return &Params{values: values, err: &err, names: map[string]bool{}, required: map[string]bool{}}
}

// RequiredNames are the names read through Required in recording mode:
// the parameters the binder refuses to go without.
func (p *Params) RequiredNames() []string {
	out := make([]string, 0, len(p.required))
	for n := range p.required {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Names are the wire names asked for in recording mode, sorted.
func (p *Params) Names() []string {
	out := make([]string, 0, len(p.names))
	for n := range p.names {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// get is every getter's one read of a parameter, so recording misses none.
func (p *Params) get(name string) (string, bool) {
	if p.names != nil {
		p.names[p.prefix+name] = true
	}
	v, ok := p.values[p.prefix+name]
	return v, ok
}

// lookup is get without presence.
func (p *Params) lookup(name string) string {
	v, _ := p.get(name)
	return v
}

// NewParams wraps decoded parameters (first value of each key).
func NewParams(values map[string]string) *Params {
	var err error
	return &Params{values: values, err: &err}
}

// Err is the first violation met by a getter, or nil.
func (p *Params) Err() error { return *p.err }

// Fail records err as the violation unless an earlier one exists; actions use
// it for checks that span several parameters.
func (p *Params) Fail(err *apierr.Error) {
	if *p.err == nil {
		*p.err = err
	}
}

// Raw is the value of a wire name without its prefix logic: for the rpc layer.
func (p *Params) Raw(name string) (string, bool) {
	v, ok := p.get(name)
	return v, ok
}

// Values returns every key and value; audit logging and fault matching read it.
func (p *Params) Values() map[string]string { return p.values }

// Has tells whether the parameter is present, even with an empty value.
func (p *Params) Has(name string) bool {
	_, ok := p.get(name)
	return ok
}

// Name is the full wire name of a parameter, as errors must name it.
func (p *Params) Name(name string) string { return p.prefix + name }

// String is an optional string; absent reads as "".
func (p *Params) String(name string) string { return p.lookup(name) }

// Required is a string that must be present and non-blank.
func (p *Params) Required(name string) string {
	if p.required != nil {
		p.required[p.prefix+name] = true
	}
	v := p.lookup(name)
	if strings.TrimSpace(v) == "" {
		p.Fail(apierr.MissingParameter.New(p.prefix + name))
	}
	return v
}

// Bool reads true or false (the only spellings clients send); absent is def.
func (p *Params) Bool(name string, def bool) bool {
	v, ok := p.get(name)
	if !ok || v == "" {
		return def
	}
	switch v {
	case "true":
		return true
	case "false":
		return false
	}
	p.Fail(apierr.InvalidParameter.New(p.prefix + name))
	return def
}

// OptBool is a tri-state boolean: nil when absent, for "unset means unchanged".
func (p *Params) OptBool(name string) *bool {
	if v, ok := p.get(name); !ok || v == "" {
		return nil
	}
	b := p.Bool(name, false)
	return &b
}

// Int reads a decimal integer within [min, max]; absent is def.
func (p *Params) Int(name string, def, min, max int) int {
	v, ok := p.get(name)
	if !ok || v == "" {
		return def
	}
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n < min || n > max {
		p.Fail(apierr.InvalidParameter.New(p.prefix + name))
		return def
	}
	return n
}

// OptInt is an integer within [min, max] or nil when absent.
func (p *Params) OptInt(name string, min, max int) *int {
	if v, ok := p.get(name); !ok || v == "" {
		return nil
	}
	n := p.Int(name, 0, min, max)
	return &n
}

// Enum reads one of allowed; absent is def. The comparison is exact, as the
// real API's is for these values.
func (p *Params) Enum(name, def string, allowed ...string) string {
	v, ok := p.get(name)
	if !ok || v == "" {
		return def
	}
	for _, a := range allowed {
		if v == a {
			return v
		}
	}
	p.Fail(apierr.InvalidParameter.New(p.prefix + name))
	return def
}

// indices returns the sorted distinct N of keys "name.N" or "name.N.<rest>".
func (p *Params) indices(name string) []int {
	head := p.prefix + name + "."
	seen := map[int]bool{}
	for k := range p.values {
		if !strings.HasPrefix(k, head) {
			continue
		}
		rest := k[len(head):]
		if i := strings.IndexByte(rest, '.'); i >= 0 {
			rest = rest[:i]
		}
		n, err := strconv.Atoi(rest)
		if err != nil || n < 1 || n > maxListIndex {
			if err == nil || rest != "" && rest[0] >= '0' && rest[0] <= '9' {
				p.Fail(apierr.InvalidParameter.New(k))
			}
			continue
		}
		seen[n] = true
	}
	out := make([]int, 0, len(seen))
	for n := range seen {
		out = append(out, n)
	}
	sort.Ints(out)
	return out
}

// List reads a RepeatList of scalars, Name.1 … Name.N, in index order.
// Empty values are skipped, as the SDKs never send them on purpose.
func (p *Params) List(name string) []string {
	if p.names != nil {
		p.names[p.prefix+name+".N"] = true
	}
	var out []string
	for _, n := range p.indices(name) {
		if v, ok := p.values[p.prefix+name+"."+strconv.Itoa(n)]; ok && v != "" {
			out = append(out, v)
		}
	}
	return out
}

// Objects reads a RepeatList of objects, Name.N.Field, as sub-params whose
// getters take the field names; errors name the full wire name.
func (p *Params) Objects(name string) []*Params {
	if p.names != nil {
		return []*Params{{values: p.values, prefix: p.prefix + name + ".N.", err: p.err, names: p.names, required: p.required}}
	}
	var out []*Params
	for _, n := range p.indices(name) {
		out = append(out, &Params{values: p.values, prefix: p.prefix + name + "." + strconv.Itoa(n) + ".", err: p.err})
	}
	return out
}

// Object reads an object parameter, Name.Field, as sub-params.
func (p *Params) Object(name string) *Params {
	return &Params{values: p.values, prefix: p.prefix + name + ".", err: p.err, names: p.names, required: p.required}
}

// JSONList reads a string parameter whose value is a JSON array of strings,
// such as DescribeInstances' InstanceIds. Absent or empty is nil.
func (p *Params) JSONList(name string) []string {
	v := strings.TrimSpace(p.lookup(name))
	if v == "" {
		return nil
	}
	var raw []any
	if err := json.Unmarshal([]byte(v), &raw); err != nil {
		p.Fail(apierr.InvalidParameter.New(p.prefix + name))
		return nil
	}
	out := make([]string, 0, len(raw))
	for _, e := range raw {
		switch x := e.(type) {
		case string:
			out = append(out, x)
		case float64:
			out = append(out, strconv.FormatFloat(x, 'f', -1, 64))
		default:
			p.Fail(apierr.InvalidParameter.New(p.prefix + name))
			return nil
		}
	}
	return out
}

// JSONInts reads a JSON array of integers within [min, max], given either as
// numbers or as strings of digits (both occur in real callers).
func (p *Params) JSONInts(name string, min, max int) []int {
	var out []int
	for _, s := range p.JSONList(name) {
		n, err := strconv.Atoi(s)
		if err != nil || n < min || n > max {
			p.Fail(apierr.InvalidParameter.New(p.prefix + name))
			return nil
		}
		out = append(out, n)
	}
	return out
}

// Tag is one Tag.N.Key / Tag.N.Value pair of a request.
type Tag struct{ Key, Value string }

// Tags reads Tag.N.Key/Tag.N.Value, at most 20, keys non-empty.
func (p *Params) Tags(name string) []Tag {
	var out []Tag
	for _, o := range p.Objects(name) {
		k, v := o.String("Key"), o.String("Value")
		if k == "" {
			if v != "" {
				p.Fail(apierr.InvalidTagKey.New())
			}
			continue
		}
		if len(k) > 128 || strings.HasPrefix(k, "aliyun") || strings.HasPrefix(k, "acs:") {
			p.Fail(apierr.InvalidTagKey.New())
			continue
		}
		out = append(out, Tag{Key: k, Value: v})
	}
	if len(out) > 20 {
		p.Fail(apierr.InvalidParameter.New(p.prefix + name))
	}
	return out
}

// ClientToken reads a ClientToken: at most 64 ASCII characters.
func (p *Params) ClientToken() string {
	v := p.lookup("ClientToken")
	if len(v) > 64 {
		p.Fail(apierr.InvalidClientToken.New())
		return ""
	}
	for i := 0; i < len(v); i++ {
		if v[i] < 0x20 || v[i] > 0x7e {
			p.Fail(apierr.InvalidClientToken.New())
			return ""
		}
	}
	return v
}

// commonParams are the protocol's own parameters: they never take part in
// the identity of a request for ClientToken purposes.
var commonParams = map[string]bool{
	"Action": true, "Version": true, "Format": true, "AccessKeyId": true, "Signature": true,
	"SignatureMethod": true, "SignatureVersion": true, "SignatureNonce": true, "SignatureType": true,
	"Timestamp": true, "SecurityToken": true, "BearerToken": true, "ClientToken": true,
	"OwnerId": true, "OwnerAccount": true, "ResourceOwnerId": true, "ResourceOwnerAccount": true,
}

// Fingerprint identifies a request's business parameters, so that a
// ClientToken replay can tell "same request" from "different request".
// Without a ClientToken it is "": only a ClientToken's replay reads it
// (store.Replay, store.Remember), and every write binds it.
func (p *Params) Fingerprint() string {
	if p.values["ClientToken"] == "" && p.values[p.prefix+"ClientToken"] == "" {
		return ""
	}
	keys := make([]string, 0, len(p.values))
	for k := range p.values {
		if !commonParams[k] {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	h := sha256.New()
	for _, k := range keys {
		h.Write([]byte(k))
		h.Write([]byte{0})
		h.Write([]byte(p.values[k]))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// RegionalID is the request shape of an action that names one resource in
// a region (DeleteSecurityGroup, DeleteLoadBalancer, DeleteVpc, …):
// RegionId and the resource's id parameter, both required. Embed it and
// bind it with BindID.
type RegionalID struct {
	RegionID string
	ID       string
}

// BindID reads RegionId and the id parameter idParam.
func (r *RegionalID) BindID(p *Params, idParam string) {
	r.RegionID = p.Required("RegionId")
	r.ID = p.Required(idParam)
}

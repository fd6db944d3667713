// Package apidef is Alibaba's own definition of the product versions ecslocal
// serves, derived from the public API metadata (aliyun/aliyun-openapi-meta)
// by ./gen and embedded: which actions exist, and per action its parameters
// with their types, required flags and sub-parameters. Tests hold every
// registered action to it; the server answers an official action it does
// not implement with NotImplemented rather than InvalidAction.NotFound.
package apidef

import (
	"embed"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
)

//go:generate go run ./gen -meta $ECSLOCAL_OPENAPI_META -out data

//go:embed data/*.json
var data embed.FS

// Param is one official parameter of an action.
type Param struct {
	Name string `json:"n"`
	// Type is the metadata's: String, Integer, Long, Boolean, Float, Double,
	// RepeatList (Name.N), Struct (Name.Field) or Array (Name.N.Field).
	Type     string  `json:"t"`
	Required bool    `json:"r,omitempty"`
	Body     bool    `json:"b,omitempty"` // sent in the body, not the query
	Sub      []Param `json:"s,omitempty"`
}

// Product is one product version's definition.
type Product struct {
	Product string             `json:"product"` // "Ecs", "Vpc", "Slb", "Ram", "Sts"
	Version string             `json:"version"`
	Source  string             `json:"source"` // the metadata repository
	Commit  string             `json:"commit"` // the metadata commit it came from
	Actions map[string][]Param `json:"actions"`
}

// Defs are the product versions, keyed by version.
type Defs struct{ byVersion map[string]*Product }

var (
	loadOnce sync.Once
	loaded   *Defs
	loadErr  error
)

// Load parses the embedded definitions once; the data never changes, so
// every caller shares the one read-only copy.
func Load() (*Defs, error) {
	loadOnce.Do(func() { loaded, loadErr = parse() })
	return loaded, loadErr
}

// MustLoad is Load for wiring and tests: the data is part of the binary, so
// a failure is a build defect.
func MustLoad() *Defs {
	d, err := Load()
	if err != nil {
		panic(err)
	}
	return d
}

func parse() (*Defs, error) {
	d := &Defs{byVersion: map[string]*Product{}}
	for _, f := range []string{"ecs.json", "vpc.json", "slb.json", "ram.json", "sts.json"} {
		raw, err := data.ReadFile("data/" + f)
		if err != nil {
			return nil, err
		}
		var p Product
		if err := json.Unmarshal(raw, &p); err != nil {
			return nil, fmt.Errorf("apidef %s: %w", f, err)
		}
		d.byVersion[p.Version] = &p
	}
	return d, nil
}

// Product is the definition of a version, or nil.
func (d *Defs) Product(version string) *Product { return d.byVersion[version] }

// Products lists the definitions in the order ECS, VPC, SLB, RAM, STS.
func (d *Defs) Products() []*Product {
	out := make([]*Product, 0, len(d.byVersion))
	for _, v := range []string{"2014-05-26", "2016-04-28", "2014-05-15", "2015-05-01", "2015-04-01"} {
		if p := d.byVersion[v]; p != nil {
			out = append(out, p)
		}
	}
	return out
}

// Official tells whether action is an official action of (product, version);
// product may be "" to ask by version alone (the versions are distinct).
func (d *Defs) Official(product, version, action string) bool {
	p := d.byVersion[version]
	if p == nil || product != "" && !strings.EqualFold(p.Product, product) {
		return false
	}
	_, ok := p.Actions[action]
	return ok
}

// Params are the official parameters of an action, nil when not official.
func (d *Defs) Params(version, action string) []Param {
	if p := d.byVersion[version]; p != nil {
		return p.Actions[action]
	}
	return nil
}

// Required are the names of the action's required top-level parameters.
func (d *Defs) Required(version, action string) []Param {
	var out []Param
	for _, p := range d.Params(version, action) {
		if p.Required {
			out = append(out, p)
		}
	}
	return out
}

// ActionNames lists the product version's official actions, sorted.
func (p *Product) ActionNames() []string {
	out := make([]string, 0, len(p.Actions))
	for a := range p.Actions {
		out = append(out, a)
	}
	slices.Sort(out)
	return out
}

// WireNames are the wire names an action's parameters take, with "N" for a
// list index: "InstanceId.N" for a RepeatList of scalars, "Tag.N.Key" for
// one of objects, "SystemDisk.Category" for a Struct member. A Struct or
// Array without listed members ends in ".*": any member is official.
func WireNames(params []Param) []string {
	types := WireTypes(params)
	out := make([]string, 0, len(types))
	for n := range types {
		out = append(out, n)
	}
	slices.Sort(out)
	return out
}

// WireTypes maps each of WireNames to the metadata type of its value
// ("String" for a list element of scalars).
func WireTypes(params []Param) map[string]string {
	out := map[string]string{}
	var walk func(prefix string, ps []Param)
	walk = func(prefix string, ps []Param) {
		for _, p := range ps {
			name := prefix + p.Name
			switch {
			case p.Type == "RepeatList" && len(p.Sub) > 0, p.Type == "Array" && len(p.Sub) > 0:
				walk(name+".N.", p.Sub)
			case p.Type == "RepeatList":
				out[name+".N"] = "String"
			case p.Type == "Struct" && len(p.Sub) > 0:
				walk(name+".", p.Sub)
			case p.Type == "Struct", p.Type == "Array":
				out[name], out[name+".*"] = p.Type, p.Type
			default:
				out[name] = p.Type
			}
		}
	}
	walk("", params)
	return out
}

// IsWireName tells whether name (with "N" for indices) is one of the action's
// official wire names.
func IsWireName(params []Param, name string) bool {
	for _, w := range WireNames(params) {
		if w == name {
			return true
		}
		if prefix, ok := strings.CutSuffix(w, "*"); ok && strings.HasPrefix(name, prefix) {
			return true
		}
	}
	return false
}

package conformance

import (
	"reflect"
	"slices"
	"strings"

	ecs "github.com/alibabacloud-go/ecs-20140526/v7/client"
	vpc "github.com/alibabacloud-go/vpc-20160428/v6/client"
	classicecs "github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
	classicram "github.com/aliyun/alibaba-cloud-sdk-go/services/ram"
	classicslb "github.com/aliyun/alibaba-cloud-sdk-go/services/slb"
	classicsts "github.com/aliyun/alibaba-cloud-sdk-go/services/sts"
	classicvpc "github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"

	"github.com/ecslocal/ecslocal/internal/rpc"
)

// modelClients are the official SDK clients whose answer models an action's
// answer is held to, first found first: the generated (v7/v6) clients, then
// the classic SDK for what they lack (ECS's legacy VPC actions, and SLB,
// whose generated module is not available to this build).
var modelClients = map[string][]reflect.Type{
	rpc.VersionECS: {reflect.TypeFor[*ecs.Client](), reflect.TypeFor[*classicecs.Client]()},
	rpc.VersionVPC: {reflect.TypeFor[*vpc.Client](), reflect.TypeFor[*classicvpc.Client]()},
	rpc.VersionSLB: {reflect.TypeFor[*classicslb.Client]()},
	rpc.VersionRAM: {reflect.TypeFor[*classicram.Client]()},
	rpc.VersionSTS: {reflect.TypeFor[*classicsts.Client]()},
}

// answerModels are the official SDKs' answer body types of an action, each
// with its SDK's package: a member is official when any of them has it, as
// the generated and the classic models lag behind one another. ECS
// 2014-05-26's VPC-family actions are served by the VPC implementation and
// held to the VPC models too.
func answerModels(version, action string) (types []reflect.Type, sdks []string) {
	versions := []string{version}
	if version == rpc.VersionECS {
		versions = append(versions, rpc.VersionVPC)
	}
	for _, v := range versions {
		for _, ct := range modelClients[v] {
			m, ok := ct.MethodByName(action)
			if !ok || m.Type.NumOut() < 1 || m.Type.Out(0).Kind() != reflect.Pointer {
				continue
			}
			resp := m.Type.Out(0).Elem()
			if body, ok := resp.FieldByName("Body"); ok {
				resp = body.Type.Elem()
			}
			types, sdks = append(types, resp), append(sdks, ct.Elem().PkgPath())
		}
		if len(types) > 0 && v == version && version != rpc.VersionECS {
			break
		}
	}
	return types, sdks
}

// jsonKind is the JSON kind a Go type encodes to.
func jsonKind(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == reflect.TypeFor[[]byte]() || t.String() == "json.RawMessage" {
		return "any"
	}
	switch t.Kind() {
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
		return "number"
	case reflect.Slice, reflect.Array:
		return "array"
	case reflect.Struct, reflect.Map:
		return "object"
	}
	return "any"
}

type jsonField struct {
	typ    reflect.Type
	kind   string
	quoted bool // ",string": a number or boolean sent as a string
}

// jsonFields are a struct's JSON members by name, embedded structs
// flattened as encoding/json does; the classic SDK's embedded
// *responses.BaseResponse carries no members.
func jsonFields(t reflect.Type) map[string]jsonField {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	out := map[string]jsonField{}
	if t.Kind() != reflect.Struct {
		return out
	}
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		name, opts, _ := strings.Cut(tag, ",")
		if name == "-" || !f.IsExported() && !f.Anonymous {
			continue
		}
		if f.Anonymous && name == "" {
			if f.Type.Kind() == reflect.Struct {
				for k, v := range jsonFields(f.Type) {
					out[k] = v
				}
			}
			continue
		}
		if name == "" {
			name = f.Name
		}
		jf := jsonField{typ: f.Type, kind: jsonKind(f.Type)}
		if slices.Contains(strings.Split(opts, ","), "string") {
			jf.kind, jf.quoted = "string", true
		}
		out[name] = jf
	}
	return out
}

// elem is the element type of an array, or t.
func elem(t reflect.Type) reflect.Type {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() == reflect.Slice || t.Kind() == reflect.Array {
		return elem(t.Elem())
	}
	return t
}

// compareModel walks our answer type against the models: extra lists
// members we send that no model has, or that the first model having them
// types differently (defects); unsent lists members some model has that
// our type never sends.
func compareModel(path string, ours reflect.Type, models []reflect.Type, extra, unsent *[]string) {
	of := jsonFields(elem(ours))
	mf := map[string][]jsonField{}
	for _, m := range models {
		for name, f := range jsonFields(elem(m)) {
			mf[name] = append(mf[name], f)
		}
	}
	for _, name := range sortedKeys(of) {
		o := of[name]
		ms, ok := mf[name]
		if !ok {
			*extra = append(*extra, path+name+" (in no model)")
			continue
		}
		if m := ms[0]; m.kind != "any" && o.kind != "any" && o.kind != m.kind {
			*extra = append(*extra, path+name+" ("+o.kind+", the model has "+m.kind+")")
			continue
		}
		if o.kind == "object" && elem(o.typ).Kind() == reflect.Struct || o.kind == "array" {
			subs := make([]reflect.Type, 0, len(ms))
			for _, m := range ms {
				subs = append(subs, m.typ)
			}
			compareModel(path+name+".", o.typ, subs, extra, unsent)
		}
	}
	for _, name := range sortedKeys(mf) {
		if _, ok := of[name]; !ok {
			*unsent = append(*unsent, path+name)
		}
	}
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

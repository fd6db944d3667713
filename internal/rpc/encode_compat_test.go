package rpc_test

import (
	"bytes"
	"encoding/json"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/ecs"
	"github.com/ecslocal/ecslocal/internal/jsonw"
	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/slb"
	"github.com/ecslocal/ecslocal/internal/store"
	"github.com/ecslocal/ecslocal/internal/vpc"
)

// TestEncodeJSONIsMarshal: every answer type of every registered action,
// filled with awkward values (HTML characters, U+2028, invalid UTF-8, huge
// and tiny floats, nil and empty slices and maps), encodes through
// EncodeJSON byte for byte as encoding/json.Marshal encodes it: the faster
// encoder changes nothing a client can see.
func TestEncodeJSONIsMarshal(t *testing.T) {
	table := rpc.NewTable()
	ecs.New(nil, nil, nil).Register(table)
	vpc.New(nil, nil, nil).Register(table)
	slb.New(nil, nil, nil).Register(table)
	types := table.Responses()
	names := make([]string, 0, len(types))
	for name := range types {
		names = append(names, name)
	}
	sort.Strings(names)
	if len(names) < 50 {
		t.Fatalf("only %d actions registered", len(names))
	}
	for _, name := range names {
		typ := types[name]
		for seed := range uint64(20) {
			f := filler{rng: rand.New(rand.NewPCG(seed, 7))}
			v := reflect.New(typ).Elem()
			f.fill(v, 0)
			want, err := json.Marshal(v.Interface())
			if err != nil {
				t.Fatalf("%s: json.Marshal: %v", name, err)
			}
			var buf bytes.Buffer
			buf.WriteString("prefix")
			if err := rpc.EncodeJSON(&buf, v.Interface()); err != nil {
				t.Fatalf("%s: EncodeJSON: %v", name, err)
			}
			if got := bytes.TrimPrefix(buf.Bytes(), []byte("prefix")); !bytes.Equal(got, want) {
				t.Fatalf("%s (seed %d):\n got %s\nwant %s", name, seed, got, want)
			}
		}
	}
}

// TestAppendJSONIsMarshal: the answers that write their own JSON
// (rpc.JSONAppender) over many more filled values than the test above, as
// both a pointer and through EncodeJSON, and TestEncodeJSONIsMarshal's
// types include at least one of them.
func TestAppendJSONIsMarshal(t *testing.T) {
	table := rpc.NewTable()
	ecs.New(nil, nil, nil).Register(table)
	vpc.New(nil, nil, nil).Register(table)
	slb.New(nil, nil, nil).Register(table)
	appenders := 0
	for name, typ := range table.Responses() {
		if !typ.Implements(reflect.TypeFor[rpc.JSONAppender]()) {
			continue
		}
		appenders++
		for seed := range uint64(2000) {
			f := filler{rng: rand.New(rand.NewPCG(seed, 13))}
			v := reflect.New(typ).Elem()
			f.fill(v, 0)
			want, err := json.Marshal(v.Interface())
			if err != nil {
				t.Fatalf("%s: json.Marshal: %v", name, err)
			}
			got, err := v.Interface().(rpc.JSONAppender).AppendJSON([]byte("prefix"))
			if err != nil {
				t.Fatalf("%s: AppendJSON: %v", name, err)
			}
			if got := bytes.TrimPrefix(got, []byte("prefix")); !bytes.Equal(got, want) {
				t.Fatalf("%s (seed %d):\n got %s\nwant %s", name, seed, got, want)
			}
		}
	}
	if appenders == 0 {
		t.Fatal("no answer type writes its own JSON")
	}
}

// TestAppendJSONFloat: jsonw.AppendFloat writes what encoding/json does,
// and refuses what it refuses.
func TestAppendJSONFloat(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	xs := append([]float64{}, awkwardFloats...)
	for range 5000 {
		xs = append(xs, math.Float64frombits(rng.Uint64()), rng.Float64()*math.Pow(10, float64(rng.IntN(60)-30)))
	}
	for _, x := range xs {
		want, werr := json.Marshal(x)
		got, gerr := jsonw.AppendFloat(nil, x)
		if (werr != nil) != (gerr != nil) || werr == nil && !bytes.Equal(got, want) {
			t.Fatalf("%v: got %s, %v; want %s, %v", x, got, gerr, want, werr)
		}
	}
}

// TestAppendJSONString: jsonw.AppendString writes every string as
// encoding/json does, random bytes and runes included.
func TestAppendJSONString(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 1))
	ss := append([]string{}, awkward...)
	for range 5000 {
		b := make([]byte, rng.IntN(12))
		for i := range b {
			b[i] = byte(rng.UintN(256))
		}
		ss = append(ss, string(b), string([]rune{rune(rng.IntN(0x10ffff)), rune(rng.IntN(0x3000)), rune(rng.IntN(0x80))}))
	}
	for _, s := range ss {
		want, _ := json.Marshal(s)
		if got := jsonw.AppendString(nil, s); !bytes.Equal(got, want) {
			t.Fatalf("%q: got %s want %s", s, got, want)
		}
	}
}

// filler puts pseudo-random awkward values into every exported field.
type filler struct{ rng *rand.Rand }

var awkward = []string{
	"", "plain", `<a href="x">&amp;</a>`, "quote\" back\\slash", "line\nbreak\ttab\r", "\u2028\u2029",
	"é中文🙂", "bad\xffutf8", "\x00\x01\x1f", "1970-01-01T00:00:00Z",
}

var awkwardFloats = []float64{0, -0.0, 0.1, 1.5, 100, 1e20, 1e21, 1.234e-7, 1e-6, -3.25, math.MaxFloat64, math.SmallestNonzeroFloat64}

func (f filler) fill(v reflect.Value, depth int) {
	switch v.Kind() {
	case reflect.String:
		v.SetString(awkward[f.rng.IntN(len(awkward))])
	case reflect.Bool:
		v.SetBool(f.rng.IntN(2) == 1)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		bits := v.Type().Bits()
		v.SetInt(f.rng.Int64() >> (64 - bits) >> f.rng.IntN(bits))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		bits := v.Type().Bits()
		v.SetUint(f.rng.Uint64() >> (64 - bits) >> f.rng.IntN(bits))
	case reflect.Float32, reflect.Float64:
		x := awkwardFloats[f.rng.IntN(len(awkwardFloats))]
		if v.Kind() == reflect.Float32 && math.Abs(x) > math.MaxFloat32 {
			x = 1e30
		}
		v.SetFloat(x)
	case reflect.Pointer:
		if depth > 6 || f.rng.IntN(4) == 0 {
			return // nil
		}
		v.Set(reflect.New(v.Type().Elem()))
		f.fill(v.Elem(), depth+1)
	case reflect.Slice:
		switch n := f.rng.IntN(4); {
		case n == 0 || depth > 6:
			// nil
		default:
			s := reflect.MakeSlice(v.Type(), n-1, n-1)
			for i := range n - 1 {
				f.fill(s.Index(i), depth+1)
			}
			v.Set(s)
		}
	case reflect.Map:
		if depth > 6 || f.rng.IntN(4) == 0 {
			return
		}
		m := reflect.MakeMap(v.Type())
		for range f.rng.IntN(3) {
			k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
			f.fill(k, depth+1)
			f.fill(e, depth+1)
			m.SetMapIndex(k, e)
		}
		v.Set(m)
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[time.Time]() {
			v.Set(reflect.ValueOf(time.Unix(f.rng.Int64N(4e9), f.rng.Int64N(1e9)).UTC()))
			return
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				f.fill(v.Field(i), depth+1)
			}
		}
	case reflect.Interface:
		if f.rng.IntN(2) == 0 {
			v.Set(reflect.ValueOf(awkward[f.rng.IntN(len(awkward))]))
		}
	}
}

// TestStoredDocumentIsMarshal: every declared kind's stored type, filled
// with awkward values, encodes through store.RecordOf (goccy/go-json) byte
// for byte as encoding/json.Marshal encodes it, so stored documents are
// what they were.
func TestStoredDocumentIsMarshal(t *testing.T) {
	kinds := cloud.Kinds()
	if len(kinds) < 10 {
		t.Fatalf("only %d kinds declared", len(kinds))
	}
	for _, k := range kinds {
		zero, err := k.Decode([]byte("{}"))
		if err != nil {
			t.Fatalf("%s: %v", k.Name, err)
		}
		typ := reflect.TypeOf(zero)
		compared := 0
		for seed := range uint64(20) {
			f := filler{rng: rand.New(rand.NewPCG(seed, 11))}
			v := reflect.New(typ).Elem()
			f.fill(v, 0)
			r := v.Interface().(cloud.Resource)
			want, err := json.Marshal(r)
			if err != nil {
				t.Fatalf("%s: json.Marshal: %v", k.Name, err)
			}
			rec, err := store.RecordOf(r)
			if err != nil {
				continue // a filled value may break the kind's index rules
			}
			if !bytes.Equal(rec.Data, want) {
				t.Fatalf("%s (seed %d):\n got %s\nwant %s", k.Name, seed, rec.Data, want)
			}
			compared++
		}
		if compared == 0 {
			t.Errorf("%s: no filled value could be stored", k.Name)
		}
	}
}

// TestRecordStatusIsDocumentStatus: every declared kind's stored type,
// filled with awkward values, has the status its typed write knows
// (store.RecordOf) read as its document reads it, so the journal's
// StatusBefore and StatusAfter are what they were; the kinds of a launch
// and a release know theirs.
func TestRecordStatusIsDocumentStatus(t *testing.T) {
	known := map[string]int{}
	for _, k := range cloud.Kinds() {
		zero, err := k.Decode([]byte("{}"))
		if err != nil {
			t.Fatalf("%s: %v", k.Name, err)
		}
		typ := reflect.TypeOf(zero)
		for seed := range uint64(40) {
			f := filler{rng: rand.New(rand.NewPCG(seed, 13))}
			v := reflect.New(typ).Elem()
			f.fill(v, 0)
			rec, err := store.RecordOf(v.Interface().(cloud.Resource))
			if err != nil {
				continue
			}
			got, ok := store.RecordStatus(rec)
			if want := store.DocumentStatus(rec.Data); got != want {
				t.Fatalf("%s (seed %d): status %q (known %v), the document reads %q", k.Name, seed, got, ok, want)
			}
			if ok {
				known[k.Name]++
			}
		}
	}
	for _, k := range []string{cloud.KindInstance, cloud.KindDisk, cloud.KindENI, cloud.KindVSwitch} {
		if known[k] == 0 {
			t.Errorf("%s: no status known from its value", k)
		}
	}
}

// TestAppendDocumentIsMarshal: the stored types that write their own
// document (cloud.DocumentAppender), filled with awkward values 3 000 times
// each, write what encoding/json.Marshal writes, and fail where it fails
// (a time past year 9999); a field added to one of them and not to its
// writer fails here.
func TestAppendDocumentIsMarshal(t *testing.T) {
	types := []cloud.Resource{cloud.Instance{}, cloud.Disk{}, cloud.ENI{}, cloud.VSwitch{}}
	for _, k := range cloud.Kinds() {
		zero, err := k.Decode([]byte("{}"))
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := zero.(cloud.DocumentAppender); ok && !slices.ContainsFunc(types, func(r cloud.Resource) bool { return r.Kind() == k.Name }) {
			types = append(types, zero)
		}
	}
	for _, zero := range types {
		typ := reflect.TypeOf(zero)
		for seed := range uint64(3000) {
			f := filler{rng: rand.New(rand.NewPCG(seed, 17))}
			v := reflect.New(typ).Elem()
			f.fill(v, 0)
			if seed%500 == 7 {
				// A time no RFC 3339 writer takes.
				v.FieldByName("Created").Set(reflect.ValueOf(time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)))
			}
			a, ok := v.Interface().(cloud.DocumentAppender)
			if !ok {
				t.Fatalf("%s does not write its own document", typ)
			}
			want, wantErr := json.Marshal(v.Interface())
			got, err := a.AppendDocument(nil)
			if (err != nil) != (wantErr != nil) {
				t.Fatalf("%s (seed %d): error %v, json.Marshal's %v", typ, seed, err, wantErr)
			}
			if err == nil && !bytes.Equal(got, want) {
				t.Fatalf("%s (seed %d):\n got %s\nwant %s", typ, seed, got, want)
			}
		}
	}
}

// TestKeptIsDecoded: the stored types whose written value a store may keep
// (cloud.Kept), filled with awkward values 3 000 times each (strings made
// valid UTF-8 or not, times in UTC, in another zone, with a monotonic
// reading), answer as DecodedCopy what decoding their document gives, or
// false; and those that copy their kept values (cloud.Copier) answer as
// Copy an equal value that shares nothing with its original. A field
// added to one of them and not to its copy fails here.
func TestKeptIsDecoded(t *testing.T) {
	east := time.FixedZone("east", 8*3600)
	for _, k := range cloud.Kinds() {
		zero, err := k.Decode([]byte("{}"))
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := zero.(cloud.Copier); !ok {
			continue
		}
		_, isKept := zero.(cloud.Kept)
		typ := reflect.TypeOf(zero)
		kept := 0
		for seed := range uint64(3000) {
			rng := rand.New(rand.NewPCG(seed, 19))
			f := filler{rng: rng}
			v := reflect.New(typ).Elem()
			f.fill(v, 0)
			mode := rng.IntN(4)
			walkValues(v, func(x reflect.Value) {
				switch {
				case x.Kind() == reflect.String && mode != 0 && x.CanSet():
					x.SetString(strings.ToValidUTF8(x.String(), "?"))
				case x.Type() == reflect.TypeFor[time.Time]() && x.CanSet():
					tm := x.Interface().(time.Time)
					switch rng.IntN(8) {
					case 0:
						x.Set(reflect.ValueOf(time.Time{}))
					case 1:
						if mode == 3 {
							x.Set(reflect.ValueOf(tm.In(east)))
						}
					case 2:
						x.Set(reflect.ValueOf(time.Now()))
					case 3:
						x.Set(reflect.ValueOf(time.Now().UTC()))
					}
				}
			})
			r := v.Interface().(cloud.Resource)
			rec, err := store.RecordOf(r)
			if err != nil {
				continue
			}
			want, err := k.Decode(rec.Data)
			if err != nil {
				continue // a negative duration: written, never read back
			}
			if k, ok := r.(cloud.Kept); ok {
				if got, ok := k.DecodedCopy(rec.Data); ok {
					kept++
					if !reflect.DeepEqual(got, want) {
						t.Fatalf("%s (seed %d): DecodedCopy\n%#v\ndecoded\n%#v", typ, seed, got, want)
					}
					if shares(reflect.ValueOf(got), reflect.ValueOf(r)) {
						t.Fatalf("%s (seed %d): DecodedCopy shares memory with its original", typ, seed)
					}
				}
			}
			cp := want.(cloud.Copier).Copy()
			if !reflect.DeepEqual(cp, want) || shares(reflect.ValueOf(cp), reflect.ValueOf(want)) {
				t.Fatalf("%s (seed %d): Copy is not a deep copy", typ, seed)
			}
		}
		if isKept && kept < 100 {
			t.Errorf("%s: only %d of 3000 values kept", typ, kept)
		}
	}
}

// walkValues calls fn on v and every value inside it.
func walkValues(v reflect.Value, fn func(reflect.Value)) {
	fn(v)
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			walkValues(v.Elem(), fn)
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			walkValues(v.Index(i), fn)
		}
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[time.Time]() {
			return
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				walkValues(v.Field(i), fn)
			}
		}
	}
}

// shares tells whether a and b (of one type) hold a pointer, a slice's
// elements or a map in common.
func shares(a, b reflect.Value) bool {
	if a.Kind() == reflect.Interface {
		if a.IsNil() || b.IsNil() {
			return false
		}
		a, b = a.Elem(), b.Elem()
	}
	switch a.Kind() {
	case reflect.Pointer:
		if a.IsNil() || b.IsNil() {
			return false
		}
		return a.Pointer() == b.Pointer() || shares(a.Elem(), b.Elem())
	case reflect.Map:
		return !a.IsNil() && !b.IsNil() && a.Pointer() == b.Pointer()
	case reflect.Slice:
		if a.Cap() > 0 && b.Cap() > 0 && a.Pointer() == b.Pointer() {
			return true
		}
		for i := range min(a.Len(), b.Len()) {
			if shares(a.Index(i), b.Index(i)) {
				return true
			}
		}
	case reflect.Struct:
		if a.Type() == reflect.TypeFor[time.Time]() {
			return false
		}
		for i := range a.NumField() {
			if a.Type().Field(i).IsExported() && shares(a.Field(i), b.Field(i)) {
				return true
			}
		}
	}
	return false
}

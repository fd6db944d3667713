package store

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	gojson "github.com/goccy/go-json"
)

// sameDecoded is SameDocument without its shortcut: both documents decoded
// whole and compared.
func sameDecoded(a, b []byte) bool {
	var x, y any
	if gojson.Unmarshal(a, &x) != nil || gojson.Unmarshal(b, &y) != nil {
		return false
	}
	return reflect.DeepEqual(x, y)
}

// TestSameDocumentShortcut: SameDocument answers what decoding both
// documents whole answers, for reordered, respaced, changed, duplicated,
// escaped and malformed documents.
func TestSameDocumentShortcut(t *testing.T) {
	cases := [][2]string{
		{`{"a":1,"b":"x"}`, `{"a":1,"b":"x"}`},
		{`{"a":1,"b":"x"}`, `{"b": "x", "a": 1}`},
		{`{"a":1,"b":"x"}`, `{"a":1,"b":"y"}`},
		{`{"a":1,"b":"x"}`, `{"a":1.0,"b":"x"}`},
		{`{"a":1,"b":"x"}`, `{"a":1,"b":"\u0078"}`},
		{`{"a":1,"b":"x"}`, `{"a":1}`},
		{`{"a":1}`, `{"a":1,"b":"x"}`},
		{`{"a":1,"b":null}`, `{"a":1}`},
		{`{"a":{"x":1,"y":[1,2]}}`, `{"a": {"y": [1, 2], "x": 1}}`},
		{`{"a":{"x":1,"y":[1,2]}}`, `{"a":{"x":1,"y":[2,1]}}`},
		{`{"k":1,"k":2}`, `{"k":3,"k":2}`},
		{`{"k":1,"k":2}`, `{"k":2}`},
		{`{"k":2}`, `{"k":1,"k":2}`},
		{`{"k":3,"j":1}`, `{"k":1,"k":3,"j":1}`},
		{`{"k":1,"j":2}`, `{"j":2,"k":1,"k":5}`},
		{`{"\u006b":1}`, `{"k":1}`},
		{`{"\u006b":1}`, `{"k":2}`},
		{`{"a":"\"}"}`, `{"a":"\"]"}`},
		{`{"a":"}"}`, `{"a":"}","b":1}`},
		{`{}`, `{ }`},
		{`{}`, `{"a":1}`},
		{`[1,2]`, `[1,2 ]`},
		{`null`, `{}`},
		{`{"a":1`, `{"a":2}`},
		{`{"a":1}x`, `{"a":2}`},
		{`{"a":tru}`, `{"a":true}`},
		{`{"a":1,}`, `{"a":2}`},
		{`{"a" 1}`, `{"a":2}`},
		{`{"a":[1,{"b":"]"}]}`, `{"a":[1,{"b":"]"}],"c":1}`},
		{`{"é":1}`, `{"é":2}`},
	}
	for _, c := range cases {
		a, b := []byte(c[0]), []byte(c[1])
		if got, want := SameDocument(a, b), sameDecoded(a, b); got != want {
			t.Errorf("SameDocument(%s, %s) = %v, decoded whole %v", a, b, got, want)
		}
		if got, want := SameDocument(b, a), sameDecoded(b, a); got != want {
			t.Errorf("SameDocument(%s, %s) = %v, decoded whole %v", b, a, got, want)
		}
	}
	// Documents of a few members and their variants.
	r := rand.New(rand.NewPCG(1, 2))
	values := []string{`1`, `1.0`, `2`, `"x"`, `"y"`, `"\u0078"`, `true`, `null`, `[]`, `[1,"a"]`, `{"n":1}`, `{ "n" : 1 }`, `{"n":2}`, `"}"`}
	keys := []string{"a", "b", "c", "status", "id"}
	for n := range 5000 {
		type kv struct{ k, v string }
		var doc []kv
		for range r.IntN(6) {
			doc = append(doc, kv{keys[r.IntN(len(keys))], values[r.IntN(len(values))]})
		}
		other := append([]kv(nil), doc...)
		switch n % 5 {
		case 0: // reordered
			r.Shuffle(len(other), func(i, j int) { other[i], other[j] = other[j], other[i] })
		case 1: // a value changed
			if len(other) > 0 {
				other[r.IntN(len(other))].v = values[r.IntN(len(values))]
			}
		case 2: // a member added
			other = append(other, kv{keys[r.IntN(len(keys))], values[r.IntN(len(values))]})
		case 3: // a member dropped
			if len(other) > 0 {
				i := r.IntN(len(other))
				other = append(other[:i], other[i+1:]...)
			}
		}
		text := func(d []kv, sep string) []byte {
			parts := make([]string, len(d))
			for i, m := range d {
				parts[i] = fmt.Sprintf("%q:%s%s", m.k, sep, m.v)
			}
			return []byte("{" + strings.Join(parts, ","+sep) + "}")
		}
		a, b := text(doc, ""), text(other, []string{"", " "}[r.IntN(2)])
		if got, want := SameDocument(a, b), sameDecoded(a, b); got != want {
			t.Fatalf("SameDocument(%s, %s) = %v, decoded whole %v", a, b, got, want)
		}
	}
}

// BenchmarkSameDocument: a vSwitch written back with its next address moved.
func BenchmarkSameDocument(b *testing.B) {
	before := []byte(`{"id":"vsw-bp1","region":"cn-hangzhou","zone":"cn-hangzhou-h","vpcId":"vpc-bp1","cidrBlock":"10.0.0.0/16","name":"","description":"","status":"Available","created":"2026-01-01T00:00:00Z","nextIp":"10.0.0.17","tags":[{"key":"a","value":"b"}],"resourceGroup":"rg-1"}`)
	after := []byte(`{"id":"vsw-bp1","region":"cn-hangzhou","zone":"cn-hangzhou-h","vpcId":"vpc-bp1","cidrBlock":"10.0.0.0/16","name":"","description":"","status":"Available","created":"2026-01-01T00:00:00Z","nextIp":"10.0.0.18","tags":[{"key":"a","value":"b"}],"resourceGroup":"rg-1"}`)
	b.Run("shortcut", func(b *testing.B) {
		for b.Loop() {
			SameDocument(before, after)
		}
	})
	b.Run("decoded", func(b *testing.B) {
		for b.Loop() {
			sameDecoded(before, after)
		}
	})
}

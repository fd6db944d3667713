package rpc

import (
	"math/rand/v2"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
)

// TestReadParamsAsParseQuery: readParams, parsing in place, answers what
// the url.ParseQuery route (readParamsSlow) answers, values and refusal,
// over random queries and form bodies of escapes, '+', ';', '=' and repeats.
func TestReadParamsAsParseQuery(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 2))
	atoms := []string{"a", "B", "Action", "Version", "%41", "%4", "%zz", "%", "+", "%2B", "%26", "=", "&", ";", "%3B", "é", "%C3%A9", "%ff", "", "x y"}
	piece := func() string {
		var b strings.Builder
		for range rng.IntN(12) {
			b.WriteString(atoms[rng.IntN(len(atoms))])
		}
		return b.String()
	}
	for n := range 20000 {
		query, body := piece(), piece()
		ct := "application/x-www-form-urlencoded"
		if n%5 == 0 {
			ct = "text/plain"
		}
		r := httptest.NewRequest("POST", "/", strings.NewReader(body))
		r.URL.RawQuery = query
		r.Header.Set("Content-Type", ct)
		got, gerr := readParams(r, []byte(body))
		if ct != "application/x-www-form-urlencoded" {
			body = ""
		}
		want, werr := readParamsSlow(query, body)
		if (gerr == nil) != (werr == nil) || gerr != nil && gerr.Error() != werr.Error() || !reflect.DeepEqual(got, want) {
			t.Fatalf("query %q body %q:\n got %v, %v\nwant %v, %v", query, body, got, gerr, want, werr)
		}
	}
	// Past fastParams pairs the slow route answers, with ParseQuery's bound.
	big := strings.Repeat("a=1&", fastParams) + "b=2"
	r := httptest.NewRequest("GET", "/?"+big, nil)
	if p, err := readParams(r, nil); err != nil || p["a"] != "1" || p["b"] != "2" || len(p) != 2 {
		t.Fatalf("%d pairs: %v %v", fastParams+1, p, err)
	}
}

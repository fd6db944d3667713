package store

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// TestMemoKeysAsBuilt: QueryKey and GetKey, built on the stack, are the
// keys NewMemoKey builds from the same arguments, short and past the stack
// buffer alike.
func TestMemoKeysAsBuilt(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	str := func() string { return strings.Repeat("ab:;c", r.IntN(4)) + string(rune('a'+r.IntN(26))) }
	strs := func() []string {
		switch r.IntN(4) {
		case 0:
			return nil
		case 1:
			return []string{}
		}
		out := make([]string, r.IntN(40))
		for i := range out {
			out[i] = str()
		}
		return out
	}
	long := 0
	for range 2000 {
		q := Query{Kind: str(), Region: str(), IDs: strs(), AfterSeq: r.Int64N(1 << 40), Offset: r.IntN(100), Limit: r.IntN(100), Count: r.IntN(2) == 0}
		for range r.IntN(4) {
			q.Filters = append(q.Filters, Filter{Name: str(), Values: strs(), Not: r.IntN(2) == 0})
		}
		account := str()
		want := NewMemoKey('q', account).Str(q.Kind).Str(q.Region).Strs(q.IDs).Int(int64(len(q.Filters)))
		for _, f := range q.Filters {
			want = want.Str(f.Name).Strs(f.Values)
			if f.Not {
				want = append(want, '!')
			}
		}
		want = want.Int(q.AfterSeq).Int(int64(q.Offset)).Int(int64(q.Limit))
		if q.Count {
			want = append(want, 'c')
		}
		if got := QueryKey(account, q); got != string(want) {
			t.Fatalf("QueryKey(%q, %+v) = %q, want %q", account, q, got, want)
		}
		if len(want) > 512 {
			long++
		}
		kind, id := str(), str()
		if got, want := GetKey(account, kind, id), string(NewMemoKey('g', account).Str(kind).Str(id)); got != want {
			t.Fatalf("GetKey = %q, want %q", got, want)
		}
	}
	if long == 0 {
		t.Error("no key past the stack buffer")
	}
}

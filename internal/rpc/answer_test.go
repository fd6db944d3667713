package rpc

import (
	"bytes"
	"testing"

	"github.com/ecslocal/ecslocal/internal/jsonw"
)

type selfEncoded struct{ A string }

func (s *selfEncoded) AppendJSON(b []byte) ([]byte, error) {
	return jsonw.AppendString(append(b, `{"A":`...), s.A), nil
}

// TestAppendAnswer: the handler's encoding appends after what its pooled
// buffer holds, through an answer's own AppendJSON or through EncodeJSON.
func TestAppendAnswer(t *testing.T) {
	for _, v := range []any{&struct {
		Base
		N []int `json:"N"`
	}{Base{"R"}, nil}, &selfEncoded{"<x>"}, map[string]int{"b": 2, "a": 1}} {
		var want bytes.Buffer
		want.WriteString("kept")
		if err := EncodeJSON(&want, v); err != nil {
			t.Fatal(err)
		}
		got, err := appendAnswer(append(make([]byte, 0, 4), "kept"...), v)
		if err != nil || !bytes.Equal(got, want.Bytes()) {
			t.Fatalf("%T: got %s, %v; want %s", v, got, err, want.Bytes())
		}
	}
}

package rpc

import (
	"bufio"
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecslocal/ecslocal/internal/jsonw"
)

// FuzzJSONToXML: whatever JSON a response struct could marshal to, the XML
// answer (Format=XML) never panics the encoder and is well-formed: one root
// element named after the action, valid element names, every element
// closed, text in XML's character range, as encoding/xml reads it.
// Seeded with the real response bodies of the recorded client sessions
// (testdata/traffic) and with edge cases.
func FuzzJSONToXML(f *testing.F) {
	for _, body := range recordedBodies(f, 40) {
		f.Add("DescribeInstancesResponse", body)
	}
	for _, s := range []string{
		`{}`,
		`{"RequestId":"A-B","TotalCount":0,"Instances":{"Instance":[]}}`,
		`{"Items":{"Item":[{"A":1},{"A":2.5e10},{"A":null},{"A":true}]}}`,
		`{"Nested":[[1,2],[],[{"X":"y"}]]}`,
		`{"Text":"<&>\"'\u0000\u0008\ufffe\ud800 é 中文"}`,
		`{"":"empty key","1st":"digit","a b":"space","x:y":"colon","-z":"dash","\u00e9t\u00e9":"letter"}`,
		`["top-level","array"]`,
		`"scalar"`,
		`null`,
		`{"A":{"B":{"C":{"D":{"E":[{"F":[]}]}}}}}`,
		`{"Dup":1,"Dup":2}`,
		`{"Big":123456789012345678901234567890,"Neg":-0.0}`,
	} {
		f.Add("Response", s)
	}
	f.Add("", `{"A":1}`)
	f.Add("Bad Root<", `{"A":1}`)
	f.Fuzz(func(t *testing.T, root, body string) {
		var b bytes.Buffer
		err := JSONToXML(&b, root, []byte(body))
		if err != nil {
			return // not a JSON value: an error, never a panic
		}
		checkWellFormed(t, b.Bytes())
	})
}

// TestJSONToXML_Names: element names that are not XML names are made into
// ones, the same way every time, so an answer stays well-formed whatever
// keys a document carries.
func TestJSONToXML_Names(t *testing.T) {
	for _, c := range []struct{ key, want string }{
		{"InstanceId", "InstanceId"},
		{"", "_"},
		{"1st", "_1st"},
		{"a b", "a_b"},
		{"x:y", "x_y"},
		{"-z", "_-z"},
		{"été", "_t_"},
		{"a<b>", "a_b_"},
	} {
		var b bytes.Buffer
		if err := JSONToXML(&b, "R", []byte(`{"`+c.key+`":"v"}`)); err != nil {
			t.Fatal(err)
		}
		if want := "<R><" + c.want + ">v</" + c.want + "></R>"; b.String() != want {
			t.Errorf("key %q: %s, want %s", c.key, b.String(), want)
		}
	}
}

// checkWellFormed fails unless doc is one well-formed XML element.
func checkWellFormed(t *testing.T, doc []byte) {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(doc))
	depth, roots := 0, 0
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v\n%s", err, doc)
		}
		switch tk := tok.(type) {
		case xml.StartElement:
			if depth == 0 {
				roots++
			}
			depth++
			if tk.Name.Space != "" || !isXMLName(tk.Name.Local) {
				t.Fatalf("element name %q:%q is not an XML name\n%s", tk.Name.Space, tk.Name.Local, doc)
			}
		case xml.EndElement:
			depth--
		case xml.CharData:
			if depth == 0 && len(bytes.TrimSpace(tk)) > 0 {
				t.Fatalf("text outside the root element\n%s", doc)
			}
		}
	}
	if depth != 0 || roots != 1 {
		t.Fatalf("%d root elements, depth %d at the end, want one closed root\n%s", roots, depth, doc)
	}
}

// isXMLName: an ASCII letter or "_" first, then ASCII letters, digits,
// "_", "-", "."; no ":" (namespaces are not ours to make).
func isXMLName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z':
		case i > 0 && ('0' <= c && c <= '9' || c == '-' || c == '.'):
		default:
			return false
		}
	}
	return true
}

// recordedBodies reads up to n successful JSON answers from the recorded
// sessions in testdata/traffic.
func recordedBodies(tb testing.TB, n int) []string {
	files, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "traffic", "*.jsonl"))
	var out []string
	for _, name := range files {
		fh, err := os.Open(name)
		if err != nil {
			continue
		}
		sc := bufio.NewScanner(fh)
		sc.Buffer(make([]byte, 1<<20), 16<<20)
		for sc.Scan() && len(out) < n {
			var rec struct {
				Status   int    `json:"status"`
				Response string `json:"response"`
			}
			if json.Unmarshal(sc.Bytes(), &rec) == nil && rec.Status == 200 && strings.HasPrefix(rec.Response, "{") {
				out = append(out, rec.Response)
			}
		}
		fh.Close()
	}
	if len(out) == 0 {
		tb.Log("no recorded answers in testdata/traffic; seeding with edge cases only")
	}
	return out
}

// FuzzEncodeJSON: whatever strings and numbers an answer holds, EncodeJSON
// (goccy/go-json) writes what encoding/json.Marshal writes, or fails where
// it fails (NaN, infinities), and so do AppendJSONString and AppendJSONFloat.
// TestEncodeJSONIsMarshal walks every answer type; this searches the values.
func FuzzEncodeJSON(f *testing.F) {
	f.Add("plain", 1.5, int64(7), true)
	f.Add(`<a href="x">&amp;</a>`, 1e21, int64(-1), false)
	f.Add("\u2028\u2029\xff\x00é中", 1.234e-7, int64(1)<<62, true)
	f.Add("", 0.0, int64(0), false)
	type inner struct {
		S string  `json:"s,omitempty"`
		F float32 `json:"f"`
	}
	type answer struct {
		RequestID string            `json:"RequestId"`
		S         string            `json:"S"`
		F         float64           `json:"F"`
		N         int64             `json:"N"`
		U         uint16            `json:"U"`
		B         bool              `json:"B,omitempty"`
		L         []string          `json:"L"`
		M         map[string]string `json:"M"`
		A         any               `json:"A"`
		P         *inner            `json:"P"`
		I         []inner           `json:"I"`
		Raw       json.RawMessage   `json:"Raw,omitempty"`
	}
	f.Fuzz(func(t *testing.T, s string, x float64, n int64, b bool) {
		v := answer{
			RequestID: s, S: s, F: x, N: n, U: uint16(n), B: b,
			L: []string{s, "", s + s}, M: map[string]string{s: s, "k" + s: "", "": s},
			A: map[string]any{s: x, "n": n, "l": []any{s, b, nil}}, P: &inner{S: s, F: float32(x)},
			I: []inner{{S: s}, {F: float32(n)}},
		}
		if b {
			v.Raw = json.RawMessage(`{"x": [1, 2]}`)
		}
		want, wantErr := json.Marshal(v)
		var buf bytes.Buffer
		gotErr := EncodeJSON(&buf, v)
		if (wantErr != nil) != (gotErr != nil) {
			t.Fatalf("errors differ: encoding/json %v, EncodeJSON %v", wantErr, gotErr)
		}
		if wantErr == nil && !bytes.Equal(buf.Bytes(), want) {
			t.Fatalf("EncodeJSON:\n%s\nencoding/json:\n%s", buf.Bytes(), want)
		}
		// The helpers of answers that write their own JSON, likewise.
		if got, want := jsonw.AppendString(nil, s), must(json.Marshal(s)); !bytes.Equal(got, want) {
			t.Fatalf("AppendJSONString: %s, encoding/json %s", got, want)
		}
		fwant, ferr := json.Marshal(x)
		fgot, fgotErr := jsonw.AppendFloat(nil, x)
		if (ferr != nil) != (fgotErr != nil) || ferr == nil && !bytes.Equal(fgot, fwant) {
			t.Fatalf("jsonw.AppendFloat(%v): %s, %v; encoding/json %s, %v", x, fgot, fgotErr, fwant, ferr)
		}
	})
}

func must(b []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return b
}

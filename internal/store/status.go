package store

import (
	"bytes"
	"encoding"
	"encoding/json"
	"reflect"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/ecslocal/ecslocal/internal/cloud"
)

// The journal reads the "status" of every version of a record a
// transaction changed, before and after (Change.StatusBefore,
// StatusAfter): a decoding of the document each, some twelve per launch
// and release. A typed write (RecordOf) knows it from the value it
// encodes, and the record keeps it with the bytes it was known for; a
// backend that keeps records in memory hands it back with the version it
// replaced (KeepStatus). Anything else is read from the document as before.

// docStatus is a record's "status" as its typed write knew it, valid while
// the record's Data is the slice it was known for (data and n): a Record
// whose Data was replaced or cut is read from its document.
type docStatus struct {
	data *byte
	n    int
	s    string
}

// knownStatus answers the status the record's typed write knew for its Data.
func (r *Record) knownStatus() (string, bool) {
	if r.status.data == nil || len(r.Data) != r.status.n || &r.Data[0] != r.status.data {
		return "", false
	}
	return r.status.s, true
}

// KeepStatus gives dst the status src's typed write knew, when dst's Data
// holds the same bytes as src's (a backend's copy of what it was given).
func KeepStatus(dst, src *Record) {
	if s, ok := src.knownStatus(); ok && len(dst.Data) > 0 && bytes.Equal(dst.Data, src.Data) {
		dst.status = docStatus{data: &dst.Data[0], n: len(dst.Data), s: s}
	}
}

// RecordStatus answers the top-level "status" of r's document: as its
// typed write knew it (known true), else read from the document.
func RecordStatus(r Record) (status string, known bool) {
	if s, ok := r.knownStatus(); ok {
		return s, true
	}
	return DocumentStatus(r.Data), false
}

// DocumentStatus reads the top-level "status" string of a JSON document
// ("" when it has none, or it is no string).
func DocumentStatus(data []byte) string { return statusOf(data) }

// statusField is where a stored type keeps what its document's "status"
// reads: the index of a string field, -1 for none; ok false when the
// value alone cannot tell (the document is read).
type statusField struct {
	index int
	ok    bool
}

var statusFields sync.Map // reflect.Type → statusField

// valueStatus is the status r's document will read, when r's type tells
// it plainly: its one field whose JSON name is "status" in any case (the
// decoding matches names so) is a plain string of valid UTF-8, or it has
// none. A type with embedded fields or its own encoding is read from its
// document.
func valueStatus(r cloud.Resource) (string, bool) {
	t := reflect.TypeOf(r)
	f, ok := statusFields.Load(t)
	if !ok {
		f, _ = statusFields.LoadOrStore(t, planStatus(t))
	}
	sf := f.(statusField)
	switch {
	case !sf.ok:
		return "", false
	case sf.index < 0:
		return "", true
	}
	s := reflect.ValueOf(r).Field(sf.index).String()
	if !utf8.ValidString(s) {
		return "", false // encoded with U+FFFD in place of the bytes
	}
	return s, true
}

var (
	jsonMarshaler = reflect.TypeFor[json.Marshaler]()
	textMarshaler = reflect.TypeFor[encoding.TextMarshaler]()
)

// ownEncoding tells whether t (or *t) encodes itself.
func ownEncoding(t reflect.Type) bool {
	p := reflect.PointerTo(t)
	return t.Implements(jsonMarshaler) || t.Implements(textMarshaler) || p.Implements(jsonMarshaler) || p.Implements(textMarshaler)
}

func planStatus(t reflect.Type) statusField {
	if t.Kind() != reflect.Struct || ownEncoding(t) {
		return statusField{}
	}
	at := -1
	for i := range t.NumField() {
		f := t.Field(i)
		if f.Anonymous {
			return statusField{} // promoted fields: not followed here
		}
		tag := f.Tag.Get("json")
		if !f.IsExported() || tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if name == "" {
			name = f.Name
		}
		if !strings.EqualFold(name, "status") {
			continue
		}
		if at >= 0 || f.Type.Kind() != reflect.String || ownEncoding(f.Type) || strings.Contains(","+opts+",", ",string,") {
			return statusField{}
		}
		at = i
	}
	return statusField{index: at, ok: true}
}

package store

import (
	"bytes"
	"reflect"

	gojson "github.com/goccy/go-json"
)

// differ tells, without decoding either document whole, that two JSON
// objects decode to different values: one has a key the other lacks, or
// a key's values decode differently. False means not known (the same
// members, or text it does not read plainly: a key with an escape, a key
// twice, not an object): the caller compares the decoded documents. A
// record written back with one field changed (a vSwitch's next address)
// decodes two values here, not two whole documents into maps.
func differ(a, b []byte) bool {
	var abuf, bbuf [64]member
	am, ok := members(a, abuf[:0])
	if !ok || len(am) > len(abuf) || twice(am) {
		return false
	}
	bm, ok := members(b, bbuf[:0])
	if !ok {
		return false
	}
	var matched [len(abuf)]bool
	var changed [len(abuf)][2]int
	nchanged := 0
	for j, m := range bm {
		// Documents of one kind list their keys in one order: the same
		// place first.
		i := j
		if i >= len(am) || !bytes.Equal(am[i].key, m.key) {
			i = -1
			for k := range am {
				if bytes.Equal(am[k].key, m.key) {
					i = k
					break
				}
			}
		}
		switch {
		case i < 0:
			return true // a key a lacks
		case matched[i]:
			return false // a key twice in b
		}
		matched[i] = true
		if !bytes.Equal(am[i].value, m.value) {
			changed[nchanged] = [2]int{i, j}
			nchanged++
		}
	}
	for i := range am {
		if !matched[i] {
			return true // a key b lacks
		}
	}
	for _, c := range changed[:nchanged] {
		var x, y any
		if gojson.Unmarshal(am[c[0]].value, &x) != nil || gojson.Unmarshal(bm[c[1]].value, &y) != nil {
			return false
		}
		if !reflect.DeepEqual(x, y) {
			return true
		}
	}
	return false
}

// twice tells whether a key comes twice in ms (at most 64 members).
func twice(ms []member) bool {
	var slots [128]int8 // index+1 of the member in each slot, 0 for none
	for i, m := range ms {
		h := uint32(2166136261)
		for _, c := range m.key {
			h = (h ^ uint32(c)) * 16777619
		}
		for s := h % uint32(len(slots)); ; s = (s + 1) % uint32(len(slots)) {
			if slots[s] == 0 {
				slots[s] = int8(i + 1)
				break
			}
			if bytes.Equal(ms[slots[s]-1].key, m.key) {
				return true
			}
		}
	}
	return false
}

// member is one member of a JSON object: its key as written (no escape)
// and the text of its value.
type member struct{ key, value []byte }

// members appends the members of doc, a JSON object, to buf without
// decoding their values; ok is false for text it does not read plainly:
// not an object, a key with an escape or a byte outside printable ASCII,
// malformed text.
func members(doc []byte, buf []member) ([]member, bool) {
	i := skipSpace(doc, 0)
	if i >= len(doc) || doc[i] != '{' {
		return buf, false
	}
	i = skipSpace(doc, i+1)
	if i < len(doc) && doc[i] == '}' {
		return buf, skipSpace(doc, i+1) == len(doc)
	}
	for {
		if i >= len(doc) || doc[i] != '"' {
			return buf, false
		}
		j := i + 1
		for j < len(doc) && doc[j] != '"' {
			if c := doc[j]; c == '\\' || c < 0x20 || c >= 0x7f {
				return buf, false
			}
			j++
		}
		if j >= len(doc) {
			return buf, false
		}
		key := doc[i+1 : j]
		i = skipSpace(doc, j+1)
		if i >= len(doc) || doc[i] != ':' {
			return buf, false
		}
		i = skipSpace(doc, i+1)
		end, ok := skipValue(doc, i)
		if !ok {
			return buf, false
		}
		buf = append(buf, member{key, doc[i:end]})
		i = skipSpace(doc, end)
		switch {
		case i >= len(doc):
			return buf, false
		case doc[i] == '}':
			return buf, skipSpace(doc, i+1) == len(doc)
		case doc[i] != ',':
			return buf, false
		}
		i = skipSpace(doc, i+1)
	}
}

// skipValue answers the end of the JSON value that starts at i.
func skipValue(doc []byte, i int) (int, bool) {
	if i >= len(doc) {
		return i, false
	}
	switch doc[i] {
	case '"':
		return skipString(doc, i)
	case '{', '[':
		depth := 0
		for i < len(doc) {
			switch doc[i] {
			case '"':
				end, ok := skipString(doc, i)
				if !ok {
					return i, false
				}
				i = end
				continue
			case '{', '[':
				depth++
			case '}', ']':
				if depth--; depth == 0 {
					return i + 1, true
				}
			}
			i++
		}
		return i, false
	}
	j := i
	for j < len(doc) {
		switch doc[j] {
		case ',', '}', ']', ' ', '\t', '\n', '\r':
			return j, j > i
		}
		j++
	}
	return j, j > i
}

// skipString answers the end of the JSON string that starts at i.
func skipString(doc []byte, i int) (int, bool) {
	for j := i + 1; j < len(doc); j++ {
		switch doc[j] {
		case '\\':
			j++
		case '"':
			return j + 1, true
		}
	}
	return len(doc), false
}

func skipSpace(doc []byte, i int) int {
	for i < len(doc) {
		switch doc[i] {
		case ' ', '\t', '\n', '\r':
			i++
		default:
			return i
		}
	}
	return i
}

package sqlite

import (
	"cmp"
	_ "embed"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"

	"github.com/ecslocal/ecslocal/internal/store"
	"github.com/klauspost/compress/s2"
)

// A record's data column holds its JSON document and its index rows'
// (name, value) pairs in one block: the pairs tell Put and Delete which
// attrs rows to replace or remove (no index by id), and the block is
// compressed with a dictionary of typical documents, the largest share of
// the file otherwise (bench/footprint.sh):
//
//	packV1, uvarint len(doc), s2 block with docDict of (doc, pairs)
//
// where pairs is uvarint len(name), name, uvarint len(value), value for
// each pair, sorted by (name, value) (the order Export answers them in).
const packV1 = 1

// docDict is the s2 dictionary of packV1 (s2.Dict.Bytes of documents of
// each kind the server writes, ids replaced, and index lists). Never
// change it: stored records are decoded with it; a new dictionary is a
// new format byte.
//
//go:embed docs.s2dict
var docDictBytes []byte

var docDict = s2.NewDict(docDictBytes)

// pack encodes a record's document and its (deduplicated) index pairs for
// the data column.
func pack(doc []byte, attrs []store.Attr) []byte {
	attrs = slices.Clone(attrs)
	slices.SortFunc(attrs, compareAttr)
	n := len(doc)
	for _, a := range attrs {
		n += len(a.Name) + len(a.Value) + 2*binary.MaxVarintLen32
	}
	raw := make([]byte, 0, n)
	raw = append(raw, doc...)
	for _, a := range attrs {
		raw = binary.AppendUvarint(raw, uint64(len(a.Name)))
		raw = append(raw, a.Name...)
		raw = binary.AppendUvarint(raw, uint64(len(a.Value)))
		raw = append(raw, a.Value...)
	}
	out := make([]byte, 0, 1+binary.MaxVarintLen32+s2.MaxEncodedLen(len(raw)))
	out = append(out, packV1)
	out = binary.AppendUvarint(out, uint64(len(doc)))
	return append(out, docDict.Encode(out[len(out):cap(out)], raw)...)
}

func compareAttr(a, b store.Attr) int {
	return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.Value, b.Value))
}

// unpack decodes a data column into the document; with pairs it decodes
// the index pairs too.
func unpack(blob []byte, pairs bool) (doc []byte, attrs []store.Attr, err error) {
	if len(blob) == 0 || blob[0] != packV1 {
		return nil, nil, errors.New("sqlite: record data of an unknown format")
	}
	n, k := binary.Uvarint(blob[1:])
	if k <= 0 {
		return nil, nil, errors.New("sqlite: record data: bad length")
	}
	raw, err := docDict.Decode(nil, blob[1+k:])
	if err != nil || uint64(len(raw)) < n {
		return nil, nil, fmt.Errorf("sqlite: record data: %v", cmp.Or(err, errors.New("short block")))
	}
	doc, rest := raw[:n:n], raw[n:]
	if !pairs {
		return doc, nil, nil
	}
	for len(rest) > 0 {
		var a store.Attr
		if a.Name, rest, err = field(rest); err == nil {
			a.Value, rest, err = field(rest)
		}
		if err != nil {
			return nil, nil, err
		}
		attrs = append(attrs, a)
	}
	return doc, attrs, nil
}

func field(b []byte) (string, []byte, error) {
	n, k := binary.Uvarint(b)
	if k <= 0 || uint64(len(b)-k) < n {
		return "", nil, errors.New("sqlite: record data: bad index pair")
	}
	return string(b[k : k+int(n)]), b[k+int(n):], nil
}

// Document decodes a records row's data column into the JSON document: for
// tools that read a store's file directly (the crash test).
func Document(data []byte) ([]byte, error) {
	doc, _, err := unpack(data, false)
	return doc, err
}

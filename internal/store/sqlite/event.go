package sqlite

import (
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/klauspost/compress/s2"

	"github.com/ecslocal/ecslocal/internal/store"
)

// An event's data column is its JSON document, as store.Event's json tags
// name it. Written before eventV1, the column is the bare JSON (it starts
// with '{'); since, it is compressed with a dictionary of typical events:
//
//	eventV1, s2 block with eventDict of the JSON
//
// Events are written on every call, in batches: the smaller rows are fewer
// pages to write to the WAL and to fold back into the file.
const eventV1 = 1

// eventDictBytes is the s2 dictionary of eventV1 (s2.Dict.Bytes of events
// of the shapes the server writes, fields in the order store.AppendEventJSON
// writes them). Never change it: stored events are decoded with it; a new
// dictionary is a new format byte.
//
//go:embed events.s2dict
var eventDictBytes []byte

var eventDict = s2.NewDict(eventDictBytes)

// eventEncoder encodes the data columns of a batch of events.
type eventEncoder struct {
	json []byte // one event's JSON, reused
}

// append appends e's data column to b.
func (c *eventEncoder) append(b []byte, e *store.Event) []byte {
	c.json = store.AppendEventJSON(c.json[:0], e)
	b = append(b, eventV1)
	n := len(b)
	b = slices.Grow(b, s2.MaxEncodedLen(len(c.json)))
	return append(b, eventDict.Encode(b[n:cap(b)], c.json)...)
}

// decodeEvent decodes an event's data column, of either format.
func decodeEvent(data []byte, e *store.Event) error {
	if len(data) > 0 && data[0] == eventV1 {
		raw, err := eventDict.Decode(nil, data[1:])
		if err != nil {
			return fmt.Errorf("decode event: %w", err)
		}
		data = raw
	} else if len(data) == 0 || data[0] != '{' {
		return errors.New("decode event: unknown format")
	}
	if err := json.Unmarshal(data, e); err != nil {
		return fmt.Errorf("decode event: %w", err)
	}
	return nil
}

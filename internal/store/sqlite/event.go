package sqlite

import (
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/klauspost/compress/s2"

	"github.com/ecslocal/ecslocal/internal/jsonw"
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
// of the shapes the server writes, fields in the order appendEventJSON
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
	c.json = appendEventJSON(c.json[:0], e)
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

// appendEventJSON appends e as JSON, as encoding/json would write it
// (omitempty and all), without reflection: it runs once per call.
func appendEventJSON(b []byte, e *store.Event) []byte {
	b = append(b, `{"seq":`...)
	b = strconv.AppendInt(b, e.Seq, 10)
	b = append(b, `,"time":`...)
	b = appendTime(b, e.Time)
	b = append(b, `,"wall":`...)
	b = appendTime(b, e.Wall)
	b = append(b, `,"account":`...)
	b = jsonw.AppendString(b, e.Account)
	if e.Region != "" {
		b = append(b, `,"region":`...)
		b = jsonw.AppendString(b, e.Region)
	}
	b = append(b, `,"product":`...)
	b = jsonw.AppendString(b, e.Product)
	b = append(b, `,"action":`...)
	b = jsonw.AppendString(b, e.Action)
	if len(e.Params) > 0 {
		var stack [32]string
		keys := stack[:0]
		for k := range e.Params {
			keys = append(keys, k)
		}
		slices.Sort(keys) // as encoding/json: the dictionary's order
		b = append(b, `,"params":{`...)
		for i, k := range keys {
			if i > 0 {
				b = append(b, ',')
			}
			b = jsonw.AppendString(b, k)
			b = append(b, ':')
			b = jsonw.AppendString(b, e.Params[k])
		}
		b = append(b, '}')
	}
	b = append(b, `,"code":`...)
	b = jsonw.AppendString(b, e.Code)
	b = append(b, `,"httpStatus":`...)
	b = strconv.AppendInt(b, int64(e.HTTPStatus), 10)
	if e.RequestID != "" {
		b = append(b, `,"requestId":`...)
		b = jsonw.AppendString(b, e.RequestID)
	}
	if e.Message != "" {
		b = append(b, `,"message":`...)
		b = jsonw.AppendString(b, e.Message)
	}
	if e.Detail != "" {
		b = append(b, `,"detail":`...)
		b = jsonw.AppendString(b, e.Detail)
	}
	if e.ElapsedMS != 0 {
		b = append(b, `,"elapsedMs":`...)
		b = appendFloat(b, e.ElapsedMS)
	}
	if len(e.Changes) > 0 {
		b = append(b, `,"changes":[`...)
		for i := range e.Changes {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendChange(b, &e.Changes[i])
		}
		b = append(b, ']')
	}
	if len(e.Resources) > 0 {
		b = append(b, `,"resources":[`...)
		for i, r := range e.Resources {
			if i > 0 {
				b = append(b, ',')
			}
			b = jsonw.AppendString(b, r)
		}
		b = append(b, ']')
	}
	return append(b, '}')
}

func appendChange(b []byte, c *store.Change) []byte {
	b = append(b, `{"kind":`...)
	b = jsonw.AppendString(b, c.Kind)
	b = append(b, `,"id":`...)
	b = jsonw.AppendString(b, c.ID)
	if c.Region != "" {
		b = append(b, `,"region":`...)
		b = jsonw.AppendString(b, c.Region)
	}
	b = append(b, `,"op":`...)
	b = jsonw.AppendString(b, c.Op)
	if c.StatusBefore != "" {
		b = append(b, `,"statusBefore":`...)
		b = jsonw.AppendString(b, c.StatusBefore)
	}
	if c.StatusAfter != "" {
		b = append(b, `,"statusAfter":`...)
		b = jsonw.AppendString(b, c.StatusAfter)
	}
	if c.Due {
		b = append(b, `,"due":true`...)
	}
	return append(b, '}')
}

// appendTime is time.Time's MarshalJSON.
func appendTime(b []byte, t time.Time) []byte {
	b = append(b, '"')
	b = t.AppendFormat(b, time.RFC3339Nano)
	return append(b, '"')
}

// appendFloat is encoding/json's float64; JSON has no NaN or infinity,
// and an elapsed time is never one: 0 then.
func appendFloat(b []byte, f float64) []byte {
	if out, err := jsonw.AppendFloat(b, f); err == nil {
		return out
	}
	return append(b, '0')
}

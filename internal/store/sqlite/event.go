package sqlite

import (
	_ "embed"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/klauspost/compress/s2"

	"github.com/ecslocal/ecslocal/internal/jsonw"
	"github.com/ecslocal/ecslocal/internal/store"
)

// An event's data column was its JSON document, as store.Event's json tags
// name it. Written before eventV1, the column is the bare JSON (it starts
// with '{'); then it was compressed with a dictionary of typical events:
//
//	eventV1, s2 block with eventDict of the JSON
//
// Events are written on every call, in batches: the smaller rows are fewer
// pages to write to the WAL and to fold back into the file. Now they are
// written as eventV2 (below), as small and cheaper to write; every format
// reads back to the same event.
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
	json []byte   // one event's JSON, reused
	lits []string // one eventV2 event's strs written with their bytes
}

// append appends e's data column to b: eventV2, or eventV1 for the few
// events eventV2 cannot hold as their JSON would.
func (c *eventEncoder) append(b []byte, e *store.Event) []byte {
	if out, ok := c.appendV2(b, e); ok {
		return out
	}
	return c.appendV1(b, e)
}

// appendV1 appends e's data column to b as eventV1.
func (c *eventEncoder) appendV1(b []byte, e *store.Event) []byte {
	c.json = appendEventJSON(c.json[:0], e)
	b = append(b, eventV1)
	n := len(b)
	b = slices.Grow(b, s2.MaxEncodedLen(len(c.json)))
	return append(b, eventDict.Encode(b[n:cap(b)], c.json)...)
}

// decodeEvent decodes an event's data column, of any format.
func decodeEvent(data []byte, e *store.Event) error {
	if len(data) > 0 && data[0] == eventV2 {
		return decodeEventV2(data[1:], e)
	}
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

// eventV2 is an event's fields in a binary form, with no JSON and no
// compression: encoding an event as eventV1 (its JSON, then s2 with a
// dictionary that clears a 64 KiB table per event) cost more instructions
// than any other part of a describe's event. In order:
//
//	eventV2, varint seq, time and wall (each varint Unix seconds, uvarint
//	nanoseconds), str account, region, product, action, uvarint count of
//	params then each str name, str value, str code, varint httpStatus,
//	str requestId, message, detail, 8 bytes (little endian) of elapsedMs,
//	uvarint count of changes then each str kind, id, region, op,
//	statusBefore, statusAfter and a byte (1: due), uvarint count of
//	resources then each str
//
// A str is a uvarint x, by its low two bits: 0, x>>2 bytes follow; 1,
// eventTokens[x>>2]; 2, the (x>>2)th str of this event written with its
// bytes (0 the first), as ids recur in an event's changes and resources; 3,
// a request id of the form 8-4-4-4-12 upper-case hex digits, its 16 bytes
// follow.
// An event whose JSON would not decode to the same event (a time not in
// UTC or outside years 0–9999, a string that is not UTF-8, an elapsed time
// that is not a number) is written as eventV1 instead, so that every
// format decodes to what encoding/json's encoding of the event decodes to.
const eventV2 = 2

// eventTokens are strings events often hold, written as their index. Never
// change or reorder them: stored events are decoded with them; append only
// with a new format byte.
var eventTokens = [...]string{
	"", "OK", "Ecs", "Vpc", "Slb", "ecslocal", "clock",
	"cn-hangzhou", "cn-shanghai", "cn-beijing", "cn-shenzhen", "cn-qingdao", "cn-hongkong", "ap-southeast-1", "us-west-1",
	"AccessKeyId", "Action", "Format", "RegionId", "SignatureMethod", "SignatureNonce", "SignatureVersion", "Timestamp", "Version",
	"JSON", "XML", "HMAC-SHA1", "1.0", "2014-05-26", "2016-04-28", "2014-05-15", "test",
	"PageSize", "PageNumber", "MaxResults", "NextToken", "InstanceIds", "InstanceId", "Force", "Amount", "ClientToken",
	"ImageId", "InstanceType", "SecurityGroupId", "VSwitchId", "VpcId", "ZoneId", "CidrBlock", "Status", "DryRun",
	"true", "false", "1", "10", "50", "100",
	"DescribeInstances", "RunInstances", "DeleteInstances", "DeleteInstance", "CreateInstance", "StartInstance", "StopInstance",
	"RebootInstance", "DescribeInstanceStatus", "DescribeDisks", "DescribeNetworkInterfaces", "DescribeSecurityGroups",
	"DescribeVpcs", "DescribeVSwitches", "DescribeRegions", "DescribeZones", "CreateVpc", "CreateVSwitch", "CreateSecurityGroup",
	"DeleteVpc", "DeleteVSwitch", "DeleteSecurityGroup",
	store.Created, store.Updated, store.Deleted,
	"instance", "disk", "eni", "vpc", "vswitch", "securitygroup",
	"Pending", "Starting", "Running", "Stopping", "Stopped", "Deleted", "Available", "In_use", "InUse", "Creating",
}

// eventTokenIndex is eventTokens' inverse.
var eventTokenIndex = func() map[string]uint64 {
	m := make(map[string]uint64, len(eventTokens))
	for i, s := range eventTokens {
		m[s] = uint64(i)
	}
	return m
}()

// appendV2 appends e as eventV2; false (and b unchanged in length) when e
// must be written as eventV1.
func (c *eventEncoder) appendV2(b []byte, e *store.Event) ([]byte, bool) {
	n := len(b)
	if !v2Time(e.Time) || !v2Time(e.Wall) || math.IsNaN(e.ElapsedMS) || math.IsInf(e.ElapsedMS, 0) {
		return b, false
	}
	ok := true
	c.lits = c.lits[:0]
	str := func(s string) {
		if i, found := eventTokenIndex[s]; found {
			b = binary.AppendUvarint(b, i<<2|1)
			return
		}
		if id, isID := packRequestID(s); isID {
			b = binary.AppendUvarint(b, 3)
			b = append(b, id[:]...)
			return
		}
		if len(s) >= 3 {
			for i, l := range c.lits {
				if l == s {
					b = binary.AppendUvarint(b, uint64(i)<<2|2)
					return
				}
			}
		}
		if !utf8.ValidString(s) {
			ok = false
		}
		c.lits = append(c.lits, s)
		b = binary.AppendUvarint(b, uint64(len(s))<<2)
		b = append(b, s...)
	}
	b = append(b, eventV2)
	b = binary.AppendVarint(b, e.Seq)
	b = appendV2Time(b, e.Time)
	b = appendV2Time(b, e.Wall)
	str(e.Account)
	str(e.Region)
	str(e.Product)
	str(e.Action)
	b = binary.AppendUvarint(b, uint64(len(e.Params)))
	for k, v := range e.Params {
		str(k)
		str(v)
	}
	str(e.Code)
	b = binary.AppendVarint(b, int64(e.HTTPStatus))
	str(e.RequestID)
	str(e.Message)
	str(e.Detail)
	b = binary.LittleEndian.AppendUint64(b, math.Float64bits(e.ElapsedMS))
	b = binary.AppendUvarint(b, uint64(len(e.Changes)))
	for i := range e.Changes {
		c := &e.Changes[i]
		str(c.Kind)
		str(c.ID)
		str(c.Region)
		str(c.Op)
		str(c.StatusBefore)
		str(c.StatusAfter)
		if c.Due {
			b = append(b, 1)
		} else {
			b = append(b, 0)
		}
	}
	b = binary.AppendUvarint(b, uint64(len(e.Resources)))
	for _, r := range e.Resources {
		str(r)
	}
	if !ok {
		return b[:n], false
	}
	return b, true
}

// v2Time: t reads back from eventV2 as from its JSON (a UTC time that
// RFC 3339 can write).
func v2Time(t time.Time) bool {
	return t.Location() == time.UTC && t.Year() >= 0 && t.Year() <= 9999
}

func appendV2Time(b []byte, t time.Time) []byte {
	b = binary.AppendVarint(b, t.Unix())
	return binary.AppendUvarint(b, uint64(t.Nanosecond()))
}

// decodeEventV2 decodes the fields after eventV2's format byte.
func decodeEventV2(data []byte, e *store.Event) error {
	d := v2Decoder{b: data}
	e.Seq = d.varint()
	e.Time = d.time()
	e.Wall = d.time()
	e.Account, e.Region, e.Product, e.Action = d.str(), d.str(), d.str(), d.str()
	if n := d.count(2); n > 0 {
		e.Params = make(map[string]string, n)
		for range n {
			k := d.str()
			e.Params[k] = d.str()
		}
	}
	e.Code = d.str()
	e.HTTPStatus = int(d.varint())
	e.RequestID, e.Message, e.Detail = d.str(), d.str(), d.str()
	if len(d.b) >= 8 {
		e.ElapsedMS = math.Float64frombits(binary.LittleEndian.Uint64(d.b))
		d.b = d.b[8:]
	} else {
		d.err = true
	}
	if n := d.count(7); n > 0 {
		e.Changes = make([]store.Change, n)
		for i := range e.Changes {
			c := &e.Changes[i]
			c.Kind, c.ID, c.Region, c.Op, c.StatusBefore, c.StatusAfter = d.str(), d.str(), d.str(), d.str(), d.str(), d.str()
			if len(d.b) == 0 || d.b[0] > 1 {
				d.err = true
				break
			}
			c.Due = d.b[0] == 1
			d.b = d.b[1:]
		}
	}
	if n := d.count(1); n > 0 {
		e.Resources = make([]string, n)
		for i := range e.Resources {
			e.Resources[i] = d.str()
		}
	}
	if d.err || len(d.b) != 0 {
		return errors.New("decode event: bad eventV2 row")
	}
	return nil
}

// v2Decoder reads eventV2's fields; err is set at the first bad one.
type v2Decoder struct {
	b    []byte
	lits []string // the strs read with their bytes, for back-references
	err  bool
}

func (d *v2Decoder) uvarint() uint64 {
	x, k := binary.Uvarint(d.b)
	if !d.skip(k) {
		return 0
	}
	return x
}

func (d *v2Decoder) varint() int64 {
	x, k := binary.Varint(d.b)
	if !d.skip(k) {
		return 0
	}
	return x
}

// skip passes the k bytes of a varint just read; k <= 0 (a bad one) ends
// the row.
func (d *v2Decoder) skip(k int) bool {
	if k <= 0 {
		d.err = true
		d.b = nil
		return false
	}
	d.b = d.b[k:]
	return true
}

// count reads a count of items of at least min bytes each, 0 when the
// rest of the row cannot hold that many.
func (d *v2Decoder) count(min int) int {
	n := d.uvarint()
	if n > uint64(len(d.b)/min) {
		d.err = true
		return 0
	}
	return int(n)
}

func (d *v2Decoder) str() string {
	x := d.uvarint()
	switch x & 3 {
	case 1:
		if x>>2 >= uint64(len(eventTokens)) {
			d.err = true
			return ""
		}
		return eventTokens[x>>2]
	case 2:
		if x>>2 >= uint64(len(d.lits)) {
			d.err = true
			return ""
		}
		return d.lits[x>>2]
	case 3:
		if x != 3 || len(d.b) < 16 {
			d.err = true
			d.b = nil
			return ""
		}
		s := unpackRequestID(d.b[:16])
		d.b = d.b[16:]
		return s
	}
	n := x >> 2
	if n > uint64(len(d.b)) {
		d.err = true
		d.b = nil
		return ""
	}
	s := string(d.b[:n])
	d.b = d.b[n:]
	d.lits = append(d.lits, s)
	return s
}

// packRequestID packs a request id of the form 8-4-4-4-12 upper-case hex
// digits (as the server makes them) into its 16 bytes.
func packRequestID(s string) (id [16]byte, ok bool) {
	if len(s) != 36 || s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-' {
		return id, false
	}
	j := 0
	for i := 0; i < 36; i += 2 {
		if i == 8 || i == 13 || i == 18 || i == 23 {
			i--
			continue
		}
		hi, ok1 := upperHex(s[i])
		lo, ok2 := upperHex(s[i+1])
		if !ok1 || !ok2 {
			return id, false
		}
		id[j] = hi<<4 | lo
		j++
	}
	return id, true
}

func upperHex(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// unpackRequestID is packRequestID's inverse.
func unpackRequestID(id []byte) string {
	const digits = "0123456789ABCDEF"
	var s [36]byte
	j := 0
	for i, c := range id[:16] {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			s[j] = '-'
			j++
		}
		s[j], s[j+1] = digits[c>>4], digits[c&15]
		j += 2
	}
	return string(s[:])
}

func (d *v2Decoder) time() time.Time {
	s := d.varint()
	ns := d.uvarint()
	if ns >= 1e9 {
		d.err = true
		return time.Time{}
	}
	return time.Unix(s, int64(ns)).UTC()
}

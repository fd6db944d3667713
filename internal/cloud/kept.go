package cloud

import (
	"bytes"
	"slices"
	"time"
)

// An instance is written three times per launch and release and read
// again after most of those writes (the due step, the release), its ENI
// and disk at launch and read at release, its vSwitch at each launch and
// read at the next: a store that keeps each version's decoded value (the
// memory store) takes the value written instead of decoding the document
// at the next read.

// Copier is a stored type that copies its kept values itself, instead of
// go-clone's reflection: the kinds every launch reads.
type Copier interface {
	// Copy answers a deep copy of a kept value, for a reader that may
	// change it.
	Copy() Resource
}

// Kept is a stored type whose value a store may keep beside its document
// from its write.
type Kept interface {
	Copier
	// DecodedCopy answers a deep copy of the value as decoding doc, its
	// document, would give it; false when that is not certain (a string
	// that was not UTF-8, a time not in UTC), and the store decodes.
	DecodedCopy(doc []byte) (Resource, bool)
}

// lossy tells whether doc may hold a string its encoding changed: an
// invalid UTF-8 byte is written as \ufffd, and decodes so.
func lossy(doc []byte) bool { return bytes.Contains(doc, []byte(`\ufffd`)) }

// utc is t as its decoded text gives it: UTC, no monotonic reading; false
// for a time in another zone, which decodes to another location.
func utc(t time.Time) (time.Time, bool) {
	if t.Location() != time.UTC {
		return t, false
	}
	return t.UTC(), true
}

// orNil is s as an omitempty member decodes: nil when empty.
func orNil[S ~[]E, E any](s S) S {
	if len(s) == 0 {
		return nil
	}
	return s
}

// Copy implements Kept.
func (i Instance) Copy() Resource { return i.deepCopy() }

func (i Instance) deepCopy() Instance {
	c := i
	c.Locks = slices.Clone(i.Locks)
	c.SecurityGroups = slices.Clone(i.SecurityGroups)
	if i.Metadata != nil {
		m := *i.Metadata
		c.Metadata = &m
	}
	c.Tags = slices.Clone(i.Tags)
	c.Steps = slices.Clone(i.Steps)
	if i.EIP != nil {
		e := *i.EIP
		c.EIP = &e
	}
	if i.Tail.Maintenance != nil {
		m := *i.Tail.Maintenance
		m.Windows = slices.Clone(m.Windows)
		c.Tail.Maintenance = &m
	}
	return c
}

// DecodedCopy implements Kept, member by member as AppendDocument writes
// them (TestKeptIsDecoded, in internal/rpc, holds it to decoding).
func (i Instance) DecodedCopy(doc []byte) (Resource, bool) {
	if lossy(doc) || i.InitWindow < 0 {
		return nil, false
	}
	c := i.deepCopy()
	ok := utcAll(&c.Created, &c.Started, &c.Expires, &c.AutoRelease, &c.InitializingUntil, &c.ChargeTypeAt)
	for n := range c.Steps {
		ok = utcAll(&c.Steps[n].At) && ok
	}
	if !ok {
		return nil, false
	}
	c.Locks, c.Tags, c.Steps = orNil(c.Locks), orNil(c.Tags), orNil(c.Steps)
	if c.Tail.Maintenance != nil {
		c.Tail.Maintenance.Windows = orNil(c.Tail.Maintenance.Windows)
	}
	return c, true
}

// utcAll sets each of ts as its decoded text gives it; false when one is
// not in UTC.
func utcAll(ts ...*time.Time) bool {
	ok := true
	for _, t := range ts {
		var good bool
		*t, good = utc(*t)
		ok = ok && good
	}
	return ok
}

// clonePtr is a copy of *p in a new variable; nil for nil.
func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

// Copy implements Kept.
func (k Disk) Copy() Resource { return k.deepCopy() }

func (k Disk) deepCopy() Disk {
	c := k
	c.Tags = slices.Clone(k.Tags)
	c.Next, c.Rewrite = clonePtr(k.Next), clonePtr(k.Rewrite)
	return c
}

// DecodedCopy implements Kept.
func (k Disk) DecodedCopy(doc []byte) (Resource, bool) {
	if lossy(doc) {
		return nil, false
	}
	c := k.deepCopy()
	ok := utcAll(&c.Created, &c.Attached, &c.Detached, &c.Expires)
	if c.Next != nil {
		ok = utcAll(&c.Next.At) && ok
	}
	if c.Rewrite != nil {
		ok = utcAll(&c.Rewrite.At) && ok
	}
	if !ok {
		return nil, false
	}
	c.Tags = orNil(c.Tags)
	return c, true
}

// Copy implements Kept.
func (e ENI) Copy() Resource { return e.deepCopy() }

func (e ENI) deepCopy() ENI {
	c := e
	c.SecondaryIPs = slices.Clone(e.SecondaryIPs)
	if e.QoS != nil {
		q := *e.QoS
		q.BandwidthRx, q.BandwidthTx, q.PpsRx, q.PpsTx = clonePtr(q.BandwidthRx), clonePtr(q.BandwidthTx), clonePtr(q.PpsRx), clonePtr(q.PpsTx)
		q.ConcurrentConnections = clonePtr(q.ConcurrentConnections)
		c.QoS = &q
	}
	c.SecurityGroups = slices.Clone(e.SecurityGroups)
	c.Attachment = clonePtr(e.Attachment)
	c.Tags = slices.Clone(e.Tags)
	c.Next = clonePtr(e.Next)
	return c
}

// DecodedCopy implements Kept.
func (e ENI) DecodedCopy(doc []byte) (Resource, bool) {
	if lossy(doc) {
		return nil, false
	}
	c := e.deepCopy()
	ok := utcAll(&c.Created)
	if c.Next != nil {
		ok = utcAll(&c.Next.At) && ok
	}
	if !ok {
		return nil, false
	}
	c.SecondaryIPs, c.Tags = orNil(c.SecondaryIPs), orNil(c.Tags)
	return c, true
}

// Copy implements Kept.
func (v VSwitch) Copy() Resource { return v.deepCopy() }

func (v VSwitch) deepCopy() VSwitch {
	c := v
	c.Tags, c.Reserved = slices.Clone(v.Tags), slices.Clone(v.Reserved)
	return c
}

// DecodedCopy implements Kept.
func (v VSwitch) DecodedCopy(doc []byte) (Resource, bool) {
	if lossy(doc) {
		return nil, false
	}
	c := v.deepCopy()
	if !utcAll(&c.Created, &c.ReadyAt) {
		return nil, false
	}
	c.Tags, c.Reserved = orNil(c.Tags), orNil(c.Reserved)
	return c, true
}

// Copy implements Copier: a launch reads its security groups, kept from
// their second read.
func (s SecurityGroup) Copy() Resource {
	c := s
	c.Rules, c.Tags = slices.Clone(s.Rules), slices.Clone(s.Tags)
	return c
}

package cloud

import (
	"crypto/sha256"
	"encoding/binary"
	"strconv"
	"time"
)

// Resource kinds, as stored.
const (
	KindInstance      = "instance"
	KindDisk          = "disk"
	KindSnapshot      = "snapshot"
	KindVPC           = "vpc"
	KindVSwitch       = "vswitch"
	KindRouteTable    = "routetable"
	KindSecurityGroup = "securitygroup"
)

// Index is one indexed attribute of a resource: every Describe filter is
// answered through these, never by scanning.
type Index struct {
	Name  IndexName
	Value string
}

// Resource is what the store needs to keep a domain value.
type Resource interface {
	Kind() string
	Key() string
	RegionID() string
	Indexes() []Index
	// NextDue is when the next asynchronous transition falls due, or zero.
	NextDue() time.Time
}

// Tag is a resource tag.
type Tag struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

func tagIndexes(tags []Tag) []Index {
	return appendTagIndexes(make([]Index, 0, 2*len(tags)), tags)
}

// appendTagIndexes appends the two indexes of each tag to out.
func appendTagIndexes(out []Index, tags []Tag) []Index {
	for _, t := range tags {
		out = append(out, Index{"tagKey", t.Key}, Index{"tag", t.Key + "=" + t.Value})
	}
	return out
}

// MergeTags adds or overwrites tags by key, keeping the order of first sight.
func MergeTags(have []Tag, add []Tag) []Tag {
	out := append([]Tag(nil), have...)
	for _, a := range add {
		found := false
		for i := range out {
			if out[i].Key == a.Key {
				out[i].Value, found = a.Value, true
			}
		}
		if !found {
			out = append(out, a)
		}
	}
	return out
}

// Time formats of the real API (spec/semantics.md §0).
const (
	minuteFormat = "2006-01-02T15:04Z"
	secondFormat = "2006-01-02T15:04:05Z"
)

// FormatMinute writes UTC minute precision, as DescribeInstances does; zero is "".
func FormatMinute(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return formatUTC(t, false)
}

// FormatSecond writes UTC second precision, as DescribeDisks and VPC do; zero is "".
func FormatSecond(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return formatUTC(t, true)
}

// AppendMinute appends FormatMinute(t) to b.
func AppendMinute(b []byte, t time.Time) []byte {
	if t.IsZero() {
		return b
	}
	return appendUTC(b, t, false)
}

// AppendSecond appends FormatSecond(t) to b.
func AppendSecond(b []byte, t time.Time) []byte {
	if t.IsZero() {
		return b
	}
	return appendUTC(b, t, true)
}

// formatUTC is t.UTC().Format(minuteFormat or secondFormat) written by hand:
// a page of instances formats dozens of times, and Format was a twentieth
// of a DescribeInstances call.
func formatUTC(t time.Time, seconds bool) string {
	var b [20]byte
	return string(appendUTC(b[:0], t, seconds))
}

// appendUTC appends formatUTC(t, seconds) to b.
func appendUTC(b []byte, t time.Time, seconds bool) []byte {
	t = t.UTC()
	y, mo, d := t.Date()
	if y < 0 || y > 9999 {
		if seconds {
			return t.AppendFormat(b, secondFormat)
		}
		return t.AppendFormat(b, minuteFormat)
	}
	h, mi, sec := t.Clock()
	b = appendDigits(b, y, 4)
	b = append(b, '-')
	b = appendDigits(b, int(mo), 2)
	b = append(b, '-')
	b = appendDigits(b, d, 2)
	b = append(b, 'T')
	b = appendDigits(b, h, 2)
	b = append(b, ':')
	b = appendDigits(b, mi, 2)
	if seconds {
		b = append(b, ':')
		b = appendDigits(b, sec, 2)
	}
	return append(b, 'Z')
}

// appendDigits appends v (≥ 0) in width decimal digits, zero-padded.
func appendDigits(b []byte, v, width int) []byte {
	n := len(b)
	for range width {
		b = append(b, 0)
	}
	for i := len(b) - 1; i >= n; i-- {
		b[i] = byte('0' + v%10)
		v /= 10
	}
	return b
}

// ParseAPITime reads the times clients send (AutoReleaseTime): UTC with or
// without seconds.
func ParseAPITime(s string) (time.Time, bool) {
	for _, f := range []string{secondFormat, minuteFormat, time.RFC3339} {
		if t, err := time.Parse(f, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// Far-future expiry times that pay-as-you-go resources report [obs].
var (
	PostPaidInstanceExpiry = time.Date(2099, 12, 31, 15, 59, 0, 0, time.UTC)
	PostPaidDiskExpiry     = time.Date(2999, 9, 8, 16, 0, 0, 0, time.UTC)
)

func earliest(ts ...time.Time) time.Time {
	var out time.Time
	for _, t := range ts {
		if !t.IsZero() && (out.IsZero() || t.Before(out)) {
			out = t
		}
	}
	return out
}

// ResourceGroup is the ResourceGroupId a new resource gets: the one the
// request names, else the account's default group, which real accounts have
// from the start ("rg-acfm…") and which stays the same across calls and
// products.
func ResourceGroup(account, requested string) string {
	if requested != "" {
		return requested
	}
	sum := sha256.Sum256([]byte("ecslocal-resource-group:" + account))
	suffix := strconv.FormatUint(binary.BigEndian.Uint64(sum[:8]), 36)
	for len(suffix) < 11 {
		suffix = "0" + suffix
	}
	return "rg-acfm" + suffix[:11]
}

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
	out := make([]Index, 0, 2*len(tags))
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

// formatUTC is t.UTC().Format(minuteFormat or secondFormat) written by hand:
// a page of instances formats dozens of times, and Format was a twentieth
// of a DescribeInstances call.
func formatUTC(t time.Time, seconds bool) string {
	t = t.UTC()
	y, mo, d := t.Date()
	if y < 0 || y > 9999 {
		if seconds {
			return t.Format(secondFormat)
		}
		return t.Format(minuteFormat)
	}
	h, mi, sec := t.Clock()
	var b [20]byte
	put := func(at, v, width int) {
		for i := at + width - 1; i >= at; i-- {
			b[i] = byte('0' + v%10)
			v /= 10
		}
	}
	put(0, y, 4)
	b[4] = '-'
	put(5, int(mo), 2)
	b[7] = '-'
	put(8, d, 2)
	b[10] = 'T'
	put(11, h, 2)
	b[13] = ':'
	put(14, mi, 2)
	n := 16
	if seconds {
		b[16] = ':'
		put(17, sec, 2)
		n = 19
	}
	b[n] = 'Z'
	return string(b[:n+1])
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

package cloud

import (
	"net/netip"
	"time"
)

// KindEipSegment is the stored kind of contiguous EIP groups.
const KindEipSegment = "eipsegment"

// IdxSegment finds the EIPs of a contiguous group (kept apart from
// registry.go's list, whose alignment it would change).
const IdxSegment IndexName = "segment"

// EipSegment is a group of contiguous EIPs allocated together: every host
// of Segment but its first and last address is an EIP of the group.
type EipSegment struct {
	ID            string    `json:"id"`
	Region        string    `json:"region"`
	Segment       string    `json:"segment"`
	IPCount       int       `json:"ipCount"`
	Zone          string    `json:"zone,omitempty"`
	Status        string    `json:"status"`
	Created       time.Time `json:"created"`
	ResourceGroup string    `json:"resourceGroup,omitempty"`
}

// Kind implements Resource.
func (EipSegment) Kind() string { return KindEipSegment }

// Key implements Resource.
func (s EipSegment) Key() string { return s.ID }

// RegionID implements Resource.
func (s EipSegment) RegionID() string { return s.Region }

// Indexes implements Resource.
func (s EipSegment) Indexes() []Index { return []Index{{"status", s.Status}} }

// NextDue implements Resource.
func (EipSegment) NextDue() time.Time { return time.Time{} }

// SegmentHosts are the EIP addresses of block p: all but its first and
// last address.
func SegmentHosts(p netip.Prefix) []string {
	var out []string
	first := p.Masked().Addr()
	for a := first.Next(); p.Contains(a.Next()); a = a.Next() {
		out = append(out, a.String())
	}
	return out
}

// eipSegmentKind declares the kind to the registry (registry.go).
var eipSegmentKind = Kind{
	Name:    KindEipSegment,
	Prefix:  "eipsg",
	Indexes: []IndexDecl{{IdxStatus, "the groups in a state"}},
	Decode:  decoder[EipSegment](),
}

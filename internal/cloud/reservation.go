package cloud

import (
	"net/netip"
	"slices"
	"time"

	"github.com/ecslocal/ecslocal/internal/apierr"
)

// KindVSwitchCidrReservation is the stored kind of vSwitch CIDR reservations.
const KindVSwitchCidrReservation = "vswitchcidrreservation"

// MaxReservationBits is the longest mask a reservation may have (IPv4).
const MaxReservationBits = 28

// VSwitchCidrReservation is a block of a vSwitch kept out of automatic
// address allocation, for the IP prefixes of ENIs.
type VSwitchCidrReservation struct {
	ID          string    `json:"id"`
	Region      string    `json:"region"`
	VpcID       string    `json:"vpcId"`
	VSwitchID   string    `json:"vSwitchId"`
	Cidr        string    `json:"cidr"`
	Name        string    `json:"name,omitempty"`
	Description string    `json:"description,omitempty"`
	Type        string    `json:"type"` // prefix
	Created     time.Time `json:"created"`
	// Tags are the Tag.N of the request; VPC's tag actions name no
	// ResourceType for reservations, so they are read-only.
	Tags []Tag `json:"tags,omitempty"`
}

// Kind implements Resource.
func (VSwitchCidrReservation) Kind() string { return KindVSwitchCidrReservation }

// Key implements Resource.
func (r VSwitchCidrReservation) Key() string { return r.ID }

// RegionID implements Resource.
func (r VSwitchCidrReservation) RegionID() string { return r.Region }

// Indexes implements Resource.
func (r VSwitchCidrReservation) Indexes() []Index {
	return append([]Index{{IdxVSwitch, r.VSwitchID}, {IdxType, r.Type}}, tagIndexes(r.Tags)...)
}

// NextDue implements Resource.
func (VSwitchCidrReservation) NextDue() time.Time { return time.Time{} }

// ReserveBlock is CreateVSwitchCidrReservation's rule: a block inside the
// vSwitch's, with a longer mask than it and at most /28, overlapping no
// other reservation and holding no address in use. With a zero block, the
// first free block of mask bits is chosen. The vSwitch answered lists it
// in Reserved.
func ReserveBlock(w VSwitch, block netip.Prefix, bits int, inUse []netip.Addr) (VSwitch, netip.Prefix, error) {
	outer, ok := ParseCIDR(w.CidrBlock)
	if !ok {
		return w, block, apierr.InvalidReservationCidr.New()
	}
	if !block.IsValid() {
		if bits <= outer.Bits() || bits > MaxReservationBits {
			return w, block, apierr.InvalidReservationMask.New()
		}
		step := uint32(1) << (32 - bits)
		a := outer.Addr().As4()
		base := uint32(a[0])<<24 | uint32(a[1])<<16 | uint32(a[2])<<8 | uint32(a[3])
		for i := uint32(0); i < 1<<(bits-outer.Bits()); i++ {
			u := base + i*step
			p := netip.PrefixFrom(netip.AddrFrom4([4]byte{byte(u >> 24), byte(u >> 16), byte(u >> 8), byte(u)}), bits)
			if reservable(w, p, inUse) == nil {
				return withReserved(w, p), p, nil
			}
		}
		return w, block, apierr.ReservationCidrExhausted.New()
	}
	switch {
	case !Contains(outer, block):
		return w, block, apierr.InvalidReservationCidr.New().WithDetail("%s is outside %s", block, outer)
	case block.Bits() <= outer.Bits() || block.Bits() > MaxReservationBits:
		return w, block, apierr.InvalidReservationMask.New()
	}
	if err := reservable(w, block, inUse); err != nil {
		return w, block, err
	}
	return withReserved(w, block), block, nil
}

// reservable judges a candidate block against the vSwitch's reservations
// and the addresses in use.
func reservable(w VSwitch, p netip.Prefix, inUse []netip.Addr) error {
	for _, r := range w.reservedBlocks() {
		if r.Overlaps(p) {
			return apierr.ReservationOverlap.New().WithDetail("overlaps %s", r)
		}
	}
	for _, a := range inUse {
		if p.Contains(a) {
			return apierr.ReservationInUse.New().WithDetail("%s is in use", a)
		}
	}
	return nil
}

func withReserved(w VSwitch, p netip.Prefix) VSwitch {
	w.Reserved = append(slices.Clone(w.Reserved), p.String())
	return w
}

// Unreserve drops a reservation's block from the vSwitch.
func Unreserve(w VSwitch, cidr string) VSwitch {
	w.Reserved = slices.DeleteFunc(slices.Clone(w.Reserved), func(s string) bool { return s == cidr })
	return w
}

// ReservedHosts counts the hosts of the vSwitch inside its reservations.
func (v VSwitch) ReservedHosts() int {
	n := 0
	for _, r := range v.reservedBlocks() {
		n += 1 << (32 - r.Bits())
	}
	return n
}

// vswitchCidrReservationKind declares the kind to the registry
// (registry.go). A reservation names a vSwitch, never an instance.
var vswitchCidrReservationKind = Kind{
	Name:   KindVSwitchCidrReservation,
	Prefix: "vcr",
	Indexes: append([]IndexDecl{
		{IdxVSwitch, "ListVSwitchCidrReservations VSwitchId; the reservations deleted with their vSwitch"},
		{IdxType, "ListVSwitchCidrReservations VSwitchCidrReservationType"},
	}, tagIndexDecls("ListVSwitchCidrReservations")...),
	Decode: decoder[VSwitchCidrReservation](),
}

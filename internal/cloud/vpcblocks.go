package cloud

import (
	"net/netip"
	"slices"

	"github.com/ecslocal/ecslocal/internal/apierr"
)

// Default network blocks: the default VPC takes 172.16.0.0/12, as a VPC
// created without CidrBlock does, and each default vSwitch the first free
// /20 of it (the blocks the console's default vSwitches have).
const (
	DefaultVpcCidr       = "172.16.0.0/12"
	DefaultVSwitchBits   = 20
	MaxSecondaryVpcCidrs = 5
)

// Blocks are every IPv4 block of the VPC: the primary one first, then the
// secondary ones in the order they were added.
func (v VPC) Blocks() []netip.Prefix {
	var out []netip.Prefix
	for _, s := range append([]string{v.CidrBlock}, v.SecondaryCidrs...) {
		if p, ok := ParseCIDR(s); ok {
			out = append(out, p)
		}
	}
	return out
}

// InVpcBlocks tells whether block lies inside one block of the VPC.
func (v VPC) InVpcBlocks(block netip.Prefix) bool {
	return slices.ContainsFunc(v.Blocks(), func(p netip.Prefix) bool { return Contains(p, block) })
}

// AddSecondaryCidr is AssociateVpcCidrBlock's rule: a block that overlaps
// none of the VPC's, within the quota of secondary blocks.
func AddSecondaryCidr(v VPC, block netip.Prefix) (VPC, error) {
	for _, p := range v.Blocks() {
		if p.Overlaps(block) {
			return v, apierr.SecondaryCidrOverlap.New().WithDetail("overlaps %s", p)
		}
	}
	if len(v.SecondaryCidrs) >= MaxSecondaryVpcCidrs {
		return v, apierr.SecondaryCidrQuota.New()
	}
	v.SecondaryCidrs = append(slices.Clone(v.SecondaryCidrs), block.String())
	return v, nil
}

// RemoveSecondaryCidr is UnassociateVpcCidrBlock's rule: a secondary block
// of the VPC that no vSwitch uses.
func RemoveSecondaryCidr(v VPC, block netip.Prefix, vswitches []VSwitch) (VPC, error) {
	i := slices.Index(v.SecondaryCidrs, block.String())
	if i < 0 {
		return v, apierr.SecondaryCidrNotFound.New()
	}
	for _, w := range vswitches {
		if p, ok := ParseCIDR(w.CidrBlock); ok && Contains(block, p) {
			return v, apierr.SecondaryCidrInUse.New().WithDetail("%s uses %s", w.ID, w.CidrBlock)
		}
	}
	v.SecondaryCidrs = slices.Delete(slices.Clone(v.SecondaryCidrs), i, i+1)
	return v, nil
}

// ChangePrimaryCidr is ModifyVpcAttribute's CidrBlock rule: the new block
// must hold every vSwitch that is not in a secondary block, and overlap no
// secondary block.
func ChangePrimaryCidr(v VPC, block netip.Prefix, vswitches []VSwitch) (VPC, error) {
	secondary := v
	secondary.CidrBlock = ""
	for _, p := range secondary.Blocks() {
		if p.Overlaps(block) {
			return v, apierr.SecondaryCidrOverlap.New().WithDetail("overlaps %s", p)
		}
	}
	for _, w := range vswitches {
		p, ok := ParseCIDR(w.CidrBlock)
		if ok && !secondary.InVpcBlocks(p) && !Contains(block, p) {
			return v, apierr.InvalidVSwitchCidr.New().WithDetail("%s (%s) would leave the VPC", w.ID, w.CidrBlock)
		}
	}
	v.CidrBlock = block.String()
	return v, nil
}

// FreeDefaultVSwitchBlock is the first /20 of the default VPC's primary
// block that overlaps no vSwitch of it; ok is false when none is left.
func FreeDefaultVSwitchBlock(v VPC, vswitches []VSwitch) (netip.Prefix, bool) {
	outer, ok := ParseCIDR(v.CidrBlock)
	if !ok || outer.Bits() > DefaultVSwitchBits {
		return netip.Prefix{}, false
	}
	used := make([]netip.Prefix, 0, len(vswitches))
	for _, w := range vswitches {
		if p, ok := ParseCIDR(w.CidrBlock); ok {
			used = append(used, p)
		}
	}
	step := uint32(1) << (32 - DefaultVSwitchBits)
	a := outer.Addr().As4()
	base := uint32(a[0])<<24 | uint32(a[1])<<16 | uint32(a[2])<<8 | uint32(a[3])
	for i := uint32(0); i < 1<<(DefaultVSwitchBits-outer.Bits()); i++ {
		u := base + i*step
		p := netip.PrefixFrom(netip.AddrFrom4([4]byte{byte(u >> 24), byte(u >> 16), byte(u >> 8), byte(u)}), DefaultVSwitchBits)
		if !slices.ContainsFunc(used, p.Overlaps) {
			return p, true
		}
	}
	return netip.Prefix{}, false
}

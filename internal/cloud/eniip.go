package cloud

import (
	"slices"

	"github.com/ecslocal/ecslocal/internal/apierr"
)

// MaxAvailableENISecondaryIPs is how many secondary private addresses an
// ENI that is not attached may hold (the AssignPrivateIpAddresses
// reference: 49 while Available; attached, its instance type decides).
const MaxAvailableENISecondaryIPs = 49

// ENISecondaryIPLimit is how many secondary private addresses e may hold:
// attached, its instance type's EniPrivateIpAddressQuantity less the
// primary address; otherwise MaxAvailableENISecondaryIPs.
func ENISecondaryIPLimit(e ENI, attachedTo *InstanceType) int {
	if attachedTo == nil {
		return MaxAvailableENISecondaryIPs
	}
	return max(attachedTo.EniPrivateIPAddressQuantity-1, 0)
}

// CheckENIAddressable is the state AssignPrivateIpAddresses and
// UnassignPrivateIpAddresses need: the ENI Available or InUse, and for a
// primary ENI its instance Running or Stopped. inst is the instance the
// ENI is attached to, nil when none.
func CheckENIAddressable(e ENI, inst *Instance) error {
	if e.Status != ENIAvailable && e.Status != ENIInUse {
		return apierr.InvalidEniState.New().WithDetail("ENI %s is %s", e.ID, e.Status)
	}
	if e.Type == ENIPrimary && inst != nil && (inst.Releasing || inst.Status != StatusRunning && inst.Status != StatusStopped) {
		return apierr.InvalidEcsState.New().WithDetail("instance %s is %s", inst.ID, inst.Status)
	}
	return nil
}

// AssignENIIPs adds secondary addresses (already checked free in the
// vSwitch) to e, within limit.
func AssignENIIPs(e ENI, ips []string, limit int) (ENI, error) {
	if len(e.SecondaryIPs)+len(ips) > limit {
		return e, apierr.Ipv4CountExceeded.New().WithDetail("ENI %s may hold %d secondary private addresses", e.ID, limit)
	}
	e.SecondaryIPs = append(slices.Clone(e.SecondaryIPs), ips...)
	return e, nil
}

// UnassignENIIPs frees secondary addresses of e: each must be one of them
// (the primary address cannot be unassigned).
func UnassignENIIPs(e ENI, ips []string) (ENI, error) {
	keep := slices.Clone(e.SecondaryIPs)
	for _, ip := range ips {
		i := slices.Index(keep, ip)
		if i < 0 {
			return e, apierr.IPUnassigned.New().WithDetail("%s is not a secondary private address of %s", ip, e.ID)
		}
		keep = slices.Delete(keep, i, i+1)
	}
	if len(keep) == 0 {
		keep = nil
	}
	e.SecondaryIPs = keep
	return e, nil
}

package cloud

import "github.com/ecslocal/ecslocal/internal/apierr"

// WithType is the instance as one of type t: its family, vCPUs and memory
// follow the type (ModifyInstanceSpec, ModifyPrepayInstanceSpec).
func (i Instance) WithType(t InstanceType) Instance {
	i.InstanceType, i.Family, i.CPU, i.MemoryMiB = t.InstanceTypeID, t.InstanceTypeFamily, t.CPUCoreCount, int(t.MemorySize*1024)
	return i
}

// CheckTypeFits tells whether what is attached to an instance fits type t:
// its ENIs within t's EniQuantity (trunk members within EniTotalQuantity),
// each ENI's secondary private addresses within its address quantity.
func CheckTypeFits(t InstanceType, enis []ENI) error {
	direct := 0
	for _, e := range enis {
		if e.TrunkID() == "" {
			direct++
		}
		if len(e.SecondaryIPs) > ENISecondaryIPLimit(e, &t) {
			return apierr.Ipv4CountExceeded.New().WithDetail("ENI %s holds %d secondary addresses; %s allows %d", e.ID, len(e.SecondaryIPs), t.InstanceTypeID, ENISecondaryIPLimit(e, &t))
		}
	}
	if direct > t.EniQuantity || len(enis) > max(t.EniTotalQuantity, t.EniQuantity) {
		return apierr.EniPerInstanceLimitExceeded.New().WithDetail("instance type %s allows %d ENIs", t.InstanceTypeID, t.EniQuantity)
	}
	return nil
}

// Upgrade tells whether type to is no smaller than from in vCPUs and
// memory (ModifyPrepayInstanceSpec OperatorType=upgrade); Downgrade the other way.
func Upgrade(from, to InstanceType) bool {
	return to.CPUCoreCount >= from.CPUCoreCount && to.MemorySize >= from.MemorySize
}

// Downgrade tells whether type to is no larger than from in vCPUs and memory.
func Downgrade(from, to InstanceType) bool {
	return to.CPUCoreCount <= from.CPUCoreCount && to.MemorySize <= from.MemorySize
}

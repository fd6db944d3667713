package cloud

import (
	"fmt"
	"slices"
	"strings"
)

// Availability states as DescribeAvailableResource answers them.
const (
	StockAvailable = "Available"
	StockSoldOut   = "SoldOut"
	// Status categories: the finer word beside Status.
	StockWithStock    = "WithStock"
	StockWithoutStock = "WithoutStock"
)

// Destination resources of DescribeAvailableResource that the catalogue
// answers; any other official value answers an empty list.
const (
	DestZone         = "Zone"
	DestIoOptimized  = "IoOptimized"
	DestInstanceType = "InstanceType"
	DestSystemDisk   = "SystemDisk"
	DestDataDisk     = "DataDisk"
	DestNetwork      = "Network"
)

// DestinationResources are every value the API reference lists.
var DestinationResources = []string{DestZone, DestIoOptimized, DestInstanceType, DestSystemDisk, DestDataDisk,
	DestNetwork, "DedicatedHost", "ddh", "ElasticityAssurance", "CapacityReservation"}

// SoldOut reports whether the configuration marks the type sold out in the
// zone: an entry is a zone id (all of it), a type id (everywhere) or
// "zone/type".
func (c Config) SoldOut(zone, instanceType string) bool {
	for _, e := range c.SoldOutResources {
		if e == zone || e == instanceType || e == zone+"/"+instanceType {
			return true
		}
	}
	return false
}

// ZoneSoldOut reports whether the whole zone is marked sold out.
func (c Config) ZoneSoldOut(zone string) bool { return slices.Contains(c.SoldOutResources, zone) }

// validSoldOut checks the syntax of the sold-out entries.
func validSoldOut(entries []string) error {
	for _, e := range entries {
		if strings.TrimSpace(e) == "" || strings.Count(e, "/") > 1 {
			return fmt.Errorf("soldOutResources: %q is not a zone, an instance type or zone/type", e)
		}
	}
	return nil
}

// AvailabilityQuery is what DescribeAvailableResource filters by; zero
// fields do not filter.
type AvailabilityQuery struct {
	Region, Zone, Destination, InstanceType string
	IoOptimized, NetworkCategory            string
	SystemDiskCategory, DataDiskCategory    string
	Cores                                   int
	Memory                                  float64
}

// SupportedResource is one offered value, with its stock and, for disks, the
// size range.
type SupportedResource struct {
	Value, Status, StatusCategory, Unit string
	Min, Max                            int
}

// AvailableZone is one zone of the answer: its stock and the offered values
// of the destination resource.
type AvailableZone struct {
	ZoneID, Status, StatusCategory string
	Type                           string
	Resources                      []SupportedResource
}

func stock(soldOut bool) (string, string) {
	if soldOut {
		return StockSoldOut, StockWithoutStock
	}
	return StockAvailable, StockWithStock
}

// Available answers DescribeAvailableResource from the catalogue and the
// sold-out switch: a zone appears when something in it matches every
// filter; a zone is sold out when every matching type is.
func (c *Catalog) Available(q AvailabilityQuery, cfg Config) []AvailableZone {
	if q.IoOptimized == "none" || q.NetworkCategory == "classic" {
		return nil // the catalogue sells only I/O optimised VPC instances
	}
	var out []AvailableZone
	for _, z := range c.Zones(q.Region) {
		if q.Zone != "" && q.Zone != z.ZoneID {
			continue
		}
		if q.SystemDiskCategory != "" && !slices.Contains(z.DiskCategories, q.SystemDiskCategory) ||
			q.DataDiskCategory != "" && !slices.Contains(z.DiskCategories, q.DataDiskCategory) {
			continue
		}
		var types []SupportedResource
		anyInStock := false
		for _, id := range z.InstanceTypes {
			t, _ := c.InstanceType(id)
			if q.InstanceType != "" && q.InstanceType != id ||
				q.Cores != 0 && q.Cores != t.CPUCoreCount ||
				q.Memory != 0 && q.Memory != t.MemorySize {
				continue
			}
			out := cfg.SoldOut(z.ZoneID, id)
			anyInStock = anyInStock || !out
			st, cat := stock(out)
			types = append(types, SupportedResource{Value: id, Status: st, StatusCategory: cat})
		}
		if len(types) == 0 {
			continue
		}
		zoneOut := !anyInStock || cfg.ZoneSoldOut(z.ZoneID)
		st, cat := stock(zoneOut)
		az := AvailableZone{ZoneID: z.ZoneID, Status: st, StatusCategory: cat, Type: q.Destination}
		switch q.Destination {
		case DestZone:
			az.Resources = []SupportedResource{{Value: z.ZoneID, Status: st, StatusCategory: cat}}
		case DestIoOptimized:
			az.Resources = []SupportedResource{{Value: "optimized", Status: st, StatusCategory: cat}}
		case DestNetwork:
			az.Resources = []SupportedResource{{Value: "vpc", Status: st, StatusCategory: cat}}
		case DestInstanceType:
			az.Resources = types
		case DestSystemDisk, DestDataDisk:
			for _, d := range z.DiskCategories {
				want, r := q.SystemDiskCategory, SystemDiskSizeRange(d, "")
				if q.Destination == DestDataDisk {
					want, r = q.DataDiskCategory, DataDiskSizeRange(d, "")
				}
				if want != "" && want != d {
					continue
				}
				az.Resources = append(az.Resources, SupportedResource{Value: d, Status: st, StatusCategory: cat,
					Unit: "GiB", Min: r.Min, Max: r.Max})
			}
		default:
			continue
		}
		out = append(out, az)
	}
	return out
}

// familyGeneration is the Generation DescribeInstanceTypeFamilies gives each
// family of the catalogue [choice: the seventh-generation families and their
// contemporaries are ecs-5, the eighth ecs-6].
var familyGeneration = map[string]string{
	"ecs.c7": "ecs-5", "ecs.g7": "ecs-5", "ecs.r7": "ecs-5", "ecs.gn7i": "ecs-5",
	"ecs.t6": "ecs-5", "ecs.u1": "ecs-5", "ecs.g8y": "ecs-6",
}

// FamilyGeneration is a family's generation; ecs-5 for one not listed.
func FamilyGeneration(family string) string {
	if g, ok := familyGeneration[family]; ok {
		return g
	}
	return "ecs-5"
}

// RegionFamilies are the families some zone of the region sells, sorted.
func (c *Catalog) RegionFamilies(region string) []string {
	seen := map[string]bool{}
	var out []string
	for _, z := range c.Zones(region) {
		for _, id := range z.InstanceTypes {
			t, _ := c.InstanceType(id)
			if !seen[t.InstanceTypeFamily] {
				seen[t.InstanceTypeFamily] = true
				out = append(out, t.InstanceTypeFamily)
			}
		}
	}
	slices.Sort(out)
	return out
}

// ModificationAllowed reports whether an instance of type from may change to
// type to: an upgrade never shrinks vCPUs or memory, a downgrade never grows
// them, a renewal change may go either way; the current type is no change.
func ModificationAllowed(from, to InstanceType, operation string) bool {
	if from.InstanceTypeID == to.InstanceTypeID || from.CPUArchitecture != to.CPUArchitecture {
		return false
	}
	switch operation {
	case "Upgrade":
		return to.CPUCoreCount >= from.CPUCoreCount && to.MemorySize >= from.MemorySize
	case "Downgrade", "RenewDowngrade":
		return to.CPUCoreCount <= from.CPUCoreCount && to.MemorySize <= from.MemorySize
	}
	return true
}

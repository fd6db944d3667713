package cloud

// Disk categories as Alibaba names them.
const (
	DiskCategoryBasic      = "cloud"
	DiskCategoryEfficiency = "cloud_efficiency"
	DiskCategorySSD        = "cloud_ssd"
	DiskCategoryESSD       = "cloud_essd"
	DiskCategoryAuto       = "cloud_auto"
	DiskCategoryESSDEntry  = "cloud_essd_entry"
)

// DefaultDiskCategory is the category of a disk a launch leaves unnamed.
const DefaultDiskCategory = DiskCategoryEfficiency

// DefaultPerformanceLevel is an ESSD's level when the request names none.
const DefaultPerformanceLevel = "PL1"

// SizeRange is an inclusive range of disk sizes in GiB.
type SizeRange struct{ Min, Max int }

// Contains reports whether size lies in r.
func (r SizeRange) Contains(size int) bool { return size >= r.Min && size <= r.Max }

// essdMin is the least size of an ESSD per performance level: the level's
// throughput needs that much capacity behind it.
var essdMin = map[string]int{"PL0": 1, "PL1": 20, "PL2": 461, "PL3": 1261}

// DataDiskSizeRange is the Size range of a data disk of a category and
// performance level (CreateDisk, RunInstances' DataDisk.n.Size, ResizeDisk),
// as the API reference gives them. An unknown category gets the common
// 20–32768; an ESSD without a level is PL1.
func DataDiskSizeRange(category, performanceLevel string) SizeRange {
	switch category {
	case DiskCategoryBasic:
		return SizeRange{5, 2000}
	case DiskCategoryESSD:
		return SizeRange{essdLevelMin(performanceLevel), 65536}
	case DiskCategoryAuto:
		return SizeRange{1, 65536}
	case DiskCategoryESSDEntry:
		return SizeRange{10, 32768}
	}
	return SizeRange{20, 32768} // cloud_efficiency, cloud_ssd
}

// SystemDiskSizeRange is the SystemDisk.Size range of a category and
// performance level; the image's size is a further lower bound the caller
// applies.
func SystemDiskSizeRange(category, performanceLevel string) SizeRange {
	switch category {
	case DiskCategoryBasic:
		return SizeRange{20, 500}
	case DiskCategoryESSD:
		return SizeRange{essdLevelMin(performanceLevel), 2048}
	case DiskCategoryAuto:
		return SizeRange{1, 2048}
	case DiskCategoryESSDEntry:
		return SizeRange{10, 2048}
	}
	return SizeRange{20, 2048}
}

// DiskSizeRange is the range a disk of type DiskSystem or DiskData may have.
func DiskSizeRange(diskType, category, performanceLevel string) SizeRange {
	if diskType == DiskSystem {
		return SystemDiskSizeRange(category, performanceLevel)
	}
	return DataDiskSizeRange(category, performanceLevel)
}

// DiskKindName names a category with its performance level where the level
// matters ("cloud_essd PL1"), for reasons.
func DiskKindName(category, performanceLevel string) string {
	if category != DiskCategoryESSD {
		return category
	}
	if performanceLevel == "" {
		performanceLevel = DefaultPerformanceLevel
	}
	return category + " " + performanceLevel
}

func essdLevelMin(level string) int {
	if level == "" {
		level = DefaultPerformanceLevel
	}
	if n, ok := essdMin[level]; ok {
		return n
	}
	return essdMin[DefaultPerformanceLevel]
}

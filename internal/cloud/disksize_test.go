package cloud

import "testing"

func TestDiskSizeRanges(t *testing.T) {
	for _, tc := range []struct {
		name, diskType, category, level string
		want                            SizeRange
	}{
		{"basic data", DiskData, DiskCategoryBasic, "", SizeRange{5, 2000}},
		{"ultra data", DiskData, DiskCategoryEfficiency, "", SizeRange{20, 32768}},
		{"standard SSD data", DiskData, DiskCategorySSD, "", SizeRange{20, 32768}},
		{"ESSD data, level unnamed is PL1", DiskData, DiskCategoryESSD, "", SizeRange{20, 65536}},
		{"ESSD PL0 data", DiskData, DiskCategoryESSD, "PL0", SizeRange{1, 65536}},
		{"ESSD PL1 data", DiskData, DiskCategoryESSD, "PL1", SizeRange{20, 65536}},
		{"ESSD PL2 data", DiskData, DiskCategoryESSD, "PL2", SizeRange{461, 65536}},
		{"ESSD PL3 data", DiskData, DiskCategoryESSD, "PL3", SizeRange{1261, 65536}},
		{"AutoPL data", DiskData, DiskCategoryAuto, "", SizeRange{1, 65536}},
		{"ESSD Entry data", DiskData, DiskCategoryESSDEntry, "", SizeRange{10, 32768}},
		{"basic system", DiskSystem, DiskCategoryBasic, "", SizeRange{20, 500}},
		{"ultra system", DiskSystem, DiskCategoryEfficiency, "", SizeRange{20, 2048}},
		{"ESSD PL0 system", DiskSystem, DiskCategoryESSD, "PL0", SizeRange{1, 2048}},
		{"ESSD PL2 system", DiskSystem, DiskCategoryESSD, "PL2", SizeRange{461, 2048}},
		{"ESSD PL3 system", DiskSystem, DiskCategoryESSD, "PL3", SizeRange{1261, 2048}},
		{"AutoPL system", DiskSystem, DiskCategoryAuto, "", SizeRange{1, 2048}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := DiskSizeRange(tc.diskType, tc.category, tc.level); got != tc.want {
				t.Errorf("DiskSizeRange(%s, %s, %q) = %v, want %v", tc.diskType, tc.category, tc.level, got, tc.want)
			}
		})
	}
}

func TestSizeRangeContains(t *testing.T) {
	r := SizeRange{20, 65536}
	for size, want := range map[int]bool{1: false, 19: false, 20: true, 65536: true, 65537: false} {
		if r.Contains(size) != want {
			t.Errorf("%v.Contains(%d) = %v, want %v", r, size, !want, want)
		}
	}
}

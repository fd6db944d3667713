package cloud

import (
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestCatalogRegionsAreReal(t *testing.T) {
	c := DefaultCatalog()
	for _, id := range []string{"cn-hangzhou", "cn-shanghai", "cn-beijing", "cn-shenzhen", "cn-hongkong", "ap-southeast-1", "us-west-1", "eu-central-1"} {
		r, ok := c.Region(id)
		if !ok {
			t.Errorf("region %s missing", id)
			continue
		}
		if r.RegionID != id || r.LocalName == "" || r.LocalNameEn == "" {
			t.Errorf("region %s incomplete: %+v", id, r)
		}
		if want := "ecs." + id + ".aliyuncs.com"; r.RegionEndpoint != want {
			t.Errorf("region %s endpoint %q, want %q", id, r.RegionEndpoint, want)
		}
	}
	hz, _ := c.Region("cn-hangzhou")
	if hz.LocalName != "华东1（杭州）" || hz.LocalNameEn != "China (Hangzhou)" {
		t.Errorf("cn-hangzhou names = %q / %q", hz.LocalName, hz.LocalNameEn)
	}
	// Regions() and Region() must agree, in a stable order.
	regions := c.Regions()
	if regions[0].RegionID != "cn-qingdao" {
		t.Errorf("first region %q, want cn-qingdao (Alibaba's order)", regions[0].RegionID)
	}
	for _, r := range regions {
		if got, ok := c.Region(r.RegionID); !ok || got != r {
			t.Errorf("Region(%q) = %+v, %v; list has %+v", r.RegionID, got, ok, r)
		}
	}
	if !slices.Equal(regions, DefaultCatalog().Regions()) {
		t.Error("region order differs between catalogues")
	}
}

func TestCatalogZones(t *testing.T) {
	c := DefaultCatalog()
	diskOK := map[string]bool{"cloud_efficiency": true, "cloud_ssd": true, "cloud_essd": true, "cloud_auto": true}
	total := 0
	for _, r := range c.Regions() {
		zones := c.Zones(r.RegionID)
		if len(zones) < 2 || len(zones) > 4 {
			t.Errorf("region %s has %d zones, want 2-4", r.RegionID, len(zones))
		}
		total += len(zones)
		for _, z := range zones {
			if z.RegionID != r.RegionID {
				t.Errorf("zone %s listed under %s but says region %s", z.ZoneID, r.RegionID, z.RegionID)
			}
			if _, ok := c.Region(z.RegionID); !ok {
				t.Errorf("zone %s: region %s does not exist", z.ZoneID, z.RegionID)
			}
			if !strings.HasPrefix(z.ZoneID, z.RegionID+"-") {
				t.Errorf("zone %s does not carry its region's id", z.ZoneID)
			}
			if z.LocalName == "" || z.LocalNameEn == "" {
				t.Errorf("zone %s has no names", z.ZoneID)
			}
			if len(z.InstanceTypes) == 0 || len(z.DiskCategories) == 0 {
				t.Errorf("zone %s offers nothing: %+v", z.ZoneID, z)
			}
			for _, id := range z.InstanceTypes {
				if _, ok := c.InstanceType(id); !ok {
					t.Errorf("zone %s offers unknown type %s", z.ZoneID, id)
				}
				if !c.ZoneOffers(z.ZoneID, id) {
					t.Errorf("ZoneOffers(%s, %s) = false, but the zone lists it", z.ZoneID, id)
				}
			}
			for _, d := range z.DiskCategories {
				if !diskOK[d] {
					t.Errorf("zone %s: unknown disk category %q", z.ZoneID, d)
				}
			}
			if got, ok := c.Zone(z.ZoneID); !ok || !zonesEqual(got, z) {
				t.Errorf("Zone(%q) = %+v, %v; list has %+v", z.ZoneID, got, ok, z)
			}
		}
	}
	if total == 0 {
		t.Fatal("no zones")
	}
	hz, ok := c.Zone("cn-hangzhou-h")
	if !ok || hz.LocalName != "华东 1 可用区 H" || hz.LocalNameEn != "Hangzhou Zone H" {
		t.Errorf("cn-hangzhou-h = %+v, %v", hz, ok)
	}
	var ids []string
	for _, z := range c.Zones("cn-hangzhou") {
		ids = append(ids, z.ZoneID)
	}
	if want := []string{"cn-hangzhou-h", "cn-hangzhou-i", "cn-hangzhou-j", "cn-hangzhou-k"}; !slices.Equal(ids, want) {
		t.Errorf("cn-hangzhou zones %v, want %v", ids, want)
	}
	if z := c.Zones("xx-nowhere-1"); z != nil {
		t.Errorf("Zones(unknown) = %v, want nil", z)
	}
}

// zonesEqual compares zones field by field; Zone holds slices, so == won't do.
func zonesEqual(a, b Zone) bool {
	return a.ZoneID == b.ZoneID && a.RegionID == b.RegionID &&
		a.LocalName == b.LocalName && a.LocalNameEn == b.LocalNameEn &&
		slices.Equal(a.InstanceTypes, b.InstanceTypes) && slices.Equal(a.DiskCategories, b.DiskCategories)
}

func TestCatalogNotEveryZoneOffersEverything(t *testing.T) {
	c := DefaultCatalog()
	types := c.InstanceTypes()
	partial := false
	for _, r := range c.Regions() {
		for _, z := range c.Zones(r.RegionID) {
			if len(z.InstanceTypes) < len(types) {
				partial = true
				// The offer check must say no for the missing ones.
				for _, it := range types {
					if !slices.Contains(z.InstanceTypes, it.InstanceTypeID) && c.ZoneOffers(z.ZoneID, it.InstanceTypeID) {
						t.Errorf("ZoneOffers(%s, %s) = true, not listed", z.ZoneID, it.InstanceTypeID)
					}
				}
			}
		}
	}
	if !partial {
		t.Error("every zone offers every type; the catalogue should vary")
	}
	// Every type is sold somewhere, or DescribeInstanceTypes lists the unbuyable.
	for _, it := range types {
		sold := false
		for _, r := range c.Regions() {
			for _, z := range c.Zones(r.RegionID) {
				sold = sold || c.ZoneOffers(z.ZoneID, it.InstanceTypeID)
			}
		}
		if !sold {
			t.Errorf("%s is offered in no zone", it.InstanceTypeID)
		}
	}
}

func TestCatalogIDsUnique(t *testing.T) {
	c := DefaultCatalog()
	seen := map[string]string{}
	check := func(kind, id string) {
		t.Helper()
		if id == "" {
			t.Errorf("empty %s id", kind)
		}
		if prev, dup := seen[id]; dup {
			t.Errorf("id %q used by %s and %s", id, prev, kind)
		}
		seen[id] = kind
	}
	for _, r := range c.Regions() {
		check("region", r.RegionID)
		for _, z := range c.Zones(r.RegionID) {
			check("zone", z.ZoneID)
			if len(slices.Compact(slices.Clone(z.InstanceTypes))) != len(z.InstanceTypes) {
				t.Errorf("zone %s lists a type twice", z.ZoneID)
			}
		}
	}
	for _, im := range c.Images() {
		check("image", im.ImageID)
	}
	for _, it := range c.InstanceTypes() {
		check("instance type", it.InstanceTypeID)
	}
}

func TestCatalogLookups(t *testing.T) {
	c := DefaultCatalog()
	if _, ok := c.Region("cn-nowhere"); ok {
		t.Error("Region(unknown) found")
	}
	if _, ok := c.Zone("cn-hangzhou-z"); ok {
		t.Error("Zone(unknown) found")
	}
	if _, ok := c.Image("m-doesnotexist"); ok {
		t.Error("Image(unknown) found")
	}
	if _, ok := c.InstanceType("ecs.g7.huge"); ok {
		t.Error("InstanceType(unknown) found")
	}
	for _, id := range []string{"", " cn-hangzhou", "CN-HANGZHOU"} {
		if _, ok := c.Region(id); ok {
			t.Errorf("Region(%q) found; ids are exact", id)
		}
	}
	if c.ZoneOffers("cn-hangzhou-z", "ecs.g7.large") || c.ZoneOffers("cn-hangzhou-h", "ecs.g7.huge") {
		t.Error("ZoneOffers true for an unknown zone or type")
	}
	if !c.ZoneOffers("cn-hangzhou-h", "ecs.g7.large") {
		t.Error("cn-hangzhou-h should offer ecs.g7.large")
	}

	g7, ok := c.InstanceType("ecs.g7.large")
	if !ok {
		t.Fatal("ecs.g7.large missing")
	}
	want := InstanceType{
		InstanceTypeID: "ecs.g7.large", InstanceTypeFamily: "ecs.g7",
		CPUCoreCount: 2, MemorySize: 8, EniQuantity: 3, EniPrivateIPAddressQuantity: 6,
		EniTotalQuantity: 10, EniTrunkSupported: true,
		CPUArchitecture: "X86", InstanceCategory: "General-purpose",
	}
	if g7 != want {
		t.Errorf("ecs.g7.large = %+v, want %+v", g7, want)
	}
	for id, w := range map[string][3]int{ // vCPU, GiB, ENIs
		"ecs.g7.xlarge":  {4, 16, 4},
		"ecs.g7.2xlarge": {8, 32, 4},
		"ecs.c7.large":   {2, 4, 3},
		"ecs.r7.large":   {2, 16, 3},
	} {
		it, ok := c.InstanceType(id)
		if !ok || it.CPUCoreCount != w[0] || it.MemorySize != float64(w[1]) || it.EniQuantity != w[2] {
			t.Errorf("%s = %+v, %v; want %v", id, it, ok, w)
		}
	}
	if t6, ok := c.InstanceType("ecs.t6-c1m1.large"); !ok || t6.InstanceTypeFamily != "ecs.t6" || t6.InstanceCategory != "Shared" {
		t.Errorf("ecs.t6-c1m1.large = %+v, %v", t6, ok)
	}

	im, ok := c.Image("ubuntu_22_04_x64_20G_alibase_20240530.vhd")
	if !ok || im.Platform != "Ubuntu" || im.OSType != "linux" || im.Architecture != "x86_64" {
		t.Errorf("ubuntu image = %+v, %v", im, ok)
	}
	for _, im := range c.Images() {
		if got, ok := c.Image(im.ImageID); !ok || got != im {
			t.Errorf("Image(%q) = %+v, %v; list has %+v", im.ImageID, got, ok, im)
		}
	}
	for _, it := range c.InstanceTypes() {
		if got, ok := c.InstanceType(it.InstanceTypeID); !ok || got != it {
			t.Errorf("InstanceType(%q) = %+v, %v; list has %+v", it.InstanceTypeID, got, ok, it)
		}
	}
}

func TestCatalogCopiesAreIndependent(t *testing.T) {
	c := DefaultCatalog()

	regions := c.Regions()
	regions[0].RegionID = "mutated"
	if c.Regions()[0].RegionID == "mutated" {
		t.Error("Regions() aliases the catalogue")
	}
	images := c.Images()
	images[0].Size = 1
	if c.Images()[0].Size == 1 {
		t.Error("Images() aliases the catalogue")
	}
	types := c.InstanceTypes()
	types[0].CPUCoreCount = 999
	if c.InstanceTypes()[0].CPUCoreCount == 999 {
		t.Error("InstanceTypes() aliases the catalogue")
	}

	zones := c.Zones("cn-hangzhou")
	first := zones[0].ZoneID
	typeID := zones[0].InstanceTypes[0]
	zones[0].ZoneID = "mutated"
	zones[0].InstanceTypes[0] = "mutated"
	zones[0].DiskCategories[0] = "mutated"
	again := c.Zones("cn-hangzhou")[0]
	if again.ZoneID != first || again.InstanceTypes[0] != typeID || again.DiskCategories[0] == "mutated" {
		t.Errorf("Zones() aliases the catalogue: %+v", again)
	}
	if !c.ZoneOffers(first, typeID) {
		t.Error("mutating a returned zone changed ZoneOffers")
	}

	z, _ := c.Zone(first)
	z.InstanceTypes[0] = "mutated"
	z.DiskCategories = append(z.DiskCategories[:0], "mutated")
	if again, _ := c.Zone(first); again.InstanceTypes[0] == "mutated" || again.DiskCategories[0] == "mutated" {
		t.Error("Zone() aliases the catalogue")
	}

	// Appending to a returned slice must not show up either.
	_ = append(c.Regions()[:1], Region{RegionID: "appended"})
	if c.Regions()[1].RegionID == "appended" {
		t.Error("append through Regions() reached the catalogue")
	}

	// Two catalogues share nothing.
	a, b := DefaultCatalog(), DefaultCatalog()
	if a == b {
		t.Fatal("DefaultCatalog returned the same pointer twice")
	}
	za, _ := a.Zone("cn-hangzhou-h")
	zb, _ := b.Zone("cn-hangzhou-h")
	if &za.InstanceTypes[0] == &zb.InstanceTypes[0] {
		t.Error("two catalogues share zone storage")
	}
}

func TestCatalogImages(t *testing.T) {
	c := DefaultCatalog()
	images := c.Images()
	if len(images) < 6 {
		t.Fatalf("%d images, want at least 6", len(images))
	}
	arm := false
	for _, im := range images {
		if im.Size < 20 {
			t.Errorf("%s: Size %d < 20", im.ImageID, im.Size)
		}
		if im.ImageOwnerAlias != "system" || !im.IsPublic || im.Status != "Available" {
			t.Errorf("%s is not a public system image: %+v", im.ImageID, im)
		}
		if im.OSType != "linux" && im.OSType != "windows" {
			t.Errorf("%s: OSType %q", im.ImageID, im.OSType)
		}
		if im.Architecture != "x86_64" && im.Architecture != "arm64" {
			t.Errorf("%s: Architecture %q", im.ImageID, im.Architecture)
		}
		if _, err := time.Parse(time.RFC3339, im.CreationTime); err != nil || !strings.HasSuffix(im.CreationTime, "Z") {
			t.Errorf("%s: CreationTime %q not UTC RFC 3339", im.ImageID, im.CreationTime)
		}
		if im.ImageName == "" || im.OSName == "" || im.OSNameEn == "" || im.Platform == "" || !strings.HasPrefix(im.ImageFamily, "acs:") {
			t.Errorf("%s incomplete: %+v", im.ImageID, im)
		}
		// Alibaba encodes architecture and minimum disk in the id; keep them honest.
		if strings.Contains(im.ImageID, "_arm64_") != (im.Architecture == "arm64") {
			t.Errorf("%s: Architecture %q disagrees with the id", im.ImageID, im.Architecture)
		}
		if want := "_" + strconv.Itoa(im.Size) + "G_"; !strings.Contains(im.ImageID, want) {
			t.Errorf("%s: Size %d disagrees with the id", im.ImageID, im.Size)
		}
		if (im.OSType == "windows") != strings.HasPrefix(im.Platform, "Windows") {
			t.Errorf("%s: OSType %q vs Platform %q", im.ImageID, im.OSType, im.Platform)
		}
		arm = arm || im.Architecture == "arm64"
	}
	if !arm {
		t.Error("no arm64 image")
	}
	for _, id := range []string{
		"aliyun_3_x64_20G_alibase_20240528.vhd", "aliyun_3_arm64_20G_alibase_20240528.vhd",
		"ubuntu_22_04_x64_20G_alibase_20240530.vhd", "centos_7_9_x64_20G_alibase_20240628.vhd",
		"debian_12_6_x64_20G_alibase_20240711.vhd", "win2022_21H2_x64_dtc_en-us_40G_alibase_20240617.vhd",
	} {
		if _, ok := c.Image(id); !ok {
			t.Errorf("image %s missing", id)
		}
	}
}

func TestCatalogInstanceTypes(t *testing.T) {
	c := DefaultCatalog()
	types := c.InstanceTypes()
	if !slices.IsSortedFunc(types, compareInstanceTypes) {
		t.Error("InstanceTypes() not ordered by family then size")
	}
	// Spell the order out too, so a broken comparator cannot vouch for itself.
	var g7 []string
	for _, it := range types {
		if it.InstanceTypeFamily == "ecs.g7" {
			g7 = append(g7, strings.TrimPrefix(it.InstanceTypeID, "ecs.g7."))
		}
	}
	if want := []string{"large", "xlarge", "2xlarge", "3xlarge", "4xlarge", "6xlarge", "8xlarge", "16xlarge", "32xlarge"}; !slices.Equal(g7, want) {
		t.Errorf("ecs.g7 sizes in order %v, want %v", g7, want)
	}
	if !slices.IsSortedFunc(types, func(a, b InstanceType) int { return strings.Compare(a.InstanceTypeFamily, b.InstanceTypeFamily) }) {
		t.Error("families are interleaved")
	}
	families := map[string]bool{}
	trunk, armType := false, false
	for _, it := range types {
		families[it.InstanceTypeFamily] = true
		if !strings.HasPrefix(it.InstanceTypeID, it.InstanceTypeFamily+".") && !strings.HasPrefix(it.InstanceTypeID, it.InstanceTypeFamily+"-") {
			t.Errorf("%s not named after family %s", it.InstanceTypeID, it.InstanceTypeFamily)
		}
		if it.CPUCoreCount <= 0 || it.MemorySize <= 0 {
			t.Errorf("%s: %d vCPU %v GiB", it.InstanceTypeID, it.CPUCoreCount, it.MemorySize)
		}
		if it.EniQuantity < 1 || it.EniPrivateIPAddressQuantity < 1 || it.EniTotalQuantity < it.EniQuantity {
			t.Errorf("%s: ENI quotas %d/%d/%d", it.InstanceTypeID, it.EniQuantity, it.EniPrivateIPAddressQuantity, it.EniTotalQuantity)
		}
		if it.EniTrunkSupported != (it.EniTotalQuantity > it.EniQuantity) {
			t.Errorf("%s: trunk %v but EniTotalQuantity %d vs EniQuantity %d", it.InstanceTypeID, it.EniTrunkSupported, it.EniTotalQuantity, it.EniQuantity)
		}
		if (it.GPUAmount > 0) != (it.GPUSpec != "") {
			t.Errorf("%s: GPUAmount %d with GPUSpec %q", it.InstanceTypeID, it.GPUAmount, it.GPUSpec)
		}
		if it.CPUArchitecture != "X86" && it.CPUArchitecture != "ARM" {
			t.Errorf("%s: CPUArchitecture %q", it.InstanceTypeID, it.CPUArchitecture)
		}
		if it.InstanceCategory == "" {
			t.Errorf("%s: no category", it.InstanceTypeID)
		}
		switch it.InstanceTypeFamily {
		case "ecs.g7", "ecs.c7", "ecs.r7":
			if !it.EniTrunkSupported {
				t.Errorf("%s should support ENI trunking", it.InstanceTypeID)
			}
		}
		trunk = trunk || it.EniTrunkSupported
		armType = armType || it.CPUArchitecture == "ARM"
	}
	for _, f := range []string{"ecs.g7", "ecs.c7", "ecs.r7", "ecs.t6", "ecs.g8y", "ecs.u1"} {
		if !families[f] {
			t.Errorf("family %s missing", f)
		}
	}
	if !trunk {
		t.Error("no trunk-capable instance type")
	}
	if !armType {
		t.Error("no ARM instance type")
	}
	if g8y, ok := c.InstanceType("ecs.g8y.large"); !ok || g8y.CPUArchitecture != "ARM" {
		t.Errorf("ecs.g8y.large = %+v, %v", g8y, ok)
	}
}

func TestCatalogArmImageHasSomewhereToRun(t *testing.T) {
	c := DefaultCatalog()
	for _, r := range c.Regions() {
		for _, z := range c.Zones(r.RegionID) {
			for _, id := range z.InstanceTypes {
				if it, _ := c.InstanceType(id); it.CPUArchitecture == "ARM" {
					return
				}
			}
		}
	}
	t.Error("no zone offers an ARM type, so the arm64 image cannot be launched")
}

func TestCatalogRejectsInconsistentData(t *testing.T) {
	types := []InstanceType{{InstanceTypeID: "ecs.g7.large", InstanceTypeFamily: "ecs.g7", CPUCoreCount: 2}}
	region := func(id string, zones ...Zone) regionData {
		return regionData{region: Region{RegionID: id}, zones: zones}
	}
	cases := map[string]struct {
		regions []regionData
		images  []Image
		types   []InstanceType
	}{
		"duplicate region": {regions: []regionData{region("r"), region("r")}},
		"empty region id":  {regions: []regionData{region("")}},
		"duplicate zone": {regions: []regionData{
			region("r", Zone{ZoneID: "r-a", RegionID: "r"}, Zone{ZoneID: "r-a", RegionID: "r"}),
		}},
		"zone in unknown region": {regions: []regionData{region("r", Zone{ZoneID: "r-a", RegionID: "x"})}},
		"zone offers unknown type": {regions: []regionData{
			region("r", Zone{ZoneID: "r-a", RegionID: "r", InstanceTypes: []string{"ecs.g7.huge"}}),
		}, types: types},
		"duplicate image": {images: []Image{{ImageID: "i"}, {ImageID: "i"}}},
		"duplicate type":  {types: append(slices.Clone(types), types...)},
		"empty type id":   {types: []InstanceType{{}}},
	}
	for name, tc := range cases {
		if _, err := newCatalog(tc.regions, tc.images, tc.types); err == nil {
			t.Errorf("%s: newCatalog accepted it", name)
		}
	}

	// The constructor owns its data: later changes by the caller do not leak in.
	zoneTypes := []string{"ecs.g7.large"}
	in := []regionData{region("r", Zone{ZoneID: "r-a", RegionID: "r", InstanceTypes: zoneTypes})}
	c, err := newCatalog(in, nil, types)
	if err != nil {
		t.Fatal(err)
	}
	zoneTypes[0] = "mutated"
	types[0].CPUCoreCount = 64
	if z, _ := c.Zone("r-a"); z.InstanceTypes[0] != "ecs.g7.large" || !c.ZoneOffers("r-a", "ecs.g7.large") {
		t.Errorf("zone changed with caller's slice: %+v", z)
	}
	if it, _ := c.InstanceType("ecs.g7.large"); it.CPUCoreCount != 2 {
		t.Errorf("type changed with caller's slice: %+v", it)
	}
}

func TestImage_AnyReleaseOfAFamily(t *testing.T) {
	c := DefaultCatalog()
	im, ok := c.Image("ubuntu_22_04_x64_20G_alibase_20240220.vhd")
	if !ok || im.ImageID != "ubuntu_22_04_x64_20G_alibase_20240220.vhd" || im.ImageFamily != "acs:ubuntu_22_04_x64" ||
		im.CreationTime != "2024-02-20T00:00:00Z" || im.Platform != "Ubuntu" {
		t.Fatalf("dated release = %+v, %v", im, ok)
	}
	if w, ok := c.Image("win2022_21H2_x64_dtc_en-us_40G_alibase_20250101.vhd"); !ok || w.Size != 40 {
		t.Fatalf("windows release = %+v, %v", w, ok)
	}
	for _, bad := range []string{
		"ubuntu_22_04_x64_20G_alibase_20241340.vhd", // no such date
		"ubuntu_24_04_x64_20G_alibase_20240220.vhd", // a family the catalogue lacks
		"ubuntu_22_04_x64_20G_alibase_20240220",     // no .vhd
		"ubuntu_22_04_x64_20G_alibase_2024022.vhd",
	} {
		if _, ok := c.Image(bad); ok {
			t.Errorf("Image(%q) found", bad)
		}
	}
}

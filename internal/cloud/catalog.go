package cloud

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/ecslocal/ecslocal/internal/apierr"
)

// Region is one region of the catalogue.
type Region struct {
	RegionID, LocalName, LocalNameEn, RegionEndpoint string
}

// Zone is one availability zone and what it offers: DescribeZones lists the
// instance types and disk categories a client may ask for there.
type Zone struct {
	ZoneID, RegionID, LocalName, LocalNameEn string
	InstanceTypes                            []string // ids of InstanceType offered here
	DiskCategories                           []string
}

// Image is one public image; public images are offered in every region.
type Image struct {
	ImageID, ImageName, Description, ImageFamily string
	OSType                                       string // "linux" | "windows"
	OSName, OSNameEn, Platform                   string // e.g. Platform "Aliyun", "Ubuntu", "CentOS", "Debian", "Windows Server 2022"
	Architecture                                 string // "x86_64" | "arm64"
	Size                                         int    // GiB, the minimum system disk
	ImageOwnerAlias                              string // "system" for all built-ins
	IsPublic                                     bool
	CreationTime                                 string // "2024-05-28T07:22:13Z" style
	Status                                       string // "Available"
}

// InstanceType is one instance type with the figures DescribeInstanceTypes
// reports and the ENI quotas the emulator enforces.
type InstanceType struct {
	InstanceTypeID, InstanceTypeFamily string
	CPUCoreCount                       int
	MemorySize                         float64 // GiB
	EniQuantity                        int     // ENIs (incl. primary) the type may have attached
	EniPrivateIPAddressQuantity        int
	EniTotalQuantity                   int
	EniTrunkSupported                  bool
	GPUAmount                          int
	GPUSpec                            string
	CPUArchitecture                    string // "X86" | "ARM"
	InstanceCategory                   string // e.g. "General-purpose", "Compute-optimized", "Memory-optimized", "Shared"
}

// Catalog is immutable after construction.
type Catalog struct {
	regions []Region
	zones   []Zone
	images  []Image
	types   []InstanceType

	// Indexes into the slices above, so every lookup is O(1).
	regionIdx     map[string]int
	zoneIdx       map[string]int
	zonesOfRegion map[string][]int
	imageIdx      map[string]int
	typeIdx       map[string]int
	offers        map[string]map[string]struct{} // zone id → instance type ids
}

// DefaultCatalog returns the built-in catalogue. It builds a new value each
// call so that no caller can ever see another's state.
func DefaultCatalog() *Catalog {
	types := defaultInstanceTypes()
	c, err := newCatalog(defaultRegions(types), defaultImages(), types)
	if err != nil {
		// The data is a compile-time constant in all but syntax; the tests
		// run this path, so a panic here is a bug in this file.
		panic("cloud: invalid built-in catalogue: " + err.Error())
	}
	return c
}

// newCatalog validates the data and indexes it; it keeps the regions, zones
// and images in the order given and sorts instance types by family then size.
func newCatalog(regions []regionData, images []Image, types []InstanceType) (*Catalog, error) {
	c := &Catalog{
		regionIdx:     make(map[string]int, len(regions)),
		zoneIdx:       make(map[string]int),
		zonesOfRegion: make(map[string][]int, len(regions)),
		imageIdx:      make(map[string]int, len(images)),
		typeIdx:       make(map[string]int, len(types)),
		offers:        make(map[string]map[string]struct{}),
	}

	c.types = slices.Clone(types)
	slices.SortStableFunc(c.types, compareInstanceTypes)
	for i, t := range c.types {
		if t.InstanceTypeID == "" {
			return nil, fmt.Errorf("instance type %d has no id", i)
		}
		if _, dup := c.typeIdx[t.InstanceTypeID]; dup {
			return nil, fmt.Errorf("duplicate instance type %q", t.InstanceTypeID)
		}
		c.typeIdx[t.InstanceTypeID] = i
	}

	c.images = slices.Clone(images)
	for i, im := range c.images {
		if im.ImageID == "" {
			return nil, fmt.Errorf("image %d has no id", i)
		}
		if _, dup := c.imageIdx[im.ImageID]; dup {
			return nil, fmt.Errorf("duplicate image %q", im.ImageID)
		}
		c.imageIdx[im.ImageID] = i
	}

	for _, rd := range regions {
		r := rd.region
		if r.RegionID == "" {
			return nil, fmt.Errorf("region %d has no id", len(c.regions))
		}
		if _, dup := c.regionIdx[r.RegionID]; dup {
			return nil, fmt.Errorf("duplicate region %q", r.RegionID)
		}
		c.regionIdx[r.RegionID] = len(c.regions)
		c.regions = append(c.regions, r)
	}

	for _, rd := range regions {
		for _, z := range rd.zones {
			if err := c.addZone(z); err != nil {
				return nil, err
			}
		}
	}
	return c, nil
}

// addZone checks one zone against the regions and types already indexed, so
// DescribeZones can never name something the other actions do not know.
func (c *Catalog) addZone(z Zone) error {
	if z.ZoneID == "" {
		return fmt.Errorf("zone %d has no id", len(c.zones))
	}
	if _, dup := c.zoneIdx[z.ZoneID]; dup {
		return fmt.Errorf("duplicate zone %q", z.ZoneID)
	}
	if _, ok := c.regionIdx[z.RegionID]; !ok {
		return fmt.Errorf("zone %q: unknown region %q", z.ZoneID, z.RegionID)
	}
	offered := make(map[string]struct{}, len(z.InstanceTypes))
	for _, id := range z.InstanceTypes {
		if _, ok := c.typeIdx[id]; !ok {
			return fmt.Errorf("zone %q: unknown instance type %q", z.ZoneID, id)
		}
		offered[id] = struct{}{}
	}
	// Own copies, so the caller's slices cannot reach into the catalogue.
	z.InstanceTypes = slices.Clone(z.InstanceTypes)
	z.DiskCategories = slices.Clone(z.DiskCategories)
	c.zoneIdx[z.ZoneID] = len(c.zones)
	c.zonesOfRegion[z.RegionID] = append(c.zonesOfRegion[z.RegionID], len(c.zones))
	c.offers[z.ZoneID] = offered
	c.zones = append(c.zones, z)
	return nil
}

// compareInstanceTypes orders by family, then by vCPUs and memory, which is
// the "size" order (large < xlarge < 2xlarge ...) whatever the naming scheme.
func compareInstanceTypes(a, b InstanceType) int {
	return cmp.Or(
		cmp.Compare(a.InstanceTypeFamily, b.InstanceTypeFamily),
		cmp.Compare(a.CPUCoreCount, b.CPUCoreCount),
		cmp.Compare(a.MemorySize, b.MemorySize),
		cmp.Compare(a.InstanceTypeID, b.InstanceTypeID),
	)
}

// Regions returns every region in the order DescribeRegions lists them.
func (c *Catalog) Regions() []Region { return slices.Clone(c.regions) }

// Region looks a region up by id.
func (c *Catalog) Region(id string) (Region, bool) {
	i, ok := c.regionIdx[id]
	if !ok {
		return Region{}, false
	}
	return c.regions[i], true
}

// Zones returns the zones of a region in catalogue order; nil for an unknown
// region.
func (c *Catalog) Zones(regionID string) []Zone {
	idx := c.zonesOfRegion[regionID]
	if len(idx) == 0 {
		return nil
	}
	out := make([]Zone, len(idx))
	for k, i := range idx {
		out[k] = cloneZone(c.zones[i])
	}
	return out
}

// Zone looks a zone up by id.
func (c *Catalog) Zone(id string) (Zone, bool) {
	i, ok := c.zoneIdx[id]
	if !ok {
		return Zone{}, false
	}
	return cloneZone(c.zones[i]), true
}

// cloneZone deep-copies a zone; its slices would otherwise alias the
// catalogue's.
func cloneZone(z Zone) Zone {
	z.InstanceTypes = slices.Clone(z.InstanceTypes)
	z.DiskCategories = slices.Clone(z.DiskCategories)
	return z
}

// Images returns every public image in catalogue order.
func (c *Catalog) Images() []Image { return slices.Clone(c.images) }

// Image looks a public image up by id: a catalogue image, or another
// release of one of its families (publicimage.go).
func (c *Catalog) Image(id string) (Image, bool) {
	i, ok := c.imageIdx[id]
	if !ok {
		return c.datedImage(id)
	}
	return c.images[i], true
}

// InstanceTypes returns every instance type, by family then size.
func (c *Catalog) InstanceTypes() []InstanceType { return slices.Clone(c.types) }

// InstanceType looks an instance type up by id.
func (c *Catalog) InstanceType(id string) (InstanceType, bool) {
	i, ok := c.typeIdx[id]
	if !ok {
		return InstanceType{}, false
	}
	return c.types[i], true
}

// ZoneOffers reports whether the zone sells the instance type; false when
// either is unknown.
func (c *Catalog) ZoneOffers(zoneID, instanceTypeID string) bool {
	_, ok := c.offers[zoneID][instanceTypeID]
	return ok
}

// Short names of the disk categories the catalogue's zones offer.
const (
	diskEfficiency = DiskCategoryEfficiency
	diskSSD        = DiskCategorySSD
	diskESSD       = DiskCategoryESSD
	diskAuto       = DiskCategoryAuto
)

// regionData is a region with its zones, the unit newCatalog consumes.
type regionData struct {
	region Region
	zones  []Zone
}

// zoneSpec is the compact source form of a zone: the zone letter and the
// families it sells, expanded to type ids when the catalogue is built.
type zoneSpec struct {
	letter   string
	families []string
	disks    []string
}

// defaultRegions builds the regions in DescribeRegions order. Zone names are
// derived from a per-region prefix, the way Alibaba names them ("华东 1 可用区 H",
// "Hangzhou Zone H"), so they cannot drift apart.
func defaultRegions(types []InstanceType) []regionData {
	// Families by generation: older zones never received the newest hardware.
	var (
		x86       = []string{"ecs.c7", "ecs.g7", "ecs.r7"}
		withT6    = []string{"ecs.c7", "ecs.g7", "ecs.r7", "ecs.t6"}
		withU1    = []string{"ecs.c7", "ecs.g7", "ecs.r7", "ecs.t6", "ecs.u1"}
		withARM   = []string{"ecs.c7", "ecs.g7", "ecs.g8y", "ecs.r7", "ecs.t6", "ecs.u1"}
		withGPU   = []string{"ecs.c7", "ecs.g7", "ecs.gn7i", "ecs.r7", "ecs.u1"}
		everyFam  = []string{"ecs.c7", "ecs.g7", "ecs.g8y", "ecs.gn7i", "ecs.r7", "ecs.t6", "ecs.u1"}
		oldDisks  = []string{diskEfficiency, diskSSD, diskESSD}
		allDisks  = []string{diskEfficiency, diskSSD, diskESSD, diskAuto}
		newDisks  = []string{diskEfficiency, diskESSD, diskAuto}
		essdDisks = []string{diskESSD, diskAuto}
	)
	specs := []struct {
		id, name, nameEn     string
		zoneName, zoneNameEn string
		zones                []zoneSpec
	}{
		{"cn-qingdao", "华北1（青岛）", "China (Qingdao)", "华北 1", "Qingdao", []zoneSpec{
			{"b", withT6, oldDisks},
			{"c", withU1, allDisks},
		}},
		{"cn-beijing", "华北2（北京）", "China (Beijing)", "华北 2", "Beijing", []zoneSpec{
			{"g", withT6, oldDisks},
			{"h", withU1, allDisks},
			{"i", withARM, newDisks},
			{"k", everyFam, newDisks},
		}},
		{"cn-zhangjiakou", "华北3（张家口）", "China (Zhangjiakou)", "华北 3", "Zhangjiakou", []zoneSpec{
			{"a", withT6, oldDisks},
			{"b", withGPU, allDisks},
			{"c", withARM, newDisks},
		}},
		{"cn-huhehaote", "华北5（呼和浩特）", "China (Hohhot)", "华北 5", "Hohhot", []zoneSpec{
			{"a", withT6, oldDisks},
			{"b", withU1, allDisks},
		}},
		{"cn-wulanchabu", "华北6（乌兰察布）", "China (Ulanqab)", "华北 6", "Ulanqab", []zoneSpec{
			{"a", withU1, allDisks},
			{"b", withGPU, newDisks},
			{"c", withARM, essdDisks},
		}},
		{"cn-hangzhou", "华东1（杭州）", "China (Hangzhou)", "华东 1", "Hangzhou", []zoneSpec{
			{"h", withT6, oldDisks},
			{"i", withGPU, allDisks},
			{"j", withARM, newDisks},
			{"k", everyFam, newDisks},
		}},
		{"cn-shanghai", "华东2（上海）", "China (Shanghai)", "华东 2", "Shanghai", []zoneSpec{
			{"e", withT6, oldDisks},
			{"f", withGPU, allDisks},
			{"g", withU1, allDisks},
			{"l", everyFam, newDisks},
		}},
		{"cn-shenzhen", "华南1（深圳）", "China (Shenzhen)", "华南 1", "Shenzhen", []zoneSpec{
			{"c", withT6, oldDisks},
			{"d", withU1, allDisks},
			{"e", withGPU, allDisks},
			{"f", withARM, newDisks},
		}},
		{"cn-heyuan", "华南2（河源）", "China (Heyuan)", "华南 2", "Heyuan", []zoneSpec{
			{"a", withU1, allDisks},
			{"b", x86, essdDisks},
		}},
		{"cn-guangzhou", "华南3（广州）", "China (Guangzhou)", "华南 3", "Guangzhou", []zoneSpec{
			{"a", withU1, newDisks},
			{"b", withARM, essdDisks},
		}},
		{"cn-chengdu", "西南1（成都）", "China (Chengdu)", "西南 1", "Chengdu", []zoneSpec{
			{"a", withU1, allDisks},
			{"b", withT6, newDisks},
		}},
		{"cn-hongkong", "中国香港", "China (Hong Kong)", "中国香港", "Hong Kong", []zoneSpec{
			{"b", withT6, oldDisks},
			{"c", withU1, allDisks},
			{"d", withARM, newDisks},
		}},
		{"ap-northeast-1", "日本（东京）", "Japan (Tokyo)", "东京", "Tokyo", []zoneSpec{
			{"a", withT6, oldDisks},
			{"b", withU1, allDisks},
		}},
		{"ap-southeast-1", "新加坡", "Singapore", "新加坡", "Singapore", []zoneSpec{
			{"a", withT6, oldDisks},
			{"b", withGPU, allDisks},
			{"c", everyFam, newDisks},
		}},
		{"ap-southeast-3", "马来西亚（吉隆坡）", "Malaysia (Kuala Lumpur)", "吉隆坡", "Kuala Lumpur", []zoneSpec{
			{"a", withT6, oldDisks},
			{"b", x86, newDisks},
		}},
		{"ap-southeast-5", "印度尼西亚（雅加达）", "Indonesia (Jakarta)", "雅加达", "Jakarta", []zoneSpec{
			{"a", withT6, oldDisks},
			{"b", withU1, allDisks},
			{"c", x86, essdDisks},
		}},
		{"us-east-1", "美国（弗吉尼亚）", "US (Virginia)", "弗吉尼亚", "Virginia", []zoneSpec{
			{"a", withT6, oldDisks},
			{"b", withGPU, allDisks},
		}},
		{"us-west-1", "美国（硅谷）", "US (Silicon Valley)", "硅谷", "Silicon Valley", []zoneSpec{
			{"a", withT6, oldDisks},
			{"b", withU1, allDisks},
		}},
		{"eu-west-1", "英国（伦敦）", "UK (London)", "伦敦", "London", []zoneSpec{
			{"a", withT6, oldDisks},
			{"b", x86, allDisks},
		}},
		{"eu-central-1", "德国（法兰克福）", "Germany (Frankfurt)", "法兰克福", "Frankfurt", []zoneSpec{
			{"a", withT6, oldDisks},
			{"b", withU1, allDisks},
			{"c", withARM, newDisks},
		}},
	}

	// Catalogue order, so a zone's list reads like DescribeInstanceTypes'.
	sorted := slices.Clone(types)
	slices.SortStableFunc(sorted, compareInstanceTypes)
	known := make(map[string]bool)
	for _, t := range sorted {
		known[t.InstanceTypeFamily] = true
	}

	out := make([]regionData, 0, len(specs))
	for _, s := range specs {
		rd := regionData{region: Region{
			RegionID:       s.id,
			LocalName:      s.name,
			LocalNameEn:    s.nameEn,
			RegionEndpoint: "ecs." + s.id + ".aliyuncs.com",
		}}
		for _, zs := range s.zones {
			for _, f := range zs.families {
				if !known[f] {
					// A misspelt family would silently empty the zone.
					panic("cloud: zone " + s.id + "-" + zs.letter + " names unknown family " + f)
				}
			}
			var ids []string
			for _, t := range sorted {
				if slices.Contains(zs.families, t.InstanceTypeFamily) {
					ids = append(ids, t.InstanceTypeID)
				}
			}
			letter := strings.ToUpper(zs.letter)
			rd.zones = append(rd.zones, Zone{
				ZoneID:         s.id + "-" + zs.letter,
				RegionID:       s.id,
				LocalName:      s.zoneName + " 可用区 " + letter,
				LocalNameEn:    s.zoneNameEn + " Zone " + letter,
				InstanceTypes:  ids,
				DiskCategories: slices.Clone(zs.disks),
			})
		}
		out = append(out, rd)
	}
	return out
}

// defaultImages lists the public images, Alibaba Cloud Linux first as the
// console lists them. OS names keep Alibaba's double space after the distro.
func defaultImages() []Image {
	img := func(id, family, osType, osName, osNameEn, platform, arch string, size int, created, desc string) Image {
		return Image{
			ImageID:         id,
			ImageName:       id,
			Description:     desc,
			ImageFamily:     family,
			OSType:          osType,
			OSName:          osName,
			OSNameEn:        osNameEn,
			Platform:        platform,
			Architecture:    arch,
			Size:            size,
			ImageOwnerAlias: "system",
			IsPublic:        true,
			CreationTime:    created,
			Status:          "Available",
		}
	}
	return []Image{
		img("aliyun_3_x64_20G_alibase_20240528.vhd", "acs:alibaba_cloud_linux_3_2104_lts_x64", "linux",
			"Alibaba Cloud Linux  3.2104 LTS 64位", "Alibaba Cloud Linux  3.2104 LTS 64 bit", "Aliyun", "x86_64", 20,
			"2024-05-28T07:22:13Z", "Alibaba Cloud Linux 3.2104 LTS 64 bit"),
		img("aliyun_3_arm64_20G_alibase_20240528.vhd", "acs:alibaba_cloud_linux_3_2104_lts_arm64", "linux",
			"Alibaba Cloud Linux  3.2104 LTS 64位 ARM版", "Alibaba Cloud Linux  3.2104 LTS 64 bit ARM Edition", "Aliyun", "arm64", 20,
			"2024-05-28T07:41:56Z", "Alibaba Cloud Linux 3.2104 LTS 64 bit ARM Edition"),
		img("ubuntu_22_04_x64_20G_alibase_20240530.vhd", "acs:ubuntu_22_04_x64", "linux",
			"Ubuntu  22.04 64位", "Ubuntu  22.04 64 bit", "Ubuntu", "x86_64", 20,
			"2024-05-30T06:12:51Z", "Ubuntu 22.04 LTS 64 bit"),
		img("centos_7_9_x64_20G_alibase_20240628.vhd", "acs:centos_7_9_x64", "linux",
			"CentOS  7.9 64位", "CentOS  7.9 64 bit", "CentOS", "x86_64", 20,
			"2024-06-28T03:25:09Z", "CentOS 7.9 64 bit"),
		img("debian_12_6_x64_20G_alibase_20240711.vhd", "acs:debian_12_x64", "linux",
			"Debian  12.6 64位", "Debian  12.6 64 bit", "Debian", "x86_64", 20,
			"2024-07-11T02:48:37Z", "Debian 12.6 64 bit"),
		// Windows needs a 40 GiB system disk; the id says so and so must Size.
		img("win2022_21H2_x64_dtc_en-us_40G_alibase_20240617.vhd", "acs:windows_server_2022_datacenter_en-us_x64", "windows",
			"Windows Server  2022 数据中心版 64位英文版", "Windows Server  2022 Data Center Edition 64bit English Edition", "Windows Server 2022", "x86_64", 40,
			"2024-06-17T09:04:22Z", "Windows Server 2022 Datacenter 21H2 64 bit English"),
	}
}

// defaultInstanceTypes lists the types with the figures of Alibaba's
// instance-family tables (vCPU, GiB, ENIs incl. primary, IPv4 per ENI).
func defaultInstanceTypes() []InstanceType {
	type size struct {
		id        string
		cpu       int
		mem       float64
		eni, ips  int
		eniTotal  int // only read for trunk-capable families
		gpuAmount int
	}
	type family struct {
		name, category, arch string
		trunk                bool
		gpuSpec              string
		sizes                []size
	}
	// The seventh-generation Ice Lake families share one network table; only
	// the memory ratio (1:2, 1:4, 1:8) differs. Trunk totals follow the one
	// captured figure (g7.xlarge: 4 ENIs, 20 in total) and g6.16xlarge's 60.
	iceLake := func(prefix string, ratio float64) []size {
		rows := []struct {
			suffix             string
			cpu, eni, ips, tot int
		}{
			{"large", 2, 3, 6, 10},
			{"xlarge", 4, 4, 15, 20},
			{"2xlarge", 8, 4, 15, 20},
			{"3xlarge", 12, 8, 15, 30},
			{"4xlarge", 16, 8, 30, 40},
			{"6xlarge", 24, 8, 30, 50},
			{"8xlarge", 32, 8, 30, 60},
			{"16xlarge", 64, 8, 30, 60},
			{"32xlarge", 128, 15, 30, 60},
		}
		out := make([]size, len(rows))
		for i, r := range rows {
			out[i] = size{id: prefix + r.suffix, cpu: r.cpu, mem: float64(r.cpu) * ratio, eni: r.eni, ips: r.ips, eniTotal: r.tot}
		}
		return out
	}
	families := []family{
		{"ecs.c7", "Compute-optimized", "X86", true, "", iceLake("ecs.c7.", 2)},
		{"ecs.g7", "General-purpose", "X86", true, "", iceLake("ecs.g7.", 4)},
		{"ecs.r7", "Memory-optimized", "X86", true, "", iceLake("ecs.r7.", 8)},
		// Yitian 710: one vCPU is one physical core, 1:4 like g7.
		{"ecs.g8y", "General-purpose", "ARM", false, "", []size{
			{id: "ecs.g8y.large", cpu: 2, mem: 8, eni: 3, ips: 6},
			{id: "ecs.g8y.xlarge", cpu: 4, mem: 16, eni: 4, ips: 15},
			{id: "ecs.g8y.2xlarge", cpu: 8, mem: 32, eni: 4, ips: 15},
			{id: "ecs.g8y.4xlarge", cpu: 16, mem: 64, eni: 8, ips: 30},
			{id: "ecs.g8y.8xlarge", cpu: 32, mem: 128, eni: 8, ips: 30},
			{id: "ecs.g8y.16xlarge", cpu: 64, mem: 256, eni: 8, ips: 30},
		}},
		// Burstable: small memory ratios down to 0.5 GiB and a two-ENI cap.
		{"ecs.t6", "Shared", "X86", false, "", []size{
			{id: "ecs.t6-c4m1.large", cpu: 2, mem: 0.5, eni: 2, ips: 2},
			{id: "ecs.t6-c2m1.large", cpu: 2, mem: 1, eni: 2, ips: 2},
			{id: "ecs.t6-c1m1.large", cpu: 2, mem: 2, eni: 2, ips: 2},
			{id: "ecs.t6-c1m2.large", cpu: 2, mem: 4, eni: 2, ips: 2},
			{id: "ecs.t6-c1m4.large", cpu: 2, mem: 8, eni: 2, ips: 2},
			{id: "ecs.t6-c1m2.xlarge", cpu: 4, mem: 8, eni: 2, ips: 6},
			{id: "ecs.t6-c1m4.xlarge", cpu: 4, mem: 16, eni: 2, ips: 6},
			{id: "ecs.t6-c1m2.2xlarge", cpu: 8, mem: 16, eni: 2, ips: 6},
			{id: "ecs.t6-c1m4.2xlarge", cpu: 8, mem: 32, eni: 2, ips: 6},
		}},
		// Universal: one family, the ratio is in the name; Alibaba reports it
		// as General-purpose with trunking (u1-c1m4.xlarge: 3 ENIs, 6 total).
		{"ecs.u1", "General-purpose", "X86", true, "", []size{
			{id: "ecs.u1-c1m1.large", cpu: 2, mem: 2, eni: 2, ips: 6, eniTotal: 4},
			{id: "ecs.u1-c1m2.large", cpu: 2, mem: 4, eni: 2, ips: 6, eniTotal: 4},
			{id: "ecs.u1-c1m4.large", cpu: 2, mem: 8, eni: 2, ips: 6, eniTotal: 4},
			{id: "ecs.u1-c1m8.large", cpu: 2, mem: 16, eni: 2, ips: 6, eniTotal: 4},
			{id: "ecs.u1-c1m1.xlarge", cpu: 4, mem: 4, eni: 3, ips: 10, eniTotal: 6},
			{id: "ecs.u1-c1m2.xlarge", cpu: 4, mem: 8, eni: 3, ips: 10, eniTotal: 6},
			{id: "ecs.u1-c1m4.xlarge", cpu: 4, mem: 16, eni: 3, ips: 10, eniTotal: 6},
			{id: "ecs.u1-c1m8.xlarge", cpu: 4, mem: 32, eni: 3, ips: 10, eniTotal: 6},
			{id: "ecs.u1-c1m2.2xlarge", cpu: 8, mem: 16, eni: 4, ips: 10, eniTotal: 8},
			{id: "ecs.u1-c1m4.2xlarge", cpu: 8, mem: 32, eni: 4, ips: 10, eniTotal: 8},
			{id: "ecs.u1-c1m2.4xlarge", cpu: 16, mem: 32, eni: 4, ips: 20, eniTotal: 8},
			{id: "ecs.u1-c1m4.4xlarge", cpu: 16, mem: 64, eni: 4, ips: 20, eniTotal: 8},
		}},
		{"ecs.gn7i", "Compute-optimized with GPU", "X86", false, "NVIDIA A10", []size{
			{id: "ecs.gn7i-c8g1.2xlarge", cpu: 8, mem: 30, eni: 4, ips: 15, gpuAmount: 1},
			{id: "ecs.gn7i-c16g1.4xlarge", cpu: 16, mem: 60, eni: 8, ips: 30, gpuAmount: 1},
			{id: "ecs.gn7i-c32g1.8xlarge", cpu: 32, mem: 188, eni: 8, ips: 30, gpuAmount: 1},
		}},
	}

	var out []InstanceType
	for _, f := range families {
		for _, s := range f.sizes {
			total := s.eni
			if f.trunk {
				total = s.eniTotal
			}
			out = append(out, InstanceType{
				InstanceTypeID:              s.id,
				InstanceTypeFamily:          f.name,
				CPUCoreCount:                s.cpu,
				MemorySize:                  s.mem,
				EniQuantity:                 s.eni,
				EniPrivateIPAddressQuantity: s.ips,
				EniTotalQuantity:            total,
				EniTrunkSupported:           f.trunk,
				GPUAmount:                   s.gpuAmount,
				GPUSpec:                     f.gpuSpec,
				CPUArchitecture:             f.arch,
				InstanceCategory:            f.category,
			})
		}
	}
	return out
}

// CheckRegion refuses a RegionId the catalogue does not know, with the
// error every product answers for it.
func (c *Catalog) CheckRegion(id string) error {
	if _, ok := c.Region(id); !ok {
		return apierr.InvalidRegionID.New()
	}
	return nil
}

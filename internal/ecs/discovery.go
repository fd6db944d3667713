package ecs

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/ecslocal/ecslocal/internal/apierr"
	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/store"
)

// DescribeRegionsRequest is spec/semantics.md §5.1.
type DescribeRegionsRequest struct {
	AcceptLanguage string
}

// Bind implements rpc.Binder.
func (r *DescribeRegionsRequest) Bind(p *rpc.Params) {
	r.AcceptLanguage = p.Enum("AcceptLanguage", "zh-CN", "zh-CN", "en-US", "ja")
	p.Enum("InstanceChargeType", "PostPaid", "PrePaid", "PostPaid")
	p.String("ResourceType")
}

// RegionItem is one region of DescribeRegions.
type RegionItem struct {
	RegionID       string `json:"RegionId"`
	LocalName      string `json:"LocalName"`
	RegionEndpoint string `json:"RegionEndpoint"`
	Status         string `json:"Status"`
}

// DescribeRegionsResponse wraps Regions.Region[].
type DescribeRegionsResponse struct {
	rpc.Base
	Regions struct {
		Region []RegionItem `json:"Region"`
	} `json:"Regions"`
}

// DescribeRegions lists the catalogue's regions.
func (s *Service) DescribeRegions(_ context.Context, _ *rpc.Call, req *DescribeRegionsRequest) (*DescribeRegionsResponse, error) {
	resp := &DescribeRegionsResponse{}
	resp.Regions.Region = []RegionItem{}
	for _, r := range s.catalog.Regions() {
		name := r.LocalName
		if req.AcceptLanguage != "zh-CN" {
			name = r.LocalNameEn
		}
		resp.Regions.Region = append(resp.Regions.Region, RegionItem{RegionID: r.RegionID, LocalName: name, RegionEndpoint: r.RegionEndpoint, Status: "available"})
	}
	return resp, nil
}

// DescribeZonesRequest is §5.1.
type DescribeZonesRequest struct {
	RegionID, AcceptLanguage string
	Verbose                  bool
}

// Bind implements rpc.Binder.
func (r *DescribeZonesRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.AcceptLanguage = p.Enum("AcceptLanguage", "zh-CN", "zh-CN", "en-US", "ja")
	r.Verbose = p.Bool("Verbose", true)
	p.Enum("InstanceChargeType", "PostPaid", "PrePaid", "PostPaid")
	p.Enum("SpotStrategy", "NoSpot", "NoSpot", "SpotWithPriceLimit", "SpotAsPriceGo")
}

// ZoneItem is one zone of DescribeZones.
type ZoneItem struct {
	ZoneID                 string `json:"ZoneId"`
	LocalName              string `json:"LocalName"`
	ZoneType               string `json:"ZoneType"`
	AvailableInstanceTypes struct {
		InstanceTypes []string `json:"InstanceTypes"`
	} `json:"AvailableInstanceTypes"`
	AvailableDiskCategories struct {
		DiskCategories []string `json:"DiskCategories"`
	} `json:"AvailableDiskCategories"`
	AvailableVolumeCategories struct {
		VolumeCategories []string `json:"VolumeCategories"`
	} `json:"AvailableVolumeCategories"`
	AvailableResourceCreation struct {
		ResourceTypes []string `json:"ResourceTypes"`
	} `json:"AvailableResourceCreation"`
}

// DescribeZonesResponse wraps Zones.Zone[].
type DescribeZonesResponse struct {
	rpc.Base
	Zones struct {
		Zone []ZoneItem `json:"Zone"`
	} `json:"Zones"`
}

// DescribeZones lists a region's zones and what each offers.
func (s *Service) DescribeZones(ctx context.Context, call *rpc.Call, req *DescribeZonesRequest) (*DescribeZonesResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	var cfg cloud.Config
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		var err error
		cfg, err = store.LoadConfig(ctx, tx)
		return err
	})
	if err != nil {
		return nil, err
	}
	resp := &DescribeZonesResponse{}
	resp.Zones.Zone = []ZoneItem{}
	for _, z := range s.catalog.Zones(req.RegionID) {
		item := ZoneItem{ZoneID: z.ZoneID, LocalName: z.LocalName, ZoneType: "AvailabilityZone"}
		if req.AcceptLanguage != "zh-CN" {
			item.LocalName = z.LocalNameEn
		}
		// A sold-out type is not offered; a zone with nothing left creates no instances.
		inStock := slices.DeleteFunc(slices.Clone(z.InstanceTypes), func(t string) bool { return cfg.SoldOut(z.ZoneID, t) })
		item.AvailableInstanceTypes.InstanceTypes = nonNil(inStock)
		item.AvailableDiskCategories.DiskCategories = nonNil(z.DiskCategories)
		item.AvailableVolumeCategories.VolumeCategories = nonNil(z.DiskCategories)
		// Every zone takes vSwitches (Packer picks its zone by "VSwitch" here);
		// instances only while some type is in stock.
		item.AvailableResourceCreation.ResourceTypes = []string{"VSwitch", "IoOptimized", "Instance", "DedicatedHost", "Disk"}
		if len(inStock) == 0 {
			item.AvailableResourceCreation.ResourceTypes = []string{"VSwitch", "Disk"}
		}
		if !req.Verbose {
			item.AvailableInstanceTypes.InstanceTypes = []string{}
		}
		resp.Zones.Zone = append(resp.Zones.Zone, item)
	}
	return resp, nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// DescribeImagesRequest is §5.1.
type DescribeImagesRequest struct {
	RegionID, ImageID, ImageName, ImageOwnerAlias, Status, OSType, Architecture string
	SnapshotID, ImageFamily                                                     string
	ResourceGroupID                                                             string
	PageNumber, PageSize                                                        int
	// IsPublic and ImageOwnerID narrow to public images, or to one owner's.
	IsPublic     *bool
	ImageOwnerID string
}

// Bind implements rpc.Binder.
func (r *DescribeImagesRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.ImageID = p.String("ImageId")
	r.ImageName = p.String("ImageName")
	r.ImageOwnerAlias = p.Enum("ImageOwnerAlias", "", "system", "self", "others", "marketplace")
	r.Status = p.String("Status")
	r.OSType = p.Enum("OSType", "", "linux", "windows")
	r.Architecture = p.Enum("Architecture", "", "i386", "x86_64", "arm64")
	r.SnapshotID = p.String("SnapshotId")
	r.ResourceGroupID = p.String("ResourceGroupId")
	r.ImageFamily = p.String("ImageFamily")
	r.IsPublic = p.OptBool("IsPublic")
	r.ImageOwnerID = p.String("ImageOwnerId")
	r.PageNumber, r.PageSize = paging(p, 10, 100)
}

// ImageItem is one image of DescribeImages.
type ImageItem struct {
	ImageID              string `json:"ImageId"`
	ImageName            string `json:"ImageName"`
	ImageFamily          string `json:"ImageFamily"`
	Description          string `json:"Description"`
	OSType               string `json:"OSType"`
	OSName               string `json:"OSName"`
	OSNameEn             string `json:"OSNameEn"`
	Platform             string `json:"Platform"`
	Architecture         string `json:"Architecture"`
	Size                 int    `json:"Size"`
	Status               string `json:"Status"`
	ImageOwnerAlias      string `json:"ImageOwnerAlias"`
	IsPublic             bool   `json:"IsPublic"`
	IsSupportIoOptimized bool   `json:"IsSupportIoOptimized"`
	Usage                string `json:"Usage"`
	CreationTime         string `json:"CreationTime"`
	Progress             string `json:"Progress"`
	ResourceGroupID      string `json:"ResourceGroupId,omitempty"` // custom images in a group only, as the recordings show
	// DiskDeviceMappings are a custom image's snapshots, system disk first;
	// public images leave the member out (a choice).
	DiskDeviceMappings *ImageDiskMappings `json:"DiskDeviceMappings,omitempty"`
}

// ImageDiskMappings wraps DiskDeviceMapping[].
type ImageDiskMappings struct {
	DiskDeviceMapping []ImageDiskMapping `json:"DiskDeviceMapping"`
}

// ImageDiskMapping is one disk of a custom image: the snapshot it is made
// of, the device it becomes, its size in GiB.
type ImageDiskMapping struct {
	SnapshotID string `json:"SnapshotId"`
	Type       string `json:"Type"`
	Device     string `json:"Device"`
	Size       string `json:"Size"`
	Progress   string `json:"Progress"`
}

// imageDiskMappings lists a custom image's disks; the devices are the order
// of the disks, /dev/xvda onwards, as the instance had them.
func imageDiskMappings(m cloud.CustomImage) *ImageDiskMappings {
	out := &ImageDiskMappings{DiskDeviceMapping: []ImageDiskMapping{}}
	for i, d := range m.Disks {
		out.DiskDeviceMapping = append(out.DiskDeviceMapping, ImageDiskMapping{SnapshotID: d.SnapshotID, Type: d.Type,
			Device: "/dev/xvd" + string(rune('a'+i%26)), Size: strconv.Itoa(d.Size), Progress: "100%"})
	}
	return out
}

// DescribeImagesResponse wraps Images.Image[].
type DescribeImagesResponse struct {
	rpc.Base
	RegionID   string `json:"RegionId"`
	TotalCount int    `json:"TotalCount"`
	PageNumber int    `json:"PageNumber"`
	PageSize   int    `json:"PageSize"`
	Images     struct {
		Image []ImageItem `json:"Image"`
	} `json:"Images"`
}

// DescribeImages lists the public images; ImageId takes a comma-separated list.
func (s *Service) DescribeImages(ctx context.Context, call *rpc.Call, req *DescribeImagesRequest) (*DescribeImagesResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	var custom []cloud.CustomImage
	var others []cloud.Image      // shared with the caller by other accounts
	owners := map[string]string{} // custom image id → the account that owns it
	if req.ImageOwnerAlias == "" || req.ImageOwnerAlias == "self" {
		var filters []store.Filter
		if req.SnapshotID != "" {
			filters = append(filters, store.Where("snapshot", req.SnapshotID))
		}
		err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
			var err error
			custom, err = store.All[cloud.CustomImage](ctx, tx, req.RegionID, filters...)
			return err
		})
		if err != nil {
			return nil, err
		}
	}
	if req.ImageOwnerAlias == "" || req.ImageOwnerAlias == "others" {
		shared, err := s.sharedWith(ctx, call.Account, req.RegionID)
		if err != nil {
			return nil, err
		}
		for _, m := range shared {
			// Shared images are of another account, so in no group of this one.
			if req.SnapshotID == "" && req.ResourceGroupID == "" {
				others = append(others, m.AsSharedImage())
				owners[m.ID] = m.Owner
			}
		}
	}
	wantIDs := map[string]bool{}
	for _, id := range strings.Split(req.ImageID, ",") {
		if id = strings.TrimSpace(id); id != "" {
			wantIDs[id] = true
		}
	}
	candidates := s.catalog.Images()
	if req.SnapshotID != "" {
		candidates = nil // public images are made of no snapshot of the account
	}
	if req.ResourceGroupID != "" {
		candidates = nil // public images are in no group of the account
	}
	groups := map[string]string{} // custom image id → its ResourceGroupId
	mappings := map[string]*ImageDiskMappings{}
	for _, m := range custom {
		if req.ResourceGroupID != "" && m.ResourceGroup != req.ResourceGroupID {
			continue
		}
		groups[m.ID] = m.ResourceGroup
		candidates = append(candidates, m.AsImage())
		mappings[m.ID] = imageDiskMappings(m)
		owners[m.ID] = call.Account
	}
	candidates = append(candidates, others...)
	for id := range wantIDs {
		// Another release of a catalogue family is answered when asked by id.
		if im, ok := s.catalog.Image(id); ok && req.ResourceGroupID == "" && !slices.ContainsFunc(candidates, func(c cloud.Image) bool { return c.ImageID == id }) {
			candidates = append(candidates, im)
		}
	}
	var match []ImageItem
	for _, im := range candidates {
		switch {
		case len(wantIDs) > 0 && !wantIDs[im.ImageID],
			req.ImageName != "" && !strings.Contains(im.ImageName, strings.TrimSuffix(req.ImageName, "*")),
			req.ImageOwnerAlias != "" && req.ImageOwnerAlias != im.ImageOwnerAlias,
			req.Status != "" && !strings.Contains(req.Status, im.Status),
			req.OSType != "" && req.OSType != im.OSType,
			req.Architecture != "" && req.Architecture != im.Architecture,
			req.ImageFamily != "" && req.ImageFamily != im.ImageFamily,
			req.IsPublic != nil && *req.IsPublic != im.IsPublic,
			req.ImageOwnerID != "" && req.ImageOwnerID != owners[im.ImageID]:
			continue
		}
		match = append(match, ImageItem{
			ImageID: im.ImageID, ImageName: im.ImageName, ImageFamily: im.ImageFamily, Description: im.Description,
			OSType: im.OSType, OSName: im.OSName, OSNameEn: im.OSNameEn, Platform: im.Platform,
			Architecture: im.Architecture, Size: im.Size, Status: im.Status, ImageOwnerAlias: im.ImageOwnerAlias,
			IsPublic: im.IsPublic, IsSupportIoOptimized: true, Usage: "instance", CreationTime: im.CreationTime, Progress: "100%",
			ResourceGroupID: groups[im.ImageID], DiskDeviceMappings: mappings[im.ImageID],
		})
	}
	resp := &DescribeImagesResponse{RegionID: req.RegionID, TotalCount: len(match), PageNumber: req.PageNumber, PageSize: req.PageSize}
	resp.Images.Image = pageOf(match, req.PageNumber, req.PageSize)
	return resp, nil
}

func pageOf[T any](all []T, number, size int) []T {
	start := (number - 1) * size
	if start >= len(all) || start < 0 {
		return []T{}
	}
	return all[start:min(start+size, len(all))]
}

// DescribeInstanceTypesRequest is §5.1.
type DescribeInstanceTypesRequest struct {
	Types      []string
	Family     string
	MaxResults int
	Offset     int
}

// Bind implements rpc.Binder.
func (r *DescribeInstanceTypesRequest) Bind(p *rpc.Params) {
	r.Types = p.List("InstanceTypes")
	r.Family = p.String("InstanceTypeFamily")
	r.MaxResults = p.Int("MaxResults", 1600, 1, 1600)
	if tok := p.String("NextToken"); tok != "" {
		n, err := strconv.Atoi(tok)
		if err != nil || n < 0 {
			p.Fail(apierr.InvalidNextToken.New())
		}
		r.Offset = n
	}
}

// InstanceTypeItem is one type of DescribeInstanceTypes.
type InstanceTypeItem struct {
	InstanceTypeID              string  `json:"InstanceTypeId"`
	InstanceTypeFamily          string  `json:"InstanceTypeFamily"`
	InstanceCategory            string  `json:"InstanceCategory"`
	CPUCoreCount                int     `json:"CpuCoreCount"`
	MemorySize                  float64 `json:"MemorySize"`
	EniQuantity                 int     `json:"EniQuantity"`
	EniPrivateIPAddressQuantity int     `json:"EniPrivateIpAddressQuantity"`
	EniTotalQuantity            int     `json:"EniTotalQuantity"`
	EniTrunkSupported           bool    `json:"EniTrunkSupported"`
	GPUAmount                   int     `json:"GPUAmount"`
	GPUSpec                     string  `json:"GPUSpec"`
	CPUArchitecture             string  `json:"CpuArchitecture"`
	InstanceFamilyLevel         string  `json:"InstanceFamilyLevel"`
}

// DescribeInstanceTypesResponse wraps InstanceTypes.InstanceType[].
type DescribeInstanceTypesResponse struct {
	rpc.Base
	NextToken     string `json:"NextToken"`
	InstanceTypes struct {
		InstanceType []InstanceTypeItem `json:"InstanceType"`
	} `json:"InstanceTypes"`
}

// DescribeInstanceTypes lists instance types; NextToken is an offset.
func (s *Service) DescribeInstanceTypes(_ context.Context, _ *rpc.Call, req *DescribeInstanceTypesRequest) (*DescribeInstanceTypesResponse, error) {
	want := map[string]bool{}
	for _, t := range req.Types {
		want[t] = true
	}
	var match []InstanceTypeItem
	for _, t := range s.catalog.InstanceTypes() {
		if len(want) > 0 && !want[t.InstanceTypeID] || req.Family != "" && req.Family != t.InstanceTypeFamily {
			continue
		}
		level := "EnterpriseLevel"
		if t.InstanceCategory == "Shared" {
			level = "CreditEntryLevel"
		}
		match = append(match, InstanceTypeItem{
			InstanceTypeID: t.InstanceTypeID, InstanceTypeFamily: t.InstanceTypeFamily, InstanceCategory: t.InstanceCategory,
			CPUCoreCount: t.CPUCoreCount, MemorySize: t.MemorySize, EniQuantity: t.EniQuantity,
			EniPrivateIPAddressQuantity: t.EniPrivateIPAddressQuantity, EniTotalQuantity: t.EniTotalQuantity,
			EniTrunkSupported: t.EniTrunkSupported, GPUAmount: t.GPUAmount, GPUSpec: t.GPUSpec,
			CPUArchitecture: t.CPUArchitecture, InstanceFamilyLevel: level,
		})
	}
	resp := &DescribeInstanceTypesResponse{}
	resp.InstanceTypes.InstanceType = []InstanceTypeItem{}
	if req.Offset < len(match) {
		end := min(req.Offset+req.MaxResults, len(match))
		resp.InstanceTypes.InstanceType = match[req.Offset:end]
		if end < len(match) {
			resp.NextToken = strconv.Itoa(end)
		}
	}
	return resp, nil
}

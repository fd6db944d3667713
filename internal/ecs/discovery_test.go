package ecs_test

import (
	"encoding/xml"
	"errors"
	"slices"
	"strings"
	"testing"

	ecs "github.com/alibabacloud-go/ecs-20140526/v7/client"
	"github.com/alibabacloud-go/tea/dara"
	classicerrors "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	classicecs "github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"

	"github.com/ecslocal/ecslocal/ecslocaltest"
	"github.com/ecslocal/ecslocal/internal/sdktest"
)

func TestDescribeRegions_BothSDKs(t *testing.T) {
	s := ecslocaltest.New(t, ecslocaltest.Options{})
	t.Run("classic", func(t *testing.T) {
		c := sdktest.ClassicECS(t, s)
		resp, err := c.DescribeRegions(classicecs.CreateDescribeRegionsRequest())
		sdktest.OK(t, err)
		if len(resp.Regions.Region) < 5 || resp.RequestId == "" {
			t.Fatalf("regions: %+v", resp)
		}
	})
	for _, alg := range []string{"", "v2"} {
		t.Run("v7"+alg, func(t *testing.T) {
			c := sdktest.ECS(t, s, alg)
			resp, err := c.DescribeRegions(&ecs.DescribeRegionsRequest{AcceptLanguage: dara.String("en-US")})
			sdktest.OK(t, err)
			found := false
			for _, r := range resp.Body.Regions.Region {
				if dara.StringValue(r.RegionId) == "cn-hangzhou" && dara.StringValue(r.LocalName) == "China (Hangzhou)" {
					found = true
				}
			}
			if !found {
				t.Fatalf("cn-hangzhou missing: %v", resp.Body)
			}
		})
	}
}

// zoneView, imagePage and typePage are what the discovery tests compare,
// whichever SDK and format produced them.
type zoneView struct {
	ID             string
	InstanceTypes  []string
	DiskCategories []string
}

type imageView struct{ ID, OSType, Architecture, OwnerAlias string }

type imagePage struct {
	Total, Number, Size int
	Images              []imageView
}

type typeView struct {
	ID, Family  string
	EniQuantity int
}

type typePage struct {
	NextToken string
	Types     []typeView
}

// imageQuery leaves zero fields unsent; Region "" sends no RegionId.
type imageQuery struct {
	Region, ImageID, OSType, Architecture, OwnerAlias string
	PageNumber, PageSize                              int
}

// typeQuery leaves zero fields unsent.
type typeQuery struct {
	Types      []string
	Family     string
	MaxResults int
	NextToken  string
}

// discoveryClient is one SDK configuration seen through the discovery actions.
type discoveryClient struct {
	name   string
	zones  func(tb testing.TB, region string) ([]zoneView, error)
	images func(tb testing.TB, q imageQuery) (imagePage, error)
	types  func(tb testing.TB, q typeQuery) (typePage, error)
}

// discoveryClients are the classic SDK in JSON and XML and the v7 SDK with
// ACS3 and v1 signatures, all against s.
func discoveryClients(tb testing.TB, s *ecslocaltest.Server) []discoveryClient {
	tb.Helper()
	return []discoveryClient{
		classicDiscovery(tb, s, "JSON"),
		classicDiscovery(tb, s, "XML"),
		v7Discovery(tb, s, ""),
		v7Discovery(tb, s, "v2"),
	}
}

// wantXMLBody fails unless a classic response really came back as XML.
func wantXMLBody(tb testing.TB, format, body string) {
	tb.Helper()
	if format == "XML" && !strings.HasPrefix(body, "<?xml") {
		tb.Fatalf("asked for XML, got %.200s", body)
	}
}

func classicDiscovery(tb testing.TB, s *ecslocaltest.Server, format string) discoveryClient {
	tb.Helper()
	c := sdktest.ClassicECS(tb, s)
	// region "" still sends RegionId, blank: the classic SDK always adds one.
	setRegion := func(r *requests.RpcRequest, region string) {
		if region == "" {
			r.GetQueryParams()["RegionId"] = ""
		} else {
			r.RegionId = region
		}
		r.AcceptFormat = format
	}
	return discoveryClient{
		name: "classic/" + format,
		zones: func(tb testing.TB, region string) ([]zoneView, error) {
			tb.Helper()
			req := classicecs.CreateDescribeZonesRequest()
			setRegion(req.RpcRequest, region)
			resp, err := c.DescribeZones(req)
			if err != nil {
				return nil, err
			}
			wantXMLBody(tb, format, resp.GetHttpContentString())
			var out []zoneView
			for _, z := range resp.Zones.Zone {
				out = append(out, zoneView{z.ZoneId, z.AvailableInstanceTypes.InstanceTypes, z.AvailableDiskCategories.DiskCategories})
			}
			return out, nil
		},
		images: func(tb testing.TB, q imageQuery) (imagePage, error) {
			tb.Helper()
			req := classicecs.CreateDescribeImagesRequest()
			setRegion(req.RpcRequest, q.Region)
			req.ImageId, req.OSType, req.Architecture, req.ImageOwnerAlias = q.ImageID, q.OSType, q.Architecture, q.OwnerAlias
			if q.PageNumber != 0 {
				req.PageNumber = requests.NewInteger(q.PageNumber)
			}
			if q.PageSize != 0 {
				req.PageSize = requests.NewInteger(q.PageSize)
			}
			resp, err := c.DescribeImages(req)
			if err != nil {
				return imagePage{}, err
			}
			wantXMLBody(tb, format, resp.GetHttpContentString())
			page := imagePage{Total: resp.TotalCount, Number: resp.PageNumber, Size: resp.PageSize}
			for _, im := range resp.Images.Image {
				page.Images = append(page.Images, imageView{im.ImageId, im.OSType, im.Architecture, im.ImageOwnerAlias})
			}
			return page, nil
		},
		types: func(tb testing.TB, q typeQuery) (typePage, error) {
			tb.Helper()
			req := classicecs.CreateDescribeInstanceTypesRequest()
			req.AcceptFormat = format
			if q.Types != nil {
				req.InstanceTypes = &q.Types
			}
			req.InstanceTypeFamily, req.NextToken = q.Family, q.NextToken
			if q.MaxResults != 0 {
				req.MaxResults = requests.NewInteger(q.MaxResults)
			}
			resp, err := c.DescribeInstanceTypes(req)
			if err != nil {
				return typePage{}, err
			}
			wantXMLBody(tb, format, resp.GetHttpContentString())
			page := typePage{NextToken: resp.NextToken}
			for _, it := range resp.InstanceTypes.InstanceType {
				page.Types = append(page.Types, typeView{it.InstanceTypeId, it.InstanceTypeFamily, it.EniQuantity})
			}
			return page, nil
		},
	}
}

// optString is nil for "", so that the v7 SDK leaves the parameter out.
func optString(s string) *string {
	if s == "" {
		return nil
	}
	return dara.String(s)
}

func v7Discovery(tb testing.TB, s *ecslocaltest.Server, algorithm string) discoveryClient {
	tb.Helper()
	c := sdktest.ECS(tb, s, algorithm)
	name := "v7/ACS3"
	if algorithm != "" {
		name = "v7/" + algorithm
	}
	return discoveryClient{
		name: name,
		zones: func(tb testing.TB, region string) ([]zoneView, error) {
			tb.Helper()
			resp, err := c.DescribeZones(&ecs.DescribeZonesRequest{RegionId: optString(region)})
			if err != nil {
				return nil, err
			}
			var out []zoneView
			for _, z := range resp.Body.Zones.Zone {
				v := zoneView{ID: dara.StringValue(z.ZoneId)}
				if z.AvailableInstanceTypes != nil {
					v.InstanceTypes = dara.StringSliceValue(z.AvailableInstanceTypes.InstanceTypes)
				}
				if z.AvailableDiskCategories != nil {
					v.DiskCategories = dara.StringSliceValue(z.AvailableDiskCategories.DiskCategories)
				}
				out = append(out, v)
			}
			return out, nil
		},
		images: func(tb testing.TB, q imageQuery) (imagePage, error) {
			tb.Helper()
			req := &ecs.DescribeImagesRequest{
				RegionId: optString(q.Region), ImageId: optString(q.ImageID), OSType: optString(q.OSType),
				Architecture: optString(q.Architecture), ImageOwnerAlias: optString(q.OwnerAlias),
			}
			if q.PageNumber != 0 {
				req.PageNumber = dara.Int32(int32(q.PageNumber))
			}
			if q.PageSize != 0 {
				req.PageSize = dara.Int32(int32(q.PageSize))
			}
			resp, err := c.DescribeImages(req)
			if err != nil {
				return imagePage{}, err
			}
			b := resp.Body
			page := imagePage{Total: int(dara.Int32Value(b.TotalCount)), Number: int(dara.Int32Value(b.PageNumber)), Size: int(dara.Int32Value(b.PageSize))}
			if b.Images != nil {
				for _, im := range b.Images.Image {
					page.Images = append(page.Images, imageView{dara.StringValue(im.ImageId), dara.StringValue(im.OSType), dara.StringValue(im.Architecture), dara.StringValue(im.ImageOwnerAlias)})
				}
			}
			return page, nil
		},
		types: func(tb testing.TB, q typeQuery) (typePage, error) {
			tb.Helper()
			req := &ecs.DescribeInstanceTypesRequest{InstanceTypeFamily: optString(q.Family), NextToken: optString(q.NextToken)}
			if q.Types != nil {
				req.InstanceTypes = dara.StringSlice(q.Types)
			}
			if q.MaxResults != 0 {
				req.MaxResults = dara.Int64(int64(q.MaxResults))
			}
			resp, err := c.DescribeInstanceTypes(req)
			if err != nil {
				return typePage{}, err
			}
			page := typePage{NextToken: dara.StringValue(resp.Body.NextToken)}
			if resp.Body.InstanceTypes != nil {
				for _, it := range resp.Body.InstanceTypes.InstanceType {
					page.Types = append(page.Types, typeView{dara.StringValue(it.InstanceTypeId), dara.StringValue(it.InstanceTypeFamily), int(dara.Int32Value(it.EniQuantity))})
				}
			}
			return page, nil
		},
	}
}

// failOf is the status and code of an SDK error. The classic SDK cannot
// read an XML error body (protocol.md §6), so its code is read here.
func failOf(tb testing.TB, err error) (int, string) {
	tb.Helper()
	var se *classicerrors.ServerError
	if errors.As(err, &se) && se.ErrorCode() == "" {
		var body struct {
			XMLName xml.Name `xml:"Error"`
			Code    string   `xml:"Code"`
		}
		if xerr := xml.Unmarshal([]byte(se.Message()), &body); xerr != nil {
			tb.Fatalf("error body is neither JSON nor <Error> XML (%v): %s", xerr, se.Message())
		}
		return se.HttpStatus(), body.Code
	}
	return sdktest.Fail(err)
}

func wantFail(tb testing.TB, err error, status int, code string) {
	tb.Helper()
	if gotStatus, gotCode := failOf(tb, err); gotStatus != status || gotCode != code {
		tb.Fatalf("got %d %s, want %d %s (err: %v)", gotStatus, gotCode, status, code, err)
	}
}

func TestDescribeZones(t *testing.T) {
	s := ecslocaltest.New(t, ecslocaltest.Options{})
	for _, c := range discoveryClients(t, s) {
		t.Run(c.name, func(t *testing.T) {
			t.Run("zones carry instance types and disk categories", func(t *testing.T) {
				zones, err := c.zones(t, sdktest.Region)
				sdktest.OK(t, err)
				if len(zones) < 2 {
					t.Fatalf("%d zones in %s", len(zones), sdktest.Region)
				}
				ids := map[string]bool{}
				for _, z := range zones {
					if !strings.HasPrefix(z.ID, sdktest.Region+"-") || ids[z.ID] {
						t.Fatalf("zone id %q is foreign or repeated", z.ID)
					}
					ids[z.ID] = true
					if len(z.InstanceTypes) == 0 || len(z.DiskCategories) == 0 {
						t.Fatalf("zone %s offers %d instance types, %d disk categories", z.ID, len(z.InstanceTypes), len(z.DiskCategories))
					}
					for _, it := range z.InstanceTypes {
						if !strings.HasPrefix(it, "ecs.") {
							t.Fatalf("zone %s: instance type %q", z.ID, it)
						}
					}
					if !slices.Contains(z.DiskCategories, "cloud_essd") && !slices.Contains(z.DiskCategories, "cloud_efficiency") {
						t.Fatalf("zone %s: disk categories %v", z.ID, z.DiskCategories)
					}
				}
			})
			t.Run("zone types are described", func(t *testing.T) {
				zones, err := c.zones(t, sdktest.Region)
				sdktest.OK(t, err)
				page, err := c.types(t, typeQuery{Types: zones[0].InstanceTypes[:1]})
				sdktest.OK(t, err)
				if len(page.Types) != 1 || page.Types[0].ID != zones[0].InstanceTypes[0] {
					t.Fatalf("DescribeInstanceTypes of %s: %+v", zones[0].InstanceTypes[0], page.Types)
				}
			})
			errs := []struct {
				name, region string
				status       int
				code         string
			}{
				{"MissingParameter", "", 400, "MissingParameter"},
				{"InvalidRegionId.NotFound", "xx-nowhere-1", 404, "InvalidRegionId.NotFound"},
			}
			for _, tt := range errs {
				t.Run(tt.name, func(t *testing.T) {
					_, err := c.zones(t, tt.region)
					wantFail(t, err, tt.status, tt.code)
				})
			}
		})
	}
}

func TestDescribeImages(t *testing.T) {
	s := ecslocaltest.New(t, ecslocaltest.Options{})
	const (
		linuxX86 = "ubuntu_22_04_x64_20G_alibase_20240530.vhd"
		armImage = "aliyun_3_arm64_20G_alibase_20240528.vhd"
	)
	for _, c := range discoveryClients(t, s) {
		t.Run(c.name, func(t *testing.T) {
			all, err := c.images(t, imageQuery{Region: sdktest.Region, PageSize: 100})
			sdktest.OK(t, err)
			if all.Total < 4 || all.Total != len(all.Images) {
				t.Fatalf("TotalCount %d with %d images", all.Total, len(all.Images))
			}

			filters := []struct {
				name  string
				query imageQuery
				keep  func(imageView) bool
			}{
				{"ImageId", imageQuery{ImageID: linuxX86}, func(im imageView) bool { return im.ID == linuxX86 }},
				{"OSType windows", imageQuery{OSType: "windows"}, func(im imageView) bool { return im.OSType == "windows" }},
				{"OSType linux", imageQuery{OSType: "linux"}, func(im imageView) bool { return im.OSType == "linux" }},
				{"Architecture arm64", imageQuery{Architecture: "arm64"}, func(im imageView) bool { return im.Architecture == "arm64" }},
				{"Architecture and OSType", imageQuery{Architecture: "x86_64", OSType: "linux"}, func(im imageView) bool {
					return im.Architecture == "x86_64" && im.OSType == "linux"
				}},
				{"ImageOwnerAlias system", imageQuery{OwnerAlias: "system"}, func(im imageView) bool { return im.OwnerAlias == "system" }},
				{"ImageOwnerAlias self", imageQuery{OwnerAlias: "self"}, func(im imageView) bool { return im.OwnerAlias == "self" }},
			}
			for _, tt := range filters {
				t.Run("filter/"+tt.name, func(t *testing.T) {
					q := tt.query
					q.Region, q.PageSize = sdktest.Region, 100
					got, err := c.images(t, q)
					sdktest.OK(t, err)
					var want []imageView
					for _, im := range all.Images {
						if tt.keep(im) {
							want = append(want, im)
						}
					}
					if !slices.Equal(got.Images, want) || got.Total != len(want) {
						t.Fatalf("TotalCount %d, images %v; want %v", got.Total, got.Images, want)
					}
				})
			}
			t.Run("filter/arm image found", func(t *testing.T) {
				got, err := c.images(t, imageQuery{Region: sdktest.Region, Architecture: "arm64"})
				sdktest.OK(t, err)
				if !slices.ContainsFunc(got.Images, func(im imageView) bool { return im.ID == armImage }) {
					t.Fatalf("%s missing from %v", armImage, got.Images)
				}
			})

			t.Run("PageSize 2 pages", func(t *testing.T) {
				var seen []imageView
				for n := 1; ; n++ {
					page, err := c.images(t, imageQuery{Region: sdktest.Region, PageNumber: n, PageSize: 2})
					sdktest.OK(t, err)
					if page.Total != all.Total || page.Number != n || page.Size != 2 || len(page.Images) > 2 {
						t.Fatalf("page %d: TotalCount %d PageNumber %d PageSize %d with %d images", n, page.Total, page.Number, page.Size, len(page.Images))
					}
					if len(page.Images) == 0 {
						break
					}
					seen = append(seen, page.Images...)
					if n > all.Total {
						t.Fatalf("paging does not end")
					}
				}
				if !slices.Equal(seen, all.Images) {
					t.Fatalf("pages hold %v, want %v", seen, all.Images)
				}
			})

			errs := []struct {
				name   string
				query  imageQuery
				status int
				code   string
			}{
				{"PageSize 101", imageQuery{Region: sdktest.Region, PageSize: 101}, 400, "InvalidParameter"},
				{"PageNumber negative", imageQuery{Region: sdktest.Region, PageNumber: -1}, 400, "InvalidParameter"},
				{"OSType unknown", imageQuery{Region: sdktest.Region, OSType: "plan9"}, 400, "InvalidParameter"},
				{"RegionId missing", imageQuery{}, 400, "MissingParameter"},
				{"RegionId unknown", imageQuery{Region: "xx-nowhere-1"}, 404, "InvalidRegionId.NotFound"},
			}
			for _, tt := range errs {
				t.Run(tt.name, func(t *testing.T) {
					_, err := c.images(t, tt.query)
					wantFail(t, err, tt.status, tt.code)
				})
			}
		})
	}
}

func TestDescribeInstanceTypes(t *testing.T) {
	s := ecslocaltest.New(t, ecslocaltest.Options{})
	for _, c := range discoveryClients(t, s) {
		t.Run(c.name, func(t *testing.T) {
			all, err := c.types(t, typeQuery{})
			sdktest.OK(t, err)
			if len(all.Types) < 10 || all.NextToken != "" {
				t.Fatalf("%d types, NextToken %q", len(all.Types), all.NextToken)
			}
			for _, it := range all.Types {
				if it.ID == "" || it.Family == "" || !strings.HasPrefix(it.ID, it.Family+".") && !strings.HasPrefix(it.ID, it.Family+"-") {
					t.Fatalf("type %+v", it)
				}
				if it.EniQuantity < 1 {
					t.Fatalf("type %s: EniQuantity %d", it.ID, it.EniQuantity)
				}
			}

			t.Run("InstanceTypes.N", func(t *testing.T) {
				want := []string{"ecs.g7.large", "ecs.t6-c1m2.large", "ecs.g8y.xlarge"}
				got, err := c.types(t, typeQuery{Types: want})
				sdktest.OK(t, err)
				var ids []string
				for _, it := range got.Types {
					ids = append(ids, it.ID)
				}
				slices.Sort(ids)
				slices.Sort(want)
				if !slices.Equal(ids, want) {
					t.Fatalf("types %v, want %v", ids, want)
				}
			})
			t.Run("InstanceTypeFamily", func(t *testing.T) {
				got, err := c.types(t, typeQuery{Family: "ecs.g8y"})
				sdktest.OK(t, err)
				want := 0
				for _, it := range all.Types {
					if it.Family == "ecs.g8y" {
						want++
					}
				}
				if want == 0 || len(got.Types) != want {
					t.Fatalf("%d ecs.g8y types, want %d", len(got.Types), want)
				}
				for _, it := range got.Types {
					if it.Family != "ecs.g8y" {
						t.Fatalf("type %+v outside the family", it)
					}
				}
			})
			t.Run("MaxResults 5 with NextToken", func(t *testing.T) {
				var seen []typeView
				token := ""
				for pages := 1; ; pages++ {
					page, err := c.types(t, typeQuery{MaxResults: 5, NextToken: token})
					sdktest.OK(t, err)
					if len(page.Types) > 5 || len(page.Types) == 0 {
						t.Fatalf("page %d holds %d types", pages, len(page.Types))
					}
					seen = append(seen, page.Types...)
					if page.NextToken == "" {
						break
					}
					if pages > len(all.Types) {
						t.Fatalf("paging does not end")
					}
					token = page.NextToken
				}
				if !slices.Equal(seen, all.Types) {
					t.Fatalf("pages hold %d types, want the %d of one call", len(seen), len(all.Types))
				}
			})
			errs := []struct {
				name   string
				query  typeQuery
				status int
				code   string
			}{
				{"MaxResults negative", typeQuery{MaxResults: -1}, 400, "InvalidParameter"},
				{"MaxResults 1601", typeQuery{MaxResults: 1601}, 400, "InvalidParameter"},
				{"NextToken malformed", typeQuery{NextToken: "not-a-token"}, 400, "InvalidNextToken.Malformed"},
			}
			for _, tt := range errs {
				t.Run(tt.name, func(t *testing.T) {
					_, err := c.types(t, tt.query)
					wantFail(t, err, tt.status, tt.code)
				})
			}
		})
	}
}

// TestDescribeZones_ResourceCreation: every zone creates vSwitches, I/O
// optimised instances and disks (the Packer builder picks its zone by
// "VSwitch" in AvailableResourceCreation); a zone sold out of every type
// keeps vSwitches and disks.
func TestDescribeZones_ResourceCreation(t *testing.T) {
	s := ecslocaltest.New(t, ecslocaltest.Options{})
	c := sdktest.ClassicECS(t, s)
	types := func() map[string][]string {
		r := classicecs.CreateDescribeZonesRequest()
		r.RegionId = sdktest.Region
		resp, err := c.DescribeZones(r)
		sdktest.OK(t, err)
		out := map[string][]string{}
		for _, z := range resp.Zones.Zone {
			out[z.ZoneId] = z.AvailableResourceCreation.ResourceTypes
		}
		return out
	}
	var zone string
	for id, rt := range types() {
		for _, want := range []string{"VSwitch", "IoOptimized", "Instance", "Disk"} {
			if !slices.Contains(rt, want) {
				t.Fatalf("zone %s creates %v, not %s", id, rt, want)
			}
		}
		zone = id
	}
	s.Config.Patch(map[string]any{"soldOutResources": []string{zone}})
	if rt := types()[zone]; slices.Contains(rt, "Instance") || !slices.Contains(rt, "VSwitch") || !slices.Contains(rt, "Disk") {
		t.Fatalf("sold-out zone %s creates %v", zone, rt)
	}
}

package ecs_test

import (
	"net/http"
	"slices"
	"testing"

	ecs "github.com/alibabacloud-go/ecs-20140526/v7/client"
	"github.com/alibabacloud-go/tea/dara"
	classicecs "github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"

	"github.com/ecslocal/ecslocal/internal/sdktest"
)

// classicAvailable lists zone → values of a DescribeAvailableResource answer,
// sold-out values suffixed with "!".
func classicAvailable(t *testing.T, e *env, mod func(*classicecs.DescribeAvailableResourceRequest)) map[string][]string {
	t.Helper()
	r := classicecs.CreateDescribeAvailableResourceRequest()
	mod(r)
	resp, err := e.classic.DescribeAvailableResource(r)
	sdktest.OK(t, err)
	out := map[string][]string{}
	for _, z := range resp.AvailableZones.AvailableZone {
		for _, ar := range z.AvailableResources.AvailableResource {
			if ar.Type != r.DestinationResource {
				t.Fatalf("type %q for %q", ar.Type, r.DestinationResource)
			}
			for _, sr := range ar.SupportedResources.SupportedResource {
				v := sr.Value
				if sr.Status == "SoldOut" {
					v += "!"
				}
				out[z.ZoneId] = append(out[z.ZoneId], v)
			}
		}
	}
	return out
}

func TestDescribeAvailableResource_Destinations(t *testing.T) {
	e := newEnv(t, realistic())
	types := classicAvailable(t, e, func(r *classicecs.DescribeAvailableResourceRequest) {
		r.DestinationResource, r.IoOptimized = "InstanceType", "optimized"
	})
	zones, err := e.classic.DescribeZones(classicecs.CreateDescribeZonesRequest())
	sdktest.OK(t, err)
	if len(types) != len(zones.Zones.Zone) {
		t.Fatalf("zones %d, available %d", len(zones.Zones.Zone), len(types))
	}
	for _, z := range zones.Zones.Zone {
		if !slices.Equal(types[z.ZoneId], z.AvailableInstanceTypes.InstanceTypes) {
			t.Fatalf("%s: available %v, DescribeZones %v", z.ZoneId, types[z.ZoneId], z.AvailableInstanceTypes.InstanceTypes)
		}
	}
	byZone := classicAvailable(t, e, func(r *classicecs.DescribeAvailableResourceRequest) {
		r.DestinationResource, r.InstanceType = "Zone", "ecs.g8y.large"
	})
	for z, v := range byZone {
		if len(v) != 1 || v[0] != z {
			t.Fatalf("Zone answer %v", byZone)
		}
	}
	if len(byZone) == 0 || len(byZone) >= len(types) {
		t.Fatalf("g8y is sold in %d of %d zones", len(byZone), len(types))
	}
	cores := classicAvailable(t, e, func(r *classicecs.DescribeAvailableResourceRequest) {
		r.DestinationResource, r.ZoneId = "InstanceType", e.zone
		r.Cores, r.Memory = "2", "8"
	})
	if !slices.Contains(cores[e.zone], itype) || slices.Contains(cores[e.zone], "ecs.c7.large") {
		t.Fatalf("2 vCPU 8 GiB: %v", cores)
	}
	for _, dest := range []string{"IoOptimized", "Network"} {
		got := classicAvailable(t, e, func(r *classicecs.DescribeAvailableResourceRequest) {
			r.DestinationResource, r.ZoneId, r.InstanceType = dest, e.zone, itype
		})
		want := map[string]string{"IoOptimized": "optimized", "Network": "vpc"}[dest]
		if len(got) != 1 || !slices.Equal(got[e.zone], []string{want}) {
			t.Fatalf("%s: %v", dest, got)
		}
	}
	if got := classicAvailable(t, e, func(r *classicecs.DescribeAvailableResourceRequest) {
		r.DestinationResource, r.NetworkCategory = "InstanceType", "classic"
	}); len(got) != 0 {
		t.Fatalf("classic network offered: %v", got)
	}

	// Disks, through v7: categories with their size range.
	resp, err := e.v7.DescribeAvailableResource(&ecs.DescribeAvailableResourceRequest{RegionId: dara.String("cn-hangzhou"),
		DestinationResource: dara.String("DataDisk"), ZoneId: dara.String(e.zone), InstanceType: dara.String(itype),
		DataDiskCategory: dara.String("cloud_essd")})
	sdktest.OK(t, err)
	az := resp.Body.AvailableZones.AvailableZone
	if len(az) != 1 {
		t.Fatalf("zones %v", resp.Body)
	}
	sr := az[0].AvailableResources.AvailableResource[0].SupportedResources.SupportedResource
	if len(sr) != 1 || dara.StringValue(sr[0].Value) != "cloud_essd" || dara.Int32Value(sr[0].Min) != 20 ||
		dara.Int32Value(sr[0].Max) != 65536 || dara.StringValue(sr[0].Unit) != "GiB" {
		t.Fatalf("essd: %v", resp.Body)
	}
	sys, err := e.v7.DescribeAvailableResource(&ecs.DescribeAvailableResourceRequest{RegionId: dara.String("cn-hangzhou"),
		DestinationResource: dara.String("SystemDisk"), ZoneId: dara.String(e.zone)})
	sdktest.OK(t, err)
	if n := len(sys.Body.AvailableZones.AvailableZone[0].AvailableResources.AvailableResource[0].SupportedResources.SupportedResource); n == 0 {
		t.Fatalf("no system disk categories: %v", sys.Body)
	}

	_, err = e.v7.DescribeAvailableResource(&ecs.DescribeAvailableResourceRequest{RegionId: dara.String("cn-hangzhou"),
		DestinationResource: dara.String("Disk")})
	sdktest.WantFail(t, err, http.StatusBadRequest, "InvalidParameter")
	_, err = e.v7.DescribeAvailableResource(&ecs.DescribeAvailableResourceRequest{RegionId: dara.String("cn-hangzhou")})
	sdktest.WantFail(t, err, http.StatusBadRequest, "MissingParameter")
	_, err = e.v7.DescribeAvailableResource(&ecs.DescribeAvailableResourceRequest{RegionId: dara.String("xx-nowhere-1"),
		DestinationResource: dara.String("Zone")})
	sdktest.WantFail(t, err, http.StatusNotFound, "InvalidRegionId.NotFound")
}

func TestSoldOut_RefusesLaunchAndShowsInAvailability(t *testing.T) {
	e := newEnv(t, realistic())
	e.s.Config.Patch(map[string]any{"soldOutResources": []string{e.zone + "/" + itype}})

	_, err := e.classic.RunInstances(e.runReq())
	sdktest.WantFail(t, err, http.StatusForbidden, "OperationDenied.NoStock")
	cr := classicecs.CreateCreateInstanceRequest()
	cr.ImageId, cr.InstanceType, cr.VSwitchId, cr.SecurityGroupId = image, itype, e.vsw, e.sg
	_, err = e.classic.CreateInstance(cr)
	sdktest.WantFail(t, err, http.StatusForbidden, "OperationDenied.NoStock")

	got := classicAvailable(t, e, func(r *classicecs.DescribeAvailableResourceRequest) {
		r.DestinationResource, r.ZoneId = "InstanceType", e.zone
	})
	if !slices.Contains(got[e.zone], itype+"!") || !slices.Contains(got[e.zone], "ecs.c7.large") {
		t.Fatalf("sold out type: %v", got)
	}
	zones, err := e.v7.DescribeZones(&ecs.DescribeZonesRequest{RegionId: dara.String("cn-hangzhou")})
	sdktest.OK(t, err)
	for _, z := range zones.Body.Zones.Zone {
		if dara.StringValue(z.ZoneId) == e.zone && slices.Contains(dara.StringSliceValue(z.AvailableInstanceTypes.InstanceTypes), itype) {
			t.Fatalf("DescribeZones still offers %s", itype)
		}
	}
	// Another type in the same zone still launches.
	e.run1(t, func(r *classicecs.RunInstancesRequest) { r.InstanceType = "ecs.c7.large" })

	// The whole zone sold out: the zone says so and offers no instances.
	e.s.Config.Patch(map[string]any{"soldOutResources": []string{e.zone}})
	resp, err := e.v7.DescribeAvailableResource(&ecs.DescribeAvailableResourceRequest{RegionId: dara.String("cn-hangzhou"),
		DestinationResource: dara.String("Zone"), ZoneId: dara.String(e.zone)})
	sdktest.OK(t, err)
	if z := resp.Body.AvailableZones.AvailableZone; len(z) != 1 || dara.StringValue(z[0].Status) != "SoldOut" ||
		dara.StringValue(z[0].StatusCategory) != "WithoutStock" {
		t.Fatalf("sold out zone: %v", resp.Body)
	}
	zones, err = e.v7.DescribeZones(&ecs.DescribeZonesRequest{RegionId: dara.String("cn-hangzhou")})
	sdktest.OK(t, err)
	for _, z := range zones.Body.Zones.Zone {
		if dara.StringValue(z.ZoneId) == e.zone && slices.Contains(dara.StringSliceValue(z.AvailableResourceCreation.ResourceTypes), "Instance") {
			t.Fatalf("sold out zone creates instances: %v", z)
		}
	}
	_, err = e.classic.RunInstances(e.runReq())
	sdktest.WantFail(t, err, http.StatusForbidden, "OperationDenied.NoStock")
	e.s.Config.Patch(map[string]any{"soldOutResources": []string{}})
	e.run1(t, nil)
}

func TestDescribeResourcesModification_AndFamilies(t *testing.T) {
	e := newEnv(t, realistic())
	id := e.run1(t, nil)
	for _, op := range []struct {
		op           string
		want, refuse string
	}{{"Upgrade", "ecs.g7.xlarge", "ecs.c7.large"}, {"Downgrade", "ecs.c7.large", "ecs.g7.xlarge"}} {
		r := classicecs.CreateDescribeResourcesModificationRequest()
		r.ResourceId, r.DestinationResource, r.OperationType = id, "InstanceType", op.op
		resp, err := e.classic.DescribeResourcesModification(r)
		sdktest.OK(t, err)
		var vals []string
		for _, z := range resp.AvailableZones.AvailableZone {
			if z.ZoneId != e.zone {
				t.Fatalf("zone %s", z.ZoneId)
			}
			for _, ar := range z.AvailableResources.AvailableResource {
				for _, sr := range ar.SupportedResources.SupportedResource {
					vals = append(vals, sr.Value)
				}
			}
		}
		if !slices.Contains(vals, op.want) || slices.Contains(vals, op.refuse) || slices.Contains(vals, itype) {
			t.Fatalf("%s: %v", op.op, vals)
		}
	}
	_, err := e.v7.DescribeResourcesModification(&ecs.DescribeResourcesModificationRequest{RegionId: dara.String("cn-hangzhou"),
		ResourceId: dara.String("i-missing"), DestinationResource: dara.String("InstanceType")})
	sdktest.WantFail(t, err, http.StatusNotFound, "InvalidResourceId.NotFound")

	fams, err := e.v7.DescribeInstanceTypeFamilies(&ecs.DescribeInstanceTypeFamiliesRequest{RegionId: dara.String("cn-hangzhou")})
	sdktest.OK(t, err)
	var names []string
	for _, f := range fams.Body.InstanceTypeFamilies.InstanceTypeFamily {
		names = append(names, dara.StringValue(f.InstanceTypeFamilyId))
	}
	if !slices.Contains(names, "ecs.g7") || !slices.Contains(names, "ecs.g8y") {
		t.Fatalf("families %v", names)
	}
	cr := classicecs.CreateDescribeInstanceTypeFamiliesRequest()
	cr.Generation = "ecs-6"
	cf, err := e.classic.DescribeInstanceTypeFamilies(cr)
	sdktest.OK(t, err)
	if len(cf.InstanceTypeFamilies.InstanceTypeFamily) != 1 {
		t.Fatalf("ecs-6: %+v", cf.InstanceTypeFamilies)
	}
}

func TestPublicImages_AnyReleaseOfACatalogueFamily(t *testing.T) {
	e := newEnv(t, realistic())
	const dated = "ubuntu_22_04_x64_20G_alibase_20240220.vhd"
	resp, err := e.v7.DescribeImages(&ecs.DescribeImagesRequest{RegionId: dara.String("cn-hangzhou"), ImageId: dara.String(dated)})
	sdktest.OK(t, err)
	if im := resp.Body.Images.Image; len(im) != 1 || dara.StringValue(im[0].ImageId) != dated ||
		dara.StringValue(im[0].ImageOwnerAlias) != "system" || dara.StringValue(im[0].Platform) != "Ubuntu" {
		t.Fatalf("dated image: %v", resp.Body)
	}
	id := e.run1(t, func(r *classicecs.RunInstancesRequest) { r.ImageId = dated })
	dr := classicecs.CreateDescribeInstancesRequest()
	dr.InstanceIds = `["` + id + `"]`
	insts, err := e.classic.DescribeInstances(dr)
	sdktest.OK(t, err)
	if insts.Instances.Instance[0].ImageId != dated {
		t.Fatalf("image %s", insts.Instances.Instance[0].ImageId)
	}
	r := e.runReq()
	r.ImageId = "ubuntu_99_04_x64_20G_alibase_20240220.vhd"
	_, err = e.classic.RunInstances(r)
	sdktest.WantFail(t, err, http.StatusNotFound, "InvalidImageId.NotFound")
}

package vpc_test

import (
	"testing"

	"github.com/alibabacloud-go/tea/dara"
	vpc "github.com/alibabacloud-go/vpc-20160428/v6/client"
	classicvpc "github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"

	"github.com/ecslocal/ecslocal/internal/sdktest"
)

func (f *netFixture) createPackage(t *testing.T, bandwidth int) string {
	t.Helper()
	resp, err := f.v6.CreateCommonBandwidthPackage(&vpc.CreateCommonBandwidthPackageRequest{RegionId: dara.String(region),
		Bandwidth: dara.Int32(int32(bandwidth)), Name: dara.String("shared"),
		Tag: []*vpc.CreateCommonBandwidthPackageRequestTag{{Key: dara.String("team"), Value: dara.String("net")}}})
	sdktest.OK(t, err)
	return dara.StringValue(resp.Body.BandwidthPackageId)
}

func (f *netFixture) describePackage(t *testing.T, id string) *vpc.DescribeCommonBandwidthPackagesResponseBodyCommonBandwidthPackagesCommonBandwidthPackage {
	t.Helper()
	resp, err := f.v6.DescribeCommonBandwidthPackages(&vpc.DescribeCommonBandwidthPackagesRequest{RegionId: dara.String(region), BandwidthPackageId: dara.String(id)})
	sdktest.OK(t, err)
	if len(resp.Body.CommonBandwidthPackages.CommonBandwidthPackage) == 0 {
		return nil
	}
	return resp.Body.CommonBandwidthPackages.CommonBandwidthPackage[0]
}

func (f *netFixture) addToPackage(pkg, eip string) error {
	_, err := f.v6.AddCommonBandwidthPackageIp(&vpc.AddCommonBandwidthPackageIpRequest{RegionId: dara.String(region),
		BandwidthPackageId: dara.String(pkg), IpInstanceId: dara.String(eip)})
	return err
}

func (f *netFixture) deletePackage(pkg, force string) error {
	req := &vpc.DeleteCommonBandwidthPackageRequest{RegionId: dara.String(region), BandwidthPackageId: dara.String(pkg)}
	if force != "" {
		req.Force = dara.String(force)
	}
	_, err := f.v6.DeleteCommonBandwidthPackage(req)
	return err
}

// TestCommonBandwidthPackage_Lifecycle: create, describe (with its EIPs),
// rename, resize, add and remove EIPs, per-EIP caps, the EIP's view of
// its package, the refusals, and deletion with and without Force.
func TestCommonBandwidthPackage_Lifecycle(t *testing.T) {
	f := newNet(t, false)
	pkg := f.createPackage(t, 100)
	c := f.describePackage(t, pkg)
	if dara.StringValue(c.Bandwidth) != "100" || dara.StringValue(c.ISP) != "BGP" || dara.StringValue(c.InternetChargeType) != "PayByBandwidth" ||
		dara.StringValue(c.Status) != "Available" || len(c.PublicIpAddresses.PublicIpAddresse) != 0 || len(c.Tags.Tag) != 1 ||
		!secondPrecision.MatchString(dara.StringValue(c.CreationTime)) {
		t.Fatalf("new package %v", c)
	}
	_, err := f.v6.CreateCommonBandwidthPackage(&vpc.CreateCommonBandwidthPackageRequest{RegionId: dara.String(region), Bandwidth: dara.Int32(0)})
	sdktest.WantFail(t, err, 400, "InvalidParameter")

	a, b := f.allocate(t), f.allocate(t)
	sdktest.OK(t, f.addToPackage(pkg, a))
	sdktest.WantFail(t, f.addToPackage(pkg, a), 400, "IpInstanceId.AlreadyInBandwidthPackage")
	sdktest.WantFail(t, f.addToPackage(pkg, "eip-missing"), 400, "InvalidIpInstanceId.NotFound")
	sdktest.WantFail(t, f.addToPackage("cbwp-missing", b), 404, "InvalidBandwidthPackageId.NotFound")
	prepaid := classicvpc.CreateAllocateEipAddressRequest()
	prepaid.InstanceChargeType = "PrePaid"
	pre, err := f.classic.AllocateEipAddress(prepaid)
	sdktest.OK(t, err)
	// All or none: the prepaid EIP refuses the batch, b stays out.
	_, err = f.v6.AddCommonBandwidthPackageIps(&vpc.AddCommonBandwidthPackageIpsRequest{RegionId: dara.String(region),
		BandwidthPackageId: dara.String(pkg), IpInstanceIds: []*string{dara.String(b), dara.String(pre.AllocationId)}})
	sdktest.WantFail(t, err, 400, "IpInstanceId.ChargeType.NotSupport")
	if got := dara.StringValue(f.describeEip(t, b).BandwidthPackageId); got != "" {
		t.Fatalf("a refused batch put %s into %s", b, got)
	}
	_, err = f.v6.AddCommonBandwidthPackageIps(&vpc.AddCommonBandwidthPackageIpsRequest{RegionId: dara.String(region),
		BandwidthPackageId: dara.String(pkg), IpInstanceIds: []*string{dara.String(b)}})
	sdktest.OK(t, err)
	if l := f.describePackage(t, pkg).PublicIpAddresses.PublicIpAddresse; len(l) != 2 || dara.StringValue(l[0].AllocationId) != a ||
		dara.StringValue(l[0].BandwidthPackageIpRelationStatus) != "BINDED" {
		t.Fatalf("package EIPs %v", l)
	}
	e := f.describeEip(t, a)
	if dara.StringValue(e.BandwidthPackageId) != pkg || dara.StringValue(e.BandwidthPackageType) != "CommonBandwidthPackage" ||
		dara.StringValue(e.BandwidthPackageBandwidth) != "100" || dara.StringValue(e.Bandwidth) != "100" || dara.StringValue(e.EipBandwidth) != "5" {
		t.Fatalf("EIP in a package %v", e)
	}

	// An EIP in a package is not released.
	sdktest.WantFail(t, f.release(a), 400, "IncorrectEipStatus")

	// Per-EIP caps, no higher than the package.
	cap := func(eip, bw string) error {
		_, err := f.v6.ModifyCommonBandwidthPackageIpBandwidth(&vpc.ModifyCommonBandwidthPackageIpBandwidthRequest{RegionId: dara.String(region),
			BandwidthPackageId: dara.String(pkg), EipId: dara.String(eip), Bandwidth: dara.String(bw)})
		return err
	}
	sdktest.WantFail(t, cap(a, "200"), 400, "InvalidParameter")
	sdktest.OK(t, cap(a, "40"))
	if got := dara.StringValue(f.describeEip(t, a).Bandwidth); got != "40" {
		t.Fatalf("capped EIP bandwidth %s", got)
	}
	resize := func(bw string) error {
		_, err := f.v6.ModifyCommonBandwidthPackageSpec(&vpc.ModifyCommonBandwidthPackageSpecRequest{RegionId: dara.String(region),
			BandwidthPackageId: dara.String(pkg), Bandwidth: dara.String(bw)})
		return err
	}
	sdktest.WantFail(t, resize("30"), 400, "InvalidParameter")
	_, err = f.v6.CancelCommonBandwidthPackageIpBandwidth(&vpc.CancelCommonBandwidthPackageIpBandwidthRequest{RegionId: dara.String(region),
		BandwidthPackageId: dara.String(pkg), EipId: dara.String(a)})
	sdktest.OK(t, err)
	sdktest.OK(t, resize("30"))
	if got := dara.StringValue(f.describeEip(t, a).Bandwidth); got != "30" {
		t.Fatalf("uncapped EIP bandwidth %s", got)
	}
	_, err = f.v6.ModifyCommonBandwidthPackageAttribute(&vpc.ModifyCommonBandwidthPackageAttributeRequest{RegionId: dara.String(region),
		BandwidthPackageId: dara.String(pkg), Name: dara.String("renamed"), Description: dara.String("d")})
	sdktest.OK(t, err)
	named, err := f.v6.DescribeCommonBandwidthPackages(&vpc.DescribeCommonBandwidthPackagesRequest{RegionId: dara.String(region), Name: dara.String("renamed")})
	sdktest.OK(t, err)
	if dara.Int32Value(named.Body.TotalCount) != 1 || dara.StringValue(named.Body.CommonBandwidthPackages.CommonBandwidthPackage[0].Bandwidth) != "30" {
		t.Fatalf("packages named renamed %v", named.Body)
	}

	remove := func(eip string) error {
		_, err := f.v6.RemoveCommonBandwidthPackageIp(&vpc.RemoveCommonBandwidthPackageIpRequest{RegionId: dara.String(region),
			BandwidthPackageId: dara.String(pkg), IpInstanceId: dara.String(eip)})
		return err
	}
	sdktest.OK(t, remove(a))
	sdktest.WantFail(t, remove(a), 400, "IpInstanceId.NotInBandwidthPackage")
	if e := f.describeEip(t, a); dara.StringValue(e.BandwidthPackageId) != "" || dara.StringValue(e.Bandwidth) != "5" {
		t.Fatalf("EIP out of the package %v", e)
	}
	sdktest.OK(t, f.release(a))

	// b remains: deletion is refused without Force, and Force frees it.
	sdktest.WantFail(t, f.deletePackage(pkg, ""), 400, "DependencyViolation.Ips")
	sdktest.WantFail(t, f.deletePackage(pkg, "false"), 400, "DependencyViolation.Ips")
	sdktest.OK(t, f.deletePackage(pkg, "true"))
	if f.describePackage(t, pkg) != nil {
		t.Fatal("deleted package still listed")
	}
	if got := dara.StringValue(f.describeEip(t, b).BandwidthPackageId); got != "" {
		t.Fatalf("EIP still in deleted package %s", got)
	}
	sdktest.WantFail(t, f.deletePackage(pkg, ""), 404, "InvalidBandwidthPackageId.NotFound")

	// The classic SDK and the tag filter.
	cr := classicvpc.CreateCreateCommonBandwidthPackageRequest()
	cr.Bandwidth = "10"
	cr.ISP = "BGP_PRO"
	other, err := f.classic.CreateCommonBandwidthPackage(cr)
	sdktest.OK(t, err)
	sdktest.WantFail(t, f.addToPackage(other.BandwidthPackageId, b), 400, "AttrMismatching.ISP")
	tagged, err := f.v6.DescribeCommonBandwidthPackages(&vpc.DescribeCommonBandwidthPackagesRequest{RegionId: dara.String(region),
		Tag: []*vpc.DescribeCommonBandwidthPackagesRequestTag{{Key: dara.String("team"), Value: dara.String("net")}}})
	sdktest.OK(t, err)
	if dara.Int32Value(tagged.Body.TotalCount) != 0 {
		t.Fatalf("tagged packages after deletion: %v", tagged.Body)
	}
	sdktest.OK(t, f.deletePackage(other.BandwidthPackageId, ""))
}

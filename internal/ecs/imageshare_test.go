package ecs_test

import (
	"net/http"
	"testing"
	"time"

	ecs "github.com/alibabacloud-go/ecs-20140526/v7/client"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	classicecs "github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"

	"github.com/ecslocal/ecslocal/ecslocaltest"
	"github.com/ecslocal/ecslocal/internal/sdktest"
)

const otherAccount = "1999999999999999"

// otherTenant is a second account with a network of its own, reached with
// the classic SDK (ECS 2014-05-26 serves the VPC actions too).
func (e *env) otherTenant(t *testing.T) (c *classicecs.Client, vsw, sg string) {
	t.Helper()
	c = sdktest.ClassicECSAs(t, e.s, "other", "other-secret")
	cv := classicecs.CreateCreateVpcRequest()
	cv.CidrBlock = "10.0.0.0/16"
	vr, err := c.CreateVpc(cv)
	sdktest.OK(t, err)
	e.s.Clock.Advance(5 * time.Second)
	cs := classicecs.CreateCreateVSwitchRequest()
	cs.VpcId, cs.ZoneId, cs.CidrBlock = vr.VpcId, e.zone, "10.0.1.0/24"
	sr, err := c.CreateVSwitch(cs)
	sdktest.OK(t, err)
	e.s.Clock.Advance(5 * time.Second)
	cg := classicecs.CreateCreateSecurityGroupRequest()
	cg.VpcId = vr.VpcId
	gr, err := c.CreateSecurityGroup(cg)
	sdktest.OK(t, err)
	return c, sr.VSwitchId, gr.SecurityGroupId
}

// othersImages is DescribeImages ImageOwnerAlias=others as c sees it: id → IsPublic.
func othersImages(t *testing.T, c *classicecs.Client) map[string]bool {
	t.Helper()
	r := classicecs.CreateDescribeImagesRequest()
	r.ImageOwnerAlias = "others"
	resp, err := c.DescribeImages(r)
	sdktest.OK(t, err)
	out := map[string]bool{}
	for _, im := range resp.Images.Image {
		if im.ImageOwnerAlias != "others" {
			t.Fatalf("alias %q", im.ImageOwnerAlias)
		}
		out[im.ImageId] = im.IsPublic
	}
	return out
}

func TestImageShare_AcrossAccounts(t *testing.T) {
	e := newEnv(t, ecslocaltest.Options{MoreKeys: []string{"other:other-secret:" + otherAccount}})
	src := e.run1(t, nil)
	cr := classicecs.CreateCreateImageRequest()
	cr.InstanceId, cr.ImageName = src, "shared-base"
	created, err := e.classic.CreateImage(cr)
	sdktest.OK(t, err)
	e.s.Clock.Advance(10 * time.Second)
	img := created.ImageId
	other, vsw, sg := e.otherTenant(t)

	// Not shared: the other account neither sees nor launches it.
	if got := othersImages(t, other); len(got) != 0 {
		t.Fatalf("others before sharing: %v", got)
	}
	launch := func() (*classicecs.RunInstancesResponse, error) {
		r := classicecs.CreateRunInstancesRequest()
		r.ImageId, r.InstanceType, r.VSwitchId, r.SecurityGroupId = img, itype, vsw, sg
		return other.RunInstances(r)
	}
	_, err = launch()
	sdktest.WantFail(t, err, http.StatusNotFound, "InvalidImageId.NotFound")

	share := func(req *ecs.ModifyImageSharePermissionRequest) error {
		req.RegionId, req.ImageId = dara.String(region), dara.String(img)
		_, err := e.v7.ModifyImageSharePermission(req)
		return err
	}
	sdktest.WantFail(t, share(&ecs.ModifyImageSharePermissionRequest{AddAccount: []*string{dara.String(e.s.Account)}}),
		http.StatusBadRequest, "InvalidAccount.Malformed")
	_, err = e.v7.ModifyImageSharePermission(&ecs.ModifyImageSharePermissionRequest{RegionId: dara.String(region),
		ImageId: dara.String("m-none"), AddAccount: []*string{dara.String(otherAccount)}})
	sdktest.WantFail(t, err, http.StatusNotFound, "InvalidImageId.NotFound")
	sdktest.WantFail(t, share(&ecs.ModifyImageSharePermissionRequest{AddAccount: []*string{dara.String(otherAccount)}, DryRun: dara.Bool(true)}),
		http.StatusBadRequest, "DryRunOperation")
	if got := othersImages(t, other); len(got) != 0 {
		t.Fatalf("a dry run shared: %v", got)
	}
	sdktest.OK(t, share(&ecs.ModifyImageSharePermissionRequest{AddAccount: []*string{dara.String(otherAccount)}}))

	perm, err := e.v7.DescribeImageSharePermission(&ecs.DescribeImageSharePermissionRequest{RegionId: dara.String(region), ImageId: dara.String(img)})
	sdktest.OK(t, err)
	if acc := perm.Body.Accounts.Account; dara.Int32Value(perm.Body.TotalCount) != 1 || len(acc) != 1 ||
		dara.StringValue(acc[0].AliyunId) != otherAccount || dara.StringValue(acc[0].SharedTime) == "" || len(perm.Body.ShareGroups.ShareGroup) != 0 {
		t.Fatalf("permission: %v", perm.Body)
	}
	// The image is the owner's: the other account cannot read its permissions.
	dp := classicecs.CreateDescribeImageSharePermissionRequest()
	dp.ImageId = img
	_, err = other.DescribeImageSharePermission(dp)
	sdktest.WantFail(t, err, http.StatusNotFound, "InvalidImageId.NotFound")

	if got := othersImages(t, other); len(got) != 1 || got[img] {
		t.Fatalf("others after sharing: %v", got)
	}
	// Filters: by owner, and IsPublic (a shared image is not public).
	byOwner := classicecs.CreateDescribeImagesRequest()
	byOwner.ImageOwnerId = requests.Integer(e.s.Account)
	owned, err := other.DescribeImages(byOwner)
	sdktest.OK(t, err)
	if len(owned.Images.Image) != 1 || owned.Images.Image[0].ImageId != img {
		t.Fatalf("by owner: %+v", owned.Images)
	}
	byOwner.ImageOwnerId, byOwner.IsPublic = "", requests.NewBoolean(true)
	public, err := other.DescribeImages(byOwner)
	sdktest.OK(t, err)
	for _, im := range public.Images.Image {
		if im.ImageId == img || !im.IsPublic {
			t.Fatalf("IsPublic=true listed %s (public %v)", im.ImageId, im.IsPublic)
		}
	}
	run, err := launch()
	sdktest.OK(t, err)
	e.s.Clock.Advance(10 * time.Second)
	ir := classicecs.CreateDescribeInstancesRequest()
	ir.InstanceIds = `["` + run.InstanceIdSets.InstanceIdSet[0] + `"]`
	insts, err := other.DescribeInstances(ir)
	sdktest.OK(t, err)
	if len(insts.Instances.Instance) != 1 || insts.Instances.Instance[0].ImageId != img || insts.Instances.Instance[0].Status != "Running" {
		t.Fatalf("instance from the shared image: %+v", insts.Instances)
	}

	// A shared image cannot be deleted, Force or not, until it is unshared.
	dr := classicecs.CreateDeleteImageRequest()
	dr.ImageId, dr.Force = img, "true"
	_, err = e.classic.DeleteImage(dr)
	sdktest.WantFail(t, err, http.StatusForbidden, "ImageUseShared")

	// Public: every account sees it, with IsPublic.
	_, err = e.v7.ModifyImageShareGroupPermission(&ecs.ModifyImageShareGroupPermissionRequest{RegionId: dara.String(region),
		ImageId: dara.String(img), AddGroup: []*string{dara.String("all")}})
	sdktest.OK(t, err)
	if got := othersImages(t, other); !got[img] {
		t.Fatalf("public: %v", got)
	}
	perm, err = e.v7.DescribeImageSharePermission(&ecs.DescribeImageSharePermissionRequest{RegionId: dara.String(region), ImageId: dara.String(img)})
	sdktest.OK(t, err)
	if g := perm.Body.ShareGroups.ShareGroup; len(g) != 1 || dara.StringValue(g[0].Group) != "all" {
		t.Fatalf("groups: %v", perm.Body)
	}
	_, err = e.v7.ModifyImageShareGroupPermission(&ecs.ModifyImageShareGroupPermissionRequest{RegionId: dara.String(region),
		ImageId: dara.String(img), AddGroup: []*string{dara.String("everyone")}})
	sdktest.WantFail(t, err, http.StatusBadRequest, "InvalidParameter")
	_, err = e.v7.ModifyImageShareGroupPermission(&ecs.ModifyImageShareGroupPermissionRequest{RegionId: dara.String(region),
		ImageId: dara.String(img), RemoveGroup: []*string{dara.String("all")}})
	sdktest.OK(t, err)

	// Unshared: gone from the other's list and launches; its instance keeps running; now it deletes.
	sdktest.OK(t, share(&ecs.ModifyImageSharePermissionRequest{RemoveAccount: []*string{dara.String(otherAccount)}}))
	if got := othersImages(t, other); len(got) != 0 {
		t.Fatalf("others after unsharing: %v", got)
	}
	_, err = launch()
	sdktest.WantFail(t, err, http.StatusNotFound, "InvalidImageId.NotFound")
	_, err = e.classic.DeleteImage(dr)
	sdktest.OK(t, err)
	insts, err = other.DescribeInstances(ir)
	sdktest.OK(t, err)
	if len(insts.Instances.Instance) != 1 || insts.Instances.Instance[0].Status != "Running" {
		t.Fatalf("instance after the image went: %+v", insts.Instances)
	}
}

func TestCancelCopyImage(t *testing.T) {
	e := newEnv(t, realistic())
	src := e.run1(t, nil)
	cr := classicecs.CreateCreateImageRequest()
	cr.InstanceId, cr.ImageName = src, "golden"
	created, err := e.classic.CreateImage(cr)
	sdktest.OK(t, err)
	e.s.Clock.Advance(5 * time.Second)
	cp := classicecs.CreateCopyImageRequest()
	cp.ImageId, cp.DestinationRegionId = created.ImageId, "cn-beijing"
	copied, err := e.classic.CopyImage(cp)
	sdktest.OK(t, err)

	// Not a copy: refused; a copy in progress: dropped with its snapshots.
	_, err = e.v7.CancelCopyImage(&ecs.CancelCopyImageRequest{RegionId: dara.String(region), ImageId: dara.String(created.ImageId)})
	sdktest.WantFail(t, err, http.StatusForbidden, "IncorrectImageStatus")
	_, err = e.v7.CancelCopyImage(&ecs.CancelCopyImageRequest{RegionId: dara.String("cn-beijing"), ImageId: dara.String(copied.ImageId)})
	sdktest.OK(t, err)
	bj, err := e.v7.DescribeImages(&ecs.DescribeImagesRequest{RegionId: dara.String("cn-beijing"), ImageOwnerAlias: dara.String("self")})
	sdktest.OK(t, err)
	if len(bj.Body.Images.Image) != 0 {
		t.Fatalf("cancelled copy listed: %v", bj.Body)
	}
	sn, err := e.v7.DescribeSnapshots(&ecs.DescribeSnapshotsRequest{RegionId: dara.String("cn-beijing")})
	sdktest.OK(t, err)
	if dara.Int32Value(sn.Body.TotalCount) != 0 {
		t.Fatalf("the copy's snapshots stayed: %v", sn.Body)
	}
	_, err = e.v7.CancelCopyImage(&ecs.CancelCopyImageRequest{RegionId: dara.String("cn-beijing"), ImageId: dara.String(copied.ImageId)})
	sdktest.WantFail(t, err, http.StatusNotFound, "InvalidImageId.NotFound")

	// A finished copy is an ordinary image.
	done, err := e.classic.CopyImage(cp)
	sdktest.OK(t, err)
	e.s.Clock.Advance(10 * time.Second)
	_, err = e.v7.CancelCopyImage(&ecs.CancelCopyImageRequest{RegionId: dara.String("cn-beijing"), ImageId: dara.String(done.ImageId)})
	sdktest.WantFail(t, err, http.StatusForbidden, "IncorrectImageStatus")
}

func TestDescribeImageFromFamily(t *testing.T) {
	e := newEnv(t, ecslocaltest.Options{})
	pub, err := e.v7.DescribeImageFromFamily(&ecs.DescribeImageFromFamilyRequest{RegionId: dara.String(region),
		ImageFamily: dara.String("acs:ubuntu_22_04_x64")})
	sdktest.OK(t, err)
	if im := pub.Body.Image; dara.StringValue(im.ImageOwnerAlias) != "system" || dara.StringValue(im.ImageFamily) != "acs:ubuntu_22_04_x64" {
		t.Fatalf("public family: %v", pub.Body)
	}
	src := e.run1(t, nil)
	var ids []string
	for _, name := range []string{"web-v1", "web-v2"} {
		im, err := e.v7.CreateImage(&ecs.CreateImageRequest{RegionId: dara.String(region), InstanceId: dara.String(src),
			ImageName: dara.String(name), ImageFamily: dara.String("web")})
		sdktest.OK(t, err)
		ids = append(ids, dara.StringValue(im.Body.ImageId))
		e.s.Clock.Advance(time.Minute)
	}
	got, err := e.v7.DescribeImageFromFamily(&ecs.DescribeImageFromFamilyRequest{RegionId: dara.String(region), ImageFamily: dara.String("web")})
	sdktest.OK(t, err)
	if dara.StringValue(got.Body.Image.ImageId) != ids[1] || dara.StringValue(got.Body.Image.ImageOwnerAlias) != "self" {
		t.Fatalf("newest of the family: %v, want %s", got.Body, ids[1])
	}
	none, err := e.v7.DescribeImageFromFamily(&ecs.DescribeImageFromFamilyRequest{RegionId: dara.String(region), ImageFamily: dara.String("nope")})
	sdktest.OK(t, err)
	if none.Body.Image != nil && dara.StringValue(none.Body.Image.ImageId) != "" {
		t.Fatalf("empty family: %v", none.Body)
	}
	_, err = e.v7.DescribeImageFromFamily(&ecs.DescribeImageFromFamilyRequest{RegionId: dara.String(region)})
	sdktest.WantFail(t, err, http.StatusBadRequest, "MissingParameter")
}

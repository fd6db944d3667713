package ecs_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	ecs "github.com/alibabacloud-go/ecs-20140526/v7/client"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	classicecs "github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"

	"github.com/ecslocal/ecslocal/internal/sdktest"
)

func TestLaunchTemplates_VersionsAndLaunch(t *testing.T) {
	e := newEnv(t, realistic())
	cr := classicecs.CreateCreateLaunchTemplateRequest()
	cr.LaunchTemplateName, cr.ImageId, cr.InstanceType = "web", image, itype
	cr.SecurityGroupId, cr.VSwitchId, cr.InstanceName = e.sg, e.vsw, "from-template"
	cr.SystemDiskCategory, cr.SystemDiskSize = "cloud_essd", requests.NewInteger(40)
	cr.Tag = &[]classicecs.CreateLaunchTemplateTag{{Key: "role", Value: "web"}}
	created, err := e.classic.CreateLaunchTemplate(cr)
	sdktest.OK(t, err)
	if created.LaunchTemplateVersionNumber != 1 {
		t.Fatalf("version %d", created.LaunchTemplateVersionNumber)
	}
	_, err = e.classic.CreateLaunchTemplate(cr)
	sdktest.WantFail(t, err, http.StatusForbidden, "LaunchTemplateName.Duplicated")

	v2, err := e.v7.CreateLaunchTemplateVersion(&ecs.CreateLaunchTemplateVersionRequest{RegionId: dara.String("cn-hangzhou"),
		LaunchTemplateName: dara.String("web"), ImageId: dara.String(image), InstanceType: dara.String("ecs.c7.large"),
		SecurityGroupId: dara.String(e.sg), VSwitchId: dara.String(e.vsw), VersionDescription: dara.String("compute")})
	sdktest.OK(t, err)
	if dara.Int64Value(v2.Body.LaunchTemplateVersionNumber) != 2 {
		t.Fatalf("v2: %v", v2.Body)
	}

	launch := func(mod func(r *classicecs.RunInstancesRequest)) (string, error) {
		r := classicecs.CreateRunInstancesRequest()
		r.LaunchTemplateId = created.LaunchTemplateId
		mod(r)
		resp, err := e.classic.RunInstances(r)
		if err != nil {
			return "", err
		}
		e.s.Clock.Advance(10 * time.Second)
		return resp.InstanceIdSets.InstanceIdSet[0], nil
	}
	describe := func(id string) classicecs.Instance {
		r := classicecs.CreateDescribeInstancesRequest()
		r.InstanceIds = `["` + id + `"]`
		resp, err := e.classic.DescribeInstances(r)
		sdktest.OK(t, err)
		return resp.Instances.Instance[0]
	}
	// The default version, with an explicit name winning over the template's.
	id, err := launch(func(r *classicecs.RunInstancesRequest) {})
	sdktest.OK(t, err)
	if got := describe(id); got.InstanceType != itype || got.InstanceName != "from-template" || len(got.Tags.Tag) != 1 {
		t.Fatalf("from v1: %s %s %+v", got.InstanceType, got.InstanceName, got.Tags)
	}
	id, err = launch(func(r *classicecs.RunInstancesRequest) { r.LaunchTemplateVersion = "2"; r.InstanceName = "mine" })
	sdktest.OK(t, err)
	if got := describe(id); got.InstanceType != "ecs.c7.large" || got.InstanceName != "mine" {
		t.Fatalf("from v2: %s %s", got.InstanceType, got.InstanceName)
	}
	_, err = launch(func(r *classicecs.RunInstancesRequest) { r.LaunchTemplateVersion = "9" })
	sdktest.WantFail(t, err, http.StatusNotFound, "InvalidLaunchTemplateVersion.NotFound")
	_, err = launch(func(r *classicecs.RunInstancesRequest) { r.LaunchTemplateId = "lt-missing" })
	sdktest.WantFail(t, err, http.StatusNotFound, "InvalidLaunchTemplate.NotFound")
	_, err = e.v7.RunInstances(&ecs.RunInstancesRequest{RegionId: dara.String("cn-hangzhou"), LaunchTemplateName: dara.String("web"),
		InstanceType: dara.String("ecs.g8y.large")})
	sdktest.WantFail(t, err, http.StatusForbidden, "InvalidResourceType.NotSupported")

	// A template without an image: the launch names the missing parameter.
	bare, err := e.v7.CreateLaunchTemplate(&ecs.CreateLaunchTemplateRequest{RegionId: dara.String("cn-hangzhou"),
		LaunchTemplateName: dara.String("bare"), InstanceType: dara.String(itype)})
	sdktest.OK(t, err)
	_, err = e.v7.RunInstances(&ecs.RunInstancesRequest{RegionId: dara.String("cn-hangzhou"), LaunchTemplateId: bare.Body.LaunchTemplateId})
	sdktest.WantFail(t, err, http.StatusBadRequest, "MissingParameter")

	// Describe, default version, deletion.
	vs, err := e.v7.DescribeLaunchTemplateVersions(&ecs.DescribeLaunchTemplateVersionsRequest{RegionId: dara.String("cn-hangzhou"),
		LaunchTemplateId: dara.String(created.LaunchTemplateId)})
	sdktest.OK(t, err)
	set := vs.Body.LaunchTemplateVersionSets.LaunchTemplateVersionSet
	if len(set) != 2 || dara.Int64Value(set[0].VersionNumber) != 2 || !dara.BoolValue(set[1].DefaultVersion) ||
		dara.StringValue(set[1].LaunchTemplateData.InstanceType) != itype {
		t.Fatalf("versions: %v", vs.Body)
	}
	cv := classicecs.CreateDescribeLaunchTemplateVersionsRequest()
	cv.LaunchTemplateName, cv.DefaultVersion = "web", requests.NewBoolean(true)
	cvs, err := e.classic.DescribeLaunchTemplateVersions(cv)
	sdktest.OK(t, err)
	if d := cvs.LaunchTemplateVersionSets.LaunchTemplateVersionSet; len(d) != 1 || d[0].LaunchTemplateData.SystemDiskCategory != "cloud_essd" ||
		d[0].LaunchTemplateData.SystemDiskSize != 40 || len(d[0].LaunchTemplateData.Tags.InstanceTag) != 1 {
		t.Fatalf("classic default version: %+v", cvs.LaunchTemplateVersionSets)
	}
	md := classicecs.CreateModifyLaunchTemplateDefaultVersionRequest()
	md.LaunchTemplateId, md.DefaultVersionNumber = created.LaunchTemplateId, requests.NewInteger(2)
	_, err = e.classic.ModifyLaunchTemplateDefaultVersion(md)
	sdktest.OK(t, err)
	md.DefaultVersionNumber = requests.NewInteger(7)
	_, err = e.classic.ModifyLaunchTemplateDefaultVersion(md)
	sdktest.WantFail(t, err, http.StatusNotFound, "InvalidLaunchTemplateVersion.NotFound")
	lts, err := e.classic.DescribeLaunchTemplates(classicecs.CreateDescribeLaunchTemplatesRequest())
	sdktest.OK(t, err)
	if lts.TotalCount != 2 || lts.LaunchTemplateSets.LaunchTemplateSet[0].DefaultVersionNumber != 2 ||
		lts.LaunchTemplateSets.LaunchTemplateSet[0].LatestVersionNumber != 2 {
		t.Fatalf("templates: %+v", lts.LaunchTemplateSets)
	}
	dv := classicecs.CreateDeleteLaunchTemplateVersionRequest()
	dv.LaunchTemplateId, dv.DeleteVersion = created.LaunchTemplateId, &[]string{"2"}
	_, err = e.classic.DeleteLaunchTemplateVersion(dv)
	sdktest.WantFail(t, err, http.StatusForbidden, "InvalidOperation.DeleteDefaultVersion")
	dv.DeleteVersion = &[]string{"1"}
	_, err = e.classic.DeleteLaunchTemplateVersion(dv)
	sdktest.OK(t, err)
	del, err := e.v7.DeleteLaunchTemplate(&ecs.DeleteLaunchTemplateRequest{RegionId: dara.String("cn-hangzhou"), LaunchTemplateName: dara.String("web")})
	sdktest.OK(t, err)
	if dara.StringValue(del.Body.LaunchTemplateId) != created.LaunchTemplateId {
		t.Fatalf("deleted %v", del.Body)
	}
	_, err = launch(func(r *classicecs.RunInstancesRequest) {})
	sdktest.WantFail(t, err, http.StatusNotFound, "InvalidLaunchTemplate.NotFound")
}

// TestLaunchTemplates_VersionDataAsGiven: DescribeLaunchTemplateVersions answers
// what the version was given (system disk name and description, data disk
// details, security group ids, network interfaces) with its lists always
// present, empty when none: the Terraform provider reads NetworkInterfaces,
// DataDisks and Tags without checking they are there.
func TestLaunchTemplates_VersionDataAsGiven(t *testing.T) {
	e := newEnv(t, realistic())
	cr := classicecs.CreateCreateLaunchTemplateRequest()
	cr.LaunchTemplateName, cr.ImageId, cr.InstanceType = "bare", image, itype
	cr.SystemDiskCategory, cr.SystemDiskSize, cr.SystemDiskDiskName = "cloud_essd", requests.NewInteger(40), "sys"
	cr.SystemDiskDescription, cr.RamRoleName, cr.IoOptimized = "the system disk", "web-role", "optimized"
	bare, err := e.classic.CreateLaunchTemplate(cr)
	sdktest.OK(t, err)
	raw := ""
	versions := func(id string) classicecs.LaunchTemplateData {
		r := classicecs.CreateDescribeLaunchTemplateVersionsRequest()
		r.LaunchTemplateId = id
		resp, err := e.classic.DescribeLaunchTemplateVersions(r)
		sdktest.OK(t, err)
		raw = resp.GetHttpContentString()
		return resp.LaunchTemplateVersionSets.LaunchTemplateVersionSet[0].LaunchTemplateData
	}
	d := versions(bare.LaunchTemplateId)
	if d.SystemDiskDiskName != "sys" || d.SystemDiskDescription != "the system disk" || !d.SystemDiskDeleteWithInstance ||
		d.RamRoleName != "web-role" || d.IoOptimized != "optimized" || d.SystemDiskIops != 0 {
		t.Fatalf("system disk and role: %+v", d)
	}
	// The raw answer has the three lists, empty, for a template without any.
	for _, want := range []string{`"NetworkInterfaces":{"NetworkInterface":[]}`, `"DataDisks":{"DataDisk":[]}`, `"Tags":{"InstanceTag":[]}`, `"SecurityGroupIds":{"SecurityGroupId":[]}`} {
		if !strings.Contains(raw, want) {
			t.Fatalf("answer lacks %s: %s", want, raw)
		}
	}

	v7 := &ecs.CreateLaunchTemplateRequest{RegionId: dara.String(region), LaunchTemplateName: dara.String("full"),
		ImageId: dara.String(image), InstanceType: dara.String(itype), SecurityGroupIds: []*string{dara.String(e.sg)},
		DataDisk: []*ecs.CreateLaunchTemplateRequestDataDisk{{Category: dara.String("cloud_essd"), Size: dara.Int32(50),
			DiskName: dara.String("logs"), DeleteWithInstance: dara.Bool(false)}},
		NetworkInterface: []*ecs.CreateLaunchTemplateRequestNetworkInterface{{VSwitchId: dara.String(e.vsw),
			SecurityGroupId: dara.String(e.sg), NetworkInterfaceName: dara.String("second")}}}
	full, err := e.v7.CreateLaunchTemplate(v7)
	sdktest.OK(t, err)
	d = versions(dara.StringValue(full.Body.LaunchTemplateId))
	if len(d.SecurityGroupIds.SecurityGroupId) != 1 || d.SecurityGroupIds.SecurityGroupId[0] != e.sg {
		t.Fatalf("security group ids: %+v", d.SecurityGroupIds)
	}
	if dd := d.DataDisks.DataDisk; len(dd) != 1 || dd[0].DiskName != "logs" || dd[0].Size != 50 || dd[0].DeleteWithInstance {
		t.Fatalf("data disks: %+v", dd)
	}
	if n := d.NetworkInterfaces.NetworkInterface; len(n) != 1 || n[0].VSwitchId != e.vsw || n[0].NetworkInterfaceName != "second" {
		t.Fatalf("network interfaces: %+v", n)
	}
}

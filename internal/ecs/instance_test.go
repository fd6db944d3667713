package ecs_test

import (
	"testing"
	"time"

	ecs "github.com/alibabacloud-go/ecs-20140526/v7/client"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	classicecs "github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"

	"github.com/ecslocal/ecslocal/ecslocaltest"
	"github.com/ecslocal/ecslocal/internal/sdktest"
)

func TestRunInstances_Refusals(t *testing.T) {
	e := newEnv(t, ecslocaltest.Options{})
	cases := []struct {
		name   string
		mod    func(r *classicecs.RunInstancesRequest)
		status int
		code   string
	}{
		{"unknown image", func(r *classicecs.RunInstancesRequest) { r.ImageId = "m-nosuchimage" }, 404, "InvalidImageId.NotFound"},
		{"unknown type", func(r *classicecs.RunInstancesRequest) { r.InstanceType = "ecs.nosuch.large" }, 400, "InvalidInstanceType.ValueNotSupported"},
		{"unknown vswitch", func(r *classicecs.RunInstancesRequest) { r.VSwitchId = "vsw-bp1nosuch" }, 404, "InvalidVSwitchId.NotFound"},
		{"unknown security group", func(r *classicecs.RunInstancesRequest) { r.SecurityGroupId = "sg-bp1nosuch" }, 404, "InvalidSecurityGroupId.NotFound"},
		{"missing image", func(r *classicecs.RunInstancesRequest) { r.ImageId = "" }, 400, "MissingParameter"},
		{"amount over 100", func(r *classicecs.RunInstancesRequest) { r.Amount = requests.NewInteger(101) }, 400, "InvalidParameter"},
		{"prepaid without period", func(r *classicecs.RunInstancesRequest) { r.InstanceChargeType = "PrePaid" }, 400, "InvalidPeriod"},
		{"bad charge type", func(r *classicecs.RunInstancesRequest) { r.InstanceChargeType = "Monthly" }, 400, "InvalidParameter"},
		{"auto release too soon", func(r *classicecs.RunInstancesRequest) {
			r.AutoReleaseTime = e.s.Clock.Now().Add(5 * time.Minute).Format("2006-01-02T15:04:05Z")
		}, 400, "InvalidAutoReleaseTime.Malformed"},
		{"system disk below image", func(r *classicecs.RunInstancesRequest) { r.SystemDiskSize = "10" }, 400, "InvalidSystemDiskSize.LessThanImageSize"},
		{"system disk over 2048", func(r *classicecs.RunInstancesRequest) { r.SystemDiskSize = "3000" }, 400, "InvalidSystemDiskSize.ValueNotSupported"},
		{"system disk under its ESSD level", func(r *classicecs.RunInstancesRequest) {
			r.SystemDiskCategory, r.SystemDiskPerformanceLevel, r.SystemDiskSize = "cloud_essd", "PL2", "100"
		}, 400, "InvalidSystemDiskSize.ValueNotSupported"},
		{"data disk under its ESSD level", func(r *classicecs.RunInstancesRequest) {
			r.DataDisk = &[]classicecs.RunInstancesDataDisk{{Category: "cloud_essd", PerformanceLevel: "PL3", Size: "500"}}
		}, 400, "InvalidDataDiskSize.ValueNotSupported"},
		{"data disk over its category", func(r *classicecs.RunInstancesRequest) {
			r.DataDisk = &[]classicecs.RunInstancesDataDisk{{Category: "cloud_efficiency", Size: "40000"}}
		}, 400, "InvalidDataDiskSize.ValueNotSupported"},
		{"data disk size missing", func(r *classicecs.RunInstancesRequest) {
			r.DataDisk = &[]classicecs.RunInstancesDataDisk{{Category: "cloud_essd"}}
		}, 400, "MissingParameter"},
		{"bad bool", func(r *classicecs.RunInstancesRequest) { r.DeletionProtection = "yes" }, 400, "InvalidParameter"},
		{"dry run", func(r *classicecs.RunInstancesRequest) { r.DryRun = requests.NewBoolean(true) }, 400, "DryRunOperation"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := e.runReq()
			tc.mod(r)
			_, err := e.classic.RunInstances(r)
			sdktest.WantFail(t, err, tc.status, tc.code)
		})
	}
	all, err := e.classic.DescribeInstances(classicecs.CreateDescribeInstancesRequest())
	sdktest.OK(t, err)
	if all.TotalCount != 0 {
		t.Fatalf("a refused RunInstances left %d instances", all.TotalCount)
	}
}

func TestRunInstances_Lifecycle(t *testing.T) {
	e := newEnv(t, realistic())
	r := e.runReq()
	r.Tag = &[]classicecs.RunInstancesTag{{Key: "env", Value: "test"}}
	r.InternetMaxBandwidthOut = requests.NewInteger(5)
	resp, err := e.classic.RunInstances(r)
	sdktest.OK(t, err)
	id := resp.InstanceIdSets.InstanceIdSet[0]
	e.wantStatus(t, id, "Pending")
	e.s.Clock.Advance(2 * time.Second)
	e.wantStatus(t, id, "Starting")
	e.s.Clock.Advance(3 * time.Second)
	e.wantStatus(t, id, "Running")

	d := classicecs.CreateDescribeInstancesRequest()
	d.InstanceIds = `["` + id + `"]`
	got, err := e.classic.DescribeInstances(d)
	sdktest.OK(t, err)
	inst := got.Instances.Instance[0]
	if inst.VpcAttributes.VpcId != e.vpcID || inst.VpcAttributes.VSwitchId != e.vsw || len(inst.VpcAttributes.PrivateIpAddress.IpAddress) != 1 ||
		len(inst.PublicIpAddress.IpAddress) != 1 || inst.SecurityGroupIds.SecurityGroupId[0] != e.sg || inst.ZoneId != e.zone ||
		inst.InstanceChargeType != "PostPaid" || inst.ExpiredTime != "2099-12-31T15:59Z" || inst.Cpu != 2 || inst.Memory != 8192 ||
		len(inst.Tags.Tag) != 1 || inst.Tags.Tag[0].TagKey != "env" || inst.HostName == "" || inst.InstanceName != id {
		t.Fatalf("instance view: %+v", inst)
	}
	if len(inst.CreationTime) != len("2026-01-01T00:00Z") {
		t.Fatalf("CreationTime %q is not minute precision", inst.CreationTime)
	}

	stop := classicecs.CreateStopInstanceRequest()
	stop.InstanceId = id
	_, err = e.classic.StopInstance(stop)
	sdktest.OK(t, err)
	e.wantStatus(t, id, "Stopping")
	_, err = e.classic.StopInstance(stop)
	sdktest.WantFail(t, err, 403, "IncorrectInstanceStatus")
	e.s.Clock.Advance(3 * time.Second)
	e.wantStatus(t, id, "Stopped")

	start := classicecs.CreateStartInstanceRequest()
	start.InstanceId = id
	_, err = e.classic.StartInstance(start)
	sdktest.OK(t, err)
	e.wantStatus(t, id, "Starting")
	e.s.Clock.Advance(3 * time.Second)
	e.wantStatus(t, id, "Running")
	_, err = e.classic.StartInstance(start)
	sdktest.WantFail(t, err, 403, "IncorrectInstanceStatus")

	unknown := classicecs.CreateStartInstanceRequest()
	unknown.InstanceId = "i-bp1nosuch"
	_, err = e.classic.StartInstance(unknown)
	sdktest.WantFail(t, err, 404, "InvalidInstanceId.NotFound")
}

func TestCreateInstance_EndsStopped(t *testing.T) {
	e := newEnv(t, ecslocaltest.Options{})
	r := &ecs.CreateInstanceRequest{
		RegionId: dara.String(region), ImageId: dara.String(image), InstanceType: dara.String(itype),
		VSwitchId: dara.String(e.vsw), SecurityGroupId: dara.String(e.sg),
	}
	resp, err := e.v7.CreateInstance(r)
	sdktest.OK(t, err)
	id := dara.StringValue(resp.Body.InstanceId)
	e.s.Clock.Advance(5 * time.Second)
	e.wantStatus(t, id, "Stopped")
}

func TestDescribeInstances_FiltersAndPaging(t *testing.T) {
	e := newEnv(t, ecslocaltest.Options{})
	ids := e.run(t, func(r *classicecs.RunInstancesRequest) { r.Amount = requests.NewInteger(5) })
	tagged := e.run1(t, func(r *classicecs.RunInstancesRequest) {
		r.Tag = &[]classicecs.RunInstancesTag{{Key: "team", Value: "blue"}}
	})
	e.stop(t, ids[0])

	count := func(mod func(r *ecs.DescribeInstancesRequest)) (int, []string) {
		t.Helper()
		r := &ecs.DescribeInstancesRequest{RegionId: dara.String(region)}
		mod(r)
		resp, err := e.v7.DescribeInstances(r)
		sdktest.OK(t, err)
		var got []string
		for _, i := range resp.Body.Instances.Instance {
			got = append(got, dara.StringValue(i.InstanceId))
		}
		return int(dara.Int32Value(resp.Body.TotalCount)), got
	}
	if n, _ := count(func(r *ecs.DescribeInstancesRequest) {}); n != 6 {
		t.Fatalf("all: %d", n)
	}
	if n, got := count(func(r *ecs.DescribeInstancesRequest) { r.Status = dara.String("Stopped") }); n != 1 || got[0] != ids[0] {
		t.Fatalf("status: %d %v", n, got)
	}
	if n, got := count(func(r *ecs.DescribeInstancesRequest) {
		r.Tag = []*ecs.DescribeInstancesRequestTag{{Key: dara.String("team"), Value: dara.String("blue")}}
	}); n != 1 || got[0] != tagged {
		t.Fatalf("tag: %d %v", n, got)
	}
	if n, _ := count(func(r *ecs.DescribeInstancesRequest) {
		r.VpcId, r.SecurityGroupId, r.ZoneId = dara.String(e.vpcID), dara.String(e.sg), dara.String(e.zone)
	}); n != 6 {
		t.Fatalf("vpc+sg+zone: %d", n)
	}
	if n, _ := count(func(r *ecs.DescribeInstancesRequest) { r.VpcId = dara.String("vpc-other") }); n != 0 {
		t.Fatalf("other vpc: %d", n)
	}
	if n, got := count(func(r *ecs.DescribeInstancesRequest) {
		r.InstanceIds = dara.String(`["` + ids[1] + `","i-bp1unknown"]`)
	}); n != 1 || got[0] != ids[1] {
		t.Fatalf("ids: %d %v", n, got)
	}
	// PageNumber paging walks every instance once, in creation order.
	var paged []string
	for page := 1; page <= 3; page++ {
		n, got := count(func(r *ecs.DescribeInstancesRequest) {
			r.PageSize, r.PageNumber = dara.Int32(2), dara.Int32(int32(page))
		})
		if n != 6 || len(got) != 2 {
			t.Fatalf("page %d: %d %v", page, n, got)
		}
		paged = append(paged, got...)
	}
	if paged[0] != ids[0] || paged[5] != tagged {
		t.Fatalf("order: %v", paged)
	}
	// NextToken paging gives the same walk.
	var walked []string
	token := ""
	for rounds := 0; rounds < 10; rounds++ {
		r := &ecs.DescribeInstancesRequest{RegionId: dara.String(region), MaxResults: dara.Int32(4)}
		if token != "" {
			r.NextToken = dara.String(token)
		}
		resp, err := e.v7.DescribeInstances(r)
		sdktest.OK(t, err)
		for _, i := range resp.Body.Instances.Instance {
			walked = append(walked, dara.StringValue(i.InstanceId))
		}
		if token = dara.StringValue(resp.Body.NextToken); token == "" {
			break
		}
	}
	if len(walked) != 6 || walked[5] != tagged {
		t.Fatalf("NextToken walk: %v", walked)
	}
	_, err := e.v7.DescribeInstances(&ecs.DescribeInstancesRequest{RegionId: dara.String(region), NextToken: dara.String("garbage!")})
	sdktest.WantFail(t, err, 400, "InvalidNextToken.Malformed")
	_, err = e.v7.DescribeInstances(&ecs.DescribeInstancesRequest{RegionId: dara.String(region), PageSize: dara.Int32(101)})
	sdktest.WantFail(t, err, 400, "InvalidParameter")
	_, err = e.v7.DescribeInstances(&ecs.DescribeInstancesRequest{RegionId: dara.String("xx-nowhere-1")})
	sdktest.WantFail(t, err, 404, "InvalidRegionId.NotFound")

	t.Run("XML", func(t *testing.T) {
		r := classicecs.CreateDescribeInstancesRequest()
		r.AcceptFormat = "XML"
		r.InstanceIds = `["` + tagged + `"]`
		resp, err := e.classic.DescribeInstances(r)
		sdktest.OK(t, err)
		if resp.TotalCount != 1 || resp.Instances.Instance[0].InstanceId != tagged || resp.Instances.Instance[0].Tags.Tag[0].TagValue != "blue" {
			t.Fatalf("XML decode: %+v", resp.Instances)
		}
	})
	t.Run("DescribeInstanceStatus", func(t *testing.T) {
		r := classicecs.CreateDescribeInstanceStatusRequest()
		r.InstanceId = &[]string{ids[0], ids[1]}
		resp, err := e.classic.DescribeInstanceStatus(r)
		sdktest.OK(t, err)
		if resp.TotalCount != 2 || resp.InstanceStatuses.InstanceStatus[0].Status != "Stopped" {
			t.Fatalf("%+v", resp.InstanceStatuses)
		}
	})
}

func TestBatchPower(t *testing.T) {
	e := newEnv(t, ecslocaltest.Options{})
	ids := e.run(t, func(r *classicecs.RunInstancesRequest) { r.Amount = requests.NewInteger(2) })
	e.stop(t, ids[0])
	r := classicecs.CreateStartInstancesRequest()
	r.InstanceId = &ids
	_, err := e.classic.StartInstances(r)
	sdktest.WantFail(t, err, 403, "IncorrectInstanceStatus")
	e.wantStatus(t, ids[0], "Stopped")
	r.BatchOptimization = "SuccessFirst"
	resp, err := e.classic.StartInstances(r)
	sdktest.OK(t, err)
	got := resp.InstanceResponses.InstanceResponse
	if len(got) != 2 || got[0].Code != "200" || got[0].CurrentStatus != "Starting" || got[1].Code != "IncorrectInstanceStatus" {
		t.Fatalf("%+v", got)
	}
	e.s.Clock.Advance(5 * time.Second)
	s := classicecs.CreateStopInstancesRequest()
	s.InstanceId = &ids
	_, err = e.classic.StopInstances(s)
	sdktest.OK(t, err)
	e.s.Clock.Advance(5 * time.Second)
	e.wantStatus(t, ids[1], "Stopped")
}

func TestRenewAndAutoReleaseTime(t *testing.T) {
	e := newEnv(t, ecslocaltest.Options{})
	sub := e.run1(t, prepaid)
	e.s.Clock.Advance(32 * 24 * time.Hour)
	e.wantStatus(t, sub, "Stopped")
	rn := classicecs.CreateRenewInstanceRequest()
	rn.InstanceId, rn.Period = sub, requests.NewInteger(1)
	_, err := e.classic.RenewInstance(rn)
	sdktest.OK(t, err)
	st := classicecs.CreateStartInstanceRequest()
	st.InstanceId = sub
	_, err = e.classic.StartInstance(st)
	sdktest.OK(t, err)

	id := e.run1(t, nil)
	m := classicecs.CreateModifyInstanceAutoReleaseTimeRequest()
	m.InstanceId = id
	m.AutoReleaseTime = e.s.Clock.Now().Add(time.Hour).Format("2006-01-02T15:04:05Z")
	_, err = e.classic.ModifyInstanceAutoReleaseTime(m)
	sdktest.OK(t, err)
	cancel := classicecs.CreateModifyInstanceAutoReleaseTimeRequest() // a reused request keeps its old query
	cancel.InstanceId = id
	_, err = e.classic.ModifyInstanceAutoReleaseTime(cancel)
	sdktest.OK(t, err)
	e.s.Clock.Advance(2 * time.Hour)
	e.wantStatus(t, id, "Running")
	m = classicecs.CreateModifyInstanceAutoReleaseTimeRequest()
	m.InstanceId = sub
	m.AutoReleaseTime = e.s.Clock.Now().Add(time.Hour).Format("2006-01-02T15:04:05Z")
	_, err = e.classic.ModifyInstanceAutoReleaseTime(m)
	sdktest.WantFail(t, err, 403, "InvalidInstanceChargeType.NotPostPaid")
	rn = classicecs.CreateRenewInstanceRequest()
	rn.InstanceId, rn.Period = id, requests.NewInteger(1)
	_, err = e.classic.RenewInstance(rn)
	sdktest.WantFail(t, err, 403, "InvalidInstanceChargeType.NotPrePaid")
}

// ModifyInstanceAttribute's SecurityGroupIds move the primary ENI too.
func TestModifyInstanceAttribute_SecurityGroups(t *testing.T) {
	e := newEnv(t, ecslocaltest.Options{})
	id := e.run1(t, nil)
	cg := classicecs.CreateCreateSecurityGroupRequest()
	cg.VpcId = e.vpcID
	g, err := e.classic.CreateSecurityGroup(cg)
	sdktest.OK(t, err)
	m := classicecs.CreateModifyInstanceAttributeRequest()
	m.InstanceId, m.SecurityGroupIds = id, &[]string{g.SecurityGroupId}
	_, err = e.classic.ModifyInstanceAttribute(m)
	sdktest.OK(t, err)
	n := classicecs.CreateDescribeNetworkInterfacesRequest()
	n.InstanceId, n.Type = id, "Primary"
	resp, err := e.classic.DescribeNetworkInterfaces(n)
	sdktest.OK(t, err)
	got := resp.NetworkInterfaceSets.NetworkInterfaceSet
	if len(got) != 1 || len(got[0].SecurityGroupIds.SecurityGroupId) != 1 || got[0].SecurityGroupIds.SecurityGroupId[0] != g.SecurityGroupId {
		t.Fatalf("primary ENI groups: %+v", got)
	}
	m.SecurityGroupIds = &[]string{"sg-bp1nosuch"}
	_, err = e.classic.ModifyInstanceAttribute(m)
	sdktest.WantFail(t, err, 404, "InvalidSecurityGroupId.NotFound")
}

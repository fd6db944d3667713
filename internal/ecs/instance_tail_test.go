package ecs_test

import (
	"bytes"
	"encoding/base64"
	"image/jpeg"
	"strings"
	"testing"
	"time"

	ecs "github.com/alibabacloud-go/ecs-20140526/v7/client"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	classicecs "github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
	classicvpc "github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"

	"github.com/ecslocal/ecslocal/ecslocaltest"
	"github.com/ecslocal/ecslocal/internal/sdktest"
)

// TestModifyInstanceVpcAttribute: a stopped instance moves to another
// vSwitch of its zone with a new or chosen address, its primary ENI with it.
func TestModifyInstanceVpcAttribute(t *testing.T) {
	e := newEnv(t, ecslocaltest.Options{})
	id := e.run1(t, nil)
	cs := classicvpc.CreateCreateVSwitchRequest()
	cs.VpcId, cs.ZoneId, cs.CidrBlock = e.vpcID, e.zone, "192.168.7.0/24"
	sr, err := e.vpc.CreateVSwitch(cs)
	sdktest.OK(t, err)
	e.s.Clock.Advance(5 * time.Second)
	move := func(vsw, ip string) error {
		r := classicecs.CreateModifyInstanceVpcAttributeRequest()
		r.InstanceId, r.VSwitchId, r.PrivateIpAddress = id, vsw, ip
		_, err := e.classic.ModifyInstanceVpcAttribute(r)
		return err
	}
	sdktest.WantFail(t, move(sr.VSwitchId, ""), 403, "IncorrectInstanceStatus")
	e.stop(t, id)
	sdktest.WantFail(t, move("vsw-nothere", ""), 404, "InvalidVSwitchId.NotFound")
	sdktest.WantFail(t, move(sr.VSwitchId, "10.0.0.9"), 403, "InvalidVSwitchId.IpInvalid")
	sdktest.OK(t, move(sr.VSwitchId, "192.168.7.50"))
	got := e.instanceOf(t, id)
	if got.VpcAttributes.VSwitchId != sr.VSwitchId || got.VpcAttributes.PrivateIpAddress.IpAddress[0] != "192.168.7.50" ||
		got.NetworkInterfaces.NetworkInterface[0].PrimaryIpAddress != "192.168.7.50" {
		t.Fatalf("after the move: %+v", got.VpcAttributes)
	}
	// The old address is free again; the new one is taken.
	_, err = e.createENI(t, "")
	sdktest.OK(t, err)
	r := classicecs.CreateCreateNetworkInterfaceRequest()
	r.VSwitchId, r.SecurityGroupId, r.PrimaryIpAddress = sr.VSwitchId, e.sg, "192.168.7.50"
	_, err = e.classic.CreateNetworkInterface(r)
	sdktest.WantFail(t, err, 400, "InvalidPrivateIpAddress.Duplicated")
	// Back to the first vSwitch, the next free address.
	sdktest.OK(t, move(e.vsw, ""))
	if got := e.instanceOf(t, id); got.VpcAttributes.VSwitchId != e.vsw || !strings.HasPrefix(got.VpcAttributes.PrivateIpAddress.IpAddress[0], "192.168.1.") {
		t.Fatalf("after moving back: %+v", got.VpcAttributes)
	}
}

// TestInstanceMaintenanceAndRenewal: the settings of
// ModifyInstanceMaintenanceAttributes and ModifyInstanceAutoRenewAttribute
// come back from their Describe actions.
func TestInstanceMaintenanceAndRenewal(t *testing.T) {
	e := newEnv(t, ecslocaltest.Options{})
	id := e.run1(t, nil)
	_, err := e.v7.ModifyInstanceMaintenanceAttributes(&ecs.ModifyInstanceMaintenanceAttributesRequest{RegionId: dara.String(region),
		InstanceId: []*string{dara.String(id)}, ActionOnMaintenance: dara.String("Stop"), NotifyOnMaintenance: dara.Bool(true),
		MaintenanceWindow: []*ecs.ModifyInstanceMaintenanceAttributesRequestMaintenanceWindow{{StartTime: dara.String("18:00:00Z"), EndTime: dara.String("21:00:00Z")}}})
	sdktest.OK(t, err)
	m, err := e.v7.DescribeInstanceMaintenanceAttributes(&ecs.DescribeInstanceMaintenanceAttributesRequest{RegionId: dara.String(region), InstanceId: []*string{dara.String(id)}})
	sdktest.OK(t, err)
	a := m.Body.MaintenanceAttributes.MaintenanceAttribute[0]
	if dara.StringValue(a.ActionOnMaintenance.Value) != "Stop" || !dara.BoolValue(a.NotifyOnMaintenance) ||
		len(a.MaintenanceWindows.MaintenanceWindow) != 1 || dara.StringValue(a.MaintenanceWindows.MaintenanceWindow[0].EndTime) != "21:00:00Z" {
		t.Fatalf("maintenance: %+v", a)
	}
	for _, bad := range []struct{ action, start string }{{"Explode", "18:00:00Z"}, {"Stop", "18:30:00Z"}, {"Stop", "21:00:00Z"}} {
		_, err = e.v7.ModifyInstanceMaintenanceAttributes(&ecs.ModifyInstanceMaintenanceAttributesRequest{RegionId: dara.String(region),
			InstanceId: []*string{dara.String(id)}, ActionOnMaintenance: dara.String(bad.action),
			MaintenanceWindow: []*ecs.ModifyInstanceMaintenanceAttributesRequestMaintenanceWindow{{StartTime: dara.String(bad.start), EndTime: dara.String("21:00:00Z")}}})
		if bad.action == "Explode" {
			sdktest.WantFail(t, err, 400, "InvalidParameter")
		} else {
			sdktest.WantFail(t, err, 400, "InvalidParameter.MaintenanceWindow")
		}
	}
	_, err = e.v7.ModifyInstanceMaintenanceAttributes(&ecs.ModifyInstanceMaintenanceAttributesRequest{RegionId: dara.String(region),
		InstanceId: []*string{dara.String(id), dara.String("i-nothere")}, ActionOnMaintenance: dara.String("AutoRedeploy")})
	sdktest.WantFail(t, err, 404, "InvalidInstanceId.NotFound")

	renew := func(ids string, mod func(*classicecs.ModifyInstanceAutoRenewAttributeRequest)) error {
		r := classicecs.CreateModifyInstanceAutoRenewAttributeRequest()
		r.InstanceId = ids
		mod(r)
		_, err := e.classic.ModifyInstanceAutoRenewAttribute(r)
		return err
	}
	sdktest.WantFail(t, renew(id, func(r *classicecs.ModifyInstanceAutoRenewAttributeRequest) { r.AutoRenew = requests.NewBoolean(true) }), 403, "ChargeTypeViolation")
	sub := e.run1(t, func(r *classicecs.RunInstancesRequest) {
		r.InstanceChargeType, r.Period, r.PeriodUnit = "PrePaid", requests.NewInteger(1), "Month"
	})
	sdktest.OK(t, renew(sub, func(r *classicecs.ModifyInstanceAutoRenewAttributeRequest) {
		r.AutoRenew, r.Duration, r.PeriodUnit = requests.NewBoolean(true), requests.NewInteger(3), "Month"
	}))
	readRenew := func() classicecs.InstanceRenewAttribute {
		d := classicecs.CreateDescribeInstanceAutoRenewAttributeRequest()
		d.InstanceId = sub
		resp, err := e.classic.DescribeInstanceAutoRenewAttribute(d)
		sdktest.OK(t, err)
		return resp.InstanceRenewAttributes.InstanceRenewAttribute[0]
	}
	if a := readRenew(); !a.AutoRenewEnabled || a.Duration != 3 || a.RenewalStatus != "AutoRenewal" {
		t.Fatalf("after AutoRenew: %+v", a)
	}
	sdktest.OK(t, renew(sub, func(r *classicecs.ModifyInstanceAutoRenewAttributeRequest) { r.RenewalStatus = "NotRenewal" }))
	if a := readRenew(); a.AutoRenewEnabled || a.RenewalStatus != "NotRenewal" {
		t.Fatalf("after NotRenewal: %+v", a)
	}
	sdktest.WantFail(t, renew(sub, func(r *classicecs.ModifyInstanceAutoRenewAttributeRequest) { r.Duration = requests.NewInteger(13) }), 400, "InvalidParameter")
}

// TestInstanceConsole: VNC password and address, the serial log and a
// screenshot of a Running instance.
func TestInstanceConsole(t *testing.T) {
	e := newEnv(t, ecslocaltest.Options{})
	id := e.run1(t, nil)
	pw := func(p string) error {
		_, err := e.v7.ModifyInstanceVncPasswd(&ecs.ModifyInstanceVncPasswdRequest{RegionId: dara.String(region), InstanceId: dara.String(id), VncPassword: dara.String(p)})
		return err
	}
	sdktest.OK(t, pw("Ab3xY9"))
	sdktest.WantFail(t, pw("short"), 400, "InvalidVncPassword.Malformed")
	sdktest.WantFail(t, pw("ab!d$f"), 400, "InvalidVncPassword.Malformed")
	url, err := e.v7.DescribeInstanceVncUrl(&ecs.DescribeInstanceVncUrlRequest{RegionId: dara.String(region), InstanceId: dara.String(id)})
	sdktest.OK(t, err)
	if u := dara.StringValue(url.Body.VncUrl); !strings.HasPrefix(u, "wss://") || !strings.Contains(u, id) {
		t.Fatalf("VncUrl %q", u)
	}
	out, err := e.v7.GetInstanceConsoleOutput(&ecs.GetInstanceConsoleOutputRequest{RegionId: dara.String(region), InstanceId: dara.String(id), RemoveSymbols: dara.Bool(true)})
	sdktest.OK(t, err)
	log, err := base64.StdEncoding.DecodeString(dara.StringValue(out.Body.ConsoleOutput))
	sdktest.OK(t, err)
	if !strings.Contains(string(log), "login:") || strings.Contains(string(log), "\r") {
		t.Fatalf("console output %q", log)
	}
	shot, err := e.v7.GetInstanceScreenshot(&ecs.GetInstanceScreenshotRequest{RegionId: dara.String(region), InstanceId: dara.String(id)})
	sdktest.OK(t, err)
	raw, err := base64.StdEncoding.DecodeString(dara.StringValue(shot.Body.Screenshot))
	sdktest.OK(t, err)
	if _, err := jpeg.Decode(bytes.NewReader(raw)); err != nil {
		t.Fatalf("screenshot is no JPEG: %v", err)
	}
	e.stop(t, id)
	_, err = e.v7.DescribeInstanceVncUrl(&ecs.DescribeInstanceVncUrlRequest{RegionId: dara.String(region), InstanceId: dara.String(id)})
	sdktest.WantFail(t, err, 403, "IncorrectInstanceStatus")
	_, err = e.v7.GetInstanceScreenshot(&ecs.GetInstanceScreenshotRequest{RegionId: dara.String(region), InstanceId: dara.String(id)})
	sdktest.WantFail(t, err, 403, "IncorrectInstanceStatus")
	_, err = e.v7.GetInstanceConsoleOutput(&ecs.GetInstanceConsoleOutputRequest{RegionId: dara.String(region), InstanceId: dara.String(id)})
	sdktest.OK(t, err) // the log of the last start stays
	_, err = e.v7.GetInstanceConsoleOutput(&ecs.GetInstanceConsoleOutputRequest{RegionId: dara.String(region), InstanceId: dara.String("i-nothere")})
	sdktest.WantFail(t, err, 404, "InvalidInstanceId.NotFound")
}

// TestInstanceFullStatusRedeployReactivate: status and health, a redeploy
// as a reboot, and reactivation of a pay-as-you-go instance with a
// financial lock.
func TestInstanceFullStatusRedeployReactivate(t *testing.T) {
	e := newEnv(t, realistic())
	a, b := e.run1(t, nil), e.run1(t, nil)
	e.s.Clock.Advance(time.Minute)
	e.stop(t, b)
	e.s.Clock.Advance(time.Minute)
	full := func(mod func(*classicecs.DescribeInstancesFullStatusRequest)) map[string]string {
		r := classicecs.CreateDescribeInstancesFullStatusRequest()
		mod(r)
		resp, err := e.classic.DescribeInstancesFullStatus(r)
		sdktest.OK(t, err)
		out := map[string]string{}
		for _, s := range resp.InstanceFullStatusSet.InstanceFullStatusType {
			out[s.InstanceId] = s.Status.Name + "/" + s.HealthStatus.Name
		}
		return out
	}
	if got := full(func(*classicecs.DescribeInstancesFullStatusRequest) {}); got[a] != "Running/Ok" || got[b] != "Stopped/NotApplicable" {
		t.Fatalf("full status: %v", got)
	}
	if got := full(func(r *classicecs.DescribeInstancesFullStatusRequest) { r.HealthStatus = "Ok" }); len(got) != 1 || got[a] == "" {
		t.Fatalf("HealthStatus=Ok: %v", got)
	}
	if got := full(func(r *classicecs.DescribeInstancesFullStatusRequest) { r.Status = "Stopped" }); len(got) != 1 || got[b] == "" {
		t.Fatalf("Status=Stopped: %v", got)
	}
	if got := full(func(r *classicecs.DescribeInstancesFullStatusRequest) { r.EventType = "SystemMaintenance.Reboot" }); len(got) != 0 {
		t.Fatalf("EventType: %v", got)
	}

	rd := classicecs.CreateRedeployInstanceRequest()
	rd.InstanceId = a
	resp, err := e.classic.RedeployInstance(rd)
	sdktest.OK(t, err)
	if !strings.HasPrefix(resp.TaskId, "t-") || e.status(t, a) != "Stopping" {
		t.Fatalf("redeploy: task %q, status %s", resp.TaskId, e.status(t, a))
	}
	_, err = e.classic.RedeployInstance(rd)
	sdktest.WantFail(t, err, 403, "IncorrectInstanceStatus")
	e.s.Clock.Advance(time.Minute)
	e.wantStatus(t, a, "Running")

	re := classicecs.CreateReActivateInstancesRequest()
	re.InstanceId = b
	_, err = e.classic.ReActivateInstances(re)
	sdktest.WantFail(t, err, 403, "InvalidInstanceStatus.NotExpired")
	e.s.Locks.Add(b, "financial")
	_, err = e.classic.ReActivateInstances(re)
	sdktest.OK(t, err)
	if got := e.instanceOf(t, b); len(got.OperationLocks.LockReason) != 0 || got.Status != "Stopped" {
		t.Fatalf("after reactivation: %+v %s", got.OperationLocks, got.Status)
	}
}

// TestInstanceOptions: PTP clock, bandwidth weighting and private-pool
// matching, set while stopped.
func TestInstanceOptions(t *testing.T) {
	e := newEnv(t, ecslocaltest.Options{})
	id := e.run1(t, nil)
	clock := func(st string, dry bool) error {
		_, err := e.v7.ModifyInstanceClockOptions(&ecs.ModifyInstanceClockOptionsRequest{RegionId: dara.String(region), InstanceId: dara.String(id),
			PtpStatus: dara.String(st), DryRun: dara.Bool(dry)})
		return err
	}
	weight := func(w string) error {
		_, err := e.v7.ModifyInstanceNetworkOptions(&ecs.ModifyInstanceNetworkOptionsRequest{InstanceId: dara.String(id), BandwidthWeighting: dara.String(w)})
		return err
	}
	sdktest.WantFail(t, clock("enabled", false), 403, "IncorrectInstanceStatus")
	sdktest.WantFail(t, weight("Vpc-L1"), 403, "IncorrectInstanceStatus")
	e.stop(t, id)
	sdktest.WantFail(t, clock("enabled", true), 400, "DryRunOperation")
	sdktest.OK(t, clock("enabled", false))
	sdktest.WantFail(t, clock("on", false), 400, "InvalidParameter")
	sdktest.OK(t, weight("Vpc-L1"))
	sdktest.WantFail(t, weight("Fast"), 400, "InvalidParameter")

	attach := func(match, pool string) error {
		r := classicecs.CreateModifyInstanceAttachmentAttributesRequest()
		r.InstanceId, r.PrivatePoolOptionsMatchCriteria, r.PrivatePoolOptionsId = id, match, pool
		_, err := e.classic.ModifyInstanceAttachmentAttributes(r)
		return err
	}
	sdktest.OK(t, attach("None", ""))
	d := classicecs.CreateDescribeInstanceAttachmentAttributesRequest()
	d.InstanceIds = `["` + id + `"]`
	dr, err := e.classic.DescribeInstanceAttachmentAttributes(d)
	sdktest.OK(t, err)
	if got := dr.Instances.Instance[0].PrivatePoolOptionsMatchCriteria; got != "None" {
		t.Fatalf("MatchCriteria %q", got)
	}
	sdktest.WantFail(t, attach("Target", ""), 400, "InvalidParameter.PrivatePoolOptions")
	sdktest.WantFail(t, attach("Target", "eap-1"), 400, "InvalidParameter.PrivatePoolOptions")
	sdktest.WantFail(t, attach("Sometimes", ""), 400, "InvalidParameter")
}

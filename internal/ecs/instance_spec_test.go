package ecs_test

import (
	"testing"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	classicecs "github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"

	"github.com/ecslocal/ecslocal/ecslocaltest"
	"github.com/ecslocal/ecslocal/internal/sdktest"
)

// instanceOf is the instance as DescribeInstances shows it.
func (e *env) instanceOf(t *testing.T, id string) classicecs.Instance {
	t.Helper()
	d := classicecs.CreateDescribeInstancesRequest()
	d.InstanceIds = `["` + id + `"]`
	resp, err := e.classic.DescribeInstances(d)
	sdktest.OK(t, err)
	if len(resp.Instances.Instance) != 1 {
		t.Fatalf("DescribeInstances %s: %d", id, len(resp.Instances.Instance))
	}
	return resp.Instances.Instance[0]
}

func (e *env) modifySpec(id, typ string, bw int, dry bool) error {
	r := classicecs.CreateModifyInstanceSpecRequest()
	r.InstanceId, r.InstanceType = id, typ
	if bw >= 0 {
		r.InternetMaxBandwidthOut = requests.NewInteger(bw)
	}
	if dry {
		r.DryRun = requests.NewBoolean(true)
	}
	_, err := e.classic.ModifyInstanceSpec(r)
	return err
}

func (e *env) modifyPrepaySpec(id, typ, op string) (string, error) {
	r := classicecs.CreateModifyPrepayInstanceSpecRequest()
	r.InstanceId, r.InstanceType, r.OperatorType = id, typ, op
	resp, err := e.classic.ModifyPrepayInstanceSpec(r)
	if err != nil {
		return "", err
	}
	return resp.OrderId, nil
}

// TestModifyInstanceSpec: a pay-as-you-go instance changes type only when
// stopped, into a type of its zone that holds its ENIs and addresses; its
// bandwidth at any time; DryRun changes nothing.
func TestModifyInstanceSpec(t *testing.T) {
	e := newEnv(t, ecslocaltest.Options{})
	id := e.run1(t, nil)
	sdktest.WantFail(t, e.modifySpec(id, "ecs.g7.xlarge", -1, false), 400, "InvalidInstanceStatus.NotStopped")
	sdktest.OK(t, e.modifySpec(id, "", 10, false))
	if got := e.instanceOf(t, id); got.InternetMaxBandwidthOut != 10 || got.InstanceType != itype {
		t.Fatalf("after the bandwidth change: %s %d", got.InstanceType, got.InternetMaxBandwidthOut)
	}
	e.stop(t, id)
	sdktest.WantFail(t, e.modifySpec(id, "ecs.g7.xlarge", -1, true), 400, "DryRunOperation")
	if got := e.instanceOf(t, id); got.InstanceType != itype {
		t.Fatalf("DryRun changed the type to %s", got.InstanceType)
	}
	sdktest.WantFail(t, e.modifySpec(id, "ecs.nothere.large", -1, false), 400, "InvalidInstanceType.ValueNotSupported")
	sdktest.WantFail(t, e.modifySpec(id, "", -1, false), 400, "MissingParameter")
	sdktest.WantFail(t, e.modifySpec("i-nothere", "ecs.g7.xlarge", -1, false), 404, "InvalidInstanceId.NotFound")
	sdktest.OK(t, e.modifySpec(id, "ecs.g7.xlarge", -1, false))
	got := e.instanceOf(t, id)
	if got.InstanceType != "ecs.g7.xlarge" || got.Cpu != 4 || got.Memory != 16384 || got.InstanceTypeFamily != "ecs.g7" {
		t.Fatalf("after the type change: %s %d vCPU %d MiB", got.InstanceType, got.Cpu, got.Memory)
	}
	// Three secondary addresses do not fit a type whose ENIs hold two addresses.
	eni := got.NetworkInterfaces.NetworkInterface[0].NetworkInterfaceId
	_, err := e.assignIPs(eni, 3)
	sdktest.OK(t, err)
	sdktest.WantFail(t, e.modifySpec(id, "ecs.t6-c1m4.large", -1, false), 403, "InvalidOperation.Ipv4CountExceeded")
	// A subscription changes type through ModifyPrepayInstanceSpec only.
	_, err = e.modifyPrepaySpec(id, "ecs.g7.2xlarge", "upgrade")
	sdktest.WantFail(t, err, 403, "ChargeTypeViolation")
}

// TestModifyPrepayInstanceSpec: a subscription is upgraded or downgraded
// as OperatorType says, running or stopped, with an OrderId.
func TestModifyPrepayInstanceSpec(t *testing.T) {
	e := newEnv(t, ecslocaltest.Options{})
	id := e.run1(t, func(r *classicecs.RunInstancesRequest) {
		r.InstanceChargeType, r.Period, r.PeriodUnit = "PrePaid", requests.NewInteger(1), "Month"
	})
	sdktest.WantFail(t, e.modifySpec(id, "ecs.g7.xlarge", -1, false), 403, "ChargeTypeViolation")
	order, err := e.modifyPrepaySpec(id, "ecs.g7.xlarge", "upgrade")
	sdktest.OK(t, err)
	if order == "" {
		t.Fatal("no OrderId")
	}
	if got := e.instanceOf(t, id); got.InstanceType != "ecs.g7.xlarge" || got.Status != "Running" {
		t.Fatalf("after the upgrade: %s %s", got.InstanceType, got.Status)
	}
	_, err = e.modifyPrepaySpec(id, "ecs.g7.large", "upgrade")
	sdktest.WantFail(t, err, 400, "InvalidParameter.OperatorType")
	_, err = e.modifyPrepaySpec(id, "ecs.g7.large", "sideways")
	sdktest.WantFail(t, err, 400, "InvalidParameter")
	_, err = e.modifyPrepaySpec(id, "ecs.g7.large", "downgrade")
	sdktest.OK(t, err)
	if got := e.instanceOf(t, id); got.InstanceType != "ecs.g7.large" {
		t.Fatalf("after the downgrade: %s", got.InstanceType)
	}
}

// TestModifyInstanceNetworkSpec: bandwidth, its billing and a public
// address, which needs bandwidth.
func TestModifyInstanceNetworkSpec(t *testing.T) {
	e := newEnv(t, ecslocaltest.Options{})
	id := e.run1(t, nil)
	r := classicecs.CreateModifyInstanceNetworkSpecRequest()
	r.InstanceId, r.AllocatePublicIp = id, requests.NewBoolean(true)
	_, err := e.classic.ModifyInstanceNetworkSpec(r)
	sdktest.WantFail(t, err, 400, "InvalidParameter.Bandwidth")
	r.InternetMaxBandwidthOut, r.NetworkChargeType = requests.NewInteger(5), "PayByBandwidth"
	resp, err := e.classic.ModifyInstanceNetworkSpec(r)
	sdktest.OK(t, err)
	got := e.instanceOf(t, id)
	if resp.OrderId == "" || len(got.PublicIpAddress.IpAddress) != 1 || got.InternetMaxBandwidthOut != 5 || got.InternetChargeType != "PayByBandwidth" {
		t.Fatalf("after ModifyInstanceNetworkSpec: %+v %d %s", got.PublicIpAddress, got.InternetMaxBandwidthOut, got.InternetChargeType)
	}
	z := classicecs.CreateModifyInstanceNetworkSpecRequest()
	z.InstanceId, z.InternetMaxBandwidthOut = id, requests.NewInteger(0)
	_, err = e.classic.ModifyInstanceNetworkSpec(z)
	sdktest.WantFail(t, err, 400, "InvalidParameter.Bandwidth")
	z.InternetMaxBandwidthOut = requests.NewInteger(101)
	_, err = e.classic.ModifyInstanceNetworkSpec(z)
	sdktest.WantFail(t, err, 400, "InvalidParameter")
}

package ecs_test

import (
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

const (
	region = sdktest.Region
	image  = "aliyun_3_x64_20G_alibase_20240528.vhd"
	itype  = "ecs.g7.large"
)

// env is a server with the "NET" setup of spec/semantics.md §7: a VPC, a
// vSwitch and a security group, and both SDK generations pointed at it.
type env struct {
	s          *ecslocaltest.Server
	classic    *classicecs.Client
	v7         *ecs.Client
	vpc        *classicvpc.Client
	vpcID      string
	routeTable string
	vsw        string
	zone       string
	sg         string
}

func newEnv(t *testing.T, opts ecslocaltest.Options) *env {
	t.Helper()
	s := ecslocaltest.New(t, opts)
	e := &env{s: s, classic: sdktest.ClassicECS(t, s), v7: sdktest.ECS(t, s, ""), vpc: sdktest.ClassicVPC(t, s)}
	cv := classicvpc.CreateCreateVpcRequest()
	cv.CidrBlock = "192.168.0.0/16"
	vr, err := e.vpc.CreateVpc(cv)
	sdktest.OK(t, err)
	e.vpcID, e.routeTable = vr.VpcId, vr.RouteTableId
	s.Clock.Advance(5 * time.Second) // VPC Pending → Available under either profile
	zones, err := e.classic.DescribeZones(classicecs.CreateDescribeZonesRequest())
	sdktest.OK(t, err)
	for _, z := range zones.Zones.Zone {
		for _, ty := range z.AvailableInstanceTypes.InstanceTypes {
			if ty == itype && e.zone == "" {
				e.zone = z.ZoneId
			}
		}
	}
	cs := classicvpc.CreateCreateVSwitchRequest()
	cs.VpcId, cs.ZoneId, cs.CidrBlock = e.vpcID, e.zone, "192.168.1.0/24"
	sr, err := e.vpc.CreateVSwitch(cs)
	sdktest.OK(t, err)
	e.vsw = sr.VSwitchId
	s.Clock.Advance(5 * time.Second)
	cg := classicecs.CreateCreateSecurityGroupRequest()
	cg.VpcId = e.vpcID
	gr, err := e.classic.CreateSecurityGroup(cg)
	sdktest.OK(t, err)
	e.sg = gr.SecurityGroupId
	return e
}

// runReq is a RunInstances request of one PostPaid instance in the NET setup.
func (e *env) runReq() *classicecs.RunInstancesRequest {
	r := classicecs.CreateRunInstancesRequest()
	r.ImageId, r.InstanceType, r.VSwitchId, r.SecurityGroupId = image, itype, e.vsw, e.sg
	return r
}

// run launches instances and waits, on the emulated clock, until they run.
func (e *env) run(t *testing.T, mod func(*classicecs.RunInstancesRequest)) []string {
	t.Helper()
	r := e.runReq()
	if mod != nil {
		mod(r)
	}
	resp, err := e.classic.RunInstances(r)
	sdktest.OK(t, err)
	e.s.Clock.Advance(10 * time.Second)
	return resp.InstanceIdSets.InstanceIdSet
}

// run1 launches one Running instance.
func (e *env) run1(t *testing.T, mod func(*classicecs.RunInstancesRequest)) string {
	t.Helper()
	return e.run(t, mod)[0]
}

// status is the instance's status as DescribeInstances shows it, "" when absent.
func (e *env) status(t *testing.T, id string) string {
	t.Helper()
	r := classicecs.CreateDescribeInstancesRequest()
	r.InstanceIds = `["` + id + `"]`
	resp, err := e.classic.DescribeInstances(r)
	sdktest.OK(t, err)
	if resp.TotalCount == 0 {
		return ""
	}
	return resp.Instances.Instance[0].Status
}

func (e *env) wantStatus(t *testing.T, id, want string) {
	t.Helper()
	if got := e.status(t, id); got != want {
		t.Fatalf("instance %s is %q, want %q", id, got, want)
	}
}

// stop stops an instance and waits until it is Stopped.
func (e *env) stop(t *testing.T, id string) {
	t.Helper()
	r := classicecs.CreateStopInstanceRequest()
	r.InstanceId = id
	_, err := e.classic.StopInstance(r)
	sdktest.OK(t, err)
	e.s.Clock.Advance(10 * time.Second)
	e.wantStatus(t, id, "Stopped")
}

// del are the release options every SDK case maps onto its own request.
type del struct {
	Force, Terminate, DryRun bool
	ForceStop                *bool
	Token                    string
	Region                   string
}

// deleter releases through one SDK generation, batch and single.
type deleter struct {
	name   string
	batch  func(e *env, ids []string, o del) error
	single func(e *env, id string, o del) error
}

var deleters = []deleter{
	{
		name: "classic",
		batch: func(e *env, ids []string, o del) error {
			r := classicecs.CreateDeleteInstancesRequest()
			r.InstanceId = &ids
			r.Force = requests.NewBoolean(o.Force)
			if o.Terminate {
				r.TerminateSubscription = requests.NewBoolean(true)
			}
			if o.DryRun {
				r.DryRun = requests.NewBoolean(true)
			}
			if o.ForceStop != nil {
				r.QueryParams["ForceStop"] = string(requests.NewBoolean(*o.ForceStop))
			}
			r.ClientToken = o.Token
			if o.Region != "" {
				r.RegionId = o.Region
			}
			_, err := e.classic.DeleteInstances(r)
			return err
		},
		single: func(e *env, id string, o del) error {
			r := classicecs.CreateDeleteInstanceRequest()
			r.InstanceId = id
			r.Force = requests.NewBoolean(o.Force)
			if o.Terminate {
				r.TerminateSubscription = requests.NewBoolean(true)
			}
			if o.DryRun {
				r.DryRun = requests.NewBoolean(true)
			}
			_, err := e.classic.DeleteInstance(r)
			return err
		},
	},
	{
		name: "v7",
		batch: func(e *env, ids []string, o del) error {
			reg := region
			if o.Region != "" {
				reg = o.Region
			}
			r := &ecs.DeleteInstancesRequest{RegionId: dara.String(reg), InstanceId: dara.StringSlice(ids), Force: dara.Bool(o.Force), ForceStop: o.ForceStop}
			if o.Terminate {
				r.TerminateSubscription = dara.Bool(true)
			}
			if o.DryRun {
				r.DryRun = dara.Bool(true)
			}
			if o.Token != "" {
				r.ClientToken = dara.String(o.Token)
			}
			_, err := e.v7.DeleteInstances(r)
			return err
		},
		single: func(e *env, id string, o del) error {
			r := &ecs.DeleteInstanceRequest{InstanceId: dara.String(id), Force: dara.Bool(o.Force), ForceStop: o.ForceStop}
			if o.Terminate {
				r.TerminateSubscription = dara.Bool(true)
			}
			if o.DryRun {
				r.DryRun = dara.Bool(true)
			}
			_, err := e.v7.DeleteInstance(r)
			return err
		},
	},
}

// forEachSDK runs a scenario once per SDK generation on a fresh server.
func forEachSDK(t *testing.T, opts ecslocaltest.Options, fn func(t *testing.T, e *env, d deleter)) {
	for _, d := range deleters {
		t.Run(d.name, func(t *testing.T) {
			t.Parallel()
			fn(t, newEnv(t, opts), d)
		})
	}
}

func realistic() ecslocaltest.Options { return ecslocaltest.Options{Profile: "realistic"} }

func v7Delete(region *string, ids []string) *ecs.DeleteInstancesRequest {
	return &ecs.DeleteInstancesRequest{RegionId: region, InstanceId: dara.StringSlice(ids)}
}

// otherRegionInstance launches a Running instance in cn-shanghai.
func otherRegionInstance(t *testing.T, e *env) string {
	t.Helper()
	cv := classicvpc.CreateCreateVpcRequest()
	cv.RegionId, cv.CidrBlock = "cn-shanghai", "10.0.0.0/8"
	vr, err := e.vpc.CreateVpc(cv)
	sdktest.OK(t, err)
	e.s.Clock.Advance(5 * time.Second)
	zr := classicecs.CreateDescribeZonesRequest()
	zr.RegionId = "cn-shanghai"
	zones, err := e.classic.DescribeZones(zr)
	sdktest.OK(t, err)
	zone := ""
	for _, z := range zones.Zones.Zone {
		for _, ty := range z.AvailableInstanceTypes.InstanceTypes {
			if ty == itype && zone == "" {
				zone = z.ZoneId
			}
		}
	}
	cs := classicvpc.CreateCreateVSwitchRequest()
	cs.RegionId, cs.VpcId, cs.ZoneId, cs.CidrBlock = "cn-shanghai", vr.VpcId, zone, "10.1.0.0/24"
	sr, err := e.vpc.CreateVSwitch(cs)
	sdktest.OK(t, err)
	e.s.Clock.Advance(5 * time.Second)
	cg := classicecs.CreateCreateSecurityGroupRequest()
	cg.RegionId, cg.VpcId = "cn-shanghai", vr.VpcId
	gr, err := e.classic.CreateSecurityGroup(cg)
	sdktest.OK(t, err)
	r := e.runReq()
	r.RegionId, r.VSwitchId, r.SecurityGroupId = "cn-shanghai", sr.VSwitchId, gr.SecurityGroupId
	resp, err := e.classic.RunInstances(r)
	sdktest.OK(t, err)
	e.s.Clock.Advance(10 * time.Second)
	return resp.InstanceIdSets.InstanceIdSet[0]
}

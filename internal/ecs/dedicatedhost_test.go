package ecs_test

import (
	"net/http"
	"testing"
	"time"

	ecs "github.com/alibabacloud-go/ecs-20140526/v7/client"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	classicecs "github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"

	"github.com/ecslocal/ecslocal/internal/sdktest"
)

// host answers one dedicated host as DescribeDedicatedHosts shows it, nil when absent.
func (e *env) host(t *testing.T, id string) *ecs.DescribeDedicatedHostsResponseBodyDedicatedHostsDedicatedHost {
	t.Helper()
	resp, err := e.v7.DescribeDedicatedHosts(&ecs.DescribeDedicatedHostsRequest{RegionId: dara.String(region),
		DedicatedHostIds: dara.String(`["` + id + `"]`)})
	sdktest.OK(t, err)
	if len(resp.Body.DedicatedHosts.DedicatedHost) == 0 {
		return nil
	}
	return resp.Body.DedicatedHosts.DedicatedHost[0]
}

// allocateHost allocates one pay-as-you-go host of type in the env's zone.
func (e *env) allocateHost(t *testing.T, hostType, cluster string) string {
	t.Helper()
	req := &ecs.AllocateDedicatedHostsRequest{RegionId: dara.String(region), ZoneId: dara.String(e.zone),
		DedicatedHostType: dara.String(hostType)}
	if cluster != "" {
		req.DedicatedHostClusterId = dara.String(cluster)
	}
	resp, err := e.v7.AllocateDedicatedHosts(req)
	sdktest.OK(t, err)
	return dara.StringValue(resp.Body.DedicatedHostIdSets.DedicatedHostId[0])
}

func TestDedicatedHosts_PlacementCapacityRelease(t *testing.T) {
	e := newEnv(t, realistic())
	types, err := e.v7.DescribeDedicatedHostTypes(&ecs.DescribeDedicatedHostTypesRequest{RegionId: dara.String(region),
		SupportedInstanceTypeFamily: dara.String("ecs.g7")})
	sdktest.OK(t, err)
	if l := types.Body.DedicatedHostTypes.DedicatedHostType; len(l) != 1 || dara.StringValue(l[0].DedicatedHostType) != "ddh.g7" ||
		dara.Int32Value(l[0].TotalVcpus) != 128 {
		t.Fatalf("host types for ecs.g7: %+v", l)
	}

	_, err = e.v7.CreateDedicatedHostCluster(&ecs.CreateDedicatedHostClusterRequest{RegionId: dara.String(region),
		ZoneId: dara.String(e.zone), DryRun: dara.Bool(true)})
	sdktest.WantFail(t, err, http.StatusBadRequest, "DryRunOperation")
	cc, err := e.v7.CreateDedicatedHostCluster(&ecs.CreateDedicatedHostClusterRequest{RegionId: dara.String(region),
		ZoneId: dara.String(e.zone), DedicatedHostClusterName: dara.String("cluster")})
	sdktest.OK(t, err)
	cluster := dara.StringValue(cc.Body.DedicatedHostClusterId)

	_, err = e.v7.AllocateDedicatedHosts(&ecs.AllocateDedicatedHostsRequest{RegionId: dara.String(region),
		DedicatedHostType: dara.String("ddh.nope")})
	sdktest.WantFail(t, err, http.StatusNotFound, "InvalidDedicatedHostType.NotFound")
	ar := classicecs.CreateAllocateDedicatedHostsRequest()
	ar.DedicatedHostType, ar.ZoneId, ar.DedicatedHostClusterId, ar.ClientToken = "ddh.g7", e.zone, cluster, "dh-tok"
	ar.DedicatedHostName = "host"
	ar.Tag = &[]classicecs.AllocateDedicatedHostsTag{{Key: "team", Value: "db"}}
	first, err := e.classic.AllocateDedicatedHosts(ar)
	sdktest.OK(t, err)
	again, err := e.classic.AllocateDedicatedHosts(ar)
	sdktest.OK(t, err)
	dh := first.DedicatedHostIdSets.DedicatedHostId[0]
	if again.DedicatedHostIdSets.DedicatedHostId[0] != dh {
		t.Fatalf("ClientToken: %s then %v", dh, again.DedicatedHostIdSets.DedicatedHostId)
	}
	byTag := classicecs.CreateDescribeDedicatedHostsRequest()
	byTag.Tag = &[]classicecs.DescribeDedicatedHostsTag{{Key: "team", Value: "db"}}
	byTag.DedicatedHostClusterId = cluster
	tagged, err := e.classic.DescribeDedicatedHosts(byTag)
	sdktest.OK(t, err)
	if tagged.TotalCount != 1 || tagged.DedicatedHosts.DedicatedHost[0].DedicatedHostId != dh ||
		tagged.DedicatedHosts.DedicatedHost[0].Capacity.AvailableVcpus != 128 {
		t.Fatalf("by tag and cluster: %+v", tagged.DedicatedHosts)
	}

	// The tag actions know hosts as "ddh".
	_, err = e.v7.TagResources(&ecs.TagResourcesRequest{RegionId: dara.String(region), ResourceType: dara.String("ddh"),
		ResourceId: []*string{dara.String(dh)}, Tag: []*ecs.TagResourcesRequestTag{{Key: dara.String("tier"), Value: dara.String("1")}}})
	sdktest.OK(t, err)
	listed, err := e.v7.ListTagResources(&ecs.ListTagResourcesRequest{RegionId: dara.String(region), ResourceType: dara.String("ddh"),
		ResourceId: []*string{dara.String(dh)}})
	sdktest.OK(t, err)
	if n := len(listed.Body.TagResources.TagResource); n != 2 {
		t.Fatalf("ListTagResources ddh: %d tags", n)
	}

	// Two g7.large take 4 vCPUs and 16 GiB; DescribeInstances names the host.
	ids := e.run(t, func(r *classicecs.RunInstancesRequest) { r.DedicatedHostId, r.Amount = dh, requests.NewInteger(2) })
	h := e.host(t, dh)
	if dara.Int32Value(h.Capacity.AvailableVcpus) != 124 || dara.Float32Value(h.Capacity.AvailableMemory) != 496 ||
		len(h.Instances.Instance) != 2 {
		t.Fatalf("capacity after two instances: %+v, %d instances", h.Capacity, len(h.Instances.Instance))
	}
	di := classicecs.CreateDescribeInstancesRequest()
	di.InstanceIds = `["` + ids[0] + `"]`
	insts, err := e.classic.DescribeInstances(di)
	sdktest.OK(t, err)
	if a := insts.Instances.Instance[0].DedicatedHostAttribute; a.DedicatedHostId != dh || a.DedicatedHostName != "host" ||
		a.DedicatedHostClusterId != cluster {
		t.Fatalf("DedicatedHostAttribute %+v", a)
	}

	// Another family, a full host, a missing host: refused, nothing made.
	r := e.runReq()
	r.DedicatedHostId, r.InstanceType = dh, "ecs.c7.large"
	_, err = e.classic.RunInstances(r)
	sdktest.WantFail(t, err, http.StatusBadRequest, "DedicatedHostType.Unmatched")
	r = e.runReq()
	r.DedicatedHostId, r.InstanceType = dh, "ecs.g7.32xlarge"
	_, err = e.classic.RunInstances(r)
	sdktest.WantFail(t, err, http.StatusBadRequest, "NoAvaliableDedicatedHost")
	r.DryRun = requests.NewBoolean(true) // a dry run sees the full host too
	_, err = e.classic.RunInstances(r)
	sdktest.WantFail(t, err, http.StatusBadRequest, "NoAvaliableDedicatedHost")
	r = e.runReq()
	r.DedicatedHostId, r.Amount = dh, requests.NewInteger(2)
	r.DryRun = requests.NewBoolean(true)
	_, err = e.classic.RunInstances(r)
	sdktest.WantFail(t, err, http.StatusBadRequest, "DryRunOperation")
	r = e.runReq()
	r.DedicatedHostId = "dh-missing"
	_, err = e.classic.RunInstances(r)
	sdktest.WantFail(t, err, http.StatusBadRequest, "InvalidDedicatedHostId.NotFound")
	if n := len(e.host(t, dh).Instances.Instance); n != 2 {
		t.Fatalf("instances after refused launches: %d", n)
	}

	// Refused while it holds instances (and its cluster while it holds the host).
	_, err = e.v7.ReleaseDedicatedHost(&ecs.ReleaseDedicatedHostRequest{RegionId: dara.String(region), DedicatedHostId: dara.String(dh)})
	sdktest.WantFail(t, err, http.StatusForbidden, "InstanceExist")
	_, err = e.v7.DeleteDedicatedHostCluster(&ecs.DeleteDedicatedHostClusterRequest{RegionId: dara.String(region),
		DedicatedHostClusterId: dara.String(cluster)})
	sdktest.WantFail(t, err, http.StatusForbidden, "OperationDenied.DedicatedHostClusterNotEmpty")
	clusters, err := e.v7.DescribeDedicatedHostClusters(&ecs.DescribeDedicatedHostClustersRequest{RegionId: dara.String(region),
		DedicatedHostClusterIds: dara.String(`["` + cluster + `"]`)})
	sdktest.OK(t, err)
	if c := clusters.Body.DedicatedHostClusters.DedicatedHostCluster; len(c) != 1 || len(c[0].DedicatedHostIds.DedicatedHostId) != 1 ||
		dara.Int32Value(c[0].DedicatedHostClusterCapacity.AvailableVcpus) != 124 {
		t.Fatalf("cluster: %+v", c)
	}

	// Releasing the instances gives the capacity back.
	del := classicecs.CreateDeleteInstancesRequest()
	del.InstanceId, del.Force = &ids, "true"
	_, err = e.classic.DeleteInstances(del)
	sdktest.OK(t, err)
	e.s.Clock.Advance(30 * time.Second)
	if h := e.host(t, dh); dara.Int32Value(h.Capacity.AvailableVcpus) != 128 || len(h.Instances.Instance) != 0 {
		t.Fatalf("after release: %+v", h.Capacity)
	}

	_, err = e.v7.ModifyDedicatedHostAttribute(&ecs.ModifyDedicatedHostAttributeRequest{RegionId: dara.String(region),
		DedicatedHostId: dara.String(dh), DedicatedHostName: dara.String("renamed"), AutoPlacement: dara.String("off"),
		DedicatedHostClusterId: dara.String("")})
	sdktest.OK(t, err)
	if h := e.host(t, dh); dara.StringValue(h.DedicatedHostName) != "renamed" || dara.StringValue(h.AutoPlacement) != "off" ||
		dara.StringValue(h.DedicatedHostClusterId) != "" {
		t.Fatalf("after modify: %+v", h)
	}
	_, err = e.v7.ModifyDedicatedHostClusterAttribute(&ecs.ModifyDedicatedHostClusterAttributeRequest{RegionId: dara.String(region),
		DedicatedHostClusterId: dara.String(cluster), Description: dara.String("d")})
	sdktest.OK(t, err)
	_, err = e.v7.DeleteDedicatedHostCluster(&ecs.DeleteDedicatedHostClusterRequest{RegionId: dara.String(region),
		DedicatedHostClusterId: dara.String(cluster)})
	sdktest.OK(t, err)
	_, err = e.v7.RedeployDedicatedHost(&ecs.RedeployDedicatedHostRequest{RegionId: dara.String(region), DedicatedHostId: dara.String(dh)})
	sdktest.WantFail(t, err, http.StatusForbidden, "IncorrectHostStatus")

	// An auto release time releases the empty host when it falls due.
	at := e.s.Clock.Now().Add(2 * time.Hour).Truncate(time.Minute).UTC().Format("2006-01-02T15:04:05Z")
	_, err = e.v7.ModifyDedicatedHostAutoReleaseTime(&ecs.ModifyDedicatedHostAutoReleaseTimeRequest{RegionId: dara.String(region),
		DedicatedHostId: dara.String(dh), AutoReleaseTime: dara.String(at)})
	sdktest.OK(t, err)
	if got := dara.StringValue(e.host(t, dh).AutoReleaseTime); got != at {
		t.Fatalf("AutoReleaseTime %q, want %q", got, at)
	}
	e.s.Clock.Advance(3 * time.Hour)
	if h := e.host(t, dh); h != nil {
		t.Fatalf("host outlived its auto release time: %+v", h)
	}
	_, err = e.v7.ReleaseDedicatedHost(&ecs.ReleaseDedicatedHostRequest{RegionId: dara.String(region), DedicatedHostId: dara.String(dh)})
	sdktest.WantFail(t, err, http.StatusNotFound, "InvalidDedicatedHostId.NotFound")
}

func TestDedicatedHosts_Subscription(t *testing.T) {
	e := newEnv(t, realistic())
	resp, err := e.v7.AllocateDedicatedHosts(&ecs.AllocateDedicatedHostsRequest{RegionId: dara.String(region), ZoneId: dara.String(e.zone),
		DedicatedHostType: dara.String("ddh.r7"), ChargeType: dara.String("PrePaid"), Period: dara.Int32(1), PeriodUnit: dara.String("Month")})
	sdktest.OK(t, err)
	dh := dara.StringValue(resp.Body.DedicatedHostIdSets.DedicatedHostId[0])
	expires := dara.StringValue(e.host(t, dh).ExpiredTime)
	_, err = e.v7.ReleaseDedicatedHost(&ecs.ReleaseDedicatedHostRequest{RegionId: dara.String(region), DedicatedHostId: dara.String(dh)})
	sdktest.WantFail(t, err, http.StatusBadRequest, "ChargeTypeViolation")

	// A pay-as-you-go instance may run on a subscription host; not the other way round.
	post := e.allocateHost(t, "ddh.g7", "")
	r := e.runReq()
	r.DedicatedHostId, r.InstanceChargeType, r.Period, r.PeriodUnit = post, "PrePaid", requests.NewInteger(1), "Month"
	_, err = e.classic.RunInstances(r)
	sdktest.WantFail(t, err, http.StatusBadRequest, "ChargeTypeViolation.PostPaidDedicatedHost")

	_, err = e.v7.ModifyDedicatedHostAutoRenewAttribute(&ecs.ModifyDedicatedHostAutoRenewAttributeRequest{RegionId: dara.String(region),
		DedicatedHostIds: dara.String(dh), AutoRenew: dara.Bool(true), Duration: dara.Int32(2), PeriodUnit: dara.String("Month")})
	sdktest.OK(t, err)
	_, err = e.v7.ModifyDedicatedHostAutoRenewAttribute(&ecs.ModifyDedicatedHostAutoRenewAttributeRequest{RegionId: dara.String(region),
		DedicatedHostIds: dara.String(post), AutoRenew: dara.Bool(true), Duration: dara.Int32(2)})
	sdktest.WantFail(t, err, http.StatusBadRequest, "ChargeTypeViolation")
	renew, err := e.v7.DescribeDedicatedHostAutoRenew(&ecs.DescribeDedicatedHostAutoRenewRequest{RegionId: dara.String(region),
		DedicatedHostIds: dara.String(dh)})
	sdktest.OK(t, err)
	if a := renew.Body.DedicatedHostRenewAttributes.DedicatedHostRenewAttribute; len(a) != 1 || !dara.BoolValue(a[0].AutoRenewEnabled) ||
		dara.Int32Value(a[0].Duration) != 2 || dara.StringValue(a[0].RenewalStatus) != "AutoRenewal" {
		t.Fatalf("renewal: %+v", a)
	}

	_, err = e.v7.RenewDedicatedHosts(&ecs.RenewDedicatedHostsRequest{RegionId: dara.String(region), DedicatedHostIds: dara.String(dh),
		Period: dara.Int32(1), PeriodUnit: dara.String("Month"), ClientToken: dara.String("renew-1")})
	sdktest.OK(t, err)
	_, err = e.v7.RenewDedicatedHosts(&ecs.RenewDedicatedHostsRequest{RegionId: dara.String(region), DedicatedHostIds: dara.String(dh),
		Period: dara.Int32(1), PeriodUnit: dara.String("Month"), ClientToken: dara.String("renew-1")})
	sdktest.OK(t, err) // the same token renews once
	after := dara.StringValue(e.host(t, dh).ExpiredTime)
	t0, _ := time.Parse("2006-01-02T15:04:05Z", expires)
	t1, _ := time.Parse("2006-01-02T15:04:05Z", after)
	if d := t1.Sub(t0); d < 28*24*time.Hour || d > 31*24*time.Hour {
		t.Fatalf("renewal moved the expiry from %s to %s", expires, after)
	}

	_, err = e.v7.ModifyDedicatedHostsChargeType(&ecs.ModifyDedicatedHostsChargeTypeRequest{RegionId: dara.String(region),
		DedicatedHostIds: dara.String(`["` + dh + `"]`), DedicatedHostChargeType: dara.String("PostPaid"), DryRun: dara.Bool(true)})
	sdktest.WantFail(t, err, http.StatusBadRequest, "DryRunOperation")
	_, err = e.v7.ModifyDedicatedHostsChargeType(&ecs.ModifyDedicatedHostsChargeTypeRequest{RegionId: dara.String(region),
		DedicatedHostIds: dara.String(`["` + dh + `"]`), DedicatedHostChargeType: dara.String("PostPaid")})
	sdktest.OK(t, err)
	if h := e.host(t, dh); dara.StringValue(h.ChargeType) != "PostPaid" {
		t.Fatalf("charge type %s", dara.StringValue(h.ChargeType))
	}
	_, err = e.v7.ReleaseDedicatedHost(&ecs.ReleaseDedicatedHostRequest{RegionId: dara.String(region), DedicatedHostId: dara.String(dh)})
	sdktest.OK(t, err)
	_, err = e.v7.DescribeDedicatedHostAutoRenew(&ecs.DescribeDedicatedHostAutoRenewRequest{RegionId: dara.String(region),
		DedicatedHostIds: dara.String(dh)})
	sdktest.WantFail(t, err, http.StatusNotFound, "InvalidDedicatedHostId.NotFound")
}

// hostWorld adds, for the import world, a dedicated host cluster and a host
// in it with one instance on it.
func (e *env) hostWorld(t *testing.T) {
	t.Helper()
	cc, err := e.v7.CreateDedicatedHostCluster(&ecs.CreateDedicatedHostClusterRequest{RegionId: dara.String(region),
		ZoneId: dara.String(e.zone), Tag: []*ecs.CreateDedicatedHostClusterRequestTag{{Key: dara.String("k"), Value: dara.String("v")}}})
	sdktest.OK(t, err)
	dh := e.allocateHost(t, "ddh.g7", dara.StringValue(cc.Body.DedicatedHostClusterId))
	e.run1(t, func(r *classicecs.RunInstancesRequest) { r.DedicatedHostId = dh })
}

// TestJoinResourceGroup_DedicatedHosts: JoinResourceGroup moves a dedicated
// host (ddh) and a cluster (ddhcluster); their Describe actions answer the
// new group and find them by it.
func TestJoinResourceGroup_DedicatedHosts(t *testing.T) {
	e := newEnv(t, realistic())
	const rg = "rg-aek2moved00002"
	cc, err := e.v7.CreateDedicatedHostCluster(&ecs.CreateDedicatedHostClusterRequest{RegionId: dara.String(region),
		ZoneId: dara.String(e.zone), DedicatedHostClusterName: dara.String("cluster")})
	sdktest.OK(t, err)
	cluster := dara.StringValue(cc.Body.DedicatedHostClusterId)
	host := e.allocateHost(t, "ddh.g7", cluster)
	sdktest.OK(t, e.joinGroup("ddh", host, rg))
	sdktest.OK(t, e.joinGroup("ddhcluster", cluster, rg))
	hosts, err := e.v7.DescribeDedicatedHosts(&ecs.DescribeDedicatedHostsRequest{RegionId: dara.String(region), ResourceGroupId: dara.String(rg)})
	sdktest.OK(t, err)
	if l := hosts.Body.DedicatedHosts.DedicatedHost; len(l) != 1 || dara.StringValue(l[0].DedicatedHostId) != host || dara.StringValue(l[0].ResourceGroupId) != rg {
		t.Fatalf("hosts of %s: %+v", rg, l)
	}
	clusters, err := e.v7.DescribeDedicatedHostClusters(&ecs.DescribeDedicatedHostClustersRequest{RegionId: dara.String(region), ResourceGroupId: dara.String(rg)})
	sdktest.OK(t, err)
	if l := clusters.Body.DedicatedHostClusters.DedicatedHostCluster; len(l) != 1 || dara.StringValue(l[0].DedicatedHostClusterId) != cluster || dara.StringValue(l[0].ResourceGroupId) != rg {
		t.Fatalf("clusters of %s: %+v", rg, l)
	}
	sdktest.WantFail(t, e.joinGroup("ddh", "dh-nope", rg), http.StatusNotFound, "InvalidResourceId.NotFound")
}

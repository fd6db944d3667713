package ecs_test

import (
	"net/http"
	"testing"
	"time"

	ecs "github.com/alibabacloud-go/ecs-20140526/v7/client"
	"github.com/alibabacloud-go/tea/dara"
	classicecs "github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"

	"github.com/ecslocal/ecslocal/ecslocaltest"
	"github.com/ecslocal/ecslocal/internal/sdktest"
)

// v7Snap reads one snapshot; nil when not listed.
func (e *env) v7Snap(t *testing.T, rg, id string) *ecs.DescribeSnapshotsResponseBodySnapshotsSnapshot {
	t.Helper()
	resp, err := e.v7.DescribeSnapshots(&ecs.DescribeSnapshotsRequest{RegionId: dara.String(rg), SnapshotIds: dara.String(`["` + id + `"]`)})
	sdktest.OK(t, err)
	if len(resp.Body.Snapshots.Snapshot) == 0 {
		return nil
	}
	return resp.Body.Snapshots.Snapshot[0]
}

func TestSnapshotLock_DeleteAndRelease(t *testing.T) {
	e := newEnv(t, ecslocaltest.Options{})
	id := e.run1(t, nil)
	sys := e.v7SystemDisk(t, id)
	_, err := e.v7.ModifyDiskAttribute(&ecs.ModifyDiskAttributeRequest{DiskId: dara.String(sys), DeleteAutoSnapshot: dara.Bool(true)})
	sdktest.OK(t, err)
	snap := e.v7Snapshot(t, sys)
	rg := dara.String(region)
	lock := func(cool, days int32) (*ecs.LockSnapshotResponse, error) {
		return e.v7.LockSnapshot(&ecs.LockSnapshotRequest{RegionId: rg, SnapshotId: dara.String(snap), LockMode: dara.String("compliance"),
			CoolOffPeriod: dara.Int32(cool), LockDuration: dara.Int32(days)})
	}
	_, err = e.v7.LockSnapshot(&ecs.LockSnapshotRequest{RegionId: rg, SnapshotId: dara.String(snap), LockMode: dara.String("governance"),
		CoolOffPeriod: dara.Int32(1), LockDuration: dara.Int32(1)})
	sdktest.WantFail(t, err, http.StatusBadRequest, "InvalidParameter")
	_, err = e.v7.LockSnapshot(&ecs.LockSnapshotRequest{RegionId: rg, SnapshotId: dara.String(snap), LockMode: dara.String("compliance"),
		LockDuration: dara.Int32(1)})
	sdktest.WantFail(t, err, http.StatusBadRequest, "MissingParameter")
	_, err = e.v7.LockSnapshot(&ecs.LockSnapshotRequest{RegionId: rg, SnapshotId: dara.String(snap), LockMode: dara.String("compliance"),
		CoolOffPeriod: dara.Int32(1), LockDuration: dara.Int32(2), DryRun: dara.Bool(true)})
	sdktest.WantFail(t, err, http.StatusBadRequest, "DryRunOperation")
	locked, err := lock(1, 2)
	sdktest.OK(t, err)
	if info := locked.Body.LockedSnapshotInfo; dara.StringValue(info.LockStatus) != "compliance-cooloff" || dara.Int32Value(info.LockDuration) != 2 {
		t.Fatalf("lock: %v", locked.Body)
	}
	// In the cool-off it can be unlocked; lock it again and let the cool-off pass.
	_, err = e.v7.UnlockSnapshot(&ecs.UnlockSnapshotRequest{RegionId: rg, SnapshotId: dara.String(snap)})
	sdktest.OK(t, err)
	_, err = e.v7.UnlockSnapshot(&ecs.UnlockSnapshotRequest{RegionId: rg, SnapshotId: dara.String(snap)})
	sdktest.WantFail(t, err, http.StatusForbidden, "OperationDenied.SnapshotNotLocked")
	_, err = lock(1, 2)
	sdktest.OK(t, err)
	e.s.Clock.Advance(2 * time.Hour)
	_, err = e.v7.UnlockSnapshot(&ecs.UnlockSnapshotRequest{RegionId: rg, SnapshotId: dara.String(snap)})
	sdktest.WantFail(t, err, http.StatusForbidden, "OperationDenied.CoolOffPeriodExpired")
	_, err = lock(0, 1)
	sdktest.WantFail(t, err, http.StatusBadRequest, "InvalidParameter.LockDuration")
	ls, err := e.v7.DescribeLockedSnapshots(&ecs.DescribeLockedSnapshotsRequest{RegionId: rg, LockStatus: dara.String("compliance")})
	sdktest.OK(t, err)
	if l := ls.Body.LockedSnapshotsInfo; len(l) != 1 || dara.StringValue(l[0].SnapshotId) != snap {
		t.Fatalf("locked: %v", ls.Body)
	}

	// Locked: no delete, Force or not; a release with DeleteAutoSnapshot leaves it.
	del := classicecs.CreateDeleteSnapshotRequest()
	del.SnapshotId, del.Force = snap, "true"
	_, err = e.classic.DeleteSnapshot(del)
	sdktest.WantFail(t, err, http.StatusForbidden, "OperationDenied.SnapshotLocked")
	dl := classicecs.CreateDeleteInstancesRequest()
	dl.InstanceId, dl.Force = &[]string{id}, "true"
	_, err = e.classic.DeleteInstances(dl)
	sdktest.OK(t, err)
	e.s.Clock.Advance(time.Minute)
	e.wantStatus(t, id, "")
	if e.v7Snap(t, region, snap) == nil {
		t.Fatal("the locked snapshot went with the instance")
	}
	// The lock expires after its two days; then it deletes.
	e.s.Clock.Advance(48 * time.Hour)
	ls, err = e.v7.DescribeLockedSnapshots(&ecs.DescribeLockedSnapshotsRequest{RegionId: rg})
	sdktest.OK(t, err)
	if len(ls.Body.LockedSnapshotsInfo) != 0 {
		t.Fatalf("still locked: %v", ls.Body)
	}
	_, err = e.classic.DeleteSnapshot(del)
	sdktest.OK(t, err)
}

func TestCopyAndModifySnapshot(t *testing.T) {
	e := newEnv(t, realistic())
	id := e.run1(t, nil)
	sys := e.v7SystemDisk(t, id)
	snap := e.v7Snapshot(t, sys)
	rg := dara.String(region)
	copyReq := func() *ecs.CopySnapshotRequest {
		return &ecs.CopySnapshotRequest{RegionId: rg, SnapshotId: dara.String(snap), DestinationRegionId: dara.String("cn-beijing"),
			DestinationSnapshotName: dara.String("copied"), DestinationSnapshotDescription: dara.String("d"), ClientToken: dara.String("cp-1")}
	}
	cp, err := e.v7.CopySnapshot(copyReq())
	sdktest.OK(t, err)
	again, err := e.v7.CopySnapshot(copyReq())
	sdktest.OK(t, err)
	copied := dara.StringValue(cp.Body.SnapshotId)
	if dara.StringValue(again.Body.SnapshotId) != copied {
		t.Fatal("ClientToken not honoured")
	}
	if s := e.v7Snap(t, "cn-beijing", copied); s == nil || dara.StringValue(s.Status) != "progressing" || dara.StringValue(s.SourceDiskId) != sys {
		t.Fatalf("copy: %v", s)
	}
	e.s.Clock.Advance(time.Minute)
	if s := e.v7Snap(t, "cn-beijing", copied); dara.StringValue(s.Status) != "accomplished" {
		t.Fatalf("copy after the delay: %v", s)
	}
	bad := copyReq()
	bad.ClientToken, bad.DestinationRegionId = nil, dara.String("xx-none")
	_, err = e.v7.CopySnapshot(bad)
	sdktest.WantFail(t, err, http.StatusNotFound, "InvalidRegionId.NotFound")
	bad = copyReq()
	bad.ClientToken, bad.DestinationSnapshotName = nil, nil
	_, err = e.v7.CopySnapshot(bad)
	sdktest.WantFail(t, err, http.StatusBadRequest, "MissingParameter")

	_, err = e.v7.ModifySnapshotAttribute(&ecs.ModifySnapshotAttributeRequest{SnapshotId: dara.String(snap), SnapshotName: dara.String("auto-x")})
	sdktest.WantFail(t, err, http.StatusBadRequest, "InvalidSnapshotName.Malformed")
	_, err = e.v7.ModifySnapshotAttribute(&ecs.ModifySnapshotAttributeRequest{SnapshotId: dara.String(snap), SnapshotName: dara.String("kept"),
		Description: dara.String("desc"), RetentionDays: dara.Int32(30)})
	sdktest.OK(t, err)
	if s := e.v7Snap(t, region, snap); dara.StringValue(s.SnapshotName) != "kept" || dara.StringValue(s.Description) != "desc" ||
		dara.Int32Value(s.RetentionDays) != 30 {
		t.Fatalf("modified: %v", s)
	}
	_, err = e.v7.ModifySnapshotCategory(&ecs.ModifySnapshotCategoryRequest{SnapshotId: dara.String(snap), Category: dara.String("Archive")})
	sdktest.OK(t, err)
	if s := e.v7Snap(t, region, snap); dara.StringValue(s.Category) != "archive" {
		t.Fatalf("category: %v", s)
	}
	_, err = e.v7.ModifySnapshotCategory(&ecs.ModifySnapshotCategoryRequest{SnapshotId: dara.String(snap), Category: dara.String("Archive")})
	sdktest.WantFail(t, err, http.StatusForbidden, "OperationDenied.SnapshotCategory")
	_, err = e.v7.ModifySnapshotCategory(&ecs.ModifySnapshotCategoryRequest{SnapshotId: dara.String("s-none")})
	sdktest.WantFail(t, err, http.StatusNotFound, "InvalidSnapshotId.NotFound")

	// Usage and links count the region's snapshots.
	use, err := e.v7.DescribeSnapshotsUsage(&ecs.DescribeSnapshotsUsageRequest{RegionId: rg})
	sdktest.OK(t, err)
	if dara.Int32Value(use.Body.SnapshotCount) != 1 || dara.Int64Value(use.Body.SnapshotSize) != 20<<30 {
		t.Fatalf("usage: %v", use.Body)
	}
	links, err := e.v7.DescribeSnapshotLinks(&ecs.DescribeSnapshotLinksRequest{RegionId: rg, InstanceId: dara.String(id)})
	sdktest.OK(t, err)
	if l := links.Body.SnapshotLinks.SnapshotLink; len(l) != 1 || dara.StringValue(l[0].SourceDiskId) != sys || dara.Int32Value(l[0].TotalCount) != 1 {
		t.Fatalf("links: %v", links.Body)
	}
	pk, err := e.v7.DescribeSnapshotPackage(&ecs.DescribeSnapshotPackageRequest{RegionId: rg})
	sdktest.OK(t, err)
	if dara.Int32Value(pk.Body.TotalCount) != 0 {
		t.Fatalf("packages: %v", pk.Body)
	}
	_, err = e.v7.OpenSnapshotService(&ecs.OpenSnapshotServiceRequest{RegionId: rg})
	sdktest.OK(t, err)
}

func TestSnapshotGroups(t *testing.T) {
	e := newEnv(t, realistic())
	id := e.run1(t, withDataDisk)
	rg := dara.String(region)
	_, err := e.v7.CreateSnapshotGroup(&ecs.CreateSnapshotGroupRequest{RegionId: rg})
	sdktest.WantFail(t, err, http.StatusBadRequest, "MissingParameter")
	_, err = e.v7.CreateSnapshotGroup(&ecs.CreateSnapshotGroupRequest{RegionId: rg, InstanceId: dara.String("i-none")})
	sdktest.WantFail(t, err, http.StatusNotFound, "InvalidInstanceId.NotFound")
	sys := e.v7SystemDisk(t, id)
	cr, err := e.v7.CreateSnapshotGroup(&ecs.CreateSnapshotGroupRequest{RegionId: rg, InstanceId: dara.String(id), Name: dara.String("nightly"),
		ExcludeDiskId: []*string{dara.String(sys)}, Tag: []*ecs.CreateSnapshotGroupRequestTag{{Key: dara.String("env"), Value: dara.String("t")}}})
	sdktest.OK(t, err)
	gid := dara.StringValue(cr.Body.SnapshotGroupId)
	list := func(req *ecs.DescribeSnapshotGroupsRequest) []*ecs.DescribeSnapshotGroupsResponseBodySnapshotGroupsSnapshotGroup {
		req.RegionId = rg
		resp, err := e.v7.DescribeSnapshotGroups(req)
		sdktest.OK(t, err)
		return resp.Body.SnapshotGroups.SnapshotGroup
	}
	g := list(&ecs.DescribeSnapshotGroupsRequest{InstanceId: dara.String(id)})
	if len(g) != 1 || dara.StringValue(g[0].Status) != "progressing" || len(g[0].Snapshots.Snapshot) != 1 ||
		dara.StringValue(g[0].Snapshots.Snapshot[0].SourceDiskType) != "data" || len(g[0].Tags.Tag) != 1 {
		t.Fatalf("group: %v", g)
	}
	e.s.Clock.Advance(time.Minute)
	if g := list(&ecs.DescribeSnapshotGroupsRequest{Status: []*string{dara.String("accomplished")}}); len(g) != 1 {
		t.Fatalf("accomplished: %v", g)
	}
	if g := list(&ecs.DescribeSnapshotGroupsRequest{Name: dara.String("other")}); len(g) != 0 {
		t.Fatalf("by name: %v", g)
	}
	_, err = e.v7.ModifySnapshotGroup(&ecs.ModifySnapshotGroupRequest{RegionId: rg, SnapshotGroupId: dara.String(gid), Name: dara.String("weekly"),
		Description: dara.String("d")})
	sdktest.OK(t, err)
	if g := list(&ecs.DescribeSnapshotGroupsRequest{SnapshotGroupId: []*string{dara.String(gid)}}); dara.StringValue(g[0].Name) != "weekly" {
		t.Fatalf("renamed: %v", g)
	}
	// A locked member holds the whole group back.
	member := dara.StringValue(g[0].Snapshots.Snapshot[0].SnapshotId)
	_, err = e.v7.LockSnapshot(&ecs.LockSnapshotRequest{RegionId: rg, SnapshotId: dara.String(member), LockMode: dara.String("compliance"),
		CoolOffPeriod: dara.Int32(1), LockDuration: dara.Int32(1)})
	sdktest.OK(t, err)
	_, err = e.v7.DeleteSnapshotGroup(&ecs.DeleteSnapshotGroupRequest{RegionId: rg, SnapshotGroupId: dara.String(gid)})
	sdktest.WantFail(t, err, http.StatusForbidden, "OperationDenied.SnapshotLocked")
	_, err = e.v7.UnlockSnapshot(&ecs.UnlockSnapshotRequest{RegionId: rg, SnapshotId: dara.String(member)})
	sdktest.OK(t, err)
	_, err = e.v7.DeleteSnapshotGroup(&ecs.DeleteSnapshotGroupRequest{RegionId: rg, SnapshotGroupId: dara.String(gid)})
	sdktest.OK(t, err)
	if e.v7Snap(t, region, member) != nil {
		t.Fatal("the group's snapshot stayed")
	}
	_, err = e.v7.DeleteSnapshotGroup(&ecs.DeleteSnapshotGroupRequest{RegionId: rg, SnapshotGroupId: dara.String(gid)})
	sdktest.WantFail(t, err, http.StatusNotFound, "InvalidSnapshotGroupId.NotFound")
}

func TestAutoSnapshotPolicyModifyAndAssociations(t *testing.T) {
	e := newEnv(t, ecslocaltest.Options{})
	id := e.run1(t, nil)
	sys := e.v7SystemDisk(t, id)
	rg := dara.String(region)
	cp, err := e.v7.CreateAutoSnapshotPolicy(&ecs.CreateAutoSnapshotPolicyRequest{RegionId: rg, TimePoints: dara.String(`["1"]`),
		RepeatWeekdays: dara.String(everyDay), RetentionDays: dara.Int32(3)})
	sdktest.OK(t, err)
	pid := dara.StringValue(cp.Body.AutoSnapshotPolicyId)
	_, err = e.v7.ApplyAutoSnapshotPolicy(&ecs.ApplyAutoSnapshotPolicyRequest{RegionId: rg, AutoSnapshotPolicyId: dara.String(pid),
		DiskIds: dara.String(`["` + sys + `"]`)})
	sdktest.OK(t, err)
	as, err := e.v7.DescribeAutoSnapshotPolicyAssociations(&ecs.DescribeAutoSnapshotPolicyAssociationsRequest{RegionId: rg,
		AutoSnapshotPolicyId: dara.String(pid)})
	sdktest.OK(t, err)
	if a := as.Body.AutoSnapshotPolicyAssociations.AutoSnapshotPolicyAssociation; len(a) != 1 || dara.StringValue(a[0].DiskId) != sys {
		t.Fatalf("associations: %v", as.Body)
	}
	_, err = e.v7.ModifyAutoSnapshotPolicyEx(&ecs.ModifyAutoSnapshotPolicyExRequest{RegionId: rg, AutoSnapshotPolicyId: dara.String(pid),
		AutoSnapshotPolicyName: dara.String("renamed"), TimePoints: dara.String(`["5","2"]`), RetentionDays: dara.Int32(7)})
	sdktest.OK(t, err)
	d, err := e.v7.DescribeAutoSnapshotPolicyEx(&ecs.DescribeAutoSnapshotPolicyExRequest{RegionId: rg, AutoSnapshotPolicyId: dara.String(pid)})
	sdktest.OK(t, err)
	if p := d.Body.AutoSnapshotPolicies.AutoSnapshotPolicy[0]; dara.StringValue(p.AutoSnapshotPolicyName) != "renamed" ||
		dara.StringValue(p.TimePoints) != `["2","5"]` || dara.Int32Value(p.RetentionDays) != 7 {
		t.Fatalf("modified: %v", p)
	}
	_, err = e.v7.ModifyAutoSnapshotPolicyEx(&ecs.ModifyAutoSnapshotPolicyExRequest{RegionId: rg, AutoSnapshotPolicyId: dara.String(pid),
		TimePoints: dara.String(`["25"]`)})
	sdktest.WantFail(t, err, http.StatusBadRequest, "InvalidParameter")
	_, err = e.v7.ModifyAutoSnapshotPolicyEx(&ecs.ModifyAutoSnapshotPolicyExRequest{RegionId: rg, AutoSnapshotPolicyId: dara.String("sp-none")})
	sdktest.WantFail(t, err, http.StatusNotFound, "ParameterInvalid")
}

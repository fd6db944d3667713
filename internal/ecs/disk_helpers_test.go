package ecs_test

import (
	"encoding/json"
	"testing"
	"time"

	ecs "github.com/alibabacloud-go/ecs-20140526/v7/client"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	classicecs "github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"

	"github.com/ecslocal/ecslocal/ecslocaltest"
	"github.com/ecslocal/ecslocal/internal/sdktest"
)

// diskView is a disk as DescribeDisks shows it, whichever SDK decoded it.
type diskView struct {
	ID, Name, Type, Category, Status, InstanceID, Device, Zone, ChargeType string
	PolicyID, SourceSnapshotID, Created, Attached, Detached, Expired       string
	Size, Mounts, Locks                                                    int
	DWI, DAS, EAS, Portable                                                bool
	Tags                                                                   map[string]string
}

// snapView is a snapshot as DescribeSnapshots shows it.
type snapView struct {
	ID, Name, Type, SourceDiskID, SourceDiskType, SourceDiskSize, Status, Progress, Usage string
	RetentionDays                                                                         int
}

// policyView is a policy as DescribeAutoSnapshotPolicyEx shows it.
type policyView struct {
	ID, Name, TimePoints, RepeatWeekdays, Status string
	RetentionDays, DiskNums                      int
}

// diskOpts is a CreateDisk request.
type diskOpts struct {
	Zone, Category, InstanceID, SnapshotID string
	PerformanceLevel                       string
	Size                                   int
	Tags                                   map[string]string
	Region                                 string
}

// diskQuery is a DescribeDisks request.
type diskQuery struct {
	IDs                                                []string // nil = no DiskIds parameter
	InstanceID, DiskType, Status, PolicyID, SnapshotID string
	DWI, DAS                                           *bool
	TagKey, TagValue                                   string
	PageNumber, PageSize, MaxResults                   int
	NextToken                                          string
}

// snapQuery is a DescribeSnapshots request.
type snapQuery struct {
	IDs                                          []string
	DiskID, InstanceID, Type, Status, SourceType string
}

// diskChange is a ModifyDiskAttribute request.
type diskChange struct {
	DWI, DAS, EAS *bool
	Name          string
}

// diskSDK drives the disk, snapshot and policy actions through one SDK
// generation, so every scenario runs through both.
type diskSDK struct {
	name           string
	createDisk     func(e *env, o diskOpts) (string, error)
	attach         func(e *env, inst, disk string, dwi *bool) error
	detach         func(e *env, inst, disk string) error
	describe       func(e *env, q diskQuery) (list []diskView, total int, next string, err error)
	modify         func(e *env, ids []string, c diskChange) error
	deleteDisk     func(e *env, id string) error
	resize         func(e *env, id string, size int) error
	chargeType     func(e *env, inst string, ids []string, to string) error
	snapshot       func(e *env, disk string, retention int) (string, error)
	snapshots      func(e *env, q snapQuery) ([]snapView, error)
	deleteSnapshot func(e *env, id string, force bool) error
	createPolicy   func(e *env, hours, days string, retention int) (string, error)
	applyPolicy    func(e *env, policy string, disks []string) error
	cancelPolicy   func(e *env, disks []string) error
	deletePolicy   func(e *env, policy string) error
	policies       func(e *env, id string) ([]policyView, error)
	start          func(e *env, id string) error
	protect        func(e *env, id string, on bool) error
}

func jsonList(ids []string) string {
	b, _ := json.Marshal(ids)
	return string(b)
}

func classicBool(b *bool) requests.Boolean {
	if b == nil {
		return ""
	}
	return requests.NewBoolean(*b)
}

var diskSDKs = []diskSDK{
	{
		name: "classic",
		createDisk: func(e *env, o diskOpts) (string, error) {
			r := classicecs.CreateCreateDiskRequest()
			r.ZoneId, r.DiskCategory, r.InstanceId, r.SnapshotId = o.Zone, o.Category, o.InstanceID, o.SnapshotID
			r.PerformanceLevel = o.PerformanceLevel
			if o.Region != "" {
				r.RegionId = o.Region
			}
			if o.Size > 0 {
				r.Size = requests.NewInteger(o.Size)
			}
			var tags []classicecs.CreateDiskTag
			for k, v := range o.Tags {
				tags = append(tags, classicecs.CreateDiskTag{Key: k, Value: v})
			}
			if tags != nil {
				r.Tag = &tags
			}
			resp, err := e.classic.CreateDisk(r)
			if err != nil {
				return "", err
			}
			return resp.DiskId, nil
		},
		attach: func(e *env, inst, disk string, dwi *bool) error {
			r := classicecs.CreateAttachDiskRequest()
			r.InstanceId, r.DiskId, r.DeleteWithInstance = inst, disk, classicBool(dwi)
			_, err := e.classic.AttachDisk(r)
			return err
		},
		detach: func(e *env, inst, disk string) error {
			r := classicecs.CreateDetachDiskRequest()
			r.InstanceId, r.DiskId = inst, disk
			_, err := e.classic.DetachDisk(r)
			return err
		},
		describe: func(e *env, q diskQuery) ([]diskView, int, string, error) {
			r := classicecs.CreateDescribeDisksRequest()
			if q.IDs != nil {
				r.DiskIds = jsonList(q.IDs)
			}
			r.InstanceId, r.DiskType, r.Status, r.AutoSnapshotPolicyId, r.SnapshotId = q.InstanceID, q.DiskType, q.Status, q.PolicyID, q.SnapshotID
			r.DeleteWithInstance, r.DeleteAutoSnapshot = classicBool(q.DWI), classicBool(q.DAS)
			if q.TagKey != "" {
				r.Tag = &[]classicecs.DescribeDisksTag{{Key: q.TagKey, Value: q.TagValue}}
			}
			if q.PageNumber > 0 {
				r.PageNumber = requests.NewInteger(q.PageNumber)
			}
			if q.PageSize > 0 {
				r.PageSize = requests.NewInteger(q.PageSize)
			}
			if q.MaxResults > 0 {
				r.MaxResults = requests.NewInteger(q.MaxResults)
			}
			r.NextToken = q.NextToken
			resp, err := e.classic.DescribeDisks(r)
			if err != nil {
				return nil, 0, "", err
			}
			var out []diskView
			for _, d := range resp.Disks.Disk {
				v := diskView{
					ID: d.DiskId, Name: d.DiskName, Type: d.Type, Category: d.Category, Status: d.Status,
					InstanceID: d.InstanceId, Device: d.Device, Zone: d.ZoneId, ChargeType: d.DiskChargeType,
					PolicyID: d.AutoSnapshotPolicyId, SourceSnapshotID: d.SourceSnapshotId, Created: d.CreationTime,
					Attached: d.AttachedTime, Detached: d.DetachedTime, Expired: d.ExpiredTime, Size: d.Size,
					Mounts: len(d.MountInstances.MountInstance), Locks: len(d.OperationLocks.OperationLock),
					DWI: d.DeleteWithInstance, DAS: d.DeleteAutoSnapshot, EAS: d.EnableAutoSnapshot, Portable: d.Portable,
					Tags: map[string]string{},
				}
				for _, t := range d.Tags.Tag {
					v.Tags[t.TagKey] = t.TagValue
				}
				out = append(out, v)
			}
			return out, resp.TotalCount, resp.NextToken, nil
		},
		modify: func(e *env, ids []string, c diskChange) error {
			r := classicecs.CreateModifyDiskAttributeRequest()
			if len(ids) == 1 {
				r.DiskId = ids[0]
			} else {
				r.DiskIds = &ids
			}
			r.DeleteWithInstance, r.DeleteAutoSnapshot, r.EnableAutoSnapshot = classicBool(c.DWI), classicBool(c.DAS), classicBool(c.EAS)
			r.DiskName = c.Name
			_, err := e.classic.ModifyDiskAttribute(r)
			return err
		},
		deleteDisk: func(e *env, id string) error {
			r := classicecs.CreateDeleteDiskRequest()
			r.DiskId = id
			_, err := e.classic.DeleteDisk(r)
			return err
		},
		resize: func(e *env, id string, size int) error {
			r := classicecs.CreateResizeDiskRequest()
			r.DiskId, r.NewSize = id, requests.NewInteger(size)
			_, err := e.classic.ResizeDisk(r)
			return err
		},
		chargeType: func(e *env, inst string, ids []string, to string) error {
			r := classicecs.CreateModifyDiskChargeTypeRequest()
			r.InstanceId, r.DiskIds, r.DiskChargeType = inst, jsonList(ids), to
			_, err := e.classic.ModifyDiskChargeType(r)
			return err
		},
		snapshot: func(e *env, disk string, retention int) (string, error) {
			r := classicecs.CreateCreateSnapshotRequest()
			r.DiskId = disk
			if retention > 0 {
				r.RetentionDays = requests.NewInteger(retention)
			}
			resp, err := e.classic.CreateSnapshot(r)
			if err != nil {
				return "", err
			}
			return resp.SnapshotId, nil
		},
		snapshots: func(e *env, q snapQuery) ([]snapView, error) {
			r := classicecs.CreateDescribeSnapshotsRequest()
			if q.IDs != nil {
				r.SnapshotIds = jsonList(q.IDs)
			}
			r.DiskId, r.InstanceId, r.SnapshotType, r.Status, r.SourceDiskType = q.DiskID, q.InstanceID, q.Type, q.Status, q.SourceType
			r.PageSize = requests.NewInteger(100)
			resp, err := e.classic.DescribeSnapshots(r)
			if err != nil {
				return nil, err
			}
			var out []snapView
			for _, s := range resp.Snapshots.Snapshot {
				out = append(out, snapView{
					ID: s.SnapshotId, Name: s.SnapshotName, Type: s.SnapshotType, SourceDiskID: s.SourceDiskId,
					SourceDiskType: s.SourceDiskType, SourceDiskSize: s.SourceDiskSize, Status: s.Status,
					Progress: s.Progress, Usage: s.Usage, RetentionDays: s.RetentionDays,
				})
			}
			return out, nil
		},
		deleteSnapshot: func(e *env, id string, force bool) error {
			r := classicecs.CreateDeleteSnapshotRequest()
			r.SnapshotId = id
			if force {
				r.Force = requests.NewBoolean(true)
			}
			_, err := e.classic.DeleteSnapshot(r)
			return err
		},
		createPolicy: func(e *env, hours, days string, retention int) (string, error) {
			r := classicecs.CreateCreateAutoSnapshotPolicyRequest()
			r.TimePoints, r.RepeatWeekdays, r.RetentionDays = hours, days, requests.NewInteger(retention)
			r.AutoSnapshotPolicyName = "nightly"
			resp, err := e.classic.CreateAutoSnapshotPolicy(r)
			if err != nil {
				return "", err
			}
			return resp.AutoSnapshotPolicyId, nil
		},
		applyPolicy: func(e *env, policy string, disks []string) error {
			r := classicecs.CreateApplyAutoSnapshotPolicyRequest()
			r.AutoSnapshotPolicyId, r.DiskIds = policy, jsonList(disks)
			_, err := e.classic.ApplyAutoSnapshotPolicy(r)
			return err
		},
		cancelPolicy: func(e *env, disks []string) error {
			r := classicecs.CreateCancelAutoSnapshotPolicyRequest()
			r.DiskIds = jsonList(disks)
			_, err := e.classic.CancelAutoSnapshotPolicy(r)
			return err
		},
		deletePolicy: func(e *env, policy string) error {
			r := classicecs.CreateDeleteAutoSnapshotPolicyRequest()
			r.AutoSnapshotPolicyId = policy
			_, err := e.classic.DeleteAutoSnapshotPolicy(r)
			return err
		},
		policies: func(e *env, id string) ([]policyView, error) {
			r := classicecs.CreateDescribeAutoSnapshotPolicyExRequest()
			r.AutoSnapshotPolicyId = id
			resp, err := e.classic.DescribeAutoSnapshotPolicyEx(r)
			if err != nil {
				return nil, err
			}
			var out []policyView
			for _, p := range resp.AutoSnapshotPolicies.AutoSnapshotPolicy {
				out = append(out, policyView{
					ID: p.AutoSnapshotPolicyId, Name: p.AutoSnapshotPolicyName, TimePoints: p.TimePoints,
					RepeatWeekdays: p.RepeatWeekdays, Status: p.Status, RetentionDays: p.RetentionDays, DiskNums: p.DiskNums,
				})
			}
			return out, nil
		},
		start: func(e *env, id string) error {
			r := classicecs.CreateStartInstanceRequest()
			r.InstanceId = id
			_, err := e.classic.StartInstance(r)
			return err
		},
		protect: func(e *env, id string, on bool) error {
			r := classicecs.CreateModifyInstanceAttributeRequest()
			r.InstanceId, r.DeletionProtection = id, requests.NewBoolean(on)
			_, err := e.classic.ModifyInstanceAttribute(r)
			return err
		},
	},
	{
		name: "v7",
		createDisk: func(e *env, o diskOpts) (string, error) {
			reg := region
			if o.Region != "" {
				reg = o.Region
			}
			r := &ecs.CreateDiskRequest{RegionId: dara.String(reg)}
			if o.Zone != "" {
				r.ZoneId = dara.String(o.Zone)
			}
			if o.Category != "" {
				r.DiskCategory = dara.String(o.Category)
			}
			if o.PerformanceLevel != "" {
				r.PerformanceLevel = dara.String(o.PerformanceLevel)
			}
			if o.InstanceID != "" {
				r.InstanceId = dara.String(o.InstanceID)
			}
			if o.SnapshotID != "" {
				r.SnapshotId = dara.String(o.SnapshotID)
			}
			if o.Size > 0 {
				r.Size = dara.Int32(int32(o.Size))
			}
			for k, v := range o.Tags {
				r.Tag = append(r.Tag, &ecs.CreateDiskRequestTag{Key: dara.String(k), Value: dara.String(v)})
			}
			resp, err := e.v7.CreateDisk(r)
			if err != nil {
				return "", err
			}
			return dara.StringValue(resp.Body.DiskId), nil
		},
		attach: func(e *env, inst, disk string, dwi *bool) error {
			_, err := e.v7.AttachDisk(&ecs.AttachDiskRequest{InstanceId: dara.String(inst), DiskId: dara.String(disk), DeleteWithInstance: dwi})
			return err
		},
		detach: func(e *env, inst, disk string) error {
			_, err := e.v7.DetachDisk(&ecs.DetachDiskRequest{InstanceId: dara.String(inst), DiskId: dara.String(disk)})
			return err
		},
		describe: func(e *env, q diskQuery) ([]diskView, int, string, error) {
			r := &ecs.DescribeDisksRequest{RegionId: dara.String(region), DeleteWithInstance: q.DWI, DeleteAutoSnapshot: q.DAS}
			if q.IDs != nil {
				r.DiskIds = dara.String(jsonList(q.IDs))
			}
			for p, v := range map[**string]string{&r.InstanceId: q.InstanceID, &r.DiskType: q.DiskType, &r.Status: q.Status,
				&r.AutoSnapshotPolicyId: q.PolicyID, &r.SnapshotId: q.SnapshotID, &r.NextToken: q.NextToken} {
				if v != "" {
					*p = dara.String(v)
				}
			}
			if q.TagKey != "" {
				r.Tag = []*ecs.DescribeDisksRequestTag{{Key: dara.String(q.TagKey), Value: dara.String(q.TagValue)}}
			}
			for p, v := range map[**int32]int{&r.PageNumber: q.PageNumber, &r.PageSize: q.PageSize, &r.MaxResults: q.MaxResults} {
				if v > 0 {
					*p = dara.Int32(int32(v))
				}
			}
			resp, err := e.v7.DescribeDisks(r)
			if err != nil {
				return nil, 0, "", err
			}
			b := resp.Body
			var out []diskView
			for _, d := range b.Disks.Disk {
				v := diskView{
					ID: dara.StringValue(d.DiskId), Name: dara.StringValue(d.DiskName), Type: dara.StringValue(d.Type),
					Category: dara.StringValue(d.Category), Status: dara.StringValue(d.Status),
					InstanceID: dara.StringValue(d.InstanceId), Device: dara.StringValue(d.Device), Zone: dara.StringValue(d.ZoneId),
					ChargeType: dara.StringValue(d.DiskChargeType), PolicyID: dara.StringValue(d.AutoSnapshotPolicyId),
					SourceSnapshotID: dara.StringValue(d.SourceSnapshotId), Created: dara.StringValue(d.CreationTime),
					Attached: dara.StringValue(d.AttachedTime), Detached: dara.StringValue(d.DetachedTime),
					Expired: dara.StringValue(d.ExpiredTime), Size: int(dara.Int32Value(d.Size)),
					Mounts: len(d.MountInstances.MountInstance), Locks: len(d.OperationLocks.OperationLock),
					DWI: dara.BoolValue(d.DeleteWithInstance), DAS: dara.BoolValue(d.DeleteAutoSnapshot),
					EAS: dara.BoolValue(d.EnableAutoSnapshot), Portable: dara.BoolValue(d.Portable), Tags: map[string]string{},
				}
				for _, t := range d.Tags.Tag {
					v.Tags[dara.StringValue(t.TagKey)] = dara.StringValue(t.TagValue)
				}
				out = append(out, v)
			}
			return out, int(dara.Int32Value(b.TotalCount)), dara.StringValue(b.NextToken), nil
		},
		modify: func(e *env, ids []string, c diskChange) error {
			r := &ecs.ModifyDiskAttributeRequest{DeleteWithInstance: c.DWI, DeleteAutoSnapshot: c.DAS, EnableAutoSnapshot: c.EAS}
			if len(ids) == 1 {
				r.DiskId = dara.String(ids[0])
			} else {
				r.DiskIds, r.RegionId = dara.StringSlice(ids), dara.String(region)
			}
			if c.Name != "" {
				r.DiskName = dara.String(c.Name)
			}
			_, err := e.v7.ModifyDiskAttribute(r)
			return err
		},
		deleteDisk: func(e *env, id string) error {
			_, err := e.v7.DeleteDisk(&ecs.DeleteDiskRequest{DiskId: dara.String(id)})
			return err
		},
		resize: func(e *env, id string, size int) error {
			_, err := e.v7.ResizeDisk(&ecs.ResizeDiskRequest{DiskId: dara.String(id), NewSize: dara.Int32(int32(size))})
			return err
		},
		chargeType: func(e *env, inst string, ids []string, to string) error {
			_, err := e.v7.ModifyDiskChargeType(&ecs.ModifyDiskChargeTypeRequest{RegionId: dara.String(region),
				InstanceId: dara.String(inst), DiskIds: dara.String(jsonList(ids)), DiskChargeType: dara.String(to)})
			return err
		},
		snapshot: func(e *env, disk string, retention int) (string, error) {
			r := &ecs.CreateSnapshotRequest{DiskId: dara.String(disk)}
			if retention > 0 {
				r.RetentionDays = dara.Int32(int32(retention))
			}
			resp, err := e.v7.CreateSnapshot(r)
			if err != nil {
				return "", err
			}
			return dara.StringValue(resp.Body.SnapshotId), nil
		},
		snapshots: func(e *env, q snapQuery) ([]snapView, error) {
			r := &ecs.DescribeSnapshotsRequest{RegionId: dara.String(region), PageSize: dara.Int32(100)}
			if q.IDs != nil {
				r.SnapshotIds = dara.String(jsonList(q.IDs))
			}
			for p, v := range map[**string]string{&r.DiskId: q.DiskID, &r.InstanceId: q.InstanceID, &r.SnapshotType: q.Type,
				&r.Status: q.Status, &r.SourceDiskType: q.SourceType} {
				if v != "" {
					*p = dara.String(v)
				}
			}
			resp, err := e.v7.DescribeSnapshots(r)
			if err != nil {
				return nil, err
			}
			var out []snapView
			for _, s := range resp.Body.Snapshots.Snapshot {
				out = append(out, snapView{
					ID: dara.StringValue(s.SnapshotId), Name: dara.StringValue(s.SnapshotName), Type: dara.StringValue(s.SnapshotType),
					SourceDiskID: dara.StringValue(s.SourceDiskId), SourceDiskType: dara.StringValue(s.SourceDiskType),
					SourceDiskSize: dara.StringValue(s.SourceDiskSize), Status: dara.StringValue(s.Status),
					Progress: dara.StringValue(s.Progress), Usage: dara.StringValue(s.Usage), RetentionDays: int(dara.Int32Value(s.RetentionDays)),
				})
			}
			return out, nil
		},
		deleteSnapshot: func(e *env, id string, force bool) error {
			r := &ecs.DeleteSnapshotRequest{SnapshotId: dara.String(id)}
			if force {
				r.Force = dara.Bool(true)
			}
			_, err := e.v7.DeleteSnapshot(r)
			return err
		},
		createPolicy: func(e *env, hours, days string, retention int) (string, error) {
			resp, err := e.v7.CreateAutoSnapshotPolicy(&ecs.CreateAutoSnapshotPolicyRequest{RegionId: dara.String(region),
				TimePoints: dara.String(hours), RepeatWeekdays: dara.String(days), RetentionDays: dara.Int32(int32(retention)),
				AutoSnapshotPolicyName: dara.String("nightly")})
			if err != nil {
				return "", err
			}
			return dara.StringValue(resp.Body.AutoSnapshotPolicyId), nil
		},
		applyPolicy: func(e *env, policy string, disks []string) error {
			_, err := e.v7.ApplyAutoSnapshotPolicy(&ecs.ApplyAutoSnapshotPolicyRequest{RegionId: dara.String(region),
				AutoSnapshotPolicyId: dara.String(policy), DiskIds: dara.String(jsonList(disks))})
			return err
		},
		cancelPolicy: func(e *env, disks []string) error {
			_, err := e.v7.CancelAutoSnapshotPolicy(&ecs.CancelAutoSnapshotPolicyRequest{RegionId: dara.String(region),
				DiskIds: dara.String(jsonList(disks))})
			return err
		},
		deletePolicy: func(e *env, policy string) error {
			_, err := e.v7.DeleteAutoSnapshotPolicy(&ecs.DeleteAutoSnapshotPolicyRequest{RegionId: dara.String(region),
				AutoSnapshotPolicyId: dara.String(policy)})
			return err
		},
		policies: func(e *env, id string) ([]policyView, error) {
			r := &ecs.DescribeAutoSnapshotPolicyExRequest{RegionId: dara.String(region)}
			if id != "" {
				r.AutoSnapshotPolicyId = dara.String(id)
			}
			resp, err := e.v7.DescribeAutoSnapshotPolicyEx(r)
			if err != nil {
				return nil, err
			}
			var out []policyView
			for _, p := range resp.Body.AutoSnapshotPolicies.AutoSnapshotPolicy {
				out = append(out, policyView{
					ID: dara.StringValue(p.AutoSnapshotPolicyId), Name: dara.StringValue(p.AutoSnapshotPolicyName),
					TimePoints: dara.StringValue(p.TimePoints), RepeatWeekdays: dara.StringValue(p.RepeatWeekdays),
					Status: dara.StringValue(p.Status), RetentionDays: int(dara.Int32Value(p.RetentionDays)),
					DiskNums: int(dara.Int32Value(p.DiskNums)),
				})
			}
			return out, nil
		},
		start: func(e *env, id string) error {
			_, err := e.v7.StartInstance(&ecs.StartInstanceRequest{InstanceId: dara.String(id)})
			return err
		},
		protect: func(e *env, id string, on bool) error {
			_, err := e.v7.ModifyInstanceAttribute(&ecs.ModifyInstanceAttributeRequest{InstanceId: dara.String(id), DeletionProtection: dara.Bool(on)})
			return err
		},
	},
}

// forEachDiskSDK runs a scenario once per SDK generation on a fresh server;
// d deletes instances through the same generation. The servers are built
// before the subtests go parallel: the classic SDK fills its endpoint maps
// lazily, unsynchronised, when its first clients are made.
func forEachDiskSDK(t *testing.T, opts ecslocaltest.Options, fn func(t *testing.T, e *env, s diskSDK, d deleter)) {
	for i, s := range diskSDKs {
		t.Run(s.name, func(t *testing.T) {
			e := newEnv(t, opts)
			t.Parallel()
			fn(t, e, s, deleters[i])
		})
	}
}

// newDisk creates a data disk in the env's zone and waits until Available.
func (e *env) newDisk(t *testing.T, s diskSDK, size int) string {
	t.Helper()
	id, err := s.createDisk(e, diskOpts{Zone: e.zone, Size: size, Category: "cloud_essd"})
	sdktest.OK(t, err)
	e.s.Clock.Advance(5 * time.Second)
	return id
}

// attachDisk attaches and waits until In_use.
func (e *env) attachDisk(t *testing.T, s diskSDK, inst, disk string, dwi *bool) {
	t.Helper()
	sdktest.OK(t, s.attach(e, inst, disk, dwi))
	e.s.Clock.Advance(5 * time.Second)
	e.wantDisk(t, s, disk, "In_use")
}

// disk reads one disk; ok is false when DescribeDisks does not list it.
func (e *env) disk(t *testing.T, s diskSDK, id string) (diskView, bool) {
	t.Helper()
	list, _, _, err := s.describe(e, diskQuery{IDs: []string{id}})
	sdktest.OK(t, err)
	if len(list) == 0 {
		return diskView{}, false
	}
	return list[0], true
}

// wantDisk checks a disk's status; "" means absent.
func (e *env) wantDisk(t *testing.T, s diskSDK, id, status string) diskView {
	t.Helper()
	d, ok := e.disk(t, s, id)
	if got := d.Status; !ok && status != "" || ok && got != status {
		t.Fatalf("disk %s is %q (listed: %v), want %q", id, got, ok, status)
	}
	return d
}

// instanceDisks returns the system disk and the data disks of an instance.
func (e *env) instanceDisks(t *testing.T, s diskSDK, inst string) (sys diskView, data []diskView) {
	t.Helper()
	list, _, _, err := s.describe(e, diskQuery{InstanceID: inst})
	sdktest.OK(t, err)
	for _, d := range list {
		if d.Type == "system" {
			sys = d
		} else {
			data = append(data, d)
		}
	}
	if sys.ID == "" {
		t.Fatalf("instance %s has no system disk in %v", inst, list)
	}
	return sys, data
}

// snapshotIDs lists the ids of the snapshots a query finds.
func (e *env) snapshotIDs(t *testing.T, s diskSDK, q snapQuery) []string {
	t.Helper()
	list, err := s.snapshots(e, q)
	sdktest.OK(t, err)
	var out []string
	for _, sn := range list {
		out = append(out, sn.ID)
	}
	return out
}

// releaseNow deletes an instance with Force and waits until it is gone.
func (e *env) releaseNow(t *testing.T, d deleter, inst string) {
	t.Helper()
	sdktest.OK(t, d.batch(e, []string{inst}, del{Force: true}))
	e.s.Clock.Advance(30 * time.Second)
	e.wantStatus(t, inst, "")
}

// withDataDisk adds one DataDisk.1 (DeleteWithInstance per RunInstances'
// default) to a RunInstances request.
func withDataDisk(r *classicecs.RunInstancesRequest) {
	r.DataDisk = &[]classicecs.RunInstancesDataDisk{{Size: "40", Category: "cloud_essd"}}
}

func bptr(b bool) *bool { return &b }

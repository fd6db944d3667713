package cloud

import (
	"context"
	"time"
)

// The declarations of the compute kinds: instances, disks, snapshots and
// automatic snapshot policies (see registry.go).

var instanceKind = Kind{
	Name:   KindInstance,
	Prefix: "i",
	Indexes: append([]IndexDecl{
		{IdxStatus, "DescribeInstances Status"},
		{IdxZone, "DescribeInstances ZoneId"},
		{IdxVPC, "DescribeInstances VpcId; DeleteVpc's dependency check"},
		{IdxVSwitch, "DescribeInstances VSwitchId; DeleteVSwitch's dependency check"},
		{IdxChargeType, "DescribeInstances InstanceChargeType"},
		{IdxName, "DescribeInstances InstanceName"},
		{IdxType, "DescribeInstances InstanceType"},
		{IdxFamily, "DescribeInstances InstanceTypeFamily"},
		{IdxImage, "DescribeInstances ImageId"},
		{IdxPrivateIP, "DescribeInstances PrivateIpAddresses, InnerIpAddresses"},
		{IdxPublicIP, "DescribeInstances PublicIpAddresses"},
		{IdxSecurityGroup, "DescribeInstances SecurityGroupId; a group's members"},
		{IdxLock, "DescribeInstances LockReason"},
		{IdxKeyPair, "DescribeInstances KeyPairName"},
	}, tagIndexDecls("DescribeInstances")...),
	Tags:   &TagDecl{ResourceTypes: map[string]string{"ecs": "instance"}},
	Decode: decoder[Instance](),
	Advance: func(_ context.Context, _ Lookup, r Resource, now time.Time, cfg Config) (Transition, error) {
		next, gone := Advance(r.(Instance), now, cfg.ExpiredSubscriptionLock)
		if gone != nil {
			return Transition{Next: next, Gone: true, ReleasedAt: gone.At}, nil
		}
		return Transition{Next: next}, nil
	},
}

var diskKind = Kind{
	Name:   KindDisk,
	Prefix: "d",
	Indexes: append([]IndexDecl{
		{IdxStatus, "DescribeDisks Status"},
		{IdxZone, "DescribeDisks ZoneId"},
		{IdxType, "DescribeDisks DiskType"},
		{IdxCategory, "DescribeDisks Category"},
		{IdxChargeType, "DescribeDisks DiskChargeType"},
		{IdxName, "DescribeDisks DiskName"},
		{IdxDWI, "DescribeDisks DeleteWithInstance"},
		{IdxDAS, "DescribeDisks DeleteAutoSnapshot"},
		{IdxEAS, "DescribeDisks EnableAutoSnapshot"},
		{IdxEncrypted, "DescribeDisks Encrypted"},
		{IdxPortable, "DescribeDisks Portable"},
		{IdxInstance, "DescribeDisks InstanceId; the disks a release acts on"},
		{IdxSnapshot, "DescribeDisks SnapshotId"},
		{IdxPolicy, "DescribeDisks AutoSnapshotPolicyId; the disks a policy fires for"},
		// Disks carry no OperationLocks: a LockReason filter matches none,
		// through an index no disk writes.
		{IdxLock, "DescribeDisks LockReason"},
	}, tagIndexDecls("DescribeDisks")...),
	Tags:   &TagDecl{ResourceTypes: map[string]string{"ecs": "disk"}},
	Decode: decoder[Disk](),
	Advance: func(_ context.Context, _ Lookup, r Resource, now time.Time, _ Config) (Transition, error) {
		return Transition{Next: AdvanceDisk(r.(Disk), now)}, nil
	},
	Release: &ReleaseDecl{
		By:   IdxInstance,
		Keys: func(rel *Released) []string { return []string{rel.Instance.ID} },
		Effect: func(found []Resource, rel *Released) (put, del []Resource) {
			deleted, kept := DiskReleaseEffects(rel.Instance, each[Disk](found), rel.At)
			return resources(kept), resources(deleted)
		},
	},
}

var snapshotKind = Kind{
	Name:   KindSnapshot,
	Prefix: "s",
	Indexes: append([]IndexDecl{
		{IdxDisk, "DescribeSnapshots DiskId; the snapshots a disk's release removes"},
		{IdxType, "DescribeSnapshots SnapshotType"},
		{IdxStatus, "DescribeSnapshots Status; a policy's snapshots in progress"},
		{IdxName, "DescribeSnapshots SnapshotName"},
		{IdxDiskType, "DescribeSnapshots SourceDiskType"},
		{IdxInstance, "DescribeSnapshots InstanceId"},
		{IdxPolicy, "the snapshots a policy made"},
	}, tagIndexDecls("DescribeSnapshots")...),
	Tags:   &TagDecl{ResourceTypes: map[string]string{"ecs": "snapshot"}},
	Decode: decoder[Snapshot](),
	Advance: func(_ context.Context, _ Lookup, r Resource, now time.Time, _ Config) (Transition, error) {
		next, expired := AdvanceSnapshot(r.(Snapshot), now)
		return Transition{Next: next, Gone: expired}, nil
	},
	Release: &ReleaseDecl{
		By:   IdxDisk,
		Keys: func(rel *Released) []string { return rel.RemovedOf(KindDisk) },
		Effect: func(found []Resource, rel *Released) (put, del []Resource) {
			for _, s := range each[Snapshot](found) {
				if d, ok := rel.Removed[s.SourceDiskID].(Disk); ok && SnapshotGoesWithDisk(s, d) {
					del = append(del, s)
				}
			}
			return nil, del
		},
	},
}

var autoSnapshotPolicyKind = Kind{
	Name:    KindAutoSnapshotPolicy,
	Prefix:  "sp",
	Indexes: append([]IndexDecl{{IdxName, "DescribeAutoSnapshotPolicyEx AutoSnapshotPolicyName"}}, tagIndexDecls("DescribeAutoSnapshotPolicyEx")...),
	Tags:    &TagDecl{ResourceTypes: map[string]string{"ecs": "snapshotpolicy"}},
	Decode:  decoder[AutoSnapshotPolicy](),
	// One firing per Advance, at its own time: the next round re-reads what
	// is due in time order, so a disk released between two firings is gone
	// before the later one.
	Advance: func(ctx context.Context, l Lookup, r Resource, _ time.Time, cfg Config) (Transition, error) {
		p := r.(AutoSnapshotPolicy)
		found, err := l.Find(ctx, KindDisk, Filter{IdxPolicy, []string{p.ID}})
		if err != nil {
			return Transition{}, err
		}
		disks := each[Disk](found)
		ids := make([]string, len(disks))
		for i, d := range disks {
			ids[i] = d.ID
		}
		var progressing []Snapshot
		if len(ids) > 0 {
			found, err := l.Find(ctx, KindSnapshot, Filter{IdxDisk, ids}, Filter{IdxStatus, []string{SnapshotProgressing}})
			if err != nil {
				return Transition{}, err
			}
			progressing = each[Snapshot](found)
		}
		next, snaps := FirePolicy(p, disks, progressing, p.NextDue(), cfg.Delays, true)
		return Transition{Next: next, Also: resources(snaps)}, nil
	},
}

// Tagged implementations of the compute kinds.

func (i Instance) TagList() []Tag                      { return i.Tags }
func (i Instance) WithTags(t []Tag) Resource           { i.Tags = t; return i }
func (d Disk) TagList() []Tag                          { return d.Tags }
func (d Disk) WithTags(t []Tag) Resource               { d.Tags = t; return d }
func (s Snapshot) TagList() []Tag                      { return s.Tags }
func (s Snapshot) WithTags(t []Tag) Resource           { s.Tags = t; return s }
func (p AutoSnapshotPolicy) TagList() []Tag            { return p.Tags }
func (p AutoSnapshotPolicy) WithTags(t []Tag) Resource { p.Tags = t; return p }

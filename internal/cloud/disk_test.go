package cloud

import (
	"slices"
	"testing"
	"time"
)

func dataDisk() Disk {
	return Disk{
		ID: "d-bp1aaaaaaaaaaaaaaaaa", Region: "cn-hangzhou", Zone: "cn-hangzhou-i", Type: DiskData,
		Category: "cloud_essd", Size: 40, Status: DiskAvailable, ChargeType: PostPaid, Portable: true,
		DeleteAutoSnapshot: true, Created: t0.Add(-time.Hour),
	}
}

func zoned(i Instance) Instance { i.Zone = "cn-hangzhou-i"; return i }

var oneSecond = Delays{Disk: Duration(time.Second), Snapshot: Duration(2 * time.Second)}

// TestAttach has one row per refusal of AttachDisk (§5.5) and the success.
func TestAttach(t *testing.T) {
	inst := zoned(running())
	mod := func(f func(*Disk, *Instance)) (Disk, Instance) {
		d, i := dataDisk(), inst
		f(&d, &i)
		return d, i
	}
	cases := []struct {
		name string
		f    func(*Disk, *Instance)
		want string
	}{
		{"running instance", func(*Disk, *Instance) {}, ""},
		{"stopped instance", func(_ *Disk, i *Instance) { i.Status = StatusStopped }, ""},
		{"security lock", func(_ *Disk, i *Instance) { i.Locks = []Lock{{Reason: LockSecurity}} }, "InstanceLockedForSecurity"},
		{"lock before disk status", func(d *Disk, i *Instance) { i.Locks = []Lock{{Reason: LockSecurity}}; d.Status = DiskInUse }, "InstanceLockedForSecurity"},
		{"releasing instance", func(_ *Disk, i *Instance) { i.Releasing = true; i.Status = StatusStopped }, "IncorrectInstanceStatus"},
		{"starting instance", func(_ *Disk, i *Instance) { i.Status = StatusStarting }, "IncorrectInstanceStatus"},
		{"pending instance", func(_ *Disk, i *Instance) { i.Status = StatusPending }, "IncorrectInstanceStatus"},
		{"disk in use", func(d *Disk, _ *Instance) { d.Status = DiskInUse }, "IncorrectDiskStatus"},
		{"disk creating", func(d *Disk, _ *Instance) { d.Status = DiskCreating }, "IncorrectDiskStatus"},
		{"other zone", func(d *Disk, _ *Instance) { d.Zone = "cn-hangzhou-j" }, "ResourcesNotInSameZone"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d, i := mod(tc.f)
			got, err := Attach(d, i, "/dev/xvdb", false, t0, oneSecond)
			if codeOf(err) != tc.want {
				t.Fatalf("got %q, want %q", codeOf(err), tc.want)
			}
			if err != nil {
				return
			}
			if got.Status != DiskAttaching || got.InstanceID != i.ID || got.Device != "/dev/xvdb" || got.DeleteWithInstance || !got.Attached.Equal(t0) {
				t.Fatalf("attached disk %+v", got)
			}
			if got = AdvanceDisk(got, t0.Add(time.Second)); got.Status != DiskInUse {
				t.Fatalf("after the delay: %s", got.Status)
			}
		})
	}
}

// TestDetach has one row per refusal of DetachDisk and the success.
func TestDetach(t *testing.T) {
	inst := zoned(running())
	attached := func() Disk {
		d := dataDisk()
		d.Status, d.InstanceID, d.Device, d.DeleteWithInstance = DiskInUse, inst.ID, "/dev/xvdb", true
		return d
	}
	cases := []struct {
		name string
		f    func(*Disk, *Instance)
		want string
	}{
		{"data disk", func(*Disk, *Instance) {}, ""},
		{"security lock", func(_ *Disk, i *Instance) { i.Locks = []Lock{{Reason: LockSecurity}} }, "InstanceLockedForSecurity"},
		{"releasing instance", func(_ *Disk, i *Instance) { i.Releasing = true }, "IncorrectInstanceStatus"},
		{"other instance", func(d *Disk, _ *Instance) { d.InstanceID = "i-other" }, "DependencyViolation"},
		{"system disk", func(d *Disk, _ *Instance) { d.Type, d.Device = DiskSystem, "/dev/xvda" }, "DiskTypeViolation"},
		{"still attaching", func(d *Disk, _ *Instance) { d.Status = DiskAttaching }, "IncorrectDiskStatus"},
		{"not portable", func(d *Disk, _ *Instance) { d.Portable = false }, "DiskNotPortable"},
		{"local disk", func(d *Disk, _ *Instance) { d.Category = "local_ssd_pro" }, "DiskNotPortable"},
		{"subscription disk", func(d *Disk, _ *Instance) { d.ChargeType = PrePaid }, "InvalidDiskChargeType.NotSupported"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d, i := attached(), inst
			tc.f(&d, &i)
			got, err := Detach(d, i, t0, oneSecond)
			if codeOf(err) != tc.want {
				t.Fatalf("got %q, want %q", codeOf(err), tc.want)
			}
			if err != nil {
				return
			}
			if got.Status != DiskDetaching || got.InstanceID != i.ID || got.DeleteWithInstance {
				t.Fatalf("detaching disk %+v", got)
			}
			got = AdvanceDisk(got, t0.Add(time.Second))
			if got.Status != DiskAvailable || got.InstanceID != "" || got.Device != "" || !got.Detached.Equal(t0.Add(time.Second)) {
				t.Fatalf("detached disk %+v", got)
			}
		})
	}
}

func TestPickDevice(t *testing.T) {
	sys := Disk{Type: DiskSystem, Device: "/dev/xvda"}
	data := func(dev string) Disk { return Disk{Type: DiskData, Device: dev} }
	full := []Disk{sys}
	for n := 1; n <= MaxDataDisks; n++ {
		full = append(full, data(DeviceName(n)))
	}
	cases := []struct {
		name     string
		attached []Disk
		want     string
		dev      string
		code     string
	}{
		{"first data disk", []Disk{sys}, "", "/dev/xvdb", ""},
		{"fills a gap", []Disk{sys, data("/dev/xvdc")}, "", "/dev/xvdb", ""},
		{"next after", []Disk{sys, data("/dev/xvdb")}, "", "/dev/xvdc", ""},
		{"chosen device", []Disk{sys}, "/dev/xvdk", "/dev/xvdk", ""},
		{"chosen device in use", []Disk{sys, data("/dev/xvdb")}, "/dev/xvdb", "", "InvalidDevice.InUse"},
		{"system device", []Disk{sys}, "/dev/xvda", "", "InvalidDevice.Malformed"},
		{"malformed device", []Disk{sys}, "/dev/sdb", "", "InvalidDevice.Malformed"},
		{"sixteen data disks", full, "", "", "InstanceDiskLimitExceeded"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dev, err := PickDevice(tc.attached, tc.want)
			if codeOf(err) != tc.code || dev != tc.dev {
				t.Fatalf("got %q %q, want %q %q", dev, codeOf(err), tc.dev, tc.code)
			}
		})
	}
}

// TestModify covers ModifyDiskAttribute and its refusal (§3.6 defaults).
func TestModify(t *testing.T) {
	no, yes, name := false, true, "renamed"
	cases := []struct {
		name   string
		disk   func(*Disk)
		change DiskChange
		want   string
	}{
		{"keep a data disk", func(*Disk) {}, DiskChange{DeleteWithInstance: &no}, ""},
		{"keep a non-portable system disk", func(d *Disk) { d.Type, d.Portable, d.Category = DiskSystem, false, "cloud_efficiency" }, DiskChange{DeleteWithInstance: &no}, ""},
		{"keep a local disk", func(d *Disk) { d.Category = "local_ssd_pro" }, DiskChange{DeleteWithInstance: &no}, "DiskNotPortable"},
		{"keep a non-portable basic disk", func(d *Disk) { d.Category, d.Portable = "cloud", false }, DiskChange{DeleteWithInstance: &no}, "DiskNotPortable"},
		{"release a local disk with its instance", func(d *Disk) { d.Category = "local_ssd_pro" }, DiskChange{DeleteWithInstance: &yes}, ""},
		{"rename a local disk", func(d *Disk) { d.Category = "local_ssd_pro" }, DiskChange{Name: &name}, ""},
		{"auto snapshot switches", func(*Disk) {}, DiskChange{DeleteAutoSnapshot: &no, EnableAutoSnapshot: &yes}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := dataDisk()
			tc.disk(&d)
			got, err := Modify(d, tc.change)
			if codeOf(err) != tc.want {
				t.Fatalf("got %q, want %q", codeOf(err), tc.want)
			}
			if err != nil {
				return
			}
			c := tc.change
			if c.DeleteWithInstance != nil && got.DeleteWithInstance != *c.DeleteWithInstance ||
				c.DeleteAutoSnapshot != nil && got.DeleteAutoSnapshot != *c.DeleteAutoSnapshot ||
				c.EnableAutoSnapshot != nil && got.EnableAutoSnapshot != *c.EnableAutoSnapshot ||
				c.Name != nil && got.Name != *c.Name || c.Name == nil && got.Name != d.Name {
				t.Fatalf("modified %+v with %+v", got, c)
			}
		})
	}
}

func TestResize(t *testing.T) {
	cases := []struct {
		name   string
		status string
		size   int
		want   string
	}{
		{"grow available", DiskAvailable, 50, ""},
		{"grow in use", DiskInUse, 50, ""},
		{"same size", DiskAvailable, 40, "InvalidDiskSize.TooSmall"},
		{"shrink", DiskAvailable, 20, "InvalidDiskSize.TooSmall"},
		{"beyond the category", DiskAvailable, 70000, "InvalidDiskSize.TooLarge"},
		{"attaching", DiskAttaching, 50, "IncorrectDiskStatus"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := dataDisk()
			d.Status = tc.status
			got, err := Resize(d, tc.size)
			if codeOf(err) != tc.want {
				t.Fatalf("got %q, want %q", codeOf(err), tc.want)
			}
			if err == nil && got.Size != tc.size {
				t.Fatalf("size %d", got.Size)
			}
		})
	}
}

func TestChangeDiskChargeType(t *testing.T) {
	sub := zoned(running())
	sub.ChargeType, sub.Expires = PrePaid, t0.AddDate(0, 1, 0)
	payg := zoned(running())
	attachedTo := func(i Instance, charge string) Disk {
		d := dataDisk()
		d.Status, d.InstanceID, d.ChargeType = DiskInUse, i.ID, charge
		return d
	}
	cases := []struct {
		name string
		disk Disk
		inst Instance
		to   string
		want string
	}{
		{"subscription to pay-as-you-go", attachedTo(sub, PrePaid), sub, PostPaid, ""},
		{"pay-as-you-go to subscription", attachedTo(sub, PostPaid), sub, PrePaid, ""},
		{"subscription on a pay-as-you-go instance", attachedTo(payg, PostPaid), payg, PrePaid, "InvalidInstanceChargeType.NotPrePaid"},
		{"disk of another instance", dataDisk(), sub, PostPaid, "DependencyViolation"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ChangeDiskChargeType(tc.disk, tc.inst, tc.to)
			if codeOf(err) != tc.want {
				t.Fatalf("got %q, want %q", codeOf(err), tc.want)
			}
			if err != nil {
				return
			}
			if got.ChargeType != tc.to || tc.to == PostPaid && !got.ExpiredTime().Equal(PostPaidDiskExpiry) || tc.to == PrePaid && !got.ExpiredTime().Equal(tc.inst.Expires) {
				t.Fatalf("converted %+v", got)
			}
		})
	}
}

// TestDeleteDisk covers DeleteDisk's rule and which snapshots go with the
// disk (S25).
func TestDeleteDisk(t *testing.T) {
	d := dataDisk()
	auto := Snapshot{ID: "s-auto", SourceDiskID: d.ID, Type: SnapshotAuto, Status: SnapshotAccomplished}
	user := Snapshot{ID: "s-user", SourceDiskID: d.ID, Type: SnapshotUser, Status: SnapshotAccomplished}
	progressing := Snapshot{ID: "s-prog", SourceDiskID: d.ID, Type: SnapshotUser, Status: SnapshotProgressing}
	other := Snapshot{ID: "s-other", SourceDiskID: "d-other", Type: SnapshotAuto, Status: SnapshotAccomplished}
	cases := []struct {
		name  string
		disk  func(*Disk)
		snaps []Snapshot
		want  string
		gone  []string
	}{
		{"available, DeleteAutoSnapshot", func(*Disk) {}, []Snapshot{auto, user, other}, "", []string{"s-auto"}},
		{"available, keeps auto snapshots", func(d *Disk) { d.DeleteAutoSnapshot = false }, []Snapshot{auto, user}, "", nil},
		{"in use", func(d *Disk) { d.Status = DiskInUse }, nil, "IncorrectDiskStatus", nil},
		{"detaching", func(d *Disk) { d.Status = DiskDetaching }, nil, "IncorrectDiskStatus", nil},
		{"snapshot in progress", func(*Disk) {}, []Snapshot{progressing}, "DiskCreatingSnapshot", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := dataDisk()
			tc.disk(&d)
			if got := codeOf(CheckDeleteDisk(d, tc.snaps)); got != tc.want {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
			if tc.want == "" {
				if gone := SnapshotsGoingWith(d, tc.snaps); !slices.Equal(gone, tc.gone) {
					t.Fatalf("released snapshots %v, want %v", gone, tc.gone)
				}
			}
		})
	}
}

// TestSnapshotRules covers CreateSnapshot, DeleteSnapshot and progress.
func TestSnapshotRules(t *testing.T) {
	d := dataDisk()
	locked := zoned(running())
	locked.Locks = []Lock{{Reason: LockSecurity}}
	free := zoned(running())
	prog := Snapshot{ID: "s-1", SourceDiskID: d.ID, Status: SnapshotProgressing}
	create := []struct {
		name  string
		disk  func(*Disk)
		inst  *Instance
		snaps []Snapshot
		want  string
	}{
		{"available disk", func(*Disk) {}, nil, nil, ""},
		{"in use disk", func(d *Disk) { d.Status = DiskInUse }, &free, nil, ""},
		{"security-locked instance", func(d *Disk) { d.Status = DiskInUse }, &locked, nil, "InstanceLockedForSecurity"},
		{"creating disk", func(d *Disk) { d.Status = DiskCreating }, nil, nil, "IncorrectDiskStatus"},
		{"previous snapshot progressing", func(*Disk) {}, nil, []Snapshot{prog}, "IncorrectDiskStatus.CreatingSnapshot"},
	}
	for _, tc := range create {
		t.Run("create/"+tc.name, func(t *testing.T) {
			d := dataDisk()
			tc.disk(&d)
			if got := codeOf(CheckCreateSnapshot(d, tc.inst, tc.snaps)); got != tc.want {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
		})
	}
	del := []struct {
		name   string
		usedBy int
		force  bool
		want   string
	}{
		{"unused", 0, false, ""},
		{"used by a disk", 1, false, "SnapshotCreatedDisk"},
		{"used by a disk, Force", 1, true, ""},
	}
	for _, tc := range del {
		t.Run("delete/"+tc.name, func(t *testing.T) {
			if got := codeOf(CheckDeleteSnapshot(prog, tc.usedBy, tc.force)); got != tc.want {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
		})
	}
	t.Run("progress over time", func(t *testing.T) {
		d := dataDisk()
		d.Status, d.InstanceID = DiskInUse, "i-a"
		s := NewSnapshot(SnapshotSpec{ID: "s-x", Type: SnapshotUser, RetentionDays: 2}, d, t0, Delays{Snapshot: Duration(4 * time.Second)})
		if s.SourceDiskType != "Data" || s.SourceDiskSize != 40 || s.InstanceID != "i-a" || s.Status != SnapshotProgressing {
			t.Fatalf("new snapshot %+v", s)
		}
		for _, step := range []struct {
			after    time.Duration
			progress string
			remain   int
		}{{0, "0%", 4}, {time.Second, "25%", 3}, {3 * time.Second, "75%", 1}} {
			if p, r := s.Progress(t0.Add(step.after)), s.RemainTime(t0.Add(step.after)); p != step.progress || r != step.remain {
				t.Fatalf("at +%s: %s %d", step.after, p, r)
			}
		}
		next, expired := AdvanceSnapshot(s, t0.Add(4*time.Second))
		if expired || next.Status != SnapshotAccomplished || next.Progress(t0.Add(5*time.Second)) != "100%" {
			t.Fatalf("done: %+v %v", next, expired)
		}
		if !next.NextDue().Equal(t0.AddDate(0, 0, 2)) {
			t.Fatalf("retention due %s", next.NextDue())
		}
		if _, expired := AdvanceSnapshot(next, t0.AddDate(0, 0, 2)); !expired {
			t.Fatal("RetentionDays did not expire the snapshot")
		}
	})
	names := []struct {
		name string
		ok   bool
	}{{"", true}, {"nightly", true}, {"x", false}, {"auto_1", false}, {"http://x", false}}
	for _, n := range names {
		if ValidSnapshotName(n.name) != n.ok {
			t.Errorf("ValidSnapshotName(%q) != %v", n.name, n.ok)
		}
	}
}

// TestNextFiring: TimePoints and RepeatWeekdays are read in UTC+8.
func TestNextFiring(t *testing.T) {
	// t0 is Thursday 2026-01-01 00:00 UTC = 08:00 UTC+8.
	cases := []struct {
		name     string
		hours    []int
		days     []int
		after    time.Time
		want     time.Time
		wantZero bool
	}{
		{"later today", []int{10}, []int{1, 2, 3, 4, 5, 6, 7}, t0, t0.Add(2 * time.Hour), false},
		{"exactly on a time point is the next one", []int{8}, []int{1, 2, 3, 4, 5, 6, 7}, t0, t0.Add(24 * time.Hour), false},
		{"tomorrow", []int{7}, []int{1, 2, 3, 4, 5, 6, 7}, t0, t0.Add(23 * time.Hour), false},
		{"midnight UTC+8 is 16:00 UTC", []int{0}, []int{5}, t0, time.Date(2026, 1, 1, 16, 0, 0, 0, time.UTC), false},
		{"next Monday", []int{8}, []int{1}, t0, t0.Add(4 * 24 * time.Hour), false},
		{"Sunday is 7", []int{9}, []int{7}, t0, time.Date(2026, 1, 4, 1, 0, 0, 0, time.UTC), false},
		{"mid-hour", []int{9}, []int{4}, t0.Add(30 * time.Minute), t0.Add(time.Hour), false},
		{"no hours", nil, []int{1}, t0, time.Time{}, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := NextFiring(tc.hours, tc.days, tc.after)
			if !got.Equal(tc.want) || tc.wantZero != got.IsZero() {
				t.Fatalf("got %s, want %s", got, tc.want)
			}
		})
	}
}

// TestFirePolicy covers which disks a firing snapshots and the schedule.
func TestFirePolicy(t *testing.T) {
	p := AutoSnapshotPolicy{ID: "sp-1", Region: "cn-hangzhou", TimePoints: []int{10}, RepeatWeekdays: []int{1, 2, 3, 4, 5, 6, 7}, RetentionDays: 3, Created: t0}
	bound := func(id string, f func(*Disk)) Disk {
		d := dataDisk()
		d.ID, d.AutoSnapshotPolicy, d.EnableAutoSnapshot, d.Status = id, p.ID, true, DiskInUse
		f(&d)
		return d
	}
	disks := []Disk{
		bound("d-bp1ok", func(*Disk) {}),
		bound("d-bp1available", func(d *Disk) { d.Status = DiskAvailable }),
		bound("d-bp1disabled", func(d *Disk) { d.EnableAutoSnapshot = false }),
		bound("d-bp1other", func(d *Disk) { d.AutoSnapshotPolicy = "sp-2" }),
		bound("d-bp1creating", func(d *Disk) { d.Status = DiskCreating }),
		bound("d-bp1busy", func(*Disk) {}),
		bound("d-bp1local", func(d *Disk) { d.Category = "local_ssd_pro" }),
	}
	at := p.NextDue()
	if !at.Equal(t0.Add(2 * time.Hour)) {
		t.Fatalf("first firing %s", at)
	}
	busy := []Snapshot{{ID: "s-b", SourceDiskID: "d-bp1busy", Status: SnapshotProgressing, DoneAt: at.Add(time.Minute)}}
	next, snaps := FirePolicy(p, disks, busy, at, oneSecond, true)
	var got []string
	for _, s := range snaps {
		got = append(got, s.SourceDiskID)
		if s.Type != SnapshotAuto || s.PolicyID != p.ID || s.RetentionDays != 3 || !s.Created.Equal(at) || s.ID[:5] != "s-bp1" || len(s.ID) != 22 {
			t.Fatalf("auto snapshot %+v", s)
		}
	}
	if !slices.Equal(got, []string{"d-bp1ok", "d-bp1available"}) {
		t.Fatalf("snapshotted %v", got)
	}
	if !next.NextDue().Equal(at.Add(24*time.Hour)) || next.Runs != 1 {
		t.Fatalf("schedule after firing: %s, runs %d", next.NextDue(), next.Runs)
	}
	manual, again := FirePolicy(next, disks, nil, at, oneSecond, false)
	if !manual.NextDue().Equal(next.NextDue()) || len(again) != 3 || again[0].ID == snaps[0].ID {
		t.Fatalf("a manual run moved the schedule or reused ids: %s %v", manual.NextDue(), again)
	}
	forever := p
	forever.RetentionDays = -1
	if _, s := FirePolicy(forever, disks[:1], nil, at, oneSecond, true); s[0].RetentionDays != 0 || !s[0].RetainUntil().IsZero() {
		t.Fatalf("RetentionDays -1 kept %d days", s[0].RetentionDays)
	}
}

func TestPolicyLists(t *testing.T) {
	if h, ok := NormalizeHours([]int{3, 1, 3}); !ok || !slices.Equal(h, []int{1, 3}) {
		t.Fatalf("hours %v %v", h, ok)
	}
	for _, bad := range [][]int{nil, {24}, {-1}} {
		if _, ok := NormalizeHours(bad); ok {
			t.Errorf("hours %v accepted", bad)
		}
	}
	for _, bad := range [][]int{nil, {0}, {8}} {
		if _, ok := NormalizeWeekdays(bad); ok {
			t.Errorf("weekdays %v accepted", bad)
		}
	}
	if JSONStrings([]int{1, 2}) != `["1","2"]` {
		t.Fatal(JSONStrings([]int{1, 2}))
	}
	for days, ok := range map[int]bool{-1: true, 0: false, 1: true, 65536: true, 65537: false} {
		if ValidPolicyRetention(days) != ok {
			t.Errorf("retention %d", days)
		}
	}
}

package ecs_test

import (
	"net/http"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/ecslocal/ecslocal/ecslocaltest"
	"github.com/ecslocal/ecslocal/internal/sdktest"
)

const everyDay = `["1","2","3","4","5","6","7"]`

// policyOn creates a policy, binds it to disks and returns its id.
func (e *env) policyOn(t *testing.T, s diskSDK, hours string, retention int, disks ...string) string {
	t.Helper()
	p, err := s.createPolicy(e, hours, everyDay, retention)
	sdktest.OK(t, err)
	sdktest.OK(t, s.applyPolicy(e, p, disks))
	return p
}

// snapshotsOfDisk splits a disk's snapshots into automatic and manual ones.
func (e *env) snapshotsOfDisk(t *testing.T, s diskSDK, disk string) (auto, user []string) {
	t.Helper()
	list, err := s.snapshots(e, snapQuery{DiskID: disk})
	sdktest.OK(t, err)
	for _, sn := range list {
		if sn.SourceDiskID != disk {
			t.Fatalf("snapshot %s names disk %s, want %s", sn.ID, sn.SourceDiskID, disk)
		}
		if sn.Type == "auto" {
			auto = append(auto, sn.ID)
		} else {
			user = append(user, sn.ID)
		}
	}
	return auto, user
}

// autoAndManual runs the policy bound to disk once and takes a manual
// snapshot, as S23–S25 do; both are accomplished on return.
func (e *env) autoAndManual(t *testing.T, s diskSDK, disk string) (auto, user string) {
	t.Helper()
	e.policyOn(t, s, `["3"]`, -1, disk)
	ran := e.s.Policies.Run(e.policyOf(t, s, disk))
	if len(ran) != 1 {
		t.Fatalf("policy run took %v", ran)
	}
	user, err := s.snapshot(e, disk, 0)
	sdktest.OK(t, err)
	e.s.Clock.Advance(time.Second)
	list, err := s.snapshots(e, snapQuery{IDs: []string{ran[0], user}})
	sdktest.OK(t, err)
	if len(list) != 2 || list[0].Type != "auto" || list[0].Status != "accomplished" || list[1].Type != "user" {
		t.Fatalf("snapshots %+v", list)
	}
	return ran[0], user
}

func (e *env) policyOf(t *testing.T, s diskSDK, disk string) string {
	t.Helper()
	v, ok := e.disk(t, s, disk)
	if !ok || v.PolicyID == "" || !v.EAS {
		t.Fatalf("disk %s has no policy: %+v", disk, v)
	}
	return v.PolicyID
}

// S23: the automatic snapshot of a released disk goes (DeleteAutoSnapshot),
// the manual one stays and still names the disk.
func TestAutoSnapshots_S23_ReleasedWithDisk(t *testing.T) {
	forEachDiskSDK(t, ecslocaltest.Options{}, func(t *testing.T, e *env, s diskSDK, d deleter) {
		id := e.run1(t, nil)
		sys, _ := e.instanceDisks(t, s, id)
		_, user := e.autoAndManual(t, s, sys.ID)
		e.releaseNow(t, d, id)
		auto, users := e.snapshotsOfDisk(t, s, sys.ID)
		if len(auto) != 0 || !slices.Equal(users, []string{user}) {
			t.Fatalf("after release: auto %v, user %v", auto, users)
		}
	})
}

// S24: DeleteAutoSnapshot=false keeps the automatic snapshot as well.
func TestAutoSnapshots_S24_DeleteAutoSnapshotFalse(t *testing.T) {
	forEachDiskSDK(t, ecslocaltest.Options{}, func(t *testing.T, e *env, s diskSDK, d deleter) {
		id := e.run1(t, nil)
		sys, _ := e.instanceDisks(t, s, id)
		sdktest.OK(t, s.modify(e, []string{sys.ID}, diskChange{DAS: bptr(false)}))
		auto, user := e.autoAndManual(t, s, sys.ID)
		e.releaseNow(t, d, id)
		gotAuto, gotUser := e.snapshotsOfDisk(t, s, sys.ID)
		if !slices.Equal(gotAuto, []string{auto}) || !slices.Equal(gotUser, []string{user}) {
			t.Fatalf("after release: auto %v, user %v", gotAuto, gotUser)
		}
	})
}

// S25: a retained disk keeps its automatic snapshot; DeleteDisk then takes
// it along but leaves the manual one.
func TestAutoSnapshots_S25_RetainedDisk(t *testing.T) {
	forEachDiskSDK(t, ecslocaltest.Options{}, func(t *testing.T, e *env, s diskSDK, d deleter) {
		id := e.run1(t, nil)
		disk := e.newDisk(t, s, 40)
		// CreateDisk keeps automatic snapshots by default; ask for their deletion.
		sdktest.OK(t, s.modify(e, []string{disk}, diskChange{DAS: bptr(true)}))
		e.attachDisk(t, s, id, disk, bptr(false))
		auto, user := e.autoAndManual(t, s, disk)
		e.releaseNow(t, d, id)
		if v := e.wantDisk(t, s, disk, "Available"); v.PolicyID == "" || !v.DAS {
			t.Fatalf("retained disk lost its policy binding: %+v", v)
		}
		gotAuto, gotUser := e.snapshotsOfDisk(t, s, disk)
		if !slices.Equal(gotAuto, []string{auto}) || !slices.Equal(gotUser, []string{user}) {
			t.Fatalf("after release: auto %v, user %v", gotAuto, gotUser)
		}
		sdktest.OK(t, s.deleteDisk(e, disk))
		gotAuto, gotUser = e.snapshotsOfDisk(t, s, disk)
		if len(gotAuto) != 0 || !slices.Equal(gotUser, []string{user}) {
			t.Fatalf("after DeleteDisk: auto %v, user %v", gotAuto, gotUser)
		}
	})
}

// A policy fires at its TimePoints (hours in UTC+8) on the emulated clock,
// and its RetentionDays expire the automatic snapshots it took.
func TestAutoSnapshotPolicy_FiresOnClock(t *testing.T) {
	forEachDiskSDK(t, ecslocaltest.Options{}, func(t *testing.T, e *env, s diskSDK, d deleter) {
		id := e.run1(t, nil)
		sys, _ := e.instanceDisks(t, s, id)
		now := e.s.Clock.Now()
		beijing := now.In(time.FixedZone("UTC+8", 8*3600))
		next := now.Truncate(time.Hour).Add(time.Hour)
		hour := strconv.Itoa(beijing.Truncate(time.Hour).Add(time.Hour).Hour())
		e.policyOn(t, s, `["`+hour+`"]`, 2, sys.ID)
		e.s.Clock.Set(next.Add(-time.Second))
		if auto, _ := e.snapshotsOfDisk(t, s, sys.ID); len(auto) != 0 {
			t.Fatalf("fired early: %v", auto)
		}
		e.s.Clock.Advance(2 * time.Second)
		first, _ := e.snapshotsOfDisk(t, s, sys.ID)
		if len(first) != 1 {
			t.Fatalf("first firing took %v", first)
		}
		e.s.Clock.Advance(24 * time.Hour)
		if auto, _ := e.snapshotsOfDisk(t, s, sys.ID); len(auto) != 2 || auto[0] != first[0] {
			t.Fatalf("second firing: %v", auto)
		}
		// Day three: the first snapshot's two days are over, a third is taken.
		e.s.Clock.Advance(24 * time.Hour)
		auto, _ := e.snapshotsOfDisk(t, s, sys.ID)
		if len(auto) != 2 || slices.Contains(auto, first[0]) {
			t.Fatalf("after retention: %v", auto)
		}
		// A week of firings while the clock jumps: one per day, retention
		// keeping the last two.
		e.s.Clock.Advance(7 * 24 * time.Hour)
		if auto, _ := e.snapshotsOfDisk(t, s, sys.ID); len(auto) != 2 {
			t.Fatalf("after a week: %v", auto)
		}
		// Cancelling stops the firings; the snapshots stay until they expire.
		sdktest.OK(t, s.cancelPolicy(e, []string{sys.ID}))
		if v, _ := e.disk(t, s, sys.ID); v.PolicyID != "" || v.EAS {
			t.Fatalf("cancelled disk %+v", v)
		}
		e.s.Clock.Advance(24 * time.Hour)
		if auto, _ := e.snapshotsOfDisk(t, s, sys.ID); len(auto) != 1 {
			t.Fatalf("after cancel: %v", auto)
		}
	})
}

// EnableAutoSnapshot=false suspends a bound policy for that disk.
func TestAutoSnapshotPolicy_DisabledDisk(t *testing.T) {
	forEachDiskSDK(t, ecslocaltest.Options{}, func(t *testing.T, e *env, s diskSDK, d deleter) {
		a, b := e.newDisk(t, s, 20), e.newDisk(t, s, 20)
		p := e.policyOn(t, s, `["0"]`, -1, a, b)
		sdktest.OK(t, s.modify(e, []string{b}, diskChange{EAS: bptr(false)}))
		ran := e.s.Policies.Run(p)
		if len(ran) != 1 {
			t.Fatalf("run took %v", ran)
		}
		if auto, _ := e.snapshotsOfDisk(t, s, a); !slices.Equal(auto, ran) {
			t.Fatalf("disk a: %v", auto)
		}
	})
}

func TestAutoSnapshotPolicy_Lifecycle(t *testing.T) {
	forEachDiskSDK(t, ecslocaltest.Options{}, func(t *testing.T, e *env, s diskSDK, d deleter) {
		id := e.run1(t, withDataDisk)
		sys, data := e.instanceDisks(t, s, id)
		loose := e.newDisk(t, s, 20)
		p, err := s.createPolicy(e, `["2","1"]`, `["1","7"]`, 30)
		sdktest.OK(t, err)
		if len(p) != 23 || p[:6] != "sp-bp1" {
			t.Fatalf("policy id %q", p)
		}
		sdktest.OK(t, s.applyPolicy(e, p, []string{sys.ID, data[0].ID, loose}))
		list, err := s.policies(e, p)
		sdktest.OK(t, err)
		if len(list) != 1 {
			t.Fatalf("policies %+v", list)
		}
		want := policyView{ID: p, Name: "nightly", TimePoints: `["1","2"]`, RepeatWeekdays: `["1","7"]`, Status: "Normal", RetentionDays: 30, DiskNums: 3}
		if list[0] != want {
			t.Fatalf("policy %+v, want %+v", list[0], want)
		}
		bound, _, _, err := s.describe(e, diskQuery{PolicyID: p})
		sdktest.OK(t, err)
		if len(bound) != 3 {
			t.Fatalf("AutoSnapshotPolicyId filter: %d disks", len(bound))
		}
		// Released disks drop out of the policy; the retained one stays.
		e.releaseNow(t, d, id)
		if list, _ = s.policies(e, p); list[0].DiskNums != 1 {
			t.Fatalf("after release: %+v", list[0])
		}
		sdktest.OK(t, s.deletePolicy(e, p))
		if list, _ = s.policies(e, p); len(list) != 0 {
			t.Fatalf("deleted policy listed: %+v", list)
		}
		if v, _ := e.disk(t, s, loose); v.PolicyID != "" {
			t.Fatalf("disk still bound to a deleted policy: %+v", v)
		}

		t.Run("refusals", func(t *testing.T) {
			sdktest.WantFail(t, s.deletePolicy(e, p), 404, "ParameterInvalid")
			sdktest.WantFail(t, s.applyPolicy(e, p, []string{loose}), 404, "ParameterInvalid")
			q, err := s.createPolicy(e, `["1"]`, everyDay, -1)
			sdktest.OK(t, err)
			sdktest.WantFail(t, s.applyPolicy(e, q, []string{loose, "d-bp1nosuchdisk00000"}), 404, "InvalidDiskId.NotFound")
			if v, _ := e.disk(t, s, loose); v.PolicyID != "" {
				t.Fatal("a refused Apply bound a disk")
			}
			sdktest.WantFail(t, s.cancelPolicy(e, []string{"d-bp1nosuchdisk00000"}), 404, "InvalidDiskId.NotFound")
			sdktest.WantFail(t, s.applyPolicy(e, q, []string{}), 403, "ParameterInvalid")
			for _, bad := range []struct{ hours, days string }{{`["24"]`, everyDay}, {`[]`, everyDay}, {`["1"]`, `["0"]`}, {`1,2`, everyDay}} {
				_, err := s.createPolicy(e, bad.hours, bad.days, 7)
				if st, _ := sdktest.Fail(err); st < 400 {
					t.Errorf("policy %v accepted", bad)
				}
			}
			_, err = s.createPolicy(e, `["1"]`, everyDay, 0)
			sdktest.WantFail(t, err, 403, "ParameterInvalid")
			_, err = s.createPolicy(e, "", everyDay, 7)
			sdktest.WantFail(t, err, 400, "MissingParameter")
		})
	})
}

// The admin run route answers 404 for an unknown policy.
func TestAutoSnapshotPolicy_RunUnknown(t *testing.T) {
	s := ecslocaltest.New(t, ecslocaltest.Options{})
	resp, err := http.Post(s.URL+"/_ecslocal/auto-snapshot-policies/sp-bp1nosuchpolicy0000/run", "application/json", nil)
	sdktest.OK(t, err)
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Fatalf("status %d", resp.StatusCode)
	}
}

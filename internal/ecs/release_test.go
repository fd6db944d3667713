package ecs_test

import (
	"sync"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	classicecs "github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"

	"github.com/ecslocal/ecslocal/ecslocaltest"
	"github.com/ecslocal/ecslocal/internal/sdktest"
)

func ptr[T any](v T) *T { return &v }

// S01: a stopped instance is released and vanishes from every listing.
func TestDeleteInstances_S01_Stopped(t *testing.T) {
	forEachSDK(t, ecslocaltest.Options{}, func(t *testing.T, e *env, d deleter) {
		id := e.run1(t, nil)
		e.stop(t, id)
		sdktest.OK(t, d.batch(e, []string{id}, del{}))
		e.s.Clock.Advance(5 * time.Second)
		e.wantStatus(t, id, "")
		r := classicecs.CreateDescribeInstanceAttributeRequest()
		r.InstanceId = id
		_, err := e.classic.DescribeInstanceAttribute(r)
		sdktest.WantFail(t, err, 404, "InvalidInstanceId.NotFound")
	})
}

// S02: Running without Force is refused and keeps running.
func TestDeleteInstances_S02_RunningWithoutForce(t *testing.T) {
	forEachSDK(t, ecslocaltest.Options{}, func(t *testing.T, e *env, d deleter) {
		id := e.run1(t, nil)
		sdktest.WantFail(t, d.batch(e, []string{id}, del{}), 403, "IncorrectInstanceStatus")
		e.wantStatus(t, id, "Running")
	})
}

// S03: Running with Force goes Stopping, Stopped, gone; never Starting.
func TestDeleteInstances_S03_ForceTimeline(t *testing.T) {
	forEachSDK(t, realistic(), func(t *testing.T, e *env, d deleter) {
		id := e.run1(t, nil)
		sdktest.OK(t, d.batch(e, []string{id}, del{Force: true}))
		e.wantStatus(t, id, "Stopping")
		e.s.Clock.Advance(time.Second) // releaseForceStop
		e.wantStatus(t, id, "Stopped")
		e.s.Clock.Advance(2 * time.Second) // releaseAfterStop
		e.wantStatus(t, id, "")
	})
	t.Run("ForceStop=false stops gracefully", func(t *testing.T) {
		e := newEnv(t, realistic())
		id := e.run1(t, nil)
		sdktest.OK(t, deleters[1].batch(e, []string{id}, del{Force: true, ForceStop: ptr(false)}))
		e.s.Clock.Advance(9 * time.Second)
		e.wantStatus(t, id, "Stopping")
		e.s.Clock.Advance(time.Second)
		e.wantStatus(t, id, "Stopped")
		e.s.Clock.Advance(2 * time.Second)
		e.wantStatus(t, id, "")
	})
}

// S04: DeleteInstance has the same rules, and NotFound after removal.
func TestDeleteInstance_S04_SingleParity(t *testing.T) {
	forEachSDK(t, ecslocaltest.Options{}, func(t *testing.T, e *env, d deleter) {
		id := e.run1(t, nil)
		sdktest.WantFail(t, d.single(e, id, del{}), 403, "IncorrectInstanceStatus")
		sdktest.OK(t, d.single(e, id, del{Force: true}))
		e.s.Clock.Advance(5 * time.Second)
		sdktest.WantFail(t, d.single(e, id, del{}), 404, "InvalidInstanceId.NotFound")
	})
}

// S05: a rebooting instance refuses release until it runs again.
func TestDeleteInstances_S05_Transitional(t *testing.T) {
	forEachSDK(t, realistic(), func(t *testing.T, e *env, d deleter) {
		id := e.run1(t, nil)
		r := classicecs.CreateRebootInstanceRequest()
		r.InstanceId = id
		_, err := e.classic.RebootInstance(r)
		sdktest.OK(t, err)
		e.wantStatus(t, id, "Stopping")
		sdktest.WantFail(t, d.batch(e, []string{id}, del{Force: true}), 403, "IncorrectInstanceStatus")
		e.s.Clock.Advance(time.Second)
		e.wantStatus(t, id, "Starting")
		sdktest.WantFail(t, d.single(e, id, del{Force: true}), 403, "IncorrectInstanceStatus")
		e.s.Clock.Advance(2 * time.Second)
		e.wantStatus(t, id, "Running")
		sdktest.OK(t, d.batch(e, []string{id}, del{Force: true}))
	})
}

// S06: Pending and the initializing window answer ...Initializing.
func TestDeleteInstances_S06_Initializing(t *testing.T) {
	forEachSDK(t, realistic(), func(t *testing.T, e *env, d deleter) {
		resp, err := e.classic.RunInstances(e.runReq())
		sdktest.OK(t, err)
		id := resp.InstanceIdSets.InstanceIdSet[0]
		e.wantStatus(t, id, "Pending")
		sdktest.WantFail(t, d.batch(e, []string{id}, del{Force: true}), 403, "IncorrectInstanceStatus.Initializing")
		sdktest.WantFail(t, d.single(e, id, del{Force: true}), 403, "IncorrectInstanceStatus.Initializing")

		e.s.Config.Patch(map[string]any{"initializingWindow": "10s"})
		resp, err = e.classic.RunInstances(e.runReq())
		sdktest.OK(t, err)
		id = resp.InstanceIdSets.InstanceIdSet[0]
		e.s.Clock.Advance(5 * time.Second)
		e.wantStatus(t, id, "Running")
		sdktest.WantFail(t, d.batch(e, []string{id}, del{Force: true}), 403, "IncorrectInstanceStatus.Initializing")
		e.s.Clock.Advance(10 * time.Second)
		sdktest.OK(t, d.batch(e, []string{id}, del{Force: true}))
	})
}

// S07: a second call during release is refused, then NotFound.
func TestDeleteInstances_S07_DoubleDelete(t *testing.T) {
	forEachSDK(t, realistic(), func(t *testing.T, e *env, d deleter) {
		id := e.run1(t, nil)
		sdktest.OK(t, d.batch(e, []string{id}, del{Force: true, Token: "first"}))
		sdktest.WantFail(t, d.batch(e, []string{id}, del{Force: true, Token: "second"}), 403, "IncorrectInstanceStatus")
		sdktest.WantFail(t, d.single(e, id, del{Force: true}), 403, "IncorrectInstanceStatus")
		e.s.Clock.Advance(5 * time.Second)
		sdktest.WantFail(t, d.batch(e, []string{id}, del{Force: true}), 404, "InvalidInstanceIds.NotFound")
	})
}

// S08: deletion protection refuses whatever Force says, until switched off.
func TestDeleteInstances_S08_DeletionProtection(t *testing.T) {
	forEachSDK(t, ecslocaltest.Options{}, func(t *testing.T, e *env, d deleter) {
		id := e.run1(t, func(r *classicecs.RunInstancesRequest) { r.DeletionProtection = requests.NewBoolean(true) })
		sdktest.WantFail(t, d.batch(e, []string{id}, del{Force: true}), 403, "InvalidOperation.DeletionProtection")
		e.stop(t, id)
		sdktest.WantFail(t, d.batch(e, []string{id}, del{}), 403, "InvalidOperation.DeletionProtection")
		sdktest.WantFail(t, d.single(e, id, del{}), 403, "InvalidOperation.DeletionProtection")
		m := classicecs.CreateModifyInstanceAttributeRequest()
		m.InstanceId, m.DeletionProtection = id, requests.NewBoolean(false)
		_, err := e.classic.ModifyInstanceAttribute(m)
		sdktest.OK(t, err)
		sdktest.OK(t, d.batch(e, []string{id}, del{}))
	})
}

func prepaid(r *classicecs.RunInstancesRequest) {
	r.InstanceChargeType, r.Period, r.PeriodUnit = "PrePaid", requests.NewInteger(1), "Month"
}

// S09–S10: subscriptions need expiry and TerminateSubscription.
func TestDeleteInstances_S09_S10_Subscription(t *testing.T) {
	forEachSDK(t, ecslocaltest.Options{}, func(t *testing.T, e *env, d deleter) {
		id := e.run1(t, prepaid)
		e.stop(t, id)
		sdktest.WantFail(t, d.batch(e, []string{id}, del{}), 403, "ChargeTypeViolation")
		sdktest.WantFail(t, d.batch(e, []string{id}, del{Terminate: true}), 403, "ChargeTypeViolation")
		sdktest.WantFail(t, d.single(e, id, del{Terminate: true}), 403, "ChargeTypeViolation")

		s := classicecs.CreateStartInstanceRequest()
		s.InstanceId = id
		_, err := e.classic.StartInstance(s)
		sdktest.OK(t, err)
		e.s.Clock.Advance(10 * time.Second)
		e.wantStatus(t, id, "Running")
		e.s.Clock.Advance(32 * 24 * time.Hour) // past ExpiredTime
		e.wantStatus(t, id, "Stopped")
		_, err = e.classic.StartInstance(s)
		sdktest.WantFail(t, err, 403, "InstanceExpiredOrInArrears")
		sdktest.WantFail(t, d.batch(e, []string{id}, del{}), 403, "ChargeTypeViolation")
		sdktest.OK(t, d.batch(e, []string{id}, del{Terminate: true}))
		e.s.Clock.Advance(5 * time.Second)
		e.wantStatus(t, id, "")
	})
}

// S11: an expired subscription is released 15 days after expiry.
func TestDeleteInstances_S11_ExpiredAutoRelease(t *testing.T) {
	e := newEnv(t, ecslocaltest.Options{})
	id := e.run1(t, prepaid)
	expires := e.expiredTime(t, id)
	e.s.Clock.Set(expires.Add(time.Minute))
	e.wantStatus(t, id, "Stopped")
	e.s.Clock.Set(expires.Add(15*24*time.Hour - time.Minute))
	e.wantStatus(t, id, "Stopped")
	e.s.Clock.Advance(2 * time.Minute)
	e.wantStatus(t, id, "")
}

// S12: Terraform's PrePaid path converts to PostPaid, then deletes.
func TestDeleteInstance_S12_TerraformPrePaid(t *testing.T) {
	forEachSDK(t, realistic(), func(t *testing.T, e *env, d deleter) {
		id := e.run1(t, prepaid)
		m := classicecs.CreateModifyInstanceChargeTypeRequest()
		m.InstanceIds, m.InstanceChargeType, m.AutoPay, m.ClientToken = `["`+id+`"]`, "PostPaid", requests.NewBoolean(true), "tf-token"
		resp, err := e.classic.ModifyInstanceChargeType(m)
		sdktest.OK(t, err)
		if resp.OrderId == "" {
			t.Fatal("no OrderId")
		}
		if got := e.chargeType(t, id); got != "PrePaid" {
			t.Fatalf("charge type visible at once: %s", got)
		}
		e.s.Clock.Advance(2 * time.Second)
		if got := e.chargeType(t, id); got != "PostPaid" {
			t.Fatalf("charge type %s", got)
		}
		sdktest.OK(t, d.single(e, id, del{Force: true}))
		e.s.Clock.Advance(5 * time.Second)
		e.wantStatus(t, id, "")
	})
}

func (e *env) expiredTime(t *testing.T, id string) time.Time {
	t.Helper()
	r := classicecs.CreateDescribeInstancesRequest()
	r.InstanceIds = `["` + id + `"]`
	resp, err := e.classic.DescribeInstances(r)
	sdktest.OK(t, err)
	at, err := time.Parse("2006-01-02T15:04Z", resp.Instances.Instance[0].ExpiredTime)
	if err != nil {
		t.Fatal(err)
	}
	return at
}

func (e *env) chargeType(t *testing.T, id string) string {
	t.Helper()
	r := classicecs.CreateDescribeInstancesRequest()
	r.InstanceIds = `["` + id + `"]`
	resp, err := e.classic.DescribeInstances(r)
	sdktest.OK(t, err)
	return resp.Instances.Instance[0].InstanceChargeType
}

// S13–S15: not found, partial not found and mixed batches are all or nothing.
func TestDeleteInstances_S13_S15_NotFoundAndAtomicity(t *testing.T) {
	forEachSDK(t, ecslocaltest.Options{}, func(t *testing.T, e *env, d deleter) {
		sdktest.WantFail(t, d.batch(e, []string{"i-bp1nosuchinstance00"}, del{}), 404, "InvalidInstanceIds.NotFound")
		sdktest.WantFail(t, d.single(e, "i-bp1nosuchinstance00", del{}), 404, "InvalidInstanceId.NotFound")
		ids := e.run(t, func(r *classicecs.RunInstancesRequest) { r.Amount = requests.NewInteger(2) })
		a, b := ids[0], ids[1]
		e.stop(t, a)
		sdktest.WantFail(t, d.batch(e, []string{a, "i-bp1nosuchinstance00"}, del{}), 404, "InvalidInstanceId.NotFound")
		e.wantStatus(t, a, "Stopped")
		sdktest.WantFail(t, d.batch(e, []string{a, b}, del{}), 403, "IncorrectInstanceStatus")
		e.wantStatus(t, a, "Stopped")
		e.wantStatus(t, b, "Running")
		sdktest.OK(t, d.batch(e, []string{a, b}, del{Force: true}))
		e.s.Clock.Advance(5 * time.Second)
		e.wantStatus(t, a, "")
		e.wantStatus(t, b, "")
	})
}

// S16: limits on the number of ids and the required parameters.
func TestDeleteInstances_S16_Limits(t *testing.T) {
	forEachSDK(t, ecslocaltest.Options{}, func(t *testing.T, e *env, d deleter) {
		many := make([]string, 101)
		for i := range many {
			many[i] = "i-bp1x"
		}
		sdktest.WantFail(t, d.batch(e, many, del{}), 403, "InvalidParameter.TooManyInstanceIds")
		sdktest.WantFail(t, d.batch(e, nil, del{}), 400, "MissingParameter")
		ids := e.run(t, func(r *classicecs.RunInstancesRequest) { r.Amount = requests.NewInteger(100) })
		if len(ids) != 100 {
			t.Fatalf("%d ids", len(ids))
		}
		sdktest.OK(t, d.batch(e, ids, del{Force: true}))
		e.s.Clock.Advance(5 * time.Second)
		r := classicecs.CreateDescribeInstancesRequest()
		resp, err := e.classic.DescribeInstances(r)
		sdktest.OK(t, err)
		if resp.TotalCount != 0 {
			t.Fatalf("%d left", resp.TotalCount)
		}
	})
	t.Run("missing RegionId", func(t *testing.T) {
		e := newEnv(t, ecslocaltest.Options{})
		_, err := e.v7.DeleteInstances(v7Delete(nil, []string{"i-1"}))
		sdktest.WantFail(t, err, 400, "MissingParameter")
	})
}

// S17: repeated ids release once; the switch refuses them instead.
func TestDeleteInstances_S17_DuplicateIDs(t *testing.T) {
	forEachSDK(t, ecslocaltest.Options{}, func(t *testing.T, e *env, d deleter) {
		ids := e.run(t, func(r *classicecs.RunInstancesRequest) { r.Amount = requests.NewInteger(2) })
		e.stop(t, ids[0])
		e.stop(t, ids[1])
		sdktest.OK(t, d.batch(e, []string{ids[0], ids[0]}, del{}))
		e.s.Config.Patch(map[string]any{"rejectDuplicateIds": true})
		sdktest.WantFail(t, d.batch(e, []string{ids[1], ids[1]}, del{}), 403, "InvalidInstanceIds.ValueNotSupported")
		e.s.Clock.Advance(5 * time.Second)
		e.wantStatus(t, ids[0], "")
		e.wantStatus(t, ids[1], "Stopped")
	})
}

// S18: a dry run checks everything and changes nothing.
func TestDeleteInstances_S18_DryRun(t *testing.T) {
	forEachSDK(t, ecslocaltest.Options{}, func(t *testing.T, e *env, d deleter) {
		ids := e.run(t, func(r *classicecs.RunInstancesRequest) { r.Amount = requests.NewInteger(2) })
		a, running := ids[0], ids[1]
		e.stop(t, a)
		sdktest.WantFail(t, d.batch(e, []string{a}, del{DryRun: true}), 400, "DryRunOperation")
		sdktest.WantFail(t, d.single(e, a, del{DryRun: true}), 400, "DryRunOperation")
		sdktest.WantFail(t, d.batch(e, []string{running}, del{DryRun: true}), 403, "IncorrectInstanceStatus")
		e.s.Config.Patch(map[string]any{"dryRunSuccessCode": "DRYRUN.SUCCESS"})
		sdktest.WantFail(t, d.batch(e, []string{a}, del{DryRun: true}), 400, "DRYRUN.SUCCESS")
		// DeleteInstance always answers DryRunOperation (§3.7).
		sdktest.WantFail(t, d.single(e, a, del{DryRun: true}), 400, "DryRunOperation")
		e.s.Clock.Advance(5 * time.Second)
		e.wantStatus(t, a, "Stopped")
	})
}

// S19: a ClientToken replays the success, before and after removal, and
// refuses other parameters.
func TestDeleteInstances_S19_ClientToken(t *testing.T) {
	forEachSDK(t, realistic(), func(t *testing.T, e *env, d deleter) {
		ids := e.run(t, func(r *classicecs.RunInstancesRequest) { r.Amount = requests.NewInteger(2) })
		a, b := ids[0], ids[1]
		e.stop(t, a)
		sdktest.OK(t, d.batch(e, []string{a}, del{Token: "T"}))
		sdktest.OK(t, d.batch(e, []string{a}, del{Token: "T"}))
		e.s.Clock.Advance(5 * time.Second)
		e.wantStatus(t, a, "")
		sdktest.OK(t, d.batch(e, []string{a}, del{Token: "T"}))
		sdktest.WantFail(t, d.batch(e, []string{b}, del{Token: "T"}), 400, "IdempotentParameterMismatch")
		e.wantStatus(t, b, "Running")
	})
}

// S20: RunInstances with one ClientToken creates once.
func TestRunInstances_S20_ClientToken(t *testing.T) {
	e := newEnv(t, ecslocaltest.Options{})
	r := e.runReq()
	r.ClientToken = "run-once"
	first, err := e.classic.RunInstances(r)
	sdktest.OK(t, err)
	second, err := e.classic.RunInstances(r)
	sdktest.OK(t, err)
	if first.InstanceIdSets.InstanceIdSet[0] != second.InstanceIdSets.InstanceIdSet[0] {
		t.Fatalf("replay made another instance: %v %v", first.InstanceIdSets, second.InstanceIdSets)
	}
	all, err := e.classic.DescribeInstances(classicecs.CreateDescribeInstancesRequest())
	sdktest.OK(t, err)
	if all.TotalCount != 1 {
		t.Fatalf("%d instances", all.TotalCount)
	}
	r.InstanceName = "other"
	_, err = e.classic.RunInstances(r)
	sdktest.WantFail(t, err, 400, "IdempotentParameterMismatch")
}

// S37: AutoReleaseTime releases even a protected instance.
func TestDeleteInstances_S37_AutoRelease(t *testing.T) {
	e := newEnv(t, ecslocaltest.Options{})
	// A whole minute: the API keeps AutoReleaseTime to the minute.
	at := e.s.Clock.Now().Add(31 * time.Minute).Truncate(time.Minute)
	id := e.run1(t, func(r *classicecs.RunInstancesRequest) {
		r.AutoReleaseTime, r.DeletionProtection = at.Format("2006-01-02T15:04:05Z"), requests.NewBoolean(true)
	})
	e.s.Clock.Set(at.Add(-time.Minute))
	e.wantStatus(t, id, "Running")
	e.s.Clock.Set(at.Add(time.Second))
	e.wantStatus(t, id, "")
}

// S38: a batch may not span regions; another region's instance is not found.
func TestDeleteInstances_S38_CrossRegion(t *testing.T) {
	forEachSDK(t, ecslocaltest.Options{}, func(t *testing.T, e *env, d deleter) {
		a := e.run1(t, nil)
		e.stop(t, a)
		b := otherRegionInstance(t, e)
		sdktest.WantFail(t, d.batch(e, []string{a, b}, del{Force: true}), 400, "InvalidParameter.CrossRegionNotSupport")
		sdktest.WantFail(t, d.batch(e, []string{a}, del{Force: true, Region: "cn-shanghai"}), 404, "InvalidInstanceIds.NotFound")
		e.wantStatus(t, a, "Stopped")
	})
}

// S39: Terraform's delete loop: DeleteInstance Force, poll every 3 s, only
// Running/Stopping/Stopped seen, then gone; a repeat answers 404.
func TestDeleteInstance_S39_TerraformLoop(t *testing.T) {
	forEachSDK(t, realistic(), func(t *testing.T, e *env, d deleter) {
		id := e.run1(t, nil)
		retryable := map[string]bool{"IncorrectInstanceStatus": true, "DependencyViolation.RouteEntry": true, "IncorrectInstanceStatus.Initializing": true}
		for {
			err := d.single(e, id, del{Force: true})
			if err == nil {
				break
			}
			if _, code := sdktest.Fail(err); !retryable[code] {
				t.Fatalf("terraform would fail: %v", err)
			}
			e.s.Clock.Advance(3 * time.Second)
		}
		e.s.Clock.Advance(10 * time.Second)
		for polls := 0; ; polls++ {
			st := e.status(t, id)
			if st == "" {
				break
			}
			if st != "Running" && st != "Stopping" && st != "Stopped" && st != "Pending" {
				t.Fatalf("unexpected status %s", st)
			}
			if polls > 100 {
				t.Fatal("never released")
			}
			e.s.Clock.Advance(3 * time.Second)
		}
		sdktest.WantFail(t, d.single(e, id, del{Force: true}), 404, "InvalidInstanceId.NotFound")
	})
}

// Packer deletes right after the build, retrying only ...Initializing.
func TestDeleteInstance_PackerLoop(t *testing.T) {
	e := newEnv(t, realistic())
	e.s.Config.Patch(map[string]any{"initializingWindow": "10s"})
	resp, err := e.classic.RunInstances(e.runReq())
	sdktest.OK(t, err)
	id := resp.InstanceIdSets.InstanceIdSet[0]
	e.s.Clock.Advance(5 * time.Second) // the build ran: Running, inside the window
	for tries := 0; ; tries++ {
		err := deleters[0].single(e, id, del{Force: true})
		if err == nil {
			break
		}
		sdktest.WantFail(t, err, 403, "IncorrectInstanceStatus.Initializing")
		if tries > 20 {
			t.Fatal("never released")
		}
		e.s.Clock.Advance(3 * time.Second)
	}
	e.s.Clock.Advance(5 * time.Second)
	e.wantStatus(t, id, "")
}

// Two concurrent deletes of one instance: exactly one is accepted.
func TestDeleteInstances_ConcurrentSingleWinner(t *testing.T) {
	e := newEnv(t, realistic())
	id := e.run1(t, nil)
	e.stop(t, id)
	const n = 8
	var wg sync.WaitGroup
	errs := make([]error, n)
	for k := 0; k < n; k++ {
		// One classic client per goroutine: neither SDK is safe for concurrent
		// use of one client, and the v7 SDK races on a process-wide pool of
		// HTTP clients (tea/dara DoRequest), so concurrency goes through classic.
		own := &env{s: e.s, classic: sdktest.ClassicECS(t, e.s)}
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[k] = deleters[0].batch(own, []string{id}, del{})
		}()
	}
	wg.Wait()
	wins := 0
	for _, err := range errs {
		if err == nil {
			wins++
			continue
		}
		sdktest.WantFail(t, err, 403, "IncorrectInstanceStatus")
	}
	if wins != 1 {
		t.Fatalf("%d winners", wins)
	}
}

// RunInstances retried at once with one ClientToken creates instances once.
func TestRunInstances_ConcurrentClientToken(t *testing.T) {
	e := newEnv(t, ecslocaltest.Options{})
	const n = 8
	var wg sync.WaitGroup
	got := make([]string, n)
	for k := 0; k < n; k++ {
		client := sdktest.ClassicECS(t, e.s)
		wg.Add(1)
		go func(k int) {
			defer wg.Done()
			r := e.runReq()
			r.ClientToken, r.Amount = "same-token", requests.NewInteger(3)
			resp, err := client.RunInstances(r)
			if err != nil {
				t.Error(err)
				return
			}
			got[k] = resp.InstanceIdSets.InstanceIdSet[0]
		}(k)
	}
	wg.Wait()
	for k := range got {
		if got[k] != got[0] {
			t.Fatalf("different answers: %v", got)
		}
	}
	all, err := e.classic.DescribeInstances(classicecs.CreateDescribeInstancesRequest())
	sdktest.OK(t, err)
	if all.TotalCount != 3 {
		t.Fatalf("%d instances", all.TotalCount)
	}
}

// S40 (instance part): faults answer their code and change nothing.
func TestDeleteInstances_Faults(t *testing.T) {
	forEachSDK(t, ecslocaltest.Options{}, func(t *testing.T, e *env, d deleter) {
		id := e.run1(t, nil)
		e.stop(t, id)
		e.s.Faults.Arm(ecslocaltest.Fault{Action: "DeleteInstances", Code: "Throttling"})
		sdktest.WantFail(t, d.batch(e, []string{id}, del{}), 400, "Throttling")
		e.s.Faults.Arm(ecslocaltest.Fault{Action: "DeleteInstances", Code: "InternalError", HTTPStatus: 500})
		sdktest.WantFail(t, d.batch(e, []string{id}, del{}), 500, "InternalError")
		e.s.Faults.Arm(ecslocaltest.Fault{Action: "DeleteInstances", Code: "InstanceLockedForSecurity", ResourceID: id})
		sdktest.WantFail(t, d.batch(e, []string{id}, del{}), 403, "InstanceLockedForSecurity")
		e.s.Clock.Advance(5 * time.Second)
		e.wantStatus(t, id, "Stopped")
		sdktest.OK(t, d.batch(e, []string{id}, del{}))
	})
}

// Security lock: instance operations refused, release unaffected (§2).
func TestDeleteInstances_SecurityLock(t *testing.T) {
	forEachSDK(t, ecslocaltest.Options{}, func(t *testing.T, e *env, d deleter) {
		id := e.run1(t, nil)
		e.s.Locks.Add(id, "security")
		m := classicecs.CreateModifyInstanceAttributeRequest()
		m.InstanceId, m.InstanceName = id, "renamed"
		_, err := e.classic.ModifyInstanceAttribute(m)
		sdktest.WantFail(t, err, 403, "InstanceLockedForSecurity")
		rb := classicecs.CreateRebootInstanceRequest()
		rb.InstanceId = id
		_, err = e.classic.RebootInstance(rb)
		sdktest.WantFail(t, err, 403, "InstanceLockedForSecurity")
		e.stop(t, id)
		st := classicecs.CreateStartInstanceRequest()
		st.InstanceId = id
		_, err = e.classic.StartInstance(st)
		sdktest.WantFail(t, err, 403, "InstanceLockedForSecurity")
		sdktest.OK(t, d.batch(e, []string{id}, del{Force: true}))
	})
}

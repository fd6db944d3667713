package cloud

import (
	"testing"
	"time"
)

func TestInvocationRules(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	d := Delays{Invocation: Duration(time.Second)}
	v := NewInvocation(Invocation{ID: "t-1"}, []Instance{{ID: "i-1", Status: StatusRunning}, {ID: "i-2", Status: StatusStopped}}, t0, d)
	if v.Instances[0].Status != InvocationPending || v.Instances[1].Status != InvocationAborted || OverallStatus(v) != InvocationPending {
		t.Fatalf("new: %+v", v.Instances)
	}
	if !v.NextDue().Equal(t0.Add(time.Second)) {
		t.Fatalf("due %v", v.NextDue())
	}
	// Two steps at once when the clock jumps; each at its own time.
	done := AdvanceInvocation(v, t0.Add(time.Hour), d)
	ii := done.Instances[0]
	if ii.Status != InvocationSuccess || !ii.Start.Equal(t0.Add(time.Second)) || !ii.Finish.Equal(t0.Add(2*time.Second)) || !done.NextDue().IsZero() {
		t.Fatalf("done: %+v", ii)
	}
	if OverallStatus(done) != InvocationPartFailed || InvokeStatus(done) != "PartialFinished" {
		t.Fatalf("overall %s %s", OverallStatus(done), InvokeStatus(done))
	}
	// Stop: the Pending one is Cancelled; a running one finishes.
	stopped, ok := StopInvocationRule(v, nil, t0)
	if !ok || stopped.Instances[0].Status != InvocationCancelled {
		t.Fatalf("stop: %+v", stopped.Instances)
	}
	running := AdvanceInvocation(v, t0.Add(time.Second), d)
	if kept, ok := StopInvocationRule(running, nil, t0); !ok || kept.Instances[0].Status != InvocationRunning {
		t.Fatalf("stop running: %+v", kept.Instances)
	}
	if _, ok := StopInvocationRule(done, nil, t0); ok {
		t.Fatal("a finished invocation stopped")
	}
	// Release: the released instance's run is Terminated; the others untouched.
	ended, changed := EndForReleased(running, "i-1", t0.Add(time.Second))
	if !changed || ended.Instances[0].Status != InvocationTerminated || ended.Instances[0].ErrorCode != "InstanceReleased" {
		t.Fatalf("released: %+v", ended.Instances[0])
	}
	if _, changed := EndForReleased(done, "i-1", t0); changed {
		t.Fatal("a finished run changed on release")
	}
}

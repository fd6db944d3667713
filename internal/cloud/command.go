package cloud

import (
	"context"
	"slices"
	"time"
)

// Cloud Assistant: commands and their invocations on instances.

// Stored kinds.
const (
	KindCommand    = "command"
	KindInvocation = "invocation"
)

// Command is a saved Cloud Assistant command (CreateCommand, or RunCommand
// with KeepCommand). Its content is kept as given, Base64.
type Command struct {
	ID              string    `json:"id"`
	Region          string    `json:"region"`
	Name            string    `json:"name"`
	Description     string    `json:"description,omitempty"`
	Type            string    `json:"type"` // RunShellScript | RunBatScript | RunPowerShellScript
	Content         string    `json:"content"`
	WorkingDir      string    `json:"workingDir,omitempty"`
	Timeout         int       `json:"timeout"` // seconds
	EnableParameter bool      `json:"enableParameter,omitempty"`
	InvokeTimes     int       `json:"invokeTimes,omitempty"`
	ResourceGroup   string    `json:"resourceGroup,omitempty"`
	Created         time.Time `json:"created"`
}

// Kind implements Resource.
func (Command) Kind() string { return KindCommand }

// Key implements Resource.
func (c Command) Key() string { return c.ID }

// RegionID implements Resource.
func (c Command) RegionID() string { return c.Region }

// NextDue implements Resource.
func (Command) NextDue() time.Time { return time.Time{} }

// Indexes implements Resource.
func (c Command) Indexes() []Index { return []Index{{IdxName, c.Name}, {IdxType, c.Type}} }

// commandKind declares the kind to the registry (registry.go). A command
// belongs to no instance: it has no place in a release.
var commandKind = Kind{
	Name:   KindCommand,
	Prefix: "c",
	Indexes: []IndexDecl{
		{IdxName, "DescribeCommands Name"},
		{IdxType, "DescribeCommands Type"},
	},
	Decode: decoder[Command](),
}

// Per-instance invocation statuses (InvocationStatus of InvokeInstance).
const (
	InvocationPending    = "Pending"
	InvocationRunning    = "Running"
	InvocationSuccess    = "Success"
	InvocationFailed     = "Failed"
	InvocationAborted    = "Aborted"
	InvocationCancelled  = "Cancelled"
	InvocationTerminated = "Terminated"
	InvocationStopped    = "Stopped"
	InvocationPartFailed = "PartialFailed"
)

// InvokedInstance is one instance of an invocation: Pending → Running →
// Success on the clock, each step the "invocation" delay.
type InvokedInstance struct {
	InstanceID string    `json:"instanceId"`
	Status     string    `json:"status"`
	Created    time.Time `json:"created"`
	Next       time.Time `json:"next,omitzero"` // when the next step is due; zero when final
	Start      time.Time `json:"start,omitzero"`
	Finish     time.Time `json:"finish,omitzero"`
	Stop       time.Time `json:"stop,omitzero"`
	ExitCode   int       `json:"exitCode,omitempty"`
	ErrorCode  string    `json:"errorCode,omitempty"`
	ErrorInfo  string    `json:"errorInfo,omitempty"`
}

// Final tells whether the instance's run is over.
func (ii InvokedInstance) Final() bool {
	return ii.Status != InvocationPending && ii.Status != InvocationRunning
}

// Invocation is one run of a command on instances (InvokeCommand,
// RunCommand). It keeps the command as it was run: the command may change
// or go afterwards.
type Invocation struct {
	ID          string            `json:"id"`
	Region      string            `json:"region"`
	CommandID   string            `json:"commandId"`
	CommandName string            `json:"commandName,omitempty"`
	CommandType string            `json:"commandType"`
	Content     string            `json:"content"`
	Description string            `json:"description,omitempty"`
	WorkingDir  string            `json:"workingDir,omitempty"`
	Username    string            `json:"username,omitempty"`
	Timeout     int               `json:"timeout"`
	Created     time.Time         `json:"created"`
	Instances   []InvokedInstance `json:"instances"`
}

// Kind implements Resource.
func (Invocation) Kind() string { return KindInvocation }

// Key implements Resource.
func (v Invocation) Key() string { return v.ID }

// RegionID implements Resource.
func (v Invocation) RegionID() string { return v.Region }

// Indexes implements Resource.
func (v Invocation) Indexes() []Index {
	out := []Index{{IdxCommand, v.CommandID}}
	for _, ii := range v.Instances {
		out = append(out, Index{IdxInstance, ii.InstanceID})
	}
	return out
}

// NextDue implements Resource: the earliest next step of its instances.
func (v Invocation) NextDue() time.Time {
	var due time.Time
	for _, ii := range v.Instances {
		if !ii.Final() && (due.IsZero() || ii.Next.Before(due)) {
			due = ii.Next
		}
	}
	return due
}

// NewInvocation starts v on instances: a Running instance goes Pending,
// one that is not is Aborted at once, as the cloud answers an instance that
// is not running when the task is created.
func NewInvocation(v Invocation, insts []Instance, now time.Time, d Delays) Invocation {
	for _, inst := range insts {
		ii := InvokedInstance{InstanceID: inst.ID, Status: InvocationPending, Created: now, Next: now.Add(d.Invocation.D())}
		if inst.Status != StatusRunning || inst.busy() {
			ii.Status, ii.Next, ii.Finish = InvocationAborted, time.Time{}, now
			ii.ErrorCode, ii.ErrorInfo = "InstanceNotRunning", "the instance is not running when create task"
		}
		v.Instances = append(v.Instances, ii)
	}
	v.Created = now
	return v
}

// AdvanceInvocation moves each instance's run on to now: Pending → Running
// → Success (exit code 0, empty output), one "invocation" delay a step.
func AdvanceInvocation(v Invocation, now time.Time, d Delays) Invocation {
	out := make([]InvokedInstance, len(v.Instances))
	for k, ii := range v.Instances {
		for !ii.Final() && !ii.Next.After(now) {
			at := ii.Next
			switch ii.Status {
			case InvocationPending:
				ii.Status, ii.Start, ii.Next = InvocationRunning, at, at.Add(d.Invocation.D())
			case InvocationRunning:
				ii.Status, ii.Finish, ii.Next, ii.ExitCode = InvocationSuccess, at, time.Time{}, 0
			}
		}
		out[k] = ii
	}
	v.Instances = out
	return v
}

// StopInvocationRule is StopInvocation: instances that have not started
// (Pending) are Cancelled; ones already running finish, as the cloud's
// reference says of a one-time invocation. only, when not empty, narrows
// it to those instances. stopped reports whether anything was left to stop.
func StopInvocationRule(v Invocation, only []string, now time.Time) (Invocation, bool) {
	out, stopped := make([]InvokedInstance, len(v.Instances)), false
	for k, ii := range v.Instances {
		if ii.Status == InvocationPending && (len(only) == 0 || slices.Contains(only, ii.InstanceID)) {
			ii.Status, ii.Next, ii.Stop = InvocationCancelled, time.Time{}, now
			stopped = true
		} else if ii.Status == InvocationRunning && (len(only) == 0 || slices.Contains(only, ii.InstanceID)) {
			stopped = true
		}
		out[k] = ii
	}
	v.Instances = out
	return v, stopped
}

// EndForReleased ends the runs of a released instance: Terminated, as the
// cloud reports "the instance has released when create task".
func EndForReleased(v Invocation, instanceID string, at time.Time) (Invocation, bool) {
	out, changed := make([]InvokedInstance, len(v.Instances)), false
	for k, ii := range v.Instances {
		if ii.InstanceID == instanceID && !ii.Final() {
			ii.Status, ii.Next, ii.Stop, ii.Finish = InvocationTerminated, time.Time{}, at, at
			ii.ErrorCode, ii.ErrorInfo = "InstanceReleased", "the instance has released when create task"
			changed = true
		}
		out[k] = ii
	}
	v.Instances = out
	return v, changed
}

// OverallStatus is the invocation's InvocationStatus from its instances'.
func OverallStatus(v Invocation) string {
	var pending, running, success, failed, stopped int
	for _, ii := range v.Instances {
		switch ii.Status {
		case InvocationPending:
			pending++
		case InvocationRunning:
			running++
		case InvocationSuccess:
			success++
		case InvocationCancelled, InvocationTerminated:
			stopped++
		default:
			failed++
		}
	}
	switch {
	case pending > 0:
		return InvocationPending
	case running > 0:
		return InvocationRunning
	case success > 0 && failed > 0:
		return InvocationPartFailed
	case success > 0:
		return InvocationSuccess
	case failed > 0:
		return InvocationFailed
	}
	return InvocationStopped
}

// InvokeStatus is the older summary: Running, Finished, Failed, Stopped or
// PartialFinished.
func InvokeStatus(v Invocation) string {
	switch OverallStatus(v) {
	case InvocationPending, InvocationRunning:
		return "Running"
	case InvocationSuccess:
		return "Finished"
	case InvocationPartFailed:
		return "PartialFinished"
	case InvocationFailed:
		return "Failed"
	}
	return "Stopped"
}

// invocationKind declares the kind to the registry (registry.go): it
// advances on the clock, and the release of an instance ends its runs.
var invocationKind = Kind{
	Name:   KindInvocation,
	Prefix: "t",
	Indexes: []IndexDecl{
		{IdxCommand, "DescribeInvocations CommandId"},
		{IdxInstance, "DescribeInvocations InstanceId; the runs a release ends"},
	},
	Decode: decoder[Invocation](),
	Advance: func(_ context.Context, _ Lookup, r Resource, now time.Time, cfg Config) (Transition, error) {
		return Transition{Next: AdvanceInvocation(r.(Invocation), now, cfg.Delays)}, nil
	},
	Release: &ReleaseDecl{
		By:   IdxInstance,
		Keys: func(rel *Released) []string { return []string{rel.Instance.ID} },
		Effect: func(found []Resource, rel *Released) (put, del []Resource) {
			for _, v := range each[Invocation](found) {
				if next, changed := EndForReleased(v, rel.Instance.ID, rel.At); changed {
					put = append(put, next)
				}
			}
			return put, nil
		},
	},
}

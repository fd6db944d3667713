package ecs_test

import (
	"encoding/base64"
	"net/http"
	"testing"
	"time"

	ecs "github.com/alibabacloud-go/ecs-20140526/v7/client"
	"github.com/alibabacloud-go/tea/dara"
	classicecs "github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"

	"github.com/ecslocal/ecslocal/internal/sdktest"
)

// runStatus is each instance's InvocationStatus of an invocation, and the overall one.
func (e *env) runStatus(t *testing.T, invoke string) (overall string, per map[string]string) {
	t.Helper()
	resp, err := e.v7.DescribeInvocations(&ecs.DescribeInvocationsRequest{RegionId: dara.String(region), InvokeId: dara.String(invoke)})
	sdktest.OK(t, err)
	if len(resp.Body.Invocations.Invocation) != 1 {
		t.Fatalf("invocation %s: %v", invoke, resp.Body)
	}
	v := resp.Body.Invocations.Invocation[0]
	per = map[string]string{}
	for _, ii := range v.InvokeInstances.InvokeInstance {
		per[dara.StringValue(ii.InstanceId)] = dara.StringValue(ii.InvocationStatus)
	}
	return dara.StringValue(v.InvocationStatus), per
}

func TestCloudAssistant_CommandLifecycle(t *testing.T) {
	e := newEnv(t, realistic())
	running := e.run1(t, nil)
	stopped := e.run1(t, nil)
	e.stop(t, stopped)
	rg := dara.String(region)
	script := base64.StdEncoding.EncodeToString([]byte("echo hello"))

	_, err := e.v7.CreateCommand(&ecs.CreateCommandRequest{RegionId: rg, Name: dara.String("hello"), Type: dara.String("RunShellScript"),
		CommandContent: dara.String("not base64!")})
	sdktest.WantFail(t, err, http.StatusBadRequest, "InvalidParam.CommandContent")
	_, err = e.v7.CreateCommand(&ecs.CreateCommandRequest{RegionId: rg, Name: dara.String("hello"), Type: dara.String("RunPython"),
		CommandContent: dara.String(script)})
	sdktest.WantFail(t, err, http.StatusBadRequest, "InvalidParameter")
	_, err = e.v7.CreateCommand(&ecs.CreateCommandRequest{RegionId: rg, Name: dara.String("hello"), Type: dara.String("RunShellScript"),
		CommandContent: dara.String(base64.StdEncoding.EncodeToString(make([]byte, 20<<10)))})
	sdktest.WantFail(t, err, http.StatusForbidden, "CmdContent.ExceedLimit")
	cc, err := e.v7.CreateCommand(&ecs.CreateCommandRequest{RegionId: rg, Name: dara.String("hello"), Type: dara.String("RunShellScript"),
		CommandContent: dara.String(script), Timeout: dara.Int64(120)})
	sdktest.OK(t, err)
	cmd := dara.StringValue(cc.Body.CommandId)
	_, err = e.v7.ModifyCommand(&ecs.ModifyCommandRequest{RegionId: rg, CommandId: dara.String(cmd), Description: dara.String("greets")})
	sdktest.OK(t, err)
	_, err = e.v7.ModifyCommand(&ecs.ModifyCommandRequest{RegionId: rg, CommandId: dara.String("c-none")})
	sdktest.WantFail(t, err, http.StatusNotFound, "InvalidCmdId.NotFound")
	list, err := e.v7.DescribeCommands(&ecs.DescribeCommandsRequest{RegionId: rg, Name: dara.String("hello")})
	sdktest.OK(t, err)
	if c := list.Body.Commands.Command; len(c) != 1 || dara.StringValue(c[0].Description) != "greets" || dara.Int64Value(c[0].Timeout) != 120 ||
		dara.StringValue(c[0].CommandContent) != script {
		t.Fatalf("commands: %v", list.Body)
	}

	// Invoke on a Running and a Stopped instance: the Stopped one is Aborted at once.
	_, err = e.v7.InvokeCommand(&ecs.InvokeCommandRequest{RegionId: rg, CommandId: dara.String(cmd), InstanceId: []*string{dara.String("i-none")}})
	sdktest.WantFail(t, err, http.StatusNotFound, "InvalidInstance.NotFound")
	_, err = e.v7.InvokeCommand(&ecs.InvokeCommandRequest{RegionId: rg, CommandId: dara.String("c-none"), InstanceId: []*string{dara.String(running)}})
	sdktest.WantFail(t, err, http.StatusNotFound, "InvalidCmdId.NotFound")
	_, err = e.v7.InvokeCommand(&ecs.InvokeCommandRequest{RegionId: rg, CommandId: dara.String(cmd), InstanceId: []*string{dara.String(running)},
		Parameters: map[string]interface{}{"a": "b"}})
	sdktest.WantFail(t, err, http.StatusNotFound, "Parameter.Disabled")
	inv, err := e.v7.InvokeCommand(&ecs.InvokeCommandRequest{RegionId: rg, CommandId: dara.String(cmd),
		InstanceId: []*string{dara.String(running), dara.String(stopped)}})
	sdktest.OK(t, err)
	invoke := dara.StringValue(inv.Body.InvokeId)
	overall, per := e.runStatus(t, invoke)
	if overall != "Pending" || per[running] != "Pending" || per[stopped] != "Aborted" {
		t.Fatalf("at once: %s %v", overall, per)
	}
	e.s.Clock.Advance(time.Second)
	if overall, per = e.runStatus(t, invoke); overall != "Running" || per[running] != "Running" {
		t.Fatalf("after 1s: %s %v", overall, per)
	}
	e.s.Clock.Advance(time.Second)
	if overall, per = e.runStatus(t, invoke); overall != "PartialFailed" || per[running] != "Success" {
		t.Fatalf("after 2s: %s %v", overall, per)
	}
	res, err := e.v7.DescribeInvocationResults(&ecs.DescribeInvocationResultsRequest{RegionId: rg, InvokeId: dara.String(invoke),
		InstanceId: dara.String(running)})
	sdktest.OK(t, err)
	if r := res.Body.Invocation.InvocationResults.InvocationResult; len(r) != 1 || dara.Int64Value(r[0].ExitCode) != 0 ||
		dara.StringValue(r[0].Output) != "" || dara.StringValue(r[0].InvokeRecordStatus) != "Finished" || dara.StringValue(r[0].FinishedTime) == "" {
		t.Fatalf("results: %v", res.Body)
	}
	list, err = e.v7.DescribeCommands(&ecs.DescribeCommandsRequest{RegionId: rg, CommandId: dara.String(cmd)})
	sdktest.OK(t, err)
	if dara.Int32Value(list.Body.Commands.Command[0].InvokeTimes) != 1 {
		t.Fatalf("invoke times: %v", list.Body)
	}
	// Finished: nothing left to stop.
	_, err = e.v7.StopInvocation(&ecs.StopInvocationRequest{RegionId: rg, InvokeId: dara.String(invoke)})
	sdktest.WantFail(t, err, http.StatusForbidden, "Operation.Forbidden")
	_, err = e.v7.StopInvocation(&ecs.StopInvocationRequest{RegionId: rg, InvokeId: dara.String("t-none")})
	sdktest.WantFail(t, err, http.StatusNotFound, "InvalidInvokeId.NotFound")

	// RunCommand, classic SDK, plain text; stopped before it starts: Cancelled.
	rc := classicecs.CreateRunCommandRequest()
	rc.Type, rc.CommandContent, rc.ContentEncoding, rc.InstanceId = "RunShellScript", "uptime", "PlainText", &[]string{running}
	ran, err := e.classic.RunCommand(rc)
	sdktest.OK(t, err)
	si := classicecs.CreateStopInvocationRequest()
	si.InvokeId = ran.InvokeId
	_, err = e.classic.StopInvocation(si)
	sdktest.OK(t, err)
	e.s.Clock.Advance(5 * time.Second)
	if overall, per = e.runStatus(t, ran.InvokeId); overall != "Stopped" || per[running] != "Cancelled" {
		t.Fatalf("stopped: %s %v", overall, per)
	}
	plain, err := e.v7.DescribeInvocations(&ecs.DescribeInvocationsRequest{RegionId: rg, InvokeId: dara.String(ran.InvokeId),
		ContentEncoding: dara.String("PlainText")})
	sdktest.OK(t, err)
	if c := dara.StringValue(plain.Body.Invocations.Invocation[0].CommandContent); c != "uptime" {
		t.Fatalf("content %q", c)
	}
	// Without KeepCommand the command is not saved.
	list, err = e.v7.DescribeCommands(&ecs.DescribeCommandsRequest{RegionId: rg, CommandId: dara.String(ran.CommandId)})
	sdktest.OK(t, err)
	if dara.Int64Value(list.Body.TotalCount) != 0 {
		t.Fatalf("RunCommand kept its command: %v", list.Body)
	}
	rc.RepeatMode = "Period"
	_, err = e.classic.RunCommand(rc)
	sdktest.WantFail(t, err, http.StatusBadRequest, "InvalidParam.RepeatMode")

	// The command goes; its invocations stay.
	_, err = e.v7.DeleteCommand(&ecs.DeleteCommandRequest{RegionId: rg, CommandId: dara.String(cmd)})
	sdktest.OK(t, err)
	_, err = e.v7.DeleteCommand(&ecs.DeleteCommandRequest{RegionId: rg, CommandId: dara.String(cmd)})
	sdktest.WantFail(t, err, http.StatusNotFound, "InvalidCmdId.NotFound")
	if overall, _ = e.runStatus(t, invoke); overall != "PartialFailed" {
		t.Fatalf("after the command went: %s", overall)
	}
}

// Releasing an instance ends its runs: Terminated, with the cloud's reason.
func TestCloudAssistant_ReleaseEndsRuns(t *testing.T) {
	e := newEnv(t, realistic())
	id := e.run1(t, nil)
	other := e.run1(t, nil)
	rg := dara.String(region)
	ran, err := e.v7.RunCommand(&ecs.RunCommandRequest{RegionId: rg, Type: dara.String("RunShellScript"), KeepCommand: dara.Bool(true),
		CommandContent: dara.String(base64.StdEncoding.EncodeToString([]byte("sleep 1"))), InstanceId: []*string{dara.String(id), dara.String(other)}})
	sdktest.OK(t, err)
	invoke := dara.StringValue(ran.Body.InvokeId)
	e.s.Clock.Advance(time.Second)
	if _, per := e.runStatus(t, invoke); per[id] != "Running" {
		t.Fatalf("before release: %v", per)
	}
	dl := classicecs.CreateDeleteInstanceRequest()
	dl.InstanceId, dl.Force = id, "true"
	_, err = e.classic.DeleteInstance(dl)
	sdktest.OK(t, err)
	e.s.Clock.Advance(time.Minute)
	e.wantStatus(t, id, "")
	overall, per := e.runStatus(t, invoke)
	if per[id] != "Terminated" || per[other] != "Success" || overall != "Success" { // Success and stopped runs are Success overall
		t.Fatalf("after release: %s %v", overall, per)
	}
	res, err := e.v7.DescribeInvocationResults(&ecs.DescribeInvocationResultsRequest{RegionId: rg, InvokeId: dara.String(invoke), InstanceId: dara.String(id)})
	sdktest.OK(t, err)
	if r := res.Body.Invocation.InvocationResults.InvocationResult; len(r) != 1 || dara.StringValue(r[0].ErrorCode) != "InstanceReleased" {
		t.Fatalf("released result: %v", res.Body)
	}
	list, err := e.v7.DescribeCommands(&ecs.DescribeCommandsRequest{RegionId: rg, CommandId: ran.Body.CommandId})
	sdktest.OK(t, err)
	if dara.Int64Value(list.Body.TotalCount) != 1 {
		t.Fatalf("KeepCommand: %v", list.Body)
	}
	// The agent's status counts the runs it was given.
	st, err := e.v7.DescribeCloudAssistantStatus(&ecs.DescribeCloudAssistantStatusRequest{RegionId: rg, InstanceId: []*string{dara.String(other)}})
	sdktest.OK(t, err)
	if s := st.Body.InstanceCloudAssistantStatusSet.InstanceCloudAssistantStatus; len(s) != 1 || dara.StringValue(s[0].CloudAssistantStatus) != "true" ||
		dara.Int64Value(s[0].InvocationCount) != 1 || dara.Int64Value(s[0].ActiveTaskCount) != 0 || dara.StringValue(s[0].LastHeartbeatTime) == "" {
		t.Fatalf("status: %v", st.Body)
	}
}

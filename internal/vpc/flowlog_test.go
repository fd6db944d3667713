package vpc_test

import (
	"testing"

	"github.com/alibabacloud-go/tea/dara"
	vpc "github.com/alibabacloud-go/vpc-20160428/v6/client"
	classicvpc "github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"

	"github.com/ecslocal/ecslocal/internal/sdktest"
)

func (f *netFixture) flowLogs(t *testing.T, req *vpc.DescribeFlowLogsRequest) []*vpc.DescribeFlowLogsResponseBodyFlowLogsFlowLog {
	t.Helper()
	req.RegionId = dara.String(region)
	resp, err := f.v6.DescribeFlowLogs(req)
	sdktest.OK(t, err)
	return resp.Body.FlowLogs.FlowLog
}

// TestFlowLog_Lifecycle: the service switch, flow logs of a VPC, a vSwitch
// and an ENI, their filters, modification, deactivation and activation,
// the refusals, deletion, and the release of an instance removing the
// flow log of its ENI.
func TestFlowLog_Lifecycle(t *testing.T) {
	f := newNet(t, false)
	create := func(typ, id, traffic string) (string, error) {
		resp, err := f.v6.CreateFlowLog(&vpc.CreateFlowLogRequest{RegionId: dara.String(region), ResourceType: dara.String(typ),
			ResourceId: dara.String(id), TrafficType: dara.String(traffic), ProjectName: dara.String("proj"), LogStoreName: dara.String("store"),
			FlowLogName: dara.String(typ), Tag: []*vpc.CreateFlowLogRequestTag{{Key: dara.String("team"), Value: dara.String("net")}}})
		if err != nil {
			return "", err
		}
		return dara.StringValue(resp.Body.FlowLogId), nil
	}
	status, err := f.v6.GetFlowLogServiceStatus(&vpc.GetFlowLogServiceStatusRequest{RegionId: dara.String(region)})
	sdktest.OK(t, err)
	if dara.BoolValue(status.Body.Enabled) {
		t.Fatal("the flow log service is open before OpenFlowLogService")
	}
	_, err = create("VPC", f.vpcID, "All")
	sdktest.WantFail(t, err, 400, "OperationFailed.FlowLogServiceNotOpened")
	_, err = f.v6.OpenFlowLogService(&vpc.OpenFlowLogServiceRequest{RegionId: dara.String(region)})
	sdktest.OK(t, err)
	_, err = f.classic.OpenFlowLogService(classicvpc.CreateOpenFlowLogServiceRequest())
	sdktest.OK(t, err) // opening again changes nothing
	status, err = f.v6.GetFlowLogServiceStatus(&vpc.GetFlowLogServiceStatusRequest{RegionId: dara.String(region)})
	sdktest.OK(t, err)
	if !dara.BoolValue(status.Body.Enabled) {
		t.Fatal("the flow log service is closed after OpenFlowLogService")
	}

	vpcLog, err := create("VPC", f.vpcID, "All")
	sdktest.OK(t, err)
	_, err = create("VPC", f.vpcID, "All")
	sdktest.WantFail(t, err, 400, "OperationFailed.FlowLogExists")
	_, err = create("VSwitch", f.vsw, "Drop")
	sdktest.OK(t, err)
	_, err = create("VSwitch", "vsw-missing", "Drop")
	sdktest.WantFail(t, err, 404, "InvalidResourceId.NotFound")
	_, err = create("Instance", f.vsw, "Drop")
	sdktest.WantFail(t, err, 400, "InvalidParameter")
	_, err = create("VSwitch", f.vsw, "Some")
	sdktest.WantFail(t, err, 400, "InvalidParameter")
	inst := f.run(t, nil)
	eni := f.primaryENI(t, inst)
	eniLog, err := create("NetworkInterface", eni, "Allow")
	sdktest.OK(t, err)

	l := f.flowLogs(t, &vpc.DescribeFlowLogsRequest{FlowLogId: dara.String(vpcLog)})
	if len(l) != 1 || dara.StringValue(l[0].Status) != "Active" || dara.StringValue(l[0].ResourceId) != f.vpcID ||
		dara.Int32Value(l[0].AggregationInterval) != 10 || dara.StringValue(l[0].ProjectName) != "proj" || len(l[0].Tags.Tag) != 1 ||
		!secondPrecision.MatchString(dara.StringValue(l[0].CreationTime)) {
		t.Fatalf("VPC flow log %v", l)
	}
	if l := f.flowLogs(t, &vpc.DescribeFlowLogsRequest{VpcId: dara.String(f.vpcID)}); len(l) != 3 {
		t.Fatalf("%d flow logs in the VPC, want 3", len(l))
	}
	if l := f.flowLogs(t, &vpc.DescribeFlowLogsRequest{TrafficType: dara.String("Drop")}); len(l) != 1 || dara.StringValue(l[0].ResourceType) != "VSwitch" {
		t.Fatalf("Drop flow logs %v", l)
	}
	page, err := f.v6.DescribeFlowLogs(&vpc.DescribeFlowLogsRequest{RegionId: dara.String(region), PageSize: dara.Int32(2), PageNumber: dara.Int32(2)})
	sdktest.OK(t, err)
	if dara.StringValue(page.Body.TotalCount) != "3" || len(page.Body.FlowLogs.FlowLog) != 1 {
		t.Fatalf("second page of two: %v", page.Body)
	}

	_, err = f.v6.ModifyFlowLogAttribute(&vpc.ModifyFlowLogAttributeRequest{RegionId: dara.String(region), FlowLogId: dara.String(vpcLog),
		FlowLogName: dara.String("renamed"), AggregationInterval: dara.Int32(1)})
	sdktest.OK(t, err)
	if l := f.flowLogs(t, &vpc.DescribeFlowLogsRequest{FlowLogName: dara.String("renamed")}); len(l) != 1 || dara.Int32Value(l[0].AggregationInterval) != 1 {
		t.Fatalf("renamed flow log %v", l)
	}
	_, err = f.v6.ModifyFlowLogAttribute(&vpc.ModifyFlowLogAttributeRequest{RegionId: dara.String(region), FlowLogId: dara.String(vpcLog), AggregationInterval: dara.Int32(3)})
	sdktest.WantFail(t, err, 400, "InvalidParameter")

	active := func(id string, on bool) error {
		var err error
		if on {
			_, err = f.v6.ActiveFlowLog(&vpc.ActiveFlowLogRequest{RegionId: dara.String(region), FlowLogId: dara.String(id)})
		} else {
			_, err = f.v6.DeactiveFlowLog(&vpc.DeactiveFlowLogRequest{RegionId: dara.String(region), FlowLogId: dara.String(id)})
		}
		return err
	}
	sdktest.WantFail(t, active(vpcLog, true), 400, "IncorrectStatus.FlowLog")
	sdktest.OK(t, active(vpcLog, false))
	if l := f.flowLogs(t, &vpc.DescribeFlowLogsRequest{Status: dara.String("Inactive")}); len(l) != 1 || dara.StringValue(l[0].FlowLogId) != vpcLog {
		t.Fatalf("Inactive flow logs %v", l)
	}
	sdktest.WantFail(t, active(vpcLog, false), 400, "IncorrectStatus.FlowLog")
	sdktest.OK(t, active(vpcLog, true))

	// The release removes the ENI and its flow log.
	releaseInstance(t, f.s, inst)
	if l := f.flowLogs(t, &vpc.DescribeFlowLogsRequest{FlowLogId: dara.String(eniLog)}); len(l) != 0 {
		t.Fatalf("the flow log of a released instance's ENI remains: %v", l)
	}
	_, err = f.v6.DeleteFlowLog(&vpc.DeleteFlowLogRequest{RegionId: dara.String(region), FlowLogId: dara.String(vpcLog)})
	sdktest.OK(t, err)
	_, err = f.v6.DeleteFlowLog(&vpc.DeleteFlowLogRequest{RegionId: dara.String(region), FlowLogId: dara.String(vpcLog)})
	sdktest.WantFail(t, err, 404, "InvalidFlowLogId.NotFound")
	if l := f.flowLogs(t, &vpc.DescribeFlowLogsRequest{}); len(l) != 1 {
		t.Fatalf("flow logs left %v", l)
	}
}

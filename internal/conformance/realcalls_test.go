package conformance

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	classicecs "github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"

	"github.com/ecslocal/ecslocal/ecslocaltest"
	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/sdktest"
)

// walkJSON checks a decoded answer against the models: every member must be
// in some model, with the JSON kind the first such model gives it.
func walkJSON(path string, v any, models []reflect.Type, extra *[]string) {
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			walkJSON(path, e, models, extra)
		}
	case map[string]any:
		mf := map[string][]jsonField{}
		for _, m := range models {
			for name, f := range jsonFields(elem(m)) {
				mf[name] = append(mf[name], f)
			}
		}
		for _, name := range sortedKeys(x) {
			ms, ok := mf[name]
			if !ok {
				*extra = append(*extra, path+name+" (in no model)")
				continue
			}
			if got := valueKind(x[name]); got != "" && ms[0].kind != "any" && got != ms[0].kind {
				*extra = append(*extra, path+name+" ("+got+", the model has "+ms[0].kind+")")
				continue
			}
			subs := make([]reflect.Type, 0, len(ms))
			for _, m := range ms {
				subs = append(subs, m.typ)
			}
			walkJSON(path+name+".", x[name], subs, extra)
		}
	}
}

func valueKind(v any) string {
	switch v.(type) {
	case string:
		return "string"
	case float64, json.Number:
		return "number"
	case bool:
		return "boolean"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return "" // null
}

// TestRealAnswersMatchModels makes real calls through the classic SDK's
// common request (the raw answer body) and holds each answer to the
// official answer models, member by member and kind by kind.
func TestRealAnswersMatchModels(t *testing.T) {
	s := ecslocaltest.New(t, ecslocaltest.Options{})
	c := sdktest.ClassicECS(t, s)
	call := func(version, action string, params map[string]string) map[string]any {
		t.Helper()
		r := requests.NewCommonRequest()
		r.Version, r.ApiName, r.Domain, r.Scheme = version, action, s.Endpoint, "http"
		r.Product = map[string]string{rpc.VersionECS: "Ecs", rpc.VersionVPC: "Vpc", rpc.VersionSLB: "Slb"}[version]
		r.QueryParams["RegionId"] = sdktest.Region
		for k, v := range params {
			r.QueryParams[k] = v
		}
		resp, err := c.ProcessCommonRequest(r)
		if err != nil {
			t.Fatalf("%s %s: %v", version, action, err)
		}
		var body map[string]any
		if err := json.Unmarshal(resp.GetHttpContentBytes(), &body); err != nil {
			t.Fatal(err)
		}
		models, _ := answerModels(version, action)
		var extra []string
		walkJSON("", body, models, &extra)
		for _, e := range extra {
			if AnswerGaps[version+"/"+action+" "+firstField(e)] == "" {
				t.Errorf("%s %s answers %s", version, action, e)
			}
		}
		return body
	}
	str := func(m map[string]any, k string) string { v, _ := m[k].(string); return v }

	vpcID := str(call(rpc.VersionVPC, "CreateVpc", map[string]string{"CidrBlock": "192.168.0.0/16"}), "VpcId")
	s.Clock.Advance(5 * time.Second)
	zones, err := c.DescribeZones(classicecs.CreateDescribeZonesRequest())
	sdktest.OK(t, err)
	zone := zones.Zones.Zone[0].ZoneId
	vsw := str(call(rpc.VersionVPC, "CreateVSwitch", map[string]string{"VpcId": vpcID, "ZoneId": zone, "CidrBlock": "192.168.1.0/24"}), "VSwitchId")
	s.Clock.Advance(5 * time.Second)
	sg := str(call(rpc.VersionECS, "CreateSecurityGroup", map[string]string{"VpcId": vpcID}), "SecurityGroupId")
	run := call(rpc.VersionECS, "RunInstances", map[string]string{"ImageId": "aliyun_3_x64_20G_alibase_20240528.vhd",
		"InstanceType": "ecs.g7.large", "VSwitchId": vsw, "SecurityGroupId": sg, "ZoneId": zone})
	s.Clock.Advance(10 * time.Second)
	ids, _ := run["InstanceIdSets"].(map[string]any)["InstanceIdSet"].([]any)
	if len(ids) != 1 {
		t.Fatalf("RunInstances: %v", run)
	}
	inst := ids[0].(string)
	ids1 := `["` + inst + `"]`
	for _, c := range []struct {
		version, action string
		params          map[string]string
	}{
		{rpc.VersionECS, "DescribeInstances", map[string]string{"InstanceIds": ids1}},
		{rpc.VersionECS, "DescribeInstanceAttribute", map[string]string{"InstanceId": inst}},
		{rpc.VersionECS, "DescribeInstanceStatus", nil},
		{rpc.VersionECS, "DescribeDisks", nil},
		{rpc.VersionECS, "DescribeNetworkInterfaces", nil},
		{rpc.VersionECS, "DescribeSecurityGroups", nil},
		{rpc.VersionECS, "DescribeSecurityGroupAttribute", map[string]string{"SecurityGroupId": sg}},
		{rpc.VersionECS, "DescribeRegions", nil},
		{rpc.VersionECS, "DescribeVpcs", nil},
		{rpc.VersionVPC, "DescribeVpcs", nil},
		{rpc.VersionVPC, "DescribeVSwitches", nil},
		{rpc.VersionVPC, "DescribeVpcAttribute", map[string]string{"VpcId": vpcID}},
		{rpc.VersionVPC, "DescribeVSwitchAttributes", map[string]string{"VSwitchId": vsw}},
		{rpc.VersionVPC, "DescribeRouteTables", nil},
		{rpc.VersionVPC, "AllocateEipAddress", nil},
		{rpc.VersionVPC, "DescribeEipAddresses", nil},
		{rpc.VersionVPC, "DescribeRouteTableList", nil},
		{rpc.VersionECS, "ListTagResources", map[string]string{"ResourceType": "instance", "ResourceId.1": inst}},
		{rpc.VersionECS, "DescribeAutoSnapshotPolicyEx", nil},
		{rpc.VersionECS, "DescribeSnapshots", nil},
		{rpc.VersionSLB, "DescribeLoadBalancers", nil},
		{rpc.VersionECS, "StopInstances", map[string]string{"InstanceId.1": inst}},
	} {
		call(c.version, c.action, c.params)
	}
	disk := str(call(rpc.VersionECS, "CreateDisk", map[string]string{"ZoneId": zone, "Size": "20", "DiskCategory": "cloud_essd"}), "DiskId")
	s.Clock.Advance(time.Minute)
	call(rpc.VersionECS, "CreateSnapshot", map[string]string{"DiskId": disk})
	s.Clock.Advance(time.Hour)
	call(rpc.VersionECS, "DescribeSnapshots", nil)
	eni := str(call(rpc.VersionECS, "CreateNetworkInterface", map[string]string{"VSwitchId": vsw, "SecurityGroupId": sg}), "NetworkInterfaceId")
	call(rpc.VersionECS, "DescribeNetworkInterfaceAttribute", map[string]string{"NetworkInterfaceId": eni})
	lb := str(call(rpc.VersionSLB, "CreateLoadBalancer", map[string]string{"VSwitchId": vsw, "LoadBalancerSpec": "slb.s1.small"}), "LoadBalancerId")
	s.Clock.Advance(time.Minute)
	call(rpc.VersionECS, "StartInstances", map[string]string{"InstanceId.1": inst})
	s.Clock.Advance(time.Minute)
	call(rpc.VersionSLB, "AddBackendServers", map[string]string{"LoadBalancerId": lb, "BackendServers": `[{"ServerId":"` + inst + `","Weight":"50"}]`})
	s.Clock.Advance(time.Minute)
	call(rpc.VersionSLB, "DescribeLoadBalancerAttribute", map[string]string{"LoadBalancerId": lb})
	call(rpc.VersionSLB, "RemoveBackendServers", map[string]string{"LoadBalancerId": lb, "BackendServers": `["` + inst + `"]`})
	s.Clock.Advance(time.Minute)
	call(rpc.VersionECS, "StopInstances", map[string]string{"InstanceId.1": inst})
	s.Clock.Advance(time.Minute)
	call(rpc.VersionECS, "DeleteInstances", map[string]string{"InstanceId.1": inst, "Force": "true"})
}

package vpc_test

import (
	"testing"

	"github.com/alibabacloud-go/tea/dara"
	vpc "github.com/alibabacloud-go/vpc-20160428/v6/client"

	"github.com/ecslocal/ecslocal/internal/sdktest"
)

// openMirror opens the traffic mirror service and makes a filter with an
// ingress rule; its id.
func (f *netFixture) openMirror(t *testing.T) string {
	t.Helper()
	_, err := f.v6.OpenTrafficMirrorService(&vpc.OpenTrafficMirrorServiceRequest{RegionId: dara.String(region)})
	sdktest.OK(t, err)
	resp, err := f.v6.CreateTrafficMirrorFilter(&vpc.CreateTrafficMirrorFilterRequest{RegionId: dara.String(region), TrafficMirrorFilterName: dara.String("web"),
		IngressRules: []*vpc.CreateTrafficMirrorFilterRequestIngressRules{{Action: dara.String("accept"), Protocol: dara.String("TCP"), Priority: dara.Int32(1),
			SourceCidrBlock: dara.String("10.0.0.0/8"), SourcePortRange: dara.String("1/65535"), DestinationPortRange: dara.String("80/80")}}})
	sdktest.OK(t, err)
	return dara.StringValue(resp.Body.TrafficMirrorFilterId)
}

// TestTrafficMirrorFilter_Lifecycle: the service switch, a filter with
// rules, rules added, changed and removed, their refusals, and deletion.
func TestTrafficMirrorFilter_Lifecycle(t *testing.T) {
	f := newNet(t, false)
	_, err := f.v6.CreateTrafficMirrorFilter(&vpc.CreateTrafficMirrorFilterRequest{RegionId: dara.String(region)})
	sdktest.WantFail(t, err, 400, "OperationFailed.TrafficMirrorServiceNotOpened")
	st, err := f.v6.GetTrafficMirrorServiceStatus(&vpc.GetTrafficMirrorServiceStatusRequest{RegionId: dara.String(region)})
	sdktest.OK(t, err)
	if dara.BoolValue(st.Body.Enabled) {
		t.Fatal("traffic mirror open before OpenTrafficMirrorService")
	}
	id := f.openMirror(t)
	list := func() *vpc.ListTrafficMirrorFiltersResponseBodyTrafficMirrorFilters {
		t.Helper()
		resp, err := f.v6.ListTrafficMirrorFilters(&vpc.ListTrafficMirrorFiltersRequest{RegionId: dara.String(region), TrafficMirrorFilterIds: []*string{dara.String(id)}})
		sdktest.OK(t, err)
		if len(resp.Body.TrafficMirrorFilters) != 1 {
			t.Fatalf("filters %v", resp.Body)
		}
		return resp.Body.TrafficMirrorFilters[0]
	}
	if l := list(); len(l.IngressRules) != 1 || dara.StringValue(l.IngressRules[0].DestinationCidrBlock) != "0.0.0.0/0" ||
		dara.StringValue(l.IngressRules[0].TrafficDirection) != "ingress" || len(l.EgressRules) != 0 {
		t.Fatalf("filter %v", l)
	}
	addRules := func(rules ...*vpc.CreateTrafficMirrorFilterRulesRequestEgressRules) (*vpc.CreateTrafficMirrorFilterRulesResponseBody, error) {
		resp, err := f.v6.CreateTrafficMirrorFilterRules(&vpc.CreateTrafficMirrorFilterRulesRequest{RegionId: dara.String(region),
			TrafficMirrorFilterId: dara.String(id), EgressRules: rules})
		if err != nil {
			return nil, err
		}
		return resp.Body, nil
	}
	rule := func(proto string, prio int32, ports string) *vpc.CreateTrafficMirrorFilterRulesRequestEgressRules {
		r := &vpc.CreateTrafficMirrorFilterRulesRequestEgressRules{Action: dara.String("drop"), Protocol: dara.String(proto), Priority: dara.Int32(prio)}
		if ports != "" {
			r.SourcePortRange, r.DestinationPortRange = dara.String(ports), dara.String(ports)
		}
		return r
	}
	added, err := addRules(rule("ALL", 1, ""), rule("UDP", 2, "53/53"))
	sdktest.OK(t, err)
	if len(added.EgressRules) != 2 {
		t.Fatalf("new rules %v", added)
	}
	_, err = addRules(rule("ICMP", 2, ""))
	sdktest.WantFail(t, err, 400, "DuplicatedParam.Priority")
	_, err = addRules(rule("TCP", 3, "90/80"))
	sdktest.WantFail(t, err, 400, "InvalidParameter")
	_, err = addRules(rule("GRE", 3, ""))
	sdktest.WantFail(t, err, 400, "InvalidParameter")

	ruleID := dara.StringValue(added.EgressRules[1].InstanceId)
	_, err = f.v6.UpdateTrafficMirrorFilterRuleAttribute(&vpc.UpdateTrafficMirrorFilterRuleAttributeRequest{RegionId: dara.String(region),
		TrafficMirrorFilterRuleId: dara.String(ruleID), Priority: dara.Int32(1)})
	sdktest.WantFail(t, err, 400, "DuplicatedParam.Priority")
	_, err = f.v6.UpdateTrafficMirrorFilterRuleAttribute(&vpc.UpdateTrafficMirrorFilterRuleAttributeRequest{RegionId: dara.String(region),
		TrafficMirrorFilterRuleId: dara.String(ruleID), Protocol: dara.String("ICMP"), RuleAction: dara.String("accept")})
	sdktest.OK(t, err)
	_, err = f.v6.UpdateTrafficMirrorFilterRuleAttribute(&vpc.UpdateTrafficMirrorFilterRuleAttributeRequest{RegionId: dara.String(region),
		TrafficMirrorFilterRuleId: dara.String("tmr-missing"), Priority: dara.Int32(5)})
	sdktest.WantFail(t, err, 404, "ResourceNotFound.TrafficMirrorFilterRule")
	egress := list().EgressRules
	if len(egress) != 2 || dara.StringValue(egress[1].Protocol) != "ICMP" || dara.StringValue(egress[1].Action) != "accept" ||
		dara.StringValue(egress[1].SourcePortRange) != "-1/-1" {
		t.Fatalf("egress rules %v", egress)
	}
	delRules := func(ids ...string) error {
		_, err := f.v6.DeleteTrafficMirrorFilterRules(&vpc.DeleteTrafficMirrorFilterRulesRequest{RegionId: dara.String(region),
			TrafficMirrorFilterId: dara.String(id), TrafficMirrorFilterRuleIds: dara.StringSlice(ids)})
		return err
	}
	sdktest.WantFail(t, delRules(ruleID, "tmr-missing"), 404, "ResourceNotFound.TrafficMirrorFilterRule")
	sdktest.OK(t, delRules(ruleID))
	if n := len(list().EgressRules); n != 1 {
		t.Fatalf("%d egress rules after deleting one of two", n)
	}
	_, err = f.v6.UpdateTrafficMirrorFilterAttribute(&vpc.UpdateTrafficMirrorFilterAttributeRequest{RegionId: dara.String(region),
		TrafficMirrorFilterId: dara.String(id), TrafficMirrorFilterName: dara.String("renamed")})
	sdktest.OK(t, err)
	if got := dara.StringValue(list().TrafficMirrorFilterName); got != "renamed" {
		t.Fatalf("name %s", got)
	}
	del := func() error {
		_, err := f.v6.DeleteTrafficMirrorFilter(&vpc.DeleteTrafficMirrorFilterRequest{RegionId: dara.String(region), TrafficMirrorFilterId: dara.String(id)})
		return err
	}
	sdktest.OK(t, del())
	sdktest.WantFail(t, del(), 404, "ResourceNotFound.TrafficMirrorFilter")
}

// TestTrafficMirrorSession_Lifecycle: a session from an instance's ENI to
// a secondary ENI — create, list with filters, update, sources added and
// removed, the refusals, the filter held back — and the release of the
// instance taking its ENI out of the session, then the deletion of the
// target's instance removing it.
func TestTrafficMirrorSession_Lifecycle(t *testing.T) {
	f := newNet(t, false)
	filter := f.openMirror(t)
	inst := f.run(t, nil)
	src := f.primaryENI(t, inst)
	other := f.run(t, nil)
	src2 := f.primaryENI(t, other)
	target := f.secondaryENI(t)
	create := func(sources []string, targetID string) (string, error) {
		resp, err := f.v6.CreateTrafficMirrorSession(&vpc.CreateTrafficMirrorSessionRequest{RegionId: dara.String(region),
			TrafficMirrorFilterId: dara.String(filter), TrafficMirrorSourceIds: dara.StringSlice(sources), TrafficMirrorTargetId: dara.String(targetID),
			TrafficMirrorTargetType: dara.String("NetworkInterface"), Priority: dara.Int32(1), TrafficMirrorSessionName: dara.String("tap")})
		if err != nil {
			return "", err
		}
		return dara.StringValue(resp.Body.TrafficMirrorSessionId), nil
	}
	_, err := create([]string{"eni-missing"}, target)
	sdktest.WantFail(t, err, 404, "ResourceNotFound.TrafficMirrorSource")
	_, err = create([]string{src}, "eni-missing")
	sdktest.WantFail(t, err, 404, "ResourceNotFound.TrafficMirrorTarget")
	id, err := create([]string{src}, target)
	sdktest.OK(t, err)
	_, err = create([]string{src}, target)
	sdktest.WantFail(t, err, 400, "OperationFailed.SourceAlreadyInSession")

	list := func(req *vpc.ListTrafficMirrorSessionsRequest) []*vpc.ListTrafficMirrorSessionsResponseBodyTrafficMirrorSessions {
		t.Helper()
		req.RegionId = dara.String(region)
		resp, err := f.v6.ListTrafficMirrorSessions(req)
		sdktest.OK(t, err)
		return resp.Body.TrafficMirrorSessions
	}
	if l := list(&vpc.ListTrafficMirrorSessionsRequest{TrafficMirrorSourceId: dara.String(src)}); len(l) != 1 || dara.StringValue(l[0].TrafficMirrorSessionId) != id ||
		dara.Int32Value(l[0].PacketLength) != 1500 || dara.BoolValue(l[0].Enabled) {
		t.Fatalf("sessions of %s: %v", src, l)
	}
	add := func(ids ...string) error {
		_, err := f.v6.AddSourcesToTrafficMirrorSession(&vpc.AddSourcesToTrafficMirrorSessionRequest{RegionId: dara.String(region),
			TrafficMirrorSessionId: dara.String(id), TrafficMirrorSourceIds: dara.StringSlice(ids)})
		return err
	}
	sdktest.OK(t, add(src2))
	sdktest.WantFail(t, add(src2), 400, "OperationFailed.SourceAlreadyInSession")
	_, err = f.v6.UpdateTrafficMirrorSessionAttribute(&vpc.UpdateTrafficMirrorSessionAttributeRequest{RegionId: dara.String(region),
		TrafficMirrorSessionId: dara.String(id), Enabled: dara.Bool(true), PacketLength: dara.Int32(9000)})
	sdktest.OK(t, err)
	if l := list(&vpc.ListTrafficMirrorSessionsRequest{Enabled: dara.Bool(true)}); len(l) != 1 || dara.Int32Value(l[0].PacketLength) != 9000 ||
		len(l[0].TrafficMirrorSourceIds) != 2 {
		t.Fatalf("enabled sessions %v", l)
	}
	_, err = f.v6.DeleteTrafficMirrorFilter(&vpc.DeleteTrafficMirrorFilterRequest{RegionId: dara.String(region), TrafficMirrorFilterId: dara.String(filter)})
	sdktest.WantFail(t, err, 400, "DependencyViolation.TrafficMirrorSession")

	// The release of an instance takes its primary ENI out of the session.
	releaseInstance(t, f.s, other)
	if l := list(&vpc.ListTrafficMirrorSessionsRequest{TrafficMirrorSessionIds: []*string{dara.String(id)}}); len(l) != 1 ||
		len(l[0].TrafficMirrorSourceIds) != 1 || dara.StringValue(l[0].TrafficMirrorSourceIds[0]) != src {
		t.Fatalf("session after the release of a source's instance: %v", l)
	}
	_, err = f.v6.RemoveSourcesFromTrafficMirrorSession(&vpc.RemoveSourcesFromTrafficMirrorSessionRequest{RegionId: dara.String(region),
		TrafficMirrorSessionId: dara.String(id), TrafficMirrorSourceIds: dara.StringSlice([]string{src2})})
	sdktest.WantFail(t, err, 400, "ResourceNotFound.SourceInSession")

	// A session whose target ENI an instance's release removes goes with it.
	second, err := create([]string{target}, src)
	sdktest.OK(t, err)
	releaseInstance(t, f.s, inst)
	if l := list(&vpc.ListTrafficMirrorSessionsRequest{TrafficMirrorSessionIds: []*string{dara.String(second)}}); len(l) != 0 {
		t.Fatalf("a session to a released instance's ENI remains: %v", l)
	}
	del := func(id string) error {
		_, err := f.v6.DeleteTrafficMirrorSession(&vpc.DeleteTrafficMirrorSessionRequest{RegionId: dara.String(region), TrafficMirrorSessionId: dara.String(id)})
		return err
	}
	sdktest.OK(t, del(id))
	sdktest.WantFail(t, del(id), 404, "ResourceNotFound.TrafficMirrorSession")
}

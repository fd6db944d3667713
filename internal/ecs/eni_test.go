package ecs_test

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	ecs "github.com/alibabacloud-go/ecs-20140526/v7/client"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	classicecs "github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
	classicvpc "github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"

	"github.com/ecslocal/ecslocal/ecslocaltest"
	"github.com/ecslocal/ecslocal/internal/sdktest"
)

// eniView is an ENI as DescribeNetworkInterfaces shows it, whichever SDK
// decoded it.
type eniView struct {
	ID, Name, Status, Type, InstanceID, VSwitchID, VpcID, Zone, IP, MAC string
	TrunkID                                                             string
	DeviceIndex                                                         int
	DOR                                                                 bool
	SGs                                                                 []string
	Tags                                                                map[string]string
}

// eniOpts is a CreateNetworkInterface request.
type eniOpts struct {
	VSwitch, Type, IP, Name, Token string
	SGs                            []string // SecurityGroupId, then SecurityGroupIds.N
	DOR                            *bool
	Tags                           map[string]string
}

// eniQuery is a DescribeNetworkInterfaces request.
type eniQuery struct {
	IDs                                                []string
	InstanceID, Type, Status, VpcID, VSwitchID, SG, IP string
	TagKey, TagValue                                   string
	PageNumber, PageSize, MaxResults                   int
	NextToken                                          string
}

// eniChange is a ModifyNetworkInterfaceAttribute request.
type eniChange struct {
	Name string
	DOR  *bool
	SGs  []string
}

// nicOpts is one RunInstances NetworkInterface.N.
type nicOpts struct {
	Type, VSwitch, SG, Name, IP string
	DOR                         *bool
}

// instanceNIC is one entry of an instance's NetworkInterfaces.
type instanceNIC struct{ ID, Type, IP, MAC string }

// eniSDK drives the ENI actions through one SDK generation.
type eniSDK struct {
	name      string
	create    func(e *env, o eniOpts) (string, error)
	attach    func(e *env, eni, inst, trunk string) error
	detach    func(e *env, eni, inst, trunk string) error
	remove    func(e *env, eni string) error
	modify    func(e *env, eni string, c eniChange) error
	describe  func(e *env, q eniQuery) (list []eniView, total int, next string, err error)
	run       func(e *env, nics []nicOpts) (string, error)
	nics      func(e *env, inst string) []instanceNIC
	deleteSG  func(e *env, sg string) error
	privateIP func(e *env, inst string) string
}

var eniSDKs = []eniSDK{
	{
		name: "classic",
		create: func(e *env, o eniOpts) (string, error) {
			r := classicecs.CreateCreateNetworkInterfaceRequest()
			r.VSwitchId, r.InstanceType, r.PrimaryIpAddress, r.NetworkInterfaceName, r.ClientToken = o.VSwitch, o.Type, o.IP, o.Name, o.Token
			if len(o.SGs) > 0 {
				r.SecurityGroupId = o.SGs[0]
			}
			if len(o.SGs) > 1 {
				rest := o.SGs[1:]
				r.SecurityGroupIds = &rest
			}
			r.DeleteOnRelease = classicBool(o.DOR)
			var tags []classicecs.CreateNetworkInterfaceTag
			for k, v := range o.Tags {
				tags = append(tags, classicecs.CreateNetworkInterfaceTag{Key: k, Value: v})
			}
			if tags != nil {
				r.Tag = &tags
			}
			resp, err := e.classic.CreateNetworkInterface(r)
			if err != nil {
				return "", err
			}
			if resp.Status != "Available" || resp.NetworkInterfaceId == "" {
				return "", fmt.Errorf("CreateNetworkInterface answered %+v", resp)
			}
			return resp.NetworkInterfaceId, nil
		},
		attach: func(e *env, eni, inst, trunk string) error {
			r := classicecs.CreateAttachNetworkInterfaceRequest()
			r.NetworkInterfaceId, r.InstanceId, r.TrunkNetworkInstanceId = eni, inst, trunk
			_, err := e.classic.AttachNetworkInterface(r)
			return err
		},
		detach: func(e *env, eni, inst, trunk string) error {
			r := classicecs.CreateDetachNetworkInterfaceRequest()
			r.NetworkInterfaceId, r.InstanceId, r.TrunkNetworkInstanceId = eni, inst, trunk
			_, err := e.classic.DetachNetworkInterface(r)
			return err
		},
		remove: func(e *env, eni string) error {
			r := classicecs.CreateDeleteNetworkInterfaceRequest()
			r.NetworkInterfaceId = eni
			_, err := e.classic.DeleteNetworkInterface(r)
			return err
		},
		modify: func(e *env, eni string, c eniChange) error {
			r := classicecs.CreateModifyNetworkInterfaceAttributeRequest()
			r.NetworkInterfaceId, r.NetworkInterfaceName, r.DeleteOnRelease = eni, c.Name, classicBool(c.DOR)
			if c.SGs != nil {
				r.SecurityGroupId = &c.SGs
			}
			_, err := e.classic.ModifyNetworkInterfaceAttribute(r)
			return err
		},
		describe: func(e *env, q eniQuery) ([]eniView, int, string, error) {
			r := classicecs.CreateDescribeNetworkInterfacesRequest()
			if q.IDs != nil {
				r.NetworkInterfaceId = &q.IDs
			}
			r.InstanceId, r.Type, r.Status, r.VpcId, r.VSwitchId, r.SecurityGroupId, r.PrimaryIpAddress = q.InstanceID, q.Type, q.Status, q.VpcID, q.VSwitchID, q.SG, q.IP
			if q.TagKey != "" {
				r.Tag = &[]classicecs.DescribeNetworkInterfacesTag{{Key: q.TagKey, Value: q.TagValue}}
			}
			if q.PageNumber > 0 {
				r.PageNumber = requests.NewInteger(q.PageNumber)
			}
			if q.PageSize > 0 {
				r.PageSize = requests.NewInteger(q.PageSize)
			}
			if q.MaxResults > 0 {
				r.MaxResults = requests.NewInteger(q.MaxResults)
			}
			r.NextToken = q.NextToken
			resp, err := e.classic.DescribeNetworkInterfaces(r)
			if err != nil {
				return nil, 0, "", err
			}
			var out []eniView
			for _, n := range resp.NetworkInterfaceSets.NetworkInterfaceSet {
				v := eniView{
					ID: n.NetworkInterfaceId, Name: n.NetworkInterfaceName, Status: n.Status, Type: n.Type, InstanceID: n.InstanceId,
					VSwitchID: n.VSwitchId, VpcID: n.VpcId, Zone: n.ZoneId, IP: n.PrivateIpAddress, MAC: n.MacAddress,
					TrunkID: n.Attachment.TrunkNetworkInterfaceId, DeviceIndex: n.Attachment.DeviceIndex, DOR: n.DeleteOnRelease,
					SGs: n.SecurityGroupIds.SecurityGroupId, Tags: map[string]string{},
				}
				for _, t := range n.Tags.Tag {
					v.Tags[t.TagKey] = t.TagValue
				}
				if n.Attachment.InstanceId != n.InstanceId {
					return nil, 0, "", fmt.Errorf("Attachment.InstanceId %q vs InstanceId %q", n.Attachment.InstanceId, n.InstanceId)
				}
				out = append(out, v)
			}
			return out, resp.TotalCount, resp.NextToken, nil
		},
		run: func(e *env, nics []nicOpts) (string, error) {
			r := e.runReq()
			var list []classicecs.RunInstancesNetworkInterface
			for _, n := range nics {
				list = append(list, classicecs.RunInstancesNetworkInterface{
					InstanceType: n.Type, VSwitchId: n.VSwitch, SecurityGroupId: n.SG, NetworkInterfaceName: n.Name,
					PrimaryIpAddress: n.IP, DeleteOnRelease: string(classicBool(n.DOR)),
				})
			}
			r.NetworkInterface = &list
			resp, err := e.classic.RunInstances(r)
			if err != nil {
				return "", err
			}
			e.s.Clock.Advance(10 * time.Second)
			return resp.InstanceIdSets.InstanceIdSet[0], nil
		},
		nics: func(e *env, inst string) []instanceNIC {
			r := classicecs.CreateDescribeInstancesRequest()
			r.InstanceIds = `["` + inst + `"]`
			resp, err := e.classic.DescribeInstances(r)
			if err != nil || len(resp.Instances.Instance) != 1 {
				return nil
			}
			var out []instanceNIC
			for _, n := range resp.Instances.Instance[0].NetworkInterfaces.NetworkInterface {
				out = append(out, instanceNIC{ID: n.NetworkInterfaceId, Type: n.Type, IP: n.PrimaryIpAddress, MAC: n.MacAddress})
			}
			return out
		},
		deleteSG: func(e *env, sg string) error {
			r := classicecs.CreateDeleteSecurityGroupRequest()
			r.SecurityGroupId = sg
			_, err := e.classic.DeleteSecurityGroup(r)
			return err
		},
		privateIP: func(e *env, inst string) string {
			r := classicecs.CreateDescribeInstanceAttributeRequest()
			r.InstanceId = inst
			resp, err := e.classic.DescribeInstanceAttribute(r)
			if err != nil || len(resp.VpcAttributes.PrivateIpAddress.IpAddress) == 0 {
				return ""
			}
			return resp.VpcAttributes.PrivateIpAddress.IpAddress[0]
		},
	},
	{
		name: "v7",
		create: func(e *env, o eniOpts) (string, error) {
			r := &ecs.CreateNetworkInterfaceRequest{RegionId: dara.String(region), VSwitchId: dara.String(o.VSwitch), DeleteOnRelease: o.DOR}
			if o.Type != "" {
				r.InstanceType = dara.String(o.Type)
			}
			if o.IP != "" {
				r.PrimaryIpAddress = dara.String(o.IP)
			}
			if o.Name != "" {
				r.NetworkInterfaceName = dara.String(o.Name)
			}
			if o.Token != "" {
				r.ClientToken = dara.String(o.Token)
			}
			if len(o.SGs) > 0 {
				r.SecurityGroupId = dara.String(o.SGs[0])
			}
			if len(o.SGs) > 1 {
				r.SecurityGroupIds = dara.StringSlice(o.SGs[1:])
			}
			for k, v := range o.Tags {
				r.Tag = append(r.Tag, &ecs.CreateNetworkInterfaceRequestTag{Key: dara.String(k), Value: dara.String(v)})
			}
			resp, err := e.v7.CreateNetworkInterface(r)
			if err != nil {
				return "", err
			}
			if dara.StringValue(resp.Body.Status) != "Available" {
				return "", fmt.Errorf("CreateNetworkInterface answered %v", resp.Body)
			}
			return dara.StringValue(resp.Body.NetworkInterfaceId), nil
		},
		attach: func(e *env, eni, inst, trunk string) error {
			r := &ecs.AttachNetworkInterfaceRequest{RegionId: dara.String(region), NetworkInterfaceId: dara.String(eni), InstanceId: dara.String(inst)}
			if trunk != "" {
				r.TrunkNetworkInstanceId = dara.String(trunk)
			}
			_, err := e.v7.AttachNetworkInterface(r)
			return err
		},
		detach: func(e *env, eni, inst, trunk string) error {
			r := &ecs.DetachNetworkInterfaceRequest{RegionId: dara.String(region), NetworkInterfaceId: dara.String(eni), InstanceId: dara.String(inst)}
			if trunk != "" {
				r.TrunkNetworkInstanceId = dara.String(trunk)
			}
			_, err := e.v7.DetachNetworkInterface(r)
			return err
		},
		remove: func(e *env, eni string) error {
			_, err := e.v7.DeleteNetworkInterface(&ecs.DeleteNetworkInterfaceRequest{RegionId: dara.String(region), NetworkInterfaceId: dara.String(eni)})
			return err
		},
		modify: func(e *env, eni string, c eniChange) error {
			r := &ecs.ModifyNetworkInterfaceAttributeRequest{RegionId: dara.String(region), NetworkInterfaceId: dara.String(eni), DeleteOnRelease: c.DOR}
			if c.Name != "" {
				r.NetworkInterfaceName = dara.String(c.Name)
			}
			if c.SGs != nil {
				r.SecurityGroupId = dara.StringSlice(c.SGs)
			}
			_, err := e.v7.ModifyNetworkInterfaceAttribute(r)
			return err
		},
		describe: func(e *env, q eniQuery) ([]eniView, int, string, error) {
			r := &ecs.DescribeNetworkInterfacesRequest{RegionId: dara.String(region)}
			if q.IDs != nil {
				r.NetworkInterfaceId = dara.StringSlice(q.IDs)
			}
			for _, f := range []struct {
				v   string
				dst **string
			}{{q.InstanceID, &r.InstanceId}, {q.Type, &r.Type}, {q.Status, &r.Status}, {q.VpcID, &r.VpcId}, {q.VSwitchID, &r.VSwitchId}, {q.SG, &r.SecurityGroupId}, {q.IP, &r.PrimaryIpAddress}, {q.NextToken, &r.NextToken}} {
				if f.v != "" {
					*f.dst = dara.String(f.v)
				}
			}
			if q.TagKey != "" {
				r.Tag = []*ecs.DescribeNetworkInterfacesRequestTag{{Key: dara.String(q.TagKey), Value: dara.String(q.TagValue)}}
			}
			if q.PageNumber > 0 {
				r.PageNumber = dara.Int32(int32(q.PageNumber))
			}
			if q.PageSize > 0 {
				r.PageSize = dara.Int32(int32(q.PageSize))
			}
			if q.MaxResults > 0 {
				r.MaxResults = dara.Int32(int32(q.MaxResults))
			}
			resp, err := e.v7.DescribeNetworkInterfaces(r)
			if err != nil {
				return nil, 0, "", err
			}
			var out []eniView
			for _, n := range resp.Body.NetworkInterfaceSets.NetworkInterfaceSet {
				v := eniView{
					ID: dara.StringValue(n.NetworkInterfaceId), Name: dara.StringValue(n.NetworkInterfaceName), Status: dara.StringValue(n.Status),
					Type: dara.StringValue(n.Type), InstanceID: dara.StringValue(n.InstanceId), VSwitchID: dara.StringValue(n.VSwitchId),
					VpcID: dara.StringValue(n.VpcId), Zone: dara.StringValue(n.ZoneId), IP: dara.StringValue(n.PrivateIpAddress),
					MAC: dara.StringValue(n.MacAddress), DOR: dara.BoolValue(n.DeleteOnRelease), SGs: dara.StringSliceValue(n.SecurityGroupIds.SecurityGroupId),
					Tags: map[string]string{},
				}
				if n.Attachment != nil {
					v.TrunkID, v.DeviceIndex = dara.StringValue(n.Attachment.TrunkNetworkInterfaceId), int(dara.Int32Value(n.Attachment.DeviceIndex))
				}
				if n.Tags != nil {
					for _, t := range n.Tags.Tag {
						v.Tags[dara.StringValue(t.TagKey)] = dara.StringValue(t.TagValue)
					}
				}
				out = append(out, v)
			}
			return out, int(dara.Int32Value(resp.Body.TotalCount)), dara.StringValue(resp.Body.NextToken), nil
		},
		run: func(e *env, nics []nicOpts) (string, error) {
			r := &ecs.RunInstancesRequest{RegionId: dara.String(region), ImageId: dara.String(image), InstanceType: dara.String(itype), VSwitchId: dara.String(e.vsw), SecurityGroupId: dara.String(e.sg)}
			for _, n := range nics {
				ni := &ecs.RunInstancesRequestNetworkInterface{DeleteOnRelease: n.DOR}
				for _, f := range []struct {
					v   string
					dst **string
				}{{n.Type, &ni.InstanceType}, {n.VSwitch, &ni.VSwitchId}, {n.SG, &ni.SecurityGroupId}, {n.Name, &ni.NetworkInterfaceName}, {n.IP, &ni.PrimaryIpAddress}} {
					if f.v != "" {
						*f.dst = dara.String(f.v)
					}
				}
				r.NetworkInterface = append(r.NetworkInterface, ni)
			}
			resp, err := e.v7.RunInstances(r)
			if err != nil {
				return "", err
			}
			e.s.Clock.Advance(10 * time.Second)
			return dara.StringValue(resp.Body.InstanceIdSets.InstanceIdSet[0]), nil
		},
		nics: func(e *env, inst string) []instanceNIC {
			resp, err := e.v7.DescribeInstances(&ecs.DescribeInstancesRequest{RegionId: dara.String(region), InstanceIds: dara.String(`["` + inst + `"]`)})
			if err != nil || len(resp.Body.Instances.Instance) != 1 {
				return nil
			}
			var out []instanceNIC
			for _, n := range resp.Body.Instances.Instance[0].NetworkInterfaces.NetworkInterface {
				out = append(out, instanceNIC{ID: dara.StringValue(n.NetworkInterfaceId), Type: dara.StringValue(n.Type), IP: dara.StringValue(n.PrimaryIpAddress), MAC: dara.StringValue(n.MacAddress)})
			}
			return out
		},
		deleteSG: func(e *env, sg string) error {
			_, err := e.v7.DeleteSecurityGroup(&ecs.DeleteSecurityGroupRequest{RegionId: dara.String(region), SecurityGroupId: dara.String(sg)})
			return err
		},
		privateIP: func(e *env, inst string) string {
			resp, err := e.v7.DescribeInstanceAttribute(&ecs.DescribeInstanceAttributeRequest{InstanceId: dara.String(inst)})
			if err != nil || resp.Body.VpcAttributes == nil || len(resp.Body.VpcAttributes.PrivateIpAddress.IpAddress) == 0 {
				return ""
			}
			return dara.StringValue(resp.Body.VpcAttributes.PrivateIpAddress.IpAddress[0])
		},
	},
}

// forEachENISDK runs a scenario once per SDK generation on a fresh server,
// releasing through the same generation.
func forEachENISDK(t *testing.T, opts ecslocaltest.Options, fn func(t *testing.T, e *env, s eniSDK, d deleter)) {
	for n, s := range eniSDKs {
		t.Run(s.name, func(t *testing.T) {
			t.Parallel()
			fn(t, newEnv(t, opts), s, deleters[n])
		})
	}
}

// eni reads one ENI; ok is false when it does not exist.
func (e *env) eni(t *testing.T, s eniSDK, id string) (eniView, bool) {
	t.Helper()
	list, _, _, err := s.describe(e, eniQuery{IDs: []string{id}})
	sdktest.OK(t, err)
	if len(list) == 0 {
		return eniView{}, false
	}
	return list[0], true
}

// wantENI checks an ENI's status; "" means it must not exist.
func (e *env) wantENI(t *testing.T, s eniSDK, id, status string) eniView {
	t.Helper()
	v, ok := e.eni(t, s, id)
	if status == "" && ok {
		t.Fatalf("ENI %s still exists: %+v", id, v)
	}
	if status != "" && (!ok || v.Status != status) {
		t.Fatalf("ENI %s is %q (exists %v), want %q", id, v.Status, ok, status)
	}
	return v
}

// newENI creates an ENI in the env's vSwitch and group.
func (e *env) newENI(t *testing.T, s eniSDK, o eniOpts) string {
	t.Helper()
	if o.VSwitch == "" {
		o.VSwitch = e.vsw
	}
	if o.SGs == nil {
		o.SGs = []string{e.sg}
	}
	id, err := s.create(e, o)
	sdktest.OK(t, err)
	if !strings.HasPrefix(id, "eni-") {
		t.Fatalf("ENI id %q", id)
	}
	return id
}

// primaryENI is the instance's primary ENI.
func (e *env) primaryENI(t *testing.T, s eniSDK, inst string) eniView {
	t.Helper()
	list, _, _, err := s.describe(e, eniQuery{InstanceID: inst, Type: "Primary"})
	sdktest.OK(t, err)
	if len(list) != 1 {
		t.Fatalf("instance %s has %d primary ENIs", inst, len(list))
	}
	return list[0]
}

// releaseNow force-releases an instance and waits until it is gone.
func (e *env) releaseENIInstance(t *testing.T, d deleter, id string) {
	t.Helper()
	sdktest.OK(t, d.batch(e, []string{id}, del{Force: true}))
	e.s.Clock.Advance(10 * time.Second)
	e.wantStatus(t, id, "")
}

// S28: a secondary ENI with DeleteOnRelease=false outlives its instance,
// detached, with its address and group; the primary ENI goes.
func TestENI_S28_SecondaryRetained(t *testing.T) {
	forEachENISDK(t, ecslocaltest.Options{}, func(t *testing.T, e *env, s eniSDK, d deleter) {
		id := e.run1(t, nil)
		primary := e.primaryENI(t, s, id)
		if primary.Status != "InUse" || primary.IP != s.privateIP(e, id) || primary.InstanceID != id || !primary.DOR || primary.DeviceIndex != 0 ||
			!slices.Equal(primary.SGs, []string{e.sg}) || !strings.HasPrefix(primary.MAC, "00:16:3e:") {
			t.Fatalf("primary ENI %+v (instance IP %s)", primary, s.privateIP(e, id))
		}
		eni := e.newENI(t, s, eniOpts{DOR: bptr(false), Name: "data"})
		v := e.wantENI(t, s, eni, "Available")
		if v.Type != "Secondary" || v.DOR || v.InstanceID != "" || v.VpcID != e.vpcID || v.VSwitchID != e.vsw || v.Zone != e.zone || v.Name != "data" ||
			!netip.MustParsePrefix("192.168.1.0/24").Contains(netip.MustParseAddr(v.IP)) || v.IP == primary.IP {
			t.Fatalf("new ENI %+v", v)
		}
		sdktest.OK(t, s.attach(e, eni, id, ""))
		v = e.wantENI(t, s, eni, "InUse")
		if v.InstanceID != id || v.DeviceIndex != 1 {
			t.Fatalf("attached ENI %+v", v)
		}
		nics := s.nics(e, id)
		if len(nics) != 2 || nics[0].ID != primary.ID || nics[0].Type != "Primary" || nics[0].IP != primary.IP || nics[1].ID != eni || nics[1].Type != "Secondary" || nics[1].MAC != v.MAC {
			t.Fatalf("DescribeInstances NetworkInterfaces %+v", nics)
		}
		sdktest.WantFail(t, s.detach(e, primary.ID, id, ""), 400, "InvalidOperation.DetachPrimaryEniNotAllowed")
		e.releaseENIInstance(t, d, id)
		v = e.wantENI(t, s, eni, "Available")
		if v.InstanceID != "" || !slices.Equal(v.SGs, []string{e.sg}) || v.IP == "" || v.DOR {
			t.Fatalf("retained ENI %+v", v)
		}
		e.wantENI(t, s, primary.ID, "")
		// The retained ENI is still a member of the group.
		sdktest.WantFail(t, s.deleteSG(e, e.sg), 403, "DependencyViolation")
		sdktest.OK(t, s.remove(e, eni))
		e.wantENI(t, s, eni, "")
		sdktest.OK(t, s.deleteSG(e, e.sg))
	})
}

// S29: DeleteOnRelease=true ENIs go with the instance, those made by
// RunInstances' NetworkInterface.N included (their default is true).
func TestENI_S29_SecondaryReleased(t *testing.T) {
	forEachENISDK(t, ecslocaltest.Options{}, func(t *testing.T, e *env, s eniSDK, d deleter) {
		id := e.run1(t, nil)
		eni := e.newENI(t, s, eniOpts{DOR: bptr(true)})
		sdktest.OK(t, s.attach(e, eni, id, ""))
		e.wantENI(t, s, eni, "InUse")
		e.releaseENIInstance(t, d, id)
		e.wantENI(t, s, eni, "")

		id, err := s.run(e, []nicOpts{
			{Type: "Primary", Name: "eth0"},
			{Type: "Secondary", VSwitch: e.vsw, SG: e.sg, Name: "eth1"},
		})
		sdktest.OK(t, err)
		nics := s.nics(e, id)
		if len(nics) != 2 || nics[0].Type != "Primary" || nics[1].Type != "Secondary" || nics[0].IP != s.privateIP(e, id) {
			t.Fatalf("NetworkInterfaces of a RunInstances with NetworkInterface.2: %+v", nics)
		}
		sec := e.wantENI(t, s, nics[1].ID, "InUse")
		if !sec.DOR || sec.Name != "eth1" || sec.InstanceID != id || sec.DeviceIndex != 1 {
			t.Fatalf("NetworkInterface.2 ENI %+v", sec)
		}
		if p := e.primaryENI(t, s, id); p.Name != "eth0" {
			t.Fatalf("primary ENI %+v, want the name of NetworkInterface.1", p)
		}
		e.releaseENIInstance(t, d, id)
		e.wantENI(t, s, nics[0].ID, "")
		e.wantENI(t, s, nics[1].ID, "")

		// NetworkInterface.N.DeleteOnRelease=false keeps that ENI.
		id, err = s.run(e, []nicOpts{{Type: "Secondary", DOR: bptr(false)}})
		sdktest.OK(t, err)
		nics = s.nics(e, id)
		if len(nics) != 2 {
			t.Fatalf("NetworkInterfaces %+v", nics)
		}
		e.releaseENIInstance(t, d, id)
		if v := e.wantENI(t, s, nics[1].ID, "Available"); v.InstanceID != "" || !slices.Equal(v.SGs, []string{e.sg}) {
			t.Fatalf("kept ENI %+v", v)
		}
	})
}

// eniDeleteOnReleaseDefault decides CreateNetworkInterface's default.
func TestENI_DeleteOnReleaseDefaultSwitch(t *testing.T) {
	forEachENISDK(t, ecslocaltest.Options{}, func(t *testing.T, e *env, s eniSDK, d deleter) {
		if v := e.wantENI(t, s, e.newENI(t, s, eniOpts{}), "Available"); !v.DOR {
			t.Fatalf("default DeleteOnRelease %+v, want true", v)
		}
		e.s.Config.Patch(map[string]any{"eniDeleteOnReleaseDefault": false})
		eni := e.newENI(t, s, eniOpts{})
		if v := e.wantENI(t, s, eni, "Available"); v.DOR {
			t.Fatalf("switched default DeleteOnRelease %+v, want false", v)
		}
		id := e.run1(t, nil)
		sdktest.OK(t, s.attach(e, eni, id, ""))
		e.releaseENIInstance(t, d, id)
		e.wantENI(t, s, eni, "Available")
	})
}

// S30: a trunk ENI with a member attached holds its instance back
// (EniLinked) until the member is detached.
func TestENI_S30_EniLinked(t *testing.T) {
	forEachENISDK(t, realistic(), func(t *testing.T, e *env, s eniSDK, d deleter) {
		id := e.run1(t, nil)
		trunk := e.newENI(t, s, eniOpts{Type: "Trunk"})
		if v := e.wantENI(t, s, trunk, "Available"); v.Type != "Trunk" {
			t.Fatalf("trunk ENI %+v", v)
		}
		sdktest.OK(t, s.attach(e, trunk, id, ""))
		e.wantENI(t, s, trunk, "Attaching")
		member := e.newENI(t, s, eniOpts{})
		// The trunk must be in use before members hang off it.
		sdktest.WantFail(t, s.attach(e, member, id, trunk), 400, "InvalidOperation.InvalidEniState")
		e.s.Clock.Advance(time.Second)
		e.wantENI(t, s, trunk, "InUse")
		sdktest.OK(t, s.attach(e, member, id, trunk))
		e.s.Clock.Advance(time.Second)
		if v := e.wantENI(t, s, member, "InUse"); v.TrunkID != trunk || v.InstanceID != id {
			t.Fatalf("member ENI %+v", v)
		}
		if nics := s.nics(e, id); len(nics) != 2 || nics[1].ID != trunk {
			t.Fatalf("DescribeInstances lists members of trunks: %+v", nics)
		}
		sdktest.WantFail(t, s.detach(e, trunk, id, ""), 403, "InvalidOperation.EniLinked")
		sdktest.WantFail(t, d.batch(e, []string{id}, del{Force: true}), 403, "InvalidOperation.EniLinked")
		sdktest.WantFail(t, d.single(e, id, del{Force: true}), 403, "InvalidOperation.EniLinked")
		sdktest.OK(t, s.detach(e, member, id, trunk))
		e.wantENI(t, s, member, "Detaching")
		// Linked until the member's detach completes.
		sdktest.WantFail(t, d.batch(e, []string{id}, del{Force: true}), 403, "InvalidOperation.EniLinked")
		e.s.Clock.Advance(time.Second)
		if v := e.wantENI(t, s, member, "Available"); v.InstanceID != "" || v.TrunkID != "" {
			t.Fatalf("detached member %+v", v)
		}
		sdktest.OK(t, d.batch(e, []string{id}, del{Force: true}))
		e.s.Clock.Advance(10 * time.Second)
		e.wantStatus(t, id, "")
		e.wantENI(t, s, trunk, "") // DeleteOnRelease defaults to true
		e.wantENI(t, s, member, "Available")
	})
}

// The ENI delay: Attaching and Detaching last delays.eni (realistic: 1 s),
// Deleting too.
func TestENI_Transitions(t *testing.T) {
	forEachENISDK(t, realistic(), func(t *testing.T, e *env, s eniSDK, d deleter) {
		id := e.run1(t, nil)
		eni := e.newENI(t, s, eniOpts{})
		sdktest.OK(t, s.attach(e, eni, id, ""))
		e.wantENI(t, s, eni, "Attaching")
		sdktest.WantFail(t, s.detach(e, eni, id, ""), 400, "InvalidOperation.InvalidEniState")
		e.s.Clock.Advance(time.Second)
		e.wantENI(t, s, eni, "InUse")
		sdktest.OK(t, s.detach(e, eni, id, ""))
		if v := e.wantENI(t, s, eni, "Detaching"); v.InstanceID != id {
			t.Fatalf("detaching ENI %+v", v)
		}
		sdktest.WantFail(t, s.remove(e, eni), 400, "InvalidOperation.InvalidEniState")
		e.s.Clock.Advance(time.Second)
		e.wantENI(t, s, eni, "Available")
		sdktest.OK(t, s.remove(e, eni))
		e.wantENI(t, s, eni, "Deleting")
		sdktest.WantFail(t, s.remove(e, eni), 400, "InvalidOperation.InvalidEniState")
		sdktest.WantFail(t, s.attach(e, eni, id, ""), 400, "InvalidOperation.InvalidEniState")
		e.s.Clock.Advance(time.Second)
		e.wantENI(t, s, eni, "")
		sdktest.WantFail(t, s.remove(e, eni), 404, "InvalidEniId.NotFound")
	})
}

// EniQuantity bounds the ENIs attached to an instance, the primary included.
func TestENI_Quota(t *testing.T) {
	forEachENISDK(t, ecslocaltest.Options{}, func(t *testing.T, e *env, s eniSDK, d deleter) {
		id := e.run1(t, nil) // ecs.g7.large: 3 ENIs
		for range 2 {
			sdktest.OK(t, s.attach(e, e.newENI(t, s, eniOpts{}), id, ""))
		}
		extra := e.newENI(t, s, eniOpts{})
		sdktest.WantFail(t, s.attach(e, extra, id, ""), 403, "EniPerInstanceLimitExceeded")
		e.wantENI(t, s, extra, "Available")
		_, err := s.run(e, []nicOpts{{Type: "Secondary"}, {Type: "Secondary"}, {Type: "Secondary"}})
		sdktest.WantFail(t, err, 403, "EniPerInstanceLimitExceeded")
		id2, err := s.run(e, []nicOpts{{Type: "Secondary"}, {Type: "Secondary"}})
		sdktest.OK(t, err)
		if nics := s.nics(e, id2); len(nics) != 3 {
			t.Fatalf("NetworkInterfaces %+v", nics)
		}
		sdktest.WantFail(t, s.attach(e, extra, id2, ""), 403, "EniPerInstanceLimitExceeded")
	})
}

// Every refusal of the ENI actions, with its status and code.
func TestENI_Refusals(t *testing.T) {
	forEachENISDK(t, ecslocaltest.Options{}, func(t *testing.T, e *env, s eniSDK, d deleter) {
		id := e.run1(t, nil)
		primary := e.primaryENI(t, s, id)
		// A second VPC, and a vSwitch of the env's VPC in another zone.
		cv := classicvpc.CreateCreateVpcRequest()
		cv.CidrBlock = "10.0.0.0/8"
		vr, err := e.vpc.CreateVpc(cv)
		sdktest.OK(t, err)
		e.s.Clock.Advance(5 * time.Second)
		cg := classicecs.CreateCreateSecurityGroupRequest()
		cg.VpcId = vr.VpcId
		other, err := e.classic.CreateSecurityGroup(cg)
		sdktest.OK(t, err)
		cs := classicvpc.CreateCreateVSwitchRequest()
		cs.VpcId, cs.ZoneId, cs.CidrBlock = vr.VpcId, e.zone, "10.1.0.0/24"
		otherVsw, err := e.vpc.CreateVSwitch(cs)
		sdktest.OK(t, err)
		cs = classicvpc.CreateCreateVSwitchRequest()
		cs.VpcId, cs.ZoneId, cs.CidrBlock = e.vpcID, e.otherZone(t), "192.168.2.0/24"
		zoneVsw, err := e.vpc.CreateVSwitch(cs)
		sdktest.OK(t, err)
		e.s.Clock.Advance(5 * time.Second)

		t.Run("CreateNetworkInterface", func(t *testing.T) {
			_, err := s.create(e, eniOpts{SGs: []string{e.sg}})
			sdktest.WantFail(t, err, 400, "MissingParameter")
			_, err = s.create(e, eniOpts{VSwitch: e.vsw})
			sdktest.WantFail(t, err, 400, "MissingParameter")
			_, err = s.create(e, eniOpts{VSwitch: "vsw-nope", SGs: []string{e.sg}})
			sdktest.WantFail(t, err, 404, "InvalidVSwitchId.NotFound")
			_, err = s.create(e, eniOpts{VSwitch: e.vsw, SGs: []string{"sg-nope"}})
			sdktest.WantFail(t, err, 404, "InvalidSecurityGroupId.NotFound")
			_, err = s.create(e, eniOpts{VSwitch: e.vsw, SGs: []string{e.sg, other.SecurityGroupId}})
			sdktest.WantFail(t, err, 403, "InvalidOperation.VpcMismatch")
			_, err = s.create(e, eniOpts{VSwitch: e.vsw, SGs: []string{e.sg}, Type: "Primary"})
			sdktest.WantFail(t, err, 400, "InvalidParameter")
			_, err = s.create(e, eniOpts{VSwitch: e.vsw, SGs: []string{e.sg}, IP: "10.9.9.9"})
			sdktest.WantFail(t, err, 403, "InvalidVSwitchId.IpInvalid")
			_, err = s.create(e, eniOpts{VSwitch: e.vsw, SGs: []string{e.sg}, IP: "192.168.1.255"})
			sdktest.WantFail(t, err, 403, "InvalidVSwitchId.IpInvalid")
			_, err = s.create(e, eniOpts{VSwitch: e.vsw, SGs: []string{e.sg}, IP: primary.IP})
			sdktest.WantFail(t, err, 400, "InvalidPrivateIpAddress.Duplicated")
			_, err = s.create(e, eniOpts{VSwitch: e.vsw, SGs: []string{e.sg, e.sg, e.sg, e.sg, e.sg, e.sg}})
			sdktest.WantFail(t, err, 400, "InvalidParameter")
			_, err = s.create(e, eniOpts{VSwitch: e.vsw, SGs: []string{e.sg}, Tags: map[string]string{"aliyun-x": "1"}})
			sdktest.WantFail(t, err, 400, "InvalidTagKey.Malformed")
			// A chosen address is taken; the next automatic one skips it.
			fixed := e.newENI(t, s, eniOpts{IP: "192.168.1.200"})
			if v := e.wantENI(t, s, fixed, "Available"); v.IP != "192.168.1.200" {
				t.Fatalf("PrimaryIpAddress ignored: %+v", v)
			}
			_, err = s.create(e, eniOpts{VSwitch: e.vsw, SGs: []string{e.sg}, IP: "192.168.1.200"})
			sdktest.WantFail(t, err, 400, "InvalidPrivateIpAddress.Duplicated")
		})
		t.Run("ClientToken", func(t *testing.T) {
			a := e.newENI(t, s, eniOpts{Token: "tok-" + s.name, Name: "a"})
			b := e.newENI(t, s, eniOpts{Token: "tok-" + s.name, Name: "a"})
			if a != b {
				t.Fatalf("replay made %s and %s", a, b)
			}
			_, err := s.create(e, eniOpts{VSwitch: e.vsw, SGs: []string{e.sg}, Token: "tok-" + s.name, Name: "b"})
			sdktest.WantFail(t, err, 400, "IdempotentParameterMismatch")
		})
		t.Run("AttachNetworkInterface", func(t *testing.T) {
			eni := e.newENI(t, s, eniOpts{})
			sdktest.WantFail(t, s.attach(e, "eni-nope", id, ""), 404, "InvalidEniId.NotFound")
			sdktest.WantFail(t, s.attach(e, eni, "i-nope", ""), 404, "InvalidEcsId.NotFound")
			sdktest.WantFail(t, s.attach(e, primary.ID, id, ""), 400, "InvalidOperation.InvalidEniState")
			wrongZone := e.newENI(t, s, eniOpts{VSwitch: zoneVsw.VSwitchId})
			sdktest.WantFail(t, s.attach(e, wrongZone, id, ""), 403, "InvalidOperation.AvailabilityZoneMismatch")
			wrongVpc := e.newENI(t, s, eniOpts{VSwitch: otherVsw.VSwitchId, SGs: []string{other.SecurityGroupId}})
			sdktest.WantFail(t, s.attach(e, wrongVpc, id, ""), 403, "InvalidOperation.VpcMismatch")
			sdktest.WantFail(t, s.attach(e, eni, id, "eni-nope"), 404, "InvalidEniId.NotFound")
			sdktest.WantFail(t, s.attach(e, eni, id, primary.ID), 403, "InvalidOperation.InvalidEniType")
			e.wantENI(t, s, eni, "Available")
		})
		t.Run("DetachNetworkInterface", func(t *testing.T) {
			eni := e.newENI(t, s, eniOpts{})
			sdktest.WantFail(t, s.detach(e, eni, id, ""), 400, "InvalidOperation.InvalidEniState")
			sdktest.WantFail(t, s.detach(e, "eni-nope", id, ""), 404, "InvalidEniId.NotFound")
			sdktest.WantFail(t, s.detach(e, primary.ID, "i-nope", ""), 404, "InvalidEcsId.NotFound")
		})
		t.Run("DeleteNetworkInterface", func(t *testing.T) {
			sdktest.WantFail(t, s.remove(e, primary.ID), 400, "InvalidOperation.InvalidEniState")
			sdktest.WantFail(t, s.remove(e, "eni-nope"), 404, "InvalidEniId.NotFound")
		})
		t.Run("ModifyNetworkInterfaceAttribute", func(t *testing.T) {
			sdktest.WantFail(t, s.modify(e, "eni-nope", eniChange{Name: "x"}), 404, "InvalidEniId.NotFound")
			sdktest.WantFail(t, s.modify(e, primary.ID, eniChange{DOR: bptr(false)}), 403, "InvalidOperation.InvalidEniType")
			sdktest.WantFail(t, s.modify(e, primary.ID, eniChange{SGs: []string{other.SecurityGroupId}}), 403, "InvalidOperation.VpcMismatch")
			sdktest.WantFail(t, s.modify(e, primary.ID, eniChange{SGs: []string{"sg-nope"}}), 404, "InvalidSecurityGroupId.NotFound")
		})
	})
}

// ModifyNetworkInterfaceAttribute changes what it names; the primary ENI's
// groups are its instance's.
func TestENI_Modify(t *testing.T) {
	forEachENISDK(t, ecslocaltest.Options{}, func(t *testing.T, e *env, s eniSDK, d deleter) {
		id := e.run1(t, nil)
		cg := classicecs.CreateCreateSecurityGroupRequest()
		cg.VpcId = e.vpcID
		g2, err := e.classic.CreateSecurityGroup(cg)
		sdktest.OK(t, err)
		eni := e.newENI(t, s, eniOpts{Name: "a", DOR: bptr(true)})
		sdktest.OK(t, s.modify(e, eni, eniChange{Name: "b", DOR: bptr(false), SGs: []string{g2.SecurityGroupId, e.sg}}))
		if v := e.wantENI(t, s, eni, "Available"); v.Name != "b" || v.DOR || !slices.Equal(v.SGs, []string{g2.SecurityGroupId, e.sg}) {
			t.Fatalf("modified ENI %+v", v)
		}
		sdktest.OK(t, s.modify(e, eni, eniChange{Name: "c"}))
		if v := e.wantENI(t, s, eni, "Available"); v.Name != "c" || v.DOR || len(v.SGs) != 2 {
			t.Fatalf("a name change changed more: %+v", v)
		}
		primary := e.primaryENI(t, s, id)
		sdktest.OK(t, s.modify(e, primary.ID, eniChange{SGs: []string{g2.SecurityGroupId}}))
		r := classicecs.CreateDescribeInstanceAttributeRequest()
		r.InstanceId = id
		attr, err := e.classic.DescribeInstanceAttribute(r)
		sdktest.OK(t, err)
		if !slices.Equal(attr.SecurityGroupIds.SecurityGroupId, []string{g2.SecurityGroupId}) {
			t.Fatalf("instance groups %v after changing its primary ENI's", attr.SecurityGroupIds.SecurityGroupId)
		}
		list, _, _, err := s.describe(e, eniQuery{SG: e.sg})
		sdktest.OK(t, err)
		if len(list) != 1 || list[0].ID != eni {
			t.Fatalf("members of %s: %+v", e.sg, list)
		}
	})
}

// DescribeNetworkInterfaces: every filter and both paging styles.
func TestDescribeNetworkInterfaces(t *testing.T) {
	forEachENISDK(t, ecslocaltest.Options{}, func(t *testing.T, e *env, s eniSDK, d deleter) {
		id := e.run1(t, nil)
		a := e.newENI(t, s, eniOpts{Tags: map[string]string{"env": "test"}})
		b := e.newENI(t, s, eniOpts{Type: "Trunk", Tags: map[string]string{"env": "prod"}})
		c := e.newENI(t, s, eniOpts{})
		sdktest.OK(t, s.attach(e, a, id, ""))
		primary := e.primaryENI(t, s, id)
		ids := func(q eniQuery) []string {
			t.Helper()
			list, total, _, err := s.describe(e, q)
			sdktest.OK(t, err)
			var out []string
			for _, v := range list {
				out = append(out, v.ID)
			}
			if total != len(out) {
				t.Fatalf("TotalCount %d for %d ENIs", total, len(out))
			}
			return out
		}
		for _, tc := range []struct {
			name string
			q    eniQuery
			want []string
		}{
			{"all", eniQuery{}, []string{primary.ID, a, b, c}},
			{"ids", eniQuery{IDs: []string{c, a, "eni-nope"}}, []string{a, c}},
			{"instance", eniQuery{InstanceID: id}, []string{primary.ID, a}},
			{"type Secondary", eniQuery{Type: "Secondary"}, []string{a, c}},
			{"type Trunk", eniQuery{Type: "Trunk"}, []string{b}},
			{"status", eniQuery{Status: "Available"}, []string{b, c}},
			{"vpc", eniQuery{VpcID: e.vpcID}, []string{primary.ID, a, b, c}},
			{"vswitch", eniQuery{VSwitchID: e.vsw}, []string{primary.ID, a, b, c}},
			{"group", eniQuery{SG: e.sg}, []string{primary.ID, a, b, c}},
			{"address", eniQuery{IP: primary.IP}, []string{primary.ID}},
			{"tag", eniQuery{TagKey: "env", TagValue: "test"}, []string{a}},
			{"tag key", eniQuery{TagKey: "env"}, []string{a, b}},
			{"nothing", eniQuery{VpcID: "vpc-nope"}, nil},
		} {
			if got := ids(tc.q); !slices.Equal(got, tc.want) {
				t.Errorf("%s: got %v, want %v", tc.name, got, tc.want)
			}
		}
		list, total, _, err := s.describe(e, eniQuery{PageNumber: 2, PageSize: 3})
		sdktest.OK(t, err)
		if total != 4 || len(list) != 1 || list[0].ID != c {
			t.Fatalf("page 2 of 3: %d %+v", total, list)
		}
		// MaxResults is at least 10: twelve ENIs make two token pages.
		want := []string{primary.ID, a, b, c}
		for range 8 {
			want = append(want, e.newENI(t, s, eniOpts{}))
		}
		var seen []string
		pages := 0
		q := eniQuery{MaxResults: 10}
		for range 3 {
			pages++
			list, _, next, err := s.describe(e, q)
			sdktest.OK(t, err)
			for _, v := range list {
				seen = append(seen, v.ID)
			}
			if next == "" {
				break
			}
			q.NextToken = next
		}
		if !slices.Equal(seen, want) || pages != 2 {
			t.Fatalf("token paging saw %v in %d pages", seen, pages)
		}
		_, _, _, err = s.describe(e, eniQuery{Type: "Bogus"})
		sdktest.WantFail(t, err, 400, "InvalidParameter")
		_, _, _, err = s.describe(e, eniQuery{NextToken: "!!"})
		sdktest.WantFail(t, err, 400, "InvalidNextToken.Malformed")
	})
}

// RunInstances' NetworkInterface.N: a primary entry stands in for the
// top-level vSwitch and names the instance's address; refusals.
func TestRunInstances_NetworkInterface(t *testing.T) {
	forEachENISDK(t, ecslocaltest.Options{}, func(t *testing.T, e *env, s eniSDK, d deleter) {
		id, err := s.run(e, []nicOpts{{Type: "Primary", IP: "192.168.1.77"}})
		sdktest.OK(t, err)
		if ip := s.privateIP(e, id); ip != "192.168.1.77" {
			t.Fatalf("instance address %s, want the primary NetworkInterface's", ip)
		}
		if p := e.primaryENI(t, s, id); p.IP != "192.168.1.77" {
			t.Fatalf("primary ENI %+v", p)
		}
		_, err = s.run(e, []nicOpts{{Type: "Primary", IP: "192.168.1.77"}})
		sdktest.WantFail(t, err, 400, "InvalidPrivateIpAddress.Duplicated")
		_, err = s.run(e, []nicOpts{{Type: "Primary"}, {Type: "Primary"}})
		sdktest.WantFail(t, err, 400, "InvalidParameter")
		_, err = s.run(e, []nicOpts{{Type: "Secondary", VSwitch: "vsw-nope"}})
		sdktest.WantFail(t, err, 404, "InvalidVSwitchId.NotFound")
		_, err = s.run(e, []nicOpts{{Type: "Secondary", SG: "sg-nope"}})
		sdktest.WantFail(t, err, 404, "InvalidSecurityGroupId.NotFound")
		_, err = s.run(e, []nicOpts{{Type: "Bogus"}})
		sdktest.WantFail(t, err, 400, "InvalidParameter")
	})
	t.Run("primary entry instead of VSwitchId", func(t *testing.T) {
		e := newEnv(t, ecslocaltest.Options{})
		r := classicecs.CreateRunInstancesRequest()
		r.ImageId, r.InstanceType = image, itype
		r.NetworkInterface = &[]classicecs.RunInstancesNetworkInterface{{InstanceType: "Primary", VSwitchId: e.vsw, SecurityGroupId: e.sg}}
		resp, err := e.classic.RunInstances(r)
		sdktest.OK(t, err)
		e.s.Clock.Advance(10 * time.Second)
		e.wantStatus(t, resp.InstanceIdSets.InstanceIdSet[0], "Running")
		r = e.runReq()
		r.NetworkInterface = &[]classicecs.RunInstancesNetworkInterface{{InstanceType: "Primary", VSwitchId: "vsw-other"}}
		_, err = e.classic.RunInstances(r)
		sdktest.WantFail(t, err, 400, "InvalidParameter")
	})
}

// Amount instances get one primary ENI each, with their own addresses.
func TestRunInstances_PrimaryENIPerInstance(t *testing.T) {
	e := newEnv(t, ecslocaltest.Options{})
	s := eniSDKs[0]
	ids := e.run(t, func(r *classicecs.RunInstancesRequest) { r.Amount = requests.NewInteger(3) })
	seen := map[string]bool{}
	for _, id := range ids {
		p := e.primaryENI(t, s, id)
		if seen[p.IP] || p.IP != s.privateIP(e, id) {
			t.Fatalf("primary ENI %+v of %s (seen %v)", p, id, seen)
		}
		seen[p.IP] = true
	}
	// A CreateNetworkInterface address taken by hand is skipped by the next instance.
	next := fmt.Sprintf("192.168.1.%d", 1+len(ids))
	e.newENI(t, s, eniOpts{IP: next})
	id := e.run1(t, nil)
	if ip := s.privateIP(e, id); ip == next || ip == "" {
		t.Fatalf("instance got the taken address %s", ip)
	}
}

func TestDescribeNetworkInterfaceAttribute(t *testing.T) {
	e := newEnv(t, ecslocaltest.Options{})
	id := e.run1(t, nil)
	n := classicecs.CreateDescribeNetworkInterfacesRequest()
	n.InstanceId = id
	list, err := e.classic.DescribeNetworkInterfaces(n)
	sdktest.OK(t, err)
	eni := list.NetworkInterfaceSets.NetworkInterfaceSet[0].NetworkInterfaceId
	resp, err := e.v7.DescribeNetworkInterfaceAttribute(&ecs.DescribeNetworkInterfaceAttributeRequest{RegionId: dara.String(region), NetworkInterfaceId: dara.String(eni)})
	sdktest.OK(t, err)
	b := resp.Body
	if dara.StringValue(b.NetworkInterfaceId) != eni || dara.StringValue(b.Type) != "Primary" || dara.StringValue(b.InstanceId) != id ||
		dara.StringValue(b.Attachment.InstanceId) != id || dara.StringValue(b.SecurityGroupIds.SecurityGroupId[0]) != e.sg {
		t.Fatalf("attribute: %+v", b)
	}
	_, err = e.v7.DescribeNetworkInterfaceAttribute(&ecs.DescribeNetworkInterfaceAttributeRequest{RegionId: dara.String(region), NetworkInterfaceId: dara.String("eni-bp1nosuch")})
	sdktest.WantFail(t, err, 404, "InvalidEniId.NotFound")
}

// TestReleasedAddressesComeBack: a vSwitch hands out the addresses its
// released instances freed, as the cloud does, rather than running out
// after as many launches as its block has hosts.
func TestReleasedAddressesComeBack(t *testing.T) {
	e := newEnv(t, ecslocaltest.Options{})
	cs := classicvpc.CreateCreateVSwitchRequest()
	cs.VpcId, cs.ZoneId, cs.CidrBlock = e.vpcID, e.zone, "192.168.2.0/29" // 4 hosts
	sr, err := e.vpc.CreateVSwitch(cs)
	sdktest.OK(t, err)
	e.s.Clock.Advance(5 * time.Second)
	into := func(r *classicecs.RunInstancesRequest) { r.VSwitchId = sr.VSwitchId }
	ids := e.run(t, func(r *classicecs.RunInstancesRequest) { into(r); r.Amount = requests.NewInteger(4) })
	ipOf := func(id string) string {
		t.Helper()
		d := classicecs.CreateDescribeInstancesRequest()
		d.InstanceIds = `["` + id + `"]`
		resp, err := e.classic.DescribeInstances(d)
		sdktest.OK(t, err)
		if len(resp.Instances.Instance) != 1 || len(resp.Instances.Instance[0].VpcAttributes.PrivateIpAddress.IpAddress) != 1 {
			t.Fatalf("DescribeInstances %s: %+v", id, resp.Instances)
		}
		return resp.Instances.Instance[0].VpcAttributes.PrivateIpAddress.IpAddress[0]
	}
	freed := ipOf(ids[1])
	full := e.runReq()
	into(full)
	_, err = e.classic.RunInstances(full)
	sdktest.WantFail(t, err, 400, "InvalidParameter")

	for round := range 3 { // round after round: the block never runs out
		del := classicecs.CreateDeleteInstancesRequest()
		del.InstanceId, del.Force = &[]string{ids[1]}, requests.NewBoolean(true)
		_, err = e.classic.DeleteInstances(del)
		sdktest.OK(t, err)
		e.s.Clock.Advance(30 * time.Second)
		e.wantStatus(t, ids[1], "")
		ids[1] = e.run1(t, into)
		if got := ipOf(ids[1]); got != freed {
			t.Fatalf("round %d: the new instance has %s, want the freed %s", round, got, freed)
		}
	}
}

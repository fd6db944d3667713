package apidef

import (
	"slices"
	"testing"
)

func TestLoad(t *testing.T) {
	d := MustLoad()
	for _, c := range []struct {
		product, version string
		min              int
	}{{"Ecs", "2014-05-26", 300}, {"Vpc", "2016-04-28", 300}, {"Slb", "2014-05-15", 80}} {
		p := d.Product(c.version)
		if p == nil || p.Product != c.product || len(p.Actions) < c.min || len(p.Commit) != 40 {
			t.Fatalf("%s %s: %+v", c.product, c.version, p)
		}
	}
	if !d.Official("Ecs", "2014-05-26", "DeleteInstances") || d.Official("Vpc", "2014-05-26", "DeleteInstances") ||
		d.Official("", "2014-05-26", "DeleteEverything") || !d.Official("", "2016-04-28", "CreateVpc") {
		t.Error("Official answers wrongly")
	}
}

func TestWireNames(t *testing.T) {
	d := MustLoad()
	names := WireNames(d.Params("2014-05-26", "RunInstances"))
	for _, want := range []string{"RegionId", "InstanceType", "Tag.N.Key", "SecurityGroupIds.N", "DataDisk.N.Size",
		"SystemDisk.Category", "NetworkInterface.N.VSwitchId", "HostNames.N"} {
		if !slices.Contains(names, want) {
			t.Errorf("RunInstances lacks %s", want)
		}
	}
	ps := d.Params("2014-05-26", "AuthorizeSecurityGroup")
	if !IsWireName(ps, "Permissions.N.IpProtocol") || IsWireName(ps, "Permission.N.IpProtocol") {
		t.Error("Array members: Permissions.N.* is official, a misspelling is not")
	}
	var req []string
	for _, p := range d.Required("2014-05-26", "DeleteInstances") {
		req = append(req, p.Name)
	}
	if !slices.Equal(req, []string{"InstanceId", "RegionId"}) {
		t.Errorf("DeleteInstances required: %v", req)
	}
}

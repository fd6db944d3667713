package vpc_test

import (
	"testing"

	"github.com/alibabacloud-go/tea/dara"
	vpc "github.com/alibabacloud-go/vpc-20160428/v6/client"

	"github.com/ecslocal/ecslocal/internal/sdktest"
)

// TestVpcPrefixList_Lifecycle: create with entries, list with filters,
// page the entries, modify (add, remove, resize, rename), the refusals,
// the (empty) associations and deletion.
func TestVpcPrefixList_Lifecycle(t *testing.T) {
	f := newNet(t, false)
	entry := func(cidr string) *vpc.CreateVpcPrefixListRequestPrefixListEntries {
		return &vpc.CreateVpcPrefixListRequestPrefixListEntries{Cidr: dara.String(cidr), Description: dara.String("d")}
	}
	create := func(version string, max int32, cidrs ...string) (string, error) {
		req := &vpc.CreateVpcPrefixListRequest{RegionId: dara.String(region), PrefixListName: dara.String("office"),
			Tag: []*vpc.CreateVpcPrefixListRequestTag{{Key: dara.String("team"), Value: dara.String("net")}}}
		if version != "" {
			req.IpVersion = dara.String(version)
		}
		if max > 0 {
			req.MaxEntries = dara.Int32(max)
		}
		for _, c := range cidrs {
			req.PrefixListEntries = append(req.PrefixListEntries, entry(c))
		}
		resp, err := f.v6.CreateVpcPrefixList(req)
		if err != nil {
			return "", err
		}
		return dara.StringValue(resp.Body.PrefixListId), nil
	}
	id, err := create("", 3, "10.0.0.0/8", "192.168.0.0/24")
	sdktest.OK(t, err)
	_, err = create("", 1, "10.0.0.0/8", "192.168.0.0/24")
	sdktest.WantFail(t, err, 400, "QuotaExceeded.PrefixListEntries")
	_, err = create("", 0, "10.0.0.1/8")
	sdktest.WantFail(t, err, 400, "IllegalParam.PrefixListEntryCidr")
	_, err = create("IPv6", 0, "10.0.0.0/8")
	sdktest.WantFail(t, err, 400, "IllegalParam.PrefixListEntryCidr")
	_, err = create("", 0, "10.0.0.0/8", "10.0.0.0/8")
	sdktest.WantFail(t, err, 400, "DuplicatedParam.PrefixListEntryCidr")
	v6, err := create("IPv6", 0, "2001:db8::/32")
	sdktest.OK(t, err)

	lists, err := f.v6.ListPrefixLists(&vpc.ListPrefixListsRequest{RegionId: dara.String(region), PrefixListIds: []*string{dara.String(id)}})
	sdktest.OK(t, err)
	if l := lists.Body.PrefixLists; len(l) != 1 || dara.Int32Value(l[0].MaxEntries) != 3 || len(l[0].CidrBlocks) != 2 ||
		dara.StringValue(l[0].IpVersion) != "IPv4" || dara.StringValue(l[0].PrefixListStatus) != "Created" || len(l[0].Tags) != 1 {
		t.Fatalf("ListPrefixLists %v", l)
	}
	all, err := f.v6.ListPrefixLists(&vpc.ListPrefixListsRequest{RegionId: dara.String(region), PrefixListName: dara.String("office"), MaxResults: dara.Int64(1)})
	sdktest.OK(t, err)
	if dara.Int64Value(all.Body.TotalCount) != 2 || len(all.Body.PrefixLists) != 1 || dara.StringValue(all.Body.NextToken) == "" {
		t.Fatalf("first page of prefix lists %v", all.Body)
	}

	modify := func(req *vpc.ModifyVpcPrefixListRequest) error {
		req.RegionId, req.PrefixListId = dara.String(region), dara.String(id)
		_, err := f.v6.ModifyVpcPrefixList(req)
		return err
	}
	add := func(c string) []*vpc.ModifyVpcPrefixListRequestAddPrefixListEntry {
		return []*vpc.ModifyVpcPrefixListRequestAddPrefixListEntry{{Cidr: dara.String(c)}}
	}
	remove := func(c string) []*vpc.ModifyVpcPrefixListRequestRemovePrefixListEntry {
		return []*vpc.ModifyVpcPrefixListRequestRemovePrefixListEntry{{Cidr: dara.String(c)}}
	}
	sdktest.WantFail(t, modify(&vpc.ModifyVpcPrefixListRequest{RemovePrefixListEntry: remove("172.16.0.0/12")}), 400, "ResourceNotFound.PrefixListEntryCidr")
	sdktest.WantFail(t, modify(&vpc.ModifyVpcPrefixListRequest{MaxEntries: dara.Int32(1)}), 400, "QuotaExceeded.PrefixListEntries")
	sdktest.WantFail(t, modify(&vpc.ModifyVpcPrefixListRequest{AddPrefixListEntry: add("172.16.0.0/12"), DryRun: dara.Bool(true)}), 400, "DryRunOperation")
	sdktest.OK(t, modify(&vpc.ModifyVpcPrefixListRequest{AddPrefixListEntry: add("172.16.0.0/12"), RemovePrefixListEntry: remove("10.0.0.0/8"),
		PrefixListName: dara.String("renamed")}))
	entries, err := f.v6.GetVpcPrefixListEntries(&vpc.GetVpcPrefixListEntriesRequest{RegionId: dara.String(region), PrefixListId: dara.String(id), MaxResults: dara.Int64(1)})
	sdktest.OK(t, err)
	if b := entries.Body; dara.Int64Value(b.TotalCount) != 2 || len(b.PrefixListEntry) != 1 || dara.StringValue(b.PrefixListEntry[0].Cidr) != "192.168.0.0/24" ||
		dara.StringValue(b.NextToken) == "" {
		t.Fatalf("first page of entries %v", b)
	}
	next, err := f.v6.GetVpcPrefixListEntries(&vpc.GetVpcPrefixListEntriesRequest{RegionId: dara.String(region), PrefixListId: dara.String(id),
		MaxResults: dara.Int64(1), NextToken: entries.Body.NextToken})
	sdktest.OK(t, err)
	if b := next.Body; len(b.PrefixListEntry) != 1 || dara.StringValue(b.PrefixListEntry[0].Cidr) != "172.16.0.0/12" || dara.StringValue(b.NextToken) != "" {
		t.Fatalf("second page of entries %v", b)
	}

	assoc, err := f.v6.GetVpcPrefixListAssociations(&vpc.GetVpcPrefixListAssociationsRequest{RegionId: dara.String(region), PrefixListId: dara.String(id)})
	sdktest.OK(t, err)
	if dara.Int64Value(assoc.Body.TotalCount) != 0 || len(assoc.Body.PrefixListAssociation) != 0 {
		t.Fatalf("associations %v", assoc.Body)
	}
	del := func(id string) error {
		_, err := f.v6.DeleteVpcPrefixList(&vpc.DeleteVpcPrefixListRequest{RegionId: dara.String(region), PrefixListId: dara.String(id)})
		return err
	}
	sdktest.OK(t, del(id))
	sdktest.WantFail(t, del(id), 404, "InvalidPrefixListId.NotFound")
	_, err = f.v6.GetVpcPrefixListAssociations(&vpc.GetVpcPrefixListAssociationsRequest{RegionId: dara.String(region), PrefixListId: dara.String(id)})
	sdktest.WantFail(t, err, 404, "InvalidPrefixListId.NotFound")
	sdktest.OK(t, del(v6))
}

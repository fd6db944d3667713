package ecs_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	ecs "github.com/alibabacloud-go/ecs-20140526/v7/client"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	classicecs "github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"

	"github.com/ecslocal/ecslocal/ecslocaltest"
	"github.com/ecslocal/ecslocal/internal/sdktest"
)

// kv is one tag of a request, in order.
type kv struct{ K, V string }

// tagRow is one TagResources.TagResource entry as "type/id/key=value".
type tagRow string

// tagSDK drives the tag actions through one SDK generation.
type tagSDK struct {
	name  string
	tag   func(e *env, typ string, ids []string, tags []kv) error
	untag func(e *env, typ string, ids, keys []string, all bool) error
	list  func(e *env, typ string, ids []string, filter []kv, token string) ([]tagRow, string, error)
}

var tagSDKs = []tagSDK{
	{
		name: "classic",
		tag: func(e *env, typ string, ids []string, tags []kv) error {
			r := classicecs.CreateTagResourcesRequest()
			r.ResourceType = typ
			if ids != nil {
				r.ResourceId = &ids
			}
			var list []classicecs.TagResourcesTag
			for _, t := range tags {
				list = append(list, classicecs.TagResourcesTag{Key: t.K, Value: t.V})
			}
			if list != nil {
				r.Tag = &list
			}
			_, err := e.classic.TagResources(r)
			return err
		},
		untag: func(e *env, typ string, ids, keys []string, all bool) error {
			r := classicecs.CreateUntagResourcesRequest()
			r.ResourceType = typ
			if ids != nil {
				r.ResourceId = &ids
			}
			if keys != nil {
				r.TagKey = &keys
			}
			if all {
				r.All = requests.NewBoolean(true)
			}
			_, err := e.classic.UntagResources(r)
			return err
		},
		list: func(e *env, typ string, ids []string, filter []kv, token string) ([]tagRow, string, error) {
			r := classicecs.CreateListTagResourcesRequest()
			r.ResourceType, r.NextToken = typ, token
			if ids != nil {
				r.ResourceId = &ids
			}
			var tags []classicecs.ListTagResourcesTag
			for _, t := range filter {
				tags = append(tags, classicecs.ListTagResourcesTag{Key: t.K, Value: t.V})
			}
			if tags != nil {
				r.Tag = &tags
			}
			resp, err := e.classic.ListTagResources(r)
			if err != nil {
				return nil, "", err
			}
			var out []tagRow
			for _, t := range resp.TagResources.TagResource {
				out = append(out, tagRow(t.ResourceType+"/"+t.ResourceId+"/"+t.TagKey+"="+t.TagValue))
			}
			return out, resp.NextToken, nil
		},
	},
	{
		name: "v7",
		tag: func(e *env, typ string, ids []string, tags []kv) error {
			r := &ecs.TagResourcesRequest{RegionId: dara.String(region), ResourceId: dara.StringSlice(ids)}
			if typ != "" {
				r.ResourceType = dara.String(typ)
			}
			for _, t := range tags {
				r.Tag = append(r.Tag, &ecs.TagResourcesRequestTag{Key: dara.String(t.K), Value: dara.String(t.V)})
			}
			_, err := e.v7.TagResources(r)
			return err
		},
		untag: func(e *env, typ string, ids, keys []string, all bool) error {
			r := &ecs.UntagResourcesRequest{RegionId: dara.String(region), ResourceId: dara.StringSlice(ids), TagKey: dara.StringSlice(keys)}
			if typ != "" {
				r.ResourceType = dara.String(typ)
			}
			if all {
				r.All = dara.Bool(true)
			}
			_, err := e.v7.UntagResources(r)
			return err
		},
		list: func(e *env, typ string, ids []string, filter []kv, token string) ([]tagRow, string, error) {
			r := &ecs.ListTagResourcesRequest{RegionId: dara.String(region), ResourceId: dara.StringSlice(ids)}
			if typ != "" {
				r.ResourceType = dara.String(typ)
			}
			if token != "" {
				r.NextToken = dara.String(token)
			}
			for _, t := range filter {
				tag := &ecs.ListTagResourcesRequestTag{Key: dara.String(t.K)}
				if t.V != "" {
					tag.Value = dara.String(t.V)
				}
				r.Tag = append(r.Tag, tag)
			}
			resp, err := e.v7.ListTagResources(r)
			if err != nil {
				return nil, "", err
			}
			var out []tagRow
			if resp.Body.TagResources != nil {
				for _, t := range resp.Body.TagResources.TagResource {
					out = append(out, tagRow(dara.StringValue(t.ResourceType)+"/"+dara.StringValue(t.ResourceId)+"/"+dara.StringValue(t.TagKey)+"="+dara.StringValue(t.TagValue)))
				}
			}
			return out, dara.StringValue(resp.Body.NextToken), nil
		},
	},
}

// forEachTagSDK runs a scenario once per SDK generation on a fresh server.
func forEachTagSDK(t *testing.T, opts ecslocaltest.Options, fn func(t *testing.T, e *env, s tagSDK, d deleter)) {
	for n, s := range tagSDKs {
		t.Run(s.name, func(t *testing.T) {
			t.Parallel()
			fn(t, newEnv(t, opts), s, deleters[n])
		})
	}
}

// wantTags lists the tags of typ and ids and compares them, in order.
func (e *env) wantTags(t *testing.T, s tagSDK, typ string, ids []string, want ...tagRow) {
	t.Helper()
	got, next, err := s.list(e, typ, ids, nil, "")
	sdktest.OK(t, err)
	if !slices.Equal(got, want) || next != "" {
		t.Fatalf("tags of %s %v: %v (next %q), want %v", typ, ids, got, next, want)
	}
}

// tagDisk creates a data disk in the env's zone, tagged, and waits for it.
func (e *env) tagDisk(t *testing.T, tags ...kv) string {
	t.Helper()
	r := classicecs.CreateCreateDiskRequest()
	r.ZoneId, r.Size = e.zone, requests.NewInteger(20)
	var list []classicecs.CreateDiskTag
	for _, tg := range tags {
		list = append(list, classicecs.CreateDiskTag{Key: tg.K, Value: tg.V})
	}
	if list != nil {
		r.Tag = &list
	}
	resp, err := e.classic.CreateDisk(r)
	sdktest.OK(t, err)
	e.s.Clock.Advance(5 * time.Second)
	return resp.DiskId
}

// S36: instance tags go with the instance; a retained disk keeps its tags.
func TestTags_S36(t *testing.T) {
	forEachTagSDK(t, ecslocaltest.Options{}, func(t *testing.T, e *env, s tagSDK, d deleter) {
		id := e.run1(t, func(r *classicecs.RunInstancesRequest) {
			r.Tag = &[]classicecs.RunInstancesTag{{Key: "env", Value: "test"}}
		})
		disk := e.tagDisk(t, kv{"team", "x"})
		ad := classicecs.CreateAttachDiskRequest()
		ad.InstanceId, ad.DiskId = id, disk
		_, err := e.classic.AttachDisk(ad)
		sdktest.OK(t, err)
		e.s.Clock.Advance(5 * time.Second)
		e.wantTags(t, s, "instance", []string{id}, tagRow("instance/"+id+"/env=test"))
		e.wantTags(t, s, "disk", []string{disk}, tagRow("disk/"+disk+"/team=x"))
		sdktest.OK(t, d.batch(e, []string{id}, del{Force: true}))
		e.s.Clock.Advance(10 * time.Second)
		e.wantStatus(t, id, "")
		e.wantTags(t, s, "instance", []string{id})
		e.wantTags(t, s, "instance", nil)
		e.wantTags(t, s, "disk", nil, tagRow("disk/"+disk+"/team=x"))
	})
}

// TagResources and UntagResources on every kept resource type; the tags
// are the resources' own, so Describe* tag filters see them.
func TestTagResources_Lifecycle(t *testing.T) {
	forEachTagSDK(t, ecslocaltest.Options{}, func(t *testing.T, e *env, s tagSDK, d deleter) {
		id := e.run1(t, nil)
		disk := e.tagDisk(t)
		cs := classicecs.CreateCreateSnapshotRequest()
		cs.DiskId = disk
		snap, err := e.classic.CreateSnapshot(cs)
		sdktest.OK(t, err)
		ce := classicecs.CreateCreateNetworkInterfaceRequest()
		ce.VSwitchId, ce.SecurityGroupId = e.vsw, e.sg
		eni, err := e.classic.CreateNetworkInterface(ce)
		sdktest.OK(t, err)
		for _, res := range []struct{ typ, id string }{
			{"instance", id}, {"disk", disk}, {"snapshot", snap.SnapshotId}, {"securitygroup", e.sg}, {"eni", eni.NetworkInterfaceId},
		} {
			t.Run(res.typ, func(t *testing.T) {
				row := func(k, v string) tagRow { return tagRow(res.typ + "/" + res.id + "/" + k + "=" + v) }
				sdktest.OK(t, s.tag(e, res.typ, []string{res.id}, []kv{{"a", "1"}, {"b", "2"}}))
				e.wantTags(t, s, res.typ, []string{res.id}, row("a", "1"), row("b", "2"))
				sdktest.OK(t, s.tag(e, res.typ, []string{res.id}, []kv{{"a", "9"}, {"c", ""}}))
				e.wantTags(t, s, res.typ, []string{res.id}, row("a", "9"), row("b", "2"), row("c", ""))
				got, _, err := s.list(e, res.typ, nil, []kv{{"a", "9"}}, "")
				sdktest.OK(t, err)
				if !slices.Contains(got, row("b", "2")) {
					t.Fatalf("ListTagResources by tag a=9: %v", got)
				}
				got, _, err = s.list(e, res.typ, nil, []kv{{"a", "1"}}, "")
				sdktest.OK(t, err)
				if len(got) != 0 {
					t.Fatalf("ListTagResources by the old value: %v", got)
				}
				sdktest.OK(t, s.untag(e, res.typ, []string{res.id}, []string{"a", "zzz"}, false))
				e.wantTags(t, s, res.typ, []string{res.id}, row("b", "2"), row("c", ""))
				sdktest.OK(t, s.untag(e, res.typ, []string{res.id}, nil, false)) // neither keys nor All: nothing
				e.wantTags(t, s, res.typ, []string{res.id}, row("b", "2"), row("c", ""))
				sdktest.OK(t, s.untag(e, res.typ, []string{res.id}, []string{"b"}, true)) // All only acts without keys
				e.wantTags(t, s, res.typ, []string{res.id}, row("c", ""))
				sdktest.OK(t, s.untag(e, res.typ, []string{res.id}, nil, true))
				e.wantTags(t, s, res.typ, []string{res.id})
			})
		}
		// Tags set by TagResources feed DescribeInstances' Tag.N filter.
		sdktest.OK(t, s.tag(e, "instance", []string{id}, []kv{{"env", "prod"}}))
		r := classicecs.CreateDescribeInstancesRequest()
		r.Tag = &[]classicecs.DescribeInstancesTag{{Key: "env", Value: "prod"}}
		resp, err := e.classic.DescribeInstances(r)
		sdktest.OK(t, err)
		if resp.TotalCount != 1 || resp.Instances.Instance[0].InstanceId != id || len(resp.Instances.Instance[0].Tags.Tag) != 1 {
			t.Fatalf("DescribeInstances by tag: %+v", resp.Instances)
		}
	})
}

// Every refusal of the tag actions, with its status and code; a refused
// batch tags nothing.
func TestTagResources_Refusals(t *testing.T) {
	forEachTagSDK(t, ecslocaltest.Options{}, func(t *testing.T, e *env, s tagSDK, d deleter) {
		id := e.run1(t, nil)
		one := []kv{{"k", "v"}}
		many := func(n int, prefix string) []kv {
			var out []kv
			for i := range n {
				out = append(out, kv{fmt.Sprintf("%s%d", prefix, i), "v"})
			}
			return out
		}
		sdktest.WantFail(t, s.tag(e, "bogus", []string{id}, one), 404, "InvalidResourceType.NotFound")
		sdktest.WantFail(t, s.tag(e, "", []string{id}, one), 400, "MissingParameter")
		sdktest.WantFail(t, s.tag(e, "instance", nil, one), 400, "MissingParameter")
		sdktest.WantFail(t, s.tag(e, "instance", []string{id}, nil), 400, "MissingParameter")
		sdktest.WantFail(t, s.tag(e, "instance", []string{id, "i-nope"}, one), 404, "InvalidResourceId.NotFound")
		sdktest.WantFail(t, s.tag(e, "disk", []string{id}, one), 404, "InvalidResourceId.NotFound")
		sdktest.WantFail(t, s.tag(e, "image", []string{"m-x"}, one), 404, "InvalidResourceId.NotFound")
		ids := []string{id}
		for i := range 50 {
			ids = append(ids, fmt.Sprintf("i-x%d", i))
		}
		sdktest.WantFail(t, s.tag(e, "instance", ids, one), 400, "NumberExceed.ResourceIds")
		sdktest.WantFail(t, s.tag(e, "instance", []string{id}, many(21, "k")), 400, "NumberExceed.Tags")
		sdktest.WantFail(t, s.tag(e, "instance", []string{id}, []kv{{"k", "1"}, {"k", "2"}}), 400, "Duplicate.TagKey")
		sdktest.WantFail(t, s.tag(e, "instance", []string{id}, []kv{{"acs:k", "1"}}), 400, "InvalidTagKey.Malformed")
		sdktest.WantFail(t, s.tag(e, "instance", []string{id}, []kv{{strings.Repeat("k", 129), "1"}}), 400, "InvalidTagKey.Malformed")
		sdktest.WantFail(t, s.tag(e, "instance", []string{id}, []kv{{"k", "http://x"}}), 400, "InvalidTagValue.Malformed")
		sdktest.WantFail(t, s.tag(e, "instance", []string{id}, []kv{{"k", strings.Repeat("v", 129)}}), 400, "InvalidTagValue.Malformed")
		e.wantTags(t, s, "instance", []string{id})
		// Twenty tags per resource.
		sdktest.OK(t, s.tag(e, "instance", []string{id}, many(15, "a")))
		sdktest.WantFail(t, s.tag(e, "instance", []string{id}, many(6, "b")), 400, "OperationDenied.QuotaExceed")
		sdktest.OK(t, s.tag(e, "instance", []string{id}, append(many(5, "b"), many(15, "a")...)))
		sdktest.WantFail(t, s.tag(e, "instance", []string{id}, one), 400, "OperationDenied.QuotaExceed")
		got, _, err := s.list(e, "instance", []string{id}, nil, "")
		sdktest.OK(t, err)
		if len(got) != 20 {
			t.Fatalf("%d tags after the quota refusals, want 20", len(got))
		}
		sdktest.WantFail(t, s.untag(e, "instance", []string{"i-nope"}, []string{"a1"}, false), 404, "InvalidResourceId.NotFound")
		var keys []string
		for i := range 21 {
			keys = append(keys, fmt.Sprint("a", i))
		}
		sdktest.WantFail(t, s.untag(e, "instance", []string{id}, keys, false), 400, "NumberExceed.Tags")
		sdktest.WantFail(t, s.untag(e, "bogus", []string{id}, keys[:1], false), 404, "InvalidResourceType.NotFound")
		_, _, err = s.list(e, "bogus", nil, nil, "")
		sdktest.WantFail(t, err, 404, "InvalidResourceType.NotFound")
		_, _, err = s.list(e, "", nil, nil, "")
		sdktest.WantFail(t, err, 400, "MissingParameter")
		_, _, err = s.list(e, "instance", nil, nil, "not-a-token")
		sdktest.WantFail(t, err, 403, "Invalid.NextToken")
		_, _, err = s.list(e, "instance", ids, nil, "")
		sdktest.WantFail(t, err, 400, "NumberExceed.ResourceIds")
		// A valid type ecslocal keeps no resources of lists nothing.
		if got, _, err := s.list(e, "image", nil, nil, ""); err != nil || len(got) != 0 {
			t.Fatalf("ListTagResources(image): %v %v", got, err)
		}
		// Unknown ids are simply absent from a listing.
		if got, _, err := s.list(e, "instance", []string{"i-nope"}, nil, ""); err != nil || len(got) != 0 {
			t.Fatalf("ListTagResources(unknown id): %v %v", got, err)
		}
	})
}

// ListTagResources pages 50 resources at a time with an opaque NextToken.
func TestListTagResources_Paging(t *testing.T) {
	forEachTagSDK(t, ecslocaltest.Options{}, func(t *testing.T, e *env, s tagSDK, d deleter) {
		var groups []string
		for range 55 {
			cg := classicecs.CreateCreateSecurityGroupRequest()
			cg.VpcId = e.vpcID
			g, err := e.classic.CreateSecurityGroup(cg)
			sdktest.OK(t, err)
			groups = append(groups, g.SecurityGroupId)
		}
		sdktest.OK(t, s.tag(e, "securitygroup", groups[:50], []kv{{"tier", "web"}}))
		sdktest.OK(t, s.tag(e, "securitygroup", groups[50:], []kv{{"tier", "web"}, {"x", "y"}}))
		var rows []tagRow
		token, pages := "", 0
		for {
			got, next, err := s.list(e, "securitygroup", nil, []kv{{"tier", ""}}, token)
			sdktest.OK(t, err)
			rows, pages = append(rows, got...), pages+1
			if next == "" || pages > 3 {
				break
			}
			token = next
		}
		if pages != 2 || len(rows) != 60 {
			t.Fatalf("%d rows in %d pages, want 60 in 2", len(rows), pages)
		}
		got, _, err := s.list(e, "securitygroup", nil, []kv{{"tier", "web"}, {"x", "y"}}, "")
		sdktest.OK(t, err)
		if len(got) != 10 {
			t.Fatalf("both tags must hold: %v", got)
		}
		// TagFilter.N, exact: a key with any of its values.
		r := classicecs.CreateListTagResourcesRequest()
		r.ResourceType = "securitygroup"
		r.TagFilter = &[]classicecs.ListTagResourcesTagFilter{{TagKey: "x", TagValues: &[]string{"nope", "y"}}}
		resp, err := e.classic.ListTagResources(r)
		sdktest.OK(t, err)
		if len(resp.TagResources.TagResource) != 10 {
			t.Fatalf("TagFilter x in (nope, y): %+v", resp.TagResources.TagResource)
		}
	})
}

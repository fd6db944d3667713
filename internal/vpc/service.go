// Package vpc serves the VPC 2016-04-28 actions ECS instances stand on:
// VPCs, vSwitches and route tables (route entries and EIPs come with the
// network issue).
package vpc

import (
	"context"
	"strconv"
	"strings"

	"github.com/ecslocal/ecslocal/internal/apierr"
	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/ident"
	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/store"
	"github.com/ecslocal/ecslocal/internal/tagging"
)

// Service holds what VPC actions share.
type Service struct {
	store   store.Store
	catalog *cloud.Catalog
	ids     *ident.Generator
}

// New makes the VPC service.
func New(st store.Store, cat *cloud.Catalog, ids *ident.Generator) *Service {
	return &Service{store: st, catalog: cat, ids: ids}
}

// Register adds every VPC action to t. ECS 2014-05-26 still carries the
// legacy CreateVpc … DeleteVSwitch actions with the same parameters (the
// classic ECS SDK calls them), so one implementation serves both versions.
func (s *Service) Register(t *rpc.Table) {
	for _, v := range []string{rpc.VersionVPC, rpc.VersionECS} {
		rpc.Handle(t, v, "CreateVpc", s.CreateVpc)
		rpc.Handle(t, v, "DescribeVpcs", s.DescribeVpcs)
		rpc.Handle(t, v, "DeleteVpc", s.DeleteVpc)
		rpc.Handle(t, v, "CreateVSwitch", s.CreateVSwitch)
		rpc.Handle(t, v, "DescribeVSwitches", s.DescribeVSwitches)
		rpc.Handle(t, v, "DeleteVSwitch", s.DeleteVSwitch)
	}
	rpc.Handle(t, rpc.VersionVPC, "DescribeRouteTableList", s.DescribeRouteTableList)
	rpc.Handle(t, rpc.VersionVPC, "CreateRouteTable", s.CreateRouteTable)
	rpc.Handle(t, rpc.VersionVPC, "DeleteRouteTable", s.DeleteRouteTable)
	rpc.Handle(t, rpc.VersionVPC, "AssociateRouteTable", s.AssociateRouteTable)
	rpc.Handle(t, rpc.VersionVPC, "UnassociateRouteTable", s.UnassociateRouteTable)
	rpc.Handle(t, rpc.VersionVPC, "ModifyRouteTableAttributes", s.ModifyRouteTableAttributes)
	s.registerRouteEntries(t)
	s.registerEIPs(t)
	s.registerTags(t)
	s.registerNat(t)
	s.registerNatIPs(t)
	s.registerBandwidthPackages(t)
	s.registerEIPMore(t)
	s.registerIpv4Gateways(t)
	s.registerFlowLogs(t)
	s.registerPrefixLists(t)
	s.registerIpv6Gateways(t)
	s.registerEipSegments(t)
	s.registerIPPools(t)
	s.registerTrafficMirror(t)
	s.registerMirrorSessions(t)
	s.registerTerraformReads(t)
	s.registerVpcAttributes(t)
	s.registerResourceMeta(t)
	s.registerRouteBatch(t)
	s.registerHaVips(t)
	s.registerNetworkACLs(t)
	s.registerDhcp(t)
	s.registerReservations(t)
}

// checkRegion refuses a RegionId the catalogue does not know.
func (s *Service) checkRegion(region string) error { return s.catalog.CheckRegion(region) }

// notFound turns store.ErrNotFound into the action's catalog error.
func notFound(err error, e apierr.Entry) error { return store.NotFoundAs(err, e) }

// paging reads PageNumber/PageSize the VPC way: 1-based, size 1..50.
func paging(p *rpc.Params) (number, size int) {
	return p.Int("PageNumber", 1, 1, 1<<30), p.Int("PageSize", 10, 1, 50)
}

// idList splits a comma-separated id parameter (DescribeVpcs' VpcId takes
// up to 20 ids that way); nil when absent, so the query is not restricted.
func idList(v string) []string {
	var out []string
	for _, id := range strings.Split(v, ",") {
		if id = strings.TrimSpace(id); id != "" {
			out = append(out, id)
		}
	}
	return out
}

// tagFilters turns Tag.N of a Describe request into index filters, as
// every product does (internal/tagging).
func tagFilters(tags []rpc.Tag) []store.Filter { return tagging.Filters(tags) }

// cloudTags converts request tags to stored ones.
func cloudTags(tags []rpc.Tag) []cloud.Tag { return tagging.Cloud(tags) }

// TagItem is one tag as VPC answers show it (Key/Value, unlike ECS's
// TagKey/TagValue).
type TagItem struct {
	Key   string `json:"Key"`
	Value string `json:"Value"`
}

// Tags is the Tags.Tag[] wrapper of VPC answers.
type Tags struct {
	Tag []TagItem `json:"Tag"`
}

func tagsOf(tags []cloud.Tag) Tags {
	out := Tags{Tag: make([]TagItem, 0, len(tags))}
	for _, t := range tags {
		out.Tag = append(out.Tag, TagItem{Key: t.Key, Value: t.Value})
	}
	return out
}

// ownerID is the account as the int64 OwnerId answers carry; accounts that
// are not numeric (a custom ACCOUNT in --access-key) answer 0.
func ownerID(account string) int64 {
	n, _ := strconv.ParseInt(account, 10, 64)
	return n
}

// where is a List parameter and the index its value filters on.
type where struct {
	param string
	index cloud.IndexName
}

// bindWhere is the filters of the parameters of ws that are given, in order.
func bindWhere(p *rpc.Params, ws []where) []store.Filter {
	var out []store.Filter
	for _, w := range ws {
		if v := p.String(w.param); v != "" {
			out = append(out, store.Where(string(w.index), v))
		}
	}
	return out
}

// changeOne runs change on the resource of kind T named id (missing when
// there is none), then, unless dryRun, writes it back (keep) or deletes it.
func changeOne[T cloud.Resource](ctx context.Context, s *Service, call *rpc.Call, region, id string, missing apierr.Entry, dryRun bool,
	change func(store.Tx, *T) (keep bool, err error)) error {
	if err := s.checkRegion(region); err != nil {
		return err
	}
	return s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		r, err := store.GetIn[T](ctx, tx, region, id)
		if err != nil {
			return notFound(err, missing)
		}
		keep, err := change(tx, &r)
		if err != nil {
			return err
		}
		if dryRun {
			return apierr.DryRunOperation.New()
		}
		if !keep {
			return store.Delete[T](ctx, tx, r.Key())
		}
		return store.Put(ctx, tx, r)
	})
}

// Package slb serves the Classic Load Balancer (SLB 2014-05-15) actions that
// releasing an instance depends on: load balancers and their default backend
// server group (spec/semantics.md §5.8).
package slb

import (
	"context"

	"github.com/ecslocal/ecslocal/internal/apierr"
	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/ident"
	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/store"
)

// Service holds what SLB actions share.
type Service struct {
	store   store.Store
	catalog *cloud.Catalog
	ids     *ident.Generator
}

// New makes the SLB service.
func New(st store.Store, cat *cloud.Catalog, ids *ident.Generator) *Service {
	return &Service{store: st, catalog: cat, ids: ids}
}

// Register adds every SLB action to t.
func (s *Service) Register(t *rpc.Table) {
	v := rpc.VersionSLB
	rpc.Handle(t, v, "CreateLoadBalancer", s.CreateLoadBalancer)
	rpc.Handle(t, v, "DescribeLoadBalancers", s.DescribeLoadBalancers)
	rpc.Handle(t, v, "DescribeLoadBalancerAttribute", s.DescribeLoadBalancerAttribute)
	rpc.Handle(t, v, "DeleteLoadBalancer", s.DeleteLoadBalancer)
	rpc.Handle(t, v, "AddBackendServers", s.AddBackendServers)
	rpc.Handle(t, v, "RemoveBackendServers", s.RemoveBackendServers)
	rpc.Handle(t, v, "SetBackendServers", s.SetBackendServers)
	s.registerListeners(t)
	s.registerVServerGroups(t)
	s.registerCertificatesAndACLs(t)
	s.registerAttributes(t)
	s.registerTags(t)
	s.registerTerraformReads(t)
}

// checkRegion refuses a RegionId the catalogue does not know.
func (s *Service) checkRegion(region string) error { return s.catalog.CheckRegion(region) }

// notFound turns store.ErrNotFound into the action's catalog error.
func notFound(err error, e apierr.Entry) error { return store.NotFoundAs(err, e) }

// loadBalancer reads a load balancer of region; 404 when unknown.
func loadBalancer(ctx context.Context, tx store.Tx, region, id string) (cloud.LoadBalancer, error) {
	l, err := store.GetIn[cloud.LoadBalancer](ctx, tx, region, id)
	if err != nil {
		return l, notFound(err, apierr.InvalidLoadBalancerIDNotFound)
	}
	return l, nil
}

// configuringWindow is the slbConfiguringWindow switch (design.md §1.2).
func configuringWindow(ctx context.Context, tx store.Tx) (cloud.Duration, error) {
	cfg, err := store.LoadConfig(ctx, tx)
	return cfg.SLBConfiguringWindow, err
}

// registerListeners adds the listener actions (listener.go).
func (s *Service) registerListeners(t *rpc.Table) {
	v := rpc.VersionSLB
	rpc.Handle(t, v, "CreateLoadBalancerTCPListener", s.CreateLoadBalancerTCPListener)
	rpc.Handle(t, v, "CreateLoadBalancerUDPListener", s.CreateLoadBalancerUDPListener)
	rpc.Handle(t, v, "CreateLoadBalancerHTTPListener", s.CreateLoadBalancerHTTPListener)
	rpc.Handle(t, v, "CreateLoadBalancerHTTPSListener", s.CreateLoadBalancerHTTPSListener)
	rpc.Handle(t, v, "SetLoadBalancerTCPListenerAttribute", s.SetLoadBalancerTCPListenerAttribute)
	rpc.Handle(t, v, "SetLoadBalancerUDPListenerAttribute", s.SetLoadBalancerUDPListenerAttribute)
	rpc.Handle(t, v, "SetLoadBalancerHTTPListenerAttribute", s.SetLoadBalancerHTTPListenerAttribute)
	rpc.Handle(t, v, "SetLoadBalancerHTTPSListenerAttribute", s.SetLoadBalancerHTTPSListenerAttribute)
	rpc.Handle(t, v, "DescribeLoadBalancerTCPListenerAttribute", s.DescribeLoadBalancerTCPListenerAttribute)
	rpc.Handle(t, v, "DescribeLoadBalancerUDPListenerAttribute", s.DescribeLoadBalancerUDPListenerAttribute)
	rpc.Handle(t, v, "DescribeLoadBalancerHTTPListenerAttribute", s.DescribeLoadBalancerHTTPListenerAttribute)
	rpc.Handle(t, v, "DescribeLoadBalancerHTTPSListenerAttribute", s.DescribeLoadBalancerHTTPSListenerAttribute)
	rpc.Handle(t, v, "DescribeLoadBalancerListeners", s.DescribeLoadBalancerListeners)
	rpc.Handle(t, v, "StartLoadBalancerListener", s.StartLoadBalancerListener)
	rpc.Handle(t, v, "StopLoadBalancerListener", s.StopLoadBalancerListener)
	rpc.Handle(t, v, "DeleteLoadBalancerListener", s.DeleteLoadBalancerListener)
	rpc.Handle(t, v, "SetListenerAccessControlStatus", s.SetListenerAccessControlStatus)
	rpc.Handle(t, v, "AddListenerWhiteListItem", s.AddListenerWhiteListItem)
	rpc.Handle(t, v, "RemoveListenerWhiteListItem", s.RemoveListenerWhiteListItem)
	rpc.Handle(t, v, "DescribeListenerAccessControlAttribute", s.DescribeListenerAccessControlAttribute)
}

// registerVServerGroups adds the VServer group actions (vservergroup.go).
func (s *Service) registerVServerGroups(t *rpc.Table) {
	v := rpc.VersionSLB
	rpc.Handle(t, v, "CreateVServerGroup", s.CreateVServerGroup)
	rpc.Handle(t, v, "DescribeVServerGroups", s.DescribeVServerGroups)
	rpc.Handle(t, v, "DescribeVServerGroupAttribute", s.DescribeVServerGroupAttribute)
	rpc.Handle(t, v, "DeleteVServerGroup", s.DeleteVServerGroup)
	rpc.Handle(t, v, "AddVServerGroupBackendServers", s.AddVServerGroupBackendServers)
	rpc.Handle(t, v, "RemoveVServerGroupBackendServers", s.RemoveVServerGroupBackendServers)
	rpc.Handle(t, v, "ModifyVServerGroupBackendServers", s.ModifyVServerGroupBackendServers)
	rpc.Handle(t, v, "SetVServerGroupAttribute", s.SetVServerGroupAttribute)
}

// registerCertificatesAndACLs adds the server certificate (cert.go) and
// access control list (acl.go) actions.
func (s *Service) registerCertificatesAndACLs(t *rpc.Table) {
	v := rpc.VersionSLB
	rpc.Handle(t, v, "UploadServerCertificate", s.UploadServerCertificate)
	rpc.Handle(t, v, "DescribeServerCertificates", s.DescribeServerCertificates)
	rpc.Handle(t, v, "DeleteServerCertificate", s.DeleteServerCertificate)
	rpc.Handle(t, v, "SetServerCertificateName", s.SetServerCertificateName)
	rpc.Handle(t, v, "CreateAccessControlList", s.CreateAccessControlList)
	rpc.Handle(t, v, "DeleteAccessControlList", s.DeleteAccessControlList)
	rpc.Handle(t, v, "DescribeAccessControlLists", s.DescribeAccessControlLists)
	rpc.Handle(t, v, "DescribeAccessControlListAttribute", s.DescribeAccessControlListAttribute)
	rpc.Handle(t, v, "AddAccessControlListEntry", s.AddAccessControlListEntry)
	rpc.Handle(t, v, "RemoveAccessControlListEntry", s.RemoveAccessControlListEntry)
	rpc.Handle(t, v, "SetAccessControlListAttribute", s.SetAccessControlListAttribute)
}

// registerAttributes adds the load balancer attribute actions (attributes.go).
func (s *Service) registerAttributes(t *rpc.Table) {
	v := rpc.VersionSLB
	rpc.Handle(t, v, "SetLoadBalancerStatus", s.SetLoadBalancerStatus)
	rpc.Handle(t, v, "SetLoadBalancerName", s.SetLoadBalancerName)
	rpc.Handle(t, v, "SetLoadBalancerDeleteProtection", s.SetLoadBalancerDeleteProtection)
	rpc.Handle(t, v, "SetLoadBalancerModificationProtection", s.SetLoadBalancerModificationProtection)
	rpc.Handle(t, v, "ModifyLoadBalancerInternetSpec", s.ModifyLoadBalancerInternetSpec)
	rpc.Handle(t, v, "ModifyLoadBalancerInstanceSpec", s.ModifyLoadBalancerInstanceSpec)
}

// registerTags adds the tag writes and DescribeTags (tags.go).
func (s *Service) registerTags(t *rpc.Table) {
	v := rpc.VersionSLB
	rpc.Handle(t, v, "TagResources", s.TagResources)
	rpc.Handle(t, v, "UntagResources", s.UntagResources)
	rpc.Handle(t, v, "AddTags", s.AddTags)
	rpc.Handle(t, v, "RemoveTags", s.RemoveTags)
	rpc.Handle(t, v, "DescribeTags", s.DescribeTags)
}

// Package ecs serves the ECS 2014-05-26 actions: one file per resource
// family, each action one request struct, one response struct and one method.
package ecs

import (
	"github.com/ecslocal/ecslocal/internal/apierr"
	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/ident"
	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/store"
)

// Service holds what ECS actions share.
type Service struct {
	store   store.Store
	catalog *cloud.Catalog
	ids     *ident.Generator
	// items keeps DescribeInstances' written items (itemcache.go).
	items itemCache
}

// New makes the ECS service.
func New(st store.Store, cat *cloud.Catalog, ids *ident.Generator) *Service {
	return &Service{store: st, catalog: cat, ids: ids}
}

// Register adds every ECS action to t.
func (s *Service) Register(t *rpc.Table) {
	v := rpc.VersionECS
	rpc.Handle(t, v, "DescribeRegions", s.DescribeRegions)
	rpc.Handle(t, v, "DescribeZones", s.DescribeZones)
	rpc.Handle(t, v, "DescribeImages", s.DescribeImages)
	rpc.Handle(t, v, "DescribeInstanceTypes", s.DescribeInstanceTypes)
	s.registerSecurityGroups(t)
	s.registerInstances(t)
	s.registerDisks(t)
	s.registerENIs(t)
	s.registerTags(t)
	s.registerTerraformReads(t)
	s.registerAvailability(t)
	s.registerKeyPairs(t)
	s.registerRAMRoles(t)
	s.registerImages(t)
	s.registerLaunchTemplates(t)
	s.registerDeploymentSets(t)
	s.registerSecurityGroupMembership(t)
	s.registerMetadataOptions(t)
	s.registerPublicIPs(t)
	s.registerImageShares(t)
	s.registerDiskOps(t)
	s.registerSnapshotMore(t)
	s.registerCommands(t)
	s.registerHpcAndTasks(t)
	s.registerImageComponents(t)
	s.registerDedicatedHosts(t)
	s.registerPrivatePools(t)
	s.registerElasticityAssurances(t)
	s.registerActivations(t)
	s.registerMaintenanceWindows(t)
	s.registerLongTail(t)
}

// checkRegion refuses a RegionId the catalogue does not know.
func (s *Service) checkRegion(region string) error { return s.catalog.CheckRegion(region) }

// notFound turns store.ErrNotFound into the action's catalog error.
func notFound(err error, e apierr.Entry) error { return store.NotFoundAs(err, e) }

// dryRun is the answer of a dry run that passed every check; as an error it
// rolls the transaction back for free.
func dryRun() error { return apierr.DryRunOperation.New() }

// paging reads PageNumber/PageSize (1-based, size 1..max) the ECS way.
func paging(p *rpc.Params, defSize, maxSize int) (number, size int) {
	return p.Int("PageNumber", 1, 1, 1<<30), p.Int("PageSize", defSize, 1, maxSize)
}

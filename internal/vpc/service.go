// Package vpc serves the VPC 2016-04-28 actions ECS instances stand on:
// VPCs, vSwitches and route tables (route entries and EIPs come with the
// network issue).
package vpc

import (
	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/ident"
	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/store"
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

// Register adds every VPC action to t.
func (s *Service) Register(t *rpc.Table) {
}

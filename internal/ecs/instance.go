package ecs

import "github.com/ecslocal/ecslocal/internal/rpc"

func (s *Service) registerInstances(t *rpc.Table) {
}

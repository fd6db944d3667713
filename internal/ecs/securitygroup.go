package ecs

import "github.com/ecslocal/ecslocal/internal/rpc"

func (s *Service) registerSecurityGroups(t *rpc.Table) {
}

package ecs

import "github.com/ecslocal/ecslocal/internal/rpc"

// registerLongTail adds the instance's and the account's long tail of
// actions: resource groups, instance changes, prices and quotas.
func (s *Service) registerLongTail(t *rpc.Table) {
	v := rpc.VersionECS
	rpc.Handle(t, v, "JoinResourceGroup", s.JoinResourceGroup)
	rpc.Handle(t, v, "ModifyInstanceSpec", s.ModifyInstanceSpec)
	rpc.Handle(t, v, "ModifyPrepayInstanceSpec", s.ModifyPrepayInstanceSpec)
	rpc.Handle(t, v, "ModifyInstanceNetworkSpec", s.ModifyInstanceNetworkSpec)
}

package ecs

import (
	"context"
	"strings"

	"github.com/ecslocal/ecslocal/internal/apierr"
	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/store"
)

// registerRAMRoles adds the instance RAM role actions; the roles themselves
// are RAM's (internal/ram), read here from the same account's store.
func (s *Service) registerRAMRoles(t *rpc.Table) {
	v := rpc.VersionECS
	rpc.Handle(t, v, "AttachInstanceRamRole", s.AttachInstanceRamRole)
	rpc.Handle(t, v, "DetachInstanceRamRole", s.DetachInstanceRamRole)
}

// instanceRole reads a role an instance may take: it exists
// (InvalidRamRole.NotFound) and trusts ecs.aliyuncs.com.
func instanceRole(ctx context.Context, tx store.Tx, name string) (cloud.RAMRole, error) {
	r, err := store.Get[cloud.RAMRole](ctx, tx, strings.ToLower(name))
	if err != nil {
		return r, notFound(err, apierr.InvalidRAMRoleNotFound)
	}
	return r, cloud.CheckInstanceRole(r)
}

// InstanceRAMRoleRequest is AttachInstanceRamRole and DetachInstanceRamRole.
type InstanceRAMRoleRequest struct {
	RegionID, RAMRoleName string
	IDs                   []string
}

func (r *InstanceRAMRoleRequest) bind(p *rpc.Params, roleRequired bool) {
	r.RegionID = p.Required("RegionId")
	p.Required("InstanceIds")
	if roleRequired {
		r.RAMRoleName = p.Required("RamRoleName")
	} else {
		r.RAMRoleName = p.String("RamRoleName")
	}
	r.IDs = p.JSONList("InstanceIds")
	if len(r.IDs) > 100 {
		p.Fail(apierr.InvalidInstanceIDsTooMany.New())
	}
	p.String("Policy") // an extra session policy: not evaluated [choice]
}

// AttachInstanceRamRoleRequest is AttachInstanceRamRole.
type AttachInstanceRamRoleRequest struct{ InstanceRAMRoleRequest }

// Bind implements rpc.Binder.
func (r *AttachInstanceRamRoleRequest) Bind(p *rpc.Params) { r.bind(p, true) }

// DetachInstanceRamRoleRequest is DetachInstanceRamRole.
type DetachInstanceRamRoleRequest struct{ InstanceRAMRoleRequest }

// Bind implements rpc.Binder; without RamRoleName the instance's role goes.
func (r *DetachInstanceRamRoleRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	p.Required("InstanceIds")
	r.IDs = p.JSONList("InstanceIds")
	if len(r.IDs) > 100 {
		p.Fail(apierr.InvalidInstanceIDsTooMany.New())
	}
	r.RAMRoleName = p.String("RamRoleName")
}

// RAMRoleResult is one instance's outcome.
type RAMRoleResult struct {
	InstanceID string `json:"InstanceId"`
	Success    bool   `json:"Success"`
	Code       string `json:"Code"`
	Message    string `json:"Message"`
}

// AttachInstanceRamRoleResponse lists each instance's outcome.
type AttachInstanceRamRoleResponse struct {
	rpc.Base
	RAMRoleName                  string `json:"RamRoleName"`
	TotalCount                   int    `json:"TotalCount"`
	FailCount                    int    `json:"FailCount"`
	AttachInstanceRAMRoleResults struct {
		AttachInstanceRAMRoleResult []RAMRoleResult `json:"AttachInstanceRamRoleResult"`
	} `json:"AttachInstanceRamRoleResults"`
}

// outcome is one instance's result, written back when it succeeded.
func outcome(ctx context.Context, tx store.Tx, i cloud.Instance, change func(cloud.Instance) (cloud.Instance, *apierr.Error)) (RAMRoleResult, error) {
	res := RAMRoleResult{InstanceID: i.ID, Success: true, Code: "200", Message: "success"}
	next, refusal := change(i)
	if refusal != nil {
		res.Success, res.Code, res.Message = false, refusal.Code, refusal.Message
		return res, nil
	}
	return res, store.Put(ctx, tx, next)
}

// AttachInstanceRamRole gives instances a role; the role must exist and
// trust ECS (the whole call fails otherwise), and an instance that already
// has a role fails alone, as each instance answers for itself.
func (s *Service) AttachInstanceRamRole(ctx context.Context, call *rpc.Call, req *AttachInstanceRamRoleRequest) (*AttachInstanceRamRoleResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &AttachInstanceRamRoleResponse{TotalCount: len(req.IDs)}
	resp.AttachInstanceRAMRoleResults.AttachInstanceRAMRoleResult = []RAMRoleResult{}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		role, err := instanceRole(ctx, tx, req.RAMRoleName)
		if err != nil {
			return err
		}
		resp.RAMRoleName = role.Name
		insts, err := instancesIn(ctx, tx, req.RegionID, req.IDs)
		if err != nil {
			return err
		}
		for _, i := range insts {
			res, err := outcome(ctx, tx, i, func(i cloud.Instance) (cloud.Instance, *apierr.Error) {
				if i.RAMRoleName != "" {
					return i, apierr.InstanceRAMRoleAttached.New()
				}
				i.RAMRoleName = role.Name
				return i, nil
			})
			if err != nil {
				return err
			}
			if !res.Success {
				resp.FailCount++
			}
			resp.AttachInstanceRAMRoleResults.AttachInstanceRAMRoleResult = append(resp.AttachInstanceRAMRoleResults.AttachInstanceRAMRoleResult, res)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// DetachInstanceRamRoleResponse lists each instance's outcome.
type DetachInstanceRamRoleResponse struct {
	rpc.Base
	RAMRoleName                  string `json:"RamRoleName"`
	TotalCount                   int    `json:"TotalCount"`
	FailCount                    int    `json:"FailCount"`
	DetachInstanceRAMRoleResults struct {
		DetachInstanceRAMRoleResult []DetachResult `json:"DetachInstanceRamRoleResult"`
	} `json:"DetachInstanceRamRoleResults"`
}

// DetachResult is RAMRoleResult with the role the instance had.
type DetachResult struct {
	RAMRoleResult
	InstanceRAMRoleSets struct {
		InstanceRAMRoleSet []InstanceRAMRoleSet `json:"InstanceRamRoleSet"`
	} `json:"InstanceRamRoleSets"`
}

// DetachInstanceRamRole takes the role from instances; an instance without
// it (or with another one than RamRoleName) fails alone.
func (s *Service) DetachInstanceRamRole(ctx context.Context, call *rpc.Call, req *DetachInstanceRamRoleRequest) (*DetachInstanceRamRoleResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &DetachInstanceRamRoleResponse{TotalCount: len(req.IDs), RAMRoleName: req.RAMRoleName}
	resp.DetachInstanceRAMRoleResults.DetachInstanceRAMRoleResult = []DetachResult{}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		insts, err := instancesIn(ctx, tx, req.RegionID, req.IDs)
		if err != nil {
			return err
		}
		for _, i := range insts {
			had := i.RAMRoleName
			res, err := outcome(ctx, tx, i, func(i cloud.Instance) (cloud.Instance, *apierr.Error) {
				if i.RAMRoleName == "" || req.RAMRoleName != "" && !strings.EqualFold(i.RAMRoleName, req.RAMRoleName) {
					return i, apierr.InstanceRAMRoleNotAttached.New()
				}
				i.RAMRoleName = ""
				return i, nil
			})
			if err != nil {
				return err
			}
			d := DetachResult{RAMRoleResult: res}
			d.InstanceRAMRoleSets.InstanceRAMRoleSet = []InstanceRAMRoleSet{}
			if res.Success {
				d.InstanceRAMRoleSets.InstanceRAMRoleSet = append(d.InstanceRAMRoleSets.InstanceRAMRoleSet, InstanceRAMRoleSet{InstanceID: i.ID, RAMRoleName: had})
				resp.RAMRoleName = had
			} else {
				resp.FailCount++
			}
			resp.DetachInstanceRAMRoleResults.DetachInstanceRAMRoleResult = append(resp.DetachInstanceRAMRoleResults.DetachInstanceRAMRoleResult, d)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

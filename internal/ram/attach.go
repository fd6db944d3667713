package ram

import (
	"context"
	"slices"
	"strings"

	"github.com/ecslocal/ecslocal/internal/apierr"
	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/store"
)

// RolePolicyRequest is AttachPolicyToRole and DetachPolicyFromRole.
type RolePolicyRequest struct{ PolicyType, PolicyName, RoleName string }

// Bind implements rpc.Binder.
func (r *RolePolicyRequest) Bind(p *rpc.Params) {
	r.PolicyType = bindPolicyType(p, true)
	r.PolicyName = p.Required("PolicyName")
	r.RoleName = p.Required("RoleName")
}

// AttachPolicyToRole attaches an existing policy to a role, once.
func (s *Service) AttachPolicyToRole(ctx context.Context, call *rpc.Call, req *RolePolicyRequest) (*EmptyResponse, error) {
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		r, err := getRole(ctx, tx, req.RoleName)
		if err != nil {
			return err
		}
		p, err := lookupPolicy(ctx, tx, req.PolicyType, req.PolicyName)
		if err != nil {
			return err
		}
		if attachedIndex(r, p.Type, p.Name) >= 0 {
			return apierr.RAMRolePolicyExists.New(p.Name)
		}
		r.Policies = append(slices.Clone(r.Policies), cloud.RolePolicy{Name: p.Name, Type: p.Type, Attached: tx.Now()})
		return store.Put(ctx, tx, r)
	})
	if err != nil {
		return nil, err
	}
	return &EmptyResponse{}, nil
}

func attachedIndex(r cloud.RAMRole, typ, name string) int {
	return slices.IndexFunc(r.Policies, func(a cloud.RolePolicy) bool { return a.Type == typ && strings.EqualFold(a.Name, name) })
}

// DetachPolicyFromRole detaches a policy; one not attached is
// EntityNotExist.Role.Policy.
func (s *Service) DetachPolicyFromRole(ctx context.Context, call *rpc.Call, req *RolePolicyRequest) (*EmptyResponse, error) {
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		r, err := getRole(ctx, tx, req.RoleName)
		if err != nil {
			return err
		}
		i := attachedIndex(r, req.PolicyType, req.PolicyName)
		if i < 0 {
			return apierr.RAMRolePolicyNotFound.New(req.PolicyName)
		}
		r.Policies = slices.Delete(slices.Clone(r.Policies), i, i+1)
		return store.Put(ctx, tx, r)
	})
	if err != nil {
		return nil, err
	}
	return &EmptyResponse{}, nil
}

// ListPoliciesForRoleResponse wraps Policies.Policy[].
type ListPoliciesForRoleResponse struct {
	rpc.Base
	Policies struct {
		Policy []PolicyItem `json:"Policy"`
	} `json:"Policies"`
}

// ListPoliciesForRole lists a role's policies in the order attached.
func (s *Service) ListPoliciesForRole(ctx context.Context, call *rpc.Call, req *RoleNameRequest) (*ListPoliciesForRoleResponse, error) {
	resp := &ListPoliciesForRoleResponse{}
	resp.Policies.Policy = []PolicyItem{}
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		r, err := getRole(ctx, tx, req.RoleName)
		if err != nil {
			return err
		}
		for _, a := range r.Policies {
			p, err := lookupPolicy(ctx, tx, a.Type, a.Name)
			if err != nil {
				return err
			}
			resp.Policies.Policy = append(resp.Policies.Policy, PolicyItem{PolicyName: p.Name, PolicyType: p.Type,
				Description: p.Description, DefaultVersion: p.DefaultVersion, AttachDate: cloud.FormatSecond(a.Attached)})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// ListEntitiesForPolicyRequest is ListEntitiesForPolicy.
type ListEntitiesForPolicyRequest struct{ PolicyName, PolicyType string }

// Bind implements rpc.Binder.
func (r *ListEntitiesForPolicyRequest) Bind(p *rpc.Params) {
	r.PolicyName = p.Required("PolicyName")
	r.PolicyType = bindPolicyType(p, true)
}

// ListEntitiesForPolicyResponse lists who has a policy; ecslocal keeps no
// RAM users or groups, so only roles appear.
type ListEntitiesForPolicyResponse struct {
	rpc.Base
	Groups struct {
		Group []struct{} `json:"Group"`
	} `json:"Groups"`
	Users struct {
		User []struct{} `json:"User"`
	} `json:"Users"`
	Roles struct {
		Role []RoleItem `json:"Role"`
	} `json:"Roles"`
}

// ListEntitiesForPolicy lists the roles a policy is attached to.
func (s *Service) ListEntitiesForPolicy(ctx context.Context, call *rpc.Call, req *ListEntitiesForPolicyRequest) (*ListEntitiesForPolicyResponse, error) {
	resp := &ListEntitiesForPolicyResponse{}
	resp.Groups.Group, resp.Users.User, resp.Roles.Role = []struct{}{}, []struct{}{}, []RoleItem{}
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		p, err := lookupPolicy(ctx, tx, req.PolicyType, req.PolicyName)
		if err != nil {
			return err
		}
		roles, err := store.All[cloud.RAMRole](ctx, tx, cloud.GlobalRegion)
		if err != nil {
			return err
		}
		for _, r := range roles {
			if i := attachedIndex(r, p.Type, p.Name); i >= 0 {
				it := roleItem(call.Account, r, false)
				it.AttachDate, it.CreateDate, it.UpdateDate, it.MaxSessionDuration = cloud.FormatSecond(r.Policies[i].Attached), "", "", 0
				resp.Roles.Role = append(resp.Roles.Role, it)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

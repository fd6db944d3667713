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

// RoleItem is a role as RAM answers it.
type RoleItem struct {
	RoleID                   string `json:"RoleId"`
	RoleName                 string `json:"RoleName"`
	Arn                      string `json:"Arn"`
	Description              string `json:"Description"`
	AssumeRolePolicyDocument string `json:"AssumeRolePolicyDocument,omitempty"`
	MaxSessionDuration       int    `json:"MaxSessionDuration,omitempty"`
	CreateDate               string `json:"CreateDate,omitempty"`
	UpdateDate               string `json:"UpdateDate,omitempty"`
	AttachDate               string `json:"AttachDate,omitempty"`
}

func roleItem(account string, r cloud.RAMRole, withDoc bool) RoleItem {
	it := RoleItem{RoleID: r.ID, RoleName: r.Name, Arn: r.ARN(account), Description: r.Description,
		MaxSessionDuration: r.MaxSessionDuration, CreateDate: cloud.FormatSecond(r.Created), UpdateDate: cloud.FormatSecond(r.Updated)}
	if withDoc {
		it.AssumeRolePolicyDocument = r.TrustPolicy
	}
	return it
}

// bindSessionDuration reads a MaxSessionDuration: 3600 to 43200 seconds.
func bindSessionDuration(p *rpc.Params, name string) int {
	return p.Int(name, 0, 3600, 43200)
}

// CreateRoleRequest is CreateRole.
type CreateRoleRequest struct {
	RoleName, Description, AssumeRolePolicyDocument string
	MaxSessionDuration                              int
	Tags                                            []cloud.Tag
}

// Bind implements rpc.Binder.
func (r *CreateRoleRequest) Bind(p *rpc.Params) {
	r.RoleName = bindName(p, "RoleName", 64)
	r.AssumeRolePolicyDocument = p.Required("AssumeRolePolicyDocument")
	r.Description = p.String("Description")
	if len(r.Description) > 1024 {
		p.Fail(apierr.InvalidParameter.New("Description"))
	}
	r.MaxSessionDuration = bindSessionDuration(p, "MaxSessionDuration")
	r.Tags = bindJSONTags(p)
}

// RoleResponse is {Role}.
type RoleResponse struct {
	rpc.Base
	Role RoleItem `json:"Role"`
}

// CreateRole makes a role whose trust policy is a valid JSON policy with a
// Principal in every statement; names are unique per account, case aside.
func (s *Service) CreateRole(ctx context.Context, call *rpc.Call, req *CreateRoleRequest) (*RoleResponse, error) {
	if err := cloud.CheckTrustPolicy(req.AssumeRolePolicyDocument); err != nil {
		return nil, err
	}
	resp := &RoleResponse{}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		if _, err := getRole(ctx, tx, req.RoleName); err == nil {
			return apierr.RAMRoleExists.New(req.RoleName)
		}
		now := tx.Now()
		r := cloud.RAMRole{ID: roleID(call.Account, req.RoleName, now.UnixNano()), Name: req.RoleName, Description: req.Description,
			TrustPolicy: req.AssumeRolePolicyDocument, MaxSessionDuration: req.MaxSessionDuration, Created: now, Updated: now, Tags: req.Tags}
		if r.MaxSessionDuration == 0 {
			r.MaxSessionDuration = cloud.DefaultSessionSeconds
		}
		resp.Role = roleItem(call.Account, r, true)
		resp.Role.UpdateDate = ""
		return store.Put(ctx, tx, r)
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// RoleNameRequest is GetRole and DeleteRole.
type RoleNameRequest struct{ RoleName string }

// Bind implements rpc.Binder.
func (r *RoleNameRequest) Bind(p *rpc.Params) { r.RoleName = p.Required("RoleName") }

// GetRole answers one role with its trust policy.
func (s *Service) GetRole(ctx context.Context, call *rpc.Call, req *RoleNameRequest) (*RoleResponse, error) {
	resp := &RoleResponse{}
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		r, err := getRole(ctx, tx, req.RoleName)
		resp.Role = roleItem(call.Account, r, true)
		return err
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// UpdateRoleRequest is UpdateRole.
type UpdateRoleRequest struct {
	RoleName, NewDescription, NewAssumeRolePolicyDocument string
	NewMaxSessionDuration                                 int
	descriptionSet                                        bool
}

// Bind implements rpc.Binder.
func (r *UpdateRoleRequest) Bind(p *rpc.Params) {
	r.RoleName = p.Required("RoleName")
	r.NewAssumeRolePolicyDocument = p.String("NewAssumeRolePolicyDocument")
	r.NewDescription = p.String("NewDescription")
	r.descriptionSet = p.Has("NewDescription")
	r.NewMaxSessionDuration = bindSessionDuration(p, "NewMaxSessionDuration")
}

// UpdateRole changes what is given: the trust policy (checked as on
// create), the description, the session duration.
func (s *Service) UpdateRole(ctx context.Context, call *rpc.Call, req *UpdateRoleRequest) (*RoleResponse, error) {
	if req.NewAssumeRolePolicyDocument != "" {
		if err := cloud.CheckTrustPolicy(req.NewAssumeRolePolicyDocument); err != nil {
			return nil, err
		}
	}
	resp := &RoleResponse{}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		r, err := getRole(ctx, tx, req.RoleName)
		if err != nil {
			return err
		}
		if req.NewAssumeRolePolicyDocument != "" {
			r.TrustPolicy = req.NewAssumeRolePolicyDocument
		}
		if req.descriptionSet {
			r.Description = req.NewDescription
		}
		if req.NewMaxSessionDuration != 0 {
			r.MaxSessionDuration = req.NewMaxSessionDuration
		}
		r.Updated = tx.Now()
		resp.Role = roleItem(call.Account, r, true)
		return store.Put(ctx, tx, r)
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// ListRolesRequest is ListRoles.
type ListRolesRequest struct{ page page }

// Bind implements rpc.Binder.
func (r *ListRolesRequest) Bind(p *rpc.Params) { r.page = bindPage(p) }

// ListRolesResponse wraps Roles.Role[].
type ListRolesResponse struct {
	rpc.Base
	IsTruncated bool   `json:"IsTruncated"`
	Marker      string `json:"Marker,omitempty"`
	Roles       struct {
		Role []RoleItem `json:"Role"`
	} `json:"Roles"`
}

// ListRoles lists the account's roles by name, without trust policies.
func (s *Service) ListRoles(ctx context.Context, call *rpc.Call, req *ListRolesRequest) (*ListRolesResponse, error) {
	resp := &ListRolesResponse{}
	resp.Roles.Role = []RoleItem{}
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		roles, err := store.All[cloud.RAMRole](ctx, tx, cloud.GlobalRegion)
		if err != nil {
			return err
		}
		byKey := map[string]cloud.RAMRole{}
		keys := make([]string, 0, len(roles))
		for _, r := range roles {
			byKey[r.Key()] = r
			keys = append(keys, r.Key())
		}
		slices.Sort(keys)
		var list []string
		list, resp.IsTruncated, resp.Marker = req.page.cut(keys)
		for _, k := range list {
			resp.Roles.Role = append(resp.Roles.Role, roleItem(call.Account, byKey[k], false))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// EmptyResponse is {RequestId}.
type EmptyResponse struct{ rpc.Base }

// DeleteRole removes a role that has no policies attached
// (DeleteConflict.Role.Policy otherwise). Instances using it keep its name
// [choice: the reference does not say].
func (s *Service) DeleteRole(ctx context.Context, call *rpc.Call, req *RoleNameRequest) (*EmptyResponse, error) {
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		r, err := getRole(ctx, tx, req.RoleName)
		if err != nil {
			return err
		}
		if len(r.Policies) > 0 {
			names := make([]string, len(r.Policies))
			for i, p := range r.Policies {
				names[i] = p.Name
			}
			return apierr.RAMRoleHasPolicies.New(r.Name).WithDetail("attached: %s", strings.Join(names, ", "))
		}
		return store.Delete[cloud.RAMRole](ctx, tx, r.Key())
	})
	if err != nil {
		return nil, err
	}
	return &EmptyResponse{}, nil
}

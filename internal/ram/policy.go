package ram

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/ecslocal/ecslocal/internal/apierr"
	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/store"
)

// PolicyItem is a policy as RAM answers it.
type PolicyItem struct {
	PolicyName      string `json:"PolicyName"`
	PolicyType      string `json:"PolicyType"`
	Description     string `json:"Description"`
	DefaultVersion  string `json:"DefaultVersion"`
	PolicyDocument  string `json:"PolicyDocument,omitempty"`
	CreateDate      string `json:"CreateDate"`
	UpdateDate      string `json:"UpdateDate,omitempty"`
	AttachmentCount int    `json:"AttachmentCount"`
	AttachDate      string `json:"AttachDate,omitempty"`
}

// VersionItem is a policy version as RAM answers it.
type VersionItem struct {
	VersionID        string `json:"VersionId"`
	IsDefaultVersion bool   `json:"IsDefaultVersion"`
	PolicyDocument   string `json:"PolicyDocument"`
	CreateDate       string `json:"CreateDate"`
}

func versionItem(p cloud.RAMPolicy, v cloud.PolicyVersion) VersionItem {
	return VersionItem{VersionID: v.ID, IsDefaultVersion: v.ID == p.DefaultVersion, PolicyDocument: v.Document, CreateDate: cloud.FormatSecond(v.Created)}
}

// systemPolicy is a system policy as a RAMPolicy value, never stored.
func systemPolicy(name string) (cloud.RAMPolicy, bool) {
	for n, desc := range cloud.SystemPolicies {
		if strings.EqualFold(n, name) {
			return cloud.RAMPolicy{Name: n, Type: cloud.PolicySystem, Description: desc, DefaultVersion: "v1",
				Versions: []cloud.PolicyVersion{{ID: "v1", Document: cloud.SystemPolicyDocument(n)}}}, true
		}
	}
	return cloud.RAMPolicy{}, false
}

// lookupPolicy reads a policy of either type.
func lookupPolicy(ctx context.Context, tx store.Tx, typ, name string) (cloud.RAMPolicy, error) {
	if typ == cloud.PolicySystem {
		if p, ok := systemPolicy(name); ok {
			return p, nil
		}
		return cloud.RAMPolicy{}, apierr.RAMPolicyNotFound.New(name)
	}
	return getPolicy(ctx, tx, name)
}

// attachments counts the roles a custom policy is attached to.
func attachments(ctx context.Context, tx store.Tx, p cloud.RAMPolicy) (int, error) {
	if p.Type != cloud.PolicyCustom {
		return 0, nil
	}
	roles, err := store.All[cloud.RAMRole](ctx, tx, cloud.GlobalRegion, store.Where(string(cloud.IdxPolicy), strings.ToLower(p.Name)))
	return len(roles), err
}

func policyItem(p cloud.RAMPolicy, n int) PolicyItem {
	return PolicyItem{PolicyName: p.Name, PolicyType: p.Type, Description: p.Description, DefaultVersion: p.DefaultVersion,
		CreateDate: cloud.FormatSecond(p.Created), UpdateDate: cloud.FormatSecond(p.Updated), AttachmentCount: n}
}

// CreatePolicyRequest is CreatePolicy.
type CreatePolicyRequest struct {
	PolicyName, Description, PolicyDocument string
	Tags                                    []cloud.Tag
}

// Bind implements rpc.Binder.
func (r *CreatePolicyRequest) Bind(p *rpc.Params) {
	r.PolicyName = bindName(p, "PolicyName", 128)
	r.PolicyDocument = p.Required("PolicyDocument")
	r.Description = p.String("Description")
	if len(r.Description) > 1024 {
		p.Fail(apierr.InvalidParameter.New("Description"))
	}
	r.Tags = bindJSONTags(p)
}

// PolicyResponse is {Policy}.
type PolicyResponse struct {
	rpc.Base
	Policy PolicyItem `json:"Policy"`
}

// CreatePolicy makes a custom policy whose version v1 is the default; a
// system policy's name is taken too.
func (s *Service) CreatePolicy(ctx context.Context, call *rpc.Call, req *CreatePolicyRequest) (*PolicyResponse, error) {
	if err := cloud.CheckPolicyDocument(req.PolicyDocument); err != nil {
		return nil, err
	}
	resp := &PolicyResponse{}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		_, system := systemPolicy(req.PolicyName)
		if _, err := getPolicy(ctx, tx, req.PolicyName); err == nil || system {
			return apierr.RAMPolicyExists.New(req.PolicyName)
		}
		now := tx.Now()
		p := cloud.RAMPolicy{Name: req.PolicyName, Type: cloud.PolicyCustom, Description: req.Description, DefaultVersion: "v1",
			Versions: []cloud.PolicyVersion{{ID: "v1", Document: req.PolicyDocument, Created: now}}, NextVersion: 2, Created: now, Updated: now, Tags: req.Tags}
		resp.Policy = policyItem(p, 0)
		resp.Policy.UpdateDate = ""
		return store.Put(ctx, tx, p)
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// PolicyRequest is GetPolicy.
type PolicyRequest struct{ PolicyName, PolicyType string }

// Bind implements rpc.Binder.
func (r *PolicyRequest) Bind(p *rpc.Params) {
	r.PolicyName = p.Required("PolicyName")
	r.PolicyType = bindPolicyType(p, false)
}

// GetPolicyResponse is the policy and its default version.
type GetPolicyResponse struct {
	rpc.Base
	Policy               PolicyItem  `json:"Policy"`
	DefaultPolicyVersion VersionItem `json:"DefaultPolicyVersion"`
}

// GetPolicy answers a policy of the given type (Custom when none is given
// and a custom one exists, else System).
func (s *Service) GetPolicy(ctx context.Context, call *rpc.Call, req *PolicyRequest) (*GetPolicyResponse, error) {
	resp := &GetPolicyResponse{}
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		p, err := lookupPolicy(ctx, tx, req.PolicyType, req.PolicyName)
		if err != nil && req.PolicyType == "" {
			p, err = lookupPolicy(ctx, tx, cloud.PolicySystem, req.PolicyName)
		}
		if err != nil {
			return err
		}
		n, err := attachments(ctx, tx, p)
		if err != nil {
			return err
		}
		resp.Policy = policyItem(p, n)
		resp.Policy.PolicyDocument = p.Default().Document
		resp.DefaultPolicyVersion = versionItem(p, p.Default())
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// ListPoliciesRequest is ListPolicies.
type ListPoliciesRequest struct {
	PolicyType string
	page       page
}

// Bind implements rpc.Binder.
func (r *ListPoliciesRequest) Bind(p *rpc.Params) {
	r.PolicyType = bindPolicyType(p, false)
	r.page = bindPage(p)
}

// ListPoliciesResponse wraps Policies.Policy[].
type ListPoliciesResponse struct {
	rpc.Base
	IsTruncated bool   `json:"IsTruncated"`
	Marker      string `json:"Marker,omitempty"`
	Policies    struct {
		Policy []PolicyItem `json:"Policy"`
	} `json:"Policies"`
}

// ListPolicies lists system policies, then custom ones, each by name.
func (s *Service) ListPolicies(ctx context.Context, call *rpc.Call, req *ListPoliciesRequest) (*ListPoliciesResponse, error) {
	resp := &ListPoliciesResponse{}
	resp.Policies.Policy = []PolicyItem{}
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		all := map[string]cloud.RAMPolicy{}
		if req.PolicyType != cloud.PolicyCustom {
			for n := range cloud.SystemPolicies {
				p, _ := systemPolicy(n)
				all["0"+strings.ToLower(n)] = p
			}
		}
		if req.PolicyType != cloud.PolicySystem {
			custom, err := store.All[cloud.RAMPolicy](ctx, tx, cloud.GlobalRegion, store.Where(string(cloud.IdxType), cloud.PolicyCustom))
			if err != nil {
				return err
			}
			for _, p := range custom {
				all["1"+p.Key()] = p
			}
		}
		keys := make([]string, 0, len(all))
		for k := range all {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		var list []string
		list, resp.IsTruncated, resp.Marker = req.page.cut(keys)
		for _, k := range list {
			n, err := attachments(ctx, tx, all[k])
			if err != nil {
				return err
			}
			resp.Policies.Policy = append(resp.Policies.Policy, policyItem(all[k], n))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// DeletePolicyRequest is DeletePolicy.
type DeletePolicyRequest struct {
	PolicyName      string
	CascadingDelete bool
}

// Bind implements rpc.Binder.
func (r *DeletePolicyRequest) Bind(p *rpc.Params) {
	r.PolicyName = p.Required("PolicyName")
	r.CascadingDelete = p.Bool("CascadingDelete", false)
}

// DeletePolicy removes a custom policy attached to no role and with no
// version besides the default; CascadingDelete detaches it from every role
// first, and its versions go with it.
func (s *Service) DeletePolicy(ctx context.Context, call *rpc.Call, req *DeletePolicyRequest) (*EmptyResponse, error) {
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		if _, system := systemPolicy(req.PolicyName); system {
			return apierr.RAMSystemPolicyDenied.New(req.PolicyName)
		}
		p, err := getPolicy(ctx, tx, req.PolicyName)
		if err != nil {
			return err
		}
		roles, err := store.All[cloud.RAMRole](ctx, tx, cloud.GlobalRegion, store.Where(string(cloud.IdxPolicy), p.Key()))
		if err != nil {
			return err
		}
		if !req.CascadingDelete {
			if len(roles) > 0 {
				return apierr.RAMPolicyAttached.New(p.Name)
			}
			if len(p.Versions) > 1 {
				return apierr.RAMPolicyHasVersions.New(p.Name)
			}
		}
		for _, r := range roles {
			r.Policies = slices.DeleteFunc(slices.Clone(r.Policies), func(a cloud.RolePolicy) bool {
				return a.Type == cloud.PolicyCustom && strings.EqualFold(a.Name, p.Name)
			})
			if err := store.Put(ctx, tx, r); err != nil {
				return err
			}
		}
		return store.Delete[cloud.RAMPolicy](ctx, tx, p.Key())
	})
	if err != nil {
		return nil, err
	}
	return &EmptyResponse{}, nil
}

// CreatePolicyVersionRequest is CreatePolicyVersion.
type CreatePolicyVersionRequest struct {
	PolicyName, PolicyDocument, RotateStrategy string
	SetAsDefault                               bool
}

// Bind implements rpc.Binder.
func (r *CreatePolicyVersionRequest) Bind(p *rpc.Params) {
	r.PolicyName = p.Required("PolicyName")
	r.PolicyDocument = p.Required("PolicyDocument")
	r.SetAsDefault = p.Bool("SetAsDefault", false)
	r.RotateStrategy = p.String("RotateStrategy")
	if r.RotateStrategy != "" && r.RotateStrategy != "None" && r.RotateStrategy != "DeleteOldestNonDefaultVersionWhenLimitExceeded" {
		p.Fail(apierr.InvalidParameter.New("RotateStrategy"))
	}
}

// PolicyVersionResponse is {PolicyVersion}.
type PolicyVersionResponse struct {
	rpc.Base
	PolicyVersion VersionItem `json:"PolicyVersion"`
}

// CreatePolicyVersion adds a version (at most 5; with
// DeleteOldestNonDefaultVersionWhenLimitExceeded the oldest non-default
// one makes room).
func (s *Service) CreatePolicyVersion(ctx context.Context, call *rpc.Call, req *CreatePolicyVersionRequest) (*PolicyVersionResponse, error) {
	if err := cloud.CheckPolicyDocument(req.PolicyDocument); err != nil {
		return nil, err
	}
	resp := &PolicyVersionResponse{}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		p, err := getPolicy(ctx, tx, req.PolicyName)
		if err != nil {
			return err
		}
		if len(p.Versions) >= cloud.MaxPolicyVersions {
			if req.RotateStrategy != "DeleteOldestNonDefaultVersionWhenLimitExceeded" {
				return apierr.RAMTooManyVersions.New(p.Name)
			}
			i := slices.IndexFunc(p.Versions, func(v cloud.PolicyVersion) bool { return v.ID != p.DefaultVersion })
			p.Versions = slices.Delete(slices.Clone(p.Versions), i, i+1)
		}
		v := cloud.PolicyVersion{ID: "v" + strconv.Itoa(p.NextVersion), Document: req.PolicyDocument, Created: tx.Now()}
		p.Versions = append(p.Versions, v)
		p.NextVersion++
		if req.SetAsDefault {
			p.DefaultVersion = v.ID
		}
		p.Updated = tx.Now()
		resp.PolicyVersion = versionItem(p, v)
		return store.Put(ctx, tx, p)
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// PolicyVersionRequest is DeletePolicyVersion and SetDefaultPolicyVersion
// (custom policies only).
type PolicyVersionRequest struct{ PolicyName, PolicyType, VersionID string }

// Bind implements rpc.Binder.
func (r *PolicyVersionRequest) Bind(p *rpc.Params) {
	r.PolicyName = p.Required("PolicyName")
	r.VersionID = p.Required("VersionId")
}

// GetPolicyVersionRequest is GetPolicyVersion, of either type.
type GetPolicyVersionRequest struct{ PolicyVersionRequest }

// Bind implements rpc.Binder.
func (r *GetPolicyVersionRequest) Bind(p *rpc.Params) {
	r.PolicyVersionRequest.Bind(p)
	r.PolicyType = bindPolicyType(p, false)
}

// GetPolicyVersion answers one version of a policy.
func (s *Service) GetPolicyVersion(ctx context.Context, call *rpc.Call, req *GetPolicyVersionRequest) (*PolicyVersionResponse, error) {
	resp := &PolicyVersionResponse{}
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		p, err := lookupPolicy(ctx, tx, cmpOr(req.PolicyType, cloud.PolicyCustom), req.PolicyName)
		if err != nil {
			return err
		}
		v, ok := p.Version(req.VersionID)
		if !ok {
			return apierr.RAMPolicyVersionNotFound.New(req.VersionID)
		}
		resp.PolicyVersion = versionItem(p, v)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// ListPolicyVersionsResponse wraps PolicyVersions.PolicyVersion[].
type ListPolicyVersionsResponse struct {
	rpc.Base
	PolicyVersions struct {
		PolicyVersion []VersionItem `json:"PolicyVersion"`
	} `json:"PolicyVersions"`
}

// ListPolicyVersionsRequest is ListPolicyVersions.
type ListPolicyVersionsRequest struct{ PolicyName, PolicyType string }

// Bind implements rpc.Binder.
func (r *ListPolicyVersionsRequest) Bind(p *rpc.Params) {
	r.PolicyName = p.Required("PolicyName")
	r.PolicyType = bindPolicyType(p, true)
}

// ListPolicyVersions lists a policy's versions, oldest first.
func (s *Service) ListPolicyVersions(ctx context.Context, call *rpc.Call, req *ListPolicyVersionsRequest) (*ListPolicyVersionsResponse, error) {
	resp := &ListPolicyVersionsResponse{}
	resp.PolicyVersions.PolicyVersion = []VersionItem{}
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		p, err := lookupPolicy(ctx, tx, req.PolicyType, req.PolicyName)
		if err != nil {
			return err
		}
		for _, v := range p.Versions {
			resp.PolicyVersions.PolicyVersion = append(resp.PolicyVersions.PolicyVersion, versionItem(p, v))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// DeletePolicyVersion removes a version that is not the default.
func (s *Service) DeletePolicyVersion(ctx context.Context, call *rpc.Call, req *PolicyVersionRequest) (*EmptyResponse, error) {
	return s.changeVersions(ctx, call, req, func(p cloud.RAMPolicy) (cloud.RAMPolicy, error) {
		if req.VersionID == p.DefaultVersion {
			return p, apierr.RAMDefaultVersion.New(req.VersionID)
		}
		p.Versions = slices.DeleteFunc(slices.Clone(p.Versions), func(v cloud.PolicyVersion) bool { return v.ID == req.VersionID })
		return p, nil
	})
}

// SetDefaultPolicyVersion makes a version the default.
func (s *Service) SetDefaultPolicyVersion(ctx context.Context, call *rpc.Call, req *PolicyVersionRequest) (*EmptyResponse, error) {
	return s.changeVersions(ctx, call, req, func(p cloud.RAMPolicy) (cloud.RAMPolicy, error) {
		p.DefaultVersion = req.VersionID
		return p, nil
	})
}

func (s *Service) changeVersions(ctx context.Context, call *rpc.Call, req *PolicyVersionRequest, change func(cloud.RAMPolicy) (cloud.RAMPolicy, error)) (*EmptyResponse, error) {
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		if _, system := systemPolicy(req.PolicyName); system {
			return apierr.RAMSystemPolicyDenied.New(req.PolicyName)
		}
		p, err := getPolicy(ctx, tx, req.PolicyName)
		if err != nil {
			return err
		}
		if _, ok := p.Version(req.VersionID); !ok {
			return apierr.RAMPolicyVersionNotFound.New(req.VersionID)
		}
		if p, err = change(p); err != nil {
			return err
		}
		p.Updated = tx.Now()
		return store.Put(ctx, tx, p)
	})
	if err != nil {
		return nil, err
	}
	return &EmptyResponse{}, nil
}

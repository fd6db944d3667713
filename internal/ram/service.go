// Package ram serves the part of RAM (2015-05-01) that gives ECS instances
// a role: roles with their trust policy, custom and system policies with
// their versions, and policies attached to roles. RAM is global: no
// RegionId; each account sees only its own roles and policies.
package ram

import (
	"context"
	"encoding/base64"
	"errors"
	"hash/fnv"
	"slices"
	"strconv"
	"strings"

	"github.com/ecslocal/ecslocal/internal/apierr"
	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/ident"
	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/store"
)

// Service holds what RAM actions share.
type Service struct {
	store store.Store
	ids   *ident.Generator
}

// New makes the RAM service.
func New(st store.Store, ids *ident.Generator) *Service { return &Service{store: st, ids: ids} }

// Register adds every RAM action to t, and STS GetCallerIdentity (sts.go).
func (s *Service) Register(t *rpc.Table) {
	v := rpc.VersionRAM
	rpc.Handle(t, v, "CreateRole", s.CreateRole)
	rpc.Handle(t, v, "GetRole", s.GetRole)
	rpc.Handle(t, v, "UpdateRole", s.UpdateRole)
	rpc.Handle(t, v, "ListRoles", s.ListRoles)
	rpc.Handle(t, v, "DeleteRole", s.DeleteRole)
	rpc.Handle(t, v, "CreatePolicy", s.CreatePolicy)
	rpc.Handle(t, v, "GetPolicy", s.GetPolicy)
	rpc.Handle(t, v, "ListPolicies", s.ListPolicies)
	rpc.Handle(t, v, "DeletePolicy", s.DeletePolicy)
	rpc.Handle(t, v, "CreatePolicyVersion", s.CreatePolicyVersion)
	rpc.Handle(t, v, "GetPolicyVersion", s.GetPolicyVersion)
	rpc.Handle(t, v, "ListPolicyVersions", s.ListPolicyVersions)
	rpc.Handle(t, v, "DeletePolicyVersion", s.DeletePolicyVersion)
	rpc.Handle(t, v, "SetDefaultPolicyVersion", s.SetDefaultPolicyVersion)
	rpc.Handle(t, v, "AttachPolicyToRole", s.AttachPolicyToRole)
	rpc.Handle(t, v, "DetachPolicyFromRole", s.DetachPolicyFromRole)
	rpc.Handle(t, v, "ListPoliciesForRole", s.ListPoliciesForRole)
	rpc.Handle(t, v, "ListTagResources", s.ListTagResources)
	rpc.Handle(t, v, "ListEntitiesForPolicy", s.ListEntitiesForPolicy)
	rpc.Handle(t, rpc.VersionSTS, "GetCallerIdentity", s.GetCallerIdentity)
}

// roleID is a role's numeric id, stable for its account and name.
func roleID(account, name string, created int64) string {
	h := fnv.New64a()
	h.Write([]byte(account + "/" + strings.ToLower(name) + "/" + strconv.FormatInt(created, 10)))
	return strconv.FormatUint(3e17+h.Sum64()%(6e17), 10)
}

// getRole reads a role by name; EntityNotExist.Role when absent.
func getRole(ctx context.Context, tx store.Tx, name string) (cloud.RAMRole, error) {
	r, err := store.Get[cloud.RAMRole](ctx, tx, strings.ToLower(name))
	if err != nil {
		return r, notFound(err, apierr.RAMRoleNotFound, name)
	}
	return r, nil
}

// notFound turns store.ErrNotFound into e naming name.
func notFound(err error, e apierr.Entry, name string) error {
	if errors.Is(err, store.ErrNotFound) {
		return e.New(name)
	}
	return err
}

// getPolicy reads a custom policy by name.
func getPolicy(ctx context.Context, tx store.Tx, name string) (cloud.RAMPolicy, error) {
	p, err := store.Get[cloud.RAMPolicy](ctx, tx, strings.ToLower(name))
	if err != nil {
		return p, notFound(err, apierr.RAMPolicyNotFound, name)
	}
	return p, nil
}

// bindName reads a RAM name: 1 to 64 (128 for policies) letters, digits,
// periods, hyphens and underscores, as the reference allows.
func bindName(p *rpc.Params, param string, max int) string {
	v := p.Required(param)
	if v == "" {
		return v
	}
	ok := len(v) <= max
	for _, c := range v {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-' || c == '_') {
			ok = false
		}
	}
	if !ok {
		p.Fail(apierr.InvalidParameter.New(param))
	}
	return v
}

// bindPolicyType reads PolicyType: System or Custom.
func bindPolicyType(p *rpc.Params, required bool) string {
	var v string
	if required {
		v = p.Required("PolicyType")
	} else {
		v = p.String("PolicyType")
	}
	if v != "" && v != cloud.PolicySystem && v != cloud.PolicyCustom {
		p.Fail(apierr.InvalidParameter.New("PolicyType"))
	}
	return v
}

// page is RAM's Marker/MaxItems paging over names sorted ascending.
type page struct {
	After    string
	MaxItems int
}

func bindPage(p *rpc.Params) page {
	pg := page{MaxItems: p.Int("MaxItems", 100, 1, 1000)}
	if m := p.String("Marker"); m != "" {
		raw, err := base64.RawURLEncoding.DecodeString(m)
		if err != nil {
			p.Fail(apierr.InvalidParameter.New("Marker"))
		}
		pg.After = string(raw)
	}
	return pg
}

// cut answers the names of sorted after the marker, at most MaxItems, and
// the next marker when more remain.
func (pg page) cut(sorted []string) (out []string, truncated bool, marker string) {
	i, _ := slices.BinarySearch(sorted, pg.After)
	if pg.After != "" && i < len(sorted) && sorted[i] == pg.After {
		i++
	}
	out = sorted[i:]
	if len(out) > pg.MaxItems {
		out = out[:pg.MaxItems]
		return out, true, base64.RawURLEncoding.EncodeToString([]byte(out[len(out)-1]))
	}
	return out, false, ""
}

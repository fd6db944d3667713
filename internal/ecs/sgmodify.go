package ecs

import (
	"context"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/ecslocal/ecslocal/internal/apierr"
	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/store"
)

// validSGName: 2 to 128 characters, starting with a letter, of letters,
// digits, ".", "_", "-" and ":", not starting with http:// or https://
// (the ModifySecurityGroupAttribute reference).
func validSGName(name string) bool {
	n := utf8.RuneCountInString(name)
	if n < 2 || n > 128 || strings.HasPrefix(name, "http://") || strings.HasPrefix(name, "https://") {
		return false
	}
	for i, c := range name {
		if i == 0 && !unicode.IsLetter(c) {
			return false
		}
		if !unicode.IsLetter(c) && !unicode.IsDigit(c) && !strings.ContainsRune("._-:", c) {
			return false
		}
	}
	return true
}

// validDescription: 2 to max characters, not starting with http:// or https://.
func validDescription(d string, most int) bool {
	n := utf8.RuneCountInString(d)
	return n >= 2 && n <= most && !strings.HasPrefix(d, "http://") && !strings.HasPrefix(d, "https://")
}

// loadSG reads a security group of region by id.
func loadSG(ctx context.Context, tx store.Tx, region, id string) (cloud.SecurityGroup, error) {
	g, err := store.GetIn[cloud.SecurityGroup](ctx, tx, region, id)
	return g, notFound(err, apierr.InvalidSecurityGroupIDNotFound)
}

// ModifySecurityGroupAttributeRequest renames or redescribes a group.
type ModifySecurityGroupAttributeRequest struct {
	rpc.RegionalID
	Name, Description *string
}

// Bind implements rpc.Binder.
func (r *ModifySecurityGroupAttributeRequest) Bind(p *rpc.Params) {
	r.BindID(p, "SecurityGroupId")
	if p.Has("SecurityGroupName") {
		v := p.String("SecurityGroupName")
		if !validSGName(v) {
			p.Fail(apierr.SecurityGroupNameMalformed.New())
		}
		r.Name = &v
	}
	if p.Has("Description") {
		v := p.String("Description")
		if !validDescription(v, 256) {
			p.Fail(apierr.SecurityGroupDescMalformed.New())
		}
		r.Description = &v
	}
}

// ModifySecurityGroupAttributeResponse is {RequestId}.
type ModifySecurityGroupAttributeResponse struct{ rpc.Base }

// ModifySecurityGroupAttribute changes the name and description given;
// DescribeSecurityGroups SecurityGroupName finds the group by its new name.
func (s *Service) ModifySecurityGroupAttribute(ctx context.Context, call *rpc.Call, req *ModifySecurityGroupAttributeRequest) (*ModifySecurityGroupAttributeResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		g, err := loadSG(ctx, tx, req.RegionID, req.ID)
		if err != nil {
			return err
		}
		if req.Name != nil {
			g.Name = *req.Name
		}
		if req.Description != nil {
			g.Description = *req.Description
		}
		return store.Put(ctx, tx, g)
	})
	if err != nil {
		return nil, err
	}
	return &ModifySecurityGroupAttributeResponse{}, nil
}

// ModifySecurityGroupPolicyRequest sets whether a group's members reach
// each other.
type ModifySecurityGroupPolicyRequest struct {
	rpc.RegionalID
	Policy, ClientToken string
}

// Bind implements rpc.Binder.
func (r *ModifySecurityGroupPolicyRequest) Bind(p *rpc.Params) {
	r.BindID(p, "SecurityGroupId")
	switch strings.ToLower(p.Required("InnerAccessPolicy")) {
	case "accept":
		r.Policy = "Accept"
	case "drop":
		r.Policy = "Drop"
	case "":
	default:
		p.Fail(apierr.InvalidParameter.New("InnerAccessPolicy"))
	}
	r.ClientToken = p.ClientToken()
}

// ModifySecurityGroupPolicyResponse is {RequestId}.
type ModifySecurityGroupPolicyResponse struct{ rpc.Base }

// ModifySecurityGroupPolicy sets InnerAccessPolicy (Accept or Drop), which
// DescribeSecurityGroupAttribute answers. An advanced group's members are
// always isolated: Accept is refused for it [choice].
func (s *Service) ModifySecurityGroupPolicy(ctx context.Context, call *rpc.Call, req *ModifySecurityGroupPolicyRequest) (*ModifySecurityGroupPolicyResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		g, err := loadSG(ctx, tx, req.RegionID, req.ID)
		if err != nil {
			return err
		}
		if g.Type == sgEnterprise && req.Policy == "Accept" {
			return apierr.EnterpriseInnerAccess.New()
		}
		g.InnerAccessPolicy = req.Policy
		return store.Put(ctx, tx, g)
	})
	if err != nil {
		return nil, err
	}
	return &ModifySecurityGroupPolicyResponse{}, nil
}

// sgRuleChange is what ModifySecurityGroup[Egress]Rule with a
// SecurityGroupRuleId sets: nil fields stay. Each is checked for form
// alone in Bind; together against the group in the action.
type sgRuleChange struct {
	IPProtocol, PortRange, CidrIP, Group, Policy, NicType, Description *string
	PrefixList, PortRangeList                                          *string
	Priority                                                           *int
}

// ModifySecurityGroupRuleRequest changes one rule, named by its id, or the
// description of the rules that match the parameters; the egress action
// shares it.
type ModifySecurityGroupRuleRequest struct {
	RegionID, SecurityGroupID, RuleID, ClientToken string
	Change                                         sgRuleChange
	Match                                          sgRule
	fingerprint                                    string
}

func (r *ModifySecurityGroupRuleRequest) bind(p *rpc.Params, direction string) {
	r.RegionID = p.Required("RegionId")
	r.SecurityGroupID = p.Required("SecurityGroupId")
	r.ClientToken = p.ClientToken()
	r.fingerprint = p.Fingerprint()
	r.RuleID = p.String("SecurityGroupRuleId")
	if d := p.String("Description"); d != "" && !validDescription(d, 512) {
		p.Fail(apierr.SecurityGroupRuleDescMalformed.New())
	}
	if r.RuleID == "" {
		r.Match = bindSGRule(p, direction)
		return
	}
	cidrName, groupName, badCidr := "SourceCidrIp", "SourceGroupId", apierr.InvalidSourceCidrIP
	if direction == dirEgress {
		cidrName, groupName, badCidr = "DestCidrIp", "DestGroupId", apierr.InvalidDestCidrIP
	}
	c := &r.Change
	if c.IPProtocol = optString(p, "IpProtocol"); c.IPProtocol != nil {
		v := strings.ToUpper(*c.IPProtocol)
		if !sgProtocols[v] {
			p.Fail(apierr.InvalidIPProtocol.New())
		}
		c.IPProtocol = &v
	}
	c.PortRange = optString(p, "PortRange")
	c.PortRangeList = optString(p, "PortRangeListId")
	if c.CidrIP = optString(p, cidrName); c.CidrIP != nil && *c.CidrIP != "" && !validSGCidr(*c.CidrIP) {
		p.Fail(badCidr.New())
	}
	c.Group = optString(p, groupName)
	c.PrefixList = optString(p, prefixListParam(direction))
	if c.Policy = optString(p, "Policy"); c.Policy != nil {
		switch strings.ToLower(*c.Policy) {
		case "accept":
			*c.Policy = "Accept"
		case "drop":
			*c.Policy = "Drop"
		default:
			p.Fail(apierr.InvalidPolicy.New())
		}
	}
	if v := optString(p, "Priority"); v != nil {
		n, err := strconv.Atoi(*v)
		if err != nil || n < 1 || n > 100 {
			p.Fail(apierr.InvalidPriority.New())
		}
		c.Priority = &n
	}
	if c.NicType = optString(p, "NicType"); c.NicType != nil && *c.NicType != nicIntranet && *c.NicType != nicInternet {
		p.Fail(apierr.InvalidNicType.New())
	}
	c.Description = optString(p, "Description")
}

// Bind implements rpc.Binder.
func (r *ModifySecurityGroupRuleRequest) Bind(p *rpc.Params) { r.bind(p, dirIngress) }

// ModifySecurityGroupEgressRuleRequest is ModifySecurityGroupRule's outbound twin.
type ModifySecurityGroupEgressRuleRequest struct{ ModifySecurityGroupRuleRequest }

// Bind implements rpc.Binder.
func (r *ModifySecurityGroupEgressRuleRequest) Bind(p *rpc.Params) { r.bind(p, dirEgress) }

// ModifySecurityGroupRuleResponse is {RequestId}.
type ModifySecurityGroupRuleResponse struct{ rpc.Base }

// ModifySecurityGroupRule changes an inbound rule.
func (s *Service) ModifySecurityGroupRule(ctx context.Context, call *rpc.Call, req *ModifySecurityGroupRuleRequest) (*ModifySecurityGroupRuleResponse, error) {
	return s.modifyRule(ctx, call, req, dirIngress)
}

// ModifySecurityGroupEgressRule changes an outbound rule.
func (s *Service) ModifySecurityGroupEgressRule(ctx context.Context, call *rpc.Call, req *ModifySecurityGroupEgressRuleRequest) (*ModifySecurityGroupRuleResponse, error) {
	return s.modifyRule(ctx, call, &req.ModifySecurityGroupRuleRequest, dirEgress)
}

// applyRuleChange is r with c's fields set; a new peer (CIDR or group)
// replaces both of the old ones.
func applyRuleChange(r cloud.SecurityGroupRule, c sgRuleChange) cloud.SecurityGroupRule {
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = *v
		}
	}
	set(&r.IPProtocol, c.IPProtocol)
	if c.PortRange != nil || c.PortRangeList != nil {
		r.PortRange, r.PortRangeList = "", ""
		set(&r.PortRange, c.PortRange)
		set(&r.PortRangeList, c.PortRangeList)
	}
	if c.CidrIP != nil || c.Group != nil || c.PrefixList != nil {
		r.CidrIP, r.SourceGroup, r.PrefixList = "", "", ""
		set(&r.CidrIP, c.CidrIP)
		set(&r.SourceGroup, c.Group)
		set(&r.PrefixList, c.PrefixList)
	}
	set(&r.Policy, c.Policy)
	set(&r.NicType, c.NicType)
	set(&r.Description, c.Description)
	if c.Priority != nil {
		r.Priority = *c.Priority
	}
	return r
}

// modifyRule: by SecurityGroupRuleId, the rule takes the parameters given
// and is checked as AuthorizeSecurityGroup checks a new rule (and must not
// become a copy of another rule); without one, the rules that match the
// parameters (Priority only when given) take the Description, and no match
// is InvalidSecurityGroupRule.RuleNotExist.
func (s *Service) modifyRule(ctx context.Context, call *rpc.Call, req *ModifySecurityGroupRuleRequest, dir string) (*ModifySecurityGroupRuleResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &ModifySecurityGroupRuleResponse{}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		if replayed, err := store.Replay(ctx, tx, call.Action, req.ClientToken, req.fingerprint, resp); replayed || err != nil {
			return err
		}
		g, err := loadSG(ctx, tx, req.RegionID, req.SecurityGroupID)
		if err != nil {
			return err
		}
		if req.RuleID == "" {
			matched := false
			for i, r := range g.Rules {
				if r.Direction == dir && sgRuleOf(r).key(req.Match.PriorityGiven) == req.Match.key(req.Match.PriorityGiven) {
					g.Rules[i].Description, matched = req.Match.Description, true
				}
			}
			if !matched {
				return apierr.RuleNotExist.New()
			}
		} else {
			i := -1
			for j, r := range g.Rules {
				if r.ID == req.RuleID && r.Direction == dir {
					i = j
				}
			}
			if i < 0 {
				return apierr.RuleIDNotFound.New()
			}
			next := applyRuleChange(g.Rules[i], req.Change)
			switch {
			case next.PortRangeList != "" && (next.PortRange != "" || next.IPProtocol != "TCP" && next.IPProtocol != "UDP"):
				return apierr.InvalidParameter.New("PortRangeListId")
			case next.PortRangeList == "" && !validSGPortRange(next.IPProtocol, next.PortRange):
				return apierr.InvalidPortRange.New()
			}
			want := sgRuleOf(next)
			want.Description = next.Description
			if err := s.checkSGRule(ctx, tx, g, want); err != nil {
				return err
			}
			for j, r := range g.Rules {
				if j != i && r.Direction == dir && sgRuleOf(r).key(true) == want.key(true) {
					return apierr.RuleDuplicated.New().WithDetail("rule %s is the same", r.ID)
				}
			}
			g.Rules[i] = next
		}
		if err := store.Put(ctx, tx, g); err != nil {
			return err
		}
		return store.Remember(ctx, tx, call.Action, req.ClientToken, req.fingerprint, resp)
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// DescribeSecurityGroupReferencesRequest names up to 10 groups.
type DescribeSecurityGroupReferencesRequest struct {
	RegionID string
	IDs      []string
}

// Bind implements rpc.Binder.
func (r *DescribeSecurityGroupReferencesRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.IDs = p.List("SecurityGroupId")
	switch {
	case len(r.IDs) == 0:
		p.Fail(apierr.MissingParameter.New("SecurityGroupId.1"))
	case len(r.IDs) > 10:
		p.Fail(apierr.InvalidParameter.New("SecurityGroupId"))
	}
}

// ReferencingSecurityGroup is a group whose rules name the group asked about.
type ReferencingSecurityGroup struct {
	AliUID          string `json:"AliUid"`
	SecurityGroupID string `json:"SecurityGroupId"`
}

// SecurityGroupReference is one group asked about and the groups naming it.
type SecurityGroupReference struct {
	SecurityGroupID           string `json:"SecurityGroupId"`
	ReferencingSecurityGroups struct {
		ReferencingSecurityGroup []ReferencingSecurityGroup `json:"ReferencingSecurityGroup"`
	} `json:"ReferencingSecurityGroups"`
}

// DescribeSecurityGroupReferencesResponse lists, per group asked about that
// others reference, the referencing groups.
type DescribeSecurityGroupReferencesResponse struct {
	rpc.Base
	SecurityGroupReferences struct {
		SecurityGroupReference []SecurityGroupReference `json:"SecurityGroupReference"`
	} `json:"SecurityGroupReferences"`
}

// DescribeSecurityGroupReferences answers which groups' rules (inbound
// SourceGroupId or outbound DestGroupId) name each group, through the
// groups' "peerGroup" index; a group nothing references is left out, as
// the cloud does, and a group that does not exist is
// InvalidSecurityGroupId.NotFound.
func (s *Service) DescribeSecurityGroupReferences(ctx context.Context, call *rpc.Call, req *DescribeSecurityGroupReferencesRequest) (*DescribeSecurityGroupReferencesResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &DescribeSecurityGroupReferencesResponse{}
	resp.SecurityGroupReferences.SecurityGroupReference = []SecurityGroupReference{}
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		for _, id := range req.IDs {
			if _, err := loadSG(ctx, tx, req.RegionID, id); err != nil {
				return err
			}
			refs, err := store.AllShared[cloud.SecurityGroup](ctx, tx, req.RegionID, store.Where("peerGroup", id))
			if err != nil {
				return err
			}
			if len(refs) == 0 {
				continue
			}
			ref := SecurityGroupReference{SecurityGroupID: id}
			for _, g := range refs {
				ref.ReferencingSecurityGroups.ReferencingSecurityGroup = append(ref.ReferencingSecurityGroups.ReferencingSecurityGroup,
					ReferencingSecurityGroup{AliUID: call.Account, SecurityGroupID: g.ID})
			}
			resp.SecurityGroupReferences.SecurityGroupReference = append(resp.SecurityGroupReferences.SecurityGroupReference, ref)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// prefixListParam is the rule parameter naming a peer prefix list.
func prefixListParam(direction string) string {
	if direction == dirEgress {
		return "DestPrefixListId"
	}
	return "SourcePrefixListId"
}

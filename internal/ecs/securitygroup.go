package ecs

import (
	"context"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/ecslocal/ecslocal/internal/apierr"
	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/store"
)

// registerSecurityGroups adds the security group actions (§5.3) and the rule
// actions Terraform's alicloud_security_group_rule calls.
func (s *Service) registerSecurityGroups(t *rpc.Table) {
	v := rpc.VersionECS
	rpc.Handle(t, v, "CreateSecurityGroup", s.CreateSecurityGroup)
	rpc.Handle(t, v, "DescribeSecurityGroups", s.DescribeSecurityGroups)
	rpc.Handle(t, v, "DescribeSecurityGroupAttribute", s.DescribeSecurityGroupAttribute)
	rpc.Handle(t, v, "AuthorizeSecurityGroup", s.AuthorizeSecurityGroup)
	rpc.Handle(t, v, "AuthorizeSecurityGroupEgress", s.AuthorizeSecurityGroupEgress)
	rpc.Handle(t, v, "RevokeSecurityGroup", s.RevokeSecurityGroup)
	rpc.Handle(t, v, "RevokeSecurityGroupEgress", s.RevokeSecurityGroupEgress)
	rpc.Handle(t, v, "DeleteSecurityGroup", s.DeleteSecurityGroup)
	rpc.Handle(t, v, "ModifySecurityGroupAttribute", s.ModifySecurityGroupAttribute)
	rpc.Handle(t, v, "ModifySecurityGroupPolicy", s.ModifySecurityGroupPolicy)
	rpc.Handle(t, v, "ModifySecurityGroupRule", s.ModifySecurityGroupRule)
	rpc.Handle(t, v, "ModifySecurityGroupEgressRule", s.ModifySecurityGroupEgressRule)
	rpc.Handle(t, v, "DescribeSecurityGroupReferences", s.DescribeSecurityGroupReferences)
}

// Security group types and rule vocabulary, as the API spells them.
const (
	sgNormal     = "normal"
	sgEnterprise = "enterprise"
	dirIngress   = "ingress"
	dirEgress    = "egress"
	nicIntranet  = "intranet"
	nicInternet  = "internet"
)

// Limits of the ECS reference: rules per group (inbound and outbound
// together), members of a basic and of an advanced group, Permissions.N.
const (
	maxRulesPerGroup      = 200
	maxNormalMembers      = 2000
	maxEnterpriseMembers  = 65536
	maxPermissionsPerCall = 100
)

// sgProtocols are the IpProtocol values, case-insensitive on the wire;
// answers spell them in capitals.
var sgProtocols = map[string]bool{"TCP": true, "UDP": true, "ICMP": true, "ICMPV6": true, "GRE": true, "ALL": true}

// CreateSecurityGroupRequest is spec/semantics.md §5.3 CreateSecurityGroup.
type CreateSecurityGroupRequest struct {
	RegionID, VpcID, Name, Description, Type, ResourceGroupID, ClientToken string
	Tags                                                                   []rpc.Tag
	DryRun                                                                 bool
}

// Bind implements rpc.Binder.
func (r *CreateSecurityGroupRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.VpcID = p.String("VpcId")
	r.Name = p.String("SecurityGroupName")
	r.Description = p.String("Description")
	r.Type = p.Enum("SecurityGroupType", sgNormal, sgNormal, sgEnterprise)
	r.ResourceGroupID = p.String("ResourceGroupId")
	r.ClientToken = p.ClientToken()
	r.Tags = p.Tags("Tag")
	r.DryRun = p.Bool("DryRun", false)
	p.Bool("ServiceManaged", false)
}

// CreateSecurityGroupResponse carries the new group's id.
type CreateSecurityGroupResponse struct {
	rpc.Base
	SecurityGroupID string `json:"SecurityGroupId"`
}

// CreateSecurityGroup makes a security group in a VPC of the region. There
// is no classic network here, so a group needs a VPC: without one the answer
// is InvalidVpcId.NotFound, as for a VPC that does not exist.
func (s *Service) CreateSecurityGroup(ctx context.Context, call *rpc.Call, req *CreateSecurityGroupRequest) (*CreateSecurityGroupResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &CreateSecurityGroupResponse{}
	fingerprint := call.Params.Fingerprint()
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		if replayed, err := store.Replay(ctx, tx, call.Action, req.ClientToken, fingerprint, resp); replayed || err != nil {
			return err
		}
		if req.VpcID == "" {
			return apierr.SecurityGroupVpcRequired.New()
		}
		if _, err := store.GetIn[cloud.VPC](ctx, tx, req.RegionID, req.VpcID); err != nil {
			return notFound(err, apierr.InvalidVpcIDNotFound)
		}
		if req.DryRun {
			return dryRun()
		}
		tags := make([]cloud.Tag, 0, len(req.Tags))
		for _, t := range req.Tags {
			tags = append(tags, cloud.Tag{Key: t.Key, Value: t.Value})
		}
		sg := cloud.SecurityGroup{
			ID: s.ids.ID("sg", req.RegionID), Region: req.RegionID, VpcID: req.VpcID, Name: req.Name,
			Description: req.Description, Type: req.Type, Created: tx.Now(), Tags: cloud.MergeTags(nil, tags),
			ResourceGroup: cloud.ResourceGroup(call.Account, req.ResourceGroupID),
		}
		if err := store.Put(ctx, tx, sg); err != nil {
			return err
		}
		resp.SecurityGroupID = sg.ID
		return store.Remember(ctx, tx, call.Action, req.ClientToken, fingerprint, resp)
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// DescribeSecurityGroupsRequest is §5.3 DescribeSecurityGroups. It pages
// either by PageNumber/PageSize or, when MaxResults or NextToken is given,
// by token.
type DescribeSecurityGroupsRequest struct {
	RegionID, VpcID, Name, Type, ResourceGroupID, NetworkType string
	IDs                                                       []string
	Tags                                                      []rpc.Tag
	DryRun                                                    bool
	PageNumber, PageSize                                      int
	ByToken                                                   bool
	MaxResults                                                int
	AfterSeq                                                  int64
}

// Bind implements rpc.Binder.
func (r *DescribeSecurityGroupsRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	if r.IDs = p.JSONList("SecurityGroupIds"); len(r.IDs) == 0 {
		r.IDs = nil // "[]" filters nothing, like an absent list
	} else if len(r.IDs) > 100 { // the reference caps the JSON list at 100 ids
		p.Fail(apierr.InvalidParameter.New("SecurityGroupIds"))
	}
	if one := p.String("SecurityGroupId"); one != "" {
		// Both given: a group must satisfy both, as every filter must.
		if r.IDs == nil || slices.Contains(r.IDs, one) {
			r.IDs = []string{one}
		} else {
			r.IDs = []string{}
		}
	}
	r.VpcID = p.String("VpcId")
	r.Name = p.String("SecurityGroupName")
	r.Type = p.Enum("SecurityGroupType", "", sgNormal, sgEnterprise)
	r.ResourceGroupID = p.String("ResourceGroupId")
	r.NetworkType = p.Enum("NetworkType", "", "vpc", "classic")
	r.Tags = p.Tags("Tag")
	r.DryRun = p.Bool("DryRun", false)
	p.Bool("IsQueryEcsCount", false) // EcsCount is always computed
	p.Bool("FuzzyQuery", false)
	r.PageNumber, r.PageSize = paging(p, 10, 50)
	if p.Has("MaxResults") || p.String("NextToken") != "" {
		r.ByToken = true
		r.MaxResults = p.Int("MaxResults", 10, 10, 100)
		if tok := p.String("NextToken"); tok != "" {
			n, err := strconv.ParseInt(tok, 10, 64)
			if err != nil || n <= 0 {
				p.Fail(apierr.InvalidNextToken.New())
			}
			r.AfterSeq = n
		}
	}
}

// SecurityGroupTag is one tag as ECS answers show it.
type SecurityGroupTag struct {
	TagKey   string `json:"TagKey"`
	TagValue string `json:"TagValue"`
}

// SecurityGroupItem is one group of DescribeSecurityGroups.
type SecurityGroupItem struct {
	SecurityGroupID         string `json:"SecurityGroupId"`
	SecurityGroupName       string `json:"SecurityGroupName"`
	Description             string `json:"Description"`
	VpcID                   string `json:"VpcId"`
	SecurityGroupType       string `json:"SecurityGroupType"`
	CreationTime            string `json:"CreationTime"`
	EcsCount                int    `json:"EcsCount"`
	AvailableInstanceAmount int    `json:"AvailableInstanceAmount"`
	ResourceGroupID         string `json:"ResourceGroupId"`
	ServiceManaged          bool   `json:"ServiceManaged"`
	RuleCount               int    `json:"RuleCount"`
	GroupToGroupRuleCount   int    `json:"GroupToGroupRuleCount"`
	Tags                    struct {
		Tag []SecurityGroupTag `json:"Tag"`
	} `json:"Tags"`
}

// DescribeSecurityGroupsResponse wraps SecurityGroups.SecurityGroup[].
type DescribeSecurityGroupsResponse struct {
	rpc.Base
	RegionID       string `json:"RegionId"`
	TotalCount     int    `json:"TotalCount"`
	PageNumber     int    `json:"PageNumber,omitempty"`
	PageSize       int    `json:"PageSize,omitempty"`
	NextToken      string `json:"NextToken,omitempty"`
	SecurityGroups struct {
		SecurityGroup []SecurityGroupItem `json:"SecurityGroup"`
	} `json:"SecurityGroups"`
}

// DescribeSecurityGroups lists a region's groups; every filter is an index
// lookup, and EcsCount is counted through the instances' "sg" index.
func (s *Service) DescribeSecurityGroups(ctx context.Context, call *rpc.Call, req *DescribeSecurityGroupsRequest) (*DescribeSecurityGroupsResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	q := store.Query{Region: req.RegionID, IDs: req.IDs, Count: true}
	resp := &DescribeSecurityGroupsResponse{RegionID: req.RegionID}
	if req.ByToken {
		q.AfterSeq, q.Limit = req.AfterSeq, req.MaxResults
	} else {
		q.Offset, q.Limit = (req.PageNumber-1)*req.PageSize, req.PageSize
		resp.PageNumber, resp.PageSize = req.PageNumber, req.PageSize
	}
	for _, f := range []struct{ name, value string }{
		{"vpc", req.VpcID}, {"name", req.Name}, {"type", req.Type}, {"resourceGroup", req.ResourceGroupID},
	} {
		if f.value != "" {
			q.Filters = append(q.Filters, store.Where(f.name, f.value))
		}
	}
	if req.NetworkType == "classic" {
		// Every group here is in a VPC: an empty value list matches none.
		q.Filters = append(q.Filters, store.Filter{Name: "vpc"})
	}
	for _, t := range req.Tags {
		if t.Value == "" {
			q.Filters = append(q.Filters, store.Where("tagKey", t.Key))
		} else {
			q.Filters = append(q.Filters, store.Where("tag", t.Key+"="+t.Value))
		}
	}
	resp.SecurityGroups.SecurityGroup = []SecurityGroupItem{}
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		if req.DryRun {
			return dryRun()
		}
		groups, page, err := store.Find[cloud.SecurityGroup](ctx, tx, q)
		if err != nil {
			return err
		}
		resp.TotalCount = page.Total
		if req.ByToken && page.More && len(page.Records) > 0 {
			resp.NextToken = strconv.FormatInt(page.Records[len(page.Records)-1].Seq, 10)
		}
		for _, g := range groups {
			members, err := store.Count[cloud.Instance](ctx, tx, g.Region, store.Where("sg", g.ID))
			if err != nil {
				return err
			}
			resp.SecurityGroups.SecurityGroup = append(resp.SecurityGroups.SecurityGroup, securityGroupItem(g, members))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

func securityGroupItem(g cloud.SecurityGroup, members int) SecurityGroupItem {
	capacity := maxNormalMembers
	if g.Type == sgEnterprise {
		capacity = maxEnterpriseMembers
	}
	item := SecurityGroupItem{
		SecurityGroupID: g.ID, SecurityGroupName: g.Name, Description: g.Description, VpcID: g.VpcID,
		SecurityGroupType: g.Type, CreationTime: cloud.FormatSecond(g.Created), EcsCount: members,
		AvailableInstanceAmount: max(capacity-members, 0), ResourceGroupID: g.ResourceGroup, RuleCount: len(g.Rules),
	}
	for _, r := range g.Rules {
		if r.SourceGroup != "" {
			item.GroupToGroupRuleCount++
		}
	}
	item.Tags.Tag = make([]SecurityGroupTag, 0, len(g.Tags))
	for _, t := range g.Tags {
		item.Tags.Tag = append(item.Tags.Tag, SecurityGroupTag{TagKey: t.Key, TagValue: t.Value})
	}
	return item
}

// DescribeSecurityGroupAttributeRequest reads one group and its rules.
type DescribeSecurityGroupAttributeRequest struct {
	RegionID, SecurityGroupID, Direction, NicType string
}

// Bind implements rpc.Binder.
func (r *DescribeSecurityGroupAttributeRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.SecurityGroupID = p.Required("SecurityGroupId")
	r.Direction = p.Enum("Direction", "all", "all", dirIngress, dirEgress)
	r.NicType = p.Enum("NicType", "", nicIntranet, nicInternet)
}

// PermissionItem is one rule of DescribeSecurityGroupAttribute; for an
// ingress rule the peer is the Source*, for an egress rule the Dest*.
type PermissionItem struct {
	SecurityGroupRuleID     string `json:"SecurityGroupRuleId"`
	Direction               string `json:"Direction"`
	IPProtocol              string `json:"IpProtocol"`
	PortRange               string `json:"PortRange"`
	SourcePortRange         string `json:"SourcePortRange"`
	SourceCidrIP            string `json:"SourceCidrIp"`
	SourceGroupID           string `json:"SourceGroupId"`
	SourceGroupName         string `json:"SourceGroupName"`
	SourceGroupOwnerAccount string `json:"SourceGroupOwnerAccount"`
	SourcePrefixListID      string `json:"SourcePrefixListId"`
	DestCidrIP              string `json:"DestCidrIp"`
	DestGroupID             string `json:"DestGroupId"`
	DestGroupName           string `json:"DestGroupName"`
	DestGroupOwnerAccount   string `json:"DestGroupOwnerAccount"`
	DestPrefixListID        string `json:"DestPrefixListId"`
	Ipv6SourceCidrIP        string `json:"Ipv6SourceCidrIp"`
	Ipv6DestCidrIP          string `json:"Ipv6DestCidrIp"`
	Policy                  string `json:"Policy"`
	Priority                string `json:"Priority"` // a string in both SDKs
	NicType                 string `json:"NicType"`
	Description             string `json:"Description"`
	CreateTime              string `json:"CreateTime"`
	PortRangeListID         string `json:"PortRangeListId,omitempty"` // rules that name a list only, as the recordings show
}

// DescribeSecurityGroupAttributeResponse wraps Permissions.Permission[].
type DescribeSecurityGroupAttributeResponse struct {
	rpc.Base
	RegionID          string `json:"RegionId"`
	SecurityGroupID   string `json:"SecurityGroupId"`
	SecurityGroupName string `json:"SecurityGroupName"`
	VpcID             string `json:"VpcId"`
	Description       string `json:"Description"`
	InnerAccessPolicy string `json:"InnerAccessPolicy"`
	Permissions       struct {
		Permission []PermissionItem `json:"Permission"`
	} `json:"Permissions"`
}

// DescribeSecurityGroupAttribute answers a group's attributes and its rules,
// optionally of one direction and NIC type; Terraform's
// alicloud_security_group_rule reads rules back through it.
func (s *Service) DescribeSecurityGroupAttribute(ctx context.Context, call *rpc.Call, req *DescribeSecurityGroupAttributeRequest) (*DescribeSecurityGroupAttributeResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &DescribeSecurityGroupAttributeResponse{RegionID: req.RegionID}
	resp.Permissions.Permission = []PermissionItem{}
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		g, err := store.GetIn[cloud.SecurityGroup](ctx, tx, req.RegionID, req.SecurityGroupID)
		if err != nil {
			return notFound(err, apierr.InvalidSecurityGroupIDNotFound)
		}
		resp.SecurityGroupID, resp.SecurityGroupName, resp.VpcID, resp.Description = g.ID, g.Name, g.VpcID, g.Description
		resp.InnerAccessPolicy = g.EffectiveInnerAccessPolicy()
		names := map[string]string{} // peer groups, each read once
		for _, r := range g.Rules {
			if req.Direction != "all" && r.Direction != req.Direction || req.NicType != "" && r.NicType != req.NicType {
				continue
			}
			peerName := ""
			if r.SourceGroup != "" {
				name, ok := names[r.SourceGroup]
				if !ok {
					if peer, err := store.GetIn[cloud.SecurityGroup](ctx, tx, g.Region, r.SourceGroup); err == nil {
						name = peer.Name
					}
					names[r.SourceGroup] = name
				}
				peerName = name
			}
			resp.Permissions.Permission = append(resp.Permissions.Permission, sgPermissionItem(r, peerName))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

func sgPermissionItem(r cloud.SecurityGroupRule, peerName string) PermissionItem {
	item := PermissionItem{
		SecurityGroupRuleID: r.ID, Direction: r.Direction, IPProtocol: r.IPProtocol, PortRange: r.PortRange,
		Policy: r.Policy, Priority: strconv.Itoa(r.Priority), NicType: r.NicType, Description: r.Description,
		CreateTime: cloud.FormatSecond(r.Created), PortRangeListID: r.PortRangeList,
	}
	if r.Direction == dirIngress {
		item.SourceCidrIP, item.SourceGroupID, item.SourceGroupName, item.SourcePrefixListID = r.CidrIP, r.SourceGroup, peerName, r.PrefixList
	} else {
		item.DestCidrIP, item.DestGroupID, item.DestGroupName, item.DestPrefixListID = r.CidrIP, r.SourceGroup, peerName, r.PrefixList
	}
	return item
}

// sgRule is one rule as a request states it, checked for form by Bind;
// what needs the store (the group, peer groups) is checked by the action.
type sgRule struct {
	IPProtocol, PortRange, CidrIP, Group, Policy, NicType, Description string
	PrefixList, PortRangeList                                          string
	Priority                                                           int
	// PriorityGiven: a revoke compares Priority only when the request names it.
	PriorityGiven bool
}

// key identifies a rule for "already exists" and for revoking: the
// description is not part of a rule's identity.
func (r sgRule) key(withPriority bool) string {
	k := strings.Join([]string{r.IPProtocol, r.PortRange, r.CidrIP, r.Group, r.Policy, r.NicType, r.PrefixList, r.PortRangeList}, "|")
	if withPriority {
		k += "|" + strconv.Itoa(r.Priority)
	}
	return k
}

func sgRuleOf(r cloud.SecurityGroupRule) sgRule {
	return sgRule{IPProtocol: r.IPProtocol, PortRange: r.PortRange, CidrIP: r.CidrIP, Group: r.SourceGroup,
		Policy: r.Policy, NicType: r.NicType, Priority: r.Priority, PrefixList: r.PrefixList, PortRangeList: r.PortRangeList}
}

// sgRuleFields are the top-level rule parameters, which Permissions.N replaces
// and may not be mixed with.
var sgRuleFields = []string{
	"IpProtocol", "PortRange", "SourcePortRange", "SourceCidrIp", "DestCidrIp", "SourceGroupId", "DestGroupId",
	"Ipv6SourceCidrIp", "Ipv6DestCidrIp", "SourcePrefixListId", "DestPrefixListId", "Policy", "Priority", "NicType", "Description",
}

// otherDirection are the rule parameters only the other direction's
// actions define: an ingress action does not read DestGroupId.
var otherDirection = map[string][]string{
	dirIngress: {"DestGroupId", "DestPrefixListId"},
	dirEgress:  {"SourceGroupId", "SourcePrefixListId"},
}

// hasTopLevelSGRule tells whether any top-level rule parameter of the
// direction is present.
func hasTopLevelSGRule(p *rpc.Params, direction string) bool {
	return slices.ContainsFunc(sgRuleFields, func(f string) bool {
		return !slices.Contains(otherDirection[direction], f) && p.String(f) != ""
	})
}

// bindSGRules reads the rules of an Authorize/Revoke request: either the
// top-level parameters (one rule) or Permissions.N (up to 100), never both.
func bindSGRules(p *rpc.Params, direction string) []sgRule {
	perms := p.Objects("Permissions")
	if len(perms) > 0 && hasTopLevelSGRule(p, direction) {
		p.Fail(apierr.PermissionsConflict.New())
		return nil
	}
	if len(perms) > maxPermissionsPerCall {
		p.Fail(apierr.InvalidParameter.New("Permissions"))
		return nil
	}
	if len(perms) == 0 {
		return []sgRule{bindSGRule(p, direction)}
	}
	out := make([]sgRule, 0, len(perms))
	seen := map[string]bool{}
	for _, q := range perms {
		r := bindSGRule(q, direction)
		if k := r.key(true); seen[k] {
			p.Fail(apierr.DuplicatePermission.New())
		} else {
			seen[k] = true
		}
		out = append(out, r)
	}
	return out
}

// bindSGRule checks one rule's form (ECS reference, AuthorizeSecurityGroup):
// protocol, port range fitting the protocol, peer, policy, priority 1..100
// and NIC type, with the API's defaults (accept, 1, intranet).
func bindSGRule(q *rpc.Params, direction string) sgRule {
	var r sgRule
	proto := q.String("IpProtocol")
	r.IPProtocol = strings.ToUpper(proto)
	switch {
	case proto == "":
		q.Fail(apierr.MissingParameter.New(q.Name("IpProtocol")))
	case !sgProtocols[r.IPProtocol]:
		q.Fail(apierr.InvalidIPProtocol.New())
	}
	r.PortRange, r.PortRangeList = q.String("PortRange"), q.String("PortRangeListId")
	switch {
	case r.PortRangeList != "" && (r.PortRange != "" || r.IPProtocol != "TCP" && r.IPProtocol != "UDP"):
		q.Fail(apierr.InvalidParameter.New(q.Name("PortRangeListId"))) // a list replaces PortRange, for TCP and UDP only
	case r.PortRangeList != "":
	case r.PortRange == "":
		q.Fail(apierr.MissingPortRange.New())
	case r.IPProtocol != "" && !validSGPortRange(r.IPProtocol, r.PortRange):
		q.Fail(apierr.InvalidPortRange.New())
	}
	cidrName, groupName, badCidr, missing := "SourceCidrIp", "SourceGroupId", apierr.InvalidSourceCidrIP, apierr.MissingRuleSource
	if direction == dirEgress {
		cidrName, groupName, badCidr, missing = "DestCidrIp", "DestGroupId", apierr.InvalidDestCidrIP, apierr.MissingRuleDest
	}
	r.CidrIP, r.Group, r.PrefixList = q.String(cidrName), q.String(groupName), q.String(prefixListParam(direction))
	if r.CidrIP != "" && !validSGCidr(r.CidrIP) {
		q.Fail(badCidr.New())
	}
	if r.CidrIP == "" && r.Group == "" && r.PrefixList == "" {
		q.Fail(missing.New())
	}
	switch strings.ToLower(q.String("Policy")) {
	case "", "accept":
		r.Policy = "Accept"
	case "drop":
		r.Policy = "Drop"
	default:
		q.Fail(apierr.InvalidPolicy.New())
	}
	r.Priority = 1
	if v := q.String("Priority"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100 {
			q.Fail(apierr.InvalidPriority.New())
		}
		r.Priority, r.PriorityGiven = n, true
	}
	switch r.NicType = q.String("NicType"); r.NicType {
	case "":
		r.NicType = nicIntranet
	case nicIntranet, nicInternet:
	default:
		q.Fail(apierr.InvalidNicType.New())
	}
	r.Description = q.String("Description")
	return r
}

// validSGPortRange: TCP and UDP take "from/to" within 1..65535; the other
// protocols take only "-1/-1".
func validSGPortRange(proto, v string) bool {
	from, to, ok := strings.Cut(v, "/")
	if !ok {
		return false
	}
	a, errA := strconv.Atoi(from)
	b, errB := strconv.Atoi(to)
	if errA != nil || errB != nil {
		return false
	}
	if proto == "TCP" || proto == "UDP" {
		return a >= 1 && a <= b && b <= 65535
	}
	return a == -1 && b == -1
}

// validSGCidr accepts an IPv4 block or a single IPv4 address.
func validSGCidr(v string) bool {
	if p, err := netip.ParsePrefix(v); err == nil {
		return p.Addr().Is4()
	}
	a, err := netip.ParseAddr(v)
	return err == nil && a.Is4()
}

// AuthorizeSecurityGroupRequest adds rules; the egress action shares it.
type AuthorizeSecurityGroupRequest struct {
	RegionID, SecurityGroupID, ClientToken string
	Rules                                  []sgRule
}

func (r *AuthorizeSecurityGroupRequest) bind(p *rpc.Params, direction string) {
	r.RegionID = p.Required("RegionId")
	r.SecurityGroupID = p.Required("SecurityGroupId")
	r.ClientToken = p.ClientToken()
	r.Rules = bindSGRules(p, direction)
}

// Bind implements rpc.Binder.
func (r *AuthorizeSecurityGroupRequest) Bind(p *rpc.Params) { r.bind(p, dirIngress) }

// AuthorizeSecurityGroupEgressRequest is AuthorizeSecurityGroup's outbound twin.
type AuthorizeSecurityGroupEgressRequest struct{ AuthorizeSecurityGroupRequest }

// Bind implements rpc.Binder.
func (r *AuthorizeSecurityGroupEgressRequest) Bind(p *rpc.Params) { r.bind(p, dirEgress) }

// AuthorizeSecurityGroupResponse is the bare RequestId.
type AuthorizeSecurityGroupResponse struct{ rpc.Base }

// AuthorizeSecurityGroup adds inbound rules.
func (s *Service) AuthorizeSecurityGroup(ctx context.Context, call *rpc.Call, req *AuthorizeSecurityGroupRequest) (*AuthorizeSecurityGroupResponse, error) {
	return s.authorize(ctx, call, req, dirIngress)
}

// AuthorizeSecurityGroupEgress adds outbound rules.
func (s *Service) AuthorizeSecurityGroupEgress(ctx context.Context, call *rpc.Call, req *AuthorizeSecurityGroupEgressRequest) (*AuthorizeSecurityGroupResponse, error) {
	return s.authorize(ctx, call, &req.AuthorizeSecurityGroupRequest, dirEgress)
}

// authorize adds rules all or nothing. A rule identical to an existing one
// (description aside) is accepted and not added again, as the reference says.
func (s *Service) authorize(ctx context.Context, call *rpc.Call, req *AuthorizeSecurityGroupRequest, dir string) (*AuthorizeSecurityGroupResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &AuthorizeSecurityGroupResponse{}
	fingerprint := call.Params.Fingerprint()
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		if replayed, err := store.Replay(ctx, tx, call.Action, req.ClientToken, fingerprint, resp); replayed || err != nil {
			return err
		}
		g, err := store.GetIn[cloud.SecurityGroup](ctx, tx, req.RegionID, req.SecurityGroupID)
		if err != nil {
			return notFound(err, apierr.InvalidSecurityGroupIDNotFound)
		}
		for i, r := range req.Rules {
			if err := s.checkSGRule(ctx, tx, g, r); err != nil {
				return err
			}
			req.Rules[i] = vpcNicType(g, r)
		}
		have := map[string]bool{}
		for _, r := range g.Rules {
			if r.Direction == dir {
				have[sgRuleOf(r).key(true)] = true
			}
		}
		for _, r := range req.Rules {
			if have[r.key(true)] {
				continue
			}
			have[r.key(true)] = true
			g.Rules = append(g.Rules, cloud.SecurityGroupRule{
				ID: s.ids.ID("sgr", g.Region), Direction: dir, IPProtocol: r.IPProtocol, PortRange: r.PortRange,
				CidrIP: r.CidrIP, SourceGroup: r.Group, Policy: r.Policy, Priority: r.Priority, NicType: r.NicType,
				Description: r.Description, Created: tx.Now(), PrefixList: r.PrefixList, PortRangeList: r.PortRangeList,
			})
		}
		if len(g.Rules) > maxRulesPerGroup {
			return apierr.RuleLimitExceeded.New()
		}
		if err := store.Put(ctx, tx, g); err != nil {
			return err
		}
		return store.Remember(ctx, tx, call.Action, req.ClientToken, fingerprint, resp)
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// vpcNicType: a VPC group's rules are intranet whatever NicType says; the
// cloud takes internet there and keeps intranet (the Packer builder sends
// internet for the VPC group it makes).
func vpcNicType(g cloud.SecurityGroup, r sgRule) sgRule {
	if g.VpcID != "" {
		r.NicType = nicIntranet
	}
	return r
}

// checkSGRule applies the rules that depend on the group: an advanced group
// allows only accept rules and no group peers; a peer group must exist in the
// same VPC.
func (s *Service) checkSGRule(ctx context.Context, tx store.Tx, g cloud.SecurityGroup, r sgRule) error {
	if g.Type == sgEnterprise && r.Policy != "Accept" {
		return apierr.EnterpriseGroupPolicy.New()
	}
	if r.PortRangeList != "" {
		if _, err := store.GetIn[cloud.PortRangeList](ctx, tx, g.Region, r.PortRangeList); err != nil {
			return notFound(err, apierr.PortRangeListNotFound)
		}
	}
	if r.PrefixList != "" {
		l, err := store.GetIn[cloud.PrefixList](ctx, tx, g.Region, r.PrefixList)
		if err != nil {
			return notFound(err, apierr.PrefixListNotFound)
		}
		if l.AddressFamily != "IPv4" {
			return apierr.PrefixListFamilyMismatch.New()
		}
	}
	if r.Group == "" {
		return nil
	}
	if g.Type == sgEnterprise {
		return apierr.EnterpriseGroupAuth.New()
	}
	peer, err := store.GetIn[cloud.SecurityGroup](ctx, tx, g.Region, r.Group)
	if err != nil {
		return notFound(err, apierr.SourceGroupNotFound)
	}
	if peer.VpcID != g.VpcID {
		return apierr.SourceGroupMismatch.New()
	}
	return nil
}

// RevokeSecurityGroupRequest removes rules by SecurityGroupRuleId.N or by
// their parameters; the egress action shares it.
type RevokeSecurityGroupRequest struct {
	RegionID, SecurityGroupID string
	RuleIDs                   []string
	Rules                     []sgRule
}

func (r *RevokeSecurityGroupRequest) bind(p *rpc.Params, direction string) {
	r.RegionID = p.Required("RegionId")
	r.SecurityGroupID = p.Required("SecurityGroupId")
	p.ClientToken()
	r.RuleIDs = p.List("SecurityGroupRuleId")
	if len(r.RuleIDs) == 0 {
		r.Rules = bindSGRules(p, direction)
		return
	}
	if len(p.Objects("Permissions")) > 0 || hasTopLevelSGRule(p, direction) {
		p.Fail(apierr.PermissionsConflict.New())
	}
	seen := map[string]bool{}
	for _, id := range r.RuleIDs {
		if seen[id] {
			p.Fail(apierr.RuleIDRepeated.New())
		}
		seen[id] = true
	}
}

// Bind implements rpc.Binder.
func (r *RevokeSecurityGroupRequest) Bind(p *rpc.Params) { r.bind(p, dirIngress) }

// RevokeSecurityGroupEgressRequest is RevokeSecurityGroup's outbound twin.
type RevokeSecurityGroupEgressRequest struct{ RevokeSecurityGroupRequest }

// Bind implements rpc.Binder.
func (r *RevokeSecurityGroupEgressRequest) Bind(p *rpc.Params) { r.bind(p, dirEgress) }

// RevokeSecurityGroupResponse is the bare RequestId.
type RevokeSecurityGroupResponse struct{ rpc.Base }

// RevokeSecurityGroup removes inbound rules.
func (s *Service) RevokeSecurityGroup(ctx context.Context, call *rpc.Call, req *RevokeSecurityGroupRequest) (*RevokeSecurityGroupResponse, error) {
	return s.revoke(ctx, call, req, dirIngress)
}

// RevokeSecurityGroupEgress removes outbound rules.
func (s *Service) RevokeSecurityGroupEgress(ctx context.Context, call *rpc.Call, req *RevokeSecurityGroupEgressRequest) (*RevokeSecurityGroupResponse, error) {
	return s.revoke(ctx, call, &req.RevokeSecurityGroupRequest, dirEgress)
}

// revoke removes rules all or nothing. An id that is not a rule of this
// direction is InvalidSecurityGroupRuleId.NotFound; parameters that match no
// rule are InvalidSecurityGroupRule.RuleNotExist (the behaviour since July
// 2024; before, such a call succeeded without effect).
func (s *Service) revoke(ctx context.Context, call *rpc.Call, req *RevokeSecurityGroupRequest, dir string) (*RevokeSecurityGroupResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		g, err := store.GetIn[cloud.SecurityGroup](ctx, tx, req.RegionID, req.SecurityGroupID)
		if err != nil {
			return notFound(err, apierr.InvalidSecurityGroupIDNotFound)
		}
		drop := map[string]bool{} // rule ids to remove
		for _, id := range req.RuleIDs {
			ok := false
			for _, r := range g.Rules {
				ok = ok || r.ID == id && r.Direction == dir
			}
			if !ok {
				return apierr.RuleIDNotFound.New()
			}
			drop[id] = true
		}
		for _, want := range req.Rules {
			want = vpcNicType(g, want)
			matched := false
			for _, r := range g.Rules {
				if r.Direction == dir && sgRuleOf(r).key(want.PriorityGiven) == want.key(want.PriorityGiven) {
					drop[r.ID], matched = true, true
				}
			}
			if !matched {
				return apierr.RuleNotExist.New()
			}
		}
		kept := g.Rules[:0:0]
		for _, r := range g.Rules {
			if !drop[r.ID] {
				kept = append(kept, r)
			}
		}
		g.Rules = kept
		return store.Put(ctx, tx, g)
	})
	if err != nil {
		return nil, err
	}
	return &RevokeSecurityGroupResponse{}, nil
}

// DeleteSecurityGroupRequest is §5.3 DeleteSecurityGroup.
type DeleteSecurityGroupRequest struct{ rpc.RegionalID }

// Bind implements rpc.Binder.
func (r *DeleteSecurityGroupRequest) Bind(p *rpc.Params) { r.BindID(p, "SecurityGroupId") }

// DeleteSecurityGroupResponse is the bare RequestId.
type DeleteSecurityGroupResponse struct{ rpc.Base }

// DeleteSecurityGroup removes a group no instance is a member of (§5.3):
// membership is read through the instances' "sg" index, so a release makes
// the group deletable as soon as the instance is gone.
func (s *Service) DeleteSecurityGroup(ctx context.Context, call *rpc.Call, req *DeleteSecurityGroupRequest) (*DeleteSecurityGroupResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		g, err := store.GetIn[cloud.SecurityGroup](ctx, tx, req.RegionID, req.ID)
		if err != nil {
			return notFound(err, apierr.InvalidSecurityGroupIDNotFound)
		}
		if n, err := store.Count[cloud.Instance](ctx, tx, g.Region, store.Where("sg", g.ID)); err != nil {
			return err
		} else if n > 0 {
			return apierr.SecurityGroupDependency.New().WithDetail("%d instance(s) in %s", n, g.ID)
		}
		// ENIs are members too; a primary ENI's membership is its instance's.
		if n, err := store.Count[cloud.ENI](ctx, tx, g.Region, store.Where("sg", g.ID), store.Where("type", cloud.ENISecondary, cloud.ENITrunk)); err != nil {
			return err
		} else if n > 0 {
			return apierr.SecurityGroupDependency.New().WithDetail("%d ENI(s) in %s", n, g.ID)
		}
		return store.Delete[cloud.SecurityGroup](ctx, tx, g.ID)
	})
	if err != nil {
		return nil, err
	}
	return &DeleteSecurityGroupResponse{}, nil
}

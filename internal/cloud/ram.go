package cloud

import (
	"encoding/json"
	"slices"
	"strings"
	"time"

	"github.com/ecslocal/ecslocal/internal/apierr"
)

// RAM roles and custom policies. RAM is global: its resources carry no
// region of their own and are stored under GlobalRegion [choice], one set
// per account like every other kind.
const (
	KindRAMRole   = "ramrole"
	KindRAMPolicy = "rampolicy"
	// GlobalRegion is the store region of global kinds (RAM).
	GlobalRegion = "global"
)

// Policy types of RAM.
const (
	PolicyCustom = "Custom"
	PolicySystem = "System"
)

// Limits of the RAM reference.
const (
	MaxPolicyVersions     = 5
	MaxPoliciesPerRole    = 5 * 4 // the reference's default quota of policies per role
	DefaultSessionSeconds = 3600
)

// RolePolicy is one policy attached to a role.
type RolePolicy struct {
	Name     string    `json:"name"`
	Type     string    `json:"type"`
	Attached time.Time `json:"attached"`
}

// RAMRole is a RAM role of an account; it is keyed by its name, which RAM
// actions address it by.
type RAMRole struct {
	ID                 string       `json:"id"`
	Name               string       `json:"name"`
	Description        string       `json:"description,omitempty"`
	TrustPolicy        string       `json:"trustPolicy"`
	MaxSessionDuration int          `json:"maxSessionDuration"`
	Created            time.Time    `json:"created"`
	Updated            time.Time    `json:"updated"`
	Policies           []RolePolicy `json:"policies,omitempty"`
	Tags               []Tag        `json:"tags,omitempty"` // RAM's ListTagResources reads them
}

func (r RAMRole) Kind() string       { return KindRAMRole }
func (r RAMRole) Key() string        { return strings.ToLower(r.Name) }
func (r RAMRole) RegionID() string   { return GlobalRegion }
func (r RAMRole) NextDue() time.Time { return time.Time{} }

// Indexes keeps the attached custom policies: DeletePolicy's check.
func (r RAMRole) Indexes() []Index {
	var out []Index
	for _, p := range r.Policies {
		if p.Type == PolicyCustom {
			out = append(out, Index{IdxPolicy, strings.ToLower(p.Name)})
		}
	}
	return out
}

// ARN is the role's Alibaba Cloud Resource Name in account.
func (r RAMRole) ARN(account string) string {
	return "acs:ram::" + account + ":role/" + strings.ToLower(r.Name)
}

// PolicyVersion is one version of a custom policy's document.
type PolicyVersion struct {
	ID       string    `json:"id"` // "v1", "v2", …
	Document string    `json:"document"`
	Created  time.Time `json:"created"`
}

// RAMPolicy is a custom policy; system policies are SystemPolicies.
type RAMPolicy struct {
	Name           string          `json:"name"`
	Type           string          `json:"type"`
	Description    string          `json:"description,omitempty"`
	DefaultVersion string          `json:"defaultVersion"`
	Versions       []PolicyVersion `json:"versions"`
	NextVersion    int             `json:"nextVersion"`
	Created        time.Time       `json:"created"`
	Updated        time.Time       `json:"updated"`
	Tags           []Tag           `json:"tags,omitempty"` // RAM's ListTagResources reads them
}

func (p RAMPolicy) Kind() string       { return KindRAMPolicy }
func (p RAMPolicy) Key() string        { return strings.ToLower(p.Name) }
func (p RAMPolicy) RegionID() string   { return GlobalRegion }
func (p RAMPolicy) NextDue() time.Time { return time.Time{} }
func (p RAMPolicy) Indexes() []Index   { return []Index{{IdxType, p.Type}} }

// Version answers a version by id.
func (p RAMPolicy) Version(id string) (PolicyVersion, bool) {
	i := slices.IndexFunc(p.Versions, func(v PolicyVersion) bool { return v.ID == id })
	if i < 0 {
		return PolicyVersion{}, false
	}
	return p.Versions[i], true
}

// Default answers the default version.
func (p RAMPolicy) Default() PolicyVersion {
	v, _ := p.Version(p.DefaultVersion)
	return v
}

// SystemPolicies are the system policies ecslocal knows by name, a small
// documented set of the common ones [choice]; each allows its product.
var SystemPolicies = map[string]string{
	"AdministratorAccess":       "Provides full access to Alibaba Cloud services and resources.",
	"AliyunECSFullAccess":       "Provides full access to Elastic Compute Service (ECS).",
	"AliyunECSReadOnlyAccess":   "Provides read-only access to Elastic Compute Service (ECS).",
	"AliyunVPCFullAccess":       "Provides full access to Virtual Private Cloud (VPC).",
	"AliyunVPCReadOnlyAccess":   "Provides read-only access to Virtual Private Cloud (VPC).",
	"AliyunSLBFullAccess":       "Provides full access to Server Load Balancer (SLB).",
	"AliyunSLBReadOnlyAccess":   "Provides read-only access to Server Load Balancer (SLB).",
	"AliyunOSSFullAccess":       "Provides full access to Object Storage Service (OSS).",
	"AliyunOSSReadOnlyAccess":   "Provides read-only access to Object Storage Service (OSS).",
	"AliyunRAMReadOnlyAccess":   "Provides read-only access to Resource Access Management (RAM).",
	"AliyunLogFullAccess":       "Provides full access to Log Service.",
	"AliyunSTSAssumeRoleAccess": "Provides access to call the AssumeRole operation of Security Token Service (STS).",
}

// SystemPolicyDocument is a system policy's document: everything of the
// product its name says, read-only ones limited to Describe/List/Get.
func SystemPolicyDocument(name string) string {
	product := strings.TrimSuffix(strings.TrimSuffix(strings.TrimPrefix(name, "Aliyun"), "FullAccess"), "ReadOnlyAccess")
	action := strings.ToLower(product) + ":*"
	if name == "AdministratorAccess" {
		action = "*"
	}
	actions := `"` + action + `"`
	if strings.HasSuffix(name, "ReadOnlyAccess") {
		p := strings.ToLower(product)
		actions = `"` + p + `:Describe*","` + p + `:List*","` + p + `:Get*"`
	}
	return `{"Version":"1","Statement":[{"Action":[` + actions + `],"Resource":"*","Effect":"Allow"}]}`
}

// policyDoc is the part of a policy document ecslocal checks.
type policyDoc struct {
	Version   string            `json:"Version"`
	Statement []json.RawMessage `json:"Statement"`
}

type statement struct {
	Effect    string          `json:"Effect"`
	Action    json.RawMessage `json:"Action"`
	Principal json.RawMessage `json:"Principal"`
}

// CheckPolicyDocument is the shape RAM accepts: a JSON object with Version
// "1" and at least one statement whose Effect is Allow or Deny.
func CheckPolicyDocument(doc string) error {
	var d policyDoc
	if err := json.Unmarshal([]byte(doc), &d); err != nil || d.Version != "1" || len(d.Statement) == 0 {
		return apierr.MalformedPolicyDocument.New("want a JSON object with Version \"1\" and a Statement list")
	}
	for _, raw := range d.Statement {
		var s statement
		if err := json.Unmarshal(raw, &s); err != nil || (s.Effect != "Allow" && s.Effect != "Deny") || len(s.Action) == 0 {
			return apierr.MalformedPolicyDocument.New("every statement needs Effect Allow or Deny and an Action")
		}
	}
	return nil
}

// CheckTrustPolicy is CheckPolicyDocument for a role's trust policy: each
// statement must name a Principal.
func CheckTrustPolicy(doc string) error {
	if err := CheckPolicyDocument(doc); err != nil {
		return err
	}
	var d policyDoc
	_ = json.Unmarshal([]byte(doc), &d)
	for _, raw := range d.Statement {
		var s statement
		_ = json.Unmarshal(raw, &s)
		if len(s.Principal) == 0 {
			return apierr.MalformedPolicyDocument.New("a trust policy statement needs a Principal")
		}
	}
	return nil
}

// TrustsService tells whether a trust policy lets service (such as
// "ecs.aliyuncs.com") assume the role: an Allow statement with
// sts:AssumeRole whose Principal.Service names it.
func TrustsService(doc, service string) bool {
	var d policyDoc
	if json.Unmarshal([]byte(doc), &d) != nil {
		return false
	}
	for _, raw := range d.Statement {
		var s statement
		if json.Unmarshal(raw, &s) != nil || s.Effect != "Allow" || !slices.Contains(stringOrList(s.Action), "sts:AssumeRole") {
			continue
		}
		var p struct {
			Service json.RawMessage `json:"Service"`
		}
		if json.Unmarshal(s.Principal, &p) == nil && slices.Contains(stringOrList(p.Service), service) {
			return true
		}
	}
	return false
}

// ECSService is the principal an instance role's trust policy must name.
const ECSService = "ecs.aliyuncs.com"

// CheckInstanceRole refuses a role ECS may not assume.
func CheckInstanceRole(r RAMRole) error {
	if !TrustsService(r.TrustPolicy, ECSService) {
		return apierr.InvalidRAMRoleNotTrusted.New().WithDetail("role %s does not trust %s", r.Name, ECSService)
	}
	return nil
}

// stringOrList reads a policy field that is a string or a list of strings.
func stringOrList(raw json.RawMessage) []string {
	var one string
	if json.Unmarshal(raw, &one) == nil {
		return []string{one}
	}
	var list []string
	_ = json.Unmarshal(raw, &list)
	return list
}

// ramRoleKind declares the kind to the registry (registry.go).
var ramRoleKind = Kind{
	Name:    KindRAMRole,
	Prefix:  "role",
	Indexes: []IndexDecl{{IdxPolicy, "DeletePolicy's check that no role has the policy attached"}},
	Decode:  decoder[RAMRole](),
}

// ramPolicyKind declares the kind to the registry (registry.go).
var ramPolicyKind = Kind{
	Name:    KindRAMPolicy,
	Prefix:  "policy",
	Indexes: []IndexDecl{{IdxType, "ListPolicies PolicyType"}},
	Decode:  decoder[RAMPolicy](),
}

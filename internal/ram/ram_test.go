package ram_test

import (
	"strings"
	"testing"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	classicram "github.com/aliyun/alibaba-cloud-sdk-go/services/ram"
	classicsts "github.com/aliyun/alibaba-cloud-sdk-go/services/sts"

	"github.com/ecslocal/ecslocal/ecslocaltest"
	"github.com/ecslocal/ecslocal/internal/sdktest"
)

const ecsTrust = `{"Statement":[{"Action":"sts:AssumeRole","Effect":"Allow","Principal":{"Service":["ecs.aliyuncs.com"]}}],"Version":"1"}`

const readDoc = `{"Version":"1","Statement":[{"Effect":"Allow","Action":["oss:GetObject"],"Resource":["acs:oss:*:*:bucket/*"]}]}`

func newRAM(t *testing.T) (*ecslocaltest.Server, *classicram.Client) {
	s := ecslocaltest.New(t, ecslocaltest.Options{MoreKeys: []string{"other:other-secret"}})
	return s, sdktest.ClassicRAMAs(t, s, s.AccessKeyID, s.AccessKeySecret)
}

func createRole(c *classicram.Client, name, doc string) (*classicram.CreateRoleResponse, error) {
	r := classicram.CreateCreateRoleRequest()
	r.RoleName, r.AssumeRolePolicyDocument, r.Description = name, doc, "web servers"
	return c.CreateRole(r)
}

func TestRoles(t *testing.T) {
	s, c := newRAM(t)
	created, err := createRole(c, "web-role", ecsTrust)
	sdktest.OK(t, err)
	if created.Role.RoleName != "web-role" || created.Role.RoleId == "" || !strings.HasPrefix(created.Role.Arn, "acs:ram::") ||
		!strings.HasSuffix(created.Role.Arn, ":role/web-role") || created.Role.AssumeRolePolicyDocument != ecsTrust || created.Role.MaxSessionDuration != 3600 {
		t.Fatalf("CreateRole: %+v", created.Role)
	}
	_, err = createRole(c, "WEB-ROLE", ecsTrust)
	sdktest.WantFail(t, err, 409, "EntityAlreadyExists.Role")
	_, err = createRole(c, "bad", `{"Statement":[`)
	sdktest.WantFail(t, err, 400, "MalformedPolicyDocument")
	_, err = createRole(c, "noprincipal", readDoc)
	sdktest.WantFail(t, err, 400, "MalformedPolicyDocument")
	_, err = createRole(c, "", ecsTrust)
	sdktest.WantFail(t, err, 400, "MissingParameter")

	g := classicram.CreateGetRoleRequest()
	g.RoleName = "web-role"
	got, err := c.GetRole(g)
	sdktest.OK(t, err)
	if got.Role.RoleId != created.Role.RoleId || got.Role.Description != "web servers" || got.Role.AssumeRolePolicyDocument != ecsTrust {
		t.Fatalf("GetRole: %+v", got.Role)
	}
	u := classicram.CreateUpdateRoleRequest()
	u.RoleName, u.NewDescription, u.NewMaxSessionDuration = "web-role", "changed", requests.NewInteger(7200)
	_, err = c.UpdateRole(u)
	sdktest.OK(t, err)
	if got, _ = c.GetRole(g); got.Role.Description != "changed" || got.Role.MaxSessionDuration != 7200 {
		t.Fatalf("after UpdateRole: %+v", got.Role)
	}
	list, err := c.ListRoles(classicram.CreateListRolesRequest())
	sdktest.OK(t, err)
	if len(list.Roles.Role) != 1 || list.Roles.Role[0].RoleName != "web-role" || list.IsTruncated {
		t.Fatalf("ListRoles: %+v", list)
	}
	// Accounts are isolated.
	other := sdktest.ClassicRAMAs(t, s, "other", "other-secret")
	_, err = other.GetRole(g)
	sdktest.WantFail(t, err, 404, "EntityNotExist.Role")
	if l, err := other.ListRoles(classicram.CreateListRolesRequest()); err != nil || len(l.Roles.Role) != 0 {
		t.Fatalf("other account sees roles: %+v %v", l, err)
	}

	// A role with a policy cannot be deleted.
	a := classicram.CreateAttachPolicyToRoleRequest()
	a.PolicyType, a.PolicyName, a.RoleName = "System", "AliyunOSSReadOnlyAccess", "web-role"
	_, err = c.AttachPolicyToRole(a)
	sdktest.OK(t, err)
	_, err = c.AttachPolicyToRole(a)
	sdktest.WantFail(t, err, 409, "EntityAlreadyExists.Role.Policy")
	d := classicram.CreateDeleteRoleRequest()
	d.RoleName = "web-role"
	_, err = c.DeleteRole(d)
	sdktest.WantFail(t, err, 409, "DeleteConflict.Role.Policy")
	lp := classicram.CreateListPoliciesForRoleRequest()
	lp.RoleName = "web-role"
	pol, err := c.ListPoliciesForRole(lp)
	sdktest.OK(t, err)
	if len(pol.Policies.Policy) != 1 || pol.Policies.Policy[0].PolicyName != "AliyunOSSReadOnlyAccess" || pol.Policies.Policy[0].PolicyType != "System" {
		t.Fatalf("ListPoliciesForRole: %+v", pol.Policies)
	}
	de := classicram.CreateDetachPolicyFromRoleRequest()
	de.PolicyType, de.PolicyName, de.RoleName = "System", "AliyunOSSReadOnlyAccess", "web-role"
	_, err = c.DetachPolicyFromRole(de)
	sdktest.OK(t, err)
	_, err = c.DetachPolicyFromRole(de)
	sdktest.WantFail(t, err, 404, "EntityNotExist.Role.Policy")
	_, err = c.DeleteRole(d)
	sdktest.OK(t, err)
	_, err = c.GetRole(g)
	sdktest.WantFail(t, err, 404, "EntityNotExist.Role")
}

func TestPolicies(t *testing.T) {
	_, c := newRAM(t)
	cp := classicram.CreateCreatePolicyRequest()
	cp.PolicyName, cp.PolicyDocument, cp.Description = "read-bucket", readDoc, "reads"
	created, err := c.CreatePolicy(cp)
	sdktest.OK(t, err)
	if created.Policy.PolicyName != "read-bucket" || created.Policy.PolicyType != "Custom" || created.Policy.DefaultVersion != "v1" {
		t.Fatalf("CreatePolicy: %+v", created.Policy)
	}
	_, err = c.CreatePolicy(cp)
	sdktest.WantFail(t, err, 409, "EntityAlreadyExists.Policy")
	cp.PolicyName, cp.PolicyDocument = "broken", `{"Version":"1"}`
	_, err = c.CreatePolicy(cp)
	sdktest.WantFail(t, err, 400, "MalformedPolicyDocument")

	v := classicram.CreateCreatePolicyVersionRequest()
	v.PolicyName, v.PolicyDocument, v.SetAsDefault = "read-bucket", readDoc, requests.NewBoolean(true)
	ver, err := c.CreatePolicyVersion(v)
	sdktest.OK(t, err)
	if ver.PolicyVersion.VersionId != "v2" || !ver.PolicyVersion.IsDefaultVersion {
		t.Fatalf("CreatePolicyVersion: %+v", ver.PolicyVersion)
	}
	gp := classicram.CreateGetPolicyRequest()
	gp.PolicyName, gp.PolicyType = "read-bucket", "Custom"
	got, err := c.GetPolicy(gp)
	sdktest.OK(t, err)
	if got.Policy.DefaultVersion != "v2" || got.DefaultPolicyVersion.PolicyDocument != readDoc {
		t.Fatalf("GetPolicy: %+v", got)
	}
	lv := classicram.CreateListPolicyVersionsRequest()
	lv.PolicyName, lv.PolicyType = "read-bucket", "Custom"
	vs, err := c.ListPolicyVersions(lv)
	sdktest.OK(t, err)
	if len(vs.PolicyVersions.PolicyVersion) != 2 {
		t.Fatalf("ListPolicyVersions: %+v", vs)
	}
	dv := classicram.CreateDeletePolicyVersionRequest()
	dv.PolicyName, dv.VersionId = "read-bucket", "v2"
	_, err = c.DeletePolicyVersion(dv)
	sdktest.WantFail(t, err, 409, "DeleteConflict.Policy.Version.Default")
	sd := classicram.CreateSetDefaultPolicyVersionRequest()
	sd.PolicyName, sd.VersionId = "read-bucket", "v1"
	_, err = c.SetDefaultPolicyVersion(sd)
	sdktest.OK(t, err)
	_, err = c.DeletePolicyVersion(dv)
	sdktest.OK(t, err)

	// System policies are there by name.
	gp.PolicyName, gp.PolicyType = "AliyunECSFullAccess", "System"
	sys, err := c.GetPolicy(gp)
	sdktest.OK(t, err)
	if sys.Policy.PolicyType != "System" || !strings.Contains(sys.DefaultPolicyVersion.PolicyDocument, "ecs:*") {
		t.Fatalf("system policy: %+v", sys)
	}
	lr := classicram.CreateListPoliciesRequest()
	lr.PolicyType = "Custom"
	custom, err := c.ListPolicies(lr)
	sdktest.OK(t, err)
	if len(custom.Policies.Policy) != 1 || custom.Policies.Policy[0].PolicyName != "read-bucket" {
		t.Fatalf("ListPolicies Custom: %+v", custom.Policies)
	}

	// An attached policy cannot be deleted.
	_, err = createRole(c, "app", ecsTrust)
	sdktest.OK(t, err)
	a := classicram.CreateAttachPolicyToRoleRequest()
	a.PolicyType, a.PolicyName, a.RoleName = "Custom", "read-bucket", "app"
	_, err = c.AttachPolicyToRole(a)
	sdktest.OK(t, err)
	dp := classicram.CreateDeletePolicyRequest()
	dp.PolicyName = "read-bucket"
	_, err = c.DeletePolicy(dp)
	sdktest.WantFail(t, err, 409, "DeleteConflict.Role.Policy")
	le := classicram.CreateListEntitiesForPolicyRequest()
	le.PolicyName, le.PolicyType = "read-bucket", "Custom"
	ents, err := c.ListEntitiesForPolicy(le)
	sdktest.OK(t, err)
	if len(ents.Roles.Role) != 1 || ents.Roles.Role[0].RoleName != "app" || ents.Roles.Role[0].AttachDate == "" {
		t.Fatalf("ListEntitiesForPolicy: %+v", ents)
	}
	gp.PolicyName, gp.PolicyType = "read-bucket", "Custom"
	if got, err := c.GetPolicy(gp); err != nil || got.Policy.AttachmentCount != 1 {
		t.Fatalf("AttachmentCount: %+v", got)
	}
	de := classicram.CreateDetachPolicyFromRoleRequest()
	de.PolicyType, de.PolicyName, de.RoleName = "Custom", "read-bucket", "app"
	_, err = c.DetachPolicyFromRole(de)
	sdktest.OK(t, err)
	_, err = c.DeletePolicy(dp)
	sdktest.OK(t, err)
	_, err = c.DeletePolicy(dp)
	sdktest.WantFail(t, err, 404, "EntityNotExist.Policy")
}

// The generated-SDK style: ACS3-HMAC-SHA256 with the version in the
// x-acs-version header; an official RAM action ecslocal lacks is 501.
func TestRoles_V3Signature(t *testing.T) {
	s, _ := newRAM(t)
	g := sdktest.GenericRAM(t, s)
	out, err := g.Call("CreateRole", map[string]any{"RoleName": "v3-role", "AssumeRolePolicyDocument": ecsTrust})
	sdktest.OK(t, err)
	if role, _ := out["Role"].(map[string]any); role["RoleName"] != "v3-role" {
		t.Fatalf("CreateRole: %v", out)
	}
	out, err = g.Call("ListRoles", nil)
	sdktest.OK(t, err)
	if roles := out["Roles"].(map[string]any)["Role"].([]any); len(roles) != 1 {
		t.Fatalf("ListRoles: %v", out)
	}
	_, err = g.Call("CreateUser", map[string]any{"UserName": "u"})
	sdktest.WantFail(t, err, 501, "NotImplemented")
}

// STS GetCallerIdentity names the key's account, whichever key signs.
func TestGetCallerIdentity(t *testing.T) {
	s, _ := newRAM(t)
	c, err := classicsts.NewClientWithAccessKey("cn-hangzhou", "other", "other-secret")
	if err != nil {
		t.Fatal(err)
	}
	c.Domain = s.Endpoint
	r := classicsts.CreateGetCallerIdentityRequest()
	r.Scheme = "http"
	id, err := c.GetCallerIdentity(r)
	sdktest.OK(t, err)
	if id.AccountId == "" || id.Arn != "acs:ram::"+id.AccountId+":root" || id.IdentityType != "Account" {
		t.Fatalf("GetCallerIdentity: %+v", id)
	}
	mine, err := sdktest.GenericSTS(t, s).Call("GetCallerIdentity", nil)
	sdktest.OK(t, err)
	if mine["AccountId"] == id.AccountId || mine["AccountId"] == "" {
		t.Fatalf("accounts: %v and %s", mine, id.AccountId)
	}
}

// Tags given at creation (a JSON list, as the Terraform provider sends it)
// read back through ListTagResources, as the provider's reads expect.
func TestTags_ListTagResources(t *testing.T) {
	s, _ := newRAM(t)
	g := sdktest.GenericRAM(t, s)
	_, err := g.Call("CreateRole", map[string]any{"RoleName": "tagged", "AssumeRolePolicyDocument": ecsTrust, "Tag": `[{"Key":"team","Value":"web"}]`})
	sdktest.OK(t, err)
	_, err = g.Call("CreateRole", map[string]any{"RoleName": "plain", "AssumeRolePolicyDocument": ecsTrust})
	sdktest.OK(t, err)
	out, err := g.Call("ListTagResources", map[string]any{"ResourceType": "role", "ResourceNames": `["tagged"]`})
	sdktest.OK(t, err)
	list := out["TagResources"].(map[string]any)["TagResource"].([]any)
	if len(list) != 1 || list[0].(map[string]any)["TagKey"] != "team" || list[0].(map[string]any)["ResourceName"] != "tagged" {
		t.Fatalf("ListTagResources: %v", out)
	}
	out, err = g.Call("ListTagResources", map[string]any{"ResourceType": "role", "ResourceNames": `["plain"]`})
	sdktest.OK(t, err)
	if list := out["TagResources"].(map[string]any)["TagResource"].([]any); len(list) != 0 {
		t.Fatalf("untagged role: %v", out)
	}
	_, err = g.Call("CreatePolicy", map[string]any{"PolicyName": "p", "PolicyDocument": readDoc, "Tag": `not json`})
	sdktest.WantFail(t, err, 400, "InvalidParameter")
	_, err = g.Call("ListTagResources", map[string]any{"ResourceType": "user"})
	sdktest.WantFail(t, err, 400, "InvalidParameter")
}

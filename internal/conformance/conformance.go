// Package conformance holds every registered action to Alibaba's own
// definitions (internal/apidef): its tests check names, parameters,
// required checks and answer shapes, and it writes docs/coverage.md.
package conformance

import (
	"slices"
	"strings"

	"github.com/ecslocal/ecslocal/internal/apidef"
	"github.com/ecslocal/ecslocal/internal/ecs"
	"github.com/ecslocal/ecslocal/internal/ram"
	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/slb"
	"github.com/ecslocal/ecslocal/internal/vpc"
)

// Table is the action table the server registers, built without a store:
// registration only records the typed functions.
func Table() *rpc.Table {
	t := rpc.NewTable()
	ecs.New(nil, nil, nil).Register(t)
	vpc.New(nil, nil, nil).Register(t)
	slb.New(nil, nil, nil).Register(t)
	ram.New(nil, nil).Register(t)
	return t
}

// ModelGaps are registered actions no SDK available to this build has an
// answer model for, each with where its members come from instead.
var ModelGaps = map[string]string{
	rpc.VersionRAM + "/ListTagResources": "the classic SDK (v1.63.107) has no RAM ListTagResources and the generated RAM module is not available to this build; the members are the RAM reference's (NextToken, TagResources.TagResource[] of ResourceName, ResourceType, TagKey, TagValue), which the Terraform provider reads",
	// The VPC NAT IP attribute actions, newer than the SDKs of this build.
	rpc.VersionVPC + "/GetNatIpAttribute":     "vpc-20160428 v6.12.8 and the classic SDK (v1.63.107) have no GetNatIpAttribute; the members are the newer generated VPC SDKs' GetNatIpAttributeResponseBody (CreationTime, NatGatewayId, NatIp, NatIpCidr, NatIpDescription, NatIpId, NatIpName, NatIpStatus)",
	rpc.VersionVPC + "/GetNatIpCidrAttribute": "vpc-20160428 v6.12.8 and the classic SDK (v1.63.107) have no GetNatIpCidrAttribute; the members are the newer generated VPC SDKs' GetNatIpCidrAttributeResponseBody (NatGatewayId, NatIpCidr, NatIpCidrDescription, NatIpCidrId, NatIpCidrName, NatIpCidrStatus)",
}

// Aliases are registered actions that are in no official action list but
// that the cloud answers all the same, each with why it is kept.
var Aliases = map[string]string{}

// ExtraParams are parameters a binder reads that the official definition of
// its action lacks, keyed "version/Action Name", each with why it is kept.
// Two kinds are recognised without a row (see ExtraReason): the VPC form's
// parameters read by a binder shared with the ECS 2014-05-26 form, and the
// capitalised twin of a lower-camel official name.
var ExtraParams = map[string]string{
	"2014-05-26/DescribeAutoSnapshotPolicyEx MaxResults": reasonPaging,
	"2014-05-26/DescribeAutoSnapshotPolicyEx NextToken":  reasonPaging,
	"2014-05-26/CreateDisk DryRun":                       reasonDryRun,
	"2014-05-26/CreateNetworkInterface DryRun":           reasonDryRun,
	"2014-05-26/CreateSecurityGroup DryRun":              reasonDryRun,
	"2014-05-26/DeleteNetworkInterface DryRun":           reasonDryRun,
	"2014-05-26/AssociateEipAddress DryRun":              reasonDryRun,
	"2014-05-26/CreateVSwitch DryRun":                    reasonDryRun,
	"2016-04-28/AssociateEipAddress DryRun":              reasonDryRun,
	"2016-04-28/CreateVSwitch DryRun":                    reasonDryRun,
}

// Why a binder reads a parameter its action's definition lacks.
const (
	reasonPaging = "token paging of the newer Describe actions, which this action's definition lacks; absent, it pages by number as defined"
	reasonDryRun = "DryRun is read by every changing action so a check-only call answers DryRunOperation; the definition of this action lacks it, so SDKs do not send it"
	// ReasonShared: the action exists in both ECS 2014-05-26 and VPC 2016-04-28.
	ReasonShared = "one binder serves the ECS 2014-05-26 and VPC 2016-04-28 forms of this action; the parameter is the VPC form's, which the ECS SDKs never send"
	// ReasonCase: the policy actions' names are lower camel case.
	ReasonCase = "the definition spells it in lower camel case, which both SDKs send; the capitalised spelling (the classic SDK's own RegionId) is accepted too"
)

// ExtraReason says why a binder of (version, action) may read name although
// the action's definition lacks it, or "" when nothing does.
func ExtraReason(defs *apidef.Defs, version, action, name string) string {
	if r := ExtraParams[version+"/"+action+" "+name]; r != "" {
		return r
	}
	if version == rpc.VersionECS && apidef.IsWireName(defs.Params(rpc.VersionVPC, action), name) {
		return ReasonShared
	}
	if name != "" {
		lower := strings.ToLower(name[:1]) + name[1:]
		if apidef.IsWireName(defs.Params(version, action), lower) {
			return ReasonCase
		}
	}
	return ""
}

// AnswerGaps are answer members the official SDK answer model lacks or types
// differently, keyed "version/Action Path", each with why it is sent.
var AnswerGaps = map[string]string{}

// RequiredGaps are parameters an action's definition requires that ecslocal
// does not refuse when absent, keyed "version/Action Name", each with why.
var RequiredGaps = map[string]string{
	"2014-05-26/DescribeHaVips Filter": "one binder serves the ECS 2014-05-26 and VPC 2016-04-28 forms of DescribeHaVips; the VPC form makes Filter optional, so a call without it lists every HaVip of the region in both",
}

// ReadNames are the wire names the binder of (version, action) asks for, and
// those it requires, over two runs: once with no parameters, once with a
// value for every official name, so that reads behind a presence check
// count too. Reads behind other conditions stay unseen.
func ReadNames(t *rpc.Table, defs *apidef.Defs, version, action string) (names, required []string) {
	empty := rpc.NewRecorder(nil)
	t.Bind(version, action, empty)
	full := rpc.NewRecorder(officialValues(defs.Params(version, action)))
	t.Bind(version, action, full)
	names = append(empty.Names(), full.Names()...)
	slices.Sort(names)
	return slices.Compact(names), empty.RequiredNames()
}

// officialValues is a value of its type for every official wire name.
func officialValues(params []apidef.Param) map[string]string {
	out := map[string]string{}
	for name, typ := range apidef.WireTypes(params) {
		switch typ {
		case "Integer", "Long", "Float", "Double":
			out[name] = "1"
		case "Boolean":
			out[name] = "true"
		case "Struct", "Array":
		default:
			out[name] = "x"
		}
	}
	return out
}

// ecsOwnShared are the ECS 2014-05-26 actions whose names VPC 2016-04-28 also
// has but whose ECS form answers about ECS's own resources (its regions and
// zones with their instance types, and tags on ECS resources): they are
// native, not VPC-family.
var ecsOwnShared = map[string]bool{
	"DescribeRegions":  true,
	"DescribeZones":    true,
	"DescribeTags":     true,
	"ListTagResources": true,
	"TagResources":     true,
}

// ECSNative are the native actions of ECS 2014-05-26: its official actions
// less the VPC-family ones, those whose name VPC 2016-04-28 also has (EIPs,
// VPCs, vSwitches, routes, NAT, HaVips, router interfaces, physical
// connections), except the ones of ecsOwnShared.
func ECSNative(defs *apidef.Defs) []string {
	ecsDef, vpcDef := defs.Product(rpc.VersionECS), defs.Product(rpc.VersionVPC)
	var out []string
	for _, a := range ecsDef.ActionNames() {
		if _, shared := vpcDef.Actions[a]; shared && !ecsOwnShared[a] {
			continue
		}
		out = append(out, a)
	}
	return out
}

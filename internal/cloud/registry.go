package cloud

import (
	"context"
	"fmt"
	"slices"
	"time"

	gojson "github.com/goccy/go-json"

	"github.com/ecslocal/ecslocal/internal/apierr"
)

// The registry of kinds: every resource kind is declared once, beside its
// type, as a Kind value, and everything that must know every kind — state
// import, the clock, the tag actions, the release workflow, the console,
// the metrics — loops over Kinds() instead of keeping a list of its own.
// registry_test.go fails when a kind lacks a hook it needs.

// IndexName names one indexed attribute. Every query names an index that
// its kind declares (the store refuses any other), so a typo is an error,
// not an empty page.
type IndexName string

// Index names shared by the kinds (each kind declares which it keeps).
const (
	IdxStatus        IndexName = "status"
	IdxZone          IndexName = "zone"
	IdxVPC           IndexName = "vpc"
	IdxVSwitch       IndexName = "vswitch"
	IdxChargeType    IndexName = "chargeType"
	IdxName          IndexName = "name"
	IdxType          IndexName = "type"
	IdxFamily        IndexName = "family"
	IdxImage         IndexName = "image"
	IdxPrivateIP     IndexName = "privateIp"
	IdxPublicIP      IndexName = "publicIp"
	IdxSecurityGroup IndexName = "sg"
	IdxLock          IndexName = "lock"
	IdxKeyPair       IndexName = "keyPair"
	IdxTagKey        IndexName = "tagKey"
	IdxTag           IndexName = "tag"
	IdxCategory      IndexName = "category"
	IdxInstance      IndexName = "instance"
	IdxSnapshot      IndexName = "snapshot"
	IdxPolicy        IndexName = "policy"
	IdxDisk          IndexName = "disk"
	IdxDiskType      IndexName = "diskType"
	IdxDWI           IndexName = "dwi"
	IdxDAS           IndexName = "das"
	IdxEAS           IndexName = "eas"
	IdxEncrypted     IndexName = "encrypted"
	IdxPortable      IndexName = "portable"
	IdxResourceGroup IndexName = "resourceGroup"
	IdxTrunk         IndexName = "trunk"
	IdxDefault       IndexName = "default"
	IdxIP            IndexName = "ip"
	IdxInstanceType  IndexName = "instanceType"
	IdxRouter        IndexName = "router"
	IdxRouterType    IndexName = "routerType"
	IdxTable         IndexName = "table"
	IdxCIDR          IndexName = "cidr"
	IdxNextHopType   IndexName = "nextHopType"
	IdxNextHopID     IndexName = "nextHopId"
	IdxAddressType   IndexName = "addressType"
	IdxNetworkType   IndexName = "networkType"
	IdxAddress       IndexName = "address"
	IdxPayType       IndexName = "payType"
	IdxMasterZone    IndexName = "masterZone"
	IdxBackend       IndexName = "backend"
	IdxBackendType   IndexName = "backendType"
	IdxNatGateway    IndexName = "natGateway"
	IdxSpec          IndexName = "spec"
	IdxExternalPort  IndexName = "externalPort"
	IdxInternalPort  IndexName = "internalPort"
	IdxProtocol      IndexName = "protocol"
	IdxLoadBalancer  IndexName = "loadBalancer"
	IdxFingerprint   IndexName = "fingerprint"
	IdxISP           IndexName = "isp"
	IdxIPVersion     IndexName = "ipVersion"
	IdxACL           IndexName = "acl"
	IdxCertificate   IndexName = "certificate"
	IdxShared        IndexName = "shared"
	IdxCommand       IndexName = "command"
	// Indexes of the VPC long tail (HaVips, network ACLs, DHCP options sets,
	// vSwitch CIDR reservations).
	IdxDhcpOptionsSet IndexName = "dhcpOptionsSet"
	IdxNetworkACL     IndexName = "networkAcl"
	IdxDomainName     IndexName = "domainName"
	IdxENI            IndexName = "eni"
	// IdxDedicatedHostCluster is the cluster a dedicated host belongs to.
	IdxDedicatedHostCluster IndexName = "dedicatedHostCluster"
	IdxSecondaryIP          IndexName = "secondaryIp"
	IdxPeerGroup            IndexName = "peerGroup"
	IdxPrefixList           IndexName = "prefixList"
	IdxPortRangeList        IndexName = "portRangeList"
)

// FlagSet is the value of a flag index where the flag is set.
const FlagSet = "true"

// Flag is the index of a boolean: a row only where it is set, since a row
// for every unset flag would narrow nothing; a filter for the unset value
// is the negation (store.WhereFlag).
func Flag(name IndexName, set bool) Index {
	if set {
		return Index{name, FlagSet}
	}
	return Index{name, ""}
}

// IndexDecl is one index a kind keeps and what reads it: the Describe
// filter it serves, or the workflow that finds the kind through it.
type IndexDecl struct {
	Name   IndexName
	Serves string
}

// tagIndexDecls are the indexes every tagged kind keeps.
func tagIndexDecls(describe string) []IndexDecl {
	return []IndexDecl{
		{IdxTagKey, describe + " Tag.N.Key without a value"},
		{IdxTag, describe + " Tag.N.Key and Tag.N.Value"},
	}
}

// Kind declares one resource kind.
type Kind struct {
	// Name is the kind as stored ("instance").
	Name string
	// Prefix starts its ids ("i" makes "i-bp1…").
	Prefix string
	// Indexes are every attribute its Indexes method may write; nothing else
	// is written, and nothing else may be queried.
	Indexes []IndexDecl
	// Few are the indexes of Indexes whose every value only one or a few
	// records of the kind hold at once (an instance's address, the
	// instance a disk is attached to). The stores keep no match count for
	// them (store.KeepsCount): a TotalCount through one counts its few
	// matches, as cheap as reading a count, and a kept count was a row
	// written when the value came and removed when it went. An index whose
	// value many records may share (a status, a name the caller picks)
	// is not one of them: its TotalCount would walk every match.
	Few []IndexName
	// Tags, when not nil, makes the kind taggable: the ResourceType each
	// product's tag actions use for it. Its type implements Tagged.
	Tags *TagDecl
	// Decode reads a stored document of this kind.
	Decode func(data []byte) (Resource, error)
	// Advance is its timed transition, applied when NextDue falls due; nil
	// for a kind whose NextDue is always zero.
	Advance func(ctx context.Context, l Lookup, r Resource, now time.Time, cfg Config) (Transition, error)
	// Hold, when not nil, is how a resource of this kind refuses the release
	// of an instance. Holds are checked in registry order.
	Hold *HoldDecl
	// Release, when not nil, is what releasing an instance does to resources
	// of this kind. Effects run in registry order, after the holds passed.
	Release *ReleaseDecl
	// Owners maps an index whose value is the id of another record, mostly
	// written just before this one in the same transaction (an ENI's
	// instance: a launch writes the instance, its disks, then its ENIs), to
	// that record's kind. A store may find the records of such an index
	// beside their owner's instead of through the index (SQLite: by the
	// seq, store.Filter.Owners).
	Owners map[IndexName]string
}

// OwnerOf answers the kind whose ids index name of kind holds (Kind.Owners),
// "" when it is not declared so.
func OwnerOf(kind, name string) string {
	if i, ok := kindAt[kind]; ok {
		return kinds[i].Owners[IndexName(name)]
	}
	return ""
}

// TagDecl names a taggable kind in the tag actions of each product.
type TagDecl struct {
	// ResourceTypes maps a product ("ecs", "vpc", "slb") to the ResourceType
	// value its TagResources, UntagResources and ListTagResources use.
	ResourceTypes map[string]string
}

// Tagged is a resource that carries tags.
type Tagged interface {
	Resource
	TagList() []Tag
	WithTags(tags []Tag) Resource
}

// Filter selects resources whose index Name holds one of Values.
type Filter struct {
	Index  IndexName
	Values []string
}

// Lookup is the read access the registry's hooks get: queries through
// declared indexes, in the caller's transaction.
type Lookup interface {
	// Find answers every resource of kind matching all filters, in creation order.
	Find(ctx context.Context, kind string, filters ...Filter) ([]Resource, error)
}

// Transition is what a kind's Advance decided.
type Transition struct {
	// Next is the resource after the transition, written back unless Gone.
	Next Resource
	// Gone: the resource no longer exists. For an instance, the release
	// workflow removes it with every effect, at ReleasedAt.
	Gone       bool
	ReleasedAt time.Time
	// Also are other resources the transition made or changed.
	Also []Resource
}

// HoldDecl is how a kind holds an instance back from release.
type HoldDecl struct {
	// By is the index holding the instance id: the candidates.
	By IndexName
	// Holder picks the resource that holds inst back ("" when none) from
	// the candidates found through By.
	Holder func(found []Resource, inst Instance, now time.Time) string
	// Refuse is the API error answered for that holder.
	Refuse func(holderID string, inst Instance) *apierr.Error
}

// Hold is one resource that refuses an instance's release.
type Hold struct {
	Kind, ID string
	Err      *apierr.Error
}

// Holders are the holds found for one instance, in registry order; the
// first one found is the refusal.
type Holders []Hold

// ReleaseDecl is what releasing an instance does to a kind.
type ReleaseDecl struct {
	// By is the index through which the affected resources are found.
	By IndexName
	// Keys are the values looked up through By: the released instance's
	// id, or the ids of resources the release removed before this kind's
	// turn (an ENI, a disk).
	Keys func(rel *Released) []string
	// Effect decides, for the resources found, which are written back
	// changed (put) and which are removed (del).
	Effect func(found []Resource, rel *Released) (put, del []Resource)
}

// Released is the release of one instance as it proceeds kind by kind.
type Released struct {
	Instance Instance
	At       time.Time
	// Removed holds every resource the release removed so far, by id.
	Removed map[string]Resource
}

// NewReleased starts the release of inst at time at.
func NewReleased(inst Instance, at time.Time) *Released {
	return &Released{Instance: inst, At: at, Removed: map[string]Resource{}}
}

// RemovedOf lists the ids of kind the release removed so far, sorted.
func (r *Released) RemovedOf(kind string) []string {
	var out []string
	for id, v := range r.Removed {
		if v.Kind() == kind {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out
}

// instanceAndRemoved keys an effect by the instance and the ENIs the
// release removed: what route next hops, EIPs and SLB backends point at.
func instanceAndRemoved(kind string) func(rel *Released) []string {
	return func(rel *Released) []string {
		return append([]string{rel.Instance.ID}, rel.RemovedOf(kind)...)
	}
}

// kinds lists every kind in registry order: the order of the holds
// (linked ENI, then route entry, then configuring load balancer, then
// configuring VServer group) and of the
// release effects (disks before their snapshots, ENIs before what points at
// released ENIs).
var kinds = []Kind{
	instanceKind,
	diskKind,
	snapshotKind,
	eniKind,
	routeEntryKind,
	loadBalancerKind,
	vServerGroupKind,
	serverCertificateKind,
	aclKind,
	eipKind,
	vpcKind,
	vswitchKind,
	routeTableKind,
	securityGroupKind,
	autoSnapshotPolicyKind,
	natGatewayKind,
	snatEntryKind,
	forwardEntryKind,
	keyPairKind,
	ramRoleKind,
	ramPolicyKind,
	imageKind,
	launchTemplateKind,
	deploymentSetKind,
	diskDefaultsKind,
	snapshotGroupKind,
	commandKind,
	invocationKind,
	hpcClusterKind,
	taskKind,
	activationKind,
	imageComponentKind,
	haVipKind,
	networkACLKind,
	dhcpOptionsSetKind,
	vswitchCidrReservationKind,
	natIPCidrKind,
	natIPKind,
	fullNatEntryKind,
	commonBandwidthPackageKind,
	ipv4GatewayKind,
	flowLogKind,
	flowLogServiceKind,
	vpcPrefixListKind,
	ipv6GatewayKind,
	eipSegmentKind,
	ipPoolKind,
	ipPoolServiceKind,
	mirrorFilterKind,
	mirrorSessionKind,
	mirrorServiceKind,
	dedicatedHostKind,
	dedicatedHostClusterKind,
	capacityReservationKind,
	elasticityAssuranceKind,
	managedInstanceKind,
	planMaintenanceWindowKind,
	prefixListKind,
	portRangeListKind,
	eniPermissionKind,
}

// Kinds answers every declared kind in registry order. The slice is a copy;
// the declarations are never changed after start.
func Kinds() []Kind { return slices.Clone(kinds) }

// KindOf answers the declaration of a stored kind.
func KindOf(name string) (Kind, bool) {
	if i, ok := kindAt[name]; ok {
		return kinds[i], true
	}
	return Kind{}, false
}

// kindAt is the place of each kind in kinds: KindOf runs on every read,
// write and query of a record.
var kindAt = func() map[string]int {
	at := make(map[string]int, len(kinds))
	for i, k := range kinds {
		if _, dup := at[k.Name]; !dup {
			at[k.Name] = i
		}
	}
	return at
}()

// TagKind answers the kind a product's tag actions call resourceType.
func TagKind(product, resourceType string) (Kind, bool) {
	for _, k := range kinds {
		if k.Tags != nil && k.Tags.ResourceTypes[product] == resourceType {
			return k, true
		}
	}
	return Kind{}, false
}

// Declares tells whether kind keeps index name.
func (k Kind) Declares(name IndexName) bool {
	for _, d := range k.Indexes {
		if d.Name == name {
			return true
		}
	}
	return false
}

// IsFew tells whether name is one of the kind's Few indexes.
func (k Kind) IsFew(name IndexName) bool { return slices.Contains(k.Few, name) }

// CheckIndexes refuses an index of r that its kind does not declare.
func CheckIndexes(r Resource) error {
	k, ok := KindOf(r.Kind())
	if !ok {
		return fmt.Errorf("kind %q is not declared", r.Kind())
	}
	for _, ix := range r.Indexes() {
		if !k.Declares(ix.Name) {
			return fmt.Errorf("%s writes index %q that its kind does not declare", k.Name, ix.Name)
		}
	}
	return nil
}

// decoder makes a Kind's Decode for the stored type T.
func decoder[T Resource]() func([]byte) (Resource, error) {
	return func(data []byte) (Resource, error) {
		var v T
		// goccy/go-json, as store's typed reads: the lifecycle decodes
		// every changed record through here on every write.
		if err := gojson.Unmarshal(data, &v); err != nil {
			return nil, err
		}
		return v, nil
	}
}

// each unboxes the resources of type T.
func each[T Resource](found []Resource) []T {
	out := make([]T, 0, len(found))
	for _, r := range found {
		if v, ok := r.(T); ok {
			out = append(out, v)
		}
	}
	return out
}

// withIDs picks, boxed, the items whose id is one of ids.
func withIDs[T Resource](items []T, ids []string) []Resource {
	var out []Resource
	for _, v := range items {
		if slices.Contains(ids, v.Key()) {
			out = append(out, v)
		}
	}
	return out
}

// resources boxes a typed slice.
func resources[T Resource](in []T) []Resource {
	out := make([]Resource, len(in))
	for i, v := range in {
		out[i] = v
	}
	return out
}

// readyAt is the Advance of a kind that only becomes Available.
func readyAt[T Resource](ready func(T) Resource) func(context.Context, Lookup, Resource, time.Time, Config) (Transition, error) {
	return func(_ context.Context, _ Lookup, r Resource, _ time.Time, _ Config) (Transition, error) {
		return Transition{Next: ready(r.(T))}, nil
	}
}

// removedENI tells whether the release removed ENI id.
func (r *Released) removedENI(id string) bool {
	v, ok := r.Removed[id]
	return ok && v.Kind() == KindENI
}

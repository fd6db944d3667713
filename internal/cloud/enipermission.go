package cloud

import "time"

// KindENIPermission is the stored kind of ENI permissions.
const KindENIPermission = "enipermission"

// ENI permission states.
const (
	PermissionGranted = "Granted"
	PermissionRevoked = "Revoked"
)

// ENIPermission lets another account attach an ENI to its instances
// (Permission InstanceAttach). A revoked permission stays listed as
// Revoked; it goes with its ENI.
type ENIPermission struct {
	ID         string    `json:"id"`
	Region     string    `json:"region"`
	ENIID      string    `json:"eniId"`
	AccountID  string    `json:"accountId"`
	Permission string    `json:"permission"`
	State      string    `json:"state"`
	Created    time.Time `json:"created"`
}

// Kind implements Resource.
func (ENIPermission) Kind() string { return KindENIPermission }

// Key implements Resource.
func (p ENIPermission) Key() string { return p.ID }

// RegionID implements Resource.
func (p ENIPermission) RegionID() string { return p.Region }

// NextDue implements Resource.
func (ENIPermission) NextDue() time.Time { return time.Time{} }

// Indexes implements Resource: the permissions of an ENI.
func (p ENIPermission) Indexes() []Index { return []Index{{IdxENI, p.ENIID}} }

// eniPermissionKind declares the kind to the registry (registry.go). When
// a release removes an ENI, its permissions go with it.
var eniPermissionKind = Kind{
	Name:    KindENIPermission,
	Prefix:  "eni-perm",
	Indexes: []IndexDecl{{IdxENI, "DescribeNetworkInterfacePermissions NetworkInterfaceId; the permissions a removed ENI takes along"}},
	Decode:  decoder[ENIPermission](),
	Release: &ReleaseDecl{
		By:   IdxENI,
		Keys: func(rel *Released) []string { return rel.RemovedOf(KindENI) },
		Effect: func(found []Resource, _ *Released) (put, del []Resource) {
			return nil, found
		},
	},
}

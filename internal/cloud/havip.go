package cloud

import (
	"slices"
	"time"

	"github.com/ecslocal/ecslocal/internal/apierr"
)

// KindHaVip is the stored kind of high-availability virtual IP addresses.
const KindHaVip = "havip"

// HaVip statuses: Available without associations, InUse with at least one.
const (
	HaVipAvailable = "Available"
	HaVipInUse     = "InUse"
)

// What a HaVip is associated with (AssociateHaVip's InstanceType).
const (
	HaVipOnInstance = "EcsInstance"
	HaVipOnENI      = "NetworkInterface"
)

// MaxHaVipAssociations is how many instances or ENIs one HaVip may hold
// [choice: the references name no quota in their error tables].
const MaxHaVipAssociations = 10

// HaVip is a private address of a vSwitch that instances or ENIs of the
// vSwitch take over from each other.
type HaVip struct {
	ID          string    `json:"id"`
	Region      string    `json:"region"`
	VpcID       string    `json:"vpcId"`
	VSwitchID   string    `json:"vSwitchId"`
	IPAddress   string    `json:"ipAddress"`
	Name        string    `json:"name,omitempty"`
	Description string    `json:"description,omitempty"`
	Status      string    `json:"status"`
	Created     time.Time `json:"created"`
	// Associated are the instance or ENI ids, in association order; the
	// first is the master (MasterInstanceId) [choice: the cloud elects it].
	Associated     []string `json:"associated,omitempty"`
	AssociatedType string   `json:"associatedType,omitempty"`
	ResourceGroup  string   `json:"resourceGroup,omitempty"`
	Tags           []Tag    `json:"tags,omitempty"`
}

// Kind implements Resource.
func (HaVip) Kind() string { return KindHaVip }

// Key implements Resource.
func (h HaVip) Key() string { return h.ID }

// RegionID implements Resource.
func (h HaVip) RegionID() string { return h.Region }

// Indexes implements Resource.
func (h HaVip) Indexes() []Index {
	out := []Index{
		{IdxVPC, h.VpcID}, {IdxVSwitch, h.VSwitchID}, {IdxIP, h.IPAddress}, {IdxStatus, h.Status},
		{IdxName, h.Name}, {IdxResourceGroup, h.ResourceGroup},
	}
	for _, id := range h.Associated {
		out = append(out, Index{IdxInstance, id})
	}
	return append(out, tagIndexes(h.Tags)...)
}

// NextDue implements Resource.
func (HaVip) NextDue() time.Time { return time.Time{} }

// TagList implements Tagged.
func (h HaVip) TagList() []Tag { return h.Tags }

// WithTags implements Tagged.
func (h HaVip) WithTags(t []Tag) Resource { h.Tags = t; return h }

// Master is the MasterInstanceId: the first associated, "" when none.
func (h HaVip) Master() string {
	if len(h.Associated) == 0 {
		return ""
	}
	return h.Associated[0]
}

// HaVipTarget is what AssociateHaVip names, resolved: an instance or an ENI.
type HaVipTarget struct {
	ID, Type, VSwitchID string
	// Usable is false for an instance neither Running nor Stopped, or being
	// released.
	Usable bool
}

// AssociateHaVip is AssociateHaVip's rule: a target of the HaVip's
// vSwitch, of the type already associated, not associated yet, within the
// quota.
func AssociateHaVip(h HaVip, t HaVipTarget) (HaVip, error) {
	switch {
	case t.VSwitchID != h.VSwitchID:
		return h, apierr.HaVipVSwitchMismatch.New().WithDetail("%s is in %s, %s in %s", t.ID, t.VSwitchID, h.ID, h.VSwitchID)
	case !t.Usable:
		return h, apierr.IncorrectInstanceStatus.New().WithDetail("%s", t.ID)
	case slices.Contains(h.Associated, t.ID):
		return h, apierr.HaVipAlreadyAssociated.New().WithDetail("%s", t.ID)
	case len(h.Associated) > 0 && h.AssociatedType != t.Type:
		return h, apierr.HaVipTypeMismatch.New().WithDetail("%s holds %s", h.ID, h.AssociatedType)
	case len(h.Associated) >= MaxHaVipAssociations:
		return h, apierr.HaVipQuota.New()
	}
	h.Associated = append(slices.Clone(h.Associated), t.ID)
	h.AssociatedType, h.Status = t.Type, HaVipInUse
	return h, nil
}

// UnassociateHaVip is UnassociateHaVip's rule: an associated target, and
// the master only with force.
func UnassociateHaVip(h HaVip, id string, force bool) (HaVip, error) {
	if !slices.Contains(h.Associated, id) {
		return h, apierr.HaVipNotAssociated.New().WithDetail("%s is not associated with %s", id, h.ID)
	}
	if id == h.Master() && !force && len(h.Associated) > 1 {
		return h, apierr.HaVipMaster.New().WithDetail("%s is the master of %s", id, h.ID)
	}
	return detachHaVip(h, id), nil
}

// detachHaVip removes id from the associations.
func detachHaVip(h HaVip, id string) HaVip {
	h.Associated = slices.DeleteFunc(slices.Clone(h.Associated), func(x string) bool { return x == id })
	if len(h.Associated) == 0 {
		h.Status, h.AssociatedType = HaVipAvailable, ""
	}
	return h
}

// CheckDeleteHaVip is DeleteHaVip's rule: only an Available HaVip, that no
// route entry forwards to.
func CheckDeleteHaVip(h HaVip, routes int) error {
	if h.Status != HaVipAvailable {
		return apierr.IncorrectHaVipStatus.New().WithDetail("%s is %s", h.ID, h.Status)
	}
	if routes > 0 {
		return apierr.HaVipRouteDependency.New().WithDetail("%d route entries forward to %s", routes, h.ID)
	}
	return nil
}

// haVipKind declares the kind to the registry (registry.go). Releasing an
// instance disassociates it, and its ENIs, from every HaVip: the cloud
// releases an instance with a HaVip without refusing, and the HaVip stays,
// Available once nothing is associated.
var haVipKind = Kind{
	Name:   KindHaVip,
	Prefix: "havip",
	Indexes: append([]IndexDecl{
		{IdxVPC, "DescribeHaVips Filter VpcId"},
		{IdxVSwitch, "DescribeHaVips Filter VSwitchId"},
		{IdxIP, "DescribeHaVips Filter HaVipAddress; addresses in use in a vSwitch"},
		{IdxStatus, "DescribeHaVips Filter Status"},
		{IdxName, "DescribeHaVips Filter Name"},
		{IdxResourceGroup, "DescribeHaVips ResourceGroupId"},
		{IdxInstance, "the HaVips an instance or ENI being released is associated with"},
	}, tagIndexDecls("DescribeHaVips")...),
	// An address is one HaVip's; an instance or ENI has few HaVips.
	Few:    []IndexName{IdxIP, IdxInstance},
	Tags:   &TagDecl{ResourceTypes: map[string]string{"vpc": "HAVIP"}},
	Decode: decoder[HaVip](),
	Release: &ReleaseDecl{
		By:   IdxInstance,
		Keys: instanceAndRemoved(KindENI),
		Effect: func(found []Resource, rel *Released) (put, del []Resource) {
			for _, h := range each[HaVip](found) {
				next := h
				for _, id := range h.Associated {
					if id == rel.Instance.ID || rel.removedENI(id) {
						next = detachHaVip(next, id)
					}
				}
				if len(next.Associated) != len(h.Associated) {
					put = append(put, next)
				}
			}
			return put, nil
		},
	},
}

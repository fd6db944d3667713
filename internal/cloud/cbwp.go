package cloud

import (
	"time"

	"github.com/ecslocal/ecslocal/internal/apierr"
)

// KindCommonBandwidthPackage is the stored kind of Internet Shared
// Bandwidth instances (common bandwidth packages).
const KindCommonBandwidthPackage = "cbwp"

// IdxBandwidthPackage finds the EIPs of an Internet Shared Bandwidth
// instance (kept apart from registry.go's list, whose alignment it would
// change).
const IdxBandwidthPackage IndexName = "bandwidthPackage"

// CommonBandwidthPackage is an Internet Shared Bandwidth instance: EIPs
// added to it share its bandwidth. The EIPs name it (EIP.BandwidthPackageID).
type CommonBandwidthPackage struct {
	ID                 string    `json:"id"`
	Region             string    `json:"region"`
	Name               string    `json:"name,omitempty"`
	Description        string    `json:"description,omitempty"`
	Bandwidth          int       `json:"bandwidth"`
	ISP                string    `json:"isp"`
	InternetChargeType string    `json:"internetChargeType"`
	Ratio              int       `json:"ratio"`
	Zone               string    `json:"zone,omitempty"`
	Status             string    `json:"status"`
	Created            time.Time `json:"created"`
	ResourceGroup      string    `json:"resourceGroup,omitempty"`
	Tags               []Tag     `json:"tags,omitempty"`
}

// Kind implements Resource.
func (CommonBandwidthPackage) Kind() string { return KindCommonBandwidthPackage }

// Key implements Resource.
func (c CommonBandwidthPackage) Key() string { return c.ID }

// RegionID implements Resource.
func (c CommonBandwidthPackage) RegionID() string { return c.Region }

// Indexes implements Resource.
func (c CommonBandwidthPackage) Indexes() []Index {
	return append([]Index{{"name", c.Name}, {"resourceGroup", c.ResourceGroup}}, tagIndexes(c.Tags)...)
}

// NextDue implements Resource.
func (CommonBandwidthPackage) NextDue() time.Time { return time.Time{} }

// TagList implements Tagged.
func (c CommonBandwidthPackage) TagList() []Tag { return c.Tags }

// WithTags implements Tagged.
func (c CommonBandwidthPackage) WithTags(t []Tag) Resource { c.Tags = t; return c }

// Bandwidth limits of an Internet Shared Bandwidth instance (Mbit/s).
const (
	MinPackageBandwidth = 1
	MaxPackageBandwidth = 1000
	// MaxPackageIPs is how many EIPs one instance takes.
	MaxPackageIPs = 100
)

// AddToPackage puts an EIP into a package: pay-as-you-go, of the same line
// (ISP) and in no package yet, in the order of the reference's error table.
func AddToPackage(e EIP, c CommonBandwidthPackage) (EIP, error) {
	switch {
	case e.BandwidthPackageID == c.ID || e.BandwidthPackageID != "":
		return e, apierr.IPAlreadyInBandwidthPackage.New().WithDetail("%s is in %s", e.ID, e.BandwidthPackageID)
	case e.ChargeType == PrePaid:
		return e, apierr.IPPrepaidBandwidthPackage.New()
	case e.ISP != c.ISP:
		return e, apierr.IPISPMismatch.New().WithDetail("EIP %s is %s, %s is %s", e.ID, e.ISP, c.ID, c.ISP)
	}
	e.BandwidthPackageID, e.PackageBandwidth = c.ID, 0
	return e, nil
}

// RemoveFromPackage takes an EIP out of package id; it keeps its own
// bandwidth again.
func RemoveFromPackage(e EIP, id string) (EIP, error) {
	if e.BandwidthPackageID != id {
		return e, apierr.IPNotInBandwidthPackage.New().WithDetail("%s is not in %s", e.ID, id)
	}
	e.BandwidthPackageID, e.PackageBandwidth = "", 0
	return e, nil
}

// commonBandwidthPackageKind declares the kind to the registry (registry.go).
var commonBandwidthPackageKind = Kind{
	Name:   KindCommonBandwidthPackage,
	Prefix: "cbwp",
	Indexes: append([]IndexDecl{
		{IdxName, "DescribeCommonBandwidthPackages Name"},
		{IdxResourceGroup, "DescribeCommonBandwidthPackages ResourceGroupId"},
	}, tagIndexDecls("DescribeCommonBandwidthPackages")...),
	Tags:   &TagDecl{ResourceTypes: map[string]string{"vpc": "COMMONBANDWIDTHPACKAGE"}},
	Decode: decoder[CommonBandwidthPackage](),
}

package cloud

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"net/netip"
	"time"

	"github.com/ecslocal/ecslocal/internal/apierr"
)

// KindActivation and KindManagedInstance are the stored kinds of Cloud
// Assistant activation codes and the servers registered with them.
const (
	KindActivation      = "activation"
	KindManagedInstance = "managedinstance"
)

// Activation is an activation code: the cloud keeps its SHA-256 only, the
// code itself is answered once by CreateActivation.
type Activation struct {
	ID            string    `json:"id"`
	Region        string    `json:"region"`
	CodeHash      string    `json:"codeHash"`
	Description   string    `json:"description,omitempty"`
	InstanceCount int       `json:"instanceCount"`
	InstanceName  string    `json:"instanceName,omitempty"`
	IPRange       string    `json:"ipRange"`
	TTLHours      int64     `json:"ttlHours"`
	Disabled      bool      `json:"disabled,omitempty"`
	Registered    int       `json:"registered,omitempty"`
	Deregistered  int       `json:"deregistered,omitempty"`
	ResourceGroup string    `json:"resourceGroup,omitempty"`
	Tags          []Tag     `json:"tags,omitempty"`
	Created       time.Time `json:"created"`
}

// Kind implements Resource.
func (Activation) Kind() string { return KindActivation }

// Key implements Resource.
func (a Activation) Key() string { return a.ID }

// RegionID implements Resource.
func (a Activation) RegionID() string { return a.Region }

// NextDue implements Resource: an expired code stays, unusable.
func (Activation) NextDue() time.Time { return time.Time{} }

// Indexes implements Resource.
func (a Activation) Indexes() []Index {
	var out []Index
	if a.InstanceName != "" {
		out = append(out, Index{IdxName, a.InstanceName})
	}
	if a.ResourceGroup != "" {
		out = append(out, Index{IdxResourceGroup, a.ResourceGroup})
	}
	return append(out, tagIndexes(a.Tags)...)
}

// TagList implements Tagged.
func (a Activation) TagList() []Tag { return a.Tags }

// WithTags implements Tagged.
func (a Activation) WithTags(t []Tag) Resource { a.Tags = t; return a }

// activationKind declares the kind to the registry (registry.go).
var activationKind = Kind{
	Name:   KindActivation,
	Prefix: "act",
	Indexes: append([]IndexDecl{
		{IdxName, "DescribeActivations InstanceName"},
		{IdxResourceGroup, "DescribeActivations ResourceGroupId"},
	}, tagIndexDecls("DescribeActivations")...),
	Tags:   &TagDecl{ResourceTypes: map[string]string{"ecs": "activation"}},
	Decode: decoder[Activation](),
}

// HashActivationCode is what an activation keeps of its code.
func HashActivationCode(code string) string {
	sum := sha256.Sum256([]byte(code))
	return hex.EncodeToString(sum[:])
}

// InUse counts the managed instances registered with the code now.
func (a Activation) InUse() int { return a.Registered - a.Deregistered }

// Expires is when the code stops registering servers.
func (a Activation) Expires() time.Time { return a.Created.Add(time.Duration(a.TTLHours) * time.Hour) }

// ValidIPRange: an IPv4 or IPv6 CIDR block.
func ValidIPRange(r string) bool {
	_, err := netip.ParsePrefix(r)
	return err == nil
}

// Register checks a registration with code from ip at now and counts it.
func (a Activation) Register(code, ip string, now time.Time) (Activation, error) {
	if subtle.ConstantTimeCompare([]byte(HashActivationCode(code)), []byte(a.CodeHash)) != 1 {
		return a, apierr.ActivationCodeInvalid.New()
	}
	if a.Disabled || !now.Before(a.Expires()) {
		return a, apierr.ActivationUnusable.New()
	}
	if a.Registered >= a.InstanceCount {
		return a, apierr.ActivationExhausted.New()
	}
	addr, err := netip.ParseAddr(ip)
	prefix, perr := netip.ParsePrefix(a.IPRange)
	if err != nil || perr != nil || !prefix.Contains(addr) {
		return a, apierr.ActivationIPNotAllowed.New()
	}
	a.Registered++
	return a, nil
}

// ManagedInstance is a server outside ECS registered with an activation code.
type ManagedInstance struct {
	ID            string    `json:"id"`
	Region        string    `json:"region"`
	ActivationID  string    `json:"activationId"`
	Name          string    `json:"name"`
	Hostname      string    `json:"hostname"`
	MachineID     string    `json:"machineId"`
	IntranetIP    string    `json:"intranetIp"`
	InternetIP    string    `json:"internetIp,omitempty"`
	OSType        string    `json:"osType"`
	OSVersion     string    `json:"osVersion,omitempty"`
	AgentVersion  string    `json:"agentVersion,omitempty"`
	ResourceGroup string    `json:"resourceGroup,omitempty"`
	Tags          []Tag     `json:"tags,omitempty"`
	Registered    time.Time `json:"registered"`
}

// Kind implements Resource.
func (ManagedInstance) Kind() string { return KindManagedInstance }

// Key implements Resource.
func (m ManagedInstance) Key() string { return m.ID }

// RegionID implements Resource.
func (m ManagedInstance) RegionID() string { return m.Region }

// NextDue implements Resource: a managed instance never changes on its own.
func (ManagedInstance) NextDue() time.Time { return time.Time{} }

// Indexes implements Resource.
func (m ManagedInstance) Indexes() []Index {
	out := []Index{{IdxName, m.Name}, {IdxIP, m.IntranetIP}}
	if m.ResourceGroup != "" {
		out = append(out, Index{IdxResourceGroup, m.ResourceGroup})
	}
	return append(out, tagIndexes(m.Tags)...)
}

// TagList implements Tagged.
func (m ManagedInstance) TagList() []Tag { return m.Tags }

// WithTags implements Tagged.
func (m ManagedInstance) WithTags(t []Tag) Resource { m.Tags = t; return m }

// managedInstanceKind declares the kind to the registry (registry.go).
var managedInstanceKind = Kind{
	Name:   KindManagedInstance,
	Prefix: "mi",
	Indexes: append([]IndexDecl{
		{IdxName, "DescribeManagedInstances InstanceName"},
		{IdxIP, "DescribeManagedInstances InstanceIp"},
		{IdxResourceGroup, "DescribeManagedInstances ResourceGroupId"},
	}, tagIndexDecls("DescribeManagedInstances")...),
	Tags:   &TagDecl{ResourceTypes: map[string]string{"ecs": "managedinstance"}},
	Decode: decoder[ManagedInstance](),
}
